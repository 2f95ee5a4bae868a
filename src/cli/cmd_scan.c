/* unspin scan: judge many documents on all cores, one record per document.
 *
 * One producer (the calling thread) walks the inputs and fills a bounded
 * queue; worker threads read, extract and judge the documents with one
 * shared model and hand each back as it finishes.  JSON Lines are read line
 * by line, so memory stays bounded whatever the input's size: at most
 * QUEUE_ITEMS_PER_JOB items per worker and QUEUE_MAX_BYTES of queued lines,
 * plus the documents the workers hold. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

#define QUEUE_ITEMS_PER_JOB 4
#define QUEUE_MAX_BYTES ((size_t)64 << 20)

/* ------------------------------------------------------------------ */
/* Reading documents                                                   */
/* ------------------------------------------------------------------ */

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

static int is_jsonl_name(const char *path)
{
    return has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson") ||
           has_suffix(path, ".jsonlines");
}

static int is_html_name(const char *path)
{
    return has_suffix(path, ".html") || has_suffix(path, ".htm") || has_suffix(path, ".xhtml") ||
           has_suffix(path, ".shtml");
}

/* Content that starts (after a BOM and white space) like an HTML page. */
static int looks_html(const char *s, size_t n)
{
    static const char *const starts[] = {"<!doctype html", "<html", "<head", "<body", "<meta",
                                         "<title", NULL};
    size_t i = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    for (int k = 0; starts[k]; k++) {
        size_t m = strlen(starts[k]);
        if (n - i >= m && !strncasecmp(s + i, starts[k], m))
            return 1;
    }
    return 0;
}

static int looks_pdf(const char *s, size_t n)
{
    return n >= 5 && !memcmp(s, "%PDF-", 5);
}

/* Reads a whole file, bounded by CLI_MAX_INPUT; errors in errbuf. */
static int read_file(const char *path, char **data, size_t *len, char *errbuf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, cap, "%s", strerror(errno));
        return CLI_ERROR;
    }
    char *buf = NULL;
    size_t bcap = 0, n = 0;
    int rc = CLI_OK;
    for (;;) {
        if (n + 1 >= bcap) {
            size_t ncap = bcap ? bcap * 2 : 65536;
            char *p = realloc(buf, ncap);
            if (!p) {
                snprintf(errbuf, cap, "out of memory");
                rc = CLI_ERROR;
                break;
            }
            buf = p;
            bcap = ncap;
        }
        size_t got = fread(buf + n, 1, bcap - n - 1, f);
        n += got;
        if (n > CLI_MAX_INPUT) {
            snprintf(errbuf, cap, "larger than %zu bytes", CLI_MAX_INPUT);
            rc = CLI_ERROR;
            break;
        }
        if (got == 0) {
            if (ferror(f)) {
                snprintf(errbuf, cap, "%s", strerror(errno));
                rc = CLI_ERROR;
            }
            break;
        }
    }
    fclose(f);
    if (rc != CLI_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return CLI_OK;
}

/* Turns raw document bytes into the text to judge: a PDF (by its first
 * bytes, whatever the name) and HTML are extracted.  Takes ownership of
 * *data (replaced by the text). */
static int to_text(const char *name, int html, char **data, size_t *len, char *errbuf,
                   size_t cap)
{
    int pdf = !html && looks_pdf(*data, *len);
    if (pdf || html || (name && is_html_name(name)) || looks_html(*data, *len)) {
        char *text;
        size_t tlen;
        unspin_error err;
        int rc = pdf ? unspin_extract_pdf(*data, *len, &text, &tlen, &err)
                     : unspin_extract_html(*data, *len, &text, &tlen, &err);
        if (rc != UNSPIN_OK) {
            snprintf(errbuf, cap, "%s", err.message);
            return CLI_ERROR;
        }
        free(*data);
        *data = text;
        *len = tlen;
        if (tlen == 0) {
            snprintf(errbuf, cap, "no text in the %s", pdf ? "PDF" : "HTML");
            return CLI_ERROR;
        }
    }
    if (*len == 0) {
        snprintf(errbuf, cap, "empty input");
        return CLI_ERROR;
    }
    return CLI_OK;
}

int scan_load_document(const char *path, char **text, size_t *len, char *errbuf, size_t cap)
{
    char *data = NULL;
    size_t n = 0;
    int rc;
    if (!strcmp(path, "-")) {
        if (cli_read_input("-", &data, &n) != CLI_OK) {
            snprintf(errbuf, cap, "could not read standard input");
            return CLI_ERROR;
        }
        rc = CLI_OK;
    } else
        rc = read_file(path, &data, &n, errbuf, cap);
    if (rc == CLI_OK)
        rc = to_text(strcmp(path, "-") ? path : NULL, 0, &data, &n, errbuf, cap);
    if (rc != CLI_OK) {
        free(data);
        return rc;
    }
    *text = data;
    *len = n;
    return CLI_OK;
}

/* Lines of a stream, each bounded by CLI_MAX_INPUT (longer ones are
 * read to their end and reported). */
typedef struct line_reader {
    FILE *f;
    char *buf;        /* the last line's bytes, with its line end */
    size_t cap, rawlen;
    size_t ipos, iend;
    int eof;
    char in[65536];
} line_reader;

static int fill(line_reader *r)
{
    if (r->eof)
        return 0;
    size_t got = fread(r->in, 1, sizeof r->in, r->f);
    r->ipos = 0;
    r->iend = got;
    if (got == 0) {
        r->eof = 1;
        return 0;
    }
    return 1;
}

/* Returns 1 with the line in r->buf (NUL-terminated, line end stripped,
 * length in *len; *raw the bytes it took), 0 at the end of the stream.
 * *too_long is set (and the line empty) when it was over the limit. */
static int read_line(line_reader *r, size_t *len, int *too_long, size_t *raw)
{
    size_t n = 0;
    int any = 0;
    *too_long = 0;
    *raw = 0;
    for (;;) {
        if (r->ipos == r->iend && !fill(r))
            break;
        any = 1;
        char *start = r->in + r->ipos;
        size_t avail = r->iend - r->ipos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) + 1 : avail;
        *raw += take;
        r->ipos += take;
        if (!*too_long) {
            if (n + take > CLI_MAX_INPUT)
                *too_long = 1;
            else {
                if (n + take + 1 > r->cap) {
                    size_t ncap = r->cap ? r->cap : 65536;
                    while (ncap < n + take + 1)
                        ncap *= 2;
                    char *p = realloc(r->buf, ncap);
                    if (!p)
                        *too_long = 1;
                    else {
                        r->buf = p;
                        r->cap = ncap;
                    }
                }
                if (!*too_long) {
                    memcpy(r->buf + n, start, take);
                    n += take;
                }
            }
        }
        if (nl)
            break;
    }
    if (!any)
        return 0;
    if (!r->buf) {
        r->buf = malloc(1);
        if (!r->buf)
            return 0;
        r->cap = 1;
    }
    if (*too_long)
        n = 0;
    r->rawlen = n;
    r->buf[n] = '\0';
    if (n > 0 && r->buf[n - 1] == '\n')
        n--;
    if (n > 0 && r->buf[n - 1] == '\r')
        n--;
    *len = n;
    return 1;
}

/* ------------------------------------------------------------------ */
/* The queue                                                           */
/* ------------------------------------------------------------------ */

enum item_kind { ITEM_FILE, ITEM_LINE, ITEM_DOC, ITEM_ERROR };

typedef struct item {
    struct item *next;
    enum item_kind kind;
    char *id;      /* path, or "SOURCE:LINE" for a line */
    char *data;    /* the line or document; the error message for ITEM_ERROR */
    size_t len;
    size_t bytes;  /* input bytes it stands for */
} item;

typedef struct scan_state {
    const scan_config *cfg;
    pthread_mutex_t qlock;
    pthread_cond_t not_empty, not_full;
    item *head, *tail;
    size_t count, qbytes, max_items;
    int closed;
    pthread_mutex_t olock;
    /* Statistics, under olock. */
    size_t docs, spun, errors;
    double in_bytes, total_bytes;
    struct timespec start, last_progress;
} scan_state;

static void item_free(item *it)
{
    if (it) {
        free(it->id);
        free(it->data);
        free(it);
    }
}

/* Adds an item, waiting while the queue is full.  Takes ownership. */
static void queue_push(scan_state *s, item *it)
{
    pthread_mutex_lock(&s->qlock);
    while (s->count > 0 && (s->count >= s->max_items || s->qbytes + it->len > QUEUE_MAX_BYTES))
        pthread_cond_wait(&s->not_full, &s->qlock);
    it->next = NULL;
    if (s->tail)
        s->tail->next = it;
    else
        s->head = it;
    s->tail = it;
    s->count++;
    s->qbytes += it->len;
    pthread_cond_signal(&s->not_empty);
    pthread_mutex_unlock(&s->qlock);
}

static item *queue_pop(scan_state *s)
{
    pthread_mutex_lock(&s->qlock);
    while (!s->head && !s->closed)
        pthread_cond_wait(&s->not_empty, &s->qlock);
    item *it = s->head;
    if (it) {
        s->head = it->next;
        if (!s->head)
            s->tail = NULL;
        s->count--;
        s->qbytes -= it->len;
        pthread_cond_signal(&s->not_full);
    }
    pthread_mutex_unlock(&s->qlock);
    return it;
}

static item *new_item(enum item_kind kind, const char *id, char *data, size_t len, size_t bytes)
{
    item *it = calloc(1, sizeof *it);
    char *idc = strdup(id);
    if (!it || !idc) {
        free(it);
        free(idc);
        free(data);
        return NULL;
    }
    it->kind = kind;
    it->id = idc;
    it->data = data;
    it->len = len;
    it->bytes = bytes;
    return it;
}

static void push_new(scan_state *s, enum item_kind kind, const char *id, char *data, size_t len,
                     size_t bytes)
{
    item *it = new_item(kind, id, data, len, bytes);
    if (it)
        queue_push(s, it);
    else
        cli_error("%s: out of memory", id);
}

static void push_error(scan_state *s, const char *id, const char *msg)
{
    char *m = strdup(msg);
    if (m)
        push_new(s, ITEM_ERROR, id, m, 0, 0);
}

/* ------------------------------------------------------------------ */
/* Progress                                                            */
/* ------------------------------------------------------------------ */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Under olock.  final: the closing line. */
static void show_progress(scan_state *s, int final)
{
    if (!final && seconds_since(&s->last_progress) < 0.2)
        return;
    clock_gettime(CLOCK_MONOTONIC, &s->last_progress);
    double secs = seconds_since(&s->start);
    double mb = s->in_bytes / 1e6;
    char bar[40] = "";
    if (s->total_bytes > 0) {
        double frac = s->in_bytes / s->total_bytes;
        if (frac > 1)
            frac = 1;
        int w = 20, full = (int)(frac * w + 0.5);
        bar[0] = '[';
        for (int i = 0; i < w; i++)
            bar[1 + i] = i < full ? '#' : '.';
        snprintf(bar + 1 + w, sizeof bar - 1 - (size_t)w, "] %3.0f%% ", frac * 100);
    }
    fprintf(stderr, "\r\033[K%s%zu documents, %.1f MB, %.2f MB/s, %zu spun, %zu errors%s", bar,
            s->docs, mb, secs > 0 ? mb / secs : 0.0, s->spun, s->errors, final ? "\n" : "");
    fflush(stderr);
}

/* ------------------------------------------------------------------ */
/* Workers                                                             */
/* ------------------------------------------------------------------ */

static void finish_doc(scan_state *s, scan_doc *d)
{
    const scan_config *cfg = s->cfg;
    char *formatted = cfg->format ? cfg->format(d, cfg->ctx) : NULL;
    pthread_mutex_lock(&s->olock);
    s->docs++;
    s->in_bytes += (double)d->bytes;
    if (d->error)
        s->errors++;
    else if (d->result && unspin_result_is_spun(d->result))
        s->spun++;
    else if (d->record) {
        const char *v = json_string_value(json_object_get(d->record, "verdict"));
        if (v && !strcmp(v, "spun"))
            s->spun++;
    }
    if (cfg->progress)
        fputs("\r\033[K", stderr);
    cfg->emit(d, formatted, cfg->ctx);
    if (cfg->progress)
        show_progress(s, 0);
    pthread_mutex_unlock(&s->olock);
}

/* Judges text (owned) under id. */
static void judge(scan_state *s, const char *id, char *text, size_t len, size_t bytes)
{
    scan_doc d = {.id = id, .text = text, .len = len, .bytes = bytes};
    unspin_result *r = NULL;
    unspin_error err;
    if (unspin_detect(s->cfg->model, &s->cfg->opts, text, len, &r, &err) != UNSPIN_OK) {
        d.error = err.message;
        d.text = NULL;
    }
    d.result = r;
    finish_doc(s, &d);
    unspin_result_free(r);
    free(text);
}

static void fail_doc(scan_state *s, const char *id, const char *msg, size_t bytes)
{
    scan_doc d = {.id = id, .error = msg, .bytes = bytes};
    finish_doc(s, &d);
}

/* The document's id in a JSONL object: "id" (string or integer), else
 * "url"; NULL when neither.  buf holds a formatted integer. */
static const char *json_id(json_t *o, char *buf, size_t cap)
{
    json_t *id = json_object_get(o, "id");
    if (json_is_string(id))
        return json_string_value(id);
    if (json_is_integer(id)) {
        snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        return buf;
    }
    json_t *url = json_object_get(o, "url");
    if (json_is_string(url))
        return json_string_value(url);
    return NULL;
}

static void do_line(scan_state *s, item *it)
{
    size_t i = 0;
    while (i < it->len && (it->data[i] == ' ' || it->data[i] == '\t'))
        i++;
    if (i == it->len) {
        fail_doc(s, it->id, "empty line", it->bytes);
        return;
    }
    json_error_t jerr;
    json_t *o = json_loadb(it->data, it->len, 0, &jerr);
    if (!o || !json_is_object(o)) {
        char msg[300];
        if (o)
            snprintf(msg, sizeof msg, "not a JSON object");
        else
            snprintf(msg, sizeof msg, "invalid JSON: %s (column %d)", jerr.text, jerr.column);
        json_decref(o);
        fail_doc(s, it->id, msg, it->bytes);
        return;
    }
    char num[32];
    const char *id = json_id(o, num, sizeof num);
    if (!id)
        id = it->id;
    json_t *text = json_object_get(o, "text"), *html = json_object_get(o, "html");
    if (s->cfg->accept_records && !text && !html &&
        (json_object_get(o, "verdict") || json_object_get(o, "error"))) {
        scan_doc d = {.id = id, .record = o, .bytes = it->bytes};
        finish_doc(s, &d);
        json_decref(o);
        return;
    }
    char msg[600];
    if (json_is_string(text) || json_is_string(html)) {
        json_t *src = json_is_string(text) ? text : html;
        size_t n = json_string_length(src);
        char *data = malloc(n + 1);
        if (!data) {
            fail_doc(s, id, "out of memory", it->bytes);
        } else {
            memcpy(data, json_string_value(src), n);
            data[n] = '\0';
            if (src == html && to_text(NULL, 1, &data, &n, msg, sizeof msg) != CLI_OK) {
                free(data);
                fail_doc(s, id, msg, it->bytes);
                json_decref(o);
                return;
            }
            if (n == 0) {
                free(data);
                fail_doc(s, id, "empty text", it->bytes);
            } else
                judge(s, id, data, n, it->bytes);
        }
    } else if (text || html)
        fail_doc(s, id, "\"text\" or \"html\" is not a string", it->bytes);
    else
        fail_doc(s, id, "no \"text\" or \"html\" member", it->bytes);
    json_decref(o);
}

static void do_item(scan_state *s, item *it)
{
    char msg[600];
    switch (it->kind) {
    case ITEM_ERROR:
        fail_doc(s, it->id, it->data, it->bytes);
        break;
    case ITEM_LINE:
        do_line(s, it);
        break;
    case ITEM_FILE:
    case ITEM_DOC: {
        char *data = it->data;
        size_t n = it->len;
        it->data = NULL;
        int rc = CLI_OK;
        if (it->kind == ITEM_FILE)
            rc = read_file(it->id, &data, &n, msg, sizeof msg);
        if (rc == CLI_OK)
            it->bytes = n;
        if (rc == CLI_OK)
            rc = to_text(it->kind == ITEM_FILE ? it->id : NULL, 0, &data, &n, msg, sizeof msg);
        if (rc != CLI_OK) {
            free(data);
            fail_doc(s, it->id, msg, it->bytes);
        } else
            judge(s, it->id, data, n, it->bytes);
        break;
    }
    }
}

static void *worker(void *arg)
{
    scan_state *s = arg;
    item *it;
    while ((it = queue_pop(s)) != NULL) {
        do_item(s, it);
        item_free(it);
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The producer                                                        */
/* ------------------------------------------------------------------ */

static void stream_lines(scan_state *s, FILE *f, const char *name, line_reader *r,
                         size_t first_line)
{
    size_t len, raw, lineno = first_line;
    int too_long;
    char id[PATH_MAX + 32];
    while (read_line(r, &len, &too_long, &raw)) {
        lineno++;
        snprintf(id, sizeof id, "%s:%zu", name, lineno);
        if (too_long) {
            char msg[80];
            snprintf(msg, sizeof msg, "line longer than %zu bytes", CLI_MAX_INPUT);
            push_error(s, id, msg);
            continue;
        }
        char *copy = malloc(len + 1);
        if (!copy) {
            push_error(s, id, "out of memory");
            continue;
        }
        memcpy(copy, r->buf, len + 1);
        push_new(s, ITEM_LINE, id, copy, len, raw);
    }
    if (ferror(f)) {
        snprintf(id, sizeof id, "%s:%zu", name, lineno + 1);
        push_error(s, id, strerror(errno));
    }
}

static void scan_jsonl_file(scan_state *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        push_error(s, path, strerror(errno));
        return;
    }
    line_reader r = {.f = f};
    stream_lines(s, f, path, &r, 0);
    free(r.buf);
    fclose(f);
}

/* Standard input: JSON Lines when the first line starts with '{' (after
 * spaces), else one document. */
static void scan_stdin(scan_state *s)
{
    line_reader r = {.f = stdin};
    size_t len, raw;
    int too_long;
    if (!read_line(&r, &len, &too_long, &raw)) {
        push_error(s, "<stdin>", ferror(stdin) ? strerror(errno) : "empty input");
        free(r.buf);
        return;
    }
    size_t i = 0;
    while (i < len && (r.buf[i] == ' ' || r.buf[i] == '\t'))
        i++;
    if (!too_long && i < len && r.buf[i] == '{') {
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, r.buf, len + 1);
            push_new(s, ITEM_LINE, "<stdin>:1", copy, len, raw);
        } else
            push_error(s, "<stdin>:1", "out of memory");
        stream_lines(s, stdin, "<stdin>", &r, 1);
        free(r.buf);
        return;
    }
    if (too_long) {
        free(r.buf);
        push_error(s, "<stdin>", "larger than the input limit");
        return;
    }
    /* One document: the first line as read, what is buffered, the rest. */
    size_t n = r.rawlen, buffered = r.iend - r.ipos, cap = n + buffered + 65536 + 1;
    char *doc = malloc(cap);
    if (!doc) {
        free(r.buf);
        push_error(s, "<stdin>", "out of memory");
        return;
    }
    memcpy(doc, r.buf, n);
    memcpy(doc + n, r.in + r.ipos, buffered);
    n += buffered;
    free(r.buf);
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *p = realloc(doc, cap * 2);
            if (!p) {
                free(doc);
                push_error(s, "<stdin>", "out of memory");
                return;
            }
            doc = p;
            cap *= 2;
        }
        size_t got = fread(doc + n, 1, cap - n - 1, stdin);
        n += got;
        if (n > CLI_MAX_INPUT) {
            free(doc);
            push_error(s, "<stdin>", "larger than the input limit");
            return;
        }
        if (got == 0)
            break;
    }
    doc[n] = '\0';
    push_new(s, ITEM_DOC, "<stdin>", doc, n, n);
}

static int skip_name(const char *name)
{
    return name[0] == '.';
}

static void scan_path(scan_state *s, const char *path, int top)
{
    struct stat st;
    if ((top ? stat(path, &st) : lstat(path, &st)) != 0) {
        push_error(s, path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **ents;
        int n = scandir(path, &ents, NULL, alphasort);
        if (n < 0) {
            push_error(s, path, strerror(errno));
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!skip_name(ents[i]->d_name)) {
                size_t need = strlen(path) + strlen(ents[i]->d_name) + 2;
                char *child = malloc(need);
                if (child) {
                    int slash = path[0] && path[strlen(path) - 1] == '/';
                    snprintf(child, need, "%s%s%s", path, slash ? "" : "/", ents[i]->d_name);
                    scan_path(s, child, 0);
                    free(child);
                }
            }
            free(ents[i]);
        }
        free(ents);
        return;
    }
    if (!top && !S_ISREG(st.st_mode))
        return; /* symbolic links, sockets, devices found inside directories */
    if (is_jsonl_name(path))
        scan_jsonl_file(s, path);
    else
        push_new(s, ITEM_FILE, path, NULL, 0, (size_t)st.st_size);
}

/* Total bytes of the inputs, for the progress bar; 0 when unknown. */
static double total_size(const char *path, int top)
{
    struct stat st;
    if ((top ? stat(path, &st) : lstat(path, &st)) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return (double)st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0;
    double sum = 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (skip_name(e->d_name))
            continue;
        size_t need = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(need);
        if (!child)
            break;
        snprintf(child, need, "%s/%s", path, e->d_name);
        sum += total_size(child, 0);
        free(child);
    }
    closedir(d);
    return sum;
}

int scan_default_jobs(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 1024 ? 1024 : n) : 1;
}

int scan_parse_jobs(const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > 1024)
        return -1;
    return (int)n;
}

int scan_run(const scan_config *cfg, char *const *paths, int npaths)
{
    scan_state s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    s.max_items = (size_t)cfg->jobs * QUEUE_ITEMS_PER_JOB;
    pthread_mutex_init(&s.qlock, NULL);
    pthread_mutex_init(&s.olock, NULL);
    pthread_cond_init(&s.not_empty, NULL);
    pthread_cond_init(&s.not_full, NULL);
    clock_gettime(CLOCK_MONOTONIC, &s.start);
    if (cfg->progress) {
        int stdin_used = 0;
        for (int i = 0; i < npaths; i++)
            stdin_used |= !strcmp(paths[i], "-");
        for (int i = 0; i < npaths && !stdin_used; i++)
            s.total_bytes += total_size(paths[i], 1);
    }
    pthread_t *th = calloc((size_t)cfg->jobs, sizeof *th);
    if (!th)
        return cli_error("out of memory");
    int started = 0;
    for (int i = 0; i < cfg->jobs; i++) {
        if (pthread_create(&th[i], NULL, worker, &s) != 0)
            break;
        started++;
    }
    if (started == 0) {
        free(th);
        return cli_error("scan: could not start a thread");
    }
    for (int i = 0; i < npaths; i++) {
        if (!strcmp(paths[i], "-"))
            scan_stdin(&s);
        else
            scan_path(&s, paths[i], 1);
    }
    pthread_mutex_lock(&s.qlock);
    s.closed = 1;
    pthread_cond_broadcast(&s.not_empty);
    pthread_mutex_unlock(&s.qlock);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (cfg->progress) {
        fputs("\r\033[K", stderr);
        show_progress(&s, 1);
    }
    pthread_mutex_destroy(&s.qlock);
    pthread_mutex_destroy(&s.olock);
    pthread_cond_destroy(&s.not_empty);
    pthread_cond_destroy(&s.not_full);
    return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* unspin scan                                                         */
/* ------------------------------------------------------------------ */

static const char SCAN_USAGE[] =
    "usage: unspin scan [--model PATH] [--jobs N] [--min-score X] [--threshold X]\n"
    "                   [--spans N] [--format jsonl|tsv] [--progress|--no-progress] PATH...\n"
    "\n"
    "Judges many documents on all cores and prints one record per document as\n"
    "it finishes (not in input order).  PATH is a file, a directory (read\n"
    "recursively; names starting with '.' are skipped), a JSON Lines file\n"
    "(.jsonl, .ndjson: one {\"id\", \"text\"} or {\"url\", \"html\"} object per\n"
    "line), or - for standard input (JSON Lines when its first line starts\n"
    "with '{', else one document).  Files ending .html/.htm or starting like an\n"
    "HTML page are HTML: the text outside scripts, styles and navigation is\n"
    "judged.  Files starting \"%PDF-\" are PDF, whatever their name: the text of\n"
    "every page is judged (poppler).  A document that cannot be judged\n"
    "(unreadable, not UTF-8, empty, bad JSON, a damaged or encrypted PDF or one\n"
    "with no text) gives an error record and the scan goes on.\n"
    "\n"
    "jsonl records: {\"id\", \"verdict\", \"score\", \"spin_rate\", \"words\",\n"
    "\"span_count\", \"evasion_count\", \"spans\": [the N most confident spans, in text order:\n"
    "{\"start\", \"end\", \"start16\", \"end16\", \"text\", \"original\", \"confidence\"}]}\n"
    "or {\"id\", \"error\"}.  tsv columns: id, verdict (spun, natural or error),\n"
    "score, spin_rate, words, span_count, then the spans as \"text -> original\"\n"
    "joined by \" | \" (or the error message).  The id is the line's \"id\" or\n"
    "\"url\", else FILE:LINE, or the path.  Offsets are into the judged text\n"
    "(for HTML and PDF, the extracted text).  Without --min-score, each input\n"
    "line of JSON Lines gives exactly one output line (the streaming contract;\n"
    "see docs/SCALING.md).  --min-score X leaves out records scoring below X\n"
    "(errors are always printed).  --jobs defaults to the number of\n"
    "processors; --spans to 5 (0: all).  A progress line goes to standard error\n"
    "when it is a terminal.  Exit status: 0 the scan ran (whatever the verdicts\n"
    "and error records), 2 usage error, no model, or a write error.\n";

enum scan_format { SCAN_JSONL, SCAN_TSV };

typedef struct scan_opts {
    enum scan_format fmt;
    double min_score;
    size_t max_spans;
} scan_opts;

static int by_confidence(const void *a, const void *b)
{
    const unspin_span *x = *(const unspin_span *const *)a, *y = *(const unspin_span *const *)b;
    if (x->confidence != y->confidence)
        return x->confidence > y->confidence ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int by_start(const void *a, const void *b)
{
    const unspin_span *x = *(const unspin_span *const *)a, *y = *(const unspin_span *const *)b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The spans to print: the most confident max (0: all), in text order.
 * Returns a malloc'd array (or NULL when there are none) and the count. */
static const unspin_span **top_spans(const unspin_result *r, size_t max, size_t *out_n)
{
    size_t n = unspin_result_span_count(r);
    const unspin_span *sp = unspin_result_spans(r);
    *out_n = 0;
    if (n == 0)
        return NULL;
    const unspin_span **v = malloc(n * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++)
        v[i] = &sp[i];
    if (max && n > max) {
        qsort(v, n, sizeof *v, by_confidence);
        n = max;
        qsort(v, n, sizeof *v, by_start);
    }
    *out_n = n;
    return v;
}

static void tsv_field(FILE *f, const char *s)
{
    cli_put_escaped(f, s, strlen(s));
}

static char *format_tsv(const scan_doc *d, const scan_opts *o)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    tsv_field(f, d->id);
    if (d->error) {
        fputs("\terror\t\t\t\t\t", f);
        tsv_field(f, d->error);
    } else {
        const unspin_result *r = d->result;
        fprintf(f, "\t%s\t%.4f\t%.4f\t%zu\t%zu\t", unspin_result_is_spun(r) ? "spun" : "natural",
                unspin_result_score(r), unspin_result_spin_rate(r), unspin_result_words(r),
                unspin_result_span_count(r));
        size_t n;
        const unspin_span **v = top_spans(r, o->max_spans, &n);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputs(" | ", f);
            tsv_field(f, v[i]->text);
            fputs(" -> ", f);
            tsv_field(f, v[i]->original);
        }
        free(v);
    }
    fputc('\n', f);
    fclose(f);
    return buf;
}

/* A JSON string of s, its invalid UTF-8 bytes (file names) made '?'. */
static json_t *utf8_string(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    char *copy = strdup(s);
    if (!copy)
        return json_null();
    size_t n = strlen(copy), pos = 0, bad;
    while (pos < n && unspin_utf8_check(copy + pos, n - pos, &bad) != UNSPIN_OK) {
        copy[pos + bad] = '?';
        pos += bad + 1;
    }
    v = json_string(copy);
    free(copy);
    return v ? v : json_null();
}

static char *format_jsonl(const scan_doc *d, const scan_opts *o)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    json_object_set_new(obj, "id", utf8_string(d->id));
    if (d->error) {
        json_object_set_new(obj, "error", utf8_string(d->error));
    } else {
        const unspin_result *r = d->result;
        json_object_set_new(obj, "verdict", json_string(unspin_result_is_spun(r) ? "spun"
                                                                               : "natural"));
        json_object_set_new(obj, "score", json_real(unspin_result_score(r)));
        json_object_set_new(obj, "spin_rate", json_real(unspin_result_spin_rate(r)));
        json_object_set_new(obj, "words", json_integer((json_int_t)unspin_result_words(r)));
        json_object_set_new(obj, "span_count",
                            json_integer((json_int_t)unspin_result_span_count(r)));
        json_object_set_new(obj, "evasion_count",
                            json_integer((json_int_t)unspin_result_evasion_count(r)));
        json_t *arr = json_array();
        size_t n;
        const unspin_span **v = top_spans(r, o->max_spans, &n);
        for (size_t i = 0; i < n; i++) {
            json_t *sp = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:f}", "start",
                                   (json_int_t)v[i]->start, "end", (json_int_t)v[i]->end,
                                   "start16", (json_int_t)v[i]->start16, "end16",
                                   (json_int_t)v[i]->end16, "text", v[i]->text, "original",
                                   v[i]->original, "confidence", v[i]->confidence);
            if (sp)
                json_array_append_new(arr, sp);
        }
        free(v);
        json_object_set_new(obj, "spans", arr);
    }
    char *s = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(4));
    json_decref(obj);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *line = realloc(s, n + 2);
    if (!line) {
        free(s);
        return NULL;
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    return line;
}

static char *scan_format(const scan_doc *d, void *ctx)
{
    const scan_opts *o = ctx;
    if (!d->error && d->result && unspin_result_score(d->result) < o->min_score)
        return NULL;
    char *s = o->fmt == SCAN_TSV ? format_tsv(d, o) : format_jsonl(d, o);
    if (!s) /* out of memory: still one line for the document */
        s = strdup(o->fmt == SCAN_TSV ? "?\terror\t\t\t\t\tout of memory\n"
                                      : "{\"id\":null,\"error\":\"out of memory\"}\n");
    return s;
}

static void scan_emit(const scan_doc *d, char *formatted, void *ctx)
{
    (void)d;
    (void)ctx;
    if (formatted) {
        fputs(formatted, stdout);
        fflush(stdout);
        free(formatted);
    }
}

int cmd_scan(int argc, char **argv)
{
    const char *model_path = NULL;
    scan_opts so = {.fmt = SCAN_JSONL, .min_score = -1, .max_spans = 5};
    scan_config cfg;
    memset(&cfg, 0, sizeof cfg);
    unspin_detect_options_default(&cfg.opts);
    cfg.jobs = scan_default_jobs();
    cfg.progress = isatty(STDERR_FILENO);
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0;
    if (!paths)
        return cli_error("out of memory");
    int rc = CLI_OK;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            free(paths);
            return fputs(SCAN_USAGE, stdout), CLI_OK;
        } else if (!strcmp(a, "--model") || !strcmp(a, "--format") || !strcmp(a, "--jobs") ||
                   !strcmp(a, "--min-score") || !strcmp(a, "--threshold") ||
                   !strcmp(a, "--spans")) {
            if (i + 1 >= argc) {
                rc = cli_error("scan: %s needs a value", a);
                break;
            }
            const char *v = argv[++i];
            char *end;
            if (!strcmp(a, "--model"))
                model_path = v;
            else if (!strcmp(a, "--format")) {
                if (!strcmp(v, "jsonl"))
                    so.fmt = SCAN_JSONL;
                else if (!strcmp(v, "tsv"))
                    so.fmt = SCAN_TSV;
                else
                    rc = cli_error("scan: unknown format '%s' (jsonl, tsv)", v);
            } else if (!strcmp(a, "--jobs")) {
                cfg.jobs = scan_parse_jobs(v);
                if (cfg.jobs < 0)
                    rc = cli_error("scan: --jobs wants a number from 1 to 1024, not '%s'", v);
            } else if (!strcmp(a, "--spans")) {
                errno = 0;
                long n = strtol(v, &end, 10);
                if (errno || end == v || *end || n < 0)
                    rc = cli_error("scan: --spans wants a count, not '%s'", v);
                so.max_spans = (size_t)n;
            } else {
                errno = 0;
                double x = strtod(v, &end);
                if (errno || end == v || *end || !(x >= 0 && x <= 1))
                    rc = cli_error("scan: %s wants a number in [0, 1], not '%s'", a, v);
                else if (!strcmp(a, "--min-score"))
                    so.min_score = x;
                else
                    cfg.opts.threshold = x;
            }
        } else if (!strcmp(a, "--progress"))
            cfg.progress = 1;
        else if (!strcmp(a, "--no-progress"))
            cfg.progress = 0;
        else if (a[0] == '-' && a[1] != '\0')
            rc = cli_error("scan: unknown option '%s'", a);
        else
            paths[npaths++] = argv[i];
    }
    if (rc == CLI_OK && npaths == 0)
        rc = cli_error("scan: needs a PATH (- for standard input; see unspin scan --help)");
    int stdin_count = 0;
    for (int i = 0; i < npaths; i++)
        stdin_count += !strcmp(paths[i], "-");
    if (rc == CLI_OK && stdin_count > 1)
        rc = cli_error("scan: - (standard input) can be given once");
    if (rc != CLI_OK) {
        free(paths);
        return rc;
    }
    char buf[PATH_MAX + 32];
    const char *path = cli_find_model(model_path, buf, sizeof buf);
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(path, &m, &err) != UNSPIN_OK) {
        free(paths);
        return cli_error("%s", err.message);
    }
    cfg.model = m;
    cfg.format = scan_format;
    cfg.emit = scan_emit;
    cfg.ctx = &so;
    rc = scan_run(&cfg, paths, npaths);
    unspin_model_free(m);
    free(paths);
    return rc;
}
