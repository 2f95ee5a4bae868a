/*
 * unspin_align: tokenize both texts, match sentences (sentences.c), align
 * the words of each pair (words.c) and keep the result in one handle.
 */
#include <stdlib.h>
#include <string.h>

#include "align.h"

struct unspin_alignment {
    unspin_text *orig, *rew;
    double threshold;
    unspin_align_pair *pairs;
    size_t npairs;
    unspin_align_subst *subs;
    size_t nsubs, cap_subs;
    /* Substitution texts, NUL-separated; the subs' pointers are set once
     * the pool stops moving. */
    char *pool;
    size_t pool_len, pool_cap;
    size_t *text_off;       /* 2 per substitution: orig, rewrite */
    size_t cap_off;
};

void unspin_align_options_default(unspin_align_options *opts)
{
    if (!opts)
        return;
    opts->threshold = UNSPIN_ALIGN_THRESHOLD;
    opts->merges = 1;
    opts->text_flags = 0;
}

const char *unspin_align_kind_name(unspin_align_kind kind)
{
    static const char *const names[] = {"identical", "rewording", "dropped", "added"};
    return (unsigned)kind < US_ARRAY_LEN(names) ? names[kind] : "?";
}

/* ---------------------------------------------------------------- */
/* Building the pairs                                                */

/* The tokens of a group of units, spaces left out, as indexes. */
static size_t *group_tokens(const us_side *s, size_t first, unsigned n, size_t *count)
{
    const unspin_token *tok = unspin_text_tokens(s->text);
    size_t total = 0;
    for (unsigned u = 0; u < n; u++)
        total += s->units[first + u].end_tok - s->units[first + u].first_tok;
    size_t *idx = malloc((total ? total : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    *count = 0;
    for (unsigned u = 0; u < n; u++)
        for (size_t k = s->units[first + u].first_tok; k < s->units[first + u].end_tok; k++)
            if (tok[k].kind != UNSPIN_TOKEN_SPACE)
                idx[(*count)++] = k;
    return idx;
}

static void fill_side(unspin_align_side *out, const us_side *s, size_t first, unsigned n)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    const unspin_token *tok = unspin_text_tokens(s->text);
    const us_unit *a = &s->units[first], *b = &s->units[first + n - 1];
    out->count = n;
    for (unsigned u = 0; u < n; u++)
        out->sentences[u] = s->units[first + u].sentence;
    out->start = tok[a->first_tok].start;
    out->start16 = tok[a->first_tok].start16;
    out->end = tok[b->end_tok - 1].end;
    out->end16 = tok[b->end_tok - 1].end16;
}

static int pool_add(unspin_alignment *al, const char *s, size_t n, size_t *off)
{
    if (us_grow((void **)&al->pool, &al->pool_cap, al->pool_len + n + 1, 1) != 0)
        return -1;
    *off = al->pool_len;
    if (n)
        memcpy(al->pool + al->pool_len, s, n);
    al->pool[al->pool_len + n] = '\0';
    al->pool_len += n + 1;
    return 0;
}

/* One side of a substitution: tokens idx[a, b) of a text, or the point
 * after idx[a-1] when the stretch is empty. */
typedef struct stretch {
    size_t start, end, start16, end16, words;
} stretch;

static stretch make_stretch(const unspin_token *tok, const size_t *idx, size_t a, size_t b)
{
    stretch s = {0};
    if (a == b) {
        const unspin_token *k = &tok[idx[a ? a - 1 : 0]];
        s.start = s.end = a ? k->end : k->start;
        s.start16 = s.end16 = a ? k->end16 : k->start16;
        return s;
    }
    s.start = tok[idx[a]].start;
    s.start16 = tok[idx[a]].start16;
    s.end = tok[idx[b - 1]].end;
    s.end16 = tok[idx[b - 1]].end16;
    for (size_t i = a; i < b; i++)
        s.words += tok[idx[i]].kind == UNSPIN_TOKEN_WORD || tok[idx[i]].kind == UNSPIN_TOKEN_NUMBER;
    return s;
}

static int add_subst(unspin_alignment *al, size_t pair, stretch o, stretch r)
{
    size_t n = al->nsubs;
    if (us_grow((void **)&al->subs, &al->cap_subs, n + 1, sizeof *al->subs) != 0 ||
        us_grow((void **)&al->text_off, &al->cap_off, 2 * (n + 1), sizeof *al->text_off) != 0)
        return -1;
    size_t olen, rlen;
    const char *od = unspin_text_data(al->orig, &olen), *rd = unspin_text_data(al->rew, &rlen);
    if (pool_add(al, od + o.start, o.end - o.start, &al->text_off[2 * n]) != 0 ||
        pool_add(al, rd + r.start, r.end - r.start, &al->text_off[2 * n + 1]) != 0)
        return -1;
    al->subs[n] = (unspin_align_subst){
        .pair = pair,
        .orig_start = o.start, .orig_end = o.end,
        .orig_start16 = o.start16, .orig_end16 = o.end16,
        .rewrite_start = r.start, .rewrite_end = r.end,
        .rewrite_start16 = r.start16, .rewrite_end16 = r.end16,
        .orig_words = o.words, .rewrite_words = r.words,
    };
    al->nsubs++;
    return 0;
}

/* Word-align a matched pair and record its substitutions. */
static int align_pair(unspin_alignment *al, const us_side *o, const us_side *r,
                      const us_match *m, unspin_align_pair *p, size_t pi)
{
    size_t on = 0, rn = 0, ng = 0;
    size_t *oi = group_tokens(o, m->o, m->n_o, &on), *ri = group_tokens(r, m->r, m->n_r, &rn);
    us_gap *g = NULL;
    int rc = oi && ri ? us_align_words(unspin_text_tokens(al->orig), oi, on,
                                       unspin_text_tokens(al->rew), ri, rn, &g, &ng)
                      : UNSPIN_ENOMEM;
    p->first_subst = al->nsubs;
    for (size_t k = 0; rc == UNSPIN_OK && k < ng; k++)
        if (add_subst(al, pi, make_stretch(unspin_text_tokens(al->orig), oi, g[k].o0, g[k].o1),
                      make_stretch(unspin_text_tokens(al->rew), ri, g[k].r0, g[k].r1)) != 0)
            rc = UNSPIN_ENOMEM;
    p->subst_count = al->nsubs - p->first_subst;
    free(oi), free(ri), free(g);
    return rc;
}

static int build_pair(unspin_alignment *al, const us_side *o, const us_side *r,
                      const us_match *m, size_t pi)
{
    unspin_align_pair *p = &al->pairs[pi];
    fill_side(&p->orig, o, m->o, m->n_o);
    fill_side(&p->rewrite, r, m->r, m->n_r);
    p->similarity = m->score;
    p->nearest = SIZE_MAX;
    p->first_subst = al->nsubs;
    p->subst_count = 0;
    if (m->n_o == 0 || m->n_r == 0) {
        /* Unpaired: the match's other index is the nearest unit, if any. */
        p->kind = m->n_o ? UNSPIN_ALIGN_DROPPED : UNSPIN_ALIGN_ADDED;
        size_t near = m->n_o ? m->r : m->o;
        if (near != SIZE_MAX)
            p->nearest = (m->n_o ? r : o)->units[near].sentence;
        return UNSPIN_OK;
    }
    int rc = align_pair(al, o, r, m, p, pi);
    p->kind = p->subst_count ? UNSPIN_ALIGN_REWORDING : UNSPIN_ALIGN_IDENTICAL;
    if (p->kind == UNSPIN_ALIGN_IDENTICAL)
        p->similarity = 1.0;
    return rc;
}

/* Pairs with a rewrite side in the rewrite's order, then the dropped ones
 * in the original's. */
static int cmp_output(const void *x, const void *y)
{
    const us_match *a = x, *b = y;
    int da = a->n_r == 0, db = b->n_r == 0;
    if (da != db)
        return da - db;
    size_t ka = da ? a->o : a->r, kb = db ? b->o : b->r;
    return ka < kb ? -1 : ka > kb;
}

static int build_pairs(unspin_alignment *al, const us_side *o, const us_side *r,
                       us_match *m, size_t n)
{
    if (n)
        qsort(m, n, sizeof *m, cmp_output);
    al->pairs = calloc(n ? n : 1, sizeof *al->pairs);
    if (!al->pairs)
        return UNSPIN_ENOMEM;
    al->npairs = n;
    for (size_t i = 0; i < n; i++)
        if (build_pair(al, o, r, &m[i], i) != UNSPIN_OK)
            return UNSPIN_ENOMEM;
    for (size_t i = 0; i < al->nsubs; i++) {
        al->subs[i].orig = al->pool + al->text_off[2 * i];
        al->subs[i].rewrite = al->pool + al->text_off[2 * i + 1];
    }
    return UNSPIN_OK;
}

/* ---------------------------------------------------------------- */

static int tokenize(const char *s, size_t len, unsigned flags, const char *which,
                    unspin_text **out, unspin_error *err)
{
    unspin_error e;
    int rc = unspin_text_new(s, len, flags, out, &e);
    if (rc != UNSPIN_OK)
        return us_fail(err, rc, "%s: %s", which, e.message);
    return UNSPIN_OK;
}

static int check_options(const unspin_align_options *opts, unspin_error *err)
{
    if (!(opts->threshold >= 0 && opts->threshold <= 1))
        return us_fail(err, UNSPIN_EINVAL, "align: threshold %g is not in [0, 1]",
                       opts->threshold);
    return UNSPIN_OK;
}

int unspin_align(const char *orig, size_t olen, const char *rewrite, size_t rlen,
                 const unspin_align_options *opts, unspin_alignment **out, unspin_error *err)
{
    us_error_clear(err);
    unspin_align_options d;
    unspin_align_options_default(&d);
    if (!opts)
        opts = &d;
    if (!out || (!orig && olen) || (!rewrite && rlen))
        return us_fail(err, UNSPIN_EINVAL, "unspin_align: NULL argument");
    *out = NULL;
    int rc = check_options(opts, err);
    if (rc != UNSPIN_OK)
        return rc;
    unspin_alignment *al = calloc(1, sizeof *al);
    if (!al)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    al->threshold = opts->threshold;
    rc = tokenize(orig, olen, opts->text_flags, "original", &al->orig, err);
    if (rc == UNSPIN_OK)
        rc = tokenize(rewrite, rlen, opts->text_flags, "rewrite", &al->rew, err);
    us_side o = {0}, r = {0};
    us_match *m = NULL;
    size_t nm = 0;
    if (rc == UNSPIN_OK && (us_side_build(&o, al->orig, 0) != UNSPIN_OK ||
                            us_side_build(&r, al->rew, 0) != UNSPIN_OK ||
                            us_match_sentences(&o, &r, opts->threshold, opts->merges, &m,
                                               &nm) != UNSPIN_OK ||
                            build_pairs(al, &o, &r, m, nm) != UNSPIN_OK))
        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory while aligning");
    free(m);
    us_side_free(&o);
    us_side_free(&r);
    if (rc != UNSPIN_OK) {
        unspin_alignment_free(al);
        return rc;
    }
    *out = al;
    return UNSPIN_OK;
}

void unspin_alignment_free(unspin_alignment *a)
{
    if (!a)
        return;
    unspin_text_free(a->orig);
    unspin_text_free(a->rew);
    free(a->pairs);
    free(a->subs);
    free(a->pool);
    free(a->text_off);
    free(a);
}

size_t unspin_alignment_pair_count(const unspin_alignment *a) { return a ? a->npairs : 0; }
const unspin_align_pair *unspin_alignment_pairs(const unspin_alignment *a)
{
    return a ? a->pairs : NULL;
}
size_t unspin_alignment_subst_count(const unspin_alignment *a) { return a ? a->nsubs : 0; }
const unspin_align_subst *unspin_alignment_substs(const unspin_alignment *a)
{
    return a ? a->subs : NULL;
}
const unspin_text *unspin_alignment_orig(const unspin_alignment *a) { return a ? a->orig : NULL; }
const unspin_text *unspin_alignment_rewrite(const unspin_alignment *a)
{
    return a ? a->rew : NULL;
}
double unspin_alignment_threshold(const unspin_alignment *a) { return a ? a->threshold : 0; }

int unspin_align_similarity(const char *a, size_t alen, const char *b, size_t blen,
                            double *out, unspin_error *err)
{
    us_error_clear(err);
    if (!out || (!a && alen) || (!b && blen))
        return us_fail(err, UNSPIN_EINVAL, "unspin_align_similarity: NULL argument");
    *out = 0;
    unspin_text *ta = NULL, *tb = NULL;
    int rc = tokenize(a, alen, 0, "first text", &ta, err);
    if (rc == UNSPIN_OK)
        rc = tokenize(b, blen, 0, "second text", &tb, err);
    us_side sa = {0}, sb = {0};
    if (rc == UNSPIN_OK &&
        (us_side_build(&sa, ta, 1) != UNSPIN_OK || us_side_build(&sb, tb, 1) != UNSPIN_OK))
        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
    if (rc == UNSPIN_OK && sa.n && sb.n)
        *out = us_group_similarity(&sa.units[0], NULL, &sb.units[0], NULL);
    us_side_free(&sa);
    us_side_free(&sb);
    unspin_text_free(ta);
    unspin_text_free(tb);
    return rc;
}
