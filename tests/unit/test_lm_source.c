/* Unit tests of the LM source readers: ARPA text and sphinx's binary trie
 * (checked against libsphinxbase on pocketsphinx's en-us.lm.bin). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include "lm/source.h"
#include "util/common.h"

#define EN_US_LM "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
#define NO US_LM_NO_WORD
#define LOG10_1_0001 4.3427276862669637e-05

static char g_dir[64];

static int make_dir(void **state)
{
    (void)state;
    strcpy(g_dir, "/tmp/unspin-lm-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write `len` bytes to g_dir/name; returns the path (static buffer). */
static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static uint32_t word_id(const us_lm_source *lm, const char *w)
{
    for (size_t i = 0; i < lm->nwords; i++)
        if (strcmp(lm->words[i], w) == 0)
            return (uint32_t)i;
    fail_msg("no word '%s'", w);
    return NO;
}

/* Score by words; "" means no context word. */
static float score_w(const us_lm_source *lm, const char *w1, const char *w2,
                     const char *w3)
{
    return us_lm_source_score(lm, *w1 ? word_id(lm, w1) : NO,
                              *w2 ? word_id(lm, w2) : NO, word_id(lm, w3));
}

static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.6f, want %.6f (tolerance %g)", got, want, tol);
}

static void assert_sorted_unique(const uint32_t *w, size_t count, int n)
{
    for (size_t i = 1; i < count; i++) {
        const uint32_t *a = w + (i - 1) * (size_t)n, *b = w + i * (size_t)n;
        int k = 0;
        while (k < n && a[k] == b[k])
            k++;
        if (k == n || a[k] > b[k])
            fail_msg("%d-grams not sorted/unique at %zu", n, i);
    }
}

static uint64_t g_rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (uint32_t)((g_rng >> 11) % n);
}

/* ------------------------------------------------------------------ */
/* ARPA                                                                */
/* ------------------------------------------------------------------ */

/* <s>=0 a=1 b=2 c=3 </s>=4; n-grams deliberately out of order, mixed
 * tabs and spaces, CRLF on one line, a preamble before \data\. */
static const char k_arpa3[] =
    "This is a hand-made model.\n"
    "\n"
    "\\data\\\n"
    "ngram 1=5\n"
    "ngram 2=4\n"
    "ngram  3 = 2\n"
    "\n"
    "\\1-grams:\n"
    "-99\t<s>\t-0.5\n"
    "-0.7\ta\t-0.3\n"
    "-8e-1 b -0.2\r\n"
    "-1.2\tc\n"
    "-0.9\t</s>\n"
    "\n"
    "\\2-grams:\n"
    "-0.4\ta b\t-0.1\n"
    "-0.3\t<s> a\t-0.25\n"
    "-0.6\tb c\n"
    "-0.2\tb </s>\t0\n"
    "\n"
    "\\3-grams:\n"
    "-0.05 a b c\n"
    "-0.15\t<s> a b\n"
    "\n"
    "\\end\\\n"
    "trailing text is ignored\n";

static void check_model3(const us_lm_source *lm, double tol)
{
    /* Exact n-grams. */
    assert_near(score_w(lm, "", "", "c"), -1.2, tol);
    assert_near(score_w(lm, "", "", "<s>"), -99, tol);
    assert_near(score_w(lm, "", "a", "b"), -0.4, tol);
    assert_near(score_w(lm, "<s>", "a", "b"), -0.15, tol);
    assert_near(score_w(lm, "a", "b", "c"), -0.05, tol);
    /* Bigram back-off: bo(a) + P(c). */
    assert_near(score_w(lm, "", "a", "c"), -0.3 - 1.2, tol);
    /* Context word without back-off weight: bo(c) = 0. */
    assert_near(score_w(lm, "", "c", "a"), -0.7, tol);
    /* Trigram missing, bigram present: bo(a b) + P(</s> | b). */
    assert_near(score_w(lm, "a", "b", "</s>"), -0.1 - 0.2, tol);
    /* Both missing: bo(<s> a) + bo(a) + P(c). */
    assert_near(score_w(lm, "<s>", "a", "c"), -0.25 - 0.3 - 1.2, tol);
    /* Context bigram (c a) absent: its back-off is 0. */
    assert_near(score_w(lm, "c", "a", "b"), -0.4, tol);
    /* Context bigram (b c) has no back-off column: 0. */
    assert_near(score_w(lm, "b", "c", "a"), -0.7, tol);
    /* No w2: the unigram, whatever w1 is. */
    assert_near(score_w(lm, "a", "", "b"), -0.8, tol);
}

static void test_arpa_trigram(void **state)
{
    (void)state;
    const char *path = write_text("m3.arpa", k_arpa3);
    us_lm_source lm;
    unspin_error err;
    int rc = us_lm_source_read_arpa(path, &lm, &err);
    if (rc)
        fail_msg("%s", err.message);
    assert_int_equal(lm.order, 3);
    assert_int_equal(lm.counts[0], 5);
    assert_int_equal(lm.counts[1], 4);
    assert_int_equal(lm.counts[2], 2);
    assert_int_equal(lm.nwords, 5);
    assert_string_equal(lm.words[0], "<s>");
    assert_string_equal(lm.words[2], "b");
    assert_string_equal(lm.words[4], "</s>");
    assert_near(lm.uni_prob[2], -0.8, 1e-7);
    assert_near(lm.uni_bo[2], -0.2, 1e-7);
    assert_near(lm.uni_bo[3], 0, 0);
    /* Sorted: (<s> a) (a b) (b c) (b </s>). */
    static const uint32_t bi[] = {0, 1, 1, 2, 2, 3, 2, 4};
    assert_memory_equal(lm.bi_w, bi, sizeof bi);
    assert_near(lm.bi_prob[0], -0.3, 1e-7);
    assert_near(lm.bi_bo[0], -0.25, 1e-7);
    assert_near(lm.bi_bo[2], 0, 0);
    static const uint32_t tri[] = {0, 1, 2, 1, 2, 3};
    assert_memory_equal(lm.tri_w, tri, sizeof tri);
    assert_near(lm.tri_prob[0], -0.15, 1e-7);
    assert_near(lm.tri_prob[1], -0.05, 1e-7);
    check_model3(&lm, 1e-6);
    assert_true(isinf(us_lm_source_score(&lm, NO, NO, 5)));

    /* us_lm_source_read picks ARPA too. */
    us_lm_source lm2;
    assert_int_equal(us_lm_source_read(path, &lm2, &err), UNSPIN_OK);
    assert_int_equal(lm2.counts[2], 2);
    us_lm_source_free(&lm2);
    us_lm_source_free(&lm);
    assert_null(lm.words);
    us_lm_source_free(&lm); /* twice is harmless */
    us_lm_source_free(NULL);
}

static void test_arpa_low_orders(void **state)
{
    (void)state;
    us_lm_source lm;
    unspin_error err;
    const char *p1 = write_text("m1.arpa",
                                "\\data\\\nngram 1=3\n\n\\1-grams:\n"
                                "-0.5 x\n-inf y\n-0.25 z -0.1\n\\end\\\n");
    int rc = us_lm_source_read_arpa(p1, &lm, &err);
    if (rc)
        fail_msg("%s", err.message);
    assert_int_equal(lm.order, 1);
    assert_int_equal(lm.counts[0], 3);
    assert_int_equal(lm.counts[1], 0);
    assert_null(lm.bi_w);
    assert_near(lm.uni_prob[1], -99, 0);
    /* Context is ignored in a unigram model. */
    assert_near(us_lm_source_score(&lm, 0, 1, 2), -0.25, 1e-7);
    us_lm_source_free(&lm);

    const char *p2 = write_text("m2.arpa",
                                "\\data\\\nngram 1=3\nngram 2=2\n\n"
                                "\\1-grams:\n-0.5 x -0.2\n-0.6 y -0.3\n"
                                "-0.25 z\n\n\\2-grams:\n-0.1 y x\n"
                                "-0.2 x z\n\n\\end\\\n");
    rc = us_lm_source_read_arpa(p2, &lm, &err);
    if (rc)
        fail_msg("%s", err.message);
    assert_int_equal(lm.order, 2);
    assert_int_equal(lm.counts[1], 2);
    assert_null(lm.tri_w);
    static const uint32_t bi[] = {0, 2, 1, 0};
    assert_memory_equal(lm.bi_w, bi, sizeof bi);
    assert_near(us_lm_source_score(&lm, NO, 0, 2), -0.2, 1e-7);
    assert_near(us_lm_source_score(&lm, NO, 1, 0), -0.1, 1e-7);
    assert_near(us_lm_source_score(&lm, NO, 1, 2), -0.3 - 0.25, 1e-7);
    /* w1 is ignored in a bigram model. */
    assert_near(us_lm_source_score(&lm, 2, 1, 2), -0.3 - 0.25, 1e-7);
    us_lm_source_free(&lm);
}

/* Read `len` bytes as ARPA; expect failure with a message holding `want`. */
static void expect_arpa_error_n(const char *text, size_t len,
                                const char *want)
{
    const char *path = write_file("bad.arpa", text, len);
    char saved[256];
    snprintf(saved, sizeof saved, "%s", path);
    us_lm_source lm;
    unspin_error err;
    int rc = us_lm_source_read_arpa(saved, &lm, &err);
    if (rc == UNSPIN_OK)
        fail_msg("no error for a file that should give '%s'", want);
    assert_int_equal(rc, UNSPIN_EMODEL);
    assert_int_equal(err.code, UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, saved));
    if (!strstr(err.message, want))
        fail_msg("message '%s' lacks '%s'", err.message, want);
    assert_null(strchr(err.message, '\n'));
    assert_null(lm.words);
    assert_null(lm.bi_w);
}

static void expect_arpa_error(const char *text, const char *want)
{
    expect_arpa_error_n(text, strlen(text), want);
}

#define HDR3 "\\data\\\nngram 1=2\nngram 2=1\nngram 3=1\n\n"
#define UNI2 "\\1-grams:\n-0.5 x -0.1\n-0.5 y -0.1\n"

static void test_arpa_errors(void **state)
{
    (void)state;
    expect_arpa_error("", "no \\data\\");
    expect_arpa_error("\\1-grams:\n-0.5 x\n\\end\\\n", "no \\data\\");
    expect_arpa_error("\\data\\\n", "truncated");
    expect_arpa_error("\\data\\\n\\1-grams:\n", "no 'ngram N=count'");
    expect_arpa_error("\\data\\\nngram 1=1\nngram 3=1\n", "bad counts");
    expect_arpa_error("\\data\\\nngram one=1\n", "bad line");
    expect_arpa_error("\\data\\\nngram 1=0\n", "bad counts");
    expect_arpa_error("\\data\\\nngram 1=2\nngram 2=1\nngram 3=1\n"
                      "ngram 4=1\n\n", "order 4 not supported");
    /* Wrong counts, both ways. */
    expect_arpa_error(HDR3 "\\1-grams:\n-0.5 x\n\\2-grams:\n",
                      "wrong counts: 1 1-grams where \\data\\ declares 2");
    expect_arpa_error("\\data\\\nngram 1=1\n\n\\1-grams:\n-0.5 x\n-0.5 y\n"
                      "\\end\\\n", "wrong counts: more 1-grams");
    /* Truncated. */
    expect_arpa_error(HDR3 UNI2 "\n\\2-grams:\n-0.3 x y -0.1\n",
                      "truncated");
    expect_arpa_error(HDR3 UNI2 "\n\\2-grams:\n-0.3 x y -0.1\n"
                      "\\3-grams:\n-0.2 x y x\n", "no \\end\\");
    expect_arpa_error(HDR3 UNI2, "truncated");
    /* Sections. */
    expect_arpa_error(HDR3 UNI2 "\\3-grams:\n", "expected '\\2-grams:'");
    expect_arpa_error("\\data\\\nngram 1=1\n\\1-grams:\n-1 x\n\\2-grams:\n",
                      "expected '\\end\\'");
    /* Entries. */
    expect_arpa_error(HDR3 UNI2 "\\2-grams:\n-0.3 x z\n", "word 'z' of a "
                      "2-gram is not among the unigrams");
    expect_arpa_error(HDR3 "\\1-grams:\n-0.5 x\n-0.5 x\n", "duplicate "
                      "unigram 'x'");
    expect_arpa_error(HDR3 UNI2 "\\2-grams:\n-0.3 x\n", "too few fields");
    expect_arpa_error(HDR3 UNI2 "\\2-grams:\n-0.3 x y -1 -2\n",
                      "too many fields");
    expect_arpa_error(HDR3 "\\1-grams:\n-0.5x x\n", "bad probability");
    expect_arpa_error(HDR3 "\\1-grams:\nnan x\n", "bad probability");
    expect_arpa_error(HDR3 "\\1-grams:\n0.5 x\n", "probability above 1");
    expect_arpa_error(HDR3 "\\1-grams:\n-0.5 x -0.1e\n", "bad back-off");
    expect_arpa_error("\\data\\\nngram 1=2\nngram 2=2\n\n" UNI2
                      "\\2-grams:\n-0.3 x y\n-0.2 x y\n\\end\\\n",
                      "duplicate 2-gram 'x y'");
    static const char nul[] = HDR3 "\\1-grams:\n-0.5 x\0y\n";
    expect_arpa_error_n(nul, sizeof nul - 1, "NUL byte");

    us_lm_source lm;
    unspin_error err;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no-such.arpa", g_dir);
    assert_int_equal(us_lm_source_read_arpa(missing, &lm, &err), UNSPIN_EIO);
    assert_non_null(strstr(err.message, missing));
    assert_int_equal(us_lm_source_read(missing, &lm, &err), UNSPIN_EIO);
    const char *gz = write_file("m.arpa.gz", "\x1f\x8b\x08\0\0\0", 6);
    assert_int_equal(us_lm_source_read(gz, &lm, &err), UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, "compressed"));
}

/* ------------------------------------------------------------------ */
/* A small sphinx trie, written here from a us_lm_source               */
/* ------------------------------------------------------------------ */

typedef struct blob {
    uint8_t *p;
    size_t len, cap;
} blob;

static void put(blob *b, const void *data, size_t n)
{
    assert_int_equal(us_grow((void **)&b->p, &b->cap, b->len + n, 1), 0);
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_u32(blob *b, uint32_t v)
{
    put(b, &v, 4); /* the test host is little-endian, like the file */
}

static void put_f32(blob *b, float v)
{
    put(b, &v, 4);
}

static unsigned bits_for(uint64_t v)
{
    unsigned n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static void set_bits(uint8_t *base, uint64_t bit, unsigned n, uint64_t v)
{
    for (unsigned k = 0; k < n; k++)
        if ((v >> k) & 1)
            base[(bit + k) >> 3] |= (uint8_t)(1u << ((bit + k) & 7));
}

/* Index of the bigram (a,b) in lm, or fail. */
static size_t bigram_at(const us_lm_source *lm, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < lm->counts[1]; i++)
        if (lm->bi_w[2 * i] == a && lm->bi_w[2 * i + 1] == b)
            return i;
    fail_msg("no bigram %u %u", a, b);
    return 0;
}

/* Write lm as sphinxbase would: reversed trie, weights in base 1.0001,
 * each bigram/trigram weight in its own quantization bin. */
static blob sphinx_from(const us_lm_source *lm)
{
    blob b = {0};
    const int order = lm->order;
    const size_t nw = lm->nwords, nb = lm->counts[1], nt = lm->counts[2];
    put(&b, "Trie Language Model", 19);
    uint8_t o = (uint8_t)order;
    put(&b, &o, 1);
    for (int i = 0; i < order; i++)
        put_u32(&b, (uint32_t)lm->counts[i]);
    /* Bigrams in trie order (by w2, then w1) and trigrams grouped under
     * their last two words, by w1. */
    size_t *border = calloc(nb + 1, sizeof *border);
    size_t k = 0;
    for (uint32_t w2 = 0; w2 < nw; w2++)
        for (size_t i = 0; i < nb; i++)
            if (lm->bi_w[2 * i + 1] == w2) {
                border[k++] = i;
            }
    for (size_t t = 0; t < nt; t++) /* sphinxbase adds fillers; we don't */
        (void)bigram_at(lm, lm->tri_w[3 * t + 1], lm->tri_w[3 * t + 2]);
    if (order > 1) {
        put_u32(&b, 0);
        int tables = 2 * (order - 2) + 1;
        for (int tb = 0; tb < tables; tb++)
            for (uint32_t q = 0; q < 65536; q++) {
                float v = 0;
                if (order == 3 && tb == 0 && q < nb)
                    v = lm->bi_prob[border[q]];
                else if (order == 3 && tb == 1 && q < nb)
                    v = lm->bi_bo[border[q]];
                else if (order == 2 && q < nb)
                    v = lm->bi_prob[border[q]];
                else if (order == 3 && tb == 2 && q < nt)
                    v = lm->tri_prob[q];
                put_f32(&b, (float)(v / LOG10_1_0001));
            }
    }
    uint32_t next = 0;
    for (uint32_t w = 0; w <= nw; w++) {
        put_f32(&b, w < nw ? (float)(lm->uni_prob[w] / LOG10_1_0001) : 0);
        put_f32(&b, w < nw ? (float)(lm->uni_bo[w] / LOG10_1_0001) : 0);
        put_u32(&b, next);
        for (size_t i = 0; w < nw && i < nb; i++)
            next += lm->bi_w[2 * i + 1] == w;
    }
    if (order > 1) {
        unsigned wb = bits_for(nw);
        unsigned mt = wb + 32 + bits_for(nt), lt = wb + 16;
        size_t msize = order == 3 ? ((nb + 1) * mt + 7) / 8 + 8 : 0;
        size_t lcount = order == 3 ? nt : nb;
        size_t lsize = ((lcount + 1) * lt + 7) / 8 + 8;
        uint8_t *mem = calloc(msize + lsize, 1);
        uint8_t *mid = mem, *lng = mem + msize;
        size_t tnext = 0;
        for (size_t j = 0; j < nb; j++) {
            size_t i = border[j];
            if (order == 2) {
                set_bits(lng, j * lt, wb, lm->bi_w[2 * i]);
                set_bits(lng, j * lt + wb, 16, j);
                continue;
            }
            set_bits(mid, j * mt, wb, lm->bi_w[2 * i]);
            set_bits(mid, j * mt + wb, 16, j);      /* bo bin */
            set_bits(mid, j * mt + wb + 16, 16, j); /* prob bin */
            set_bits(mid, j * mt + wb + 32, bits_for(nt), tnext);
            /* This bigram's trigrams, ascending w1 (tri_w is sorted). */
            for (size_t t = 0; t < nt; t++)
                if (lm->tri_w[3 * t + 1] == lm->bi_w[2 * i] &&
                    lm->tri_w[3 * t + 2] == lm->bi_w[2 * i + 1]) {
                    set_bits(lng, tnext * lt, wb, lm->tri_w[3 * t]);
                    set_bits(lng, tnext * lt + wb, 16, t);
                    tnext++;
                }
        }
        if (order == 3)
            set_bits(mid, nb * mt + wb + 32, bits_for(nt), tnext);
        put(&b, mem, msize + lsize);
        free(mem);
    }
    uint32_t vlen = 0;
    for (size_t w = 0; w < nw; w++)
        vlen += (uint32_t)strlen(lm->words[w]) + 1;
    put_u32(&b, vlen);
    for (size_t w = 0; w < nw; w++)
        put(&b, lm->words[w], strlen(lm->words[w]) + 1);
    free(border);
    return b;
}

static void read_arpa_text(const char *text, us_lm_source *lm)
{
    unspin_error err;
    const char *path = write_text("src.arpa", text);
    if (us_lm_source_read_arpa(path, lm, &err))
        fail_msg("%s", err.message);
}

/* All scores of two models agree, over every triple of words (with "no
 * word" too). */
static void assert_same_scores(const us_lm_source *a, const us_lm_source *b,
                               double tol)
{
    assert_int_equal(a->nwords, b->nwords);
    uint32_t n = (uint32_t)a->nwords;
    for (uint32_t w1 = 0; w1 <= n; w1++)
        for (uint32_t w2 = 0; w2 <= n; w2++)
            for (uint32_t w3 = 0; w3 < n; w3++) {
                uint32_t c1 = w1 == n ? NO : w1, c2 = w2 == n ? NO : w2;
                assert_near(us_lm_source_score(a, c1, c2, w3),
                            us_lm_source_score(b, c1, c2, w3), tol);
            }
}

static void test_sphinx_small(void **state)
{
    (void)state;
    static const char *texts[] = {
        k_arpa3,
        "\\data\\\nngram 1=3\nngram 2=2\n\n\\1-grams:\n-0.5 x -0.2\n"
        "-0.6 y -0.3\n-0.25 z\n\n\\2-grams:\n-0.1 y x\n-0.2 x z\n\\end\\\n",
        "\\data\\\nngram 1=2\n\n\\1-grams:\n-0.5 x\n-0.25 y\n\\end\\\n",
    };
    for (size_t t = 0; t < US_ARRAY_LEN(texts); t++) {
        us_lm_source src, lm;
        unspin_error err;
        read_arpa_text(texts[t], &src);
        blob b = sphinx_from(&src);
        const char *path = write_file("small.lm.bin", b.p, b.len);
        int rc = us_lm_source_read_sphinx(path, &lm, &err);
        if (rc)
            fail_msg("order %d: %s", src.order, err.message);
        assert_int_equal(lm.order, src.order);
        for (int i = 0; i < 3; i++)
            assert_int_equal(lm.counts[i], src.counts[i]);
        for (size_t w = 0; w < src.nwords; w++)
            assert_string_equal(lm.words[w], src.words[w]);
        if (src.counts[1])
            assert_memory_equal(lm.bi_w, src.bi_w,
                                2 * src.counts[1] * sizeof(uint32_t));
        if (src.counts[2])
            assert_memory_equal(lm.tri_w, src.tri_w,
                                3 * src.counts[2] * sizeof(uint32_t));
        assert_same_scores(&src, &lm, 1e-5);
        if (src.order == 3)
            check_model3(&lm, 1e-5);
        /* And through the sniffer. */
        us_lm_source_free(&lm);
        assert_int_equal(us_lm_source_read(path, &lm, &err), UNSPIN_OK);
        assert_int_equal(lm.order, src.order);
        us_lm_source_free(&lm);
        us_lm_source_free(&src);
        free(b.p);
    }
}

/* Parse a damaged buffer, which must be malloc'd at its exact size so
 * that ASan sees any read past its end: fail cleanly or give a model. */
static int parse_buf(const uint8_t *data, size_t len, unspin_error *err)
{
    us_lm_source lm;
    int rc = us_lm_source_parse_sphinx(data, len, "copy", &lm, err);
    if (rc == UNSPIN_OK) {
        /* Whatever came out must be usable. */
        assert_sorted_unique(lm.bi_w, lm.counts[1], 2);
        assert_sorted_unique(lm.tri_w, lm.counts[2], 3);
        for (uint32_t i = 0; i < 50; i++)
            (void)us_lm_source_score(&lm, rnd((uint32_t)lm.nwords + 1),
                                     rnd((uint32_t)lm.nwords + 1),
                                     rnd((uint32_t)lm.nwords));
    } else {
        assert_int_equal(err->code, rc);
        assert_true(strncmp(err->message, "copy: ", 6) == 0);
        assert_null(lm.words);
    }
    us_lm_source_free(&lm);
    return rc;
}

static int parse_prefix(const uint8_t *data, size_t len, unspin_error *err)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, data, len);
    int rc = parse_buf(copy, len, err);
    free(copy);
    return rc;
}

static void test_sphinx_small_damaged(void **state)
{
    (void)state;
    us_lm_source src;
    unspin_error err;
    read_arpa_text(k_arpa3, &src);
    blob b = sphinx_from(&src);
    /* Every truncation fails. */
    size_t step = 1;
    for (size_t cut = 0; cut < b.len; cut += step) {
        if (parse_prefix(b.p, cut, &err) == UNSPIN_OK)
            fail_msg("truncation at %zu accepted", cut);
        if (cut == 64)
            step = 4099; /* through the quantization tables */
        if (cut + step >= b.len - 200)
            step = 1;
    }
    /* One extra byte fails. */
    uint8_t *longer = malloc(b.len + 1);
    memcpy(longer, b.p, b.len);
    longer[b.len] = 0;
    assert_int_equal(parse_buf(longer, b.len + 1, &err), UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, "unexpected bytes"));
    free(longer);
    /* Random damage, mostly outside the quantization tables: no crash. */
    uint8_t *d = malloc(b.len);
    memcpy(d, b.p, b.len);
    const size_t qend = 20 + 12 + 4 + 3 * 65536 * 4;
    int accepted = 0;
    for (int iter = 0; iter < 3000; iter++) {
        int flips = 1 + (int)rnd(4);
        size_t at[4];
        uint8_t old[4];
        for (int f = 0; f < flips; f++) {
            at[f] = rnd(3) ? qend + rnd((uint32_t)(b.len - qend)) : rnd(36);
            old[f] = d[at[f]];
            d[at[f]] ^= (uint8_t)(1u << rnd(8));
        }
        accepted += parse_buf(d, b.len, &err) == UNSPIN_OK;
        for (int f = flips - 1; f >= 0; f--)
            d[at[f]] = old[f];
    }
    print_message("damaged small tries: %d of 3000 still parse\n", accepted);
    /* A NaN weight is refused. */
    uint32_t nan_bits = 0x7fc00000u;
    memcpy(d + qend, &nan_bits, 4);
    assert_int_equal(parse_buf(d, b.len, &err), UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, "bad weight for unigram 0"));
    free(d);
    us_lm_source_free(&src);
    free(b.p);
}

/* ------------------------------------------------------------------ */
/* The real en-us.lm.bin against libsphinxbase                         */
/* ------------------------------------------------------------------ */

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_sphinx_en_us(void **state)
{
    (void)state;
    if (access(EN_US_LM, R_OK) != 0)
        skip();
    us_lm_source lm;
    unspin_error err;
    double t0 = seconds();
    int rc = us_lm_source_read_sphinx(EN_US_LM, &lm, &err);
    double t1 = seconds();
    if (rc)
        fail_msg("%s", err.message);
    print_message("en-us.lm.bin read in %.3f s\n", t1 - t0);
    assert_int_equal(lm.order, 3);
    assert_int_equal(lm.counts[0], 72547);
    assert_int_equal(lm.counts[1], 2051541); /* header says 2,051,547 */
    assert_int_equal(lm.counts[2], 1669625);
    assert_int_equal(lm.nwords, 72547);
    assert_sorted_unique(lm.bi_w, lm.counts[1], 2);
    assert_sorted_unique(lm.tri_w, lm.counts[2], 3);
    /* The unigrams sum to 1 in base 1.0001: the assumed log base. */
    double sum = 0;
    for (size_t i = 0; i < lm.nwords; i++)
        sum += pow(10.0, lm.uni_prob[i]);
    assert_near(sum, 1.0, 1e-3);
    assert_near(score_w(&lm, "", "cold", "war"), -1.05, 0.01);
    /* Out-of-order trie ranges are kept whole (libsphinxbase cannot find
     * "whips and bullhorns" or "<s> and jerri"). */
    uint32_t key[3] = {word_id(&lm, "whips"), word_id(&lm, "and"),
                       word_id(&lm, "bullhorns")};
    int found = 0;
    for (size_t i = 0; i < lm.counts[2] && !found; i++)
        found = memcmp(lm.tri_w + 3 * i, key, sizeof key) == 0;
    assert_true(found);

    err_set_logfp(NULL);
    logmath_t *lmath = logmath_init(1.0001, 0, 0);
    assert_non_null(lmath);
    ngram_model_t *ref = ngram_model_read(NULL, EN_US_LM, NGRAM_AUTO, lmath);
    assert_non_null(ref);
    int32 *lib_id = malloc(lm.nwords * sizeof *lib_id);
    assert_non_null(lib_id);
    for (size_t i = 0; i < lm.nwords; i++) {
        lib_id[i] = ngram_wid(ref, lm.words[i]);
        assert_int_equal(lib_id[i], (int32)i);
    }

    double max_diff = 0;
    int kinds[6] = {0};
    const uint32_t nw = (uint32_t)lm.nwords;
    for (int n = 0; n < 10000; n++) {
        uint32_t w1 = NO, w2 = NO, w3;
        int kind = (int)rnd(100);
        if (kind < 35) { /* a trigram of the model */
            size_t i = rnd((uint32_t)lm.counts[2]);
            w1 = lm.tri_w[3 * i];
            w2 = lm.tri_w[3 * i + 1];
            w3 = lm.tri_w[3 * i + 2];
            kind = 0;
        } else if (kind < 60) { /* a bigram, no w1 */
            size_t i = rnd((uint32_t)lm.counts[1]);
            w2 = lm.bi_w[2 * i];
            w3 = lm.bi_w[2 * i + 1];
            kind = 1;
        } else if (kind < 68) { /* a unigram */
            w3 = rnd(nw);
            kind = 2;
        } else if (kind < 80) { /* random triple: mostly double back-off */
            w1 = rnd(nw);
            w2 = rnd(nw);
            w3 = rnd(nw);
            kind = 3;
        } else if (kind < 90) { /* random w1 before a real bigram */
            size_t i = rnd((uint32_t)lm.counts[1]);
            w1 = rnd(nw);
            w2 = lm.bi_w[2 * i];
            w3 = lm.bi_w[2 * i + 1];
            kind = 4;
        } else { /* a real context bigram, random next word */
            size_t i = rnd((uint32_t)lm.counts[1]);
            w1 = lm.bi_w[2 * i];
            w2 = lm.bi_w[2 * i + 1];
            w3 = rnd(nw);
            kind = 5;
        }
        kinds[kind]++;
        int32 used, s;
        if (w2 == NO)
            s = ngram_ng_score(ref, lib_id[w3], NULL, 0, &used);
        else if (w1 == NO)
            s = ngram_bg_score(ref, lib_id[w3], lib_id[w2], &used);
        else
            s = ngram_tg_score(ref, lib_id[w3], lib_id[w2], lib_id[w1], &used);
        double want = logmath_log_to_log10(lmath, s);
        double got = us_lm_source_score(&lm, w1, w2, w3);
        double d = fabs(got - want);
        if (d > max_diff)
            max_diff = d;
        if (!(d <= 1e-3))
            fail_msg("kind %d: %s %s %s: %.5f, libsphinxbase %.5f", kind,
                     w1 == NO ? "-" : lm.words[w1],
                     w2 == NO ? "-" : lm.words[w2], lm.words[w3], got, want);
    }
    print_message("10000 look-ups (%d tri, %d bi, %d uni, %d random, %d "
                  "w1+bigram, %d context+random): max |diff| %.2e\n",
                  kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], kinds[5],
                  max_diff);
    free(lib_id);
    ngram_model_free(ref);
    logmath_free(lmath);
    us_lm_source_free(&lm);
}

/* Truncated and damaged copies of the real file, written to disk. */
static void test_sphinx_en_us_damaged(void **state)
{
    (void)state;
    if (access(EN_US_LM, R_OK) != 0)
        skip();
    char *data;
    size_t len;
    unspin_error err;
    assert_int_equal(us_read_file(EN_US_LM, SIZE_MAX / 2, &data, &len, &err),
                     UNSPIN_OK);
    const size_t uni = 20 + 12 + 4 + 3 * 65536 * 4;
    const size_t mid = uni + 12 * 72548;
    static const struct {
        long long cut; /* bytes kept; negative: bytes cut from the end */
        const char *want;
    } cuts[] = {
        {0, "empty file"},
        {7, "truncated"},
        {19, "truncated"},
        {26, "truncated in the header"},
        {40, "truncated"},
        {(long long)uni - 3, "truncated"},
        {(long long)mid + 1000, "truncated"},
        {(long long)mid + 20000000, "truncated"},
        {-10, "truncated in the vocabulary"},
        {-1, "truncated in the vocabulary"},
    };
    for (size_t i = 0; i < US_ARRAY_LEN(cuts); i++) {
        size_t n = cuts[i].cut < 0 ? len - (size_t)-cuts[i].cut
                                   : (size_t)cuts[i].cut;
        const char *path = write_file("cut.lm.bin", data, n);
        us_lm_source lm;
        int rc = us_lm_source_read_sphinx(path, &lm, &err);
        if (rc != UNSPIN_EMODEL || !strstr(err.message, cuts[i].want) ||
            !strstr(err.message, path))
            fail_msg("cut at %zu: rc %d, '%s'", n, rc, err.message);
        assert_null(lm.words);
        unlink(path);
    }
    static const struct {
        size_t at;
        uint8_t xor_with;
        const char *want;
    } flips[] = {
        {0, 0x20, "bad magic"},
        {18, 0x01, "bad magic"},
        {19, 0x03, "order 0"},
        {19, 0x07, "order 4 not supported"},
        {19, 0x01, "bad counts"},           /* order 2 */
        {23, 0x80, "bad counts"},           /* 2^31 unigrams */
        {20, 0x01, "bad counts"},           /* 72546 unigrams */
        {24, 0x01, "bad counts"},           /* bigram count */
        {29, 0x10, "bad counts"},           /* trigram count */
        {31, 0x01, "bad counts"},
        {uni + 8, 0x01, "bad trie"},        /* unigram 0's next */
        {uni + 12 * 1000 + 10, 0x40, "bad trie"},
    };
    for (size_t i = 0; i < US_ARRAY_LEN(flips); i++) {
        data[flips[i].at] ^= (char)flips[i].xor_with;
        const char *path = write_file("flip.lm.bin", data, len);
        data[flips[i].at] ^= (char)flips[i].xor_with;
        us_lm_source lm;
        int rc = us_lm_source_read_sphinx(path, &lm, &err);
        if (rc != UNSPIN_EMODEL || !strstr(err.message, flips[i].want) ||
            !strstr(err.message, path))
            fail_msg("flip at %zu: rc %d, '%s'", flips[i].at, rc,
                     err.message);
        assert_null(lm.words);
        if (i == 0) { /* the sniffer does not take it for ARPA */
            assert_int_equal(us_lm_source_read(path, &lm, &err),
                             UNSPIN_EMODEL);
            assert_non_null(strstr(err.message, "unknown format"));
        }
        unlink(path);
    }
    /* A word id past the vocabulary in the middle array. */
    memset(data + mid, 0xff, 3);
    const char *path = write_file("wordid.lm.bin", data, len);
    us_lm_source lm;
    assert_int_equal(us_lm_source_read_sphinx(path, &lm, &err),
                     UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, "out of range"));
    unlink(path);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arpa_trigram),
        cmocka_unit_test(test_arpa_low_orders),
        cmocka_unit_test(test_arpa_errors),
        cmocka_unit_test(test_sphinx_small),
        cmocka_unit_test(test_sphinx_small_damaged),
        cmocka_unit_test(test_sphinx_en_us),
        cmocka_unit_test(test_sphinx_en_us_damaged),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
