/* Hyphenated compounds in the detector (src/detect/candidates.c): a
 * compound with one part swapped is read back as the compound the model
 * knows ("well-identified" <- well-known, "meta-studying" <- meta-learning),
 * never as one it does not; and a compound the LM does not know may stand
 * for a learned original the LM does not know either ("k-implies" <-
 * k-means).  Tiny models built here from an ARPA LM, a synonym list and a
 * learned table. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "detect/detect.h"
#include "model/learned.h"
#include "tiny_model.h"
#include "unspin.h"

/* "well-known" is a word of the LM, and fits between "the" and "author";
 * "well-identified", "meta-learning", "k-means" are not its words. */
static const char *const arpa =
    "\\data\\\nngram 1=11\nngram 2=4\n\n\\1-grams:\n"
    "-1.0\t<s>\t-0.5\n-1.0\t</s>\n-1.2\tthe\t-0.3\n-2.0\twell\t-0.3\n-2.5\tknown\t-0.3\n"
    "-3.0\tidentified\t-0.3\n-3.5\twell-known\t-0.3\n-2.5\tauthor\t-0.3\n"
    "-2.0\twrote\t-0.3\n-2.0\tfailed\t-0.3\n-3.0\tbadly\t-0.3\n"
    "\n\\2-grams:\n-0.5\t<s> the\n-0.5\tthe well-known\t-0.2\n-0.3\twell-known author\t-0.2\n"
    "-0.5\tauthor wrote\n\n\\end\\\n";

/* a writer's "known" a spinner writes "identified" */
static const char *const syns = "known\tidentified\n";

/* "studying" <- learning seen three times; "meta-learning" and "k-means"
 * seen as originals only. */
static const char *const table =
    "studying\tlearning\t3\t0.6\n"
    "meta-gaining knowledge\tmeta-learning\t1\t0.5\n"
    "k-implies\tk-means\t1\t0.5\n"
    "k-implies\tk-medians\t1\t0.5\n";

/* The tiny model; NULL when the system has no Hunspell dictionary. */
static unspin_model *tiny(void)
{
    return tiny_model(arpa, syns, table);
}

/* The one-word swap arc of slots[i] to `orig` among the candidates at i
 * (copied to *out), with or without the word cache; 0 when there is none. */
static int find_arc(const unspin_model *m, const us_slot *slots, size_t n, size_t i,
                    const char *orig, us_word_cache *cache, us_arc *out)
{
    us_arcs arcs = {NULL, 0, 0};
    assert_int_equal(us_candidates(m, slots, n, i, &arcs, cache), 0);
    uint32_t o = us_model_word(m, orig, strlen(orig));
    int found = 0;
    for (size_t k = 0; k < arcs.n; k++)
        if (arcs.a[k].swapped && arcs.a[k].n == 1 && arcs.a[k].to == i + 1 &&
            o != US_STR_NONE && arcs.a[k].vid[0] == o) {
            *out = arcs.a[k];
            found = 1;
        }
    free(arcs.a);
    return found;
}

/* The swap arcs at slot i. */
static size_t swaps_at(const unspin_model *m, const us_slot *slots, size_t n, size_t i)
{
    us_arcs arcs = {NULL, 0, 0};
    assert_int_equal(us_candidates(m, slots, n, i, &arcs, NULL), 0);
    size_t k = 0;
    for (size_t j = 0; j < arcs.n; j++)
        k += arcs.a[j].swapped;
    free(arcs.a);
    return k;
}

/* "well-identified" <- well-known: the part's thesaurus swap, the
 * compound an LM word; proposed with and without the word cache alike,
 * and restored where the LM likes it. */
static void test_part_swap_restored(void **state)
{
    (void)state;
    unspin_model *m = tiny();
    if (!m)
        skip();
    us_slot s[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "well-identified", 1), tiny_slot(m, "author", 2),
                    tiny_slot(m, "wrote", 3)};
    assert_int_equal(s[1].vid, US_STR_NONE);
    us_arc a, b;
    us_word_cache cache;
    memset(&cache, 0, sizeof cache);
    assert_true(find_arc(m, s, 4, 1, "well-known", NULL, &a));
    assert_true(find_arc(m, s, 4, 1, "well-known", &cache, &b));
    assert_int_equal(a.lm[0], us_model_word(m, "well-known", 10));
    assert_false(a.learned);
    assert_float_equal(a.channel, b.channel, 1e-6);
    us_word_cache_free(&cache);
    tiny_expect_first_span(m, "The well-identified author wrote.",
                           "well-identified -> well-known");
    /* the compound as written: nothing to read back */
    tiny_expect_first_span(m, "The well-known author wrote.", NULL);
    unspin_model_free(m);
}

/* A compound the parts' swaps make that the model does not know
 * ("badly-known") is no candidate. */
static void test_unknown_compound_not_proposed(void **state)
{
    (void)state;
    unspin_model *m = tiny();
    if (!m)
        skip();
    us_slot s[3] = {tiny_slot(m, "the", 0), tiny_slot(m, "badly-identified", 1), tiny_slot(m, "author", 2)};
    assert_int_equal(us_model_word(m, "badly-known", 11), US_STR_NONE);
    assert_int_equal(swaps_at(m, s, 3, 1), 0);
    unspin_model_free(m);
}

/* "meta-studying" <- meta-learning: a learned part swap to a learned
 * original the LM does not know, for a compound nobody knows; a learned
 * technical term put for no word weighs as a run to a known term does. */
static void test_part_swap_to_learned_original(void **state)
{
    (void)state;
    unspin_model *m = tiny();
    if (!m)
        skip();
    uint32_t ml = us_model_word(m, "meta-learning", 13);
    assert_true(ml != US_STR_NONE && ml >= m->lm_words);
    us_slot s[3] = {tiny_slot(m, "the", 0), tiny_slot(m, "meta-studying", 1), tiny_slot(m, "failed", 2)};
    us_slot part[3] = {tiny_slot(m, "the", 0), tiny_slot(m, "studying", 1), tiny_slot(m, "failed", 2)};
    us_arc a, p;
    assert_true(find_arc(m, s, 3, 1, "meta-learning", NULL, &a));
    assert_true(find_arc(m, part, 3, 1, "learning", NULL, &p));
    assert_int_equal(a.lm[0], US_LM_UNK);
    assert_true(a.learned);
    /* the part's channel, halved, times LEARNED_TERM_BONUS * 10; the
     * frequency discounts cancel, "learning" and "studying" being unknown
     * to the LM alike */
    assert_float_equal(a.channel - p.channel, 3.0 + log10(0.5), 0.001);
    tiny_expect_first_span(m, "The meta-studying failed.", "meta-studying -> meta-learning");
    unspin_model_free(m);
}

/* A learned swap between two words the LM does not know ("k-implies" <-
 * k-means, k-medians): both originals proposed, told apart by their
 * vocabulary ids though the LM knows neither. */
static void test_learned_original_outside_lm(void **state)
{
    (void)state;
    unspin_model *m = tiny();
    if (!m)
        skip();
    us_slot s[3] = {tiny_slot(m, "the", 0), tiny_slot(m, "k-implies", 1), tiny_slot(m, "failed", 2)};
    assert_true(s[1].vid != US_STR_NONE && s[1].lm == US_LM_UNK);
    us_arc a, b;
    assert_true(find_arc(m, s, 3, 1, "k-means", NULL, &a));
    assert_true(find_arc(m, s, 3, 1, "k-medians", NULL, &b));
    assert_int_equal(a.lm[0], US_LM_UNK);
    assert_int_equal(b.lm[0], US_LM_UNK);
    /* an LM word is not read as one the LM does not know */
    us_slot t[2] = {tiny_slot(m, "the", 0), tiny_slot(m, "badly", 1)};
    assert_int_equal(swaps_at(m, t, 2, 1), 0);
    unspin_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_part_swap_restored),
        cmocka_unit_test(test_unknown_compound_not_proposed),
        cmocka_unit_test(test_part_swap_to_learned_original),
        cmocka_unit_test(test_learned_original_outside_lm),
    };
    return cmocka_run_group_tests_name("compound", tests, NULL, tiny_model_teardown);
}
