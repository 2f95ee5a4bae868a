/* unspin model build | info | verify | logprob */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#ifndef UNSPIN_DATADIR
#define UNSPIN_DATADIR "/usr/local/share/unspin"
#endif

static const char MODEL_USAGE[] =
    "usage: unspin model build [-o PATH] [SOURCE...] [options]\n"
    "       unspin model info [--model PATH]\n"
    "       unspin model verify [--model PATH]\n"
    "       unspin model logprob [--model PATH] [W1 [W2]] W3\n"
    "\n"
    "build writes a model (default models/en_US.unspin) from Debian's sources:\n"
    "the pocketsphinx en-us trigram LM, MyThes en_US, WordNet 3.0, Hunspell en_US,\n"
    "plus dictionaries/synonyms.txt and models/learned.tsv.  A SOURCE replaces the\n"
    "default of its kind: a directory is WordNet, *.dat MyThes, *.tsv a learned\n"
    "table, *.txt a synonym list, anything else a language model (pocketsphinx\n"
    "binary or ARPA text, e.g. from KenLM or SRILM).\n"
    "  --lm FILE  --mythes FILE  --wordnet DIR  --synonyms FILE  --learned FILE\n"
    "  --no-mythes  --no-wordnet  --no-synonyms  --no-learned  --quiet\n"
    "info prints the build metadata and counts; verify checks every checksum;\n"
    "logprob prints log10 P(W3 | W1 W2).\n";

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

const char *cli_find_model(const char *given, char *buf, size_t cap)
{
    if (given)
        return given;
    const char *env = getenv("UNSPIN_MODEL");
    if (env && *env)
        return env;
    /* models/en_US.unspin in the source tree the binary was built in:
     * the binary lives in TREE/build/ (or TREE/build/asan/). */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(buf, cap, "%s/models/en_US.unspin", exe);
            if (file_exists(buf))
                return buf;
        }
    }
    snprintf(buf, cap, "%s/en_US.unspin", UNSPIN_DATADIR);
    return buf;
}

/* Version of an installed Debian package, from dpkg's status file. */
static void package_version(const char *pkg, char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/var/lib/dpkg/status", "r");
    if (!f)
        return;
    char line[512];
    int in = 0;
    size_t plen = strlen(pkg);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Package: ", 9))
            in = !strncmp(line + 9, pkg, plen) && line[9 + plen] == '\n';
        else if (in && !strncmp(line, "Version: ", 9)) {
            size_t n = strcspn(line + 9, "\n");
            if (n >= cap)
                n = cap - 1;
            memcpy(out, line + 9, n);
            out[n] = '\0';
            break;
        }
    }
    fclose(f);
}

static void print_progress(const char *msg, void *data)
{
    (void)data;
    fprintf(stderr, "unspin: %s\n", msg);
}

static int model_build(int argc, char **argv)
{
    unspin_build_options o;
    unspin_build_options_default(&o);
    const char *out = "models/en_US.unspin";
    const char *project[16];
    size_t nproject = 0;
    int project_given = 0, quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "-o") || !strcmp(a, "--lm") || !strcmp(a, "--mythes") ||
                    !strcmp(a, "--wordnet") || !strcmp(a, "--synonyms") ||
                    !strcmp(a, "--learned");
        if (takes && !v)
            return cli_error("model build: %s needs a value", a);
        if (!strcmp(a, "-o"))
            out = v;
        else if (!strcmp(a, "--lm"))
            o.lm = v;
        else if (!strcmp(a, "--mythes"))
            o.mythes = v;
        else if (!strcmp(a, "--wordnet"))
            o.wordnet = v;
        else if (!strcmp(a, "--learned"))
            o.learned = v;
        else if (!strcmp(a, "--synonyms")) {
            if (nproject == 16)
                return cli_error("model build: at most 16 synonym lists");
            project[nproject++] = v;
            project_given = 1;
        } else if (!strcmp(a, "--no-mythes"))
            o.mythes = NULL;
        else if (!strcmp(a, "--no-wordnet"))
            o.wordnet = NULL;
        else if (!strcmp(a, "--no-learned"))
            o.learned = NULL;
        else if (!strcmp(a, "--no-synonyms"))
            project_given = 1;
        else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else if (a[0] == '-')
            return cli_error("model build: unknown option '%s'", a);
        else {
            struct stat st;
            size_t n = strlen(a);
            if (stat(a, &st) != 0)
                return cli_error("model build: %s: no such file or directory", a);
            if (S_ISDIR(st.st_mode))
                o.wordnet = a;
            else if (n > 4 && !strcmp(a + n - 4, ".dat"))
                o.mythes = a;
            else if (n > 4 && !strcmp(a + n - 4, ".tsv"))
                o.learned = a;
            else if (n > 4 && !strcmp(a + n - 4, ".txt")) {
                if (nproject == 16)
                    return cli_error("model build: at most 16 synonym lists");
                project[nproject++] = a;
                project_given = 1;
            } else
                o.lm = a;
        }
        i += takes;
    }
    if (project_given) {
        o.project = project;
        o.nproject = nproject;
    }
    char meta[1024], v1[64], v2[64], v3[64], v4[64];
    package_version("pocketsphinx-en-us", v1, sizeof v1);
    package_version("mythes-en-us", v2, sizeof v2);
    package_version("wordnet-base", v3, sizeof v3);
    package_version("hunspell-en-us", v4, sizeof v4);
    snprintf(meta, sizeof meta,
             "package.pocketsphinx-en-us=%s\npackage.mythes-en-us=%s\n"
             "package.wordnet-base=%s\npackage.hunspell-en-us=%s\n",
             v1, v2, v3, v4);
    o.extra_metadata = meta;
    if (!quiet)
        o.progress = print_progress;
    unspin_error err;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (unspin_model_build(&o, out, &err) != UNSPIN_OK)
        return cli_error("model build: %s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!quiet)
        fprintf(stderr, "unspin: built %s in %.1f s\n", out,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return CLI_OK;
}

/* Parses [--model PATH] and leaves the other arguments in rest[]. */
static int open_model(int argc, char **argv, unspin_model **m, char **rest, int *nrest)
{
    const char *given = NULL;
    *nrest = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model")) {
            if (i + 1 >= argc)
                return cli_error("--model needs a value");
            given = argv[++i];
        } else
            rest[(*nrest)++] = argv[i];
    }
    char buf[PATH_MAX + 32];
    const char *path = cli_find_model(given, buf, sizeof buf);
    unspin_error err;
    if (unspin_model_open(path, m, &err) != UNSPIN_OK)
        return cli_error("%s", err.message);
    return CLI_OK;
}

static int model_info(unspin_model *m)
{
    unspin_model_counts c;
    unspin_model_get_counts(m, &c);
    printf("path=%s\n", unspin_model_path(m));
    fputs(unspin_model_metadata(m), stdout);
    printf("file.bytes=%llu\nwords=%zu\nlm.words=%zu\nlm.bigrams=%zu\nlm.trigrams=%zu\n"
           "terms=%zu\nterms.multiword=%zu\nedges=%zu\n"
           "edges.synset=%zu\nedges.similar=%zu\nedges.related=%zu\nedges.learned=%zu\n"
           "edges.project=%zu\nmorph.analyses=%zu\n",
           (unsigned long long)c.file_bytes, c.words, c.lm_words, c.bigrams, c.trigrams,
           c.terms, c.multiword_terms, c.edges, c.edges_by_kind[0], c.edges_by_kind[1],
           c.edges_by_kind[2], c.edges_by_kind[3], c.edges_by_kind[4], c.morph_analyses);
    return CLI_OK;
}

int cmd_model(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(MODEL_USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_ERROR : CLI_OK;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "build"))
        return model_build(argc - 1, argv + 1);
    if (strcmp(sub, "info") && strcmp(sub, "verify") && strcmp(sub, "logprob"))
        return cli_error("model: unknown subcommand '%s' (info, verify, build, logprob)", sub);
    char **rest = calloc((size_t)argc, sizeof *rest);
    int nrest, rc;
    unspin_model *m = NULL;
    if (!rest)
        return cli_error("out of memory");
    rc = open_model(argc - 1, argv + 1, &m, rest, &nrest);
    if (rc == CLI_OK && !strcmp(sub, "info"))
        rc = nrest ? cli_error("model info: unexpected '%s'", rest[0]) : model_info(m);
    else if (rc == CLI_OK && !strcmp(sub, "verify")) {
        unspin_error err;
        if (nrest)
            rc = cli_error("model verify: unexpected '%s'", rest[0]);
        else if (unspin_model_verify(m, &err) != UNSPIN_OK)
            rc = cli_error("%s", err.message);
        else
            printf("%s: ok\n", unspin_model_path(m));
    } else if (rc == CLI_OK) {
        if (nrest < 1 || nrest > 3)
            rc = cli_error("usage: unspin model logprob [--model PATH] [W1 [W2]] W3");
        else
            printf("%.4f\n", unspin_model_logprob(m, nrest == 3 ? rest[0] : NULL,
                                                   nrest >= 2 ? rest[nrest - 2] : NULL,
                                                   rest[nrest - 1]));
    }
    unspin_model_free(m);
    free(rest);
    return rc;
}
