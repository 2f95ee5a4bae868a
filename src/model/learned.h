/*
 * The learned vocabulary: which words the model's learned table has seen
 * on the original side of a substitution and which on the spun side, and
 * how often (built when the model is opened, from its "learned" section).
 * Internal.
 *
 * A tortured-phrase list teaches a technical vocabulary on its original
 * side ("random", "forest", "network", "feature") and a spinner's on its
 * spun side ("irregular", "woodland", "organization", "highlight").  A run
 * of words the detector would read back as a phrase nobody listed is
 * strong evidence when its text is made of learned spun words and what
 * it stands for of learned originals.
 */
#ifndef UNSPIN_MODEL_LEARNED_H
#define UNSPIN_MODEL_LEARNED_H

#include <stddef.h>
#include <stdint.h>

#include "../util/idmap.h"
#include "model.h"

typedef struct us_learned_word {
    uint32_t orig;     /* table entries with the word in their original */
    uint32_t spun;     /* ... and in their spun form */
} us_learned_word;

typedef struct us_learned_index {
    us_idmap words;    /* vocabulary id -> index in w */
    us_learned_word *w;
    size_t wcap;
    size_t entries;    /* table entries read */
    /* Adjacent word pairs of the originals ("classification accuracy"
     * of "improved classification accuracy"): open addressing on
     * (first << 32 | second) + 1, 0 empty, at most half full. */
    uint64_t *pair;
    uint32_t *pair_n;  /* entries with the pair, same slot */
    size_t pcap, npairs;
} us_learned_index;

/* Builds m->learned_ix from the model's learned table (none in the
 * model: an empty index).  Returns 0, or -1 when out of memory (then
 * m->learned_ix is NULL and every count reads 0). */
int us_learned_index_build(unspin_model *m);
void us_learned_index_free(us_learned_index *ix);

/* The entries of the learned table with word w (a vocabulary id) in
 * their original (*orig) and in their spun form (*spun); either may be
 * NULL.  Words are counted as written in the table (surface forms). */
void us_learned_counts(const unspin_model *m, uint32_t w, uint32_t *orig, uint32_t *spun);

/* How many entries of the learned table hold words a b (vocabulary ids)
 * next to each other in their original: the list's technical bigrams,
 * which a general LM may never have seen ("classification accuracy"). */
uint32_t us_learned_pair(const unspin_model *m, uint32_t a, uint32_t b);

#endif
