/*
 * Word alignment within a sentence pair.
 *
 * Tokens (spaces left out) are compared by their normalized form, so case
 * and curly quotes do not count as changes.  A longest common subsequence
 * gives the anchors; every stretch between two anchors is one
 * substitution, m words for n, or an insertion or deletion when one side
 * is empty.  Changed words with no unchanged token between them form one
 * substitution ("final yr" for "last year"): without a thesaurus, nothing
 * in the two texts says where one swapped phrase ends and the next begins.
 *
 * Plain LCS has many optima when a word repeats.  In "since the Cold War"
 * against "for the reason that the Chilly Struggle" either "the" can be the
 * anchor, and only the second gives the right substitutions.  So each match
 * also earns a small bonus for context: equal neighbours, and neighbours of
 * the same kind and case shape (the "the" before "Cold" goes with the "the"
 * before "Chilly", both followed by a capitalized word).  The score is
 * (matches << 32) + bonus, so the bonus only breaks ties between
 * alignments with the same number of anchors.
 *
 * A spinner also swaps a word for a phrase that holds it ("heart" ->
 * "coronary heart", "sales" -> "gross sales", "camera" -> "digital
 * camera").  The LCS anchors the shared word and leaves the extra words as
 * an insertion, which teaches nothing (training skips a side with no
 * words).  English phrases of this kind keep their head last, so a short
 * insertion of words holding a content word, straight before an anchored
 * content word, is taken with it: "heart" -> "coronary heart" is one
 * substitution (see attach_heads).  An insertion before a function word or
 * punctuation ("recalled this spring after") stays an insertion, and so
 * does one after a content word, which may be that word's ("court docket
 * ruled" for "court ruled").
 */
#include <stdlib.h>
#include <string.h>

#include "align.h"

typedef struct seqs {
    const unspin_token *ot, *rt;
    const size_t *oi, *ri;
    size_t on, rn;
} seqs;

static int same(const seqs *q, size_t a, size_t b)
{
    const unspin_token *x = &q->ot[q->oi[a]], *y = &q->rt[q->ri[b]];
    return x->norm_len == y->norm_len && memcmp(x->norm, y->norm, x->norm_len) == 0;
}

static int same_look(const unspin_token *x, const unspin_token *y)
{
    return x->kind == y->kind && x->shape == y->shape;
}

/* Context bonus of matching original token a with rewrite token b. */
static uint64_t bonus(const seqs *q, size_t a, size_t b)
{
    uint64_t w = 0;
    int hp = a > 0 && b > 0, hn = a + 1 < q->on && b + 1 < q->rn;
    if (hp && same(q, a - 1, b - 1))
        w += 4;
    if (hn && same(q, a + 1, b + 1))
        w += 4;
    if (hp ? same_look(&q->ot[q->oi[a - 1]], &q->rt[q->ri[b - 1]]) : (a == 0 && b == 0))
        w += 1;
    if (hn ? same_look(&q->ot[q->oi[a + 1]], &q->rt[q->ri[b + 1]])
           : (a + 1 == q->on && b + 1 == q->rn))
        w += 1;
    return w;
}

enum { DIAG = 1, UP = 2, LEFT = 3 };

/* Weighted LCS of o[p, p+n) and r[p, p+m); marks matched original tokens
 * in match_r (the rewrite index, or SIZE_MAX).  Returns -1 on ENOMEM. */
static int lcs(const seqs *q, size_t p, size_t n, size_t m, size_t *match_r)
{
    unsigned char *dir = malloc(n * m);
    uint64_t *prev = calloc(m + 1, sizeof *prev), *cur = calloc(m + 1, sizeof *cur);
    if (!dir || !prev || !cur) {
        free(dir), free(prev), free(cur);
        return -1;
    }
    for (size_t i = 1; i <= n; i++) {
        cur[0] = 0;
        for (size_t j = 1; j <= m; j++) {
            uint64_t best = prev[j];
            unsigned char d = UP;
            if (cur[j - 1] > best)
                best = cur[j - 1], d = LEFT;
            if (same(q, p + i - 1, p + j - 1)) {
                uint64_t v = prev[j - 1] + ((uint64_t)1 << 32) + bonus(q, p + i - 1, p + j - 1);
                if (v >= best)
                    best = v, d = DIAG;
            }
            cur[j] = best;
            dir[(i - 1) * m + (j - 1)] = d;
        }
        uint64_t *t = prev;
        prev = cur;
        cur = t;
    }
    for (size_t i = n, j = m; i > 0 && j > 0;) {
        unsigned char d = dir[(i - 1) * m + (j - 1)];
        if (d == DIAG)
            match_r[p + i - 1] = p + j - 1, i--, j--;
        else if (d == UP)
            i--;
        else
            j--;
    }
    free(dir), free(prev), free(cur);
    return 0;
}

/* Longest insertion attach_heads takes with the word after it. */
#define HEAD_MAX_EXTRA 2

static int content_word(const unspin_token *k)
{
    return k->kind == UNSPIN_TOKEN_WORD && !us_is_stopword(k->norm);
}

/* Un-anchor each content word that a short insertion of words (at least
 * one of them a content word) comes straight before, so that the word and
 * the insertion make one substitution with the word as the phrase's head:
 * "sales" -> "gross sales" rather than "" -> "gross". */
static void attach_heads(const seqs *q, size_t *match_r)
{
    size_t po = SIZE_MAX, pr = SIZE_MAX; /* the previous anchor, none yet */
    for (size_t a = 0; a < q->on; a++) {
        size_t b = match_r[a];
        if (b == SIZE_MAX)
            continue;
        size_t o0 = po == SIZE_MAX ? 0 : po + 1, r0 = pr == SIZE_MAX ? 0 : pr + 1;
        size_t extra = b - r0;
        int words = 1, content = 0;
        for (size_t j = r0; j < b && extra <= HEAD_MAX_EXTRA; j++) {
            const unspin_token *k = &q->rt[q->ri[j]];
            words &= k->kind == UNSPIN_TOKEN_WORD;
            content |= content_word(k);
        }
        /* After a content word the insertion may as well be that word's
         * ("court docket ruled" for "court ruled"): left alone. */
        int after_content = po != SIZE_MAX && content_word(&q->ot[q->oi[po]]);
        if (a == o0 && extra > 0 && extra <= HEAD_MAX_EXTRA && words && content &&
            !after_content && content_word(&q->ot[q->oi[a]])) {
            match_r[a] = SIZE_MAX; /* the next gap takes it in */
            continue;
        }
        po = a;
        pr = b;
    }
}

static int push_gap(us_gap **g, size_t *n, size_t *cap, us_gap x)
{
    if (x.o0 == x.o1 && x.r0 == x.r1)
        return 0;
    if (us_grow((void **)g, cap, *n + 1, sizeof **g) != 0)
        return -1;
    (*g)[(*n)++] = x;
    return 0;
}

/* The stretches between consecutive anchors. */
static int collect_gaps(const size_t *match_r, size_t on, size_t rn, us_gap **gaps,
                        size_t *ngaps)
{
    size_t cap = 0, po = 0, pr = 0;
    for (size_t a = 0; a < on; a++) {
        if (match_r[a] == SIZE_MAX)
            continue;
        if (push_gap(gaps, ngaps, &cap, (us_gap){po, a, pr, match_r[a]}) != 0)
            return -1;
        po = a + 1;
        pr = match_r[a] + 1;
    }
    return push_gap(gaps, ngaps, &cap, (us_gap){po, on, pr, rn});
}

int us_align_words(const unspin_token *ot, const size_t *oi, size_t on,
                   const unspin_token *rt, const size_t *ri, size_t rn,
                   us_gap **gaps, size_t *ngaps)
{
    seqs q = {ot, rt, oi, ri, on, rn};
    *gaps = NULL;
    *ngaps = 0;
    size_t *match_r = malloc((on ? on : 1) * sizeof *match_r);
    if (!match_r)
        return UNSPIN_ENOMEM;
    for (size_t a = 0; a < on; a++)
        match_r[a] = SIZE_MAX;
    /* A common prefix and suffix are part of some LCS: match them first
     * so the table covers only the middle. */
    size_t p = 0, s = 0;
    for (; p < on && p < rn && same(&q, p, p); p++)
        match_r[p] = p;
    for (; s < on - p && s < rn - p && same(&q, on - 1 - s, rn - 1 - s); s++)
        match_r[on - 1 - s] = rn - 1 - s;
    size_t n = on - p - s, m = rn - p - s;
    int rc = 0;
    /* Past the size limit the middle stays unmatched: one substitution. */
    if (n && m && n <= US_ALIGN_MAX_CELLS / m)
        rc = lcs(&q, p, n, m, match_r);
    if (rc == 0) {
        attach_heads(&q, match_r);
        rc = collect_gaps(match_r, on, rn, gaps, ngaps);
    }
    free(match_r);
    if (rc != 0) {
        free(*gaps);
        *gaps = NULL;
        *ngaps = 0;
        return UNSPIN_ENOMEM;
    }
    return UNSPIN_OK;
}
