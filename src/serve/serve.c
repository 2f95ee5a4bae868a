/* unspin serve: POST /v1/check, GET /v1/health, GET /v1/model over HTTP
 * with libmicrohttpd (one thread polling the connections) and jansson; the
 * detector runs on a pool of worker threads fed by a queue (see struct
 * jobq).  One model, opened by the caller, is shared read-only by all
 * threads; unspin_detect keeps its state on the call.  See docs/API.md. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "request.h"
#include "serve.h"

/* Connections above --max-connections get a 503; the daemon itself keeps
 * this many more so that it can still answer them. */
#define RESERVE_CONNECTIONS 16
/* A body over the limit is read and dropped (so that the client gets its
 * 413) up to this much; past it the connection is closed. */
#define MAX_DISCARD ((size_t)64 << 20)

typedef struct request request;

/* POST /v1/check requests waiting for a worker.  Detection does not run on
 * libmicrohttpd's threads: there a connection stays with the thread that
 * accepted it, and keep-alive connections spread unevenly, so requests
 * waited on one busy thread while the other core idled (measured with 4
 * connections on 2 threads: 4.7 s of CPU on one, 1.2 s on the other).  A
 * request whose body is in is suspended and queued; the first free worker
 * judges it and resumes the connection with the answer.  The lock is held
 * only to link and unlink. */
typedef struct jobq {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    request *head, *tail;
    int stopping;                /* no new jobs; workers exit when empty */
} jobq;

typedef struct server {
    const unspin_model *model;
    const serve_config *cfg;
    char *model_json;            /* GET /v1/model, made once */
    size_t model_json_len;
    double started;
    atomic_uint connections;     /* open connections */
    atomic_uint inflight;        /* requests between header and completion */
    atomic_ulong requests;
    atomic_int abandon;          /* drain time is up: answer queued jobs 503 */
    atomic_ullong detect_ns;     /* CPU time of the workers in unspin_detect */
    jobq q;
} server;

enum job_state { JOB_NONE, JOB_QUEUED, JOB_DONE };

/* Per request (one per HTTP request; a keep-alive connection has several). */
struct request {
    double t0;
    char method[16];
    char path[200];
    const char *origin_ok;       /* the request's Origin when allowed, else NULL */
    char *body;
    size_t len, cap, discarded;
    int too_big;
    int answered;
    int checked;                 /* first_call has run */
    int wants_body;              /* POST /v1/check passed the first checks */
    int status;
    size_t bytes;
    /* POST /v1/check on the worker pool (written by the worker before it
     * resumes the connection, read by the handler after). */
    enum job_state job;
    struct MHD_Connection *conn;
    request *next;               /* in the queue */
    unsigned resp_status;
    char *resp_body;             /* malloc'd; NULL: out of memory */
    size_t resp_len;
};

enum route { R_NONE, R_CHECK, R_HEALTH, R_MODEL };

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the calling thread, nanoseconds. */
static unsigned long long thread_cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

/* Copies s for the access log: at most cap-1 bytes, control bytes, spaces,
 * quotes and non-ASCII as '?'. */
static void log_copy(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = (c <= 0x20 || c >= 0x7F || c == '"') ? '?' : (char)c;
    }
    dst[i] = '\0';
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

static void add_cors(struct MHD_Response *resp, const request *rq)
{
    if (!rq->origin_ok)
        return;
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", rq->origin_ok);
    MHD_add_response_header(resp, "Vary", "Origin");
}

/* Queues body (malloc'd, taken over) with the status.  close_conn: the
 * request body was not read, so the connection cannot be reused. */
static enum MHD_Result send_body(struct MHD_Connection *c, request *rq, unsigned status,
                                 char *body, size_t len, const char *allow, int close_conn)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (len)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (close_conn)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    add_cors(resp, rq);
    rq->status = (int)status;
    rq->bytes = len;
    rq->answered = 1;
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, request *rq, unsigned status,
                                 json_t *doc, int close_conn)
{
    char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
    json_decref(doc);
    if (!s)
        return MHD_NO;
    return send_body(c, rq, status, s, strlen(s), NULL, close_conn);
}

static enum MHD_Result send_error(struct MHD_Connection *c, request *rq, unsigned status,
                                  const char *allow, int close_conn, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* {"error": MSG} as a malloc'd string (length in *len), or NULL. */
static char *error_json(const char *msg, size_t *len)
{
    json_t *doc = json_pack("{s:s}", "error", msg);
    char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (s)
        *len = strlen(s);
    return s;
}

static enum MHD_Result send_error(struct MHD_Connection *c, request *rq, unsigned status,
                                  const char *allow, int close_conn, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages may quote input: keep them valid UTF-8 for JSON. */
    size_t bad;
    if (unspin_utf8_check(msg, strlen(msg), &bad) != UNSPIN_OK)
        msg[bad] = '\0';
    size_t len = 0;
    char *s = error_json(msg, &len);
    if (!s)
        return MHD_NO;
    return send_body(c, rq, status, s, len, allow, close_conn);
}

/* ------------------------------------------------------------------ */
/* Endpoints                                                           */
/* ------------------------------------------------------------------ */

static char *make_model_json(const unspin_model *m, size_t *len)
{
    json_t *meta = json_object();
    const char *md = unspin_model_metadata(m);
    while (meta && md && *md) {
        const char *nl = strchr(md, '\n');
        size_t n = nl ? (size_t)(nl - md) : strlen(md);
        const char *eq = memchr(md, '=', n);
        if (eq && eq > md) {
            char key[256];
            size_t kn = (size_t)(eq - md) < sizeof key - 1 ? (size_t)(eq - md) : sizeof key - 1;
            memcpy(key, md, kn);
            key[kn] = '\0';
            json_object_set_new(meta, key, json_stringn(eq + 1, n - (size_t)(eq - md) - 1));
        }
        md += n + (nl != NULL);
    }
    unspin_model_counts k;
    unspin_model_get_counts(m, &k);
    json_t *doc = json_pack(
        "{s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
        " s:{s:I, s:I, s:I, s:I, s:I}}}",
        "version", unspin_version(), "path", unspin_model_path(m), "metadata", meta, "counts",
        "file_bytes", (json_int_t)k.file_bytes, "words", (json_int_t)k.words, "lm_words",
        (json_int_t)k.lm_words, "bigrams", (json_int_t)k.bigrams, "trigrams",
        (json_int_t)k.trigrams, "terms", (json_int_t)k.terms, "multiword_terms",
        (json_int_t)k.multiword_terms, "edges", (json_int_t)k.edges, "morph_analyses",
        (json_int_t)k.morph_analyses, "edges_by_kind", "synset",
        (json_int_t)k.edges_by_kind[0], "similar", (json_int_t)k.edges_by_kind[1], "related",
        (json_int_t)k.edges_by_kind[2], "learned", (json_int_t)k.edges_by_kind[3], "project",
        (json_int_t)k.edges_by_kind[4]);
    char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (s)
        *len = strlen(s);
    return s;
}

static unsigned detect_status(int code)
{
    switch (code) {
    case UNSPIN_EUTF8:
    case UNSPIN_EINVAL: return MHD_HTTP_BAD_REQUEST;
    case UNSPIN_ETOOBIG: return MHD_HTTP_CONTENT_TOO_LARGE;
    default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

/* One document's JSON object (unspin_result_json, sent as it is), or NULL
 * with the status and message of the error. */
static char *check_one(server *s, const unspin_detect_options *o, const serve_doc *d,
                       unsigned *status, char *msg, size_t msgcap)
{
    unspin_result *r;
    unspin_error err;
    /* Counted for GET /v1/health, so that the server's CPU time can be
     * split into detection and the rest (tests/bench/bench_serve.c). */
    unsigned long long t0 = thread_cpu_ns();
    int rc = unspin_detect(s->model, o, d->text, d->len, &r, &err);
    atomic_fetch_add(&s->detect_ns, thread_cpu_ns() - t0);
    if (rc != UNSPIN_OK) {
        *status = detect_status(err.code);
        snprintf(msg, msgcap, "%s", err.message);
        return NULL;
    }
    char *js = unspin_result_json(r, NULL, &err);
    unspin_result_free(r);
    if (!js) {
        *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        snprintf(msg, msgcap, "out of memory");
    }
    return js;
}

/* The answer to a POST /v1/check body: its status, and the JSON in *out
 * (malloc'd, length in *outlen; NULL when out of memory).  Runs on a
 * worker thread, without libmicrohttpd. */
static unsigned check_body(server *s, const char *body, size_t len, char **out,
                           size_t *outlen)
{
    serve_request rq;
    char msg[600], full[700];
    if (serve_request_parse(body, len, &rq, msg, sizeof msg) != 0) {
        *out = error_json(msg, outlen);
        return MHD_HTTP_BAD_REQUEST;
    }
    unspin_detect_options o;
    unspin_detect_options_default(&o);
    if (rq.has_threshold)
        o.threshold = rq.threshold;
    char **docs = calloc(rq.ndocs ? rq.ndocs : 1, sizeof *docs);
    unsigned status = docs ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR;
    snprintf(msg, sizeof msg, "out of memory");
    size_t i = 0;
    for (; docs && i < rq.ndocs; i++)
        if (!(docs[i] = check_one(s, &o, &rq.docs[i], &status, msg, sizeof msg)))
            break;
    *out = NULL;
    if (status == MHD_HTTP_OK && !rq.documents) {
        *out = docs[0];
        docs[0] = NULL;
        *outlen = strlen(*out);
    } else if (status == MHD_HTTP_OK) {
        *out = serve_documents_json(&rq, docs, outlen);
        status = *out ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    if (status != MHD_HTTP_OK) {
        /* When one document fails, the whole request fails. */
        if (rq.documents && docs && i < rq.ndocs)
            snprintf(full, sizeof full, "documents[%zu]: %s", i, msg);
        else
            snprintf(full, sizeof full, "%s", msg);
        free(*out);
        *out = error_json(full, outlen);
    }
    for (size_t k = 0; docs && k < rq.ndocs; k++)
        free(docs[k]);
    free(docs);
    serve_request_free(&rq);
    return status;
}

/* ------------------------------------------------------------------ */
/* The worker pool                                                     */
/* ------------------------------------------------------------------ */

/* Suspends the request's connection and queues it; 0 when the server is
 * stopping (then nothing was done).  Called on libmicrohttpd's thread. */
static int job_push(jobq *q, request *rq, struct MHD_Connection *c)
{
    pthread_mutex_lock(&q->lock);
    int ok = !q->stopping;
    if (ok) {
        /* Under the lock, so that no worker can be stopped (and
         * MHD_stop_daemon run) with this connection suspended. */
        rq->conn = c;
        rq->job = JOB_QUEUED;
        rq->next = NULL;
        MHD_suspend_connection(c);
        if (q->tail)
            q->tail->next = rq;
        else
            q->head = rq;
        q->tail = rq;
        pthread_cond_signal(&q->ready);
    }
    pthread_mutex_unlock(&q->lock);
    return ok;
}

/* The next job, or NULL once the queue is stopping and empty. */
static request *job_pop(jobq *q)
{
    pthread_mutex_lock(&q->lock);
    while (!q->head && !q->stopping)
        pthread_cond_wait(&q->ready, &q->lock);
    request *rq = q->head;
    if (rq) {
        q->head = rq->next;
        if (!q->head)
            q->tail = NULL;
    }
    pthread_mutex_unlock(&q->lock);
    return rq;
}

static void *worker_main(void *arg)
{
    server *s = arg;
    request *rq;
    while ((rq = job_pop(&s->q)) != NULL) {
        if (atomic_load(&s->abandon)) {
            rq->resp_status = MHD_HTTP_SERVICE_UNAVAILABLE;
            rq->resp_body = error_json("the server is stopping", &rq->resp_len);
        } else {
            const char *body = rq->body ? rq->body : "";
            rq->resp_status = check_body(s, body, rq->len, &rq->resp_body, &rq->resp_len);
        }
        rq->job = JOB_DONE;
        /* rq belongs to libmicrohttpd's thread again from here on. */
        MHD_resume_connection(rq->conn);
    }
    return NULL;
}

/* Starts n workers; returns how many started. */
static unsigned workers_start(server *s, pthread_t *th, unsigned n)
{
    unsigned k = 0;
    while (k < n && pthread_create(&th[k], NULL, worker_main, s) == 0)
        k++;
    return k;
}

/* Lets the workers finish the queue, then joins them. */
static void workers_stop(server *s, pthread_t *th, unsigned n)
{
    pthread_mutex_lock(&s->q.lock);
    s->q.stopping = 1;
    pthread_cond_broadcast(&s->q.ready);
    pthread_mutex_unlock(&s->q.lock);
    for (unsigned k = 0; k < n; k++)
        pthread_join(th[k], NULL);
}

/* The body of POST /v1/check is in: queue it, or send what a worker made. */
static enum MHD_Result do_check(struct MHD_Connection *c, server *s, request *rq)
{
    if (rq->job == JOB_DONE) {
        char *body = rq->resp_body;
        rq->resp_body = NULL;
        if (!body)
            return MHD_NO;
        return send_body(c, rq, rq->resp_status, body, rq->resp_len, NULL, 0);
    }
    if (rq->job == JOB_QUEUED) /* not expected: suspended until answered */
        return MHD_YES;
    if (!job_push(&s->q, rq, c))
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, 1,
                          "the server is stopping");
    return MHD_YES;
}

/* ------------------------------------------------------------------ */
/* The request handler                                                 */
/* ------------------------------------------------------------------ */

static enum route find_route(const char *url, const char **allow)
{
    if (!strcmp(url, "/v1/check"))
        return *allow = "POST, OPTIONS", R_CHECK;
    if (!strcmp(url, "/v1/health"))
        return *allow = "GET, HEAD, OPTIONS", R_HEALTH;
    if (!strcmp(url, "/v1/model"))
        return *allow = "GET, HEAD, OPTIONS", R_MODEL;
    return *allow = NULL, R_NONE;
}

static int method_allowed(enum route r, const char *method)
{
    if (r == R_CHECK)
        return !strcmp(method, "POST");
    return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

static enum MHD_Result preflight(struct MHD_Connection *c, request *rq, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL,
                                                                MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    if (rq->origin_ok) {
        add_cors(resp, rq);
        MHD_add_response_header(resp, "Access-Control-Allow-Methods", allow);
        MHD_add_response_header(resp, "Access-Control-Allow-Headers",
                                "Content-Type, Authorization");
        MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
    }
    rq->status = MHD_HTTP_NO_CONTENT;
    rq->answered = 1;
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Whether the request carries a body we are not going to read. */
static int has_body(struct MHD_Connection *c)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
    return (cl && strcmp(cl, "0") != 0) || te;
}

static enum MHD_Result first_call(server *s, struct MHD_Connection *c, request *rq,
                                  const char *url, const char *method)
{
    const serve_config *cfg = s->cfg;
    int unread = has_body(c);
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (atomic_load(&s->connections) > cfg->max_connections)
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, 1,
                          "too many connections (more than %u); try again",
                          cfg->max_connections);
    if (origin) {
        if (!serve_origin_allowed(origin, cfg->origins, cfg->norigins))
            return send_error(c, rq, MHD_HTTP_FORBIDDEN, NULL, unread,
                              "origin not allowed (see --allow-origin)");
        rq->origin_ok = origin;
    }
    const char *allow;
    enum route r = find_route(url, &allow);
    if (r == R_NONE)
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, NULL, unread,
                          "no such endpoint (try /v1/check, /v1/health, /v1/model)");
    if (!strcmp(method, "OPTIONS"))
        return preflight(c, rq, allow);
    if (!method_allowed(r, method))
        return send_error(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED, allow, unread,
                          "method %s not allowed here (allowed: %s)", rq->method, allow);
    if (cfg->api_key &&
        !serve_bearer_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
                         cfg->api_key, cfg->api_key_len))
        return send_error(c, rq, MHD_HTTP_UNAUTHORIZED, NULL, unread,
                          "missing or wrong API key (Authorization: Bearer KEY)");
    if (r == R_HEALTH) {
        json_t *doc = json_pack("{s:s, s:s, s:f, s:I, s:f}", "status", "ok", "version",
                                unspin_version(), "uptime_s", now_s() - s->started,
                                "requests", (json_int_t)atomic_load(&s->requests),
                                "detect_cpu_s", (double)atomic_load(&s->detect_ns) / 1e9);
        return send_json(c, rq, MHD_HTTP_OK, doc, unread);
    }
    if (r == R_MODEL) {
        char *copy = malloc(s->model_json_len + 1);
        if (!copy)
            return MHD_NO;
        memcpy(copy, s->model_json, s->model_json_len + 1);
        return send_body(c, rq, MHD_HTTP_OK, copy, s->model_json_len, NULL, unread);
    }
    /* POST /v1/check: refuse a declared length over the limit now. */
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || *end || n > cfg->max_body)
            return send_error(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, NULL, 1,
                              "request body larger than %zu bytes", cfg->max_body);
    }
    rq->wants_body = 1;
    return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **con_cls)
{
    (void)version;
    server *s = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        rq->t0 = now_s();
        log_copy(rq->method, sizeof rq->method, method);
        log_copy(rq->path, sizeof rq->path, url);
        *con_cls = rq;
        atomic_fetch_add(&s->inflight, 1);
        atomic_fetch_add(&s->requests, 1);
        /* A response queued on this first call makes libmicrohttpd close
         * the connection, so requests without a body are answered on the
         * next call; those with one are checked now, before it is read. */
        if (!has_body(c))
            return MHD_YES;
        rq->checked = 1;
        return first_call(s, c, rq, url, method);
    }
    if (!rq->checked) { /* no body: answer now (a POST goes on to do_check) */
        rq->checked = 1;
        enum MHD_Result ret = first_call(s, c, rq, url, method);
        if (!rq->wants_body || ret != MHD_YES)
            return ret;
    }
    if (rq->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (!rq->too_big && rq->len + n > s->cfg->max_body) {
            rq->too_big = 1;
            free(rq->body);
            rq->body = NULL;
            rq->discarded = rq->len;
            rq->len = rq->cap = 0;
        }
        if (rq->too_big) {
            rq->discarded += n;
            return rq->discarded > MAX_DISCARD ? MHD_NO : MHD_YES;
        }
        if (rq->len + n + 1 > rq->cap) {
            size_t cap = rq->cap ? rq->cap : 4096;
            while (cap < rq->len + n + 1)
                cap *= 2;
            char *p = realloc(rq->body, cap);
            if (!p)
                return MHD_NO;
            rq->body = p;
            rq->cap = cap;
        }
        memcpy(rq->body + rq->len, upload_data, n);
        rq->len += n;
        return MHD_YES;
    }
    if (rq->too_big)
        return send_error(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, NULL, 0,
                          "request body larger than %zu bytes", s->cfg->max_body);
    return do_check(c, s, rq);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    server *s = cls;
    request *rq = *con_cls;
    if (!rq)
        return;
    *con_cls = NULL;
    char addr[INET6_ADDRSTRLEN] = "-";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr,
                      sizeof addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      addr, sizeof addr);
    }
    struct tm tm;
    time_t t = time(NULL);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    /* Status 0: no answer was sent (the client went away, or a timeout). */
    fprintf(stderr, "%s %s %s %s %d %zu %.2f%s\n", ts, addr, rq->method, rq->path,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? rq->status : 0, rq->bytes,
            (now_s() - rq->t0) * 1000.0, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
                                              ? "" : " aborted");
    free(rq->body);
    free(rq->resp_body);
    free(rq);
    atomic_fetch_sub(&s->inflight, 1);
}

static void connection_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    (void)c;
    (void)socket_context;
    server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&s->connections, 1);
    else if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub(&s->connections, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    fprintf(stderr, "unspin serve: %s\n", buf);
}

/* ------------------------------------------------------------------ */
/* Start, wait for a signal, drain, stop                               */
/* ------------------------------------------------------------------ */

/* serve_run's way out when it cannot start: returns 2. */
static int stop_workers_and_fail(server *s, pthread_t *workers, unsigned n,
                                 const sigset_t *set)
{
    workers_stop(s, workers, n);
    free(workers);
    pthread_cond_destroy(&s->q.ready);
    pthread_mutex_destroy(&s->q.lock);
    free(s->model_json);
    pthread_sigmask(SIG_UNBLOCK, set, NULL);
    return 2;
}

int serve_run(const unspin_model *m, const serve_config *cfg)
{
    server s = {.model = m, .cfg = cfg, .started = now_s()};
    s.model_json = make_model_json(m, &s.model_json_len);
    if (!s.model_json) {
        fprintf(stderr, "unspin: serve: out of memory\n");
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    /* Blocked here before the threads start, so that they inherit the mask
     * and the signals are taken by sigwait below. */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    pthread_mutex_init(&s.q.lock, NULL);
    pthread_cond_init(&s.q.ready, NULL);
    pthread_t *workers = calloc(cfg->threads, sizeof *workers);
    unsigned nworkers = workers ? workers_start(&s, workers, cfg->threads) : 0;
    if (nworkers < cfg->threads) {
        fprintf(stderr, "unspin: serve: cannot start %u worker threads\n", cfg->threads);
        return stop_workers_and_fail(&s, workers, nworkers, &set);
    }

    /* One thread polls every connection (HTTP costs little next to the
     * detector, which runs on the workers); MHD_ALLOW_SUSPEND_RESUME lets
     * a request wait for its worker. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (cfg->addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned limit = cfg->max_connections + RESERVE_CONNECTIONS;
    if (limit < cfg->threads * 2)
        limit = cfg->threads * 2;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, &s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&cfg->addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)limit,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
        MHD_OPTION_NOTIFY_CONNECTION, connection_notify, &s,
        MHD_OPTION_END);
    if (!d) {
        char a[INET6_ADDRSTRLEN] = "?";
        const void *ip = cfg->addr.ss_family == AF_INET6
                             ? (const void *)&((const struct sockaddr_in6 *)&cfg->addr)->sin6_addr
                             : (const void *)&((const struct sockaddr_in *)&cfg->addr)->sin_addr;
        inet_ntop(cfg->addr.ss_family, ip, a, sizeof a);
        fprintf(stderr, "unspin: serve: cannot listen on %s (address in use, or not ours?)\n", a);
        return stop_workers_and_fail(&s, workers, nworkers, &set);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char a[INET6_ADDRSTRLEN] = "?";
    const void *ip = cfg->addr.ss_family == AF_INET6
                         ? (const void *)&((const struct sockaddr_in6 *)&cfg->addr)->sin6_addr
                         : (const void *)&((const struct sockaddr_in *)&cfg->addr)->sin_addr;
    inet_ntop(cfg->addr.ss_family, ip, a, sizeof a);
    fprintf(stderr, "unspin serve: listening on http://%s%s%s:%u/ (%u threads, model %s)\n",
            cfg->addr.ss_family == AF_INET6 ? "[" : "", a,
            cfg->addr.ss_family == AF_INET6 ? "]" : "", di ? (unsigned)di->port : 0,
            cfg->threads, unspin_model_path(m));
    fflush(stderr);

    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    /* Stop accepting; finish what is in flight; then close idle connections. */
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    fprintf(stderr, "unspin serve: %s: draining %u request(s)\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM", atomic_load(&s.inflight));
    double deadline = now_s() + cfg->drain_s;
    while (atomic_load(&s.inflight) > 0 && now_s() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    unsigned left = atomic_load(&s.inflight);
    /* Queued jobs are answered 503 at once; every suspended connection is
     * resumed before the workers exit, as MHD_stop_daemon requires. */
    atomic_store(&s.abandon, 1);
    workers_stop(&s, workers, nworkers);
    MHD_stop_daemon(d);
    free(workers);
    pthread_cond_destroy(&s.q.ready);
    pthread_mutex_destroy(&s.q.lock);
    free(s.model_json);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (left) {
        fprintf(stderr, "unspin serve: stopped with %u request(s) unfinished\n", left);
        return 2;
    }
    fprintf(stderr, "unspin serve: stopped\n");
    return 0;
}
