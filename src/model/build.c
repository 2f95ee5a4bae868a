/*
 * The model builder: reads the language model, the thesauri, the learned
 * table and the morphology, and writes one model file (see model.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../lexicon/analyze.h"
#include "../lexicon/thesaurus.h"
#include "../lm/ngram.h"
#include "model.h"

typedef struct builder {
    const unspin_build_options *o;
    us_lm_source lm;
    us_thesaurus *th;
    unspin_morph *morph;
    us_strtab_builder vocab;
    /* morphology: (form, lemma, class) triples */
    us_morph_rec *fwd;    /* indexed by form via fwd_off after sorting */
    uint32_t *fwd_form;
    size_t nfwd, fwd_cap, fwd_form_cap;
    /* terms */
    uint32_t *term_off, *term_words;
    size_t nterm_words;
    uint8_t *flags;       /* vocab.flags, filled after the vocabulary */
    /* metadata */
    char *meta;
    size_t meta_len, meta_cap;
} builder;

static void progress(builder *b, const char *fmt, ...) US_PRINTF(2, 3);
static void progress(builder *b, const char *fmt, ...)
{
    if (!b->o->progress)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    b->o->progress(line, b->o->progress_data);
}

static int meta_add(builder *b, const char *fmt, ...) US_PRINTF(2, 3);
static int meta_add(builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || us_grow((void **)&b->meta, &b->meta_cap, b->meta_len + (size_t)n + 2, 1))
        return UNSPIN_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->meta + b->meta_len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->meta_len += (size_t)n;
    b->meta[b->meta_len++] = '\n';
    b->meta[b->meta_len] = '\0';
    return UNSPIN_OK;
}

/* Records a source file: path, size, modification time. */
static int meta_source(builder *b, const char *key, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return meta_add(b, "%s=%s", key, path);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&st.st_mtime));
    return meta_add(b, "%s=%s size=%lld mtime=%s", key, path, (long long)st.st_size, when);
}

void unspin_build_options_default(unspin_build_options *o)
{
    static const char *const project[] = {"dictionaries/synonyms.txt"};
    memset(o, 0, sizeof *o);
    o->lm = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
    o->mythes = "/usr/share/mythes/th_en_US_v2.dat";
    o->wordnet = "/usr/share/wordnet";
    o->project = project;
    o->nproject = 1;
    o->learned = "models/learned.tsv";
}

/* ---------------------------------------------------------------- */
/* Learned table: "spun<TAB>original<TAB>count<TAB>probability" lines */

static int add_learned(builder *b, const char *path, unspin_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return us_fail(err, UNSPIN_EIO, "%s: %s", path, strerror(errno));
    char line[1024];
    size_t lineno = 0, added = 0;
    int rc = UNSPIN_OK;
    while (rc == UNSPIN_OK && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strcspn(line, "\r\n");
        if (line[len] == '\0' && !feof(f)) {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: line too long", path, lineno);
            break;
        }
        line[len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *spun = line, *orig = strchr(spun, '\t');
        char *count = orig ? strchr(orig + 1, '\t') : NULL;
        char *prob = count ? strchr(count + 1, '\t') : NULL;
        if (!prob) {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: expected 4 tab-separated fields",
                         path, lineno);
            break;
        }
        *orig++ = *count++ = *prob++ = '\0';
        char *end;
        errno = 0;
        double p = strtod(prob, &end);
        if (errno || *end || !(p > 0.0 && p <= 1.0)) {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: probability '%s' is not in (0, 1]",
                         path, lineno, prob);
            break;
        }
        uint32_t from, to;
        if (us_thesaurus_intern(b->th, orig, strlen(orig), &from) ||
            us_thesaurus_intern(b->th, spun, strlen(spun), &to)) {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: bad phrase", path, lineno);
            break;
        }
        if (from != to &&
            us_thesaurus_add_edge(b->th, from, to, US_EDGE_LEARNED, US_POS_ANY, (float)p)) {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: cannot add the substitution", path,
                         lineno);
            break;
        }
        added++;
    }
    fclose(f);
    if (rc == UNSPIN_OK)
        rc = meta_add(b, "learned.substitutions=%zu", added);
    return rc;
}

/* ---------------------------------------------------------------- */

static int load_sources(builder *b, unspin_error *err)
{
    const unspin_build_options *o = b->o;
    int rc;
    progress(b, "reading the language model %s", o->lm);
    if ((rc = us_lm_source_read(o->lm, &b->lm, err)) != UNSPIN_OK)
        return rc;
    if ((rc = meta_source(b, "source.lm", o->lm)) ||
        (rc = meta_add(b, "lm.order=%d", b->lm.order)) ||
        (rc = meta_add(b, "lm.ngrams=%zu %zu %zu", b->lm.counts[0], b->lm.counts[1],
                       b->lm.counts[2])))
        return rc;
    if (!(b->th = us_thesaurus_new()))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    if (o->mythes) {
        progress(b, "reading MyThes %s", o->mythes);
        if ((rc = us_thesaurus_add_mythes(b->th, o->mythes, err)) ||
            (rc = meta_source(b, "source.mythes", o->mythes)))
            return rc;
    }
    if (o->wordnet) {
        progress(b, "reading WordNet %s", o->wordnet);
        if ((rc = us_thesaurus_add_wordnet(b->th, o->wordnet, err)) ||
            (rc = meta_source(b, "source.wordnet", o->wordnet)))
            return rc;
    }
    for (size_t i = 0; i < o->nproject; i++) {
        progress(b, "reading %s", o->project[i]);
        if ((rc = us_thesaurus_add_project(b->th, o->project[i], err)) ||
            (rc = meta_source(b, "source.project", o->project[i])))
            return rc;
    }
    if (o->learned) {
        progress(b, "reading learned substitutions %s", o->learned);
        if ((rc = add_learned(b, o->learned, err)) ||
            (rc = meta_source(b, "source.learned", o->learned)))
            return rc;
    }
    us_thesaurus_dedup(b->th);
    return UNSPIN_OK;
}

/* Vocabulary: the LM's words first (their ids are the LM's), then every
 * word of every thesaurus term. Terms become word-id sequences. */
static int build_vocab_and_terms(builder *b, unspin_error *err)
{
    for (size_t i = 0; i < b->lm.nwords; i++) {
        const char *w = b->lm.words[i];
        if (us_strtab_add(&b->vocab, w, strlen(w)) != i)
            return us_fail(err, UNSPIN_EMODEL, "%s: LM word '%s' is repeated or unusable",
                           b->o->lm, w);
    }
    size_t nterms = us_thesaurus_term_count(b->th), cap = 0;
    if (!(b->term_off = malloc((nterms + 1) * sizeof *b->term_off)))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    b->term_off[0] = 0;
    for (size_t t = 0; t < nterms; t++) {
        size_t len;
        const char *s = us_thesaurus_term(b->th, (uint32_t)t, &len);
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && s[j] != ' ')
                j++;
            uint32_t id = us_strtab_add(&b->vocab, s + i, j - i);
            if (id == US_STR_NONE ||
                us_grow((void **)&b->term_words, &cap, b->nterm_words + 1, 4))
                return us_fail(err, UNSPIN_ENOMEM, "out of memory");
            b->term_words[b->nterm_words++] = id;
            i = j + 1;
        }
        b->term_off[t + 1] = (uint32_t)b->nterm_words;
    }
    return UNSPIN_OK;
}

static int plain_word(const char *w)
{
    if (!*w)
        return 0;
    for (; *w; w++)
        if (!((*w >= 'a' && *w <= 'z') || *w == '\'' || *w == '-' || (unsigned char)*w >= 0x80))
            return 0;
    return 1;
}

/* The inflected forms of every word of a thesaurus term.  A spinner puts
 * a synonym in the form of the word it replaces, so a rare synonym turns
 * up in forms neither the LM nor the thesaurus lists ("averred" for
 * said, "oculi" for eyes).  As vocabulary words they get their readings
 * from build_morph, and the detector finds their lemma's synonyms.  Only
 * the classes of the word's parts of speech in the thesaurus are tried
 * (a noun's plural, a verb's forms, an adjective's degrees): the
 * generator asks Hunspell about each candidate spelling. */
static int add_inflections(builder *b, unspin_error *err)
{
    static const us_infl noun[] = {US_INFL_PLURAL};
    static const us_infl verb[] = {US_INFL_PLURAL, US_INFL_PAST, US_INFL_PARTICIPLE,
                                   US_INFL_GERUND};
    static const us_infl adj[] = {US_INFL_COMPARATIVE, US_INFL_SUPERLATIVE};
    static const struct {
        unsigned pos;
        const us_infl *k;
        size_t n;
    } by_pos[] = {{1u << US_POS_NOUN, noun, US_ARRAY_LEN(noun)},
                  {1u << US_POS_VERB, verb, US_ARRAY_LEN(verb)},
                  {1u << US_POS_ADJ, adj, US_ARRAY_LEN(adj)}};
    size_t nterms = us_thesaurus_term_count(b->th), nwords = b->vocab.count, added = 0;
    unsigned char *tpos = calloc(nterms ? nterms : 1, 1);
    unsigned char *wpos = calloc(nwords ? nwords : 1, 1);
    if (!tpos || !wpos) {
        free(tpos);
        free(wpos);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    /* A term's parts of speech, from its edges either way (an edge of
     * unknown part of speech allows them all). */
    const us_edge *e = us_thesaurus_edges(b->th);
    for (size_t i = 0, n = us_thesaurus_edge_count(b->th); i < n; i++) {
        unsigned bit = e[i].pos == US_POS_ANY ? 0xffu : 1u << e[i].pos;
        tpos[e[i].from] |= (unsigned char)bit;
        tpos[e[i].to] |= (unsigned char)bit;
    }
    for (size_t t = 0; t < nterms; t++)
        for (uint32_t j = b->term_off[t]; j < b->term_off[t + 1]; j++)
            wpos[b->term_words[j]] |= tpos[t];
    free(tpos);
    progress(b, "inflecting the thesaurus's words");
    int rc = UNSPIN_OK;
    for (uint32_t w = 0; w < nwords && rc == UNSPIN_OK; w++) {
        if (!wpos[w] || !plain_word(us_strtab_builder_get(&b->vocab, w)))
            continue;
        unsigned char tried[US_INFL_COUNT] = {0};
        for (size_t p = 0; p < US_ARRAY_LEN(by_pos) && rc == UNSPIN_OK; p++) {
            if (!(wpos[w] & by_pos[p].pos))
                continue;
            for (size_t k = 0; k < by_pos[p].n && rc == UNSPIN_OK; k++) {
                us_infl c = by_pos[p].k[k];
                if (tried[c]++)
                    continue;
                unspin_wordlist forms;
                /* (Adding may move the pool: the word is looked up again.) */
                rc = us_morph_forms(b->morph, us_strtab_builder_get(&b->vocab, w), c, &forms,
                                    err);
                for (size_t f = 0; f < forms.count && rc == UNSPIN_OK; f++) {
                    size_t before = b->vocab.count;
                    if (us_strtab_add(&b->vocab, forms.words[f], strlen(forms.words[f])) ==
                        US_STR_NONE)
                        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
                    added += b->vocab.count > before;
                }
                unspin_wordlist_free(&forms);
            }
        }
    }
    free(wpos);
    return rc == UNSPIN_OK ? meta_add(b, "vocab.inflected=%zu", added) : rc;
}

/* Morphology: analyse every word (and the lemmas that brings in). */
static int build_morph(builder *b, unspin_error *err)
{
    progress(b, "analysing %zu words", b->vocab.count);
    us_analysis an[16];
    for (uint32_t w = 0; w < b->vocab.count; w++) {
        const char *word = us_strtab_builder_get(&b->vocab, w);
        size_t n = 0;
        if (plain_word(word)) {
            int rc = us_morph_analyze(b->morph, word, an, US_ARRAY_LEN(an), &n, err);
            if (rc != UNSPIN_OK)
                return rc;
        }
        for (size_t i = 0; i < n; i++) {
            /* Lemmas join the vocabulary and the loop reaches them later
             * (adding may move the pool: `word` is not used past here). */
            uint32_t lemma = us_strtab_add(&b->vocab, an[i].lemma, strlen(an[i].lemma));
            if (lemma == US_STR_NONE ||
                us_grow((void **)&b->fwd, &b->fwd_cap, b->nfwd + 1, sizeof *b->fwd) ||
                us_grow((void **)&b->fwd_form, &b->fwd_form_cap, b->nfwd + 1, 4))
                return us_fail(err, UNSPIN_ENOMEM, "out of memory");
            b->fwd[b->nfwd].word = lemma;
            b->fwd[b->nfwd].infl = an[i].infl;
            b->fwd_form[b->nfwd++] = w;
        }
    }
    /* Word flags: names the dictionary knows only with a capital. */
    if (!(b->flags = calloc(b->vocab.count ? b->vocab.count : 1, 1)))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    size_t proper = 0;
    for (uint32_t w = 0; w < b->vocab.count; w++) {
        const char *word = us_strtab_builder_get(&b->vocab, w);
        if (plain_word(word) && us_morph_is_proper(b->morph, word)) {
            b->flags[w] |= US_WORD_PROPER;
            proper++;
        }
    }
    return meta_add(b, "vocab.proper=%zu", proper);
}

/* Group records by key into a CSR: off[nitems+1] and the records in key
 * order (stable).  Returns malloc'd arrays. */
static int csr_build(size_t nitems, size_t nrec, const uint32_t *key, const void *rec,
                     size_t rec_size, uint32_t **off_out, void **rec_out)
{
    uint32_t *off = calloc(nitems + 1, sizeof *off);
    char *out = malloc(nrec ? nrec * rec_size : 1);
    uint32_t *fill = calloc(nitems + 1, sizeof *fill);
    if (!off || !out || !fill) {
        free(off);
        free(out);
        free(fill);
        return UNSPIN_ENOMEM;
    }
    for (size_t i = 0; i < nrec; i++)
        off[key[i] + 1]++;
    for (size_t i = 0; i < nitems; i++)
        off[i + 1] += off[i];
    memcpy(fill, off, (nitems + 1) * sizeof *fill);
    for (size_t i = 0; i < nrec; i++)
        memcpy(out + (size_t)fill[key[i]]++ * rec_size, (const char *)rec + i * rec_size,
               rec_size);
    free(fill);
    *off_out = off;
    *rec_out = out;
    return UNSPIN_OK;
}

static int write_csr(us_model_writer *w, const char *name, size_t nitems, size_t nrec,
                     const uint32_t *key, const void *rec, size_t rec_size,
                     unspin_error *err)
{
    uint32_t *off;
    void *out;
    if (csr_build(nitems, nrec, key, rec, rec_size, &off, &out))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    char offname[US_MODEL_NAME_MAX + 8];
    snprintf(offname, sizeof offname, "%s.off", name);
    int rc = us_model_writer_section(w, offname, off, (nitems + 1) * 4, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, name, out, nrec * rec_size, err);
    free(off);
    free(out);
    return rc;
}

static int write_terms(builder *b, us_model_writer *w, unspin_error *err)
{
    size_t nterms = us_thesaurus_term_count(b->th);
    int rc = us_model_writer_section(w, "term.words.off", b->term_off, (nterms + 1) * 4, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "term.words", b->term_words, b->nterm_words * 4, err);
    if (rc != UNSPIN_OK)
        return rc;
    size_t nslots = nterms * 2 + 1;
    uint32_t *slots = calloc(nslots + 1, 4);
    if (!slots)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    slots[0] = (uint32_t)nslots;
    for (uint32_t t = 0; t < nterms; t++) {
        uint32_t len = b->term_off[t + 1] - b->term_off[t];
        uint64_t h = us_term_hash(b->term_words + b->term_off[t], len) % nslots;
        while (slots[1 + h])
            h = h + 1 == nslots ? 0 : h + 1;
        slots[1 + h] = t + 1;
    }
    rc = us_model_writer_section(w, "term.hash", slots, (nslots + 1) * 4, err);
    free(slots);
    if (rc != UNSPIN_OK)
        return rc;
    /* Inverted synonym graph: under each replacement, its originals. */
    size_t nedges = us_thesaurus_edge_count(b->th);
    const us_edge *e = us_thesaurus_edges(b->th);
    us_syn_rec *rec = malloc((nedges ? nedges : 1) * sizeof *rec);
    uint32_t *key = malloc((nedges ? nedges : 1) * sizeof *key);
    if (!rec || !key) {
        free(rec);
        free(key);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nedges; i++) {
        key[i] = e[i].to;
        rec[i] = (us_syn_rec){.orig = e[i].from, .kind = e[i].kind, .pos = e[i].pos,
                              .flags = 0, .weight = e[i].weight};
    }
    rc = write_csr(w, "syn", nterms, nedges, key, rec, sizeof *rec, err);
    free(rec);
    free(key);
    return rc;
}

static int write_morph(builder *b, us_model_writer *w, unspin_error *err)
{
    size_t nw = b->vocab.count;
    int rc = write_csr(w, "morph.fwd", nw, b->nfwd, b->fwd_form, b->fwd, sizeof *b->fwd, err);
    if (rc != UNSPIN_OK)
        return rc;
    /* Inverse: keyed by lemma, records hold the form. */
    us_morph_rec *inv = malloc((b->nfwd ? b->nfwd : 1) * sizeof *inv);
    uint32_t *key = malloc((b->nfwd ? b->nfwd : 1) * sizeof *key);
    if (!inv || !key) {
        free(inv);
        free(key);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < b->nfwd; i++) {
        key[i] = b->fwd[i].word;
        inv[i].word = b->fwd_form[i];
        inv[i].infl = b->fwd[i].infl;
    }
    rc = write_csr(w, "morph.inv", nw, b->nfwd, key, inv, sizeof *inv, err);
    free(inv);
    free(key);
    return rc;
}

/* The largest learned table embedded in a model. */
#define LEARNED_MAX_BYTES ((size_t)256 << 20)

/* The learned table itself, counts and all, as the "learned" section: the
 * edges keep only probabilities, and `unspin train --base` adds new counts
 * to the base model's. */
static int write_learned(const char *path, us_model_writer *w, unspin_error *err)
{
    char *text = NULL;
    size_t len;
    int rc = us_read_file(path, LEARNED_MAX_BYTES, &text, &len, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "learned", text, len, err);
    free(text);
    return rc;
}

static int write_model(builder *b, const char *path, unspin_error *err)
{
    us_model_writer *w;
    int rc = us_model_writer_open(path, &w, err);
    if (rc != UNSPIN_OK)
        return rc;
    void *uni = NULL, *bi = NULL, *tri = NULL, *hash = NULL;
    size_t nu, nb, nt, nh;
    progress(b, "packing the language model");
    rc = us_lm_pack(&b->lm, &uni, &nu, &bi, &nb, &tri, &nt, err);
    if (rc == UNSPIN_OK && us_strtab_hash_section(&b->vocab, &hash, &nh))
        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
    if (rc == UNSPIN_OK)
        rc = meta_add(b, "vocab.words=%zu", b->vocab.count);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "meta", b->meta, b->meta_len + 1, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "vocab.str", b->vocab.str, b->vocab.str_len, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "vocab.off", b->vocab.off, b->vocab.count * 4, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "vocab.hash", hash, nh, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "vocab.flags", b->flags, b->vocab.count, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "lm.uni", uni, nu, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "lm.bi", bi, nb, err);
    if (rc == UNSPIN_OK)
        rc = us_model_writer_section(w, "lm.tri", tri, nt, err);
    if (rc == UNSPIN_OK)
        rc = write_morph(b, w, err);
    if (rc == UNSPIN_OK)
        rc = write_terms(b, w, err);
    if (rc == UNSPIN_OK && b->o->learned)
        rc = write_learned(b->o->learned, w, err);
    free(uni);
    free(bi);
    free(tri);
    free(hash);
    if (rc == UNSPIN_OK)
        return us_model_writer_close(w, err);
    us_model_writer_abort(w);
    return rc;
}

static int add_summary(builder *b)
{
    us_thesaurus_counts c;
    us_thesaurus_stats(b->th, &c);
    time_t now = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    int rc = meta_add(b, "built=%s", when);
    if (!rc)
        rc = meta_add(b, "unspin.version=%s", unspin_version());
    if (!rc)
        rc = meta_add(b, "thesaurus.terms=%zu multiword=%zu", c.terms, c.multiword_terms);
    if (!rc)
        rc = meta_add(b, "thesaurus.edges=%zu synset=%zu similar=%zu related=%zu learned=%zu "
                      "project=%zu", c.edges, c.edges_by_kind[US_EDGE_SYNSET],
                      c.edges_by_kind[US_EDGE_SIMILAR], c.edges_by_kind[US_EDGE_RELATED],
                      c.edges_by_kind[US_EDGE_LEARNED], c.edges_by_kind[US_EDGE_PROJECT]);
    if (!rc)
        rc = meta_add(b, "morph.analyses=%zu", b->nfwd);
    if (!rc && b->o->extra_metadata && *b->o->extra_metadata) {
        size_t n = strlen(b->o->extra_metadata);
        while (n && b->o->extra_metadata[n - 1] == '\n')
            n--;
        rc = meta_add(b, "%.*s", (int)n, b->o->extra_metadata);
    }
    return rc;
}

int unspin_model_build(const unspin_build_options *o, const char *out_path,
                       unspin_error *err)
{
    us_error_clear(err);
    if (!o || !o->lm || !out_path)
        return us_fail(err, UNSPIN_EINVAL, "unspin_model_build: missing argument");
    builder b;
    memset(&b, 0, sizeof b);
    b.o = o;
    us_strtab_builder_init(&b.vocab);
    int rc = meta_add(&b, "format=%d", US_MODEL_FORMAT);
    if (rc == UNSPIN_OK)
        rc = load_sources(&b, err);
    if (rc == UNSPIN_OK)
        rc = unspin_morph_new(&o->morph, &b.morph, err);
    if (rc == UNSPIN_OK)
        rc = build_vocab_and_terms(&b, err);
    if (rc == UNSPIN_OK)
        rc = add_inflections(&b, err);
    if (rc == UNSPIN_OK)
        rc = build_morph(&b, err);
    if (rc == UNSPIN_OK)
        rc = add_summary(&b);
    if (rc == UNSPIN_OK)
        rc = write_model(&b, out_path, err);
    else if (rc == UNSPIN_ENOMEM && err && !err->message[0])
        us_fail(err, rc, "out of memory");
    us_lm_source_free(&b.lm);
    us_thesaurus_free(b.th);
    unspin_morph_free(b.morph);
    us_strtab_builder_free(&b.vocab);
    free(b.fwd);
    free(b.fwd_form);
    free(b.flags);
    free(b.term_off);
    free(b.term_words);
    free(b.meta);
    if (rc == UNSPIN_OK)
        progress(&b, "wrote %s", out_path);
    return rc;
}
