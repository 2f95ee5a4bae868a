/* unspin serve: POST /v1/check, GET /v1/health, GET /v1/model over HTTP
 * with libmicrohttpd (a pool of threads, each polling its own connections)
 * and jansson.  One model, opened by the caller, is shared read-only by all
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

#include "serve.h"

/* Connections above --max-connections get a 503; the daemon itself keeps
 * this many more so that it can still answer them. */
#define RESERVE_CONNECTIONS 16
/* A body over the limit is read and dropped (so that the client gets its
 * 413) up to this much; past it the connection is closed. */
#define MAX_DISCARD ((size_t)64 << 20)

typedef struct server {
    const unspin_model *model;
    const serve_config *cfg;
    char *model_json;            /* GET /v1/model, made once */
    size_t model_json_len;
    double started;
    atomic_uint connections;     /* open connections */
    atomic_uint inflight;        /* requests between header and completion */
    atomic_ulong requests;
} server;

/* Per request (one per HTTP request; a keep-alive connection has several). */
typedef struct request {
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
} request;

enum route { R_NONE, R_CHECK, R_HEALTH, R_MODEL };

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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
    json_t *doc = json_pack("{s:s}", "error", msg);
    char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!s)
        return MHD_NO;
    return send_body(c, rq, status, s, strlen(s), allow, close_conn);
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

/* One document: its JSON object (from unspin_result_json), or an error. */
static json_t *check_one(server *s, const unspin_detect_options *o, json_t *text,
                         unsigned *status, char *msg, size_t msgcap)
{
    unspin_result *r;
    unspin_error err;
    if (unspin_detect(s->model, o, json_string_value(text), json_string_length(text), &r,
                      &err) != UNSPIN_OK) {
        *status = detect_status(err.code);
        snprintf(msg, msgcap, "%s", err.message);
        return NULL;
    }
    char *js = unspin_result_json(r, NULL, &err);
    unspin_result_free(r);
    json_t *doc = js ? json_loads(js, 0, NULL) : NULL;
    free(js);
    if (!doc) {
        *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        snprintf(msg, msgcap, "out of memory");
    }
    return doc;
}

static enum MHD_Result do_check(struct MHD_Connection *c, server *s, request *rq)
{
    const char *body = rq->body ? rq->body : "";
    size_t bad;
    if (unspin_utf8_check(body, rq->len, &bad) != UNSPIN_OK)
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                          "invalid UTF-8 at byte %zu of the request body", bad);
    json_error_t jerr;
    json_t *req = json_loadb(body, rq->len, JSON_ALLOW_NUL, &jerr);
    if (!req)
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                          "malformed JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                          jerr.column);
    enum MHD_Result ret;
    unspin_detect_options o;
    unspin_detect_options_default(&o);
    json_t *text = json_object_get(req, "text");
    json_t *docs = json_object_get(req, "documents");
    json_t *th = json_object_get(req, "threshold");
    if (!json_is_object(req)) {
        ret = send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                         "the request body must be a JSON object");
        goto done;
    }
    if (th && !json_is_null(th)) {
        if (!json_is_number(th) || !(json_number_value(th) >= 0 && json_number_value(th) <= 1)) {
            ret = send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                             "\"threshold\" must be a number in [0, 1]");
            goto done;
        }
        o.threshold = json_number_value(th);
    }
    if ((text != NULL) == (docs != NULL)) {
        ret = send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                         "give either \"text\" (a string) or \"documents\" (an array)");
        goto done;
    }
    char msg[600];
    unsigned status = MHD_HTTP_OK;
    if (text) {
        if (!json_is_string(text)) {
            ret = send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                             "\"text\" must be a string");
            goto done;
        }
        json_t *doc = check_one(s, &o, text, &status, msg, sizeof msg);
        ret = doc ? send_json(c, rq, MHD_HTTP_OK, doc, 0)
                  : send_error(c, rq, status, NULL, 0, "%s", msg);
        goto done;
    }
    if (!json_is_array(docs)) {
        ret = send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                         "\"documents\" must be an array of {\"id\", \"text\"} objects");
        goto done;
    }
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d) {
        json_t *id = json_object_get(d, "id");
        if (!json_is_object(d) || !json_is_string(json_object_get(d, "text")) ||
            (id && !json_is_string(id) && !json_is_integer(id))) {
            ret = send_error(c, rq, MHD_HTTP_BAD_REQUEST, NULL, 0,
                             "documents[%zu] must be an object with \"text\" (a string) and "
                             "\"id\" (a string or an integer)",
                             i);
            goto done;
        }
    }
    json_t *out = json_array();
    json_array_foreach(docs, i, d) {
        json_t *one = check_one(s, &o, json_object_get(d, "text"), &status, msg, sizeof msg);
        json_t *id = json_object_get(d, "id");
        json_t *item = json_object();
        if (item)
            json_object_set_new(item, "id", id ? json_incref(id) : json_integer((json_int_t)i));
        if (!one || !item || !out) {
            json_decref(one);
            json_decref(item);
            json_decref(out);
            ret = one ? MHD_NO
                      : send_error(c, rq, status, NULL, 0, "documents[%zu]: %s", i, msg);
            goto done;
        }
        json_object_update(item, one);
        json_decref(one);
        json_array_append_new(out, item);
    }
    ret = send_json(c, rq, MHD_HTTP_OK, json_pack("{s:o}", "documents", out), 0);
done:
    json_decref(req);
    return ret;
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
        json_t *doc = json_pack("{s:s, s:s, s:f, s:I}", "status", "ok", "version",
                                unspin_version(), "uptime_s", now_s() - s->started,
                                "requests", (json_int_t)atomic_load(&s->requests));
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

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (cfg->addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned limit = cfg->max_connections + RESERVE_CONNECTIONS;
    if (limit < cfg->threads * 2)
        limit = cfg->threads * 2;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, &s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&cfg->addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
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
        free(s.model_json);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        return 2;
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
    MHD_stop_daemon(d);
    free(s.model_json);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (left) {
        fprintf(stderr, "unspin serve: stopped with %u request(s) unfinished\n", left);
        return 2;
    }
    fprintf(stderr, "unspin serve: stopped\n");
    return 0;
}
