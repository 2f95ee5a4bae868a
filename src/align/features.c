/*
 * Sentence features for the aligner's similarity.
 *
 * A spinner swaps words for synonyms but leaves names, numbers and most
 * content words alone, and it changes function words freely ("since" ->
 * "for the reason that", "both" -> "each").  So a sentence is described by
 * its content-word types (stopwords left out, possessive 's dropped) and by
 * the character 4-grams of those words, padded with ^ and $, which match
 * inflected and derived forms ("recalled"/"recall", "posts"/"post").  Both
 * are sets of 64-bit hashes; similarity is the mean of the two Dice
 * coefficients, so it is 1 for sentences with the same content words and
 * falls toward 0 as they share fewer.
 */
#include <stdlib.h>
#include <string.h>

#include "align.h"

/* Function words, sorted for bsearch.  Numbers written as words stay
 * content: "two" against "2" is one of the things a spinner does. */
static const char *const STOPWORDS[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "during", "each", "either", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
    "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "much", "must", "my", "myself",
    "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
    "other", "our", "ours", "ourselves", "out", "over", "own", "same", "shall",
    "she", "should", "since", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this",
    "those", "through", "thus", "to", "too", "under", "until", "up", "upon", "very",
    "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "would", "yet", "you", "your",
    "yours",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int us_is_stopword(const char *norm)
{
    return bsearch(&norm, STOPWORDS, US_ARRAY_LEN(STOPWORDS), sizeof STOPWORDS[0],
                   cmp_str) != NULL;
}

/* FNV-1a, 64 bits, with a leading tag byte so words and grams never meet. */
static uint64_t hash_bytes(char tag, const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = (h ^ (unsigned char)tag) * 0x100000001b3ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* A growing vector of hashes, turned into a set at the end. */
typedef struct hvec {
    uint64_t *h;
    size_t n, cap;
} hvec;

static int hvec_push(hvec *v, uint64_t h)
{
    if (us_grow((void **)&v->h, &v->cap, v->n + 1, sizeof *v->h) != 0)
        return -1;
    v->h[v->n++] = h;
    return 0;
}

/* Sort and dedupe v into a set; v's buffer moves into the set. */
static void hvec_to_set(hvec *v, us_fset *out)
{
    if (v->n)
        qsort(v->h, v->n, sizeof *v->h, us_cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++)
        if (k == 0 || v->h[k - 1] != v->h[i])
            v->h[k++] = v->h[i];
    out->h = v->h;
    out->n = k;
    v->h = NULL;
    v->n = v->cap = 0;
}

/* The word's length without a possessive 's ("russia's" -> "russia"). */
static size_t stem_length(const char *s, size_t n)
{
    if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's')
        return n - 2;
    return n;
}

/* Byte length of the UTF-8 sequence starting with lead byte c (1 when it
 * is not a lead byte, so that any input moves on). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Hash every window of 4 characters of "^word$" (the whole padded word
 * when it is shorter). */
static int add_grams(hvec *v, const char *s, size_t n)
{
    char buf[256];
    if (n > sizeof buf - 2)
        n = sizeof buf - 2; /* very long "words": the grams of their start do */
    buf[0] = '^';
    memcpy(buf + 1, s, n);
    buf[n + 1] = '$';
    size_t len = n + 2;
    size_t starts[sizeof buf]; /* byte offset of each character */
    size_t nc = 0;
    for (size_t i = 0; i < len; i += seq_len((unsigned char)buf[i]))
        starts[nc++] = i;
    if (nc <= 4)
        return hvec_push(v, hash_bytes('g', buf, len));
    for (size_t c = 0; c + 4 <= nc; c++) {
        size_t end = c + 4 < nc ? starts[c + 4] : len;
        if (hvec_push(v, hash_bytes('g', buf + starts[c], end - starts[c])) != 0)
            return -1;
    }
    return 0;
}

static int wordlike(const unspin_token *k)
{
    return k->kind == UNSPIN_TOKEN_WORD || k->kind == UNSPIN_TOKEN_NUMBER;
}

/* Features of tokens [first, end).  Content words only, unless the unit
 * has none ("It is what it is."): then every word counts, so that such
 * sentences can still be matched. */
static int unit_features(us_unit *u, const unspin_token *tok)
{
    hvec words = {0}, grams = {0};
    int rc = UNSPIN_OK;
    for (int pass = 0; pass < 2 && words.n == 0 && rc == UNSPIN_OK; pass++) {
        for (size_t i = u->first_tok; i < u->end_tok; i++) {
            const unspin_token *k = &tok[i];
            if (!wordlike(k) || (pass == 0 && us_is_stopword(k->norm)))
                continue;
            size_t n = stem_length(k->norm, k->norm_len);
            if (hvec_push(&words, hash_bytes('w', k->norm, n)) != 0 ||
                add_grams(&grams, k->norm, n) != 0) {
                rc = UNSPIN_ENOMEM;
                break;
            }
        }
    }
    hvec_to_set(&words, &u->words);
    hvec_to_set(&grams, &u->grams);
    return rc;
}

void us_side_free(us_side *s)
{
    for (size_t i = 0; s->units && i < s->n; i++) {
        free(s->units[i].words.h);
        free(s->units[i].grams.h);
    }
    free(s->units);
    s->units = NULL;
    s->n = 0;
}

int us_side_build(us_side *s, const unspin_text *text, int whole)
{
    const unspin_sentence *sent = unspin_text_sentences(text);
    const unspin_token *tok = unspin_text_tokens(text);
    size_t ns = unspin_text_sentence_count(text);
    s->text = text;
    s->n = 0;
    s->units = calloc(ns ? ns : 1, sizeof *s->units);
    if (!s->units)
        return UNSPIN_ENOMEM;
    for (size_t i = 0; i < (whole ? (ns > 0) : ns); i++) {
        size_t a = sent[i].first_token, has_word = 0;
        size_t b = whole ? unspin_text_token_count(text) : a + sent[i].token_count;
        while (a < b && tok[a].kind == UNSPIN_TOKEN_SPACE)
            a++;
        while (b > a && tok[b - 1].kind == UNSPIN_TOKEN_SPACE)
            b--;
        for (size_t k = a; k < b && !has_word; k++)
            has_word = wordlike(&tok[k]);
        if (!has_word)
            continue;
        us_unit *u = &s->units[s->n++];
        u->sentence = i;
        u->first_tok = a;
        u->end_tok = b;
        if (unit_features(u, tok) != UNSPIN_OK) {
            us_side_free(s);
            return UNSPIN_ENOMEM;
        }
    }
    return UNSPIN_OK;
}

/* ---------------------------------------------------------------- */
/* Set arithmetic on sorted hash arrays                              */

/* Walks the union of one or two sets in order, each value once. */
typedef struct union_it {
    const us_fset *x, *y; /* y may be NULL */
    size_t i, j;
} union_it;

static int union_next(union_it *it, uint64_t *v)
{
    int hx = it->i < it->x->n, hy = it->y && it->j < it->y->n;
    if (!hx && !hy)
        return 0;
    uint64_t a = hx ? it->x->h[it->i] : UINT64_MAX, b = hy ? it->y->h[it->j] : UINT64_MAX;
    if (hx && (!hy || a <= b)) {
        *v = a;
        it->i++;
        if (hy && a == b)
            it->j++;
    } else {
        *v = b;
        it->j++;
    }
    return 1;
}

static int contains(const us_fset *s, uint64_t v)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->h[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->h[lo] == v;
}

/* Dice coefficient of (x1 u x2) and (y1 u y2): 2|X n Y| / (|X| + |Y|). */
static double dice(const us_fset *x1, const us_fset *x2, const us_fset *y1,
                   const us_fset *y2)
{
    union_it a = {x1, x2, 0, 0}, b = {y1, y2, 0, 0};
    size_t na = 0, nb = 0, common = 0;
    uint64_t va = 0, vb = 0;
    int ha = union_next(&a, &va), hb = union_next(&b, &vb);
    while (ha || hb) {
        if (ha && (!hb || va < vb)) {
            na++;
            ha = union_next(&a, &va);
        } else if (hb && (!ha || vb < va)) {
            nb++;
            hb = union_next(&b, &vb);
        } else {
            na++, nb++, common++;
            ha = union_next(&a, &va);
            hb = union_next(&b, &vb);
        }
    }
    return na + nb ? 2.0 * (double)common / (double)(na + nb) : 0.0;
}

double us_group_similarity(const us_unit *a1, const us_unit *a2, const us_unit *b1,
                           const us_unit *b2)
{
    double w = dice(&a1->words, a2 ? &a2->words : NULL, &b1->words, b2 ? &b2->words : NULL);
    double g = dice(&a1->grams, a2 ? &a2->grams : NULL, &b1->grams, b2 ? &b2->grams : NULL);
    return (w + g) / 2;
}

static double fresh(const us_fset *x, const us_fset *but_not, const us_fset *in)
{
    size_t k = 0;
    for (size_t i = 0; i < x->n; i++)
        k += !contains(but_not, x->h[i]) && contains(in, x->h[i]);
    return x->n ? (double)k / (double)x->n : 0.0;
}

double us_fresh_share(const us_unit *x, const us_unit *but_not, const us_unit *in)
{
    return (fresh(&x->words, &but_not->words, &in->words) +
            fresh(&x->grams, &but_not->grams, &in->grams)) / 2;
}

int us_units_share_word(const us_unit *a, const us_unit *b)
{
    size_t i = 0, j = 0;
    while (i < a->words.n && j < b->words.n) {
        if (a->words.h[i] == b->words.h[j])
            return 1;
        if (a->words.h[i] < b->words.h[j])
            i++;
        else
            j++;
    }
    return 0;
}
