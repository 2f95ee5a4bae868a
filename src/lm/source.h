/*
 * source.h - a whole trigram language model loaded into memory, as read
 * from a foreign file (ARPA text, or pocketsphinx's binary trie), so that a
 * model builder can pack it into unspin's own format.  Internal; not part
 * of the public API.
 *
 * Layout
 *  - Word ids are indexes into words[] (the file's own vocabulary order).
 *  - Every probability and back-off weight is log10.
 *  - bi_w holds counts[1] pairs (w1,w2) sorted by (w1,w2), no duplicates;
 *    bi_prob/bi_bo are parallel to it.  tri_w holds counts[2] triples
 *    (w1,w2,w3) sorted by (w1,w2,w3); tri_prob is parallel to it.
 *  - Arrays of an order the model lacks are NULL and its count is 0.
 *    bi_bo is all zeros in a bigram model (no back-off column).
 *
 * Notes on the sources
 *  - ARPA (us_lm_source_read_arpa): values are kept as written (to float).
 *    A probability of -inf is stored as -99 (the usual ARPA convention).
 *  - Sphinx trie (us_lm_source_read_sphinx): the file stores weights as
 *    logarithms in base 1.0001 (pocketsphinx's default -logbase); unigram
 *    weights are plain floats, bigram probabilities and back-offs and
 *    trigram probabilities are quantized to 65,536 bins (16 bits) per
 *    table, each bin the mean of the values it held when the file was
 *    built.  The values here are those bin centres converted to log10, so
 *    they agree with what libsphinxbase computes (within float rounding),
 *    not with the ARPA file the trie was built from.  The trie also holds
 *    the "filler" bigrams sphinxbase adds when a trigram's last two words
 *    have no bigram of their own (probability = the backed-off unigram
 *    value, back-off 0); they are kept, as they do not change any score.
 *    The file is read as little-endian whatever the host (the shipped
 *    files are).  Counts are the trie's real ones, not the header's.
 *    en-us.lm.bin has two trigram ranges out of order, which makes
 *    libsphinxbase miss "whips and bullhorns" and "<s> and jerri"; both
 *    are kept here, so for those two our score is the trigram's own.
 */
#ifndef UNSPIN_LM_SOURCE_H
#define UNSPIN_LM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../unspin.h"

/* "No context word" for us_lm_source_score. */
#define US_LM_NO_WORD UINT32_MAX

typedef struct us_lm_source {
    int order;                 /* 1..3 */
    size_t counts[3];          /* n-grams of each order */
    size_t nwords;             /* == counts[0] */
    char **words;              /* vocabulary, index = word id */
    float *uni_prob, *uni_bo;  /* log10, per word id */
    uint32_t *bi_w;            /* 2*counts[1] ids: (w1,w2) sorted */
    float *bi_prob, *bi_bo;    /* log10 */
    uint32_t *tri_w;           /* 3*counts[2] ids: (w1,w2,w3) sorted */
    float *tri_prob;           /* log10 */
} us_lm_source;

/* Read pocketsphinx's binary trie LM (e.g. en-us.lm.bin, as written by
 * sphinxbase 5prealpha).  On failure *out is left zeroed and err holds a
 * one-line message naming the file. */
int us_lm_source_read_sphinx(const char *path, us_lm_source *out,
                             unspin_error *err);

/* The same from a buffer already in memory; `name` is used in messages. */
int us_lm_source_parse_sphinx(const void *data, size_t len, const char *name,
                              us_lm_source *out, unspin_error *err);

/* Read an ARPA text LM of order 1..3 (from SRILM, KenLM, sphinx, ...). */
int us_lm_source_read_arpa(const char *path, us_lm_source *out,
                           unspin_error *err);

/* Read either format, chosen from the file's first bytes. */
int us_lm_source_read(const char *path, us_lm_source *out, unspin_error *err);

/* Free the arrays and zero *lm.  NULL is a no-op. */
void us_lm_source_free(us_lm_source *lm);

/* log10 P(w3 | w1 w2) with Katz back-off.  w1 and/or w2 may be
 * US_LM_NO_WORD (or any id >= nwords) for "no context": with no w2 the
 * answer is the unigram, with no w1 the bigram.  Returns -INFINITY when w3
 * is not a word id.  Binary search: a reference, not a hot path. */
float us_lm_source_score(const us_lm_source *lm, uint32_t w1, uint32_t w2,
                         uint32_t w3);

/* Shared by the readers (defined in arpa.c). */

/* Sort n-grams of order n (2 or 3) into (w1,..,wn) order, moving prob and
 * bo (bo may be NULL) along; ids must be < nwords.  Returns 0, or -1 when
 * out of memory. */
int us_lm_source_sort(size_t count, int n, uint32_t *w, float *prob,
                      float *bo, size_t nwords);

/* Index of the first duplicate n-gram in a sorted array, or count if none. */
size_t us_lm_source_find_duplicate(size_t count, int n, const uint32_t *w);

/* Check the vocabulary has no empty or duplicate word: returns -1 and sets
 * *bad to the offending id, or 0. -2 when out of memory. */
int us_lm_source_check_vocab(char *const *words, size_t n, size_t *bad);

#endif
