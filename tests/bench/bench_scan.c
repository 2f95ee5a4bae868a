/* bench_scan: throughput of `unspin scan` with 1 and 2 jobs, and its peak
 * memory.  Run by tests/bench/run.sh as `build/bench/bench_scan MODEL` from
 * the repository root.
 *
 * The corpus: the Brown documents under build/quality/natural/ (*.txt) (made by
 * `make quality`), repeated into one JSON Lines file of at least
 * UNSPIN_BENCH_SCAN_MB (50) MB of text.  Each run scans that file with
 * build/unspin; to keep the bench bounded, a run is stopped after
 * UNSPIN_BENCH_SCAN_SECONDS (90; 0: no limit) and the throughput is the text
 * of the documents finished by then over the time taken.  Peak memory is
 * the child's ru_maxrss. */
#include <errno.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n + 65536 > cap) {
            char *p = realloc(buf, cap = cap ? cap * 2 : 131072);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

typedef struct run_result {
    double wall, cpu, bytes;
    size_t docs, errors;
    long maxrss_kb;
    int stopped, status;
} run_result;

/* Runs unspin scan on the corpus, counting the text of finished documents. */
static int run_scan(const char *unspin, const char *model, const char *corpus, int jobs,
                    const size_t *sizes, size_t ndocs, double limit, run_result *res)
{
    memset(res, 0, sizeof *res);
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    char jobs_s[16];
    snprintf(jobs_s, sizeof jobs_s, "%d", jobs);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execl(unspin, unspin, "scan", "--no-progress", "--jobs", jobs_s, "--model", model,
              corpus, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    static char buf[1 << 20];
    size_t have = 0;
    struct pollfd p = {.fd = fd[0], .events = POLLIN};
    for (;;) {
        double left = limit > 0 ? limit - (now() - t0) : 1e9;
        if (left <= 0) {
            kill(pid, SIGTERM);
            res->stopped = 1;
            break;
        }
        if (poll(&p, 1, (int)(left * 1000 > 1000 ? 1000 : left * 1000 + 1)) == 0)
            continue;
        if (have == sizeof buf) /* a line longer than the buffer: drop it */
            have = 0;
        ssize_t got = read(fd[0], buf + have, sizeof buf - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        have += (size_t)got;
        char *line = buf, *nl;
        while ((nl = memchr(line, '\n', have - (size_t)(line - buf))) != NULL) {
            *nl = '\0';
            if (!strncmp(line, "{\"id\":\"", 7)) {
                size_t id = strtoul(line + 7, NULL, 10);
                if (strstr(line, "\"error\":"))
                    res->errors++;
                if (id < ndocs) {
                    res->bytes += (double)sizes[id];
                    res->docs++;
                }
            }
            line = nl + 1;
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
    }
    res->wall = now() - t0;
    close(fd[0]);
    struct rusage ru;
    int status;
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    res->status = status;
    res->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    res->maxrss_kb = ru.ru_maxrss;
    return 0;
}

static double env_num(const char *name, double def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    double x = strtod(v, &end);
    return (*end || x < 0) ? def : x;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_scan MODEL\n");
        return 2;
    }
    const char *model = argv[1];
    char unspin[PATH_MAX];
    const char *slash = strrchr(argv[0], '/');
    snprintf(unspin, sizeof unspin, "%.*s/../unspin", slash ? (int)(slash - argv[0]) : 1,
             slash ? argv[0] : ".");
    if (access(unspin, X_OK) != 0) {
        fprintf(stderr, "bench_scan: no %s (make)\n", unspin);
        return 1;
    }
    double want_mb = env_num("UNSPIN_BENCH_SCAN_MB", 50);
    double limit = env_num("UNSPIN_BENCH_SCAN_SECONDS", 90);

    glob_t g;
    if (glob("build/quality/natural/*.txt", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        printf("# skipped: no Brown documents under build/quality/natural/ (make quality)\n");
        return 0;
    }
    size_t nsrc = g.gl_pathc;
    char **texts = calloc(nsrc, sizeof *texts);
    size_t *lens = calloc(nsrc, sizeof *lens);
    if (!texts || !lens)
        return 1;
    for (size_t i = 0; i < nsrc; i++) {
        texts[i] = slurp(g.gl_pathv[i], &lens[i]);
        if (!texts[i]) {
            fprintf(stderr, "bench_scan: cannot read %s\n", g.gl_pathv[i]);
            return 1;
        }
    }
    char dir[] = "/tmp/unspin-bench-scan.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char corpus[PATH_MAX];
    snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", dir);
    FILE *f = fopen(corpus, "w");
    if (!f)
        return 1;
    size_t cap = 1 << 16, ndocs = 0;
    size_t *sizes = malloc(cap * sizeof *sizes);
    double total = 0;
    while (total < want_mb * 1e6) {
        for (size_t i = 0; i < nsrc && total < want_mb * 1e6; i++) {
            if (ndocs == cap)
                sizes = realloc(sizes, (cap *= 2) * sizeof *sizes);
            if (!sizes)
                return 1;
            char id[32];
            snprintf(id, sizeof id, "%zu", ndocs);
            json_t *o = json_pack("{s:s, s:s%}", "id", id, "text", texts[i], lens[i]);
            char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
            if (!s)
                return 1;
            fprintf(f, "%s\n", s);
            free(s);
            json_decref(o);
            sizes[ndocs++] = lens[i];
            total += (double)lens[i];
        }
    }
    if (fclose(f) != 0)
        return 1;
    printf("corpus_bytes %.0f\n", total);
    printf("corpus_docs %zu\n", ndocs);

    /* Warm-up: the model's pages in the page cache. */
    run_result warm;
    run_scan(unspin, model, corpus, 2, sizes, ndocs, 2, &warm);

    run_result r[2];
    int fail = 0;
    for (int j = 1; j <= 2; j++) {
        if (run_scan(unspin, model, corpus, j, sizes, ndocs, limit, &r[j - 1]) != 0) {
            fprintf(stderr, "bench_scan: could not run %s\n", unspin);
            fail = 1;
            break;
        }
        run_result *x = &r[j - 1];
        if (!x->stopped && !(WIFEXITED(x->status) && WEXITSTATUS(x->status) == 0)) {
            fprintf(stderr, "bench_scan: unspin scan --jobs %d failed (status %d)\n", j,
                    x->status);
            fail = 1;
        }
        printf("scan_%djob_bytes %.0f\n", j, x->bytes);
        printf("scan_%djob_docs %zu\n", j, x->docs);
        printf("scan_%djob_errors %zu\n", j, x->errors);
        printf("scan_%djob_wall_ms %.0f\n", j, x->wall * 1000);
        printf("scan_%djob_cpu_ms %.0f\n", j, x->cpu * 1000);
        printf("scan_%djob_mb_per_s %.3f\n", j, x->wall > 0 ? x->bytes / 1e6 / x->wall : 0);
        printf("scan_%djob_mb_per_cpu_s %.3f\n", j, x->cpu > 0 ? x->bytes / 1e6 / x->cpu : 0);
        printf("scan_%djob_peak_rss_kb %ld\n", j, x->maxrss_kb);
    }
    if (!fail) {
        double s1 = r[0].wall > 0 ? r[0].bytes / r[0].wall : 0;
        double s2 = r[1].wall > 0 ? r[1].bytes / r[1].wall : 0;
        printf("speedup_2_jobs %.2f\n", s1 > 0 ? s2 / s1 : 0);
    }
    double load[3];
    if (getloadavg(load, 3) == 3)
        printf("# load average at the end: %.2f %.2f %.2f (other processes share the cores)\n",
               load[0], load[1], load[2]);
    printf("# corpus: %zu Brown documents from build/quality/natural/ repeated into one JSON "
           "Lines file of %.1f MB of text; each run: build/unspin scan --jobs N on it",
           nsrc, total / 1e6);
    if (limit > 0)
        printf(", stopped after %.0f s (UNSPIN_BENCH_SCAN_SECONDS; 0 scans it all): MB/s is "
               "the text of the documents finished over the time taken",
               limit);
    printf("\n# peak_rss_kb: the scan process's ru_maxrss (the mmap-ed model's touched pages "
           "included); memory is bounded by the queue, not by the corpus size\n");
    unlink(corpus);
    rmdir(dir);
    for (size_t i = 0; i < nsrc; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    free(sizes);
    globfree(&g);
    return fail;
}
