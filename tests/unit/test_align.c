/* Unit tests of the aligner (unspin_align) on crafted pairs of texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "unspin.h"

/* Sentences used by several tests, and spun versions of them. */
#define SENATOR "The senator announced a new budget plan on Monday."
#define SENATOR_SPUN "The senator introduced a new finances plan on Monday."
#define CRITICS "Critics said the proposal would raise taxes for families."
#define CRITICS_SPUN "Critics mentioned the proposal would elevate taxes for households."
#define VOTE "The vote is expected next week."
#define VOTE_SPUN "The ballot is anticipated next week."
#define APPLES "Farmers in the valley harvested apples early this autumn."

static unspin_alignment *align_opts(const char *o, const char *r, const unspin_align_options *opts)
{
    unspin_alignment *a = NULL;
    unspin_error err;
    if (unspin_align(o, strlen(o), r, strlen(r), opts, &a, &err) != UNSPIN_OK)
        fail_msg("unspin_align: %s", err.message);
    return a;
}

static unspin_alignment *align(const char *o, const char *r)
{
    return align_opts(o, r, NULL);
}

static size_t count_kind(const unspin_alignment *a, unspin_align_kind kind)
{
    size_t n = 0;
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    for (size_t i = 0; i < unspin_alignment_pair_count(a); i++)
        n += p[i].kind == kind;
    return n;
}

/* The text of a side of a pair, checked against its offsets. */
static void assert_side_text(const unspin_text *t, const unspin_align_side *s, const char *want)
{
    const char *data = unspin_text_data(t, NULL);
    assert_int_equal(s->end - s->start, strlen(want));
    assert_memory_equal(data + s->start, want, strlen(want));
}

/* Substitution k of pair p. */
static const unspin_align_subst *subst(const unspin_alignment *a, const unspin_align_pair *p,
                                       size_t k)
{
    assert_true(k < p->subst_count);
    return &unspin_alignment_substs(a)[p->first_subst + k];
}

static void assert_subst(const unspin_align_subst *s, const char *orig, const char *rewrite)
{
    assert_string_equal(s->orig, orig);
    assert_string_equal(s->rewrite, rewrite);
}

/* ---------------------------------------------------------------- */

static void test_identical(void **state)
{
    (void)state;
    const char *t = SENATOR " " CRITICS "\n\n" VOTE "\n";
    unspin_alignment *a = align(t, t);
    assert_int_equal(unspin_alignment_pair_count(a), 3);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_IDENTICAL), 3);
    assert_int_equal(unspin_alignment_subst_count(a), 0);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    for (size_t i = 0; i < 3; i++) {
        assert_true(p[i].similarity == 1.0);
        assert_int_equal(p[i].orig.count, 1);
        assert_int_equal(p[i].orig.sentences[0], p[i].rewrite.sentences[0]);
        assert_int_equal(p[i].orig.start, p[i].rewrite.start);
        assert_int_equal(p[i].orig.end, p[i].rewrite.end);
    }
    /* Spaces around a sentence are not part of its span. */
    assert_side_text(unspin_alignment_orig(a), &p[2].orig, VOTE);
    unspin_alignment_free(a);
}

static void test_case_and_quotes_are_not_changes(void **state)
{
    (void)state;
    /* Normalized forms fold case and curly quotes. */
    unspin_alignment *a = align("He said it\xE2\x80\x99s \xE2\x80\x9C" "fine.\xE2\x80\x9D",
                                "HE SAID IT'S \"FINE.\"");
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    assert_int_equal(unspin_alignment_pairs(a)[0].kind, UNSPIN_ALIGN_IDENTICAL);
    unspin_alignment_free(a);
}

static void test_reordered(void **state)
{
    (void)state;
    unspin_alignment *a = align(SENATOR " " CRITICS " " VOTE,
                                VOTE_SPUN " " SENATOR_SPUN " " CRITICS_SPUN);
    assert_int_equal(unspin_alignment_pair_count(a), 3);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 3);
    /* In the rewrite's order, each with the original it came from. */
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    size_t want_orig[3] = {2, 0, 1};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(p[i].rewrite.sentences[0], i);
        assert_int_equal(p[i].orig.sentences[0], want_orig[i]);
        assert_true(p[i].similarity >= UNSPIN_ALIGN_THRESHOLD && p[i].similarity < 1);
    }
    assert_side_text(unspin_alignment_orig(a), &p[0].orig, VOTE);
    assert_side_text(unspin_alignment_rewrite(a), &p[0].rewrite, VOTE_SPUN);
    assert_int_equal(p[0].subst_count, 2);
    assert_subst(subst(a, &p[0], 0), "vote", "ballot");
    assert_subst(subst(a, &p[0], 1), "expected", "anticipated");
    assert_int_equal(p[2].subst_count, 3);
    assert_subst(subst(a, &p[2], 0), "said", "mentioned");
    assert_subst(subst(a, &p[2], 1), "raise", "elevate");
    assert_subst(subst(a, &p[2], 2), "families", "households");
    unspin_alignment_free(a);
}

static void test_merged_two_into_one(void **state)
{
    (void)state;
    const char *rew = "The senator introduced a new finances plan on Monday, and critics "
                      "mentioned the proposal would elevate taxes for households.";
    unspin_alignment *a = align(SENATOR " " CRITICS, rew);
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(p->kind, UNSPIN_ALIGN_REWORDING);
    assert_int_equal(p->orig.count, 2);
    assert_int_equal(p->orig.sentences[0], 0);
    assert_int_equal(p->orig.sentences[1], 1);
    assert_int_equal(p->rewrite.count, 1);
    assert_side_text(unspin_alignment_orig(a), &p->orig, SENATOR " " CRITICS);
    /* The joint: ". Critics" became ", and critics" (case does not count). */
    assert_int_equal(p->subst_count, 6);
    const unspin_align_subst *j = subst(a, p, 2);
    assert_subst(j, ".", ", and");
    assert_int_equal(j->orig_words, 0);
    assert_int_equal(j->rewrite_words, 1);
    unspin_alignment_free(a);

    /* And the other way: one sentence split in two (1:2). */
    a = align(rew, SENATOR " " CRITICS);
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->orig.count, 1);
    assert_int_equal(p->rewrite.count, 2);
    unspin_alignment_free(a);

    /* Without merges the second half is left over. */
    unspin_align_options o;
    unspin_align_options_default(&o);
    o.merges = 0;
    a = align_opts(SENATOR " " CRITICS, rew, &o);
    assert_int_equal(unspin_alignment_pair_count(a), 2);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 1);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_DROPPED), 1);
    unspin_alignment_free(a);
}

static void test_dropped_and_added(void **state)
{
    (void)state;
    unspin_alignment *a = align(SENATOR " " CRITICS " " VOTE,
                                SENATOR_SPUN " " VOTE_SPUN " " APPLES);
    assert_int_equal(unspin_alignment_pair_count(a), 4);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 2);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    /* Pairs and added sentences in the rewrite's order, dropped last. */
    assert_int_equal(p[2].kind, UNSPIN_ALIGN_ADDED);
    assert_int_equal(p[2].orig.count, 0);
    assert_int_equal(p[2].rewrite.sentences[0], 2);
    assert_side_text(unspin_alignment_rewrite(a), &p[2].rewrite, APPLES);
    assert_int_equal(p[2].nearest, SIZE_MAX); /* shares no content word */
    assert_true(p[2].similarity == 0);
    assert_int_equal(p[3].kind, UNSPIN_ALIGN_DROPPED);
    assert_int_equal(p[3].rewrite.count, 0);
    assert_int_equal(p[3].orig.sentences[0], 1);
    assert_side_text(unspin_alignment_orig(a), &p[3].orig, CRITICS);
    assert_int_equal(p[3].subst_count, 0);
    unspin_alignment_free(a);
}

static void test_unrelated_below_threshold(void **state)
{
    (void)state;
    double same, reworded, unrelated, topical;
    assert_int_equal(unspin_align_similarity(SENATOR, strlen(SENATOR), SENATOR, strlen(SENATOR),
                                             &same, NULL), UNSPIN_OK);
    assert_int_equal(unspin_align_similarity(CRITICS, strlen(CRITICS), CRITICS_SPUN,
                                             strlen(CRITICS_SPUN), &reworded, NULL), UNSPIN_OK);
    assert_int_equal(unspin_align_similarity(CRITICS, strlen(CRITICS), APPLES, strlen(APPLES),
                                             &unrelated, NULL), UNSPIN_OK);
    /* Same topic, same names, different sentence. */
    const char *x = "Biden met Putin in Geneva on Wednesday for talks.";
    const char *y = "Putin later told reporters that Biden was an experienced statesman.";
    assert_int_equal(unspin_align_similarity(x, strlen(x), y, strlen(y), &topical, NULL),
                     UNSPIN_OK);
    assert_true(same == 1.0);
    assert_true(reworded >= UNSPIN_ALIGN_THRESHOLD && reworded < 1.0);
    assert_true(unrelated < 0.1);
    assert_true(topical > unrelated && topical < UNSPIN_ALIGN_THRESHOLD);

    /* Aligned, the topical pair is left unpaired, with its similarity. */
    unspin_alignment *a = align(x, y);
    assert_int_equal(unspin_alignment_pair_count(a), 2);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(p[0].kind, UNSPIN_ALIGN_ADDED);
    assert_int_equal(p[1].kind, UNSPIN_ALIGN_DROPPED);
    assert_true(p[0].similarity > 0 && p[0].similarity < UNSPIN_ALIGN_THRESHOLD);
    assert_int_equal(p[0].nearest, 0);
    assert_int_equal(p[1].nearest, 0);
    unspin_alignment_free(a);

    /* A threshold of 0 pairs it as a rewording. */
    unspin_align_options o;
    unspin_align_options_default(&o);
    o.threshold = 0;
    a = align_opts(x, y, &o);
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    assert_int_equal(unspin_alignment_pairs(a)[0].kind, UNSPIN_ALIGN_REWORDING);
    assert_true(unspin_alignment_threshold(a) == 0);
    unspin_alignment_free(a);
}

static void test_m_to_n_offsets(void **state)
{
    (void)state;
    const char *o = "Relations are at their lowest point since the Cold War.";
    const char *r = "Relations are at their lowest level for the reason that the Chilly Struggle.";
    unspin_alignment *a = align(o, r);
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(p->kind, UNSPIN_ALIGN_REWORDING);
    /* Changed words next to each other are one substitution ("point
     * since"); an unchanged word between changes separates them ("the"
     * before "Cold War"), and it anchors on the right "the". */
    assert_int_equal(p->subst_count, 2);
    const unspin_align_subst *s = subst(a, p, 0);
    assert_subst(s, "point since", "level for the reason that");
    assert_int_equal(s->orig_start, 30);
    assert_int_equal(s->orig_end, 41);
    assert_int_equal(s->rewrite_start, 30);
    assert_int_equal(s->rewrite_end, 55);
    assert_int_equal(s->orig_words, 2);
    assert_int_equal(s->rewrite_words, 5);
    s = subst(a, p, 1);
    assert_subst(s, "Cold War", "Chilly Struggle");
    assert_int_equal(s->orig_start, 46);
    assert_int_equal(s->orig_end, 54);
    assert_int_equal(s->rewrite_start, 60);
    assert_int_equal(s->rewrite_end, 75);
    assert_int_equal(s->orig_start16, 46);
    assert_int_equal(s->rewrite_end16, 75);
    assert_int_equal(s->pair, 0);
    unspin_alignment_free(a);

    /* The repeated "the" the other way round: the first one anchors. */
    a = align("The Cold War ended since the leaders met.",
              "The Chilly Struggle ended for the reason that the leaders met.");
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 2);
    assert_subst(subst(a, p, 0), "Cold War", "Chilly Struggle");
    assert_subst(subst(a, p, 1), "since", "for the reason that");
    unspin_alignment_free(a);
}

static void test_two_for_two_and_indels(void **state)
{
    (void)state;
    const char *o = "The two were recalled after a massive cyberattack last year.";
    const char *r = "The two were recalled this spring after an enormous cyberattack final yr.";
    unspin_alignment *a = align(o, r);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(p->kind, UNSPIN_ALIGN_REWORDING);
    assert_int_equal(p->subst_count, 3);
    /* A pure insertion: the original side is empty, at the end of the
     * unchanged word before it ("recalled" ends at byte 21). */
    const unspin_align_subst *s = subst(a, p, 0);
    assert_subst(s, "", "this spring");
    assert_int_equal(s->orig_start, 21);
    assert_int_equal(s->orig_end, 21);
    assert_int_equal(s->orig_words, 0);
    assert_int_equal(s->rewrite_words, 2);
    assert_subst(subst(a, p, 1), "a massive", "an enormous");
    s = subst(a, p, 2);
    assert_subst(s, "last year", "final yr"); /* 2:2, one substitution */
    assert_int_equal(s->orig_words, 2);
    assert_int_equal(s->rewrite_words, 2);
    unspin_alignment_free(a);

    /* A deletion, and a changed comma (punctuation only when changed). */
    a = align("Officials, however, agreed to meet again soon.",
              "Officials however agreed to meet soon.");
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 3);
    assert_subst(subst(a, p, 0), ",", "");
    assert_subst(subst(a, p, 1), ",", "");
    s = subst(a, p, 2);
    assert_subst(s, "again", "");
    assert_int_equal(s->rewrite_start, 32); /* after "meet" */
    assert_int_equal(s->rewrite_end, 32);
    assert_int_equal(s->orig_words, 1);
    unspin_alignment_free(a);
}

static void test_utf8_offsets(void **state)
{
    (void)state;
    /* \xE2\x80\x9C and \xE2\x80\x9D are curly double quotes (3 bytes, 1
     * UTF-16 unit), \xC3\xA9 is e-acute (2 bytes, 1 unit), \xF0\x9F\x98\x80
     * an emoji (4 bytes, 2 units). */
    const char *o = "\xE2\x80\x9C" "Caf\xC3\xA9" "\xE2\x80\x9D \xF0\x9F\x98\x80 owners said "
                    "the final price was fair.";
    const char *r = "\xE2\x80\x9C" "Caf\xC3\xA9" "\xE2\x80\x9D \xF0\x9F\x98\x80 owners mentioned "
                    "the last price was fair.";
    unspin_alignment *a = align(o, r);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    assert_int_equal(p->subst_count, 2);
    const unspin_align_subst *s = subst(a, p, 0);
    assert_subst(s, "said", "mentioned");
    /* "said" starts after 3+5+3+1+4+1+"owners " = 24 bytes; in UTF-16:
     * 1+4+1+1+2+1+7 = 17. */
    assert_int_equal(s->orig_start, 24);
    assert_int_equal(s->orig_end, 28);
    assert_int_equal(s->orig_start16, 17);
    assert_int_equal(s->orig_end16, 21);
    assert_int_equal(s->rewrite_start, 24);
    assert_int_equal(s->rewrite_end, 33);
    assert_int_equal(s->rewrite_start16, 17);
    assert_int_equal(s->rewrite_end16, 26);
    s = subst(a, p, 1);
    assert_subst(s, "final", "last");
    assert_int_equal(s->orig_start, 33);
    assert_int_equal(s->orig_start16, 26);
    assert_int_equal(s->rewrite_start, 38);
    assert_int_equal(s->rewrite_start16, 31);
    assert_int_equal(p->orig.start16, 0);
    assert_int_equal(p->orig.end - p->orig.start, strlen(o));
    assert_int_equal(p->orig.end16, strlen(o) - 2 - 1 - 2 - 2); /* 3->1, 2->1, 3->1, 4->2 */
    unspin_alignment_free(a);
}

static void test_json(void **state)
{
    (void)state;
    const char *o = "\xE2\x80\x9C" "Caf\xC3\xA9" "\xE2\x80\x9D owners said the price was fair. "
                    APPLES;
    const char *r = "\xE2\x80\x9C" "Caf\xC3\xA9" "\xE2\x80\x9D owners mentioned the price was fair.";
    unspin_alignment *a = align(o, r);
    unspin_error err;
    char *s = unspin_alignment_json(a, "a.txt", NULL, &err);
    assert_non_null(s);
    json_error_t jerr;
    json_t *doc = json_loads(s, 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "original")), "a.txt");
    assert_null(json_object_get(doc, "rewrite")); /* NULL name: left out */
    json_t *counts = json_object_get(doc, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "rewording")), 1);
    assert_int_equal(json_integer_value(json_object_get(counts, "dropped")), 1);
    assert_int_equal(json_integer_value(json_object_get(counts, "substitutions")), 1);
    json_t *pairs = json_object_get(doc, "pairs");
    assert_int_equal(json_array_size(pairs), 2);
    json_t *p0 = json_array_get(pairs, 0), *p1 = json_array_get(pairs, 1);
    assert_string_equal(json_string_value(json_object_get(p0, "kind")), "rewording");
    assert_null(json_object_get(p0, "nearest"));
    assert_true(json_is_null(json_object_get(p1, "rewrite")));
    assert_true(json_is_null(json_object_get(p1, "nearest")));
    json_t *sub = json_array_get(json_object_get(p0, "substitutions"), 0);
    json_t *so = json_object_get(sub, "original"), *sr = json_object_get(sub, "rewrite");
    /* Offsets slice the right text out of each input. */
    size_t start = (size_t)json_integer_value(json_object_get(so, "start"));
    size_t end = (size_t)json_integer_value(json_object_get(so, "end"));
    assert_memory_equal(o + start, "said", 4);
    assert_int_equal(end - start, 4);
    assert_string_equal(json_string_value(json_object_get(so, "text")), "said");
    start = (size_t)json_integer_value(json_object_get(sr, "start"));
    assert_memory_equal(r + start, "mentioned", 9);
    assert_int_equal(json_integer_value(json_object_get(sr, "start16")), (json_int_t)start - 5);
    assert_int_equal(json_integer_value(json_object_get(sr, "words")), 1);
    json_t *orig = json_object_get(p0, "original");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(orig, "sentences"), 0)), 0);
    json_decref(doc);
    free(s);
    unspin_alignment_free(a);
}

static void test_errors(void **state)
{
    (void)state;
    unspin_alignment *a = (unspin_alignment *)&a;
    unspin_error err;
    assert_int_equal(unspin_align("ok.", 3, "bad \xFF.", 6, NULL, &a, &err), UNSPIN_EUTF8);
    assert_null(a);
    assert_string_equal(err.message, "rewrite: invalid UTF-8 at byte 4");
    assert_int_equal(unspin_align("\xC3", 1, "ok.", 3, NULL, &a, &err), UNSPIN_EUTF8);
    assert_string_equal(err.message, "original: invalid UTF-8 at byte 0");
    assert_int_equal(unspin_align(NULL, 3, "ok.", 3, NULL, &a, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_align("ok.", 3, "ok.", 3, NULL, NULL, &err), UNSPIN_EINVAL);
    unspin_align_options o;
    unspin_align_options_default(&o);
    o.threshold = 1.5;
    assert_int_equal(unspin_align("ok.", 3, "ok.", 3, &o, &a, &err), UNSPIN_EINVAL);
    double sim;
    assert_int_equal(unspin_align_similarity("\xFF", 1, "x", 1, &sim, &err), UNSPIN_EUTF8);
    assert_null(unspin_alignment_json(NULL, NULL, NULL, &err));
    unspin_alignment_free(NULL);
    assert_int_equal(unspin_alignment_pair_count(NULL), 0);

    /* Empty text and text without words: nothing to pair, no error. */
    assert_int_equal(unspin_align("", 0, "... !", 5, NULL, &a, &err), UNSPIN_OK);
    assert_int_equal(unspin_alignment_pair_count(a), 0);
    unspin_alignment_free(a);
    assert_string_equal(unspin_align_kind_name(UNSPIN_ALIGN_ADDED), "added");
    assert_string_equal(unspin_align_kind_name((unspin_align_kind)42), "?");
}

static void test_invalid_bytes_replaced(void **state)
{
    (void)state;
    /* With UNSPIN_TEXT_REPLACE_INVALID the bad byte is a token of its own
     * and the JSON shows it as U+FFFD. */
    unspin_align_options o;
    unspin_align_options_default(&o);
    o.text_flags = UNSPIN_TEXT_REPLACE_INVALID;
    const char *x = "The senator announced \xFF a plan.", *y = "The senator revealed a plan.";
    unspin_alignment *a = align_opts(x, y, &o);
    assert_int_equal(unspin_alignment_pairs(a)[0].subst_count, 1);
    assert_int_equal(unspin_alignment_substs(a)[0].orig_end - unspin_alignment_substs(a)[0].orig_start, 11);
    char *s = unspin_alignment_json(a, NULL, NULL, NULL);
    assert_non_null(s);
    assert_non_null(strstr(s, "announced \xEF\xBF\xBD"));
    free(s);
    unspin_alignment_free(a);
}

static void test_long_sentence_past_table_limit(void **state)
{
    (void)state;
    /* Two 2,100-word sentences that differ at both ends: the LCS table
     * would pass its limit, so the middle becomes one substitution. */
    size_t n = 2100, cap = n * 8 + 16;
    char *o = malloc(cap), *r = malloc(cap);
    assert_non_null(o);
    assert_non_null(r);
    size_t lo = 0, lr = 0;
    for (size_t i = 0; i < n; i++) {
        lo += (size_t)snprintf(o + lo, cap - lo, "w%zu ", i);
        lr += (size_t)snprintf(r + lr, cap - lr, i == 0 || i == n - 1 ? "x%zu " : "w%zu ", i);
    }
    unspin_alignment *a = align(o, r);
    assert_int_equal(unspin_alignment_pair_count(a), 1);
    assert_int_equal(unspin_alignment_pairs(a)[0].kind, UNSPIN_ALIGN_REWORDING);
    assert_int_equal(unspin_alignment_subst_count(a), 1);
    assert_int_equal(unspin_alignment_substs(a)[0].orig_words, n);
    unspin_alignment_free(a);
    free(o);
    free(r);
}

/* A phrase holding the word it replaced ("coronary heart" for heart): the
 * extra words go with the word after them, the phrase's head. */
static void test_phrase_with_its_head(void **state)
{
    (void)state;
    unspin_alignment *a = align("Walking protects the heart.", "Strolling protects the coronary heart.");
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 2);
    assert_subst(subst(a, p, 0), "Walking", "Strolling");
    const unspin_align_subst *s = subst(a, p, 1);
    assert_subst(s, "heart", "coronary heart");
    assert_int_equal(s->orig_words, 1);
    assert_int_equal(s->rewrite_words, 2);
    assert_int_equal(s->orig_start, 21);
    assert_int_equal(s->rewrite_start, 23);
    unspin_alignment_free(a);

    /* At the start of the sentence. */
    a = align("Sales rose in March.", "Gross sales rose in March.");
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 1);
    assert_subst(subst(a, p, 0), "Sales", "Gross sales");
    unspin_alignment_free(a);

    /* Followed by another swap: one substitution. */
    a = align("It lowers the risk of heart disease.",
              "It lowers the risk of coronary heart illness.");
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 1);
    assert_subst(subst(a, p, 0), "heart disease", "coronary heart illness");
    unspin_alignment_free(a);

    /* After a content word the extra word may be that word's ("court
     * docket"), and function words alone ("at the least") teach nothing:
     * both stay insertions. */
    a = align("The court ruled on Friday.", "The court docket ruled on Friday.");
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 1);
    assert_subst(subst(a, p, 0), "", "docket");
    unspin_alignment_free(a);
    a = align("He waited at least an hour.", "He waited at the least an hour.");
    p = unspin_alignment_pairs(a);
    assert_int_equal(p->subst_count, 1);
    assert_subst(subst(a, p, 0), "", "the");
    unspin_alignment_free(a);
}

/* A heavily spun sentence, below the threshold, between two pairs that
 * keep the order: it sits where its original sat and keeps its function
 * words in order, so it is paired. */
#define PROFITS "The company said that its profits in the north fell by a third after the cold weather."
#define PROFITS_SPUN "The agency stated that its earnings in the north dropped by a third after the chilly climate."

static void test_in_place_below_threshold(void **state)
{
    (void)state;
    double sim;
    assert_int_equal(unspin_align_similarity(PROFITS, strlen(PROFITS), PROFITS_SPUN,
                                             strlen(PROFITS_SPUN), &sim, NULL), UNSPIN_OK);
    assert_true(sim > 0.1 && sim < UNSPIN_ALIGN_THRESHOLD);

    unspin_alignment *a = align(SENATOR " " PROFITS " " VOTE,
                                SENATOR_SPUN " " PROFITS_SPUN " " VOTE_SPUN);
    assert_int_equal(unspin_alignment_pair_count(a), 3);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 3);
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    assert_int_equal(p[1].orig.sentences[0], 1);
    assert_int_equal(p[1].rewrite.sentences[0], 1);
    assert_true(p[1].similarity == sim); /* its own similarity, below the threshold */
    assert_int_equal(p[1].subst_count, 4);
    assert_subst(subst(a, &p[1], 0), "company said", "agency stated");
    assert_subst(subst(a, &p[1], 3), "cold weather", "chilly climate");
    unspin_alignment_free(a);

    /* At the end of the texts, after a pair. */
    a = align(SENATOR " " PROFITS, SENATOR_SPUN " " PROFITS_SPUN);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 2);
    unspin_alignment_free(a);

    /* Moved elsewhere, it has no position to go by: left unpaired. */
    a = align(SENATOR " " PROFITS " " VOTE, SENATOR_SPUN " " VOTE_SPUN " " PROFITS_SPUN);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 2);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_DROPPED), 1);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_ADDED), 1);
    unspin_alignment_free(a);

    /* Alone, nothing around it vouches for it either. */
    a = align(PROFITS, PROFITS_SPUN);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_DROPPED), 1);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_ADDED), 1);
    unspin_alignment_free(a);

    /* An unrelated sentence in its place stays unpaired. */
    a = align(SENATOR " " PROFITS " " VOTE, SENATOR_SPUN " " APPLES " " VOTE_SPUN);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 2);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_DROPPED), 1);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_ADDED), 1);
    unspin_alignment_free(a);

    /* A threshold of 1 asks for identical sentences only. */
    unspin_align_options o;
    unspin_align_options_default(&o);
    o.threshold = 1;
    a = align_opts(SENATOR " " PROFITS " " VOTE, SENATOR " " PROFITS_SPUN " " VOTE, &o);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_IDENTICAL), 2);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_REWORDING), 0);
    assert_int_equal(count_kind(a, UNSPIN_ALIGN_DROPPED), 1);
    unspin_alignment_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_case_and_quotes_are_not_changes),
        cmocka_unit_test(test_reordered),
        cmocka_unit_test(test_merged_two_into_one),
        cmocka_unit_test(test_dropped_and_added),
        cmocka_unit_test(test_unrelated_below_threshold),
        cmocka_unit_test(test_m_to_n_offsets),
        cmocka_unit_test(test_two_for_two_and_indels),
        cmocka_unit_test(test_utf8_offsets),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_invalid_bytes_replaced),
        cmocka_unit_test(test_long_sentence_past_table_limit),
        cmocka_unit_test(test_phrase_with_its_head),
        cmocka_unit_test(test_in_place_below_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
