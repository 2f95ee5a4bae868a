/*
 * fuzz_model: mutated model files through unspin_model_open, then
 * unspin_model_verify, the counts, the metadata, a few
 * unspin_model_logprob queries and one unspin_detect.
 *
 * The input is written to a memfd and opened as /proc/self/fd/N.  A model
 * the loader accepts must be safe to query even when a section's checksum
 * is wrong (unspin_model_open checks bounds; unspin_model_verify checks
 * checksums), so the queries run whatever verify says.
 *
 * The container guards its header and section table with checksums, which
 * random mutations rarely get right.  So that the fuzzer reaches the
 * section readers, inputs of even size are "fixed up" first: file size,
 * section checksums, table checksum and header checksum recomputed (the
 * layout below mirrors src/model/file.c).  Odd-sized inputs are opened
 * as they are, for the header checks.  Bit 3 of the size selects the
 * read() path (UNSPIN_NO_MMAP=1) instead of mmap.
 *
 * Seeds: a tiny model built from tests/data/tiny.arpa (make fuzz writes it
 * to build/fuzz/seeds/model/; it is not committed, as the format changes).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xxhash.h>

#include "fuzz.h"
#include "unspin.h"

#define HEADER_SIZE 128
#define ENTRY_SIZE 48
#define OFF_NSECTIONS 44
#define OFF_TABLE_OFFSET 48
#define OFF_FILE_SIZE 56
#define OFF_TABLE_CHECKSUM 64
#define OFF_HEADER_CHECKSUM 120
#define ENTRY_OFFSET 24
#define ENTRY_SIZE_FIELD 32
#define ENTRY_CHECKSUM 40

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_up(unsigned char *b, size_t size)
{
    if (size < HEADER_SIZE)
        return;
    put64(b + OFF_FILE_SIZE, size);
    uint32_t nsec;
    memcpy(&nsec, b + OFF_NSECTIONS, 4);
    uint64_t table = get64(b + OFF_TABLE_OFFSET);
    if (nsec <= 256 && table <= size && (size - table) / ENTRY_SIZE >= nsec) {
        for (uint32_t i = 0; i < nsec; i++) {
            unsigned char *e = b + table + (size_t)i * ENTRY_SIZE;
            uint64_t off = get64(e + ENTRY_OFFSET), len = get64(e + ENTRY_SIZE_FIELD);
            if (off <= size && len <= size - off)
                put64(e + ENTRY_CHECKSUM, XXH64(b + off, (size_t)len, 0));
        }
        put64(b + OFF_TABLE_CHECKSUM, XXH64(b + table, (size_t)nsec * ENTRY_SIZE, 0));
    }
    put64(b + OFF_HEADER_CHECKSUM, XXH64(b, OFF_HEADER_CHECKSUM, 0));
}

static void query(const unspin_model *m)
{
    unspin_error err;
    (void)unspin_model_verify(m, &err);
    unspin_model_counts c;
    unspin_model_get_counts(m, &c);
    const char *meta = unspin_model_metadata(m);
    FUZZ_CHECK(meta != NULL);
    (void)strlen(meta);
    static const char *const words[] = {"the", "cold", "war", "chilly", "struggle",
                                        "ended", "zebra", "2021", "<s>", "", "yr"};
    size_t nw = sizeof words / sizeof *words;
    for (size_t i = 0; i < nw; i++) {
        /* Values are not checked: a model whose checksums hold may still
         * carry NaN log-probabilities (tests/fuzz/regress/model/nan-logprob.unspin);
         * the loader checks bounds, not numbers. */
        (void)unspin_model_logprob(m, words[(i + 2) % nw], words[(i + 1) % nw], words[i]);
        (void)unspin_model_logprob(m, NULL, NULL, words[i]);
    }
    static const char text[] = "The chilly struggle ended final yr. The cold war ended.";
    unspin_result *r = NULL;
    if (unspin_detect(m, NULL, text, sizeof text - 1, &r, &err) == UNSPIN_OK) {
        size_t n = unspin_result_span_count(r);
        const unspin_span *s = unspin_result_spans(r);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(s[i].start < s[i].end && s[i].end <= sizeof text - 1);
        char *json = unspin_result_json(r, "fuzz", &err);
        free(json);
        unspin_result_free(r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-model", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char *b = malloc(size ? size : 1);
    if (!b) {
        close(fd);
        return 0;
    }
    if (size)
        memcpy(b, data, size);
    if (size % 2 == 0)
        fix_up(b, size);
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, b + done, size - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    free(b);
    if (done == size) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if ((size >> 3) & 1)
            setenv("UNSPIN_NO_MMAP", "1", 1);
        else
            unsetenv("UNSPIN_NO_MMAP");
        unspin_model *m = NULL;
        unspin_error err;
        int rc = unspin_model_open(path, &m, &err);
        if (rc == UNSPIN_OK) {
            query(m);
            unspin_model_free(m);
        } else {
            FUZZ_CHECK(m == NULL && err.code == rc && err.message[0]);
        }
    }
    close(fd);
    return 0;
}
