/*
 * The detector's internals, shared by detect.c (decoding) and
 * candidates.c (what each word could have been).  Internal.
 *
 * A sentence becomes a list of slots (its word and number tokens) and a
 * lattice of arcs over the slot boundaries: each arc says "text slots
 * [from, to) were written for these original words".  The identity arc
 * keeps a word as written; swap arcs come from the inverted thesaurus,
 * re-inflected, and from learned substitutions.  Decoding runs the
 * forward-backward and Viterbi algorithms over (arc, trigram state) pairs.
 */
#ifndef UNSPIN_DETECT_H
#define UNSPIN_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"
#include "../util/idmap.h"

#define US_MAX_ORIG 4   /* words in an original phrase */
#define US_MAX_SPUN 4   /* text words in a spun phrase */

/* LM ids for words the LM does not know (any id >= lm_words means "no
 * context"; these two also pick the flat score). */
#define US_LM_UNK (UINT32_MAX - 1)
#define US_LM_NUM (UINT32_MAX - 2)

typedef struct us_slot {
    size_t tok;          /* token index in the text */
    const char *norm;    /* the token's normalized form */
    uint32_t vid;        /* vocabulary id, or US_STR_NONE */
    uint32_t lm;         /* LM id, or US_LM_UNK / US_LM_NUM */
    uint8_t protect;     /* a name, acronym, URL, code: never a swap */
    uint8_t gap;         /* punctuation between this slot and the previous */
} us_slot;

typedef struct us_arc {
    uint16_t from, to;            /* slots [from, to) */
    uint8_t n;                    /* original words */
    uint8_t swapped;
    uint8_t learned;              /* from a learned substitution */
    uint32_t lm[US_MAX_ORIG];     /* LM ids of the original words */
    uint32_t vid[US_MAX_ORIG];    /* their vocabulary ids (swaps only) */
    float channel;                /* log10 P(spinner writes the text | it swaps
                                     the original); 0 for identity arcs */
    double post;                  /* posterior, after decoding */
} us_arc;

typedef struct us_arcs {
    us_arc *a;
    size_t n, cap;
} us_arcs;

/* Words' one-word candidates, kept by vocabulary id so that a word met
 * again costs a copy, not the look-ups (filled by us_candidates).  Zero it
 * to start; clear it now and then to bound its memory. */
typedef struct us_word_cache {
    us_idmap words;      /* vocabulary id -> index in e */
    struct us_word_cache_entry *e;
    size_t ecap;
    us_arcs arcs;        /* the cached words' arcs */
    struct run_opts *ropts; /* words' options in runs of learned swaps */
    size_t nropts, ropts_cap;
} us_word_cache;

void us_word_cache_clear(us_word_cache *c);
void us_word_cache_free(us_word_cache *c);

/* Append the arcs that start at slot i (identity and swaps) to *out.
 * cache may be NULL.  Returns 0, or -1 when out of memory. */
int us_candidates(const unspin_model *m, const us_slot *slots, size_t nslots, size_t i,
                  us_arcs *out, us_word_cache *cache);

/* The phrase windows of 2..US_MAX_ORIG text words around slot i that a
 * swap at i could turn into a dictionary phrase, as bits: those the text
 * does not already read as one, whose other words can stand where they
 * are in some term.  The same for every arc at i, so worked out once. */
unsigned us_term_windows(const unspin_model *m, const us_slot *slots, size_t nslots, size_t i);

/* 1 when original word o (or a lemma of it) at slot i completes a
 * dictionary phrase with the text's neighbours, where the text's own word
 * does not: "floor to a halt" -> "ground to a halt" (grind to a halt).
 * `windows` from us_term_windows for slot i. */
int us_completes_term(const unspin_model *m, const us_slot *slots, size_t nslots, size_t i,
                      uint32_t o, unsigned windows);

/* Channel factor for such a swap: an n-gram LM knows idioms only as far
 * as its trigrams reach, the thesaurus lists them whole. */
#define US_IDIOM_BONUS 10.0

/* The confidence a span needs in a document of this score when it is
 * above the caller's min_conf (see quiet_spans in detect.c): near
 * certainty in documents that do not look spun, falling to min_conf as
 * the score rises, and 0 (no further need) from QUIET_FULL_SCORE on. */
double us_quiet_need(double score, double min_conf);

#endif
