/* Unit tests of the runtime language model (src/lm/ngram.c) and of its use
 * through the model file (unspin_model_open / unspin_model_logprob):
 *  - pocketsphinx's en-us.lm.bin packed and queried, against libsphinxbase
 *    (the acceptance test: 10,000 random n-grams within 1e-3) and against
 *    the source's own reference scorer;
 *  - small ARPA models packed and queried for every word triple;
 *  - damaged sections: errors, or answers in bounded time;
 *  - models/en_US.unspin when it has been built (make model). */
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

#include "lm/ngram.h"
#include "lm/source.h"
#include "model/file.h"
#include "model/model.h"
#include "model/strtab.h"
#include "util/common.h"

#define EN_US_LM "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
#define MODEL_PATH "models/en_US.unspin"
#define NO US_LM_NO_WORD

static char g_dir[64];

/* The real LM and libsphinxbase's view of it, loaded once when present. */
static us_lm_source g_src;
static int g_have_src;
static logmath_t *g_lmath;
static ngram_model_t *g_ref;
/* Trigrams libsphinxbase cannot find (see lm/source.h). */
static uint32_t g_lib_miss[2][3];

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t src_word(const us_lm_source *lm, const char *w)
{
    for (size_t i = 0; i < lm->nwords; i++)
        if (strcmp(lm->words[i], w) == 0)
            return (uint32_t)i;
    return NO;
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(g_dir, "/tmp/unspin-lmm-XXXXXX");
    if (!mkdtemp(g_dir))
        return -1;
    if (access(EN_US_LM, R_OK) != 0)
        return 0;
    unspin_error err;
    if (us_lm_source_read_sphinx(EN_US_LM, &g_src, &err) != UNSPIN_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    err_set_logfp(NULL);
    g_lmath = logmath_init(1.0001, 0, 0);
    g_ref = g_lmath ? ngram_model_read(NULL, EN_US_LM, NGRAM_AUTO, g_lmath) : NULL;
    if (!g_ref) {
        fprintf(stderr, "libsphinxbase cannot read %s\n", EN_US_LM);
        return -1;
    }
    /* Our word ids are the file's, and so libsphinxbase's. */
    for (size_t i = 0; i < g_src.nwords; i++)
        if (ngram_wid(g_ref, g_src.words[i]) != (int32)i) {
            fprintf(stderr, "word id %zu differs from libsphinxbase's\n", i);
            return -1;
        }
    static const char *miss[2][3] = {{"whips", "and", "bullhorns"},
                                     {"<s>", "and", "jerri"}};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 3; k++)
            g_lib_miss[i][k] = src_word(&g_src, miss[i][k]);
    g_have_src = 1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (g_ref)
        ngram_model_free(g_ref);
    if (g_lmath)
        logmath_free(g_lmath);
    us_lm_source_free(&g_src);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.7f, want %.7f (tolerance %g)", got, want, tol);
}

static uint64_t g_rng = 0x2545f4914f6cdd1du;

static uint32_t rnd(uint32_t n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (uint32_t)((g_rng >> 11) % n);
}

/* libsphinxbase's log10 P(w3 | w1 w2); NO for no context. */
static double lib_score(uint32_t w1, uint32_t w2, uint32_t w3)
{
    int32 used, s;
    if (w2 == NO)
        s = ngram_ng_score(g_ref, (int32)w3, NULL, 0, &used);
    else if (w1 == NO)
        s = ngram_bg_score(g_ref, (int32)w3, (int32)w2, &used);
    else
        s = ngram_tg_score(g_ref, (int32)w3, (int32)w2, (int32)w1, &used);
    return logmath_log_to_log10(g_lmath, s);
}

static int lib_misses(uint32_t w1, uint32_t w2, uint32_t w3)
{
    for (int i = 0; i < 2; i++)
        if (g_lib_miss[i][0] == w1 && g_lib_miss[i][1] == w2 && g_lib_miss[i][2] == w3)
            return 1;
    return 0;
}

enum { K_TRI, K_BI, K_UNI, K_RANDOM, K_W1_BIGRAM, K_CONTEXT_RANDOM, K_KINDS };

/* A random query over lm, in the mix of the source test: real trigrams,
 * real bigrams, unigrams, random triples (mostly double back-off), a
 * random w1 before a real bigram, a real context bigram before a random
 * word.  Returns the kind. */
static int random_query(const us_lm_source *lm, uint32_t w[3])
{
    const uint32_t nw = (uint32_t)lm->nwords;
    int kind = (int)rnd(100);
    w[0] = w[1] = NO;
    if (kind < 35) {
        size_t i = rnd((uint32_t)lm->counts[2]);
        memcpy(w, lm->tri_w + 3 * i, 3 * sizeof *w);
        return K_TRI;
    }
    if (kind < 60) {
        size_t i = rnd((uint32_t)lm->counts[1]);
        w[1] = lm->bi_w[2 * i];
        w[2] = lm->bi_w[2 * i + 1];
        return K_BI;
    }
    if (kind < 68) {
        w[2] = rnd(nw);
        return K_UNI;
    }
    if (kind < 80) {
        w[0] = rnd(nw);
        w[1] = rnd(nw);
        w[2] = rnd(nw);
        return K_RANDOM;
    }
    size_t i = rnd((uint32_t)lm->counts[1]);
    if (kind < 90) {
        w[0] = rnd(nw);
        w[1] = lm->bi_w[2 * i];
        w[2] = lm->bi_w[2 * i + 1];
        return K_W1_BIGRAM;
    }
    w[0] = lm->bi_w[2 * i];
    w[1] = lm->bi_w[2 * i + 1];
    w[2] = rnd(nw);
    return K_CONTEXT_RANDOM;
}

static const char *wname(const us_lm_source *lm, uint32_t w)
{
    return w == NO ? "-" : lm->words[w];
}

typedef struct packed {
    void *uni, *bi, *tri;
    size_t nu, nb, nt;
    us_lm lm;
} packed;

static void pack_and_view(const us_lm_source *src, packed *p)
{
    unspin_error err;
    int rc = us_lm_pack(src, &p->uni, &p->nu, &p->bi, &p->nb, &p->tri, &p->nt, &err);
    if (rc)
        fail_msg("us_lm_pack: %s", err.message);
    rc = us_lm_view(&p->lm, "test", p->uni, p->nu, p->bi, p->nb, p->tri, p->nt, &err);
    if (rc)
        fail_msg("us_lm_view: %s", err.message);
    assert_int_equal(p->lm.nwords, src->nwords);
    assert_int_equal(p->lm.bi_count, src->counts[1]);
    assert_int_equal(p->lm.tri_count, src->counts[2]);
    assert_true(p->lm.bi_slots > p->lm.bi_count);
    assert_true(p->lm.tri_slots > p->lm.tri_count);
}

static void packed_free(packed *p)
{
    free(p->uni);
    free(p->bi);
    free(p->tri);
    memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------------ */
/* (a) en-us.lm.bin packed, against libsphinxbase and the source       */
/* ------------------------------------------------------------------ */

static size_t check_bigram_flags(const us_lm *lm, const us_lm_source *src, uint64_t step);
static float packed_reference(const us_lm_source *src, uint32_t w1, uint32_t w2, uint32_t w3);

static void test_en_us_packed(void **state)
{
    (void)state;
    if (!g_have_src) {
        print_message("skipped: %s is not installed\n", EN_US_LM);
        skip();
    }
    const us_lm_source *src = &g_src;
    packed p;
    double t0 = seconds();
    pack_and_view(src, &p);
    print_message("packed in %.3f s: lm.uni %zu, lm.bi %zu, lm.tri %zu bytes\n",
                  seconds() - t0, p.nu, p.nb, p.nt);
    const us_lm *lm = &p.lm;

    /* Every stored n-gram is found with its own value. */
    for (size_t i = 0; i < src->counts[2]; i++) {
        const uint32_t *w = src->tri_w + 3 * i;
        float got = us_lm_score(lm, w[0], w[1], w[2]);
        if (got != src->tri_prob[i])
            fail_msg("trigram %zu: %g, stored %g", i, (double)got, (double)src->tri_prob[i]);
    }
    for (size_t i = 0; i < src->counts[1]; i++) {
        const uint32_t *w = src->bi_w + 2 * i;
        float got = us_lm_score(lm, NO, w[0], w[1]);
        if (got != src->bi_prob[i])
            fail_msg("bigram %zu: %g, stored %g", i, (double)got, (double)src->bi_prob[i]);
    }

    /* The records' flags (every 7th slot): the trie has a bigram for
     * every trigram context. */
    assert_int_equal(check_bigram_flags(lm, src, 7), 0);

    /* Known values and edge cases. */
    uint32_t cold = src_word(src, "cold"), war = src_word(src, "war");
    assert_near(us_lm_score(lm, NO, cold, war), -1.05, 0.01);
    assert_true(isinf(us_lm_score(lm, NO, NO, lm->nwords)) &&
                us_lm_score(lm, NO, NO, lm->nwords) < 0);
    assert_true(isinf(us_lm_score(lm, cold, cold, UINT32_MAX)));
    /* Any id past the vocabulary is "no context". */
    assert_true(us_lm_score(lm, cold, lm->nwords, war) == src->uni_prob[war]);
    assert_true(us_lm_score(lm, lm->nwords + 7, cold, war) ==
                us_lm_score(lm, NO, cold, war));

    double max_lib = 0, max_src = 0;
    int kinds[K_KINDS] = {0}, skipped = 0;
    for (int n = 0; n < 10000; n++) {
        uint32_t w[3];
        int kind = random_query(src, w);
        kinds[kind]++;
        double got = us_lm_score(lm, w[0], w[1], w[2]);
        double ref = us_lm_source_score(src, w[0], w[1], w[2]);
        if (got != packed_reference(src, w[0], w[1], w[2]))
            fail_msg("kind %d: %s %s %s: %.9g, format 1 arithmetic %.9g", kind,
                     wname(src, w[0]), wname(src, w[1]), wname(src, w[2]), got,
                     (double)packed_reference(src, w[0], w[1], w[2]));
        double d = fabs(got - ref);
        if (d > max_src)
            max_src = d;
        if (!(d < 1e-6))
            fail_msg("kind %d: %s %s %s: %.7f, source %.7f", kind, wname(src, w[0]),
                     wname(src, w[1]), wname(src, w[2]), got, ref);
        if (lib_misses(w[0], w[1], w[2])) {
            skipped++;
            continue;
        }
        double want = lib_score(w[0], w[1], w[2]);
        d = fabs(got - want);
        if (d > max_lib)
            max_lib = d;
        if (!(d <= 1e-3))
            fail_msg("kind %d: %s %s %s: %.5f, libsphinxbase %.5f", kind, wname(src, w[0]),
                     wname(src, w[1]), wname(src, w[2]), got, want);
    }
    print_message("10000 look-ups (%d tri, %d bi, %d uni, %d random, %d w1+bigram, "
                  "%d context+random): max |diff| vs libsphinxbase %.2e, vs source "
                  "%.2e%s\n",
                  kinds[K_TRI], kinds[K_BI], kinds[K_UNI], kinds[K_RANDOM],
                  kinds[K_W1_BIGRAM], kinds[K_CONTEXT_RANDOM], max_lib, max_src,
                  skipped ? " (a trigram libsphinxbase misses was skipped)" : "");
    packed_free(&p);
}

/* ------------------------------------------------------------------ */
/* (b) small ARPA models, every triple                                 */
/* ------------------------------------------------------------------ */

static const char k_arpa3[] =
    "\\data\\\n"
    "ngram 1=6\n"
    "ngram 2=5\n"
    "ngram 3=3\n"
    "\n"
    "\\1-grams:\n"
    "-99\t<s>\t-0.5\n"
    "-0.7\ta\t-0.3\n"
    "-0.8\tb\t-0.2\n"
    "-1.2\tc\n"
    "-1.5\td\t-0.45\n"
    "-0.9\t</s>\n"
    "\n"
    "\\2-grams:\n"
    "-0.4\ta b\t-0.1\n"
    "-0.3\t<s> a\t-0.25\n"
    "-0.6\tb c\n"
    "-0.2\tb </s>\t0\n"
    "-0.35\td a\t-0.05\n"
    "\n"
    "\\3-grams:\n"
    "-0.05 a b c\n"
    "-0.15\t<s> a b\n"
    "-0.12\td a b\n"
    "\n"
    "\\end\\\n";

/* Back-off weights on the highest order are ignored by the scorer. */
static const char k_arpa2[] =
    "\\data\\\nngram 1=3\nngram 2=2\n\n\\1-grams:\n-0.5 x -0.2\n"
    "-0.6 y -0.3\n-0.25 z -0.7\n\n\\2-grams:\n-0.1 y x -0.4\n-0.2 x z -0.3\n\\end\\\n";
static const char k_arpa1[] =
    "\\data\\\nngram 1=3\n\n\\1-grams:\n-0.5 x -0.3\n-inf y\n-0.25 z -0.1\n\\end\\\n";
/* Declares trigrams but has none. */
static const char k_arpa3_empty[] =
    "\\data\\\nngram 1=3\nngram 2=2\nngram 3=0\n\n\\1-grams:\n-0.5 x -0.2\n"
    "-0.6 y -0.3\n-0.25 z\n\n\\2-grams:\n-0.1 y x -0.4\n-0.2 x z -0.3\n\n\\3-grams:\n"
    "\\end\\\n";

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

static void read_arpa_text(const char *text, us_lm_source *lm)
{
    unspin_error err;
    const char *path = write_file("src.arpa", text, strlen(text));
    if (us_lm_source_read_arpa(path, lm, &err))
        fail_msg("%s", err.message);
}

/* A random trigram ARPA model over nw words: about nb bigrams (each word
 * pair at most once) and nt trigrams extending some of them, and about
 * `orphans` more whose context is a random pair, mostly no bigram (an
 * ARPA file may leave a trigram's context out). */
static char *random_arpa(uint32_t nw, uint32_t nb, uint32_t nt, uint32_t orphans)
{
    uint8_t *has_bi = calloc((size_t)nw * nw, 1);
    uint8_t *has_tri = calloc((size_t)nw * nw * nw, 1);
    uint32_t *bi = malloc((size_t)nb * 2 * sizeof *bi);
    assert_true(has_bi && has_tri && bi);
    uint32_t b = 0, t = 0;
    for (uint32_t i = 0; i < nb; i++) {
        uint32_t x = rnd(nw), y = rnd(nw);
        if (has_bi[x * nw + y])
            continue;
        has_bi[x * nw + y] = 1;
        bi[2 * b] = x;
        bi[2 * b + 1] = y;
        b++;
    }
    for (uint32_t i = 0; i < nt && b; i++) {
        uint32_t k = rnd(b), z = rnd(nw);
        size_t at = ((size_t)bi[2 * k] * nw + bi[2 * k + 1]) * nw + z;
        t += !has_tri[at];
        has_tri[at] = 1;
    }
    for (uint32_t i = 0; i < orphans; i++) {
        size_t at = ((size_t)rnd(nw) * nw + rnd(nw)) * nw + rnd(nw);
        t += !has_tri[at];
        has_tri[at] = 1;
    }
    size_t cap = 64 + (size_t)(nw + b + t) * 48, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
#define OUT(...) len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__)
    OUT("\\data\\\nngram 1=%u\nngram 2=%u\nngram 3=%u\n\n\\1-grams:\n", nw, b, t);
    for (uint32_t w = 0; w < nw; w++) {
        OUT("-%.4f w%u", 0.5 + rnd(30000) / 10000.0, w);
        if (rnd(4))
            OUT(" -%.4f", rnd(10000) / 10000.0);
        OUT("\n");
    }
    OUT("\n\\2-grams:\n");
    for (uint32_t i = 0; i < b; i++) {
        OUT("-%.4f w%u w%u", 0.01 + rnd(20000) / 10000.0, bi[2 * i], bi[2 * i + 1]);
        if (rnd(3))
            OUT(" %.4f", rnd(10000) / 10000.0 - 0.8);
        OUT("\n");
    }
    OUT("\n\\3-grams:\n");
    for (size_t at = 0; at < (size_t)nw * nw * nw; at++)
        if (has_tri[at])
            OUT("-%.4f w%zu w%zu w%zu\n", 0.01 + rnd(20000) / 10000.0, at / nw / nw,
                at / nw % nw, at % nw);
    OUT("\n\\end\\\n");
#undef OUT
    assert_true(len < cap);
    free(has_bi);
    free(has_tri);
    free(bi);
    return s;
}

static int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* Whether trigrams of src extend (w1 w2): a binary search over tri_w,
 * sorted by (w1, w2, w3), for the first triple >= (w1, w2, 0). */
static int src_has_context(const us_lm_source *src, uint32_t w1, uint32_t w2)
{
    size_t lo = 0, hi = src->counts[2];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_pair(src->tri_w + 3 * mid, (uint32_t[]){w1, w2}) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < src->counts[2] && src->tri_w[3 * lo] == w1 && src->tri_w[3 * lo + 1] == w2;
}

/* Every record of lm.bi against the source (every `step`-th slot): a
 * bigram's record is flagged US_LM_BI_HAS_TRI exactly when trigrams extend
 * it; the other records are the trigram contexts that are no bigrams
 * (US_LM_BI_CTX_ONLY | US_LM_BI_HAS_TRI, probability and back-off 0), one
 * per such context.  Returns the number of context-only records seen. */
static size_t check_bigram_flags(const us_lm *lm, const us_lm_source *src, uint64_t step)
{
    size_t ctx_only = 0, records = 0;
    for (uint64_t s = 0; s < lm->bi_slots; s += step) {
        uint64_t key = lm->bi[s].key;
        if (!key)
            continue;
        records++;
        uint64_t k = (key & US_LM_BI_KEY_MASK) - 1;
        uint32_t w[2] = {(uint32_t)(k >> 32), (uint32_t)k};
        assert_true(w[0] < src->nwords && w[1] < src->nwords);
        int is_bigram = bsearch(w, src->bi_w, src->counts[1], 2 * sizeof *w, cmp_pair) != NULL;
        int has_tri = src_has_context(src, w[0], w[1]);
        if (!!(key & US_LM_BI_HAS_TRI) != has_tri || !!(key & US_LM_BI_CTX_ONLY) == is_bigram)
            fail_msg("record (%u %u): flags %#llx, bigram %d, context of trigrams %d", w[0],
                     w[1], (unsigned long long)(key >> 62), is_bigram, has_tri);
        if (!is_bigram) {
            assert_true(has_tri);
            assert_true(lm->bi[s].prob == 0.0f && lm->bi[s].bo == 0.0f);
            ctx_only++;
        }
    }
    if (step == 1)
        assert_int_equal(records, lm->bi_count + ctx_only);
    return ctx_only;
}

static int cmp_triple(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    for (int i = 0; i < 3; i++)
        if (x[i] != y[i])
            return (x[i] > y[i]) - (x[i] < y[i]);
    return 0;
}

/* us_lm_score as model format 1 computed it (one hash table per order,
 * the trigram probed whatever the context), from the source's arrays:
 * the same floats, added in the same order, so the flags of format 2
 * must leave every score bit for bit as it was. */
static float packed_reference(const us_lm_source *src, uint32_t w1, uint32_t w2, uint32_t w3)
{
    const uint32_t n = (uint32_t)src->nwords;
    if (w3 >= n)
        return -INFINITY;
    if (w2 >= n)
        return src->uni_prob[w3];
    float backoff = 0.0f;
    if (src->counts[1]) {
        if (w1 < n) {
            const uint32_t *t = src->counts[2]
                                    ? bsearch((uint32_t[]){w1, w2, w3}, src->tri_w,
                                              src->counts[2], 3 * sizeof *t, cmp_triple)
                                    : NULL;
            if (t)
                return src->tri_prob[(size_t)(t - src->tri_w) / 3];
            const uint32_t *c = bsearch((uint32_t[]){w1, w2}, src->bi_w, src->counts[1],
                                        2 * sizeof *c, cmp_pair);
            if (c)
                backoff = src->bi_bo && src->order >= 3
                              ? src->bi_bo[(size_t)(c - src->bi_w) / 2] : 0.0f;
        }
        const uint32_t *b = bsearch((uint32_t[]){w2, w3}, src->bi_w, src->counts[1],
                                    2 * sizeof *b, cmp_pair);
        if (b)
            return backoff + src->bi_prob[(size_t)(b - src->bi_w) / 2];
    }
    float ubo = src->uni_bo && src->order >= 2 ? src->uni_bo[w2] : 0.0f;
    return backoff + ubo + src->uni_prob[w3];
}

static size_t assert_bigram_flags(const us_lm *lm, const us_lm_source *src)
{
    return check_bigram_flags(lm, src, 1);
}

/* Every triple (with "no word" and an id past the vocabulary as context)
 * scores as the source's reference scorer does; when `exact`, bit for bit
 * as format 1 did (packed_reference). */
static void assert_scores(const us_lm *lm, const us_lm_source *src, int exact)
{
    const uint32_t n = (uint32_t)src->nwords;
    const uint32_t ctx[] = {NO, n, n + 1000};
    for (uint32_t i1 = 0; i1 < n + 3; i1++)
        for (uint32_t i2 = 0; i2 < n + 3; i2++)
            for (uint32_t w3 = 0; w3 <= n; w3++) {
                uint32_t w1 = i1 < n ? i1 : ctx[i1 - n], w2 = i2 < n ? i2 : ctx[i2 - n];
                float got = us_lm_score(lm, w1, w2, w3);
                float want = us_lm_source_score(src, w1, w2, w3);
                if (w3 == n) {
                    assert_true(isinf(got) && got < 0);
                    continue;
                }
                if (exact && got != packed_reference(src, w1, w2, w3))
                    fail_msg("%u %u %u: %.9g, format 1 arithmetic %.9g", w1, w2, w3,
                             (double)got, (double)packed_reference(src, w1, w2, w3));
                if (!(fabsf(got - want) <= 1e-6f * fmaxf(1.0f, fabsf(want))))
                    fail_msg("%u %u %u: %.7f, source %.7f", w1, w2, w3, (double)got,
                             (double)want);
            }
}

static void assert_same_as_source(const us_lm *lm, const us_lm_source *src)
{
    assert_scores(lm, src, 1);
}

static void test_small_models(void **state)
{
    (void)state;
    const char *texts[] = {k_arpa3, k_arpa2, k_arpa1, k_arpa3_empty};
    for (size_t t = 0; t < US_ARRAY_LEN(texts); t++) {
        us_lm_source src;
        read_arpa_text(texts[t], &src);
        packed p;
        pack_and_view(&src, &p);
        assert_int_equal(assert_bigram_flags(&p.lm, &src), 0);
        assert_same_as_source(&p.lm, &src);
        us_lm_source_free(&src);
        packed_free(&p);
    }
    /* Hand-checked values of k_arpa3: <s>=0 a=1 b=2 c=3 d=4 </s>=5. */
    us_lm_source src;
    read_arpa_text(k_arpa3, &src);
    packed p;
    pack_and_view(&src, &p);
    assert_near(us_lm_score(&p.lm, 1, 2, 3), -0.05, 1e-6);      /* a b c */
    assert_near(us_lm_score(&p.lm, 4, 1, 2), -0.12, 1e-6);      /* d a b */
    assert_near(us_lm_score(&p.lm, 1, 2, 5), -0.1 - 0.2, 1e-6); /* a b </s> */
    assert_near(us_lm_score(&p.lm, 0, 1, 3), -0.25 - 0.3 - 1.2, 1e-6);
    assert_near(us_lm_score(&p.lm, 4, 1, 3), -0.05 - 0.3 - 1.2, 1e-6);
    assert_near(us_lm_score(&p.lm, NO, 3, 1), -0.7, 1e-6);
    assert_near(us_lm_score(&p.lm, 5, NO, 4), -1.5, 1e-6);
    us_lm_source_free(&src);
    packed_free(&p);
    /* Unigram model: context is ignored, back-off weights too. */
    read_arpa_text(k_arpa1, &src);
    pack_and_view(&src, &p);
    assert_near(us_lm_score(&p.lm, 0, 2, 0), -0.5, 0);
    assert_near(us_lm_score(&p.lm, NO, 1, 1), -99, 0);
    us_lm_source_free(&src);
    packed_free(&p);

    /* Random models: tables of a few hundred slots, long probe runs. */
    for (int round = 0; round < 4; round++) {
        char *text = random_arpa(24 + 8 * (uint32_t)round, 250 * (uint32_t)(round + 1),
                                 400 * (uint32_t)(round + 1), 60 * (uint32_t)round);
        read_arpa_text(text, &src);
        free(text);
        pack_and_view(&src, &p);
        size_t ctx_only = assert_bigram_flags(&p.lm, &src);
        assert_true(round ? ctx_only > 0 : ctx_only == 0);
        assert_same_as_source(&p.lm, &src);
        us_lm_source_free(&src);
        packed_free(&p);
    }
}

static void test_pack_errors(void **state)
{
    (void)state;
    us_lm_source src;
    memset(&src, 0, sizeof src);
    void *u = (void *)1, *b = (void *)1, *t = (void *)1;
    size_t nu, nb, nt;
    unspin_error err;
    assert_int_equal(us_lm_pack(&src, &u, &nu, &b, &nb, &t, &nt, &err), UNSPIN_EINVAL);
    assert_null(u);
    assert_null(b);
    assert_null(t);
    assert_non_null(strstr(err.message, "0 words"));
    src.nwords = (size_t)US_LM_MAX_WORDS + 1;
    assert_int_equal(us_lm_pack(&src, &u, &nu, &b, &nb, &t, &nt, &err), UNSPIN_EINVAL);

    /* N-grams out of order (look-ups rely on the order) or out of range. */
    us_lm_source good;
    read_arpa_text(k_arpa3, &good);
    src = good;
    uint32_t bi_w[10], tri_w[9];
    memcpy(bi_w, good.bi_w, sizeof bi_w);
    memcpy(tri_w, good.tri_w, sizeof tri_w);
    src.bi_w = bi_w;
    src.tri_w = tri_w;
    assert_int_equal(us_lm_pack(&src, &u, &nu, &b, &nb, &t, &nt, &err), UNSPIN_OK);
    free(u);
    free(b);
    free(t);
    /* Sorted: bigrams (<s> a) (a b) (b c) (b </s>) (d a), trigrams
     * (<s> a b) (a b c) (d a b), with <s>=0 a=1 b=2 c=3 d=4 </s>=5. */
    static const struct {
        int tri;          /* 0: bigrams, 1: trigrams */
        int at;           /* which n-gram to replace */
        uint32_t w[3];
        const char *want;
    } bad[] = {
        {0, 1, {0, 0, 0}, "bigram 1 is out of order"},   /* (<s> <s>) */
        {0, 1, {0, 1, 0}, "bigram 1 is out of order"},   /* (<s> a) again */
        {0, 4, {4, 6, 0}, "bigram 4 is out of order or out of range"},
        {1, 1, {0, 0, 5}, "trigram 1 is out of order"},
        {1, 2, {4, 1, 2}, NULL},                          /* as it was */
        {1, 2, {1, 2, 3}, "trigram 2 is out of order"},
        {1, 0, {0, 1, 7}, "trigram 0 is out of order or out of range"},
    };
    for (size_t i = 0; i < US_ARRAY_LEN(bad); i++) {
        int n = bad[i].tri ? 3 : 2;
        uint32_t *w = (bad[i].tri ? tri_w : bi_w) + n * bad[i].at;
        memcpy(w, bad[i].w, (size_t)n * sizeof *w);
        u = b = t = (void *)1;
        int rc = us_lm_pack(&src, &u, &nu, &b, &nb, &t, &nt, &err);
        if (!bad[i].want) {
            assert_int_equal(rc, UNSPIN_OK);
            free(u);
            free(b);
            free(t);
        } else {
            assert_int_equal(rc, UNSPIN_EINVAL);
            if (!strstr(err.message, bad[i].want))
                fail_msg("message '%s' lacks '%s'", err.message, bad[i].want);
            assert_null(u);
            assert_null(b);
            assert_null(t);
        }
        memcpy(bi_w, good.bi_w, sizeof bi_w);
        memcpy(tri_w, good.tri_w, sizeof tri_w);
    }
    us_lm_source_free(&good);
}

/* ------------------------------------------------------------------ */
/* (c) damaged sections                                                */
/* ------------------------------------------------------------------ */

/* An exact-size malloc'd copy, so ASan sees any read past the end. */
static void *copy_of(const void *p, size_t n)
{
    void *c = malloc(n ? n : 1);
    assert_non_null(c);
    memcpy(c, p, n);
    return c;
}

static void set_header(void *table, uint64_t nslots, uint64_t count)
{
    us_lm_table h = {nslots, count};
    memcpy(table, &h, sizeof h);
}

/* A view of (uni, bi, tri) with sizes must fail, naming `what`. */
static void expect_view_error(const void *uni, size_t nu, const void *bi, size_t nb,
                              const void *tri, size_t nt, const char *what)
{
    us_lm lm;
    unspin_error err;
    int rc = us_lm_view(&lm, "damaged.unspin", uni, nu, bi, nb, tri, nt, &err);
    if (rc != UNSPIN_EMODEL)
        fail_msg("no error for a view that should fail with '%s'", what);
    assert_int_equal(err.code, UNSPIN_EMODEL);
    if (!strstr(err.message, "damaged.unspin") || !strstr(err.message, what))
        fail_msg("message '%s' lacks '%s'", err.message, what);
}

static void test_damaged_views(void **state)
{
    (void)state;
    us_lm_source src;
    read_arpa_text(k_arpa3, &src);
    packed p;
    pack_and_view(&src, &p);
    const size_t H = sizeof(us_lm_table);
    uint64_t bslots = p.lm.bi_slots, tslots = p.lm.tri_slots;

    expect_view_error(NULL, p.nu, p.bi, p.nb, p.tri, p.nt, "missing");
    expect_view_error(p.uni, p.nu, NULL, p.nb, p.tri, p.nt, "missing");
    expect_view_error(p.uni, p.nu, p.bi, p.nb, NULL, p.nt, "missing");
    expect_view_error(p.uni, 0, p.bi, p.nb, p.tri, p.nt, "lm.uni");
    expect_view_error(p.uni, p.nu - 1, p.bi, p.nb, p.tri, p.nt, "lm.uni");
    expect_view_error(p.uni, ((size_t)US_LM_MAX_WORDS + 1) * sizeof(us_lm_uni), p.bi, p.nb,
                      p.tri, p.nt, "lm.uni");
    expect_view_error(p.uni, p.nu, p.bi, 0, p.tri, p.nt, "lm.bi is truncated");
    expect_view_error(p.uni, p.nu, p.bi, H - 1, p.tri, p.nt, "lm.bi is truncated");
    expect_view_error(p.uni, p.nu, p.bi, p.nb, p.tri, H - 1, "lm.tri is truncated");
    expect_view_error(p.uni, p.nu, p.bi, p.nb - 1, p.tri, p.nt, "lm.bi has a bad size");
    expect_view_error(p.uni, p.nu, p.bi, p.nb - sizeof(us_lm_bi), p.tri, p.nt,
                      "lm.bi has a bad size");
    expect_view_error(p.uni, p.nu, p.bi, p.nb, p.tri, p.nt - 4, "lm.tri has a bad size");
    expect_view_error(p.uni, p.nu, p.bi, H, p.tri, p.nt, "lm.bi has a bad size");

    /* Bad headers in place (the sizes are right). */
    void *bi = copy_of(p.bi, p.nb), *tri = copy_of(p.tri, p.nt);
    const uint64_t bc = p.lm.bi_count, tc = p.lm.tri_count;
    const struct {
        void *table;
        uint64_t nslots, count;
    } bad[] = {
        {bi, 0, 0},                /* no slots */
        {bi, bslots + 1, bc},      /* more slots than the size holds */
        {bi, bslots - 1, bc},      /* fewer */
        {bi, bslots, bslots},      /* count = nslots: no empty slot */
        {bi, bslots, bslots + 1},  /* count > nslots */
        {bi, bslots, UINT64_MAX},
        {tri, 0, 0},
        {tri, tslots + 1, tc},
        {tri, tslots, tslots},
        {tri, tslots, UINT64_MAX},
    };
    for (size_t i = 0; i < US_ARRAY_LEN(bad); i++) {
        set_header(bad[i].table, bad[i].nslots, bad[i].count);
        expect_view_error(p.uni, p.nu, bi, p.nb, tri, p.nt,
                          bad[i].table == tri ? "lm.tri has a bad size"
                                              : "lm.bi has a bad size");
        set_header(bi, bslots, bc);
        set_header(tri, tslots, tc);
    }
    /* Huge slot counts cannot wrap the size check. */
    set_header(bi, UINT64_MAX / sizeof(us_lm_bi) + 2, 0);
    expect_view_error(p.uni, p.nu, bi, p.nb, tri, p.nt, "lm.bi has a bad size");
    set_header(bi, bslots, p.lm.bi_count);
    us_lm lm;
    unspin_error err;
    assert_int_equal(us_lm_view(&lm, "x", p.uni, p.nu, bi, p.nb, tri, p.nt, &err), UNSPIN_OK);
    free(bi);
    free(tri);
    us_lm_source_free(&src);
    packed_free(&p);
}

static void test_full_tables(void **state)
{
    (void)state;
    us_lm_source src;
    read_arpa_text(k_arpa3, &src);
    packed p;
    pack_and_view(&src, &p);
    const size_t H = sizeof(us_lm_table);
    const uint32_t n = p.lm.nwords;
    us_lm lm;
    unspin_error err;

    /* 1. Every empty slot filled with a (large) key no query asks for: the
     * header still claims an empty slot, so the view is accepted; look-ups
     * stop at the large keys and the answers stay right. */
    uint8_t *bi = copy_of(p.bi, p.nb), *tri = copy_of(p.tri, p.nt);
    us_lm_bi *bs = (us_lm_bi *)(bi + H);
    us_lm_tri *ts = (us_lm_tri *)(tri + H);
    for (uint64_t s = 0; s < p.lm.bi_slots; s++)
        if (!bs[s].key) {
            bs[s].key = UINT64_MAX - s;
            bs[s].prob = bs[s].bo = -1.0f;
        }
    for (uint64_t s = 0; s < p.lm.tri_slots; s++)
        if (!(ts[s].key_lo | ts[s].key_hi)) {
            ts[s].key_lo = ts[s].key_hi = 0xfffffff0u - (uint32_t)s;
            ts[s].prob = -1.0f;
        }
    assert_int_equal(us_lm_view(&lm, "full", p.uni, p.nu, bi, p.nb, tri, p.nt, &err),
                     UNSPIN_OK);
    assert_same_as_source(&lm, &src);

    /* 2. Every slot holding a key no query asks for: all back-off. */
    for (uint64_t s = 0; s < p.lm.bi_slots; s++)
        bs[s].key = UINT64_MAX - s;
    for (uint64_t s = 0; s < p.lm.tri_slots; s++)
        ts[s].key_hi = 0xfffffff0u - (uint32_t)s;
    assert_int_equal(us_lm_view(&lm, "full", p.uni, p.nu, bi, p.nb, tri, p.nt, &err),
                     UNSPIN_OK);
    const us_lm_uni *u = p.uni;
    for (uint32_t w1 = 0; w1 < n; w1++)
        for (uint32_t w2 = 0; w2 < n; w2++)
            for (uint32_t w3 = 0; w3 < n; w3++)
                assert_near(us_lm_score(&lm, w1, w2, w3), u[w2].bo + u[w3].prob, 1e-6);
    free(bi);
    free(tri);

    /* 3. Large full tables (100,000 slots) of keys smaller than any the
     * queries ask for, so no look-up can stop early: one pass, no hang. */
    const uint64_t big = 100000;
    size_t nb = H + big * sizeof(us_lm_bi), nt = H + big * sizeof(us_lm_tri);
    bi = malloc(nb);
    tri = malloc(nt);
    assert_true(bi && tri);
    set_header(bi, big, big - 1);
    set_header(tri, big, big - 1);
    bs = (us_lm_bi *)(bi + H);
    ts = (us_lm_tri *)(tri + H);
    for (uint64_t s = 0; s < big; s++) {
        bs[s] = (us_lm_bi){1, -2.0f, -0.5f};  /* the key of (0, 0) */
        ts[s] = (us_lm_tri){1, 0, -2.0f};     /* the key of (0, 0, 0) */
    }
    assert_int_equal(us_lm_view(&lm, "big", p.uni, p.nu, bi, nb, tri, nt, &err),
                     UNSPIN_OK);
    double t0 = seconds();
    for (uint32_t w = 0; w < n; w++)
        assert_near(us_lm_score(&lm, w, 1, 2), u[1].bo + u[2].prob, 1e-6);
    /* The same with the bigram (0, 0) flagged as a trigram context, so
     * that queries (0, 0, w) probe the full trigram table as well. */
    for (uint64_t s = 0; s < big; s++)
        bs[s].key = 1 | US_LM_BI_HAS_TRI;
    for (uint32_t w = 1; w < n; w++)
        assert_near(us_lm_score(&lm, 0, 0, w), -0.5f + u[0].bo + u[w].prob, 1e-6);
    double dt = seconds() - t0;
    print_message("%u queries in full 100,000-slot tables: %.1f ms\n", 2 * n - 1, dt * 1e3);
    free(bi);
    free(tri);

    /* 4. Random damage to the slots (not the headers): any answer, no
     * crash, no hang. */
    bi = malloc(p.nb);
    tri = malloc(p.nt);
    assert_true(bi && tri);
    for (int iter = 0; iter < 2000; iter++) {
        memcpy(bi, p.bi, p.nb);
        memcpy(tri, p.tri, p.nt);
        for (int f = 0; f < 8; f++) {
            bi[H + rnd((uint32_t)(p.nb - H))] ^= (uint8_t)(1u << rnd(8));
            tri[H + rnd((uint32_t)(p.nt - H))] ^= (uint8_t)(1u << rnd(8));
        }
        assert_int_equal(us_lm_view(&lm, "flip", p.uni, p.nu, bi, p.nb, tri, p.nt, &err),
                         UNSPIN_OK);
        for (int q = 0; q < 20; q++)
            (void)us_lm_score(&lm, rnd(n + 2), rnd(n + 2), rnd(n + 1));
    }
    free(bi);
    free(tri);
    us_lm_source_free(&src);
    packed_free(&p);
}

/* ------------------------------------------------------------------ */
/* The LM through a model file                                         */
/* ------------------------------------------------------------------ */

typedef enum { DAMAGE_NONE, DAMAGE_BI_COUNT, DAMAGE_TRI_SIZE, DAMAGE_UNI_SIZE,
               DAMAGE_NO_TRI, DAMAGE_UNI_TOO_BIG } damage;

/* Build a model whose LM is the ARPA file at lm_path, with the real
 * builder (no thesauri): path of the new model, or NULL when the builder
 * cannot run here (no Hunspell dictionary). */
static const char *build_small_model(const char *lm_path)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/small.unspin", g_dir);
    unspin_build_options o;
    unspin_build_options_default(&o);
    o.lm = lm_path;
    o.mythes = NULL;
    o.wordnet = NULL;
    o.project = NULL;
    o.nproject = 0;
    o.learned = NULL;
    unspin_error err;
    int rc = unspin_model_build(&o, path, &err);
    if (rc != UNSPIN_OK) {
        print_message("unspin_model_build: %s\n", err.message);
        return NULL;
    }
    return path;
}

/* A copy of the model at `from`, with one kind of damage to its LM
 * sections (the others are copied as they are). */
static const char *damaged_copy(const char *from, damage d)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/damaged.unspin", g_dir);
    us_model_file mf;
    us_model_writer *w;
    unspin_error err;
    assert_int_equal(us_model_file_open(from, &mf, &err), UNSPIN_OK);
    const us_model_section *voff = us_model_file_find(&mf, "vocab.off");
    assert_non_null(voff);
    assert_int_equal(us_model_writer_open(path, &w, &err), UNSPIN_OK);
    for (size_t i = 0; i < mf.nsections; i++) {
        const us_model_section *s = &mf.sections[i];
        uint8_t *data = copy_of(s->data, (size_t)s->size);
        size_t size = (size_t)s->size;
        int keep = 1;
        if (strcmp(s->name, "lm.bi") == 0 && d == DAMAGE_BI_COUNT) {
            /* count = nslots: no empty slot. */
            uint64_t slots = (size - sizeof(us_lm_table)) / sizeof(us_lm_bi);
            set_header(data, slots, slots);
        } else if (strcmp(s->name, "lm.tri") == 0) {
            size -= d == DAMAGE_TRI_SIZE ? sizeof(us_lm_tri) : 0;
            keep = d != DAMAGE_NO_TRI;
        } else if (strcmp(s->name, "lm.uni") == 0 && d == DAMAGE_UNI_SIZE) {
            size -= 4;
        } else if (strcmp(s->name, "lm.uni") == 0 && d == DAMAGE_UNI_TOO_BIG) {
            /* More LM words than the vocabulary has. */
            size = (size_t)(voff->size / 4 + 1) * sizeof(us_lm_uni);
            free(data);
            data = calloc(1, size);
            assert_non_null(data);
        }
        if (keep)
            assert_int_equal(us_model_writer_section(w, s->name, data, size, &err),
                             UNSPIN_OK);
        free(data);
    }
    assert_int_equal(us_model_writer_close(w, &err), UNSPIN_OK);
    us_model_file_close(&mf);
    return path;
}

static void test_model_file_lm(void **state)
{
    (void)state;
    us_lm_source src;
    read_arpa_text(k_arpa3, &src);
    char lm_path[256];
    snprintf(lm_path, sizeof lm_path, "%s/src.arpa", g_dir);
    const char *path = build_small_model(lm_path);
    if (!path) {
        us_lm_source_free(&src);
        print_message("skipped: the model builder cannot run here\n");
        skip();
    }
    unspin_model *m;
    unspin_error err;
    int rc = unspin_model_open(path, &m, &err);
    if (rc)
        fail_msg("%s", err.message);
    assert_int_equal(unspin_model_verify(m, &err), UNSPIN_OK);
    unspin_model_counts c;
    unspin_model_get_counts(m, &c);
    assert_int_equal(c.lm_words, 6);
    assert_int_equal(c.bigrams, 5);
    assert_int_equal(c.trigrams, 3);
    /* By strings, normalized; every triple against the source. */
    const char *names[] = {"<s>", "a", "b", "c", "d", "</s>"};
    for (int i1 = -1; i1 < 6; i1++)
        for (int i2 = -1; i2 < 6; i2++)
            for (int i3 = 0; i3 < 6; i3++) {
                double got = unspin_model_logprob(m, i1 < 0 ? NULL : names[i1],
                                                  i2 < 0 ? NULL : names[i2], names[i3]);
                double want = us_lm_source_score(&src, i1 < 0 ? NO : (uint32_t)i1,
                                                 i2 < 0 ? NO : (uint32_t)i2, (uint32_t)i3);
                assert_near(got, want, 1e-5);
            }
    assert_near(unspin_model_logprob(m, "A", "B", "C"), -0.05, 1e-6);
    assert_near(unspin_model_logprob(m, "", "a", "b"), -0.4, 1e-6);
    /* An unknown context word cuts the context there. */
    assert_near(unspin_model_logprob(m, "zzz", "a", "b"), -0.4, 1e-6);
    assert_near(unspin_model_logprob(m, "a", "zzz", "b"), -0.8, 1e-6);
    /* So does a vocabulary word outside the LM (a lemma, say). */
    const char *extra = us_strtab_get(&m->vocab, m->lm_words);
    if (extra) {
        assert_near(unspin_model_logprob(m, "a", extra, "b"), -0.8, 1e-6);
        assert_near(unspin_model_logprob(m, extra, "a", "b"), -0.4, 1e-6);
        assert_near(unspin_model_logprob(m, "a", "b", extra), UNSPIN_LM_UNKNOWN_LOGPROB, 0);
    }
    /* Unknown words and numbers get flat scores. */
    assert_near(unspin_model_logprob(m, "a", "b", "zzz"), UNSPIN_LM_UNKNOWN_LOGPROB, 0);
    assert_near(unspin_model_logprob(m, "a", "b", "5,500"), UNSPIN_LM_NUMBER_LOGPROB, 0);
    assert_near(unspin_model_logprob(m, "a", "b", "3.5"), UNSPIN_LM_NUMBER_LOGPROB, 0);
    assert_near(unspin_model_logprob(m, "a", "b", ""), UNSPIN_LM_UNKNOWN_LOGPROB, 0);
    assert_true(isnan(unspin_model_logprob(m, "a", "b", NULL)));
    assert_true(isnan(unspin_model_logprob(NULL, "a", "b", "c")));
    unspin_model_free(m);

    static const struct {
        damage d;
        const char *want;
    } cases[] = {
        {DAMAGE_NONE, NULL},
        {DAMAGE_BI_COUNT, "lm.bi has a bad size"},
        {DAMAGE_TRI_SIZE, "lm.tri has a bad size"},
        {DAMAGE_UNI_SIZE, "lm.uni has a bad size"},
        {DAMAGE_NO_TRI, "language model sections missing"},
        {DAMAGE_UNI_TOO_BIG, "more words than the vocabulary"},
    };
    for (size_t i = 0; i < US_ARRAY_LEN(cases); i++) {
        const char *bad = damaged_copy(path, cases[i].d);
        m = NULL;
        rc = unspin_model_open(bad, &m, &err);
        if (!cases[i].want) { /* the copy itself is sound */
            if (rc)
                fail_msg("%s", err.message);
            assert_near(unspin_model_logprob(m, "d", "a", "b"), -0.12, 1e-6);
            unspin_model_free(m);
            continue;
        }
        if (rc != UNSPIN_EMODEL || !strstr(err.message, cases[i].want) ||
            !strstr(err.message, bad))
            fail_msg("damage %d: rc %d, '%s'", (int)cases[i].d, rc, err.message);
        assert_null(m);
        unlink(bad);
    }
    unlink(path);
    us_lm_source_free(&src);
}

/* ------------------------------------------------------------------ */
/* (d) the built model, models/en_US.unspin                            */
/* ------------------------------------------------------------------ */

static void test_built_model(void **state)
{
    (void)state;
    const char *path = getenv("UNSPIN_TEST_MODEL");
    if (!path)
        path = MODEL_PATH;
    if (access(path, R_OK) != 0) {
        print_message("skipped: no %s here (run 'make model' first)\n", path);
        skip();
    }
    unspin_model *m;
    unspin_error err;
    double t0 = seconds();
    int rc = unspin_model_open(path, &m, &err);
    double t1 = seconds();
    if (rc)
        fail_msg("%s", err.message);
    double cw = unspin_model_logprob(m, NULL, "cold", "war");
    double t2 = seconds();
    print_message("%s: open %.2f ms, first query %.3f ms\n", path, (t1 - t0) * 1e3,
                  (t2 - t1) * 1e3);
    assert_near(cw, -1.05, 0.01);
    assert_near(unspin_model_logprob(m, "", "cold", "war"), cw, 0);
    assert_near(unspin_model_logprob(m, "the", "Cold", "WAR"),
                unspin_model_logprob(m, "the", "cold", "war"), 0);
    if (!g_have_src) {
        unspin_model_free(m);
        print_message("skipped the comparison with libsphinxbase: no %s\n", EN_US_LM);
        skip();
    }
    unspin_model_counts c;
    unspin_model_get_counts(m, &c);
    if (c.lm_words != g_src.nwords || c.bigrams != g_src.counts[1] ||
        c.trigrams != g_src.counts[2]) {
        unspin_model_free(m);
        print_message("skipped: %s was not built from %s\n", path, EN_US_LM);
        skip();
    }
    const us_lm_source *src = &g_src;
    double max_lib = 0;
    int done = 0, renamed = 0;
    while (done < 1000) {
        uint32_t w[3];
        int kind = random_query(src, w);
        const char *s[3];
        int usable = 1;
        for (int k = 0; k < 3; k++) {
            s[k] = w[k] == NO ? NULL : src->words[w[k]];
            /* The model looks words up normalized: an LM word its
             * normalization changes cannot be asked for by its spelling. */
            if (s[k]) {
                size_t len;
                char *norm = unspin_normalize(s[k], strlen(s[k]), &len, NULL);
                usable &= norm && strcmp(norm, s[k]) == 0;
                free(norm);
            }
        }
        if (!usable) {
            renamed++;
            continue;
        }
        done++;
        double got = unspin_model_logprob(m, s[0], s[1], s[2]);
        assert_near(got, us_lm_source_score(src, w[0], w[1], w[2]), 1e-6);
        if (lib_misses(w[0], w[1], w[2]))
            continue;
        double want = lib_score(w[0], w[1], w[2]);
        double d = fabs(got - want);
        if (d > max_lib)
            max_lib = d;
        if (!(d <= 1e-3))
            fail_msg("kind %d: %s %s %s: %.5f, libsphinxbase %.5f", kind,
                     s[0] ? s[0] : "-", s[1] ? s[1] : "-", s[2], got, want);
    }
    print_message("1000 look-ups by string: max |diff| vs libsphinxbase %.2e "
                  "(%d draws skipped: a word normalization changes)\n", max_lib, renamed);
    unspin_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_en_us_packed),
        cmocka_unit_test(test_small_models),
        cmocka_unit_test(test_pack_errors),
        cmocka_unit_test(test_damaged_views),
        cmocka_unit_test(test_full_tables),
        cmocka_unit_test(test_model_file_lm),
        cmocka_unit_test(test_built_model),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
