/* Unit tests of the text layer: tokens, offsets, kinds, shapes, norms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unspin.h"

static unspin_text *tokenize(const char *s, size_t len, unsigned flags)
{
    unspin_text *t = NULL;
    unspin_error err;
    int rc = unspin_text_new(s, len, flags, &t, &err);
    if (rc != UNSPIN_OK)
        fail_msg("unspin_text_new: %s", err.message);
    return t;
}

/* The index of the first token whose text is `word`, or fail. */
static const unspin_token *find(const unspin_text *t, const char *word)
{
    size_t len, n = unspin_text_token_count(t);
    const char *data = unspin_text_data(t, &len);
    const unspin_token *k = unspin_text_tokens(t);
    for (size_t i = 0; i < n; i++)
        if (k[i].end - k[i].start == strlen(word) &&
            memcmp(data + k[i].start, word, strlen(word)) == 0)
            return &k[i];
    fail_msg("no token '%s'", word);
    return NULL;
}

static void assert_token(const unspin_token *k, size_t start, size_t end,
                         size_t s16, size_t e16, unspin_token_kind kind,
                         unspin_case shape, const char *norm)
{
    assert_int_equal(k->start, start);
    assert_int_equal(k->end, end);
    assert_int_equal(k->start16, s16);
    assert_int_equal(k->end16, e16);
    assert_int_equal(k->kind, kind);
    assert_int_equal(k->shape, shape);
    assert_string_equal(k->norm, norm);
    assert_int_equal(k->norm_len, strlen(norm));
}

static void test_plain_sentence(void **state)
{
    (void)state;
    const char *s = "Both men were recalled this spring.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    assert_int_equal(unspin_text_token_count(t), 12);
    assert_int_equal(unspin_text_sentence_count(t), 1);
    assert_token(find(t, "Both"), 0, 4, 0, 4, UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE, "both");
    assert_token(find(t, " "), 4, 5, 4, 5, UNSPIN_TOKEN_SPACE, UNSPIN_CASE_NONE, " ");
    assert_token(find(t, "spring"), 28, 34, 28, 34, UNSPIN_TOKEN_WORD, UNSPIN_CASE_LOWER,
                 "spring");
    assert_token(find(t, "."), 34, 35, 34, 35, UNSPIN_TOKEN_PUNCT, UNSPIN_CASE_NONE, ".");
    unspin_text_free(t);
}

static void test_curly_quotes_and_apostrophes(void **state)
{
    (void)state;
    /* “ and ” are 3 bytes, 1 UTF-16 unit each. */
    const char *s = "He didn\xE2\x80\x99t say \xE2\x80\x9Cno\xE2\x80\x9D.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    const unspin_token *k = find(t, "didn\xE2\x80\x99t");
    assert_token(k, 3, 11, 3, 9, UNSPIN_TOKEN_WORD, UNSPIN_CASE_LOWER, "didn't");
    assert_true(k->flags & UNSPIN_TOKF_APOSTROPHE);
    assert_token(find(t, "\xE2\x80\x9C"), 16, 19, 14, 15, UNSPIN_TOKEN_PUNCT,
                 UNSPIN_CASE_NONE, "\"");
    assert_token(find(t, "no"), 19, 21, 15, 17, UNSPIN_TOKEN_WORD, UNSPIN_CASE_LOWER, "no");
    unspin_text_free(t);
}

static void test_abbreviations_and_sentences(void **state)
{
    (void)state;
    const char *s = "Mr. Biden met Putin in the U.S. on Wednesday. Then he left.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    const unspin_token *mr = find(t, "Mr.");
    assert_token(mr, 0, 3, 0, 3, UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE, "mr.");
    assert_true(mr->flags & UNSPIN_TOKF_ABBREV);
    const unspin_token *us = find(t, "U.S.");
    assert_token(us, 27, 31, 27, 31, UNSPIN_TOKEN_WORD, UNSPIN_CASE_UPPER, "u.s.");
    assert_true(us->flags & UNSPIN_TOKF_ABBREV);
    /* "Mr." does not end a sentence; the full stop after Wednesday does. */
    assert_int_equal(unspin_text_sentence_count(t), 2);
    const unspin_sentence *sent = unspin_text_sentences(t);
    assert_int_equal(sent[0].start, 0);
    assert_int_equal(find(t, "Wednesday")->sentence, 0);
    assert_int_equal(find(t, "Then")->sentence, 1);
    assert_int_equal(sent[1].start, 46);
    assert_int_equal(sent[1].end, strlen(s));
    unspin_text_free(t);
}

static void test_numbers_money_hyphens(void **state)
{
    (void)state;
    const char *s = "A $11 million deal for 5,500 Russian-based firms.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    assert_token(find(t, "$"), 2, 3, 2, 3, UNSPIN_TOKEN_OTHER, UNSPIN_CASE_NONE, "$");
    assert_token(find(t, "11"), 3, 5, 3, 5, UNSPIN_TOKEN_NUMBER, UNSPIN_CASE_NONE, "11");
    assert_token(find(t, "5,500"), 23, 28, 23, 28, UNSPIN_TOKEN_NUMBER, UNSPIN_CASE_NONE,
                 "5,500");
    const unspin_token *h = find(t, "Russian-based");
    assert_token(h, 29, 42, 29, 42, UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE, "russian-based");
    assert_true(h->flags & UNSPIN_TOKF_HYPHENATED);
    /* A spaced dash is punctuation, not a joiner. */
    unspin_text_free(t);
    const char *d = "war - peace";
    t = tokenize(d, strlen(d), 0);
    assert_int_equal(find(t, "-")->kind, UNSPIN_TOKEN_PUNCT);
    unspin_text_free(t);
}

static void test_case_shapes(void **state)
{
    (void)state;
    const char *s = "NATO iPhone McDonald Attack attack I";
    unspin_text *t = tokenize(s, strlen(s), 0);
    assert_int_equal(find(t, "NATO")->shape, UNSPIN_CASE_UPPER);
    assert_int_equal(find(t, "iPhone")->shape, UNSPIN_CASE_MIXED);
    assert_int_equal(find(t, "McDonald")->shape, UNSPIN_CASE_MIXED);
    assert_int_equal(find(t, "Attack")->shape, UNSPIN_CASE_TITLE);
    assert_int_equal(find(t, "attack")->shape, UNSPIN_CASE_LOWER);
    assert_int_equal(find(t, "I")->shape, UNSPIN_CASE_TITLE);
    unspin_text_free(t);
}

static void test_emoji_and_scripts(void **state)
{
    (void)state;
    /* U+1F600 is 4 bytes and 2 UTF-16 units. */
    const char *s = "ok \xF0\x9F\x98\x80 \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 "
                    "\xE6\x9D\xB1\xE4\xBA\xAC";
    unspin_text *t = tokenize(s, strlen(s), 0);
    assert_token(find(t, "\xF0\x9F\x98\x80"), 3, 7, 3, 5, UNSPIN_TOKEN_OTHER,
                 UNSPIN_CASE_NONE, "\xF0\x9F\x98\x80");
    /* Привет -> привет */
    assert_token(find(t, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"), 8, 20, 6, 12,
                 UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE,
                 "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
    const unspin_token *k = unspin_text_tokens(t);
    size_t n = unspin_text_token_count(t);
    assert_int_equal(k[n - 1].end, strlen(s));
    assert_int_equal(k[n - 1].end16, 15);
    assert_int_equal(k[n - 1].kind, UNSPIN_TOKEN_WORD); /* CJK is a word */
    unspin_text_free(t);
}

static void test_nfc_normalization(void **state)
{
    (void)state;
    /* "Cafe" + combining acute (NFD) normalizes to precomposed "café". */
    const char *s = "Cafe\xCC\x81";
    unspin_text *t = tokenize(s, strlen(s), 0);
    assert_int_equal(unspin_text_token_count(t), 1);
    assert_token(&unspin_text_tokens(t)[0], 0, 6, 0, 5, UNSPIN_TOKEN_WORD,
                 UNSPIN_CASE_TITLE, "caf\xC3\xA9");
    unspin_text_free(t);
    size_t n;
    char *norm = unspin_normalize("\xE2\x80\x9CU.S.\xE2\x80\x9D", 10, &n, NULL);
    assert_non_null(norm);
    assert_string_equal(norm, "\"u.s.\"");
    assert_int_equal(n, 6);
    free(norm);
}

static void test_crlf_bom_nul(void **state)
{
    (void)state;
    const char s[] = "\xEF\xBB\xBFOne.\r\nTwo\0three.";
    size_t len = sizeof s - 1;
    unspin_text *t = tokenize(s, len, 0);
    /* The BOM is skipped but counted: "One" starts at byte 3, UTF-16 1. */
    assert_token(find(t, "One"), 3, 6, 1, 4, UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE, "one");
    const unspin_token *crlf = find(t, "\r\n");
    assert_int_equal(crlf->kind, UNSPIN_TOKEN_SPACE);
    assert_int_equal(crlf->start, 7);
    assert_int_equal(find(t, "Two")->sentence, 1);
    assert_token(find(t, "three"), 13, 18, 11, 16, UNSPIN_TOKEN_WORD, UNSPIN_CASE_LOWER,
                 "three");
    /* The NUL byte is a token of its own, of kind other. */
    const unspin_token *k = unspin_text_tokens(t);
    size_t n = unspin_text_token_count(t), nul = 0;
    for (size_t i = 0; i < n; i++)
        if (k[i].start == 12) {
            assert_int_equal(k[i].end, 13);
            assert_int_equal(k[i].kind, UNSPIN_TOKEN_OTHER);
            nul++;
        }
    assert_int_equal(nul, 1);
    unspin_text_free(t);
}

static void test_invalid_utf8_is_an_error(void **state)
{
    (void)state;
    const char s[] = "good \xC3\x28 bad";
    unspin_text *t = (unspin_text *)0x1;
    unspin_error err;
    assert_int_equal(unspin_text_new(s, sizeof s - 1, 0, &t, &err), UNSPIN_EUTF8);
    assert_null(t);
    assert_int_equal(err.code, UNSPIN_EUTF8);
    assert_string_equal(err.message, "invalid UTF-8 at byte 5");
    size_t bad = 0;
    assert_int_equal(unspin_utf8_check("\xED\xA0\x80", 3, &bad), UNSPIN_EUTF8); /* surrogate */
    assert_int_equal(bad, 0);
    assert_int_equal(unspin_utf8_check("ab\xC0\xAF", 4, &bad), UNSPIN_EUTF8); /* overlong */
    assert_int_equal(bad, 2);
    assert_int_equal(unspin_utf8_check("\xF4\x90\x80\x80", 4, &bad), UNSPIN_EUTF8);
    assert_int_equal(unspin_utf8_check("abc\xE2\x82", 5, &bad), UNSPIN_EUTF8); /* truncated */
    assert_int_equal(bad, 3);
    assert_int_equal(unspin_utf8_check("\xF0\x9F\x98\x80", 4, &bad), UNSPIN_OK);
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    /* Each invalid byte stands for one U+FFFD: offsets stay true. */
    const char s[] = "ab \xFF\xFE cd \xE2\x80\x9C";
    unspin_text *t = tokenize(s, sizeof s - 1, UNSPIN_TEXT_REPLACE_INVALID);
    const unspin_token *k = unspin_text_tokens(t);
    size_t n = unspin_text_token_count(t), replaced = 0;
    for (size_t i = 0; i < n; i++)
        if (k[i].flags & UNSPIN_TOKF_REPLACED) {
            assert_int_equal(k[i].kind, UNSPIN_TOKEN_OTHER);
            assert_true(k[i].start >= 3 && k[i].end <= 5);
            replaced++;
        }
    assert_true(replaced >= 1);
    assert_token(find(t, "cd"), 6, 8, 6, 8, UNSPIN_TOKEN_WORD, UNSPIN_CASE_LOWER, "cd");
    assert_int_equal(k[n - 1].end, sizeof s - 1);
    assert_int_equal(k[n - 1].end16, 10);
    unspin_text_free(t);
}

static void test_empty_and_bad_args(void **state)
{
    (void)state;
    unspin_text *t;
    assert_int_equal(unspin_text_new("", 0, 0, &t, NULL), UNSPIN_OK);
    assert_int_equal(unspin_text_token_count(t), 0);
    assert_int_equal(unspin_text_sentence_count(t), 0);
    unspin_text_free(t);
    unspin_error err;
    assert_int_equal(unspin_text_new(NULL, 3, 0, &t, &err), UNSPIN_EINVAL);
    assert_int_equal(unspin_text_new("x", 1, 0, NULL, &err), UNSPIN_EINVAL);
    unspin_text_free(NULL);
    assert_string_equal(unspin_strerror(UNSPIN_EUTF8), "invalid UTF-8");
}

static void test_tokens_cover_input(void **state)
{
    (void)state;
    /* Tokens tile the input with no gap or overlap; UTF-16 ends agree. */
    const char *s = "Relations are at their lowest point since the Cold War \xE2\x80\x94 "
                    "\xE2\x80\x9Cwe\xE2\x80\x99ll see\xE2\x80\x9D, 3.5% of U.K. firms said.\n\n"
                    "New para\xC2\xA0here.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    const unspin_token *k = unspin_text_tokens(t);
    size_t n = unspin_text_token_count(t);
    assert_int_equal(k[0].start, 0);
    for (size_t i = 1; i < n; i++) {
        assert_int_equal(k[i].start, k[i - 1].end);
        assert_int_equal(k[i].start16, k[i - 1].end16);
        assert_true(k[i].sentence >= k[i - 1].sentence);
    }
    assert_int_equal(k[n - 1].end, strlen(s));
    const unspin_sentence *sent = unspin_text_sentences(t);
    size_t ns = unspin_text_sentence_count(t), covered = 0;
    assert_true(ns >= 2);
    for (size_t i = 0; i < ns; i++)
        covered += sent[i].token_count;
    assert_int_equal(covered, n);
    unspin_text_free(t);
}

static void test_evasion_flags(void **state)
{
    (void)state;
    /* "Аpple" with a Cyrillic А (2 bytes); "Ap\u200Bple" with a zero-width
     * space; soft hyphen inside "soft\u00ADware". */
    const char *s = "The \xD0\x90pple and Ap\xE2\x80\x8Bple soft\xC2\xADware.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    const unspin_token *a = find(t, "\xD0\x90pple");
    assert_token(a, 4, 10, 4, 9, UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE, "apple");
    assert_int_equal(a->flags & (UNSPIN_TOKF_MIXED_SCRIPT | UNSPIN_TOKF_INVISIBLE),
                     UNSPIN_TOKF_MIXED_SCRIPT);
    assert_string_equal(a->skeleton, "Apple");
    const unspin_token *b = find(t, "Ap\xE2\x80\x8Bple");
    assert_token(b, 15, 23, 14, 20, UNSPIN_TOKEN_WORD, UNSPIN_CASE_TITLE, "apple");
    assert_int_equal(b->flags & (UNSPIN_TOKF_MIXED_SCRIPT | UNSPIN_TOKF_INVISIBLE),
                     UNSPIN_TOKF_INVISIBLE);
    assert_string_equal(b->skeleton, "Apple");
    const unspin_token *c = find(t, "soft\xC2\xADware");
    assert_true(c->flags & UNSPIN_TOKF_INVISIBLE);
    assert_string_equal(c->norm, "software");
    assert_null(find(t, "The")->skeleton);
    unspin_text_free(t);
}

static void test_real_scripts_not_flagged(void **state)
{
    (void)state;
    /* Russian, Greek, Chinese, an emoji and a zero-width joiner emoji
     * sequence: none is a look-alike or hidden-character word. */
    const char *s = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB8\xD1\x80, "
                    "\xCE\x9A\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1 "
                    "\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E \xF0\x9F\x98\x80 "
                    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 caf\xC3\xA9 na\xC3\xAFve.";
    unspin_text *t = tokenize(s, strlen(s), 0);
    const unspin_token *k = unspin_text_tokens(t);
    for (size_t i = 0; i < unspin_text_token_count(t); i++) {
        if (k[i].flags & (UNSPIN_TOKF_MIXED_SCRIPT | UNSPIN_TOKF_INVISIBLE))
            fail_msg("token at byte %zu flagged", k[i].start);
        assert_null(k[i].skeleton);
    }
    unspin_text_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_sentence),
        cmocka_unit_test(test_curly_quotes_and_apostrophes),
        cmocka_unit_test(test_abbreviations_and_sentences),
        cmocka_unit_test(test_numbers_money_hyphens),
        cmocka_unit_test(test_case_shapes),
        cmocka_unit_test(test_emoji_and_scripts),
        cmocka_unit_test(test_nfc_normalization),
        cmocka_unit_test(test_crlf_bom_nul),
        cmocka_unit_test(test_invalid_utf8_is_an_error),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_empty_and_bad_args),
        cmocka_unit_test(test_tokens_cover_input),
        cmocka_unit_test(test_evasion_flags),
        cmocka_unit_test(test_real_scripts_not_flagged),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
