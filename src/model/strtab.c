/* String tables with a hash index.  See strtab.h. */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

static inline uint32_t slot_of(const char *s, size_t len, uint32_t nslots)
{
    return (uint32_t)(XXH3_64bits(s, len) % nslots);
}

void us_strtab_builder_init(us_strtab_builder *b) { memset(b, 0, sizeof *b); }

void us_strtab_builder_free(us_strtab_builder *b)
{
    free(b->str);
    free(b->off);
    free(b->slots);
    memset(b, 0, sizeof *b);
}

const char *us_strtab_builder_get(const us_strtab_builder *b, uint32_t id)
{
    return id < b->count ? b->str + b->off[id] : NULL;
}

static uint32_t probe(const char *str, const uint32_t *off, const uint32_t *slots,
                      uint32_t nslots, const char *s, size_t len)
{
    if (nslots == 0)
        return US_STR_NONE;
    uint32_t h = slot_of(s, len, nslots);
    for (uint32_t i = 0; i < nslots; i++, h = h + 1 == nslots ? 0 : h + 1) {
        uint32_t v = slots[h];
        if (v == 0)
            return US_STR_NONE;
        const char *c = str + off[v - 1];
        if (strncmp(c, s, len) == 0 && c[len] == '\0')
            return v - 1;
    }
    return US_STR_NONE;
}

uint32_t us_strtab_builder_find(const us_strtab_builder *b, const char *s, size_t len)
{
    return probe(b->str, b->off, b->slots, (uint32_t)b->nslots, s, len);
}

/* Rebuild the live index with room for twice the strings. */
static int rehash(us_strtab_builder *b, size_t want)
{
    size_t n = want * 2 + 1;
    if (n > UINT32_MAX)
        return -1;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t id = 0; id < b->count; id++) {
        const char *s = b->str + b->off[id];
        uint32_t h = slot_of(s, strlen(s), (uint32_t)n);
        while (slots[h])
            h = h + 1 == n ? 0 : h + 1;
        slots[h] = id + 1;
    }
    free(b->slots);
    b->slots = slots;
    b->nslots = n;
    return 0;
}

uint32_t us_strtab_add(us_strtab_builder *b, const char *s, size_t len)
{
    if (memchr(s, '\0', len))
        return US_STR_NONE;
    uint32_t id = us_strtab_builder_find(b, s, len);
    if (id != US_STR_NONE)
        return id;
    if (b->count + 1 >= UINT32_MAX || b->str_len + len + 1 > UINT32_MAX)
        return US_STR_NONE;
    /* Grow to twice what is needed, so the index is rebuilt only each time
     * the count doubles (and stays at most half full). */
    if ((b->count + 1) * 2 > b->nslots &&
        rehash(b, b->count + 1 > 1024 ? 2 * (b->count + 1) : 1024))
        return US_STR_NONE;
    if (us_grow((void **)&b->str, &b->str_cap, b->str_len + len + 1, 1) ||
        us_grow((void **)&b->off, &b->off_cap, b->count + 1, sizeof *b->off))
        return US_STR_NONE;
    memcpy(b->str + b->str_len, s, len);
    b->str[b->str_len + len] = '\0';
    b->off[b->count] = (uint32_t)b->str_len;
    b->str_len += len + 1;
    id = (uint32_t)b->count++;
    uint32_t h = slot_of(s, len, (uint32_t)b->nslots);
    while (b->slots[h])
        h = h + 1 == b->nslots ? 0 : h + 1;
    b->slots[h] = id + 1;
    return id;
}

int us_strtab_hash_section(const us_strtab_builder *b, void **out, size_t *size)
{
    /* Stored at the builder's load (at most 1/2): short probes at look-up. */
    uint32_t n = (uint32_t)b->nslots;
    uint32_t *p = malloc(((size_t)n + 1) * sizeof *p);
    if (!p)
        return UNSPIN_ENOMEM;
    p[0] = n;
    if (n)
        memcpy(p + 1, b->slots, (size_t)n * sizeof *p);
    *out = p;
    *size = ((size_t)n + 1) * sizeof *p;
    return UNSPIN_OK;
}

int us_strtab_view(us_strtab *t, const char *name, const void *str, size_t str_size,
                   const void *off, size_t off_size, const void *hash, size_t hash_size,
                   unspin_error *err)
{
    memset(t, 0, sizeof *t);
    if (!str || !off || !hash || hash_size < 4 || off_size % 4 ||
        off_size / 4 >= UINT32_MAX || (str_size && ((const char *)str)[str_size - 1]))
        return us_fail(err, UNSPIN_EMODEL, "%s: string table missing or malformed", name);
    t->str = str;
    t->str_len = str_size;
    t->off = off;
    t->count = (uint32_t)(off_size / 4);
    const uint32_t *h = hash;
    t->nslots = h[0];
    t->slots = h + 1;
    if ((hash_size - 4) / 4 != t->nslots || t->nslots < t->count)
        return us_fail(err, UNSPIN_EMODEL, "%s: string index has a bad size", name);
    /* Every offset and slot must point inside: then look-ups stay in bounds. */
    for (uint32_t i = 0; i < t->count; i++)
        if (t->off[i] >= str_size)
            return us_fail(err, UNSPIN_EMODEL, "%s: string offset out of range", name);
    for (uint32_t i = 0; i < t->nslots; i++)
        if (t->slots[i] > t->count)
            return us_fail(err, UNSPIN_EMODEL, "%s: string index out of range", name);
    return UNSPIN_OK;
}

uint32_t us_strtab_find(const us_strtab *t, const char *s, size_t len)
{
    return probe(t->str, t->off, t->slots, t->nslots, s, len);
}

const char *us_strtab_get(const us_strtab *t, uint32_t id)
{
    return id < t->count ? t->str + t->off[id] : NULL;
}
