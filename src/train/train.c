/*
 * The trainer: counts the substitutions a spinner made, from the Problematic
 * Paper Screener's tortured-phrase list and from aligned originals and
 * rewrites, and writes the learned table `unspin model build` reads
 * ("spun<TAB>original<TAB>count<TAB>probability").
 *
 * Each phrase pair counts once as a whole, and, when both sides have the
 * same number of words (more than one), once more for each word that
 * differs ("irregular woodland" for "random forest" also teaches
 * irregular -> random and woodland -> forest), so that what is learned
 * carries over to phrases that share words; a pair of unequal lengths
 * sharing words at its ends counts once more for the part that differs
 * ("deep gaining knowledge" for "deep learning": gaining knowledge ->
 * learning); and a hyphenated compound with one part changed counts once
 * more for that part ("pre-educated" for "pre-trained": educated ->
 * trained).  Phrases are normalized
 * (unspin_normalize: NFC, quotes folded, lower case) with runs of spaces
 * made one; words keep their surface forms (no lemmas).
 *
 * The probability of a spun form s given an original o is smoothed toward
 * a uniform prior over the forms seen for o:
 *
 *     P(s | o) = (count(o -> s) + alpha * prior(o)) / (count(o) + alpha)
 *     prior(o) = 1 / (distinct spun forms seen for o + 1),   alpha = 1
 *
 * where count(o) sums count(o -> s) over s; the table carries that, or,
 * when larger, count(o -> s) / (count(s) + alpha), count(s) summed over
 * the originals seen for s: a form seen only for one original points back
 * to it however many forms that original has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../util/common.h"

/* Longest phrase kept, in bytes and in words (the detector's originals are
 * at most 4 words). */
#define TRAIN_MAX_BYTES 200
#define TRAIN_MAX_WORDS 4

typedef struct entry {
    char *key;          /* "original\tspun", NUL-terminated */
    size_t orig_len;    /* bytes of the original (before the tab) */
    double count;
} entry;

struct unspin_trainer {
    entry *e;
    size_t n, cap;
    size_t *slot;       /* open addressing: index + 1, 0 = empty */
    size_t nslot;
    size_t phrases;     /* phrase pairs added */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int unspin_trainer_new(unspin_trainer **out, unspin_error *err)
{
    unspin_trainer *t = calloc(1, sizeof *t);
    if (t) {
        t->nslot = 1024;
        t->slot = calloc(t->nslot, sizeof *t->slot);
    }
    if (!t || !t->slot) {
        free(t);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    *out = t;
    return UNSPIN_OK;
}

void unspin_trainer_free(unspin_trainer *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->e[i].key);
    free(t->e);
    free(t->slot);
    free(t);
}

static size_t *find_slot(const unspin_trainer *t, const char *key)
{
    size_t i = (size_t)hash_str(key) & (t->nslot - 1);
    while (t->slot[i] && strcmp(t->e[t->slot[i] - 1].key, key) != 0)
        i = (i + 1) & (t->nslot - 1);
    return &t->slot[i];
}

static int rehash(unspin_trainer *t)
{
    size_t *old = t->slot, nold = t->nslot;
    t->nslot *= 2;
    if (!(t->slot = calloc(t->nslot, sizeof *t->slot))) {
        t->slot = old;
        t->nslot = nold;
        return -1;
    }
    for (size_t i = 0; i < t->n; i++)
        *find_slot(t, t->e[i].key) = i + 1;
    free(old);
    return 0;
}

/* Adds weight to (orig -> spun); both already normalized. */
static int bump(unspin_trainer *t, const char *orig, size_t olen, const char *spun,
                size_t slen, double weight)
{
    char *key = malloc(olen + slen + 2);
    if (!key)
        return -1;
    memcpy(key, orig, olen);
    key[olen] = '\t';
    memcpy(key + olen + 1, spun, slen);
    key[olen + slen + 1] = '\0';
    size_t *s = find_slot(t, key);
    if (*s) {
        t->e[*s - 1].count += weight;
        free(key);
        return 0;
    }
    if (us_grow((void **)&t->e, &t->cap, t->n + 1, sizeof *t->e)) {
        free(key);
        return -1;
    }
    t->e[t->n] = (entry){key, olen, weight};
    *s = ++t->n;
    if (t->n * 2 > t->nslot && rehash(t))
        return -1;
    return 0;
}

/* Normalizes a phrase: unspin_normalize, spaces collapsed and trimmed.
 * Returns a malloc'd string, or NULL (err filled). */
static char *norm_phrase(const char *s, size_t len, size_t *out_len, size_t *words,
                         unspin_error *err)
{
    size_t n;
    char *p = unspin_normalize(s, len, &n, err);
    if (!p)
        return NULL;
    size_t j = 0, w = 0;
    int space = 1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && j)
            p[j++] = ' ';
        if (space)
            w++;
        space = 0;
        p[j++] = c;
    }
    p[j] = '\0';
    *out_len = j;
    *words = w;
    return p;
}

/* The next word of a normalized phrase at *pos: start in *start, length
 * returned (0 at the end). */
static size_t next_word(const char *s, size_t len, size_t *pos, size_t *start)
{
    while (*pos < len && s[*pos] == ' ')
        (*pos)++;
    *start = *pos;
    while (*pos < len && s[*pos] != ' ')
        (*pos)++;
    return *pos - *start;
}

/* The part a spinner swapped in a hyphenated compound: when spun word s
 * and original word o have as many hyphen-separated parts (two or more)
 * and only one differs ("pre-educated" for "pre-trained"), that part is
 * counted too (educated -> trained), so that what is learned carries over
 * to other compounds and to the part as a word (the detector swaps
 * compounds part by part, src/detect/candidates.c). */
static int add_part(unspin_trainer *t, const char *s, size_t sl, const char *o, size_t ol,
                    double weight)
{
    size_t sp = 0, op = 0, diff = 0;
    size_t s0 = 0, s1 = 0, o0 = 0, o1 = 0; /* the part that differs */
    if (!memchr(s, '-', sl) || !memchr(o, '-', ol))
        return 0;
    for (;;) {
        size_t se = sp, oe = op;
        while (se < sl && s[se] != '-')
            se++;
        while (oe < ol && o[oe] != '-')
            oe++;
        if (se == sp || oe == op)
            return 0; /* an empty part: no compound */
        if (se - sp != oe - op || memcmp(s + sp, o + op, se - sp)) {
            if (diff++)
                return 0;
            s0 = sp, s1 = se;
            o0 = op, o1 = oe;
        }
        if ((se == sl) != (oe == ol))
            return 0; /* more parts on one side */
        if (se == sl)
            break;
        sp = se + 1;
        op = oe + 1;
    }
    return diff ? bump(t, o + o0, o1 - o0, s + s0, s1 - s0, weight) : 0;
}

/* Each differing word of a pair with as many words on both sides, and
 * the part that differs of a compound among them (add_part). */
static int add_words(unspin_trainer *t, const char *s, size_t sn, const char *o, size_t on,
                     double weight)
{
    size_t sp = 0, op = 0, ss, os, sl, ol;
    while ((sl = next_word(s, sn, &sp, &ss)) && (ol = next_word(o, on, &op, &os))) {
        if (sl == ol && !memcmp(s + ss, o + os, sl))
            continue;
        if ((sn > sl && bump(t, o + os, ol, s + ss, sl, weight)) ||
            add_part(t, s + ss, sl, o + os, ol, weight))
            return -1;
    }
    return 0;
}

/* Byte offsets of the words of a normalized phrase (at most
 * TRAIN_MAX_WORDS): start[k], end[k]. */
static size_t word_bounds(const char *p, size_t n, size_t *start, size_t *end)
{
    size_t pos = 0, k = 0, st, len;
    while (k < TRAIN_MAX_WORDS && (len = next_word(p, n, &pos, &st))) {
        start[k] = st;
        end[k++] = st + len;
    }
    return k;
}

static int same_word(const char *a, size_t a0, size_t a1, const char *b, size_t b0, size_t b1)
{
    return a1 - a0 == b1 - b0 && !memcmp(a + a0, b + b0, a1 - a0);
}

/* A pair of unequal lengths that shares words at its ends ("deep gaining
 * knowledge" for "deep learning") also teaches the part that differs
 * ("gaining knowledge" <- learning), which recurs with other neighbours. */
static int add_core(unspin_trainer *t, const char *s, size_t sn, size_t sw, const char *o,
                    size_t on, size_t ow, double weight)
{
    size_t s0[TRAIN_MAX_WORDS], s1[TRAIN_MAX_WORDS], o0[TRAIN_MAX_WORDS], o1[TRAIN_MAX_WORDS];
    if (word_bounds(s, sn, s0, s1) != sw || word_bounds(o, on, o0, o1) != ow)
        return 0;
    size_t head = 0, tail = 0, min = sw < ow ? sw : ow;
    while (head < min && same_word(s, s0[head], s1[head], o, o0[head], o1[head]))
        head++;
    while (head + tail < min &&
           same_word(s, s0[sw - 1 - tail], s1[sw - 1 - tail], o, o0[ow - 1 - tail],
                     o1[ow - 1 - tail]))
        tail++;
    if (head + tail == 0 || head + tail == min)
        return 0; /* nothing shared, or one side inside the other */
    return bump(t, o + o0[head], o1[ow - 1 - tail] - o0[head], s + s0[head],
                s1[sw - 1 - tail] - s0[head], weight);
}

int unspin_trainer_add_phrase(unspin_trainer *t, const char *spun, size_t slen,
                              const char *orig, size_t olen, double weight,
                              unspin_error *err)
{
    if (!t || !spun || !orig || !(weight > 0))
        return us_fail(err, UNSPIN_EINVAL, "trainer: bad argument");
    size_t sn, on, sw, ow;
    char *s = norm_phrase(spun, slen, &sn, &sw, err);
    if (!s)
        return err ? err->code : UNSPIN_EINVAL;
    char *o = norm_phrase(orig, olen, &on, &ow, err);
    if (!o) {
        free(s);
        return err ? err->code : UNSPIN_EINVAL;
    }
    int rc = UNSPIN_OK;
    /* Empty, unchanged, too long, or holding a tab: not a substitution. */
    if (!sn || !on || (sn == on && !memcmp(s, o, sn)) || sn > TRAIN_MAX_BYTES ||
        on > TRAIN_MAX_BYTES || sw > TRAIN_MAX_WORDS || ow > TRAIN_MAX_WORDS)
        goto done;
    if (bump(t, o, on, s, sn, weight)) {
        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
        goto done;
    }
    t->phrases++;
    if ((sw == ow && add_words(t, s, sn, o, on, weight)) ||
        (sw != ow && add_core(t, s, sn, sw, o, on, ow, weight)))
        rc = us_fail(err, UNSPIN_ENOMEM, "out of memory");
done:
    free(s);
    free(o);
    return rc;
}

/* Splits line at tabs into up to max fields; returns the number. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            if (n == max)
                return max + 1;
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

int unspin_trainer_add_pps(unspin_trainer *t, const char *path, unsigned flags,
                           unspin_error *err)
{
    if (!t || !path)
        return us_fail(err, UNSPIN_EINVAL, "trainer: bad argument");
    FILE *f = fopen(path, "r");
    if (!f)
        return us_fail(err, UNSPIN_EIO, "%s: %s", path, strerror(errno));
    char line[4096];
    size_t lineno = 0;
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
        char *fld[3];
        size_t nf = split_tabs(line, fld, 3);
        if (nf != 3) {
            rc = us_fail(err, UNSPIN_EDICT,
                         "%s:%zu: expected 3 tab-separated fields (tortured, expected, "
                         "num_papers)", path, lineno);
            break;
        }
        if (lineno == 1 && !strcmp(fld[0], "tortured"))
            continue; /* the header */
        char *end;
        errno = 0;
        unsigned long long papers = strtoull(fld[2], &end, 10);
        if (errno || end == fld[2] || *end || fld[2][0] == '-') {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: num_papers '%s' is not a number", path,
                         lineno, fld[2]);
            break;
        }
        if (!fld[0][0] || !fld[1][0]) {
            rc = us_fail(err, UNSPIN_EDICT, "%s:%zu: empty phrase", path, lineno);
            break;
        }
        double w = (flags & UNSPIN_TRAIN_WEIGHT_PAPERS) ? (double)(papers ? papers : 1) : 1.0;
        if (unspin_utf8_check(fld[0], strlen(fld[0]), NULL) ||
            unspin_utf8_check(fld[1], strlen(fld[1]), NULL)) {
            rc = us_fail(err, UNSPIN_EUTF8, "%s:%zu: invalid UTF-8", path, lineno);
            break;
        }
        unspin_error e2;
        if (unspin_trainer_add_phrase(t, fld[0], strlen(fld[0]), fld[1], strlen(fld[1]), w,
                                      &e2) != UNSPIN_OK)
            rc = us_fail(err, e2.code, "%s:%zu: %s", path, lineno, e2.message);
    }
    if (rc == UNSPIN_OK && ferror(f))
        rc = us_fail(err, UNSPIN_EIO, "%s: read error", path);
    fclose(f);
    return rc;
}

int unspin_trainer_add_pair(unspin_trainer *t, const char *orig, size_t olen,
                            const char *rewrite, size_t rlen, unspin_error *err)
{
    if (!t)
        return us_fail(err, UNSPIN_EINVAL, "trainer: bad argument");
    unspin_alignment *a = NULL;
    int rc = unspin_align(orig, olen, rewrite, rlen, NULL, &a, err);
    if (rc != UNSPIN_OK)
        return rc;
    const unspin_align_subst *s = unspin_alignment_substs(a);
    for (size_t i = 0; i < unspin_alignment_subst_count(a) && rc == UNSPIN_OK; i++) {
        if (!s[i].orig_words || !s[i].rewrite_words)
            continue;
        rc = unspin_trainer_add_phrase(t, s[i].rewrite, strlen(s[i].rewrite), s[i].orig,
                                       strlen(s[i].orig), 1.0, err);
    }
    unspin_alignment_free(a);
    return rc;
}

/* ---------------------------------------------------------------- */
/* --base: the counts of a model's learned table */

/* Adds one "spun<TAB>original<TAB>count<TAB>probability" line of a learned
 * table as it stands: its phrases are normalized already, and its word
 * entries were counted when it was written, so nothing is split again. */
static int add_table_line(unspin_trainer *t, char *line, const char *name, size_t lineno,
                          unspin_error *err)
{
    char *f[4];
    char *end;
    if (split_tabs(line, f, 4) != 4)
        return us_fail(err, UNSPIN_EDICT, "%s: learned table line %zu: expected 4 fields",
                       name, lineno);
    errno = 0;
    double count = strtod(f[2], &end);
    if (errno || end == f[2] || *end || !(count > 0) || !f[0][0] || !f[1][0])
        return us_fail(err, UNSPIN_EDICT, "%s: learned table line %zu: bad entry", name,
                       lineno);
    if (bump(t, f[1], strlen(f[1]), f[0], strlen(f[0]), count))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    return UNSPIN_OK;
}

int unspin_trainer_add_model(unspin_trainer *t, const unspin_model *m, unspin_error *err)
{
    if (!t || !m)
        return us_fail(err, UNSPIN_EINVAL, "trainer: bad argument");
    const us_model_section *sec = us_model_file_find(&m->file, "learned");
    if (!sec)
        return us_fail(err, UNSPIN_EMODEL,
                       "%s: the model holds no learned table (built before unspin kept it; "
                       "rebuild it)", m->file.path);
    /* A copy: the section is read-only and the lines are cut in place. */
    char *text = us_strndup((const char *)sec->data, (size_t)sec->size);
    if (!text)
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    int rc = UNSPIN_OK;
    size_t lineno = 0;
    for (char *line = text, *next; rc == UNSPIN_OK && line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (*line && *line != '#')
            rc = add_table_line(t, line, m->file.path, lineno, err);
    }
    free(text);
    return rc;
}

size_t unspin_trainer_phrase_count(const unspin_trainer *t)
{
    return t ? t->phrases : 0;
}

size_t unspin_trainer_entry_count(const unspin_trainer *t)
{
    return t ? t->n : 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

/* Totals for the original of e[i]: its count and distinct spun forms. */
static void orig_totals(const unspin_trainer *t, const entry *x, double *total, size_t *kinds)
{
    *total = 0;
    *kinds = 0;
    for (size_t i = 0; i < t->n; i++) {
        const entry *y = &t->e[i];
        if (y->orig_len == x->orig_len && !memcmp(y->key, x->key, x->orig_len)) {
            *total += y->count;
            (*kinds)++;
        }
    }
}

static double smoothed(double c, double total, size_t kinds)
{
    const double alpha = UNSPIN_TRAIN_ALPHA;
    double prior = 1.0 / ((double)kinds + 1.0);
    return (c + alpha * prior) / (total + alpha);
}

static int cmp_spun(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    return strcmp(x->key + x->orig_len + 1, y->key + y->orig_len + 1);
}

/* The probability written for entry e: the smoothed P(s | o), or, when
 * larger, how surely the spun form points back to this original,
 *     count(o -> s) / (count(s) + alpha),
 * count(s) summed over the originals seen for s.  A common original of a
 * tortured-phrase list ("hidden": concealed, covered, secret, shrouded,
 * ...) has many forms, each of them rare; a form seen only for it is still
 * a sure sign of it.  spun_total is count(s). */
static double table_prob(double c, double total, size_t kinds, double spun_total)
{
    double fwd = smoothed(c, total, kinds), back = c / (spun_total + UNSPIN_TRAIN_ALPHA);
    return back > fwd ? back : fwd;
}

double unspin_trainer_lookup(const unspin_trainer *t, const char *spun, const char *orig,
                             double *prob)
{
    if (prob)
        *prob = 0;
    if (!t || !spun || !orig)
        return 0;
    size_t ol = strlen(orig), sl = strlen(spun);
    char *key = malloc(ol + sl + 2);
    if (!key)
        return 0;
    snprintf(key, ol + sl + 2, "%s\t%s", orig, spun);
    size_t *s = find_slot(t, key);
    free(key);
    if (!*s)
        return 0;
    const entry *x = &t->e[*s - 1];
    if (prob) {
        double total, spun_total = 0;
        size_t kinds;
        orig_totals(t, x, &total, &kinds);
        for (size_t i = 0; i < t->n; i++)
            if (!strcmp(t->e[i].key + t->e[i].orig_len + 1, spun))
                spun_total += t->e[i].count;
        *prob = table_prob(x->count, total, kinds, spun_total);
    }
    return x->count;
}

int unspin_trainer_write_table(const unspin_trainer *t, const char *path, unspin_error *err)
{
    if (!t || !path)
        return us_fail(err, UNSPIN_EINVAL, "trainer: bad argument");
    entry *e = NULL;
    if (t->n && !(e = malloc(t->n * sizeof *e)))
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    if (t->n)
        memcpy(e, t->e, t->n * sizeof *e);
    qsort(e, t->n, sizeof *e, cmp_entry);
    /* count(s) per entry, through the entries sorted by spun form */
    const entry **by_spun = t->n ? malloc(t->n * sizeof *by_spun) : NULL;
    double *spun_total = t->n ? malloc(t->n * sizeof *spun_total) : NULL;
    if (t->n && (!by_spun || !spun_total)) {
        free(by_spun);
        free(spun_total);
        free(e);
        return us_fail(err, UNSPIN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->n; i++)
        by_spun[i] = &e[i];
    if (t->n)
        qsort(by_spun, t->n, sizeof *by_spun, cmp_spun);
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        double total = 0;
        while (j < t->n && !cmp_spun(&by_spun[i], &by_spun[j]))
            total += by_spun[j++]->count;
        for (size_t k = i; k < j; k++)
            spun_total[by_spun[k] - e] = total;
        i = j;
    }
    free(by_spun);
    FILE *f = fopen(path, "w");
    if (!f) {
        free(e);
        free(spun_total);
        return us_fail(err, UNSPIN_EIO, "%s: %s", path, strerror(errno));
    }
    fprintf(f, "# Learned spinner substitutions, written by `unspin train`.\n"
               "# Columns (tab-separated): spun phrase, original phrase, count, probability\n"
               "#   probability: (count + alpha * prior) / (count of the original + alpha),\n"
               "#   prior = 1 / (distinct spun forms of the original + 1), alpha = %g,\n"
               "#   or count / (count of the spun phrase + alpha) when larger\n",
            (double)UNSPIN_TRAIN_ALPHA);
    /* Sorted by key, an original's entries are adjacent: total them. */
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        double total = 0;
        while (j < t->n && e[j].orig_len == e[i].orig_len &&
               !memcmp(e[j].key, e[i].key, e[i].orig_len) && e[j].key[e[i].orig_len] == '\t') {
            total += e[j].count;
            j++;
        }
        for (size_t k = i; k < j; k++) {
            const char *orig = e[k].key, *spun = e[k].key + e[k].orig_len + 1;
            fprintf(f, "%s\t%.*s\t%.15g\t%.6f\n", spun, (int)e[k].orig_len, orig, e[k].count,
                    table_prob(e[k].count, total, j - i, spun_total[k]));
        }
        i = j;
    }
    free(e);
    free(spun_total);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return us_fail(err, UNSPIN_EIO, "%s: write error", path);
    return UNSPIN_OK;
}
