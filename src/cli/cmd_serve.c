/* unspin serve: parse the options, open the model, run the HTTP service
 * (src/serve/). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../serve/serve.h"
#include "cli.h"

static const char SERVE_USAGE[] =
    "usage: unspin serve [--listen ADDR:PORT] [--model PATH] [--threads N]\n"
    "                    [--max-body BYTES] [--allow-origin PATTERN]...\n"
    "                    [--api-key-file FILE] [--max-connections N] [--timeout SECS]\n"
    "\n"
    "Answers POST /v1/check, GET /v1/health and GET /v1/model over HTTP (see\n"
    "docs/API.md).  The model is opened once and shared by the threads.\n"
    "  --listen ADDR:PORT     address to listen on (127.0.0.1:8080; [::1]:PORT for\n"
    "                         IPv6; port 0 picks a free port, printed on stderr)\n"
    "  --threads N            threads running the detector (the number of CPUs);\n"
    "                         requests wait for a free one\n"
    "  --max-body BYTES       largest request body; larger gets 413 (2097152)\n"
    "  --allow-origin PATTERN CORS origin allowed to call the service: exact, or a\n"
    "                         prefix ending in '*'; repeat or separate with commas\n"
    "                         (chrome-extension://* and moz-extension://*)\n"
    "  --api-key-file FILE    require Authorization: Bearer KEY, KEY the file's\n"
    "                         first line\n"
    "  --max-connections N    open connections before 503 answers (256)\n"
    "  --timeout SECS         close connections idle or slow this long (30)\n"
    "SIGTERM or SIGINT stops accepting, waits up to 30 s for requests in flight\n"
    "and exits 0.  One access-log line per request goes to standard error.\n";

static int parse_uint(const char *opt, const char *v, unsigned long long lo,
                      unsigned long long hi, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end || !*v || v[0] == '-' || n < lo || n > hi)
        return cli_error("serve: %s wants a whole number in [%llu, %llu], not '%s'", opt, lo,
                         hi, v);
    *out = n;
    return CLI_OK;
}

int cmd_serve(int argc, char **argv)
{
    const char *model_path = NULL, *listen = "127.0.0.1:8080", *key_file = NULL;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    serve_config cfg = {.threads = ncpu > 0 ? (unsigned)(ncpu < 64 ? ncpu : 64) : 2,
                        .max_body = (size_t)2 << 20,
                        .max_connections = 256,
                        .timeout_s = 30,
                        .drain_s = 30};
    /* Origin patterns point into argv (split at commas in place). */
    const char **origins = calloc((size_t)argc * 64 + 1, sizeof *origins);
    size_t norigins = 0;
    if (!origins)
        return cli_error("out of memory");
    int rc = CLI_ERROR;
    char *key = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(SERVE_USAGE, stdout);
            rc = CLI_OK;
            goto out;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            cli_error("serve: unexpected argument '%s'", a);
            goto out;
        }
        if (i + 1 >= argc) {
            cli_error("serve: unknown option '%s', or it needs a value", a);
            goto out;
        }
        char *v = argv[++i];
        if (!strcmp(a, "--listen"))
            listen = v;
        else if (!strcmp(a, "--model"))
            model_path = v;
        else if (!strcmp(a, "--api-key-file"))
            key_file = v;
        else if (!strcmp(a, "--threads")) {
            if (parse_uint(a, v, 1, 256, &n) != CLI_OK)
                goto out;
            cfg.threads = (unsigned)n;
        } else if (!strcmp(a, "--max-body")) {
            if (parse_uint(a, v, 1, CLI_MAX_INPUT, &n) != CLI_OK)
                goto out;
            cfg.max_body = (size_t)n;
        } else if (!strcmp(a, "--max-connections")) {
            if (parse_uint(a, v, 1, 100000, &n) != CLI_OK)
                goto out;
            cfg.max_connections = (unsigned)n;
        } else if (!strcmp(a, "--timeout")) {
            if (parse_uint(a, v, 1, 3600, &n) != CLI_OK)
                goto out;
            cfg.timeout_s = (unsigned)n;
        } else if (!strcmp(a, "--allow-origin")) {
            for (char *p = strtok(v, ","); p && norigins < (size_t)argc * 64; p = strtok(NULL, ","))
                if (*p)
                    origins[norigins++] = p;
        } else {
            cli_error("serve: unknown option '%s'", a);
            goto out;
        }
    }
    char err[600];
    if (serve_parse_listen(listen, &cfg.addr, &cfg.addr_len, err, sizeof err) != 0) {
        cli_error("serve: %s", err);
        goto out;
    }
    if (norigins) {
        cfg.origins = origins;
        cfg.norigins = norigins;
    } else {
        cfg.origins = serve_default_origins;
        cfg.norigins = serve_default_norigins;
    }
    if (key_file) {
        key = serve_read_key(key_file, &cfg.api_key_len, err, sizeof err);
        if (!key) {
            cli_error("serve: %s", err);
            goto out;
        }
        cfg.api_key = key;
    }
    char buf[PATH_MAX + 32];
    const char *path = cli_find_model(model_path, buf, sizeof buf);
    unspin_model *m;
    unspin_error uerr;
    if (unspin_model_open(path, &m, &uerr) != UNSPIN_OK) {
        cli_error("%s", uerr.message);
        goto out;
    }
    rc = serve_run(m, &cfg) == 0 ? CLI_OK : CLI_ERROR;
    unspin_model_free(m);
out:
    if (key) {
        memset(key, 0, cfg.api_key_len);
        free(key);
    }
    free(origins);
    return rc;
}
