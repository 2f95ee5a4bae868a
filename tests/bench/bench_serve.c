/*
 * bench_serve - load benchmark of `unspin serve` on loopback.
 *
 *   bench_serve MODEL [ARTICLE]
 *
 * Starts BUILD/unspin serve (found beside this binary's directory, or
 * $UNSPIN_BIN) on 127.0.0.1 with a free port and --threads 2, then drives it
 * with CONNS keep-alive connections, each a thread sending POST /v1/check
 * with ARTICLE (tests/bench/serve_article.txt, a 2 KB spun news article) and
 * waiting for the answer.  Prints "key value" lines for tests/bench/run.sh:
 *   requests_per_second, latency_p50_ms, latency_p99_ms, latency_max_ms
 *                     over a timed run of MEASURE_S seconds with the article
 *   server_cpu_ms_per_request    the server's CPU time per article request
 *   detect_cpu_ms_per_request    the part in unspin_detect (the server's
 *                     detect_cpu_s from GET /v1/health, same run)
 *   server_other_cpu_ms_per_request   the difference: HTTP, JSON in and
 *                     out, queue, log (what src/serve adds)
 *   client_cpu_ms_per_request    this client's own CPU time per request
 *   health_requests_per_second   GET /v1/health (the server alone)
 *   short_checks_*    up to 100,000 POST /v1/check of one sentence (bounded
 *                     to RSS_RUN_S seconds)
 *   rss_after_article_kb, rss_after_10k_kb, rss_end_kb   the server's VmRSS
 *   rss_growth_kb     rss_end_kb - rss_after_10k_kb (memory must not grow)
 *   errors            answers that were not 200 (must be 0)
 * Bounded: about 60 s in all.  Loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SERVER_THREADS 2
#define CONNS 4
#define WARMUP 200
#define MEASURE_S 8.0
#define HEALTH_S 2.0
#define TOTAL_REQUESTS 100000
#define RSS_RUN_S 40.0
#define MAX_LAT 400000

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* The request: headers and a JSON body {"text": ARTICLE}. */
static char *make_request(const char *text, size_t *len)
{
    size_t n = strlen(text);
    char *body = malloc(n * 6 + 32), *p = body;
    p += sprintf(p, "{\"text\": \"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            *p++ = '\\', *p++ = (char)c;
        else if (c == '\n')
            *p++ = '\\', *p++ = 'n';
        else if (c < 0x20)
            p += sprintf(p, "\\u%04x", c);
        else
            *p++ = (char)c;
    }
    p += sprintf(p, "\"}");
    size_t blen = (size_t)(p - body);
    char *req = malloc(blen + 256);
    int h = sprintf(req,
                    "POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                    blen);
    memcpy(req + h, body, blen);
    free(body);
    *len = (size_t)h + blen;
    return req;
}

typedef struct job {
    int port;
    const char *req;
    size_t req_len;
    atomic_long *issued;      /* requests started, all threads */
    long limit;
    double deadline;
    double *lat;              /* this thread's latencies, ms */
    long nlat;
    long errors;
} job;

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One request on fd; returns the HTTP status, or -1 when the connection
 * failed (the caller reconnects).  With out, the start of the body is
 * copied there (NUL-terminated). */
static int one_request(int fd, const char *req, size_t len, char *out, size_t outcap)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    char buf[65536];
    size_t got = 0;
    long body_len = -1;
    size_t head_end = 0;
    for (;;) {
        ssize_t r = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
        buf[got] = '\0';
        if (!head_end) {
            char *e = strstr(buf, "\r\n\r\n");
            if (!e)
                continue;
            head_end = (size_t)(e - buf) + 4;
            char *cl = strcasestr(buf, "\r\nContent-Length:");
            body_len = cl ? strtol(cl + 17, NULL, 10) : 0;
        }
        if (got - head_end >= (size_t)body_len)
            break;
        if (got >= sizeof buf - 1)
            return -1;
    }
    if (out && outcap)
        snprintf(out, outcap, "%s", buf + head_end);
    return atoi(buf + 9);
}

static void *worker(void *arg)
{
    job *j = arg;
    int fd = connect_to(j->port);
    while (fd >= 0) {
        long k = atomic_fetch_add(j->issued, 1);
        if (k >= j->limit || now() > j->deadline)
            break;
        double t0 = now();
        int st = one_request(fd, j->req, j->req_len, NULL, 0);
        double ms = (now() - t0) * 1000.0;
        if (st < 0) {
            close(fd);
            fd = connect_to(j->port);
            j->errors++;
            continue;
        }
        if (st != 200)
            j->errors++;
        if (j->nlat < MAX_LAT)
            j->lat[j->nlat++] = ms;
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* Runs CONNS threads until limit requests or the deadline. */
static long load(int port, const char *req, size_t len, long limit, double secs, double *lat,
                 long *nlat, double *elapsed)
{
    atomic_long issued = 0;
    job jobs[CONNS];
    pthread_t th[CONNS];
    double t0 = now();
    for (int i = 0; i < CONNS; i++) {
        jobs[i] = (job){.port = port, .req = req, .req_len = len, .issued = &issued,
                        .limit = limit, .deadline = t0 + secs,
                        .lat = malloc(sizeof(double) * MAX_LAT)};
        pthread_create(&th[i], NULL, worker, &jobs[i]);
    }
    long errors = 0;
    *nlat = 0;
    for (int i = 0; i < CONNS; i++) {
        pthread_join(th[i], NULL);
        errors += jobs[i].errors;
        if (lat)
            for (long k = 0; k < jobs[i].nlat && *nlat < MAX_LAT; k++)
                lat[(*nlat)++] = jobs[i].lat[k];
        else
            *nlat += jobs[i].nlat;
        free(jobs[i].lat);
    }
    *elapsed = now() - t0;
    return errors;
}

/* CPU seconds (user + system) the process pid has used so far. */
static double proc_cpu_s(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    /* Fields 14 and 15, counted after the ")" that ends the command name. */
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds this process (the client's threads) has used so far. */
static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* The server's "detect_cpu_s" from GET /v1/health (CPU seconds its workers
 * spent in unspin_detect), or -1. */
static double server_detect_cpu_s(int port)
{
    static const char health[] = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    char body[4096];
    int fd = connect_to(port);
    int st = fd >= 0 ? one_request(fd, health, sizeof health - 1, body, sizeof body) : -1;
    if (fd >= 0)
        close(fd);
    const char *p = st == 200 ? strstr(body, "\"detect_cpu_s\":") : NULL;
    return p ? strtod(p + strlen("\"detect_cpu_s\":"), NULL) : -1;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_serve MODEL [ARTICLE]\n");
        return 2;
    }
    const char *article = argc > 2 ? argv[2] : "tests/bench/serve_article.txt";
    char bin[4096];
    if (getenv("UNSPIN_BIN"))
        snprintf(bin, sizeof bin, "%s", getenv("UNSPIN_BIN"));
    else {
        snprintf(bin, sizeof bin, "%s", argv[0]);
        char *slash = strrchr(bin, '/');
        if (slash)
            *slash = '\0';
        else
            strcpy(bin, ".");
        strncat(bin, "/../unspin", sizeof bin - strlen(bin) - 1);
    }
    size_t tlen;
    char *text = read_file(article, &tlen);
    if (!text) {
        fprintf(stderr, "bench_serve: cannot read %s\n", article);
        return 2;
    }
    size_t rlen;
    char *req = make_request(text, &rlen);

    char logpath[] = "/tmp/unspin-bench-serve.XXXXXX";
    int logfd = mkstemp(logpath);
    if (logfd < 0) {
        perror("bench_serve: mkstemp");
        return 2;
    }
    char threads[16];
    snprintf(threads, sizeof threads, "%d", SERVER_THREADS);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(logfd, 2);
        int devnull = open("/dev/null", 0);
        dup2(devnull, 0);
        execl(bin, bin, "serve", "--model", argv[1], "--listen", "127.0.0.1:0", "--threads",
              threads, (char *)NULL);
        _exit(127);
    }
    /* The server prints its port on the first line of its log. */
    int port = 0;
    for (int i = 0; i < 400 && !port; i++) {
        FILE *f = fopen(logpath, "r");
        char line[512];
        while (f && fgets(line, sizeof line, f)) {
            char *p = strstr(line, "listening on http://127.0.0.1:");
            if (p)
                port = atoi(p + strlen("listening on http://127.0.0.1:"));
        }
        if (f)
            fclose(f);
        if (!port) {
            struct timespec ts = {0, 25 * 1000 * 1000};
            nanosleep(&ts, NULL);
            if (waitpid(pid, NULL, WNOHANG) == pid)
                break;
        }
    }
    if (!port) {
        fprintf(stderr, "bench_serve: %s serve did not start (log %s)\n", bin, logpath);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return 1;
    }

    char loadavg[64] = "?";
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (!fgets(loadavg, sizeof loadavg, la))
            strcpy(loadavg, "?");
        loadavg[strcspn(loadavg, "\n")] = '\0';
        fclose(la);
    }
    double *lat = malloc(sizeof(double) * MAX_LAT), el;
    long nlat, errors = 0, total = 0;
    /* Warm-up: page in the model. */
    errors += load(port, req, rlen, WARMUP, 20.0, NULL, &nlat, &el);
    total += nlat;
    /* Timed run with the article; the CPU time of server and client. */
    double scpu0 = proc_cpu_s(pid), ccpu0 = self_cpu_s(), dcpu0 = server_detect_cpu_s(port);
    errors += load(port, req, rlen, 10000000, MEASURE_S, lat, &nlat, &el);
    double server_cpu_ms = (proc_cpu_s(pid) - scpu0) * 1e3 / (double)nlat;
    double client_cpu_ms = (self_cpu_s() - ccpu0) * 1e3 / (double)nlat;
    double dcpu1 = server_detect_cpu_s(port);
    /* -1: a server without "detect_cpu_s" (older than the figure). */
    double detect_ms = dcpu0 >= 0 && dcpu1 >= 0 ? (dcpu1 - dcpu0) * 1e3 / (double)nlat : -1;
    total += nlat;
    qsort(lat, (size_t)nlat, sizeof *lat, cmp_double);
    double rps = nlat / el, p50 = lat[nlat / 2], p99 = lat[(long)(nlat * 0.99)],
           pmax = lat[nlat - 1];
    long rss_article = rss_kb(pid);
    /* The server's own cost: GET /v1/health. */
    static const char health[] = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    errors += load(port, health, sizeof health - 1, 10000000, HEALTH_S, lat, &nlat, &el);
    double health_rps = nlat / el;
    /* 100,000 checks of a short text through the whole request path,
     * bounded in time; resident memory after 10,000 and at the end. */
    size_t slen;
    char *sreq = make_request("The two leaders met for a information convention final yr.", &slen);
    double t_rss = now();
    long checks = 0;
    errors += load(port, sreq, slen, 10000, RSS_RUN_S / 2, NULL, &nlat, &el);
    checks += nlat;
    long rss_10k = rss_kb(pid);
    double left = RSS_RUN_S - (now() - t_rss);
    errors += load(port, sreq, slen, TOTAL_REQUESTS - checks, left > 1 ? left : 1, NULL, &nlat,
                   &el);
    checks += nlat;
    double short_rps = checks / (now() - t_rss);
    long rss_end = rss_kb(pid);
    free(sreq);

    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;

    printf("# unspin serve --threads %d on loopback; %d client connections (keep-alive), each\n",
           SERVER_THREADS, CONNS);
    printf("# sending POST /v1/check with %s (%zu bytes of text) and waiting for the answer.\n",
           article, tlen);
    printf("# Latencies are client-side, over a %.0f s run after a %d-request warm-up; the\n",
           MEASURE_S, WARMUP);
    printf("# client shares the machine's cores with the server.  Load average at the start:\n");
    printf("# %s.\n", loadavg);
    printf("# health_requests_per_second: GET /v1/health, the server without detection.\n");
    printf("# rss_*: the server's VmRSS; rss_after_10k_kb and rss_end_kb around up to %d\n",
           TOTAL_REQUESTS);
    printf("# POST /v1/check requests of a one-sentence text (short_checks_total of them,\n");
    printf("# bounded to %.0f s), so that 100,000 requests fit in the time bound.\n", RSS_RUN_S);
    printf("# server_cpu_ms_per_request: the server's CPU time (all threads, user + system,\n");
    printf("# /proc) over the timed run, per request; detect_cpu_ms_per_request: the part\n");
    printf("# spent in unspin_detect (the server's detect_cpu_s, GET /v1/health);\n");
    printf("# server_other_cpu_ms_per_request: the rest (HTTP, JSON in and out, log, queue);\n");
    printf("# client_cpu_ms_per_request: this client's own CPU time per request.\n");
    printf("server_threads %d\n", SERVER_THREADS);
    printf("client_connections %d\n", CONNS);
    printf("article_bytes %zu\n", tlen);
    printf("requests_per_second %.1f\n", rps);
    printf("latency_p50_ms %.3f\n", p50);
    printf("latency_p99_ms %.3f\n", p99);
    printf("latency_max_ms %.3f\n", pmax);
    printf("server_cpu_ms_per_request %.3f\n", server_cpu_ms);
    if (detect_ms >= 0) {
        printf("detect_cpu_ms_per_request %.3f\n", detect_ms);
        printf("server_other_cpu_ms_per_request %.3f\n", server_cpu_ms - detect_ms);
    }
    printf("client_cpu_ms_per_request %.3f\n", client_cpu_ms);
    printf("health_requests_per_second %.1f\n", health_rps);
    printf("short_checks_per_second %.1f\n", short_rps);
    printf("short_checks_total %ld\n", checks);
    printf("rss_after_article_kb %ld\n", rss_article);
    printf("rss_after_10k_kb %ld\n", rss_10k);
    printf("rss_end_kb %ld\n", rss_end);
    printf("rss_growth_kb %ld\n", rss_end - rss_10k);
    printf("errors %ld\n", errors);
    printf("server_exit_clean %d\n", clean);
    (void)total;
    unlink(logpath);
    free(lat);
    free(req);
    free(text);
    return errors || !clean ? 1 : 0;
}
