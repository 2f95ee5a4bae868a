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
    "                    [--table PATH] [--table-only] [--quiet] -o MODEL\n"
    "\n"
    "Counts the substitutions in the examples, writes the learned table\n"
    "(default MODEL.learned.tsv, or --table) and builds MODEL from Debian's\n"
    "sources and dictionaries/synonyms.txt with that table as its learned one.\n"
    "  --pps FILE     a Problematic Paper Screener tortured-phrase list:\n"
    "                 tortured<TAB>expected<TAB>num_papers, with a header line;\n"
    "                 each row counts once (--weight-papers: num_papers times)\n"
    "  --pairs DIR    NAME.orig.txt and NAME.spun.txt files, aligned pair by pair\n"
    "  --pairs TSV    original<TAB>rewrite lines, each a pair\n"
    "  --table-only   write the table, build no model (-o not needed)\n"
    "  --lm FILE  --mythes FILE  --wordnet DIR  --synonyms FILE\n"
    "  --no-mythes  --no-wordnet  --no-synonyms    sources of the model, as in\n"
    "                 `unspin model build`\n"
    "--base MODEL (train on top of another model's sources) is not supported yet.\n";

static const char EVAL_USAGE[] =
    "usage: unspin eval --pairs DIR|TSV [--pairs ...] [--model PATH] [--format text|json]\n"
    "\n"
    "Aligns each original with its rewrite, runs the detector on both and\n"
    "reports: span precision (spans on the rewrite overlapping a substitution),\n"
    "recall (substitutions overlapped by a span), exact restoration\n"
    "(substitutions whose spans restore the original, case aside), and false\n"
    "spans on the originals (per 1,000 words).\n";

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

static void print_progress(const char *msg, void *data)
{
    (void)data;
    fprintf(stderr, "unspin: %s\n", msg);
}

int cmd_train(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")))
        return fputs(TRAIN_USAGE, stdout), CLI_OK;
    const char *out = NULL, *table = NULL, *pps[32], *pairs[32], *project[16];
    size_t npps = 0, npairs = 0, nproject = 0;
    int table_only = 0, quiet = 0, project_given = 0;
    unsigned flags = 0;
    unspin_build_options o;
    unspin_build_options_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "-o") || !strcmp(a, "--pps") || !strcmp(a, "--pairs") ||
                    !strcmp(a, "--table") || !strcmp(a, "--base") || !strcmp(a, "--lm") ||
                    !strcmp(a, "--mythes") || !strcmp(a, "--wordnet") ||
                    !strcmp(a, "--synonyms");
        if (takes && !v)
            return cli_error("train: %s needs a value", a);
        if (!strcmp(a, "-o"))
            out = v;
        else if (!strcmp(a, "--table"))
            table = v;
        else if (!strcmp(a, "--pps") || !strcmp(a, "--pairs")) {
            const char **list = a[2] == 'p' && a[3] == 'p' ? pps : pairs;
            size_t *n = list == pps ? &npps : &npairs;
            if (*n == 32)
                return cli_error("train: at most 32 %s inputs", a);
            list[(*n)++] = v;
        } else if (!strcmp(a, "--base"))
            return cli_error("train: --base is not supported yet (the model is built from "
                             "Debian's sources; see unspin train --help)");
        else if (!strcmp(a, "--lm"))
            o.lm = v;
        else if (!strcmp(a, "--mythes"))
            o.mythes = v;
        else if (!strcmp(a, "--wordnet"))
            o.wordnet = v;
        else if (!strcmp(a, "--synonyms")) {
            if (nproject == 16)
                return cli_error("train: at most 16 synonym lists");
            project[nproject++] = v;
            project_given = 1;
        } else if (!strcmp(a, "--no-mythes"))
            o.mythes = NULL;
        else if (!strcmp(a, "--no-wordnet"))
            o.wordnet = NULL;
        else if (!strcmp(a, "--no-synonyms"))
            project_given = 1;
        else if (!strcmp(a, "--weight-papers"))
            flags |= UNSPIN_TRAIN_WEIGHT_PAPERS;
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
    if (project_given) {
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
    int rc = CLI_OK;
    for (size_t i = 0; i < npps && rc == CLI_OK; i++)
        if (unspin_trainer_add_pps(t, pps[i], flags, &err) != UNSPIN_OK)
            rc = cli_error("train: %s", err.message);
    for (size_t i = 0; i < npairs && rc == CLI_OK; i++)
        rc = for_pairs(pairs[i], train_pair, t);
    if (rc == CLI_OK && unspin_trainer_write_table(t, table, &err) != UNSPIN_OK)
        rc = cli_error("train: %s", err.message);
    if (rc == CLI_OK && !quiet)
        fprintf(stderr, "unspin: %zu substitutions, %zu table entries, written to %s\n",
                unspin_trainer_phrase_count(t), unspin_trainer_entry_count(t), table);
    unspin_trainer_free(t);
    if (rc != CLI_OK || table_only)
        return rc;
    o.learned = table;
    if (!quiet)
        o.progress = print_progress;
    if (unspin_model_build(&o, out, &err) != UNSPIN_OK)
        return cli_error("train: %s", err.message);
    if (!quiet)
        fprintf(stderr, "unspin: built %s\n", out);
    return CLI_OK;
}

/* ---------------------------------------------------------------- */
/* eval */

typedef struct eval_stats {
    const unspin_model *m;
    size_t pairs, substs, flagged, restored;
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
    for (size_t i = 0; i < nx; i++) {
        if (!x[i].orig_words || !x[i].rewrite_words)
            continue;
        st->substs++;
        int hit = 0;
        for (size_t k = 0; k < nsp && !hit; k++)
            hit = overlaps(sp[k].start, sp[k].end, x[i].rewrite_start, x[i].rewrite_end);
        st->flagged += hit;
        st->restored += hit && restores(s, &x[i], sp, nsp);
    }
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
           fper = st.orig_words ? 1000.0 * (double)st.false_spans / (double)st.orig_words : 0;
    if (!strcmp(format, "json"))
        printf("{\"pairs\": %zu, \"substitutions\": %zu, \"spans\": %zu, "
               "\"spans_on_substitutions\": %zu, \"span_precision\": %.4f, "
               "\"flagged\": %zu, \"recall\": %.4f, \"restored\": %zu, "
               "\"restoration\": %.4f, \"original_words\": %zu, \"false_spans\": %zu, "
               "\"false_spans_per_1000_words\": %.3f}\n",
               st.pairs, st.substs, st.spans, st.spans_hit, prec, st.flagged, rec,
               st.restored, rest, st.orig_words, st.false_spans, fper);
    else
        printf("pairs %zu\nsubstitutions %zu\nspans %zu\nspans_on_substitutions %zu\n"
               "span_precision %.4f\nflagged %zu\nrecall %.4f\nrestored %zu\n"
               "restoration %.4f\noriginal_words %zu\nfalse_spans %zu\n"
               "false_spans_per_1000_words %.3f\n",
               st.pairs, st.substs, st.spans, st.spans_hit, prec, st.flagged, rec,
               st.restored, rest, st.orig_words, st.false_spans, fper);
    return CLI_OK;
}
