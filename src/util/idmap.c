/* The id map (see idmap.h). */
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

static size_t slot_of(const uint32_t *key, size_t cap, uint32_t id)
{
    size_t mask = cap - 1, h = ((uint64_t)(id + 1) * 0x9E3779B97F4A7C15ull) >> 32 & mask;
    while (key[h] && key[h] != id + 1)
        h = (h + 1) & mask;
    return h;
}

uint32_t us_idmap_find(const us_idmap *m, uint32_t id)
{
    if (!m->n)
        return US_IDMAP_NONE;
    size_t h = slot_of(m->key, m->cap, id);
    return m->key[h] ? m->idx[h] : US_IDMAP_NONE;
}

/* Room for one more id, keeping the table at most half full. */
static int reserve(us_idmap *m)
{
    if (2 * (m->n + 1) <= m->cap)
        return 0;
    size_t cap = m->cap ? 2 * m->cap : 256;
    uint32_t *key = calloc(cap, sizeof *key), *idx = malloc(cap * sizeof *idx);
    if (!key || !idx) {
        free(key);
        free(idx);
        return -1;
    }
    for (size_t k = 0; k < m->cap; k++)
        if (m->key[k]) {
            size_t h = slot_of(key, cap, m->key[k] - 1);
            key[h] = m->key[k];
            idx[h] = m->idx[k];
        }
    free(m->key);
    free(m->idx);
    m->key = key;
    m->idx = idx;
    m->cap = cap;
    return 0;
}

uint32_t us_idmap_add(us_idmap *m, uint32_t id, int *added)
{
    if (added)
        *added = 0;
    if (reserve(m) != 0)
        return US_IDMAP_NONE;
    size_t h = slot_of(m->key, m->cap, id);
    if (!m->key[h]) {
        m->key[h] = id + 1;
        m->idx[h] = (uint32_t)m->n++;
        if (added)
            *added = 1;
    }
    return m->idx[h];
}

void us_idmap_clear(us_idmap *m)
{
    if (m->key)
        memset(m->key, 0, m->cap * sizeof *m->key);
    m->n = 0;
}

void us_idmap_free(us_idmap *m)
{
    free(m->key);
    free(m->idx);
    memset(m, 0, sizeof *m);
}
