/* unspin train | eval: learn the channel from examples, and measure it. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char TRAIN_USAGE[] =
    "usage: unspin train [--pps FILE]... [--pairs DIR|TSV]... [--weight-papers]\n"
    "                    [--base MODEL] [--share X] [--no-function-words]\n"
    "                    [--table PATH] [--table-only] [--quiet] -o MODEL\n"
    "\n"
    "Counts the substitutions in the examples, writes the learned table\n"
    "(default MODEL.learned.tsv, or --table) and builds MODEL from Debian's\n"
    "sources and dictionaries/synonyms.txt with that table as its learned one.\n"
    "  --base MODEL   train on top of MODEL: its learned counts are added to\n"
    "                 the new ones, and the new model is built from the LM,\n"
    "                 thesauri and synonym lists MODEL was built from (as its\n"
    "                 metadata records them; each must still be there, the same\n"
    "                 size) unless given below\n"
    "  --pps FILE     a Problematic Paper Screener tortured-phrase list:\n"
    "                 tortured<TAB>expected<TAB>num_papers, with a header line;\n"
    "                 each row counts once (--weight-papers: num_papers times)\n"
    "  --pairs DIR    NAME.orig.txt and NAME.spun.txt files, aligned pair by pair\n"
    "  --pairs TSV    original<TAB>rewrite lines, each a pair\n"
    "  --share X      multiply the probabilities written by X (0 < X <= 1,\n"
    "                 default 1): the examples show one spinner's habits, X is\n"
    "                 how often a document's spinner is taken to be like it (the\n"
    "                 thesaurus stands for the others); counts are kept as they are\n"
    "  --no-function-words  leave out entries whose spun or original side is\n"
    "                 only function words (\"each\" <- both, \"successful\" <- in):\n"
    "                 in natural text the detector would take them for a\n"
    "                 spinner's habit\n"
    "  --table-only   write the table, build no model (-o not needed)\n"
    "  --lm FILE  --mythes FILE  --wordnet DIR  --synonyms FILE\n"
    "  --no-mythes  --no-wordnet  --no-synonyms    sources of the model, as in\n"
    "                 `unspin model build`\n";

static const char EVAL_USAGE[] =
    "usage: unspin eval --pairs DIR|TSV [--pairs ...] [--model PATH] [--format text|json]\n"
    "\n"
    "Aligns each original with its rewrite, runs the detector on both and\n"
    "reports: span precision (spans on the rewrite overlapping a substitution),\n"
    "recall (substitutions overlapped by a span), exact restoration\n"
    "(substitutions whose spans restore the original, case aside), and false\n"
    "spans on the originals (per 1,000 words).  The same by pair, for lists\n"
    "of phrases placed in sentences (one change a pair): pair_recall, the\n"
    "pairs with a substitution that have one flagged, and pair_restoration,\n"
    "those with every substitution restored.\n";

/* ---------------------------------------------------------------- */
/* Pairs: a directory of NAME.orig.txt / NAME.spun.txt, or a TSV file. */

typedef int (*pair_fn)(const char *name, const char *orig, size_t olen, const char *rw,
                       size_t rlen, void *data);

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pairs_dir(const char *dir, pair_fn fn, void *data)
{
    DIR *d = opendir(dir);
    if (!d)
        return cli_error("%s: cannot open directory", dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = CLI_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!ends_with(de->d_name, ".orig.txt"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *names);
            if (!p) {
                rc = cli_error("out of memory");
                break;
            }
            names = p;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = cli_error("out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == CLI_OK; i++) {
        char op[PATH_MAX], sp[PATH_MAX];
        size_t stem = strlen(names[i]) - strlen(".orig.txt");
        snprintf(op, sizeof op, "%s/%s", dir, names[i]);
        snprintf(sp, sizeof sp, "%s/%.*s.spun.txt", dir, (int)stem, names[i]);
        char *o = NULL, *s = NULL;
        size_t ol, sl;
        if ((rc = cli_read_input(op, &o, &ol)) == CLI_OK &&
            (rc = cli_read_input(sp, &s, &sl)) == CLI_OK)
            rc = fn(op, o, ol, s, sl, data);
        free(o);
        free(s);
    }
    if (rc == CLI_OK && n == 0)
        rc = cli_error("%s: no NAME.orig.txt files", dir);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int pairs_tsv(const char *path, pair_fn fn, void *data)
{
    char *buf;
    size_t len;
    int rc = cli_read_input(path, &buf, &len);
    if (rc != CLI_OK)
        return rc;
    size_t lineno = 0, used = 0;
    for (char *line = buf; rc == CLI_OK && line < buf + len;) {
        char *nl = memchr(line, '\n', (size_t)(buf + len - line));
        char *end = nl ? nl : buf + len;
        lineno++;
        if (end > line && end[-1] == '\r')
            end[-1] = '\0';
        *end = '\0';
        if (*line && *line != '#') {
            char *tab = strchr(line, '\t');
            if (!tab || strchr(tab + 1, '\t'))
                rc = cli_error("%s:%zu: expected original<TAB>rewrite", path, lineno);
            else {
                *tab = '\0';
                char name[PATH_MAX];
                snprintf(name, sizeof name, "%s:%zu", path, lineno);
                if (*line && tab[1]) {
                    rc = fn(name, line, strlen(line), tab + 1, strlen(tab + 1), data);
                    used++;
                }
            }
        }
        line = end + 1;
    }
    if (rc == CLI_OK && used == 0)
        rc = cli_error("%s: no pairs", path);
    free(buf);
    return rc;
}

static int for_pairs(const char *path, pair_fn fn, void *data)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cli_error("%s: no such file or directory", path);
    return S_ISDIR(st.st_mode) ? pairs_dir(path, fn, data) : pairs_tsv(path, fn, data);
}

/* ---------------------------------------------------------------- */
/* train */

static int train_pair(const char *name, const char *o, size_t ol, const char *s, size_t sl,
                      void *data)
{
    unspin_error err;
    if (unspin_trainer_add_pair(data, o, ol, s, sl, &err) != UNSPIN_OK)
        return cli_error("%s: %s", name, err.message);
    return CLI_OK;
}

/* ---------------------------------------------------------------- */
/* --base: the sources a model was built from, as its metadata records
 * them ("source.lm=PATH size=N mtime=T"; see src/model/build.c). */

#define BASE_MAX_PROJECT 16

/* Sources named on the command line: the base's are neither taken nor
 * checked. */
enum { GIVEN_LM = 1, GIVEN_MYTHES = 2, GIVEN_WORDNET = 4, GIVEN_PROJECT = 8 };

typedef struct base_sources {
    char *lm, *mythes, *wordnet;
    char *project[BASE_MAX_PROJECT];
    size_t nproject;
} base_sources;

static void base_sources_free(base_sources *b)
{
    free(b->lm);
    free(b->mythes);
    free(b->wordnet);
    for (size_t i = 0; i < b->nproject; i++)
        free(b->project[i]);
}

/* The path of one source line's value, checked against the recorded size
 * so that a model is not silently rebuilt from different files. */
static int base_source_path(const char *base, const char *value, size_t len, char **out)
{
    const char *size = NULL;
    for (const char *p = value; p + 6 <= value + len; p++)
        if (!memcmp(p, " size=", 6))
            size = p;
    size_t plen = size ? (size_t)(size - value) : len;
    char *path = strndup(value, plen);
    if (!path)
        return cli_error("out of memory");
    struct stat st;
    if (stat(path, &st) != 0) {
        int rc = cli_error("train: --base %s: its source %s is missing (give it with "
                           "--lm, --mythes, --wordnet or --synonyms)", base, path);
        free(path);
        return rc;
    }
    if (size && S_ISREG(st.st_mode) && strtoll(size + 6, NULL, 10) != (long long)st.st_size) {
        int rc = cli_error("train: --base %s: its source %s has changed since it was built "
                           "(give it with --lm, --mythes, --wordnet or --synonyms)", base, path);
        free(path);
        return rc;
    }
    *out = path;
    return CLI_OK;
}

static int base_read_sources(const char *base, const char *meta, unsigned given,
                             base_sources *b)
{
    int rc = CLI_OK;
    for (const char *line = meta; rc == CLI_OK && line && *line;) {
        const char *nl = strchr(line, '\n'), *end = nl ? nl : line + strlen(line);
        const char *eq = memchr(line, '=', (size_t)(end - line));
        if (eq) {
            size_t klen = (size_t)(eq - line), vlen = (size_t)(end - eq - 1);
            char **slot = NULL;
            if (klen == 9 && !memcmp(line, "source.lm", 9) && !(given & GIVEN_LM))
                slot = &b->lm;
            else if (klen == 13 && !memcmp(line, "source.mythes", 13) &&
                     !(given & GIVEN_MYTHES))
                slot = &b->mythes;
            else if (klen == 14 && !memcmp(line, "source.wordnet", 14) &&
                     !(given & GIVEN_WORDNET))
                slot = &b->wordnet;
            else if (klen == 14 && !memcmp(line, "source.project", 14) &&
                     !(given & GIVEN_PROJECT)) {
                if (b->nproject == BASE_MAX_PROJECT)
                    rc = cli_error("train: --base %s: too many synonym lists", base);
                else
                    slot = &b->project[b->nproject++];
            }
            if (slot && !*slot)
                rc = base_source_path(base, eq + 1, vlen, slot);
        }
        line = nl ? nl + 1 : NULL;
    }
    if (rc == CLI_OK && !b->lm && !(given & GIVEN_LM))
        rc = cli_error("train: --base %s: its metadata names no language model", base);
    return rc;
}

/* Opens the base model: its learned counts go to the trainer, its sources
 * to b. */
static int base_load(const char *base, unsigned given, unspin_trainer *t, base_sources *b)
{
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(base, &m, &err) != UNSPIN_OK)
        return cli_error("train: --base: %s", err.message);
    int rc = CLI_OK;
    if (unspin_trainer_add_model(t, m, &err) != UNSPIN_OK)
        rc = cli_error("train: --base: %s", err.message);
    else
        rc = base_read_sources(base, unspin_model_metadata(m), given, b);
    unspin_model_free(m);
    return rc;
}

/* ---------------------------------------------------------------- */
/* --share and --no-function-words: a pass over the written table.  Counts
 * are kept as they are (they are what --base adds to); the probability is
 * the last field of each line. */

typedef struct table_pass {
    double share;        /* probabilities multiplied by this */
    int no_function;     /* leave out entries of function words */
} table_pass;

/* Function words and the adverbs spinners put for them.  In natural text
 * they are everywhere, and a learned swap of one ("each" <- both,
 * "successful" <- in) is then taken for a spinner's fingerprint. */
static const char *const FUNCTION_WORDS[] = {
    "a", "about", "above", "additionally", "after", "again", "against", "all", "also", "am",
    "amongst", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
    "below", "beneath", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "due", "during", "each", "either", "every", "extra", "few", "for",
    "from", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how",
    "however", "i", "if", "in", "inside", "into", "is", "it", "its", "just", "less", "may",
    "me", "might", "more", "most", "much", "must", "my", "nearly", "nevertheless", "no",
    "nonetheless", "nor", "not", "now", "numerous", "of", "off", "on", "once", "only", "or",
    "other", "our", "out", "over", "own", "round", "roughly", "same", "she", "should",
    "simply", "so", "solely", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "though", "through", "throughout", "till",
    "to", "too", "towards", "under", "underneath", "until", "up", "very", "was", "we", "were",
    "what", "when", "where", "whereas", "which", "while", "who", "whom", "why", "will",
    "with", "would", "you", "your"};

static int is_function_word(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof FUNCTION_WORDS / sizeof *FUNCTION_WORDS; i++)
        if (strlen(FUNCTION_WORDS[i]) == n && !memcmp(FUNCTION_WORDS[i], w, n))
            return 1;
    return 0;
}

/* 1 when every word of the phrase [s, end) is a function word. */
static int all_function_words(const char *s, const char *end)
{
    while (s < end) {
        const char *sp = memchr(s, ' ', (size_t)(end - s));
        const char *we = sp ? sp : end;
        if (!is_function_word(s, (size_t)(we - s)))
            return 0;
        s = we + 1;
    }
    return 1;
}

/* One line of the table: kept, scaled or left out. */
static void pass_line(FILE *f, const char *line, size_t n, const table_pass *tp)
{
    const char *end = line + n, *tab1 = memchr(line, '\t', n), *last = NULL;
    for (const char *p = line; p < end; p++)
        if (*p == '\t')
            last = p;
    if (*line == '#' || !tab1 || last == tab1) {
        fprintf(f, "%.*s\n", (int)n, line);
        return;
    }
    const char *tab2 = memchr(tab1 + 1, '\t', (size_t)(end - tab1 - 1));
    if (tp->no_function && tab2 &&
        (all_function_words(line, tab1) || all_function_words(tab1 + 1, tab2)))
        return;
    fprintf(f, "%.*s\t%.6g\n", (int)(last - line), line, strtod(last + 1, NULL) * tp->share);
}

static int write_pass(FILE *f, const char *buf, size_t len, const table_pass *tp)
{
    if (tp->share < 1)
        fprintf(f, "# Probabilities multiplied by %g (unspin train --share).\n", tp->share);
    if (tp->no_function)
        fprintf(f, "# Entries of function words only left out (--no-function-words).\n");
    for (const char *line = buf; line < buf + len;) {
        const char *nl = memchr(line, '\n', (size_t)(buf + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(buf + len - line);
        pass_line(f, line, n, tp);
        line += n + 1;
    }
    return ferror(f) ? -1 : 0;
}

static int rewrite_table(const char *path, const table_pass *tp)
{
    char *buf, tmp[PATH_MAX + 8];
    size_t len;
    if (strlen(path) >= PATH_MAX)
        return cli_error("train: %s: path too long", path);
    int rc = cli_read_input(path, &buf, &len);
    if (rc != CLI_OK)
        return rc;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        free(buf);
        return cli_error("train: %s: cannot write", tmp);
    }
    int bad = write_pass(f, buf, len, tp);
    free(buf);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        remove(tmp);
        return cli_error("train: %s: write error", path);
    }
    return CLI_OK;
}

static void print_progress(const char *msg, void *data)
{
    (void)data;
    fprintf(stderr, "unspin: %s\n", msg);
}

/* Builds MODEL with the learned table; with a base, from the base's sources
 * where the command line did not name them. */
static int build_trained(unspin_build_options *o, const char *out, const char *table,
                         const char *base, const base_sources *bs, unsigned given, int quiet)
{
    char meta[PATH_MAX + 32];
    if (base) {
        if (!(given & GIVEN_LM))
            o->lm = bs->lm;
        if (!(given & GIVEN_MYTHES))
            o->mythes = bs->mythes;
        if (!(given & GIVEN_WORDNET))
            o->wordnet = bs->wordnet;
        if (!(given & GIVEN_PROJECT)) {
            o->project = (const char *const *)bs->project;
            o->nproject = bs->nproject;
        }
        snprintf(meta, sizeof meta, "trained.base=%s", base);
        o->extra_metadata = meta;
    }
    o->learned = table;
    if (!quiet)
        o->progress = print_progress;
    unspin_error err;
    if (unspin_model_build(o, out, &err) != UNSPIN_OK)
        return cli_error("train: %s", err.message);
    if (!quiet)
        fprintf(stderr, "unspin: built %s\n", out);
    return CLI_OK;
}

int cmd_train(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")))
        return fputs(TRAIN_USAGE, stdout), CLI_OK;
    const char *out = NULL, *table = NULL, *base = NULL, *pps[32], *pairs[32], *project[16];
    size_t npps = 0, npairs = 0, nproject = 0;
    int table_only = 0, quiet = 0;
    unsigned given = 0;
    unsigned flags = 0;
    table_pass tp = {1.0, 0};
    unspin_build_options o;
    unspin_build_options_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "-o") || !strcmp(a, "--pps") || !strcmp(a, "--pairs") ||
                    !strcmp(a, "--table") || !strcmp(a, "--base") || !strcmp(a, "--lm") ||
                    !strcmp(a, "--mythes") || !strcmp(a, "--wordnet") ||
                    !strcmp(a, "--synonyms") || !strcmp(a, "--share");
        if (takes && !v)
            return cli_error("train: %s needs a value", a);
        if (!strcmp(a, "-o"))
            out = v;
        else if (!strcmp(a, "--share")) {
            char *end;
            tp.share = strtod(v, &end);
            if (end == v || *end || !(tp.share > 0 && tp.share <= 1))
                return cli_error("train: --share must be a number in (0, 1]");
        }
        else if (!strcmp(a, "--table"))
            table = v;
        else if (!strcmp(a, "--pps") || !strcmp(a, "--pairs")) {
            const char **list = a[2] == 'p' && a[3] == 'p' ? pps : pairs;
            size_t *n = list == pps ? &npps : &npairs;
            if (*n == 32)
                return cli_error("train: at most 32 %s inputs", a);
            list[(*n)++] = v;
        } else if (!strcmp(a, "--base"))
            base = v;
        else if (!strcmp(a, "--lm"))
            o.lm = v, given |= GIVEN_LM;
        else if (!strcmp(a, "--mythes"))
            o.mythes = v, given |= GIVEN_MYTHES;
        else if (!strcmp(a, "--wordnet"))
            o.wordnet = v, given |= GIVEN_WORDNET;
        else if (!strcmp(a, "--synonyms")) {
            if (nproject == 16)
                return cli_error("train: at most 16 synonym lists");
            project[nproject++] = v;
            given |= GIVEN_PROJECT;
        } else if (!strcmp(a, "--no-mythes"))
            o.mythes = NULL, given |= GIVEN_MYTHES;
        else if (!strcmp(a, "--no-wordnet"))
            o.wordnet = NULL, given |= GIVEN_WORDNET;
        else if (!strcmp(a, "--no-synonyms"))
            given |= GIVEN_PROJECT;
        else if (!strcmp(a, "--weight-papers"))
            flags |= UNSPIN_TRAIN_WEIGHT_PAPERS;
        else if (!strcmp(a, "--no-function-words"))
            tp.no_function = 1;
        else if (!strcmp(a, "--table-only"))
            table_only = 1;
        else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else
            return cli_error("train: unknown argument '%s' (see unspin train --help)", a);
        i += takes;
    }
    if (!npps && !npairs)
        return cli_error("train: nothing to learn from (--pps FILE or --pairs DIR|TSV)");
    if (!out && !table_only)
        return cli_error("train: -o MODEL is needed (or --table-only --table PATH)");
    if (table_only && !table)
        return cli_error("train: --table-only needs --table PATH");
    if (given & GIVEN_PROJECT) {
        o.project = project;
        o.nproject = nproject;
    }
    char table_buf[PATH_MAX];
    if (!table) {
        snprintf(table_buf, sizeof table_buf, "%s.learned.tsv", out);
        table = table_buf;
    }
    unspin_trainer *t;
    unspin_error err;
    if (unspin_trainer_new(&t, &err) != UNSPIN_OK)
        return cli_error("train: %s", err.message);
    base_sources bs;
    memset(&bs, 0, sizeof bs);
    int rc = base ? base_load(base, given, t, &bs) : CLI_OK;
    for (size_t i = 0; i < npps && rc == CLI_OK; i++)
        if (unspin_trainer_add_pps(t, pps[i], flags, &err) != UNSPIN_OK)
            rc = cli_error("train: %s", err.message);
    for (size_t i = 0; i < npairs && rc == CLI_OK; i++)
        rc = for_pairs(pairs[i], train_pair, t);
    if (rc == CLI_OK && unspin_trainer_write_table(t, table, &err) != UNSPIN_OK)
        rc = cli_error("train: %s", err.message);
    if (rc == CLI_OK && (tp.share < 1 || tp.no_function))
        rc = rewrite_table(table, &tp);
    if (rc == CLI_OK && !quiet)
        fprintf(stderr, "unspin: %zu substitutions, %zu table entries, written to %s\n",
                unspin_trainer_phrase_count(t), unspin_trainer_entry_count(t), table);
    unspin_trainer_free(t);
    if (rc == CLI_OK && !table_only)
        rc = build_trained(&o, out, table, base, &bs, given, quiet);
    base_sources_free(&bs);
    return rc;
}

/* ---------------------------------------------------------------- */
/* eval */

typedef struct eval_stats {
    const unspin_model *m;
    size_t pairs, substs, flagged, restored;
    size_t pairs_changed, pairs_flagged, pairs_restored;
    size_t spans, spans_hit;
    size_t orig_words, false_spans;
} eval_stats;

static int overlaps(size_t a0, size_t a1, size_t b0, size_t b1)
{
    return a0 < b1 && b0 < a1;
}

/* s lower-cased with runs of spaces made one (a new string). */
static char *fold(const char *s, size_t n)
{
    unspin_error err;
    size_t len;
    char *p = unspin_normalize(s, n, &len, &err);
    if (!p)
        return NULL;
    size_t j = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
            space = j > 0;
            continue;
        }
        if (space)
            p[j++] = ' ';
        space = 0;
        p[j++] = p[i];
    }
    p[j] = '\0';
    return p;
}

/* Does replacing the spans inside the substitution's rewrite stretch give
 * its original (case and spacing aside)?  Every overlapping span must lie
 * inside the stretch. */
static int restores(const char *rw, const unspin_align_subst *x, const unspin_span *sp,
                    size_t nsp)
{
    size_t cap = 2 * (x->rewrite_end - x->rewrite_start) + 16, n = 0;
    for (size_t k = 0; k < nsp; k++)
        cap += strlen(sp[k].original) + 1;
    char *buf = malloc(cap);
    if (!buf)
        return 0;
    size_t pos = x->rewrite_start;
    int ok = 1, any = 0;
    for (size_t k = 0; k < nsp && ok; k++) {
        if (!overlaps(sp[k].start, sp[k].end, x->rewrite_start, x->rewrite_end))
            continue;
        if (sp[k].start < pos || sp[k].end > x->rewrite_end) {
            ok = 0;
            break;
        }
        memcpy(buf + n, rw + pos, sp[k].start - pos);
        n += sp[k].start - pos;
        size_t ol = strlen(sp[k].original);
        memcpy(buf + n, sp[k].original, ol);
        n += ol;
        pos = sp[k].end;
        any = 1;
    }
    if (ok && any) {
        memcpy(buf + n, rw + pos, x->rewrite_end - pos);
        n += x->rewrite_end - pos;
        char *a = fold(buf, n), *b = fold(x->orig, strlen(x->orig));
        ok = a && b && !strcmp(a, b);
        free(a);
        free(b);
    } else
        ok = 0;
    free(buf);
    return ok;
}

static int eval_pair(const char *name, const char *o, size_t ol, const char *s, size_t sl,
                     void *data)
{
    eval_stats *st = data;
    unspin_error err;
    unspin_alignment *a = NULL;
    unspin_result *rr = NULL, *ro = NULL;
    unspin_detect_options opts;
    unspin_detect_options_default(&opts);
    int rc = CLI_OK;
    if (unspin_align(o, ol, s, sl, NULL, &a, &err) != UNSPIN_OK ||
        unspin_detect(st->m, &opts, s, sl, &rr, &err) != UNSPIN_OK ||
        unspin_detect(st->m, &opts, o, ol, &ro, &err) != UNSPIN_OK) {
        rc = cli_error("%s: %s", name, err.message);
        goto done;
    }
    st->pairs++;
    const unspin_align_subst *x = unspin_alignment_substs(a);
    size_t nx = unspin_alignment_subst_count(a);
    const unspin_span *sp = unspin_result_spans(rr);
    size_t nsp = unspin_result_span_count(rr);
    size_t changed = 0, hits = 0, fixed = 0;
    for (size_t i = 0; i < nx; i++) {
        if (!x[i].orig_words || !x[i].rewrite_words)
            continue;
        changed++;
        int hit = 0;
        for (size_t k = 0; k < nsp && !hit; k++)
            hit = overlaps(sp[k].start, sp[k].end, x[i].rewrite_start, x[i].rewrite_end);
        hits += hit;
        fixed += hit && restores(s, &x[i], sp, nsp);
    }
    st->substs += changed;
    st->flagged += hits;
    st->restored += fixed;
    st->pairs_changed += changed > 0;
    st->pairs_flagged += hits > 0;
    st->pairs_restored += changed > 0 && fixed == changed;
    for (size_t k = 0; k < nsp; k++) {
        int hit = 0;
        for (size_t i = 0; i < nx && !hit; i++)
            hit = x[i].orig_words && x[i].rewrite_words &&
                  overlaps(sp[k].start, sp[k].end, x[i].rewrite_start, x[i].rewrite_end);
        st->spans++;
        st->spans_hit += hit;
    }
    st->orig_words += unspin_result_words(ro);
    st->false_spans += unspin_result_span_count(ro);
done:
    unspin_alignment_free(a);
    unspin_result_free(rr);
    unspin_result_free(ro);
    return rc;
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

int cmd_eval(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")))
        return fputs(EVAL_USAGE, stdout), CLI_OK;
    const char *model = NULL, *format = "text", *pairs[32];
    size_t npairs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "--pairs") || !strcmp(a, "--model") || !strcmp(a, "--format");
        if (takes && !v)
            return cli_error("eval: %s needs a value", a);
        if (!strcmp(a, "--pairs")) {
            if (npairs == 32)
                return cli_error("eval: at most 32 --pairs inputs");
            pairs[npairs++] = v;
        } else if (!strcmp(a, "--model"))
            model = v;
        else if (!strcmp(a, "--format")) {
            if (strcmp(v, "text") && strcmp(v, "json"))
                return cli_error("eval: --format must be text or json");
            format = v;
        } else
            return cli_error("eval: unknown argument '%s' (see unspin eval --help)", a);
        i += takes;
    }
    if (!npairs)
        return cli_error("eval: --pairs DIR|TSV is needed");
    char buf[PATH_MAX + 32];
    const char *path = cli_find_model(model, buf, sizeof buf);
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(path, &m, &err) != UNSPIN_OK)
        return cli_error("%s", err.message);
    eval_stats st;
    memset(&st, 0, sizeof st);
    st.m = m;
    int rc = CLI_OK;
    for (size_t i = 0; i < npairs && rc == CLI_OK; i++)
        rc = for_pairs(pairs[i], eval_pair, &st);
    unspin_model_free(m);
    if (rc != CLI_OK)
        return rc;
    double prec = ratio(st.spans_hit, st.spans), rec = ratio(st.flagged, st.substs),
           rest = ratio(st.restored, st.substs),
           recall_pairs = ratio(st.pairs_flagged, st.pairs_changed),
           rest_pairs = ratio(st.pairs_restored, st.pairs_changed),
           fper = st.orig_words ? 1000.0 * (double)st.false_spans / (double)st.orig_words : 0;
    if (!strcmp(format, "json"))
        printf("{\"pairs\": %zu, \"substitutions\": %zu, \"spans\": %zu, "
               "\"spans_on_substitutions\": %zu, \"span_precision\": %.4f, "
               "\"flagged\": %zu, \"recall\": %.4f, \"restored\": %zu, "
               "\"restoration\": %.4f, \"pairs_changed\": %zu, \"pairs_flagged\": %zu, "
               "\"pair_recall\": %.4f, \"pairs_restored\": %zu, \"pair_restoration\": %.4f, "
               "\"original_words\": %zu, \"false_spans\": %zu, "
               "\"false_spans_per_1000_words\": %.3f}\n",
               st.pairs, st.substs, st.spans, st.spans_hit, prec, st.flagged, rec,
               st.restored, rest, st.pairs_changed, st.pairs_flagged, recall_pairs,
               st.pairs_restored, rest_pairs, st.orig_words, st.false_spans, fper);
    else
        printf("pairs %zu\nsubstitutions %zu\nspans %zu\nspans_on_substitutions %zu\n"
               "span_precision %.4f\nflagged %zu\nrecall %.4f\nrestored %zu\n"
               "restoration %.4f\npairs_changed %zu\npairs_flagged %zu\npair_recall %.4f\n"
               "pairs_restored %zu\npair_restoration %.4f\n"
               "original_words %zu\nfalse_spans %zu\nfalse_spans_per_1000_words %.3f\n",
               st.pairs, st.substs, st.spans, st.spans_hit, prec, st.flagged, rec,
               st.restored, rest, st.pairs_changed, st.pairs_flagged, recall_pairs,
               st.pairs_restored, rest_pairs, st.orig_words, st.false_spans, fper);
    return CLI_OK;
}
