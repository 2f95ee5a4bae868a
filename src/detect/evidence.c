/*
 * The document's evidence of spinning.
 *
 * A sentence's log10 likelihood ratio (spun at the first pass's prior
 * against natural) is shared among its words in proportion to their swap
 * posteriors and added up by word type.  A type seen with evidence n times
 * counts sqrt(n) times, not n: a word used over and over, be it the
 * writer's own choice of a rare term ("furrow" five times in one story) or
 * one rule of a spinner's table, is one piece of evidence seen again, not
 * n independent ones.  Sentences with no positive evidence, and words
 * unknown to the model, count as they are.
 *
 * make quality (document AUC, natural against spun): rate 0.1 from 0.948
 * to 0.958, rate 0.25 from 0.9989 to 0.9994, and with one rule per word
 * and document (spinsim --consistent) at 0.25 from 0.9970 to 0.9977.
 */
#include <math.h>
#include <stdlib.h>

#include "../model/strtab.h"
#include "evidence.h"

/* Words less likely than this to be swaps take no share. */
#define MIN_POST 0.001

static size_t slot_of(const us_type_ev *t, size_t cap, uint32_t vid)
{
    size_t h = (size_t)(vid * 2654435761u) & (cap - 1);
    while (t[h].vid != US_STR_NONE && t[h].vid != vid)
        h = (h + 1) & (cap - 1);
    return h;
}

static int grow(us_evidence *e)
{
    size_t cap = e->cap ? 2 * e->cap : 256;
    us_type_ev *t = malloc(cap * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < cap; i++)
        t[i] = (us_type_ev){US_STR_NONE, 0, 0.0};
    for (size_t i = 0; i < e->cap; i++)
        if (e->t[i].vid != US_STR_NONE)
            t[slot_of(t, cap, e->t[i].vid)] = e->t[i];
    free(e->t);
    e->t = t;
    e->cap = cap;
    return 0;
}

static us_type_ev *entry(us_evidence *e, uint32_t vid)
{
    if (2 * (e->n + 1) > e->cap && grow(e) != 0)
        return NULL;
    us_type_ev *x = &e->t[slot_of(e->t, e->cap, vid)];
    if (x->vid == US_STR_NONE) {
        x->vid = vid;
        e->n++;
    }
    return x;
}

int us_evidence_add(us_evidence *e, double llr, const uint32_t *vid, const double *post,
                    size_t n)
{
    double ps = 0;
    for (size_t i = 0; i < n; i++)
        if (post[i] > MIN_POST)
            ps += post[i];
    if (!(llr > 0) || ps <= 0) {
        e->direct += llr;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(post[i] > MIN_POST))
            continue;
        double share = llr * post[i] / ps;
        if (vid[i] == US_STR_NONE) {
            e->direct += share;
            continue;
        }
        us_type_ev *x = entry(e, vid[i]);
        if (!x)
            return -1;
        x->sum += share;
        x->n++;
    }
    return 0;
}

double us_evidence_total(const us_evidence *e)
{
    double total = e->direct;
    for (size_t i = 0; i < e->cap; i++)
        if (e->t[i].vid != US_STR_NONE && e->t[i].n)
            total += e->t[i].sum / sqrt((double)e->t[i].n);
    return total;
}

void us_evidence_free(us_evidence *e)
{
    free(e->t);
    *e = (us_evidence){0};
}
