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

/* An original as read from one entry, with a hash of the spun word in
 * place of each of its words (0: none, the word kept or the spun form
 * of another length), before the duplicates are merged. */
typedef struct raw_phrase {
    us_learned_phrase ph;
    uint64_t spun[US_LEARNED_PHRASE_MAX];
} raw_phrase;

typedef struct raw_phrases {
    raw_phrase *r;
    size_t n, cap;
} raw_phrases;

/* FNV-1a of p[0, n), never 0. */
static uint64_t word_hash(const char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h ? h : 1;
}

/* Adds original p[0, n), spun as s[0, sn), to the phrase list when it
 * has two to US_LEARNED_PHRASE_MAX words, all in the vocabulary
 * (duplicates are merged once all are read).  Returns 0, or -1 when out
 * of memory. */
static int add_phrase(const unspin_model *m, raw_phrases *raw, const char *p, size_t n,
                      const char *s, size_t sn)
{
    raw_phrase r;
    memset(&r, 0, sizeof r);
    us_learned_phrase *ph = &r.ph;
    size_t ostart[US_LEARNED_PHRASE_MAX], olen[US_LEARNED_PHRASE_MAX];
    for (size_t i = 0, start; (start = next_word(p, n, &i)) < i;) {
        if (ph->n == US_LEARNED_PHRASE_MAX)
            return 0;
        uint32_t w = us_model_word(m, p + start, i - start);
        if (w == US_STR_NONE)
            return 0;
        ostart[ph->n] = start;
        olen[ph->n] = i - start;
        ph->w[ph->n++] = w;
    }
    if (ph->n < 2)
        return 0;
    ph->count = 1;
    /* the spun words word for word, when there are as many */
    uint64_t h[US_LEARNED_PHRASE_MAX] = {0};
    size_t k = 0;
    for (size_t i = 0, start; (start = next_word(s, sn, &i)) < i; k++) {
        if (k == ph->n) {
            k++; /* more words */
            break;
        }
        size_t len = i - start;
        h[k] = len == olen[k] && memcmp(s + start, p + ostart[k], len) == 0
                   ? 0
                   : word_hash(s + start, len);
    }
    if (k == ph->n)
        memcpy(r.spun, h, sizeof h);
    if (us_grow((void **)&raw->r, &raw->cap, raw->n + 1, sizeof *raw->r))
        return -1;
    raw->r[raw->n++] = r;
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

/* How many distinct nonzero hashes position q holds in raw phrases
 * r[0, n), sorted in tmp (room for n). */
static uint32_t distinct_forms(const raw_phrase *r, size_t n, size_t q, uint64_t *tmp)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].spun[q])
            tmp[k++] = r[i].spun[q];
    qsort(tmp, k, sizeof *tmp, us_cmp_u64);
    uint32_t forms = 0;
    for (size_t i = 0; i < k; i++)
        forms += i == 0 || tmp[i] != tmp[i - 1];
    return forms;
}

/* Fills in the phrases' frame counts: per position q, the phrases are
 * sorted with the word at q blanked out, and each run of equal ones is a
 * frame.  0, or -1 when out of memory. */
static int count_frames(us_learned_index *ix)
{
    us_learned_phrase *key = malloc(ix->nph * sizeof *key);
    if (!key)
        return -1;
    for (uint32_t q = 0; q < US_LEARNED_PHRASE_MAX; q++) {
        size_t nk = 0;
        for (size_t i = 0; i < ix->nph; i++) {
            if (ix->ph[i].n <= q)
                continue;
            key[nk] = ix->ph[i];
            key[nk].w[q] = US_STR_NONE;
            key[nk++].count = (uint32_t)i; /* (the phrase it stands for) */
        }
        qsort(key, nk, sizeof *key, cmp_phrase);
        for (size_t i = 0, end; i < nk; i = end) {
            for (end = i + 1; end < nk && cmp_phrase(&key[i], &key[end]) == 0; end++)
                ;
            for (size_t j = i; j < end; j++)
                ix->ph[key[j].count].frame[q] = (uint32_t)(end - i);
        }
    }
    free(key);
    return 0;
}

/* Merges the duplicates of the phrase list raw into ix->ph (their counts
 * summed, the distinct spun words per position counted) and indexes the
 * phrases' words by position.  0, or -1 when out of memory. */
static int index_phrases(us_learned_index *ix, raw_phrases *raw)
{
    if (!raw->n)
        return 0;
    /* (the phrase comes first in a raw one: sorted as phrases) */
    qsort(raw->r, raw->n, sizeof *raw->r, cmp_phrase);
    uint64_t *tmp = malloc(raw->n * sizeof *tmp);
    if (!tmp || !(ix->ph = malloc(raw->n * sizeof *ix->ph))) {
        free(tmp);
        return -1;
    }
    ix->phcap = raw->n;
    size_t k = 0, words = 0;
    for (size_t i = 0, end; i < raw->n; i = end) {
        us_learned_phrase *ph = &ix->ph[k++];
        *ph = raw->r[i].ph;
        for (end = i + 1; end < raw->n && cmp_phrase(&raw->r[i].ph, &raw->r[end].ph) == 0; end++)
            ph->count += raw->r[end].ph.count;
        for (uint32_t q = 0; q < ph->n; q++)
            ph->forms[q] = distinct_forms(raw->r + i, end - i, q, tmp);
        words += ph->n;
    }
    free(tmp);
    ix->nph = k;
    if (count_frames(ix) != 0)
        return -1;
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
    raw_phrases raw = {NULL, 0, 0};
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
            add_phrase(m, &raw, orig, norig, line, (size_t)(tab1 - line)) != 0) {
            free(raw.r);
            us_learned_index_free(ix);
            return -1;
        }
        ix->entries++;
    }
    int rc = index_pairs(ix) != 0 || index_phrases(ix, &raw) != 0;
    free(raw.r);
    if (rc) {
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
