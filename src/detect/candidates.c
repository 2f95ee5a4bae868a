/*
 * Candidates: for the text at slot i, the originals a spinner could have
 * started from.  All look-ups are in the model's tables; no Hunspell.
 *
 *  - one word: the inverse synonyms of the word itself, and of each of its
 *    lemmas re-inflected to the word's form ("assaults" <- attacks);
 *  - phrases of 2..US_MAX_SPUN words, as written or with the head word
 *    lemmatized ("international locations" <- countries);
 *  - numbers in digits for number words ("2" <- two).
 * Originals may be phrases too ("prior to now" <- "in the past").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lexicon/thesaurus.h"
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
        us_arc a;
        memset(&a, 0, sizeof a);
        a.from = (uint16_t)i;
        a.to = (uint16_t)(i + len);
        a.n = (uint8_t)k;
        a.swapped = 1;
        int head = head_for(c, k, head_last, r[e].pos);
        int ok = 1, same = k == len;
        for (uint32_t j = 0; j < k && ok; j++) {
            uint32_t v = (int)j == head ? inflect(m, w[j], c) : w[j];
            ok = v < m->lm_words;
            a.vid[j] = v;
            a.lm[j] = v;
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
        memcpy(stem, w, n - sl);
        memcpy(stem + n - sl, rules[k].repl, rl + 1);
        uint32_t lemma = us_model_word(x->m, stem, n - sl + rl);
        uint32_t t = lemma == US_STR_NONE ? US_STR_NONE : us_model_term(x->m, &lemma, 1);
        if (t != US_STR_NONE)
            return from_term(x, t, rules[k].infl, rules[k].infl == US_INFL_PLURAL, i, 1, 0.5);
    }
    return 0;
}

static int single_word(ctx *x, size_t i)
{
    const unspin_model *m = x->m;
    uint32_t v = x->slots[i].vid;
    if (v == US_STR_NONE)
        return unknown_word(x, i);
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
    us_arc a;
    memset(&a, 0, sizeof a);
    a.from = (uint16_t)i;
    a.to = (uint16_t)(i + 1);
    a.n = 1;
    a.swapped = 1;
    a.lm[0] = a.vid[0] = v;
    a.channel = (float)log10(0.5);
    return push(x->out, &a);
}

static int same_arc(const us_arc *a, const us_arc *b)
{
    return a->to == b->to && a->n == b->n && memcmp(a->lm, b->lm, a->n * sizeof a->lm[0]) == 0;
}

/* Merge duplicates (keep the likelier channel) and keep the best arcs. */
static void prune(us_arcs *out, size_t first)
{
    us_arc *a = out->a + first;
    size_t n = out->n - first, k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j;
        for (j = 0; j < k; j++)
            if (same_arc(&a[j], &a[i]))
                break;
        if (j < k) {
            if (a[i].channel > a[j].channel)
                a[j].channel = a[i].channel;
            a[j].learned |= a[i].learned;
        } else
            a[k++] = a[i];
    }
    /* a[0] is the identity arc; sort the rest by channel, keep the best. */
    for (size_t i = 2; i < k; i++) {
        us_arc t = a[i];
        size_t j = i;
        while (j > 1 && a[j - 1].channel < t.channel) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
    if (k > MAX_ARCS_PER_SLOT)
        k = MAX_ARCS_PER_SLOT;
    out->n = first + k;
}

/* 1 when original word o (or a lemma of it) at slot i completes a
 * dictionary phrase with the text's neighbours, where the text's own word
 * does not: "floor to a halt" -> "ground to a halt" (grind to a halt).
 * An n-gram LM knows idioms only as far as its trigrams reach; the
 * thesaurus lists them whole. */
int us_completes_term(const unspin_model *m, const us_slot *s, size_t nslots, size_t i,
                      uint32_t o)
{
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
            int usable = 1;
            for (size_t j = start; j < start + len && usable; j++) {
                usable = s[j].vid != US_STR_NONE && (j == start || !s[j].gap);
                ids[j - start] = s[j].vid;
            }
            if (!usable || us_model_term(m, ids, (uint32_t)len) != US_STR_NONE)
                continue; /* the text already reads as a phrase */
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
    int rc = single_word(&y, i + 1);
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

int us_candidates(const unspin_model *m, const us_slot *slots, size_t nslots, size_t i,
                  us_arcs *out)
{
    ctx x = {m, slots, nslots, out, out->n};
    us_arc id;
    memset(&id, 0, sizeof id);
    id.from = (uint16_t)i;
    id.to = (uint16_t)(i + 1);
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
    } else if (single_word(&x, i) != 0 || phrases(&x, i) != 0 || article_pairs(&x, i) != 0)
        return -1;
    prune(out, x.first);
    return 0;
}
