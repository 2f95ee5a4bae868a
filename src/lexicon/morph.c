/*
 * morph.c - lemmas and inflection of English words (unspin_morph_*).
 *
 * Two sources of data:
 *
 *  - Hunspell with Debian's en_US dictionary knows the regular morphology:
 *    Hunspell_stem("assaults") gives assault, Hunspell_analyze gives
 *    " st:assault fl:S".  Hunspell_generate gives nothing with these files
 *    (their affix rules carry no morphological tags), so inflection is
 *    generate-and-test: spell the candidate forms by the English rules
 *    (regular_forms) and keep those Hunspell knows as forms of the lemma.
 *  - WordNet 3.0's exception lists (noun.exc, verb.exc, adj.exc, adv.exc,
 *    lines "form lemma [lemma...]") give the irregular forms, looked up in
 *    both directions: mice -> mouse for lemmas, mouse -> mice for inflection.
 *
 * Inflection classes are us_infl (analyze.h) and follow en_US.aff's suffix
 * flags: S (plural or third person -s), D (past, -ed), G (-ing), R (-er),
 * T (-est) and M ('s).  US_INFL_PAST and US_INFL_PARTICIPLE differ only for
 * irregular verbs (went, gone); regular verbs share one -ed form.
 * US_INFL_COUNT also means "no class" where a function returns one.
 *
 * Debian's en_US lists irregular and consonant-doubling forms as entries of
 * their own ("ran st:ran", "stopped st:stopped", no flag), so the class of a
 * `like` word also comes from the exception lists and from matching it
 * against the regular forms of its lemmas.
 *
 * Multi-word terms ("grind to a halt", "news conference") are inflected on
 * one head word: the first word when it is a verb and the class is a verb
 * form, the last word otherwise (see head_is_first).
 */
#include "analyze.h"

#include "../util/common.h"

#include <errno.h>
#include <hunspell/hunspell.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_AFF "/usr/share/hunspell/en_US.aff"
#define DEFAULT_DIC "/usr/share/hunspell/en_US.dic"
#define DEFAULT_WORDNET "/usr/share/wordnet"

/* The exception lists are about 100 KB together; the bound only stops a
 * wrong path from reading something huge. */
#define EXC_MAX_BYTES ((size_t)64 << 20)

typedef enum exc_pos { EXC_NOUN = 0, EXC_VERB, EXC_ADJ, EXC_ADV, EXC_POS_COUNT } exc_pos;

/* Loaded in this order: lemmas() lists noun readings first. */
static const char *const EXC_FILES[EXC_POS_COUNT] = {"noun.exc", "verb.exc",
                                                     "adj.exc", "adv.exc"};

/* One (form, lemma) pair of an exception list. */
typedef struct exc_entry {
    const char *form, *lemma; /* NUL-terminated, inside exc_text */
    uint32_t next_form;       /* next entry with the same form: index + 1, 0 ends */
    uint32_t next_lemma;      /* next entry with the same lemma, likewise */
    unsigned char pos;        /* exc_pos */
    unsigned char cls;        /* us_infl */
} exc_entry;

struct unspin_morph {
    Hunhandle *hun;
    char *exc_text[EXC_POS_COUNT]; /* the files, tokenized in place */
    exc_entry *ent;
    size_t n_ent, cap_ent;
    /* Open-addressing hash tables with linear probing.  A slot holds the
     * index + 1 of the first entry of a chain (0 = empty); the chain links
     * all entries with that form (by_form) or lemma (by_lemma). */
    uint32_t *by_form, *by_lemma;
    size_t mask; /* table size - 1; the size is a power of two */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/* A growable list of lower-case strings without duplicates. */
typedef struct words {
    char **v;
    size_t n, cap;
} words;

static bool is_blank(char c) { return c && strchr(" \t\r\n\v\f", c) != NULL; }
static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool words_has(const words *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->v[i], s) == 0)
            return true;
    return false;
}

/* Adds a lower-cased copy of s unless present; UNSPIN_OK or ENOMEM. */
static int words_add(words *w, const char *s)
{
    size_t len = strlen(s);
    char *copy = us_strndup(s, len);
    if (!copy)
        return UNSPIN_ENOMEM;
    for (size_t i = 0; i < len; i++)
        copy[i] = ascii_lower(copy[i]);
    if (words_has(w, copy)) {
        free(copy);
        return UNSPIN_OK;
    }
    void *v = w->v;
    if (us_grow(&v, &w->cap, w->n + 1, sizeof *w->v) != 0) {
        free(copy);
        return UNSPIN_ENOMEM;
    }
    w->v = v;
    w->v[w->n++] = copy;
    return UNSPIN_OK;
}

static int words_merge(words *into, const words *from)
{
    int rc = UNSPIN_OK;
    for (size_t i = 0; i < from->n && rc == UNSPIN_OK; i++)
        rc = words_add(into, from->v[i]);
    return rc;
}

static void words_free(words *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    *w = (words){0};
}

/* A malloc'd copy for look-ups, or NULL on ENOMEM: ASCII letters lower-
 * cased (other bytes kept), ASCII blanks trimmed and each run of them made
 * one space ("grind  to a halt " -> "grind to a halt"). */
static char *lookup_dup(const char *s)
{
    char *c = malloc(strlen(s) + 1), *o = c;
    if (!c)
        return NULL;
    for (; *s; s++) {
        if (!is_blank(*s))
            *o++ = ascii_lower(*s);
        else if (o > c && s[1] && !is_blank(s[1]))
            *o++ = ' '; /* the last blank of a run inside the text */
    }
    *o = '\0';
    return c;
}

static bool is_vowel(char c) { return c && strchr("aeiou", c) != NULL; }
static bool is_lower_letter(char c) { return c >= 'a' && c <= 'z'; }

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The set of classes a `like` word can have, in order of preference. */
typedef struct classes {
    us_infl v[US_INFL_COUNT];
    size_t n;
} classes;

static void classes_add(classes *c, us_infl k)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i] == k)
            return;
    c->v[c->n++] = k;
}

static bool is_verb_class(us_infl k)
{
    return k == US_INFL_PAST || k == US_INFL_PARTICIPLE || k == US_INFL_GERUND;
}

/* ------------------------------------------------------------------ */
/* Regular forms: the English spelling rules                          */
/* ------------------------------------------------------------------ */

/* When a spelling rule applies to a word. */
typedef enum cond {
    C_ANY,      /* always */
    C_CONS_Y,   /* consonant + y: study -> studies */
    C_E,        /* ends in e: bake -> baked */
    C_DROP_E,   /* e that an -ing drops: make -> making (not see, toe, dye, die) */
    C_IE,       /* ie: die -> dying */
    C_SIBILANT, /* s x z ch sh o: box -> boxes, hero -> heroes */
    C_C,        /* c: panic -> panicked */
    C_MAN,      /* -man: woman -> women */
    C_DOUBLE    /* consonant-vowel-consonant: stop -> stopped, big -> bigger */
} cond;

/* Replace the last `drop` bytes by `suffix`; a leading '*' in the suffix
 * repeats the last letter first (stop -> stopped). */
typedef struct rule {
    us_infl cls;
    cond when;
    unsigned char drop;
    const char *suffix;
} rule;

/* Per class, the most regular spelling first.  Hunspell picks among them. */
static const rule RULES[] = {
    {US_INFL_PLURAL, C_CONS_Y, 1, "ies"},
    {US_INFL_PLURAL, C_SIBILANT, 0, "es"},
    {US_INFL_PLURAL, C_ANY, 0, "s"},
    {US_INFL_PLURAL, C_MAN, 2, "en"},
    {US_INFL_PAST, C_E, 0, "d"},
    {US_INFL_PAST, C_CONS_Y, 1, "ied"},
    {US_INFL_PAST, C_C, 0, "ked"},
    {US_INFL_PAST, C_ANY, 0, "ed"},
    {US_INFL_PAST, C_DOUBLE, 0, "*ed"},
    {US_INFL_GERUND, C_IE, 2, "ying"},
    {US_INFL_GERUND, C_DROP_E, 1, "ing"},
    {US_INFL_GERUND, C_ANY, 0, "ing"},
    {US_INFL_GERUND, C_C, 0, "king"},
    {US_INFL_GERUND, C_DOUBLE, 0, "*ing"},
    {US_INFL_COMPARATIVE, C_E, 0, "r"},
    {US_INFL_COMPARATIVE, C_CONS_Y, 1, "ier"},
    {US_INFL_COMPARATIVE, C_ANY, 0, "er"},
    {US_INFL_COMPARATIVE, C_DOUBLE, 0, "*er"},
    {US_INFL_SUPERLATIVE, C_E, 0, "st"},
    {US_INFL_SUPERLATIVE, C_CONS_Y, 1, "iest"},
    {US_INFL_SUPERLATIVE, C_ANY, 0, "est"},
    {US_INFL_SUPERLATIVE, C_DOUBLE, 0, "*est"},
    {US_INFL_POSSESSIVE, C_ANY, 0, "'s"},
};

static bool cond_holds(cond when, const char *w, size_t n)
{
    char z = w[n - 1], y = n >= 2 ? w[n - 2] : '\0';
    switch (when) {
    case C_ANY: return true;
    case C_CONS_Y: return z == 'y' && is_lower_letter(y) && !is_vowel(y);
    case C_E: return z == 'e';
    case C_DROP_E: return z == 'e' && y && !strchr("eoyi", y);
    case C_IE: return y == 'i' && z == 'e';
    case C_SIBILANT:
        return strchr("sxzo", z) || (z == 'h' && (y == 'c' || y == 's'));
    case C_C: return z == 'c';
    case C_MAN: return ends_with(w, n, "man");
    case C_DOUBLE:
        return n >= 3 && is_lower_letter(z) && !is_vowel(z) && !strchr("wxy", z) &&
               is_vowel(y) && !is_vowel(w[n - 3]);
    }
    return false;
}

/* Adds the spelling of w by rule r to out. */
static int apply_rule(const rule *r, const char *w, size_t n, words *out)
{
    bool dbl = r->suffix[0] == '*';
    const char *suffix = r->suffix + dbl;
    size_t keep = n - r->drop, slen = strlen(suffix);
    char *buf = malloc(keep + dbl + slen + 1);
    if (!buf)
        return UNSPIN_ENOMEM;
    memcpy(buf, w, keep);
    if (dbl)
        buf[keep] = w[n - 1];
    memcpy(buf + keep + dbl, suffix, slen + 1);
    int rc = words_add(out, buf);
    free(buf);
    return rc;
}

/* Whether w is one syllable ending in consonant-vowel-consonant, which
 * doubles its last letter before a vowel: stop, big (not visit, open). */
static bool doubles_last(const char *w, size_t n)
{
    if (!cond_holds(C_DOUBLE, w, n))
        return false;
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        groups += is_vowel(w[i]) && (i == 0 || !is_vowel(w[i - 1]));
    return groups == 1;
}

/* The rule-made spellings of w in class k, most regular first.  Pure
 * spelling: some are not words ("stoped"); Hunspell sorts them out.  A
 * word that doubles its last letter gets no undoubled -ed, -ing, -er,
 * -est: en_US's car/DG and bit/G would make cared, caring and biting
 * forms of car and bit. */
static int regular_forms(const char *w, us_infl k, words *out)
{
    size_t n = strlen(w);
    if (k == US_INFL_PARTICIPLE)
        k = US_INFL_PAST;
    bool doubles = n > 0 && doubles_last(w, n);
    int rc = UNSPIN_OK;
    for (size_t i = 0; i < US_ARRAY_LEN(RULES) && rc == UNSPIN_OK; i++) {
        const rule *r = &RULES[i];
        if (r->cls != k || n <= r->drop || !cond_holds(r->when, w, n) ||
            (doubles && r->when == C_ANY && is_vowel(r->suffix[0])))
            continue;
        rc = apply_rule(r, w, n, out);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* WordNet exception lists                                             */
/* ------------------------------------------------------------------ */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of key's chain in table t, or the empty slot where it belongs.
 * Ends because the table is never more than half full. */
static size_t exc_slot(const unspin_morph *m, const uint32_t *t, const char *key,
                       bool by_form)
{
    for (size_t i = hash_str(key) & m->mask;; i = (i + 1) & m->mask) {
        if (!t[i])
            return i;
        const exc_entry *e = &m->ent[t[i] - 1];
        if (strcmp(by_form ? e->form : e->lemma, key) == 0)
            return i;
    }
}

/* The first entry whose form (by_form) or lemma is key, or NULL. */
static const exc_entry *exc_first(const unspin_morph *m, const char *key, bool by_form)
{
    const uint32_t *t = by_form ? m->by_form : m->by_lemma;
    uint32_t i = t[exc_slot(m, t, key, by_form)];
    return i ? &m->ent[i - 1] : NULL;
}

static const exc_entry *exc_next(const unspin_morph *m, const exc_entry *e, bool by_form)
{
    uint32_t i = by_form ? e->next_form : e->next_lemma;
    return i ? &m->ent[i - 1] : NULL;
}

/* The class of an irregular verb form, judged on its first word (verb.exc
 * also lists phrases: "took_pains").  The list does not say which form is
 * the past participle; the heuristic: -en, -wn, -rn, -ne and -ain endings
 * are participles (eaten, known, worn, gone, lain), as are u-for-a
 * alternations (sung beside sang: exc_mark_participles).  "am" and "are"
 * are present tense, "was" is the one past form that ends in -s. */
static us_infl verb_form_class(const char *form)
{
    size_t n = strcspn(form, " ");
    if ((n == 2 && memcmp(form, "am", 2) == 0) || (n == 3 && memcmp(form, "are", 3) == 0))
        return US_INFL_BASE;
    if (ends_with(form, n, "ing"))
        return US_INFL_GERUND;
    if (ends_with(form, n, "s") && !(n == 3 && memcmp(form, "was", 3) == 0))
        return US_INFL_PLURAL;
    static const char *const participle_endings[] = {"en", "wn", "rn", "ne", "ain"};
    for (size_t i = 0; i < US_ARRAY_LEN(participle_endings); i++)
        if (ends_with(form, n, participle_endings[i]))
            return US_INFL_PARTICIPLE;
    return US_INFL_PAST;
}

static us_infl exc_class(const char *form, const char *lemma, exc_pos pos)
{
    switch (pos) {
    case EXC_NOUN: /* one odd line, "crying cry", is a verb form */
        return ends_with(form, strlen(form), "ing") && !ends_with(lemma, strlen(lemma), "ing")
                   ? US_INFL_GERUND
                   : US_INFL_PLURAL;
    case EXC_VERB: return verb_form_class(form);
    default: return ends_with(form, strlen(form), "st") ? US_INFL_SUPERLATIVE : US_INFL_COMPARATIVE;
    }
}

static int exc_add(unspin_morph *m, const char *form, const char *lemma, exc_pos pos)
{
    void *p = m->ent;
    /* Indexes are stored + 1 in uint32_t. */
    if (m->n_ent >= UINT32_MAX - 1 || us_grow(&p, &m->cap_ent, m->n_ent + 1, sizeof *m->ent))
        return UNSPIN_ENOMEM;
    m->ent = p;
    m->ent[m->n_ent++] = (exc_entry){.form = form, .lemma = lemma, .pos = (unsigned char)pos,
                                     .cls = (unsigned char)exc_class(form, lemma, pos)};
    return UNSPIN_OK;
}

/* WordNet joins the words of a term with underscores: grind_to_a_halt. */
static void underscores_to_spaces(char *s)
{
    for (; *s; s++)
        if (*s == '_')
            *s = ' ';
}

/* Pairs of the exception lists that are errors: adj.exc has "offer off". */
static const char *const EXC_ERRORS[][2] = {{"offer", "off"}};

static bool exc_error(const char *form, const char *lemma)
{
    for (size_t i = 0; i < US_ARRAY_LEN(EXC_ERRORS); i++)
        if (strcmp(EXC_ERRORS[i][0], form) == 0 && strcmp(EXC_ERRORS[i][1], lemma) == 0)
            return true;
    return false;
}

/* Splits a loaded file in place into entries, one per (form, lemma) pair.
 * Pairs with form == lemma ("after after") say nothing and are skipped, as
 * are known errors. */
static int exc_parse(unspin_morph *m, char *text, exc_pos pos)
{
    char *lines = NULL;
    for (char *line = strtok_r(text, "\n", &lines); line; line = strtok_r(NULL, "\n", &lines)) {
        char *fields = NULL;
        char *form = strtok_r(line, " \t\r", &fields);
        if (!form)
            continue;
        underscores_to_spaces(form);
        for (char *lemma; (lemma = strtok_r(NULL, " \t\r", &fields)) != NULL;) {
            underscores_to_spaces(lemma);
            if (strcmp(form, lemma) != 0 && !exc_error(form, lemma) &&
                exc_add(m, form, lemma, pos) != UNSPIN_OK)
                return UNSPIN_ENOMEM;
        }
    }
    return UNSPIN_OK;
}

/* Builds both hash tables once all entries are loaded. */
static int exc_index(unspin_morph *m)
{
    size_t size = 16;
    while (size < 2 * m->n_ent)
        size *= 2;
    m->by_form = calloc(size, sizeof *m->by_form);
    m->by_lemma = calloc(size, sizeof *m->by_lemma);
    if (!m->by_form || !m->by_lemma)
        return UNSPIN_ENOMEM;
    m->mask = size - 1;
    /* Walk backwards and push each entry on the front of its chains, so the
     * chains keep the files' order. */
    for (size_t i = m->n_ent; i-- > 0;) {
        exc_entry *e = &m->ent[i];
        size_t s = exc_slot(m, m->by_form, e->form, true);
        e->next_form = m->by_form[s];
        m->by_form[s] = (uint32_t)(i + 1);
        s = exc_slot(m, m->by_lemma, e->lemma, false);
        e->next_lemma = m->by_lemma[s];
        m->by_lemma[s] = (uint32_t)(i + 1);
    }
    return UNSPIN_OK;
}

/* Whether u is a with one 'a' turned into 'u' (sang -> sung). */
static bool a_to_u(const char *a, const char *u)
{
    size_t n = strlen(a), diffs = 0;
    bool au = false;
    if (strlen(u) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (a[i] != u[i]) {
            diffs++;
            au = a[i] == 'a' && u[i] == 'u';
        }
    return diffs == 1 && au;
}

/* Second half of the participle heuristic (verb_form_class): needs the
 * lemma index to find a verb's other forms. */
static void exc_mark_participles(unspin_morph *m)
{
    for (size_t i = 0; i < m->n_ent; i++) {
        exc_entry *e = &m->ent[i];
        if (e->pos != EXC_VERB || e->cls != US_INFL_PAST)
            continue;
        for (const exc_entry *s = exc_first(m, e->lemma, false); s; s = exc_next(m, s, false))
            if (s->pos == EXC_VERB && a_to_u(s->form, e->form)) {
                e->cls = US_INFL_PARTICIPLE;
                break;
            }
    }
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

/* Option member, else environment variable (when set and not empty), else
 * the default. */
static const char *pick_path(const char *option, const char *env_name, const char *fallback)
{
    const char *env = getenv(env_name);
    return option ? option : env && *env ? env : fallback;
}

/* UNSPIN_EDICT with a message naming the file unless it is a readable
 * regular file.  Checked up front because Hunspell_create only prints a
 * warning for a missing file. */
static int check_file(const char *what, const char *path, unspin_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || access(path, R_OK) != 0)
        return us_fail(err, UNSPIN_EDICT, "%s %s: %s", what, path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return us_fail(err, UNSPIN_EDICT, "%s %s: not a regular file", what, path);
    return UNSPIN_OK;
}

/* Irregular forms verb.exc leaves out because a rule spells them (do +
 * es), while Hunspell reads them otherwise (does: doe + s) and knows the
 * rule's other spelling as a form (dos: do + s). */
static const char *const EXTRA_VERB_EXC[][2] = {{"does", "do"}};

static int exc_load(unspin_morph *m, const char *dir, exc_pos pos, unspin_error *err)
{
    const char *what = "WordNet exception list";
    size_t plen = strlen(dir) + strlen(EXC_FILES[pos]) + 2, len;
    char *path = malloc(plen);
    if (!path)
        return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", what);
    snprintf(path, plen, "%s/%s", dir, EXC_FILES[pos]);
    int rc = check_file(what, path, err);
    if (rc == UNSPIN_OK) {
        rc = us_read_file(path, EXC_MAX_BYTES, &m->exc_text[pos], &len, err);
        if (rc != UNSPIN_OK && rc != UNSPIN_ENOMEM)
            rc = us_fail(err, UNSPIN_EDICT, "%s %s: %s", what, path, unspin_strerror(rc));
    }
    if (rc == UNSPIN_OK && exc_parse(m, m->exc_text[pos], pos) != UNSPIN_OK)
        rc = us_fail(err, UNSPIN_ENOMEM, "%s %s: out of memory", what, path);
    free(path);
    return rc;
}

int unspin_morph_new(const unspin_morph_options *opts, unspin_morph **out,
                     unspin_error *err)
{
    if (!out)
        return us_fail(err, UNSPIN_EINVAL, "unspin_morph_new: out is NULL");
    *out = NULL;
    us_error_clear(err);
    const char *aff = pick_path(opts ? opts->hunspell_aff : NULL, "UNSPIN_HUNSPELL_AFF", DEFAULT_AFF);
    const char *dic = pick_path(opts ? opts->hunspell_dic : NULL, "UNSPIN_HUNSPELL_DIC", DEFAULT_DIC);
    const char *wn = pick_path(opts ? opts->wordnet_dir : NULL, "UNSPIN_WORDNET_DIR", DEFAULT_WORDNET);
    int rc = check_file("Hunspell affix file", aff, err);
    if (rc == UNSPIN_OK)
        rc = check_file("Hunspell dictionary", dic, err);
    if (rc != UNSPIN_OK)
        return rc;
    unspin_morph *m = calloc(1, sizeof *m);
    if (!m)
        return us_fail(err, UNSPIN_ENOMEM, "unspin_morph_new: out of memory");
    for (int pos = 0; pos < EXC_POS_COUNT && rc == UNSPIN_OK; pos++)
        rc = exc_load(m, wn, (exc_pos)pos, err);
    for (size_t i = 0; i < US_ARRAY_LEN(EXTRA_VERB_EXC) && rc == UNSPIN_OK; i++)
        if (exc_add(m, EXTRA_VERB_EXC[i][0], EXTRA_VERB_EXC[i][1], EXC_VERB) != UNSPIN_OK)
            rc = us_fail(err, UNSPIN_ENOMEM, "unspin_morph_new: out of memory");
    if (rc == UNSPIN_OK && exc_index(m) != UNSPIN_OK)
        rc = us_fail(err, UNSPIN_ENOMEM, "unspin_morph_new: out of memory");
    if (rc == UNSPIN_OK) {
        exc_mark_participles(m);
        m->hun = Hunspell_create(aff, dic);
        if (!m->hun)
            rc = us_fail(err, UNSPIN_EDICT, "Hunspell could not load %s", dic);
    }
    if (rc != UNSPIN_OK) {
        unspin_morph_free(m);
        return rc;
    }
    *out = m;
    return UNSPIN_OK;
}

void unspin_morph_free(unspin_morph *m)
{
    if (!m)
        return;
    if (m->hun)
        Hunspell_destroy(m->hun);
    for (int i = 0; i < EXC_POS_COUNT; i++)
        free(m->exc_text[i]);
    free(m->ent);
    free(m->by_form);
    free(m->by_lemma);
    free(m);
}

void unspin_wordlist_free(unspin_wordlist *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->words[i]);
    free(list->words);
    list->words = NULL;
    list->count = 0;
}

/* ------------------------------------------------------------------ */
/* Hunspell                                                            */
/* ------------------------------------------------------------------ */

/* Longer than any word Hunspell checks (its MAXWORDLEN is 100). */
#define VARIANT_MAX 128

static char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c; }

/* The spelling of w that Hunspell accepts: w itself (*level 0), else w
 * Capitalized (1: russia's -> Russia's; Debian's dictionary has names only
 * with their capital), else in capitals (2: nato -> NATO), made in buf.
 * NULL (and -1) when Hunspell knows none of them. */
static const char *spell_as(unspin_morph *m, const char *w, char buf[VARIANT_MAX], int *level)
{
    *level = 0;
    if (Hunspell_spell(m->hun, w))
        return w;
    *level = -1;
    size_t n = strlen(w);
    if (n >= VARIANT_MAX || !is_lower_letter(w[0]))
        return NULL;
    memcpy(buf, w, n + 1);
    buf[0] = ascii_upper(buf[0]);
    if (Hunspell_spell(m->hun, buf)) {
        *level = 1;
        return buf;
    }
    bool changed = false;
    for (size_t i = 1; i < n; i++) {
        changed = changed || is_lower_letter(buf[i]);
        buf[i] = ascii_upper(buf[i]);
    }
    if (!changed || !Hunspell_spell(m->hun, buf))
        return NULL;
    *level = 2;
    return buf;
}

/* Whether spell_as would give w the given level; cheaper for level 0. */
static bool spelled_at(unspin_morph *m, const char *w, int level)
{
    char buf[VARIANT_MAX];
    int l;
    if (level == 0)
        return Hunspell_spell(m->hun, w) != 0;
    return spell_as(m, w, buf, &l) && l == level;
}

static const char *spelled_variant(unspin_morph *m, const char *w, char buf[VARIANT_MAX])
{
    int level;
    return spell_as(m, w, buf, &level);
}

/* Adds Hunspell's stems of w (or of its spelled variant) to out. */
static int hun_stems(unspin_morph *m, const char *w, words *out)
{
    char buf[VARIANT_MAX];
    const char *v = spelled_variant(m, w, buf);
    if (!v)
        return UNSPIN_OK;
    char **list = NULL;
    int n = Hunspell_stem(m->hun, &list, v);
    int rc = UNSPIN_OK;
    for (int i = 0; i < n && rc == UNSPIN_OK; i++)
        rc = words_add(out, list[i]);
    Hunspell_free_list(m->hun, &list, n);
    return rc;
}

/* How Hunspell backs a candidate as a form of a lemma. */
typedef enum fit {
    FIT_NONE = 0, /* not a word */
    FIT_ENTRY,    /* a word of its own (stopped, seeing, panicked: Debian
                   * lists these without affix flags) */
    FIT_FORM      /* the lemma is among its stems, or they share a stem */
} fit;

/* Whether one of the n stems in list is also a stem of lemma. */
static bool shares_stem(unspin_morph *m, char **list, int n, const char *lemma)
{
    char buf[VARIANT_MAX];
    const char *v = spelled_variant(m, lemma, buf);
    if (!v)
        return false;
    char **own = NULL;
    int k = Hunspell_stem(m->hun, &own, v);
    bool shared = false;
    for (int i = 0; i < k && !shared; i++)
        for (int j = 0; j < n && !shared; j++)
            shared = strcasecmp(own[i], list[j]) == 0;
    Hunspell_free_list(m->hun, &own, k);
    return shared;
}

/* Whether one of the n stems in list spells w by a rule: Hunspell's
 * readings that do not (cared as car -ed, hoping as hop -ing: en_US's
 * car/D and hop/G are shortcuts that give real words) leave w a word of
 * its own. */
static bool rule_made(const char *w, char **list, int n)
{
    bool made = false;
    for (int i = 0; i < n && !made; i++) {
        size_t len = strlen(list[i]);
        char *stem = us_strndup(list[i], len);
        if (!stem)
            return true; /* out of memory: the narrower reading */
        for (size_t j = 0; j < len; j++)
            stem[j] = ascii_lower(stem[j]);
        for (int k = US_INFL_PLURAL; k < US_INFL_COUNT && !made; k++) {
            words forms = {0};
            made = regular_forms(stem, (us_infl)k, &forms) != UNSPIN_OK || words_has(&forms, w);
            words_free(&forms);
        }
        free(stem);
    }
    return made;
}

/* A candidate is a form of lemma when Hunspell gives lemma as its stem
 * (assaults: assault), or, when the candidate is no entry of its own, when
 * both have a stem in common: Hunspell reads recalled as re- call -ed and
 * meetings as meet -ings, and recall, meeting have call, meet among their
 * stems.  It is no entry for lemma when it is a form of lemma with its last
 * letter doubled (putted, of putt, is no past of put).  A word that
 * Hunspell reads as a form of a word that cannot spell it is an entry of
 * its own (rule_made).  Names are looked up with their
 * capital (russia's: Russia). */
static fit candidate_fit(unspin_morph *m, const char *cand, const char *lemma)
{
    char buf[VARIANT_MAX];
    const char *v = spelled_variant(m, cand, buf);
    if (!v)
        return FIT_NONE;
    char **list = NULL;
    int n = Hunspell_stem(m->hun, &list, v);
    fit f = FIT_NONE;
    bool doubled = false; /* a stem that is lemma with its last consonant doubled */
    size_t len = strlen(lemma);
    for (int i = 0; i < n; i++) {
        if (strcasecmp(list[i], lemma) == 0)
            f = FIT_FORM;
        else if (f == FIT_NONE && strcasecmp(list[i], cand) == 0)
            f = FIT_ENTRY;
        else if (len > 0 && !is_vowel(lemma[len - 1]) && strlen(list[i]) == len + 1 &&
                 strncasecmp(list[i], lemma, len) == 0 &&
                 ascii_lower(list[i][len]) == lemma[len - 1])
            doubled = true;
    }
    if (f == FIT_ENTRY && doubled)
        f = FIT_NONE;
    if (f == FIT_NONE && n > 0) {
        if (shares_stem(m, list, n, lemma))
            f = FIT_FORM;
        else if (!rule_made(cand, list, n))
            f = FIT_ENTRY;
    }
    Hunspell_free_list(m->hun, &list, n);
    return f;
}

/* The class an analysis (" st:assault fl:S") gives.  The letters are
 * en_US.aff's: an inflection flag gives its class; no flag or only prefix
 * flags (A I U C E F K: redo, unable) mean a base form; a derivational
 * suffix (quickly, attackers, meetings) gives no class (US_INFL_COUNT). */
static us_infl analysis_class(const char *a)
{
    bool derived = false;
    for (const char *p = strstr(a, "fl:"); p; p = strstr(p + 3, "fl:")) {
        switch (p[3]) {
        case 'S': return US_INFL_PLURAL;
        case 'D': return US_INFL_PAST;
        case 'G': return US_INFL_GERUND;
        case 'R': return US_INFL_COMPARATIVE;
        case 'T': return US_INFL_SUPERLATIVE;
        case 'M': return US_INFL_POSSESSIVE;
        default: derived = derived || !p[3] || !strchr("AIUCEFK", p[3]);
        }
    }
    return derived ? US_INFL_COUNT : US_INFL_BASE;
}

/* Adds the inflection classes of Hunspell's analyses of w; *base is set
 * when one of them reads w as a base form. */
static void analysis_classes(unspin_morph *m, const char *w, classes *c, bool *base)
{
    char **list = NULL;
    int n = Hunspell_analyze(m->hun, &list, w);
    for (int i = 0; i < n; i++) {
        us_infl k = analysis_class(list[i]);
        if (k == US_INFL_BASE)
            *base = true;
        else if (k != US_INFL_COUNT)
            classes_add(c, k);
    }
    Hunspell_free_list(m->hun, &list, n);
}

/* ------------------------------------------------------------------ */
/* Lemmas                                                              */
/* ------------------------------------------------------------------ */

/* The -man lemma of a -men plural when Hunspell knows it: WordNet's
 * lists leave these to a rule (women, policemen), and Debian's en_US lists
 * them as entries of their own. */
static int men_lemma(unspin_morph *m, const char *w, words *out)
{
    size_t n = strlen(w);
    if (!ends_with(w, n, "men"))
        return UNSPIN_OK;
    char *man = us_strndup(w, n);
    if (!man)
        return UNSPIN_ENOMEM;
    man[n - 2] = 'a';
    int rc = Hunspell_spell(m->hun, man) ? words_add(out, man) : UNSPIN_OK;
    free(man);
    return rc;
}

/* Exception-list lemmas first (an irregular form is most likely that),
 * then Hunspell's stems, which include w itself when it is an entry of its
 * own ("better" after good, well). */
static int collect_lemmas(unspin_morph *m, const char *w, words *out)
{
    int rc = UNSPIN_OK;
    for (const exc_entry *e = exc_first(m, w, true); e && rc == UNSPIN_OK; e = exc_next(m, e, true))
        rc = words_add(out, e->lemma);
    if (rc == UNSPIN_OK)
        rc = men_lemma(m, w, out);
    return rc == UNSPIN_OK ? hun_stems(m, w, out) : rc;
}

/* Checks the pointer arguments shared by the word functions. */
static int check_args(const char *fn, const unspin_morph *m, const char *a, const char *b,
                      unspin_wordlist *out, unspin_error *err)
{
    if (out)
        *out = (unspin_wordlist){0};
    if (!m || !a || !b || !out)
        return us_fail(err, UNSPIN_EINVAL, "%s: NULL argument", fn);
    us_error_clear(err);
    return UNSPIN_OK;
}

/* The look-up copy of an argument word; UNSPIN_EINVAL when it is blank. */
static int arg_word(const char *fn, const char *word, char **copy, unspin_error *err)
{
    *copy = lookup_dup(word);
    if (!*copy)
        return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", fn);
    if (!**copy) {
        free(*copy);
        *copy = NULL;
        return us_fail(err, UNSPIN_EINVAL, "%s: empty word", fn);
    }
    return UNSPIN_OK;
}

/* Hands the list over to the caller's wordlist. */
static void words_give(words *w, unspin_wordlist *out)
{
    out->count = w->n;
    out->words = w->v;
    *w = (words){0};
}

int unspin_morph_lemmas(unspin_morph *m, const char *word, unspin_wordlist *out,
                        unspin_error *err)
{
    const char *fn = "unspin_morph_lemmas";
    char *w = NULL;
    int rc = check_args(fn, m, word, word, out, err);
    if (rc == UNSPIN_OK)
        rc = arg_word(fn, word, &w, err);
    if (rc != UNSPIN_OK)
        return rc;
    words res = {0};
    rc = collect_lemmas(m, w, &res);
    /* A word nobody knows is its own lemma. */
    if (rc == UNSPIN_OK && res.n == 0)
        rc = words_add(&res, w);
    free(w);
    if (rc != UNSPIN_OK) {
        words_free(&res);
        return us_fail(err, rc, "%s: out of memory", fn);
    }
    words_give(&res, out);
    return UNSPIN_OK;
}

/* ------------------------------------------------------------------ */
/* The class of a `like` word                                          */
/* ------------------------------------------------------------------ */

/* Adds the classes in which w is a regular form of one of its lemmas:
 * stopped is stop + D, bigger is big + R (Hunspell reads both as entries
 * of their own; the exception lists give the lemmas). */
static int suffix_classes(unspin_morph *m, const char *w, classes *c)
{
    words lemmas = {0};
    int rc = collect_lemmas(m, w, &lemmas);
    for (size_t i = 0; i < lemmas.n && rc == UNSPIN_OK; i++) {
        if (strcmp(lemmas.v[i], w) == 0)
            continue;
        for (int k = US_INFL_PLURAL; k < US_INFL_COUNT && rc == UNSPIN_OK; k++) {
            words forms = {0};
            rc = regular_forms(lemmas.v[i], (us_infl)k, &forms);
            if (k != US_INFL_PARTICIPLE && words_has(&forms, w))
                classes_add(c, (us_infl)k);
            words_free(&forms);
        }
    }
    words_free(&lemmas);
    return rc;
}

/* The class of a word Hunspell does not know, from its ending alone. */
static us_infl guess_class(const char *w)
{
    size_t n = strlen(w);
    if (ends_with(w, n, "'s"))
        return US_INFL_POSSESSIVE;
    if (ends_with(w, n, "ing"))
        return US_INFL_GERUND;
    if (ends_with(w, n, "ed"))
        return US_INFL_PAST;
    if (ends_with(w, n, "est"))
        return US_INFL_SUPERLATIVE;
    if (ends_with(w, n, "s") && !ends_with(w, n, "ss"))
        return US_INFL_PLURAL;
    return US_INFL_BASE;
}

/* The classes of a single word, most telling first: Hunspell's flags, the
 * regular forms of its lemmas, the exception lists, then the base reading
 * (last, as Debian lists many inflected forms as entries: went, stopped). */
static int word_classes(unspin_morph *m, const char *w, classes *c)
{
    bool base = false;
    analysis_classes(m, w, c, &base);
    int rc = suffix_classes(m, w, c);
    for (const exc_entry *e = exc_first(m, w, true); e; e = exc_next(m, e, true)) {
        if (e->cls == US_INFL_BASE)
            base = true;
        else
            classes_add(c, (us_infl)e->cls);
    }
    if (base)
        classes_add(c, US_INFL_BASE);
    if (c->n == 0 && !Hunspell_spell(m->hun, w))
        classes_add(c, guess_class(w));
    return rc;
}

/* ------------------------------------------------------------------ */
/* Multi-word terms                                                    */
/* ------------------------------------------------------------------ */

/* A term split at its spaces: [0, first_end) is the first word,
 * (first_end, second_end) the second, [last_start, len) the last. */
typedef struct phrase {
    size_t first_end, second_end, last_start, len;
} phrase;

static bool split_phrase(const char *s, phrase *p)
{
    const char *sp = strchr(s, ' ');
    if (!sp)
        return false;
    const char *sp2 = strchr(sp + 1, ' ');
    p->len = strlen(s);
    p->first_end = (size_t)(sp - s);
    p->second_end = sp2 ? (size_t)(sp2 - s) : p->len;
    p->last_start = (size_t)(strrchr(s, ' ') - s) + 1;
    return true;
}

/* Words that follow a verb rather than a noun modifier: "grind to a halt",
 * "take a side", "jump off". */
static bool is_particle(const char *w, size_t n)
{
    static const char *const particles[] = {
        "a",    "an",    "the",  "to",   "up",   "down",  "off",    "out",
        "in",   "on",    "over", "into", "onto", "away",  "back",   "for",
        "with", "of",    "at",   "by",   "about", "around", "through", "it",
        "one's", "oneself", "someone", "something"};
    for (size_t i = 0; i < US_ARRAY_LEN(particles); i++)
        if (strlen(particles[i]) == n && memcmp(particles[i], w, n) == 0)
            return true;
    return false;
}

/* Whether class k goes on the first word of a term, provided that word is
 * a verb.  Past and -ing forms always do ("ground to a halt").  An -s form
 * is ambiguous (third person or plural), so it does only when a particle
 * follows ("grinds to a halt"); otherwise the term is read as a noun
 * compound and the last word takes the plural ("news conferences", and
 * "search engines", not "searches engine"). */
static bool head_is_first(us_infl k, const char *s, const phrase *p)
{
    return is_verb_class(k) ||
           (k == US_INFL_PLURAL &&
            is_particle(s + p->first_end + 1, p->second_end - p->first_end - 1));
}

/* The classes of a `like` term: those of its first word when they say it
 * is an inflected verb heading the term, else those of its last word. */
static int like_classes(unspin_morph *m, const char *like, classes *c)
{
    phrase p;
    if (!split_phrase(like, &p))
        return word_classes(m, like, c);
    char *first = us_strndup(like, p.first_end);
    if (!first)
        return UNSPIN_ENOMEM;
    classes fc = {0};
    int rc = word_classes(m, first, &fc);
    free(first);
    bool verb_head = false;
    for (size_t i = 0; i < fc.n; i++)
        verb_head = verb_head || (fc.v[i] != US_INFL_BASE && head_is_first(fc.v[i], like, &p));
    if (rc != UNSPIN_OK)
        return rc;
    if (!verb_head)
        return word_classes(m, like + p.last_start, c);
    *c = fc;
    return UNSPIN_OK;
}

/* ------------------------------------------------------------------ */
/* Inflection                                                          */
/* ------------------------------------------------------------------ */

/* Adds the irregular forms of w in class k: to `known` those Hunspell
 * spells, to `foreign` the others (verb.exc also lists British spellings:
 * travelling).  For the past, plain past forms come before participles
 * (went, gone); for a participle the other way round.  Each falls back to
 * the other because many verbs list one form for both (found). */
static int irregular_forms(unspin_morph *m, const char *w, us_infl k, words *known,
                           words *foreign)
{
    bool past = k == US_INFL_PAST || k == US_INFL_PARTICIPLE;
    us_infl order[2] = {k, past ? (k == US_INFL_PAST ? US_INFL_PARTICIPLE : US_INFL_PAST) : k};
    int rc = UNSPIN_OK;
    for (int pass = 0; pass < (past ? 2 : 1); pass++)
        for (const exc_entry *e = exc_first(m, w, false); e && rc == UNSPIN_OK;
             e = exc_next(m, e, false))
            if (e->cls == order[pass])
                rc = words_add(Hunspell_spell(m->hun, e->form) ? known : foreign, e->form);
    return rc;
}

/* Affix flags of Debian's en_US that make no real form: be/DHT reads
 * "bed" as a past and "best" as a superlative of be, she/DRSMV "shed" as
 * a past of she. */
static const struct {
    const char *lemma;
    us_infl k;
} FLAG_QUIRKS[] = {{"be", US_INFL_PAST}, {"be", US_INFL_SUPERLATIVE}, {"she", US_INFL_PAST},
                   {"she", US_INFL_PLURAL}};

/* The words of one or two letters that have regular forms.  en_US has
 * flags on many others that make forms of other words: re/DSMYTGVJ reads
 * red, rest and ring as re -ed, -est, -ing; it/USM and ha/SH read its and
 * has as plurals, i/US and a/S is and as. */
static const char *const SHORT_LEMMAS[] = {"ad", "ax", "be", "do", "go", "id", "oh",
                                           "ok", "ox", "pa", "ma", "up", "tv"};

/* Whether w has no regular forms in class k. */
static bool no_regular_forms(const char *w, us_infl k)
{
    if (!w[0] || !w[1])
        return true;
    if (!w[2]) {
        bool known = false;
        for (size_t i = 0; i < US_ARRAY_LEN(SHORT_LEMMAS) && !known; i++)
            known = strcmp(SHORT_LEMMAS[i], w) == 0;
        if (!known)
            return true;
    }
    if (k == US_INFL_PARTICIPLE)
        k = US_INFL_PAST;
    for (size_t i = 0; i < US_ARRAY_LEN(FLAG_QUIRKS); i++)
        if (FLAG_QUIRKS[i].k == k && strcmp(FLAG_QUIRKS[i].lemma, w) == 0)
            return true;
    return false;
}

/* Whether Hunspell has w as an entry of its own. */
static bool is_entry(unspin_morph *m, const char *w)
{
    char buf[VARIANT_MAX];
    const char *v = spelled_variant(m, w, buf);
    char **list = NULL;
    int n = v ? Hunspell_stem(m->hun, &list, v) : 0;
    bool yes = false;
    for (int i = 0; i < n && !yes; i++)
        yes = strcasecmp(list[i], w) == 0;
    Hunspell_free_list(m->hun, &list, n);
    return yes;
}

/* Whether Hunspell knows w -ly or w -ness (lately, dearness): w is an
 * adjective. */
static bool has_adjective_suffix(unspin_morph *m, const char *w)
{
    size_t n = strlen(w);
    if (n + 5 >= VARIANT_MAX)
        return false;
    static const char *const suffixes[] = {"ly", "ness"};
    for (size_t i = 0; i < US_ARRAY_LEN(suffixes); i++) {
        char buf[VARIANT_MAX], var[VARIANT_MAX];
        memcpy(buf, w, n + 1);
        if (n > 1 && w[n - 1] == 'y' && !is_vowel(w[n - 2]))
            buf[n - 1] = 'i'; /* happily, happiness */
        memcpy(buf + n, suffixes[i], strlen(suffixes[i]) + 1);
        if (spelled_variant(m, buf, var))
            return true;
    }
    return false;
}

/* Whether lemma is a verb by more than the form w: verb.exc lists it, or
 * another past or -ing form of it is a word, or (with_s) an -s form, or
 * its -er form is an entry (reader). */
static int verb_evidence(unspin_morph *m, const char *lemma, const char *w, bool with_s,
                         bool *yes)
{
    *yes = false;
    for (const exc_entry *e = exc_first(m, lemma, false); e; e = exc_next(m, e, false))
        if (e->pos == EXC_VERB) {
            *yes = true;
            return UNSPIN_OK;
        }
    words forms = {0}, agents = {0};
    int rc = regular_forms(lemma, US_INFL_PAST, &forms);
    if (rc == UNSPIN_OK)
        rc = regular_forms(lemma, US_INFL_GERUND, &forms);
    if (rc == UNSPIN_OK && with_s)
        rc = regular_forms(lemma, US_INFL_PLURAL, &forms);
    for (size_t i = 0; i < forms.n && !*yes && rc == UNSPIN_OK; i++) {
        char buf[VARIANT_MAX];
        *yes = strcmp(forms.v[i], w) != 0 && spelled_variant(m, forms.v[i], buf);
    }
    if (rc == UNSPIN_OK && !*yes)
        rc = regular_forms(lemma, US_INFL_COMPARATIVE, &agents);
    for (size_t i = 0; i < agents.n && !*yes && rc == UNSPIN_OK; i++)
        *yes = strcmp(agents.v[i], w) != 0 && is_entry(m, agents.v[i]);
    words_free(&forms);
    words_free(&agents);
    return rc;
}

/* Whether w has degrees of comparison: adj.exc or adv.exc lists forms of
 * it, or Hunspell knows a superlative that is no word of its own, or one of
 * an adjective.  en_US's R flag (-er) also makes agent nouns of verbs
 * (attack/R: attacker), which are no comparatives, and its T flag words
 * like priest (pry/T). */
static int is_gradable(unspin_morph *m, const char *w, bool *yes)
{
    *yes = false;
    if (no_regular_forms(w, US_INFL_SUPERLATIVE))
        return UNSPIN_OK;
    for (const exc_entry *e = exc_first(m, w, false); e; e = exc_next(m, e, false))
        if (e->pos == EXC_ADJ || e->pos == EXC_ADV) {
            *yes = true;
            return UNSPIN_OK;
        }
    words t = {0};
    int rc = regular_forms(w, US_INFL_SUPERLATIVE, &t);
    for (size_t i = 0; i < t.n && !*yes && rc == UNSPIN_OK; i++)
        *yes = candidate_fit(m, t.v[i], w) == FIT_FORM &&
               (!is_entry(m, t.v[i]) || has_adjective_suffix(m, w));
    words_free(&t);
    return rc;
}

/* Adds the regular spellings of w in class k that Hunspell accepts.
 * Entries of their own count only when allowed (no irregular form is
 * known) and Hunspell knows no form of w: that keeps "stopped" for stop,
 * and drops "buss" (a kiss) beside "buses".  Comparatives and superlatives
 * need a gradable w (no "attacker" for attack, no "contest" for conte). */
static int tested_forms(unspin_morph *m, const char *w, us_infl k, bool allow_entries,
                        words *out)
{
    if (no_regular_forms(w, k))
        return UNSPIN_OK;
    if (k == US_INFL_COMPARATIVE || k == US_INFL_SUPERLATIVE) {
        bool gradable = false;
        int rc = is_gradable(m, w, &gradable);
        if (rc != UNSPIN_OK || !gradable)
            return rc;
    }
    words cand = {0}, entries = {0};
    bool any_form = false;
    int rc = regular_forms(w, k, &cand);
    for (size_t i = 0; i < cand.n && rc == UNSPIN_OK; i++) {
        fit f = candidate_fit(m, cand.v[i], w);
        if (f == FIT_FORM) {
            any_form = true;
            rc = words_add(out, cand.v[i]);
        } else if (f == FIT_ENTRY) {
            rc = words_add(&entries, cand.v[i]);
        }
    }
    /* Entries as verb forms need a verb: no "need" for nee, "string" for
     * str (verb_evidence). */
    bool verb = !is_verb_class(k);
    if (rc == UNSPIN_OK && allow_entries && !any_form && entries.n > 0 && !verb)
        rc = verb_evidence(m, w, entries.v[0], false, &verb);
    if (rc == UNSPIN_OK && allow_entries && !any_form && verb)
        rc = words_merge(out, &entries);
    words_free(&cand);
    words_free(&entries);
    return rc;
}

/* Whether w is a verb: a lemma of verb.exc, or Hunspell knows an -ing
 * form of it. */
static int is_verb(unspin_morph *m, const char *w, bool *yes)
{
    *yes = false;
    for (const exc_entry *e = exc_first(m, w, false); e; e = exc_next(m, e, false))
        if (e->pos == EXC_VERB) {
            *yes = true;
            return UNSPIN_OK;
        }
    words g = {0};
    int rc = regular_forms(w, US_INFL_GERUND, &g);
    for (size_t i = 0; i < g.n && !*yes; i++)
        *yes = candidate_fit(m, g.v[i], w) == FIT_FORM;
    words_free(&g);
    return rc;
}

/* Adds the forms of the single word w in class k: irregular forms first,
 * then regular ones, then irregular forms the dictionary does not spell. */
static int word_forms(unspin_morph *m, const char *w, us_infl k, words *out)
{
    if (k == US_INFL_BASE)
        return words_add(out, w);
    words got = {0}, foreign = {0};
    int rc = irregular_forms(m, w, k, &got, &foreign);
    if (rc == UNSPIN_OK)
        rc = tested_forms(m, w, k, got.n + foreign.n == 0, &got);
    if (rc == UNSPIN_OK)
        rc = words_merge(&got, &foreign);
    /* A verb with no past form of its own keeps its lemma: hit, cut, put. */
    bool verb = false;
    if (rc == UNSPIN_OK && got.n == 0 && (k == US_INFL_PAST || k == US_INFL_PARTICIPLE))
        rc = is_verb(m, w, &verb);
    if (rc == UNSPIN_OK && verb)
        rc = words_add(&got, w);
    if (rc == UNSPIN_OK)
        rc = words_merge(out, &got);
    words_free(&got);
    words_free(&foreign);
    return rc;
}

/* Adds prefix + each form + suffix: the term with its head replaced. */
static int splice_forms(const char *term, size_t head_start, size_t head_end,
                        size_t len, const words *forms, words *out)
{
    int rc = UNSPIN_OK;
    for (size_t i = 0; i < forms->n && rc == UNSPIN_OK; i++) {
        size_t flen = strlen(forms->v[i]), total = head_start + flen + (len - head_end);
        char *buf = malloc(total + 1);
        if (!buf)
            return UNSPIN_ENOMEM;
        memcpy(buf, term, head_start);
        memcpy(buf + head_start, forms->v[i], flen);
        memcpy(buf + head_start + flen, term + head_end, len - head_end + 1);
        rc = words_add(out, buf);
        free(buf);
    }
    return rc;
}

/* Adds the forms of a lemma (word or term) in class k. */
static int lemma_forms(unspin_morph *m, const char *lemma, us_infl k, words *out)
{
    phrase p;
    if (k == US_INFL_BASE || !split_phrase(lemma, &p))
        return word_forms(m, lemma, k, out);
    size_t start = p.last_start, end = p.len;
    if (head_is_first(k, lemma, &p)) {
        char *first = us_strndup(lemma, p.first_end);
        bool verb = false;
        int rc = first ? is_verb(m, first, &verb) : UNSPIN_ENOMEM;
        free(first);
        if (rc != UNSPIN_OK)
            return rc;
        if (verb) {
            start = 0;
            end = p.first_end;
        } else if (is_verb_class(k)) {
            return UNSPIN_OK; /* no verb to put in the past: "cold war" */
        }
    }
    char *head = us_strndup(lemma + start, end - start);
    if (!head)
        return UNSPIN_ENOMEM;
    words forms = {0};
    int rc = word_forms(m, head, k, &forms);
    if (rc == UNSPIN_OK)
        rc = splice_forms(lemma, start, end, p.len, &forms, out);
    free(head);
    words_free(&forms);
    return rc;
}

int unspin_morph_inflect(unspin_morph *m, const char *lemma, const char *like,
                         unspin_wordlist *out, unspin_error *err)
{
    const char *fn = "unspin_morph_inflect";
    char *l = NULL, *k = NULL;
    int rc = check_args(fn, m, lemma, like, out, err);
    if (rc == UNSPIN_OK)
        rc = arg_word(fn, lemma, &l, err);
    if (rc == UNSPIN_OK)
        rc = arg_word(fn, like, &k, err);
    words res = {0};
    if (rc == UNSPIN_OK) {
        classes c = {0};
        rc = like_classes(m, k, &c);
        for (size_t i = 0; i < c.n && rc == UNSPIN_OK; i++)
            rc = lemma_forms(m, l, c.v[i], &res);
        if (rc != UNSPIN_OK)
            us_fail(err, rc, "%s: out of memory", fn);
        else if (res.n == 0)
            rc = us_fail(err, UNSPIN_ENOTFOUND, "%s: no form of \"%.100s\" is like \"%.100s\"",
                         fn, l, k);
    }
    free(l);
    free(k);
    if (rc == UNSPIN_OK)
        words_give(&res, out);
    words_free(&res);
    return rc;
}

int us_morph_forms(unspin_morph *m, const char *lemma, us_infl k, unspin_wordlist *out,
                   unspin_error *err)
{
    const char *fn = "us_morph_forms";
    char *l = NULL;
    int rc = check_args(fn, m, lemma, lemma, out, err);
    if (rc == UNSPIN_OK && (unsigned)k >= US_INFL_COUNT)
        rc = us_fail(err, UNSPIN_EINVAL, "%s: no such class", fn);
    if (rc == UNSPIN_OK)
        rc = arg_word(fn, lemma, &l, err);
    words res = {0};
    if (rc == UNSPIN_OK && (rc = word_forms(m, l, k, &res)) != UNSPIN_OK)
        us_fail(err, rc, "%s: out of memory", fn);
    free(l);
    if (rc == UNSPIN_OK)
        words_give(&res, out);
    words_free(&res);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Analysis: every (lemma, class) reading of a word                   */
/* ------------------------------------------------------------------ */

const char *us_infl_name(us_infl k)
{
    static const char *const names[US_INFL_COUNT] = {
        "base", "plural", "past", "participle", "gerund", "comparative", "superlative",
        "possessive"};
    return (unsigned)k < US_INFL_COUNT ? names[k] : "unknown";
}

int us_morph_is_proper(unspin_morph *m, const char *word)
{
    char buf[VARIANT_MAX];
    if (!m || !word || !*word)
        return 0;
    const char *v = spelled_variant(m, word, buf);
    return v && v != word;
}

/* Where a reading comes from, which is also its rank: readings are listed
 * by rank, in the order found within one. */
typedef enum rank {
    R_BASE_FIRST = 0, /* the word as its own lemma, when it is a lemma */
    R_IRREGULAR,      /* the exception lists: went -> go */
    R_AFFIX,          /* Hunspell's affix analyses: attacks -> attack */
    R_RULE,           /* the spelling rules undone: stopped -> stop */
    R_BASE_LAST       /* a form that Debian lists as an entry: went */
} rank;

/* Far more than any word has; readings past it are dropped. */
#define READINGS_MAX 32

typedef struct reading {
    char lemma[US_LEMMA_MAX];
    us_infl k;
    rank r;
    bool ruled; /* found by rule_readings */
} reading;

typedef struct readings {
    reading v[READINGS_MAX];
    size_t n;
} readings;

static reading *readings_find(readings *rs, const char *lemma, us_infl k)
{
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].k == k && strcmp(rs->v[i].lemma, lemma) == 0)
            return &rs->v[i];
    return NULL;
}

/* Adds (lemma, k) lower-cased; false when it was there (its rank becomes
 * the better one), is too long for US_LEMMA_MAX, or the set is full. */
static bool readings_add(readings *rs, const char *lemma, us_infl k, rank r)
{
    size_t len = strlen(lemma);
    if (len == 0 || len >= US_LEMMA_MAX || rs->n == READINGS_MAX)
        return false;
    reading *x = &rs->v[rs->n];
    for (size_t i = 0; i <= len; i++)
        x->lemma[i] = ascii_lower(lemma[i]);
    reading *old = readings_find(rs, x->lemma, k);
    if (old) {
        old->r = old->r < r ? old->r : r;
        return false;
    }
    x->k = k;
    x->r = r;
    x->ruled = false;
    rs->n++;
    return true;
}

/* Whether lemma's forms of class k include w, as unspin_morph_inflect
 * makes them: the test that keeps analyses and inflection consistent. */
static int forms_include(unspin_morph *m, const char *lemma, us_infl k, const char *w,
                         bool *yes)
{
    words forms = {0};
    int rc = word_forms(m, lemma, k, &forms);
    *yes = rc == UNSPIN_OK && words_has(&forms, w);
    words_free(&forms);
    return rc;
}

/* Whether the rules spell lemma as w in class k (*rc: UNSPIN_ENOMEM). */
static bool regular_spelling(const char *lemma, us_infl k, const char *w, int *rc)
{
    words forms = {0};
    *rc = regular_forms(lemma, k, &forms);
    bool yes = words_has(&forms, w);
    words_free(&forms);
    return yes;
}

/* The strings en_US.aff's prefix flags put before a stem. */
static const char *prefix_of(char flag)
{
    switch (flag) {
    case 'A': return "re";
    case 'I': return "in";
    case 'U': return "un";
    case 'C': return "de";
    case 'E': return "dis";
    case 'F': return "con";
    case 'K': return "pro";
    default: return NULL;
    }
}

/* The lemma an analysis reads, lower-cased into out: the stem with the
 * prefixes flagged before it (" fl:A st:call fl:D" is recall -ed).  False
 * when it is no plain stem or does not fit in size bytes. */
static bool analysis_lemma(const char *a, char *out, size_t size, bool *prefixed)
{
    const char *st = strstr(a, "st:");
    if (!st)
        return false;
    size_t len = 0;
    *prefixed = false;
    for (const char *p = strstr(a, "fl:"); p && p < st; p = strstr(p + 3, "fl:")) {
        const char *pre = prefix_of(p[3]);
        if (!pre)
            return false;
        size_t k = strlen(pre);
        if (len + k >= size)
            return false;
        memcpy(out + len, pre, k);
        len += k;
        *prefixed = true;
    }
    for (st += 3; *st && !is_blank(*st); st++) {
        if (len + 1 >= size)
            return false;
        out[len++] = ascii_lower(*st);
    }
    out[len] = '\0';
    return len > 0;
}

/* Whether the first word of s has a capital letter. */
static bool has_capital(const char *s)
{
    for (; s && *s && !is_blank(*s); s++)
        if (*s >= 'A' && *s <= 'Z')
            return true;
    return false;
}

/* Readings from Hunspell's analyses of w; *entry is set when one reads w
 * as a dictionary entry of its own, *level to how w is spelled (spell_as). */
static int affix_readings(unspin_morph *m, const char *w, readings *rs, bool *entry,
                          int *level)
{
    char buf[VARIANT_MAX];
    const char *v = spell_as(m, w, buf, level);
    if (!v)
        return UNSPIN_OK;
    char **list = NULL;
    int n = Hunspell_analyze(m->hun, &list, v);
    int rc = UNSPIN_OK;
    for (int i = 0; i < n && rc == UNSPIN_OK; i++) {
        char lemma[VARIANT_MAX];
        bool prefixed, ok = false;
        /* A lower-case word is no form of a name. */
        if (!analysis_lemma(list[i], lemma, sizeof lemma, &prefixed) ||
            (v == w && has_capital(strstr(list[i], "st:"))))
            continue;
        us_infl k = analysis_class(list[i]);
        if (k == US_INFL_BASE)
            *entry = *entry || strcmp(lemma, w) == 0;
        if (k == US_INFL_BASE || k == US_INFL_COUNT || strcmp(lemma, w) == 0 ||
            strlen(lemma) >= US_LEMMA_MAX || readings_find(rs, lemma, k))
            continue;
        /* Hunspell gives the lemma as the stem, so inflect keeps w when the
         * rules spell it so; prefixed readings, degrees of comparison
         * (is_gradable) and the rest take the full test. */
        if (!prefixed && k != US_INFL_COMPARATIVE && k != US_INFL_SUPERLATIVE &&
            !no_regular_forms(lemma, k) && regular_spelling(lemma, k, w, &rc))
            ok = true;
        else if (rc == UNSPIN_OK)
            rc = forms_include(m, lemma, k, w, &ok);
        if (ok)
            readings_add(rs, lemma, k, R_AFFIX);
    }
    Hunspell_free_list(m->hun, &list, n);
    return rc;
}

/* The letters a rule's `drop` removed, as its condition tells. */
static const char *dropped_letters(const rule *r)
{
    switch (r->when) {
    case C_CONS_Y: return "y";
    case C_DROP_E: return "e";
    case C_IE: return "ie";
    case C_MAN: return "an";
    default: return "";
    }
}

/* The lemma that rule r spells as w, made in out (size VARIANT_MAX);
 * false when r cannot make w.  stopped -> stop by "*ed", women -> woman. */
static bool undo_rule(const rule *r, const char *w, size_t n, char *out)
{
    bool dbl = r->suffix[0] == '*';
    const char *suffix = r->suffix + dbl, *restore = dropped_letters(r);
    size_t slen = strlen(suffix), keep;
    if (n <= slen || n >= VARIANT_MAX || memcmp(w + n - slen, suffix, slen) != 0 ||
        strlen(restore) != r->drop)
        return false;
    keep = n - slen;
    if (dbl) {
        if (keep < 2 || w[keep - 1] != w[keep - 2])
            return false;
        keep--;
    }
    memcpy(out, w, keep);
    memcpy(out + keep, restore, r->drop + 1);
    return cond_holds(r->when, out, keep + r->drop);
}

/* Whether Hunspell reads w as a plural or third person of another word:
 * rehears (rehear -s). */
static bool is_s_form(unspin_morph *m, const char *w)
{
    char **list = NULL;
    int n = Hunspell_analyze(m->hun, &list, w);
    bool yes = false;
    for (int i = 0; i < n && !yes; i++)
        yes = analysis_class(list[i]) == US_INFL_PLURAL;
    Hunspell_free_list(m->hun, &list, n);
    return yes;
}

/* The reading of class k that (lemma, k) competes with, or NULL. */
static reading *rival_of(readings *rs, const char *lemma, us_infl k)
{
    for (size_t i = 0; i < rs->n; i++)
        if ((rs->v[i].k == k || (k == US_INFL_PAST && rs->v[i].k == US_INFL_PARTICIPLE)) &&
            strcmp(rs->v[i].lemma, lemma) != 0)
            return &rs->v[i];
    return NULL;
}

static void readings_remove(readings *rs, reading *x)
{
    size_t i = (size_t)(x - rs->v);
    memmove(x, x + 1, (rs->n - i - 1) * sizeof *x);
    rs->n--;
}

/* Readings from undoing the spelling rules, for forms Hunspell does not
 * analyse as affixed: entries of their own (stopped, women, seeing) and
 * forms of derived words (meetings: meeting).
 *
 * en_US's flags are compressed: they make real words from wrong stems
 * (hop/G gives hoping, rehears/D rehearsed, breath/G breathing), so that a
 * form is often the rules' form of two lemmas (suited: suit, suite;
 * pleased: please, pleas).  The dictionary's reading stands, and the
 * rules' one is dropped, except against a stem that is itself an -s form
 * (rehearsed: rehearse replaces rehears) or a noun in -th beside a verb
 * in -the (breathing: breathe, then breath). */
static int rule_readings(unspin_morph *m, const char *w, int level, readings *rs)
{
    size_t n = strlen(w);
    int rc = UNSPIN_OK;
    for (size_t i = 0; i < US_ARRAY_LEN(RULES) && rc == UNSPIN_OK; i++) {
        char lemma[VARIANT_MAX];
        us_infl k = RULES[i].cls;
        bool ok = false;
        /* The lemma must be spelled as w is: dyed is no past of Dy. */
        if (!undo_rule(&RULES[i], w, n, lemma) || strlen(lemma) >= US_LEMMA_MAX ||
            no_regular_forms(lemma, k) || readings_find(rs, lemma, k) ||
            (k == US_INFL_PAST && readings_find(rs, lemma, US_INFL_PARTICIPLE)) ||
            !spelled_at(m, lemma, level))
            continue;
        reading *rival = rival_of(rs, lemma, k);
        size_t len = strlen(lemma);
        bool e_pair = rival && rival->r == R_AFFIX && strlen(rival->lemma) + 1 == len &&
                      lemma[len - 1] == 'e' && strncmp(rival->lemma, lemma, len - 1) == 0;
        bool th = e_pair && ends_with(lemma, len, "the");
        if (rival && !(e_pair && (th || is_s_form(m, rival->lemma))))
            continue;
        rc = forms_include(m, lemma, k, w, &ok);
        if (!ok)
            continue;
        if (th)
            rival->r = R_RULE; /* after this one */
        else if (rival)
            readings_remove(rs, rival);
        if (readings_add(rs, lemma, k, rival ? R_AFFIX : R_RULE))
            rs->v[rs->n - 1].ruled = true;
    }
    return rc;
}

/* Whether Hunspell knows forms of w of the classes in mask (bits 1 << k)
 * with w as their stem: w is a lemma of its own (ground: grounded, news:
 * news's), not only a form of another (went, stopped). */
static int has_own_forms(unspin_morph *m, const char *w, unsigned mask, bool *yes)
{
    *yes = false;
    int rc = UNSPIN_OK;
    for (int k = US_INFL_PLURAL; k < US_INFL_COUNT && !*yes && rc == UNSPIN_OK; k++) {
        if (!(mask & 1u << k) || k == US_INFL_PARTICIPLE)
            continue;
        words forms = {0};
        rc = regular_forms(w, (us_infl)k, &forms);
        for (size_t i = 0; i < forms.n && !*yes && rc == UNSPIN_OK; i++) {
            char buf[VARIANT_MAX];
            const char *v = spelled_variant(m, forms.v[i], buf);
            char **list = NULL;
            int n = v ? Hunspell_stem(m->hun, &list, v) : 0;
            for (int j = 0; j < n && !*yes; j++)
                *yes = strcasecmp(list[j], w) == 0;
            Hunspell_free_list(m->hun, &list, n);
        }
        words_free(&forms);
    }
    return rc;
}

#define VERB_FORMS (1u << US_INFL_PAST | 1u << US_INFL_GERUND)
#define ALL_FORMS 0xffu

/* Where the word's BASE reading of itself goes, when it is a dictionary
 * entry with other readings: first when it is a lemma of its own with
 * forms of its own (ground: grounded; news: news's), else last (went,
 * stopped, fixed, breaths; better beside good). *none when it gets none:
 * a possessive (Debian lists some: member's). */
static int base_rank(unspin_morph *m, const char *w, const readings *rs, bool irregular,
                     bool graded, rank *r, bool *none)
{
    bool plurals = true, possessive = false, own = false;
    for (size_t i = 0; i < rs->n; i++) {
        plurals = plurals && rs->v[i].k == US_INFL_PLURAL;
        possessive = possessive || rs->v[i].k == US_INFL_POSSESSIVE;
    }
    *none = possessive;
    *r = R_BASE_LAST;
    if (possessive || graded)
        return UNSPIN_OK;
    /* Nouns used in the plural (news, woods) are lemmas when they inflect
     * at all; other forms must be verbs of their own. */
    int rc = has_own_forms(m, w, plurals && !irregular ? ALL_FORMS : VERB_FORMS, &own);
    if (own)
        *r = R_BASE_FIRST;
    return rc;
}

/* Drops the verb readings of an entry w whose lemma shows no other verb
 * form.  en_US's compressed flags make dictionary words forms of others
 * (the/G: thing), and the rules find more (need: nee -d, string: str
 * -ing).  A lemma with Hunspell's flag needs some other form (cast:
 * casts); one the rules found, another past, -ing or -er form (bathe:
 * bathed; read, which en_US has only as re- ad: reader). */
static int drop_verb_artifacts(unspin_morph *m, const char *w, readings *rs)
{
    int rc = UNSPIN_OK;
    for (size_t i = 0; i < rs->n && rc == UNSPIN_OK;) {
        reading *x = &rs->v[i];
        bool verb = true;
        if ((x->r == R_AFFIX || x->r == R_RULE) && strcmp(x->lemma, w) != 0 &&
            (x->k == US_INFL_PAST || x->k == US_INFL_PARTICIPLE || x->k == US_INFL_GERUND))
            rc = verb_evidence(m, x->lemma, w, !x->ruled, &verb);
        if (verb)
            i++;
        else
            readings_remove(rs, x);
    }
    return rc;
}

/* The readings of the lower-case word w (shorter than VARIANT_MAX). */
static int analyze_word(unspin_morph *m, const char *w, readings *rs)
{
    bool entry = false, irregular = false, graded = false;
    int level;
    int rc = affix_readings(m, w, rs, &entry, &level);
    /* Irregular forms, always made by unspin_morph_inflect. */
    for (const exc_entry *e = exc_first(m, w, true); e && rc == UNSPIN_OK;
         e = exc_next(m, e, true)) {
        if (e->cls == US_INFL_BASE || strchr(e->lemma, ' ') || strcmp(e->lemma, w) == 0)
            continue;
        irregular = true;
        graded = graded || e->pos == EXC_ADJ || e->pos == EXC_ADV;
        readings_add(rs, e->lemma, (us_infl)e->cls, R_IRREGULAR);
    }
    if (rc == UNSPIN_OK && level >= 0)
        rc = rule_readings(m, w, level, rs);
    if (rc == UNSPIN_OK && entry)
        rc = drop_verb_artifacts(m, w, rs);
    /* A verb with one form for the present and the past: hit, cut, set. */
    size_t n = strlen(w);
    bool same_past = false;
    if (rc == UNSPIN_OK && entry && (w[n - 1] == 't' || w[n - 1] == 'd') &&
        !no_regular_forms(w, US_INFL_PAST) && !readings_find(rs, w, US_INFL_PAST))
        rc = forms_include(m, w, US_INFL_PAST, w, &same_past);
    bool others = rs->n > 0;
    if (same_past)
        readings_add(rs, w, US_INFL_PAST, R_RULE);
    /* The word as its own lemma: first when it is one, alone when nothing
     * else is known of it. */
    rank r = R_BASE_FIRST;
    bool none = false;
    if (rc == UNSPIN_OK && entry && others)
        rc = base_rank(m, w, rs, irregular, graded, &r, &none);
    if (rc == UNSPIN_OK && (entry || rs->n == 0) && !none)
        readings_add(rs, w, US_INFL_BASE, r);
    return rc;
}

int us_morph_analyze(unspin_morph *m, const char *word, us_analysis *out, size_t cap,
                     size_t *n, unspin_error *err)
{
    const char *fn = "us_morph_analyze";
    if (n)
        *n = 0;
    if (!m || !word || !n || (!out && cap))
        return us_fail(err, UNSPIN_EINVAL, "%s: NULL argument", fn);
    us_error_clear(err);
    size_t len = strlen(word);
    if (len == 0)
        return us_fail(err, UNSPIN_EINVAL, "%s: empty word", fn);
    if (len >= VARIANT_MAX)
        return UNSPIN_OK; /* no lemma would fit US_LEMMA_MAX */
    char w[VARIANT_MAX];
    for (size_t i = 0; i <= len; i++)
        w[i] = ascii_lower(word[i]);
    readings rs;
    rs.n = 0;
    int rc = analyze_word(m, w, &rs);
    if (rc != UNSPIN_OK)
        return us_fail(err, rc, "%s: out of memory", fn);
    /* Stable by rank. */
    for (int r = R_BASE_FIRST; r <= R_BASE_LAST; r++)
        for (size_t i = 0; i < rs.n && *n < cap; i++)
            if (rs.v[i].r == (rank)r) {
                memcpy(out[*n].lemma, rs.v[i].lemma, strlen(rs.v[i].lemma) + 1);
                out[(*n)++].infl = rs.v[i].k;
            }
    return UNSPIN_OK;
}
