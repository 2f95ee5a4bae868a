/*
 * Sentence matching.
 *
 * A rewrite may reorder sentences, drop some, add others, and join two
 * sentences into one or split one into two.  So the matching does not
 * assume order: each sentence of the original is scored against the
 * sentences of the rewrite that share content words with it (an inverted
 * index finds those, see DF_CAP), and against adjacent pairs of them for
 * merges (2:1 and 1:2).
 * Candidates at or above the threshold are then taken greedily, best score
 * first, each sentence used at most once.  Greedy is not the optimum of a
 * full assignment, but rewordings score well apart from everything else,
 * and the few near-ties that matter (a merge against one of its halves)
 * are settled by the merge rules below.
 */
#include <stdlib.h>
#include <string.h>

#include "align.h"

/* A merge must beat the better of its halves by this much... */
#define MERGE_MARGIN 0.01
/* ...and each half must bring this share of its own features that match
 * the other side and that its neighbour does not already hold.  Without
 * it, a neighbour that shares only the topic's names ("Biden", "Putin")
 * could ride along with a good 1:1 match.  The weaker half of the seeds'
 * merge (002's "This breakdown had a ripple impact...") brings between
 * 0.25 and 0.3; on synthetic merges of Brown sentences any value up to
 * 0.25 finds the same 252 of 278. */
#define MERGE_FRESH 0.15

typedef struct cands {
    us_match *m;
    size_t n, cap;
} cands;

static int push(cands *c, size_t o, unsigned n_o, size_t r, unsigned n_r, double score)
{
    if (us_grow((void **)&c->m, &c->cap, c->n + 1, sizeof *c->m) != 0)
        return -1;
    c->m[c->n++] = (us_match){o, r, n_o, n_r, score};
    return 0;
}

/* ---------------------------------------------------------------- */
/* Which rewrite units share a content word with a given unit        */

/* Scoring every pair of sentences is quadratic, and so is following the
 * postings of words found everywhere ("said", "people").  A query follows
 * only words held by at most DF_CAP units, plus its RAREST_ALWAYS rarest
 * words whatever their counts, and scores only the TOP_K units with the
 * best Dice coefficient on those words.  In an article no word reaches the
 * cap and few sentences share words with more than TOP_K others, so
 * nothing is cut; the 120 Brown documents as one 250 KB text align in
 * 0.4 s (1.7 s with no cut) and lose no pair. */
#define DF_CAP 64
#define RAREST_ALWAYS 3
#define TOP_K 32

typedef struct posting {
    uint64_t h;
    size_t unit;
} posting;

typedef struct wrange {
    size_t lo, hi;   /* postings [lo, hi) of one word */
} wrange;

typedef struct ranked {
    double dice;     /* of the queried words */
    size_t unit;
} ranked;

typedef struct windex {
    const us_side *side;
    posting *p;
    size_t n;
    size_t *stamp;   /* stamp[j] == mark when j is already in `hits` */
    size_t mark;
    unsigned *shared;/* queried words each hit holds */
    size_t *hits;    /* the units found for the current query */
    size_t nhits;
    ranked *rank;    /* scratch for index_finish */
    wrange *r;       /* scratch: the posting ranges of a query's words */
    size_t rcap;
} windex;

static int cmp_posting(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int index_build(windex *ix, const us_side *s)
{
    size_t total = 0;
    for (size_t j = 0; j < s->n; j++)
        total += s->units[j].words.n;
    memset(ix, 0, sizeof *ix);
    ix->side = s;
    ix->p = malloc((total ? total : 1) * sizeof *ix->p);
    ix->stamp = calloc(s->n ? s->n : 1, sizeof *ix->stamp);
    ix->shared = calloc(s->n ? s->n : 1, sizeof *ix->shared);
    ix->hits = malloc((s->n ? s->n : 1) * sizeof *ix->hits);
    ix->rank = malloc((s->n ? s->n : 1) * sizeof *ix->rank);
    if (!ix->p || !ix->stamp || !ix->shared || !ix->hits || !ix->rank)
        return -1;
    for (size_t j = 0; j < s->n; j++)
        for (size_t k = 0; k < s->units[j].words.n; k++)
            ix->p[ix->n++] = (posting){s->units[j].words.h[k], j};
    qsort(ix->p, ix->n, sizeof *ix->p, cmp_posting);
    return 0;
}

static void index_free(windex *ix)
{
    free(ix->p);
    free(ix->stamp);
    free(ix->shared);
    free(ix->hits);
    free(ix->rank);
    free(ix->r);
}

/* Start a new query: no hits yet. */
static void index_reset(windex *ix)
{
    ix->mark++;
    ix->nhits = 0;
}

static void index_hit(windex *ix, size_t unit)
{
    if (ix->stamp[unit] != ix->mark) {
        ix->stamp[unit] = ix->mark;
        ix->shared[unit] = 0;
        ix->hits[ix->nhits++] = unit;
    }
    ix->shared[unit]++;
}

static wrange postings_of(const windex *ix, uint64_t h)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->p[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->n && ix->p[end].h == h)
        end++;
    return (wrange){lo, end};
}

static int cmp_range(const void *a, const void *b)
{
    size_t x = ((const wrange *)a)->hi - ((const wrange *)a)->lo;
    size_t y = ((const wrange *)b)->hi - ((const wrange *)b)->lo;
    return x < y ? -1 : x > y;
}

/* Add to the hits the units holding u's rarer words (see DF_CAP). */
static int index_query(windex *ix, const us_unit *u)
{
    if (us_grow((void **)&ix->r, &ix->rcap, u->words.n + 1, sizeof *ix->r) != 0)
        return -1;
    for (size_t k = 0; k < u->words.n; k++)
        ix->r[k] = postings_of(ix, u->words.h[k]);
    qsort(ix->r, u->words.n, sizeof *ix->r, cmp_range);
    for (size_t k = 0; k < u->words.n; k++) {
        if (k >= RAREST_ALWAYS && ix->r[k].hi - ix->r[k].lo > DF_CAP)
            break;
        for (size_t i = ix->r[k].lo; i < ix->r[k].hi; i++)
            index_hit(ix, ix->p[i].unit);
    }
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_rank(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->dice != y->dice)
        return x->dice > y->dice ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* Keep the TOP_K hits with the best Dice coefficient on words (counting
 * only the words the query followed; nwords is the query's word count),
 * then put them in text order. */
static void index_finish(windex *ix, size_t nwords)
{
    if (ix->nhits > TOP_K) {
        for (size_t k = 0; k < ix->nhits; k++) {
            size_t j = ix->hits[k];
            double d = 2.0 * ix->shared[j] / (double)(nwords + ix->side->units[j].words.n);
            ix->rank[k] = (ranked){d, j};
        }
        qsort(ix->rank, ix->nhits, sizeof *ix->rank, cmp_rank);
        ix->nhits = TOP_K;
        for (size_t k = 0; k < ix->nhits; k++)
            ix->hits[k] = ix->rank[k].unit;
    }
    qsort(ix->hits, ix->nhits, sizeof *ix->hits, cmp_size);
}

/* ---------------------------------------------------------------- */
/* Candidates                                                        */

/* Best 1:1 score of each unit and the unit it was against. */
typedef struct nearest {
    double *score;
    size_t *unit;
} nearest;

static void note_nearest(nearest *nb, size_t me, size_t other, double s)
{
    if (nb->unit[me] == SIZE_MAX || s > nb->score[me]) {
        nb->score[me] = s;
        nb->unit[me] = other;
    }
}

/* Whether a merge of x1+x2 against y (score s) should be a candidate. */
static int merge_ok(const us_unit *x1, const us_unit *x2, const us_unit *y, double s,
                    double threshold)
{
    if (s < threshold)
        return 0;
    double s1 = us_group_similarity(x1, NULL, y, NULL);
    double s2 = us_group_similarity(x2, NULL, y, NULL);
    return s > (s1 > s2 ? s1 : s2) + MERGE_MARGIN && us_fresh_share(x1, x2, y) >= MERGE_FRESH &&
           us_fresh_share(x2, x1, y) >= MERGE_FRESH;
}

/* 1:1 candidates of original unit i, and its 1:2 merges. */
static int cands_for_unit(cands *c, const us_side *o, const us_side *r, windex *ix, size_t i,
                          double threshold, int merges, nearest *no, nearest *nr)
{
    const us_unit *u = &o->units[i];
    index_reset(ix);
    if (index_query(ix, u) != 0)
        return -1;
    index_finish(ix, u->words.n);
    for (size_t k = 0; k < ix->nhits; k++) {
        size_t j = ix->hits[k];
        double s = us_group_similarity(u, NULL, &r->units[j], NULL);
        note_nearest(no, i, j, s);
        note_nearest(nr, j, i, s);
        if (s >= threshold && push(c, i, 1, j, 1, s) != 0)
            return -1;
    }
    if (!merges)
        return 0;
    /* 1:2: rewrite pairs (j, j+1) with a hit on either half; hits are
     * sorted, so each pair is tried once. */
    size_t last = SIZE_MAX;
    for (size_t k = 0; k < ix->nhits; k++) {
        size_t h = ix->hits[k];
        for (size_t j = h ? h - 1 : 0; j <= h; j++) {
            if (j + 1 >= r->n || (last != SIZE_MAX && j <= last))
                continue;
            last = j;
            const us_unit *a = &r->units[j], *b = &r->units[j + 1];
            double s = us_group_similarity(u, NULL, a, b);
            if (merge_ok(a, b, u, s, threshold) && push(c, i, 1, j, 2, s) != 0)
                return -1;
        }
    }
    return 0;
}

/* 2:1 candidates of original units i and i+1. */
static int cands_for_merge(cands *c, const us_side *o, const us_side *r, windex *ix, size_t i,
                           double threshold)
{
    const us_unit *a = &o->units[i], *b = &o->units[i + 1];
    index_reset(ix);
    if (index_query(ix, a) != 0 || index_query(ix, b) != 0)
        return -1;
    index_finish(ix, a->words.n + b->words.n);
    for (size_t k = 0; k < ix->nhits; k++) {
        const us_unit *y = &r->units[ix->hits[k]];
        double s = us_group_similarity(a, b, y, NULL);
        if (merge_ok(a, b, y, s, threshold) && push(c, i, 2, ix->hits[k], 1, s) != 0)
            return -1;
    }
    return 0;
}

/* Best score first; ties in text order, 1:1 before merges. */
static int cmp_match(const void *x, const void *y)
{
    const us_match *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->n_o + a->n_r != b->n_o + b->n_r)
        return a->n_o + a->n_r < b->n_o + b->n_r ? -1 : 1;
    if (a->o != b->o)
        return a->o < b->o ? -1 : 1;
    return a->r < b->r ? -1 : a->r > b->r;
}

/* Take candidates best first; a unit already taken blocks the rest. */
static size_t take_greedy(us_match *m, size_t n, unsigned char *used_o, unsigned char *used_r)
{
    if (n)
        qsort(m, n, sizeof *m, cmp_match);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        us_match x = m[i];
        int busy = used_o[x.o] || (x.n_o == 2 && used_o[x.o + 1]) || used_r[x.r] ||
                   (x.n_r == 2 && used_r[x.r + 1]);
        if (busy)
            continue;
        used_o[x.o] = 1;
        used_r[x.r] = 1;
        if (x.n_o == 2)
            used_o[x.o + 1] = 1;
        if (x.n_r == 2)
            used_r[x.r + 1] = 1;
        m[k++] = x;
    }
    return k;
}

/* ---------------------------------------------------------------- */
/* Position as evidence                                              */

/* A heavily spun sentence can fall below the threshold ("The company said
 * that personal data used by the features would stay on the phone" against
 * "The firm stated that private knowledge utilized by the options would
 * keep on the cellphone": 0.13) although it sits where its original sat.
 * So when the matches taken leave a stretch of sentences unpaired on both
 * sides, between two pairs that keep the order (or a pair and the start or
 * end of the texts), with as many sentences on each side, those are paired
 * in order when their similarity reaches RESCUE_FLOOR (scaled with the
 * threshold: 0.1 at the default 0.35) and their tokens keep the same order:
 * the longest common subsequence of all their tokens, punctuation and
 * function words included, is at least RESCUE_ORDER of them (Dice).  A
 * spinner swaps words in place, so its copies keep the function words and
 * punctuation in order.  On the project's news pairs (models/pairs 01-27,
 * 436 sentences) that share is 0.485 and more for every sentence against
 * its spun copy, and above 0.41 for 1 of the 6,618 pairs of a sentence with
 * another spun sentence of its document (0.452, similarity 0.26); on the
 * seeds 000/002 (two outlets' reports) only the shared sentences reach it.
 * The scientific pairs (28-33), with a third or more of their content words
 * swapped, leave 12 of their 238 sentences unpaired.
 * A rescued pair keeps its similarity, below the threshold.  At a
 * threshold of 1 (identical sentences only) nothing is rescued.  A copy
 * with every content word swapped (similarity near 0) is not rescued: the
 * order of function words alone does not tell it from another sentence. */
#define RESCUE_FLOOR 0.10
#define RESCUE_ORDER 0.45
/* Longest sentences compared token by token, in LCS cells. */
#define RESCUE_MAX_CELLS ((size_t)1 << 20)

/* Dice share of the tokens (spaces left out) of two units that a longest
 * common subsequence of their normalized forms covers. */
static double order_share(const us_side *o, const us_unit *a, const us_side *r, const us_unit *b)
{
    const unspin_token *ot = unspin_text_tokens(o->text), *rt = unspin_text_tokens(r->text);
    size_t n = 0, m = 0;
    for (size_t i = a->first_tok; i < a->end_tok; i++)
        n += ot[i].kind != UNSPIN_TOKEN_SPACE;
    for (size_t j = b->first_tok; j < b->end_tok; j++)
        m += rt[j].kind != UNSPIN_TOKEN_SPACE;
    if (!n || !m || n > RESCUE_MAX_CELLS / m)
        return 0;
    size_t *row = calloc(m + 1, sizeof *row);
    if (!row)
        return -1;
    for (size_t i = a->first_tok; i < a->end_tok; i++) {
        const unspin_token *x = &ot[i];
        if (x->kind == UNSPIN_TOKEN_SPACE)
            continue;
        size_t diag = 0, k = 0; /* diag: row[k - 1] of the previous token */
        for (size_t j = b->first_tok; j < b->end_tok; j++) {
            const unspin_token *y = &rt[j];
            if (y->kind == UNSPIN_TOKEN_SPACE)
                continue;
            k++;
            size_t up = row[k];
            if (x->norm_len == y->norm_len && memcmp(x->norm, y->norm, x->norm_len) == 0)
                row[k] = diag + 1;
            else if (row[k - 1] > row[k])
                row[k] = row[k - 1];
            diag = up;
        }
    }
    double share = 2.0 * (double)row[m] / (double)(n + m);
    free(row);
    return share;
}

static int cmp_by_orig(const void *x, const void *y)
{
    const us_match *a = x, *b = y;
    return a->o < b->o ? -1 : a->o > b->o;
}

/* Pairs the unpaired stretches between order-keeping matches (above).
 * m[0, kept) are the matches taken; rescued ones are pushed after them.
 * Returns the new number of matches, or SIZE_MAX on ENOMEM. */
static size_t rescue_in_order(cands *c, size_t kept, const us_side *o, const us_side *r,
                              double threshold, unsigned char *used_o, unsigned char *used_r)
{
    if (threshold >= 1 || kept == 0)
        return kept;
    double low = threshold * (RESCUE_FLOOR / UNSPIN_ALIGN_THRESHOLD);
    us_match *chain = malloc(kept * sizeof *chain);
    if (!chain)
        return SIZE_MAX;
    memcpy(chain, c->m, kept * sizeof *chain);
    qsort(chain, kept, sizeof *chain, cmp_by_orig);
    c->n = kept;
    /* Stretch k lies between chain[k - 1] (or the start) and chain[k] (or
     * the end). */
    for (size_t k = 0; k <= kept; k++) {
        size_t o0 = k ? chain[k - 1].o + chain[k - 1].n_o : 0;
        size_t r0 = k ? chain[k - 1].r + chain[k - 1].n_r : 0;
        size_t o1 = k < kept ? chain[k].o : o->n, r1 = k < kept ? chain[k].r : r->n;
        if (o1 <= o0 || r1 < r0 || o1 - o0 != r1 - r0)
            continue;
        int free_run = 1;
        for (size_t t = 0; t < o1 - o0 && free_run; t++)
            free_run = !used_o[o0 + t] && !used_r[r0 + t];
        for (size_t t = 0; free_run && t < o1 - o0; t++) {
            const us_unit *a = &o->units[o0 + t], *b = &r->units[r0 + t];
            double s = us_group_similarity(a, NULL, b, NULL);
            if (s < low)
                continue;
            double share = order_share(o, a, r, b);
            if (share < 0 || (share >= RESCUE_ORDER && push(c, o0 + t, 1, r0 + t, 1, s) != 0)) {
                free(chain);
                return SIZE_MAX;
            }
            if (share >= RESCUE_ORDER)
                used_o[o0 + t] = used_r[r0 + t] = 1;
        }
    }
    free(chain);
    return c->n;
}

/* After the matches: each unit left over, with its nearest score. */
static int add_unpaired(cands *c, size_t kept, const us_side *o, const us_side *r,
                        const unsigned char *used_o, const unsigned char *used_r,
                        const nearest *no, const nearest *nr)
{
    c->n = kept;
    for (size_t i = 0; i < o->n; i++)
        if (!used_o[i] && push(c, i, 1, no->unit[i], 0, no->unit[i] == SIZE_MAX ? 0 : no->score[i]))
            return -1;
    for (size_t j = 0; j < r->n; j++)
        if (!used_r[j] && push(c, nr->unit[j], 0, j, 1, nr->unit[j] == SIZE_MAX ? 0 : nr->score[j]))
            return -1;
    return 0;
}

int us_match_sentences(const us_side *o, const us_side *r, double threshold, int merges,
                       us_match **out, size_t *count)
{
    cands c = {0};
    windex ix;
    nearest no = {calloc(o->n + 1, sizeof(double)), malloc((o->n + 1) * sizeof(size_t))};
    nearest nr = {calloc(r->n + 1, sizeof(double)), malloc((r->n + 1) * sizeof(size_t))};
    unsigned char *used_o = calloc(o->n + 1, 1), *used_r = calloc(r->n + 1, 1);
    int rc = (index_build(&ix, r) != 0 || !no.score || !no.unit || !nr.score || !nr.unit ||
              !used_o || !used_r) ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < o->n; i++)
        no.unit[i] = SIZE_MAX;
    for (size_t j = 0; rc == 0 && j < r->n; j++)
        nr.unit[j] = SIZE_MAX;
    for (size_t i = 0; rc == 0 && i < o->n; i++)
        rc = cands_for_unit(&c, o, r, &ix, i, threshold, merges, &no, &nr);
    for (size_t i = 0; rc == 0 && merges && i + 1 < o->n; i++)
        rc = cands_for_merge(&c, o, r, &ix, i, threshold);
    size_t kept = 0;
    if (rc == 0) {
        kept = rescue_in_order(&c, take_greedy(c.m, c.n, used_o, used_r), o, r, threshold,
                               used_o, used_r);
        rc = kept == SIZE_MAX ? -1 : 0;
    }
    if (rc == 0)
        rc = add_unpaired(&c, kept, o, r, used_o, used_r, &no, &nr);
    index_free(&ix);
    free(no.score);
    free(no.unit);
    free(nr.score);
    free(nr.unit);
    free(used_o);
    free(used_r);
    if (rc != 0) {
        free(c.m);
        return UNSPIN_ENOMEM;
    }
    *out = c.m;
    *count = c.n;
    return UNSPIN_OK;
}
