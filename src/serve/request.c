/* POST /v1/check bodies: parsing and checking (see request.h, docs/API.md).
 * No HTTP here, so that tests/fuzz/fuzz_request.c can reach all of it. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unspin.h"
#include "request.h"

static int fail(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Formats the message, then keeps it one line of valid UTF-8: jansson's
 * messages quote the input, and may cut a character in two. */
static int fail(char *msg, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    size_t bad, n = strlen(msg);
    if (unspin_utf8_check(msg, n, &bad) != UNSPIN_OK)
        msg[n = bad] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7F)
            msg[i] = ' ';
    return -1;
}

static int parse_threshold(json_t *th, serve_request *rq, char *msg, size_t cap)
{
    if (!th || json_is_null(th))
        return 0;
    double v = json_is_number(th) ? json_number_value(th) : -1;
    if (!(v >= 0 && v <= 1))
        return fail(msg, cap, "\"threshold\" must be a number in [0, 1]");
    rq->has_threshold = 1;
    rq->threshold = v;
    return 0;
}

/* The "documents" array into rq->docs; every element is checked before
 * any is judged, so that a bad one costs no detection. */
static int parse_documents(json_t *docs, serve_request *rq, char *msg, size_t cap)
{
    if (!json_is_array(docs))
        return fail(msg, cap, "\"documents\" must be an array of {\"id\", \"text\"} objects");
    size_t n = json_array_size(docs);
    rq->docs = calloc(n ? n : 1, sizeof *rq->docs);
    if (!rq->docs)
        return fail(msg, cap, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *d = json_array_get(docs, i);
        json_t *text = json_object_get(d, "text"), *id = json_object_get(d, "id");
        if (!json_is_object(d) || !json_is_string(text) ||
            (id && !json_is_string(id) && !json_is_integer(id)))
            return fail(msg, cap,
                        "documents[%zu] must be an object with \"text\" (a string) and "
                        "\"id\" (a string or an integer)",
                        i);
        rq->docs[i] = (serve_doc){json_string_value(text), json_string_length(text), id};
    }
    rq->ndocs = n;
    rq->documents = 1;
    return 0;
}

static int parse_object(serve_request *rq, char *msg, size_t cap)
{
    json_t *req = rq->root;
    if (!json_is_object(req))
        return fail(msg, cap, "the request body must be a JSON object");
    if (parse_threshold(json_object_get(req, "threshold"), rq, msg, cap) != 0)
        return -1;
    json_t *text = json_object_get(req, "text");
    json_t *docs = json_object_get(req, "documents");
    if ((text != NULL) == (docs != NULL))
        return fail(msg, cap, "give either \"text\" (a string) or \"documents\" (an array)");
    if (docs)
        return parse_documents(docs, rq, msg, cap);
    if (!json_is_string(text))
        return fail(msg, cap, "\"text\" must be a string");
    rq->docs = malloc(sizeof *rq->docs);
    if (!rq->docs)
        return fail(msg, cap, "out of memory");
    rq->docs[0] = (serve_doc){json_string_value(text), json_string_length(text), NULL};
    rq->ndocs = 1;
    return 0;
}

int serve_request_parse(const char *body, size_t len, serve_request *rq, char *msg,
                        size_t msgcap)
{
    memset(rq, 0, sizeof *rq);
    if (!body)
        body = "";
    size_t bad;
    /* jansson would say "unable to decode byte" with less precision. */
    if (unspin_utf8_check(body, len, &bad) != UNSPIN_OK)
        return fail(msg, msgcap, "invalid UTF-8 at byte %zu of the request body", bad);
    json_error_t jerr;
    /* JSON_ALLOW_NUL: "\u0000" in a text is a character like any other. */
    rq->root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
    if (!rq->root)
        return fail(msg, msgcap, "malformed JSON: %s (line %d, column %d)", jerr.text,
                    jerr.line, jerr.column);
    if (parse_object(rq, msg, msgcap) != 0) {
        serve_request_free(rq);
        return -1;
    }
    return 0;
}

void serve_request_free(serve_request *rq)
{
    json_decref(rq->root);
    free(rq->docs);
    memset(rq, 0, sizeof *rq);
}

/* A growing string for serve_documents_json. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_add_id(sbuf *b, const json_t *id, size_t index)
{
    char num[32];
    if (!id || json_is_integer(id)) {
        int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                         id ? json_integer_value(id) : (json_int_t)index);
        sb_add(b, num, (size_t)n);
        return;
    }
    char *s = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!s) {
        b->failed = 1;
        return;
    }
    sb_add(b, s, strlen(s));
    free(s);
}

char *serve_documents_json(const serve_request *rq, char *const *docs_json, size_t *outlen)
{
    sbuf b = {0};
    sb_add(&b, "{\"documents\":[", 14);
    for (size_t i = 0; i < rq->ndocs; i++) {
        const char *doc = docs_json[i];
        sb_add(&b, i ? ",{\"id\":" : "{\"id\":", i ? 7 : 6);
        sb_add_id(&b, rq->docs[i].id, i);
        /* doc is "{...}": its members follow the id. */
        if (doc[0] == '{' && doc[1] != '}')
            sb_add(&b, ",", 1);
        sb_add(&b, doc + 1, strlen(doc + 1));
    }
    sb_add(&b, "]}", 2);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    *outlen = b.len;
    return b.s;
}
