/*
 * bench_lm - load time, language-model look-up rates and memory of a model.
 *
 *   bench_lm MODEL [TEXT]
 *
 * Prints "key value" lines on stdout (lines starting with '#' are notes),
 * for tests/bench/run.sh to collect into docs/BENCHMARKS.md:
 *   file_bytes             size of the model file
 *   load_first_ms          unspin_model_open + the first query, the first
 *                          time in this process (page cache as it is)
 *   load_median_ms         the same, median of 21 runs
 *   load_cold_ms           the same after asking the kernel to drop the
 *                          file from the page cache (POSIX_FADV_DONTNEED);
 *                          cold_cache_resident_pct says how much stayed
 *   *_lookups_per_s        us_lm_score calls per second on one core (the
 *                          median of 5 passes over 2^20 queries), by stream:
 *     lm_text_             trigram windows over sentences sampled from the
 *                          model's own bigram distribution
 *     unigram_text_        windows over words drawn by unigram weight
 *     random_              uniformly random word triples
 *     file_                windows over TEXT's words, when TEXT is given
 *   string_lookups_per_s   unspin_model_logprob (normalizes and looks up
 *                          three strings, then scores) over lm_text
 *   rss_*_kb               resident memory: before the model is opened,
 *                          after open + first query, after the benchmarks
 *                          (the model's touched pages count); peak_rss_kb is
 *                          getrusage's ru_maxrss.  The query arrays
 *                          (query_arrays_kb) are part of the later figures.
 */
#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "unspin.h"
#include "bench.h"

#define NQ (1u << 20)
#define LOAD_RUNS 21
#define PASSES 5

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

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Share of the file's pages in the page cache, in percent (-1: unknown). */
static double cached_pct(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size, page = (size_t)sysconf(_SC_PAGESIZE);
    size_t npages = (len + page - 1) / page, in = 0;
    void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    unsigned char *vec = malloc(npages);
    double pct = -1;
    if (p != MAP_FAILED && vec && mincore(p, len, vec) == 0) {
        for (size_t i = 0; i < npages; i++)
            in += vec[i] & 1;
        pct = 100.0 * (double)in / (double)npages;
    }
    free(vec);
    if (p != MAP_FAILED)
        munmap(p, len);
    close(fd);
    return pct;
}

static int drop_from_cache(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    return rc;
}

/* Read the whole file, to put it back in the page cache. */
static void warm_cache(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[1 << 16];
    if (!f)
        return;
    while (fread(buf, 1, sizeof buf, f) == sizeof buf)
        ;
    fclose(f);
}

static void die(const char *what, const unspin_error *err)
{
    fprintf(stderr, "bench_lm: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench_lm: out of memory\n");
        exit(1);
    }
    return p;
}

/* Open + the first query, in seconds. */
static double timed_load(const char *path, double *answer)
{
    unspin_model *m;
    unspin_error err;
    double t0 = now();
    if (unspin_model_open(path, &m, &err) != UNSPIN_OK)
        die(path, &err);
    double a = unspin_model_logprob(m, NULL, "cold", "war");
    double t1 = now();
    *answer = a;
    unspin_model_free(m);
    return t1 - t0;
}

/* ------------------------------------------------------------------ */
/* Query streams                                                        */

static uint64_t g_rng = 0x9e3779b97f4a7c15u;

static uint64_t rnd64(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static double rnd01(void) { return (double)(rnd64() >> 11) / 9007199254740992.0; }
static uint32_t rnd(uint32_t n) { return (uint32_t)((rnd64() >> 11) % n); }

/* First index with cum[i] > r in cum[0..n). */
static uint32_t pick(const double *cum, uint32_t n, double r)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < n ? lo : n - 1;
}

typedef struct sampler {
    uint32_t nwords;
    double *uni_cum;          /* cumulative unigram probabilities */
    uint32_t *off;            /* bigrams of w1: [off[w1], off[w1+1]) */
    uint32_t *next;           /* their w2 */
    double *cum;              /* cumulative P(w2 | w1) within w1's list */
} sampler;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sampling tables from the packed LM: the bigram table is scanned for its
 * keys (packed (w1 << 32 | w2) + 1, under the flag bits; records that are
 * only trigram contexts are no bigrams). */
static void sampler_init(sampler *s, const us_lm *lm)
{
    uint32_t n = lm->nwords;
    s->nwords = n;
    s->uni_cum = xmalloc(n * sizeof *s->uni_cum);
    double c = 0;
    for (uint32_t w = 0; w < n; w++)
        s->uni_cum[w] = c += pow(10.0, lm->uni[w].prob);
    for (uint32_t w = 0; w < n; w++)
        s->uni_cum[w] /= c;
    uint64_t *keys = xmalloc(lm->bi_count * sizeof *keys);
    size_t k = 0;
    for (uint64_t i = 0; i < lm->bi_slots && k < lm->bi_count; i++)
        if (lm->bi[i].key && !(lm->bi[i].key & US_LM_BI_CTX_ONLY))
            keys[k++] = (lm->bi[i].key & US_LM_BI_KEY_MASK) - 1;
    qsort(keys, k, sizeof *keys, cmp_u64);
    s->off = calloc((size_t)n + 1, sizeof *s->off);
    s->next = xmalloc(k * sizeof *s->next);
    s->cum = xmalloc(k * sizeof *s->cum);
    if (!s->off)
        exit(1);
    for (size_t i = 0; i < k; i++) {
        uint32_t w1 = (uint32_t)(keys[i] >> 32), w2 = (uint32_t)keys[i];
        s->off[w1 + 1]++;
        s->next[i] = w2;
        s->cum[i] = pow(10.0, us_lm_score(lm, US_LM_NO_WORD, w1, w2));
    }
    for (uint32_t w = 0; w < n; w++)
        s->off[w + 1] += s->off[w];
    for (uint32_t w = 0; w < n; w++) {
        double acc = 0;
        for (uint32_t i = s->off[w]; i < s->off[w + 1]; i++)
            s->cum[i] = acc += s->cum[i];
    }
    free(keys);
}

static void sampler_free(sampler *s)
{
    free(s->uni_cum);
    free(s->off);
    free(s->next);
    free(s->cum);
}

/* Next word after `prev` under the bigram model (back-off: unigrams). */
static uint32_t sample_next(const sampler *s, uint32_t prev)
{
    double r = rnd01();
    uint32_t a = s->off[prev], b = s->off[prev + 1];
    if (b > a && r < s->cum[b - 1])
        return s->next[a + pick(s->cum + a, b - a, r)];
    return pick(s->uni_cum, s->nwords, rnd01());
}

/* Trigram windows over sentences; `bigram` chooses the bigram sampler,
 * else words are drawn independently by unigram weight. */
static uint32_t *text_stream(const sampler *s, uint32_t bos, uint32_t eos, int bigram)
{
    uint32_t *q = xmalloc((size_t)NQ * 3 * sizeof *q);
    uint32_t a = US_LM_NO_WORD, b = bos;
    int len = 0;
    for (size_t i = 0; i < NQ; i++) {
        uint32_t c = bigram ? sample_next(s, b) : pick(s->uni_cum, s->nwords, rnd01());
        if (c == bos || ++len > 40)
            c = eos;
        if (!bigram && len > 5 + (int)rnd(25))
            c = eos;
        q[3 * i] = a;
        q[3 * i + 1] = b;
        q[3 * i + 2] = c;
        if (c == eos) {
            a = US_LM_NO_WORD;
            b = bos;
            len = 0;
        } else {
            a = b;
            b = c;
        }
    }
    return q;
}

static uint32_t *random_stream(uint32_t nwords)
{
    uint32_t *q = xmalloc((size_t)NQ * 3 * sizeof *q);
    for (size_t i = 0; i < (size_t)NQ * 3; i++)
        q[i] = rnd(nwords);
    return q;
}

/* Windows over a text file's words (letters and apostrophes, lower-cased
 * ASCII), repeated to NQ queries; words the LM lacks break the context.
 * NULL when the file has no LM word. */
static uint32_t *file_stream(const unspin_model *m, const char *path, size_t *nwords_out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    uint32_t *ids = NULL;
    size_t n = 0, cap = 0;
    char word[128];
    size_t len = 0;
    int ch;
    do {
        ch = getc(f);
        if (ch != EOF && (isalpha(ch) || ch == '\'' || ch >= 0x80)) {
            if (len < sizeof word - 1)
                word[len++] = (char)tolower(ch);
            continue;
        }
        if (len == 0)
            continue;
        uint32_t id = us_model_word(m, word, len);
        len = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            ids = realloc(ids, cap * sizeof *ids);
            if (!ids)
                exit(1);
        }
        ids[n++] = id < m->lm_words ? id : US_LM_NO_WORD;
    } while (ch != EOF);
    fclose(f);
    *nwords_out = n;
    size_t known = 0;
    for (size_t i = 0; i < n; i++)
        known += ids[i] != US_LM_NO_WORD;
    if (!known) {
        free(ids);
        return NULL;
    }
    uint32_t *q = xmalloc((size_t)NQ * 3 * sizeof *q);
    size_t i = 0, j = 0;
    while (i < NQ) {
        if (ids[j % n] != US_LM_NO_WORD) {
            q[3 * i] = j >= 2 ? ids[(j - 2) % n] : US_LM_NO_WORD;
            q[3 * i + 1] = j >= 1 ? ids[(j - 1) % n] : US_LM_NO_WORD;
            q[3 * i + 2] = ids[j % n];
            i++;
        }
        j++;
    }
    free(ids);
    return q;
}

/* ------------------------------------------------------------------ */
/* Timing                                                              */

static volatile float g_sink;

static double one_pass(const us_lm *lm, const uint32_t *q)
{
    float sum = 0;
    double t0 = now();
    for (size_t i = 0; i < NQ; i++)
        sum += us_lm_score(lm, q[3 * i], q[3 * i + 1], q[3 * i + 2]);
    double t1 = now();
    g_sink += sum;
    return (double)NQ / (t1 - t0);
}

/* Median look-ups per second over PASSES passes (after one warm-up). */
static double rate(const us_lm *lm, const uint32_t *q)
{
    double r[PASSES];
    one_pass(lm, q);
    for (int i = 0; i < PASSES; i++)
        r[i] = one_pass(lm, q);
    return median(r, PASSES);
}

static double string_rate(const unspin_model *m, const uint32_t *q, size_t n)
{
    const char **w = xmalloc(n * 3 * sizeof *w);
    for (size_t i = 0; i < n * 3; i++)
        w[i] = q[i] == US_LM_NO_WORD ? NULL : us_strtab_get(&m->vocab, q[i]);
    double r[3];
    for (int pass = 0; pass < 3; pass++) {
        double sum = 0, t0 = now();
        for (size_t i = 0; i < n; i++)
            sum += unspin_model_logprob(m, w[3 * i], w[3 * i + 1], w[3 * i + 2]);
        r[pass] = (double)n / (now() - t0);
        g_sink += (float)sum;
    }
    free(w);
    return median(r, 3);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_lm MODEL [TEXT]\n");
        return 2;
    }
    const char *path = argv[1];
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    printf("file_bytes %lld\n", (long long)st.st_size);
    printf("rss_start_kb %ld\n", rss_kb());
    printf("page_cache_resident_pct %.0f\n", cached_pct(path));

    double answer;
    printf("load_first_ms %.3f\n", timed_load(path, &answer) * 1e3);
    double t[LOAD_RUNS];
    for (int i = 0; i < LOAD_RUNS; i++)
        t[i] = timed_load(path, &answer);
    printf("load_median_ms %.3f\n", median(t, LOAD_RUNS) * 1e3);
    printf("load_min_ms %.3f\n", t[0] * 1e3);
    printf("# first query: log10 P(war | cold) = %.4f\n", answer);

    unspin_model *m;
    unspin_error err;
    long before = rss_kb();
    if (unspin_model_open(path, &m, &err) != UNSPIN_OK)
        die(path, &err);
    (void)unspin_model_logprob(m, NULL, "cold", "war");
    long after = rss_kb();
    printf("rss_before_open_kb %ld\n", before);
    printf("rss_after_load_kb %ld\n", after);
    printf("rss_load_delta_kb %ld\n", after - before);

    const us_lm *lm = &m->lm;
    printf("lm_words %u\nlm_bigrams %llu\nlm_trigrams %llu\n", lm->nwords,
           (unsigned long long)lm->bi_count, (unsigned long long)lm->tri_count);
    uint32_t bos = us_model_word(m, "<s>", 3), eos = us_model_word(m, "</s>", 4);
    if (bos >= lm->nwords || eos >= lm->nwords) {
        fprintf(stderr, "bench_lm: the LM has no <s> or </s>\n");
        return 1;
    }
    sampler s;
    sampler_init(&s, lm);
    uint32_t *lm_text = text_stream(&s, bos, eos, 1);
    uint32_t *uni_text = text_stream(&s, bos, eos, 0);
    uint32_t *random = random_stream(lm->nwords);
    size_t file_words = 0;
    uint32_t *file = argc > 2 ? file_stream(m, argv[2], &file_words) : NULL;
    sampler_free(&s);
    printf("query_arrays_kb %zu\n", (size_t)NQ * 12 * (file ? 4 : 3) / 1024);

    printf("lm_text_lookups_per_s %.0f\n", rate(lm, lm_text));
    printf("unigram_text_lookups_per_s %.0f\n", rate(lm, uni_text));
    printf("random_lookups_per_s %.0f\n", rate(lm, random));
    if (file) {
        printf("file_lookups_per_s %.0f\n", rate(lm, file));
        printf("# file: %s, %zu words, windows repeated to %u queries\n", argv[2],
               file_words, NQ);
    }
    printf("string_lookups_per_s %.0f\n", string_rate(m, lm_text, 200000));
    printf("# look-ups: us_lm_score on word ids, one thread, median of %d passes over "
           "2^20 queries after a warm-up pass\n", PASSES);
    printf("# lm_text: trigram windows over sentences sampled from the model's own "
           "bigram probabilities; unigram_text: words drawn independently by unigram "
           "probability; random: uniform triples of LM words (nearly all back off "
           "twice: the slowest case)\n");
    printf("# string: unspin_model_logprob (normalize + 3 vocabulary look-ups + score) "
           "on the lm_text windows\n");
    printf("rss_after_bench_kb %ld\n", rss_kb());
    printf("peak_rss_kb %ld\n", peak_rss_kb());
    free(lm_text);
    free(uni_text);
    free(random);
    free(file);
    unspin_model_free(m);

    /* Last, as it empties the page cache of the file for a while. */
    int dropped = drop_from_cache(path);
    double pct = cached_pct(path);
    printf("load_cold_ms %.3f\n", timed_load(path, &answer) * 1e3);
    printf("cold_cache_resident_pct %.0f\n", dropped == 0 ? pct : -1);
    printf("# load: unspin_model_open + unspin_model_logprob(m, NULL, \"cold\", \"war\"); "
           "load_first_ms: the first time in this process, page cache as found; "
           "load_cold_ms: after POSIX_FADV_DONTNEED on the file\n");
    printf("# memory: the model is mmap-ed, its pages count once touched; "
           "rss_after_bench_kb includes the query arrays and the LM pages the "
           "look-ups touched\n");
    warm_cache(path); /* and back in */
    return 0;
}
