/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c) and their replay runner.
 *
 * Each target defines LLVMFuzzerInitialize and LLVMFuzzerTestOneInput.
 * Built with clang -fsanitize=fuzzer it is a libFuzzer binary (make fuzz);
 * linked with tests/fuzz/replay.c instead it replays files (make unit).
 */
#ifndef UNSPIN_FUZZ_H
#define UNSPIN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the library promises: abort (a finding) when it fails. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* UTF-16 code units of s[0..n) read the way the library promises: a valid
 * UTF-8 sequence is one code point (two units above U+FFFF), each invalid
 * byte one U+FFFD.  When starts is non-NULL, starts[i] is set to 1 for each
 * i that begins a code point or an invalid byte (a place a token may
 * start), and starts[n] to 1. */
static inline size_t fuzz_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return k;
}

static inline size_t fuzz_utf16(const unsigned char *s, size_t n, unsigned char *starts,
                                size_t *first_bad)
{
    size_t units = 0;
    if (first_bad)
        *first_bad = (size_t)-1;
    for (size_t i = 0; i < n;) {
        size_t k = fuzz_seq_len(s + i, n - i);
        if (starts)
            starts[i] = 1;
        if (k == 0) {
            if (first_bad && *first_bad == (size_t)-1)
                *first_bad = i;
            units++;
            i++;
        } else {
            units += k == 4 ? 2 : 1;
            i += k;
        }
    }
    if (starts)
        starts[n] = 1;
    return units;
}

#endif
