/*
 * fuzz_text: the tokenizer and sentence splitter (unspin_text_new), with and
 * without UNSPIN_TEXT_REPLACE_INVALID, and unspin_normalize.
 *
 * Invariants checked on every input:
 *  - unspin_utf8_check agrees with an independent UTF-8 validator (same
 *    verdict, same first bad byte); without the flag invalid input is
 *    UNSPIN_EUTF8 and valid input tokenizes;
 *  - tokens tile the input from the start (after a byte-order mark) to the
 *    end, each non-empty, each starting and ending on a code point (or an
 *    invalid byte);
 *  - UTF-16 offsets are monotone and equal an independent count of the
 *    bytes before them (a BOM counts one unit, an invalid byte one unit);
 *  - a token holding invalid bytes is flagged REPLACED and of kind OTHER,
 *    and only such tokens are; kinds, shapes and flags are in range; every
 *    normalized form is NUL-terminated at norm_len;
 *  - sentences tile the tokens in order, with matching offsets, and each
 *    token's sentence index names the sentence that holds it.
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

static void check_text(const unsigned char *data, size_t size, unsigned flags,
                       const unsigned char *starts, size_t units, size_t first_bad)
{
    int valid = first_bad == (size_t)-1;
    unspin_text *t = NULL;
    unspin_error err;
    int rc = unspin_text_new((const char *)data, size, flags, &t, &err);
    if (!valid && !(flags & UNSPIN_TEXT_REPLACE_INVALID)) {
        FUZZ_CHECK(rc == UNSPIN_EUTF8 && t == NULL && err.code == UNSPIN_EUTF8);
        return;
    }
    if (rc == UNSPIN_ENOMEM)
        return;
    if (rc != UNSPIN_OK)
        fprintf(stderr, "unspin_text_new: %s\n", err.message);
    FUZZ_CHECK(rc == UNSPIN_OK && t != NULL);

    size_t dlen = 0;
    const char *d = unspin_text_data(t, &dlen);
    FUZZ_CHECK(dlen == size && (size == 0 || memcmp(d, data, size) == 0));

    size_t from = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t n = unspin_text_token_count(t);
    const unspin_token *tok = unspin_text_tokens(t);
    FUZZ_CHECK((n == 0) == (size == from));
    size_t pos = from, u16 = from ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const unspin_token *k = &tok[i];
        FUZZ_CHECK(k->start == pos && k->end > k->start && k->end <= size);
        FUZZ_CHECK(starts[k->start] && starts[k->end]);
        size_t bad_in;
        size_t w = fuzz_utf16(data + k->start, k->end - k->start, NULL, &bad_in);
        FUZZ_CHECK(k->start16 == u16);
        u16 += w;
        FUZZ_CHECK(k->end16 == u16);
        FUZZ_CHECK((unsigned)k->kind <= UNSPIN_TOKEN_OTHER);
        FUZZ_CHECK((unsigned)k->shape <= UNSPIN_CASE_MIXED);
        FUZZ_CHECK((k->flags & ~0x3Fu) == 0);
        int replaced = (k->flags & UNSPIN_TOKF_REPLACED) != 0;
        FUZZ_CHECK(replaced == (bad_in != (size_t)-1));
        if (replaced)
            FUZZ_CHECK(k->kind == UNSPIN_TOKEN_OTHER);
        FUZZ_CHECK(k->norm != NULL && k->norm[k->norm_len] == '\0');
        FUZZ_CHECK(unspin_token_kind_name(k->kind) && unspin_case_name(k->shape));
        pos = k->end;
    }
    FUZZ_CHECK(n == 0 || (pos == size && u16 == units));

    size_t ns = unspin_text_sentence_count(t);
    const unspin_sentence *s = unspin_text_sentences(t);
    FUZZ_CHECK((ns == 0) == (n == 0));
    size_t next = 0;
    for (size_t j = 0; j < ns; j++) {
        FUZZ_CHECK(s[j].first_token == next && s[j].token_count > 0);
        size_t last = next + s[j].token_count - 1;
        FUZZ_CHECK(last < n);
        FUZZ_CHECK(s[j].start == tok[next].start && s[j].end == tok[last].end);
        FUZZ_CHECK(s[j].start16 == tok[next].start16 && s[j].end16 == tok[last].end16);
        for (size_t i = next; i <= last; i++)
            FUZZ_CHECK(tok[i].sentence == j);
        next = last + 1;
    }
    FUZZ_CHECK(next == n);
    unspin_text_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char empty[1];
    if (!data)
        data = empty;
    unsigned char *starts = calloc(size + 1, 1);
    if (!starts)
        return 0;
    size_t first_bad;
    size_t units = fuzz_utf16(data, size, starts, &first_bad);

    size_t bad = 0;
    int rc = unspin_utf8_check((const char *)data, size, &bad);
    FUZZ_CHECK((rc == UNSPIN_OK) == (first_bad == (size_t)-1));
    if (rc != UNSPIN_OK)
        FUZZ_CHECK(rc == UNSPIN_EUTF8 && bad == first_bad);

    check_text(data, size, 0, starts, units, first_bad);
    check_text(data, size, UNSPIN_TEXT_REPLACE_INVALID, starts, units, first_bad);

    size_t nlen = 0;
    unspin_error err;
    char *norm = unspin_normalize((const char *)data, size, &nlen, &err);
    if (first_bad == (size_t)-1 && size < 4096)
        FUZZ_CHECK(norm != NULL && norm[nlen] == '\0');
    free(norm);
    free(starts);
    return 0;
}
