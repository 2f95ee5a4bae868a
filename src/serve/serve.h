/* unspin serve: the HTTP service (libmicrohttpd + jansson).  Part of the
 * binary, not the library: it uses only the public API of src/unspin.h. */
#ifndef UNSPIN_SERVE_H
#define UNSPIN_SERVE_H

#include <stddef.h>
#include <sys/socket.h>

#include "../unspin.h"

typedef struct serve_config {
    struct sockaddr_storage addr;  /* where to listen (serve_parse_listen) */
    socklen_t addr_len;
    unsigned threads;              /* worker threads (thread pool size) */
    size_t max_body;               /* largest request body, bytes */
    unsigned max_connections;      /* open connections before 503 */
    unsigned timeout_s;            /* idle / slow connection timeout */
    unsigned drain_s;              /* longest wait for requests on SIGTERM */
    const char *const *origins;    /* CORS origin patterns ('*' suffix) */
    size_t norigins;
    const char *api_key;           /* NULL: no authentication */
    size_t api_key_len;
} serve_config;

/* The origins allowed when no --allow-origin is given. */
extern const char *const serve_default_origins[];
extern const size_t serve_default_norigins;

/* Runs the service until SIGTERM or SIGINT, then stops accepting, waits for
 * the requests in flight and returns 0; returns 2 (after printing the
 * error) when it cannot start.  The model is only read. */
int serve_run(const unspin_model *m, const serve_config *cfg);

/* Helpers without libmicrohttpd (src/serve/util.c), unit-tested. */

/* "ADDR:PORT", "[V6ADDR]:PORT" or "PORT" (loopback) into *out.  Returns 0,
 * or -1 with a message in err. */
int serve_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *len,
                       char *err, size_t errcap);

/* 1 when origin matches one pattern: exact, or a prefix when the pattern
 * ends with '*' ("*" alone matches any origin). */
int serve_origin_allowed(const char *origin, const char *const *patterns, size_t n);

/* 1 when an Authorization header value is "Bearer KEY" with KEY equal to
 * key[0..klen); the comparison takes the same time wherever they differ. */
int serve_bearer_ok(const char *header, const char *key, size_t klen);

/* Reads an API key file: its first line, surrounding blanks removed.  Returns
 * a malloc'd key (length in *len) or NULL with a message in err. */
char *serve_read_key(const char *path, size_t *len, char *err, size_t errcap);

#endif
