/* Unit tests for the morphology module (src/lexicon/morph.c): the public
 * unspin_morph_* functions and the builder's us_morph_analyze.
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

#include "lexicon/analyze.h"
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

static void test_inflect_fixes(void **state)
{
    (void)state;
    NEED_DATA();
    check_inflect("recall", "attacked", "recalled"); /* Hunspell: re- call -ed */
    check_inflect("meeting", "attacks", "meetings"); /* Hunspell: meet -ings */
    check_inflect("russia", "cat's", "russia's");    /* the dictionary has Russia */
    check_inflect("care", "walked", "cared");        /* not car -ed */
    check_inflect("hope", "walking", "hoping");      /* not hop -ing */
    check_inflect("hop", "walking", "hopping");
    check_inflect("put", "walked", "put");           /* putted is putt -ed */
    check_inflect("do", "attacks", "does");          /* before dos */
    unspin_wordlist l;
    /* Debian's be/DHT: bed is no past of be. */
    assert_int_equal(unspin_morph_inflect(g_morph, "be", "walked", &l, NULL), UNSPIN_OK);
    assert_false(list_has(&l, "bed"));
    assert_true(list_has(&l, "was"));
    unspin_wordlist_free(&l);
    /* en_US's R flag also makes agent nouns: attacker is no comparative. */
    assert_int_equal(unspin_morph_inflect(g_morph, "attack", "bigger", &l, NULL), UNSPIN_OK);
    assert_false(list_has(&l, "attacker"));
    unspin_wordlist_free(&l);
}

/* ---- us_morph_analyze ------------------------------------------------ */

typedef struct readings {
    us_analysis v[16];
    size_t n;
} readings;

static readings analyze(const char *word)
{
    readings r;
    unspin_error err;
    int rc = us_morph_analyze(g_morph, word, r.v, 16, &r.n, &err);
    if (rc != UNSPIN_OK)
        fail_msg("analyze(%s): %s", word, err.message);
    return r;
}

static bool has_reading(const readings *r, const char *lemma, us_infl infl)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].infl == infl && strcmp(r->v[i].lemma, lemma) == 0)
            return true;
    return false;
}

static bool has_lemma(const readings *r, const char *lemma)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].lemma, lemma) == 0)
            return true;
    return false;
}

/* The first reading of word must be (lemma, infl). */
static void check_first(const char *word, const char *lemma, us_infl infl)
{
    readings r = analyze(word);
    if (r.n == 0)
        fail_msg("analyze(%s): no reading", word);
    if (strcmp(r.v[0].lemma, lemma) != 0 || r.v[0].infl != infl)
        fail_msg("analyze(%s): first reading (%s, %s), expected (%s, %s)", word, r.v[0].lemma,
                 us_infl_name(r.v[0].infl), lemma, us_infl_name(infl));
}

static void check_has(const char *word, const char *lemma, us_infl infl)
{
    readings r = analyze(word);
    if (!has_reading(&r, lemma, infl))
        fail_msg("analyze(%s): no reading (%s, %s)", word, lemma, us_infl_name(infl));
}

static void check_no_lemma(const char *word, const char *lemma)
{
    readings r = analyze(word);
    if (has_lemma(&r, lemma))
        fail_msg("analyze(%s): junk reading with lemma %s", word, lemma);
}

static void test_analyze_forms(void **state)
{
    (void)state;
    NEED_DATA();
    check_first("males", "male", US_INFL_PLURAL);
    check_first("men", "man", US_INFL_PLURAL);
    check_first("attacks", "attack", US_INFL_PLURAL);
    check_first("attacked", "attack", US_INFL_PAST);
    check_first("attacking", "attack", US_INFL_GERUND);
    check_first("went", "go", US_INFL_PAST);
    check_first("gone", "go", US_INFL_PARTICIPLE);
    check_first("biggest", "big", US_INFL_SUPERLATIVE);
    check_first("bigger", "big", US_INFL_COMPARATIVE);
    check_first("happiest", "happy", US_INFL_SUPERLATIVE);
    check_first("russia's", "russia", US_INFL_POSSESSIVE);
    check_first("recalled", "recall", US_INFL_PAST);
    check_first("stopped", "stop", US_INFL_PAST);
    check_first("mice", "mouse", US_INFL_PLURAL);
    check_first("better", "good", US_INFL_COMPARATIVE);
    check_first("hoping", "hope", US_INFL_GERUND); /* en_US reads hop -ing */
    check_first("cared", "care", US_INFL_PAST);    /* and car -ed */
    check_first("meetings", "meeting", US_INFL_PLURAL);
    check_first("is", "be", US_INFL_PLURAL);
    check_first("does", "do", US_INFL_PLURAL);
    check_has("sung", "sing", US_INFL_PARTICIPLE);
    check_has("sang", "sing", US_INFL_PAST);
    check_has("lives", "life", US_INFL_PLURAL);
    check_has("lives", "live", US_INFL_PLURAL);
    check_has("hit", "hit", US_INFL_PAST); /* one form for both */
}

static void test_analyze_base_first(void **state)
{
    (void)state;
    NEED_DATA();
    check_first("ground", "ground", US_INFL_BASE);
    check_has("ground", "grind", US_INFL_PAST);
    check_first("news", "news", US_INFL_BASE);
    check_first("attack", "attack", US_INFL_BASE);
    check_first("joe", "joe", US_INFL_BASE);
    check_first("quickly", "quickly", US_INFL_BASE); /* derived, not inflected */
    check_first("attacker", "attacker", US_INFL_BASE);
    /* A form Debian lists as an entry keeps its base reading last. */
    readings r = analyze("went");
    assert_true(r.n >= 2);
    assert_int_equal(r.v[r.n - 1].infl, US_INFL_BASE);
    assert_string_equal(r.v[r.n - 1].lemma, "went");
    /* A word nobody knows is its own lemma, alone. */
    r = analyze("zzxqjv");
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].lemma, "zzxqjv");
    assert_int_equal(r.v[0].infl, US_INFL_BASE);
    /* Upper case is folded. */
    check_first("Attacks", "attack", US_INFL_PLURAL);
}

static void test_analyze_no_junk(void **state)
{
    (void)state;
    NEED_DATA();
    check_no_lemma("bed", "be"); /* be/DHT */
    check_no_lemma("best", "be");
    check_no_lemma("is", "i");   /* i/US */
    check_no_lemma("as", "a");
    check_no_lemma("his", "hi"); /* hi/SD */
    check_no_lemma("its", "it");
    check_no_lemma("has", "ha");
    check_no_lemma("red", "re"); /* re/DSMYTGVJ */
    check_no_lemma("ring", "re");
    check_no_lemma("shed", "she");
    check_no_lemma("caring", "car"); /* car/DG */
    check_no_lemma("biting", "bit");
    check_no_lemma("dyed", "dy");    /* Dy, dysprosium */
    check_no_lemma("attacker", "attack"); /* R: agent noun, no comparative */
    check_no_lemma("contest", "conte");
    check_no_lemma("pleased", "pleas");
    check_no_lemma("rehearsed", "rehears");
    check_no_lemma("member's", "member's"); /* a listed possessive */
    check_no_lemma("thing", "the");          /* the/G */
    check_no_lemma("need", "nee");
    check_no_lemma("string", "str");
    check_no_lemma("priest", "pry");         /* pry/T */
    check_has("reading", "read", US_INFL_GERUND); /* en_US has read only as re- ad */
    check_first("bathing", "bathe", US_INFL_GERUND); /* before bath/G */
}

static void test_analyze_unique_and_cap(void **state)
{
    (void)state;
    NEED_DATA();
    static const char *const words[] = {"ground", "lives", "bathing", "better", "does",
                                        "attacks", "went", "put", "news", "saw"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        readings r = analyze(words[w]);
        assert_true(r.n > 0);
        for (size_t i = 0; i < r.n; i++) {
            assert_true(strlen(r.v[i].lemma) < US_LEMMA_MAX);
            for (size_t j = i + 1; j < r.n; j++)
                assert_false(r.v[i].infl == r.v[j].infl &&
                             strcmp(r.v[i].lemma, r.v[j].lemma) == 0);
        }
    }
    us_analysis an[2];
    size_t n = 99;
    assert_int_equal(us_morph_analyze(g_morph, "ground", an, 1, &n, NULL), UNSPIN_OK);
    assert_int_equal(n, 1);
    assert_string_equal(an[0].lemma, "ground");
    assert_int_equal(us_morph_analyze(g_morph, "ground", NULL, 0, &n, NULL), UNSPIN_OK);
    assert_int_equal(n, 0);
    /* Lemmas that do not fit US_LEMMA_MAX are left out. */
    char longw[US_LEMMA_MAX + 8], huge[400];
    memset(longw, 'q', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    memset(huge, 'q', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_int_equal(us_morph_analyze(g_morph, longw, an, 2, &n, NULL), UNSPIN_OK);
    assert_int_equal(n, 0);
    assert_int_equal(us_morph_analyze(g_morph, huge, an, 2, &n, NULL), UNSPIN_OK);
    assert_int_equal(n, 0);
}

static void test_is_proper(void **state)
{
    (void)state;
    NEED_DATA();
    assert_int_equal(us_morph_is_proper(g_morph, "joe"), 1);
    assert_int_equal(us_morph_is_proper(g_morph, "biden"), 1);
    assert_int_equal(us_morph_is_proper(g_morph, "moscow"), 1);
    assert_int_equal(us_morph_is_proper(g_morph, "april"), 1);
    assert_int_equal(us_morph_is_proper(g_morph, "nato"), 1); /* NATO */
    assert_int_equal(us_morph_is_proper(g_morph, "russia's"), 1);
    assert_int_equal(us_morph_is_proper(g_morph, "cold"), 0);
    assert_int_equal(us_morph_is_proper(g_morph, "war"), 0);
    assert_int_equal(us_morph_is_proper(g_morph, "chilly"), 0);
    assert_int_equal(us_morph_is_proper(g_morph, "zzxqjv"), 0);
    /* en_US also has geneva (gin) in lower case. */
    assert_int_equal(us_morph_is_proper(g_morph, "geneva"), 0);
    assert_int_equal(us_morph_is_proper(g_morph, ""), 0);
}

static void test_infl_names(void **state)
{
    (void)state;
    static const char *const names[US_INFL_COUNT] = {
        "base", "plural", "past", "participle", "gerund", "comparative", "superlative",
        "possessive"};
    for (int k = 0; k < US_INFL_COUNT; k++)
        assert_string_equal(us_infl_name((us_infl)k), names[k]);
    assert_string_equal(us_infl_name(US_INFL_COUNT), "unknown");
}

/* A like-word of each class for unspin_morph_inflect. */
static const char *const LIKE[US_INFL_COUNT] = {
    NULL, "attacks", "attacked", "taken", "attacking", "bigger", "biggest", "cat's"};

#define SAMPLE 2000

/* Lower-case entries of en_US.dic (the part before '/'), SAMPLE of them
 * evenly spaced; returns how many were taken (into *out, malloc'd). */
static size_t sample_dic(char ***out)
{
    FILE *f = fopen(SYS_DIC, "r");
    assert_non_null(f);
    char line[256], **all = NULL;
    size_t n = 0, cap = 0;
    bool first = true;
    while (fgets(line, sizeof line, f)) {
        if (first) { /* the entry count */
            first = false;
            continue;
        }
        line[strcspn(line, "/\r\n")] = '\0';
        bool lower = line[0] >= 'a' && line[0] <= 'z';
        for (const char *p = line; *p && lower; p++)
            lower = !(*p >= 'A' && *p <= 'Z');
        if (!lower)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            all = realloc(all, cap * sizeof *all);
            assert_non_null(all);
        }
        all[n] = strdup(line);
        assert_non_null(all[n++]);
    }
    fclose(f);
    assert_true(n >= SAMPLE);
    char **pick = malloc(SAMPLE * sizeof *pick);
    assert_non_null(pick);
    for (size_t i = 0; i < SAMPLE; i++) {
        size_t j = i * n / SAMPLE;
        pick[i] = all[j];
        all[j] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(all[i]);
    free(all);
    *out = pick;
    return SAMPLE;
}

/* The other way: each form F of a sampled lemma L that inflect makes must
 * analyse with L among its lemmas.  Counts into *total and *back. */
static void forms_back(const char *lemma, size_t *total, size_t *back)
{
    for (int k = US_INFL_PLURAL; k < US_INFL_COUNT; k++) {
        unspin_wordlist l;
        if (unspin_morph_inflect(g_morph, lemma, LIKE[k], &l, NULL) != UNSPIN_OK)
            continue;
        for (size_t i = 0; i < l.count; i++) {
            if (strcmp(l.words[i], lemma) == 0)
                continue;
            readings r = analyze(l.words[i]);
            (*total)++;
            if (has_lemma(&r, lemma))
                (*back)++;
            else
                print_message("no lemma back: %s -> %s\n", lemma, l.words[i]);
        }
        unspin_wordlist_free(&l);
    }
}

/* Every reading (L, C) of a word W, C not BASE, must give W back:
 * unspin_morph_inflect(L, like a word of class C) lists W. */
static void test_analyze_round_trip(void **state)
{
    (void)state;
    NEED_DATA();
    char **words;
    size_t nwords = sample_dic(&words), total = 0, back = 0, shown = 0;
    size_t forms = 0, forms_ok = 0;
    for (size_t w = 0; w < nwords; w++) {
        forms_back(words[w], &forms, &forms_ok);
        readings r = analyze(words[w]);
        for (size_t i = 0; i < r.n; i++) {
            if (r.v[i].infl == US_INFL_BASE)
                continue;
            total++;
            unspin_wordlist l;
            if (unspin_morph_inflect(g_morph, r.v[i].lemma, LIKE[r.v[i].infl], &l, NULL) ==
                UNSPIN_OK) {
                if (list_has(&l, words[w]))
                    back++;
                else if (shown++ < 10)
                    print_message("no round trip: %s -> (%s, %s)\n", words[w], r.v[i].lemma,
                                  us_infl_name(r.v[i].infl));
                unspin_wordlist_free(&l);
            }
        }
        free(words[w]);
    }
    free(words);
    print_message("round trip: %zu of %zu readings (%.1f%%) in %zu words\n", back, total,
                  total ? 100.0 * (double)back / (double)total : 0.0, nwords);
    print_message("forms back to their lemma: %zu of %zu (%.1f%%)\n", forms_ok, forms,
                  forms ? 100.0 * (double)forms_ok / (double)forms : 0.0);
    assert_true(total > 0 && forms > 0);
    /* Measured: 100% both ways (176 readings, 2543 forms). */
    assert_true((double)back >= 0.99 * (double)total);
    assert_true((double)forms_ok >= 0.99 * (double)forms);
}

/* us_morph_forms(lemma, k) must list `want` (NULL: must list nothing). */
static void check_forms(const char *lemma, us_infl k, const char *want)
{
    unspin_wordlist l;
    unspin_error err;
    assert_int_equal(us_morph_forms(g_morph, lemma, k, &l, &err), UNSPIN_OK);
    if (want) {
        if (!list_has(&l, want))
            print_message("%s (%s): no %s among %zu forms\n", lemma, us_infl_name(k), want,
                          l.count);
        assert_true(list_has(&l, want));
    } else {
        assert_int_equal(l.count, 0);
    }
    unspin_wordlist_free(&l);
}

/* The forms the model builder adds to the vocabulary: irregular ones from
 * the exception lists, regular ones with the spelling rules, none where
 * the class does not fit the word; and each analyses back to its lemma. */
static void test_forms(void **state)
{
    (void)state;
    NEED_DATA();
    check_forms("oculus", US_INFL_PLURAL, "oculi");
    check_forms("aver", US_INFL_PAST, "averred");
    check_forms("aver", US_INFL_GERUND, "averring");
    check_forms("tardy", US_INFL_COMPARATIVE, "tardier");
    check_forms("ample", US_INFL_SUPERLATIVE, "amplest");
    check_forms("go", US_INFL_PARTICIPLE, "gone");
    check_forms("attack", US_INFL_COMPARATIVE, NULL);
    readings r = analyze("averred");
    assert_true(has_lemma(&r, "aver"));
    unspin_wordlist l;
    unspin_error err;
    assert_int_equal(us_morph_forms(g_morph, "aver", US_INFL_COUNT, &l, &err), UNSPIN_EINVAL);
    assert_int_equal(us_morph_forms(g_morph, NULL, US_INFL_PAST, &l, &err), UNSPIN_EINVAL);
    assert_int_equal(us_morph_forms(g_morph, " ", US_INFL_PAST, &l, &err), UNSPIN_EINVAL);
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
    us_analysis an[2];
    size_t n = 7;
    assert_int_equal(us_morph_analyze(NULL, "cats", an, 2, &n, &err), UNSPIN_EINVAL);
    assert_int_equal(n, 0);
    assert_int_equal(us_morph_analyze(m, NULL, an, 2, &n, &err), UNSPIN_EINVAL);
    assert_int_equal(us_morph_analyze(m, "cats", NULL, 2, &n, &err), UNSPIN_EINVAL);
    assert_int_equal(us_morph_analyze(m, "cats", an, 2, NULL, &err), UNSPIN_EINVAL);
    assert_int_equal(us_morph_analyze(m, "", an, 2, &n, &err), UNSPIN_EINVAL);
    assert_int_equal(err.code, UNSPIN_EINVAL);
    assert_int_equal(us_morph_is_proper(NULL, "joe"), 0);
    assert_int_equal(us_morph_is_proper(m, NULL), 0);
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
        cmocka_unit_test(test_inflect_fixes),
        cmocka_unit_test(test_analyze_forms),
        cmocka_unit_test(test_analyze_base_first),
        cmocka_unit_test(test_analyze_no_junk),
        cmocka_unit_test(test_analyze_unique_and_cap),
        cmocka_unit_test(test_is_proper),
        cmocka_unit_test(test_infl_names),
        cmocka_unit_test(test_analyze_round_trip),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_bad_paths),
        cmocka_unit_test(test_env_overrides),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests_name("morph", tests, group_setup, group_teardown);
}
