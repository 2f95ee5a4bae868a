/*
 * fuzz_html: HTML extraction (unspin_extract_html), then the extracted
 * text through the tokenizer.
 *
 * Invariants: the call succeeds, or fails with ETOOBIG, ENOMEM or EINVAL
 * (HTML libxml2 cannot parse), no text and a message;
 * the text is NUL-terminated at text_len, holds no NUL byte, ends with a
 * line break unless it is empty, is valid UTF-8 (invalid bytes in the page
 * become U+FFFD: tests/fuzz/regress/html/invalid-utf8-output.html), and
 * tokenizes.
 */
#include <string.h>

#include "fuzz.h"
#include "unspin.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char empty[1];
    const char *html = data ? (const char *)data : empty;
    char *text = NULL;
    size_t len = (size_t)-1;
    unspin_error err;
    int rc = unspin_extract_html(html, size, &text, &len, &err);
    if (rc != UNSPIN_OK) {
        /* EINVAL: libxml2 gave up (e.g. "<\0\0\0" read as UCS-4 that
         * does not convert: tests/fuzz/regress/html/encoding-error.html). */
        FUZZ_CHECK(rc == UNSPIN_ETOOBIG || rc == UNSPIN_ENOMEM || rc == UNSPIN_EINVAL);
        FUZZ_CHECK(text == NULL && err.code == rc && err.message[0]);
        free(text);
        return 0;
    }
    FUZZ_CHECK(text != NULL && len != (size_t)-1 && text[len] == '\0');
    FUZZ_CHECK(strlen(text) == len);
    FUZZ_CHECK(len == 0 || text[len - 1] == '\n');
    size_t bad;
    if (unspin_utf8_check(text, len, &bad) != UNSPIN_OK) {
        fprintf(stderr, "fuzz_html: invalid UTF-8 at byte %zu of the text\n", bad);
        FUZZ_CHECK(!"extracted text is valid UTF-8");
    }
    unspin_text *t = NULL;
    rc = unspin_text_new(text, len, 0, &t, &err);
    FUZZ_CHECK(rc == UNSPIN_OK || rc == UNSPIN_ENOMEM);
    unspin_text_free(t);
    free(text);
    return 0;
}
