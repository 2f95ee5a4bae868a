/* Unit tests of the detector on a tiny model built from tests/data/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unspin.h"
#include "detect/detect.h"

static char dir[] = "/tmp/unspin-detect-XXXXXX";
static char path[256];
static unspin_model *model;

static int setup(void **state)
{
    (void)state;
    if (access("/usr/share/hunspell/en_US.dic", R_OK) != 0)
        return 0; /* tests skip */
    if (!mkdtemp(dir))
        return -1;
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
    unspin_error err;
    if (unspin_model_build(&o, path, &err) != UNSPIN_OK) {
        fprintf(stderr, "build: %s\n", err.message);
        return -1;
    }
    if (unspin_model_open(path, &model, &err) != UNSPIN_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unspin_model_free(model);
    unlink(path);
    rmdir(dir);
    return 0;
}

static unspin_result *detect(const char *s)
{
    if (!model)
        skip();
    unspin_result *r = NULL;
    unspin_error err;
    if (unspin_detect(model, NULL, s, strlen(s), &r, &err) != UNSPIN_OK)
        fail_msg("unspin_detect: %s", err.message);
    return r;
}

static void test_joint_swap_restored(void **state)
{
    (void)state;
    /* "chilly struggle" only makes sense decoded jointly as "cold war". */
    const char *s = "The Chilly Struggle ended.";
    unspin_result *r = detect(s);
    assert_int_equal(unspin_result_words(r), 4);
    assert_int_equal(unspin_result_span_count(r), 1);
    const unspin_span *sp = unspin_result_spans(r);
    assert_int_equal(sp->start, 4);
    assert_int_equal(sp->end, 19);
    assert_int_equal(sp->start16, 4);
    assert_int_equal(sp->end16, 19);
    assert_string_equal(sp->text, "Chilly Struggle");
    assert_string_equal(sp->original, "Cold War"); /* case as in the text */
    assert_true(sp->confidence > 0.5 && sp->confidence <= 1.0);
    assert_true(unspin_result_spin_rate(r) > 0.3);
    unspin_result_free(r);
}

static void test_natural_text_untouched(void **state)
{
    (void)state;
    unspin_result *r = detect("the cold war ended");
    assert_int_equal(unspin_result_span_count(r), 0);
    assert_false(unspin_result_is_spun(r));
    assert_true(unspin_result_spin_rate(r) < 0.1);
    unspin_result_free(r);
}

static void test_learned_phrase(void **state)
{
    (void)state;
    /* models/learned.tsv-style entry: "final yr" <- "last year"; the tiny
     * LM does not know "last year", so the swap has nothing to gain and
     * the phrase is left alone: the LM decides, not the table alone. */
    unspin_result *r = detect("the final yr ended");
    for (size_t i = 0; i < unspin_result_span_count(r); i++)
        assert_string_not_equal(unspin_result_spans(r)[i].original, "last year");
    unspin_result_free(r);
}

static void test_utf16_offsets_after_non_ascii(void **state)
{
    (void)state;
    /* The emoji takes 4 bytes and 2 UTF-16 units; "é" 2 bytes, 1 unit. */
    const char *s = "Caf\xC3\xA9 \xF0\x9F\x98\x80 the chilly struggle ended";
    unspin_result *r = detect(s);
    assert_int_equal(unspin_result_span_count(r), 1);
    const unspin_span *sp = unspin_result_spans(r);
    assert_int_equal(sp->start, 15);
    assert_int_equal(sp->end, 30);
    assert_int_equal(sp->start16, 12);
    assert_int_equal(sp->end16, 27);
    assert_string_equal(sp->original, "cold war");
    unspin_result_free(r);
}

static void test_json(void **state)
{
    (void)state;
    unspin_result *r = detect("The Chilly Struggle ended.");
    unspin_error err;
    char *json = unspin_result_json(r, "a.txt", &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"file\":\"a.txt\""));
    assert_non_null(strstr(json, "\"start\":4,\"end\":19,\"start16\":4,\"end16\":19"));
    assert_non_null(strstr(json, "\"text\":\"Chilly Struggle\",\"original\":\"Cold War\""));
    free(json);
    json = unspin_result_json(r, NULL, &err);
    assert_null(strstr(json, "\"file\""));
    free(json);
    unspin_result_free(r);
}

static void test_bad_input(void **state)
{
    (void)state;
    if (!model)
        skip();
    unspin_result *r = (unspin_result *)0x1;
    unspin_error err;
    assert_int_equal(unspin_detect(model, NULL, "a \xFF b", 5, &r, &err), UNSPIN_EUTF8);
    assert_null(r);
    assert_string_equal(err.message, "invalid UTF-8 at byte 2");
    assert_int_equal(unspin_detect(NULL, NULL, "a", 1, &r, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_detect(model, NULL, "", 0, &r, &err), UNSPIN_OK);
    assert_int_equal(unspin_result_words(r), 0);
    assert_false(unspin_result_is_spun(r));
    unspin_result_free(r);
}

static void test_long_line_windows(void **state)
{
    (void)state;
    /* A 600-word "sentence" is decoded in windows of 256 words; every
     * span's offsets still slice out its text. */
    size_t n = 150, len = 0;
    char *s = malloc(n * 32 + 1);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(s + len, "%s", i % 2 ? "the chilly struggle ended "
                                                    : "the cold war ended ");
    unspin_result *r = detect(s);
    assert_int_equal(unspin_result_words(r), 4 * n);
    size_t k = unspin_result_span_count(r);
    assert_true(k >= n / 2 - 2); /* a window edge may split one pair */
    for (size_t i = 0; i < k; i++) {
        const unspin_span *sp = &unspin_result_spans(r)[i];
        assert_int_equal(sp->end - sp->start, strlen(sp->text));
        assert_memory_equal(s + sp->start, sp->text, strlen(sp->text));
        assert_int_equal(sp->start16, sp->start); /* ASCII: the same */
    }
    unspin_result_free(r);
    free(s);
}

/* The confidence a span needs by the document's score: near certainty
 * up to 0.4, falling linearly to the caller's minimum at 0.9, nothing
 * more from there on (a ramp from 0.2 to 0.7 let a formal writer's rarer
 * words through in documents scored 0.7 to 0.9). */
static void test_quiet_ramp(void **state)
{
    (void)state;
    assert_true(us_quiet_need(0.1, 0.5) > 0.989);
    assert_true(us_quiet_need(0.35, 0.5) > 0.989);
    assert_true(us_quiet_need(0.65, 0.5) > 0.74 && us_quiet_need(0.65, 0.5) < 0.75);
    assert_true(us_quiet_need(0.8, 0.5) > 0.5);
    assert_true(us_quiet_need(0.9, 0.5) < 0.5);
    assert_true(us_quiet_need(0.95, 0.5) < 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet_ramp),
        cmocka_unit_test(test_joint_swap_restored),
        cmocka_unit_test(test_natural_text_untouched),
        cmocka_unit_test(test_learned_phrase),
        cmocka_unit_test(test_utf16_offsets_after_non_ascii),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_long_line_windows),
    };
    return cmocka_run_group_tests_name("detect", tests, setup, teardown);
}
