/* unspin compare: how much of a suspected copy is a spun copy of a source. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scan.h"

static const char COMPARE_USAGE[] =
    "usage: unspin compare [--format text|json] [--threshold X] SUSPECT SOURCE\n"
    "\n"
    "Aligns the sentences of SUSPECT with those of SOURCE (as unspin align does,\n"
    "in any order) and reports how much of SUSPECT is a copy of SOURCE: the\n"
    "share of the suspect's words that are in sentences paired with a source\n"
    "sentence (copied), and the share of those words a rewrite changed.  Each\n"
    "copied sentence is shown with its substitutions as [suspect -> source].\n"
    "Files may be text or HTML (as in unspin scan); one may be - (standard\n"
    "input).  The verdict: \"spun copy\" (at least half of the words copied,\n"
    "some changed), \"verbatim copy\" (at least half copied, none changed),\n"
    "\"partial copy\" (at least 15 %% copied), else \"not a copy\".  json prints\n"
    "one object with byte and UTF-16 offsets into both texts.\n"
    "Exit status: 0 not a copy, 1 a (spun, verbatim or partial) copy, 2 error.\n";

#define COPY_SHARE 0.5
#define PARTIAL_SHARE 0.15

typedef struct figures {
    size_t words, copied_words, changed_words, sentences, copied_sentences, substitutions;
    double copied_share, changed_share;
    const char *verdict;
} figures;

/* Word and number tokens of t starting in [start, end). */
static size_t words_in(const unspin_text *t, const size_t *cum, size_t start, size_t end)
{
    size_t n = unspin_text_token_count(t);
    const unspin_token *tok = unspin_text_tokens(t);
    /* First token starting at or after x, by bisection. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tok[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t a = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tok[mid].start < end)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cum[lo] - cum[a];
}

static int is_word(const unspin_token *t)
{
    return t->kind == UNSPIN_TOKEN_WORD || t->kind == UNSPIN_TOKEN_NUMBER;
}

static int is_copied(const unspin_align_pair *p)
{
    return p->kind == UNSPIN_ALIGN_IDENTICAL || p->kind == UNSPIN_ALIGN_REWORDING;
}

static int measure(const unspin_alignment *al, figures *f)
{
    memset(f, 0, sizeof *f);
    const unspin_text *t = unspin_alignment_rewrite(al);
    size_t n = unspin_text_token_count(t);
    const unspin_token *tok = unspin_text_tokens(t);
    size_t *cum = malloc((n + 1) * sizeof *cum);
    if (!cum)
        return cli_error("compare: out of memory");
    cum[0] = 0;
    for (size_t i = 0; i < n; i++)
        cum[i + 1] = cum[i] + (size_t)is_word(&tok[i]);
    f->words = cum[n];
    /* Sentences with a word. */
    const unspin_sentence *se = unspin_text_sentences(t);
    for (size_t i = 0; i < unspin_text_sentence_count(t); i++) {
        size_t first = se[i].first_token;
        if (cum[first + se[i].token_count] > cum[first])
            f->sentences++;
    }
    const unspin_align_pair *p = unspin_alignment_pairs(al);
    const unspin_align_subst *s = unspin_alignment_substs(al);
    for (size_t i = 0; i < unspin_alignment_pair_count(al); i++) {
        if (!is_copied(&p[i]))
            continue;
        f->copied_sentences += p[i].rewrite.count;
        f->copied_words += words_in(t, cum, p[i].rewrite.start, p[i].rewrite.end);
        for (size_t k = 0; k < p[i].subst_count; k++) {
            f->changed_words += s[p[i].first_subst + k].rewrite_words;
            f->substitutions++;
        }
    }
    free(cum);
    f->copied_share = f->words ? (double)f->copied_words / (double)f->words : 0;
    f->changed_share = f->copied_words ? (double)f->changed_words / (double)f->copied_words : 0;
    if (f->copied_share >= COPY_SHARE)
        f->verdict = f->changed_words ? "spun copy" : "verbatim copy";
    else if (f->copied_share >= PARTIAL_SHARE)
        f->verdict = "partial copy";
    else
        f->verdict = "not a copy";
    return CLI_OK;
}

/* s[0..n) on one line: runs of white space become one space. */
static void put_flat(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            putchar(' ');
            while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\n' || s[i + 1] == '\r' ||
                                 s[i + 1] == '\t'))
                i++;
        } else
            cli_put_escaped(stdout, s + i, 1);
    }
}

static void print_text(const unspin_alignment *al, const figures *f, const char **names)
{
    printf("%s: %s of %s: %.0f%% of its %zu words are in %zu of its %zu sentences paired with "
           "the source; %.0f%% of those words changed (%zu substitutions)\n",
           names[0], f->verdict, names[1], 100 * f->copied_share, f->words, f->copied_sentences,
           f->sentences, 100 * f->changed_share, f->substitutions);
    const unspin_align_pair *p = unspin_alignment_pairs(al);
    const unspin_align_subst *s = unspin_alignment_substs(al);
    const char *sus = unspin_text_data(unspin_alignment_rewrite(al), NULL);
    const char *src = unspin_text_data(unspin_alignment_orig(al), NULL);
    for (size_t i = 0; i < unspin_alignment_pair_count(al); i++) {
        if (!is_copied(&p[i]))
            continue;
        printf("%s %.2f: suspect %zu", unspin_align_kind_name(p[i].kind), p[i].similarity,
               p[i].rewrite.sentences[0]);
        if (p[i].rewrite.count == 2)
            printf("+%zu", p[i].rewrite.sentences[1]);
        printf(" <- source %zu", p[i].orig.sentences[0]);
        if (p[i].orig.count == 2)
            printf("+%zu", p[i].orig.sentences[1]);
        if (p[i].subst_count)
            printf(", %zu substitution%s", p[i].subst_count, p[i].subst_count == 1 ? "" : "s");
        fputs("\n  source:  ", stdout);
        put_flat(src + p[i].orig.start, p[i].orig.end - p[i].orig.start);
        fputs("\n  suspect: ", stdout);
        size_t pos = p[i].rewrite.start;
        for (size_t k = 0; k < p[i].subst_count; k++) {
            const unspin_align_subst *x = &s[p[i].first_subst + k];
            put_flat(sus + pos, x->rewrite_start - pos);
            putchar('[');
            put_flat(x->rewrite, x->rewrite_end - x->rewrite_start);
            fputs(" -> ", stdout);
            put_flat(x->orig, x->orig_end - x->orig_start);
            putchar(']');
            pos = x->rewrite_end;
        }
        put_flat(sus + pos, p[i].rewrite.end - pos);
        putchar('\n');
    }
}

static json_t *side_json(const unspin_text *t, const unspin_align_side *s)
{
    json_t *sent = json_array();
    for (size_t i = 0; i < s->count; i++)
        json_array_append_new(sent, json_integer((json_int_t)s->sentences[i]));
    const char *data = unspin_text_data(t, NULL);
    return json_pack("{s:o, s:I, s:I, s:I, s:I, s:s%}", "sentences", sent, "start",
                     (json_int_t)s->start, "end", (json_int_t)s->end, "start16",
                     (json_int_t)s->start16, "end16", (json_int_t)s->end16, "text",
                     data + s->start, s->end - s->start);
}

static json_t *subst_side(const char *text, size_t start, size_t end, size_t s16, size_t e16,
                          size_t words)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:s%, s:I}", "start", (json_int_t)start, "end",
                     (json_int_t)end, "start16", (json_int_t)s16, "end16", (json_int_t)e16,
                     "text", text, end - start, "words", (json_int_t)words);
}

static int print_json(const unspin_alignment *al, const figures *f, const char **names)
{
    json_t *pairs = json_array();
    const unspin_align_pair *p = unspin_alignment_pairs(al);
    const unspin_align_subst *s = unspin_alignment_substs(al);
    for (size_t i = 0; pairs && i < unspin_alignment_pair_count(al); i++) {
        if (!is_copied(&p[i]))
            continue;
        json_t *subs = json_array();
        for (size_t k = 0; subs && k < p[i].subst_count; k++) {
            const unspin_align_subst *x = &s[p[i].first_subst + k];
            json_array_append_new(
                subs, json_pack("{s:o, s:o}", "suspect",
                                subst_side(x->rewrite, x->rewrite_start, x->rewrite_end,
                                           x->rewrite_start16, x->rewrite_end16,
                                           x->rewrite_words),
                                "source",
                                subst_side(x->orig, x->orig_start, x->orig_end, x->orig_start16,
                                           x->orig_end16, x->orig_words)));
        }
        json_array_append_new(
            pairs, json_pack("{s:s, s:f, s:o, s:o, s:o}", "kind", unspin_align_kind_name(p[i].kind),
                             "similarity", p[i].similarity, "suspect",
                             side_json(unspin_alignment_rewrite(al), &p[i].rewrite), "source",
                             side_json(unspin_alignment_orig(al), &p[i].orig), "substitutions",
                             subs));
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:f, s:I, s:f, s:I, s:I, s:I, s:f, s:o}",
                          "suspect", names[0], "source", names[1], "verdict", f->verdict,
                          "words", (json_int_t)f->words, "copied_words",
                          (json_int_t)f->copied_words, "copied_share", f->copied_share,
                          "changed_words", (json_int_t)f->changed_words, "changed_share",
                          f->changed_share, "sentences", (json_int_t)f->sentences,
                          "copied_sentences", (json_int_t)f->copied_sentences, "substitutions",
                          (json_int_t)f->substitutions, "threshold",
                          unspin_alignment_threshold(al), "pairs", pairs);
    char *out = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
    json_decref(o);
    if (!out)
        return cli_error("compare: out of memory (or a name is not UTF-8)");
    puts(out);
    free(out);
    return CLI_OK;
}

int cmd_compare(int argc, char **argv)
{
    unspin_align_options o;
    unspin_align_options_default(&o);
    int json = 0, np = 0;
    const char *paths[2] = {NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return fputs(COMPARE_USAGE, stdout), CLI_OK;
        if (!strcmp(a, "--format") || !strcmp(a, "--threshold")) {
            if (i + 1 >= argc)
                return cli_error("compare: %s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--format")) {
                if (strcmp(v, "text") && strcmp(v, "json"))
                    return cli_error("compare: unknown format '%s' (text, json)", v);
                json = !strcmp(v, "json");
                continue;
            }
            char *end;
            errno = 0;
            o.threshold = strtod(v, &end);
            if (errno || end == v || *end || !(o.threshold >= 0 && o.threshold <= 1))
                return cli_error("compare: --threshold wants a number in [0, 1], not '%s'", v);
        } else if (a[0] == '-' && a[1] != '\0')
            return cli_error("compare: unknown option '%s'", a);
        else if (np == 2)
            return cli_error("compare: two files only (usage: unspin compare SUSPECT SOURCE)");
        else
            paths[np++] = a;
    }
    if (np < 2)
        return cli_error("compare: needs SUSPECT and SOURCE (usage: unspin compare SUSPECT "
                         "SOURCE)");
    if (!strcmp(paths[0], "-") && !strcmp(paths[1], "-"))
        return cli_error("compare: only one of the files can be standard input");
    char *data[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    int rc = CLI_OK;
    for (int i = 0; i < 2 && rc == CLI_OK; i++) {
        char msg[600];
        if (scan_load_document(paths[i], &data[i], &len[i], msg, sizeof msg) != CLI_OK)
            rc = cli_error("%s: %s", paths[i], msg);
    }
    unspin_alignment *al = NULL;
    unspin_error err;
    /* The source is the aligner's original, the suspect its rewrite. */
    if (rc == CLI_OK &&
        unspin_align(data[1], len[1], data[0], len[0], &o, &al, &err) != UNSPIN_OK) {
        const char *msg = err.message, *colon = strstr(msg, ": ");
        int suspect = !strncmp(msg, "rewrite: ", 9);
        rc = colon && (suspect || !strncmp(msg, "original: ", 10))
                 ? cli_error("%s: %s", paths[suspect ? 0 : 1], colon + 2)
                 : cli_error("compare: %s", msg);
    }
    figures f;
    if (rc == CLI_OK)
        rc = measure(al, &f);
    if (rc == CLI_OK) {
        const char *names[2] = {strcmp(paths[0], "-") ? paths[0] : "<stdin>",
                                strcmp(paths[1], "-") ? paths[1] : "<stdin>"};
        if (json)
            rc = print_json(al, &f, names);
        else
            print_text(al, &f, names);
        if (rc == CLI_OK && f.copied_share >= PARTIAL_SHARE)
            rc = CLI_FOUND;
    }
    unspin_alignment_free(al);
    free(data[0]);
    free(data[1]);
    return rc;
}
