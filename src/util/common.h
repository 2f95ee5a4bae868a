/* Internal helpers shared by the library's stages. Not part of the API. */
#ifndef UNSPIN_COMMON_H
#define UNSPIN_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../unspin.h"

#if defined(__GNUC__)
#define US_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define US_PRINTF(a, b)
#endif

/* Fill *err (when non-NULL) with code and a formatted message; returns code. */
int us_fail(unspin_error *err, int code, const char *fmt, ...) US_PRINTF(3, 4);

/* Clear *err to UNSPIN_OK with an empty message. */
void us_error_clear(unspin_error *err);

/* Grow *buf (holding *cap elements of size elem) to at least need elements.
 * Doubles the capacity; returns 0 on success, -1 on overflow or ENOMEM. */
int us_grow(void **buf, size_t *cap, size_t need, size_t elem);

/* qsort comparison of two uint64_t, ascending. */
int us_cmp_u64(const void *a, const void *b);

/* strdup/strndup that cope with NUL bytes and return NULL on ENOMEM. */
char *us_strndup(const char *s, size_t n);

/* Read a whole file into a malloc'd buffer (NUL-terminated, length in *len).
 * max_bytes bounds the size (UNSPIN_ETOOBIG past it). */
int us_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
                 unspin_error *err);

#define US_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
