/* The learned vocabulary (src/model/learned.c: per word, the entries of
 * the learned table holding it on either side, built at open) and the
 * detector's use of it (src/detect/candidates.c): a run whose original is
 * no known term is restored when its text is made of words the table has
 * seen spun and its original of words it has seen as originals, and only
 * then.  Tiny models built here from an ARPA LM and learned tables. */
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

/* The LM knows every word alone, few pairs: "irregular hub" and "random
 * node" are pairs it has not seen; the originals are the commoner words,
 * by a margin that does not make a one-word swap worth taking. */
static const char *const arpa =
    "\\data\\\nngram 1=14\nngram 2=3\n\n\\1-grams:\n"
    "-1.0\t<s>\t-0.5\n-1.0\t</s>\n-1.2\tthe\t-0.3\n-1.5\ta\t-0.3\n-2.0\tfailed\t-0.3\n"
    "-2.0\trandom\t-0.2\n-2.0\tnode\t-0.2\n-3.0\tirregular\t-0.2\n-3.0\thub\t-0.2\n"
    "-3.0\tforest\t-0.2\n-3.0\twoodland\t-0.2\n-3.0\tsensor\t-0.2\n-3.0\tvariable\t-0.2\n"
    "-3.0\tfailure\t-0.2\n"
    "\n\\2-grams:\n-0.5\t<s> the\n-0.5\t<s> a\n-0.4\tfailed </s>\n\n\\end\\\n";

/* Each row teaches a word on its side once: irregular, hub spun three
 * times, random, node original three times; "random node" is no entry. */
static const char *const strong_table =
    "irregular woodland\trandom forest\t1\t0.5\n"
    "irregular\trandom\t3\t0.6\n"
    "irregular variable\trandom variable\t1\t0.5\n"
    "hub failure\tnode failure\t1\t0.5\n"
    "hub\tnode\t3\t0.6\n"
    "sensor hub\tsensor node\t1\t0.5\n";

/* The same swaps seen once each. */
static const char *const weak_table =
    "irregular\trandom\t1\t0.5\n"
    "hub\tnode\t1\t0.5\n";

static float run_channel(const unspin_model *m, const us_slot *slots, size_t n, size_t i,
                         const char *o1, const char *o2);

/* A tiny model with learned table `table` and synonym list `syns`; NULL
 * when the system has no Hunspell dictionary. */
static unspin_model *tiny_syn(const char *table, const char *syns)
{
    return tiny_model(arpa, syns, table);
}

static unspin_model *tiny(const char *table)
{
    return tiny_syn(table, "# none\n");
}

/* Asserts the learned index's counts of word w: entries with it in their
 * original, and in their spun form. */
static void expect_counts(const unspin_model *m, const char *w, uint32_t orig, uint32_t spun)
{
    uint32_t o, s;
    us_learned_counts(m, us_model_word(m, w, strlen(w)), &o, &s);
    if (o != orig || s != spun)
        fail_msg("%s: counted %u as an original and %u spun, expected %u and %u", w, o, s,
                 orig, spun);
}

static void test_counts(void **state)
{
    (void)state;
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
    assert_non_null(m->learned_ix);
    assert_int_equal(m->learned_ix->entries, 6);
    uint32_t o, s;
    expect_counts(m, "irregular", 0, 3);
    expect_counts(m, "random", 3, 0);
    expect_counts(m, "hub", 0, 3);
    /* kept in "hub failure" <- node failure: an original's word only */
    expect_counts(m, "failure", 1, 0);
    expect_counts(m, "the", 0, 0);
    us_learned_counts(m, US_STR_NONE, &o, &s);
    assert_int_equal(o + s, 0);
    unspin_model_free(m);
}

/* A content word kept on both sides of an entry is no spinner's word:
 * "bayesian" of "bayesian arrangement" <- bayesian classification counts
 * as an original only, so a run may keep it ("bayesian" would otherwise
 * be as often spun as original, and no run keeps such a word); a
 * function word kept ("of") is counted on both sides, as it says
 * nothing of either. */
static const char *const kept_both_table =
    "arrangement\tclassification\t3\t0.6\n"
    "bayesian arrangement\tbayesian classification\t1\t0.5\n"
    "arrangement of failure\tclassification of failure\t1\t0.5\n";

static void test_kept_words_counted(void **state)
{
    (void)state;
    unspin_model *m = tiny(kept_both_table);
    if (!m)
        skip();
    expect_counts(m, "bayesian", 1, 0);
    expect_counts(m, "failure", 1, 0);
    expect_counts(m, "of", 1, 1);
    expect_counts(m, "arrangement", 0, 3);
    unspin_model_free(m);
}

static void test_vocabulary_run(void **state)
{
    (void)state;
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
    /* "random node" is no term anywhere: the run is taken on the learned
     * vocabulary alone. */
    tiny_expect_first_span(m, "The irregular hub failed.", "irregular hub -> random node");
    unspin_model_free(m);
}

static void test_weak_evidence_left_alone(void **state)
{
    (void)state;
    unspin_model *m = tiny(weak_table);
    if (!m)
        skip();
    /* Each swap seen once: not enough for a run whose original is no
     * known term. */
    tiny_expect_first_span(m, "The irregular hub failed.", NULL);
    unspin_model_free(m);
}

/* A swap seen strongly (irregular <- random, three entries) beside a word
 * seen once, as an original only ("sensor"): a run.  Beside the same
 * word never seen in the table, none: one swap alone is left to the LM. */
static const char *const kept_table =
    "irregular\trandom\t3\t0.6\n"
    "irregular woodland\trandom forest\t1\t0.5\n"
    "irregular variable\trandom variable\t1\t0.5\n"
    "timber\tsensor\t1\t0.5\n";
static const char *const kept_table_unseen =
    "irregular\trandom\t3\t0.6\n"
    "irregular woodland\trandom forest\t1\t0.5\n"
    "irregular variable\trandom variable\t1\t0.5\n";

static void test_kept_word_seen_once(void **state)
{
    (void)state;
    unspin_model *m = tiny(kept_table);
    if (!m)
        skip();
    tiny_expect_first_span(m, "The irregular sensor failed.", "irregular -> random");
    unspin_model_free(m);
    m = tiny(kept_table_unseen);
    tiny_expect_first_span(m, "The irregular sensor failed.", NULL);
    unspin_model_free(m);
}

/* A kept word neither the LM nor the table knows (a name, a technical
 * word: "butterworth channel") does not stop a strong swap's run. */
static void test_kept_word_unknown(void **state)
{
    (void)state;
    /* (the synonym list puts "butterworth" in the vocabulary) */
    unspin_model *m = tiny_syn(kept_table_unseen, "butterworth\tfilter\n");
    if (!m)
        skip();
    uint32_t v = us_model_word(m, "butterworth", 11);
    assert_true(v != US_STR_NONE && v >= m->lm_words);
    tiny_expect_first_span(m, "The irregular butterworth failed.", "irregular -> random");
    unspin_model_free(m);
}

/* The LM of `arpa` with one word more, "tamura", known only as rarely as
 * a word it does not know (log10 -6.9): a name, a technical word. */
static const char *const arpa_rare =
    "\\data\\\nngram 1=15\nngram 2=3\n\n\\1-grams:\n"
    "-1.0\t<s>\t-0.5\n-1.0\t</s>\n-1.2\tthe\t-0.3\n-1.5\ta\t-0.3\n-2.0\tfailed\t-0.3\n"
    "-2.0\trandom\t-0.2\n-2.0\tnode\t-0.2\n-3.0\tirregular\t-0.2\n-3.0\thub\t-0.2\n"
    "-3.0\tforest\t-0.2\n-3.0\twoodland\t-0.2\n-3.0\tsensor\t-0.2\n-3.0\tvariable\t-0.2\n"
    "-3.0\tfailure\t-0.2\n-6.9\ttamura\t-0.2\n"
    "\n\\2-grams:\n-0.5\t<s> the\n-0.5\t<s> a\n-0.4\tfailed </s>\n\n\\end\\\n";

/* kept_table_unseen with the swap weighing less than the half: one
 * spun form among a spinner's many for "random". */
static const char *const kept_table_unsure =
    "irregular\trandom\t3\t0.3\n"
    "irregular woodland\trandom forest\t1\t0.5\n"
    "irregular variable\trandom variable\t1\t0.5\n";

/* A kept word the LM knows, but only as rarely as a word it does not
 * know, that is never a swap and that the table has not seen ("tamura
 * highlights" <- tamura features) stands beside a sure swap (weight 0.5
 * or more) as an unknown word does; beside a swap the table is not sure
 * of, or a commoner word ("sensor", test_kept_word_seen_once), it does
 * not. */
static void test_kept_word_rare(void **state)
{
    (void)state;
    unspin_model *m = tiny_model(arpa_rare, "# none\n", kept_table_unseen);
    if (!m)
        skip();
    uint32_t v = us_model_word(m, "tamura", 6);
    assert_true(v != US_STR_NONE && v < m->lm_words);
    tiny_expect_first_span(m, "The irregular tamura failed.", "irregular -> random");
    unspin_model_free(m);
    m = tiny_model(arpa_rare, "# none\n", kept_table_unsure);
    tiny_expect_first_span(m, "The irregular tamura failed.", NULL);
    unspin_model_free(m);
}

/* A rare kept word whose only candidate is a dictionary's sense of it
 * ("gabor" <- dennis gabor: here "tamura" <- sensor, from the synonym
 * list), with no learned swap and never seen spun in the table, is still
 * a name: the sure swap beside it makes the same run as beside a name
 * without candidates.  Seen spun once in the table, it is a spinner's
 * word and no run keeps it. */
static void test_kept_word_rare_senses(void **state)
{
    (void)state;
    unspin_model *m = tiny_model(arpa_rare, "# none\n", kept_table_unseen);
    if (!m)
        skip();
    us_slot s1[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "tamura", 2),
                     tiny_slot(m, "failed", 3)};
    float bare = run_channel(m, s1, 4, 1, "random", "tamura");
    unspin_model_free(m);
    m = tiny_model(arpa_rare, "sensor\ttamura\n", kept_table_unseen);
    us_slot s2[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "tamura", 2),
                     tiny_slot(m, "failed", 3)};
    float senses = run_channel(m, s2, 4, 1, "random", "tamura");
    assert_true(bare > -99);
    assert_float_equal(senses, bare, 1e-4);
    unspin_model_free(m);
    char table[1024];
    snprintf(table, sizeof table, "%stamura\tsensor\t1\t0.5\n", kept_table_unseen);
    m = tiny_model(arpa_rare, "sensor\ttamura\n", table);
    us_slot s3[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "tamura", 2),
                     tiny_slot(m, "failed", 3)};
    assert_true(run_channel(m, s3, 4, 1, "random", "tamura") == -99);
    unspin_model_free(m);
}

/* The LM of `arpa` with "reticulum" at unigram log10 `uni`. */
static void arpa_with_reticulum(char *buf, size_t cap, double uni)
{
    snprintf(buf, cap,
             "\\data\\\nngram 1=15\nngram 2=3\n\n\\1-grams:\n"
             "-1.0\t<s>\t-0.5\n-1.0\t</s>\n-1.2\tthe\t-0.3\n-1.5\ta\t-0.3\n-2.0\tfailed\t-0.3\n"
             "-2.0\trandom\t-0.2\n-2.0\tnode\t-0.2\n-3.0\tirregular\t-0.2\n-3.0\thub\t-0.2\n"
             "-3.0\tforest\t-0.2\n-3.0\twoodland\t-0.2\n-3.0\tsensor\t-0.2\n-3.0\tvariable\t-0.2\n"
             "-3.0\tfailure\t-0.2\n%.1f\treticulum\t-0.2\n"
             "\n\\2-grams:\n-0.5\t<s> the\n-0.5\t<s> a\n-0.4\tfailed </s>\n\n\\end\\\n",
             uni);
}

/* The channel of the run "irregular reticulum" <- random reticulum with
 * "reticulum" at unigram log10 `uni` and learned table `table`; -99
 * when there is none (or no Hunspell: *skip set). */
static float reticulum_run(double uni, const char *table, int *skip_it)
{
    char lm[2048];
    arpa_with_reticulum(lm, sizeof lm, uni);
    unspin_model *m = tiny_model(lm, "# none\n", table);
    if (!m) {
        *skip_it = 1;
        return -99;
    }
    us_slot s[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1),
                    tiny_slot(m, "reticulum", 2), tiny_slot(m, "failed", 3)};
    float ch = run_channel(m, s, 4, 1, "random", "reticulum");
    unspin_model_free(m);
    return ch;
}

/* A kept word the LM knows but rarely (below RUN_TERM_RARE, -5) that the
 * table has seen as an original three times and never spun ("secret
 * node" <- hidden node: here "reticulum") is a technical term's word:
 * a sure swap's run beside it weighs RUN_NAME_BONUS (3) times more than
 * beside the same word as common as general English (-4), or seen as an
 * original only twice, or beside a swap the table is not sure of. */
static void test_kept_term_word(void **state)
{
    (void)state;
    int skip_it = 0;
    const char *three = "mesh\treticulum\t1\t0.5\nweb\treticulum\t1\t0.5\n"
                        "net\treticulum\t1\t0.5\n";
    const char *two = "mesh\treticulum\t1\t0.5\nweb\treticulum\t1\t0.5\n";
    char sure3[1024], sure2[1024], unsure3[1024];
    snprintf(sure3, sizeof sure3, "%s%s", kept_table_unseen, three);
    snprintf(sure2, sizeof sure2, "%s%s", kept_table_unseen, two);
    snprintf(unsure3, sizeof unsure3, "%s%s", kept_table_unsure, three);
    float rare = reticulum_run(-5.5, sure3, &skip_it);
    if (skip_it)
        skip();
    float common = reticulum_run(-4.0, sure3, &skip_it);
    assert_true(rare > -99 && common > -99);
    assert_float_equal(rare - common, 0.4771, 0.001); /* log10 3 */
    /* seen as an original twice: no bonus */
    float rare2 = reticulum_run(-5.5, sure2, &skip_it);
    float common2 = reticulum_run(-4.0, sure2, &skip_it);
    assert_true(rare2 > -99);
    assert_float_equal(rare2, common2, 1e-4);
    /* a swap weighing less than the half: no bonus */
    float rareu = reticulum_run(-5.5, unsure3, &skip_it);
    float commonu = reticulum_run(-4.0, unsure3, &skip_it);
    assert_true(rareu > -99);
    assert_float_equal(rareu, commonu, 1e-4);
}

/* A kept word the model's vocabulary does not hold at all ("teichoic
 * corrosive" <- teichoic acid, "fluffy ahp" <- fuzzy ahp), or one never
 * swapped (an acronym), may stand beside a strong swap in a run of two. */
static void test_kept_word_bare(void **state)
{
    (void)state;
    unspin_model *m = tiny(kept_table_unseen);
    if (!m)
        skip();
    assert_true(us_model_word(m, "teichoic", 8) == US_STR_NONE);
    tiny_expect_first_span(m, "The irregular teichoic failed.", "irregular -> random");
    tiny_expect_first_span(m, "The irregular AHP failed.", "irregular -> random");
    unspin_model_free(m);
}

/* The channel of the learned one-word swap of slots[i] among the
 * candidates at i; fails when there is none. */
static float learned_channel(const unspin_model *m, const us_slot *slots, size_t n, size_t i,
                             const char *orig)
{
    us_arcs arcs = {NULL, 0, 0};
    assert_int_equal(us_candidates(m, slots, n, i, &arcs, NULL), 0);
    uint32_t o = us_model_word(m, orig, strlen(orig));
    float ch = 0;
    int found = 0;
    for (size_t k = 0; k < arcs.n; k++)
        if (arcs.a[k].learned && arcs.a[k].n == 1 && arcs.a[k].to == i + 1 &&
            arcs.a[k].vid[0] == o) {
            ch = arcs.a[k].channel;
            found = 1;
        }
    free(arcs.a);
    assert_true(found);
    return ch;
}

/* "irregular", seen spun three times and never as an original, weighs
 * three times more as a swap beside a word the LM never saw it with
 * ("the irregular") than alone; "hub" with "failure", seen on both sides
 * of the table, is no such word. */
static void test_spun_word_bonus(void **state)
{
    (void)state;
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
    us_slot alone[1] = {tiny_slot(m, "irregular", 0)};
    us_slot pair[2] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1)};
    float a = learned_channel(m, alone, 1, 0, "random");
    float b = learned_channel(m, pair, 2, 1, "random");
    assert_float_equal(b - a, 0.4771, 0.001); /* log10 3 */
    unspin_model_free(m);
    m = tiny(weak_table);
    us_slot walone[1] = {tiny_slot(m, "irregular", 0)};
    us_slot wpair[2] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1)};
    /* seen spun once: no bonus */
    assert_float_equal(learned_channel(m, wpair, 2, 1, "random"),
                       learned_channel(m, walone, 1, 0, "random"), 1e-6);
    unspin_model_free(m);
}

/* The adjacent word pairs of the originals: "random forest", "random
 * variable", "node failure", "sensor node", each once; not reversed, not
 * across entries, not on the spun side. */
static void test_pairs(void **state)
{
    (void)state;
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
#define W(w) us_model_word(m, w, strlen(w))
    assert_int_equal(us_learned_pair(m, W("random"), W("forest")), 1);
    assert_int_equal(us_learned_pair(m, W("random"), W("variable")), 1);
    assert_int_equal(us_learned_pair(m, W("node"), W("failure")), 1);
    assert_int_equal(us_learned_pair(m, W("sensor"), W("node")), 1);
    assert_int_equal(us_learned_pair(m, W("forest"), W("random")), 0);
    assert_int_equal(us_learned_pair(m, W("random"), W("node")), 0);
    assert_int_equal(us_learned_pair(m, W("irregular"), W("woodland")), 0);
    assert_int_equal(us_learned_pair(m, W("sensor"), US_STR_NONE), 0);
#undef W
    unspin_model_free(m);
}

/* A learned one-word swap whose original makes a pair of the originals
 * with the text's word beside it, a pair the LM has not seen ("sensor
 * hub" <- sensor node), weighs 30 times more than beside a word it makes
 * no such pair with ("variable hub"). */
static void test_context_pair(void **state)
{
    (void)state;
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
    us_slot with[2] = {tiny_slot(m, "sensor", 0), tiny_slot(m, "hub", 1)};
    us_slot without[2] = {tiny_slot(m, "variable", 0), tiny_slot(m, "hub", 1)};
    float a = learned_channel(m, with, 2, 1, "node");
    float b = learned_channel(m, without, 2, 1, "node");
    assert_float_equal(a - b, 1.4771, 0.001); /* log10 30 */
    unspin_model_free(m);
}

/* The channel of the run arc over slots [i, i + 2) read as o1 o2, or
 * -99 when there is none. */
static float run_channel(const unspin_model *m, const us_slot *slots, size_t n, size_t i,
                         const char *o1, const char *o2)
{
    us_arcs arcs = {NULL, 0, 0};
    assert_int_equal(us_candidates(m, slots, n, i, &arcs, NULL), 0);
    uint32_t v1 = us_model_word(m, o1, strlen(o1)), v2 = us_model_word(m, o2, strlen(o2));
    float ch = -99;
    for (size_t k = 0; k < arcs.n; k++)
        if (arcs.a[k].to == i + 2 && arcs.a[k].n == 2 && arcs.a[k].vid[0] == v1 &&
            arcs.a[k].vid[1] == v2)
            ch = arcs.a[k].channel;
    free(arcs.a);
    return ch;
}

/* A vocabulary run's original whose words stand side by side in an
 * original of the table ("random node" of "random node failure"), where
 * the LM has not seen them so, weighs 30 times more. */
static const char *const pair_table =
    "irregular woodland\trandom forest\t1\t0.5\n"
    "irregular\trandom\t3\t0.6\n"
    "irregular variable\trandom variable\t1\t0.5\n"
    "hub failure\tnode failure\t1\t0.5\n"
    "hub\tnode\t3\t0.6\n"
    "sensor hub\tsensor node\t1\t0.5\n"
    "chance knot breakdown\trandom node failure\t1\t0.5\n";

static void test_run_pair_bonus(void **state)
{
    (void)state;
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
    us_slot s1[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "hub", 2),
                     tiny_slot(m, "failed", 3)};
    float a = run_channel(m, s1, 4, 1, "random", "node");
    unspin_model_free(m);
    m = tiny(pair_table);
    us_slot s2[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "hub", 2),
                     tiny_slot(m, "failed", 3)};
    float b = run_channel(m, s2, 4, 1, "random", "node");
    assert_true(a > -99 && b > -99);
    assert_float_equal(b - a, 1.4771, 0.001);
    unspin_model_free(m);
}

/* The originals of two words or more, each once with the entries that
 * hold it, and found by word and position. */
static const char *const phrase_table =
    "irregular woodland\trandom forest\t1\t0.5\n"
    "arbitrary woodland\trandom forest\t1\t0.5\n"
    "chance woodland\trandom forest\t1\t0.5\n"
    "irregular\trandom\t3\t0.6\n"
    "irregular variable\trandom variable\t1\t0.5\n";

static void test_phrase_index(void **state)
{
    (void)state;
    unspin_model *m = tiny(phrase_table);
    if (!m)
        skip();
#define W(w) us_model_word(m, w, strlen(w))
    uint32_t rf[2] = {W("random"), W("forest")}, rv[2] = {W("random"), W("variable")};
    uint32_t fr[2] = {W("forest"), W("random")};
    assert_int_equal(m->learned_ix->nph, 2);
    assert_int_equal(us_learned_phrase_count(m, rf, 2), 3);
    assert_int_equal(us_learned_phrase_count(m, rv, 2), 1);
    assert_int_equal(us_learned_phrase_count(m, fr, 2), 0);
    assert_int_equal(us_learned_phrase_count(m, rf, 1), 0);
    size_t n;
    const us_learned_posting *p = us_learned_phrases_at(m, W("forest"), 1, 2, &n);
    assert_int_equal(n, 1);
    assert_int_equal(m->learned_ix->ph[p->phrase].w[0], W("random"));
    p = us_learned_phrases_at(m, W("random"), 0, 2, &n);
    assert_int_equal(n, 2);
    assert_null(us_learned_phrases_at(m, W("forest"), 0, 2, &n));
    assert_int_equal(n, 0);
    assert_null(us_learned_phrases_at(m, W("random"), 0, 3, &n));
#undef W
    unspin_model_free(m);
}

/* A known phrase completed: "irregular timber", where "timber" has no
 * learned swap and only a thesaurus one that reaches no original of the
 * table, reads "random forest" when that original was seen spun three
 * times; seen once, it does not. */
static void test_completed_phrase(void **state)
{
    (void)state;
    unspin_model *m = tiny_syn(phrase_table, "sensor\ttimber\n");
    if (!m)
        skip();
    us_slot s1[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "timber", 2),
                     tiny_slot(m, "failed", 3)};
    assert_true(run_channel(m, s1, 4, 1, "random", "forest") > -99);
    unspin_model_free(m);
    m = tiny_syn(strong_table, "sensor\ttimber\n");
    us_slot s2[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "timber", 2),
                     tiny_slot(m, "failed", 3)};
    assert_true(run_channel(m, s2, 4, 1, "random", "forest") == -99);
    unspin_model_free(m);
}

/* A run whose original the table holds whole ("random node") weighs 10
 * times more besides what a known term and a pair of the originals
 * bring (x 10 over a vocabulary run, x 30). */
static void test_run_phrase_bonus(void **state)
{
    (void)state;
    char table[1024];
    snprintf(table, sizeof table, "%schance knot\trandom node\t1\t0.5\n", strong_table);
    unspin_model *m = tiny(strong_table);
    if (!m)
        skip();
    us_slot s1[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "hub", 2),
                     tiny_slot(m, "failed", 3)};
    float a = run_channel(m, s1, 4, 1, "random", "node");
    unspin_model_free(m);
    m = tiny(table);
    us_slot s2[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "irregular", 1), tiny_slot(m, "hub", 2),
                     tiny_slot(m, "failed", 3)};
    float b = run_channel(m, s2, 4, 1, "random", "node");
    assert_true(a > -99 && b > -99);
    assert_float_equal(b - a, 1.0 + 1.4771 + 1.0, 0.001);
    unspin_model_free(m);
}

/* A productive place: "random forest" spun with three distinct words in
 * place of "random", "forest" kept each time; with one word there (and
 * the same number of entries); and with three, but among as many
 * originals alike ("dense forest", ...). */
static const char *const productive_table =
    "arbitrary forest\trandom forest\t1\t0.5\n"
    "chance forest\trandom forest\t1\t0.5\n"
    "haphazard forest\trandom forest\t1\t0.5\n";
static const char *const unproductive_table =
    "irregular forest\trandom forest\t1\t0.5\n"
    "irregular woodland\trandom forest\t1\t0.5\n"
    "irregular timber\trandom forest\t1\t0.5\n";
static const char *const crowded_table =
    "arbitrary forest\trandom forest\t1\t0.5\n"
    "chance forest\trandom forest\t1\t0.5\n"
    "haphazard forest\trandom forest\t1\t0.5\n"
    "thick woodland\tdense forest\t1\t0.5\n"
    "wet woodland\trainy forest\t1\t0.5\n"
    "cold woodland\tboreal forest\t1\t0.5\n";

/* The phrase "random forest" of model m. */
static const us_learned_phrase *random_forest(const unspin_model *m)
{
    uint32_t w[2] = {us_model_word(m, "random", 6), us_model_word(m, "forest", 6)};
    size_t n;
    const us_learned_posting *p = us_learned_phrases_at(m, w[0], 0, 2, &n);
    for (size_t k = 0; k < n; k++) {
        const us_learned_phrase *ph = &m->learned_ix->ph[p[k].phrase];
        if (ph->w[1] == w[1])
            return ph;
    }
    fail_msg("no \"random forest\" in the phrase index");
    return NULL;
}

/* Per word of an original, the distinct spun words in its place and the
 * originals alike but for it. */
static void test_productive_index(void **state)
{
    (void)state;
    unspin_model *m = tiny(productive_table);
    if (!m)
        skip();
    const us_learned_phrase *ph = random_forest(m);
    assert_int_equal(ph->count, 3);
    assert_int_equal(ph->forms[0], 3);
    assert_int_equal(ph->forms[1], 0);
    assert_int_equal(ph->frame[0], 1);
    assert_int_equal(ph->frame[1], 1);
    unspin_model_free(m);
    m = tiny(unproductive_table);
    ph = random_forest(m);
    assert_int_equal(ph->forms[0], 1);
    assert_int_equal(ph->forms[1], 2);
    unspin_model_free(m);
    m = tiny(crowded_table);
    ph = random_forest(m);
    assert_int_equal(ph->forms[0], 3);
    assert_int_equal(ph->frame[0], 4);
    assert_int_equal(ph->frame[1], 1);
    unspin_model_free(m);
}

/* "stray forest": "stray", a word of general English (a thesaurus swap,
 * to "sensor") that the table never saw, in the productive place of
 * "random forest", reads it, with no learned swap in the window; in the
 * place of one spun word, or of three among as many originals alike, it
 * does not. */
static void test_productive_place(void **state)
{
    (void)state;
    const char *syns = "sensor\tstray\n";
    const char *tables[] = {productive_table, unproductive_table, crowded_table};
    for (size_t t = 0; t < 3; t++) {
        unspin_model *m = tiny_syn(tables[t], syns);
        if (!m)
            skip();
        us_slot s[4] = {tiny_slot(m, "the", 0), tiny_slot(m, "stray", 1),
                        tiny_slot(m, "forest", 2), tiny_slot(m, "failed", 3)};
        float ch = run_channel(m, s, 4, 1, "random", "forest");
        if (t == 0) {
            /* P(new word) 3 / (3 + 3), alone among the originals alike,
             * times 0.01 for this one, with a known term's bonus (100);
             * "random" is the commoner word (no frequency discount) */
            assert_float_equal(ch, log10(0.5 * 0.01 * 100), 0.001);
            tiny_expect_first_span(m, "The stray forest failed.", "stray -> random");
        } else
            assert_true(ch == -99);
        unspin_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_vocabulary_run),
        cmocka_unit_test(test_weak_evidence_left_alone),
        cmocka_unit_test(test_kept_word_seen_once),
        cmocka_unit_test(test_kept_word_unknown),
        cmocka_unit_test(test_kept_word_rare),
        cmocka_unit_test(test_kept_word_rare_senses),
        cmocka_unit_test(test_kept_term_word),
        cmocka_unit_test(test_kept_word_bare),
        cmocka_unit_test(test_kept_words_counted),
        cmocka_unit_test(test_spun_word_bonus),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_context_pair),
        cmocka_unit_test(test_run_pair_bonus),
        cmocka_unit_test(test_phrase_index),
        cmocka_unit_test(test_completed_phrase),
        cmocka_unit_test(test_run_phrase_bonus),
        cmocka_unit_test(test_productive_index),
        cmocka_unit_test(test_productive_place),
    };
    return cmocka_run_group_tests(tests, NULL, tiny_model_teardown);
}
