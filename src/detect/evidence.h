/*
 * The document's evidence of spinning: the first pass's log10 likelihood
 * ratios (spun against natural), shared among the words of each sentence
 * and added up by word type, a type's repeats discounted (see evidence.c).
 */
#ifndef UNSPIN_DETECT_EVIDENCE_H
#define UNSPIN_DETECT_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/idmap.h"

typedef struct us_type_ev {
    uint32_t n;    /* occurrences that carried evidence */
    double sum;    /* their share of the likelihood ratio */
} us_type_ev;

typedef struct us_evidence {
    us_idmap types; /* vocabulary id -> index in t */
    us_type_ev *t;  /* per word type, types.n of them */
    size_t tcap;
    double direct;  /* evidence not tied to a known word type */
} us_evidence;

/* Adds a sentence (or window) whose log10 likelihood ratio is llr, over n
 * words with vocabulary ids vid[] (US_STR_NONE: unknown) and swap
 * posteriors post[].  Returns 0, or -1 when out of memory. */
int us_evidence_add(us_evidence *e, double llr, const uint32_t *vid, const double *post,
                    size_t n);

/* The document's log10 likelihood ratio: each word type's share counted
 * as its sum over sqrt(occurrences). */
double us_evidence_total(const us_evidence *e);

void us_evidence_free(us_evidence *e);

#endif
