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

int us_lm_pack(const us_lm_source *src, void **uni, size_t *uni_size, void **bi,
               size_t *bi_size, void **tri, size_t *tri_size, unspin_error *err)
{
    *uni = *bi = *tri = NULL;
    if (src->nwords == 0 || src->nwords > US_LM_MAX_WORDS)
        return us_fail(err, UNSPIN_EINVAL, "language model: %zu words (1 to %u allowed)",
                       src->nwords, US_LM_MAX_WORDS);
    uint64_t nb = table_slots(src->counts[1]), nt = table_slots(src->counts[2]);
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
    us_lm_bi *bs = (us_lm_bi *)(b + sizeof hb);
    for (size_t i = 0; i < src->counts[1]; i++) {
        uint64_t k = bi_key(src->bi_w[2 * i], src->bi_w[2 * i + 1]);
        uint64_t s = home(k, nb);
        while (bs[s].key)
            s = s + 1 == nb ? 0 : s + 1;
        bs[s].key = k;
        bs[s].prob = src->bi_prob[i];
        bs[s].bo = src->bi_bo && src->order >= 3 ? src->bi_bo[i] : 0.0f;
    }
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

static const us_lm_bi *find_bi(const us_lm *lm, uint32_t w1, uint32_t w2)
{
    uint64_t k = bi_key(w1, w2), n = lm->bi_slots;
    /* A sound table always has an empty slot; the bound guards a corrupt one. */
    uint64_t s = home(k, n);
    for (uint64_t i = 0; i < n; i++, s = s + 1 == n ? 0 : s + 1) {
        const us_lm_bi *e = &lm->bi[s];
        if (e->key == k)
            return e;
        if (e->key == 0)
            return NULL;
    }
    return NULL;
}

static int find_tri(const us_lm *lm, uint32_t w1, uint32_t w2, uint32_t w3, float *prob)
{
    uint64_t k = tri_key(w1, w2, w3), n = lm->tri_slots;
    uint32_t lo = (uint32_t)k, hi = (uint32_t)(k >> 32);
    uint64_t s = home(k, n);
    for (uint64_t i = 0; i < n; i++, s = s + 1 == n ? 0 : s + 1) {
        const us_lm_tri *e = &lm->tri[s];
        if (e->key_lo == lo && e->key_hi == hi) {
            *prob = e->prob;
            return 1;
        }
        if ((e->key_lo | e->key_hi) == 0)
            return 0;
    }
    return 0;
}

float us_lm_score(const us_lm *lm, uint32_t w1, uint32_t w2, uint32_t w3)
{
    if (w3 >= lm->nwords)
        return -INFINITY;
    float backoff = 0.0f;
    if (w2 < lm->nwords) {
        if (w1 < lm->nwords && lm->bi_count) {
            float p;
            if (lm->tri_count && find_tri(lm, w1, w2, w3, &p))
                return p;
            const us_lm_bi *ctx = find_bi(lm, w1, w2);
            if (ctx)
                backoff = ctx->bo;
        }
        if (lm->bi_count) {
            const us_lm_bi *e = find_bi(lm, w2, w3);
            if (e)
                return backoff + e->prob;
        }
        backoff += lm->uni[w2].bo;
    }
    return backoff + lm->uni[w3].prob;
}
