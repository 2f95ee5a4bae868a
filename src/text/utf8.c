/* UTF-8 validation and UTF-16 length counting. */
#include "utf8.h"

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is invalid
 * (bad lead byte, truncated, overlong, surrogate or above U+10FFFF). */
size_t us_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

int unspin_utf8_check(const char *str, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    if (!s && len)
        return UNSPIN_EINVAL;
    while (i < len) {
        /* ASCII fast path, eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        size_t k = us_utf8_seq_len(s + i, len - i);
        if (k == 0) {
            if (bad_offset)
                *bad_offset = i;
            return UNSPIN_EUTF8;
        }
        i += k;
    }
    return UNSPIN_OK;
}

size_t us_utf16_units(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t units = 0;
    for (size_t i = 0; i < len; i++) {
        /* Every byte that is not a continuation byte starts one code unit
         * (or stands for one U+FFFD); four-byte sequences need two. */
        if ((s[i] & 0xC0) != 0x80)
            units++;
        if (s[i] >= 0xF0)
            units++;
    }
    return units;
}
