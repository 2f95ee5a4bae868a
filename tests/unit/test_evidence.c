/* Unit tests of the document evidence (src/detect/evidence.c): sentence
 * likelihood ratios shared by swap posterior, repeats of a word type
 * counted as sqrt(n). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "detect/evidence.h"
#include "model/strtab.h"

static void test_shared_by_posterior(void **state)
{
    (void)state;
    us_evidence e = {0};
    const uint32_t vid[3] = {7, 8, 9};
    const double post[3] = {0.75, 0.25, 0.0};
    assert_int_equal(us_evidence_add(&e, 2.0, vid, post, 3), 0);
    /* 1.5 to type 7, 0.5 to type 8, nothing to 9: the total is the ratio */
    assert_float_equal(us_evidence_total(&e), 2.0, 1e-12);
    assert_int_equal(e.types.n, 2);
    us_evidence_free(&e);
}

static void test_repeats_count_sqrt(void **state)
{
    (void)state;
    us_evidence e = {0};
    const uint32_t vid[2] = {3, 4};
    const double post[2] = {0.5, 0.5};
    for (int i = 0; i < 4; i++)
        assert_int_equal(us_evidence_add(&e, 2.0, vid, post, 2), 0);
    /* each type: 4 shares of 1.0 over sqrt(4) = 2; both: 4, not 8 */
    assert_float_equal(us_evidence_total(&e), 4.0, 1e-12);
    /* a new type adds in full */
    const uint32_t other[1] = {5};
    const double one[1] = {1.0};
    assert_int_equal(us_evidence_add(&e, 3.0, other, one, 1), 0);
    assert_float_equal(us_evidence_total(&e), 7.0, 1e-12);
    us_evidence_free(&e);
}

static void test_direct_evidence(void **state)
{
    (void)state;
    us_evidence e = {0};
    const uint32_t vid[2] = {US_STR_NONE, US_STR_NONE};
    const double post[2] = {0.5, 0.5};
    /* unknown words: no type, no discount */
    for (int i = 0; i < 4; i++)
        assert_int_equal(us_evidence_add(&e, 1.0, vid, post, 2), 0);
    assert_float_equal(us_evidence_total(&e), 4.0, 1e-12);
    /* a sentence that favours the natural reading counts as it is */
    const uint32_t known[2] = {1, 2};
    assert_int_equal(us_evidence_add(&e, -1.5, known, post, 2), 0);
    assert_float_equal(us_evidence_total(&e), 2.5, 1e-12);
    /* positive ratio but no word likely swapped: counts as it is */
    const double none[2] = {0.0, 0.0005};
    assert_int_equal(us_evidence_add(&e, 0.5, known, none, 2), 0);
    assert_float_equal(us_evidence_total(&e), 3.0, 1e-12);
    assert_int_equal(e.types.n, 0);
    us_evidence_free(&e);
}

static void test_many_types(void **state)
{
    (void)state;
    us_evidence e = {0};
    const double one[1] = {1.0};
    /* past the table's first size (256): it grows and keeps every type */
    for (uint32_t v = 0; v < 5000; v++)
        assert_int_equal(us_evidence_add(&e, 1.0, &v, one, 1), 0);
    for (uint32_t v = 0; v < 5000; v += 2)
        assert_int_equal(us_evidence_add(&e, 1.0, &v, one, 1), 0);
    assert_int_equal(e.types.n, 5000);
    /* 2500 types seen once (1 each), 2500 twice (2 / sqrt 2 each) */
    assert_float_equal(us_evidence_total(&e), 2500.0 + 2500.0 * 1.4142135623730951, 1e-6);
    us_evidence_free(&e);
    assert_null(e.t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_by_posterior),
        cmocka_unit_test(test_repeats_count_sqrt),
        cmocka_unit_test(test_direct_evidence),
        cmocka_unit_test(test_many_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
