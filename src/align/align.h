/*
 * Sentence and word alignment of an original text and a rewrite of it.
 * Internal to src/align/; the public API is the "Alignment" section of
 * unspin.h.
 *
 *   features.c   what a sentence looks like to the similarity: content-word
 *                types and character 4-grams, as sorted sets of hashes
 *   sentences.c  scores sentence groups (1 or 2 adjacent sentences) against
 *                each other and picks a one-to-one matching, order-free,
 *                then pairs in order what is left between pairs in order
 *   words.c      within a matched pair: a weighted LCS over normalized
 *                tokens; the stretches between anchors are substitutions
 *   align.c      the public entry point, the result handle and accessors
 *   json.c       the JSON serializer
 */
#ifndef UNSPIN_ALIGN_H
#define UNSPIN_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "../util/common.h"

/* A sorted set of distinct 64-bit feature hashes. */
typedef struct us_fset {
    uint64_t *h;
    size_t n;
} us_fset;

/* A sentence as the aligner sees it: one with at least one word or
 * number.  Sentences of only spaces or punctuation are left out. */
typedef struct us_unit {
    size_t sentence;          /* index among the text's sentences */
    size_t first_tok, end_tok;/* its tokens without leading/trailing spaces */
    us_fset words;            /* content-word types (stopwords left out) */
    us_fset grams;            /* character 4-grams of the content words */
} us_unit;

/* The units of one text. */
typedef struct us_side {
    const unspin_text *text;
    us_unit *units;
    size_t n;
} us_side;

/* Build the units of a text, one per sentence, or one for the whole text
 * when `whole` is set.  Returns UNSPIN_OK or UNSPIN_ENOMEM. */
int us_side_build(us_side *s, const unspin_text *text, int whole);
void us_side_free(us_side *s);

/* Similarity of two groups of units, in [0, 1].  A group is 1 unit, or 2
 * adjacent ones (merge) taken as the union of their features.  a2/b2 are
 * NULL for single units. */
double us_group_similarity(const us_unit *a1, const us_unit *a2, const us_unit *b1,
                           const us_unit *b2);

/* Share of x's features (words and grams averaged) that are in `in` and not
 * in `but_not`: what x adds to a merge that its neighbour does not. */
double us_fresh_share(const us_unit *x, const us_unit *but_not, const us_unit *in);

/* True when `norm` (a token's normalized form) is one of the function words
 * the similarity leaves out ("the", "of", "said" is not one). */
int us_is_stopword(const char *norm);

/* True when the two units hold at least one content word in common. */
int us_units_share_word(const us_unit *a, const us_unit *b);

/* One sentence match: n_o original units from o, n_r rewrite units from r. */
typedef struct us_match {
    size_t o, r;              /* first unit on each side */
    unsigned n_o, n_r;        /* 1 or 2 (a merge); 0 on one side = unpaired */
    double score;
} us_match;

/* Match the units of the two sides.  Fills *out with the accepted matches
 * (each unit in at most one), then one entry per unpaired unit with n=0 on
 * the other side and its best score against any unit there in `score`
 * and the unit it came from in o or r.  Returns UNSPIN_OK or UNSPIN_ENOMEM. */
int us_match_sentences(const us_side *orig, const us_side *rew, double threshold,
                       int merges, us_match **out, size_t *count);

/* A stretch between two anchors of a word alignment: token index ranges
 * [o0, o1) and [r0, r1) into the arrays given to us_align_words.  One side
 * may be empty (a pure insertion or deletion). */
typedef struct us_gap {
    size_t o0, o1, r0, r1;
} us_gap;

/* Align two token sequences (indexes into each text's tokens, spaces left
 * out) and list the gaps between anchors.  Returns UNSPIN_OK or
 * UNSPIN_ENOMEM.  *gaps is malloc'd (NULL when there are none). */
int us_align_words(const unspin_token *ot, const size_t *oi, size_t on,
                   const unspin_token *rt, const size_t *ri, size_t rn,
                   us_gap **gaps, size_t *ngaps);

/* Largest LCS table the word aligner builds, in cells; past it the middle
 * of the pair (after common prefix and suffix) becomes one substitution. */
#define US_ALIGN_MAX_CELLS ((size_t)4 << 20)

#endif
