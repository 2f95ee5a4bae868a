/* The model's term look-up shortcuts (word -> one-word term, and the
 * position and neighbour filters for phrases, built at open) must answer
 * exactly as the hash index does.  On the real model (models/en_US.unspin,
 * skipped when it has not been built). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"

#define MODEL_PATH "models/en_US.unspin"

static unspin_model *fast, *plain;

static int setup(void **state)
{
    (void)state;
    if (access(MODEL_PATH, R_OK) != 0)
        return 0; /* tests skip */
    unspin_error err;
    if (unspin_model_open(MODEL_PATH, &fast, &err) != UNSPIN_OK ||
        unspin_model_open(MODEL_PATH, &plain, &err) != UNSPIN_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return -1;
    }
    /* The second handle without its shortcuts: look-ups by hash only. */
    free(plain->term_pos);
    free(plain->word_term);
    free(plain->term_pairs);
    plain->term_pos = NULL;
    plain->word_term = NULL;
    plain->term_pairs = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unspin_model_free(fast);
    unspin_model_free(plain);
    return 0;
}

static void need_model(void)
{
    if (!fast) {
        fprintf(stderr, "test_term_index: no %s (make model): skipped\n", MODEL_PATH);
        skip();
    }
}

/* Every term is found as itself. */
static void test_every_term_found(void **state)
{
    (void)state;
    need_model();
    assert_non_null(fast->term_pos);
    for (uint32_t t = 0; t < fast->term.n; t++) {
        uint32_t n;
        const uint32_t *w = us_csr_get(&fast->term, t, 4, &n);
        assert_int_equal(us_model_term(fast, w, n), t);
    }
}

/* Single words, and phrases near terms (a term with one word replaced by
 * a word of another term, or cut short), answer as without shortcuts. */
static void test_same_as_hash_index(void **state)
{
    (void)state;
    need_model();
    for (uint32_t w = 0; w < fast->vocab.count; w++)
        assert_int_equal(us_model_term(fast, &w, 1), us_model_term(plain, &w, 1));
    uint32_t missing = US_STR_NONE;
    assert_int_equal(us_model_term(fast, &missing, 1), US_STR_NONE);
    size_t asked = 0;
    for (uint32_t t = 0; t + 1 < fast->term.n; t++) {
        uint32_t n, n2, ids[8];
        const uint32_t *w = us_csr_get(&fast->term, t, 4, &n);
        const uint32_t *o = us_csr_get(&fast->term, t + 1, 4, &n2);
        if (n < 2 || n > 8)
            continue;
        for (uint32_t k = 0; k < n; k++) {
            memcpy(ids, w, n * sizeof *ids);
            ids[k] = o[0];
            assert_int_equal(us_model_term(fast, ids, n), us_model_term(plain, ids, n));
            asked++;
        }
        assert_int_equal(us_model_term(fast, w, n - 1), us_model_term(plain, w, n - 1));
        assert_int_equal(us_model_term(fast, w + 1, n - 1), us_model_term(plain, w + 1, n - 1));
    }
    assert_true(asked > 1000);
}

/* A pair of neighbours in a term is always let through. */
static void test_pairs_of_terms(void **state)
{
    (void)state;
    need_model();
    for (uint32_t t = 0; t < fast->term.n; t++) {
        uint32_t n;
        const uint32_t *w = us_csr_get(&fast->term, t, 4, &n);
        for (uint32_t j = 0; j + 1 < n; j++)
            assert_true(us_model_term_pair(fast, w[j], w[j + 1]));
    }
    assert_true(us_model_term_pair(plain, 1, 2)); /* no set: anything may be */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_term_found),
        cmocka_unit_test(test_same_as_hash_index),
        cmocka_unit_test(test_pairs_of_terms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
