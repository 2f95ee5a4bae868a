/*
 * wordnet.c - read the WordNet 3.0 database files (wndb(5)) directly.
 *
 * data.POS:  offset lex_filenum ss_type w_cnt(hex) {word lex_id(hex)}
 *            p_cnt(3 digits) {symbol offset pos source/target(hex)} ... | gloss
 * index.POS: lemma pos synset_cnt p_cnt {symbol} sense_cnt tagsense_cnt
 *            {synset_offset}   -- senses in order of decreasing frequency
 * Lines starting with spaces are the licence.
 *
 * Each sense of a word offers: the other members of its synset (SYNSET),
 * the members of synsets linked by '&' (SIMILAR) and by '^' (RELATED), in
 * both directions; a lexical pointer (source/target != 0000) offers only
 * its target word, and only to its source word.  Weights: see thesaurus.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/common.h"
#include "thesaurus.h"

enum { WN_NOUN, WN_VERB, WN_ADJ, WN_ADV, WN_FILES };

static const char *const wn_names[WN_FILES] = {"noun", "verb", "adj", "adv"};
static const us_pos wn_pos[WN_FILES] = {US_POS_NOUN, US_POS_VERB, US_POS_ADJ,
                                        US_POS_ADV};

typedef struct wn_synset {
    uint32_t offset;
    uint32_t first; /* into members */
    uint8_t nmem;
    uint8_t file;
} wn_synset;

typedef struct wn_link {
    uint32_t from, to; /* synset indices; `to` is a byte offset until resolved */
    uint32_t line;
    uint8_t to_file, kind;
    uint8_t sw, tw; /* word numbers (1-based), 0 = whole synset */
} wn_link;

typedef struct wn_key {
    uint32_t offset, synset;
} wn_key;

typedef struct wn_state {
    us_thesaurus *th;
    unspin_error *err;
    const char *dir;
    char *path; /* the file being read */
    wn_synset *synsets;
    size_t nsyn, syn_cap;
    size_t file_first[WN_FILES + 1]; /* synset range of each file */
    uint32_t *mem_term, *mem_rank;
    size_t nmem, mem_cap;
    wn_link *links;
    size_t nlinks, links_cap;
    wn_key *keys; /* per file, sorted by offset; same ranges as synsets */
} wn_state;

static int oom(wn_state *st)
{
    return us_fail(st->err, UNSPIN_ENOMEM, "%s: out of memory",
                   st->path ? st->path : st->dir);
}

static int set_path(wn_state *st, const char *kind, int file)
{
    free(st->path);
    size_t n = strlen(st->dir) + strlen(kind) + 16;
    st->path = malloc(n);
    if (!st->path)
        return oom(st);
    snprintf(st->path, n, "%s/%s.%s", st->dir, kind, wn_names[file]);
    return UNSPIN_OK;
}

/* A cursor over one line's space-separated fields. */
typedef struct tok {
    const char *p, *end;
} tok;

static int next_tok(tok *t, const char **s, size_t *n)
{
    while (t->p < t->end && *t->p == ' ')
        t->p++;
    if (t->p >= t->end)
        return 0;
    *s = t->p;
    while (t->p < t->end && *t->p != ' ')
        t->p++;
    *n = (size_t)(t->p - *s);
    return 1;
}

/* Parse a number of at most max_digits digits in base 10 or 16. */
static int tok_num(tok *t, int base, size_t max_digits, uint32_t *out)
{
    const char *s;
    size_t n;
    if (!next_tok(t, &s, &n) || n == 0 || n > max_digits)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        v = v * (uint64_t)base + d;
    }
    if (v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int file_of_pos(char c)
{
    switch (c) {
    case 'n': return WN_NOUN;
    case 'v': return WN_VERB;
    case 'a': case 's': return WN_ADJ;
    case 'r': return WN_ADV;
    default: return -1;
    }
}

static int bad_line(wn_state *st, size_t lineno, const char *what)
{
    return us_fail(st->err, UNSPIN_EDICT, "%s:%zu: %s", st->path, lineno,
                   what);
}

/* Normalize a data-file word: drop the adjective markers (a) (p) (ip). */
static int intern_word(wn_state *st, size_t lineno, int file, const char *s,
                       size_t n, uint32_t *id)
{
    static const char *const markers[] = {"(a)", "(p)", "(ip)"};
    if (file == WN_ADJ)
        for (size_t i = 0; i < US_ARRAY_LEN(markers); i++) {
            size_t k = strlen(markers[i]);
            if (n > k && memcmp(s + n - k, markers[i], k) == 0) {
                n -= k;
                break;
            }
        }
    char buf[US_TERM_MAX_BYTES + 1];
    size_t len = us_term_normalize(s, n, buf, sizeof buf);
    if (len == (size_t)-1 || len == 0)
        return bad_line(st, lineno, "bad word");
    if (us_th_intern_norm(st->th, buf, len, US_SRC_WORDNET, id) != UNSPIN_OK)
        return oom(st);
    return UNSPIN_OK;
}

static int data_line(wn_state *st, int file, size_t lineno, const char *s,
                     size_t n)
{
    tok t = {s, s + n};
    const char *w;
    size_t wl;
    uint32_t offset, lexfile, wcnt, pcnt;
    if (tok_num(&t, 10, 10, &offset) || tok_num(&t, 10, 2, &lexfile))
        return bad_line(st, lineno, "bad synset offset or lexicographer file");
    if (!next_tok(&t, &w, &wl) || wl != 1 || file_of_pos(w[0]) != file)
        return bad_line(st, lineno, "bad or foreign synset type");
    if (tok_num(&t, 16, 2, &wcnt) || wcnt == 0)
        return bad_line(st, lineno, "bad word count");
    if (us_grow((void **)&st->synsets, &st->syn_cap, st->nsyn + 1,
                sizeof *st->synsets) != 0)
        return oom(st);
    if (us_grow((void **)&st->mem_term, &st->mem_cap, st->nmem + wcnt,
                sizeof *st->mem_term) != 0)
        return oom(st);
    wn_synset *ss = &st->synsets[st->nsyn];
    ss->offset = offset;
    ss->first = (uint32_t)st->nmem;
    ss->nmem = (uint8_t)wcnt;
    ss->file = (uint8_t)file;
    for (uint32_t i = 0; i < wcnt; i++) {
        uint32_t lexid, id;
        if (!next_tok(&t, &w, &wl))
            return bad_line(st, lineno, "fewer words than the word count");
        int rc = intern_word(st, lineno, file, w, wl, &id);
        if (rc != UNSPIN_OK)
            return rc;
        if (tok_num(&t, 16, 2, &lexid))
            return bad_line(st, lineno, "bad lex_id");
        st->mem_term[st->nmem + i] = id;
    }
    if (tok_num(&t, 10, 3, &pcnt))
        return bad_line(st, lineno, "bad pointer count");
    for (uint32_t i = 0; i < pcnt; i++) {
        const char *sym, *ps;
        size_t syml, pl;
        uint32_t toff, st_words;
        if (!next_tok(&t, &sym, &syml) || tok_num(&t, 10, 10, &toff) ||
            !next_tok(&t, &ps, &pl) || pl != 1 || file_of_pos(ps[0]) < 0 ||
            tok_num(&t, 16, 4, &st_words))
            return bad_line(st, lineno, "fewer or bad pointers than the "
                                        "pointer count");
        int kind;
        if (syml == 1 && sym[0] == '&')
            kind = US_EDGE_SIMILAR;
        else if (syml == 1 && sym[0] == '^')
            kind = US_EDGE_RELATED;
        else
            continue;
        uint32_t sw = st_words >> 8, tw = st_words & 0xFF;
        if (sw > wcnt)
            return bad_line(st, lineno, "pointer from a word the synset "
                                        "does not have");
        if (us_grow((void **)&st->links, &st->links_cap, st->nlinks + 1,
                    sizeof *st->links) != 0)
            return oom(st);
        wn_link *l = &st->links[st->nlinks++];
        l->from = (uint32_t)st->nsyn;
        l->to = toff;
        l->line = (uint32_t)lineno;
        l->to_file = (uint8_t)file_of_pos(ps[0]);
        l->kind = (uint8_t)kind;
        l->sw = (uint8_t)sw;
        l->tw = (uint8_t)tw;
    }
    st->nmem += wcnt;
    st->nsyn++;
    return UNSPIN_OK;
}

/* Calls fn for each non-licence line of dir/kind.POS.  A missing file is an
 * error unless `optional`, in which case *found is cleared. */
static int each_line(wn_state *st, const char *kind, int file, int optional,
                     int *found,
                     int (*fn)(wn_state *, int, size_t, const char *, size_t))
{
    int rc = set_path(st, kind, file);
    if (rc != UNSPIN_OK)
        return rc;
    if (found)
        *found = 1;
    if (optional) {
        FILE *f = fopen(st->path, "rb");
        if (!f) {
            *found = 0;
            return UNSPIN_OK;
        }
        fclose(f);
    }
    char *buf;
    size_t len;
    rc = us_th_read_file(st->path, &buf, &len, st->err);
    if (rc != UNSPIN_OK)
        return rc;
    size_t bad = us_th_utf8_bad(buf, len);
    if (bad < len) {
        size_t line = 1;
        for (size_t i = 0; i < bad; i++)
            line += buf[i] == '\n';
        free(buf);
        return bad_line(st, line, "invalid UTF-8 or NUL byte");
    }
    const char *p = buf, *end = buf + len;
    size_t lineno = 0;
    while (p < end && rc == UNSPIN_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *ls = p;
        p = nl ? nl + 1 : end;
        lineno++;
        if (le > ls && le[-1] == '\r')
            le--;
        if (le == ls || ls[0] == ' ')
            continue;
        rc = fn(st, file, lineno, ls, (size_t)(le - ls));
    }
    free(buf);
    return rc;
}

static int key_cmp(const void *pa, const void *pb)
{
    const wn_key *a = pa, *b = pb;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static uint32_t find_synset(const wn_state *st, int file, uint32_t offset)
{
    size_t lo = st->file_first[file], hi = st->file_first[file + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->keys[mid].offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->file_first[file + 1] && st->keys[lo].offset == offset)
        return st->keys[lo].synset;
    return UINT32_MAX;
}

static int build_keys(wn_state *st)
{
    st->keys = malloc((st->nsyn ? st->nsyn : 1) * sizeof *st->keys);
    if (!st->keys)
        return oom(st);
    for (size_t i = 0; i < st->nsyn; i++) {
        st->keys[i].offset = st->synsets[i].offset;
        st->keys[i].synset = (uint32_t)i;
    }
    for (int f = 0; f < WN_FILES; f++) {
        size_t a = st->file_first[f], b = st->file_first[f + 1];
        int sorted = 1;
        for (size_t i = a + 1; i < b && sorted; i++)
            sorted = st->keys[i - 1].offset < st->keys[i].offset;
        if (!sorted)
            qsort(st->keys + a, b - a, sizeof *st->keys, key_cmp);
        for (size_t i = a + 1; i < b; i++)
            if (st->keys[i - 1].offset == st->keys[i].offset)
                return us_fail(st->err, UNSPIN_EDICT,
                               "%s/data.%s: synset offset %08u appears twice",
                               st->dir, wn_names[f],
                               (unsigned)st->keys[i].offset);
    }
    return UNSPIN_OK;
}

static int resolve_links(wn_state *st)
{
    for (size_t i = 0; i < st->nlinks; i++) {
        wn_link *l = &st->links[i];
        uint32_t to = find_synset(st, l->to_file, l->to);
        const wn_synset *from = &st->synsets[l->from];
        if (to == UINT32_MAX)
            return us_fail(st->err, UNSPIN_EDICT,
                           "%s/data.%s:%u: pointer to unknown synset %08u "
                           "in data.%s",
                           st->dir, wn_names[from->file], (unsigned)l->line,
                           (unsigned)l->to, wn_names[l->to_file]);
        if (l->tw > st->synsets[to].nmem)
            return us_fail(st->err, UNSPIN_EDICT,
                           "%s/data.%s:%u: pointer to word %u of synset %08u, "
                           "which has %u",
                           st->dir, wn_names[from->file], (unsigned)l->line,
                           (unsigned)l->tw, (unsigned)l->to,
                           (unsigned)st->synsets[to].nmem);
        l->to = to;
    }
    return UNSPIN_OK;
}

static int index_line(wn_state *st, int file, size_t lineno, const char *s,
                      size_t n)
{
    tok t = {s, s + n};
    const char *lemma, *w;
    size_t ll, wl;
    uint32_t nsyn, pcnt, tmp;
    if (!next_tok(&t, &lemma, &ll))
        return bad_line(st, lineno, "missing lemma");
    if (!next_tok(&t, &w, &wl) || wl != 1 || file_of_pos(w[0]) != file)
        return bad_line(st, lineno, "bad or foreign part of speech");
    if (tok_num(&t, 10, 6, &nsyn) || tok_num(&t, 10, 6, &pcnt))
        return bad_line(st, lineno, "bad synset or pointer count");
    for (uint32_t i = 0; i < pcnt; i++)
        if (!next_tok(&t, &w, &wl))
            return bad_line(st, lineno, "fewer pointer symbols than counted");
    if (tok_num(&t, 10, 6, &tmp) || tok_num(&t, 10, 6, &tmp))
        return bad_line(st, lineno, "bad sense counts");
    char buf[US_TERM_MAX_BYTES + 1];
    size_t len = us_term_normalize(lemma, ll, buf, sizeof buf);
    if (len == (size_t)-1 || len == 0)
        return bad_line(st, lineno, "bad lemma");
    uint32_t term = us_th_find_norm(st->th, buf, len);
    for (uint32_t i = 0; i < nsyn; i++) {
        uint32_t off;
        if (tok_num(&t, 10, 10, &off))
            return bad_line(st, lineno, "fewer synset offsets than counted");
        uint32_t ss = find_synset(st, file, off);
        if (ss == UINT32_MAX)
            return us_fail(st->err, UNSPIN_EDICT,
                           "%s:%zu: unknown synset %08u", st->path, lineno,
                           (unsigned)off);
        if (term == US_TERM_NONE)
            continue; /* a lemma no synset holds: nothing to rank */
        const wn_synset *sy = &st->synsets[ss];
        for (uint32_t m = sy->first; m < sy->first + sy->nmem; m++)
            if (st->mem_term[m] == term && st->mem_rank[m] == 0)
                st->mem_rank[m] = i + 1;
    }
    if (next_tok(&t, &w, &wl))
        return bad_line(st, lineno, "more synset offsets than counted");
    return UNSPIN_OK;
}

/* Directed links, both ways, grouped by source synset (CSR). */
typedef struct wn_adj {
    uint32_t to;
    uint8_t kind, sw, tw;
} wn_adj;

static int emit_edges(wn_state *st)
{
    size_t nterms = us_thesaurus_term_count(st->th);
    size_t *adj_start = calloc(st->nsyn + 1, sizeof *adj_start);
    wn_adj *adj = malloc((st->nlinks * 2 + 1) * sizeof *adj);
    uint32_t *slot_start = calloc(nterms + 1, sizeof *slot_start);
    uint32_t *slots = malloc((st->nmem + 1) * sizeof *slots);
    uint32_t *mem_syn = malloc((st->nmem + 1) * sizeof *mem_syn);
    us_th_acc acc;
    us_th_acc_init(&acc);
    int rc = UNSPIN_OK;
    if (!adj_start || !adj || !slot_start || !slots || !mem_syn) {
        rc = oom(st);
        goto out;
    }
    for (size_t i = 0; i < st->nlinks; i++) {
        adj_start[st->links[i].from + 1]++;
        adj_start[st->links[i].to + 1]++;
    }
    for (size_t i = 0; i < st->nsyn; i++)
        adj_start[i + 1] += adj_start[i];
    {
        size_t *fill = malloc((st->nsyn + 1) * sizeof *fill);
        if (!fill) {
            rc = oom(st);
            goto out;
        }
        memcpy(fill, adj_start, (st->nsyn + 1) * sizeof *fill);
        for (size_t i = 0; i < st->nlinks; i++) {
            const wn_link *l = &st->links[i];
            wn_adj a = {l->to, l->kind, l->sw, l->tw};
            wn_adj b = {l->from, l->kind, l->tw, l->sw};
            adj[fill[l->from]++] = a;
            adj[fill[l->to]++] = b;
        }
        free(fill);
    }
    /* Member slots grouped by term, in file order. */
    for (size_t s = 0; s < st->nsyn; s++)
        for (uint32_t m = st->synsets[s].first;
             m < st->synsets[s].first + st->synsets[s].nmem; m++) {
            mem_syn[m] = (uint32_t)s;
            slot_start[st->mem_term[m] + 1]++;
        }
    for (size_t i = 0; i < nterms; i++)
        slot_start[i + 1] += slot_start[i];
    {
        uint32_t *fill = malloc((nterms + 1) * sizeof *fill);
        if (!fill) {
            rc = oom(st);
            goto out;
        }
        memcpy(fill, slot_start, (nterms + 1) * sizeof *fill);
        for (size_t m = 0; m < st->nmem; m++)
            slots[fill[st->mem_term[m]]++] = (uint32_t)m;
        free(fill);
    }
    for (uint32_t term = 0; term < nterms && rc == UNSPIN_OK; term++) {
        uint32_t a = slot_start[term], b = slot_start[term + 1];
        if (a == b)
            continue;
        us_th_acc_begin(&acc, term);
        for (uint32_t k = a; k < b && rc == UNSPIN_OK; k++) {
            uint32_t m = slots[k], s = mem_syn[m];
            int dup = 0; /* the same synset twice (case variants) */
            for (uint32_t j = a; j < k && !dup; j++)
                dup = mem_syn[slots[j]] == s;
            if (dup)
                continue;
            const wn_synset *sy = &st->synsets[s];
            uint32_t wno = m - sy->first + 1;
            for (uint32_t o = sy->first; o < sy->first + sy->nmem; o++)
                if (us_th_acc_cand(&acc, st->mem_term[o], US_EDGE_SYNSET))
                    rc = oom(st);
            for (size_t x = adj_start[s]; x < adj_start[s + 1]; x++) {
                const wn_adj *l = &adj[x];
                if (l->sw && l->sw != wno)
                    continue;
                const wn_synset *ty = &st->synsets[l->to];
                for (uint32_t o = ty->first; o < ty->first + ty->nmem; o++)
                    if ((!l->tw || o - ty->first + 1 == l->tw) &&
                        us_th_acc_cand(&acc, st->mem_term[o],
                                       (us_edge_kind)l->kind))
                        rc = oom(st);
            }
            uint32_t rank = st->mem_rank[m] ? st->mem_rank[m] : 1;
            if (us_th_acc_sense_end(&acc, 1.0 / rank, wn_pos[sy->file]))
                rc = oom(st);
        }
        if (rc == UNSPIN_OK && us_th_acc_emit(&acc, st->th, US_SRC_WORDNET))
            rc = oom(st);
    }
out:
    us_th_acc_free(&acc);
    free(adj_start);
    free(adj);
    free(slot_start);
    free(slots);
    free(mem_syn);
    return rc;
}

int us_thesaurus_add_wordnet(us_thesaurus *th, const char *dir,
                             unspin_error *err)
{
    if (!th || !dir)
        return us_fail(err, UNSPIN_EINVAL, "WordNet: no %s",
                       th ? "directory" : "thesaurus");
    us_th_mark mark;
    if (us_th_mark_save(th, &mark) != UNSPIN_OK)
        return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", dir);
    wn_state st;
    memset(&st, 0, sizeof st);
    st.th = th;
    st.err = err;
    st.dir = dir;
    int rc = UNSPIN_OK;
    for (int f = 0; f < WN_FILES && rc == UNSPIN_OK; f++) {
        st.file_first[f] = st.nsyn;
        rc = each_line(&st, "data", f, 0, NULL, data_line);
    }
    st.file_first[WN_FILES] = st.nsyn;
    if (rc == UNSPIN_OK && st.nsyn == 0)
        rc = us_fail(err, UNSPIN_EDICT, "%s: no synsets in data.noun, "
                     "data.verb, data.adj, data.adv", dir);
    if (rc == UNSPIN_OK) {
        st.mem_rank = calloc(st.nmem + 1, sizeof *st.mem_rank);
        if (!st.mem_rank)
            rc = oom(&st);
    }
    if (rc == UNSPIN_OK)
        rc = build_keys(&st);
    if (rc == UNSPIN_OK)
        rc = resolve_links(&st);
    for (int f = 0; f < WN_FILES && rc == UNSPIN_OK; f++) {
        int found;
        rc = each_line(&st, "index", f, 1, &found, index_line);
    }
    if (rc == UNSPIN_OK)
        rc = emit_edges(&st);
    free(st.path);
    free(st.synsets);
    free(st.mem_term);
    free(st.mem_rank);
    free(st.links);
    free(st.keys);
    if (rc != UNSPIN_OK) {
        us_th_mark_restore(th, &mark);
        return rc;
    }
    us_th_mark_drop(&mark);
    us_th_note_load(th, US_SRC_WORDNET, st.nsyn);
    return UNSPIN_OK;
}
