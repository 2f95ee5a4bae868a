/*
 * fuzz_detect: unspin_detect on a tiny model (built once, in
 * LLVMFuzzerInitialize, from tests/data/tiny.arpa, tiny-synonyms.txt and
 * tiny-learned.tsv; run from the repository root), then the result's JSON.
 * UNSPIN_FUZZ_MODEL=PATH uses that model instead (e.g. the real one).
 * The first byte's bit 0 sets UNSPIN_TEXT_REPLACE_INVALID (the byte is
 * part of the text too).
 *
 * Invariants: spans are in order, do not overlap, lie inside the input on
 * code point boundaries, quote the input exactly, and their UTF-16 offsets
 * match an independent count; confidences, score and spin rate are in
 * [0, 1]; the verdict agrees with the score and the threshold.
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "unspin.h"

static unspin_model *model;
static char dir[] = "/tmp/unspin-fuzz-XXXXXX";
static char path[300];

static void cleanup(void)
{
    unspin_model_free(model);
    if (path[0]) {
        unlink(path);
        rmdir(dir);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    unspin_error err;
    const char *use = getenv("UNSPIN_FUZZ_MODEL");
    if (!use || !*use) {
        if (!mkdtemp(dir)) {
            perror("fuzz_detect: mkdtemp");
            exit(1);
        }
        snprintf(path, sizeof path, "%s/tiny.unspin", dir);
        unspin_build_options o;
        unspin_build_options_default(&o);
        static const char *const project[] = {"tests/data/tiny-synonyms.txt"};
        o.lm = "tests/data/tiny.arpa";
        o.mythes = NULL;
        o.wordnet = NULL;
        o.project = project;
        o.nproject = 1;
        o.learned = "tests/data/tiny-learned.tsv";
        if (unspin_model_build(&o, path, &err) != UNSPIN_OK) {
            fprintf(stderr, "fuzz_detect: building the tiny model: %s\n", err.message);
            rmdir(dir);
            exit(1);
        }
        use = path;
    }
    if (unspin_model_open(use, &model, &err) != UNSPIN_OK) {
        fprintf(stderr, "fuzz_detect: %s\n", err.message);
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unspin_detect_options o;
    unspin_detect_options_default(&o);
    if (data[0] & 1)
        o.text_flags |= UNSPIN_TEXT_REPLACE_INVALID;
    unspin_result *r = NULL;
    unspin_error err;
    int rc = unspin_detect(model, &o, (const char *)data, size, &r, &err);
    if (rc != UNSPIN_OK) {
        FUZZ_CHECK(r == NULL);
        FUZZ_CHECK(rc == UNSPIN_ENOMEM ||
                   (rc == UNSPIN_EUTF8 && !(o.text_flags & UNSPIN_TEXT_REPLACE_INVALID)));
        return 0;
    }
    unsigned char *starts = calloc(size + 1, 1);
    FUZZ_CHECK(starts != NULL);
    fuzz_utf16(data, size, starts, NULL);
    size_t n = unspin_result_span_count(r);
    const unspin_span *s = unspin_result_spans(r);
    size_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(s[i].start >= prev_end && s[i].start < s[i].end && s[i].end <= size);
        FUZZ_CHECK(starts[s[i].start] && starts[s[i].end]);
        FUZZ_CHECK(s[i].text && strlen(s[i].text) <= s[i].end - s[i].start);
        FUZZ_CHECK(memcmp(s[i].text, data + s[i].start, strlen(s[i].text)) == 0);
        FUZZ_CHECK(s[i].original != NULL);
        size_t u0 = fuzz_utf16(data, s[i].start, NULL, NULL);
        size_t u1 = u0 + fuzz_utf16(data + s[i].start, s[i].end - s[i].start, NULL, NULL);
        FUZZ_CHECK(s[i].start16 == u0 && s[i].end16 == u1);
        FUZZ_CHECK(s[i].confidence >= 0.0 && s[i].confidence <= 1.0);
        FUZZ_CHECK(s[i].nalternatives <= 3);
        for (size_t j = 0; j < s[i].nalternatives; j++)
            FUZZ_CHECK(s[i].alternatives[j].original &&
                       s[i].alternatives[j].confidence >= 0.0 &&
                       s[i].alternatives[j].confidence <= 1.0);
        prev_end = s[i].end;
    }
    double score = unspin_result_score(r), rate = unspin_result_spin_rate(r);
    FUZZ_CHECK(score >= 0.0 && score <= 1.0);
    FUZZ_CHECK(rate >= 0.0 && rate <= 1.0);
    FUZZ_CHECK(unspin_result_is_spun(r) == (score >= o.threshold));
    char *json = unspin_result_json(r, NULL, &err);
    FUZZ_CHECK(json != NULL);
    free(json);
    unspin_result_free(r);
    free(starts);
    return 0;
}
