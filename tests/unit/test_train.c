/* Unit tests of the trainer (unspin_trainer_*) on crafted lists and pairs. */
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

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/unspin-train.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static unspin_trainer *trainer(void)
{
    unspin_trainer *t = NULL;
    assert_int_equal(unspin_trainer_new(&t, NULL), UNSPIN_OK);
    return t;
}

/* The table must hold spun -> orig with this count and, to four places,
 * this probability. */
static void expect_entry(const unspin_trainer *t, const char *spun, const char *orig,
                         double count, double prob)
{
    double p = -1;
    assert_true(unspin_trainer_lookup(t, spun, orig, &p) == count);
    assert_true(p > prob - 5e-5 && p < prob + 5e-5);
}

#define PPS "tortured\texpected\tnum_papers\n"                  \
            "irregular woodland\trandom forest\t120\n"         \
            "# a comment\n"                                     \
            "\n"                                                \
            "Irregular  Timberland\trandom forest\t3\n"         \
            "counterfeit consciousness\tartificial intelligence\t900\n"

static void test_pps_counts(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    unspin_error err;
    assert_int_equal(unspin_trainer_add_pps(t, write_tmp("a.tsv", PPS), 0, &err), UNSPIN_OK);
    assert_int_equal(unspin_trainer_phrase_count(t), 3);
    /* 3 phrases + irregular->random, woodland->forest, timberland->forest,
     * counterfeit->artificial, consciousness->intelligence */
    assert_int_equal(unspin_trainer_entry_count(t), 8);
    double p;
    /* random: irregular seen twice, one form: (2 + 1 * 1/2) / (2 + 1) */
    expect_entry(t, "irregular", "random", 2.0, 0.83333);
    /* forest: woodland 1, timberland 1, two forms: (1 + 1/3) / (2 + 1);
     * but woodland is seen for forest alone: 1 / (1 + 1) */
    expect_entry(t, "woodland", "forest", 1.0, 0.5);
    /* case and spaces normalized; random forest: two forms, 1 each:
     * (1 + 1/3) / 3; backward 1 / 2 */
    expect_entry(t, "irregular timberland", "random forest", 1.0, 0.5);
    assert_true(unspin_trainer_lookup(t, "random", "irregular", &p) == 0.0);
    assert_true(p == 0.0);
    unspin_trainer_free(t);
}

static void test_pps_weight_papers(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    assert_int_equal(unspin_trainer_add_pps(t, write_tmp("b.tsv", PPS),
                                            UNSPIN_TRAIN_WEIGHT_PAPERS, NULL), UNSPIN_OK);
    double p;
    assert_true(unspin_trainer_lookup(t, "irregular", "random", &p) == 123.0);
    assert_true(unspin_trainer_lookup(t, "counterfeit consciousness", "artificial intelligence",
                                      &p) == 900.0);
    /* (900 + 1/2) / 901 */
    assert_true(p > 0.99944 && p < 0.99945);
    unspin_trainer_free(t);
}

static void test_generalises_words(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    const char *s = "irregular woodland", *o = "random forest";
    assert_int_equal(unspin_trainer_add_phrase(t, s, strlen(s), o, strlen(o), 1.0, NULL),
                     UNSPIN_OK);
    assert_true(unspin_trainer_lookup(t, "irregular", "random", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "woodland", "forest", NULL) == 1.0);
    /* a word both sides share is no substitution */
    s = "deep gaining knowledge";
    o = "deep learning";
    assert_int_equal(unspin_trainer_add_phrase(t, s, strlen(s), o, strlen(o), 1.0, NULL),
                     UNSPIN_OK);
    assert_true(unspin_trainer_lookup(t, "deep gaining knowledge", "deep learning", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "deep", "deep", NULL) == 0.0);
    /* unequal lengths: the part between the shared words */
    assert_true(unspin_trainer_lookup(t, "gaining knowledge", "learning", NULL) == 1.0);
    s = "big data";
    o = "huge information";
    assert_int_equal(unspin_trainer_add_phrase(t, o, strlen(o), s, strlen(s), 1.0, NULL),
                     UNSPIN_OK);
    assert_true(unspin_trainer_lookup(t, "huge", "big", NULL) == 1.0);
    assert_int_equal(unspin_trainer_entry_count(t), 8);
    unspin_trainer_free(t);
}

/* The part of a pair of unequal lengths that differs is counted when the
 * pair shares words at one end or both, and the probabilities of word and
 * phrase entries are smoothed over all the forms of their original. */
static void test_core_of_unequal_pairs(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    static const char *const rows[][2] = {
        {"region of enthusiasm", "region of interest"}, /* equal: word by word */
        {"locale of enthusiasm", "area of interest"},
        {"distinguishing proof rate", "identification rate"},   /* shared end */
        {"profound gaining knowledge", "deep learning"},        /* nothing shared */
        {"the board", "management"},
        {"supply chain the board", "supply chain management"}, /* shared start */
        {"distinguishing proof", "identification"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(unspin_trainer_add_phrase(t, rows[i][0], strlen(rows[i][0]),
                                                   rows[i][1], strlen(rows[i][1]), 1.0, NULL),
                         UNSPIN_OK);
    double p;
    /* enthusiasm -> interest from two rows of equal length */
    assert_true(unspin_trainer_lookup(t, "enthusiasm", "interest", &p) == 2.0);
    /* interest: enthusiasm 2, one form: (2 + 1/2) / 3 */
    assert_true(p > 0.8333 && p < 0.8334);
    assert_true(unspin_trainer_lookup(t, "locale", "area", NULL) == 1.0);
    /* identification: "distinguishing proof" twice (as a core and a row),
     * "distinguishing proof rate" is counted for "identification rate" */
    assert_true(unspin_trainer_lookup(t, "distinguishing proof", "identification", &p) == 2.0);
    assert_true(p > 0.8333 && p < 0.8334);
    assert_true(unspin_trainer_lookup(t, "distinguishing proof rate", "identification rate",
                                      NULL) == 1.0);
    /* management: "the board" twice */
    assert_true(unspin_trainer_lookup(t, "the board", "management", NULL) == 2.0);
    /* nothing shared: no core, no words */
    assert_true(unspin_trainer_lookup(t, "profound", "deep", NULL) == 0.0);
    assert_true(unspin_trainer_lookup(t, "profound gaining knowledge", "deep learning", NULL) ==
                1.0);
    unspin_trainer_free(t);
}

/* A hyphenated compound with one part changed also counts that part,
 * in a phrase or alone; compounds with several parts changed, or as many
 * parts on neither side, count none. */
static void test_compound_part(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    static const char *const rows[][2] = {
        {"pre-educated model", "pre-trained model"},
        {"end-to-cease", "end-to-end"},
        {"okay-approach", "k-means"},          /* two parts changed */
        {"put-up-processing", "post-processing"}, /* three parts for two */
        {"covered-up layer", "hidden layer"},  /* no compound on one side */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(unspin_trainer_add_phrase(t, rows[i][0], strlen(rows[i][0]),
                                                   rows[i][1], strlen(rows[i][1]), 1.0, NULL),
                         UNSPIN_OK);
    assert_true(unspin_trainer_lookup(t, "educated", "trained", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "pre-educated", "pre-trained", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "pre-educated model", "pre-trained model", NULL) ==
                1.0);
    assert_true(unspin_trainer_lookup(t, "cease", "end", NULL) == 1.0);
    /* a one-word pair is its own entry, once */
    assert_true(unspin_trainer_lookup(t, "end-to-cease", "end-to-end", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "okay", "k", NULL) == 0.0);
    assert_true(unspin_trainer_lookup(t, "approach", "means", NULL) == 0.0);
    assert_true(unspin_trainer_lookup(t, "put", "post", NULL) == 0.0);
    assert_true(unspin_trainer_lookup(t, "covered", "hidden", NULL) == 0.0);
    /* the five rows, the words that differ of the two pairs of two
     * words, and the two parts */
    assert_int_equal(unspin_trainer_entry_count(t), 9);
    unspin_trainer_free(t);
}

static void test_malformed(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    unspin_error err;
    const char *p = write_tmp("bad.tsv", "tortured\texpected\tnum_papers\n"
                                         "irregular woodland\trandom forest\t12\n"
                                         "only two\tfields\n");
    assert_int_equal(unspin_trainer_add_pps(t, p, 0, &err), UNSPIN_EDICT);
    assert_non_null(strstr(err.message, "bad.tsv:3:"));
    p = write_tmp("bad2.tsv", "a b\tc d\tmany\n");
    assert_int_equal(unspin_trainer_add_pps(t, p, 0, &err), UNSPIN_EDICT);
    assert_non_null(strstr(err.message, "bad2.tsv:1: num_papers 'many'"));
    assert_int_equal(unspin_trainer_add_pps(t, "/nonexistent/x.tsv", 0, &err), UNSPIN_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/x.tsv"));
    unspin_trainer_free(t);
}

static void test_pairs(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    const char *o = "Critics said the proposal would raise taxes for families. "
                    "We trained a random forest on the data.";
    const char *r = "Critics mentioned the proposal would elevate taxes for households. "
                    "We trained an irregular woodland on the data.";
    assert_int_equal(unspin_trainer_add_pair(t, o, strlen(o), r, strlen(r), NULL), UNSPIN_OK);
    double p;
    assert_true(unspin_trainer_lookup(t, "mentioned", "said", &p) == 1.0);
    /* one form: (1 + 1/2) / 2 */
    assert_true(p > 0.7499 && p < 0.7501);
    assert_true(unspin_trainer_lookup(t, "elevate", "raise", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "households", "families", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "an irregular woodland", "a random forest", NULL) ==
                1.0);
    assert_true(unspin_trainer_lookup(t, "irregular", "random", NULL) == 1.0);
    assert_true(unspin_trainer_lookup(t, "woodland", "forest", NULL) == 1.0);
    assert_int_equal(unspin_trainer_phrase_count(t), 4);
    unspin_trainer_free(t);
}

static void test_write_table(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    assert_int_equal(unspin_trainer_add_pps(t, write_tmp("c.tsv", PPS), 0, NULL), UNSPIN_OK);
    char path[128];
    snprintf(path, sizeof path, "%s/learned.tsv", tmpdir);
    assert_int_equal(unspin_trainer_write_table(t, path, NULL), UNSPIN_OK);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    size_t rows = 0;
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        rows++;
        if (!strcmp(line, "irregular\trandom\t2\t0.833333\n"))
            found = 1;
    }
    fclose(f);
    assert_int_equal(rows, 8);
    assert_true(found);
    assert_int_equal(unspin_trainer_write_table(t, "/nonexistent/dir/x.tsv", NULL), UNSPIN_EIO);
    unspin_trainer_free(t);
}

/* A common original with many forms ("hidden") gives each a small
 * P(s | o); a form seen for it alone still points back to it surely:
 * the table carries count(o -> s) / (count(s) + alpha) when larger. */
static void test_backward_probability(void **state)
{
    (void)state;
    unspin_trainer *t = trainer();
    static const char *const rows[][3] = {
        {"concealed", "hidden", "3"}, {"covered", "hidden", "1"}, {"secret", "hidden", "2"},
        {"shrouded", "hidden", "3"},  {"unseen", "hidden", "1"},  {"secret", "private", "2"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(unspin_trainer_add_phrase(t, rows[i][0], strlen(rows[i][0]),
                                                   rows[i][1], strlen(rows[i][1]),
                                                   atof(rows[i][2]), NULL),
                         UNSPIN_OK);
    /* forward (3 + 1/6) / 11 = 0.288; backward 3 / 4 */
    expect_entry(t, "concealed", "hidden", 3.0, 0.75);
    /* secret: 4 in all, half of them for hidden: 2 / 5 = 0.4 beats
     * (2 + 1/6) / 11 = 0.197 */
    expect_entry(t, "secret", "hidden", 2.0, 0.4);
    /* private's one form: forward (2 + 1/2) / 3 = 0.833 beats 0.4 */
    expect_entry(t, "secret", "private", 2.0, 0.83333);
    char path[128];
    snprintf(path, sizeof path, "%s/backward.tsv", tmpdir);
    assert_int_equal(unspin_trainer_write_table(t, path, NULL), UNSPIN_OK);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, f))
        found += !strcmp(line, "concealed\thidden\t3\t0.750000\n") ||
                 !strcmp(line, "secret\thidden\t2\t0.400000\n") ||
                 !strcmp(line, "secret\tprivate\t2\t0.833333\n");
    fclose(f);
    assert_int_equal(found, 3);
    unspin_trainer_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pps_counts),
        cmocka_unit_test(test_pps_weight_papers),
        cmocka_unit_test(test_generalises_words),
        cmocka_unit_test(test_core_of_unequal_pairs),
        cmocka_unit_test(test_compound_part),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_write_table),
        cmocka_unit_test(test_backward_probability),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
