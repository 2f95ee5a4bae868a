/*
 * spinsim - a sense-blind article-spinner simulator, for `make quality`.
 *
 *   spinsim [--rate R] [--seed N] [--consistent] [--mythes PATH] IN OUT SWAPS.tsv [...]
 *
 * Reads natural text IN and writes OUT, the same text with some words and
 * phrases swapped for thesaurus synonyms the way a naive spinner does it,
 * and SWAPS.tsv, one line per swap: start and end byte offsets in OUT, the
 * spun text, the original text.  Several (IN, OUT, SWAPS) triples may be
 * given; the thesaurus is loaded once.
 *
 * The spinner:
 *  - uses MyThes only (not WordNet, not the project's lists), so that it is
 *    not the detector's own resource;
 *  - walks the word tokens; at each one it first tries a 3-, then a 2-word
 *    thesaurus term ("cold war", "as well"; its last or first word may be
 *    inflected: "cold wars", "carried out")
 *    written in one case style, and with probability R swaps it;
 *  - otherwise, an eligible single word (lower case, or title case as the
 *    first word of a sentence and not a name; not an acronym, number,
 *    abbreviation, contraction or one of the function words listed below)
 *    whose lemma has a thesaurus entry is swapped with probability R;
 *  - a swap takes the lemma's entry and picks a synonym sense-blind: a
 *    plain or "(similar term)" synonym, sense i weighing 1/i (the
 *    thesaurus's own weights), single words and multi-word terms alike,
 *    but not names (terms MyThes only writes capitalized: "William Tell")
 *    nor single letters; inflects it like the word (unspin_morph_inflect;
 *    a synonym with no such form is passed over), restores the case and
 *    never writes back the same word.
 *  - with --consistent, the spinner works from a fixed table the way many
 *    real ones do: within a document, whether a thesaurus entry is swapped
 *    and the synonym it becomes are drawn once per entry, so every
 *    occurrence of a word is treated alike ("attack" is "assault"
 *    throughout); without it, each occurrence is drawn on its own.
 * Function words are skipped as words but may be part of a term; terms
 * made only of function words ("out in") or starting with an article
 * ("the city") are not swapped as terms.
 * The random stream of a document depends only on the seed and the file
 * name of IN (not its directory), so runs are reproducible for a given
 * build of libunspin (whose morphology the spinner uses).  A summary line
 * goes to standard error; "draws" counts the words and terms that could
 * be swapped.
 *
 * Exit status: 0 on success, 2 on error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon/analyze.h"
#include "lexicon/thesaurus.h"
#include "unspin.h"

#define DEFAULT_MYTHES "/usr/share/mythes/th_en_US_v2.dat"
#define MAX_TERM_WORDS 3
#define MAX_TRIES 6

/* Words a spinner leaves alone: articles, pronouns, prepositions,
 * conjunctions, auxiliaries. */
static const char *const STOP[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "as", "at", "be", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "either", "every", "few", "for", "from", "had", "has", "have", "having", "he", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "may", "me", "might", "mine", "more", "most", "must", "my",
    "myself", "neither", "no", "nor", "not", "of", "off", "on", "once", "one", "only",
    "onto", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
    "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we",
    "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose",
    "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours",
    "yourself", "yourselves"};

static int is_stop(const char *w)
{
    size_t lo = 0, hi = sizeof STOP / sizeof STOP[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w, STOP[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64                                          */
/* ------------------------------------------------------------------ */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* ------------------------------------------------------------------ */
/* Output buffer                                                       */
/* ------------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void die_nomem(void)
{
    fputs("spinsim: out of memory\n", stderr);
    exit(2);
}

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            die_nomem();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* The spinner                                                         */
/* ------------------------------------------------------------------ */

typedef struct spinner {
    us_thesaurus *th;
    us_thesaurus *capitals; /* synonyms MyThes writes with a capital */
    us_thesaurus *lowers;   /* ... and in lower case */
    unspin_morph *morph;
    double rate;
    uint64_t seed;
    int consistent;     /* one draw per thesaurus entry and document */
    uint64_t doc_seed;  /* the document's seed, for --consistent */
} spinner;

typedef struct stats {
    size_t docs, words, draws, swaps, multi_swaps, multi_out;
} stats;

/* Reads the synonym fields of the MyThes file again to learn which terms
 * it only ever writes with a capital ("William Tell", "H", "Begin"): the
 * loader lower-cases terms, and a spinner would not print those in lower
 * case.  0 on success. */
static int load_names(spinner *sp, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "spinsim: %s: cannot read\n", path);
        return -1;
    }
    sp->capitals = us_thesaurus_new();
    sp->lowers = us_thesaurus_new();
    if (!sp->capitals || !sp->lowers)
        die_nomem();
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        if (line[0] != '(')
            continue; /* the encoding, or "headword|count" */
        char *p = strchr(line, '|');
        while (p) {
            char *field = p + 1, *end = strchr(field, '|');
            p = end;
            size_t n = end ? (size_t)(end - field) : strcspn(field, "\r\n");
            char *paren = memchr(field, '(', n);
            if (paren)
                n = (size_t)(paren - field);
            while (n && field[n - 1] == ' ')
                n--;
            if (!n || n > US_TERM_MAX_BYTES)
                continue;
            int upper = 0;
            for (size_t k = 0; k < n; k++)
                upper |= field[k] >= 'A' && field[k] <= 'Z';
            uint32_t id;
            int rc = us_thesaurus_intern(upper ? sp->capitals : sp->lowers, field, n, &id);
            if (rc == UNSPIN_ENOMEM)
                die_nomem();
        }
    }
    fclose(f);
    return 0;
}

static int is_name(const spinner *sp, const char *term)
{
    size_t n = strlen(term);
    return us_thesaurus_lookup(sp->capitals, term, n) != US_TERM_NONE &&
           us_thesaurus_lookup(sp->lowers, term, n) == US_TERM_NONE;
}

/* A candidate a spinner would print: lower-case ASCII letters, single
 * spaces, inner hyphens and apostrophes, at most MAX_TERM_WORDS words. */
static int printable(const char *t)
{
    size_t words = 1;
    if (!*t)
        return 0;
    for (const char *p = t; *p; p++) {
        if (*p == ' ')
            words++;
        else if (!((*p >= 'a' && *p <= 'z') || *p == '-' || *p == '\''))
            return 0;
    }
    return words <= MAX_TERM_WORDS && t[0] != '-' && t[0] != '\'';
}

static int usable_edge(const us_edge *e)
{
    return e->kind == US_EDGE_SYNSET || e->kind == US_EDGE_SIMILAR;
}

/* Total weight of the usable edges of `from`. */
static double entry_weight(const spinner *sp, uint32_t from)
{
    size_t n;
    const us_edge *e = us_thesaurus_edges_from(sp->th, from, &n);
    double w = 0;
    for (size_t i = 0; i < n; i++)
        if (usable_edge(&e[i]))
            w += e[i].weight;
    return w;
}

/* Pick a synonym of `from` by weight; NULL when none. */
static const char *pick(const spinner *sp, uint32_t from, uint64_t *rng)
{
    size_t n;
    const us_edge *e = us_thesaurus_edges_from(sp->th, from, &n);
    double total = entry_weight(sp, from);
    if (total <= 0)
        return NULL;
    double x = rng_unit(rng) * total;
    const us_edge *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!usable_edge(&e[i]))
            continue;
        last = &e[i];
        x -= e[i].weight;
        if (x < 0)
            break;
    }
    return last ? us_thesaurus_term(sp->th, last->to, NULL) : NULL;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static int has_space(const char *s)
{
    return strchr(s, ' ') != NULL;
}

/* The replacement for a term: a synonym of lemma `from`, inflected like
 * `like` (NULL: no inflection), different from `orig` (lower case).
 * Returns a malloc'd lower-case string or NULL. */
static char *replacement(spinner *sp, uint32_t from, const char *like, const char *orig,
                         uint64_t *rng)
{
    for (int t = 0; t < MAX_TRIES; t++) {
        const char *syn = pick(sp, from, rng);
        if (!syn)
            return NULL;
        if (!printable(syn))
            continue;
        if (is_name(sp, syn) || (!has_space(syn) && us_morph_is_proper(sp->morph, syn)))
            continue; /* a name: a spinner would not lower-case it */
        if (strlen(syn) < 2)
            continue;
        char *out = NULL;
        if (!like) {
            out = strdup(syn);
            if (!out)
                die_nomem();
        } else {
            unspin_wordlist wl = {0};
            /* The first form that is not the synonym itself: the word
             * is inflected, so the synonym must be ("cognise" is no
             * past tense of know). */
            if (unspin_morph_inflect(sp->morph, syn, like, &wl, NULL) == UNSPIN_OK)
                for (size_t k = 0; k < wl.count && !out; k++) {
                    if (!strcmp(wl.words[k], syn))
                        continue;
                    out = strdup(wl.words[k]);
                    if (!out)
                        die_nomem();
                    lower_ascii(out);
                }
            unspin_wordlist_free(&wl);
        }
        if (!out)
            continue;
        if (strcmp(out, orig) == 0 || !printable(out)) {
            free(out);
            continue;
        }
        return out;
    }
    return NULL;
}

/* Case styles of a run of words. */
enum style { ST_LOWER, ST_FIRST_TITLE, ST_ALL_TITLE, ST_OTHER };

/* Words a title leaves in lower case. */
static int small_word(const char *p)
{
    static const char *const small[] = {"a ", "an ", "and ", "as ", "at ", "by ", "for ",
                                        "in ", "of ", "on ", "or ", "the ", "to "};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
        if (!strncmp(p, small[i], strlen(small[i])))
            return 1;
    return 0;
}

static void apply_case(char *s, enum style st)
{
    for (char *p = s; *p; p++) {
        int word_start = p == s || (st == ST_ALL_TITLE && p[-1] == ' ' && !small_word(p));
        if (st != ST_LOWER && word_start && *p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    }
}

typedef struct doc {
    const char *data;
    const unspin_token *tok;
    size_t ntok;
    size_t *first_word; /* [sentence] index of its first word/number token */
} doc;

static int word_ok_for_term(const unspin_token *t)
{
    return t->kind == UNSPIN_TOKEN_WORD &&
           !(t->flags & (UNSPIN_TOKF_ABBREV | UNSPIN_TOKF_REPLACED)) &&
           (t->shape == UNSPIN_CASE_LOWER || t->shape == UNSPIN_CASE_TITLE);
}

static int is_single_space(const doc *d, size_t i)
{
    const unspin_token *t = &d->tok[i];
    return t->kind == UNSPIN_TOKEN_SPACE && t->end - t->start == 1 && d->data[t->start] == ' ';
}

/* The case style of words w[0..n). */
static enum style run_style(const doc *d, const size_t *w, size_t n)
{
    int sentence_start = d->first_word[d->tok[w[0]].sentence] == w[0];
    size_t titles = 0;
    for (size_t k = 0; k < n; k++)
        if (d->tok[w[k]].shape == UNSPIN_CASE_TITLE)
            titles++;
    if (titles == 0)
        return ST_LOWER;
    if (titles == n && n > 1)
        return ST_ALL_TITLE;
    if (titles == 1 && d->tok[w[0]].shape == UNSPIN_CASE_TITLE)
        return sentence_start ? ST_FIRST_TITLE : ST_OTHER;
    return ST_OTHER;
}

/* A swap being made. */
typedef struct swap {
    size_t first, last; /* token range in the input, inclusive */
    char *text;         /* the replacement, cased */
} swap;

/* The term made of words w[0..n) (normalized, single spaces), with word
 * `swap_k` replaced by `lemma` when lemma is non-NULL.  Its length, or 0
 * when it does not fit. */
static size_t make_term(const doc *d, const size_t *w, size_t n, size_t swap_k,
                        const char *lemma, char *out, size_t cap)
{
    size_t len = 0;
    for (size_t k = 0; k < n; k++) {
        const char *s = d->tok[w[k]].norm;
        size_t sl = d->tok[w[k]].norm_len;
        if (lemma && k == swap_k) {
            s = lemma;
            sl = strlen(lemma);
        }
        if (len + sl + 2 > cap)
            return 0;
        if (k)
            out[len++] = ' ';
        memcpy(out + len, s, sl);
        len += sl;
    }
    out[len] = '\0';
    return len;
}

/* The thesaurus entry for words w[0..n): as written, else with the last,
 * then the first word replaced by one of its lemmas ("cold wars", "carried
 * out").  *like gets the word to inflect the synonym like (NULL: none). */
static uint32_t find_term(spinner *sp, const doc *d, const size_t *w, size_t n,
                          const char **like)
{
    char term[512];
    size_t tl = make_term(d, w, n, 0, NULL, term, sizeof term);
    *like = NULL;
    if (!tl)
        return US_TERM_NONE;
    uint32_t id = us_thesaurus_lookup(sp->th, term, tl);
    if (id != US_TERM_NONE && entry_weight(sp, id) > 0)
        return id;
    const size_t heads[2] = {n - 1, 0};
    for (size_t h = 0; h < 2; h++) {
        const char *word = d->tok[w[heads[h]]].norm;
        us_analysis an[8];
        size_t na = 0;
        if (us_morph_analyze(sp->morph, word, an, 8, &na, NULL) != UNSPIN_OK)
            continue;
        for (size_t a = 0; a < na; a++) {
            if (an[a].infl == US_INFL_BASE || an[a].infl == US_INFL_POSSESSIVE)
                continue;
            tl = make_term(d, w, n, heads[h], an[a].lemma, term, sizeof term);
            id = tl ? us_thesaurus_lookup(sp->th, term, tl) : US_TERM_NONE;
            if (id != US_TERM_NONE && entry_weight(sp, id) > 0) {
                *like = word;
                return id;
            }
        }
    }
    return US_TERM_NONE;
}

/* Whether to swap the occurrence of thesaurus entry `id`.  With
 * --consistent the draw (and the synonym picked after it, through *rng)
 * depends only on the document and the entry; *rng is then that entry's
 * own stream, which the caller's stream does not share. */
static int draw_swap(const spinner *sp, uint32_t id, uint64_t **rng, uint64_t *own)
{
    if (sp->consistent) {
        *own = sp->doc_seed ^ ((uint64_t)(id + 1) * 0x9E3779B97F4A7C15ull);
        rng_next(own);
        *rng = own;
    }
    return rng_unit(*rng) < sp->rate;
}

/* Try a multi-word term starting at word token i; fills *sw on a swap. */
static int try_term(spinner *sp, const doc *d, size_t i, uint64_t *rng, stats *st, swap *sw)
{
    size_t w[MAX_TERM_WORDS];
    size_t n = 0, j = i;
    while (n < MAX_TERM_WORDS) {
        if (j >= d->ntok || !word_ok_for_term(&d->tok[j]))
            break;
        w[n++] = j;
        if (j + 2 >= d->ntok || !is_single_space(d, j + 1))
            break;
        j += 2;
    }
    for (size_t len = n; len >= 2; len--) {
        enum style style = run_style(d, w, len);
        if (style == ST_OTHER)
            continue;
        const char *w0 = d->tok[w[0]].norm;
        if (!strcmp(w0, "the") || !strcmp(w0, "a") || !strcmp(w0, "an"))
            continue; /* "the city" is a name, not a phrase to spin */
        size_t content = 0;
        for (size_t k = 0; k < len; k++)
            content += !is_stop(d->tok[w[k]].norm);
        if (content == 0)
            continue; /* "out in": function words, not a phrase */
        const char *like;
        uint32_t id = find_term(sp, d, w, len, &like);
        if (id == US_TERM_NONE)
            continue;
        st->draws++;
        uint64_t own;
        if (!draw_swap(sp, id, &rng, &own))
            return 0;
        char orig[512];
        if (!make_term(d, w, len, 0, NULL, orig, sizeof orig))
            return 0;
        char *r = replacement(sp, id, like, orig, rng);
        if (!r)
            return 0;
        apply_case(r, style);
        sw->first = w[0];
        sw->last = w[len - 1];
        sw->text = r;
        st->multi_swaps++;
        return 1;
    }
    return 0;
}

/* Try the single word token i. */
static int try_word(spinner *sp, const doc *d, size_t i, uint64_t *rng, stats *st, swap *sw)
{
    const unspin_token *t = &d->tok[i];
    if (t->kind != UNSPIN_TOKEN_WORD ||
        (t->flags & (UNSPIN_TOKF_ABBREV | UNSPIN_TOKF_REPLACED | UNSPIN_TOKF_APOSTROPHE)))
        return 0;
    enum style style;
    if (t->shape == UNSPIN_CASE_LOWER)
        style = ST_LOWER;
    else if (t->shape == UNSPIN_CASE_TITLE && d->first_word[t->sentence] == i)
        style = ST_FIRST_TITLE;
    else
        return 0; /* a name, an acronym, mixed case */
    const char *w = t->norm;
    if (t->norm_len < 2 || t->norm_len >= US_LEMMA_MAX || is_stop(w))
        return 0;
    if (style == ST_FIRST_TITLE && us_morph_is_proper(sp->morph, w))
        return 0;
    us_analysis an[8];
    size_t na = 0;
    if (us_morph_analyze(sp->morph, w, an, 8, &na, NULL) != UNSPIN_OK)
        return 0;
    for (size_t a = 0; a < na; a++) {
        if (an[a].infl == US_INFL_POSSESSIVE)
            continue;
        uint32_t id = us_thesaurus_lookup(sp->th, an[a].lemma, strlen(an[a].lemma));
        if (id == US_TERM_NONE || entry_weight(sp, id) <= 0)
            continue;
        st->draws++;
        uint64_t own;
        if (!draw_swap(sp, id, &rng, &own))
            return 0;
        char *r = replacement(sp, id, an[a].infl == US_INFL_BASE ? NULL : w, w, rng);
        if (!r)
            return 0;
        apply_case(r, style);
        sw->first = sw->last = i;
        sw->text = r;
        return 1;
    }
    return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        if (f)
            fclose(f);
        fprintf(stderr, "spinsim: %s: cannot write\n", path);
        return -1;
    }
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "spinsim: %s: cannot read\n", path);
        return NULL;
    }
    buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "spinsim: %s: read error\n", path);
        free(b.p);
        return NULL;
    }
    if (!b.p)
        buf_add(&b, "", 0);
    *len = b.n;
    return b.p;
}

static int spin_file(spinner *sp, const char *in, const char *out, const char *swaps,
                     stats *st)
{
    size_t len;
    char *data = read_all(in, &len);
    if (!data)
        return -1;
    unspin_text *text;
    unspin_error err;
    if (unspin_text_new(data, len, 0, &text, &err) != UNSPIN_OK) {
        fprintf(stderr, "spinsim: %s: %s\n", in, err.message);
        free(data);
        return -1;
    }
    doc d = {.data = data, .tok = unspin_text_tokens(text), .ntok = unspin_text_token_count(text)};
    size_t nsent = unspin_text_sentence_count(text);
    d.first_word = malloc((nsent + 1) * sizeof *d.first_word);
    if (!d.first_word)
        die_nomem();
    for (size_t s = 0; s < nsent; s++)
        d.first_word[s] = SIZE_MAX;
    for (size_t i = 0; i < d.ntok; i++) {
        const unspin_token *t = &d.tok[i];
        if ((t->kind == UNSPIN_TOKEN_WORD || t->kind == UNSPIN_TOKEN_NUMBER) &&
            t->sentence < nsent && d.first_word[t->sentence] == SIZE_MAX)
            d.first_word[t->sentence] = i;
    }
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    uint64_t rng = sp->seed ^ fnv1a(base);
    /* (derived apart from rng, so that the default mode's stream is the
     * same with or without --consistent's existence) */
    sp->doc_seed = (rng ^ 0xD1B54A32D192ED03ull) * 0x9E3779B97F4A7C15ull;
    rng_next(&rng);

    buf o = {0}, tsv = {0};
    buf_str(&tsv, "# start\tend\tspun\toriginal\n");
    size_t pos = 0; /* input bytes copied so far */
    st->docs++;
    for (size_t i = 0; i < d.ntok; i++) {
        const unspin_token *t = &d.tok[i];
        if (t->kind == UNSPIN_TOKEN_WORD || t->kind == UNSPIN_TOKEN_NUMBER)
            st->words++;
        if (t->kind != UNSPIN_TOKEN_WORD)
            continue;
        swap sw;
        if (!try_term(sp, &d, i, &rng, st, &sw) && !try_word(sp, &d, i, &rng, st, &sw))
            continue;
        size_t s = d.tok[sw.first].start, e = d.tok[sw.last].end;
        buf_add(&o, data + pos, s - pos);
        size_t os = o.n;
        buf_str(&o, sw.text);
        char line[1200];
        snprintf(line, sizeof line, "%zu\t%zu\t%s\t%.*s\n", os, o.n, sw.text, (int)(e - s),
                 data + s);
        buf_str(&tsv, line);
        st->swaps++;
        if (has_space(sw.text))
            st->multi_out++;
        /* Words inside a multi-word swap are counted, not tried again. */
        for (size_t k = i + 1; k <= sw.last; k++)
            if (d.tok[k].kind == UNSPIN_TOKEN_WORD || d.tok[k].kind == UNSPIN_TOKEN_NUMBER)
                st->words++;
        pos = e;
        i = sw.last;
        free(sw.text);
    }
    buf_add(&o, data + pos, len - pos);
    int rc = 0;
    if (write_file(out, o.p, o.n) || write_file(swaps, tsv.p, tsv.n))
        rc = -1;
    free(o.p);
    free(tsv.p);
    free(d.first_word);
    unspin_text_free(text);
    free(data);
    return rc;
}

static const char USAGE[] =
    "usage: spinsim [--rate R] [--seed N] [--consistent] [--mythes PATH] IN OUT SWAPS.tsv [...]\n";

int main(int argc, char **argv)
{
    spinner sp = {.rate = 0.25, .seed = 1};
    const char *mythes = DEFAULT_MYTHES;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            return 0;
        }
        if (!strcmp(a, "--consistent")) {
            sp.consistent = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "spinsim: %s needs a value\n%s", a, USAGE);
            return 2;
        }
        const char *v = argv[++i];
        char *end;
        if (!strcmp(a, "--rate")) {
            sp.rate = strtod(v, &end);
            if (*end || !(sp.rate >= 0 && sp.rate <= 1)) {
                fprintf(stderr, "spinsim: --rate wants a number in [0, 1], not '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--seed")) {
            sp.seed = strtoull(v, &end, 10);
            if (*end || !*v) {
                fprintf(stderr, "spinsim: --seed wants an integer, not '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--mythes"))
            mythes = v;
        else {
            fprintf(stderr, "spinsim: unknown option '%s'\n%s", a, USAGE);
            return 2;
        }
    }
    if (argc - i < 3 || (argc - i) % 3 != 0) {
        fputs(USAGE, stderr);
        return 2;
    }
    unspin_error err;
    sp.th = us_thesaurus_new();
    if (!sp.th)
        die_nomem();
    if (us_thesaurus_add_mythes(sp.th, mythes, &err) != UNSPIN_OK) {
        fprintf(stderr, "spinsim: %s\n", err.message);
        us_thesaurus_free(sp.th);
        return 2;
    }
    us_thesaurus_dedup(sp.th);
    if (load_names(&sp, mythes) != 0) {
        us_thesaurus_free(sp.th);
        return 2;
    }
    if (unspin_morph_new(NULL, &sp.morph, &err) != UNSPIN_OK) {
        fprintf(stderr, "spinsim: %s\n", err.message);
        us_thesaurus_free(sp.th);
        us_thesaurus_free(sp.capitals);
        us_thesaurus_free(sp.lowers);
        return 2;
    }
    stats st = {0};
    int rc = 0;
    for (; i + 2 < argc; i += 3)
        if (spin_file(&sp, argv[i], argv[i + 1], argv[i + 2], &st) != 0)
            rc = 2;
    fprintf(stderr,
            "spinsim: rate %.2f seed %llu: %zu documents, %zu words, %zu draws, %zu swaps "
            "(%.1f%% of words; %zu of multi-word terms, %zu written as several words)\n",
            sp.rate, (unsigned long long)sp.seed, st.docs, st.words, st.draws, st.swaps,
            st.words ? 100.0 * (double)st.swaps / (double)st.words : 0.0, st.multi_swaps,
            st.multi_out);
    unspin_morph_free(sp.morph);
    us_thesaurus_free(sp.th);
    us_thesaurus_free(sp.capitals);
    us_thesaurus_free(sp.lowers);
    return rc;
}
