/* The scanning engine shared by unspin scan and unspin report: inputs
 * (files, directories, JSON Lines, standard input, HTML, PDF) read by one
 * producer into a bounded queue, judged by worker threads sharing one
 * model, each document handed back as it finishes. */
#ifndef UNSPIN_CLI_SCAN_H
#define UNSPIN_CLI_SCAN_H

#include <stddef.h>

#include <jansson.h>

#include "cli.h"

/* One finished document. */
typedef struct scan_doc {
    const char *id;            /* the JSONL id or url, else the path */
    const char *error;         /* non-NULL: it could not be judged, and why */
    const char *text;          /* the text judged (extracted for HTML), or NULL */
    size_t len;
    const unspin_result *result; /* NULL for errors and records */
    json_t *record;            /* a scan record read back (accept_records), or NULL */
    size_t bytes;              /* input bytes the document took */
} scan_doc;

typedef struct scan_config {
    const unspin_model *model;
    unspin_detect_options opts;
    int jobs;                  /* worker threads (>= 1) */
    int accept_records;        /* JSONL lines holding a scan record pass through */
    int progress;              /* progress line on stderr */
    /* Called by the worker, outside any lock; returns a malloc'd string
     * for emit, or NULL.  May be NULL. */
    char *(*format)(const scan_doc *d, void *ctx);
    /* Called under the output lock, once per document, in finishing order;
     * owns `formatted`. */
    void (*emit)(const scan_doc *d, char *formatted, void *ctx);
    void *ctx;
} scan_config;

/* Scans the paths ("-" is standard input).  CLI_OK when the scan ran (bad
 * documents are reported through emit), CLI_ERROR when it could not. */
int scan_run(const scan_config *cfg, char *const *paths, int npaths);

/* Reads one document as scan does (text; HTML by name or content; PDF by
 * its first bytes "%PDF-") into a malloc'd NUL-terminated text.  On
 * failure returns CLI_ERROR with the reason in errbuf. */
int scan_load_document(const char *path, char **text, size_t *len, char *errbuf, size_t cap);

/* The number of processors this process may use (>= 1). */
int scan_default_jobs(void);

/* Parses a --jobs value: 1..1024; -1 when invalid. */
int scan_parse_jobs(const char *v);

#endif
