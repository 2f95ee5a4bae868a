/*
 * The learned vocabulary (see learned.h): per word of the model's learned
 * table ("spun<TAB>original<TAB>count<TAB>probability" lines, the
 * "learned" section), how many entries hold it on either side, by
 * vocabulary id (an id map); a table of a few thousand
 * entries takes well under a millisecond to read.
 */
#include <stdlib.h>
#include <string.h>

#include "../align/align.h"
#include "../util/common.h"
#include "learned.h"

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return (uint64_t)a << 32 | b;
}

/* Notes pair a b once more (counted in index_pairs).  Returns 0, or -1
 * when out of memory. */
static int add_pair(us_learned_index *ix, uint32_t a, uint32_t b)
{
    if (us_grow((void **)&ix->pair, &ix->pcap, ix->npairs + 1, sizeof *ix->pair))
        return -1;
    ix->pair[ix->npairs++] = pair_key(a, b);
    return 0;
}

/* The next word of phrase p[0, n) from *i on: returns where it starts and
 * leaves *i at its end (no word left: both are n). */
static size_t next_word(const char *p, size_t n, size_t *i)
{
    while (*i < n && p[*i] == ' ')
        (*i)++;
    size_t start = *i;
    while (*i < n && p[*i] != ' ')
        (*i)++;
    return start;
}

/* 1 when the content word p[0, n) is kept as written in the original
 * q[0, qn): the spinner left it ("bayesian" of "bayesian arrangement" <-
 * bayesian classification).  Function words are kept by any rewrite and
 * say nothing of either side, so they are never taken for kept. */
static int kept_word(const char *q, size_t qn, const char *p, size_t n)
{
    char w[16];
    if (n < sizeof w) {
        memcpy(w, p, n);
        w[n] = '\0';
        if (us_is_stopword(w))
            return 0;
    }
    for (size_t i = 0, start; (start = next_word(q, qn, &i)) < i;)
        if (i - start == n && memcmp(q + start, p, n) == 0)
            return 1;
    return 0;
}

/* Counts each distinct word of the phrase p[0, n) once on one side.  On
 * the spun side, a content word the original q[0, qn) keeps is left out:
 * it is no spinner's word, and counted as one it made terms of the list
 * ("bayesian", "covariance") look as often spun as original.  (make
 * tortured, five folds: flagged 48.9 -> 49.9 %, restored 26.3 -> 27.0 %,
 * false spans on the originals 3.19 -> 3.16 per 1,000 words; counting
 * function words kept as originals too, "the" and "to" became
 * originals and "into" <- to fired on the originals, 3.19 -> 3.46.) */
static int count_words(const unspin_model *m, us_learned_index *ix, const char *p, size_t n,
                       int orig, const char *q, size_t qn)
{
    uint32_t seen[8], prev = US_STR_NONE;
    size_t nseen = 0;
    for (size_t i = 0, start; (start = next_word(p, n, &i)) < i;) {
        uint32_t w = us_model_word(m, p + start, i - start);
        if (orig && prev != US_STR_NONE && w != US_STR_NONE && add_pair(ix, prev, w) != 0)
            return -1;
        prev = w;
        if (w == US_STR_NONE || (!orig && kept_word(q, qn, p + start, i - start)))
            continue;
        size_t k = 0;
        while (k < nseen && seen[k] != w)
            k++;
        if (k < nseen)
            continue;
        if (nseen < US_ARRAY_LEN(seen))
            seen[nseen++] = w;
        int added;
        if (us_grow((void **)&ix->w, &ix->wcap, ix->words.n + 1, sizeof *ix->w))
            return -1;
        uint32_t at = us_idmap_add(&ix->words, w, &added);
        if (at == US_IDMAP_NONE)
            return -1;
        us_learned_word *e = &ix->w[at];
        if (added)
            *e = (us_learned_word){0, 0};
        if (orig)
            e->orig++;
        else
            e->spun++;
    }
    return 0;
}

/* Adds original p[0, n) to the phrase list when it has two to
 * US_LEARNED_PHRASE_MAX words, all in the vocabulary (duplicates are
 * merged once all are read).  Returns 0, or -1 when out of memory. */
static int add_phrase(const unspin_model *m, us_learned_index *ix, const char *p, size_t n)
{
    us_learned_phrase ph;
    memset(&ph, 0, sizeof ph);
    for (size_t i = 0, start; (start = next_word(p, n, &i)) < i;) {
        if (ph.n == US_LEARNED_PHRASE_MAX)
            return 0;
        uint32_t w = us_model_word(m, p + start, i - start);
        if (w == US_STR_NONE)
            return 0;
        ph.w[ph.n++] = w;
    }
    if (ph.n < 2)
        return 0;
    ph.count = 1;
    if (us_grow((void **)&ix->ph, &ix->phcap, ix->nph + 1, sizeof *ix->ph))
        return -1;
    ix->ph[ix->nph++] = ph;
    return 0;
}

static int cmp_phrase(const void *a, const void *b)
{
    const us_learned_phrase *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    for (uint32_t k = 0; k < x->n; k++)
        if (x->w[k] != y->w[k])
            return x->w[k] < y->w[k] ? -1 : 1;
    return 0;
}

static int cmp_posting(const void *a, const void *b)
{
    const us_learned_posting *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->phrase > y->phrase) - (x->phrase < y->phrase);
}

static uint64_t posting_key(uint32_t w, unsigned pos, unsigned len)
{
    return (uint64_t)w << 8 | (uint64_t)(len & 15) << 4 | (pos & 15);
}

/* The first of the n records at base, stride bytes apart and each
 * starting with its uint64_t key, sorted by key, whose key is >= key
 * (n when none): the pair and posting look-ups. */
static size_t first_key(const void *base, size_t n, size_t stride, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k;
        memcpy(&k, (const char *)base + mid * stride, sizeof k);
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sorts the pairs noted and keeps each once, with how many times it was
 * noted.  0, or -1 when out of memory. */
static int index_pairs(us_learned_index *ix)
{
    if (!ix->npairs)
        return 0;
    qsort(ix->pair, ix->npairs, sizeof *ix->pair, us_cmp_u64);
    if (!(ix->pair_n = malloc(ix->npairs * sizeof *ix->pair_n)))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < ix->npairs; i++) {
        if (k && ix->pair[k - 1] == ix->pair[i]) {
            ix->pair_n[k - 1]++;
            continue;
        }
        ix->pair[k] = ix->pair[i];
        ix->pair_n[k++] = 1;
    }
    ix->npairs = k;
    return 0;
}

/* Merges the duplicates of the phrase list (their counts summed) and
 * indexes the phrases' words by position.  0, or -1 when out of memory. */
static int index_phrases(us_learned_index *ix)
{
    if (!ix->nph)
        return 0;
    qsort(ix->ph, ix->nph, sizeof *ix->ph, cmp_phrase);
    size_t k = 0, words = 0;
    for (size_t i = 0; i < ix->nph; i++) {
        if (k && cmp_phrase(&ix->ph[k - 1], &ix->ph[i]) == 0) {
            ix->ph[k - 1].count += ix->ph[i].count;
            continue;
        }
        ix->ph[k++] = ix->ph[i];
        words += ix->ph[i].n;
    }
    ix->nph = k;
    if (!(ix->post = malloc(words * sizeof *ix->post)))
        return -1;
    for (size_t i = 0; i < ix->nph; i++)
        for (uint32_t j = 0; j < ix->ph[i].n; j++)
            ix->post[ix->npost++] =
                (us_learned_posting){posting_key(ix->ph[i].w[j], j, ix->ph[i].n), (uint32_t)i};
    qsort(ix->post, ix->npost, sizeof *ix->post, cmp_posting);
    return 0;
}

int us_learned_index_build(unspin_model *m)
{
    m->learned_ix = NULL;
    us_learned_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return -1;
    const us_model_section *sec = us_model_file_find(&m->file, "learned");
    const char *p = sec ? (const char *)sec->data : NULL;
    size_t size = sec ? (size_t)sec->size : 0;
    for (size_t at = 0; at < size;) {
        const char *nl = memchr(p + at, '\n', size - at);
        size_t end = nl ? (size_t)(nl - p) : size;
        const char *line = p + at, *tab1, *tab2;
        size_t len = end - at;
        at = end + 1;
        if (len == 0 || line[0] == '#' || !(tab1 = memchr(line, '\t', len)) ||
            !(tab2 = memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - line))))
            continue;
        const char *orig = tab1 + 1;
        size_t norig = (size_t)(tab2 - orig);
        if (count_words(m, ix, line, (size_t)(tab1 - line), 0, orig, norig) != 0 ||
            count_words(m, ix, orig, norig, 1, NULL, 0) != 0 ||
            add_phrase(m, ix, orig, norig) != 0) {
            us_learned_index_free(ix);
            return -1;
        }
        ix->entries++;
    }
    if (index_pairs(ix) != 0 || index_phrases(ix) != 0) {
        us_learned_index_free(ix);
        return -1;
    }
    m->learned_ix = ix;
    return 0;
}

void us_learned_index_free(us_learned_index *ix)
{
    if (!ix)
        return;
    us_idmap_free(&ix->words);
    free(ix->w);
    free(ix->pair);
    free(ix->pair_n);
    free(ix->ph);
    free(ix->post);
    free(ix);
}

void us_learned_counts(const unspin_model *m, uint32_t w, uint32_t *orig, uint32_t *spun)
{
    uint32_t o = 0, s = 0;
    const us_learned_index *ix = m->learned_ix;
    uint32_t k = ix && w != US_STR_NONE ? us_idmap_find(&ix->words, w) : US_IDMAP_NONE;
    if (k != US_IDMAP_NONE) {
        o = ix->w[k].orig;
        s = ix->w[k].spun;
    }
    if (orig)
        *orig = o;
    if (spun)
        *spun = s;
}

uint32_t us_learned_pair(const unspin_model *m, uint32_t a, uint32_t b)
{
    const us_learned_index *ix = m->learned_ix;
    if (!ix || !ix->npairs || a == US_STR_NONE || b == US_STR_NONE)
        return 0;
    uint64_t key = pair_key(a, b);
    size_t at = first_key(ix->pair, ix->npairs, sizeof *ix->pair, key);
    return at < ix->npairs && ix->pair[at] == key ? ix->pair_n[at] : 0;
}

const us_learned_posting *us_learned_phrases_at(const unspin_model *m, uint32_t w, unsigned pos,
                                                unsigned len, size_t *n)
{
    const us_learned_index *ix = m->learned_ix;
    *n = 0;
    if (!ix || !ix->npost || w == US_STR_NONE || pos >= len || len > US_LEARNED_PHRASE_MAX)
        return NULL;
    uint64_t key = posting_key(w, pos, len);
    size_t lo = first_key(ix->post, ix->npost, sizeof *ix->post, key), end = lo;
    while (end < ix->npost && ix->post[end].key == key)
        end++;
    *n = end - lo;
    return *n ? ix->post + lo : NULL;
}

uint32_t us_learned_phrase_count(const unspin_model *m, const uint32_t *w, size_t n)
{
    size_t np;
    if (n < 2 || n > US_LEARNED_PHRASE_MAX)
        return 0;
    const us_learned_posting *post = us_learned_phrases_at(m, w[0], 0, (unsigned)n, &np);
    for (size_t k = 0; k < np; k++) {
        const us_learned_phrase *ph = &m->learned_ix->ph[post[k].phrase];
        if (memcmp(ph->w, w, n * sizeof *w) == 0)
            return ph->count;
    }
    return 0;
}
