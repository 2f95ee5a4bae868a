/* Text extraction from HTML: the visible prose of a page, for scanning.
 *
 * libxml2's HTML parser (recovering from broken markup, no network) builds
 * a tree; the walk keeps text nodes outside scripts, styles, navigation,
 * headers, footers, asides and forms, turns block elements into line breaks
 * (a blank line between blocks, one line break for <br>), collapses runs of
 * white space outside <pre>, and turns no-break spaces into spaces. */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../util/common.h"

typedef struct {
    char *buf;
    size_t len, cap;
    int pending_break; /* 0 none, 1 line break, 2 blank line */
    int space;         /* a space is owed before the next word */
    int failed;
} sink;

static int put(sink *s, const char *p, size_t n)
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

static void block_break(sink *s, int kind)
{
    if (s->len > 0 && kind > s->pending_break)
        s->pending_break = kind;
    s->space = 0;
}

/* Emits what is owed before visible text. */
static void flush_owed(sink *s)
{
    if (s->pending_break) {
        put(s, "\n\n", (size_t)s->pending_break);
        s->pending_break = 0;
        s->space = 0;
    } else if (s->space && s->len > 0) {
        put(s, " ", 1);
    }
    s->space = 0;
}

/* Appends a text node: white space runs become one space unless pre. */
static void add_text(sink *s, const char *t, int pre)
{
    size_t i = 0, n = strlen(t);
    while (i < n) {
        unsigned char c = (unsigned char)t[i];
        int nbsp = c == 0xC2 && i + 1 < n && (unsigned char)t[i + 1] == 0xA0;
        if (!pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || nbsp)) {
            s->space = 1;
            i += nbsp ? 2 : 1;
            continue;
        }
        if (pre && (c == '\n' || c == '\r')) {
            if (c == '\r' && i + 1 < n && t[i + 1] == '\n')
                i++;
            put(s, "\n", 1);
            s->space = 0;
            i++;
            continue;
        }
        size_t j = i;
        while (j < n) {
            unsigned char d = (unsigned char)t[j];
            if ((!pre && (d == ' ' || d == '\t' || d == '\f')) || d == '\n' || d == '\r' ||
                (d == 0xC2 && j + 1 < n && (unsigned char)t[j + 1] == 0xA0))
                break;
            j++;
        }
        if (j == i) { /* a no-break space or tab inside pre */
            flush_owed(s);
            put(s, " ", 1);
            i += (c == 0xC2) ? 2 : 1;
            continue;
        }
        flush_owed(s);
        put(s, t + i, j - i);
        i = j;
    }
}

static int name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcasecmp(name, *list))
            return 1;
    return 0;
}

static const char *const SKIPPED[] = {
    "script", "style", "noscript", "nav", "header", "footer", "aside", "head", "template",
    "svg", "math", "form", "button", "select", "textarea", "iframe", "object", "embed",
    "canvas", "audio", "video", "map", "menu", NULL};

static const char *const BLOCKS[] = {
    "p", "div", "section", "article", "main", "body", "html", "h1", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
    "td", "th", "caption", "blockquote", "pre", "figure", "figcaption", "address", "hr",
    "fieldset", "details", "summary", "center", NULL};

static void walk(sink *s, xmlNode *n, int pre, int depth)
{
    for (; n && !s->failed; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                add_text(s, (const char *)n->content, pre);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || !n->name)
            continue;
        const char *name = (const char *)n->name;
        if (name_in(name, SKIPPED))
            continue;
        if (!strcasecmp(name, "br")) {
            block_break(s, 1);
            continue;
        }
        int block = name_in(name, BLOCKS);
        /* Table cells and list items are lines; other blocks paragraphs. */
        int kind = (!strcasecmp(name, "td") || !strcasecmp(name, "th") ||
                    !strcasecmp(name, "li") || !strcasecmp(name, "dt") ||
                    !strcasecmp(name, "dd")) ? 1 : 2;
        if (block)
            block_break(s, kind);
        /* Deep trees: stop descending rather than overflow the stack. */
        if (depth < 512)
            walk(s, n->children, pre || !strcasecmp(name, "pre"), depth + 1);
        if (block)
            block_break(s, kind);
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

UNSPIN_API int unspin_extract_html(const char *html, size_t len, char **text, size_t *text_len,
                                   unspin_error *err)
{
    us_error_clear(err);
    if (!text || (!html && len))
        return us_fail(err, UNSPIN_EINVAL, "unspin_extract_html: NULL argument");
    *text = NULL;
    if (text_len)
        *text_len = 0;
    if (len > UNSPIN_TEXT_MAX_BYTES || len > (size_t)INT_MAX)
        return us_fail(err, UNSPIN_ETOOBIG, "HTML larger than %zu bytes",
                       (size_t)UNSPIN_TEXT_MAX_BYTES);
    pthread_once(&init_once, init_libxml);
    sink s = {0};
    if (len > 0) {
        htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, NULL,
                                        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                            HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
        if (!doc)
            return us_fail(err, UNSPIN_EINVAL, "HTML could not be parsed");
        walk(&s, xmlDocGetRootElement(doc), 0, 0);
        xmlFreeDoc(doc);
    }
    if (s.failed || put(&s, "", 0) != 0) {
        free(s.buf);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory extracting HTML text");
    }
    /* The text ends with one line break when it has any. */
    if (s.len > 0 && put(&s, "\n", 1) != 0) {
        free(s.buf);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory extracting HTML text");
    }
    *text = s.buf;
    if (text_len)
        *text_len = s.len;
    return UNSPIN_OK;
}
