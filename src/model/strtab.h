/*
 * A string table with a hash index, as stored in a model file: the
 * vocabulary (words) uses it.  Three arrays, each its own section:
 *   NAME.str    the strings, each NUL-terminated, back to back
 *   NAME.off    uint32 offset of string i in NAME.str
 *   NAME.hash   uint32 nslots, then nslots uint32 slots holding id + 1
 *               (0 = empty), linear probing from XXH3(string) mod nslots
 */
#ifndef UNSPIN_MODEL_STRTAB_H
#define UNSPIN_MODEL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "../util/common.h"

#define US_STR_NONE UINT32_MAX

/* Building: add strings in id order. */
typedef struct us_strtab_builder {
    char *str;
    size_t str_len, str_cap;
    uint32_t *off;
    size_t count, off_cap;
    uint32_t *slots;   /* live index while building, for lookups and dedup */
    size_t nslots;
} us_strtab_builder;

void us_strtab_builder_init(us_strtab_builder *b);
void us_strtab_builder_free(us_strtab_builder *b);
/* Id of s, adding it when new.  US_STR_NONE when out of memory or when s
 * holds a NUL byte. */
uint32_t us_strtab_add(us_strtab_builder *b, const char *s, size_t len);
uint32_t us_strtab_builder_find(const us_strtab_builder *b, const char *s, size_t len);
const char *us_strtab_builder_get(const us_strtab_builder *b, uint32_t id);
/* The hash section's bytes (malloc'd). */
int us_strtab_hash_section(const us_strtab_builder *b, void **out, size_t *size);

/* Reading: a view of the three sections. */
typedef struct us_strtab {
    const char *str;
    size_t str_len;
    const uint32_t *off;
    uint32_t count;
    const uint32_t *slots;
    uint32_t nslots;
} us_strtab;

int us_strtab_view(us_strtab *t, const char *name, const void *str, size_t str_size,
                   const void *off, size_t off_size, const void *hash, size_t hash_size,
                   unspin_error *err);
uint32_t us_strtab_find(const us_strtab *t, const char *s, size_t len);
const char *us_strtab_get(const us_strtab *t, uint32_t id);

#endif
