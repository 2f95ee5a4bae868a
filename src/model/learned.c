/*
 * The learned vocabulary (see learned.h): per word of the model's learned
 * table ("spun<TAB>original<TAB>count<TAB>probability" lines, the
 * "learned" section), how many entries hold it on either side, by
 * vocabulary id (an id map); a table of a few thousand
 * entries takes well under a millisecond to read.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/common.h"
#include "learned.h"

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
    us_idmap_free(&ix->words);
    free(ix->w);
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
