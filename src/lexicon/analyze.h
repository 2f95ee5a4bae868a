/*
 * Morphological analysis for the model builder: every (lemma, inflection
 * class) reading of a word, so that the model can store form <-> lemma
 * tables and the detector needs no Hunspell call.  Internal.
 */
#ifndef UNSPIN_LEXICON_ANALYZE_H
#define UNSPIN_LEXICON_ANALYZE_H

#include <stddef.h>

#include "../unspin.h"

/* Inflection classes. */
typedef enum us_infl {
    US_INFL_BASE = 0,   /* the lemma itself */
    US_INFL_PLURAL,     /* -s of nouns, and third person -s of verbs */
    US_INFL_PAST,       /* -ed, and irregular pasts (went) */
    US_INFL_PARTICIPLE, /* irregular past participles that differ (gone) */
    US_INFL_GERUND,     /* -ing */
    US_INFL_COMPARATIVE,
    US_INFL_SUPERLATIVE,
    US_INFL_POSSESSIVE, /* 's */
    US_INFL_COUNT
} us_infl;

#define US_LEMMA_MAX 64

typedef struct us_analysis {
    char lemma[US_LEMMA_MAX];
    us_infl infl;
} us_analysis;

/* Readings of `word` (lower case), most likely first, at most cap of them;
 * *n gets the count.  A word with no reading but itself gets one BASE
 * reading of itself. */
int us_morph_analyze(unspin_morph *m, const char *word, us_analysis *out,
                     size_t cap, size_t *n, unspin_error *err);

/* The forms of the single word `lemma` in class k (k != US_INFL_BASE),
 * as unspin_morph_inflect would give them for a word of that class:
 * irregular forms first, then the regular ones Hunspell accepts.  *out
 * gets none when the word has no such form (no plural of "ample").
 * Returns UNSPIN_OK, or an error code (out of memory). */
int us_morph_forms(unspin_morph *m, const char *lemma, us_infl k, unspin_wordlist *out,
                   unspin_error *err);

const char *us_infl_name(us_infl infl);

/* 1 when the dictionary knows the (lower-case) word only with a capital
 * ("joe" -> Joe, "biden"): a name, not a common word; 0 otherwise. */
int us_morph_is_proper(unspin_morph *m, const char *word);

#endif
