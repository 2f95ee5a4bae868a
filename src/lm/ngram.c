/* Packing and querying the LM hash tables.  See ngram.h. */
#include "ngram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tables are sized for this load factor: short probe runs for misses,
 * which back-off makes common. */
#define LOAD_NUM 5
#define LOAD_DEN 8

static inline uint64_t bi_key(uint32_t w1, uint32_t w2)
{
    return (((uint64_t)w1 << 32) | w2) + 1;
}

static inline uint64_t tri_key(uint32_t w1, uint32_t w2, uint32_t w3)
{
    return (((uint64_t)w1 << 42) | ((uint64_t)w2 << 21) | w3) + 1;
}

/* A fast 64-bit mixer (the finalizer of a well-known construction):
 * spreads the packed ids over the table. */
static inline uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/* Slot of a key in a table of n slots: multiply-shift range reduction. */
static inline uint64_t home(uint64_t key, uint64_t n)
{
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)(((u128)mix(key) * n) >> 64);
}

static uint64_t table_slots(size_t count)
{
    return (uint64_t)count * LOAD_DEN / LOAD_NUM + 1;
}

/* Linear probing, inserting in increasing key order: the slots a key
 * passes on its way from its home slot were taken by smaller keys, and
 * stay so as later (larger) keys only fill empty slots.  find_bi and
 * find_tri stop early on this. */
static void insert_bi(us_lm_bi *bs, uint64_t nb, uint64_t key, float prob, float bo)
{
    uint64_t s = home(key & US_LM_BI_KEY_MASK, nb);
    while (bs[s].key)
        s = s + 1 == nb ? 0 : s + 1;
    bs[s].key = key;
    bs[s].prob = prob;
    bs[s].bo = bo;
}

/* The records of lm.bi, in increasing key order: the bigrams, flagged
 * US_LM_BI_HAS_TRI when trigrams extend them, merged with the trigram
 * contexts that are no bigrams (US_LM_BI_CTX_ONLY | US_LM_BI_HAS_TRI,
 * probability and back-off 0: a missing context has no back-off).
 * Inserted into bs[nb] unless bs is NULL; returns the number of
 * context-only records. */
static size_t bi_records(const us_lm_source *src, us_lm_bi *bs, uint64_t nb)
{
    size_t i = 0, j = 0, ctx_only = 0, nbi = src->counts[1], ntri = src->counts[2];
    while (i < nbi || j < ntri) {
        uint64_t kb = i < nbi ? bi_key(src->bi_w[2 * i], src->bi_w[2 * i + 1]) : UINT64_MAX;
        uint64_t kc = j < ntri ? bi_key(src->tri_w[3 * j], src->tri_w[3 * j + 1]) : UINT64_MAX;
        if (kb <= kc) {
            if (bs)
                insert_bi(bs, nb, kb | (kb == kc ? US_LM_BI_HAS_TRI : 0), src->bi_prob[i],
                          src->bi_bo && src->order >= 3 ? src->bi_bo[i] : 0.0f);
            i++;
        } else {
            if (bs)
                insert_bi(bs, nb, kc | US_LM_BI_HAS_TRI | US_LM_BI_CTX_ONLY, 0.0f, 0.0f);
            ctx_only++;
        }
        if (kc <= kb)
            while (j < ntri && bi_key(src->tri_w[3 * j], src->tri_w[3 * j + 1]) == kc)
                j++;
    }
    return ctx_only;
}

int us_lm_pack(const us_lm_source *src, void **uni, size_t *uni_size, void **bi,
               size_t *bi_size, void **tri, size_t *tri_size, unspin_error *err)
{
    *uni = *bi = *tri = NULL;
    if (src->nwords == 0 || src->nwords > US_LM_MAX_WORDS)
        return us_fail(err, UNSPIN_EINVAL, "language model: %zu words (1 to %u allowed)",
                       src->nwords, US_LM_MAX_WORDS);
    /* Look-ups need the n-grams inserted in increasing key order, which is
     * the sources' (w1, w2[, w3]) order (see find_bi): check it, and the
     * ids, which must fit their key fields. */
    for (size_t i = 0; i < src->counts[1]; i++) {
        const uint32_t *w = &src->bi_w[2 * i];
        if (w[0] >= src->nwords || w[1] >= src->nwords ||
            (i && bi_key(w[0], w[1]) <= bi_key(w[-2], w[-1])))
            return us_fail(err, UNSPIN_EINVAL, "language model: bigram %zu is out of order "
                           "or out of range", i);
    }
    for (size_t i = 0; i < src->counts[2]; i++) {
        const uint32_t *w = &src->tri_w[3 * i];
        if (w[0] >= src->nwords || w[1] >= src->nwords || w[2] >= src->nwords ||
            (i && tri_key(w[0], w[1], w[2]) <= tri_key(w[-3], w[-2], w[-1])))
            return us_fail(err, UNSPIN_EINVAL, "language model: trigram %zu is out of order "
                           "or out of range", i);
    }
    /* Trigram contexts that are not bigrams themselves (an ARPA file may
     * leave them out) get a record of their own, marked US_LM_BI_CTX_ONLY. */
    size_t nctx_only = bi_records(src, NULL, 0);
    uint64_t nb = table_slots(src->counts[1] + nctx_only), nt = table_slots(src->counts[2]);
    *uni_size = src->nwords * sizeof(us_lm_uni);
    *bi_size = sizeof(us_lm_table) + nb * sizeof(us_lm_bi);
    *tri_size = sizeof(us_lm_table) + nt * sizeof(us_lm_tri);
    us_lm_uni *u = malloc(*uni_size);
    uint8_t *b = calloc(1, *bi_size), *t = calloc(1, *tri_size);
    if (!u || !b || !t) {
        free(u);
        free(b);
        free(t);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory packing the language model");
    }
    for (size_t i = 0; i < src->nwords; i++) {
        u[i].prob = src->uni_prob[i];
        /* A model's highest order has no back-off (ARPA files may still
         * give one): drop it, as us_lm_source_score ignores it. */
        u[i].bo = src->uni_bo && src->order >= 2 ? src->uni_bo[i] : 0.0f;
    }
    us_lm_table hb = {nb, src->counts[1]}, ht = {nt, src->counts[2]};
    memcpy(b, &hb, sizeof hb);
    memcpy(t, &ht, sizeof ht);
    /* Both tables are filled in increasing key order (see insert_bi). */
    bi_records(src, (us_lm_bi *)(b + sizeof hb), nb);
    us_lm_tri *ts = (us_lm_tri *)(t + sizeof ht);
    for (size_t i = 0; i < src->counts[2]; i++) {
        const uint32_t *w = &src->tri_w[3 * i];
        uint64_t k = tri_key(w[0], w[1], w[2]);
        uint64_t s = home(k, nt);
        while (ts[s].key_lo | ts[s].key_hi)
            s = s + 1 == nt ? 0 : s + 1;
        ts[s].key_lo = (uint32_t)k;
        ts[s].key_hi = (uint32_t)(k >> 32);
        ts[s].prob = src->tri_prob[i];
    }
    *uni = u;
    *bi = b;
    *tri = t;
    return UNSPIN_OK;
}

static int view_table(const char *name, const char *what, const void *data, size_t size,
                      size_t rec, const void **slots, uint64_t *nslots, uint64_t *count,
                      unspin_error *err)
{
    us_lm_table h;
    if (size < sizeof h)
        return us_fail(err, UNSPIN_EMODEL, "%s: section %s is truncated", name, what);
    memcpy(&h, data, sizeof h);
    if (h.nslots == 0 || h.count >= h.nslots ||
        h.nslots != (size - sizeof h) / rec || (size - sizeof h) % rec)
        return us_fail(err, UNSPIN_EMODEL, "%s: section %s has a bad size", name, what);
    *slots = (const uint8_t *)data + sizeof h;
    *nslots = h.nslots;
    *count = h.count;
    return UNSPIN_OK;
}

int us_lm_view(us_lm *lm, const char *name, const void *uni, size_t uni_size,
               const void *bi, size_t bi_size, const void *tri, size_t tri_size,
               unspin_error *err)
{
    memset(lm, 0, sizeof *lm);
    if (!uni || !bi || !tri)
        return us_fail(err, UNSPIN_EMODEL, "%s: language model sections missing", name);
    if (uni_size == 0 || uni_size % sizeof(us_lm_uni) ||
        uni_size / sizeof(us_lm_uni) > US_LM_MAX_WORDS)
        return us_fail(err, UNSPIN_EMODEL, "%s: section lm.uni has a bad size", name);
    lm->nwords = (uint32_t)(uni_size / sizeof(us_lm_uni));
    lm->uni = uni;
    const void *p;
    int rc = view_table(name, "lm.bi", bi, bi_size, sizeof(us_lm_bi), &p, &lm->bi_slots,
                        &lm->bi_count, err);
    if (rc != UNSPIN_OK)
        return rc;
    lm->bi = p;
    rc = view_table(name, "lm.tri", tri, tri_size, sizeof(us_lm_tri), &p, &lm->tri_slots,
                    &lm->tri_count, err);
    lm->tri = p;
    return rc;
}

/* Look-ups rely on the order us_lm_pack fills the tables in (see
 * insert_bi): from a key's home slot to its own, every slot holds a
 * smaller key.  So a probe stops at the first key >= the one sought (an
 * empty slot, key 0, counts as the largest: 0 - 1 wraps), and a miss,
 * which back-off makes common, costs about as little as a hit.  The bound
 * on the loop only matters for a damaged table with no empty slot.
 * find_bi finds context-only records too (see us_lm_score). */
static inline const us_lm_bi *find_bi(const us_lm *lm, uint64_t k, uint64_t s)
{
    const uint64_t n = lm->bi_slots;
    for (uint64_t i = 0; i < n; i++) {
        const us_lm_bi *e = &lm->bi[s];
        uint64_t key = e->key & US_LM_BI_KEY_MASK;
        if (key - 1 >= k - 1)
            return key == k ? e : NULL;
        s = s + 1 == n ? 0 : s + 1;
    }
    return NULL;
}

static inline int find_tri(const us_lm *lm, uint64_t k, uint64_t s, float *prob)
{
    const uint64_t n = lm->tri_slots;
    for (uint64_t i = 0; i < n; i++) {
        const us_lm_tri *e = &lm->tri[s];
        uint64_t key = ((uint64_t)e->key_hi << 32) | e->key_lo;
        if (key - 1 >= k - 1) {
            *prob = e->prob;
            return key == k;
        }
        s = s + 1 == n ? 0 : s + 1;
    }
    return 0;
}

/* Start loading the cache lines of a probe's first two slots (a record
 * may straddle two lines: sections are only 8-byte aligned). */
#if defined(__GNUC__)
#define PREFETCH2(p)                                                          \
    do {                                                                      \
        __builtin_prefetch(p);                                                \
        __builtin_prefetch((const void *)((uintptr_t)(p) + 2 * sizeof *(p) - 1)); \
    } while (0)
#else
#define PREFETCH2(p) ((void)0)
#endif

float us_lm_score(const us_lm *lm, uint32_t w1, uint32_t w2, uint32_t w3)
{
    const uint32_t n = lm->nwords;
    if (w3 >= n)
        return -INFINITY;
    if (w2 >= n)
        return lm->uni[w3].prob;
    float backoff = 0.0f;
    if (lm->bi_count) {
        /* The (up to) three probes' home slots are fetched together, so
         * that their cache misses overlap (and, out of order, those of the
         * next call).  The trigram's is only waited for when the context's
         * record says trigrams extend it, which most contexts a detector
         * asks about do not: the query goes on as soon as the bigrams are
         * in. */
        uint64_t kb = bi_key(w2, w3), sb = home(kb, lm->bi_slots);
        PREFETCH2(&lm->bi[sb]);
        if (w1 < n) {
            uint64_t kc = bi_key(w1, w2), sc = home(kc, lm->bi_slots);
            PREFETCH2(&lm->bi[sc]);
            uint64_t kt = tri_key(w1, w2, w3), st = 0;
            if (lm->tri_count) {
                st = home(kt, lm->tri_slots);
                PREFETCH2(&lm->tri[st]);
            }
            const us_lm_bi *ctx = find_bi(lm, kc, sc);
            if (ctx) {
                if ((ctx->key & US_LM_BI_HAS_TRI) && lm->tri_count) {
                    float p;
                    if (find_tri(lm, kt, st, &p))
                        return p;
                }
                backoff = ctx->bo; /* 0 for a context-only record */
            }
        }
        const us_lm_bi *e = find_bi(lm, kb, sb);
        if (e && !(e->key & US_LM_BI_CTX_ONLY))
            return backoff + e->prob;
    }
    return backoff + lm->uni[w2].bo + lm->uni[w3].prob;
}

void us_lm_prefetch(const us_lm *lm, uint32_t w1, uint32_t w2, uint32_t w3)
{
    const uint32_t n = lm->nwords;
    if (w3 >= n || w2 >= n || !lm->bi_count)
        return; /* a unigram, already cheap */
    PREFETCH2(&lm->bi[home(bi_key(w2, w3), lm->bi_slots)]);
    if (w1 >= n)
        return;
    PREFETCH2(&lm->bi[home(bi_key(w1, w2), lm->bi_slots)]);
    if (lm->tri_count)
        PREFETCH2(&lm->tri[home(tri_key(w1, w2, w3), lm->tri_slots)]);
}
