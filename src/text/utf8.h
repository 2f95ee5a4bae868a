/* UTF-8 helpers for the text layer. Internal. */
#ifndef UNSPIN_UTF8_H
#define UNSPIN_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../util/common.h"

/* Length of the valid sequence at s (n bytes available), 0 if invalid. */
size_t us_utf8_seq_len(const unsigned char *s, size_t n);

/* UTF-16 code units needed for len bytes of valid UTF-8. */
size_t us_utf16_units(const char *s, size_t len);

#endif
