/* Unit tests for the morphology module (src/lexicon/morph.c).
 *
 * Most tests need Debian's en_US Hunspell files and WordNet 3.0 under
 * /usr/share; they are skipped when those are missing.  The error tests
 * use made-up paths and run everywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unspin.h"

#define SYS_AFF "/usr/share/hunspell/en_US.aff"
#define SYS_DIC "/usr/share/hunspell/en_US.dic"
#define SYS_WORDNET "/usr/share/wordnet"

/* The shared handle, or NULL when the system data is missing. */
static unspin_morph *g_morph;

static int group_setup(void **state)
{
    (void)state;
    if (access(SYS_AFF, R_OK) != 0 || access(SYS_DIC, R_OK) != 0 ||
        access(SYS_WORDNET "/verb.exc", R_OK) != 0)
        return 0;
    unspin_morph_options opts = {SYS_AFF, SYS_DIC, SYS_WORDNET};
    unspin_error err;
    if (unspin_morph_new(&opts, &g_morph, &err) != UNSPIN_OK) {
        fprintf(stderr, "unspin_morph_new: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    unspin_morph_free(g_morph);
    g_morph = NULL;
    return 0;
}

static bool list_has(const unspin_wordlist *l, const char *w)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->words[i], w) == 0)
            return true;
    return false;
}

/* The first lemma of word must be `first`; `also` (when non-NULL) must be
 * in the list too. */
static void check_lemmas(const char *word, const char *first, const char *also)
{
    unspin_wordlist l;
    unspin_error err;
    assert_int_equal(unspin_morph_lemmas(g_morph, word, &l, &err), UNSPIN_OK);
    assert_true(l.count > 0);
    assert_string_equal(l.words[0], first);
    if (also)
        assert_true(list_has(&l, also));
    unspin_wordlist_free(&l);
}

/* The first form of lemma like `like` must be `first`. */
static void check_inflect(const char *lemma, const char *like, const char *first)
{
    unspin_wordlist l;
    unspin_error err;
    int rc = unspin_morph_inflect(g_morph, lemma, like, &l, &err);
    if (rc != UNSPIN_OK)
        fail_msg("inflect(%s, %s): %s", lemma, like, err.message);
    assert_true(l.count > 0);
    assert_string_equal(l.words[0], first);
    unspin_wordlist_free(&l);
}

#define NEED_DATA()        \
    do {                   \
        if (!g_morph)      \
            skip();        \
    } while (0)

static void test_lemmas_regular(void **state)
{
    (void)state;
    NEED_DATA();
    check_lemmas("assaults", "assault", NULL);
    check_lemmas("studies", "study", NULL);
    check_lemmas("attacked", "attack", NULL);
    check_lemmas("happiest", "happy", NULL);
    check_lemmas("stopped", "stop", NULL);
    check_lemmas("women", "woman", NULL);
}

static void test_lemmas_irregular(void **state)
{
    (void)state;
    NEED_DATA();
    check_lemmas("mice", "mouse", NULL);
    check_lemmas("ran", "run", NULL);
    check_lemmas("went", "go", NULL);
    check_lemmas("children", "child", NULL);
    check_lemmas("better", "good", "better");
    check_lemmas("went deep", "go deep", NULL);
}

static void test_lemmas_base_case_unknown(void **state)
{
    (void)state;
    NEED_DATA();
    check_lemmas("attack", "attack", NULL);
    check_lemmas("Attacks", "attack", NULL);
    check_lemmas("ASSAULTS", "assault", NULL);
    check_lemmas("zzxqjv", "zzxqjv", NULL); /* unknown: its own lemma */
}

static void test_inflect_regular(void **state)
{
    (void)state;
    NEED_DATA();
    check_inflect("attack", "assaults", "attacks");
    check_inflect("attack", "assaulted", "attacked");
    check_inflect("attack", "assaulting", "attacking");
    check_inflect("box", "cats", "boxes");
    check_inflect("study", "attacks", "studies");
    check_inflect("stop", "walked", "stopped");
    check_inflect("happy", "biggest", "happiest");
    check_inflect("happy", "bigger", "happier");
    check_inflect("cat", "dog's", "cat's");
    check_inflect("make", "walking", "making");
    check_inflect("panic", "attacked", "panicked");
    check_inflect("woman", "cats", "women");
}

static void test_inflect_irregular(void **state)
{
    (void)state;
    NEED_DATA();
    check_inflect("go", "walked", "went");
    check_inflect("go", "ran", "went");
    check_inflect("go", "eaten", "gone"); /* a participle asks for one */
    check_inflect("run", "attacked", "ran");
    check_inflect("mouse", "cats", "mice");
    check_inflect("mouse", "boxes", "mice");
    check_inflect("child", "women", "children");
    check_inflect("good", "happiest", "best");
    check_inflect("hit", "attacked", "hit"); /* no past of its own */
}

static void test_inflect_past_then_participle(void **state)
{
    (void)state;
    NEED_DATA();
    unspin_wordlist l;
    assert_int_equal(unspin_morph_inflect(g_morph, "go", "walked", &l, NULL), UNSPIN_OK);
    assert_true(l.count >= 2);
    assert_string_equal(l.words[0], "went");
    assert_string_equal(l.words[1], "gone");
    unspin_wordlist_free(&l);
    check_inflect("sing", "walked", "sang");
    check_inflect("sing", "gone", "sung");
}

static void test_inflect_base_and_case(void **state)
{
    (void)state;
    NEED_DATA();
    check_inflect("attack", "assault", "attack");
    check_inflect("Attack", "ASSAULTS", "attacks");
}

static void test_inflect_phrases(void **state)
{
    (void)state;
    NEED_DATA();
    check_inflect("grind to a halt", "attacked", "ground to a halt");
    check_inflect("grind to a halt", "stops", "grinds to a halt");
    check_inflect("news conference", "cats", "news conferences");
    check_inflect("search engine", "cats", "search engines");
    check_inflect("attack", "took pains", "attacked");
    /* Blanks are trimmed and runs of them made one space. */
    check_inflect("  grind \t to a  halt ", "attacked ", "ground to a halt");
}

static void test_inflect_not_found(void **state)
{
    (void)state;
    NEED_DATA();
    unspin_wordlist l;
    unspin_error err;
    /* No verb to put in the past. */
    assert_int_equal(unspin_morph_inflect(g_morph, "cold war", "attacked", &l, &err),
                     UNSPIN_ENOTFOUND);
    assert_int_equal(err.code, UNSPIN_ENOTFOUND);
    assert_non_null(strstr(err.message, "cold war"));
    assert_int_equal(l.count, 0);
    assert_null(l.words);
    /* A derived form (-ly) is no inflection. */
    assert_int_equal(unspin_morph_inflect(g_morph, "attack", "quickly", &l, &err),
                     UNSPIN_ENOTFOUND);
}

/* unspin_morph_new with the given paths must fail with UNSPIN_EDICT and a
 * message naming `named`. */
static void check_bad_path(const unspin_morph_options *opts, const char *named)
{
    unspin_morph *m = (unspin_morph *)&m; /* must be reset to NULL */
    unspin_error err;
    assert_int_equal(unspin_morph_new(opts, &m, &err), UNSPIN_EDICT);
    assert_null(m);
    assert_int_equal(err.code, UNSPIN_EDICT);
    assert_non_null(strstr(err.message, named));
    assert_null(strchr(err.message, '\n'));
}

static void test_bad_paths(void **state)
{
    (void)state;
    /* Existing stand-ins for the Hunspell files: the WordNet files are read
     * before Hunspell is started, so the stand-ins are never parsed. */
    char aff[] = "/tmp/unspin-test-aff-XXXXXX", dic[] = "/tmp/unspin-test-dic-XXXXXX";
    int fa = mkstemp(aff), fd = mkstemp(dic);
    assert_true(fa >= 0 && fd >= 0);
    close(fa);
    close(fd);

    unspin_morph_options o = {"/nonexistent/en_US.aff", dic, "/nonexistent-wn"};
    check_bad_path(&o, "/nonexistent/en_US.aff");
    o = (unspin_morph_options){aff, "/nonexistent/en_US.dic", "/nonexistent-wn"};
    check_bad_path(&o, "/nonexistent/en_US.dic");
    o = (unspin_morph_options){aff, dic, "/nonexistent-wn"};
    check_bad_path(&o, "/nonexistent-wn/noun.exc");
    o = (unspin_morph_options){aff, dic, "/tmp"}; /* a directory without the lists */
    check_bad_path(&o, "/tmp/noun.exc");
    o = (unspin_morph_options){"/tmp", dic, "/nonexistent-wn"};
    check_bad_path(&o, "/tmp");

    unlink(aff);
    unlink(dic);
}

static void test_env_overrides(void **state)
{
    (void)state;
    char aff[] = "/tmp/unspin-test-aff-XXXXXX";
    int fa = mkstemp(aff);
    assert_true(fa >= 0);
    close(fa);

    /* The environment replaces the defaults... */
    setenv("UNSPIN_HUNSPELL_AFF", "/nonexistent/env.aff", 1);
    check_bad_path(NULL, "/nonexistent/env.aff");
    setenv("UNSPIN_HUNSPELL_AFF", aff, 1);
    setenv("UNSPIN_HUNSPELL_DIC", aff, 1);
    setenv("UNSPIN_WORDNET_DIR", "/nonexistent/env-wn", 1);
    check_bad_path(NULL, "/nonexistent/env-wn/noun.exc");
    /* ...and options replace the environment. */
    unspin_morph_options o = {NULL, NULL, "/nonexistent/opt-wn"};
    check_bad_path(&o, "/nonexistent/opt-wn/noun.exc");

    unsetenv("UNSPIN_HUNSPELL_AFF");
    unsetenv("UNSPIN_HUNSPELL_DIC");
    unsetenv("UNSPIN_WORDNET_DIR");
    unlink(aff);
}

static void test_null_arguments(void **state)
{
    (void)state;
    unspin_error err;
    unspin_wordlist l;
    unspin_morph *m = (unspin_morph *)&m; /* any non-NULL handle: never used */
    assert_int_equal(unspin_morph_new(NULL, NULL, &err), UNSPIN_EINVAL);
    assert_int_equal(err.code, UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_lemmas(NULL, "cats", &l, &err), UNSPIN_EINVAL);
    assert_int_equal(l.count, 0);
    assert_int_equal(unspin_morph_lemmas(m, NULL, &l, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_lemmas(m, "cats", NULL, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_lemmas(m, "", &l, NULL), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_inflect(NULL, "cat", "dogs", &l, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_inflect(m, NULL, "dogs", &l, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_inflect(m, "cat", NULL, &l, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_inflect(m, "cat", "dogs", NULL, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_inflect(m, "cat", "", &l, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_morph_inflect(m, " \t", "dogs", &l, &err), UNSPIN_EINVAL);
    assert_int_equal(err.code, UNSPIN_EINVAL);
    /* Freeing nothing is a no-op. */
    unspin_morph_free(NULL);
    unspin_wordlist_free(NULL);
    unspin_wordlist_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lemmas_regular),
        cmocka_unit_test(test_lemmas_irregular),
        cmocka_unit_test(test_lemmas_base_case_unknown),
        cmocka_unit_test(test_inflect_regular),
        cmocka_unit_test(test_inflect_irregular),
        cmocka_unit_test(test_inflect_past_then_participle),
        cmocka_unit_test(test_inflect_base_and_case),
        cmocka_unit_test(test_inflect_phrases),
        cmocka_unit_test(test_inflect_not_found),
        cmocka_unit_test(test_bad_paths),
        cmocka_unit_test(test_env_overrides),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests_name("morph", tests, group_setup, group_teardown);
}
