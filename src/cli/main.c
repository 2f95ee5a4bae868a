/* unspin: command-line front end.  It parses arguments and prints; all the
 * work is done by libunspin through src/unspin.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: unspin COMMAND [ARGS]\n"
    "\n"
    "Find machine-spun text (words swapped for thesaurus synonyms).\n"
    "\n"
    "Commands:\n"
    "  check [--model PATH] [--format text|json|jsonl] [--threshold X] [FILE...]\n"
    "                                    find swapped words and judge each document\n"
    "  align [--format text|json] [--threshold X] ORIGINAL REWRITE\n"
    "                                    pair sentences and mark the rewrite's changes\n"
    "  train [--pps FILE] [--pairs DIR|TSV] -o MODEL\n"
    "                                    learn substitutions and build a model with them\n"
    "  eval --pairs DIR|TSV [--model PATH] [--format text|json]\n"
    "                                    span precision, recall, restoration on pairs\n"
    "  scan [--jobs N] [--min-score X] [--format jsonl|tsv] PATH...\n"
    "                                    judge files, directories, JSON Lines on all cores\n"
    "  report [-o FILE] PATH...          a self-contained HTML report of a batch\n"
    "  compare [--format text|json] SUSPECT SOURCE\n"
    "                                    how much of SUSPECT is a spun copy of SOURCE\n"
    "  tokens [--replace-invalid] FILE   print sentences and tokens with offsets\n"
    "  morph lemmas WORD...              print the lemmas of each word\n"
    "  morph inflect LEMMA LIKE          inflect LEMMA to the form of LIKE\n"
    "  model build [-o PATH] [SOURCE...]  build a model file (see: unspin model help)\n"
    "  model info|verify [--model PATH]  print a model's metadata / check its checksums\n"
    "  model logprob [--model PATH] [W1 [W2]] W3   log10 P(W3 | W1 W2)\n"
    "  serve [--listen ADDR:PORT] [--model PATH] ...  the HTTP service (docs/API.md)\n"
    "  version                           print the version\n"
    "  help                              print this help\n"
    "\n"
    "FILE may be - for standard input.  Exit status: 0 success (check: nothing\n"
    "spun), 1 check found a spun document, 2 error.  COMMAND --help says more.\n";

int cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("unspin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_ERROR;
}

int cli_read_input(const char *path, char **data, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return cli_error("%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                return cli_error("%s: out of memory", path);
            }
            buf = p;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > CLI_MAX_INPUT) {
            free(buf);
            if (f != stdin)
                fclose(f);
            return cli_error("%s: larger than %zu bytes", path, CLI_MAX_INPUT);
        }
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    int saved = errno;
    if (f != stdin)
        fclose(f);
    if (failed) {
        free(buf);
        return cli_error("%s: %s", path, strerror(saved));
    }
    if (n == 0) {
        free(buf);
        return cli_error("%s: empty input", path);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return CLI_OK;
}

void cli_put_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default:
            if (c < 0x20 || c == 0x7F)
                fprintf(f, "\\x%02X", c);
            else
                fputc(c, f);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fputs(USAGE, stderr), CLI_ERROR;
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return fputs(USAGE, stdout), CLI_OK;
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("unspin %s\n", unspin_version());
        return CLI_OK;
    }
    int rc;
    if (!strcmp(cmd, "check"))
        rc = cmd_check(argc - 1, argv + 1);
    else if (!strcmp(cmd, "align"))
        rc = cmd_align(argc - 1, argv + 1);
    else if (!strcmp(cmd, "train"))
        rc = cmd_train(argc - 1, argv + 1);
    else if (!strcmp(cmd, "eval"))
        rc = cmd_eval(argc - 1, argv + 1);
    else if (!strcmp(cmd, "scan"))
        rc = cmd_scan(argc - 1, argv + 1);
    else if (!strcmp(cmd, "report"))
        rc = cmd_report(argc - 1, argv + 1);
    else if (!strcmp(cmd, "compare"))
        rc = cmd_compare(argc - 1, argv + 1);
    else if (!strcmp(cmd, "tokens"))
        rc = cmd_tokens(argc - 1, argv + 1);
    else if (!strcmp(cmd, "morph"))
        rc = cmd_morph(argc - 1, argv + 1);
    else if (!strcmp(cmd, "model"))
        rc = cmd_model(argc - 1, argv + 1);
    else if (!strcmp(cmd, "serve"))
        rc = cmd_serve(argc - 1, argv + 1);
    else
        return cli_error("unknown command '%s' (try: unspin help)", cmd);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_error("write error on standard output");
    return rc;
}
