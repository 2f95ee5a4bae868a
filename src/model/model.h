/*
 * The model as the library sees it once opened: views into the file's
 * sections.  Internal.
 *
 * Sections (besides the container's own header and table)
 *   meta                  "key=value\n" lines, NUL-terminated
 *   vocab.str/.off/.hash  the vocabulary (see strtab.h); ids below
 *                         lm_words are the language model's own words
 *   vocab.flags           uint8 per word: US_WORD_* bits
 *   lm.uni, lm.bi, lm.tri the language model (see lm/ngram.h)
 *   morph.fwd.off/.fwd    per word id: its analyses (lemma id, class)
 *   morph.inv.off/.inv    per lemma id: its forms (form id, class)
 *   term.off/.words/.hash thesaurus terms as word-id sequences, indexed
 *                         by a hash of the sequence
 *   syn.off/.edges        per term: the terms it can stand for, i.e. the
 *                         originals a spinner may have replaced with it
 *   learned               the learned table the model was built with, as
 *                         text (counts kept, for `unspin train --base`)
 * "x.off" arrays are uint32[n + 1] (CSR): the records of item i are
 * [off[i], off[i+1]).
 */
#ifndef UNSPIN_MODEL_MODEL_H
#define UNSPIN_MODEL_MODEL_H

#include "../lexicon/analyze.h"
#include "../lm/ngram.h"
#include "file.h"
#include "strtab.h"


/* vocab.flags bits */
#define US_WORD_PROPER 0x01u  /* the dictionary knows it only capitalized */

typedef struct us_morph_rec {
    uint32_t word;   /* lemma id (fwd) or form id (inv) */
    uint32_t infl;   /* us_infl */
} us_morph_rec;

/* "A spinner may have put `to` (the term this list belongs to) where the
 * original said `orig`". */
typedef struct us_syn_rec {
    uint32_t orig;   /* term id of the original */
    uint8_t kind;    /* us_edge_kind */
    uint8_t pos;     /* us_pos */
    uint16_t flags;
    float weight;    /* prior P(spinner picks this word | original) */
} us_syn_rec;

typedef struct us_csr {
    const uint32_t *off;
    uint32_t n;          /* items: off has n + 1 entries */
    const void *rec;
    uint32_t nrec;
} us_csr;

struct unspin_model {
    us_model_file file;
    const char *meta;
    us_strtab vocab;
    const uint8_t *word_flags;
    uint32_t lm_words;
    us_lm lm;
    us_csr morph_fwd, morph_inv;
    us_csr term;          /* records are uint32 word ids */
    const uint32_t *term_slots;
    uint32_t term_nslots;
    us_csr syn;
    /* Per word id, US_TERM_AT_* bits: where it occurs in terms of two or
     * more words (built at open; lets us_model_term skip most phrase
     * look-ups without hashing).  NULL: no filter. */
    uint8_t *term_pos;
    /* Per word id: 1 + the id of the term that is that word alone, or 0
     * (built with term_pos; NULL: look single words up by hash). */
    uint32_t *word_term;
    /* A bit set of the pairs of adjacent words in multi-word terms, by a
     * hash of the pair (false positives only; built with term_pos). */
    uint64_t *term_pairs;
    unsigned term_pair_bits;   /* log2 of the bits in term_pairs */
    /* Per word, its entries on either side of the learned table (built at
     * open, src/model/learned.h; NULL: none). */
    struct us_learned_index *learned_ix;
    /* Distinct for every model opened in the process (never 0): what a
     * cache kept across calls (detect.c) checks it was filled from. */
    uint64_t serial;
};

/* term_pos bits */
#define US_TERM_AT_FIRST 0x01u
#define US_TERM_AT_MIDDLE 0x02u
#define US_TERM_AT_LAST 0x04u

/* Word id of a normalized word, or US_STR_NONE. */
uint32_t us_model_word(const unspin_model *m, const char *s, size_t len);

/* Records of item i of a CSR; *n gets their count. */
const void *us_csr_get(const us_csr *c, uint32_t i, size_t rec_size, uint32_t *n);

/* Term id of a word-id sequence, or US_STR_NONE. */
uint32_t us_model_term(const unspin_model *m, const uint32_t *words, uint32_t n);

/* 0 when no term has word b right after word a; 1 when one may. */
int us_model_term_pair(const unspin_model *m, uint32_t a, uint32_t b);

/* Hash of a word-id sequence, as the term index uses it. */
uint64_t us_term_hash(const uint32_t *words, uint32_t n);

#endif
