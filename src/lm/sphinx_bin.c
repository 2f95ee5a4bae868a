/*
 * sphinx_bin.c - read pocketsphinx's binary trie language model (the
 * "Trie Language Model" files of sphinxbase 5prealpha, e.g.
 * /usr/share/pocketsphinx/model/en-us/en-us.lm.bin) into a us_lm_source.
 *
 * File layout (little-endian, no padding), as sphinxbase writes it:
 *
 *   char  magic[19]          "Trie Language Model", no NUL
 *   uint8 order              1..5 (we take 1..3)
 *   uint32 counts[order]     n-gram counts; see "counts" below
 *   -- only when order > 1 --
 *   int32 unused
 *   float quant[]            65,536-entry tables: for each middle order
 *                            (bigrams of a trigram model) a probability
 *                            table then a back-off table; last, the
 *                            probability table of the highest order
 *   --
 *   unigram[counts[0] + 1]   { float prob; float bo; uint32 next; }, the
 *                            last one a sentinel holding only `next`
 *   middle array             bit-packed, for orders 2..order-1
 *   longest array            bit-packed, the highest order
 *   int32 k; char words[k]   counts[0] NUL-terminated words, id order
 *
 * The trie runs backwards: unigram[w].next..unigram[w+1].next is the range
 * of middle entries for bigrams ending in w; each middle entry holds the
 * word before (w1 of "w1 w"), its quantized probability and back-off, and
 * the start of its range in the next array, whose entries hold the word
 * before that.  Entries are bit fields packed back to back, each entry
 * `total_bits` wide, LSB first:
 *     middle:  word (word_bits) | bo (16) | prob (16) | next (next_bits)
 *     longest: word (word_bits) | prob (16)
 * with word_bits = bits needed for counts[0] and next_bits = bits needed
 * for the next order's count.  Each array holds count+1 entries (the last
 * only carries the final `next`) rounded up to bytes, plus 8 spare bytes.
 * Words within one range should be increasing (sphinxbase looks them up
 * by interpolation search), but are not always: see check_range.
 *
 * Weights are logarithms in base 1.0001 (pocketsphinx's default logbase;
 * the file does not record it).
 *
 * Counts: the header's counts size the arrays, but sphinxbase 5prealpha
 * can over-count the bigrams it adds as fillers (en-us.lm.bin says
 * 2,051,547 bigrams and holds 2,051,541).  The true numbers are the last
 * `next` pointers, and those are what we read and report.
 */
#include "source.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/common.h"

static const char k_magic[] = "Trie Language Model";
#define MAGIC_LEN (sizeof k_magic - 1)
#define QUANT_BINS 65536u
#define QUANT_BITS 16u
#define MAX_WORD_BITS 25u /* sphinxbase's own limit on word ids */

/* log10 of the base sphinx weights are stored in. */
#define SPHINX_LOG10_BASE 4.3427276862669637e-05 /* log10(1.0001) */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static float lef32(const uint8_t *p)
{
    uint32_t u = le32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static unsigned required_bits(uint64_t max_value)
{
    unsigned n = 0;
    while (max_value) {
        n++;
        max_value >>= 1;
    }
    return n;
}

/* A bit-packed array of the trie. */
typedef struct packed {
    const uint8_t *base;
    uint64_t bytes;       /* its size in the file */
    unsigned word_bits;
    unsigned total_bits;
    unsigned quant_bits;  /* 32 for middle, 16 for longest */
    unsigned next_bits;   /* 0 for longest */
} packed;

/* Bytes sphinxbase reserves for `entries` entries of `total_bits`. */
static uint64_t packed_size(uint64_t entries, unsigned total_bits)
{
    return ((entries + 1) * total_bits + 7) / 8 + sizeof(uint64_t);
}

/* Read `n` (<= 32) bits at bit offset `bit`.  Every field starts at least
 * 8 bytes before the array's end (the spare bytes), so this stays inside. */
static uint32_t bits_at(const packed *a, uint64_t bit, unsigned n)
{
    uint64_t v = le64(a->base + (bit >> 3)) >> (bit & 7);
    return (uint32_t)(v & ((UINT64_C(1) << n) - 1));
}

static uint32_t entry_word(const packed *a, uint64_t i)
{
    return bits_at(a, i * a->total_bits, a->word_bits);
}

static uint32_t entry_next(const packed *a, uint64_t i)
{
    return bits_at(a, i * a->total_bits + a->word_bits + a->quant_bits,
                   a->next_bits);
}

/* Quantized bo (low 16 bits) and prob (high 16 bits) of a middle entry,
 * or prob of a longest entry. */
static uint32_t entry_quant(const packed *a, uint64_t i, unsigned off)
{
    return bits_at(a, i * a->total_bits + a->word_bits + off, QUANT_BITS);
}

typedef struct parser {
    const char *name;
    unspin_error *err;
} parser;

static int corrupt(const parser *ps, const char *fmt, ...) US_PRINTF(2, 3);

static int corrupt(const parser *ps, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return us_fail(ps->err, UNSPIN_EMODEL, "%s: %s", ps->name, msg);
}

static int oom(const parser *ps)
{
    return us_fail(ps->err, UNSPIN_ENOMEM, "%s: out of memory", ps->name);
}

/* Convert a stored weight to log10; non-finite values mean damage. */
static int to_log10(float v, float *out)
{
    if (!isfinite(v))
        return -1;
    *out = (float)((double)v * SPHINX_LOG10_BASE);
    return 0;
}

/* The vocabulary: k bytes of NUL-terminated words. */
static int read_words(const parser *ps, const uint8_t *p, uint64_t k,
                      size_t n, us_lm_source *lm)
{
    lm->words = calloc(n, sizeof *lm->words);
    if (!lm->words)
        return oom(ps);
    lm->nwords = n;
    uint64_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *end = pos < k ? memchr(p + pos, 0, k - pos) : NULL;
        if (!end)
            return corrupt(ps, "bad vocabulary: %zu words where the header "
                           "says %zu", i, n);
        size_t wlen = (size_t)(end - (p + pos));
        lm->words[i] = us_strndup((const char *)p + pos, wlen);
        if (!lm->words[i])
            return oom(ps);
        pos += wlen + 1;
    }
    if (pos != k)
        return corrupt(ps, "bad vocabulary: %llu bytes after word %zu",
                       (unsigned long long)(k - pos), n);
    size_t bad;
    int rc = us_lm_source_check_vocab(lm->words, n, &bad);
    if (rc == -2)
        return oom(ps);
    if (rc != 0)
        return us_fail(ps->err, UNSPIN_EMODEL,
                       "%s: bad vocabulary: word %zu ('%s') is empty or a "
                       "duplicate", ps->name, bad, lm->words[bad]);
    return UNSPIN_OK;
}

/* Check the `next` pointers of ranges [first, first+n] are a
 * non-decreasing run starting at 0; return the last in *total. */
static int check_unigram_next(const parser *ps, const uint8_t *uni, size_t n,
                              uint64_t cap, uint64_t *total)
{
    uint32_t prev = 0;
    for (size_t i = 0; i <= n; i++) {
        uint32_t next = le32(uni + 12 * i + 8);
        if ((i == 0 && next != 0) || next < prev || next > cap)
            return corrupt(ps, "bad trie: unigram %zu points to bigram %lu",
                           i, (unsigned long)next);
        prev = next;
    }
    *total = prev;
    return UNSPIN_OK;
}

static int check_middle_next(const parser *ps, const packed *mid,
                             uint64_t n, uint64_t cap, uint64_t *total)
{
    uint32_t prev = 0;
    for (uint64_t i = 0; i <= n; i++) {
        uint32_t next = entry_next(mid, i);
        if ((i == 0 && next != 0) || next < prev || next > cap)
            return corrupt(ps, "bad trie: bigram entry %llu points to "
                           "trigram %lu", (unsigned long long)i,
                           (unsigned long)next);
        prev = next;
    }
    *total = prev;
    return UNSPIN_OK;
}

/* Words in [begin, end) of `a` must be word ids.  sphinxbase means them
 * to be increasing, but en-us.lm.bin has two 2-entry trigram ranges out
 * of order ("... and bullhorns", "... and jerri"), so order is not
 * required here; duplicates are caught after sorting. */
static int check_range(const parser *ps, const packed *a, uint64_t begin,
                       uint64_t end, size_t nwords, int order)
{
    for (uint64_t i = begin; i < end; i++) {
        uint32_t w = entry_word(a, i);
        if (w >= nwords)
            return corrupt(ps, "bad trie: word id %lu out of range in "
                           "%d-gram entry %llu", (unsigned long)w, order,
                           (unsigned long long)i);
    }
    return UNSPIN_OK;
}

static int parse(const parser *ps, const uint8_t *d, size_t len,
                 us_lm_source *lm)
{
    if (len == 0)
        return corrupt(ps, "empty file");
    if (memcmp(d, k_magic, len < MAGIC_LEN ? len : MAGIC_LEN) != 0)
        return corrupt(ps, "bad magic: not a sphinx trie language model");
    if (len < MAGIC_LEN + 1)
        return corrupt(ps, "truncated: %zu bytes, not even a header", len);
    int order = d[MAGIC_LEN];
    if (order < 1)
        return corrupt(ps, "bad header: order 0");
    if (order > 3)
        return corrupt(ps, "order %d not supported (at most 3)", order);

    uint64_t pos = MAGIC_LEN + 1;
    if (len < pos + 4u * (unsigned)order)
        return corrupt(ps, "truncated in the header: %zu bytes, needs %llu",
                       len, (unsigned long long)(pos + 4u * (unsigned)order));
    uint64_t hc[3] = {0, 0, 0};
    for (int i = 0; i < order; i++, pos += 4)
        hc[i] = le32(d + pos);
    if (hc[0] == 0 || required_bits(hc[0]) > MAX_WORD_BITS)
        return corrupt(ps, "bad counts: %llu unigrams",
                       (unsigned long long)hc[0]);

    /* Work out where every section lies, from the header's counts. */
    uint64_t quant_pos = 0;
    if (order > 1) {
        pos += 4; /* unused int */
        quant_pos = pos;
        pos += (uint64_t)(2 * (order - 2) + 1) * QUANT_BINS * 4;
    }
    uint64_t uni_pos = pos;
    pos += (hc[0] + 1) * 12;
    packed mid = {0}, lng = {0};
    unsigned word_bits = required_bits(hc[0]);
    if (order == 3) {
        mid.word_bits = word_bits;
        mid.quant_bits = 2 * QUANT_BITS;
        mid.next_bits = required_bits(hc[2]);
        mid.total_bits = word_bits + mid.quant_bits + mid.next_bits;
        mid.bytes = packed_size(hc[1], mid.total_bits);
        pos += mid.bytes;
    }
    if (order > 1) {
        lng.word_bits = word_bits;
        lng.quant_bits = QUANT_BITS;
        lng.total_bits = word_bits + QUANT_BITS;
        lng.bytes = packed_size(hc[order - 1], lng.total_bits);
        pos += lng.bytes;
    }
    if (pos + 4 > len)
        return corrupt(ps, "truncated or bad counts: the header's counts "
                       "need more than %llu bytes, the file has %zu",
                       (unsigned long long)(pos + 4), len);
    const uint8_t *quant = d + quant_pos;
    if (order == 3)
        mid.base = d + uni_pos + (hc[0] + 1) * 12;
    if (order > 1)
        lng.base = d + pos - lng.bytes;
    int32_t k = (int32_t)le32(d + pos);
    pos += 4;
    if (k < 0 || (uint64_t)k > len - pos)
        return corrupt(ps, "truncated in the vocabulary or bad counts: "
                       "%zu bytes, the header's counts and the vocabulary "
                       "size need %llu", len,
                       (unsigned long long)(k < 0 ? 0 : pos + (uint64_t)k));
    if (pos + (uint64_t)k != len)
        return corrupt(ps, "bad counts or trailing data: %llu unexpected "
                       "bytes after the vocabulary",
                       (unsigned long long)(len - pos - (uint64_t)k));

    int rc = read_words(ps, d + pos, (uint64_t)k, (size_t)hc[0], lm);
    if (rc)
        return rc;

    /* Unigrams. */
    size_t nw = (size_t)hc[0];
    const uint8_t *uni = d + uni_pos;
    lm->order = order;
    lm->counts[0] = nw;
    lm->uni_prob = malloc(nw * sizeof *lm->uni_prob);
    lm->uni_bo = malloc(nw * sizeof *lm->uni_bo);
    if (!lm->uni_prob || !lm->uni_bo)
        return oom(ps);
    for (size_t i = 0; i < nw; i++) {
        if (to_log10(lef32(uni + 12 * i), &lm->uni_prob[i]) ||
            to_log10(lef32(uni + 12 * i + 4), &lm->uni_bo[i]))
            return corrupt(ps, "bad weight for unigram %zu", i);
    }
    if (order == 1)
        return UNSPIN_OK;

    uint64_t nbi = 0, ntri = 0;
    rc = check_unigram_next(ps, uni, nw, hc[1], &nbi);
    if (rc)
        return rc;
    const packed *bi_arr = order == 3 ? &mid : &lng;
    for (size_t w = 0; w < nw; w++) {
        rc = check_range(ps, bi_arr, le32(uni + 12 * w + 8),
                         le32(uni + 12 * w + 20), nw, 2);
        if (rc)
            return rc;
    }
    if (order == 3) {
        rc = check_middle_next(ps, &mid, nbi, hc[2], &ntri);
        if (rc)
            return rc;
        for (uint64_t i = 0; i < nbi; i++) {
            rc = check_range(ps, &lng, entry_next(&mid, i),
                             entry_next(&mid, i + 1), nw, 3);
            if (rc)
                return rc;
        }
    }

    /* Everything is in bounds now: gather the n-grams in trie order. */
    lm->counts[1] = (size_t)nbi;
    lm->counts[2] = (size_t)ntri;
    lm->bi_w = malloc((size_t)nbi * 2 * sizeof *lm->bi_w + 1);
    lm->bi_prob = malloc((size_t)nbi * sizeof *lm->bi_prob + 1);
    lm->bi_bo = calloc((size_t)nbi + 1, sizeof *lm->bi_bo);
    if (!lm->bi_w || !lm->bi_prob || !lm->bi_bo)
        return oom(ps);
    if (order == 3) {
        lm->tri_w = malloc((size_t)ntri * 3 * sizeof *lm->tri_w + 1);
        lm->tri_prob = malloc((size_t)ntri * sizeof *lm->tri_prob + 1);
        if (!lm->tri_w || !lm->tri_prob)
            return oom(ps);
    }
    /* Table offsets inside `quant`: middle prob, middle bo, longest prob. */
    const uint8_t *mid_prob_tab = quant;
    const uint8_t *mid_bo_tab = quant + QUANT_BINS * 4;
    const uint8_t *long_prob_tab =
        quant + (uint64_t)(2 * (order - 2)) * QUANT_BINS * 4;

    size_t t = 0;
    for (uint32_t w = 0; w < nw; w++) {
        uint32_t b = le32(uni + 12 * (size_t)w + 8);
        uint32_t e = le32(uni + 12 * (size_t)w + 20);
        for (uint32_t i = b; i < e; i++) {
            uint32_t w1 = entry_word(bi_arr, i);
            lm->bi_w[2 * (size_t)i] = w1;
            lm->bi_w[2 * (size_t)i + 1] = w;
            int bad;
            if (order == 3) {
                uint32_t qbo = entry_quant(&mid, i, 0);
                uint32_t qp = entry_quant(&mid, i, QUANT_BITS);
                bad = to_log10(lef32(mid_prob_tab + 4 * qp), &lm->bi_prob[i]) ||
                      to_log10(lef32(mid_bo_tab + 4 * qbo), &lm->bi_bo[i]);
            } else {
                uint32_t qp = entry_quant(&lng, i, 0);
                bad = to_log10(lef32(long_prob_tab + 4 * qp), &lm->bi_prob[i]);
            }
            if (bad)
                return corrupt(ps, "bad weight for bigram entry %lu",
                               (unsigned long)i);
            if (order < 3)
                continue;
            uint32_t tb = entry_next(&mid, i), te = entry_next(&mid, i + 1);
            for (uint32_t j = tb; j < te; j++, t++) {
                lm->tri_w[3 * t] = entry_word(&lng, j);
                lm->tri_w[3 * t + 1] = w1;
                lm->tri_w[3 * t + 2] = w;
                uint32_t qp = entry_quant(&lng, j, 0);
                if (to_log10(lef32(long_prob_tab + 4 * qp), &lm->tri_prob[t]))
                    return corrupt(ps, "bad weight for trigram entry %lu",
                                   (unsigned long)j);
            }
        }
    }

    if (us_lm_source_sort(lm->counts[1], 2, lm->bi_w, lm->bi_prob, lm->bi_bo,
                          nw) != 0 ||
        (order == 3 && us_lm_source_sort(lm->counts[2], 3, lm->tri_w,
                                         lm->tri_prob, NULL, nw) != 0))
        return oom(ps);
    size_t dup = us_lm_source_find_duplicate(lm->counts[1], 2, lm->bi_w);
    if (dup < lm->counts[1])
        return corrupt(ps, "bad trie: duplicate bigram %zu", dup);
    if (order == 3) {
        dup = us_lm_source_find_duplicate(lm->counts[2], 3, lm->tri_w);
        if (dup < lm->counts[2])
            return corrupt(ps, "bad trie: duplicate trigram %zu", dup);
    }
    return UNSPIN_OK;
}

int us_lm_source_parse_sphinx(const void *data, size_t len, const char *name,
                              us_lm_source *out, unspin_error *err)
{
    if (!out)
        return us_fail(err, UNSPIN_EINVAL, "us_lm_source_parse_sphinx: "
                       "no output");
    memset(out, 0, sizeof *out);
    if (!data && len)
        return us_fail(err, UNSPIN_EINVAL, "us_lm_source_parse_sphinx: "
                       "no data");
    parser ps = {name ? name : "(memory)", err};
    int rc = parse(&ps, data, len, out);
    if (rc != UNSPIN_OK) {
        us_lm_source_free(out);
        return rc;
    }
    us_error_clear(err);
    return UNSPIN_OK;
}

int us_lm_source_read_sphinx(const char *path, us_lm_source *out,
                             unspin_error *err)
{
    if (!out || !path)
        return us_fail(err, UNSPIN_EINVAL, "us_lm_source_read_sphinx: "
                       "no path or output");
    memset(out, 0, sizeof *out);
    char *buf;
    size_t len;
    int rc = us_read_file(path, SIZE_MAX / 2, &buf, &len, err);
    if (rc != UNSPIN_OK)
        return rc;
    rc = us_lm_source_parse_sphinx(buf, len, path, out, err);
    free(buf);
    return rc;
}
