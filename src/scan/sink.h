/* The growing text buffer the extractors (HTML, PDF) write into.  Internal.
 *
 * Text is appended with line breaks and spaces owed rather than written at
 * once, so that no text starts or ends with white space and a run of
 * breaks collapses into the largest one. */
#ifndef UNSPIN_SCAN_SINK_H
#define UNSPIN_SCAN_SINK_H

#include <stddef.h>

#include "../util/common.h"

typedef struct us_sink {
    char *buf;
    size_t len, cap;
    int pending_break; /* 0 none, 1 line break, 2 blank line */
    int space;         /* a space is owed before the next word */
    int failed;        /* out of memory: later writes do nothing */
} us_sink;

/* Appends p[0..n) as is; -1 (and s->failed) when out of memory. */
int us_sink_put(us_sink *s, const char *p, size_t n);

/* Appends p[0..n) with each byte that does not start a valid UTF-8
 * sequence replaced by U+FFFD. */
void us_sink_put_valid(us_sink *s, const char *p, size_t n);

/* Owes a line break (kind 1) or a blank line (kind 2) before the next
 * text; nothing at the start of the text. */
void us_sink_break(us_sink *s, int kind);

/* Writes the break or space owed, before visible text. */
void us_sink_flush(us_sink *s);

/* Hands the text over: *text (malloc'd, NUL-terminated, ending with one
 * line break unless empty) and its length.  On failure frees the buffer
 * and returns UNSPIN_ENOMEM with "out of memory extracting WHAT text". */
int us_sink_finish(us_sink *s, const char *what, char **text, size_t *text_len,
                   unspin_error *err);

#endif
