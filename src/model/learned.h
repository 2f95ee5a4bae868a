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
 * it stands for of learned originals.  The originals of several words are
 * indexed too, by word and position: a window of text can be read as one
 * of them when most of its words reach it.
 */
#ifndef UNSPIN_MODEL_LEARNED_H
#define UNSPIN_MODEL_LEARNED_H

#include <stddef.h>
#include <stdint.h>

#include "../util/idmap.h"
#include "model.h"

typedef struct us_learned_word {
    uint32_t orig;     /* table entries with the word in their original */
    uint32_t spun;     /* ... and in their spun form (a content word
                          kept in the original too is left out) */
} us_learned_word;

/* Most words of an original phrase kept in the phrase index. */
#define US_LEARNED_PHRASE_MAX 4

/* An original of two words or more of the learned table ("naive bayes"),
 * with the entries that hold it and, per word, how productive spinners
 * were there: how many distinct words the entries put in its place
 * (entries whose spun form has as many words as the original and another
 * word at that position; "naive" of "naive bayes" holds 10 in make
 * tortured's training folds: gullible, credulous, innocent, ...). */
typedef struct us_learned_phrase {
    uint32_t w[US_LEARNED_PHRASE_MAX];     /* vocabulary ids */
    uint32_t n;                            /* words */
    uint32_t count;                        /* entries */
    uint32_t forms[US_LEARNED_PHRASE_MAX]; /* distinct spun words per word */
    /* per word, the originals of the table alike but for that word (the
     * phrase itself included: "recognition" of "face recognition" has
     * speech, emotion, gait, ... beside it) */
    uint32_t frame[US_LEARNED_PHRASE_MAX];
} us_learned_phrase;

/* One word of a phrase: key (word << 8 | len << 4 | position), sorted. */
typedef struct us_learned_posting {
    uint64_t key;
    uint32_t phrase;   /* index in us_learned_index.ph */
} us_learned_posting;

typedef struct us_learned_index {
    us_idmap words;    /* vocabulary id -> index in w */
    us_learned_word *w;
    size_t wcap;
    size_t entries;    /* table entries read */
    /* Adjacent word pairs of the originals ("classification accuracy"
     * of "improved classification accuracy"): keys first << 32 | second,
     * sorted, each once. */
    uint64_t *pair;
    uint32_t *pair_n;  /* times the pair was seen, same index */
    size_t pcap, npairs;
    /* The originals of two to US_LEARNED_PHRASE_MAX words, each once,
     * and their words by position (phrases whose words the model's
     * vocabulary all holds). */
    us_learned_phrase *ph;
    size_t nph, phcap;
    us_learned_posting *post;
    size_t npost;
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

/* The originals of the learned table with `len` words that have word w
 * at position pos (from 0): *n postings, each naming a phrase of
 * m->learned_ix->ph.  NULL and *n = 0 when there are none. */
const us_learned_posting *us_learned_phrases_at(const unspin_model *m, uint32_t w, unsigned pos,
                                                unsigned len, size_t *n);

/* The entries of the learned table whose original is the phrase w[0, n)
 * (two words or more); 0 when none is. */
uint32_t us_learned_phrase_count(const unspin_model *m, const uint32_t *w, size_t n);

#endif
