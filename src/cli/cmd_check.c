/* unspin check: judge documents and show the swapped words. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char CHECK_USAGE[] =
    "usage: unspin check [--model PATH] [--format text|json|jsonl] [--threshold X]\n"
    "                    [--color|--no-color] [FILE...]\n"
    "\n"
    "Finds words a spinner swapped for synonyms, proposes the original wording\n"
    "and judges each document spun or natural.  Reads standard input when no\n"
    "FILE is given; a file starting \"%PDF-\" is a PDF, judged by its text.\n"
    "text shows the document with [spun -> original] marks and a verdict line;\n"
    "json prints one document object (one FILE); jsonl prints one object per\n"
    "line.  The model is --model, else $UNSPIN_MODEL, else\n"
    "models/en_US.unspin beside the binary's tree, else the installed copy.\n"
    "Exit status: 0 no document judged spun, 1 some document judged spun, 2 error.\n";

enum format { FMT_TEXT, FMT_JSON, FMT_JSONL };

static void print_text(const char *data, size_t len, const unspin_result *r, const char *name,
                       int color)
{
    const char *red = color ? "\033[1;31m" : "", *green = color ? "\033[32m" : "",
               *off = color ? "\033[0m" : "";
    const unspin_span *s = unspin_result_spans(r);
    size_t n = unspin_result_span_count(r), pos = 0;
    for (size_t i = 0; i < n; i++) {
        fwrite(data + pos, 1, s[i].start - pos, stdout);
        printf("[%s%.*s%s -> %s%s%s]", red, (int)(s[i].end - s[i].start), data + s[i].start,
               off, green, s[i].original, off);
        pos = s[i].end;
    }
    fwrite(data + pos, 1, len - pos, stdout);
    if (len && data[len - 1] != '\n')
        putchar('\n');
    const unspin_evasion *e = unspin_result_evasions(r);
    for (size_t i = 0; i < unspin_result_evasion_count(r); i++)
        printf("%s: %s word at bytes %zu-%zu: %s%s%s looks like \"%s\"\n", name, e[i].kind,
               e[i].start, e[i].end, red, e[i].text, off, e[i].skeleton);
    printf("%s: %s (score %.2f, spin rate %.2f, %zu words, %zu spans, %zu evasion)\n", name,
           unspin_result_is_spun(r) ? "SPUN" : "natural", unspin_result_score(r),
           unspin_result_spin_rate(r), unspin_result_words(r), n,
           unspin_result_evasion_count(r));
}

/* A PDF (by its first bytes, whatever the name) is judged by its text,
 * which then replaces *data: offsets and marks refer to that text.  Prints
 * the error itself; *data is freed on failure. */
static int pdf_to_text(const char *name, char **data, size_t *len)
{
    if (*len < 5 || memcmp(*data, "%PDF-", 5) != 0)
        return CLI_OK;
    char *text;
    size_t tlen;
    unspin_error err;
    int rc = unspin_extract_pdf(*data, *len, &text, &tlen, &err);
    free(*data);
    *data = NULL;
    if (rc != UNSPIN_OK)
        return cli_error("%s: %s", name, err.message);
    if (tlen == 0) {
        free(text);
        return cli_error("%s: no text in the PDF", name);
    }
    *data = text;
    *len = tlen;
    return CLI_OK;
}

int cmd_check(int argc, char **argv)
{
    const char *model_path = NULL;
    enum format fmt = FMT_TEXT;
    int color = isatty(STDOUT_FILENO);
    unspin_detect_options o;
    unspin_detect_options_default(&o);
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (!files)
        return cli_error("out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            free(files);
            return fputs(CHECK_USAGE, stdout), CLI_OK;
        } else if (!strcmp(a, "--model") || !strcmp(a, "--format") || !strcmp(a, "--threshold")) {
            if (i + 1 >= argc) {
                free(files);
                return cli_error("check: %s needs a value", a);
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--model"))
                model_path = v;
            else if (!strcmp(a, "--format")) {
                if (!strcmp(v, "text"))
                    fmt = FMT_TEXT;
                else if (!strcmp(v, "json"))
                    fmt = FMT_JSON;
                else if (!strcmp(v, "jsonl"))
                    fmt = FMT_JSONL;
                else {
                    free(files);
                    return cli_error("check: unknown format '%s' (text, json, jsonl)", v);
                }
            } else {
                char *end;
                errno = 0;
                o.threshold = strtod(v, &end);
                if (errno || *end || !(o.threshold >= 0 && o.threshold <= 1)) {
                    free(files);
                    return cli_error("check: --threshold wants a number in [0, 1], not '%s'", v);
                }
            }
        } else if (!strcmp(a, "--color"))
            color = 1;
        else if (!strcmp(a, "--no-color"))
            color = 0;
        else if (a[0] == '-' && a[1] != '\0') {
            free(files);
            return cli_error("check: unknown option '%s'", a);
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0)
        files[nfiles++] = "-";
    if (fmt == FMT_JSON && nfiles > 1) {
        free(files);
        return cli_error("check: --format json takes one FILE (use jsonl for several)");
    }
    char buf[PATH_MAX + 32];
    const char *path = cli_find_model(model_path, buf, sizeof buf);
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(path, &m, &err) != UNSPIN_OK) {
        free(files);
        return cli_error("%s", err.message);
    }
    int any_spun = 0, failed = 0;
    for (int i = 0; i < nfiles; i++) {
        const char *name = strcmp(files[i], "-") ? files[i] : "<stdin>";
        char *data;
        size_t len;
        if (cli_read_input(files[i], &data, &len) != CLI_OK ||
            pdf_to_text(name, &data, &len) != CLI_OK) {
            failed = 1;
            continue;
        }
        unspin_result *r;
        if (unspin_detect(m, &o, data, len, &r, &err) != UNSPIN_OK) {
            cli_error("%s: %s", name, err.message);
            free(data);
            failed = 1;
            continue;
        }
        any_spun |= unspin_result_is_spun(r);
        if (fmt == FMT_TEXT)
            print_text(data, len, r, name, color);
        else {
            char *json = unspin_result_json(r, name, &err);
            if (json)
                puts(json);
            else {
                cli_error("%s: %s", name, err.message);
                failed = 1;
            }
            free(json);
        }
        fflush(stdout);
        unspin_result_free(r);
        free(data);
    }
    unspin_model_free(m);
    free(files);
    return failed ? CLI_ERROR : any_spun ? CLI_FOUND : CLI_OK;
}
