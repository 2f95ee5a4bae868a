/* Evasion signals inside words.  See evasion.h. */
#include "evasion.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

struct us_evasion_ctx {
    USpoofChecker *sc;
};

int us_is_invisible(UChar32 c)
{
    return c == 0x00AD ||                   /* soft hyphen */
           c == 0x034F ||                   /* combining grapheme joiner */
           c == 0x180E ||                   /* Mongolian vowel separator */
           (c >= 0x200B && c <= 0x200F) ||  /* zero width space/joiners, marks */
           (c >= 0x202A && c <= 0x202E) ||  /* bidi embeddings and overrides */
           (c >= 0x2060 && c <= 0x2064) ||  /* word joiner, invisible operators */
           (c >= 0x2066 && c <= 0x2069) ||  /* bidi isolates */
           c == 0xFEFF ||                   /* zero width no-break space */
           (c >= 0xFE00 && c <= 0xFE0F) ||  /* variation selectors */
           (c >= 0xE0100 && c <= 0xE01EF);  /* variation selectors supplement */
}

us_evasion_ctx *us_evasion_ctx_new(void)
{
    us_evasion_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    UErrorCode st = U_ZERO_ERROR;
    c->sc = uspoof_open(&st);
    if (U_SUCCESS(st))
        uspoof_setChecks(c->sc, USPOOF_CONFUSABLE, &st);
    if (U_FAILURE(st)) {
        uspoof_close(c->sc);
        c->sc = NULL;
    }
    return c;
}

void us_evasion_ctx_free(us_evasion_ctx *c)
{
    if (!c)
        return;
    uspoof_close(c->sc);
    free(c);
}

static int is_lookalike_script(UScriptCode s)
{
    return s == USCRIPT_CYRILLIC || s == USCRIPT_GREEK || s == USCRIPT_ARMENIAN ||
           s == USCRIPT_CHEROKEE;
}

/* The Latin letter(s) a single look-alike character stands for, from ICU's
 * confusables skeleton; 0 when it does not map to ASCII letters. */
static size_t latin_of(us_evasion_ctx *c, UChar32 ch, char *out, size_t cap)
{
    if (!c || !c->sc || cap < 8)
        return 0;
    char in[5];
    int32_t k = 0;
    UBool bad = 0;
    U8_APPEND((uint8_t *)in, k, 4, ch, bad);
    if (bad)
        return 0;
    char sk[16];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = uspoof_getSkeletonUTF8(c->sc, 0, in, k, sk, (int32_t)sizeof sk, &st);
    if (U_FAILURE(st) || n <= 0 || n >= (int32_t)cap)
        return 0;
    for (int32_t i = 0; i < n; i++)
        if (!((sk[i] >= 'a' && sk[i] <= 'z') || (sk[i] >= 'A' && sk[i] <= 'Z')))
            return 0;
    memcpy(out, sk, (size_t)n);
    return (size_t)n;
}

unsigned us_evasion_word(us_evasion_ctx *c, const char *s, size_t n, char *out, size_t cap,
                         size_t *out_len)
{
    size_t latin = 0, lookalike = 0;
    unsigned flags = 0;
    for (int32_t i = 0; (size_t)i < n;) {
        UChar32 ch;
        U8_NEXT(s, i, (int32_t)n, ch);
        if (ch < 0)
            continue;
        if (us_is_invisible(ch)) {
            flags |= UNSPIN_TOKF_INVISIBLE;
            continue;
        }
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(ch, &st);
        latin += sc == USCRIPT_LATIN;
        lookalike += is_lookalike_script(sc);
    }
    if (latin && lookalike)
        flags |= UNSPIN_TOKF_MIXED_SCRIPT;
    if (!flags || !out)
        return flags;
    /* The skeleton: drop invisibles; in a mixed word, replace look-alike
     * letters by their Latin prototypes.  Everything else stays. */
    size_t o = 0;
    for (int32_t i = 0; (size_t)i < n;) {
        int32_t start = i;
        UChar32 ch;
        U8_NEXT(s, i, (int32_t)n, ch);
        if (ch >= 0 && us_is_invisible(ch))
            continue;
        char lat[8];
        size_t k = 0;
        UErrorCode st = U_ZERO_ERROR;
        if (ch >= 0 && (flags & UNSPIN_TOKF_MIXED_SCRIPT) &&
            is_lookalike_script(uscript_getScript(ch, &st)))
            k = latin_of(c, ch, lat, sizeof lat);
        const char *src = k ? lat : s + start;
        size_t len = k ? k : (size_t)(i - start);
        if (o + len + 1 > cap)
            break;
        memcpy(out + o, src, len);
        o += len;
    }
    out[o] = '\0';
    *out_len = o;
    return flags;
}
