/* The body of POST /v1/check: parsed and checked here, apart from HTTP, so
 * that a fuzz target (tests/fuzz/fuzz_request.c) can drive it; and the
 * {"documents": [...]} answer put together from the documents' JSON. */
#ifndef UNSPIN_SERVE_REQUEST_H
#define UNSPIN_SERVE_REQUEST_H

#include <stddef.h>

#include <jansson.h>

/* One document to check.  text points into the parsed JSON: valid UTF-8,
 * NUL-terminated at len (it may hold NUL bytes, from "\u0000"). */
typedef struct serve_doc {
    const char *text;
    size_t len;
    json_t *id;          /* a string or an integer; NULL: none given */
} serve_doc;

typedef struct serve_request {
    json_t *root;        /* the parsed body, owning the texts */
    int has_threshold;
    double threshold;    /* in [0, 1] when has_threshold */
    int documents;       /* 1: {"documents": [...]}; 0: {"text": ...} */
    size_t ndocs;        /* 1 for "text" */
    serve_doc *docs;
} serve_request;

/* Parses and checks body[0..len) (any bytes): UTF-8, JSON, an object with
 * exactly one of "text" (a string) and "documents" (an array of objects
 * with a string "text" and an optional string or integer "id"), an
 * optional "threshold" (null, or a number in [0, 1]).  Returns 0 with *rq
 * filled (free it with serve_request_free), or -1 with *rq empty and one
 * line of valid UTF-8 in msg (every failure is the client's: a 400). */
int serve_request_parse(const char *body, size_t len, serve_request *rq, char *msg,
                        size_t msgcap);

void serve_request_free(serve_request *rq);

/* {"documents": [{"id": ID, ...doc...}, ...]}: each docs_json[i] is one
 * document object ("{...}", as unspin_result_json makes it) for
 * rq->docs[i], spliced in after its "id" (the index when none was given)
 * without parsing it again.  Returns a malloc'd string (length in *outlen)
 * or NULL when out of memory. */
char *serve_documents_json(const serve_request *rq, char *const *docs_json, size_t *outlen);

#endif
