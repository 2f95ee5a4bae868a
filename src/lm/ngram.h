/*
 * The language model as the model file holds it, and its queries.
 *
 * Three sections, all plain arrays of fixed-size records:
 *   lm.uni   us_lm_uni[nwords]: log10 prob and back-off of each LM word
 *   lm.bi    us_lm_table header + slots of us_lm_bi
 *   lm.tri   us_lm_table header + slots of us_lm_tri
 * The n-gram tables are linear-probing hash tables keyed by the exact word
 * ids packed into 64 bits (21 bits per id in trigrams), so a look-up never
 * confuses two n-grams: no hash collisions to tolerate, only probing.
 * Key 0 marks an empty slot (stored keys are packed ids + 1).  Keys are
 * inserted in increasing order, so the slots between a key's home slot
 * and its own hold smaller keys: a look-up stops at the first empty slot
 * or larger key (misses cost no more than hits).
 *
 * The two top bits of a stored bigram key are flags, left out when keys
 * are compared: US_LM_BI_HAS_TRI, trigrams extend the pair (w1 w2), so a
 * query P(w3 | w1 w2) whose context lacks it need not wait for its
 * trigram probe, the common case for a detector's candidates;
 * US_LM_BI_CTX_ONLY, the pair is no bigram, only the context of trigrams
 * (an ARPA file may omit it): probability and back-off 0, never a
 * bigram's score.
 */
#ifndef UNSPIN_LM_NGRAM_H
#define UNSPIN_LM_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "../util/common.h"
#include "source.h"

/* Word ids of an LM must fit in 21 bits (trigram keys). */
#define US_LM_MAX_WORDS ((1u << 21) - 1)

typedef struct us_lm_uni {
    float prob, bo;
} us_lm_uni;

/* Flags in a stored bigram key (see above); the packed ids + 1 fit in
 * US_LM_BI_KEY_MASK. */
#define US_LM_BI_HAS_TRI (UINT64_C(1) << 63)
#define US_LM_BI_CTX_ONLY (UINT64_C(1) << 62)
#define US_LM_BI_KEY_MASK ((UINT64_C(1) << 62) - 1)

typedef struct us_lm_bi {
    uint64_t key;
    float prob, bo;
} us_lm_bi;

/* 12 bytes: the key is split so the record needs no 8-byte alignment. */
typedef struct us_lm_tri {
    uint32_t key_lo, key_hi;
    float prob;
} us_lm_tri;

typedef struct us_lm_table {
    uint64_t nslots;   /* slots that follow this header */
    uint64_t count;    /* n-grams stored */
} us_lm_table;

/* A read-only view of the three sections (pointers into the model). */
typedef struct us_lm {
    uint32_t nwords;
    const us_lm_uni *uni;
    const us_lm_bi *bi;
    uint64_t bi_slots, bi_count;
    const us_lm_tri *tri;
    uint64_t tri_slots, tri_count;
} us_lm;

/* Build the three sections' bytes from a source LM.  Each *out is malloc'd
 * (free it); sizes in *size. */
int us_lm_pack(const us_lm_source *src, void **uni, size_t *uni_size, void **bi,
               size_t *bi_size, void **tri, size_t *tri_size, unspin_error *err);

/* Check section sizes and set up a view; `name` is used in messages. */
int us_lm_view(us_lm *lm, const char *name, const void *uni, size_t uni_size,
               const void *bi, size_t bi_size, const void *tri, size_t tri_size,
               unspin_error *err);

/* log10 P(w3 | w1 w2) with Katz back-off.  w1/w2 = US_LM_NO_WORD (or any id
 * >= nwords) means no context.  w3 must be < nwords. */
float us_lm_score(const us_lm *lm, uint32_t w1, uint32_t w2, uint32_t w3);

/* Start loading the table slots us_lm_score(lm, w1, w2, w3) reads first,
 * without waiting for them: a caller that knows its next queries (the
 * detector's candidates do) overlaps their cache misses, which dominate
 * the cost of a query on a model larger than the CPU caches. */
void us_lm_prefetch(const us_lm *lm, uint32_t w1, uint32_t w2, uint32_t w3);

#endif
