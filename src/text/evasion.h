/*
 * Evasion signals inside words: letters of another script that look like
 * Latin ones ("Аpple" with a Cyrillic А) and invisible characters (zero
 * width spaces and joiners, soft hyphens, bidi controls, variation
 * selectors).  Internal to the text layer.
 */
#ifndef UNSPIN_EVASION_H
#define UNSPIN_EVASION_H

#include <stddef.h>

#include <unicode/utypes.h>

#include "../util/common.h"

/* 1 when c is an invisible or formatting character a word should not hold. */
int us_is_invisible(UChar32 c);

typedef struct us_evasion_ctx us_evasion_ctx;

/* A context holds ICU's spoof checker; NULL when it cannot be opened (then
 * mixed scripts are still found, but only folded where a table knows). */
us_evasion_ctx *us_evasion_ctx_new(void);
void us_evasion_ctx_free(us_evasion_ctx *c);

/* Examine the word s[0..n).  Returns UNSPIN_TOKF_MIXED_SCRIPT and/or
 * UNSPIN_TOKF_INVISIBLE.  When it returns non-zero and out is non-NULL,
 * out receives the word's skeleton: invisible characters dropped and
 * look-alike letters of another script replaced by the Latin letters they
 * imitate (NUL-terminated, at most cap bytes; *out_len its length). */
unsigned us_evasion_word(us_evasion_ctx *c, const char *s, size_t n, char *out, size_t cap,
                         size_t *out_len);

#endif
