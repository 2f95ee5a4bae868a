/*
 * unspin.h - the public API of libunspin.
 *
 * unspin finds machine-"spun" text (words swapped for thesaurus synonyms)
 * and points back to what it originally said.
 *
 * Conventions
 *  - Every public name starts with unspin_ / UNSPIN_.
 *  - Handles are opaque; each *_new / *_open has a matching *_free / *_close,
 *    and passing NULL to a free function is a no-op.
 *  - Functions that can fail return an int status: UNSPIN_OK (0) or a
 *    negative UNSPIN_E* code.  When the caller passes a non-NULL
 *    unspin_error, it receives the code and a one-line message that says
 *    what went wrong and where (file name, byte offset, ...).
 *  - Strings are UTF-8 with explicit lengths; they may contain NUL bytes.
 *    Pointers returned by accessors are owned by the handle they came from
 *    and stay valid until that handle is freed, unless stated otherwise.
 */
#ifndef UNSPIN_H
#define UNSPIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UNSPIN_VERSION_STRING "0.1.0"

/* Marks the exported symbols (the library is built with hidden visibility). */
#ifndef UNSPIN_API
#if defined(__GNUC__)
#define UNSPIN_API __attribute__((visibility("default")))
#else
#define UNSPIN_API
#endif
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

enum {
    UNSPIN_OK = 0,
    UNSPIN_ENOMEM = -1,   /* out of memory */
    UNSPIN_EINVAL = -2,   /* bad argument */
    UNSPIN_EUTF8 = -3,    /* input is not valid UTF-8 */
    UNSPIN_EIO = -4,      /* a file could not be read or written */
    UNSPIN_EICU = -5,     /* ICU reported an error */
    UNSPIN_EDICT = -6,    /* a dictionary or thesaurus could not be used */
    UNSPIN_EMODEL = -7,   /* a model file is missing, foreign or damaged */
    UNSPIN_ETOOBIG = -8,  /* input larger than the library accepts */
    UNSPIN_ENOTFOUND = -9 /* no answer (e.g. a word with no inflection) */
};

/* A filled-in error: the status code and a one-line message. */
typedef struct unspin_error {
    int code;
    char message[512];
} unspin_error;

/* A static description of a status code ("invalid UTF-8", ...). */
UNSPIN_API const char *unspin_strerror(int code);

/* The library's version, e.g. "0.1.0". */
UNSPIN_API const char *unspin_version(void);

/* ------------------------------------------------------------------ */
/* Text: sentences and tokens                                          */
/* ------------------------------------------------------------------ */

typedef enum unspin_token_kind {
    UNSPIN_TOKEN_WORD = 0,   /* letters, with inner apostrophes, dots, hyphens */
    UNSPIN_TOKEN_NUMBER,     /* 5,500  11  3.5 */
    UNSPIN_TOKEN_PUNCT,      /* . , ; " ( - ... */
    UNSPIN_TOKEN_SPACE,      /* spaces, tabs, line breaks */
    UNSPIN_TOKEN_OTHER       /* symbols ($ %), emoji, controls, invalid bytes */
} unspin_token_kind;

typedef enum unspin_case {
    UNSPIN_CASE_NONE = 0, /* no cased letters: numbers, punctuation, CJK */
    UNSPIN_CASE_LOWER,    /* attack */
    UNSPIN_CASE_TITLE,    /* Attack */
    UNSPIN_CASE_UPPER,    /* ATTACK, U.S. */
    UNSPIN_CASE_MIXED     /* iPhone, McDonald */
} unspin_case;

/* Token flags. */
#define UNSPIN_TOKF_HYPHENATED 0x1u  /* word joined by hyphens: Russian-based */
#define UNSPIN_TOKF_ABBREV     0x2u  /* abbreviation with its final dot: U.S., Mr. */
#define UNSPIN_TOKF_REPLACED   0x4u  /* holds invalid UTF-8 bytes (see flags below) */
#define UNSPIN_TOKF_APOSTROPHE 0x8u  /* contains an apostrophe: didn't, Russia's */
#define UNSPIN_TOKF_MIXED_SCRIPT 0x10u /* Latin mixed with look-alike letters of
                                          another script: "Аpple" (Cyrillic А) */
#define UNSPIN_TOKF_INVISIBLE 0x20u  /* holds invisible characters: zero-width
                                        spaces/joiners, soft hyphens, bidi controls,
                                        variation selectors */

typedef struct unspin_token {
    size_t start, end;         /* byte offsets into the input, [start, end) */
    size_t start16, end16;     /* the same span in UTF-16 code units */
    size_t sentence;           /* index of the sentence holding the token */
    const char *norm;          /* normalized form: NUL-terminated UTF-8; for a
                                  word with MIXED_SCRIPT or INVISIBLE, of its
                                  skeleton */
    size_t norm_len;           /* its length in bytes */
    const char *skeleton;      /* MIXED_SCRIPT or INVISIBLE words: the word with
                                  invisibles dropped and look-alike letters
                                  replaced by Latin ones ("Apple"); else NULL */
    unspin_token_kind kind;
    unspin_case shape;
    unsigned flags;            /* UNSPIN_TOKF_* */
} unspin_token;

typedef struct unspin_sentence {
    size_t start, end;         /* byte offsets */
    size_t start16, end16;     /* UTF-16 offsets */
    size_t first_token;        /* index of its first token */
    size_t token_count;
} unspin_sentence;

/* Flags for unspin_text_new. */
/* Without this flag, invalid UTF-8 is an error (UNSPIN_EUTF8, message
 * naming the byte offset).  With it, each invalid byte stands for one
 * U+FFFD (one UTF-16 code unit) and becomes an UNSPIN_TOKEN_OTHER token
 * with UNSPIN_TOKF_REPLACED; offsets stay true to the input bytes. */
#define UNSPIN_TEXT_REPLACE_INVALID 0x1u

/* Largest input unspin_text_new accepts, in bytes (UNSPIN_ETOOBIG past it). */
#define UNSPIN_TEXT_MAX_BYTES ((size_t)1 << 30)

typedef struct unspin_text unspin_text;

/* Tokenize `len` bytes of UTF-8.  The input is copied; the caller keeps
 * ownership of `utf8`.  A leading byte-order mark is skipped (no token).
 * On success *out is a new handle to free with unspin_text_free. */
UNSPIN_API int unspin_text_new(const char *utf8, size_t len, unsigned flags,
                    unspin_text **out, unspin_error *err);
UNSPIN_API void unspin_text_free(unspin_text *text);

UNSPIN_API size_t unspin_text_token_count(const unspin_text *text);
UNSPIN_API const unspin_token *unspin_text_tokens(const unspin_text *text);
UNSPIN_API size_t unspin_text_sentence_count(const unspin_text *text);
UNSPIN_API const unspin_sentence *unspin_text_sentences(const unspin_text *text);
/* The input as copied (with invalid bytes kept as they were). */
UNSPIN_API const char *unspin_text_data(const unspin_text *text, size_t *len);

UNSPIN_API const char *unspin_token_kind_name(unspin_token_kind kind);
UNSPIN_API const char *unspin_case_name(unspin_case shape);

/* Check that `len` bytes are valid UTF-8.  Returns UNSPIN_OK, or
 * UNSPIN_EUTF8 with *bad_offset set to the first invalid byte. */
UNSPIN_API int unspin_utf8_check(const char *s, size_t len, size_t *bad_offset);

/* Normalize one string for look-ups: NFC, curly quotes and apostrophes
 * folded to ASCII, lower-cased.  Returns a malloc'd NUL-terminated string
 * the caller frees (length in *out_len when non-NULL), or NULL on error. */
UNSPIN_API char *unspin_normalize(const char *utf8, size_t len, size_t *out_len,
                       unspin_error *err);

/* ------------------------------------------------------------------ */
/* Morphology (Hunspell + WordNet's irregular forms)                   */
/* ------------------------------------------------------------------ */

typedef struct unspin_morph unspin_morph;

/* Where the morphology data lives.  NULL members take the defaults:
 * Debian's /usr/share/hunspell/en_US.{aff,dic} and /usr/share/wordnet,
 * overridden by the environment (UNSPIN_HUNSPELL_AFF, UNSPIN_HUNSPELL_DIC,
 * UNSPIN_WORDNET_DIR). */
typedef struct unspin_morph_options {
    const char *hunspell_aff;
    const char *hunspell_dic;
    const char *wordnet_dir;
} unspin_morph_options;

/* A handle is not thread-safe (Hunspell keeps state): use one per thread. */
UNSPIN_API int unspin_morph_new(const unspin_morph_options *opts, unspin_morph **out,
                     unspin_error *err);
UNSPIN_API void unspin_morph_free(unspin_morph *m);

/* A list of words returned by the morphology functions; free it with
 * unspin_wordlist_free. */
typedef struct unspin_wordlist {
    size_t count;
    char **words;
} unspin_wordlist;
UNSPIN_API void unspin_wordlist_free(unspin_wordlist *list);

/* The lemma(s) of a word, most likely first ("assaults" -> assault,
 * "mice" -> mouse, "ran" -> run).  A word that is its own lemma yields
 * itself.  Input is lower-cased for the look-up. */
UNSPIN_API int unspin_morph_lemmas(unspin_morph *m, const char *word,
                        unspin_wordlist *out, unspin_error *err);

/* Inflect `lemma` to the form `like` has: ("attack", "assaults") ->
 * attacks; ("attack", "assaulted") -> attacked; ("go", "ran") -> went.
 * Candidates most likely first.  UNSPIN_ENOTFOUND when no form fits. */
UNSPIN_API int unspin_morph_inflect(unspin_morph *m, const char *lemma, const char *like,
                         unspin_wordlist *out, unspin_error *err);


/* ------------------------------------------------------------------ */
/* The model file                                                      */
/* ------------------------------------------------------------------ */

/* A built model: language model, vocabulary, inverted synonym graph,
 * morphology tables and learned substitutions, in one mmap-ed file.  A
 * handle is read-only after unspin_model_open and may be shared by threads. */
typedef struct unspin_model unspin_model;

/* Open a model file.  A missing, foreign, truncated, incomplete or
 * corrupt file gives UNSPIN_EMODEL with a one-line message naming the file
 * and the fault.  Section checksums are checked by unspin_model_verify, not
 * here, so that opening stays fast. */
UNSPIN_API int unspin_model_open(const char *path, unspin_model **out,
                                 unspin_error *err);
UNSPIN_API void unspin_model_free(unspin_model *m);

/* Check every section's checksum (reads the whole file). */
UNSPIN_API int unspin_model_verify(const unspin_model *m, unspin_error *err);

/* The path the model was opened from. */
UNSPIN_API const char *unspin_model_path(const unspin_model *m);

/* The build metadata: "key=value" lines (sources, versions, counts). */
UNSPIN_API const char *unspin_model_metadata(const unspin_model *m);

typedef struct unspin_model_counts {
    uint64_t file_bytes;
    size_t words;            /* vocabulary */
    size_t lm_words;         /* words the language model knows */
    size_t bigrams, trigrams;
    size_t terms;            /* thesaurus terms (words and phrases) */
    size_t multiword_terms;
    size_t edges;            /* substitution edges, all kinds */
    size_t edges_by_kind[5]; /* synset, similar, related, learned, project */
    size_t morph_analyses;   /* (form, lemma, class) entries */
} unspin_model_counts;

UNSPIN_API void unspin_model_get_counts(const unspin_model *m, unspin_model_counts *out);

/* log10 P(w3 | w1 w2) under the model's language model, with back-off.
 * Words are looked up normalized (lower case).  w1 and w2 may be NULL for
 * less context.  A context word the LM does not know cuts the context at
 * that point.  A w3 the LM does not know scores UNSPIN_LM_UNKNOWN_LOGPROB,
 * or UNSPIN_LM_NUMBER_LOGPROB when it is written in digits ("2021",
 * "5,500", "3.5"): the LM has no digits, so numbers get a flat score. */
UNSPIN_API double unspin_model_logprob(const unspin_model *m, const char *w1,
                                       const char *w2, const char *w3);
#define UNSPIN_LM_UNKNOWN_LOGPROB (-7.0)
#define UNSPIN_LM_NUMBER_LOGPROB (-3.5)

/* Sources and settings for unspin_model_build.  Start from
 * unspin_build_options_default (Debian's files) and change what you need. */
typedef struct unspin_build_options {
    const char *lm;              /* pocketsphinx .lm.bin or ARPA text */
    const char *mythes;          /* MyThes .dat, or NULL to leave out */
    const char *wordnet;         /* WordNet 3.0 dict directory, or NULL */
    const char *const *project;  /* the project's synonym lists */
    size_t nproject;
    const char *learned;         /* learned-substitution table, or NULL */
    unspin_morph_options morph;  /* Hunspell and WordNet exceptions */
    const char *extra_metadata;  /* "key=value" lines to record, or NULL */
    /* Called with a line of progress now and then, when non-NULL. */
    void (*progress)(const char *message, void *data);
    void *progress_data;
} unspin_build_options;

UNSPIN_API void unspin_build_options_default(unspin_build_options *opts);

/* Build a model file at out_path (written to out_path.tmp, then renamed). */
UNSPIN_API int unspin_model_build(const unspin_build_options *opts,
                                  const char *out_path, unspin_error *err);

/* ------------------------------------------------------------------ */
/* Detection                                                           */
/* ------------------------------------------------------------------ */

typedef struct unspin_detect_options {
    double threshold;     /* verdict "spun" when score >= threshold (0.5) */
    double min_confidence;/* spans below this posterior are not reported (0.5) */
    unsigned text_flags;  /* UNSPIN_TEXT_* flags for tokenizing */
} unspin_detect_options;

UNSPIN_API void unspin_detect_options_default(unspin_detect_options *opts);

typedef struct unspin_alternative {
    const char *original;
    double confidence;
} unspin_alternative;

/* A run of words judged swapped, with the likely original. */
typedef struct unspin_span {
    size_t start, end;         /* byte offsets into the input */
    size_t start16, end16;     /* UTF-16 offsets */
    const char *text;          /* the span as written (NUL-terminated) */
    const char *original;      /* likely original, case matched to the text */
    double confidence;         /* posterior that the words were swapped and
                                  the original is this one */
    double swap;               /* posterior that the words were swapped, whatever
                                  the original (ranks spans best) */
    size_t nalternatives;      /* up to 3 */
    unspin_alternative alternatives[3];
} unspin_span;

typedef struct unspin_result unspin_result;

/* Detect spun text in len bytes of UTF-8.  The model is only read, so
 * several threads may call this with one model.  *out is freed with
 * unspin_result_free. */
UNSPIN_API int unspin_detect(const unspin_model *m, const unspin_detect_options *opts,
                             const char *utf8, size_t len, unspin_result **out,
                             unspin_error *err);
UNSPIN_API void unspin_result_free(unspin_result *r);

UNSPIN_API size_t unspin_result_span_count(const unspin_result *r);
UNSPIN_API const unspin_span *unspin_result_spans(const unspin_result *r);
/* Words in the document (word and number tokens). */
UNSPIN_API size_t unspin_result_words(const unspin_result *r);
/* Estimated share of words a spinner swapped, in [0, 1]. */
UNSPIN_API double unspin_result_spin_rate(const unspin_result *r);
/* Document score in [0, 1]: higher means more likely spun. */
UNSPIN_API double unspin_result_score(const unspin_result *r);
/* 1 when score >= the threshold the result was made with. */
UNSPIN_API int unspin_result_is_spun(const unspin_result *r);

/* A word dressed to dodge duplicate detection: Latin mixed with look-alike
 * letters of another script, or invisible characters inside it. */
typedef struct unspin_evasion {
    size_t start, end;         /* byte offsets into the input */
    size_t start16, end16;     /* UTF-16 offsets */
    const char *text;          /* the word as written */
    const char *kind;          /* "mixed-script" or "invisible" */
    const char *skeleton;      /* what it imitates: "Apple" */
} unspin_evasion;

UNSPIN_API size_t unspin_result_evasion_count(const unspin_result *r);
UNSPIN_API const unspin_evasion *unspin_result_evasions(const unspin_result *r);

/* The document as one line of JSON:
 *   {"file": FILE, "verdict": "spun"|"natural", "score", "spin_rate", "words",
 *    "spans": [{"start", "end", "start16", "end16", "text", "original",
 *               "confidence", "swap", "alternatives": [{"original", "confidence"}]}],
 *    "evasion": [{"start", "end", "start16", "end16", "text", "kind",
 *                 "skeleton"}]}
 * "file" is left out when file is NULL.  Returns a malloc'd NUL-terminated
 * string the caller frees, or NULL (with err) when out of memory. */
UNSPIN_API char *unspin_result_json(const unspin_result *r, const char *file,
                                    unspin_error *err);

/* ------------------------------------------------------------------ */
/* Alignment of an original and a rewrite                              */
/* ------------------------------------------------------------------ */

/* Sentences are paired without regard to order: each sentence of the
 * original with the most similar sentence of the rewrite, best pairs first,
 * each sentence used once.  Two adjacent sentences of one side may pair
 * with one sentence of the other (a merge or a split).  Similarity is in
 * [0, 1]: the mean of the Dice coefficients of the content-word types
 * (stopwords left out) and of their character 4-grams.  Only sentences with
 * a word or number take part.  Within a pair, words are aligned on their
 * normalized forms; each stretch of changed words between two unchanged
 * tokens is one substitution (m words for n, one side possibly empty). */

typedef struct unspin_align_options {
    double threshold;   /* pair sentences whose similarity >= this (0.35);
                           below it, only sentences left unpaired between two
                           pairs kept in order, one on each side, that share
                           most of their tokens in order (heavily spun copies) */
    int merges;         /* consider 2:1 and 1:2 pairs (1) */
    unsigned text_flags;/* UNSPIN_TEXT_* flags for tokenizing both texts (0) */
} unspin_align_options;

/* The default threshold.  Measured on 120 Brown-corpus documents against
 * copies spun at rates 0.1 and 0.25 (2,272 sentences): true pairs score a
 * median of 1.0 and 0.83, and at 0.35 98-99 % of them pair; aligning each
 * document with another's spun copy (nothing to pair) makes 15 false pairs
 * in 2,258 sentences, all short lines of dialogue.  On the seeds 000/002
 * (two outlets' reports of one event) the shared sentences score 0.42-0.55
 * and same-topic but different sentences 0.29-0.33. */
#define UNSPIN_ALIGN_THRESHOLD 0.35

UNSPIN_API void unspin_align_options_default(unspin_align_options *opts);

typedef enum unspin_align_kind {
    UNSPIN_ALIGN_IDENTICAL = 0, /* the same tokens after normalization */
    UNSPIN_ALIGN_REWORDING,     /* paired, with substitutions */
    UNSPIN_ALIGN_DROPPED,       /* original sentence with no counterpart */
    UNSPIN_ALIGN_ADDED          /* rewrite sentence with no counterpart */
} unspin_align_kind;

/* One side of a pair: up to two adjacent sentences (indexes as in
 * unspin_text_sentences of that text), and the span from the first token
 * of the first to the last token of the last, leading and trailing
 * spaces left out.  count is 0 for the missing side of dropped/added. */
typedef struct unspin_align_side {
    size_t count;
    size_t sentences[2];
    size_t start, end;      /* byte offsets into that input */
    size_t start16, end16;  /* UTF-16 offsets */
} unspin_align_side;

typedef struct unspin_align_pair {
    unspin_align_kind kind;
    unspin_align_side orig, rewrite;
    /* Similarity of the two sides.  For a dropped or added sentence: its
     * best similarity with any single sentence of the other text (0 when
     * none shares a word), and that sentence's index in `nearest`. */
    double similarity;
    size_t nearest;         /* SIZE_MAX when not dropped/added, or none */
    size_t first_subst, subst_count; /* its substitutions */
} unspin_align_pair;

/* A changed stretch: orig words in the original became rewrite words.
 * An empty side (an insertion or deletion) has start == end at the end
 * of the preceding unchanged token (or the start of the pair's span). */
typedef struct unspin_align_subst {
    size_t pair;                        /* index of its pair */
    size_t orig_start, orig_end, orig_start16, orig_end16;
    size_t rewrite_start, rewrite_end, rewrite_start16, rewrite_end16;
    const char *orig, *rewrite;         /* the two texts as written, NUL-ended */
    size_t orig_words, rewrite_words;   /* word and number tokens (m and n) */
} unspin_align_subst;

typedef struct unspin_alignment unspin_alignment;

/* Align `orig` (olen bytes of UTF-8) with `rewrite`.  opts may be NULL for
 * the defaults.  The inputs are copied.  Errors: UNSPIN_EUTF8 (message
 * names the text and byte), UNSPIN_EINVAL, UNSPIN_ENOMEM, UNSPIN_ETOOBIG.
 * Free *out with unspin_alignment_free. */
UNSPIN_API int unspin_align(const char *orig, size_t olen, const char *rewrite, size_t rlen,
                            const unspin_align_options *opts, unspin_alignment **out,
                            unspin_error *err);
UNSPIN_API void unspin_alignment_free(unspin_alignment *a);

/* The pairs: matched pairs and added sentences in the rewrite's order,
 * then the dropped sentences in the original's order. */
UNSPIN_API size_t unspin_alignment_pair_count(const unspin_alignment *a);
UNSPIN_API const unspin_align_pair *unspin_alignment_pairs(const unspin_alignment *a);
/* All substitutions, pair by pair (a pair's are first_subst..+subst_count). */
UNSPIN_API size_t unspin_alignment_subst_count(const unspin_alignment *a);
UNSPIN_API const unspin_align_subst *unspin_alignment_substs(const unspin_alignment *a);
/* The two texts as tokenized (owned by the alignment). */
UNSPIN_API const unspin_text *unspin_alignment_orig(const unspin_alignment *a);
UNSPIN_API const unspin_text *unspin_alignment_rewrite(const unspin_alignment *a);
/* The threshold the alignment was made with. */
UNSPIN_API double unspin_alignment_threshold(const unspin_alignment *a);

/* "identical", "rewording", "dropped", "added". */
UNSPIN_API const char *unspin_align_kind_name(unspin_align_kind kind);

/* The similarity the aligner uses, of two texts each taken as one
 * sentence.  UNSPIN_EUTF8 on invalid input. */
UNSPIN_API int unspin_align_similarity(const char *a, size_t alen, const char *b, size_t blen,
                                       double *out, unspin_error *err);

/* The alignment as one line of JSON:
 *   {"original": NAME, "rewrite": NAME, "threshold",
 *    "counts": {"identical", "rewording", "dropped", "added", "substitutions"},
 *    "pairs": [{"kind", "similarity", "nearest"?,
 *               "original": {"sentences", "start", "end", "start16", "end16",
 *                            "text"} | null,
 *               "rewrite": {...} | null,
 *               "substitutions": [{"original": {"start", "end", "start16",
 *                                  "end16", "text", "words"}, "rewrite": {...}}]}]}
 * Names are left out when NULL.  Returns a malloc'd NUL-terminated string
 * the caller frees, or NULL (with err) when out of memory. */
UNSPIN_API char *unspin_alignment_json(const unspin_alignment *a, const char *orig_name,
                                       const char *rewrite_name, unspin_error *err);

/* ------------------------------------------------------------------ */
/* Training the channel from examples                                  */
/* ------------------------------------------------------------------ */

/* A trainer counts substitutions a spinner made and writes the learned
 * table `unspin_model_build` reads (opts->learned):
 *     spun<TAB>original<TAB>count<TAB>probability
 * Phrases are normalized (unspin_normalize; runs of spaces made one);
 * words keep their surface forms.  Each phrase pair counts as a whole and,
 * when both sides have the same number of words, each word that differs
 * counts too ("irregular woodland" for "random forest" also teaches
 * irregular -> random and woodland -> forest); when the lengths differ
 * but words at the ends are shared, the part between counts too ("deep
 * gaining knowledge" for "deep learning": gaining knowledge -> learning).
 * Pairs where a side is
 * empty, longer than 4 words or 200 bytes, or both sides are equal, are
 * left out.  The probability is smoothed toward a uniform prior:
 *     P(s | o) = (count(o->s) + alpha * prior(o)) / (count(o) + alpha)
 *     prior(o) = 1 / (distinct spun forms of o + 1)
 * with alpha = UNSPIN_TRAIN_ALPHA and count(o) the sum over its forms,
 * or, when larger, count(o->s) / (count(s) + alpha) with count(s) the sum
 * over the originals of s: a form seen for one original only is a sure
 * sign of it, however many forms that original has. */
#define UNSPIN_TRAIN_ALPHA 1.0

typedef struct unspin_trainer unspin_trainer;

UNSPIN_API int unspin_trainer_new(unspin_trainer **out, unspin_error *err);
UNSPIN_API void unspin_trainer_free(unspin_trainer *t);

/* Count one substitution (orig written as spun) with the given weight (> 0). */
UNSPIN_API int unspin_trainer_add_phrase(unspin_trainer *t, const char *spun, size_t slen,
                                         const char *orig, size_t olen, double weight,
                                         unspin_error *err);

/* Flags for unspin_trainer_add_pps. */
#define UNSPIN_TRAIN_WEIGHT_PAPERS 0x1u /* weight each row by num_papers (default: 1) */

/* Read a tortured-phrase list of the Problematic Paper Screener: lines
 * "tortured<TAB>expected<TAB>num_papers", an optional header line starting
 * "tortured", '#' comments and blank lines.  Each row counts once unless
 * UNSPIN_TRAIN_WEIGHT_PAPERS.  A malformed line gives UNSPIN_EDICT with a
 * message "FILE:LINE: ...". */
UNSPIN_API int unspin_trainer_add_pps(unspin_trainer *t, const char *path, unsigned flags,
                                      unspin_error *err);

/* Align an original with its rewrite (unspin_align, default options) and
 * count each substitution with words on both sides. */
UNSPIN_API int unspin_trainer_add_pair(unspin_trainer *t, const char *orig, size_t olen,
                                       const char *rewrite, size_t rlen, unspin_error *err);

/* Add the counts of a model's learned table (kept in the model by
 * unspin_model_build) as they stand, for training on top of that model.
 * A model without one gives UNSPIN_EMODEL. */
UNSPIN_API int unspin_trainer_add_model(unspin_trainer *t, const unspin_model *m,
                                        unspin_error *err);

/* Phrase pairs counted, and distinct (spun, original) entries (with the
 * word-level ones). */
UNSPIN_API size_t unspin_trainer_phrase_count(const unspin_trainer *t);
UNSPIN_API size_t unspin_trainer_entry_count(const unspin_trainer *t);

/* The count of (orig -> spun), both normalized, and the probability the
 * table gives it in *prob when non-NULL; 0 when never seen. */
UNSPIN_API double unspin_trainer_lookup(const unspin_trainer *t, const char *spun,
                                        const char *orig, double *prob);

/* Write the learned table, sorted by original then spun form. */
UNSPIN_API int unspin_trainer_write_table(const unspin_trainer *t, const char *path,
                                          unspin_error *err);

/* ------------------------------------------------------------------ */
/* Text extraction                                                     */
/* ------------------------------------------------------------------ */

/* The visible prose of an HTML page, for unspin_detect.  libxml2's HTML
 * parser reads `len` bytes (broken markup recovered; the character set from
 * a byte-order mark or <meta charset>, else UTF-8; no network access).
 * Text inside script, style, noscript, nav, header, footer, aside, head,
 * form and embedded objects is left out; block elements (p, div, h1-h6,
 * li, tr, ...) become line breaks (a blank line between paragraphs, one
 * line break for <br>, list items and table cells); runs of white space
 * become one space outside <pre>; entities are decoded and no-break spaces
 * become spaces.  *text is a malloc'd NUL-terminated UTF-8 string the
 * caller frees (its length in *text_len when non-NULL), ending with a line
 * break unless empty: a page with no visible text gives "" and UNSPIN_OK.
 * Offsets of detection results refer to this text, not to the HTML.
 * Thread-safe.  Errors: UNSPIN_ETOOBIG, UNSPIN_ENOMEM, UNSPIN_EINVAL. */
UNSPIN_API int unspin_extract_html(const char *html, size_t len, char **text,
                                   size_t *text_len, unspin_error *err);

/* The text of a PDF document, for unspin_detect.  poppler (glib) reads
 * `len` bytes from memory (no files, no network).  Pages come in order,
 * each starting a paragraph; on a page, lines are joined by spaces into
 * paragraphs (a blank line where the gap between lines is clearly wider
 * than the page's usual spacing, the text size changes or a new column
 * starts), a line ending "letter-" before a lower-case letter is joined
 * with no space (the hyphen kept: unspin_detect reads a hyphenated word
 * that neither its LM nor its thesaurus knows without the hyphen), a soft hyphen at a line end dropped;
 * ligatures (U+FB00-FB06) become letters, control characters spaces and
 * invalid UTF-8 U+FFFD.  *text is a malloc'd NUL-terminated UTF-8 string
 * the caller frees (its length in *text_len when non-NULL), ending with a
 * line break unless empty: a PDF with no text (scanned images) gives ""
 * and UNSPIN_OK.  Thread-safe: calls from several threads take turns (poppler's
 * shared state has no lock of its own).  Errors:
 * UNSPIN_EINVAL (not a PDF, damaged beyond repair, or encrypted with a
 * password), UNSPIN_ETOOBIG, UNSPIN_ENOMEM. */
UNSPIN_API int unspin_extract_pdf(const void *pdf, size_t len, char **text, size_t *text_len,
                                  unspin_error *err);

#ifdef __cplusplus
}
#endif
#endif /* UNSPIN_H */
