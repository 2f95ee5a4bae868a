/* Text extraction from HTML: the visible prose of a page, for scanning.
 *
 * libxml2's HTML parser (recovering from broken markup, no network) builds
 * a tree; the walk keeps text nodes outside scripts, styles, navigation,
 * headers, footers, asides and forms, turns block elements into line breaks
 * (a blank line between blocks, one line break for <br>), collapses runs of
 * white space outside <pre>, and turns no-break spaces into spaces.
 *
 * The text is always valid UTF-8: libxml2 can pass bytes through that are
 * not (a page with stray 0xFF bytes and no charset), so each invalid byte
 * becomes U+FFFD.  libxml2 writes nothing to stderr (its handlers are
 * silenced for the calling thread during the parse), and deep pages are
 * read whole (XML_PARSE_HUGE lifts its depth limit of 256; the walk is a
 * loop over parent links, so depth costs neither stack nor time). */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../util/common.h"
#include "sink.h"

/* Appends a text node: white space runs become one space unless pre. */
static void add_text(us_sink *s, const char *t, int pre)
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
            us_sink_put(s, "\n", 1);
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
            us_sink_flush(s);
            us_sink_put(s, " ", 1);
            i += (c == 0xC2) ? 2 : 1;
            continue;
        }
        us_sink_flush(s);
        us_sink_put_valid(s, t + i, j - i);
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

/* Table cells and list items are lines; other blocks paragraphs. */
static int block_kind(const char *name)
{
    return (!strcasecmp(name, "td") || !strcasecmp(name, "th") || !strcasecmp(name, "li") ||
            !strcasecmp(name, "dt") || !strcasecmp(name, "dd")) ? 1 : 2;
}

/* Opens node n: emits a text node's text, a <br>'s or block's break.
 * Returns 1 for an element whose children are to be walked (it is then
 * closed by leave()), 0 for anything else. */
static int enter(us_sink *s, xmlNode *n, int *pre)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            add_text(s, (const char *)n->content, *pre > 0);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    const char *name = (const char *)n->name;
    if (name_in(name, SKIPPED))
        return 0;
    if (!strcasecmp(name, "br")) {
        us_sink_break(s, 1);
        return 0;
    }
    if (name_in(name, BLOCKS))
        us_sink_break(s, block_kind(name));
    if (!strcasecmp(name, "pre"))
        (*pre)++;
    return 1;
}

/* Closes an element enter() opened, after its children. */
static void leave(us_sink *s, xmlNode *n, int *pre)
{
    const char *name = (const char *)n->name;
    if (name_in(name, BLOCKS))
        us_sink_break(s, block_kind(name));
    if (!strcasecmp(name, "pre"))
        (*pre)--;
}

/* Walks the document in order without recursion: a page nested a million
 * deep must not overflow the stack.  Children first, then the next
 * sibling, else up through the parents (closing each) to one that has. */
static void walk(us_sink *s, xmlDoc *doc)
{
    xmlNode *top = (xmlNode *)doc, *n = doc->children;
    int pre = 0; /* enclosing <pre> elements */
    while (n && !s->failed) {
        if (enter(s, n, &pre)) {
            if (n->children) {
                n = n->children;
                continue;
            }
            leave(s, n, &pre);
        }
        while (!n->next && n->parent && n->parent != top) {
            n = n->parent;
            leave(s, n, &pre);
        }
        n = n->next;
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

/* libxml2 reports through handlers; these swallow every report. */
static void quiet_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static void quiet_generic(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

/* Parses the page with libxml2 silent.  Some reports (encoding errors
 * from the input converter) carry no parser context, so NOERROR alone
 * does not stop them reaching stderr: the handlers, which libxml2 keeps
 * per thread, are swapped for quiet ones during the parse and restored,
 * leaving the rest of the process untouched. */
static htmlDocPtr parse_quietly(const char *html, int len)
{
    xmlStructuredErrorFunc old_s = xmlStructuredError;
    void *old_sctx = xmlStructuredErrorContext;
    xmlGenericErrorFunc old_g = xmlGenericError;
    void *old_gctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    htmlDocPtr doc = htmlReadMemory(html, len, NULL, NULL,
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        XML_PARSE_HUGE);
    xmlSetStructuredErrorFunc(old_sctx, old_s);
    xmlSetGenericErrorFunc(old_gctx, old_g);
    return doc;
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
    us_sink s = {0};
    if (len > 0) {
        htmlDocPtr doc = parse_quietly(html, (int)len);
        if (!doc)
            return us_fail(err, UNSPIN_EINVAL, "HTML could not be parsed");
        walk(&s, doc);
        xmlFreeDoc(doc);
    }
    return us_sink_finish(&s, "HTML", text, text_len, err);
}
