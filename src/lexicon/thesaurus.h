/*
 * thesaurus.h - synonym edges read from thesauri, for the model builder.
 * Internal to libunspin; not part of the public API.
 *
 * A us_thesaurus holds
 *  - a pool of terms: lower-case, words separated by single spaces
 *    ("cold war", "grind to a halt"), each with a dense uint32 id;
 *  - a flat list of edges { from, to, kind, pos, weight }, each meaning
 *    "`to` can replace `from`": a spinner reading the thesaurus entry of
 *    `from` may pick `to`.
 *
 * Loaders append to the same handle: MyThes (.dat), WordNet 3.0 (data.* and
 * index.* files) and the project's own list (dictionaries/synonyms.txt).
 * A loader that fails (UNSPIN_EDICT with "file:line: what" for a missing or
 * malformed file) leaves the handle as it was.  One load emits one edge per
 * (from, to, kind), except for a headword a MyThes file repeats; several
 * loads can leave duplicates, which us_thesaurus_dedup() merges.
 *
 * Weights are priors: how likely a sense-blind spinner that reads the entry
 * of `from` in that source picks `to`.  For MyThes and WordNet the spinner
 * is modelled as picking sense i of `from` with probability proportional to
 * 1/i (senses in the source's order, which for WordNet is the index files'
 * order of decreasing frequency; senses that offer no candidate do not
 * count), then one candidate of that sense uniformly.  A candidate offered
 * by several senses sums its shares, so the weights of one `from` in one
 * source add up to 1 across kinds.  The few MyThes candidates that have no
 * entry of their own get reverse edges weighing 1/(entries listing them).
 * Project lines carry their own weight, or 1/(number of replacements the
 * file lists for `from`).
 *
 * Term strings returned by the accessors point into the pool and stay valid
 * until the next call that adds terms (any loader, us_thesaurus_intern) or
 * us_thesaurus_free.  A handle is not thread-safe.
 */
#ifndef UNSPIN_LEXICON_THESAURUS_H
#define UNSPIN_LEXICON_THESAURUS_H

#include <stddef.h>
#include <stdint.h>

#include "../unspin.h"

typedef enum us_edge_kind {
    US_EDGE_SYNSET = 0, /* same synset / plain MyThes synonym */
    US_EDGE_SIMILAR,    /* WordNet similar-to ('&'), MyThes "(similar term)" */
    US_EDGE_RELATED,    /* WordNet also-see ('^'), MyThes "(related term)" */
    US_EDGE_LEARNED,    /* added by a builder from data (us_thesaurus_add_edge) */
    US_EDGE_PROJECT,    /* dictionaries/synonyms.txt */
    US_EDGE_KIND_COUNT
} us_edge_kind;

typedef enum us_pos {
    US_POS_ANY = 0, /* unknown, or several parts of speech merged */
    US_POS_NOUN,
    US_POS_VERB,
    US_POS_ADJ,
    US_POS_ADV,
    US_POS_COUNT
} us_pos;

/* Where an edge or a term came from; an edge's `sources` is a bit set. */
typedef enum us_source {
    US_SRC_MYTHES = 0,
    US_SRC_WORDNET,
    US_SRC_PROJECT,
    US_SRC_OTHER, /* us_thesaurus_add_edge / us_thesaurus_intern */
    US_SRC_COUNT
} us_source;

#define US_SRC_BIT(src) ((uint8_t)(1u << (src)))

/* "`to` can replace `from`".  16 bytes; `sources` and `reserved` sit in
 * what would otherwise be padding. */
typedef struct us_edge {
    uint32_t from, to;
    uint8_t kind;    /* us_edge_kind */
    uint8_t pos;     /* us_pos */
    uint8_t sources; /* US_SRC_BIT(...) set */
    uint8_t reserved;
    float weight;    /* (0, 1], see the top of this file */
} us_edge;

/* Longest term, in bytes after normalization; longer terms are refused. */
#define US_TERM_MAX_BYTES 255

/* "No such term". */
#define US_TERM_NONE UINT32_MAX

typedef struct us_thesaurus us_thesaurus;

/* NULL when out of memory. */
us_thesaurus *us_thesaurus_new(void);
void us_thesaurus_free(us_thesaurus *th);

/* MyThes text thesaurus (e.g. /usr/share/mythes/th_en_US_v2.dat).  The
 * first line names the encoding (UTF-8, ISO8859-1 or ISO8859-15).  When a
 * ".idx" file sits next to a ".dat", its entry count must match.
 * Plain synonyms -> SYNSET, "(similar term)" -> SIMILAR, "(related term)"
 * -> RELATED; "(generic term)" (hypernyms) and "(antonym)" are skipped. */
int us_thesaurus_add_mythes(us_thesaurus *th, const char *path,
                            unspin_error *err);

/* WordNet 3.0 database directory (e.g. /usr/share/wordnet): reads data.noun,
 * data.verb, data.adj, data.adv (required) and index.* (optional; without
 * them every sense weighs the same).  Synset members -> SYNSET, '&' -> SIMILAR,
 * '^' -> RELATED, in both directions. */
int us_thesaurus_add_wordnet(us_thesaurus *th, const char *dir,
                             unspin_error *err);

/* The project's own additions; format in dictionaries/synonyms.txt:
 * ORIGINAL<TAB>REPLACEMENT[<TAB>WEIGHT[<TAB>POS]], '#' comment lines. */
int us_thesaurus_add_project(us_thesaurus *th, const char *path,
                             unspin_error *err);

/* Normalize (see us_term_normalize) and intern a term; *id gets its id.
 * UNSPIN_EINVAL for an empty or too long term, UNSPIN_ENOMEM. */
int us_thesaurus_intern(us_thesaurus *th, const char *s, size_t len,
                        uint32_t *id);

/* Append one edge (source US_SRC_OTHER); e.g. LEARNED edges from a corpus.
 * UNSPIN_EINVAL for unknown ids, kind, pos, a self-loop or a weight outside
 * (0, 1]. */
int us_thesaurus_add_edge(us_thesaurus *th, uint32_t from, uint32_t to,
                          us_edge_kind kind, us_pos pos, float weight);

size_t us_thesaurus_term_count(const us_thesaurus *th);
/* NUL-terminated; *len (when non-NULL) gets its length.  NULL for a bad id. */
const char *us_thesaurus_term(const us_thesaurus *th, uint32_t id,
                              size_t *len);
/* Id of a term, normalizing the query first ("Cold_War" finds "cold war");
 * US_TERM_NONE when absent. */
uint32_t us_thesaurus_lookup(const us_thesaurus *th, const char *s,
                             size_t len);

size_t us_thesaurus_edge_count(const us_thesaurus *th);
/* The edges in insertion order, or sorted after us_thesaurus_dedup. */
const us_edge *us_thesaurus_edges(const us_thesaurus *th);

/* Sort edges by (from, to, kind) and merge duplicates of the same
 * (from, to, kind): the highest weight wins, `sources` are OR-ed, `pos`
 * stays when all agree and becomes US_POS_ANY otherwise.  One edge per
 * kind remains, so a pair can have a SYNSET and a PROJECT edge.  Returns
 * the new edge count. */
size_t us_thesaurus_dedup(us_thesaurus *th);

/* After us_thesaurus_dedup (and before adding more edges): the edges whose
 * `from` is `from`, *n of them (n must not be NULL); NULL with *n = 0 when
 * none or not sorted. */
const us_edge *us_thesaurus_edges_from(const us_thesaurus *th, uint32_t from,
                                       size_t *n);

/* Counts for the builder's metadata; see us_thesaurus_stats. */
typedef struct us_thesaurus_counts {
    size_t terms;
    size_t multiword_terms;                   /* terms holding a space */
    size_t edges;
    size_t edges_by_kind[US_EDGE_KIND_COUNT];
    size_t edges_by_source[US_SRC_COUNT];     /* edges carrying that source */
    size_t terms_by_source[US_SRC_COUNT];     /* terms read from that source */
    size_t entries_by_source[US_SRC_COUNT];   /* MyThes entries, WordNet
                                                 synsets, project lines */
    size_t loads_by_source[US_SRC_COUNT];     /* successful loader calls */
} us_thesaurus_counts;

/* Fill *out with the current counts (call us_thesaurus_dedup first to count
 * merged edges). */
void us_thesaurus_stats(const us_thesaurus *th, us_thesaurus_counts *out);

/* Normalize a term into out (cap bytes, NUL-terminated): ASCII and Latin-1
 * letters lower-cased, curly apostrophes folded to ', '_' and all white
 * space become single spaces, trimmed at both ends.  Returns the length, or
 * (size_t)-1 when it does not fit in cap - 1 bytes. */
size_t us_term_normalize(const char *s, size_t len, char *out, size_t cap);

const char *us_edge_kind_name(us_edge_kind kind);
const char *us_pos_name(us_pos pos);
const char *us_source_name(us_source src);

/* ------------------------------------------------------------------ */
/* Shared by the loaders (thesaurus.c, mythes.c, wordnet.c) only.      */
/* ------------------------------------------------------------------ */

/* Intern an already normalized term (1..US_TERM_MAX_BYTES bytes) and mark
 * it as seen in src.  UNSPIN_OK, UNSPIN_EINVAL or UNSPIN_ENOMEM. */
int us_th_intern_norm(us_thesaurus *th, const char *norm, size_t len,
                      us_source src, uint32_t *id);
/* Id of an already normalized term, or US_TERM_NONE. */
uint32_t us_th_find_norm(const us_thesaurus *th, const char *norm, size_t len);
/* Append an edge as given.  UNSPIN_OK or UNSPIN_ENOMEM. */
int us_th_push_edge(us_thesaurus *th, const us_edge *e);

/* A loader saves the state before it starts and restores it on failure, so
 * a failed call leaves the handle as it was. */
typedef struct us_th_mark {
    size_t terms, edges, pool_len;
    uint8_t *term_src; /* copy of the terms' source bits */
} us_th_mark;
int us_th_mark_save(const us_thesaurus *th, us_th_mark *m);
void us_th_mark_restore(us_thesaurus *th, us_th_mark *m);
void us_th_mark_drop(us_th_mark *m);
/* Count a successful load of `entries` entries from src. */
void us_th_note_load(us_thesaurus *th, us_source src, size_t entries);

/* Read a whole thesaurus file.  A missing or unreadable file is
 * UNSPIN_EDICT ("PATH: cannot read: ..."). */
int us_th_read_file(const char *path, char **buf, size_t *len,
                    unspin_error *err);

/* Find the first invalid UTF-8 sequence or NUL byte in [s, s + len);
 * returns its offset, or len when all is well. */
size_t us_th_utf8_bad(const char *s, size_t len);

/* Weights for one `from` (see the top of this file): candidates are added
 * sense by sense, then emitted as edges.  Reused across entries. */
typedef struct us_th_cand {
    uint32_t to;
    uint8_t kind;
} us_th_cand;
typedef struct us_th_sense {
    double prior;
    size_t first, count; /* into cands */
    uint8_t pos;
} us_th_sense;
typedef struct us_th_item {
    double weight;
    uint32_t to, next; /* next: same `to`, another kind (UINT32_MAX: none) */
    uint8_t kind, pos;
} us_th_item;
typedef struct us_th_acc {
    uint32_t from;
    size_t mark_cap;             /* size of the four per-term arrays */
    uint32_t *sense_gen_of;      /* [term] == sense_gen: in this sense */
    uint32_t *sense_slot;        /* [term]: its index in cands */
    uint32_t *item_gen_of;       /* [term] == item_gen: has items */
    uint32_t *item_first;        /* [term]: first item for it */
    uint32_t sense_gen, item_gen;
    us_th_cand *cands;
    size_t ncands, cands_cap, sense_first;
    us_th_sense *senses;
    size_t nsenses, senses_cap;
    us_th_item *items;
    size_t nitems, items_cap;
} us_th_acc;

void us_th_acc_init(us_th_acc *a);
void us_th_acc_free(us_th_acc *a);
/* Start the candidates of `from`. */
void us_th_acc_begin(us_th_acc *a, uint32_t from);
/* Offer `to` in the current sense; self-loops are ignored, a term offered
 * twice in one sense keeps its strongest (lowest) kind. */
int us_th_acc_cand(us_th_acc *a, uint32_t to, us_edge_kind kind);
/* Close the current sense; `prior` is its unnormalized weight.  A sense
 * without candidates is dropped. */
int us_th_acc_sense_end(us_th_acc *a, double prior, us_pos pos);
/* Push the edges of `from` (weights normalized) marked with src. */
int us_th_acc_emit(us_th_acc *a, us_thesaurus *th, us_source src);

#endif
