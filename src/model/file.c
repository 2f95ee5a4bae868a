/* The model container: writer and reader.  See file.h for the layout. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#define HEADER_SIZE 128
#define ENTRY_SIZE 48
#define COMPLETE 0x454E4F44u   /* "DONE" */
#define INCOMPLETE 0x54495257u /* "WRIT" */
#define MAX_SECTIONS 256

/* The header as it is in the file (native byte order, as the sanity block
 * records).  Every field has a fixed place; padding is explicit. */
typedef struct header {
    char magic[8];
    uint32_t format;
    uint32_t state;          /* COMPLETE, or INCOMPLETE while writing */
    /* sanity block: compared byte for byte with what this build writes */
    uint64_t one;            /* 1: byte order and word size */
    double dbl;              /* 1.5: double format */
    float flt;               /* -0.25f: float format */
    uint32_t order;          /* 0x01020304 */
    uint32_t ptr_size;       /* sizeof(void *) of the writer, informative */
    uint32_t nsections;
    uint64_t table_offset;
    uint64_t file_size;
    uint64_t table_checksum;
    uint8_t reserved[HEADER_SIZE - 80];
    uint64_t header_checksum; /* XXH64 of the bytes before it */
} header;

_Static_assert(sizeof(header) == HEADER_SIZE, "header is 128 bytes");

typedef struct entry {
    char name[US_MODEL_NAME_MAX];
    uint64_t offset, size, checksum;
} entry;

_Static_assert(sizeof(entry) == ENTRY_SIZE, "entry is 48 bytes");

static void fill_sanity(header *h)
{
    h->one = 1;
    h->dbl = 1.5;
    h->flt = -0.25f;
    h->order = 0x01020304u;
    h->ptr_size = (uint32_t)sizeof(void *);
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */

struct us_model_writer {
    FILE *f;
    char *path, *tmp;
    uint64_t pos;
    entry *entries;
    size_t nentries, cap;
    int in_section;
    XXH64_state_t *hash;
};

static int wfail(us_model_writer *w, unspin_error *err, const char *what)
{
    return us_fail(err, UNSPIN_EIO, "%s: %s: %s", w->tmp, what, strerror(errno));
}

static int put(us_model_writer *w, const void *p, size_t n, unspin_error *err)
{
    if (n && fwrite(p, 1, n, w->f) != n)
        return wfail(w, err, "write failed");
    w->pos += n;
    return UNSPIN_OK;
}

static int pad8(us_model_writer *w, unspin_error *err)
{
    static const uint8_t zeros[8];
    size_t n = (size_t)((8 - w->pos % 8) % 8);
    return put(w, zeros, n, err);
}

int us_model_writer_open(const char *path, us_model_writer **out, unspin_error *err)
{
    us_model_writer *w = calloc(1, sizeof *w);
    size_t n = strlen(path);
    if (!w || !(w->path = us_strndup(path, n)) || !(w->tmp = malloc(n + 5)) ||
        !(w->hash = XXH64_createState())) {
        us_model_writer_abort(w);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    memcpy(w->tmp, path, n);
    memcpy(w->tmp + n, ".tmp", 5);
    w->f = fopen(w->tmp, "wb");
    if (!w->f) {
        int rc = us_fail(err, UNSPIN_EIO, "%s: %s", w->tmp, strerror(errno));
        us_model_writer_abort(w);
        return rc;
    }
    header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, US_MODEL_MAGIC, 8);
    h.format = US_MODEL_FORMAT;
    h.state = INCOMPLETE;
    fill_sanity(&h);
    int rc = put(w, &h, sizeof h, err);
    if (rc != UNSPIN_OK) {
        us_model_writer_abort(w);
        return rc;
    }
    *out = w;
    return UNSPIN_OK;
}

int us_model_writer_begin(us_model_writer *w, const char *name, unspin_error *err)
{
    if (w->in_section || strlen(name) >= US_MODEL_NAME_MAX || w->nentries >= MAX_SECTIONS)
        return us_fail(err, UNSPIN_EINVAL, "model writer: bad section '%s'", name);
    int rc = pad8(w, err);
    if (rc != UNSPIN_OK)
        return rc;
    if (us_grow((void **)&w->entries, &w->cap, w->nentries + 1, sizeof *w->entries) != 0)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    entry *e = &w->entries[w->nentries++];
    memset(e, 0, sizeof *e);
    memcpy(e->name, name, strlen(name));
    e->offset = w->pos;
    XXH64_reset(w->hash, 0);
    w->in_section = 1;
    return UNSPIN_OK;
}

int us_model_writer_write(us_model_writer *w, const void *data, size_t size,
                          unspin_error *err)
{
    if (!w->in_section)
        return us_fail(err, UNSPIN_EINVAL, "model writer: write outside a section");
    XXH64_update(w->hash, data, size);
    w->entries[w->nentries - 1].size += size;
    return put(w, data, size, err);
}

int us_model_writer_end(us_model_writer *w, unspin_error *err)
{
    if (!w->in_section)
        return us_fail(err, UNSPIN_EINVAL, "model writer: no section to end");
    w->entries[w->nentries - 1].checksum = XXH64_digest(w->hash);
    w->in_section = 0;
    return UNSPIN_OK;
}

int us_model_writer_section(us_model_writer *w, const char *name, const void *data,
                            size_t size, unspin_error *err)
{
    int rc = us_model_writer_begin(w, name, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_write(w, data, size, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_end(w, err);
    return rc;
}

int us_model_writer_close(us_model_writer *w, unspin_error *err)
{
    int rc = w->in_section ? us_model_writer_end(w, err) : UNSPIN_OK;
    if (rc == UNSPIN_OK)
        rc = pad8(w, err);
    uint64_t table = w->pos;
    size_t tsize = w->nentries * sizeof(entry);
    if (rc == UNSPIN_OK)
        rc = put(w, w->entries, tsize, err);
    if (rc == UNSPIN_OK) {
        header h;
        memset(&h, 0, sizeof h);
        memcpy(h.magic, US_MODEL_MAGIC, 8);
        h.format = US_MODEL_FORMAT;
        h.state = COMPLETE;
        fill_sanity(&h);
        h.nsections = (uint32_t)w->nentries;
        h.table_offset = table;
        h.file_size = w->pos;
        h.table_checksum = XXH64(w->entries, tsize, 0);
        h.header_checksum = XXH64(&h, offsetof(header, header_checksum), 0);
        if (fflush(w->f) != 0 || fseek(w->f, 0, SEEK_SET) != 0 ||
            fwrite(&h, 1, sizeof h, w->f) != sizeof h || fflush(w->f) != 0 ||
            fsync(fileno(w->f)) != 0)
            rc = wfail(w, err, "write failed");
    }
    if (fclose(w->f) != 0 && rc == UNSPIN_OK)
        rc = wfail(w, err, "close failed");
    w->f = NULL;
    if (rc == UNSPIN_OK && rename(w->tmp, w->path) != 0)
        rc = us_fail(err, UNSPIN_EIO, "%s: rename failed: %s", w->path, strerror(errno));
    if (rc != UNSPIN_OK)
        unlink(w->tmp);
    free(w->tmp);
    w->tmp = NULL;
    us_model_writer_abort(w);
    return rc;
}

void us_model_writer_abort(us_model_writer *w)
{
    if (!w)
        return;
    if (w->f)
        fclose(w->f);
    if (w->tmp)
        unlink(w->tmp);
    XXH64_freeState(w->hash);
    free(w->entries);
    free(w->path);
    free(w->tmp);
    free(w);
}

/* ------------------------------------------------------------------ */
/* Reader                                                              */

#define REBUILD "; rebuild it with 'unspin model build' (make model)"

static int load_bytes(us_model_file *mf, unspin_error *err)
{
    int fd = open(mf->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return us_fail(err, UNSPIN_EMODEL, "%s: cannot open model: %s", mf->path,
                       strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return us_fail(err, UNSPIN_EMODEL, "%s: not a regular file", mf->path);
    }
    mf->size = (size_t)st.st_size;
    if (mf->size < HEADER_SIZE) {
        close(fd);
        return us_fail(err, UNSPIN_EMODEL, "%s: truncated: %zu bytes is shorter than the header"
                       REBUILD, mf->path, mf->size);
    }
    /* UNSPIN_NO_MMAP=1 takes the read() path, as on file systems without
     * mmap; the tests use it to cover that path. */
    const char *no_mmap = getenv("UNSPIN_NO_MMAP");
    void *p = no_mmap && *no_mmap && strcmp(no_mmap, "0")
                  ? MAP_FAILED
                  : mmap(NULL, mf->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
        mf->base = p;
        mf->mapped = 1;
        close(fd);
        return UNSPIN_OK;
    }
    /* No mmap (some file systems, pipes to a FUSE mount): read it all. */
    uint8_t *buf = malloc(mf->size);
    size_t got = 0;
    while (buf && got < mf->size) {
        ssize_t n = read(fd, buf + got, mf->size - got);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (!buf || got != mf->size) {
        free(buf);
        return us_fail(err, UNSPIN_EMODEL, "%s: cannot read model", mf->path);
    }
    mf->base = buf;
    mf->mapped = 0;
    return UNSPIN_OK;
}

static int check_header(us_model_file *mf, const header *h, unspin_error *err)
{
    const char *p = mf->path;
    if (memcmp(h->magic, US_MODEL_MAGIC, 8) != 0)
        return us_fail(err, UNSPIN_EMODEL, "%s: not an unspin model (bad magic)", p);
    if (h->state == INCOMPLETE)
        return us_fail(err, UNSPIN_EMODEL, "%s: incomplete model (its writing did not finish)"
                       REBUILD, p);
    header want;
    memset(&want, 0, sizeof want);
    fill_sanity(&want);
    if (memcmp(&h->one, &want.one, offsetof(header, ptr_size) - offsetof(header, one)) != 0)
        return us_fail(err, UNSPIN_EMODEL, "%s: built on a machine with another byte order or "
                       "float format" REBUILD, p);
    if (h->format != US_MODEL_FORMAT)
        return us_fail(err, UNSPIN_EMODEL, "%s: model format %u, this unspin reads format %u"
                       REBUILD, p, h->format, US_MODEL_FORMAT);
    if (h->state != COMPLETE ||
        h->header_checksum != XXH64(h, offsetof(header, header_checksum), 0))
        return us_fail(err, UNSPIN_EMODEL, "%s: corrupt header (checksum mismatch)" REBUILD, p);
    if (h->file_size != mf->size)
        return us_fail(err, UNSPIN_EMODEL, "%s: truncated or extended: %zu bytes, header says %llu"
                       REBUILD, p, mf->size, (unsigned long long)h->file_size);
    if (h->nsections > MAX_SECTIONS || h->table_offset % 8 ||
        h->table_offset > mf->size ||
        (mf->size - h->table_offset) / ENTRY_SIZE < h->nsections)
        return us_fail(err, UNSPIN_EMODEL, "%s: corrupt section table" REBUILD, p);
    if (XXH64(mf->base + h->table_offset, (size_t)h->nsections * ENTRY_SIZE, 0) !=
        h->table_checksum)
        return us_fail(err, UNSPIN_EMODEL, "%s: corrupt section table (checksum mismatch)"
                       REBUILD, p);
    return UNSPIN_OK;
}

static int read_table(us_model_file *mf, const header *h, unspin_error *err)
{
    mf->nsections = h->nsections;
    mf->sections = calloc(h->nsections ? h->nsections : 1, sizeof *mf->sections);
    if (!mf->sections)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    for (size_t i = 0; i < mf->nsections; i++) {
        entry e;
        memcpy(&e, mf->base + h->table_offset + i * ENTRY_SIZE, sizeof e);
        us_model_section *s = &mf->sections[i];
        memcpy(s->name, e.name, US_MODEL_NAME_MAX);
        s->name[US_MODEL_NAME_MAX] = '\0';
        if (e.offset % 8 || e.offset < HEADER_SIZE || e.offset > h->table_offset ||
            e.size > h->table_offset - e.offset)
            return us_fail(err, UNSPIN_EMODEL, "%s: section '%s' lies outside the file"
                           REBUILD, mf->path, s->name);
        s->data = mf->base + e.offset;
        s->size = e.size;
        s->checksum = e.checksum;
    }
    return UNSPIN_OK;
}

int us_model_file_open(const char *path, us_model_file *mf, unspin_error *err)
{
    memset(mf, 0, sizeof *mf);
    if (!(mf->path = us_strndup(path, strlen(path))))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    int rc = load_bytes(mf, err);
    if (rc == UNSPIN_OK) {
        header h;
        memcpy(&h, mf->base, sizeof h);
        rc = check_header(mf, &h, err);
        if (rc == UNSPIN_OK) {
            mf->format = h.format;
            rc = read_table(mf, &h, err);
        }
    }
    if (rc != UNSPIN_OK)
        us_model_file_close(mf);
    return rc;
}

void us_model_file_close(us_model_file *mf)
{
    if (!mf)
        return;
    if (mf->base) {
        if (mf->mapped)
            munmap((void *)mf->base, mf->size);
        else
            free((void *)mf->base);
    }
    free(mf->sections);
    free(mf->path);
    memset(mf, 0, sizeof *mf);
}

const us_model_section *us_model_file_find(const us_model_file *mf, const char *name)
{
    for (size_t i = 0; i < mf->nsections; i++)
        if (strcmp(mf->sections[i].name, name) == 0)
            return &mf->sections[i];
    return NULL;
}

int us_model_file_verify(const us_model_file *mf, unspin_error *err)
{
    for (size_t i = 0; i < mf->nsections; i++) {
        const us_model_section *s = &mf->sections[i];
        if (XXH64(s->data, (size_t)s->size, 0) != s->checksum)
            return us_fail(err, UNSPIN_EMODEL, "%s: section '%s' is corrupt (checksum mismatch)"
                           REBUILD, mf->path, s->name);
    }
    return UNSPIN_OK;
}
