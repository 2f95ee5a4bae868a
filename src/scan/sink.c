/* The text buffer shared by the HTML and PDF extractors (sink.h). */
#include <stdlib.h>
#include <string.h>

#include "../text/utf8.h"
#include "sink.h"

int us_sink_put(us_sink *s, const char *p, size_t n)
{
    if (s->failed)
        return -1;
    if (s->len + n + 1 > s->cap) {
        void *b = s->buf;
        if (us_grow(&b, &s->cap, s->len + n + 1, 1) != 0) {
            s->failed = 1;
            return -1;
        }
        s->buf = b;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return 0;
}

/* Replacing rather than failing keeps the text usable whatever libxml2 or
 * poppler let through (fuzz finding
 * tests/fuzz/regress/html/invalid-utf8-output.html). */
void us_sink_put_valid(us_sink *s, const char *p, size_t n)
{
    size_t i = 0, run = 0; /* p[run..i) is valid and not yet written */
    while (i < n) {
        size_t k = us_utf8_seq_len((const unsigned char *)p + i, n - i);
        if (k > 0) {
            i += k;
            continue;
        }
        us_sink_put(s, p + run, i - run);
        us_sink_put(s, "\xEF\xBF\xBD", 3);
        run = ++i;
    }
    us_sink_put(s, p + run, n - run);
}

void us_sink_break(us_sink *s, int kind)
{
    if (s->len > 0 && kind > s->pending_break)
        s->pending_break = kind;
    s->space = 0;
}

void us_sink_flush(us_sink *s)
{
    if (s->pending_break) {
        us_sink_put(s, "\n\n", (size_t)s->pending_break);
        s->pending_break = 0;
        s->space = 0;
    } else if (s->space && s->len > 0) {
        us_sink_put(s, " ", 1);
    }
    s->space = 0;
}

int us_sink_finish(us_sink *s, const char *what, char **text, size_t *text_len,
                   unspin_error *err)
{
    /* The text ends with one line break when it has any. */
    if (s->failed || us_sink_put(s, "", 0) != 0 || (s->len > 0 && us_sink_put(s, "\n", 1) != 0)) {
        free(s->buf);
        s->buf = NULL;
        return us_fail(err, UNSPIN_ENOMEM, "out of memory extracting %s text", what);
    }
    *text = s->buf;
    if (text_len)
        *text_len = s->len;
    s->buf = NULL;
    return UNSPIN_OK;
}
