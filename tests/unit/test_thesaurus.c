/* Tests for the thesaurus readers (src/lexicon/thesaurus.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lexicon/thesaurus.h"

#define MYTHES_DAT "/usr/share/mythes/th_en_US_v2.dat"
#define WORDNET_DIR "/usr/share/wordnet"
#define PROJECT_FILE "dictionaries/synonyms.txt"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char tmpdir[64];
static char *tmpfiles[128];
static size_t ntmpfiles;

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/unspin-thesaurus-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    for (size_t i = 0; i < ntmpfiles; i++) {
        unlink(tmpfiles[i]);
        free(tmpfiles[i]);
    }
    ntmpfiles = 0;
    /* Sub-directories made by the WordNet tests. */
    static const char *const subdirs[] = {"wn", "wn-bad1", "wn-bad2",
                                          "wn-bad3", "wn-bad4", "wn-bad5"};
    for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", tmpdir, subdirs[i]);
        rmdir(p);
    }
    return rmdir(tmpdir);
}

/* Write `text` to tmpdir/name (creating sub-directory `dir` when given);
 * returns the path (owned by the cleanup list). */
static const char *write_tmp(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    char *slash = strrchr(path, '/');
    if (slash > path + strlen(tmpdir)) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    for (size_t i = 0; i < ntmpfiles; i++)
        if (strcmp(tmpfiles[i], path) == 0)
            return tmpfiles[i];
    assert_true(ntmpfiles < sizeof tmpfiles / sizeof tmpfiles[0]);
    tmpfiles[ntmpfiles] = strdup(path);
    assert_non_null(tmpfiles[ntmpfiles]);
    return tmpfiles[ntmpfiles++];
}

static const char *tmp_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static uint32_t id_of(const us_thesaurus *th, const char *term)
{
    return us_thesaurus_lookup(th, term, strlen(term));
}

/* The edge (from, to, kind), or NULL; scans all edges (sorted or not). */
static const us_edge *find_edge(const us_thesaurus *th, const char *from,
                                const char *to, us_edge_kind kind)
{
    uint32_t a = id_of(th, from), b = id_of(th, to);
    if (a == US_TERM_NONE || b == US_TERM_NONE)
        return NULL;
    const us_edge *e = us_thesaurus_edges(th);
    const us_edge *hit = NULL;
    for (size_t i = 0; i < us_thesaurus_edge_count(th); i++)
        if (e[i].from == a && e[i].to == b && e[i].kind == kind) {
            assert_null(hit); /* one edge per (from, to, kind) */
            hit = &e[i];
        }
    return hit;
}

static size_t edges_of(const us_thesaurus *th, const char *from)
{
    uint32_t a = id_of(th, from);
    size_t n = 0;
    const us_edge *e = us_thesaurus_edges(th);
    for (size_t i = 0; i < us_thesaurus_edge_count(th); i++)
        n += e[i].from == a;
    return n;
}

static void expect_edge(const us_thesaurus *th, const char *from,
                        const char *to, us_edge_kind kind, us_pos pos,
                        double weight)
{
    const us_edge *e = find_edge(th, from, to, kind);
    if (!e)
        fail_msg("no %s edge %s -> %s", us_edge_kind_name(kind), from, to);
    if (fabs(e->weight - weight) > 1e-6)
        fail_msg("%s -> %s: weight %.7f, want %.7f", from, to, e->weight,
                 weight);
    assert_int_equal(e->pos, pos);
}

/* For a handle loaded from one source: the weights of each `from` add up
 * to 1. */
static void expect_weights_sum_to_one(us_thesaurus *th)
{
    us_thesaurus_dedup(th);
    const us_edge *e = us_thesaurus_edges(th);
    size_t n = us_thesaurus_edge_count(th);
    for (size_t i = 0; i < n;) {
        double sum = 0;
        size_t j = i;
        for (; j < n && e[j].from == e[i].from; j++) {
            assert_true(e[j].weight > 0 && e[j].weight <= 1);
            sum += e[j].weight;
        }
        if (fabs(sum - 1) > 1e-4)
            fail_msg("weights of '%s' add up to %f",
                     us_thesaurus_term(th, e[i].from, NULL), sum);
        i = j;
    }
}

/* Loading fails with UNSPIN_EDICT and a message holding `where`. */
static void expect_dict_error(int rc, const unspin_error *err,
                              const char *where)
{
    assert_int_equal(rc, UNSPIN_EDICT);
    assert_int_equal(err->code, UNSPIN_EDICT);
    if (!strstr(err->message, where))
        fail_msg("message '%s' lacks '%s'", err->message, where);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sanitizers and valgrind slow loading down by an order of magnitude. */
static double time_scale(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 20;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 20;
#endif
#endif
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        return 100;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Terms and edges                                                     */
/* ------------------------------------------------------------------ */

static void test_normalize(void **state)
{
    (void)state;
    char buf[US_TERM_MAX_BYTES + 1];
    const char *in = "  Grind_to_a \t HALT ";
    assert_int_equal(us_term_normalize(in, strlen(in), buf, sizeof buf), 15);
    assert_string_equal(buf, "grind to a halt");
    in = "Rock \xE2\x80\x99n\xE2\x80\x99 Roll";
    us_term_normalize(in, strlen(in), buf, sizeof buf);
    assert_string_equal(buf, "rock 'n' roll");
    in = "CAF\xC3\x89 \xC3\x97";
    us_term_normalize(in, strlen(in), buf, sizeof buf);
    assert_string_equal(buf, "caf\xC3\xA9 \xC3\x97");
    assert_int_equal(us_term_normalize("abcd", 4, buf, 4), (size_t)-1);
    assert_int_equal(us_term_normalize("abc", 3, buf, 4), 3);
    assert_int_equal(us_term_normalize("a\0b", 3, buf, sizeof buf),
                     (size_t)-1);
    assert_int_equal(us_term_normalize(" _ ", 3, buf, sizeof buf), 0);
}

static void test_intern_and_edges(void **state)
{
    (void)state;
    us_thesaurus *th = us_thesaurus_new();
    assert_non_null(th);
    uint32_t a, b, c;
    assert_int_equal(us_thesaurus_intern(th, "Cold_War", 8, &a), UNSPIN_OK);
    assert_int_equal(us_thesaurus_intern(th, "cold  war", 9, &b), UNSPIN_OK);
    assert_int_equal(a, b);
    assert_int_equal(us_thesaurus_intern(th, "chilly struggle", 15, &c),
                     UNSPIN_OK);
    assert_int_not_equal(a, c);
    assert_int_equal(us_thesaurus_intern(th, " ", 1, &c), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_term_count(th), 2);
    size_t len;
    assert_string_equal(us_thesaurus_term(th, a, &len), "cold war");
    assert_int_equal(len, 8);
    assert_null(us_thesaurus_term(th, 2, NULL));
    assert_int_equal(id_of(th, "COLD_WAR"), a);
    assert_int_equal(id_of(th, "warm war"), US_TERM_NONE);

    /* Many terms: the hash table grows and every id stays findable. */
    char word[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(word, sizeof word, "w%d", i);
        assert_int_equal(us_thesaurus_intern(th, word, strlen(word), &c), 0);
        assert_int_equal(c, (uint32_t)i + 2);
    }
    for (int i = 0; i < 5000; i += 7) {
        snprintf(word, sizeof word, "W%d", i);
        assert_int_equal(id_of(th, word), (uint32_t)i + 2);
    }

    c = id_of(th, "chilly struggle");
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_LEARNED,
                                           US_POS_NOUN, 0.25f), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_LEARNED,
                                           US_POS_NOUN, 0.75f), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_LEARNED,
                                           US_POS_VERB, 0.5f), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_SYNSET,
                                           US_POS_NOUN, 0.1f), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_edge(th, c, a, US_EDGE_LEARNED,
                                           US_POS_NOUN, 1.0f), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_edge(th, a, a, US_EDGE_LEARNED,
                                           US_POS_NOUN, 1.0f), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_LEARNED,
                                           US_POS_NOUN, 0.0f), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_LEARNED,
                                           US_POS_NOUN, 1.5f), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_add_edge(th, a, 99999, US_EDGE_LEARNED,
                                           US_POS_NOUN, 0.5f), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_add_edge(th, a, c, US_EDGE_KIND_COUNT,
                                           US_POS_NOUN, 0.5f), UNSPIN_EINVAL);
    size_t n;
    assert_null(us_thesaurus_edges_from(th, a, &n)); /* not sorted yet */
    assert_int_equal(n, 0);
    assert_int_equal(us_thesaurus_edge_count(th), 5);
    assert_int_equal(us_thesaurus_dedup(th), 3);
    const us_edge *e = us_thesaurus_edges_from(th, a, &n);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].kind, US_EDGE_SYNSET);
    assert_float_equal(e[0].weight, 0.1f, 1e-7);
    assert_int_equal(e[1].kind, US_EDGE_LEARNED);
    assert_float_equal(e[1].weight, 0.75f, 1e-7); /* the highest wins */
    assert_int_equal(e[1].pos, US_POS_ANY);       /* noun and verb merged */
    assert_int_equal(e[1].sources, US_SRC_BIT(US_SRC_OTHER));
    e = us_thesaurus_edges_from(th, c, &n);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].pos, US_POS_NOUN);
    assert_null(us_thesaurus_edges_from(th, 5, &n));

    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    assert_int_equal(st.terms, 5002);
    assert_int_equal(st.multiword_terms, 2);
    assert_int_equal(st.edges, 3);
    assert_int_equal(st.edges_by_kind[US_EDGE_LEARNED], 2);
    assert_int_equal(st.edges_by_source[US_SRC_OTHER], 3);
    assert_int_equal(st.terms_by_source[US_SRC_OTHER], 5002);
    us_thesaurus_free(th);
    us_thesaurus_free(NULL);
}

/* ------------------------------------------------------------------ */
/* MyThes                                                              */
/* ------------------------------------------------------------------ */

static const char small_mythes[] =
    "UTF-8\n"
    "cold|3\n"
    "(adj)|frigid|icy (similar term)|cool (related term)|hot (antonym)|"
    "temperature (generic term)\n"
    "(noun)|coldness|low temperature|frigidity\n"
    "(noun)|common cold|Coldness|respiratory disease (generic term)\n"
    "frigid|1\n"
    "(adj)|cold|icy (similar term)|frigid\n"
    "\n"
    "icy|1\r\n"
    "(adj)|cold (similar term)\r\n"
    "chill|1\n"
    "(noun)|coldness\n";

static void test_mythes_small(void **state)
{
    (void)state;
    const char *path = write_tmp("small.dat", small_mythes);
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    assert_int_equal(us_thesaurus_add_mythes(th, path, &err), UNSPIN_OK);

    /* cold: senses weigh 1, 1/2, 1/3 (sum 11/6), shared by candidates. */
    expect_edge(th, "cold", "frigid", US_EDGE_SYNSET, US_POS_ADJ, 2.0 / 11);
    expect_edge(th, "cold", "icy", US_EDGE_SIMILAR, US_POS_ADJ, 2.0 / 11);
    expect_edge(th, "cold", "cool", US_EDGE_RELATED, US_POS_ADJ, 2.0 / 11);
    expect_edge(th, "cold", "coldness", US_EDGE_SYNSET, US_POS_NOUN,
                1.0 / 11 + 1.0 / 11);
    expect_edge(th, "cold", "low temperature", US_EDGE_SYNSET, US_POS_NOUN,
                1.0 / 11);
    expect_edge(th, "cold", "frigidity", US_EDGE_SYNSET, US_POS_NOUN,
                1.0 / 11);
    expect_edge(th, "cold", "common cold", US_EDGE_SYNSET, US_POS_NOUN,
                1.0 / 11);
    assert_int_equal(edges_of(th, "cold"), 7);
    /* Hypernyms and antonyms are not replacements. */
    assert_int_equal(id_of(th, "hot"), US_TERM_NONE);
    assert_int_equal(id_of(th, "temperature"), US_TERM_NONE);

    expect_edge(th, "frigid", "cold", US_EDGE_SYNSET, US_POS_ADJ, 0.5);
    expect_edge(th, "frigid", "icy", US_EDGE_SIMILAR, US_POS_ADJ, 0.5);
    assert_int_equal(edges_of(th, "frigid"), 2); /* no self-loop */
    expect_edge(th, "icy", "cold", US_EDGE_SIMILAR, US_POS_ADJ, 1.0);
    expect_edge(th, "chill", "coldness", US_EDGE_SYNSET, US_POS_NOUN, 1.0);

    /* Candidates without an entry get reverse edges, RELATED ones not. */
    expect_edge(th, "coldness", "cold", US_EDGE_SYNSET, US_POS_NOUN, 0.5);
    expect_edge(th, "coldness", "chill", US_EDGE_SYNSET, US_POS_NOUN, 0.5);
    expect_edge(th, "common cold", "cold", US_EDGE_SYNSET, US_POS_NOUN, 1.0);
    expect_edge(th, "low temperature", "cold", US_EDGE_SYNSET, US_POS_NOUN,
                1.0);
    expect_edge(th, "frigidity", "cold", US_EDGE_SYNSET, US_POS_NOUN, 1.0);
    assert_int_equal(edges_of(th, "cool"), 0);
    assert_int_not_equal(id_of(th, "cool"), US_TERM_NONE);

    assert_int_equal(us_thesaurus_edge_count(th), 16);
    assert_int_equal(us_thesaurus_term_count(th), 9);
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    assert_int_equal(st.entries_by_source[US_SRC_MYTHES], 4);
    assert_int_equal(st.loads_by_source[US_SRC_MYTHES], 1);
    assert_int_equal(st.terms_by_source[US_SRC_MYTHES], 9);
    assert_int_equal(st.edges_by_source[US_SRC_MYTHES], 16);
    assert_int_equal(st.edges_by_kind[US_EDGE_SIMILAR], 3);
    assert_int_equal(st.edges_by_kind[US_EDGE_RELATED], 1);
    expect_weights_sum_to_one(th);

    /* Loading the same file again: dedup brings it back to 16 edges. */
    assert_int_equal(us_thesaurus_add_mythes(th, path, &err), UNSPIN_OK);
    assert_int_equal(us_thesaurus_edge_count(th), 32);
    assert_int_equal(us_thesaurus_dedup(th), 16);
    assert_int_equal(us_thesaurus_term_count(th), 9);
    us_thesaurus_free(th);
}

static void test_mythes_latin1_and_idx(void **state)
{
    (void)state;
    const char *path = write_tmp("latin1.dat",
                                 "ISO8859-1\n"
                                 "caf\xE9|1\n"
                                 "(noun)|coffee shop|CAF\xC9 bar\n");
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    assert_int_equal(us_thesaurus_add_mythes(th, path, &err), UNSPIN_OK);
    expect_edge(th, "caf\xC3\xA9", "caf\xC3\xA9 bar", US_EDGE_SYNSET,
                US_POS_NOUN, 0.5);
    expect_edge(th, "caf\xC3\xA9 bar", "caf\xC3\xA9", US_EDGE_SYNSET,
                US_POS_NOUN, 1.0);

    /* A matching .idx is accepted, a different count refused. */
    path = write_tmp("counted.dat", small_mythes);
    write_tmp("counted.idx", "UTF-8\n4\ncold|6\n");
    assert_int_equal(us_thesaurus_add_mythes(th, path, &err), UNSPIN_OK);
    write_tmp("counted.idx", "UTF-8\n5\ncold|6\n");
    size_t terms = us_thesaurus_term_count(th);
    size_t edges = us_thesaurus_edge_count(th);
    expect_dict_error(us_thesaurus_add_mythes(th, path, &err), &err,
                      "counted.idx:2 says 5");
    write_tmp("counted.idx", "UTF-8\nfour\n");
    expect_dict_error(us_thesaurus_add_mythes(th, path, &err), &err,
                      "counted.idx:2: bad entry count");
    /* A failed load leaves the handle as it was. */
    assert_int_equal(us_thesaurus_term_count(th), terms);
    assert_int_equal(us_thesaurus_edge_count(th), edges);
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    assert_int_equal(st.loads_by_source[US_SRC_MYTHES], 2);
    us_thesaurus_free(th);
}

static void test_mythes_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *where;
    } cases[] = {
        {"count.dat", "UTF-8\ncold|x\n(adj)|frigid\n", "count.dat:2: bad"},
        {"zero.dat", "UTF-8\ncold|0\n", "zero.dat:2: bad sense count"},
        {"huge.dat", "UTF-8\ncold|99999999999\n(adj)|a\n", "huge.dat:2:"},
        {"nobar.dat", "UTF-8\ncold\n(adj)|frigid\n", "nobar.dat:2:"},
        {"trunc.dat", "UTF-8\ncold|3\n(adj)|frigid\n(adj)|icy\n",
         "trunc.dat:4: truncated entry 'cold'"},
        {"toomany.dat", "UTF-8\ncold|2\n(adj)|a\nfrigid|1\n(adj)|cold\n",
         "toomany.dat:4: expected a sense line"},
        {"toofew.dat", "UTF-8\ncold|1\n(adj)|a\n(adj)|b\nfrigid|1\n",
         "toofew.dat:4: bad sense count"},
        {"enc.dat", "KOI8-R\ncold|1\n(adj)|a\n", "enc.dat:1:"},
        {"empty.dat", "", "empty.dat:1:"},
        {"utf8.dat", "UTF-8\ncold|1\n(adj)|fr\xE9gid\n", "utf8.dat:3:"},
        {"nul.dat", "UTF-8\ncold|1\n(adj)|a\n", NULL}, /* patched below */
        {"long.dat", NULL, "long.dat:3: term longer than"},
    };
    char longtext[600];
    snprintf(longtext, sizeof longtext, "UTF-8\ncold|1\n(adj)|%0300d\n", 7);
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *text = cases[i].text ? cases[i].text : longtext;
        const char *path = write_tmp(cases[i].name, text);
        if (!cases[i].where) { /* a NUL byte inside a line */
            FILE *f = fopen(path, "r+b");
            assert_non_null(f);
            fseek(f, 14, SEEK_SET);
            fputc(0, f);
            fclose(f);
            expect_dict_error(us_thesaurus_add_mythes(th, path, &err), &err,
                              "nul.dat:3:");
            continue;
        }
        expect_dict_error(us_thesaurus_add_mythes(th, path, &err), &err,
                          cases[i].where);
    }
    expect_dict_error(us_thesaurus_add_mythes(th, tmp_path("none.dat"), &err),
                      &err, "none.dat");
    assert_int_equal(us_thesaurus_add_mythes(th, NULL, &err), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_add_mythes(NULL, "x", NULL), UNSPIN_EINVAL);
    /* Nothing stuck from the failed loads. */
    assert_int_equal(us_thesaurus_term_count(th), 0);
    assert_int_equal(us_thesaurus_edge_count(th), 0);
    us_thesaurus_free(th);
}

/* ------------------------------------------------------------------ */
/* WordNet                                                             */
/* ------------------------------------------------------------------ */

static const char wn_licence[] =
    "  1 This software and database is being provided to you, the LICENSEE\n"
    "  2 by Princeton University under the following license.\n";

static void write_small_wordnet(const char *dir, const char *adj_extra)
{
    char name[64], text[2048];
    snprintf(name, sizeof name, "%s/data.noun", dir);
    snprintf(text, sizeof text, "%s"
             "00000100 26 n 02 Cold_War 0 cold_war 0 000 | hostility  \n"
             "00000200 04 n 03 attack 0 onslaught 0 onset 0 001 "
             "@ 00000100 n 0000 | an offensive  \n"
             "00000300 04 n 02 attack 1 approach 0 000 | an approach  \n",
             wn_licence);
    write_tmp(name, text);
    snprintf(name, sizeof name, "%s/data.verb", dir);
    write_tmp(name,
              "00000100 33 v 03 attack 0 assail 0 assault 0 001 "
              "^ 00000200 v 0102 01 + 02 00 | take the initiative  \n"
              "00000200 35 v 02 strike 0 hit 0 000 01 + 08 00 | deal a blow  \n"
              "00000300 30 v 03 stop 0 grind_to_a_halt 0 get_stuck 0 000 "
              "| come to a halt  \n");
    snprintf(name, sizeof name, "%s/data.adj", dir);
    snprintf(text, sizeof text, "%s"
             "00000100 00 a 01 cold 0 002 & 00000200 a 0000 "
             "^ 00000300 a 0000 | having a low temperature  \n"
             "00000200 00 s 02 chilly 0 parky(p) 0 001 & 00000100 a 0000 "
             "| cool enough to be uncomfortable  \n"
             "00000300 00 a 01 cool 0 000 | moderately cold  \n"
             "00000400 00 a 02 cold 1 frigid(a) 0 000 | unresponsive  \n%s",
             wn_licence, adj_extra ? adj_extra : "");
    write_tmp(name, text);
    snprintf(name, sizeof name, "%s/data.adv", dir);
    write_tmp(name, wn_licence);
    snprintf(name, sizeof name, "%s/index.adj", dir);
    snprintf(text, sizeof text, "%s"
             "cold a 2 2 & ^ 2 1 00000400 00000100  \n", wn_licence);
    write_tmp(name, text);
    snprintf(name, sizeof name, "%s/index.noun", dir);
    write_tmp(name, "attack n 2 0 2 1 00000300 00000200  \n");
}

static void test_wordnet_small(void **state)
{
    (void)state;
    write_small_wordnet("wn", NULL);
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    assert_int_equal(us_thesaurus_add_wordnet(th, tmp_path("wn"), &err),
                     UNSPIN_OK);

    /* index.adj ranks synset 400 first (weight 1) and 100 second (1/2). */
    expect_edge(th, "cold", "frigid", US_EDGE_SYNSET, US_POS_ADJ, 2.0 / 3);
    expect_edge(th, "cold", "chilly", US_EDGE_SIMILAR, US_POS_ADJ, 1.0 / 9);
    expect_edge(th, "cold", "parky", US_EDGE_SIMILAR, US_POS_ADJ, 1.0 / 9);
    expect_edge(th, "cold", "cool", US_EDGE_RELATED, US_POS_ADJ, 1.0 / 9);
    assert_int_equal(edges_of(th, "cold"), 4);
    /* No index line: every sense weighs the same. */
    expect_edge(th, "chilly", "parky", US_EDGE_SYNSET, US_POS_ADJ, 0.5);
    expect_edge(th, "chilly", "cold", US_EDGE_SIMILAR, US_POS_ADJ, 0.5);
    assert_int_equal(edges_of(th, "chilly"), 2);
    expect_edge(th, "parky", "chilly", US_EDGE_SYNSET, US_POS_ADJ, 0.5);
    /* '^' from cold to cool has no pointer back: mirrored anyway. */
    expect_edge(th, "cool", "cold", US_EDGE_RELATED, US_POS_ADJ, 1.0);
    expect_edge(th, "frigid", "cold", US_EDGE_SYNSET, US_POS_ADJ, 1.0);

    /* attack: noun 300 (1), noun 200 (1/2), verb 100 (no index.verb: 1). */
    expect_edge(th, "attack", "approach", US_EDGE_SYNSET, US_POS_NOUN, 0.4);
    expect_edge(th, "attack", "onslaught", US_EDGE_SYNSET, US_POS_NOUN, 0.1);
    expect_edge(th, "attack", "onset", US_EDGE_SYNSET, US_POS_NOUN, 0.1);
    expect_edge(th, "attack", "assail", US_EDGE_SYNSET, US_POS_VERB,
                2.0 / 15);
    expect_edge(th, "attack", "assault", US_EDGE_SYNSET, US_POS_VERB,
                2.0 / 15);
    /* A lexical '^' (0102): word 1 of the source to word 2 of the target. */
    expect_edge(th, "attack", "hit", US_EDGE_RELATED, US_POS_VERB, 2.0 / 15);
    assert_int_equal(edges_of(th, "attack"), 6);
    expect_edge(th, "hit", "attack", US_EDGE_RELATED, US_POS_VERB, 0.5);
    expect_edge(th, "hit", "strike", US_EDGE_SYNSET, US_POS_VERB, 0.5);
    assert_int_equal(edges_of(th, "strike"), 1);
    assert_int_equal(edges_of(th, "assail"), 2);

    expect_edge(th, "grind to a halt", "get stuck", US_EDGE_SYNSET,
                US_POS_VERB, 0.5);
    expect_edge(th, "stop", "grind to a halt", US_EDGE_SYNSET, US_POS_VERB,
                0.5);
    /* Cold_War and cold_war are one term, without a self-loop. */
    assert_int_not_equal(id_of(th, "cold war"), US_TERM_NONE);
    assert_int_equal(edges_of(th, "cold war"), 0);
    /* Markers are stripped. */
    assert_int_equal(id_of(th, "parky(p)"), US_TERM_NONE);

    assert_int_equal(us_thesaurus_edge_count(th), 34);
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    assert_int_equal(st.entries_by_source[US_SRC_WORDNET], 10);
    assert_int_equal(st.terms, 17);
    assert_int_equal(st.multiword_terms, 3);
    assert_int_equal(st.edges_by_kind[US_EDGE_SIMILAR], 4);
    assert_int_equal(st.edges_by_kind[US_EDGE_RELATED], 4);
    expect_weights_sum_to_one(th);
    us_thesaurus_free(th);
}

static void test_wordnet_malformed(void **state)
{
    (void)state;
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("nowhere"), &err),
                      &err, "nowhere/data.noun");

    /* A pointer to a synset that is not there (line 7: licence, 4 lines). */
    write_small_wordnet("wn-bad1",
                        "00000500 00 a 01 icy 0 001 & 00000900 a 0000 | x  \n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad1"), &err),
                      &err, "data.adj:7: pointer to unknown synset 00000900");

    write_small_wordnet("wn-bad2", "00000500 00 a zz icy 0 000 | x  \n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad2"), &err),
                      &err, "data.adj:7: bad word count");

    write_small_wordnet("wn-bad3", "00000500 00 a 03 icy 0 frosty 0\n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad3"), &err),
                      &err, "data.adj:7: fewer words");

    write_small_wordnet("wn-bad4", "00000500 00 a 01 icy 0 002 & 00000100 a "
                                   "0000\n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad4"), &err),
                      &err, "data.adj:7: fewer or bad pointers");

    write_small_wordnet("wn-bad5", NULL);
    write_tmp("wn-bad5/index.noun", "attack n 2 0 2 1 00000300 00000700  \n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad5"), &err),
                      &err, "index.noun:1: unknown synset 00000700");
    write_tmp("wn-bad5/index.noun", "attack n 2 0 2 1 00000300\n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad5"), &err),
                      &err, "index.noun:1: fewer synset offsets");
    write_tmp("wn-bad5/index.noun", "attack n 1 0 1 1 00000300\n"
                                    "onset v 1 0 1 1 00000200\n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad5"), &err),
                      &err, "index.noun:2: bad or foreign part of speech");
    write_tmp("wn-bad5/index.noun", "\n");
    write_tmp("wn-bad5/data.verb", "00000100 33 n 01 attack 0 000 | x\n");
    expect_dict_error(us_thesaurus_add_wordnet(th, tmp_path("wn-bad5"), &err),
                      &err, "data.verb:1: bad or foreign synset type");

    assert_int_equal(us_thesaurus_term_count(th), 0);
    assert_int_equal(us_thesaurus_edge_count(th), 0);
    us_thesaurus_free(th);
}

/* ------------------------------------------------------------------ */
/* Project additions                                                   */
/* ------------------------------------------------------------------ */

static void test_project_small(void **state)
{
    (void)state;
    const char *path = write_tmp("syn.txt",
                                 "# comment\n"
                                 "\n"
                                 "   # indented comment\n"
                                 "Year\tyr\n"
                                 "year\tyr.\t-\tnoun\r\n"
                                 "both\teach\t0.25\tany\n"
                                 "post\tput  up\t\tverb\n");
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    assert_int_equal(us_thesaurus_add_project(th, path, &err), UNSPIN_OK);
    expect_edge(th, "year", "yr", US_EDGE_PROJECT, US_POS_ANY, 0.5);
    expect_edge(th, "year", "yr.", US_EDGE_PROJECT, US_POS_NOUN, 0.5);
    expect_edge(th, "both", "each", US_EDGE_PROJECT, US_POS_ANY, 0.25);
    expect_edge(th, "post", "put up", US_EDGE_PROJECT, US_POS_VERB, 1.0);
    assert_int_equal(us_thesaurus_edge_count(th), 4);
    assert_int_equal(edges_of(th, "yr"), 0); /* one direction only */
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    assert_int_equal(st.entries_by_source[US_SRC_PROJECT], 4);
    assert_int_equal(st.terms_by_source[US_SRC_PROJECT], 7);

    /* Mixed with MyThes: a PROJECT edge stays beside a SYNSET edge. */
    write_tmp("mix.txt", "cold\tfrigid\t0.9\tadj\n");
    assert_int_equal(us_thesaurus_add_project(th, tmp_path("mix.txt"), &err),
                     UNSPIN_OK);
    path = write_tmp("small2.dat", small_mythes);
    assert_int_equal(us_thesaurus_add_mythes(th, path, &err), UNSPIN_OK);
    uint32_t cold = id_of(th, "cold"), frigid = id_of(th, "frigid");
    assert_int_equal(us_thesaurus_add_edge(th, cold, frigid, US_EDGE_SYNSET,
                                           US_POS_ADJ, 0.5f), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_edge(th, cold, frigid, US_EDGE_SYNSET,
                                           US_POS_ADJ, 0.05f), UNSPIN_OK);
    us_thesaurus_dedup(th);
    size_t n;
    const us_edge *e = us_thesaurus_edges_from(th, cold, &n);
    assert_int_equal(n, 8);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].to != frigid)
            continue;
        seen++;
        if (e[i].kind == US_EDGE_SYNSET) {
            assert_float_equal(e[i].weight, 0.5f, 1e-7);
            assert_int_equal(e[i].sources, US_SRC_BIT(US_SRC_MYTHES) |
                                               US_SRC_BIT(US_SRC_OTHER));
        } else {
            assert_int_equal(e[i].kind, US_EDGE_PROJECT);
            assert_float_equal(e[i].weight, 0.9f, 1e-7);
            assert_int_equal(e[i].sources, US_SRC_BIT(US_SRC_PROJECT));
        }
        if (i > 0) /* sorted by (from, to, kind) */
            assert_true(e[i - 1].to < e[i].to ||
                        (e[i - 1].to == e[i].to && e[i - 1].kind < e[i].kind));
    }
    assert_int_equal(seen, 2);
    us_thesaurus_stats(th, &st);
    assert_int_equal(st.terms_by_source[US_SRC_PROJECT], 9);
    assert_int_equal(st.terms_by_source[US_SRC_MYTHES], 9);
    assert_int_equal(st.edges_by_kind[US_EDGE_PROJECT], 5);
    us_thesaurus_free(th);
}

static void test_project_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *where;
    } cases[] = {
        {"p1.txt", "# x\nyear\tyr\nyear yr\n", "p1.txt:3: expected"},
        {"p2.txt", "year\tyr\t2.5\n", "p2.txt:1: bad weight '2.5'"},
        {"p3.txt", "year\tyr\tlots\n", "p3.txt:1: bad weight"},
        {"p4.txt", "\n\nyear\tyr\t0.5\tpronoun\n", "p4.txt:3: bad part of"},
        {"p5.txt", "year\tyr\nboth\teach\nyear\tYR\n",
         "p5.txt:3: pair repeats line 1"},
        {"p6.txt", "year\tyr\t1\tnoun\textra\n", "p6.txt:1: too many fields"},
        {"p7.txt", "year\t  \n", "p7.txt:1: empty replacement"},
        {"p8.txt", "Year\tyear\n", "p8.txt:1: original and replacement"},
        {"p9.txt", "ok\tfine\nyear\ty\xFFr\n", "p9.txt:2: invalid UTF-8"},
        {"p10.txt", "year\tyr\t-0.5\n", "p10.txt:1: bad weight"},
    };
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_tmp(cases[i].name, cases[i].text);
        expect_dict_error(us_thesaurus_add_project(th, path, &err), &err,
                          cases[i].where);
    }
    expect_dict_error(us_thesaurus_add_project(th, tmp_path("none.txt"), &err),
                      &err, "none.txt");
    assert_int_equal(us_thesaurus_add_project(th, NULL, NULL), UNSPIN_EINVAL);
    assert_int_equal(us_thesaurus_term_count(th), 0);
    assert_int_equal(us_thesaurus_edge_count(th), 0);
    us_thesaurus_free(th);
}

/* The starter file in the repository loads and adds what it says. */
static void test_project_starter(void **state)
{
    (void)state;
    if (access(PROJECT_FILE, R_OK) != 0)
        skip();
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    assert_int_equal(us_thesaurus_add_project(th, PROJECT_FILE, &err),
                     UNSPIN_OK);
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    /* One entry per line that is neither blank nor a comment. */
    FILE *f = fopen(PROJECT_FILE, "r");
    char line[512];
    size_t lines = 0;
    while (f && fgets(line, sizeof line, f))
        lines += line[0] != '#' && line[0] != '\n';
    if (f)
        fclose(f);
    assert_true(lines >= 15);
    assert_int_equal(st.entries_by_source[US_SRC_PROJECT], lines);
    assert_int_equal(st.edges, st.entries_by_source[US_SRC_PROJECT]);
    expect_edge(th, "both", "each", US_EDGE_PROJECT, US_POS_ANY, 1.0);
    expect_edge(th, "country", "international location", US_EDGE_PROJECT,
                US_POS_NOUN, 1.0);
    us_thesaurus_free(th);
}

/* ------------------------------------------------------------------ */
/* The real thesauri (Debian's mythes-en-us and wordnet-base)          */
/* ------------------------------------------------------------------ */

static void test_real_mythes(void **state)
{
    (void)state;
    if (access(MYTHES_DAT, R_OK) != 0)
        skip();
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    double t0 = now();
    assert_int_equal(us_thesaurus_add_mythes(th, MYTHES_DAT, &err), UNSPIN_OK);
    double dt = now() - t0;
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    print_message("MyThes: %.3f s, %zu entries, %zu terms, %zu edges\n", dt,
                  st.entries_by_source[US_SRC_MYTHES], st.terms, st.edges);
    assert_int_equal(st.entries_by_source[US_SRC_MYTHES], 145866);
    assert_int_equal(st.terms, 145871);
    assert_int_equal(st.edges, 371638);
    assert_int_equal(st.edges_by_kind[US_EDGE_SYNSET], 310307);
    assert_int_equal(st.edges_by_kind[US_EDGE_SIMILAR], 51787);
    assert_int_equal(st.edges_by_kind[US_EDGE_RELATED], 9544);
    assert_int_not_equal(id_of(th, "cold war"), US_TERM_NONE);
    assert_int_not_equal(id_of(th, "grind to a halt"), US_TERM_NONE);
    assert_non_null(find_edge(th, "attack", "assault", US_EDGE_SYNSET));
    assert_non_null(find_edge(th, "assault", "attack", US_EDGE_SYNSET));
    assert_non_null(find_edge(th, "cold", "frigid", US_EDGE_SIMILAR));
    assert_non_null(find_edge(th, "year", "yr", US_EDGE_SYNSET));
    expect_weights_sum_to_one(th);
    us_thesaurus_free(th);
}

static void test_real_wordnet(void **state)
{
    (void)state;
    if (access(WORDNET_DIR "/data.noun", R_OK) != 0)
        skip();
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    double t0 = now();
    assert_int_equal(us_thesaurus_add_wordnet(th, WORDNET_DIR, &err),
                     UNSPIN_OK);
    double dt = now() - t0;
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    print_message("WordNet: %.3f s, %zu synsets, %zu terms (%zu multi-word), "
                  "%zu edges\n", dt, st.entries_by_source[US_SRC_WORDNET],
                  st.terms, st.multiword_terms, st.edges);
    assert_int_equal(st.entries_by_source[US_SRC_WORDNET], 117659);
    assert_int_equal(st.terms, 147306);
    assert_int_equal(st.multiword_terms, 64188);
    assert_int_equal(st.edges, 358628);
    assert_int_equal(st.edges_by_kind[US_EDGE_SYNSET], 304438);
    assert_int_equal(st.edges_by_kind[US_EDGE_SIMILAR], 49552);
    assert_int_equal(st.edges_by_kind[US_EDGE_RELATED], 4638);
    assert_int_not_equal(id_of(th, "cold war"), US_TERM_NONE);
    assert_int_not_equal(id_of(th, "grind to a halt"), US_TERM_NONE);
    assert_non_null(find_edge(th, "cold", "chilly", US_EDGE_SIMILAR));
    assert_non_null(find_edge(th, "chilly", "cold", US_EDGE_SIMILAR));
    assert_non_null(find_edge(th, "attack", "assault", US_EDGE_SYNSET));
    assert_non_null(find_edge(th, "grind to a halt", "bog down",
                              US_EDGE_SYNSET));
    /* The most frequent sense weighs most: attack's first verb sense
     * (assail) beats its sixth (aggress). */
    const us_edge *a = find_edge(th, "attack", "assail", US_EDGE_SYNSET);
    const us_edge *b = find_edge(th, "attack", "aggress", US_EDGE_SYNSET);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a->weight > b->weight);
    expect_weights_sum_to_one(th);
    us_thesaurus_free(th);
}

static void test_real_all(void **state)
{
    (void)state;
    if (access(MYTHES_DAT, R_OK) != 0 ||
        access(WORDNET_DIR "/data.noun", R_OK) != 0)
        skip();
    us_thesaurus *th = us_thesaurus_new();
    unspin_error err;
    double t0 = now();
    assert_int_equal(us_thesaurus_add_mythes(th, MYTHES_DAT, &err), UNSPIN_OK);
    assert_int_equal(us_thesaurus_add_wordnet(th, WORDNET_DIR, &err),
                     UNSPIN_OK);
    us_thesaurus_dedup(th);
    double dt = now() - t0;
    us_thesaurus_counts st;
    us_thesaurus_stats(th, &st);
    print_message("MyThes + WordNet + dedup: %.3f s, %zu terms, %zu edges "
                  "(%zu from both)\n", dt, st.terms, st.edges,
                  st.edges_by_source[US_SRC_MYTHES] +
                      st.edges_by_source[US_SRC_WORDNET] - st.edges);
    if (dt > 2.0 * time_scale())
        fail_msg("loading took %.2f s", dt);
    assert_int_equal(st.terms, 148290);
    assert_int_equal(st.edges, 378602);
    assert_int_equal(st.edges_by_source[US_SRC_MYTHES], 371638);
    assert_int_equal(st.edges_by_source[US_SRC_WORDNET], 358628);
    const us_edge *e = find_edge(th, "cold", "chilly", US_EDGE_SIMILAR);
    assert_non_null(e);
    assert_int_equal(e->sources, US_SRC_BIT(US_SRC_WORDNET));
    e = find_edge(th, "attack", "assault", US_EDGE_SYNSET);
    assert_non_null(e);
    assert_int_equal(e->sources, US_SRC_BIT(US_SRC_MYTHES) |
                                     US_SRC_BIT(US_SRC_WORDNET));
    if (access(PROJECT_FILE, R_OK) == 0) {
        assert_int_equal(us_thesaurus_add_project(th, PROJECT_FILE, &err),
                         UNSPIN_OK);
        us_thesaurus_stats(th, &st);
        size_t added = st.entries_by_source[US_SRC_PROJECT];
        assert_int_equal(us_thesaurus_dedup(th), 378602 + added);
    }
    us_thesaurus_free(th);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_intern_and_edges),
        cmocka_unit_test(test_mythes_small),
        cmocka_unit_test(test_mythes_latin1_and_idx),
        cmocka_unit_test(test_mythes_malformed),
        cmocka_unit_test(test_wordnet_small),
        cmocka_unit_test(test_wordnet_malformed),
        cmocka_unit_test(test_project_small),
        cmocka_unit_test(test_project_malformed),
        cmocka_unit_test(test_project_starter),
        cmocka_unit_test(test_real_mythes),
        cmocka_unit_test(test_real_wordnet),
        cmocka_unit_test(test_real_all),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
