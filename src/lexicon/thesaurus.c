/*
 * thesaurus.c - the term pool, the edge list, weights, de-duplication,
 * counts, and the loader for the project's own synonym file.
 */
#include "thesaurus.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/common.h"

/* Thesaurus files larger than this are refused (the real ones are ~20 MB). */
#define US_TH_MAX_FILE ((size_t)1 << 30)

struct us_thesaurus {
    /* Terms: NUL-terminated strings in one pool. */
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t *term_off;
    uint32_t *term_hash;
    uint8_t *term_len;
    uint8_t *term_src; /* US_SRC_BIT set */
    size_t nterms, terms_cap;
    /* Open addressing: slot holds id + 1, 0 = empty; power-of-two size. */
    uint32_t *slots;
    size_t slots_cap;

    us_edge *edges;
    size_t nedges, edges_cap;
    int sorted; /* edges sorted and merged by us_thesaurus_dedup */

    size_t entries[US_SRC_COUNT];
    size_t loads[US_SRC_COUNT];
};

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

const char *us_edge_kind_name(us_edge_kind kind)
{
    switch (kind) {
    case US_EDGE_SYNSET: return "synset";
    case US_EDGE_SIMILAR: return "similar";
    case US_EDGE_RELATED: return "related";
    case US_EDGE_LEARNED: return "learned";
    case US_EDGE_PROJECT: return "project";
    default: return "?";
    }
}

const char *us_pos_name(us_pos pos)
{
    switch (pos) {
    case US_POS_ANY: return "any";
    case US_POS_NOUN: return "noun";
    case US_POS_VERB: return "verb";
    case US_POS_ADJ: return "adj";
    case US_POS_ADV: return "adv";
    default: return "?";
    }
}

const char *us_source_name(us_source src)
{
    switch (src) {
    case US_SRC_MYTHES: return "mythes";
    case US_SRC_WORDNET: return "wordnet";
    case US_SRC_PROJECT: return "project";
    case US_SRC_OTHER: return "other";
    default: return "?";
    }
}

/* ------------------------------------------------------------------ */
/* Terms                                                               */
/* ------------------------------------------------------------------ */

size_t us_term_normalize(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0, i = 0;
    int space = 0;
    if (cap == 0)
        return (size_t)-1;
    while (i < len) {
        unsigned char c = u[i], b[2];
        size_t bl = 1;
        if (c == 0)
            return (size_t)-1;
        if (c == ' ' || c == '_' || (c >= '\t' && c <= '\r')) {
            space = n > 0;
            i++;
            continue;
        }
        if (c == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
            (u[i + 2] == 0x98 || u[i + 2] == 0x99)) {
            b[0] = '\'';
            i += 3;
        } else if (c == 0xC3 && i + 1 < len && u[i + 1] >= 0x80 &&
                   u[i + 1] <= 0x9E && u[i + 1] != 0x97) {
            b[0] = 0xC3; /* Latin-1 capitals: À..Þ -> à..þ, not × */
            b[1] = (unsigned char)(u[i + 1] + 0x20);
            bl = 2;
            i += 2;
        } else {
            b[0] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
            i++;
        }
        if (space) {
            if (n + 1 >= cap)
                return (size_t)-1;
            out[n++] = ' ';
            space = 0;
        }
        if (n + bl >= cap)
            return (size_t)-1;
        memcpy(out + n, b, bl);
        n += bl;
    }
    out[n] = '\0';
    return n;
}

static uint32_t term_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

us_thesaurus *us_thesaurus_new(void)
{
    return calloc(1, sizeof(us_thesaurus));
}

void us_thesaurus_free(us_thesaurus *th)
{
    if (!th)
        return;
    free(th->pool);
    free(th->term_off);
    free(th->term_hash);
    free(th->term_len);
    free(th->term_src);
    free(th->slots);
    free(th->edges);
    free(th);
}

static int slots_rebuild(us_thesaurus *th, size_t cap)
{
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t id = 0; id < th->nterms; id++) {
        size_t i = th->term_hash[id] & (cap - 1);
        while (slots[i])
            i = (i + 1) & (cap - 1);
        slots[i] = (uint32_t)id + 1;
    }
    free(th->slots);
    th->slots = slots;
    th->slots_cap = cap;
    return 0;
}

static uint32_t find_hashed(const us_thesaurus *th, const char *norm,
                            size_t len, uint32_t h)
{
    if (!th->slots_cap)
        return US_TERM_NONE;
    size_t i = h & (th->slots_cap - 1);
    for (;;) {
        uint32_t v = th->slots[i];
        if (!v)
            return US_TERM_NONE;
        uint32_t id = v - 1;
        if (th->term_hash[id] == h && th->term_len[id] == len &&
            memcmp(th->pool + th->term_off[id], norm, len) == 0)
            return id;
        i = (i + 1) & (th->slots_cap - 1);
    }
}

uint32_t us_th_find_norm(const us_thesaurus *th, const char *norm, size_t len)
{
    if (len > US_TERM_MAX_BYTES)
        return US_TERM_NONE;
    return find_hashed(th, norm, len, term_hash(norm, len));
}

int us_th_intern_norm(us_thesaurus *th, const char *norm, size_t len,
                      us_source src, uint32_t *id)
{
    if (len == 0 || len > US_TERM_MAX_BYTES || (unsigned)src >= US_SRC_COUNT)
        return UNSPIN_EINVAL;
    uint32_t h = term_hash(norm, len);
    uint32_t found = find_hashed(th, norm, len, h);
    if (found != US_TERM_NONE) {
        th->term_src[found] |= US_SRC_BIT(src);
        *id = found;
        return UNSPIN_OK;
    }
    if (th->nterms >= UINT32_MAX - 1 || th->pool_len + len + 1 > UINT32_MAX)
        return UNSPIN_ENOMEM;
    if ((th->nterms + 1) * 2 > th->slots_cap &&
        slots_rebuild(th, th->slots_cap ? th->slots_cap * 2 : 1024) != 0)
        return UNSPIN_ENOMEM;
    size_t cap = th->terms_cap;
    if (th->nterms + 1 > cap) {
        size_t c = cap;
        if (us_grow((void **)&th->term_off, &c, th->nterms + 1,
                    sizeof *th->term_off) != 0)
            return UNSPIN_ENOMEM;
        c = cap;
        if (us_grow((void **)&th->term_hash, &c, th->nterms + 1,
                    sizeof *th->term_hash) != 0)
            return UNSPIN_ENOMEM;
        c = cap;
        if (us_grow((void **)&th->term_len, &c, th->nterms + 1,
                    sizeof *th->term_len) != 0)
            return UNSPIN_ENOMEM;
        c = cap;
        if (us_grow((void **)&th->term_src, &c, th->nterms + 1,
                    sizeof *th->term_src) != 0)
            return UNSPIN_ENOMEM;
        th->terms_cap = c;
    }
    if (us_grow((void **)&th->pool, &th->pool_cap, th->pool_len + len + 1, 1))
        return UNSPIN_ENOMEM;
    uint32_t nid = (uint32_t)th->nterms++;
    memcpy(th->pool + th->pool_len, norm, len);
    th->pool[th->pool_len + len] = '\0';
    th->term_off[nid] = (uint32_t)th->pool_len;
    th->term_hash[nid] = h;
    th->term_len[nid] = (uint8_t)len;
    th->term_src[nid] = US_SRC_BIT(src);
    th->pool_len += len + 1;
    size_t i = h & (th->slots_cap - 1);
    while (th->slots[i])
        i = (i + 1) & (th->slots_cap - 1);
    th->slots[i] = nid + 1;
    *id = nid;
    return UNSPIN_OK;
}

int us_thesaurus_intern(us_thesaurus *th, const char *s, size_t len,
                        uint32_t *id)
{
    char buf[US_TERM_MAX_BYTES + 1];
    if (!th || (!s && len) || !id)
        return UNSPIN_EINVAL;
    size_t n = us_term_normalize(s, len, buf, sizeof buf);
    if (n == (size_t)-1 || n == 0)
        return UNSPIN_EINVAL;
    return us_th_intern_norm(th, buf, n, US_SRC_OTHER, id);
}

size_t us_thesaurus_term_count(const us_thesaurus *th)
{
    return th ? th->nterms : 0;
}

const char *us_thesaurus_term(const us_thesaurus *th, uint32_t id, size_t *len)
{
    if (!th || id >= th->nterms)
        return NULL;
    if (len)
        *len = th->term_len[id];
    return th->pool + th->term_off[id];
}

uint32_t us_thesaurus_lookup(const us_thesaurus *th, const char *s, size_t len)
{
    char buf[US_TERM_MAX_BYTES + 1];
    if (!th || (!s && len))
        return US_TERM_NONE;
    size_t n = us_term_normalize(s, len, buf, sizeof buf);
    if (n == (size_t)-1)
        return US_TERM_NONE;
    return us_th_find_norm(th, buf, n);
}

/* ------------------------------------------------------------------ */
/* Edges                                                               */
/* ------------------------------------------------------------------ */

int us_th_push_edge(us_thesaurus *th, const us_edge *e)
{
    if (us_grow((void **)&th->edges, &th->edges_cap, th->nedges + 1,
                sizeof *th->edges) != 0)
        return UNSPIN_ENOMEM;
    th->edges[th->nedges++] = *e;
    th->sorted = 0;
    return UNSPIN_OK;
}

int us_thesaurus_add_edge(us_thesaurus *th, uint32_t from, uint32_t to,
                          us_edge_kind kind, us_pos pos, float weight)
{
    if (!th || from >= th->nterms || to >= th->nterms || from == to ||
        (unsigned)kind >= US_EDGE_KIND_COUNT || (unsigned)pos >= US_POS_COUNT ||
        !(weight > 0.0f && weight <= 1.0f))
        return UNSPIN_EINVAL;
    us_edge e = {from, to, (uint8_t)kind, (uint8_t)pos,
                 US_SRC_BIT(US_SRC_OTHER), 0, weight};
    return us_th_push_edge(th, &e);
}

size_t us_thesaurus_edge_count(const us_thesaurus *th)
{
    return th ? th->nedges : 0;
}

const us_edge *us_thesaurus_edges(const us_thesaurus *th)
{
    return th ? th->edges : NULL;
}

static int edge_cmp(const void *pa, const void *pb)
{
    const us_edge *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

size_t us_thesaurus_dedup(us_thesaurus *th)
{
    if (!th)
        return 0;
    if (th->sorted)
        return th->nedges;
    if (th->nedges > 1)
        qsort(th->edges, th->nedges, sizeof *th->edges, edge_cmp);
    size_t w = 0;
    for (size_t r = 0; r < th->nedges; r++) {
        const us_edge *e = &th->edges[r];
        if (w > 0 && edge_cmp(&th->edges[w - 1], e) == 0) {
            us_edge *k = &th->edges[w - 1];
            if (e->weight > k->weight)
                k->weight = e->weight;
            if (k->pos != e->pos)
                k->pos = US_POS_ANY;
            k->sources |= e->sources;
        } else {
            th->edges[w++] = *e;
        }
    }
    th->nedges = w;
    th->sorted = 1;
    return w;
}

const us_edge *us_thesaurus_edges_from(const us_thesaurus *th, uint32_t from,
                                       size_t *n)
{
    *n = 0;
    if (!th || !th->sorted)
        return NULL;
    size_t lo = 0, hi = th->nedges;
    while (lo < hi) { /* first edge with e.from >= from */
        size_t mid = lo + (hi - lo) / 2;
        if (th->edges[mid].from < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < th->nedges && th->edges[end].from == from)
        end++;
    *n = end - lo;
    return end > lo ? th->edges + lo : NULL;
}

void us_thesaurus_stats(const us_thesaurus *th, us_thesaurus_counts *out)
{
    memset(out, 0, sizeof *out);
    if (!th)
        return;
    out->terms = th->nterms;
    out->edges = th->nedges;
    for (size_t i = 0; i < th->nterms; i++) {
        if (memchr(th->pool + th->term_off[i], ' ', th->term_len[i]))
            out->multiword_terms++;
        for (int s = 0; s < US_SRC_COUNT; s++)
            if (th->term_src[i] & US_SRC_BIT(s))
                out->terms_by_source[s]++;
    }
    for (size_t i = 0; i < th->nedges; i++) {
        const us_edge *e = &th->edges[i];
        if (e->kind < US_EDGE_KIND_COUNT)
            out->edges_by_kind[e->kind]++;
        for (int s = 0; s < US_SRC_COUNT; s++)
            if (e->sources & US_SRC_BIT(s))
                out->edges_by_source[s]++;
    }
    for (int s = 0; s < US_SRC_COUNT; s++) {
        out->entries_by_source[s] = th->entries[s];
        out->loads_by_source[s] = th->loads[s];
    }
}

/* ------------------------------------------------------------------ */
/* Loader support                                                      */
/* ------------------------------------------------------------------ */

int us_th_mark_save(const us_thesaurus *th, us_th_mark *m)
{
    m->terms = th->nterms;
    m->edges = th->nedges;
    m->pool_len = th->pool_len;
    m->term_src = NULL;
    if (th->nterms) {
        m->term_src = malloc(th->nterms);
        if (!m->term_src)
            return UNSPIN_ENOMEM;
        memcpy(m->term_src, th->term_src, th->nterms);
    }
    return UNSPIN_OK;
}

void us_th_mark_restore(us_thesaurus *th, us_th_mark *m)
{
    /* Edges only ever grow during a load, so truncation restores them; a
     * load never sorts, so `sorted` is still right when nothing was added. */
    if (th->nedges != m->edges) {
        th->nedges = m->edges;
        th->sorted = 0;
    }
    if (th->nterms != m->terms) {
        th->nterms = m->terms;
        th->pool_len = m->pool_len;
        /* Cannot fail for want of memory: same capacity as now. */
        uint32_t *slots = th->slots;
        memset(slots, 0, th->slots_cap * sizeof *slots);
        for (size_t id = 0; id < th->nterms; id++) {
            size_t i = th->term_hash[id] & (th->slots_cap - 1);
            while (slots[i])
                i = (i + 1) & (th->slots_cap - 1);
            slots[i] = (uint32_t)id + 1;
        }
    }
    if (m->terms)
        memcpy(th->term_src, m->term_src, m->terms);
    us_th_mark_drop(m);
}

void us_th_mark_drop(us_th_mark *m)
{
    free(m->term_src);
    m->term_src = NULL;
}

void us_th_note_load(us_thesaurus *th, us_source src, size_t entries)
{
    th->entries[src] += entries;
    th->loads[src]++;
}

int us_th_read_file(const char *path, char **buf, size_t *len,
                    unspin_error *err)
{
    unspin_error e;
    int rc = us_read_file(path, US_TH_MAX_FILE, buf, len, &e);
    if (rc == UNSPIN_OK)
        return rc;
    if (rc == UNSPIN_ENOMEM)
        return us_fail(err, rc, "%s: out of memory", path);
    /* us_read_file's message already starts with the path. */
    return us_fail(err, UNSPIN_EDICT, "cannot read thesaurus %s", e.message);
}

size_t us_th_utf8_bad(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            min = 0x10000;
        } else {
            return i; /* NUL, stray continuation, C0/C1, F5.. */
        }
        if (len - i <= n)
            return i;
        unsigned cp = c & (0x3Fu >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (u[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

/* ------------------------------------------------------------------ */
/* Weight accumulator                                                  */
/* ------------------------------------------------------------------ */

void us_th_acc_init(us_th_acc *a)
{
    memset(a, 0, sizeof *a);
}

void us_th_acc_free(us_th_acc *a)
{
    free(a->sense_gen_of);
    free(a->sense_slot);
    free(a->item_gen_of);
    free(a->item_first);
    free(a->cands);
    free(a->senses);
    free(a->items);
    us_th_acc_init(a);
}

/* Make the per-term arrays cover term id `id`, zero-filling new room. */
static int acc_cover(us_th_acc *a, uint32_t id)
{
    if (id < a->mark_cap)
        return 0;
    size_t old = a->mark_cap, cap = old;
    uint32_t **arrs[4] = {&a->sense_gen_of, &a->sense_slot, &a->item_gen_of,
                          &a->item_first};
    for (int k = 0; k < 4; k++) {
        cap = old;
        if (us_grow((void **)arrs[k], &cap, (size_t)id + 1, sizeof(uint32_t)))
            return -1;
        memset(*arrs[k] + old, 0, (cap - old) * sizeof(uint32_t));
    }
    a->mark_cap = cap;
    return 0;
}

void us_th_acc_begin(us_th_acc *a, uint32_t from)
{
    a->from = from;
    a->ncands = a->nsenses = a->nitems = a->sense_first = 0;
    if (++a->sense_gen == 0) { /* wrapped: forget old marks */
        if (a->mark_cap)
            memset(a->sense_gen_of, 0, a->mark_cap * sizeof(uint32_t));
        a->sense_gen = 1;
    }
}

int us_th_acc_cand(us_th_acc *a, uint32_t to, us_edge_kind kind)
{
    if (to == a->from)
        return UNSPIN_OK;
    if (acc_cover(a, to) != 0)
        return UNSPIN_ENOMEM;
    if (a->sense_gen_of[to] == a->sense_gen) {
        us_th_cand *c = &a->cands[a->sense_slot[to]];
        if ((uint8_t)kind < c->kind)
            c->kind = (uint8_t)kind;
        return UNSPIN_OK;
    }
    if (us_grow((void **)&a->cands, &a->cands_cap, a->ncands + 1,
                sizeof *a->cands) != 0)
        return UNSPIN_ENOMEM;
    a->sense_gen_of[to] = a->sense_gen;
    a->sense_slot[to] = (uint32_t)a->ncands;
    a->cands[a->ncands].to = to;
    a->cands[a->ncands].kind = (uint8_t)kind;
    a->ncands++;
    return UNSPIN_OK;
}

int us_th_acc_sense_end(us_th_acc *a, double prior, us_pos pos)
{
    size_t count = a->ncands - a->sense_first;
    if (++a->sense_gen == 0) {
        memset(a->sense_gen_of, 0, a->mark_cap * sizeof(uint32_t));
        a->sense_gen = 1;
    }
    if (count == 0)
        return UNSPIN_OK;
    if (us_grow((void **)&a->senses, &a->senses_cap, a->nsenses + 1,
                sizeof *a->senses) != 0)
        return UNSPIN_ENOMEM;
    us_th_sense *s = &a->senses[a->nsenses++];
    s->prior = prior;
    s->first = a->sense_first;
    s->count = count;
    s->pos = (uint8_t)pos;
    a->sense_first = a->ncands;
    return UNSPIN_OK;
}

int us_th_acc_emit(us_th_acc *a, us_thesaurus *th, us_source src)
{
    double z = 0;
    for (size_t i = 0; i < a->nsenses; i++)
        z += a->senses[i].prior;
    if (a->nsenses == 0 || !(z > 0))
        return UNSPIN_OK;
    if (++a->item_gen == 0) {
        memset(a->item_gen_of, 0, a->mark_cap * sizeof(uint32_t));
        a->item_gen = 1;
    }
    a->nitems = 0;
    for (size_t i = 0; i < a->nsenses; i++) {
        const us_th_sense *s = &a->senses[i];
        double share = s->prior / z / (double)s->count;
        for (size_t k = s->first; k < s->first + s->count; k++) {
            const us_th_cand *c = &a->cands[k];
            uint32_t it = UINT32_MAX;
            if (a->item_gen_of[c->to] == a->item_gen) {
                for (it = a->item_first[c->to]; it != UINT32_MAX;
                     it = a->items[it].next)
                    if (a->items[it].kind == c->kind)
                        break;
            }
            if (it == UINT32_MAX) {
                if (us_grow((void **)&a->items, &a->items_cap, a->nitems + 1,
                            sizeof *a->items) != 0)
                    return UNSPIN_ENOMEM;
                it = (uint32_t)a->nitems++;
                us_th_item *n = &a->items[it];
                n->weight = 0;
                n->to = c->to;
                n->kind = c->kind;
                n->pos = s->pos;
                if (a->item_gen_of[c->to] == a->item_gen) {
                    n->next = a->item_first[c->to];
                } else {
                    n->next = UINT32_MAX;
                    a->item_gen_of[c->to] = a->item_gen;
                }
                a->item_first[c->to] = it;
            }
            us_th_item *m = &a->items[it];
            m->weight += share;
            if (m->pos != s->pos)
                m->pos = US_POS_ANY;
        }
    }
    for (size_t i = 0; i < a->nitems; i++) {
        const us_th_item *m = &a->items[i];
        float w = (float)m->weight;
        if (w > 1.0f)
            w = 1.0f;
        us_edge e = {a->from, m->to, m->kind, m->pos, US_SRC_BIT(src), 0, w};
        if (us_th_push_edge(th, &e) != 0)
            return UNSPIN_ENOMEM;
    }
    return UNSPIN_OK;
}

/* ------------------------------------------------------------------ */
/* Project additions                                                   */
/* ------------------------------------------------------------------ */

typedef struct proj_pair {
    uint32_t from, to;
    float weight; /* 0: not given */
    uint8_t pos;
    size_t line;
} proj_pair;

static int proj_cmp(const void *pa, const void *pb)
{
    const proj_pair *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int parse_pos_name(const char *s, size_t n, us_pos *pos)
{
    static const struct { const char *name; us_pos pos; } names[] = {
        {"any", US_POS_ANY},      {"noun", US_POS_NOUN},
        {"verb", US_POS_VERB},    {"adj", US_POS_ADJ},
        {"adv", US_POS_ADV},      {"adjective", US_POS_ADJ},
        {"adverb", US_POS_ADV},
    };
    for (size_t i = 0; i < US_ARRAY_LEN(names); i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0) {
            *pos = names[i].pos;
            return 0;
        }
    return -1;
}

/* One non-comment line of the project file -> *pair. */
static int proj_line(us_thesaurus *th, const char *path, size_t lineno,
                     const char *s, size_t n, proj_pair *pair,
                     unspin_error *err)
{
    const char *field[5];
    size_t flen[5], nf = 0;
    const char *p = s, *end = s + n;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *fe = tab ? tab : end;
        if (nf == 4)
            return us_fail(err, UNSPIN_EDICT,
                           "%s:%zu: too many fields (at most 4: original, "
                           "replacement, weight, part of speech)",
                           path, lineno);
        field[nf] = p;
        flen[nf++] = (size_t)(fe - p);
        if (!tab)
            break;
        p = tab + 1;
    }
    if (nf < 2)
        return us_fail(err, UNSPIN_EDICT,
                       "%s:%zu: expected ORIGINAL<TAB>REPLACEMENT", path,
                       lineno);
    uint32_t id[2];
    for (int k = 0; k < 2; k++) {
        char buf[US_TERM_MAX_BYTES + 1];
        size_t len = us_term_normalize(field[k], flen[k], buf, sizeof buf);
        if (len == (size_t)-1)
            return us_fail(err, UNSPIN_EDICT,
                           "%s:%zu: %s term longer than %d bytes", path,
                           lineno, k ? "replacement" : "original",
                           US_TERM_MAX_BYTES);
        if (len == 0)
            return us_fail(err, UNSPIN_EDICT, "%s:%zu: empty %s term", path,
                           lineno, k ? "replacement" : "original");
        int rc = us_th_intern_norm(th, buf, len, US_SRC_PROJECT, &id[k]);
        if (rc != UNSPIN_OK)
            return us_fail(err, rc, "%s:%zu: out of memory", path, lineno);
    }
    if (id[0] == id[1])
        return us_fail(err, UNSPIN_EDICT,
                       "%s:%zu: original and replacement are the same term",
                       path, lineno);
    pair->from = id[0];
    pair->to = id[1];
    pair->weight = 0;
    pair->pos = US_POS_ANY;
    pair->line = lineno;
    if (nf >= 3 && !(flen[2] == 0 || (flen[2] == 1 && field[2][0] == '-'))) {
        char num[32];
        char *stop;
        if (flen[2] >= sizeof num)
            return us_fail(err, UNSPIN_EDICT, "%s:%zu: bad weight", path,
                           lineno);
        memcpy(num, field[2], flen[2]);
        num[flen[2]] = '\0';
        errno = 0;
        double w = strtod(num, &stop);
        if (stop == num || *stop || errno || !(w > 0 && w <= 1))
            return us_fail(err, UNSPIN_EDICT,
                           "%s:%zu: bad weight '%s' (want a number in (0, 1])",
                           path, lineno, num);
        pair->weight = (float)w;
        if (!(pair->weight > 0))
            pair->weight = 1e-30f; /* tiny doubles must stay "given" */
    }
    if (nf == 4) {
        us_pos pos;
        if (parse_pos_name(field[3], flen[3], &pos) != 0)
            return us_fail(err, UNSPIN_EDICT,
                           "%s:%zu: bad part of speech '%.*s' (want noun, "
                           "verb, adj, adv or any)",
                           path, lineno, (int)(flen[3] > 40 ? 40 : flen[3]),
                           field[3]);
        pair->pos = (uint8_t)pos;
    }
    return UNSPIN_OK;
}

static int proj_parse(us_thesaurus *th, const char *path, const char *buf,
                      size_t len, proj_pair **pairs_out, size_t *npairs,
                      unspin_error *err)
{
    proj_pair *pairs = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    const char *p = buf, *end = buf + len;
    size_t bad = us_th_utf8_bad(buf, len);
    if (bad < len) {
        size_t line = 1;
        for (size_t i = 0; i < bad; i++)
            line += buf[i] == '\n';
        return us_fail(err, UNSPIN_EDICT,
                       "%s:%zu: invalid UTF-8 or NUL byte (byte offset %zu)",
                       path, line, bad);
    }
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *ls = p;
        p = nl ? nl + 1 : end;
        lineno++;
        if (le > ls && le[-1] == '\r')
            le--;
        const char *q = ls;
        while (q < le && (*q == ' ' || *q == '\t'))
            q++;
        if (q == le || *q == '#')
            continue;
        if (us_grow((void **)&pairs, &cap, n + 1, sizeof *pairs) != 0) {
            free(pairs);
            return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
        }
        int rc = proj_line(th, path, lineno, ls, (size_t)(le - ls), &pairs[n],
                           err);
        if (rc != UNSPIN_OK) {
            free(pairs);
            return rc;
        }
        n++;
    }
    *pairs_out = pairs;
    *npairs = n;
    return UNSPIN_OK;
}

int us_thesaurus_add_project(us_thesaurus *th, const char *path,
                             unspin_error *err)
{
    if (!th || !path)
        return us_fail(err, UNSPIN_EINVAL, "project synonyms: no %s",
                       th ? "path" : "thesaurus");
    char *buf;
    size_t len;
    int rc = us_th_read_file(path, &buf, &len, err);
    if (rc != UNSPIN_OK)
        return rc;
    us_th_mark mark;
    if (us_th_mark_save(th, &mark) != UNSPIN_OK) {
        free(buf);
        return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
    }
    proj_pair *pairs = NULL;
    size_t n = 0;
    rc = proj_parse(th, path, buf, len, &pairs, &n, err);
    free(buf);
    if (rc == UNSPIN_OK && n > 1)
        qsort(pairs, n, sizeof *pairs, proj_cmp);
    /* Default weight: 1 / (distinct replacements listed for `from`). */
    for (size_t i = 0; rc == UNSPIN_OK && i < n;) {
        size_t j = i, distinct = 0;
        for (; j < n && pairs[j].from == pairs[i].from; j++)
            if (j == i || pairs[j].to != pairs[j - 1].to)
                distinct++;
        for (size_t k = i; k < j && rc == UNSPIN_OK; k++) {
            if (k > i && pairs[k].to == pairs[k - 1].to) {
                rc = us_fail(err, UNSPIN_EDICT,
                             "%s:%zu: pair repeats line %zu", path,
                             pairs[k].line, pairs[k - 1].line);
                break;
            }
            float w = pairs[k].weight > 0 ? pairs[k].weight
                                          : (float)(1.0 / (double)distinct);
            us_edge e = {pairs[k].from, pairs[k].to, US_EDGE_PROJECT,
                         pairs[k].pos, US_SRC_BIT(US_SRC_PROJECT), 0, w};
            if (us_th_push_edge(th, &e) != UNSPIN_OK)
                rc = us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
        }
        i = j;
    }
    free(pairs);
    if (rc != UNSPIN_OK) {
        us_th_mark_restore(th, &mark);
        return rc;
    }
    us_th_mark_drop(&mark);
    us_th_note_load(th, US_SRC_PROJECT, n);
    return UNSPIN_OK;
}
