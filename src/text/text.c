/*
 * The text layer: sentences and tokens from UTF-8, with ICU break iterators.
 *
 * ICU's word iterator over a UTF-8 UText reports boundaries as byte offsets,
 * so tokens keep true offsets into the caller's input.  After the iterator
 * pass, a few merges fit scraped English better than the raw rules:
 * abbreviations take back their final dot ("U.S" + "." -> "U.S."), and
 * words joined by hyphens become one token ("Russian-based").
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "evasion.h"
#include "utf8.h"

struct unspin_text {
    char *data;           /* the input as given */
    char *work;           /* what ICU sees: invalid bytes replaced by 0x1A */
    size_t len;
    unspin_token *tokens;
    size_t ntokens, cap_tokens;
    size_t *norm_off;     /* offset of each token's norm in `norms` */
    size_t *skel_off;     /* offset of its skeleton, or SIZE_MAX */
    char *norms;
    size_t norms_len, norms_cap;
    unspin_sentence *sentences;
    size_t nsentences;
};

/* The byte that stands for an invalid byte while ICU reads the text. */
#define REPLACEMENT_BYTE 0x1A

/* Words that keep a following dot.  Single capital letters (initials) and
 * words with inner dots (U.S, e.g) are handled by rule. */
static const char *const ABBREVIATIONS[] = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen",
    "rep", "lt", "col", "sgt", "capt", "cmdr", "adm", "rev", "hon", "pres",
    "inc", "ltd", "corp", "co", "bros", "vs", "etc", "approx", "dept", "est",
    "fig", "no", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mt", "ft", "univ", "assn", "ave", "blvd",
};

/* ---------------------------------------------------------------- */

static int add_token(unspin_text *t, size_t start, size_t end,
                     unspin_token_kind kind)
{
    if (us_grow((void **)&t->tokens, &t->cap_tokens, t->ntokens + 1,
                sizeof *t->tokens) != 0)
        return -1;
    unspin_token *k = &t->tokens[t->ntokens++];
    memset(k, 0, sizeof *k);
    k->start = start;
    k->end = end;
    k->kind = kind;
    return 0;
}

static UChar32 first_char(const char *s, size_t len)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s, i, (int32_t)(len > 8 ? 8 : len), c);
    return c;
}

static unspin_token_kind classify_none(const char *s, size_t len)
{
    UChar32 c = first_char(s, len);
    if (c < 0)
        return UNSPIN_TOKEN_OTHER;
    if (u_isUWhiteSpace(c) || c == '\t' || c == '\n' || c == '\r')
        return UNSPIN_TOKEN_SPACE;
    if (u_ispunct(c))
        return UNSPIN_TOKEN_PUNCT;
    return UNSPIN_TOKEN_OTHER;
}

static unspin_token_kind classify_status(int32_t status, const char *s,
                                         size_t len)
{
    if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
        return UNSPIN_TOKEN_NUMBER;
    if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_IDEO_LIMIT)
        return UNSPIN_TOKEN_WORD;
    return classify_none(s, len);
}

/* Opening a break iterator builds it from ICU's rules and, for sentences
 * with "ss=standard", a filter of abbreviations: about a sixth of the
 * work on a 2 KB text.  Each kind is opened once, kept for the process,
 * and cloned for each text (a clone is a copy, not a rebuild). */
static UBreakIterator *proto_word, *proto_sentence;
static UErrorCode proto_word_st = U_ZERO_ERROR, proto_sentence_st = U_ZERO_ERROR;
static pthread_once_t proto_once = PTHREAD_ONCE_INIT;

static void open_protos(void)
{
    proto_word = ubrk_open(UBRK_WORD, "en_US", NULL, 0, &proto_word_st);
    proto_sentence = ubrk_open(UBRK_SENTENCE, "en_US@ss=standard", NULL, 0, &proto_sentence_st);
}

/* Closed at exit (or when the library is unloaded), so that leak checkers
 * do not count the rule strings ICU keeps through inner pointers.  The
 * clones share nothing that this frees while they are in use (ICU counts
 * the references to the rules), so only a clone being made at that very
 * moment, by a thread still running at exit, could be hurt. */
__attribute__((destructor)) static void close_protos(void)
{
    ubrk_close(proto_word);
    ubrk_close(proto_sentence);
    proto_word = proto_sentence = NULL;
}

/* A new iterator of the kind (UBRK_WORD or UBRK_SENTENCE); close it with
 * ubrk_close.  NULL with *st set on failure. */
static UBreakIterator *open_breaker(UBreakIteratorType kind, UErrorCode *st)
{
    if (U_FAILURE(*st))
        return NULL;
    pthread_once(&proto_once, open_protos);
    UBreakIterator *p = kind == UBRK_WORD ? proto_word : proto_sentence;
    UErrorCode pst = kind == UBRK_WORD ? proto_word_st : proto_sentence_st;
    if (U_FAILURE(pst)) {
        *st = pst;
        return NULL;
    }
    return ubrk_clone(p, st);
}

/* Run ICU's word iterator over the working copy. */
static int tokenize_words(unspin_text *t, size_t from, unspin_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, t->work + from, (int64_t)(t->len - from), &st);
    UBreakIterator *bi = open_breaker(UBRK_WORD, &st);
    if (U_SUCCESS(st))
        ubrk_setUText(bi, ut, &st);
    if (U_FAILURE(st)) {
        ubrk_close(bi);
        utext_close(ut);
        return us_fail(err, UNSPIN_EICU, "ICU word iterator: %s", u_errorName(st));
    }
    int rc = UNSPIN_OK;
    int32_t a = ubrk_first(bi);
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
        size_t s = from + (size_t)a, e = from + (size_t)b;
        unspin_token_kind kind =
            classify_status(ubrk_getRuleStatus(bi), t->work + s, e - s);
        if (add_token(t, s, e, kind) != 0) {
            rc = us_fail(err, UNSPIN_ENOMEM, "out of memory while tokenizing");
            break;
        }
    }
    ubrk_close(bi);
    utext_close(ut);
    return rc;
}

static int is_abbreviation(const char *s, size_t len)
{
    if (len == 1 && s[0] >= 'A' && s[0] <= 'Z')
        return 1; /* an initial: John F. Kennedy */
    if (memchr(s, '.', len))
        return 1; /* U.S, e.g, Ph.D */
    if (len > 6)
        return 0;
    char low[8];
    for (size_t i = 0; i < len; i++)
        low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    for (size_t i = 0; i < US_ARRAY_LEN(ABBREVIATIONS); i++)
        if (strlen(ABBREVIATIONS[i]) == len && memcmp(ABBREVIATIONS[i], low, len) == 0)
            return 1;
    return 0;
}

static int is_hyphen(const char *s, size_t len)
{
    return (len == 1 && s[0] == '-') ||
           (len == 3 && memcmp(s, "\xE2\x80\x90", 3) == 0) || /* U+2010 */
           (len == 3 && memcmp(s, "\xE2\x80\x91", 3) == 0);   /* U+2011 */
}

/* A token made only of invisible characters ("\u200B"). */
static int invisible_only(const char *s, size_t n)
{
    int32_t i = 0;
    while ((size_t)i < n) {
        UChar32 c;
        U8_NEXT(s, i, (int32_t)n, c);
        if (c < 0 || !us_is_invisible(c))
            return 0;
    }
    return n > 0;
}

static int wordlike(const unspin_token *k)
{
    return k->kind == UNSPIN_TOKEN_WORD || k->kind == UNSPIN_TOKEN_NUMBER;
}

/* Merge abbreviation dots and hyphenated compounds, in place. */
static void merge_tokens(unspin_text *t)
{
    size_t out = 0;
    for (size_t i = 0; i < t->ntokens; i++) {
        unspin_token cur = t->tokens[i];
        if (cur.kind == UNSPIN_TOKEN_WORD && i + 1 < t->ntokens) {
            const unspin_token *dot = &t->tokens[i + 1];
            if (dot->end - dot->start == 1 && t->work[dot->start] == '.' &&
                is_abbreviation(t->work + cur.start, cur.end - cur.start)) {
                cur.end = dot->end;
                cur.flags |= UNSPIN_TOKF_ABBREV;
                i++;
            }
        }
        /* word, invisible, word with no spaces ("Ap\u200Bple"): one word;
         * the evasion check flags it later */
        while (cur.kind == UNSPIN_TOKEN_WORD && i + 2 < t->ntokens &&
               invisible_only(t->work + t->tokens[i + 1].start,
                              t->tokens[i + 1].end - t->tokens[i + 1].start) &&
               t->tokens[i + 2].kind == UNSPIN_TOKEN_WORD) {
            cur.end = t->tokens[i + 2].end;
            i += 2;
        }
        /* word(-word)+ with no spaces: one hyphenated word */
        while (wordlike(&cur) && !(cur.flags & UNSPIN_TOKF_ABBREV) &&
               i + 2 < t->ntokens &&
               is_hyphen(t->work + t->tokens[i + 1].start,
                         t->tokens[i + 1].end - t->tokens[i + 1].start) &&
               wordlike(&t->tokens[i + 2]) &&
               (cur.kind == UNSPIN_TOKEN_WORD ||
                t->tokens[i + 2].kind == UNSPIN_TOKEN_WORD)) {
            cur.end = t->tokens[i + 2].end;
            cur.kind = UNSPIN_TOKEN_WORD;
            cur.flags |= UNSPIN_TOKF_HYPHENATED;
            i += 2;
        }
        t->tokens[out++] = cur;
    }
    t->ntokens = out;
}

/* ---------------------------------------------------------------- */
/* Case shape and normalization                                     */

static unspin_case case_shape(const char *s, size_t len)
{
    size_t upper = 0, lower = 0, n = 0;
    int first_upper = 0, rest_lower = 1;
    int32_t i = 0;
    while ((size_t)i < len) {
        UChar32 c;
        U8_NEXT(s, i, (int32_t)len, c);
        if (c < 0)
            continue;
        int up = u_isupper(c) || u_istitle(c), lo = u_islower(c);
        if (!up && !lo)
            continue;
        if (n == 0)
            first_upper = up;
        else if (up)
            rest_lower = 0;
        upper += (size_t)up;
        lower += (size_t)lo;
        n++;
    }
    if (n == 0)
        return UNSPIN_CASE_NONE;
    if (upper == 0)
        return UNSPIN_CASE_LOWER;
    if (first_upper && rest_lower)
        return UNSPIN_CASE_TITLE;
    if (lower == 0)
        return UNSPIN_CASE_UPPER;
    return UNSPIN_CASE_MIXED;
}

static int needs_full_normalization(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

static UChar fold_quote(UChar c)
{
    switch (c) {
    case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0x02BC:
        return '\'';
    case 0x201C: case 0x201D: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB: case 0x201E:
        return '"';
    default:
        return c;
    }
}

/* NFC, lower case, quotes folded; appends a NUL-terminated result to *buf.
 * Returns 0 or an UNSPIN_E* code. */
static int normalize_into(const char *s, size_t len, int lower, char **buf,
                          size_t *blen, size_t *bcap)
{
    if (!needs_full_normalization(s, len)) {
        if (us_grow((void **)buf, bcap, *blen + len + 1, 1) != 0)
            return UNSPIN_ENOMEM;
        char *o = *buf + *blen;
        for (size_t i = 0; i < len; i++)
            o[i] = (char)((lower && s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
        o[len] = '\0';
        *blen += len + 1;
        return 0;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8WithSub(NULL, 0, &n16, s, (int32_t)len, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    /* Lower-casing and NFC can grow a string; three times is ample. */
    size_t cap = (size_t)n16 * 3 + 8;
    UChar *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
    int rc = 0;
    if (!a || !b) {
        rc = UNSPIN_ENOMEM;
        goto out;
    }
    u_strFromUTF8WithSub(a, (int32_t)cap, &n16, s, (int32_t)len, 0xFFFD, NULL, &st);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    int32_t nb = unorm2_normalize(nfc, a, n16, b, (int32_t)cap, &st);
    int32_t na = nb;
    if (lower)
        na = u_strToLower(a, (int32_t)cap, b, nb, "", &st);
    else
        u_memcpy(a, b, nb);
    if (U_FAILURE(st)) {
        rc = UNSPIN_EICU;
        goto out;
    }
    for (int32_t i = 0; i < na; i++)
        a[i] = fold_quote(a[i]);
    int32_t n8 = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &n8, a, na, &st);
    st = U_ZERO_ERROR;
    if (us_grow((void **)buf, bcap, *blen + (size_t)n8 + 1, 1) != 0) {
        rc = UNSPIN_ENOMEM;
        goto out;
    }
    u_strToUTF8(*buf + *blen, n8 + 1, &n8, a, na, &st);
    if (U_FAILURE(st)) {
        rc = UNSPIN_EICU;
        goto out;
    }
    (*buf)[*blen + (size_t)n8] = '\0';
    *blen += (size_t)n8 + 1;
out:
    free(a);
    free(b);
    return rc;
}

char *unspin_normalize(const char *utf8, size_t len, size_t *out_len,
                       unspin_error *err)
{
    size_t bad;
    if (!utf8 && len) {
        us_fail(err, UNSPIN_EINVAL, "unspin_normalize: NULL input");
        return NULL;
    }
    if (unspin_utf8_check(utf8, len, &bad) != UNSPIN_OK) {
        us_fail(err, UNSPIN_EUTF8, "invalid UTF-8 at byte %zu", bad);
        return NULL;
    }
    char *buf = NULL;
    size_t blen = 0, bcap = 0;
    int rc = normalize_into(utf8 ? utf8 : "", len, 1, &buf, &blen, &bcap);
    if (rc != 0) {
        free(buf);
        us_fail(err, rc, "normalization failed: %s", unspin_strerror(rc));
        return NULL;
    }
    if (out_len)
        *out_len = blen - 1;
    return buf;
}

/* ---------------------------------------------------------------- */

static int finish_tokens(unspin_text *t, unspin_error *err)
{
    t->norm_off = malloc((t->ntokens ? t->ntokens : 1) * sizeof *t->norm_off);
    t->skel_off = malloc((t->ntokens ? t->ntokens : 1) * sizeof *t->skel_off);
    if (!t->norm_off || !t->skel_off)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory while tokenizing");
    us_evasion_ctx *ev = NULL;
    int rc = UNSPIN_OK;
    size_t u16 = 0, pos = 0;
    for (size_t i = 0; i < t->ntokens; i++) {
        unspin_token *k = &t->tokens[i];
        u16 += us_utf16_units(t->work + pos, k->start - pos);
        k->start16 = u16;
        u16 += us_utf16_units(t->work + k->start, k->end - k->start);
        k->end16 = u16;
        pos = k->end;
        const char *s = t->work + k->start;
        size_t n = k->end - k->start;
        if (memcmp(s, t->data + k->start, n) != 0) {
            k->flags |= UNSPIN_TOKF_REPLACED;
            k->kind = UNSPIN_TOKEN_OTHER;
        }
        t->skel_off[i] = SIZE_MAX;
        if (k->kind == UNSPIN_TOKEN_WORD) {
            if (memchr(s, '\'', n) || memmem(s, n, "\xE2\x80\x99", 3))
                k->flags |= UNSPIN_TOKF_APOSTROPHE;
            /* Look-alike letters and invisibles: the word is looked up by
             * its skeleton, so swaps inside obfuscated words are found. */
            if (needs_full_normalization(s, n)) {
                if (!ev && !(ev = us_evasion_ctx_new())) {
                    rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
                    break;
                }
                char skel[1024];
                size_t sl = 0;
                unsigned f = us_evasion_word(ev, s, n, skel, sizeof skel, &sl);
                if (f && sl) {
                    k->flags |= f;
                    t->skel_off[i] = t->norms_len;
                    if (us_grow((void **)&t->norms, &t->norms_cap, t->norms_len + sl + 1, 1)) {
                        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
                        break;
                    }
                    memcpy(t->norms + t->norms_len, skel, sl + 1);
                    t->norms_len += sl + 1;
                }
            }
            if (t->skel_off[i] != SIZE_MAX) {
                /* the skeleton may move when norms grows: copy it out */
                char skel[1024];
                size_t sl = strlen(t->norms + t->skel_off[i]);
                memcpy(skel, t->norms + t->skel_off[i], sl + 1);
                k->shape = case_shape(skel, sl);
                t->norm_off[i] = t->norms_len;
                rc = normalize_into(skel, sl, 1, &t->norms, &t->norms_len, &t->norms_cap);
                if (rc != 0) {
                    rc = us_fail(err, rc, "normalizing the token at byte %zu: %s",
                                 k->start, unspin_strerror(rc));
                    break;
                }
                k->norm_len = t->norms_len - 1 - t->norm_off[i];
                continue;
            }
            k->shape = case_shape(s, n);
        }
        t->norm_off[i] = t->norms_len;
        int lower = k->kind == UNSPIN_TOKEN_WORD || k->kind == UNSPIN_TOKEN_NUMBER;
        rc = normalize_into(s, n, lower, &t->norms, &t->norms_len, &t->norms_cap);
        if (rc != 0) {
            rc = us_fail(err, rc, "normalizing the token at byte %zu: %s", k->start,
                         unspin_strerror(rc));
            break;
        }
        k->norm_len = t->norms_len - 1 - t->norm_off[i];
    }
    us_evasion_ctx_free(ev);
    if (rc != UNSPIN_OK)
        return rc;
    for (size_t i = 0; i < t->ntokens; i++) {
        t->tokens[i].norm = t->norms + t->norm_off[i];
        t->tokens[i].skeleton = t->skel_off[i] == SIZE_MAX ? NULL : t->norms + t->skel_off[i];
    }
    return UNSPIN_OK;
}

static int split_sentences(unspin_text *t, size_t from, unspin_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, t->work + from, (int64_t)(t->len - from), &st);
    UBreakIterator *bi = open_breaker(UBRK_SENTENCE, &st);
    if (U_SUCCESS(st))
        ubrk_setUText(bi, ut, &st);
    if (U_FAILURE(st)) {
        ubrk_close(bi);
        utext_close(ut);
        return us_fail(err, UNSPIN_EICU, "ICU sentence iterator: %s", u_errorName(st));
    }
    /* Each token belongs to the sentence its first byte is in. */
    size_t cap = 0, sent = 0, tok = 0;
    int rc = UNSPIN_OK;
    int32_t b = ubrk_first(bi);
    while (tok < t->ntokens) {
        b = ubrk_next(bi);
        size_t limit = b == UBRK_DONE ? t->len : from + (size_t)b;
        size_t first = tok;
        while (tok < t->ntokens && (t->tokens[tok].start < limit || b == UBRK_DONE))
            t->tokens[tok++].sentence = sent;
        if (tok == first)
            continue;
        if (us_grow((void **)&t->sentences, &cap, sent + 1, sizeof *t->sentences) != 0) {
            rc = us_fail(err, UNSPIN_ENOMEM, "out of memory while splitting sentences");
            break;
        }
        unspin_sentence *s = &t->sentences[sent++];
        s->first_token = first;
        s->token_count = tok - first;
        s->start = t->tokens[first].start;
        s->start16 = t->tokens[first].start16;
        s->end = t->tokens[tok - 1].end;
        s->end16 = t->tokens[tok - 1].end16;
    }
    t->nsentences = sent;
    ubrk_close(bi);
    utext_close(ut);
    return rc;
}

static int prepare_work(unspin_text *t, unsigned flags, unspin_error *err)
{
    size_t bad;
    if (unspin_utf8_check(t->data, t->len, &bad) == UNSPIN_OK) {
        t->work = t->data;
        return UNSPIN_OK;
    }
    if (!(flags & UNSPIN_TEXT_REPLACE_INVALID))
        return us_fail(err, UNSPIN_EUTF8, "invalid UTF-8 at byte %zu", bad);
    t->work = malloc(t->len + 1);
    if (!t->work)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    const unsigned char *s = (const unsigned char *)t->data;
    for (size_t i = 0; i < t->len;) {
        size_t k = us_utf8_seq_len(s + i, t->len - i);
        if (k == 0) {
            t->work[i++] = REPLACEMENT_BYTE;
        } else {
            memcpy(t->work + i, s + i, k);
            i += k;
        }
    }
    t->work[t->len] = '\0';
    return UNSPIN_OK;
}

int unspin_text_new(const char *utf8, size_t len, unsigned flags,
                    unspin_text **out, unspin_error *err)
{
    us_error_clear(err);
    if (!out || (!utf8 && len))
        return us_fail(err, UNSPIN_EINVAL, "unspin_text_new: NULL argument");
    *out = NULL;
    if (len > UNSPIN_TEXT_MAX_BYTES)
        return us_fail(err, UNSPIN_ETOOBIG, "text of %zu bytes is over the limit of %zu",
                       len, (size_t)UNSPIN_TEXT_MAX_BYTES);
    unspin_text *t = calloc(1, sizeof *t);
    if (!t || !(t->data = malloc(len + 1))) {
        free(t);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    if (len)
        memcpy(t->data, utf8, len);
    t->data[len] = '\0';
    t->len = len;
    int rc = prepare_work(t, flags, err);
    /* A byte-order mark is not text: start after it (it still counts in
     * the offsets, so they stay true to the input). */
    size_t from = (len >= 3 && memcmp(t->data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    if (rc == UNSPIN_OK)
        rc = tokenize_words(t, from, err);
    if (rc == UNSPIN_OK) {
        merge_tokens(t);
        rc = finish_tokens(t, err);
    }
    if (rc == UNSPIN_OK)
        rc = split_sentences(t, from, err);
    if (rc != UNSPIN_OK) {
        unspin_text_free(t);
        return rc;
    }
    *out = t;
    return UNSPIN_OK;
}

void unspin_text_free(unspin_text *t)
{
    if (!t)
        return;
    if (t->work != t->data)
        free(t->work);
    free(t->data);
    free(t->tokens);
    free(t->norm_off);
    free(t->skel_off);
    free(t->norms);
    free(t->sentences);
    free(t);
}

size_t unspin_text_token_count(const unspin_text *t) { return t ? t->ntokens : 0; }
const unspin_token *unspin_text_tokens(const unspin_text *t) { return t ? t->tokens : NULL; }
size_t unspin_text_sentence_count(const unspin_text *t) { return t ? t->nsentences : 0; }
const unspin_sentence *unspin_text_sentences(const unspin_text *t)
{
    return t ? t->sentences : NULL;
}

const char *unspin_text_data(const unspin_text *t, size_t *len)
{
    if (!t)
        return NULL;
    if (len)
        *len = t->len;
    return t->data;
}

const char *unspin_token_kind_name(unspin_token_kind kind)
{
    static const char *const names[] = {"word", "number", "punct", "space", "other"};
    return (unsigned)kind < US_ARRAY_LEN(names) ? names[kind] : "?";
}

const char *unspin_case_name(unspin_case shape)
{
    static const char *const names[] = {"none", "lower", "title", "upper", "mixed"};
    return (unsigned)shape < US_ARRAY_LEN(names) ? names[shape] : "?";
}
