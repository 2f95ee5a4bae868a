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
};

/* Word id of a normalized word, or US_STR_NONE. */
uint32_t us_model_word(const unspin_model *m, const char *s, size_t len);

/* Records of item i of a CSR; *n gets their count. */
const void *us_csr_get(const us_csr *c, uint32_t i, size_t rec_size, uint32_t *n);

/* Term id of a word-id sequence, or US_STR_NONE. */
uint32_t us_model_term(const unspin_model *m, const uint32_t *words, uint32_t n);

/* Hash of a word-id sequence, as the term index uses it. */
uint64_t us_term_hash(const uint32_t *words, uint32_t n);

#endif
