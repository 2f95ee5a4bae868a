/*
 * The learned vocabulary (see learned.h): per word of the model's learned
 * table ("spun<TAB>original<TAB>count<TAB>probability" lines, the
 * "learned" section), how many entries hold it on either side.  A small
 * open-addressing table keyed by vocabulary id; a table of a few thousand
 * entries takes well under a millisecond to read.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/common.h"
#include "learned.h"

static us_learned_word *slot_of(const us_learned_index *ix, uint32_t w)
{
    size_t mask = ix->cap - 1, h = ((uint64_t)(w + 1) * 0x9E3779B97F4A7C15ull) >> 32 & mask;
    while (ix->e[h].key && ix->e[h].key != w + 1)
        h = (h + 1) & mask;
    return &ix->e[h];
}

/* Room for one more word, keeping the table at most half full. */
static int reserve(us_learned_index *ix)
{
    if (2 * (ix->n + 1) <= ix->cap)
        return 0;
    us_learned_index old = *ix;
    ix->cap = old.cap ? 2 * old.cap : 1024;
    ix->e = calloc(ix->cap, sizeof *ix->e);
    if (!ix->e) {
        *ix = old;
        return -1;
    }
    for (size_t k = 0; k < old.cap; k++)
        if (old.e[k].key)
            *slot_of(ix, old.e[k].key - 1) = old.e[k];
    free(old.e);
    return 0;
}

/* Counts each distinct word of the phrase p[0, n) once on one side. */
static int count_words(const unspin_model *m, us_learned_index *ix, const char *p, size_t n,
                       int orig)
{
    uint32_t seen[8];
    size_t nseen = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && p[i] == ' ')
            i++;
        size_t start = i;
        while (i < n && p[i] != ' ')
            i++;
        if (i == start)
            break;
        uint32_t w = us_model_word(m, p + start, i - start);
        if (w == US_STR_NONE)
            continue;
        size_t k = 0;
        while (k < nseen && seen[k] != w)
            k++;
        if (k < nseen)
            continue;
        if (nseen < US_ARRAY_LEN(seen))
            seen[nseen++] = w;
        if (reserve(ix) != 0)
            return -1;
        us_learned_word *e = slot_of(ix, w);
        if (!e->key) {
            e->key = w + 1;
            ix->n++;
        }
        if (orig)
            e->orig++;
        else
            e->spun++;
    }
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
        if (count_words(m, ix, line, (size_t)(tab1 - line), 0) != 0 ||
            count_words(m, ix, tab1 + 1, (size_t)(tab2 - tab1 - 1), 1) != 0) {
            us_learned_index_free(ix);
            return -1;
        }
        ix->entries++;
    }
    m->learned_ix = ix;
    return 0;
}

void us_learned_index_free(us_learned_index *ix)
{
    if (!ix)
        return;
    free(ix->e);
    free(ix);
}

void us_learned_counts(const unspin_model *m, uint32_t w, uint32_t *orig, uint32_t *spun)
{
    uint32_t o = 0, s = 0;
    const us_learned_index *ix = m->learned_ix;
    if (ix && ix->n && w != US_STR_NONE) {
        const us_learned_word *e = slot_of(ix, w);
        o = e->orig;
        s = e->spun;
    }
    if (orig)
        *orig = o;
    if (spun)
        *spun = s;
}
