/* Opening a model file and answering look-ups.  See model.h. */
#include "model.h"
#include "learned.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

static const void *section(const unspin_model *m, const char *name, size_t *size)
{
    const us_model_section *s = us_model_file_find(&m->file, name);
    *size = s ? (size_t)s->size : 0;
    return s ? s->data : NULL;
}

/* Set up a CSR view; every offset is checked so look-ups stay in bounds. */
static int view_csr(unspin_model *m, us_csr *c, const char *base, size_t rec_size,
                    uint32_t nitems, unspin_error *err)
{
    char name[64];
    size_t osize, rsize;
    snprintf(name, sizeof name, "%s.off", base);
    const uint32_t *off = section(m, name, &osize);
    const void *rec = section(m, base, &rsize);
    if (!off || !rec || osize != ((size_t)nitems + 1) * 4 || rsize % rec_size)
        return us_fail(err, UNSPIN_EMODEL, "%s: section %s missing or malformed",
                       m->file.path, base);
    uint32_t nrec = (uint32_t)(rsize / rec_size);
    if (off[0] != 0 || off[nitems] != nrec)
        return us_fail(err, UNSPIN_EMODEL, "%s: section %s is inconsistent", m->file.path, base);
    for (uint32_t i = 0; i < nitems; i++)
        if (off[i] > off[i + 1])
            return us_fail(err, UNSPIN_EMODEL, "%s: section %s is inconsistent",
                           m->file.path, base);
    c->off = off;
    c->n = nitems;
    c->rec = rec;
    c->nrec = nrec;
    return UNSPIN_OK;
}

const void *us_csr_get(const us_csr *c, uint32_t i, size_t rec_size, uint32_t *n)
{
    if (i >= c->n) {
        *n = 0;
        return NULL;
    }
    *n = c->off[i + 1] - c->off[i];
    return (const char *)c->rec + (size_t)c->off[i] * rec_size;
}

static int check_ids(const unspin_model *m, const us_csr *c, size_t rec_size,
                     uint32_t limit, const char *what, unspin_error *err)
{
    /* The first uint32 of every record type is an id below `limit`. */
    for (uint32_t i = 0; i < c->nrec; i++) {
        uint32_t id;
        memcpy(&id, (const char *)c->rec + (size_t)i * rec_size, 4);
        if (id >= limit)
            return us_fail(err, UNSPIN_EMODEL, "%s: section %s holds an id out of range",
                           m->file.path, what);
    }
    return UNSPIN_OK;
}

static int view_all(unspin_model *m, unspin_error *err)
{
    const char *p = m->file.path;
    size_t n1, n2, n3;
    const char *meta = section(m, "meta", &n1);
    if (!meta || n1 == 0 || meta[n1 - 1] != '\0')
        return us_fail(err, UNSPIN_EMODEL, "%s: metadata section missing or malformed", p);
    m->meta = meta;
    const void *a = section(m, "vocab.str", &n1), *b = section(m, "vocab.off", &n2),
               *c = section(m, "vocab.hash", &n3);
    int rc = us_strtab_view(&m->vocab, p, a, n1, b, n2, c, n3, err);
    if (rc != UNSPIN_OK)
        return rc;
    m->word_flags = section(m, "vocab.flags", &n1);
    if (!m->word_flags || n1 != m->vocab.count)
        return us_fail(err, UNSPIN_EMODEL, "%s: section vocab.flags missing or malformed", p);
    a = section(m, "lm.uni", &n1);
    b = section(m, "lm.bi", &n2);
    c = section(m, "lm.tri", &n3);
    if ((rc = us_lm_view(&m->lm, p, a, n1, b, n2, c, n3, err)) != UNSPIN_OK)
        return rc;
    m->lm_words = m->lm.nwords;
    if (m->lm_words > m->vocab.count)
        return us_fail(err, UNSPIN_EMODEL, "%s: the LM has more words than the vocabulary", p);
    uint32_t nw = m->vocab.count;
    if ((rc = view_csr(m, &m->morph_fwd, "morph.fwd", sizeof(us_morph_rec), nw, err)) ||
        (rc = view_csr(m, &m->morph_inv, "morph.inv", sizeof(us_morph_rec), nw, err)) ||
        (rc = check_ids(m, &m->morph_fwd, sizeof(us_morph_rec), nw, "morph.fwd", err)) ||
        (rc = check_ids(m, &m->morph_inv, sizeof(us_morph_rec), nw, "morph.inv", err)))
        return rc;
    const uint32_t *toff = section(m, "term.words.off", &n1);
    if (!toff || n1 < 4 || n1 % 4)
        return us_fail(err, UNSPIN_EMODEL, "%s: section term.words.off missing", p);
    uint32_t nterms = (uint32_t)(n1 / 4 - 1);
    if ((rc = view_csr(m, &m->term, "term.words", 4, nterms, err)) ||
        (rc = check_ids(m, &m->term, 4, nw, "term.words", err)) ||
        (rc = view_csr(m, &m->syn, "syn", sizeof(us_syn_rec), nterms, err)) ||
        (rc = check_ids(m, &m->syn, sizeof(us_syn_rec), nterms, "syn", err)))
        return rc;
    const uint32_t *th = section(m, "term.hash", &n1);
    if (!th || n1 < 4 || (n1 - 4) / 4 != th[0] || th[0] < nterms)
        return us_fail(err, UNSPIN_EMODEL, "%s: section term.hash missing or malformed", p);
    m->term_nslots = th[0];
    m->term_slots = th + 1;
    for (uint32_t i = 0; i < m->term_nslots; i++)
        if (m->term_slots[i] > nterms)
            return us_fail(err, UNSPIN_EMODEL, "%s: section term.hash out of range", p);
    return UNSPIN_OK;
}

/* Bit of the word pair (a, b) in a set of 2^bits bits. */
static inline uint64_t pair_bit(uint32_t a, uint32_t b, unsigned bits)
{
    return ((uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)(b + 1) * 0xC2B2AE3D27D4EB4Full) >>
           (64 - bits);
}

/* The term_pairs set: about 16 bits per pair, so a pair not in any term
 * passes for one about one time in 16. */
static void index_term_pairs(unspin_model *m, uint64_t npairs)
{
    unsigned bits = 12;
    while (bits < 30 && ((uint64_t)1 << bits) < 16 * npairs)
        bits++;
    m->term_pairs = calloc(((size_t)1 << bits) / 64, sizeof *m->term_pairs);
    if (!m->term_pairs)
        return;
    m->term_pair_bits = bits;
    for (uint32_t t = 0; t < m->term.n; t++) {
        uint32_t n;
        const uint32_t *w = us_csr_get(&m->term, t, 4, &n);
        for (uint32_t j = 0; j + 1 < n; j++) {
            uint64_t h = pair_bit(w[j], w[j + 1], bits);
            m->term_pairs[h >> 6] |= (uint64_t)1 << (h & 63);
        }
    }
}

/* Small tables over the vocabulary that answer most term look-ups
 * without hashing: the detector looks up every word (word_term) and asks
 * for many phrases that are not terms (every run of 2-4 text words, and
 * variants), most of which hold a word that never stands in that place of
 * any term (term_pos) or two neighbours no term has (term_pairs).  Without
 * memory for them look-ups still work, only slower. */
static void index_terms(unspin_model *m)
{
    size_t nw = m->vocab.count ? m->vocab.count : 1;
    m->term_pos = calloc(nw, 1);
    m->word_term = calloc(nw, sizeof *m->word_term);
    if (!m->term_pos || !m->word_term) {
        free(m->term_pos);
        free(m->word_term);
        m->term_pos = NULL;
        m->word_term = NULL;
        return;
    }
    uint64_t npairs = 0;
    for (uint32_t t = 0; t < m->term.n; t++) {
        uint32_t n;
        const uint32_t *w = us_csr_get(&m->term, t, 4, &n);
        if (n == 1 && !m->word_term[w[0]])
            m->word_term[w[0]] = t + 1;
        if (n < 2)
            continue;
        npairs += n - 1;
        m->term_pos[w[0]] |= US_TERM_AT_FIRST;
        for (uint32_t j = 1; j + 1 < n; j++)
            m->term_pos[w[j]] |= US_TERM_AT_MIDDLE;
        m->term_pos[w[n - 1]] |= US_TERM_AT_LAST;
    }
    index_term_pairs(m, npairs);
}

int unspin_model_open(const char *path, unspin_model **out, unspin_error *err)
{
    us_error_clear(err);
    if (!path || !out)
        return us_fail(err, UNSPIN_EINVAL, "unspin_model_open: NULL argument");
    *out = NULL;
    unspin_model *m = calloc(1, sizeof *m);
    if (!m)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    static atomic_uint_fast64_t serials;
    m->serial = (uint64_t)atomic_fetch_add(&serials, 1) + 1;
    int rc = us_model_file_open(path, &m->file, err);
    if (rc == UNSPIN_OK)
        rc = view_all(m, err);
    if (rc == UNSPIN_OK)
        index_terms(m);
    if (rc == UNSPIN_OK)
        us_learned_index_build(m); /* (no memory: no index, counts read 0) */
    if (rc != UNSPIN_OK) {
        unspin_model_free(m);
        return rc;
    }
    *out = m;
    return UNSPIN_OK;
}

void unspin_model_free(unspin_model *m)
{
    if (!m)
        return;
    us_model_file_close(&m->file);
    free(m->term_pos);
    free(m->word_term);
    free(m->term_pairs);
    us_learned_index_free(m->learned_ix);
    free(m);
}

int unspin_model_verify(const unspin_model *m, unspin_error *err)
{
    if (!m)
        return us_fail(err, UNSPIN_EINVAL, "unspin_model_verify: NULL model");
    return us_model_file_verify(&m->file, err);
}

const char *unspin_model_path(const unspin_model *m) { return m ? m->file.path : NULL; }
const char *unspin_model_metadata(const unspin_model *m) { return m ? m->meta : NULL; }

void unspin_model_get_counts(const unspin_model *m, unspin_model_counts *out)
{
    memset(out, 0, sizeof *out);
    if (!m)
        return;
    out->file_bytes = m->file.size;
    out->words = m->vocab.count;
    out->lm_words = m->lm_words;
    out->bigrams = (size_t)m->lm.bi_count;
    out->trigrams = (size_t)m->lm.tri_count;
    out->terms = m->term.n;
    for (uint32_t t = 0; t < m->term.n; t++)
        out->multiword_terms += m->term.off[t + 1] - m->term.off[t] > 1;
    out->edges = m->syn.nrec;
    const us_syn_rec *r = m->syn.rec;
    for (uint32_t i = 0; i < m->syn.nrec; i++)
        if (r[i].kind < US_ARRAY_LEN(out->edges_by_kind))
            out->edges_by_kind[r[i].kind]++;
    out->morph_analyses = m->morph_fwd.nrec;
}

uint32_t us_model_word(const unspin_model *m, const char *s, size_t len)
{
    return us_strtab_find(&m->vocab, s, len);
}

uint64_t us_term_hash(const uint32_t *words, uint32_t n)
{
    return XXH3_64bits(words, (size_t)n * sizeof *words);
}

/* 0 when some word of a multi-word sequence never occurs in its place in
 * a term, so the sequence cannot be one (ids out of the vocabulary, like
 * US_STR_NONE, are never in a term either). */
static int term_positions_fit(const unspin_model *m, const uint32_t *words, uint32_t n)
{
    const uint32_t nw = m->vocab.count;
    if (words[0] >= nw || !(m->term_pos[words[0]] & US_TERM_AT_FIRST) ||
        words[n - 1] >= nw || !(m->term_pos[words[n - 1]] & US_TERM_AT_LAST))
        return 0;
    for (uint32_t j = 1; j + 1 < n; j++)
        if (words[j] >= nw || !(m->term_pos[words[j]] & US_TERM_AT_MIDDLE))
            return 0;
    for (uint32_t j = 0; j + 1 < n; j++)
        if (!us_model_term_pair(m, words[j], words[j + 1]))
            return 0;
    return 1;
}

int us_model_term_pair(const unspin_model *m, uint32_t a, uint32_t b)
{
    if (!m->term_pairs)
        return 1;
    uint64_t h = pair_bit(a, b, m->term_pair_bits);
    return (m->term_pairs[h >> 6] >> (h & 63)) & 1;
}

uint32_t us_model_term(const unspin_model *m, const uint32_t *words, uint32_t n)
{
    if (m->term_nslots == 0 || n == 0)
        return US_STR_NONE;
    if (n == 1 && m->word_term) /* 0 - 1 wraps to US_STR_NONE */
        return words[0] < m->vocab.count ? m->word_term[words[0]] - 1 : US_STR_NONE;
    if (n >= 2 && m->term_pos && !term_positions_fit(m, words, n))
        return US_STR_NONE;
    uint32_t h = (uint32_t)(us_term_hash(words, n) % m->term_nslots);
    for (uint32_t i = 0; i < m->term_nslots; i++, h = h + 1 == m->term_nslots ? 0 : h + 1) {
        uint32_t v = m->term_slots[h];
        if (v == 0)
            return US_STR_NONE;
        uint32_t len;
        const uint32_t *w = us_csr_get(&m->term, v - 1, 4, &len);
        if (len == n && memcmp(w, words, (size_t)n * 4) == 0)
            return v - 1;
    }
    return US_STR_NONE;
}

/* ---------------------------------------------------------------- */

static int is_number(const char *s)
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

/* LM id of a word (normalized on the way), or US_STR_NONE. */
static uint32_t lm_id(const unspin_model *m, const char *w)
{
    if (!w)
        return US_STR_NONE;
    size_t n;
    char *norm = unspin_normalize(w, strlen(w), &n, NULL);
    if (!norm)
        return US_STR_NONE;
    uint32_t id = us_model_word(m, norm, n);
    free(norm);
    return id < m->lm_words ? id : US_STR_NONE;
}

double unspin_model_logprob(const unspin_model *m, const char *w1, const char *w2,
                            const char *w3)
{
    if (!m || !w3)
        return NAN;
    uint32_t c = lm_id(m, w3);
    if (c == US_STR_NONE)
        return is_number(w3) ? UNSPIN_LM_NUMBER_LOGPROB : UNSPIN_LM_UNKNOWN_LOGPROB;
    uint32_t b = lm_id(m, w2), a = b == US_STR_NONE ? US_STR_NONE : lm_id(m, w1);
    return us_lm_score(&m->lm, a, b, c);
}
