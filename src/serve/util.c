/* Helpers of unspin serve that need no HTTP library: the listen address,
 * CORS origin patterns, the API key. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

const char *const serve_default_origins[] = {"chrome-extension://*", "moz-extension://*"};
const size_t serve_default_norigins = 2;

int serve_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *len,
                       char *err, size_t errcap)
{
    char host[64];
    const char *port;
    memset(out, 0, sizeof *out);
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
            goto bad;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(s, ':');
        if (!colon) {
            strcpy(host, "127.0.0.1");
            port = s;
        } else {
            if ((size_t)(colon - s) >= sizeof host || strchr(s, ':') != colon)
                goto bad;
            memcpy(host, s, (size_t)(colon - s));
            host[colon - s] = '\0';
            port = colon + 1;
        }
    }
    char *end;
    errno = 0;
    long p = strtol(port, &end, 10);
    if (!*port || *end || errno || p < 0 || p > 65535)
        goto bad;
    if (!strcmp(host, "localhost"))
        strcpy(host, "127.0.0.1");
    struct sockaddr_in *a4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)p);
        *len = sizeof *a4;
    } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)p);
        *len = sizeof *a6;
    } else
        goto bad;
    return 0;
bad:
    snprintf(err, errcap, "bad listen address '%s' (want ADDR:PORT, [ADDR]:PORT or PORT)", s);
    return -1;
}

int serve_origin_allowed(const char *origin, const char *const *patterns, size_t n)
{
    size_t olen = strlen(origin);
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(patterns[i]);
        if (plen && patterns[i][plen - 1] == '*') {
            if (olen >= plen - 1 && !memcmp(origin, patterns[i], plen - 1))
                return 1;
        } else if (olen == plen && !memcmp(origin, patterns[i], plen))
            return 1;
    }
    return 0;
}

int serve_bearer_ok(const char *header, const char *key, size_t klen)
{
    if (!header || strncmp(header, "Bearer ", 7) != 0)
        return 0;
    const char *given = header + 7;
    while (*given == ' ')
        given++;
    size_t glen = strlen(given);
    while (glen && (given[glen - 1] == ' ' || given[glen - 1] == '\t'))
        glen--;
    /* Every byte of the key is compared whatever the given length. */
    unsigned diff = (unsigned)(glen != klen);
    for (size_t i = 0; i < klen; i++) {
        unsigned char g = i < glen ? (unsigned char)given[i] : 0;
        diff |= (unsigned)(g ^ (unsigned char)key[i]);
    }
    return diff == 0;
}

char *serve_read_key(const char *path, size_t *len, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *nl = strpbrk(buf, "\r\n");
    if (nl)
        *nl = '\0';
    char *s = buf;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t k = strlen(s);
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    s[k] = '\0';
    for (size_t i = 0; i < k; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E) {
            snprintf(err, errcap, "%s: the key must be printable ASCII without spaces", path);
            return NULL;
        }
    if (k == 0) {
        snprintf(err, errcap, "%s: no key on the first line", path);
        return NULL;
    }
    char *key = strdup(s);
    if (!key)
        snprintf(err, errcap, "out of memory");
    *len = k;
    return key;
}
