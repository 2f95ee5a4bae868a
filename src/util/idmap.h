/*
 * A map from 32-bit ids (vocabulary ids, anything but UINT32_MAX) to dense
 * indexes 0, 1, 2, ... in order of first insertion: open addressing, at
 * most half full.  Callers keep what they store per id in an array of
 * their own, indexed by the dense index (grown with us_grow).  Zero it to
 * start.
 */
#ifndef UNSPIN_UTIL_IDMAP_H
#define UNSPIN_UTIL_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#define US_IDMAP_NONE UINT32_MAX

typedef struct us_idmap {
    uint32_t *key; /* id + 1; 0: empty */
    uint32_t *idx; /* dense index of the id in the same slot */
    size_t cap, n; /* slots (a power of two), ids */
} us_idmap;

/* Dense index of id, or US_IDMAP_NONE when it is not in the map. */
uint32_t us_idmap_find(const us_idmap *m, uint32_t id);

/* Dense index of id, which gets index m->n when new (*added = 1, when
 * added is not NULL); US_IDMAP_NONE when out of memory. */
uint32_t us_idmap_add(us_idmap *m, uint32_t id, int *added);

/* Empties the map, keeping its memory. */
void us_idmap_clear(us_idmap *m);
void us_idmap_free(us_idmap *m);

#endif
