/* Text extraction from PDF: the text of every page, for scanning.
 *
 * poppler's glib library reads the document from memory (no files, no
 * network) and gives each page's text in reading order, one line of the
 * page per line, with a box for each character.  A PDF has no paragraphs,
 * only lines placed on a page, and the sentence splitter ends a sentence
 * at every line break, so the lines are joined back: a line continues the
 * one above it unless the gap between them is clearly wider than the
 * page's usual line spacing, the text size changes (a heading) or the text
 * moves up (a new column); those start a paragraph (a blank line), and so
 * does each page.  A line ending in a hyphen after a letter and followed
 * by a lower-case letter is joined without a space (the hyphen kept: with
 * no dictionary at hand "well-known" cannot be told from "spin-ning"); a
 * soft hyphen there is dropped.  Ligature characters (U+FB00-FB06) become
 * their letters, control characters spaces, and invalid UTF-8 U+FFFD. */
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "../text/utf8.h"
#include "../util/common.h"
#include "sink.h"

/* One line of a page's text and the box around its characters. */
typedef struct line {
    const char *p;
    size_t n;
    double top, bottom, left, right;
    int boxed; /* the box is known */
} line;

/* Splits a page's text at line breaks, with boxes from the layout when it
 * has one rectangle per character (as poppler documents; if not, the
 * lines are simply joined).  Returns the count, or -1 when out of memory. */
static long split_lines(const char *text, const PopplerRectangle *rects, guint nrects,
                        line **out)
{
    size_t n = 1;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    line *ls = calloc(n, sizeof *ls);
    if (!ls)
        return -1;
    /* Invalid UTF-8 (not expected from poppler) is stepped over byte by
     * byte, without boxes: g_utf8_next_char could step past the end. */
    const char *end = text + strlen(text);
    int geometry = rects && g_utf8_validate(text, -1, NULL) &&
                   (glong)nrects == g_utf8_strlen(text, -1);
    size_t k = 0, ci = 0, step;
    const char *p = text;
    ls[0].p = p;
    for (;; p += step, ci++) {
        step = *p ? us_utf8_seq_len((const unsigned char *)p, (size_t)(end - p)) : 1;
        if (step == 0)
            step = 1;
        line *l = &ls[k];
        if (*p == '\n' || *p == '\0') {
            l->n = (size_t)(p - l->p);
            if (*p == '\0')
                break;
            ls[++k].p = p + 1;
            continue;
        }
        if (!geometry || *p == ' ')
            continue;
        const PopplerRectangle *r = &rects[ci];
        if (!l->boxed || r->y1 < l->top)
            l->top = r->y1;
        if (!l->boxed || r->y2 > l->bottom)
            l->bottom = r->y2;
        if (!l->boxed || r->x1 < l->left)
            l->left = r->x1;
        if (!l->boxed || r->x2 > l->right)
            l->right = r->x2;
        l->boxed = 1;
    }
    *out = ls;
    return (long)k + 1;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The page's usual gap between a line and the next one below it (the
 * median), or -1 when fewer than three such gaps say what is usual. */
static double usual_gap(const line *ls, long n)
{
    double *g = malloc((size_t)(n > 0 ? n : 1) * sizeof *g);
    size_t m = 0;
    if (!g)
        return -1;
    for (long i = 0; i + 1 < n; i++)
        if (ls[i].boxed && ls[i + 1].boxed && ls[i + 1].top >= ls[i].top)
            g[m++] = ls[i + 1].top - ls[i].bottom;
    double usual = -1;
    if (m >= 3) {
        qsort(g, m, sizeof *g, by_value);
        usual = g[m / 2];
    }
    free(g);
    return usual;
}

/* Whether line b starts a paragraph after line a (see the file comment). */
static int starts_paragraph(const line *a, const line *b, double usual)
{
    if (!a->boxed || !b->boxed)
        return 0;
    double ha = a->bottom - a->top, hb = b->bottom - b->top;
    double h = ha < hb ? ha : hb;
    if (h <= 0)
        return 0;
    if (fabs(ha - hb) > 0.2 * (ha > hb ? ha : hb))
        return 1; /* a heading, or back to body text */
    if (b->top < a->top - 0.5 * h)
        return 1; /* up the page: the next column */
    /* Without three gaps to go by, a normal gap is at most half a line. */
    double normal = usual >= 0 ? usual : 0.5 * h;
    return b->top - a->bottom > normal + 0.5 * h;
}

/* Ligatures U+FB00-FB06 (UTF-8 EF AC 80-86) as letters. */
static const char *const LIGATURES[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};

/* Writes one line's characters: ligatures spelled out, controls as spaces. */
static void put_line(us_sink *s, const char *p, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        const char *with = NULL;
        size_t skip = 1;
        if (c < 0x20 || c == 0x7F)
            with = " ";
        else if (c == 0xEF && i + 2 < n && (unsigned char)p[i + 1] == 0xAC &&
                 (unsigned char)p[i + 2] <= 0x86 && (unsigned char)p[i + 2] >= 0x80) {
            with = LIGATURES[(unsigned char)p[i + 2] - 0x80];
            skip = 3;
        }
        if (!with)
            continue;
        us_sink_put_valid(s, p + run, i - run);
        us_sink_put(s, with, strlen(with));
        i += skip - 1;
        run = i + 1;
    }
    us_sink_put_valid(s, p + run, n - run);
}

/* How line a (n bytes at p) ends: 2 with a soft hyphen, 1 with a hyphen
 * after a letter, else 0. */
static int hyphen_end(const char *p, size_t n)
{
    if (n >= 3 && !memcmp(p + n - 2, "\xC2\xAD", 2))
        return 2;
    size_t h = 0;
    if (n >= 2 && p[n - 1] == '-')
        h = 1;
    else if (n >= 4 && !memcmp(p + n - 3, "\xE2\x80\x90", 3)) /* U+2010 HYPHEN */
        h = 3;
    if (!h)
        return 0;
    unsigned char before = (unsigned char)p[n - h - 1];
    return (before >= 0x80 || (unsigned)((before | 0x20) - 'a') < 26u) ? 1 : 0;
}

static int starts_lower(const line *b)
{
    return b->n > 0 && b->p[0] >= 'a' && b->p[0] <= 'z';
}

/* Writes a page's lines into the sink, joined as the file comment says. */
static int put_page(us_sink *s, PopplerPage *page)
{
    char *text = poppler_page_get_text(page);
    if (!text)
        return 0;
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (!poppler_page_get_text_layout(page, &rects, &nrects))
        rects = NULL, nrects = 0;
    line *ls = NULL;
    long n = split_lines(text, rects, nrects, &ls);
    if (n < 0) {
        g_free(rects);
        g_free(text);
        return -1;
    }
    double usual = usual_gap(ls, n);
    us_sink_break(s, 2);
    const line *prev = NULL;
    for (long i = 0; i < n; i++) {
        line *l = &ls[i];
        while (l->n > 0 && l->p[0] == ' ')
            l->p++, l->n--;
        while (l->n > 0 && l->p[l->n - 1] == ' ')
            l->n--; /* trailing spaces would hide a line-end hyphen */
        if (l->n == 0)
            continue;
        int hy = prev ? hyphen_end(prev->p, prev->n) : 0;
        if (prev && starts_paragraph(prev, l, usual))
            us_sink_break(s, 2);
        else if (prev)
            s->space = !(hy == 2 || (hy == 1 && starts_lower(l)));
        us_sink_flush(s);
        /* A soft hyphen at a line end only marked where the word broke. */
        put_line(s, l->p, l->n - (hyphen_end(l->p, l->n) == 2 ? 2 : 0));
        prev = l;
    }
    free(ls);
    g_free(rects);
    g_free(text);
    return s->failed ? -1 : 0;
}

/* Reads the document into *doc; UNSPIN_EINVAL with the reason when it
 * needs a password or is not a PDF poppler can read (poppler repairs what
 * it can, e.g. a broken cross-reference table). */
static int open_document(const void *pdf, size_t len, PopplerDocument **doc, unspin_error *err)
{
    GBytes *bytes = g_bytes_new_static(pdf, len);
    GError *gerr = NULL;
    *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes); /* the document holds its own reference */
    if (*doc)
        return UNSPIN_OK;
    int rc;
    if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
        rc = us_fail(err, UNSPIN_EINVAL, "PDF is encrypted (it needs a password)");
    else
        rc = us_fail(err, UNSPIN_EINVAL, "PDF could not be read: %s",
                     gerr && gerr->message ? gerr->message : "damaged or not a PDF");
    g_clear_error(&gerr);
    return rc;
}

UNSPIN_API int unspin_extract_pdf(const void *pdf, size_t len, char **text, size_t *text_len,
                                  unspin_error *err)
{
    us_error_clear(err);
    if (!text || (!pdf && len))
        return us_fail(err, UNSPIN_EINVAL, "unspin_extract_pdf: NULL argument");
    *text = NULL;
    if (text_len)
        *text_len = 0;
    if (len > UNSPIN_TEXT_MAX_BYTES)
        return us_fail(err, UNSPIN_ETOOBIG, "PDF larger than %zu bytes",
                       (size_t)UNSPIN_TEXT_MAX_BYTES);
    /* poppler builds some process-wide state lazily (fonts, colour
     * management) without a lock, so documents are read one at a time;
     * `unspin scan --jobs N` still detects in parallel. */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    PopplerDocument *doc;
    int rc = open_document(pdf, len, &doc, err);
    if (rc != UNSPIN_OK) {
        pthread_mutex_unlock(&lock);
        return rc;
    }
    us_sink s = {0};
    int pages = poppler_document_get_n_pages(doc);
    for (int i = 0; i < pages && !s.failed; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (page) {
            put_page(&s, page);
            g_object_unref(page);
        }
    }
    g_object_unref(doc);
    pthread_mutex_unlock(&lock);
    return us_sink_finish(&s, "PDF", text, text_len, err);
}
