/* Tiny models for the unit tests: built from an ARPA LM, a synonym list
 * and a learned table given as text, in a temporary directory (linked into
 * every test binary, see the Makefile). */
#ifndef UNSPIN_TEST_TINY_MODEL_H
#define UNSPIN_TEST_TINY_MODEL_H

#include <stddef.h>

#include "detect/detect.h"
#include "unspin.h"

/* The model (the caller frees it), or NULL when the system has no Hunspell
 * dictionary (the builder needs it): the test should skip().  A failed
 * build or open fails the test. */
unspin_model *tiny_model(const char *arpa, const char *synonyms, const char *learned);

/* A detector slot for word w of model m, token index tok (for the tests
 * that call us_candidates directly). */
us_slot tiny_slot(const unspin_model *m, const char *w, size_t tok);

/* Asserts that the first span unspin_detect finds in text reads `want`
 * ("text -> original"), or that there is none (want NULL). */
void tiny_expect_first_span(const unspin_model *m, const char *text, const char *want);

/* Removes the temporary directory; for a group teardown. */
int tiny_model_teardown(void **state);

#endif
