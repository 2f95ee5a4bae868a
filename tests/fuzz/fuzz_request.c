/*
 * fuzz_request: the JSON request parser of unspin serve (the body of
 * POST /v1/check, src/serve/request.c), then the {"documents": [...]}
 * answer made from the parsed request.
 *
 * Invariants: parsing succeeds, or fails with one line of valid UTF-8 (no
 * control characters) and nothing to free; on success there is at least
 * one document unless "documents" was given, each text is valid UTF-8 and
 * NUL-terminated at its length, each id a string or an integer, the
 * threshold in [0, 1]; the answer is JSON with the documents in order,
 * each with the id given (or its index) and the members of its object.
 */
#include <string.h>

#include "fuzz.h"
#include "unspin.h"

/* src/serve/ is part of the binary, not the library: compiled in here
 * (the Makefile rebuilds this target when request.c changes). */
#include "serve/request.c"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check_failure(const char *msg)
{
    size_t n = strlen(msg), bad;
    FUZZ_CHECK(n > 0);
    FUZZ_CHECK(unspin_utf8_check(msg, n, &bad) == UNSPIN_OK);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK((unsigned char)msg[i] >= 0x20 && msg[i] != 0x7F);
}

static void check_request(const serve_request *rq)
{
    FUZZ_CHECK(rq->root != NULL && rq->docs != NULL);
    FUZZ_CHECK(rq->documents || rq->ndocs == 1);
    FUZZ_CHECK(!rq->has_threshold || (rq->threshold >= 0 && rq->threshold <= 1));
    for (size_t i = 0; i < rq->ndocs; i++) {
        const serve_doc *d = &rq->docs[i];
        size_t bad;
        FUZZ_CHECK(d->text != NULL && d->text[d->len] == '\0');
        FUZZ_CHECK(unspin_utf8_check(d->text, d->len, &bad) == UNSPIN_OK);
        FUZZ_CHECK(!d->id || json_is_string(d->id) || json_is_integer(d->id));
        FUZZ_CHECK(!d->id || rq->documents);
    }
}

/* The documents answer, each document object standing in for a result. */
static void check_answer(const serve_request *rq)
{
    static char empty[] = "{}", doc[] = "{\"verdict\":\"natural\",\"words\":0}";
    char **docs = malloc((rq->ndocs ? rq->ndocs : 1) * sizeof *docs);
    FUZZ_CHECK(docs != NULL);
    for (size_t i = 0; i < rq->ndocs; i++)
        docs[i] = i % 2 ? empty : doc;
    size_t len = 0;
    char *out = serve_documents_json(rq, docs, &len);
    FUZZ_CHECK(out != NULL && strlen(out) == len);
    json_error_t jerr;
    json_t *ans = json_loadb(out, len, 0, &jerr);
    if (!ans)
        fprintf(stderr, "fuzz_request: answer is not JSON: %s: %s\n", jerr.text, out);
    FUZZ_CHECK(ans != NULL);
    json_t *arr = json_object_get(ans, "documents");
    FUZZ_CHECK(json_is_array(arr) && json_array_size(arr) == rq->ndocs);
    for (size_t i = 0; i < rq->ndocs; i++) {
        json_t *item = json_array_get(arr, i), *id = json_object_get(item, "id");
        FUZZ_CHECK(id != NULL);
        if (rq->docs[i].id)
            FUZZ_CHECK(json_equal(id, rq->docs[i].id));
        else
            FUZZ_CHECK(json_is_integer(id) && json_integer_value(id) == (json_int_t)i);
        FUZZ_CHECK(json_object_size(item) == (i % 2 ? 1u : 3u));
    }
    json_decref(ans);
    free(out);
    free(docs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    serve_request rq;
    char msg[600];
    memset(msg, 0, sizeof msg);
    if (serve_request_parse((const char *)data, size, &rq, msg, sizeof msg) != 0) {
        check_failure(msg);
        FUZZ_CHECK(rq.root == NULL && rq.docs == NULL && rq.ndocs == 0);
        return 0;
    }
    check_request(&rq);
    check_answer(&rq);
    serve_request_free(&rq);
    return 0;
}
