#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int us_fail(unspin_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void us_error_clear(unspin_error *err)
{
    if (err) {
        err->code = UNSPIN_OK;
        err->message[0] = '\0';
    }
}

int us_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int us_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*buf, ncap * elem);
    if (!p)
        return -1;
    *buf = p;
    *cap = ncap;
    return 0;
}

char *us_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

int us_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
                 unspin_error *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return us_fail(err, UNSPIN_EIO, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0, n = 0;
    struct stat st;
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return us_fail(err, UNSPIN_EIO, "%s: is a directory", path);
    }
    for (;;) {
        if (us_grow((void **)&buf, &cap, n + 65536 + 1, 1) != 0) {
            free(buf);
            if (f != stdin)
                fclose(f);
            return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max_bytes) {
            free(buf);
            if (f != stdin)
                fclose(f);
            return us_fail(err, UNSPIN_ETOOBIG,
                           "%s: larger than the limit of %zu bytes", path,
                           max_bytes);
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        return us_fail(err, UNSPIN_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return UNSPIN_OK;
}

const char *unspin_strerror(int code)
{
    switch (code) {
    case UNSPIN_OK: return "success";
    case UNSPIN_ENOMEM: return "out of memory";
    case UNSPIN_EINVAL: return "invalid argument";
    case UNSPIN_EUTF8: return "invalid UTF-8";
    case UNSPIN_EIO: return "input/output error";
    case UNSPIN_EICU: return "ICU error";
    case UNSPIN_EDICT: return "dictionary error";
    case UNSPIN_EMODEL: return "bad model file";
    case UNSPIN_ETOOBIG: return "input too large";
    case UNSPIN_ENOTFOUND: return "not found";
    default: return "unknown error";
    }
}

const char *unspin_version(void) { return UNSPIN_VERSION_STRING; }
