/*
 * arpa.c - read an ARPA text language model (orders 1..3) into a
 * us_lm_source; also the parts of us_lm_source common to both readers
 * (format sniffing, sorting, scoring, freeing).
 *
 * The ARPA format, as SRILM, KenLM, sphinx and others write it:
 *
 *   anything                      (ignored up to \data\)
 *   \data\
 *   ngram 1=<count>
 *   ngram 2=<count>  ...
 *
 *   \1-grams:
 *   <log10 prob> <word> [<log10 backoff>]
 *   \2-grams:
 *   <log10 prob> <word> <word> [<log10 backoff>]
 *   ...
 *   \end\
 *
 * Fields are separated by tabs or spaces; blank lines are ignored; a line
 * beginning with a backslash starts a section.  The unigrams define the
 * word ids, in file order.
 */
#include "source.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/common.h"

#define ARPA_MAX_ORDER 3
#define ARPA_NEG_INF_LOG10 (-99.0f) /* what -inf is stored as */

/* ------------------------------------------------------------------ */
/* A hash from word to id, over a words[] array                        */
/* ------------------------------------------------------------------ */

typedef struct word_hash {
    uint32_t *slot;  /* word id, or UINT32_MAX when empty */
    size_t cap;      /* a power of two */
    size_t n;
} word_hash;

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(1099511628211);
    }
    return h ^ (h >> 29);
}

static void word_hash_free(word_hash *h)
{
    free(h->slot);
    memset(h, 0, sizeof *h);
}

static int word_hash_resize(word_hash *h, char *const *words, size_t cap)
{
    uint32_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return -1;
    memset(slot, 0xff, cap * sizeof *slot);
    for (size_t i = 0; i < h->cap; i++) {
        if (h->slot[i] == UINT32_MAX)
            continue;
        const char *w = words[h->slot[i]];
        size_t j = (size_t)hash_bytes(w, strlen(w)) & (cap - 1);
        while (slot[j] != UINT32_MAX)
            j = (j + 1) & (cap - 1);
        slot[j] = h->slot[i];
    }
    free(h->slot);
    h->slot = slot;
    h->cap = cap;
    return 0;
}

/* The id of `s` (len bytes), or UINT32_MAX. */
static uint32_t word_hash_find(const word_hash *h, char *const *words,
                               const char *s, size_t len)
{
    if (!h->cap)
        return UINT32_MAX;
    size_t j = (size_t)hash_bytes(s, len) & (h->cap - 1);
    while (h->slot[j] != UINT32_MAX) {
        const char *w = words[h->slot[j]];
        if (strncmp(w, s, len) == 0 && w[len] == '\0')
            return h->slot[j];
        j = (j + 1) & (h->cap - 1);
    }
    return UINT32_MAX;
}

/* Add words[id] (not already present).  -1 when out of memory. */
static int word_hash_add(word_hash *h, char *const *words, uint32_t id)
{
    if ((h->n + 1) * 2 > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 1024;
        if (cap > SIZE_MAX / sizeof(uint32_t) ||
            word_hash_resize(h, words, cap) != 0)
            return -1;
    }
    const char *w = words[id];
    size_t j = (size_t)hash_bytes(w, strlen(w)) & (h->cap - 1);
    while (h->slot[j] != UINT32_MAX)
        j = (j + 1) & (h->cap - 1);
    h->slot[j] = id;
    h->n++;
    return 0;
}

int us_lm_source_check_vocab(char *const *words, size_t n, size_t *bad)
{
    word_hash h = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (words[i][0] == '\0' ||
            word_hash_find(&h, words, words[i], strlen(words[i])) !=
                UINT32_MAX) {
            *bad = i;
            rc = -1;
        } else if (word_hash_add(&h, words, (uint32_t)i) != 0) {
            rc = -2;
        }
    }
    word_hash_free(&h);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Common: sort, duplicates, score, free, sniff                        */
/* ------------------------------------------------------------------ */

static int ngram_cmp(const uint32_t *a, const uint32_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

int us_lm_source_sort(size_t count, int n, uint32_t *w, float *prob,
                      float *bo, size_t nwords)
{
    size_t i;
    for (i = 1; i < count; i++)
        if (ngram_cmp(w + (i - 1) * (size_t)n, w + i * (size_t)n, n) > 0)
            break;
    if (i >= count)
        return 0; /* already sorted */

    /* LSD radix sort: a stable counting sort per column, last column
     * first, moving whole records (ids, prob, bo as 32-bit slots). */
    const size_t r = (size_t)n + 1 + (bo ? 1 : 0);
    if (count > SIZE_MAX / (r * sizeof(uint32_t)) || nwords >= SIZE_MAX)
        return -1;
    size_t *cnt = malloc((nwords + 1) * sizeof *cnt);
    uint32_t *a = malloc(count * r * sizeof *a);
    uint32_t *b = malloc(count * r * sizeof *b);
    if (!cnt || !a || !b) {
        free(cnt);
        free(a);
        free(b);
        return -1;
    }
    for (i = 0; i < count; i++) {
        uint32_t *rec = a + i * r;
        for (int k = 0; k < n; k++)
            rec[k] = w[i * (size_t)n + (size_t)k];
        memcpy(rec + n, &prob[i], sizeof(float));
        if (bo)
            memcpy(rec + n + 1, &bo[i], sizeof(float));
    }
    for (int c = n - 1; c >= 0; c--) {
        memset(cnt, 0, (nwords + 1) * sizeof *cnt);
        for (i = 0; i < count; i++)
            cnt[a[i * r + (size_t)c] + 1]++;
        for (size_t k = 1; k <= nwords; k++)
            cnt[k] += cnt[k - 1];
        for (i = 0; i < count; i++) {
            const uint32_t *src = a + i * r;
            uint32_t *dst = b + cnt[src[c]]++ * r;
            for (size_t k = 0; k < r; k++)
                dst[k] = src[k];
        }
        uint32_t *swap = a;
        a = b;
        b = swap;
    }
    for (i = 0; i < count; i++) {
        const uint32_t *rec = a + i * r;
        for (int k = 0; k < n; k++)
            w[i * (size_t)n + (size_t)k] = rec[k];
        memcpy(&prob[i], rec + n, sizeof(float));
        if (bo)
            memcpy(&bo[i], rec + n + 1, sizeof(float));
    }
    free(cnt);
    free(a);
    free(b);
    return 0;
}

size_t us_lm_source_find_duplicate(size_t count, int n, const uint32_t *w)
{
    for (size_t i = 1; i < count; i++)
        if (ngram_cmp(w + (i - 1) * (size_t)n, w + i * (size_t)n, n) == 0)
            return i;
    return count;
}

/* Binary search for an n-gram among `count` sorted ones. */
static int find_ngram(const uint32_t *w, size_t count, int n,
                      const uint32_t *key, size_t *at)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ngram_cmp(w + mid * (size_t)n, key, n);
        if (c == 0) {
            *at = mid;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

float us_lm_source_score(const us_lm_source *lm, uint32_t w1, uint32_t w2,
                         uint32_t w3)
{
    if (!lm || w3 >= lm->nwords)
        return -INFINITY;
    if (lm->order < 2 || w2 >= lm->nwords)
        return lm->uni_prob[w3];
    size_t at;
    float bo = 0.0f;
    if (lm->order >= 3 && w1 < lm->nwords) {
        const uint32_t k3[3] = {w1, w2, w3};
        if (find_ngram(lm->tri_w, lm->counts[2], 3, k3, &at))
            return lm->tri_prob[at];
        const uint32_t ctx[2] = {w1, w2};
        if (find_ngram(lm->bi_w, lm->counts[1], 2, ctx, &at))
            bo = lm->bi_bo[at];
    }
    const uint32_t k2[2] = {w2, w3};
    if (find_ngram(lm->bi_w, lm->counts[1], 2, k2, &at))
        return lm->bi_prob[at] + bo;
    return lm->uni_prob[w3] + lm->uni_bo[w2] + bo;
}

void us_lm_source_free(us_lm_source *lm)
{
    if (!lm)
        return;
    if (lm->words)
        for (size_t i = 0; i < lm->nwords; i++)
            free(lm->words[i]);
    free(lm->words);
    free(lm->uni_prob);
    free(lm->uni_bo);
    free(lm->bi_w);
    free(lm->bi_prob);
    free(lm->bi_bo);
    free(lm->tri_w);
    free(lm->tri_prob);
    memset(lm, 0, sizeof *lm);
}

int us_lm_source_read(const char *path, us_lm_source *out, unspin_error *err)
{
    if (!out || !path)
        return us_fail(err, UNSPIN_EINVAL, "us_lm_source_read: no path or "
                       "output");
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return us_fail(err, UNSPIN_EIO, "%s: %s", path, strerror(errno));
    unsigned char head[32];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    static const char trie[] = "Trie Language Model";
    static const char dmp[] = "Darpa Trigram LM";
    if (n >= sizeof trie - 1 && memcmp(head, trie, sizeof trie - 1) == 0)
        return us_lm_source_read_sphinx(path, out, err);
    if (n >= 2 && ((head[0] == 0x1f && head[1] == 0x8b) ||
                   (head[0] == 'B' && head[1] == 'Z') ||
                   (head[0] == 0xfd && head[1] == '7')))
        return us_fail(err, UNSPIN_EMODEL,
                       "%s: compressed; decompress it first", path);
    if (n >= 4 + sizeof dmp - 1 &&
        memcmp(head + 4, dmp, sizeof dmp - 1) == 0)
        return us_fail(err, UNSPIN_EMODEL,
                       "%s: sphinx DMP language models are not supported "
                       "(convert to ARPA)", path);
    if (memchr(head, '\0', n))
        return us_fail(err, UNSPIN_EMODEL,
                       "%s: unknown format: binary data, neither a sphinx "
                       "trie LM nor ARPA text", path);
    return us_lm_source_read_arpa(path, out, err);
}

/* ------------------------------------------------------------------ */
/* ARPA                                                                */
/* ------------------------------------------------------------------ */

typedef struct arpa {
    const char *path;
    unspin_error *err;
    FILE *f;
    char *line;        /* the current line, trimmed */
    size_t line_cap;
    size_t len;        /* its length */
    unsigned long lineno;
    size_t declared[ARPA_MAX_ORDER];
    size_t cap[ARPA_MAX_ORDER]; /* allocated entries per order */
    us_lm_source *lm;
    word_hash hash;
} arpa;

static int arpa_fail(arpa *a, int code, const char *fmt, ...) US_PRINTF(3, 4);

static int arpa_fail(arpa *a, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (a->lineno)
        return us_fail(a->err, code, "%s:%lu: %s", a->path, a->lineno, msg);
    return us_fail(a->err, code, "%s: %s", a->path, msg);
}

static int arpa_oom(arpa *a)
{
    return arpa_fail(a, UNSPIN_ENOMEM, "out of memory");
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

/* Read the next line into a->line, trimmed of surrounding white space.
 * Returns 1 for a line, 0 at end of file, or a negative error code. */
static int next_line(arpa *a)
{
    errno = 0;
    ssize_t got = getline(&a->line, &a->line_cap, a->f);
    if (got < 0) {
        if (ferror(a->f) || errno == ENOMEM)
            return errno == ENOMEM ? arpa_oom(a)
                                   : arpa_fail(a, UNSPIN_EIO, "read error");
        return 0;
    }
    a->lineno++;
    size_t len = (size_t)got;
    if (memchr(a->line, '\0', len))
        return arpa_fail(a, UNSPIN_EMODEL, "NUL byte in the line");
    char *s = a->line;
    if (a->lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    while (len && is_space(s[len - 1]))
        len--;
    while (len && is_space(*s)) {
        s++;
        len--;
    }
    memmove(a->line, s, len);
    a->line[len] = '\0';
    a->len = len;
    return 1;
}

/* Next non-blank line: 1, 0 at end of file, or an error code. */
static int next_content(arpa *a)
{
    int rc;
    while ((rc = next_line(a)) == 1 && a->len == 0)
        ;
    return rc;
}

/* Parse a decimal number (sign, digits, fraction, exponent) or +-inf,
 * independent of the locale.  The whole token must be used. */
static int parse_number(const char *s, size_t len, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if ((len - i == 3 && strncasecmp(s + i, "inf", 3) == 0) ||
        (len - i == 8 && strncasecmp(s + i, "infinity", 8) == 0)) {
        *out = neg ? -INFINITY : INFINITY;
        return 0;
    }
    double mant = 0.0;
    int digits = 0, scale = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        mant = mant * 10.0 + (s[i] - '0');
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            mant = mant * 10.0 + (s[i] - '0');
            scale--;
        }
    }
    if (!digits)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0, e = 0, edigits = 0;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, edigits++)
            if (e < 10000)
                e = e * 10 + (s[i] - '0');
        if (!edigits)
            return -1;
        scale += eneg ? -e : e;
    }
    if (i != len)
        return -1;
    double v = mant;
    if (scale < 0)
        v /= pow(10.0, -scale);
    else if (scale > 0)
        v *= pow(10.0, scale);
    *out = neg ? -v : v;
    return 0;
}

/* A weight field: finite, or -inf (stored as -99). */
static int parse_weight(arpa *a, const char *s, size_t len, const char *what,
                        float *out)
{
    double v;
    if (parse_number(s, len, &v) != 0)
        return arpa_fail(a, UNSPIN_EMODEL, "bad %s '%.*s'", what, (int)len,
                         s);
    if (v == -INFINITY) {
        *out = ARPA_NEG_INF_LOG10;
        return 0;
    }
    if (!isfinite(v) || fabs(v) > 1e30)
        return arpa_fail(a, UNSPIN_EMODEL, "bad %s '%.*s'", what, (int)len,
                         s);
    *out = (float)v;
    return 0;
}

/* Parse "ngram N=C". */
static int parse_count_line(arpa *a, int *n, size_t *count)
{
    const char *s = a->line;
    if (strncmp(s, "ngram", 5) != 0 || !is_space(s[5]))
        return -1;
    s += 5;
    while (is_space(*s))
        s++;
    char *end;
    errno = 0;
    unsigned long nn = strtoul(s, &end, 10);
    if (end == s || *s == '-' || *s == '+' || errno)
        return -1;
    s = end;
    while (is_space(*s))
        s++;
    if (*s++ != '=')
        return -1;
    while (is_space(*s))
        s++;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long c = strtoull(s, &end, 10);
    if (errno || *end != '\0' || nn > 1000)
        return -1;
    *n = (int)nn;
    *count = c > SIZE_MAX ? SIZE_MAX : (size_t)c;
    return 0;
}

static int read_counts(arpa *a)
{
    int rc;
    for (;;) {
        rc = next_line(a);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return arpa_fail(a, UNSPIN_EMODEL, "no \\data\\ section: not an "
                             "ARPA language model");
        if (strcmp(a->line, "\\data\\") == 0)
            break;
    }
    int order = 0;
    for (;;) {
        rc = next_content(a);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return arpa_fail(a, UNSPIN_EMODEL, "truncated in the \\data\\ "
                             "section");
        if (a->line[0] == '\\')
            break;
        int n;
        size_t count;
        if (parse_count_line(a, &n, &count) != 0)
            return arpa_fail(a, UNSPIN_EMODEL, "bad line in the \\data\\ "
                             "section: '%.60s'", a->line);
        if (n != order + 1)
            return arpa_fail(a, UNSPIN_EMODEL, "bad counts: ngram %d after "
                             "ngram %d", n, order);
        if (n > ARPA_MAX_ORDER)
            return arpa_fail(a, UNSPIN_EMODEL, "order %d not supported (at "
                             "most %d)", n, ARPA_MAX_ORDER);
        if (n == 1 && (count == 0 || count >= UINT32_MAX))
            return arpa_fail(a, UNSPIN_EMODEL, "bad counts: %zu unigrams",
                             count);
        a->declared[n - 1] = count;
        order = n;
    }
    if (order == 0)
        return arpa_fail(a, UNSPIN_EMODEL, "bad counts: no 'ngram N=count' "
                         "lines in \\data\\");
    a->lm->order = order;
    return UNSPIN_OK;
}

/* Make room for entry number `i` of order n (1-based). */
static int reserve(arpa *a, int n, size_t i)
{
    us_lm_source *lm = a->lm;
    size_t *cap = &a->cap[n - 1];
    if (i < *cap)
        return 0;
    size_t c;
    if (n == 1) {
        c = *cap;
        if (us_grow((void **)&lm->words, &c, i + 1, sizeof *lm->words))
            return -1;
        c = *cap;
        if (us_grow((void **)&lm->uni_prob, &c, i + 1, sizeof(float)))
            return -1;
        c = *cap;
        if (us_grow((void **)&lm->uni_bo, &c, i + 1, sizeof(float)))
            return -1;
    } else if (n == 2) {
        c = *cap;
        if (us_grow((void **)&lm->bi_prob, &c, i + 1, sizeof(float)))
            return -1;
        c = *cap;
        if (us_grow((void **)&lm->bi_bo, &c, i + 1, sizeof(float)))
            return -1;
        c = *cap;
        if (us_grow((void **)&lm->bi_w, &c, i + 1, 2 * sizeof(uint32_t)))
            return -1;
    } else {
        c = *cap;
        if (us_grow((void **)&lm->tri_prob, &c, i + 1, sizeof(float)))
            return -1;
        c = *cap;
        if (us_grow((void **)&lm->tri_w, &c, i + 1, 3 * sizeof(uint32_t)))
            return -1;
    }
    *cap = c;
    return 0;
}

/* Split a->line into at most `max` fields; returns how many there were
 * (max + 1 means "more"). */
static int split(arpa *a, const char **f, size_t *flen, int max)
{
    const char *s = a->line;
    int n = 0;
    while (*s) {
        while (is_space(*s))
            s++;
        if (!*s)
            break;
        const char *b = s;
        while (*s && !is_space(*s))
            s++;
        if (n == max)
            return max + 1;
        f[n] = b;
        flen[n] = (size_t)(s - b);
        n++;
    }
    return n;
}

static int read_entry(arpa *a, int n, size_t i)
{
    us_lm_source *lm = a->lm;
    const char *f[ARPA_MAX_ORDER + 2];
    size_t fl[ARPA_MAX_ORDER + 2];
    int nf = split(a, f, fl, n + 2);
    if (nf < n + 1)
        return arpa_fail(a, UNSPIN_EMODEL, "too few fields for a %d-gram",
                         n);
    if (nf > n + 2)
        return arpa_fail(a, UNSPIN_EMODEL, "too many fields for a %d-gram",
                         n);
    if (reserve(a, n, i) != 0)
        return arpa_oom(a);
    float prob, bo = 0.0f;
    int rc = parse_weight(a, f[0], fl[0], "probability", &prob);
    if (rc)
        return rc;
    if (prob > 0.0f)
        return arpa_fail(a, UNSPIN_EMODEL, "probability above 1 (log10 %g)",
                         (double)prob);
    /* A back-off on the highest order is meaningless; accept and drop it
     * for trigrams, keep it otherwise. */
    if (nf == n + 2 &&
        (rc = parse_weight(a, f[n + 1], fl[n + 1], "back-off", &bo)) != 0)
        return rc;
    if (n == 1) {
        if (word_hash_find(&a->hash, lm->words, f[1], fl[1]) != UINT32_MAX)
            return arpa_fail(a, UNSPIN_EMODEL, "duplicate unigram '%.*s'",
                             (int)fl[1], f[1]);
        lm->words[i] = us_strndup(f[1], fl[1]);
        if (!lm->words[i])
            return arpa_oom(a);
        lm->nwords = i + 1;
        if (word_hash_add(&a->hash, lm->words, (uint32_t)i) != 0)
            return arpa_oom(a);
        lm->uni_prob[i] = prob;
        lm->uni_bo[i] = bo;
        return 0;
    }
    uint32_t *w = n == 2 ? lm->bi_w + 2 * i : lm->tri_w + 3 * i;
    for (int k = 0; k < n; k++) {
        w[k] = word_hash_find(&a->hash, lm->words, f[k + 1], fl[k + 1]);
        if (w[k] == UINT32_MAX)
            return arpa_fail(a, UNSPIN_EMODEL, "word '%.*s' of a %d-gram is "
                             "not among the unigrams", (int)fl[k + 1],
                             f[k + 1], n);
    }
    if (n == 2) {
        lm->bi_prob[i] = prob;
        lm->bi_bo[i] = bo;
    } else {
        lm->tri_prob[i] = prob;
    }
    return 0;
}

/* Read section \n-grams: whose header is the current line; leaves the
 * line after it (a section header) current.  Returns 1 when that line
 * exists, 0 at end of file, or an error. */
static int read_section(arpa *a, int n)
{
    char want[32];
    snprintf(want, sizeof want, "\\%d-grams:", n);
    if (strcmp(a->line, want) != 0)
        return arpa_fail(a, UNSPIN_EMODEL, "expected '%s', found '%.60s'",
                         want, a->line);
    size_t i = 0, declared = a->declared[n - 1];
    int rc;
    while ((rc = next_content(a)) == 1 && a->line[0] != '\\') {
        if (i >= declared)
            return arpa_fail(a, UNSPIN_EMODEL, "wrong counts: more %d-grams "
                             "than the %zu \\data\\ declares", n, declared);
        if ((rc = read_entry(a, n, i)) != 0)
            return rc;
        i++;
    }
    if (rc < 0)
        return rc;
    if (rc == 0)
        return arpa_fail(a, UNSPIN_EMODEL, "truncated: end of file in the "
                         "%d-grams (no \\end\\)", n);
    if (i != declared)
        return arpa_fail(a, UNSPIN_EMODEL, "wrong counts: %zu %d-grams where "
                         "\\data\\ declares %zu", i, n, declared);
    a->lm->counts[n - 1] = i;
    return 1;
}

static int describe_dup(arpa *a, int n, const uint32_t *w)
{
    char buf[300];
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && used < sizeof buf; k++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s",
                                 k ? " " : "", a->lm->words[w[k]]);
    a->lineno = 0;
    return arpa_fail(a, UNSPIN_EMODEL, "duplicate %d-gram '%s'", n, buf);
}

static int read_arpa(arpa *a)
{
    int rc = read_counts(a);
    if (rc)
        return rc;
    us_lm_source *lm = a->lm;
    for (int n = 1; n <= lm->order; n++) {
        rc = read_section(a, n);
        if (rc < 0)
            return rc;
    }
    if (strcmp(a->line, "\\end\\") != 0)
        return arpa_fail(a, UNSPIN_EMODEL, "expected '\\end\\', found "
                         "'%.60s'", a->line);

    a->lineno = 0;
    if (lm->order >= 2) {
        if (us_lm_source_sort(lm->counts[1], 2, lm->bi_w, lm->bi_prob,
                              lm->bi_bo, lm->nwords) != 0)
            return arpa_oom(a);
        size_t d = us_lm_source_find_duplicate(lm->counts[1], 2, lm->bi_w);
        if (d < lm->counts[1])
            return describe_dup(a, 2, lm->bi_w + 2 * d);
    }
    if (lm->order >= 3) {
        if (us_lm_source_sort(lm->counts[2], 3, lm->tri_w, lm->tri_prob, NULL,
                              lm->nwords) != 0)
            return arpa_oom(a);
        size_t d = us_lm_source_find_duplicate(lm->counts[2], 3, lm->tri_w);
        if (d < lm->counts[2])
            return describe_dup(a, 3, lm->tri_w + 3 * d);
    }
    return UNSPIN_OK;
}

int us_lm_source_read_arpa(const char *path, us_lm_source *out,
                           unspin_error *err)
{
    if (!out || !path)
        return us_fail(err, UNSPIN_EINVAL, "us_lm_source_read_arpa: no path "
                       "or output");
    memset(out, 0, sizeof *out);
    arpa a = {0};
    a.path = path;
    a.err = err;
    a.lm = out;
    a.f = fopen(path, "rb");
    if (!a.f)
        return us_fail(err, UNSPIN_EIO, "%s: %s", path, strerror(errno));
    int rc = read_arpa(&a);
    fclose(a.f);
    free(a.line);
    word_hash_free(&a.hash);
    if (rc != UNSPIN_OK) {
        us_lm_source_free(out);
        return rc;
    }
    us_error_clear(err);
    return UNSPIN_OK;
}
