/*
 * Decoding: for each sentence, the forward-backward and Viterbi algorithms
 * over the candidate lattice with trigram LM states, then spans, originals
 * and the document verdict.
 *
 * Scores are log10.  A hypothesis at a slot boundary is the LM state (the
 * last two original words); arcs move hypotheses forward, adding the LM
 * score of their original words and their channel score.  Each boundary
 * keeps at most BEAM states.  The swap prior is re-estimated once from the
 * first pass (a document with many likely swaps is judged with a higher
 * prior), which also gives the document's estimated spin rate.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../text/utf8.h"
#include "detect.h"
#include "evidence.h"

#ifndef BEAM
#define BEAM 32
#endif
#define MAX_SLOTS 256          /* longer sentences are cut into windows */
#define CHUNK_BYTES ((size_t)64 << 10) /* bounds the candidate cache */
#ifndef SCORE_CENTER
#define SCORE_CENTER 20.0      /* log10 likelihood ratio per 1,000 words ... */
#endif
#ifndef SCORE_SCALE
#define SCORE_SCALE 3.75       /* ... and its spread, for the score */
#endif
#ifndef PRIOR_RATE
#define PRIOR_RATE 0.01        /* swap prior of the first pass */
#endif
#ifndef PREFILTER
#define PREFILTER (-3.0)       /* log10 odds below which an arc is dropped */
#endif
#ifndef LOG_LEARNED_PRIOR
#define LOG_LEARNED_PRIOR (-1.0) /* log10 prior of a learned swap */
#endif
#ifndef QUIET_BELOW_SCORE
#define QUIET_BELOW_SCORE 0.4  /* documents scored below this ... */
#endif
#ifndef QUIET_FULL_SCORE
#define QUIET_FULL_SCORE 0.9   /* ... up to this score (see quiet_spans) */
#endif
#ifndef QUIET_MIN_CONFIDENCE
#define QUIET_MIN_CONFIDENCE 0.99 /* ... report only spans this sure */
#endif
#ifndef PRIOR_WEIGHT
#define PRIOR_WEIGHT 50.0      /* pseudo-words behind the prior */
#endif

typedef struct state {
    uint32_t u, v;       /* last two LM ids (>= lm_words: none) */
    double a, b;         /* forward, backward (log10) */
    double vit;          /* best path score */
    int64_t back;        /* transition of the best path into this state */
} state;

typedef struct state_slot {
    uint32_t stamp;      /* the boundary's stamp when in use */
    uint32_t idx;        /* state index */
} state_slot;

typedef struct trans {
    uint32_t from_state, to_state;  /* global state indexes */
    uint32_t arc;
    float score;                    /* LM + channel */
} trans;

#ifndef LM_CACHE_BITS
#define LM_CACHE_BITS 15
#endif
#define LM_CACHE_MAX (1u << LM_CACHE_BITS)
/* The word cache (us_word_cache) lives through the chunks of a text until
 * it holds this many arcs (about 7 MB). */
#define WORD_CACHE_ARCS ((size_t)1 << 17)

typedef struct lm_cache_entry {
    uint32_t u, v, w;  /* w + 1; 0 marks an empty entry */
    float s;
} lm_cache_entry;

/* What the prefilter learns about a swap arc in the first pass that the
 * second, which only changes the prior, can reuse: the LM scores of the
 * arc's original words and of the text's next word after them, and
 * whether the original completes a dictionary phrase (-1: not asked). */
typedef struct pf_memo {
    float lm[US_MAX_ORIG + 1];
    int8_t idiom;
    int8_t kept;     /* the first pass kept the arc (see prefilter) */
} pf_memo;

typedef struct decoder {
    const unspin_model *m;
    uint32_t bos, eos;        /* LM ids of <s> and </s> (US_LM_UNK: none) */
    lm_cache_entry *lm_cache; /* NULL when it could not be allocated */
    uint32_t lm_cache_mask;   /* entries - 1, a power of two */
    us_slot *slots;
    size_t nslots, slots_cap;
    us_arcs arcs;
    size_t *arc_first;       /* first arc of each start slot; [nslots] = arcs.n */
    size_t arc_first_cap;
    state *states;
    size_t nstates, states_cap;
    size_t *bound_first;     /* first state of each boundary */
    size_t bound_cap;
    trans *tr;
    size_t ntr, tr_cap;
    double *slot_swap;       /* swap posterior per slot */
    size_t slot_swap_cap;
    double log_swap, log_keep; /* log10 of the swap prior and of 1 - it */
    us_arcs cache;           /* candidates of the first pass, every window */
    size_t *cidx;            /* per window: its arc_first, absolute in cache */
    size_t ncidx, cidx_cap, cursor;
    int replay;              /* second pass: read candidates from the cache */
    size_t win_base;         /* the window's first arc, as an index in cache */
    us_word_cache words;     /* one-word candidates by word */
    us_slot *kept_slots;     /* every sentence's slots, from the first pass */
    size_t nkept_slots, kept_slots_cap, kept_cursor;
    size_t *kept_count;      /* slots per sentence */
    size_t kept_count_cap;
    pf_memo *memo;           /* per arc of cache */
    size_t memo_cap;
    double *text_lm;         /* per slot of the window: LM score of the text's
                                word in the text's context; [nslots]: </s> */
    size_t text_lm_cap;
    us_evidence ev;          /* the document's evidence, from the first pass */
    uint32_t *vids;          /* vocabulary ids of a window's slots, for it */
    size_t vids_cap;
    state_slot *sh;          /* the boundary's states by (u, v) (find_state) */
    size_t sh_cap;           /* entries, a power of two */
    uint32_t sh_stamp;
    uint32_t *prune_map;     /* prune_boundary's old index -> new */
    size_t prune_map_cap;
    uint64_t serial;         /* the model the two caches (words, lm_cache)
                                were filled from (its serial), 0: none */
    int debug;               /* UNSPIN_DEBUG is set: 1, or 2 when it is "2" */
} decoder;

/* log10(10^a + 10^b) is max(a, b) + log10(1 + 10^-d), d = |a - b|.  The
 * second term is read from a table with linear interpolation, as speech
 * decoders do (Sphinx's logmath): the forward and backward sweeps take it
 * once per transition, and exp/log1p there were a tenth of the detector's
 * time.  With LSE_STEPS points per unit of d the error is below
 * h^2/8 * max f'' = (1/64)^2 / 8 * ln(10) / 4 < 2e-5 (log10 units, a
 * relative error of 4e-5 in a posterior); past LSE_RANGE the term is
 * below 1e-16 of the larger and dropped, as double addition would. */
#define LSE_STEPS 64
#define LSE_RANGE 17
static double lse_table[LSE_RANGE * LSE_STEPS + 2];
static pthread_once_t lse_once = PTHREAD_ONCE_INIT;

static void lse_init(void)
{
    for (size_t i = 0; i < US_ARRAY_LEN(lse_table); i++)
        lse_table[i] = log10(1.0 + pow(10.0, -(double)i / LSE_STEPS));
}

static inline double lse(double a, double b)
{
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    /* a is the larger; b may be -INFINITY (then so is a only when both are) */
    double x = (a - b) * LSE_STEPS;
    if (!(x < LSE_RANGE * LSE_STEPS))
        return a; /* far apart, b == -INFINITY, or both -INFINITY (NaN) */
    size_t i = (size_t)x;
    double f = x - (double)i;
    return a + lse_table[i] + f * (lse_table[i + 1] - lse_table[i]);
}

/* The cache entry for (u, v, w). */
static inline lm_cache_entry *lm_cache_at(const decoder *d, uint32_t u, uint32_t v, uint32_t w)
{
    uint64_t key = ((uint64_t)u * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)v * 0xC2B2AE3D27D4EB4Full) ^
                   ((uint64_t)w * 0x165667B19E3779F9ull);
    return &d->lm_cache[(key >> 40) & d->lm_cache_mask];
}

/* log10 P(w | u v) without the cache: for queries unlikely to come back
 * (see arc_lm), which would only push out those that do. */
static double lm_uncached(const decoder *d, uint32_t u, uint32_t v, uint32_t w)
{
    if (w == US_LM_NUM)
        return UNSPIN_LM_NUMBER_LOGPROB;
    if (w >= d->m->lm_words)
        return UNSPIN_LM_UNKNOWN_LOGPROB;
    return us_lm_score(&d->m->lm, u, v, w);
}

static double lm_step(decoder *d, uint32_t *u, uint32_t *v, uint32_t w)
{
    const unspin_model *m = d->m;
    double s;
    if (w >= m->lm_words || !d->lm_cache)
        s = lm_uncached(d, *u, *v, w);
    else {
        /* The passes over a text ask the same trigrams again: a small
         * direct-mapped cache saves most of the probes into the model. */
        lm_cache_entry *e = lm_cache_at(d, *u, *v, w);
        if (e->w == w + 1 && e->u == *u && e->v == *v)
            s = e->s;
        else {
            s = us_lm_score(&m->lm, *u, *v, w);
            *e = (lm_cache_entry){*u, *v, w + 1, (float)s};
        }
    }
    *u = *v;
    *v = w;
    return s;
}

/* log10 prior of an arc: keeping a word, a swap, or a swap a spinner was
 * seen to make (learned from aligned pairs or tortured-phrase lists).
 * A learned phrase of two words or more found as written is a known
 * fingerprint (a tortured phrase), so it gets a prior of its own, well
 * above the document's swap rate; single learned words do not, as they
 * also occur in natural text. */
static double arc_prior(const decoder *d, const us_arc *a)
{
    if (!a->swapped)
        return d->log_keep;
    if (a->learned && a->to - a->from > 1 && d->log_swap < LOG_LEARNED_PRIOR)
        return LOG_LEARNED_PRIOR;
    return d->log_swap;
}

/* ---------------------------------------------------------------- */
/* Forward-backward over one window of slots                        */

/* The states of the boundary being built are found by (u, v) through an
 * open-addressing table (a boundary can gather hundreds of states before
 * pruning, and a linear search per transition was quadratic in them).
 * Entries of earlier boundaries are told apart by their stamp, so the
 * table is not cleared between boundaries. */
static inline size_t state_home(const decoder *d, uint32_t u, uint32_t v)
{
    uint64_t h = ((uint64_t)u * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)v * 0xC2B2AE3D27D4EB4Full);
    return (size_t)(h >> 40) & (d->sh_cap - 1);
}

/* Starts the table afresh for a new boundary. */
static void state_table_next(decoder *d)
{
    if (++d->sh_stamp == 0) {
        if (d->sh)
            memset(d->sh, 0, d->sh_cap * sizeof *d->sh);
        d->sh_stamp = 1;
    }
}

/* The state (u, v) of the boundary being built, or -1; *at gets the
 * table entry for it. */
static int64_t find_state(const decoder *d, uint32_t u, uint32_t v, size_t *at)
{
    size_t mask = d->sh_cap - 1;
    for (size_t h = state_home(d, u, v);; h = (h + 1) & mask) {
        const state_slot *e = &d->sh[h];
        if (e->stamp != d->sh_stamp) {
            *at = h;
            return -1;
        }
        if (d->states[e->idx].u == u && d->states[e->idx].v == v)
            return e->idx;
    }
}

/* Room in the table for one more state of the boundary whose states
 * start at `first`, keeping it at most half full. */
static int state_table_reserve(decoder *d, size_t first)
{
    size_t n = d->nstates - first + 1;
    if (2 * n <= d->sh_cap)
        return 0;
    size_t cap = d->sh_cap ? d->sh_cap : 256;
    while (2 * n > cap)
        cap *= 2;
    state_slot *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    free(d->sh);
    d->sh = t;
    d->sh_cap = cap;
    d->sh_stamp = 1;
    for (size_t i = first; i < d->nstates; i++) {
        size_t at;
        find_state(d, d->states[i].u, d->states[i].v, &at);
        d->sh[at] = (state_slot){1, (uint32_t)i};
    }
    return 0;
}

/* Keep the BEAM best states of the newest boundary.  Transitions into
 * dropped states are removed as well: those from tr_start on, as
 * transitions are ordered by their target's boundary. */
static void prune_boundary(decoder *d, size_t bound, size_t tr_start)
{
    size_t first = d->bound_first[bound], n = d->nstates - first;
    if (n <= BEAM)
        return;
    if (us_grow((void **)&d->prune_map, &d->prune_map_cap, n, sizeof *d->prune_map))
        return; /* keep them all: slower, still right */
    uint32_t *map = d->prune_map;
    /* The BEAM best by forward score, ties in their order (what a stable
     * sort puts first; the rest are dropped, so their order is moot),
     * by insertion into a list of BEAM: most states do not get in. */
    state *s = d->states + first;
    uint32_t top[BEAM];
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        if (nt == BEAM && !(s[i].a > s[top[BEAM - 1]].a))
            continue;
        size_t j = nt < BEAM ? nt++ : BEAM - 1;
        for (; j > 0 && s[i].a > s[top[j - 1]].a; j--)
            top[j] = top[j - 1];
        top[j] = (uint32_t)i;
    }
    state keep[BEAM];
    for (size_t i = 0; i < n; i++)
        map[i] = UINT32_MAX;
    for (size_t j = 0; j < BEAM; j++) {
        keep[j] = s[top[j]];
        keep[j].b = (double)top[j]; /* (its old index, as the sort left it) */
        map[top[j]] = (uint32_t)(first + j);
    }
    memcpy(s, keep, sizeof keep);
    size_t k = tr_start;
    for (size_t i = tr_start; i < d->ntr; i++) {
        trans t = d->tr[i];
        if (t.to_state >= first) {
            t.to_state = map[t.to_state - first];
            if (t.to_state == UINT32_MAX)
                continue;
        }
        d->tr[k++] = t;
    }
    d->ntr = k;
    d->nstates = first + BEAM;
}

static int add_trans(decoder *d, size_t from, size_t arc, size_t to_bound, uint32_t u,
                     uint32_t v, double score)
{
    if (state_table_reserve(d, d->bound_first[to_bound]) != 0)
        return -1;
    size_t at;
    int64_t to = find_state(d, u, v, &at);
    if (to < 0) {
        if (us_grow((void **)&d->states, &d->states_cap, d->nstates + 1, sizeof *d->states))
            return -1;
        d->sh[at] = (state_slot){d->sh_stamp, (uint32_t)d->nstates};
        to = (int64_t)d->nstates++;
        d->states[to] = (state){u, v, -INFINITY, -INFINITY, -INFINITY, -1};
    }
    if (us_grow((void **)&d->tr, &d->tr_cap, d->ntr + 1, sizeof *d->tr))
        return -1;
    d->tr[d->ntr++] = (trans){(uint32_t)from, (uint32_t)to, (uint32_t)arc, (float)score};
    state *s = &d->states[to];
    double total = d->states[from].a + score;
    s->a = lse(s->a, total);
    if (d->states[from].vit + score > s->vit) {
        s->vit = d->states[from].vit + score;
        s->back = (int64_t)(d->ntr - 1);
    }
    return 0;
}

/* Decode slots [0, n): fills arc posteriors and returns log10 Z through *z.
 * Arcs must be generated (arc_first).  States for boundary b are created
 * when an arc reaches b; boundaries are handled in order, so every arc
 * into b is known before b's states are expanded. */
static int decode(decoder *d, double *z, int64_t *best_end)
{
    size_t n = d->nslots;
    if (us_grow((void **)&d->bound_first, &d->bound_cap, n + 2, sizeof *d->bound_first))
        return -1;
    d->nstates = d->ntr = 0;
    const uint32_t bos = d->bos, eos = d->eos;
    if (us_grow((void **)&d->states, &d->states_cap, 1, sizeof *d->states))
        return -1;
    d->bound_first[0] = 0;
    d->states[0] = (state){US_LM_UNK, bos, 0.0, -INFINITY, 0.0, -1};
    d->nstates = 1;
    /* Boundary b is built from every arc that ends at b, expanded from the
     * states of its start boundary; so the states of each boundary are
     * contiguous in `states`, and transitions are ordered by target. */
    for (size_t b = 1; b <= n; b++) {
        d->bound_first[b] = d->nstates;
        state_table_next(d);
        size_t tr_start = d->ntr;
        for (size_t start = b > US_MAX_SPUN ? b - US_MAX_SPUN : 0; start < b; start++) {
            for (size_t ai = d->arc_first[start]; ai < d->arc_first[start + 1]; ai++) {
                const us_arc *a = &d->arcs.a[ai];
                if (a->to != b)
                    continue;
                for (size_t si = d->bound_first[start]; si < d->bound_first[start + 1]; si++) {
                    uint32_t u = d->states[si].u, v = d->states[si].v;
                    double sc = a->channel + arc_prior(d, a);
                    for (unsigned k = 0; k < a->n; k++)
                        sc += lm_step(d, &u, &v, a->lm[k]);
                    if (add_trans(d, si, ai, b, u, v, sc) != 0)
                        return -1;
                }
            }
        }
        if (d->nstates - d->bound_first[b] > BEAM) {
            prune_boundary(d, b, tr_start);
            /* Pruning moved the transitions into b: redo their best paths. */
            for (size_t si = d->bound_first[b]; si < d->nstates; si++)
                d->states[si].vit = -INFINITY;
            for (size_t i = tr_start; i < d->ntr; i++) {
                const trans *t = &d->tr[i];
                double v = d->states[t->from_state].vit + t->score;
                if (v > d->states[t->to_state].vit) {
                    d->states[t->to_state].vit = v;
                    d->states[t->to_state].back = (int64_t)i;
                }
            }
        }
        if (d->nstates == d->bound_first[b])
            return -1; /* cannot happen: the identity arc always reaches b */
    }
    d->bound_first[n + 1] = d->nstates;
    /* End of sentence; backward pass. */
    *z = -INFINITY;
    double best = -INFINITY;
    *best_end = -1;
    for (size_t si = d->bound_first[n]; si < d->nstates; si++) {
        state *s = &d->states[si];
        uint32_t u = s->u, v = s->v;
        double e = lm_step(d, &u, &v, eos);
        s->b = e;
        *z = lse(*z, s->a + e);
        if (s->vit + e > best) {
            best = s->vit + e;
            *best_end = (int64_t)si;
        }
    }
    for (size_t i = 0; i < d->bound_first[n]; i++)
        d->states[i].b = -INFINITY;
    /* Transitions were appended in order of their target boundary, so a
     * reverse sweep sees every successor's b before it is used. */
    for (size_t i = d->ntr; i-- > 0;) {
        const trans *t = &d->tr[i];
        state *f = &d->states[t->from_state];
        f->b = lse(f->b, t->score + d->states[t->to_state].b);
    }
    /* Posteriors of swap arcs only: nothing reads an identity arc's
     * (spans, alternatives and the swap rate are made of swaps), and
     * they are a good part of the transitions. */
    for (size_t i = 0; i < d->arcs.n; i++)
        d->arcs.a[i].post = 0.0;
    for (size_t i = 0; i < d->ntr; i++) {
        const trans *t = &d->tr[i];
        us_arc *a = &d->arcs.a[t->arc];
        if (!a->swapped)
            continue;
        double p = d->states[t->from_state].a + t->score + d->states[t->to_state].b - *z;
        a->post += exp(p * M_LN10);
    }
    return 0;
}

/* ---------------------------------------------------------------- */
/* Results                                                           */

typedef struct span_buf {
    unspin_span *s;
    size_t n, cap;
} span_buf;

struct unspin_result {
    span_buf spans;
    unspin_evasion *evasions;
    size_t nevasions, evasions_cap;
    char **strings;
    size_t nstrings, strings_cap;
    size_t words;
    double expected_swaps;
    double llr;           /* log10 likelihood ratio, spun vs natural */
    double score;
    double threshold;
    int spun;
};

static char *keep_string(unspin_result *r, const char *s, size_t n)
{
    char *p = us_strndup(s, n);
    if (!p || us_grow((void **)&r->strings, &r->strings_cap, r->nstrings + 1,
                      sizeof *r->strings)) {
        free(p);
        return NULL;
    }
    r->strings[r->nstrings++] = p;
    return p;
}

/* Appends word w to buf (space-separated), cased to shape. */
static void put_cased(char *buf, size_t cap, size_t *len, const char *w, unspin_case shape)
{
    size_t n = strlen(w);
    if (*len + n + 2 > cap)
        return;
    if (*len)
        buf[(*len)++] = ' ';
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        if (shape == UNSPIN_CASE_UPPER || (shape == UNSPIN_CASE_TITLE && i == 0))
            c = (char)toupper((unsigned char)c);
        buf[(*len)++] = c;
    }
    buf[*len] = '\0';
}

/* The case shape for word k of an original that replaces slots [from, to):
 * the shape of the slot in the same place; words past the end of the text
 * follow the text's last word unless that was only capitalized as the
 * first word of a sentence. */
static unspin_case shape_at(const decoder *d, const unspin_token *tok, const us_arc *a,
                            unsigned k)
{
    unsigned m = (unsigned)(a->to - a->from);
    unspin_case shape = tok[d->slots[a->from + (k < m ? k : m - 1)].tok].shape;
    if (k >= m && shape == UNSPIN_CASE_TITLE && m == 1)
        shape = UNSPIN_CASE_LOWER;
    return shape;
}

/* Words at the ends of swap arc a that read as the text (a learned run
 * "preparation set" <- training set keeps "set"): *head from the start,
 * *tail from the end, leaving at least one word that differs. */
static void same_ends(const decoder *d, const us_arc *a, unsigned *head, unsigned *tail)
{
    unsigned m = (unsigned)(a->to - a->from), k = a->n < m ? a->n : m;
    *head = *tail = 0;
    if (!a->swapped)
        return;
    while (*head + 1 < k && a->vid[*head] == d->slots[a->from + *head].vid)
        (*head)++;
    while (*head + *tail + 1 < k && a->vid[a->n - 1 - *tail] == d->slots[a->to - 1 - *tail].vid)
        (*tail)++;
}

/* Appends the text of slot i as written. */
static void slot_text(const decoder *d, const unspin_text *text, size_t i, char *buf, size_t cap,
                      size_t *len)
{
    const unspin_token *t = &unspin_text_tokens(text)[d->slots[i].tok];
    const char *data = unspin_text_data(text, NULL);
    size_t n = t->end - t->start;
    if (*len + n + 2 > cap)
        return;
    if (*len)
        buf[(*len)++] = ' ';
    memcpy(buf + *len, data + t->start, n);
    *len += n;
    buf[*len] = '\0';
}

/* Appends the original words of arc a (identity: the text as written),
 * but for `head` words at the start and `tail` at the end.  A word a
 * run keeps in place is written as the text has it: it may be one the
 * vocabulary does not hold ("real-life" in "real-life example" <- real-life
 * sample). */
static void arc_text(const decoder *d, const unspin_text *text, const us_arc *a,
                     unsigned head, unsigned tail, char *buf, size_t cap, size_t *len)
{
    const unspin_token *tok = unspin_text_tokens(text);
    if (!a->swapped) {
        slot_text(d, text, a->from, buf, cap, len);
        return;
    }
    int aligned = a->n == a->to - a->from;
    for (unsigned k = head; k + tail < a->n; k++) {
        if (aligned && a->vid[k] == d->slots[a->from + k].vid) {
            slot_text(d, text, a->from + k, buf, cap, len);
            continue;
        }
        const char *w = us_strtab_get(&d->m->vocab, a->vid[k]);
        put_cased(buf, cap, len, w ? w : "?", shape_at(d, tok, a, k));
    }
}

static int emit_span(decoder *d, const unspin_text *text, unspin_result *r,
                     const us_arc *const *path, size_t np, size_t base, size_t base16)
{
    const unspin_token *tok = unspin_text_tokens(text);
    size_t dl;
    const char *data = unspin_text_data(text, &dl);
    /* The span covers the words that differ: those a run keeps as
     * written at its ends stay outside. */
    unsigned head, tail, unused;
    same_ends(d, path[0], &head, &tail);
    if (np > 1)
        same_ends(d, path[np - 1], &unused, &tail);
    const unspin_token *t0 = &tok[d->slots[path[0]->from + head].tok];
    const unspin_token *t1 = &tok[d->slots[path[np - 1]->to - 1 - tail].tok];
    char orig[1024];
    size_t len = 0;
    orig[0] = '\0';
    double conf = 1.0;
    for (size_t i = 0; i < np; i++) {
        arc_text(d, text, path[i], i == 0 ? head : 0, i == np - 1 ? tail : 0, orig,
                 sizeof orig, &len);
        if (path[i]->swapped)
            conf *= path[i]->post;
    }
    if (us_grow((void **)&r->spans.s, &r->spans.cap, r->spans.n + 1, sizeof *r->spans.s))
        return -1;
    unspin_span *s = &r->spans.s[r->spans.n];
    memset(s, 0, sizeof *s);
    s->start = base + t0->start;
    s->end = base + t1->end;
    s->start16 = base16 + t0->start16;
    s->end16 = base16 + t1->end16;
    s->text = keep_string(r, data + t0->start, t1->end - t0->start);
    s->original = keep_string(r, orig, len);
    s->confidence = conf;
    if (!s->text || !s->original)
        return -1;
    /* Alternatives: other swap arcs over the same slots as the least sure
     * arc of the span, by posterior. */
    size_t weakest = 0;
    for (size_t i = 1; i < np; i++)
        if (path[i]->swapped && (!path[weakest]->swapped || path[i]->post < path[weakest]->post))
            weakest = i;
    const us_arc *w = path[weakest];
    const us_arc *alt[3] = {0};
    for (size_t ai = d->arc_first[w->from]; ai < d->arc_first[w->from + 1]; ai++) {
        const us_arc *a = &d->arcs.a[ai];
        if (a == w || !a->swapped || a->to != w->to || a->post < 0.01)
            continue;
        for (int k = 0; k < 3; k++)
            if (!alt[k] || alt[k]->post < a->post) {
                for (int j = 2; j > k; j--)
                    alt[j] = alt[j - 1];
                alt[k] = a;
                break;
            }
    }
    for (int k = 0; k < 3 && alt[k]; k++) {
        /* an alternative must keep the words the span leaves out */
        unsigned ah, at;
        same_ends(d, alt[k], &ah, &at);
        if ((weakest == 0 && ah < head) || (weakest == np - 1 && at < tail))
            continue;
        len = 0;
        orig[0] = '\0';
        for (size_t i = 0; i < np; i++)
            arc_text(d, text, i == weakest ? alt[k] : path[i], i == 0 ? head : 0,
                     i == np - 1 ? tail : 0, orig, sizeof orig, &len);
        size_t j = s->nalternatives;
        s->alternatives[j].original = keep_string(r, orig, len);
        if (!s->alternatives[j].original)
            return -1;
        s->alternatives[j].confidence = conf / (w->post > 0 ? w->post : 1) * alt[k]->post;
        s->nalternatives++;
    }
    r->spans.n++;
    return 0;
}

/* Words flagged by the text layer as look-alike or hidden-character
 * dressing become the result's evasion list. */
static int collect_evasions(const unspin_text *text, unspin_result *r, size_t base,
                            size_t base16)
{
    const unspin_token *tok = unspin_text_tokens(text);
    size_t n = unspin_text_token_count(text);
    const char *data = unspin_text_data(text, NULL);
    for (size_t i = 0; i < n; i++) {
        const unspin_token *t = &tok[i];
        if (!(t->flags & (UNSPIN_TOKF_MIXED_SCRIPT | UNSPIN_TOKF_INVISIBLE)) || !t->skeleton)
            continue;
        if (us_grow((void **)&r->evasions, &r->evasions_cap, r->nevasions + 1,
                    sizeof *r->evasions))
            return -1;
        unspin_evasion *e = &r->evasions[r->nevasions];
        e->start = base + t->start;
        e->end = base + t->end;
        e->start16 = base16 + t->start16;
        e->end16 = base16 + t->end16;
        e->kind = t->flags & UNSPIN_TOKF_MIXED_SCRIPT ? "mixed-script" : "invisible";
        e->text = keep_string(r, data + t->start, t->end - t->start);
        e->skeleton = keep_string(r, t->skeleton, strlen(t->skeleton));
        if (!e->text || !e->skeleton)
            return -1;
        r->nevasions++;
    }
    return 0;
}

/* Spans from the Viterbi path: runs of adjacent swapped arcs. */
static int collect_spans(decoder *d, const unspin_text *text, unspin_result *r,
                         int64_t best_end, double min_conf, size_t base, size_t base16)
{
    const us_arc *path[MAX_SLOTS + 1];
    size_t np = 0;
    for (int64_t s = best_end; s >= 0 && d->states[s].back >= 0;) {
        const trans *t = &d->tr[d->states[s].back];
        path[np++] = &d->arcs.a[t->arc];
        s = t->from_state;
    }
    for (size_t i = 0; i < np / 2; i++) {
        const us_arc *t = path[i];
        path[i] = path[np - 1 - i];
        path[np - 1 - i] = t;
    }
    for (size_t i = 0; i < np;) {
        if (!path[i]->swapped) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < np && path[j]->swapped && !d->slots[path[j]->from].gap)
            j++;
        /* the span's swap posterior: mean over its slots */
        double sw = 0;
        size_t cnt = 0;
        for (size_t k = path[i]->from; k < path[j - 1]->to; k++, cnt++)
            sw += d->slot_swap[k];
        if (cnt && sw / (double)cnt >= min_conf) {
            if (emit_span(d, text, r, path + i, j - i, base, base16) != 0)
                return -1;
            r->spans.s[r->spans.n - 1].swap = sw / (double)cnt;
        }
        i = j;
    }
    return 0;
}

/* ---------------------------------------------------------------- */
/* Slots                                                             */

/* Characters that mark a URL, an e-mail address or code around a word. */
static int technical_run(const char *data, size_t len, size_t start, size_t end)
{
    size_t a = start, b = end;
    while (a > 0 && !isspace((unsigned char)data[a - 1]))
        a--;
    while (b < len && !isspace((unsigned char)data[b]))
        b++;
    for (size_t i = a; i < b; i++)
        if (strchr("/\\_=@#{}<>|`~^*", data[i]) && data[i])
            return 1;
    return b - a > 4 && (memcmp(data + a, "www.", 4) == 0);
}

static int protected_token(const unspin_model *m, const unspin_token *t, const char *data,
                           size_t len, uint32_t vid, int sentence_start)
{
    if (t->kind != UNSPIN_TOKEN_WORD)
        return t->kind != UNSPIN_TOKEN_NUMBER;
    if (t->shape == UNSPIN_CASE_MIXED || t->flags & (UNSPIN_TOKF_ABBREV | UNSPIN_TOKF_REPLACED))
        return 1;
    if (t->shape == UNSPIN_CASE_UPPER && t->norm_len > 1)
        return 1; /* an acronym, or shouting: leave it */
    if (strpbrk(t->norm, "0123456789"))
        return 1; /* 20th, mp3, 4x4: digits are not a spinner's words */
    if (t->shape == UNSPIN_CASE_TITLE && !sentence_start &&
        (vid == US_STR_NONE || (m->word_flags[vid] & US_WORD_PROPER)))
        return 1; /* a name */
    return technical_run(data, len, t->start, t->end);
}

static int is_digits(const char *s)
{
    int digits = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s != ',' && *s != '.')
            return 0;
    }
    return digits > 0;
}

/* The vocabulary id of a word as normalized.  A word broken at a line
 * end and joined with its hyphen (PDF text: "con-sciousness", "ma-
 * chine") that neither the LM nor the thesaurus knows is read as the
 * word without its hyphens when the LM knows that ("consciousness");
 * compounds either knows ("long-term", "look-alike") stay as written. */
static uint32_t word_id(const unspin_model *m, const char *norm, size_t len)
{
    uint32_t v = us_model_word(m, norm, len);
    if (v != US_STR_NONE || len >= 64 || !memchr(norm, '-', len))
        return v;
    char joined[64];
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (norm[i] != '-')
            joined[n++] = norm[i];
    uint32_t w = n ? us_model_word(m, joined, n) : US_STR_NONE;
    return w < m->lm_words ? w : v;
}

/* Fill slots for tokens [first, first + count). */
static int make_slots(decoder *d, const unspin_text *text, size_t first, size_t count)
{
    const unspin_model *m = d->m;
    const unspin_token *tok = unspin_text_tokens(text);
    size_t len;
    const char *data = unspin_text_data(text, &len);
    d->nslots = 0;
    int gap = 0;
    for (size_t i = first; i < first + count; i++) {
        const unspin_token *t = &tok[i];
        if (t->kind == UNSPIN_TOKEN_SPACE)
            continue;
        if (t->kind != UNSPIN_TOKEN_WORD && t->kind != UNSPIN_TOKEN_NUMBER) {
            gap = 1;
            continue;
        }
        if (us_grow((void **)&d->slots, &d->slots_cap, d->nslots + 1, sizeof *d->slots))
            return -1;
        us_slot *s = &d->slots[d->nslots];
        s->tok = i;
        s->norm = t->norm;
        s->vid = word_id(m, t->norm, t->norm_len);
        if (s->vid < m->lm_words)
            s->lm = s->vid;
        else
            s->lm = is_digits(t->norm) ? US_LM_NUM : US_LM_UNK;
        s->protect = (uint8_t)protected_token(m, t, data, len, s->vid, d->nslots == 0);
        s->gap = (uint8_t)gap;
        gap = 0;
        d->nslots++;
    }
    return 0;
}

/* The LM score of each word of the window as written, in the text's own
 * context, and of </s> after the last: the prefilter compares every swap
 * arc against these, and their sum is the "not spun" hypothesis. */
static int score_text(decoder *d)
{
    size_t n = d->nslots;
    if (us_grow((void **)&d->text_lm, &d->text_lm_cap, n + 1, sizeof *d->text_lm))
        return -1;
    uint32_t u = US_LM_UNK, v = d->bos;
    for (size_t i = 0; i < n; i++)
        d->text_lm[i] = lm_step(d, &u, &v, d->slots[i].lm);
    d->text_lm[n] = lm_step(d, &u, &v, d->eos);
    return 0;
}

/* The slots of sentence si.  The first pass makes them (a vocabulary
 * look-up per word) and keeps them; the second, over the same sentences
 * in the same order, copies them back. */
static int sentence_slots(decoder *d, const unspin_text *text, const unspin_sentence *s,
                          size_t si)
{
    if (d->replay) {
        size_t n = d->kept_count[si];
        if (us_grow((void **)&d->slots, &d->slots_cap, n ? n : 1, sizeof *d->slots))
            return -1;
        if (n)
            memcpy(d->slots, d->kept_slots + d->kept_cursor, n * sizeof *d->slots);
        d->kept_cursor += n;
        d->nslots = n;
        return 0;
    }
    if (make_slots(d, text, s->first_token, s->token_count) != 0 ||
        us_grow((void **)&d->kept_slots, &d->kept_slots_cap, d->nkept_slots + d->nslots,
                sizeof *d->kept_slots) ||
        us_grow((void **)&d->kept_count, &d->kept_count_cap, si + 1, sizeof *d->kept_count))
        return -1;
    if (d->nslots)
        memcpy(d->kept_slots + d->nkept_slots, d->slots, d->nslots * sizeof *d->slots);
    d->nkept_slots += d->nslots;
    d->kept_count[si] = d->nslots;
    return 0;
}

/* log10 P(text) with every word kept: the "not spun" hypothesis. */
static double identity_logprob(const decoder *d)
{
    double s = 0;
    for (size_t i = 0; i < d->nslots; i++)
        s += d->text_lm[i];
    return s + d->text_lm[d->nslots];
}

/* UNSPIN_DEBUG=2, first pass: every candidate before the prefilter
 * ("raw" lines; tests/quality/tortured.py losses tells a phrase the
 * prefilter dropped from one never proposed). */
static void debug_raw(const decoder *d)
{
    const us_arc *raw = d->cache.a + d->win_base;
    for (size_t i = 0; i < d->nslots; i++) {
        fprintf(stderr, "raw %s:", d->slots[i].norm);
        for (size_t ai = d->arc_first[i]; ai < d->arc_first[i + 1]; ai++) {
            const us_arc *a = &raw[ai];
            if (!a->swapped)
                continue;
            fprintf(stderr, " (");
            for (unsigned k = 0; k < a->n; k++)
                fprintf(stderr, "%s%s", k ? " " : "", us_strtab_get(&d->m->vocab, a->vid[k]));
            fprintf(stderr, "/%u %.2f)", (unsigned)(a->to - a->from), a->channel);
        }
        fputc('\n', stderr);
    }
}

/* UNSPIN_DEBUG=1: every arc with its channel score and posterior. */
static void debug_window(const decoder *d)
{
    for (size_t i = 0; i < d->nslots; i++) {
        fprintf(stderr, "%s%s [%.2f]:", d->slots[i].norm, d->slots[i].protect ? "*" : "",
                d->slot_swap[i]);
        for (size_t ai = d->arc_first[i]; ai < d->arc_first[i + 1]; ai++) {
            const us_arc *a = &d->arcs.a[ai];
            if (!a->swapped)
                continue;
            fprintf(stderr, " (");
            for (unsigned k = 0; k < a->n; k++)
                fprintf(stderr, "%s%s", k ? " " : "", us_strtab_get(&d->m->vocab, a->vid[k]));
            fprintf(stderr, "/%u %.2f %.2f)", (unsigned)(a->to - a->from), a->channel, a->post);
        }
        fputc('\n', stderr);
    }
}

/* The queries arc_lm makes for arc a: its words, and the text's next. */
static inline unsigned lm_queries(const decoder *d, const us_arc *a)
{
    return a->n + (a->to < d->nslots);
}

/* Puts what arc_lm found for an arc that decoding will see into the LM
 * cache, where decoding, from the text's own context, asks it again. */
static void cache_arc_lm(decoder *d, const us_arc *a, uint32_t u, uint32_t v,
                         const pf_memo *memo)
{
    if (!d->lm_cache)
        return;
    for (unsigned w = 0; w < lm_queries(d, a); w++) {
        uint32_t x = w < a->n ? a->lm[w] : d->slots[a->to].lm;
        if (x < d->m->lm_words)
            *lm_cache_at(d, u, v, x) = (lm_cache_entry){u, v, x + 1, memo->lm[w]};
        u = v;
        v = x;
    }
}

/* The LM scores of swap arc a's original words in the text's context
 * (cu cv before it) and of the text's next word after them, kept in the
 * arc's memo: the first pass asks the LM, the second reads them back
 * (cache_arc_lm).  Each arc's context is its own: these queries seldom
 * come again but for the arcs decoding keeps, which cache_arc_lm adds. */
static const float *arc_lm(decoder *d, const us_arc *a, uint32_t cu, uint32_t cv,
                           pf_memo *memo)
{
    uint32_t u = cu, v = cv;
    for (unsigned w = 0; w < lm_queries(d, a); w++) {
        uint32_t x = w < a->n ? a->lm[w] : d->slots[a->to].lm;
        memo->lm[w] = (float)lm_uncached(d, u, v, x);
        u = v;
        v = x;
    }
    memo->idiom = -1;
    return memo->lm;
}

/* The LM context of an arc from slot i: the text's two words before it. */
static inline void arc_context(const decoder *d, size_t i, uint32_t *cu, uint32_t *cv)
{
    *cu = i >= 2 ? d->slots[i - 2].lm : (i == 1 ? d->bos : US_LM_UNK);
    *cv = i >= 1 ? d->slots[i - 1].lm : d->bos;
}

/* Arcs whose LM look-ups are started ahead of their turn (see
 * prefetch_arc_lm); enough to keep several cache misses in flight. */
#ifndef PREFETCH_AHEAD
#define PREFETCH_AHEAD 8
#endif

/* Starts loading the LM slots arc_lm will read for arc a: the look-ups of
 * one arc depend on nothing but its words, so those of the next few arcs
 * can be in flight together instead of one cache miss after another. */
static void prefetch_arc_lm(const decoder *d, const us_arc *a)
{
    if (!a->swapped)
        return;
    uint32_t u, v;
    arc_context(d, a->from, &u, &v);
    for (unsigned w = 0; w < a->n; w++) {
        us_lm_prefetch(&d->m->lm, u, v, a->lm[w]);
        u = v;
        v = a->lm[w];
    }
    if (a->to < d->nslots)
        us_lm_prefetch(&d->m->lm, u, v, d->slots[a->to].lm);
}

/* Drops swap arcs that cannot matter: scored in the text's own context
 * (the two words before, the one after), an arc whose odds against
 * keeping the text are below 10^PREFILTER is left out of decoding.  Joint
 * swaps ("chilly struggle") still pass, as each half alone is only
 * mildly worse than the text.  This keeps decoding linear and fast.
 *
 * The arcs are chosen once, in the first pass, at the first pass's prior
 * (the LM scores, the text's from score_text and the originals' from
 * arc_lm, and the phrase look-ups are made there); the second pass
 * decodes the same arcs at the prior the first estimated.  Choosing again
 * at that prior let in the arcs it lifts over the bar: 73% more arcs, 3x
 * the transitions and 6x the LM misses on a spun 2 KB article, a fifth of
 * the detector's time, for arcs that still have odds of 1 in 100 to 1,000
 * in their context (make quality: recall at precision 0.85, restoration,
 * false spans and AUC within 0.005; see the commit). */
static int prefilter(decoder *d)
{
    const unspin_model *m = d->m;
    const double *text = d->text_lm;
    const us_arc *raw = d->cache.a + d->win_base;
    pf_memo *memo = d->memo + d->win_base;
    size_t n = d->nslots, k = 0, nraw = d->arc_first[n];
    const double bonus = log10(US_IDIOM_BONUS); /* a phrase completed */
    if (us_grow((void **)&d->arcs.a, &d->arcs.cap, nraw ? nraw : 1, sizeof *d->arcs.a))
        return -1;
    /* In the first pass, the LM look-ups of the next PREFETCH_AHEAD arcs
     * are under way while one is scored (see prefetch_arc_lm). */
    for (size_t ai = 0; !d->replay && ai < nraw && ai < PREFETCH_AHEAD; ai++)
        prefetch_arc_lm(d, &raw[ai]);
    for (size_t i = 0; i < n; i++) {
        size_t begin = d->arc_first[i], end = d->arc_first[i + 1];
        d->arc_first[i] = k;
        uint32_t cu, cv;
        arc_context(d, i, &cu, &cv);
        int have_windows = 0;
        unsigned windows = 0;
        for (size_t ai = begin; ai < end; ai++) {
            if (!d->replay && ai + PREFETCH_AHEAD < nraw)
                prefetch_arc_lm(d, &raw[ai + PREFETCH_AHEAD]);
            /* The arc is copied to its place in d->arcs and kept by
             * counting it (a copy on the stack, changed and copied again,
             * stalled on reading back what was just written). */
            us_arc *a = &d->arcs.a[k];
            *a = raw[ai];
            if (a->swapped && d->replay) {
                if (!memo[ai].kept)
                    continue;
                if (memo[ai].idiom > 0)
                    a->channel += (float)bonus;
                cache_arc_lm(d, a, cu, cv, &memo[ai]);
            } else if (a->swapped) {
                const float *lm = arc_lm(d, a, cu, cv, &memo[ai]);
                double g = a->channel + arc_prior(d, a);
                for (unsigned w = 0; w < a->n; w++)
                    g += lm[w];
                if (a->to < n)
                    g += lm[a->n];
                for (size_t j = a->from; j < a->to; j++)
                    g -= text[j] + d->log_keep;
                if (a->to < n)
                    g -= text[a->to];
                /* Phrases are looked up only for arcs that may survive. */
                if (g + bonus >= PREFILTER && a->n == 1 && a->to == a->from + 1) {
                    if (memo[ai].idiom < 0) {
                        if (!have_windows) {
                            windows = us_term_windows(m, d->slots, n, i);
                            have_windows = 1;
                        }
                        memo[ai].idiom = (int8_t)us_completes_term(m, d->slots, n, i,
                                                                   a->vid[0], windows);
                    }
                    if (memo[ai].idiom) {
                        a->channel += (float)bonus;
                        g += bonus;
                    }
                }
                memo[ai].kept = g >= PREFILTER;
                if (!memo[ai].kept)
                    continue;
                cache_arc_lm(d, a, cu, cv, &memo[ai]);
            }
            k++;
        }
    }
    d->arc_first[n] = k;
    d->arcs.n = k;
    return 0;
}

/* The candidates of every window of the first pass are made into the
 * cache and kept; the second pass (same text, same windows, in the same
 * order) reads them back instead of looking them up again: they do not
 * depend on the prior.  prefilter reads a window's arcs from the cache. */
static int make_candidates(decoder *d, size_t n)
{
    size_t base = d->cache.n;
    for (size_t i = 0; i < n; i++) {
        d->arc_first[i] = d->cache.n - base;
        if (us_candidates(d->m, d->slots, n, i, &d->cache, &d->words) != 0)
            return -1;
    }
    d->arc_first[n] = d->cache.n - base;
    if (us_grow((void **)&d->memo, &d->memo_cap, d->cache.n ? d->cache.n : 1,
                sizeof *d->memo) ||
        us_grow((void **)&d->cidx, &d->cidx_cap, d->ncidx + n + 1, sizeof *d->cidx))
        return -1;
    d->win_base = base;
    for (size_t i = 0; i <= n; i++)
        d->cidx[d->ncidx++] = base + d->arc_first[i];
    return 0;
}

static int replay_candidates(decoder *d, size_t n)
{
    if (d->cursor + n + 1 > d->ncidx)
        return -1; /* cannot happen: the passes see the same windows */
    const size_t *f = d->cidx + d->cursor;
    d->cursor += n + 1;
    d->win_base = f[0];
    for (size_t i = 0; i <= n; i++)
        d->arc_first[i] = f[i] - f[0];
    return 0;
}

/* Decode slots [from, to) (moved to the front of the slot array). */
static int run_window(decoder *d, size_t from, size_t to, double *z, int64_t *best_end)
{
    size_t n = to - from;
    if (from)
        memmove(d->slots, d->slots + from, n * sizeof *d->slots);
    d->nslots = n;
    d->arcs.n = 0;
    if (us_grow((void **)&d->arc_first, &d->arc_first_cap, n + 1, sizeof *d->arc_first) ||
        us_grow((void **)&d->slot_swap, &d->slot_swap_cap, n + 1, sizeof *d->slot_swap))
        return -1;
    if ((d->replay ? replay_candidates(d, n) : make_candidates(d, n)) || score_text(d))
        return -1;
    if (d->debug > 1 && !d->replay)
        debug_raw(d);
    if (prefilter(d))
        return -1;
    if (decode(d, z, best_end) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        d->slot_swap[i] = 0;
    for (size_t i = 0; i < d->arcs.n; i++) {
        const us_arc *a = &d->arcs.a[i];
        if (a->swapped)
            for (size_t k = a->from; k < a->to; k++)
                d->slot_swap[k] += a->post;
    }
    for (size_t i = 0; i < n; i++)
        if (d->slot_swap[i] > 1.0)
            d->slot_swap[i] = 1.0;
    if (d->debug)
        debug_window(d);
    return 0;
}

typedef struct doc_stats {
    double swaps;      /* expected swapped words */
    double llr;        /* log10 P(text | spun at the first-pass prior) / P(text | natural) */
    size_t words;
} doc_stats;

/* Adds the evidence of the window just decoded (n slots, likelihood
 * ratio llr) to the document's. */
static int add_evidence(decoder *d, double llr, size_t n)
{
    if (us_grow((void **)&d->vids, &d->vids_cap, n + 1, sizeof *d->vids))
        return -1;
    for (size_t i = 0; i < n; i++)
        d->vids[i] = d->slots[i].vid;
    return us_evidence_add(&d->ev, llr, d->vids, d->slot_swap, n);
}

/* One pass over a tokenized chunk.  With r == NULL only statistics are
 * gathered; otherwise spans are collected too. */
static int pass(decoder *d, const unspin_text *text, unspin_result *r, double min_conf,
                size_t base, size_t base16, doc_stats *st)
{
    const unspin_sentence *sent = unspin_text_sentences(text);
    size_t ns = unspin_text_sentence_count(text);
    for (size_t si = 0; si < ns; si++) {
        if (sentence_slots(d, text, &sent[si], si) != 0)
            return -1;
        size_t total = d->nslots;
        /* A very long "sentence" is decoded in windows of MAX_SLOTS.
         * run_window moves its window to the front of d->slots, so each
         * later window is put back from a copy (making all the slots again
         * per window was quadratic in the sentence's length). */
        us_slot *all = NULL;
        if (total > MAX_SLOTS) {
            if (!(all = malloc(total * sizeof *all)))
                return -1;
            memcpy(all, d->slots, total * sizeof *all);
        }
        for (size_t w = 0; w < total; w += MAX_SLOTS) {
            size_t to = w + MAX_SLOTS < total ? w + MAX_SLOTS : total;
            if (w > 0) {
                memcpy(d->slots + w, all + w, (to - w) * sizeof *all);
                d->nslots = total;
            }
            double z;
            int64_t best_end;
            if (run_window(d, w, to, &z, &best_end) != 0) {
                free(all);
                return -1;
            }
            st->words += to - w;
            for (size_t i = 0; i < to - w; i++)
                st->swaps += d->slot_swap[i];
            if (!r) {
                double l = z - identity_logprob(d) - (double)(to - w) * d->log_keep;
                st->llr += l;
                if (add_evidence(d, l, to - w) != 0) {
                    free(all);
                    return -1;
                }
            } else if (collect_spans(d, text, r, best_end, min_conf, base, base16) != 0) {
                free(all);
                return -1;
            }
        }
        free(all);
    }
    return 0;
}

static void decoder_free(decoder *d)
{
    free(d->cache.a);
    us_word_cache_free(&d->words);
    free(d->kept_slots);
    free(d->kept_count);
    free(d->memo);
    free(d->text_lm);
    free(d->cidx);
    free(d->lm_cache);
    free(d->slots);
    free(d->arcs.a);
    free(d->arc_first);
    free(d->states);
    free(d->bound_first);
    free(d->tr);
    free(d->slot_swap);
    us_evidence_free(&d->ev);
    free(d->vids);
    free(d->sh);
    free(d->prune_map);
}

/* A thread's decoder is kept from one call to the next: a short text (a
 * 2 KB request to the service) would otherwise spend a good part of its
 * time allocating and faulting in the decoder's buffers, and start with
 * empty caches.  Both caches hold exact values that depend on the model
 * alone (a word's candidates, trigram scores), so they are kept while the
 * thread detects with the same model (by its serial) and the results are
 * the same as with fresh ones.  What is kept is bounded by a chunk's
 * needs and the word cache's limit, and freed when the thread ends. */
static pthread_key_t kept_key;
static int kept_key_ok;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_destroy(void *p)
{
    decoder_free(p);
    free(p);
}

static void kept_init(void)
{
    kept_key_ok = pthread_key_create(&kept_key, kept_destroy) == 0;
}

/* The calling thread's kept decoder (made on first use), or NULL: then
 * the call works with a decoder of its own. */
static decoder *kept_decoder(void)
{
    pthread_once(&kept_once, kept_init);
    if (!kept_key_ok)
        return NULL;
    decoder *d = pthread_getspecific(kept_key);
    if (!d && (d = calloc(1, sizeof *d)) != NULL && pthread_setspecific(kept_key, d) != 0) {
        free(d);
        d = NULL;
    }
    return d;
}

/* ---------------------------------------------------------------- */
/* The API                                                           */

void unspin_detect_options_default(unspin_detect_options *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = 0.5;
    o->min_confidence = 0.5;
}

/* End of the chunk that starts at `from`: at most CHUNK_BYTES, cut after a
 * newline (else a space) so no sentence or character is split. */
static size_t chunk_end(const char *s, size_t len, size_t from)
{
    if (len - from <= CHUNK_BYTES)
        return len;
    size_t limit = from + CHUNK_BYTES;
    for (size_t i = limit; i > from + CHUNK_BYTES / 2; i--)
        if (s[i - 1] == '\n')
            return i;
    for (size_t i = limit; i > from; i--)
        if (s[i - 1] == ' ')
            return i;
    /* no break at all: back off to a UTF-8 character boundary */
    while (limit > from && ((unsigned char)s[limit] & 0xC0) == 0x80)
        limit--;
    return limit > from ? limit : len;
}

/* Turns the statistics into the spin rate and the calibrated score. */
static void judge(unspin_result *r, const doc_stats *st)
{
    r->words = st->words;
    r->expected_swaps = st->swaps;
    r->llr = st->llr;
    double per_k = st->words ? st->llr * 1000.0 / (double)st->words : 0.0;
    /* Logistic calibration of the likelihood ratio per 1,000 words, fit
     * on `make quality`'s documents (120 natural Brown texts and their
     * copies spun at two rates, weighted to an even mix): the score is the
     * share of such documents that are spun.  See docs/QUALITY.md. */
    r->score = st->words ? 1.0 / (1.0 + exp(-(per_k - SCORE_CENTER) / SCORE_SCALE)) : 0.0;
    r->spun = r->score >= r->threshold;
}

/* In a document that shows little sign of spinning, a span is most often
 * the writer's own choice of a rarer synonym: below a score of
 * QUIET_BELOW_SCORE keep only the near-certain spans, and between it and
 * QUIET_FULL_SCORE ask for a confidence that falls linearly from
 * QUIET_MIN_CONFIDENCE to the caller's minimum.  (make quality: false
 * spans on natural text 8.2 per 1,000 words with no such rule, 2.9 with a
 * step at 0.2, 1.9 with a ramp from 0.2 to 0.7; recall on lightly spun
 * copies 0.428, 0.422, 0.400.  The ramp from 0.4 to 0.9: false spans 2.13
 * -> 1.55 on make quality's natural documents and 2.88 -> 2.25 on 114
 * other Brown documents, recall at rate 0.1 0.415 -> 0.398, recall at
 * span precision 0.85 within 0.005 at spin seeds 1, 2 and 3.) */
double us_quiet_need(double score, double min_conf)
{
    if (score >= QUIET_FULL_SCORE)
        return 0.0;
    double need = QUIET_MIN_CONFIDENCE;
    if (score >= QUIET_BELOW_SCORE)
        need -= (QUIET_MIN_CONFIDENCE - min_conf) * (score - QUIET_BELOW_SCORE) /
                (QUIET_FULL_SCORE - QUIET_BELOW_SCORE);
    return need;
}

static void quiet_spans(unspin_result *r, double min_conf)
{
    double need = us_quiet_need(r->score, min_conf);
    if (need < min_conf)
        return;
    size_t k = 0;
    for (size_t i = 0; i < r->spans.n; i++)
        if (r->spans.s[i].confidence >= need)
            r->spans.s[k++] = r->spans.s[i];
    r->spans.n = k;
}

int unspin_detect(const unspin_model *m, const unspin_detect_options *opts, const char *utf8,
                  size_t len, unspin_result **out, unspin_error *err)
{
    us_error_clear(err);
    if (!m || !out || (!utf8 && len))
        return us_fail(err, UNSPIN_EINVAL, "unspin_detect: NULL argument");
    *out = NULL;
    unspin_detect_options o;
    if (opts)
        o = *opts;
    else
        unspin_detect_options_default(&o);
    size_t bad;
    if (!(o.text_flags & UNSPIN_TEXT_REPLACE_INVALID) &&
        unspin_utf8_check(utf8, len, &bad) != UNSPIN_OK)
        return us_fail(err, UNSPIN_EUTF8, "invalid UTF-8 at byte %zu", bad);
    unspin_result *r = calloc(1, sizeof *r);
    if (!r)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    r->threshold = o.threshold;
    pthread_once(&lse_once, lse_init);
    /* (a copy of the kept decoder, stored back at the end) */
    decoder *kept = kept_decoder();
    decoder d;
    if (kept)
        d = *kept;
    else
        memset(&d, 0, sizeof d);
    d.m = m;
    const char *dbg = getenv("UNSPIN_DEBUG");
    d.debug = !dbg ? 0 : strcmp(dbg, "2") ? 1 : 2;
    memset(&d.ev, 0, sizeof d.ev);
    d.bos = us_model_word(m, "<s>", 3);
    d.eos = us_model_word(m, "</s>", 4);
    if (d.bos >= m->lm_words)
        d.bos = US_LM_UNK;
    if (d.eos >= m->lm_words)
        d.eos = US_LM_UNK;
    if (d.serial != m->serial) {
        us_word_cache_clear(&d.words);
        if (d.lm_cache)
            memset(d.lm_cache, 0, ((size_t)d.lm_cache_mask + 1) * sizeof *d.lm_cache);
        d.serial = m->serial;
    }
    if (!d.lm_cache) {
        /* A decoder for this call only is sized to the text: a short
         * request should not clear a large table; a kept one is full size. */
        uint32_t entries = 1024;
        while (entries < LM_CACHE_MAX && (kept || entries < len))
            entries *= 2;
        d.lm_cache = calloc(entries, sizeof *d.lm_cache);
        d.lm_cache_mask = entries - 1;
    }
    doc_stats total = {0, 0, 0};
    int rc = UNSPIN_OK;
    size_t base16 = 0;
    for (size_t from = 0; from < len && rc == UNSPIN_OK;) {
        size_t end = chunk_end(utf8, len, from);
        unspin_text *text;
        rc = unspin_text_new(utf8 + from, end - from, o.text_flags, &text, err);
        if (rc != UNSPIN_OK)
            break;
        /* Pass 1 at the prior rate; pass 2 at the rate it estimates. */
        doc_stats st = {0, 0, 0};
        d.cache.n = d.ncidx = d.cursor = 0;
        d.nkept_slots = d.kept_cursor = 0;
        if (d.words.arcs.n > WORD_CACHE_ARCS)
            us_word_cache_clear(&d.words);
        d.replay = 0;
        d.log_swap = log10(PRIOR_RATE);
        d.log_keep = log10(1.0 - PRIOR_RATE);
        if (pass(&d, text, NULL, o.min_confidence, from, base16, &st) != 0)
            rc = us_fail(err, UNSPIN_ENOMEM, "out of memory while decoding");
        double rate = (st.swaps + PRIOR_WEIGHT * PRIOR_RATE) / ((double)st.words + PRIOR_WEIGHT);
        d.log_swap = log10(rate);
        d.log_keep = log10(1.0 - rate);
        d.replay = 1;
        doc_stats st2 = {0, 0, 0};
        if (rc == UNSPIN_OK && (pass(&d, text, r, o.min_confidence, from, base16, &st2) != 0 ||
                                collect_evasions(text, r, from, base16) != 0))
            rc = us_fail(err, UNSPIN_ENOMEM, "out of memory while decoding");
        total.words += st.words;
        total.llr += st.llr;
        total.swaps += st2.swaps;
        const unspin_token *tok = unspin_text_tokens(text);
        size_t nt = unspin_text_token_count(text);
        base16 += nt ? tok[nt - 1].end16 : 0;
        unspin_text_free(text);
        from = end;
    }
    total.llr = us_evidence_total(&d.ev);
    us_evidence_free(&d.ev);
    if (kept) {
        if (d.words.arcs.n > WORD_CACHE_ARCS)
            us_word_cache_clear(&d.words);
        *kept = d;
    } else
        decoder_free(&d);
    if (rc != UNSPIN_OK) {
        unspin_result_free(r);
        return rc;
    }
    judge(r, &total);
    quiet_spans(r, o.min_confidence);
    *out = r;
    return UNSPIN_OK;
}

void unspin_result_free(unspin_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r->spans.s);
    free(r->evasions);
    free(r);
}

size_t unspin_result_evasion_count(const unspin_result *r) { return r ? r->nevasions : 0; }
const unspin_evasion *unspin_result_evasions(const unspin_result *r)
{
    return r ? r->evasions : NULL;
}

size_t unspin_result_span_count(const unspin_result *r) { return r ? r->spans.n : 0; }
const unspin_span *unspin_result_spans(const unspin_result *r) { return r ? r->spans.s : NULL; }
size_t unspin_result_words(const unspin_result *r) { return r ? r->words : 0; }

double unspin_result_spin_rate(const unspin_result *r)
{
    if (!r || r->words == 0)
        return 0.0;
    double rate = r->expected_swaps / (double)r->words;
    return rate > 1.0 ? 1.0 : rate;
}

double unspin_result_score(const unspin_result *r) { return r ? r->score : 0.0; }
int unspin_result_is_spun(const unspin_result *r) { return r ? r->spun : 0; }
