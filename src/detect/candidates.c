/*
 * Candidates: for the text at slot i, the originals a spinner could have
 * started from.  All look-ups are in the model's tables; no Hunspell.
 *
 *  - one word: the inverse synonyms of the word itself, and of each of its
 *    lemmas re-inflected to the word's form ("assaults" <- attacks);
 *  - phrases of 2..US_MAX_SPUN words, as written or with the head word
 *    lemmatized ("international locations" <- countries);
 *  - numbers in digits for number words ("2" <- two);
 *  - runs of words with learned swaps, as one arc ("irregular woodland"
 *    <- random forest from irregular <- random and woodland <- forest);
 *  - originals of the learned table completed over a window of the text
 *    ("calculated relapse" <- logistic regression, "calculated" never
 *    learned).
 * Originals may be phrases too ("prior to now" <- "in the past").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lexicon/thesaurus.h"
#include "../model/learned.h"
#include "detect.h"

/* Most arcs kept per start slot, identity included. */
#ifndef MAX_ARCS_PER_SLOT
#define MAX_ARCS_PER_SLOT 64
#endif

/* How much of the unigram frequency gap between an original and the text
 * is discounted.  An n-gram LM prefers common words everywhere; writers
 * pick rarer words on purpose, spinners blindly.  The evidence of a swap
 * should be that the original fits the context better, not that it is a
 * commoner word, so the channel carries P(text)^LAMBDA / P(orig)^LAMBDA. */
#ifndef US_FREQ_LAMBDA
#define US_FREQ_LAMBDA 0.25
#endif

/* Weight of a dictionary phrase found in the text (see from_term). */
#ifndef MULTIWORD_TEXT_FACTOR
#define MULTIWORD_TEXT_FACTOR 0.2
#endif

/* An arc over text slots [from, to), everything else zero: the caller
 * fills in its original (n, lm, vid), channel and marks. */
static us_arc arc_over(size_t from, size_t to, int swapped)
{
    us_arc a;
    memset(&a, 0, sizeof a);
    a.from = (uint16_t)from;
    a.to = (uint16_t)to;
    a.swapped = (uint8_t)swapped;
    return a;
}

/* Unigram log10 of a word for that discount; unknown words count as rare. */
static double unigram(const unspin_model *m, uint32_t lm_id)
{
    if (lm_id < m->lm_words)
        return m->lm.uni[lm_id].prob;
    return UNSPIN_LM_UNKNOWN_LOGPROB;
}

/* How far each kind of edge is trusted as a spinner's choice. */
static double kind_factor(unsigned kind)
{
    switch (kind) {
    case US_EDGE_SYNSET: return 1.0;
    case US_EDGE_SIMILAR: return 0.5;
    case US_EDGE_RELATED: return 0.2;
    case US_EDGE_LEARNED: return 1.0;
    case US_EDGE_PROJECT: return 0.5;
    default: return 0.1;
    }
}

/* The form of vocabulary word x in class c, or US_STR_NONE.  Of several
 * forms ("mans", "men") the one the LM finds commonest wins. */
static uint32_t inflect(const unspin_model *m, uint32_t x, uint32_t c)
{
    if (c == US_INFL_BASE)
        return x;
    uint32_t n, best = US_STR_NONE;
    const us_morph_rec *r = us_csr_get(&m->morph_inv, x, sizeof *r, &n);
    for (int pass = 0; pass < 2 && best == US_STR_NONE; pass++) {
        uint32_t want = c;
        if (pass == 1) {
            /* a past for a participle and back: "have been recalled" */
            if (c == US_INFL_PAST)
                want = US_INFL_PARTICIPLE;
            else if (c == US_INFL_PARTICIPLE)
                want = US_INFL_PAST;
            else
                break;
        }
        for (uint32_t i = 0; i < n; i++)
            if (r[i].infl == want && r[i].word < m->lm_words &&
                (best == US_STR_NONE || m->lm.uni[r[i].word].prob > m->lm.uni[best].prob))
                best = r[i].word;
    }
    return best;
}

/* The LM id for original word v where the text has slot s (NULL: no one
 * slot): v, when the LM knows it.  A word the LM does not know may stand
 * for a text word it does not know either ("k-implies" <- k-means: a
 * technical term for a spinner's compound): the LM scores both alike, as
 * unknown, and the channel decides.  Else US_STR_NONE. */
static uint32_t orig_lm(const unspin_model *m, uint32_t v, const us_slot *s)
{
    if (v < m->lm_words)
        return v;
    return v != US_STR_NONE && s && s->lm == US_LM_UNK ? US_LM_UNK : US_STR_NONE;
}

static int push(us_arcs *out, const us_arc *a)
{
    if (us_grow((void **)&out->a, &out->cap, out->n + 1, sizeof *out->a) != 0)
        return -1;
    out->a[out->n++] = *a;
    return 0;
}

/* Head of a k-word original for inflection class c: -1 none, else its
 * index.  Nouns inflect their last word ("news conferences"), verbs their
 * first ("ground to a halt"); head_last says which the text showed. */
static int head_for(uint32_t c, uint32_t k, int head_last, unsigned pos)
{
    if (c == US_INFL_BASE)
        return -1;
    if (pos == US_POS_NOUN)
        return (int)k - 1;
    if (pos == US_POS_VERB)
        return 0;
    return head_last ? (int)k - 1 : 0;
}

typedef struct ctx {
    const unspin_model *m;
    const us_slot *slots;
    size_t nslots;
    us_arcs *out;
    size_t first; /* index in out of this slot's first arc */
    us_word_cache *cache; /* or NULL */
} ctx;

/* Arcs for "text slots [i, i+len) are the spun form of term t, with the
 * head inflected as class c". */
static int from_term(ctx *x, uint32_t t, uint32_t c, int head_last, size_t i, size_t len,
                     double factor)
{
    const unspin_model *m = x->m;
    uint32_t n;
    const us_syn_rec *r = us_csr_get(&m->syn, t, sizeof *r, &n);
    for (uint32_t e = 0; e < n; e++) {
        uint32_t k;
        const uint32_t *w = us_csr_get(&m->term, r[e].orig, 4, &k);
        if (k == 0 || k > US_MAX_ORIG)
            continue;
        us_arc a = arc_over(i, i + len, 1);
        a.n = (uint8_t)k;
        int head = head_for(c, k, head_last, r[e].pos);
        int ok = 1, same = k == len;
        /* Words the LM does not know only from the learned table, where
         * the text's word in their place is unknown too (see orig_lm). */
        int unknown_ok = k == len && r[e].kind == US_EDGE_LEARNED;
        for (uint32_t j = 0; j < k && ok; j++) {
            uint32_t v = (int)j == head ? inflect(m, w[j], c) : w[j];
            uint32_t lm = orig_lm(m, v, unknown_ok ? &x->slots[i + j] : NULL);
            ok = lm != US_STR_NONE;
            a.vid[j] = v;
            a.lm[j] = lm;
            if (same && v != x->slots[i + j].vid)
                same = 0;
        }
        if (!ok || same)
            continue;
        double weight = r[e].weight * kind_factor(r[e].kind) * factor;
        /* A phrase in the text that a dictionary lists as one term is
         * usually the writer's own ("motion picture", "on the other
         * hand"); only what spinners were seen or said to write counts
         * in full. */
        if (len > 1 && r[e].kind != US_EDGE_LEARNED && r[e].kind != US_EDGE_PROJECT)
            weight *= MULTIWORD_TEXT_FACTOR;
        if (!(weight > 0))
            continue;
        /* The discount compares word for word, so only where the original
         * has as many words as the text. */
        double gap = 0;
        if (k == len)
            for (uint32_t j = 0; j < k; j++)
                gap += unigram(m, a.lm[j]) - unigram(m, x->slots[i + j].lm);
        a.channel = (float)(log10(weight) - US_FREQ_LAMBDA * gap);
        a.learned = r[e].kind == US_EDGE_LEARNED;
        if (push(x->out, &a) != 0)
            return -1;
    }
    return 0;
}

/* A word neither the LM nor the thesaurus knows may still be a regular
 * form of a thesaurus term ("twelvemonths"): strip the suffix. */
static int unknown_word(ctx *x, size_t i)
{
    static const struct {
        const char *suffix, *repl;
        uint32_t infl;
    } rules[] = {
        {"ies", "y", US_INFL_PLURAL}, {"es", "", US_INFL_PLURAL}, {"s", "", US_INFL_PLURAL},
        {"ied", "y", US_INFL_PAST},   {"ed", "", US_INFL_PAST},   {"ed", "e", US_INFL_PAST},
        {"ing", "", US_INFL_GERUND},  {"ing", "e", US_INFL_GERUND},
    };
    const char *w = x->slots[i].norm;
    size_t n = strlen(w);
    char stem[64];
    for (size_t k = 0; k < US_ARRAY_LEN(rules); k++) {
        size_t sl = strlen(rules[k].suffix), rl = strlen(rules[k].repl);
        if (n <= sl + 2 || n - sl + rl >= sizeof stem || strcmp(w + n - sl, rules[k].suffix))
            continue;
        size_t keep = n - sl;
        memcpy(stem, w, keep);
        memcpy(stem + keep, rules[k].repl, rl + 1);
        uint32_t lemma = us_model_word(x->m, stem, keep + rl);
        uint32_t t = lemma == US_STR_NONE ? US_STR_NONE : us_model_term(x->m, &lemma, 1);
        if (t != US_STR_NONE)
            return from_term(x, t, rules[k].infl, rules[k].infl == US_INFL_PLURAL, i, 1, 0.5);
    }
    return 0;
}

static int hyphen_parts(ctx *x, size_t i);

typedef struct us_word_cache_entry {
    uint32_t n;            /* its arcs ... */
    size_t first;          /* ... from this index of the cache's arcs */
    int8_t learned;        /* has_learned of the word; -1: not asked yet */
    int16_t phrases;       /* phrase_mask of the word; -1: not asked yet */
    int32_t ropt;          /* its run_options in the cache's ropts; -1: not made yet */
    uint64_t phrase_cands; /* with phrases: bit p (p < 63) for candidate p
                              standing somewhere in the phrase mask, bit 63
                              for any of the candidates from 63 on */
} us_word_cache_entry;

static us_word_cache_entry *word_entry(ctx *x, size_t i);

static int look_up_word(ctx *x, size_t i)
{
    const unspin_model *m = x->m;
    uint32_t v = x->slots[i].vid;
    if (v == US_STR_NONE)
        return unknown_word(x, i) != 0 || hyphen_parts(x, i) != 0 ? -1 : 0;
    uint32_t t = us_model_term(m, &v, 1);
    if (t != US_STR_NONE && from_term(x, t, US_INFL_BASE, 0, i, 1, 1.0) != 0)
        return -1;
    uint32_t n;
    const us_morph_rec *r = us_csr_get(&m->morph_fwd, v, sizeof *r, &n);
    for (uint32_t j = 0; j < n; j++) {
        if (r[j].infl == US_INFL_BASE || r[j].word == v)
            continue;
        uint32_t lemma = r[j].word;
        t = us_model_term(m, &lemma, 1);
        /* Readings after the first are less likely. */
        if (t != US_STR_NONE &&
            from_term(x, t, r[j].infl,
                      r[j].infl == US_INFL_POSSESSIVE || r[j].infl == US_INFL_PLURAL, i, 1,
                      j == 0 ? 1.0 : 0.5) != 0)
            return -1;
    }
    return hyphen_parts(x, i);
}

/* Compounds with one part swapped.  The tokenizer keeps a hyphenated
 * compound as one word, and a spinner swaps one of its parts as it would
 * a word ("pre-educated" <- pre-trained, "well-identified" <- well-known,
 * "end-to-cease" <- end-to-end).  A compound of 2..HYPHEN_PARTS_MAX
 * parts gets, for each part, the part's one-word candidates put in its
 * place, when the compound they make is a word the model knows: one of
 * the LM's, or an original of the learned table (seen more often so than
 * spun).  Channel: the part's, discounted by HYPHEN_PART_FACTOR, with the
 * frequency discount of the compounds rather than of the parts.  Words
 * without '-' cost a memchr; a compound the word cache holds is done
 * once per text, one it does not (unknown to the model) whenever its
 * slot is asked, its parts' candidates read from the cache. */
#ifndef HYPHEN_PART_FACTOR
#define HYPHEN_PART_FACTOR 0.5
#endif
#define HYPHEN_PARTS_MAX 4

static int hyphen_parts(ctx *x, size_t i)
{
    const unspin_model *m = x->m;
    const us_slot *sl = &x->slots[i];
    const char *w = sl->norm;
    size_t n = strlen(w);
    char buf[64];
    if (n >= sizeof buf || !memchr(w, '-', n))
        return 0;
    /* the parts, [start[p], end[p]); none empty */
    size_t start[HYPHEN_PARTS_MAX], end[HYPHEN_PARTS_MAX], np = 0;
    for (size_t a = 0;;) {
        size_t b = a;
        while (b < n && w[b] != '-')
            b++;
        if (b == a || np == HYPHEN_PARTS_MAX)
            return 0;
        start[np] = a;
        end[np++] = b;
        if (b == n)
            break;
        a = b + 1;
    }
    if (np < 2)
        return 0;
    us_arcs tmp = {NULL, 0, 0};
    int rc = 0;
    for (size_t p = 0; p < np && rc == 0; p++) {
        size_t pl = end[p] - start[p];
        memcpy(buf, w + start[p], pl);
        buf[pl] = '\0';
        us_slot part = *sl;
        part.norm = buf;
        part.vid = us_model_word(m, buf, pl);
        if (part.vid == US_STR_NONE)
            continue;
        part.lm = part.vid < m->lm_words ? part.vid : US_LM_UNK;
        /* the part's candidates, as a word's: from the word cache, unless
         * it is filling this compound's entry (a compound it does not
         * hold comes here each time its slot is asked) */
        ctx y = *x;
        y.slots = &part;
        y.nslots = 1;
        y.out = &tmp;
        y.first = 0;
        const us_arc *cand = NULL;
        size_t ncand = 0;
        if (x->cache && x->out != &x->cache->arcs) {
            const us_word_cache_entry *e = word_entry(&y, 0);
            if (!e) {
                rc = -1;
                break;
            }
            cand = x->cache->arcs.a + e->first;
            ncand = e->n;
        } else {
            tmp.n = 0;
            if ((rc = look_up_word(&y, 0)) != 0)
                break;
            cand = tmp.a;
            ncand = tmp.n;
        }
        for (size_t k = 0; k < ncand && rc == 0; k++) {
            const us_arc *a = &cand[k];
            const char *o = a->n == 1 ? us_strtab_get(&m->vocab, a->vid[0]) : NULL;
            size_t ol = o ? strlen(o) : 0;
            if (!ol || n - pl + ol >= sizeof buf)
                continue;
            char joined[64];
            memcpy(joined, w, start[p]);
            memcpy(joined + start[p], o, ol);
            memcpy(joined + start[p] + ol, w + end[p], n - end[p]);
            size_t jl = n - pl + ol;
            uint32_t v = us_model_word(m, joined, jl), lm, orig, spun;
            if (v == US_STR_NONE || v == sl->vid || (lm = orig_lm(m, v, sl)) == US_STR_NONE)
                continue;
            if (v >= m->lm_words && (us_learned_counts(m, v, &orig, &spun), orig <= spun))
                continue;
            us_arc c = arc_over(i, i + 1, 1);
            c.n = 1;
            c.vid[0] = v;
            c.lm[0] = lm;
            c.learned = a->learned;
            /* the part's frequency discount taken back, the compound's put */
            c.channel = (float)(a->channel + log10(HYPHEN_PART_FACTOR) +
                                US_FREQ_LAMBDA * (unigram(m, a->lm[0]) - unigram(m, part.lm)) -
                                US_FREQ_LAMBDA * (unigram(m, lm) - unigram(m, sl->lm)));
            rc = push(x->out, &c);
        }
    }
    free(tmp.a);
    return rc;
}

void us_word_cache_clear(us_word_cache *c)
{
    us_idmap_clear(&c->words);
    c->arcs.n = 0;
    c->nropts = 0;
}

void us_word_cache_free(us_word_cache *c)
{
    us_idmap_free(&c->words);
    free(c->e);
    free(c->arcs.a);
    free(c->ropts);
    memset(c, 0, sizeof *c);
}

/* The one-word candidates of slot i.  They depend on the word alone (its
 * vocabulary id; its LM id follows from it, digits never come here), and
 * most words of a text come back many times, so with a cache each word's
 * are looked up once and copied after that, in the same order. */
/* The cache entry of slot i's word, its arcs looked up if they were not
 * yet; NULL when out of memory.  (Valid until the cache next grows.) */
static us_word_cache_entry *word_entry(ctx *x, size_t i)
{
    uint32_t v = x->slots[i].vid;
    us_word_cache *c = x->cache;
    uint32_t k = us_idmap_find(&c->words, v);
    if (k != US_IDMAP_NONE)
        return &c->e[k];
    if (us_grow((void **)&c->e, &c->ecap, c->words.n + 1, sizeof *c->e))
        return NULL;
    ctx y = *x;
    y.out = &c->arcs;
    size_t first = c->arcs.n;
    if (look_up_word(&y, i) != 0 || (k = us_idmap_add(&c->words, v, NULL)) == US_IDMAP_NONE) {
        c->arcs.n = first;
        return NULL;
    }
    c->e[k] = (us_word_cache_entry){(uint32_t)(c->arcs.n - first), first, -1, -1, -1, 0};
    return &c->e[k];
}

static int single_word(ctx *x, size_t i)
{
    uint32_t v = x->slots[i].vid;
    us_word_cache *c = x->cache;
    if (!c || v == US_STR_NONE)
        return look_up_word(x, i);
    us_word_cache_entry *e = word_entry(x, i);
    if (!e)
        return -1;
    if (e->n == 0)
        return 0;
    if (us_grow((void **)&x->out->a, &x->out->cap, x->out->n + e->n, sizeof *x->out->a))
        return -1;
    us_arc *a = x->out->a + x->out->n;
    memcpy(a, c->arcs.a + e->first, e->n * sizeof *a);
    for (uint32_t k = 0; k < e->n; k++) {
        a[k].from = (uint16_t)i;
        a[k].to = (uint16_t)(i + 1);
    }
    x->out->n += e->n;
    return 0;
}

static int phrases(ctx *x, size_t i)
{
    const unspin_model *m = x->m;
    uint32_t ids[US_MAX_SPUN];
    for (size_t len = 1; len <= US_MAX_SPUN && i + len <= x->nslots; len++) {
        const us_slot *s = &x->slots[i + len - 1];
        if (s->vid == US_STR_NONE || s->protect || (len > 1 && s->gap))
            break;
        ids[len - 1] = s->vid;
        if (len == 1)
            continue;
        uint32_t t = us_model_term(m, ids, (uint32_t)len);
        if (t != US_STR_NONE && from_term(x, t, US_INFL_BASE, 0, i, len, 1.0) != 0)
            return -1;
        /* The head lemmatized: last word for plurals, first for verb forms. */
        for (int end = 0; end < 2; end++) {
            size_t at = end ? len - 1 : 0;
            uint32_t n, keep = ids[at];
            const us_morph_rec *r = us_csr_get(&m->morph_fwd, keep, sizeof *r, &n);
            for (uint32_t j = 0; j < n; j++) {
                uint32_t c = r[j].infl;
                if (c == US_INFL_BASE || r[j].word == keep)
                    continue;
                int head_last = c == US_INFL_PLURAL || c == US_INFL_POSSESSIVE;
                if (head_last != end)
                    continue;
                ids[at] = r[j].word;
                t = us_model_term(m, ids, (uint32_t)len);
                ids[at] = keep;
                if (t != US_STR_NONE && from_term(x, t, c, head_last, i, len, 1.0) != 0)
                    return -1;
            }
        }
    }
    return 0;
}

static int number_word(ctx *x, size_t i)
{
    static const char *const words[] = {"zero", "one", "two", "three", "four", "five",
                                        "six", "seven", "eight", "nine", "ten"};
    const us_slot *s = &x->slots[i];
    if (s->lm != US_LM_NUM || strlen(s->norm) != 1 || s->norm[0] < '0' || s->norm[0] > '9')
        return 0;
    if (s->norm[0] == '1' || s->norm[0] == '0')
        return 0; /* "1" and "0" stand for themselves too often */
    const char *w = words[s->norm[0] - '0'];
    uint32_t v = us_model_word(x->m, w, strlen(w));
    if (v >= x->m->lm_words)
        return 0;
    us_arc a = arc_over(i, i + 1, 1);
    a.n = 1;
    a.lm[0] = a.vid[0] = v;
    a.channel = (float)log10(0.5);
    return push(x->out, &a);
}

/* Inline word by word rather than memcmp: prune compares every pair of a
 * slot's arcs, and most differ in their first word.  By vocabulary id:
 * originals the LM does not know share its one unknown id (orig_lm). */
static int same_arc(const us_arc *a, const us_arc *b)
{
    if (a->to != b->to || a->n != b->n)
        return 0;
    for (unsigned k = 0; k < a->n; k++)
        if (a->vid[k] != b->vid[k])
            return 0;
    return 1;
}

/* A slot can have hundreds of raw arcs (every sense of every reading of
 * a common word): duplicates are found through a small hash table and the
 * survivors sorted in O(k log k), where pairwise comparison and insertion
 * sorting were quadratic.  Beyond DEDUP_SLOTS / 2 arcs, or without memory
 * for the sort keys, the plain quadratic way is taken. */
#define DEDUP_SLOTS 1024

static uint32_t arc_hash(const us_arc *a)
{
    uint64_t h = (uint64_t)a->to * 0x9E3779B97F4A7C15ull ^ a->n;
    for (unsigned k = 0; k < a->n; k++)
        h = (h ^ a->vid[k]) * 0xC2B2AE3D27D4EB4Full;
    return (uint32_t)(h >> 40);
}

/* Merges arc i into kept arc j when they are the same: the likelier
 * channel and either's learned mark.  Returns 1 when merged. */
static int merge_into(us_arc *j, const us_arc *i)
{
    if (!same_arc(j, i))
        return 0;
    if (i->channel > j->channel)
        j->channel = i->channel;
    j->learned |= i->learned;
    return 1;
}

/* Drops duplicates in a[0, n), keeping the first of each in place;
 * returns how many are left. */
static size_t dedup(us_arc *a, size_t n)
{
    size_t k = 0;
    if (n >= DEDUP_SLOTS / 2) {
        for (size_t i = 0; i < n; i++) {
            size_t j;
            for (j = 0; j < k && !merge_into(&a[j], &a[i]); j++)
                ;
            if (j == k)
                a[k++] = a[i];
        }
        return k;
    }
    uint16_t tab[DEDUP_SLOTS]; /* kept index + 1; 0: empty */
    memset(tab, 0, sizeof tab);
    for (size_t i = 0; i < n; i++) {
        uint32_t h = arc_hash(&a[i]) & (DEDUP_SLOTS - 1);
        while (tab[h] && !merge_into(&a[tab[h] - 1], &a[i]))
            h = (h + 1) & (DEDUP_SLOTS - 1);
        if (!tab[h]) {
            a[k] = a[i];
            tab[h] = (uint16_t)(++k);
        }
    }
    return k;
}

typedef struct arc_key {
    float channel;
    uint32_t idx;
} arc_key;

/* Channel descending, then position: the order a stable sort gives. */
static int cmp_arc_key(const void *x, const void *y)
{
    const arc_key *a = x, *b = y;
    if (a->channel != b->channel)
        return a->channel < b->channel ? 1 : -1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Sorts a[1, k) by channel, best first, ties in their order, and keeps
 * the first `keep` of a[1, k) (a[0], the identity arc, stays first).
 * Returns the arcs left.  The sort moves 8-byte keys, not arcs: by
 * insertion for the few arcs most slots have, else by qsort. */
static size_t sort_keep(us_arc *a, size_t k, size_t keep)
{
    arc_key small[64], *key = small;
    if (k - 1 > US_ARRAY_LEN(small) && !(key = malloc((k - 1) * sizeof *key))) {
        for (size_t i = 2; i < k; i++) { /* no memory: sort the arcs themselves */
            us_arc t = a[i];
            size_t j = i;
            while (j > 1 && a[j - 1].channel < t.channel) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = t;
        }
        return k - 1 < keep ? k : keep + 1;
    }
    for (size_t i = 1; i < k; i++)
        key[i - 1] = (arc_key){a[i].channel, (uint32_t)i};
    if (key == small)
        for (size_t i = 1; i < k - 1; i++) {
            arc_key t = key[i];
            size_t j = i;
            for (; j > 0 && key[j - 1].channel < t.channel; j--)
                key[j] = key[j - 1];
            key[j] = t;
        }
    else
        qsort(key, k - 1, sizeof *key, cmp_arc_key);
    size_t nk = k - 1 < keep ? k - 1 : keep;
    /* (through a copy: a[1..] is both read and written) */
    us_arc best[MAX_ARCS_PER_SLOT];
    size_t ng = nk < US_ARRAY_LEN(best) ? nk : US_ARRAY_LEN(best);
    for (size_t i = 0; i < ng; i++)
        best[i] = a[key[i].idx];
    memcpy(a + 1, best, ng * sizeof *a);
    if (key != small)
        free(key);
    return ng + 1;
}

/* Merge duplicates (keep the likelier channel) and keep the best arcs. */
static void prune(us_arcs *out, size_t first)
{
    us_arc *a = out->a + first;
    size_t k = dedup(a, out->n - first);
    if (k > 1)
        k = sort_keep(a, k, MAX_ARCS_PER_SLOT - 1);
    out->n = first + k;
}

/* The bit of the phrase window of `len` words in which slot i is word r. */
#define WINDOW_BIT(len, r) (1u << (((len) - 2) * US_MAX_ORIG + (r)))

/* 1 when word w may stand at position pos of a term of len words. */
static int fits_at(const unspin_model *m, uint32_t w, size_t pos, size_t len)
{
    if (!m->term_pos)
        return 1;
    unsigned need = pos == 0 ? US_TERM_AT_FIRST
                    : pos + 1 == len ? US_TERM_AT_LAST : US_TERM_AT_MIDDLE;
    return w < m->vocab.count && (m->term_pos[w] & need);
}

unsigned us_term_windows(const unspin_model *m, const us_slot *s, size_t nslots, size_t i)
{
    unsigned windows = 0;
    uint32_t ids[US_MAX_ORIG];
    for (size_t len = 2; len <= US_MAX_ORIG; len++) {
        for (size_t start = i + 1 >= len ? i + 1 - len : 0; start <= i; start++) {
            if (start + len > nslots)
                break;
            int usable = 1;
            for (size_t j = start; j < start + len && usable; j++) {
                usable = s[j].vid != US_STR_NONE && (j == start || !s[j].gap) &&
                         (j == i || fits_at(m, s[j].vid, j - start, len)) &&
                         (j == start || j == i || j - 1 == i ||
                          us_model_term_pair(m, s[j - 1].vid, s[j].vid));
                ids[j - start] = s[j].vid;
            }
            /* (a window the text already reads as a phrase is no sign) */
            if (usable && us_model_term(m, ids, (uint32_t)len) == US_STR_NONE)
                windows |= WINDOW_BIT(len, i - start);
        }
    }
    return windows;
}

/* 1 when original word o (or a lemma of it) at slot i completes a
 * dictionary phrase with the text's neighbours, where the text's own word
 * does not: "floor to a halt" -> "ground to a halt" (grind to a halt).
 * An n-gram LM knows idioms only as far as its trigrams reach; the
 * thesaurus lists them whole. */
int us_completes_term(const unspin_model *m, const us_slot *s, size_t nslots, size_t i,
                      uint32_t o, unsigned windows)
{
    if (!windows)
        return 0;
    uint32_t alts[3], na = 0, n;
    alts[na++] = o;
    const us_morph_rec *r = us_csr_get(&m->morph_fwd, o, sizeof *r, &n);
    for (uint32_t j = 0; j < n && na < US_ARRAY_LEN(alts); j++)
        if (r[j].word != o)
            alts[na++] = r[j].word;
    uint32_t ids[US_MAX_ORIG];
    for (size_t len = 2; len <= US_MAX_ORIG; len++) {
        for (size_t start = i + 1 >= len ? i + 1 - len : 0; start <= i; start++) {
            if (start + len > nslots)
                break;
            if (!(windows & WINDOW_BIT(len, i - start)))
                continue;
            for (size_t j = start; j < start + len; j++)
                ids[j - start] = s[j].vid;
            for (uint32_t a = 0; a < na; a++) {
                ids[i - start] = alts[a];
                if (us_model_term(m, ids, (uint32_t)len) != US_STR_NONE)
                    return 1;
            }
        }
    }
    return 0;
}

/* "a"/"an" before a swapped word: a spinner that writes "an enormous" for
 * "a massive" fixes the article too, so the original of "an enormous" is
 * the two words "a massive".  Arcs for the article and the next word
 * together, with the article the original's first letter asks for. */
static int learned_runs(ctx *x, size_t i);

static int article_pairs(ctx *x, size_t i)
{
    const us_slot *s = x->slots;
    if (i + 1 >= x->nslots || s[i + 1].protect || s[i + 1].gap || s[i + 1].lm == US_LM_NUM ||
        (strcmp(s[i].norm, "a") && strcmp(s[i].norm, "an")))
        return 0;
    us_arcs next = {NULL, 0, 0};
    ctx y = *x;
    y.out = &next;
    y.first = 0;
    /* the next word's swaps, and runs from it ("an irregular woodland" <-
     * a random forest) */
    int rc = single_word(&y, i + 1);
    if (rc == 0)
        rc = learned_runs(&y, i + 1);
    int text_an = strcmp(s[i].norm, "an") == 0;
    uint32_t a = us_model_word(x->m, "a", 1), an = us_model_word(x->m, "an", 2);
    for (size_t k = 0; rc == 0 && k < next.n; k++) {
        const us_arc *b = &next.a[k];
        const char *w = us_strtab_get(&x->m->vocab, b->vid[0]);
        int want_an = w && strchr("aeiou", w[0]) != NULL;
        if (b->n >= US_MAX_ORIG || want_an == text_an || a >= x->m->lm_words ||
            an >= x->m->lm_words)
            continue;
        us_arc c = *b;
        c.from = (uint16_t)i;
        c.n = (uint8_t)(b->n + 1);
        c.lm[0] = c.vid[0] = want_an ? an : a;
        memcpy(c.lm + 1, b->lm, b->n * sizeof c.lm[0]);
        memcpy(c.vid + 1, b->vid, b->n * sizeof c.vid[0]);
        rc = push(x->out, &c);
    }
    free(next.a);
    return rc;
}

/* Learned phrases backed off to words.  A tortured phrase nobody listed
 * ("irregular woodland") is mostly made of words whose learned swaps are
 * known ("irregular" <- random, "woodland" <- forest), and what it stands
 * for is mostly a term spinners are known to start from ("random
 * forest").  An arc for the whole run, its channel the product of its
 * words' channels, lets the decoder weigh the swaps jointly (each half
 * alone reads worse than the text) with the prior of a learned phrase.
 * A run qualifies when its original is a known term, it holds a learned
 * swap (a thesaurus swap may join it: "crude info" <- raw data), and the
 * LM has not seen a pair of its words as written: a writer's own
 * collocation ("identical twins") is a bigram of general English, a
 * spinner's ("include choice") is not.  (Runs made only of learned swaps
 * without a known term fired on `make quality`'s natural text, where the
 * learned table's everyday words meet: "identical individuals".) */

#ifndef LEARNED_TERM_BONUS
#define LEARNED_TERM_BONUS 100.0
#endif
#ifndef LEARNED_PAIR_BONUS
#define LEARNED_PAIR_BONUS 30.0
#endif
#ifndef LEARNED_PHRASE_BONUS
#define LEARNED_PHRASE_BONUS 10.0
#endif
#ifndef LEARNED_PER_WORD
#define LEARNED_PER_WORD 3 /* learned swaps tried per word ... */
#endif
#ifndef THES_PER_WORD
#define THES_PER_WORD 3    /* ... and thesaurus swaps */
#endif

typedef struct run_opts {
    us_arc a[LEARNED_PER_WORD + THES_PER_WORD];
    size_t n, nl; /* options; learned ones (first) among them */
    /* vocab_swap of each option with the slot's word, -1: not asked yet
     * (emit_runs asks it of an option once, not for every run through it) */
    int8_t vocab[LEARNED_PER_WORD + THES_PER_WORD];
} run_opts;

/* 1 when term t has learned edges of its own: it is a spun form. */
static int learned_term(const unspin_model *m, uint32_t t)
{
    uint32_t n;
    const us_syn_rec *e = us_csr_get(&m->syn, t, sizeof *e, &n);
    for (uint32_t j = 0; j < n; j++)
        if (e[j].kind == US_EDGE_LEARNED)
            return 1;
    return 0;
}

/* 1 when the word of slot s, or a lemma of it, has a learned swap. */
static int has_learned(const unspin_model *m, const us_slot *s)
{
    uint32_t ids[4], nid = 0, n;
    ids[nid++] = s->vid;
    const us_morph_rec *r = us_csr_get(&m->morph_fwd, s->vid, sizeof *r, &n);
    for (uint32_t j = 0; j < n && nid < US_ARRAY_LEN(ids); j++)
        ids[nid++] = r[j].word;
    for (uint32_t k = 0; k < nid; k++) {
        uint32_t t = us_model_term(m, &ids[k], 1);
        if (t != US_STR_NONE && learned_term(m, t))
            return 1;
    }
    return 0;
}

/* has_learned for slot j's word, kept in the word cache: a run start
 * asks it of the next US_MAX_SPUN words, so each word about four times.
 * -1 when out of memory. */
static int slot_learned(ctx *x, size_t j)
{
    const us_slot *s = &x->slots[j];
    if (!x->cache)
        return has_learned(x->m, s);
    us_word_cache_entry *e = word_entry(x, j);
    if (!e)
        return -1;
    if (e->learned < 0)
        e->learned = (int8_t)has_learned(x->m, s);
    return e->learned;
}

/* 1 when ids, as written or with the last word's lemma ("activation
 * functions"), form a thesaurus term that is not a learned spun form: a
 * term spinners start from, or a dictionary's. */
static int plain_term(const unspin_model *m, const uint32_t *ids, uint32_t n)
{
    uint32_t t = us_model_term(m, ids, n);
    if (t != US_STR_NONE)
        return !learned_term(m, t);
    if (n < 2 || n > US_MAX_ORIG)
        return 0;
    uint32_t w[US_MAX_ORIG], nr;
    memcpy(w, ids, n * sizeof *w);
    const us_morph_rec *r = us_csr_get(&m->morph_fwd, ids[n - 1], sizeof *r, &nr);
    for (uint32_t j = 0; j < nr; j++) {
        if (r[j].word == ids[n - 1])
            continue;
        w[n - 1] = r[j].word;
        if ((t = us_model_term(m, w, n)) != US_STR_NONE)
            return !learned_term(m, t);
    }
    return 0;
}

/* Keeps arc a among the `cap` best of o[0, *k) by channel. */
static void keep_best(us_arc *o, size_t *k, size_t cap, const us_arc *a)
{
    size_t at = *k;
    if (at == cap) {
        at = 0;
        for (size_t q = 1; q < cap; q++)
            if (o[q].channel < o[at].channel)
                at = q;
        if (o[at].channel >= a->channel)
            return;
    } else
        (*k)++;
    o[at] = *a;
}

static void vocab_counts(const unspin_model *m, uint32_t w, uint32_t *orig, uint32_t *spun);

/* 1 when the one-word original of arc a is of the learned table's
 * original vocabulary: seen there more often as an original than spun. */
static int vocab_original(const unspin_model *m, const us_arc *a)
{
    uint32_t o, s;
    if (a->n != 1)
        return 0;
    vocab_counts(m, a->vid[0], &o, &s);
    return o > s;
}

/* The one-word swaps of slot j a run may use: the best learned ones, then
 * the best of the thesaurus's, those whose original is of the learned
 * original vocabulary first ("coaching" <- training before "coaching" <-
 * tutoring: the list's originals are the terms spinners start from). */
static int make_run_options(ctx *x, size_t j, run_opts *o)
{
    o->n = o->nl = 0;
    memset(o->vocab, -1, sizeof o->vocab);
    const us_slot *s = &x->slots[j];
    if (s->lm == US_LM_NUM)
        return 0;
    /* The word's one-word candidates: straight from the word cache (their
     * slots, which differ, are not read here), else looked up. */
    us_arcs tmp = {NULL, 0, 0};
    const us_arc *cand;
    size_t ncand;
    int rc = 0;
    if (x->cache && s->vid != US_STR_NONE) {
        us_word_cache_entry *e = word_entry(x, j);
        if (!e)
            return -1;
        cand = x->cache->arcs.a + e->first;
        ncand = e->n;
    } else {
        ctx y = *x;
        y.out = &tmp;
        y.first = 0;
        rc = single_word(&y, j);
        cand = tmp.a;
        ncand = tmp.n;
    }
    us_arc th[THES_PER_WORD + 1], tv[THES_PER_WORD + 1];
    size_t nth = 0, ntv = 0;
    for (size_t k = 0; rc == 0 && k < ncand; k++) {
        if (cand[k].learned)
            keep_best(o->a, &o->nl, LEARNED_PER_WORD, &cand[k]);
        else if (vocab_original(x->m, &cand[k]))
            keep_best(tv, &ntv, THES_PER_WORD, &cand[k]);
        else
            keep_best(th, &nth, THES_PER_WORD, &cand[k]);
    }
    o->n = o->nl;
    for (size_t k = 0; k < ntv; k++)
        o->a[o->n++] = tv[k];
    for (size_t k = 0; k < nth && o->n < o->nl + THES_PER_WORD; k++)
        o->a[o->n++] = th[k];
    free(tmp.a);
    return rc;
}

/* make_run_options for slot j into *o.  They depend on the word alone
 * (its candidates, and vocab_swap's answers for them, which emit_runs
 * fills in as it asks), and a word starts up to US_MAX_SPUN runs and comes
 * back in the text, so with a cache they are made once per word and
 * copied: *ri is then their index in the cache's ropts (for
 * keep_run_answers), else -1.  (make_run_options was a fifth of the
 * learned runs' time, and their vocab_swap answers were asked anew.) */
static int run_options(ctx *x, size_t j, run_opts *o, int32_t *ri)
{
    const us_slot *s = &x->slots[j];
    us_word_cache *c = x->cache;
    *ri = -1;
    if (!c || s->vid == US_STR_NONE || s->lm == US_LM_NUM)
        return make_run_options(x, j, o);
    us_word_cache_entry *e = word_entry(x, j);
    if (!e)
        return -1;
    size_t k = (size_t)(e - c->e);
    if (e->ropt < 0) {
        if (us_grow((void **)&c->ropts, &c->ropts_cap, c->nropts + 1, sizeof *c->ropts) ||
            make_run_options(x, j, &c->ropts[c->nropts]) != 0)
            return -1;
        /* (make_run_options may have grown the entries: by index) */
        c->e[k].ropt = (int32_t)c->nropts++;
    }
    *ri = c->e[k].ropt;
    *o = c->ropts[*ri];
    return 0;
}

/* Keeps the vocab_swap answers emit_runs found for options o[0, len) in
 * the cache's copies (ri from run_options). */
static void keep_run_answers(ctx *x, const run_opts *o, const int32_t *ri, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (ri[k] >= 0)
            memcpy(x->cache->ropts[ri[k]].vocab, o[k].vocab, sizeof o[k].vocab);
}

/* 1 when the LM has seen words v w as a bigram (else it backs off to the
 * unigram, and the score is exactly that sum). */
static int bigram_seen(const unspin_model *m, uint32_t v, uint32_t w)
{
    if (v >= m->lm_words || w >= m->lm_words)
        return 0;
    /* emit_run asks it of the same few pairs for every choice of a run's
     * originals: the answers are kept, per thread, by model and pair. */
    static _Thread_local struct {
        uint64_t serial;
        uint32_t v, w;
        int seen;
    } memo[64];
    size_t h = (size_t)(((uint64_t)v * 0x9E3779B97F4A7C15ull ^ w) >> 58);
    if (memo[h].serial == m->serial && m->serial && memo[h].v == v && memo[h].w == w)
        return memo[h].seen;
    int seen = us_lm_score(&m->lm, UINT32_MAX, v, w) != m->lm.uni[v].bo + m->lm.uni[w].prob;
    memo[h].serial = m->serial;
    memo[h].v = v;
    memo[h].w = w;
    memo[h].seen = seen;
    return seen;
}

/* Runs whose original is no known term: what they stand for is judged
 * by the learned vocabulary (src/model/learned.h).  A tortured phrase
 * nobody listed ("concealed node" <- hidden node) swaps words the table
 * has seen spun for words it has seen as originals; a writer's own
 * phrase ("identical individuals") holds words that are as often
 * originals in the table, or never in it. */
#ifndef LEARNED_VOCAB_BONUS
#define LEARNED_VOCAB_BONUS 10.0 /* below a known term's: it wins where both fit */
#endif
/* Counts are evidence: a run needs one swap whose words were seen on
 * their side at least this many times.  (2 let "benchmark" <- claim,
 * seen once, through.)  The word kept beside a single swap needs only to
 * be seen more often as an original (make tortured: from three times
 * to once, recall 42.6 % to 43.9 %, the false spans on the originals as
 * they were). */
#ifndef VOCAB_SINGLE_MIN
#define VOCAB_SINGLE_MIN 3
#endif
/* A thesaurus swap of a word the table never saw may join learned ones
 * when its original is of the learned vocabulary ("crude info"). */
#ifndef VOCAB_UNKNOWN_TEXT
#define VOCAB_UNKNOWN_TEXT 1
#endif

/* Learned-table counts of word w, or of its first lemma when the table
 * has not seen w as written ("strategies" from strategy). */
static void vocab_counts(const unspin_model *m, uint32_t w, uint32_t *orig, uint32_t *spun)
{
    us_learned_counts(m, w, orig, spun);
    if (*orig || *spun)
        return;
    uint32_t n;
    const us_morph_rec *r = us_csr_get(&m->morph_fwd, w, sizeof *r, &n);
    for (uint32_t j = 0; j < n; j++)
        if (r[j].word != w) {
            us_learned_counts(m, r[j].word, orig, spun);
            return;
        }
}

/* 1 when the swap of text word v for the original of arc a puts a word
 * the learned table has seen more often spun than original (or, for a
 * thesaurus swap, a word it never saw) for words it has seen more often
 * as originals; 2 when, besides, each was seen so at least
 * VOCAB_SINGLE_MIN times; else 0. */
static int vocab_swap(const unspin_model *m, uint32_t v, const us_arc *a)
{
    uint32_t o, s, least;
    vocab_counts(m, v, &o, &s);
    int unknown = VOCAB_UNKNOWN_TEXT && !a->learned && o == 0 && s == 0;
    if (s <= o && !unknown)
        return 0;
    least = unknown ? 0 : s;
    for (unsigned k = 0; k < a->n; k++) {
        vocab_counts(m, a->vid[k], &o, &s);
        if (o <= s)
            return 0;
        least = o < least ? o : least;
    }
    return least >= VOCAB_SINGLE_MIN ? 2 : 1;
}

/* A word the LM knows only as well as a word it does not know (its
 * unigram log10 below RUN_RARE_KEPT, near UNSPIN_LM_UNKNOWN_LOGPROB) and
 * that is never a swap (no candidate: "tamura", "butterworth", "gabor")
 * is a name or a technical term's word, as one the LM does not know
 * mostly is; a rare word of general English has thesaurus swaps
 * ("little filaments" <- small filaments stays out).  Beside such a word
 * the LM cannot judge the swap: what it says of "gabor transform" against
 * "gabor change" is mostly that "change" is the commoner word.  So a run
 * of one swap beside it, or beside a word the LM does not know, weighs
 * RUN_NAME_BONUS times more when the table is sure of the swap:
 * P(text word | original) of RUN_NAME_MIN_P or more, a spun form that
 * points back to its original ("highlights" <- features,
 * 0.95), not one of a general spinner's many ("group" <- team, 0.09: a
 * news article's "cybercriminal group").  (make tortured, five folds:
 * flagged 51.6 -> 53.0 %, restored 28.1 -> 28.6 %, false spans on the
 * originals 3.23 -> 3.33 per 1,000 words; a bonus of 10 flagged 53.4 %
 * for 3.58 false spans, without the sure-swap test the default model
 * found three more spans, none of them right, in a spun news article.) */
#ifndef RUN_RARE_KEPT
#define RUN_RARE_KEPT (-6.5)
#endif
#ifndef RUN_NAME_MIN_P
#define RUN_NAME_MIN_P 0.5
#endif
#ifndef RUN_NAME_BONUS
#define RUN_NAME_BONUS 3.0
#endif

/* A rare word whose only candidates are a dictionary's senses of it
 * ("gabor" <- dennis gabor, "coaxial" <- concentric): no learned swap,
 * and never seen spun in the learned table, is still a name or a
 * technical term's word, as much as one without any candidate; the
 * rare words of general English a spinner writes ("little filaments")
 * are learned as spun forms or are commoner than RUN_RARE_KEPT.  (make
 * tortured, five folds: flagged 53.0 -> 53.5 %, restored 28.6 -> 28.7 %,
 * false spans on the originals as they were; the default model's output
 * as it was on make quality's texts.) */
#ifndef RUN_NAME_SENSES
#define RUN_NAME_SENSES 1
#endif

/* 1 when word q of the run at slot i (options ro[q]) is one the LM does
 * not know, or one it knows as rarely that is never a swap, or only a
 * dictionary's (RUN_NAME_SENSES). */
static int name_word(const ctx *x, const run_opts *ro, size_t i, size_t q)
{
    const us_slot *s = &x->slots[i + q];
    if (s->lm >= x->m->lm_words)
        return 1;
    if (unigram(x->m, s->lm) >= RUN_RARE_KEPT)
        return 0;
    if (!ro[q].n)
        return 1;
    uint32_t o, sp;
    vocab_counts(x->m, s->vid, &o, &sp);
    return RUN_NAME_SENSES && ro[q].nl == 0 && sp == 0;
}

/* The word a two-word run of one swap (pick[]) keeps as written: 0 or 1. */
static size_t kept_place(const int *pick)
{
    return pick[0] < 0 ? 0 : 1;
}

/* 1 when the one swap of a two-word run (pick[]) is a learned one of
 * weight RUN_NAME_MIN_P or more (the option's channel without its
 * frequency discount, see from_term). */
static int sure_swap(const ctx *x, const run_opts *ro, size_t i, const int *pick)
{
    size_t q = 1 - kept_place(pick);
    const us_arc *a = &ro[q].a[pick[q]];
    if ((size_t)pick[q] >= ro[q].nl || a->n != 1)
        return 0;
    double gap = unigram(x->m, a->lm[0]) - unigram(x->m, x->slots[i + q].lm);
    return a->channel + US_FREQ_LAMBDA * gap >= log10(RUN_NAME_MIN_P) - 1e-6;
}

/* A word the LM knows, but rarely (its unigram log10 below
 * RUN_TERM_RARE), that the learned table holds as an original at least
 * RUN_TERM_MIN times and at least RUN_TERM_RATIO times as often as spun
 * ("node", "reticulum", "linux") is a technical term's word as much as a
 * name is: a spinner leaves it ("secret node" <- hidden node) and the LM,
 * which has seen it with few words, judges the swap beside it mostly by
 * how common the words are.  A sure swap beside it weighs RUN_NAME_BONUS
 * times more, as beside a name.  The rarity keeps out the common words
 * of the table's originals ("open", "air"), which stand beside general
 * English everywhere: without it (and without the sure-swap test), make
 * tortured's "discuss open problems" was read as "air open problems" in
 * every sentence of its template (five folds: 3.33 -> 5.88 false spans
 * per 1,000 words on the originals).  (Five folds: flagged 53.5 -> 53.7 %,
 * restored 28.7 -> 28.9 %, false spans 3.33 -> 3.37; without the
 * sure-swap test the same flagged, fewer restored; a rarity bar of -4.5
 * flagged 53.8 % for 3.43 false spans, a bonus of 10 53.9 % for 3.53;
 * the default model's output as it was.) */
#ifndef RUN_TERM_RARE
#define RUN_TERM_RARE (-5.0)
#endif
#ifndef RUN_TERM_MIN
#define RUN_TERM_MIN 3
#endif
#ifndef RUN_TERM_RATIO
#define RUN_TERM_RATIO 4
#endif

/* 1 when the word of slot s is such a technical term's word. */
static int term_word(const unspin_model *m, const us_slot *s)
{
    uint32_t o, sp;
    if (s->lm >= m->lm_words || unigram(m, s->lm) >= RUN_TERM_RARE)
        return 0;
    vocab_counts(m, s->vid, &o, &sp);
    return o >= RUN_TERM_MIN && (uint64_t)sp * RUN_TERM_RATIO <= o;
}

/* 1 when the two-word run at slot i that pick[] says is one sure swap
 * beside a name_word. */
static int sure_beside_name(const ctx *x, const run_opts *ro, size_t i, const int *pick)
{
    return name_word(x, ro, i, kept_place(pick)) && sure_swap(x, ro, i, pick);
}

/* 1 when it is one sure swap beside a name_word or a term_word. */
static int sure_beside_term(const ctx *x, const run_opts *ro, size_t i, const int *pick)
{
    size_t q = kept_place(pick);
    return (name_word(x, ro, i, q) || term_word(x->m, &x->slots[i + q])) &&
           sure_swap(x, ro, i, pick);
}

/* 1 when a vocabulary run over [i, i + len) with `swaps` swaps has the
 * shape of one: two swaps or more, starting and ending with one (a word
 * kept at an end is the identity arc's), a word kept inside one the
 * learned table has seen ("district of intrigue" <- region of interest;
 * not "reported that squander"); or one swap beside a word the table has
 * seen more often as an original ("concealed node" <- hidden node; not
 * "a framework that"), or that neither the LM nor the table knows
 * ("butterworth channel" <- butterworth filter), or that the LM knows no
 * better than one it does not know and the table has never seen, where
 * the swap is a sure one (name_word, sure_swap: "tamura highlights" <-
 * tamura features). */
static int vocab_frame(ctx *x, size_t i, size_t len, const run_opts *ro, const int *pick,
                       size_t swaps)
{
    uint32_t o, s;
    if (swaps == 1) {
        if (len != 2)
            return 0;
        const us_slot *kept = &x->slots[i + kept_place(pick)];
        vocab_counts(x->m, kept->vid, &o, &s);
        if (kept->lm >= x->m->lm_words || sure_beside_name(x, ro, i, pick))
            return o + s == 0 || o > s;
        return o > s;
    }
    if (pick[0] < 0 || pick[len - 1] < 0)
        return 0;
    for (size_t q = 1; q + 1 < len; q++) {
        if (pick[q] < 0 && (vocab_counts(x->m, x->slots[i + q].vid, &o, &s), o + s == 0))
            return 0;
    }
    return 1;
}

/* vocab_swap of option p of the run's word q (at slot i + q), asked once. */
static int option_vocab(ctx *x, size_t i, run_opts *o, size_t q, int p)
{
    if (o[q].vocab[p] < 0)
        o[q].vocab[p] = (int8_t)vocab_swap(x->m, x->slots[i + q].vid, &o[q].a[p]);
    return o[q].vocab[p];
}

/* 1 when the run over [i, i + len) that pick[] says, with `swaps` swaps,
 * whose original is no known term, is a vocabulary run: every swap
 * accepted by vocab_swap, one of them with strong counts, in the shape
 * vocab_frame asks. */
static int vocab_run(ctx *x, size_t i, size_t len, run_opts *o, const int *pick,
                     size_t swaps)
{
    const us_learned_index *ix = x->m->learned_ix;
    if (!ix || !ix->words.n)
        return 0;
    int strong = 0;
    for (size_t q = 0; q < len; q++) {
        if (pick[q] < 0)
            continue;
        int v = option_vocab(x, i, o, q, pick[q]);
        if (!v)
            return 0;
        strong |= v > 1;
    }
    return strong && vocab_frame(x, i, len, o, pick, swaps);
}

/* Pushes the run arc over slots [i, i + len) that pick[] says (pick[q]
 * -1: word q as written, else its option), when it qualifies. */
static int emit_run(ctx *x, size_t i, size_t len, run_opts *o, const int *pick)
{
    us_arc c = arc_over(i, i + len, 1);
    c.learned = 1;
    size_t swaps = 0, learned = 0, unseen = 0;
    double gap = 0; /* unigram log10 gap, original minus text, of the swaps */
    uint32_t text[US_MAX_SPUN];
    for (size_t q = 0; q < len; q++) {
        const us_slot *s = &x->slots[i + q];
        text[q] = s->vid;
        unseen += q > 0 && !bigram_seen(x->m, s[-1].lm, s->lm);
        if (pick[q] < 0) {
            if (c.n >= US_MAX_ORIG)
                return 0;
            c.vid[c.n] = s->vid;
            c.lm[c.n++] = s->lm;
            continue;
        }
        const us_arc *a = &o[q].a[pick[q]];
        if (c.n + a->n > US_MAX_ORIG)
            return 0;
        memcpy(c.vid + c.n, a->vid, a->n * sizeof c.vid[0]);
        memcpy(c.lm + c.n, a->lm, a->n * sizeof c.lm[0]);
        c.n = (uint8_t)(c.n + a->n);
        c.channel += a->channel;
        if (a->n == 1)
            gap += unigram(x->m, a->lm[0]) - unigram(x->m, s->lm);
        learned += (size_t)pick[q] < o[q].nl;
        swaps++;
    }
    /* One word kept inside may join two swaps ("locale of enthusiasm"),
     * more make no phrase.  The text a known term ("speech recognition")
     * is the writer's own. */
    if (!learned || !unseen || len - swaps > 1 || plain_term(x->m, text, (uint32_t)len))
        return 0;
    /* Its original a known term, or else a vocabulary run. */
    if (plain_term(x->m, c.vid, c.n))
        c.channel += (float)log10(LEARNED_TERM_BONUS);
    else if (vocab_run(x, i, len, o, pick, swaps)) {
        c.channel += (float)log10(LEARNED_VOCAB_BONUS);
        /* one sure swap beside a name or a technical word the LM cannot
         * judge it by */
        if (swaps == 1 && sure_beside_term(x, o, i, pick))
            c.channel += (float)log10(RUN_NAME_BONUS);
    } else
        return 0;
    /* An original the list holds as a whole ("machine learning") is
     * likelier than one put together word by word ("device learning"). */
    if (us_learned_phrase_count(x->m, c.vid, c.n))
        c.channel += (float)log10(LEARNED_PHRASE_BONUS);
    /* The list's technical bigrams back the general LM: each pair of the
     * original's words that the LM has not seen but the table's originals
     * hold ("classification accuracy", not "group accuracy"). */
    for (unsigned k = 0; k + 1 < c.n; k++)
        if (us_learned_pair(x->m, c.vid[k], c.vid[k + 1]) &&
            !bigram_seen(x->m, c.lm[k], c.lm[k + 1]))
            c.channel += (float)log10(LEARNED_PAIR_BONUS);
    /* Nor is the term to lose by its words being rarer than the text's:
     * the LM's preference for common words, which US_FREQ_LAMBDA only
     * dampens, says little about technical terms. */
    if (gap < 0)
        c.channel -= (float)((1.0 - US_FREQ_LAMBDA) * gap);
    return push(x->out, &c);
}

/* 1 when the words of an original w[from, to), none of them its last
 * word, may stand where they are in a term of two words or more: what
 * us_model_term's filter (term_pos, term_pairs) asks of them, and of each
 * with the word before it.  A run whose original fails it is no term,
 * as written or with its last word lemmatized (plain_term). */
static int term_prefix_fits(const unspin_model *m, const uint32_t *w, size_t from, size_t to)
{
    if (!m->term_pos)
        return 1;
    for (size_t j = from; j < to; j++) {
        unsigned need = j == 0 ? US_TERM_AT_FIRST : US_TERM_AT_MIDDLE;
        if (w[j] >= m->vocab.count || !(m->term_pos[w[j]] & need) ||
            (j > 0 && !us_model_term_pair(m, w[j - 1], w[j])))
            return 0;
    }
    return 1;
}

/* What emit_runs knows of the choices made so far, pick[0, k). */
typedef struct run_prefix {
    uint32_t w[US_MAX_ORIG]; /* the original's words */
    size_t n;                /* ... how many */
    size_t kept;             /* words kept as written */
    int learned;             /* a learned swap is among them */
    int term;                /* w[0, n - 1) passes term_prefix_fits */
    int vocab;               /* every swap passes vocab_swap, and the
                                words kept are where vocab_frame wants */
} run_prefix;

/* Every choice of pick[k..len) for the run over [i, i + len), leaving out
 * those emit_run would turn down for what pick[0, k) holds: more than
 * US_MAX_ORIG original words, more than one word kept, no learned swap
 * left to choose, or an original that can be no term while the run can
 * be no vocabulary run (a swap fails vocab_swap, or a word is kept at an
 * end of a run of three words or more).  (A run of len words has up to
 * 7^len choices, of which few qualify.)  The runs left are emitted in the
 * same order as without the pruning.  learned_left[k]: options of
 * words k.. that are learned. */
static int emit_runs(ctx *x, size_t i, size_t len, run_opts *o, int *pick, size_t k,
                     const run_prefix *pre, const size_t *learned_left)
{
    if (k == len)
        return emit_run(x, i, len, o, pick);
    const unspin_model *m = x->m;
    const us_learned_index *ix = m->learned_ix;
    const int vocab_any = ix && ix->words.n;
    for (int p = -1; p < (int)o[k].n; p++) {
        run_prefix next = *pre;
        const uint32_t *add;
        size_t nadd;
        if (p < 0) {
            add = &x->slots[i + k].vid;
            nadd = 1;
            next.kept++;
            if (len > 2 && (k == 0 || k + 1 == len))
                next.vocab = 0;
        } else {
            add = o[k].a[p].vid;
            nadd = o[k].a[p].n;
            next.learned |= (size_t)p < o[k].nl;
        }
        if (next.kept > 1 || next.n + nadd > US_MAX_ORIG ||
            (!next.learned && !learned_left[k + 1]))
            continue;
        memcpy(next.w + next.n, add, nadd * sizeof *add);
        next.n += nadd;
        /* the words no longer last: the one before these and all but the
         * last of these */
        if (next.term)
            next.term = term_prefix_fits(m, next.w, pre->n ? pre->n - 1 : 0, next.n - 1);
        if (p >= 0 && next.vocab)
            next.vocab = vocab_any && option_vocab(x, i, o, k, p) != 0;
        if (!next.term && !next.vocab)
            continue;
        pick[k] = p;
        if (emit_runs(x, i, len, o, pick, k + 1, &next, learned_left) != 0)
            return -1;
    }
    return 0;
}

/* A word the vocabulary does not hold ("ahp", "teichoic") or that is
 * never a swap (a name or an acronym: "Butterworth", "AHP") is part of
 * a technical term more often than not, and a spinner leaves it as it
 * leaves "butterworth" in "butterworth channel" <- butterworth filter:
 * it may stand kept as written beside the one swap of a run of two
 * words (vocab_frame asks, as of any word kept there, that the LM does
 * not know it or the table has seen it more often as an original).
 * (make tortured, five folds: flagged 49.9 -> 51.6 %, restored 27.0 ->
 * 28.1 %, false spans on the originals 3.16 -> 3.23 per 1,000 words; the
 * default model's spans as they were on make quality's texts.) */
#ifndef RUN_BARE_WORDS
#define RUN_BARE_WORDS 1
#endif

/* 1 when slot s may be in a run only as a word kept as written. */
static int bare_word(const us_slot *s)
{
    return s->vid == US_STR_NONE || s->protect;
}

/* The run arcs starting at slot i. */
static int learned_runs(ctx *x, size_t i)
{
    run_opts o[US_MAX_SPUN];
    int pick[US_MAX_SPUN];
    size_t len = 0, have = 0, max = US_MAX_SPUN;
    /* No look-up unless a word of the run has a learned swap. */
    for (; len < max && i + len < x->nslots; len++) {
        const us_slot *s = &x->slots[i + len];
        if (len > 0 && s->gap)
            break;
        if (bare_word(s)) {
            if (!RUN_BARE_WORDS || len > 1 || s->lm == US_LM_NUM)
                break;
            max = 2;
            continue;
        }
        int l = slot_learned(x, i + len);
        if (l < 0)
            return -1;
        have += (size_t)l;
    }
    if (!have)
        return 0;
    /* What emit_run asks of the text alone, asked once per run length
     * rather than for every choice of originals: a run whose pairs the
     * LM has all seen, or that is a known term as written, never
     * qualifies, so its choices are not gone through. */
    uint32_t text[US_MAX_SPUN];
    int32_t ri[US_MAX_SPUN];
    size_t unseen = 0, made = 0;
    for (size_t k = 0; k < len; k++) {
        ri[k] = -1;
        if (bare_word(&x->slots[i + k]))
            o[k].n = o[k].nl = 0;
        else if (run_options(x, i + k, &o[k], &ri[k]) != 0)
            return -1;
        made = k + 1;
        text[k] = x->slots[i + k].vid;
        if (k == 0)
            continue;
        unseen += !bigram_seen(x->m, x->slots[i + k - 1].lm, x->slots[i + k].lm);
        if (!unseen || plain_term(x->m, text, (uint32_t)(k + 1)))
            continue;
        size_t learned_left[US_MAX_SPUN + 1];
        learned_left[k + 1] = 0;
        for (size_t q = k + 1; q-- > 0;)
            learned_left[q] = learned_left[q + 1] + o[q].nl;
        run_prefix none = {.n = 0, .kept = 0, .learned = 0, .term = 1, .vocab = 1};
        if (emit_runs(x, i, k + 1, o, pick, 0, &none, learned_left) != 0)
            return -1;
    }
    keep_run_answers(x, o, ri, made);
    return 0;
}

/* A word the learned table has seen spun at least SPUN_WORD_MIN times
 * and at most a quarter as often as an original ("exactness",
 * "highlight") is a spinner's word; beside a word the LM never saw it
 * with, its learned one-word swaps weigh SPUN_WORD_BONUS times more.
 * (make tortured: 3 adds about one point of recall and leaves the false
 * spans on the originals as they were; 10 and 30 add three and seven
 * points, a tenth and a third more false spans there, and more with the
 * default model.) */
#ifndef SPUN_WORD_MIN
#define SPUN_WORD_MIN 3
#endif
#ifndef SPUN_WORD_BONUS
#define SPUN_WORD_BONUS 3.0
#endif

/* 1 when the learned table has seen word w spun at least SPUN_WORD_MIN
 * times and at most a quarter as often as an original. */
static int strongly_spun(const unspin_model *m, uint32_t w)
{
    uint32_t o, s;
    vocab_counts(m, w, &o, &s);
    return s >= SPUN_WORD_MIN && (uint64_t)o * 4 <= s;
}

/* Applies the bonus to the arcs out->a[first, out->n) of slot i. */
static void spun_word(ctx *x, size_t i, size_t first)
{
    const us_slot *sl = &x->slots[i];
    if (!x->m->learned_ix || !x->m->learned_ix->words.n || !strongly_spun(x->m, sl->vid))
        return;
    int unseen = (i > 0 && !sl->gap && !bigram_seen(x->m, sl[-1].lm, sl->lm)) ||
                 (i + 1 < x->nslots && !sl[1].gap && !bigram_seen(x->m, sl->lm, sl[1].lm));
    if (!unseen)
        return;
    for (size_t k = first; k < x->out->n; k++) {
        us_arc *a = &x->out->a[k];
        if (a->learned && a->n == 1)
            a->channel += (float)log10(SPUN_WORD_BONUS);
    }
}

#ifndef CONTEXT_PAIR
#define CONTEXT_PAIR 1
#endif
/* A learned one-word swap whose original makes, with the text's word
 * beside it, a pair of the table's originals the LM has not seen
 * ("exactness" <- accuracy after "classification") weighs
 * LEARNED_PAIR_BONUS times more: the list's bigrams as the context of a
 * swap. */
static void context_pair(ctx *x, size_t i, size_t first)
{
    const us_slot *sl = &x->slots[i];
    if (!CONTEXT_PAIR || !x->m->learned_ix || !x->m->learned_ix->npairs)
        return;
    int has_prev = i > 0 && !sl->gap && sl[-1].vid != US_STR_NONE;
    int has_next = i + 1 < x->nslots && !sl[1].gap && sl[1].vid != US_STR_NONE;
    for (size_t k = first; k < x->out->n; k++) {
        us_arc *a = &x->out->a[k];
        if (!a->learned || a->n != 1)
            continue;
        if ((has_prev && us_learned_pair(x->m, sl[-1].vid, a->vid[0]) &&
             !bigram_seen(x->m, sl[-1].lm, a->lm[0])) ||
            (has_next && us_learned_pair(x->m, a->vid[0], sl[1].vid) &&
             !bigram_seen(x->m, a->lm[0], sl[1].lm)))
            a->channel += (float)log10(LEARNED_PAIR_BONUS);
    }
}

/* A compound neither the LM nor the learned table knows as an original
 * ("meta-studying") read as one the table holds as an original
 * ("meta-learning"), also unknown to the LM: the LM scores both alike
 * and cannot tell, but a technical term put for no word at all, by a
 * swap the table has seen, is the evidence of a run whose original is a
 * known term and of a learned phrase found as written (LEARNED_TERM_BONUS
 * and ten, the learned prior over the document's, together).  (make
 * tortured: flagged 52.2 -> 53.4 %, restored 28.9 -> 29.9 %, the false
 * spans on the originals as they were; with thesaurus swaps as well, the
 * same gain and "high-income" read as higher-income there.) */
#ifndef COMPOUND_TERM
#define COMPOUND_TERM 1
#endif
#ifndef COMPOUND_TERM_BONUS
#define COMPOUND_TERM_BONUS (LEARNED_TERM_BONUS * 10.0)
#endif

/* Applies that bonus to the arcs out->a[first, out->n) of slot i. */
static void compound_term(ctx *x, size_t i, size_t first)
{
    const us_slot *sl = &x->slots[i];
    uint32_t o, s;
    if (!COMPOUND_TERM || sl->lm != US_LM_UNK || !x->m->learned_ix ||
        !x->m->learned_ix->words.n || !strchr(sl->norm, '-'))
        return;
    if (sl->vid != US_STR_NONE && (us_learned_counts(x->m, sl->vid, &o, &s), o >= s))
        return;
    for (size_t k = first; k < x->out->n; k++) {
        us_arc *a = &x->out->a[k];
        if (a->n == 1 && a->learned && a->lm[0] == US_LM_UNK &&
            (us_learned_counts(x->m, a->vid[0], &o, &s), o > s))
            a->channel += (float)log10(COMPOUND_TERM_BONUS);
    }
}

/* Known phrases completed.  A tortured phrase often swaps a word for a
 * synonym nobody listed ("calculated relapse" <- logistic regression:
 * "relapse" is learned for regression, "calculated" never), or for one
 * learned among others beyond the best few a run tries ("gadget" <-
 * machine, fourth of its learned swaps); but what it stands for is an
 * original of the learned table.  A window of the text as long as such
 * an original (of two to US_MAX_ORIG words) is read as it when each word
 * is the original's own or has it among its one-word candidates, every
 * such swap accepted by vocab_swap, one of them learned, and one made by
 * a strongly spun word (strongly_spun); the text no known term, one
 * of its pairs unseen by the LM.  Failing that, one word may be left
 * free, at a weight of COMPLETE_FREE, for an original of the table's
 * COMPLETE_FREE_MIN entries or more, where no learned arc reads the whole
 * window otherwise: a word with thesaurus swaps (general English, not a
 * technical term) but no learned one, never an original in the table,
 * that the LM has seen beside neither of its neighbours (or one in a
 * productive place, below).  The arc has a known term's bonus.  (make
 * tortured: flagged 50.3 -> 51.8 %, restored 28.0 -> 28.1 %, the false
 * spans on the originals as they were; free words from originals seen
 * once or twice added about a point more and fired on natural text with
 * the default model.) */
#ifndef COMPLETE_PHRASES
#define COMPLETE_PHRASES 1
#endif
#ifndef COMPLETE_FREE_MIN
#define COMPLETE_FREE_MIN 3
#endif
#ifndef COMPLETE_FREE
#define COMPLETE_FREE 0.001
#endif
/* Productive places.  Spinners fill some words of an original with
 * ever new synonyms: the table holds "naive bayes" with ten spun words
 * in place of "naive" (gullible, credulous, innocent, ...), each seen
 * once, so a word never seen there is likely one more (as Good and
 * Turing estimate the unseen by the seen once: "guileless bayes").  So
 * a free word needs no learned swap beside it, nor an original seen
 * COMPLETE_FREE_MIN times, in a productive place: one where the table
 * holds COMPLETE_PRODUCTIVE_MIN distinct spun words or more, and at
 * least as many as it holds originals alike but for that word
 * ("recognition" of speech, face, emotion, gait ... recognition: there
 * a new word is as likely another term, "gait recognition" of the
 * originals), when the word shares a part of speech with the
 * original's, as a spinner's synonym does ("keeping his voice casual"
 * is no voice recognition).  The other guards of a free word hold.  Its
 * weight, P(word | original) of the channel, is the chance of a new
 * spun word there, forms / (entries + forms) (Witten and Bell's), shared
 * among the originals alike, times COMPLETE_NEW for this one among the
 * new words a spinner may put there.  Thesaurus swaps into productive
 * places need no learned swap either ("unsophisticated bayes", where
 * the thesaurus alone has unsophisticated <- naive).  (make tortured,
 * five folds: flagged 53.0 -> 53.4 %, restored 28.6 -> 28.9 %, false
 * spans on the originals 3.33 -> 3.42 per 1,000 words, and with the
 * thesaurus swaps 53.6 % and 29.0 %, the false spans as they were; the
 * trained models' spans on make quality's natural text 772 -> 803.
 * Without the originals alike, 53.9 %, 29.0 % and 3.54; with two spun
 * words in place, 54.1 %, 29.2 % and 4.62; with COMPLETE_NEW 1, 53.7 %
 * flagged for 878 spans on the natural text, with 0.001, 53.4 % for
 * 777; without the parts of speech, 807 spans there.) */
#ifndef COMPLETE_PRODUCTIVE
#define COMPLETE_PRODUCTIVE 1
#endif
#ifndef COMPLETE_PRODUCTIVE_MIN
#define COMPLETE_PRODUCTIVE_MIN 3
#endif
#ifndef COMPLETE_NEW
#define COMPLETE_NEW 0.01
#endif

/* The one-word candidates of a slot, src->a[first, first + n) (in the
 * word cache, which may move as it grows, or looked up), and whether one
 * of them is learned. */
typedef struct word_swaps {
    const us_arcs *src;
    size_t first, n;
    int learned;
} word_swaps;

#define SWAP_AT(sw, p) (&(sw)->src->a[(sw)->first + (p)])

/* The parts of speech the thesaurus gives word w (a vocabulary id), or
 * its lemmas when it has none as written ("cars" from car): a bit set of
 * us_pos, US_POS_ANY left out; 0 when unknown. */
static unsigned pos_mask(const unspin_model *m, uint32_t w)
{
    uint32_t ids[4], nid = 0, n;
    ids[nid++] = w;
    const us_morph_rec *r = us_csr_get(&m->morph_fwd, w, sizeof *r, &n);
    for (uint32_t j = 0; j < n && nid < US_ARRAY_LEN(ids); j++)
        ids[nid++] = r[j].word;
    unsigned mask = 0;
    for (uint32_t k = 0; k < nid && !mask; k++) {
        uint32_t t = us_model_term(m, &ids[k], 1), ne;
        const us_syn_rec *e = t != US_STR_NONE ? us_csr_get(&m->syn, t, sizeof *e, &ne) : NULL;
        for (uint32_t j = 0; e && j < ne; j++)
            if (e[j].pos != US_POS_ANY)
                mask |= 1u << e[j].pos;
    }
    return mask;
}

/* 1 when word q of original ph is a productive place (see above) for
 * the word of slot j. */
static int productive_place(const ctx *x, size_t j, const us_learned_phrase *ph, size_t q)
{
    uint32_t forms = ph->forms[q];
    if (!COMPLETE_PRODUCTIVE || forms < COMPLETE_PRODUCTIVE_MIN || forms < ph->frame[q])
        return 0;
    unsigned pa = pos_mask(x->m, x->slots[j].vid), pb = pos_mask(x->m, ph->w[q]);
    return !pa || !pb || (pa & pb);
}

/* The arc for phrase ph over slots [i, i + ph->n), when it qualifies (see
 * above); 1 pushed, 0 not, -1 out of memory. */
static int complete_one(ctx *x, size_t i, const us_learned_phrase *ph, const word_swaps *sw,
                        size_t want_free)
{
    size_t len = ph->n, kept = 0, learned = 0, free_at = SIZE_MAX, nfree = 0;
    int strong = 0;
    unsigned thesaurus = 0; /* bit q: word q reached by a thesaurus swap */
    us_arc c = arc_over(i, i + len, 1);
    c.n = (uint8_t)len;
    c.learned = 1;
    double gap = 0;
    for (size_t q = 0; q < len; q++) {
        const us_slot *s = &x->slots[i + q];
        c.vid[q] = ph->w[q];
        if (ph->w[q] == s->vid) {
            c.lm[q] = s->lm;
            kept++;
            continue;
        }
        if ((c.lm[q] = orig_lm(x->m, ph->w[q], s)) == US_STR_NONE)
            return 0;
        const us_arc *best = NULL;
        for (size_t p = 0; p < sw[q].n; p++) {
            const us_arc *a = SWAP_AT(&sw[q], p);
            if (a->n == 1 && a->vid[0] == ph->w[q] && (!best || a->channel > best->channel))
                best = a;
        }
        if (best) {
            /* a swap of a word the table has seen spun for one it has
             * seen as an original */
            if (!vocab_swap(x->m, s->vid, best))
                return 0;
            c.channel += best->channel;
            learned += best->learned;
            strong |= strongly_spun(x->m, s->vid);
            thesaurus |= (unsigned)!best->learned << q;
        } else {
            nfree++;
            free_at = q;
        }
        gap += unigram(x->m, c.lm[q]) - unigram(x->m, s->lm);
    }
    if (kept == len || nfree != want_free)
        return 0;
    /* a learned swap of a strongly spun word (a word free only in an
     * original seen COMPLETE_FREE_MIN times), or the free word in a
     * productive place, or thesaurus swaps all into productive places */
    int seen = learned && strong && !(nfree && ph->count < COMPLETE_FREE_MIN);
    int productive = nfree && productive_place(x, i + free_at, ph, free_at);
    if (!seen && !productive) {
        if (nfree || !thesaurus)
            return 0;
        for (size_t q = 0; q < len; q++)
            if ((thesaurus >> q & 1) && !productive_place(x, i + q, ph, q))
                return 0;
    }
    if (nfree) {
        /* a word of general English (it has swaps) without learned
         * swaps, never seen as an original, that the LM has seen beside
         * neither of its neighbours, in the window or not */
        uint32_t wo, ws;
        size_t f = i + free_at;
        const us_slot *fs = &x->slots[f];
        vocab_counts(x->m, fs->vid, &wo, &ws);
        if (sw[free_at].learned || !sw[free_at].n || wo ||
            (f > 0 && !fs->gap && bigram_seen(x->m, fs[-1].lm, fs->lm)) ||
            (f + 1 < x->nslots && !fs[1].gap && bigram_seen(x->m, fs->lm, fs[1].lm)))
            return 0;
        if (productive) {
            double forms = ph->forms[free_at];
            c.channel += (float)log10(COMPLETE_NEW * forms / (ph->count + forms) /
                                      ph->frame[free_at]);
        } else
            c.channel += (float)log10(COMPLETE_FREE);
    }
    c.channel += (float)log10(LEARNED_TERM_BONUS);
    if (gap < 0)
        c.channel -= (float)((1.0 - US_FREQ_LAMBDA) * gap);
    return push(x->out, &c) != 0 ? -1 : 1;
}

/* 1 when arc a is a learned reading of all of slots [i, i + len): no
 * word of the text kept in place ("malicious node" for "spiteful hub",
 * not "random timber" for "irregular timber"). */
static int reads_window(const ctx *x, const us_arc *a, size_t i, size_t len)
{
    if (!a->learned || a->from != i || a->to != i + len)
        return 0;
    if (a->n == len)
        for (size_t q = 0; q < len; q++)
            if (a->vid[q] == x->slots[i + q].vid)
                return 0;
    return 1;
}

/* 1 when one of the swaps sw reaches word w. */
static int swaps_reach(const word_swaps *sw, uint32_t w)
{
    for (size_t p = 0; p < sw->n; p++)
        if (SWAP_AT(sw, p)->n == 1 && SWAP_AT(sw, p)->vid[0] == w)
            return 1;
    return 0;
}

/* Bit (at, len) of a word's phrase mask: the word or one of its one-word
 * candidates stands at word `at` of a table original of `len` words. */
#define PHRASE_BIT(at, len) (1 << ((at) * US_LEARNED_PHRASE_MAX + (len)-1))

/* Candidate p's bit in a word cache entry's phrase_cands. */
static inline uint64_t cand_bit(size_t p)
{
    return (uint64_t)1 << (p < 63 ? p : 63);
}

/* The phrase mask of the word with candidates sw, for the places
 * complete_window looks up (at 0 and 1, two words and more); *cands gets
 * which candidates stand in one of those places (see phrase_cands). */
static int phrase_mask(const unspin_model *m, uint32_t vid, const word_swaps *sw,
                       uint64_t *cands)
{
    int mask = 0;
    *cands = 0;
    for (size_t p = 0; p <= sw->n; p++) {
        if (p < sw->n && SWAP_AT(sw, p)->n != 1)
            continue;
        uint32_t w = p == sw->n ? vid : SWAP_AT(sw, p)->vid[0];
        for (unsigned at = 0; at < 2; at++)
            for (unsigned len = 2; len <= US_LEARNED_PHRASE_MAX; len++) {
                size_t np;
                uint64_t bit = p < sw->n ? cand_bit(p) : 0;
                if ((mask & PHRASE_BIT(at, len)) && (!bit || (*cands & bit)))
                    continue; /* nothing more to learn from this look-up */
                if (us_learned_phrases_at(m, w, at, len, &np)) {
                    mask |= PHRASE_BIT(at, len);
                    *cands |= bit;
                }
            }
    }
    return mask;
}

/* 1 unless the word of slot j, as written or through a one-word
 * candidate, is known to stand nowhere at word `at` of a table original
 * of `len` words (the answer is kept in the word cache: most windows ask
 * it of words seen before); -1 when out of memory.  *cands: the
 * candidates complete_window need look up (all, without the cache). */
static int may_stand(ctx *x, size_t j, const word_swaps *sw, size_t at, size_t len,
                     uint64_t *cands)
{
    *cands = ~(uint64_t)0;
    if (!x->cache || x->slots[j].vid == US_STR_NONE)
        return 1;
    us_word_cache_entry *e = word_entry(x, j);
    if (!e)
        return -1;
    if (e->phrases < 0)
        e->phrases = (int16_t)phrase_mask(x->m, x->slots[j].vid, sw, &e->phrase_cands);
    *cands = e->phrase_cands;
    return (e->phrases & PHRASE_BIT(at, len)) != 0;
}

/* The completions over slots [i, i + len) with want_free words free.
 * Each phrase is tried once: through its first word, which the text
 * holds or a swap reaches, or else (the first word free) its second. */
static int complete_window(ctx *x, size_t i, size_t len, const word_swaps *sw,
                           size_t want_free)
{
    const us_learned_index *ix = x->m->learned_ix;
    for (size_t at = 0; at < 1 + want_free; at++) {
        uint64_t cands;
        int may = may_stand(x, i + at, &sw[at], at, len, &cands);
        if (may < 0)
            return -1;
        if (!may)
            continue;
        for (size_t p = 0; p <= sw[at].n; p++) {
            /* (candidates in no table original of 2+ words looked up once,
             * by phrase_mask) */
            if (p < sw[at].n && !(cands & cand_bit(p)))
                continue;
            uint32_t w = p == sw[at].n ? x->slots[i + at].vid : SWAP_AT(&sw[at], p)->vid[0];
            if (p < sw[at].n && SWAP_AT(&sw[at], p)->n != 1)
                continue;
            size_t np;
            const us_learned_posting *post =
                us_learned_phrases_at(x->m, w, (unsigned)at, (unsigned)len, &np);
            for (size_t k = 0; k < np; k++) {
                const us_learned_phrase *ph = &ix->ph[post[k].phrase];
                if (at == 1 && (ph->w[0] == x->slots[i].vid || swaps_reach(&sw[0], ph->w[0])))
                    continue;
                if (complete_one(x, i, ph, sw, want_free) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

static int complete_phrases(ctx *x, size_t i)
{
    const us_learned_index *ix = x->m->learned_ix;
    if (!COMPLETE_PHRASES || !ix || !ix->nph)
        return 0;
    word_swaps sw[US_MAX_ORIG];
    us_arcs tmp[US_MAX_ORIG];
    memset(tmp, 0, sizeof tmp);
    uint32_t text[US_MAX_ORIG];
    size_t have = 0;
    int rc = 0;
    for (size_t len = 1; rc == 0 && len <= US_MAX_ORIG && i + len <= x->nslots; len++) {
        size_t q = len - 1;
        const us_slot *s = &x->slots[i + q];
        if (s->vid == US_STR_NONE || s->protect || s->lm == US_LM_NUM || (q > 0 && s->gap))
            break;
        if (x->cache) {
            us_word_cache_entry *e = word_entry(x, i + q);
            if (!e) {
                rc = -1;
                break;
            }
            sw[q].src = &x->cache->arcs;
            sw[q].first = e->first;
            sw[q].n = e->n;
        } else {
            ctx y = *x;
            y.out = &tmp[q];
            y.first = 0;
            if ((rc = single_word(&y, i + q)) != 0)
                break;
            sw[q].src = &tmp[q];
            sw[q].first = 0;
            sw[q].n = tmp[q].n;
        }
        sw[q].learned = 0;
        for (size_t p = 0; p < sw[q].n; p++)
            sw[q].learned |= SWAP_AT(&sw[q], p)->learned;
        text[q] = s->vid;
        if (q == 0)
            continue;
        have += !bigram_seen(x->m, s[-1].lm, s->lm);
        if (!have || plain_term(x->m, text, (uint32_t)len))
            continue;
        /* A word is left free only where no learned arc reads the whole
         * window otherwise ("spiteful hub" <- malicious node, not lymph
         * node). */
        if ((rc = complete_window(x, i, len, sw, 0)) != 0)
            break;
        int read = 0;
        for (size_t k = x->first; k < x->out->n && !read; k++)
            read = reads_window(x, &x->out->a[k], i, len);
        if (!read)
            rc = complete_window(x, i, len, sw, 1);
    }
    for (size_t q = 0; q < US_MAX_ORIG; q++)
        free(tmp[q].a);
    return rc;
}

int us_candidates(const unspin_model *m, const us_slot *slots, size_t nslots, size_t i,
                  us_arcs *out, us_word_cache *cache)
{
    ctx x = {m, slots, nslots, out, out->n, cache};
    us_arc id = arc_over(i, i + 1, 0);
    id.n = 1;
    id.lm[0] = slots[i].lm;
    id.vid[0] = slots[i].vid;
    id.channel = 0.0f;
    if (push(out, &id) != 0)
        return -1;
    if (slots[i].protect)
        return 0;
    /* Numbers in digits only stand for number words ("2" <- two). */
    if (slots[i].lm == US_LM_NUM) {
        if (number_word(&x, i) != 0)
            return -1;
    } else {
        size_t before = out->n;
        if (single_word(&x, i) != 0)
            return -1;
        spun_word(&x, i, before);
        context_pair(&x, i, before);
        compound_term(&x, i, before);
        if (phrases(&x, i) != 0 || article_pairs(&x, i) != 0 || learned_runs(&x, i) != 0 ||
            complete_phrases(&x, i) != 0)
            return -1;
    }
    prune(out, x.first);
    return 0;
}
