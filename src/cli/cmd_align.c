/* unspin align: pair the sentences of an original and a rewrite and show
 * what the rewrite changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char ALIGN_USAGE[] =
    "usage: unspin align [--format text|json] [--threshold X] [--no-merges]\n"
    "                    ORIGINAL REWRITE\n"
    "\n"
    "Pairs each sentence of REWRITE with the sentence of ORIGINAL it rewords,\n"
    "in any order, two adjacent sentences of one side with one of the other\n"
    "when they were merged or split (unless --no-merges), and marks the words\n"
    "the rewrite changed as [rewrite -> original].  Pairs have a similarity in\n"
    "[0, 1] and a kind: identical (same words), rewording (similarity at least\n"
    "the threshold, 0.35 by default; or, below it, an unpaired sentence between\n"
    "two pairs kept in order that shares most of its tokens in order with the\n"
    "unpaired sentence across), and sentences left without a counterpart\n"
    "are listed as added (rewrite) or dropped (original) with the similarity of\n"
    "their nearest sentence.  json prints one object with byte and UTF-16\n"
    "offsets into both files.  Either file may be - for standard input.\n"
    "Exit status: 0 success, 2 error.\n";

enum format { FMT_TEXT, FMT_JSON };

/* Writes s[0..n) on one line: runs of spaces and line breaks become one
 * space, other control bytes are escaped. */
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

static void put_sentences(const char *label, const unspin_align_side *s)
{
    printf("%s %zu", label, s->sentences[0]);
    if (s->count == 2)
        printf("+%zu", s->sentences[1]);
}

/* The rewrite side with each substitution as [rewrite -> original]. */
static void put_marked(const unspin_alignment *a, const unspin_align_pair *p)
{
    const char *data = unspin_text_data(unspin_alignment_rewrite(a), NULL);
    const unspin_align_subst *s =
        p->subst_count ? unspin_alignment_substs(a) + p->first_subst : NULL; /* NULL + 0 is UB */
    size_t pos = p->rewrite.start;
    for (size_t k = 0; k < p->subst_count; k++) {
        put_flat(data + pos, s[k].rewrite_start - pos);
        putchar('[');
        put_flat(s[k].rewrite, s[k].rewrite_end - s[k].rewrite_start);
        fputs(" -> ", stdout);
        put_flat(s[k].orig, s[k].orig_end - s[k].orig_start);
        putchar(']');
        pos = s[k].rewrite_end;
    }
    put_flat(data + pos, p->rewrite.end - pos);
}

static void put_side_text(const unspin_text *t, const unspin_align_side *s)
{
    put_flat(unspin_text_data(t, NULL) + s->start, s->end - s->start);
}

static void print_pair(const unspin_alignment *a, const unspin_align_pair *p)
{
    printf("%s %.2f", unspin_align_kind_name(p->kind), p->similarity);
    if (p->orig.count) {
        putchar(' ');
        put_sentences("original", &p->orig);
    }
    if (p->rewrite.count) {
        putchar(' ');
        put_sentences("rewrite", &p->rewrite);
    }
    if (p->kind == UNSPIN_ALIGN_DROPPED || p->kind == UNSPIN_ALIGN_ADDED) {
        if (p->nearest == SIZE_MAX)
            fputs(" (no sentence shares a word)", stdout);
        else
            printf(" (nearest: %s %zu)", p->kind == UNSPIN_ALIGN_DROPPED ? "rewrite" : "original",
                   p->nearest);
    }
    if (p->subst_count)
        printf(", %zu substitution%s", p->subst_count, p->subst_count == 1 ? "" : "s");
    putchar('\n');
    if (p->orig.count) {
        fputs("  O: ", stdout);
        put_side_text(unspin_alignment_orig(a), &p->orig);
        putchar('\n');
    }
    if (p->rewrite.count) {
        fputs("  R: ", stdout);
        if (p->orig.count)
            put_marked(a, p);
        else
            put_side_text(unspin_alignment_rewrite(a), &p->rewrite);
        putchar('\n');
    }
}

static void print_text(const unspin_alignment *a)
{
    size_t n = unspin_alignment_pair_count(a), k[4] = {0};
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    for (size_t i = 0; i < n; i++) {
        print_pair(a, &p[i]);
        if ((unsigned)p[i].kind < 4)
            k[p[i].kind]++;
    }
    printf("# %zu pairs (%zu identical, %zu rewording), %zu dropped, %zu added, "
           "%zu substitutions, threshold %.2f\n",
           k[0] + k[1], k[0], k[1], k[2], k[3], unspin_alignment_subst_count(a),
           unspin_alignment_threshold(a));
}

/* Parses the options into *o, *fmt and the two paths; CLI_OK, CLI_ERROR,
 * or -1 when help was printed. */
static int parse_args(int argc, char **argv, unspin_align_options *o, enum format *fmt,
                      const char **paths)
{
    int np = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return fputs(ALIGN_USAGE, stdout), -1;
        if (!strcmp(a, "--format") || !strcmp(a, "--threshold")) {
            if (i + 1 >= argc)
                return cli_error("align: %s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--format")) {
                if (strcmp(v, "text") && strcmp(v, "json"))
                    return cli_error("align: unknown format '%s' (text, json)", v);
                *fmt = strcmp(v, "json") ? FMT_TEXT : FMT_JSON;
                continue;
            }
            char *end;
            errno = 0;
            o->threshold = strtod(v, &end);
            if (errno || end == v || *end || !(o->threshold >= 0 && o->threshold <= 1))
                return cli_error("align: --threshold wants a number in [0, 1], not '%s'", v);
        } else if (!strcmp(a, "--no-merges"))
            o->merges = 0;
        else if (a[0] == '-' && a[1] != '\0')
            return cli_error("align: unknown option '%s'", a);
        else if (np == 2)
            return cli_error("align: two files only (usage: unspin align ORIGINAL REWRITE)");
        else
            paths[np++] = a;
    }
    if (np < 2)
        return cli_error("align: needs ORIGINAL and REWRITE (usage: unspin align ORIGINAL "
                         "REWRITE)");
    if (!strcmp(paths[0], "-") && !strcmp(paths[1], "-"))
        return cli_error("align: only one of the files can be standard input");
    return CLI_OK;
}

static int report(const unspin_alignment *al, enum format fmt, const char **paths)
{
    if (fmt == FMT_TEXT) {
        print_text(al);
        return CLI_OK;
    }
    unspin_error err;
    char *json = unspin_alignment_json(al, paths[0], paths[1], &err);
    if (!json)
        return cli_error("align: %s", err.message);
    puts(json);
    free(json);
    return CLI_OK;
}

int cmd_align(int argc, char **argv)
{
    unspin_align_options o;
    unspin_align_options_default(&o);
    enum format fmt = FMT_TEXT;
    const char *paths[2] = {NULL, NULL};
    int rc = parse_args(argc, argv, &o, &fmt, paths);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    char *data[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    for (int i = 0; i < 2 && rc == CLI_OK; i++)
        rc = cli_read_input(paths[i], &data[i], &len[i]);
    unspin_alignment *al = NULL;
    unspin_error err;
    if (rc == CLI_OK && unspin_align(data[0], len[0], data[1], len[1], &o, &al, &err) != UNSPIN_OK) {
        /* The message starts with "original: " or "rewrite: "; name the file. */
        const char *msg = err.message, *colon = strstr(msg, ": ");
        int second = !strncmp(msg, "rewrite: ", 9);
        rc = colon && (second || !strncmp(msg, "original: ", 10))
                 ? cli_error("%s: %s", paths[second], colon + 2)
                 : cli_error("align: %s", msg);
    }
    if (rc == CLI_OK)
        rc = report(al, fmt, paths);
    unspin_alignment_free(al);
    free(data[0]);
    free(data[1]);
    return rc;
}
