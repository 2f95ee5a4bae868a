/* Unit tests of the model container: round trip, and every kind of damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/file.h"

static char dir[] = "/tmp/unspin-test-XXXXXX";
static char path[256];

static void write_sample(void)
{
    us_model_writer *w;
    unspin_error err;
    assert_int_equal(us_model_writer_open(path, &w, &err), UNSPIN_OK);
    assert_int_equal(us_model_writer_section(w, "alpha", "hello", 5, &err), UNSPIN_OK);
    uint64_t nums[3] = {1, 2, 3};
    assert_int_equal(us_model_writer_begin(w, "beta", &err), UNSPIN_OK);
    assert_int_equal(us_model_writer_write(w, nums, 8, &err), UNSPIN_OK);
    assert_int_equal(us_model_writer_write(w, nums + 1, 16, &err), UNSPIN_OK);
    assert_int_equal(us_model_writer_end(w, &err), UNSPIN_OK);
    assert_int_equal(us_model_writer_close(w, &err), UNSPIN_OK);
}

static long file_size(void)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void poke(long off, uint8_t xor_with)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, off, SEEK_SET);
    fputc(c ^ xor_with, f);
    fclose(f);
}

/* Opening must fail with EMODEL and a message naming the file and `what`. */
static void assert_refused(const char *what)
{
    us_model_file mf;
    unspin_error err;
    assert_int_equal(us_model_file_open(path, &mf, &err), UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, path));
    if (!strstr(err.message, what))
        fail_msg("message '%s' lacks '%s'", err.message, what);
    assert_null(strchr(err.message, '\n'));
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/m.unspin", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

static void test_round_trip(void **state)
{
    (void)state;
    write_sample();
    us_model_file mf;
    unspin_error err;
    assert_int_equal(us_model_file_open(path, &mf, &err), UNSPIN_OK);
    assert_int_equal(mf.nsections, 2);
    const us_model_section *a = us_model_file_find(&mf, "alpha");
    assert_non_null(a);
    assert_int_equal(a->size, 5);
    assert_memory_equal(a->data, "hello", 5);
    const us_model_section *b = us_model_file_find(&mf, "beta");
    assert_int_equal(b->size, 24);
    assert_int_equal((uintptr_t)b->data % 8, 0);
    assert_int_equal(((const uint64_t *)b->data)[2], 3);
    assert_null(us_model_file_find(&mf, "gamma"));
    assert_int_equal(us_model_file_verify(&mf, &err), UNSPIN_OK);
    us_model_file_close(&mf);
    /* No temporary file is left behind. */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_not_equal(access(tmp, F_OK), 0);
}

static void test_missing_file(void **state)
{
    (void)state;
    unlink(path);
    assert_refused("cannot open model");
}

static void test_foreign_file(void **state)
{
    (void)state;
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 300; i++)
        fputc("#!/bin/sh\necho hi\n"[i % 18], f);
    fclose(f);
    assert_refused("not an unspin model");
    f = fopen(path, "wb");
    fputs("short", f);
    fclose(f);
    assert_refused("truncated");
}

static void test_truncated(void **state)
{
    (void)state;
    write_sample();
    long n = file_size();
    assert_int_equal(truncate(path, n - 10), 0);
    assert_refused("truncated");
    write_sample();
    assert_int_equal(truncate(path, 200), 0);
    assert_refused("truncated");
}

static void test_incomplete(void **state)
{
    (void)state;
    write_sample();
    poke(12, 0x55); /* the state word: no longer "complete" */
    assert_refused("corrupt header");
    /* A writer that never finished leaves the incomplete marker. */
    us_model_writer *w;
    unspin_error err;
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(us_model_writer_open(path, &w, &err), UNSPIN_OK);
    assert_int_equal(us_model_writer_section(w, "alpha", "x", 1, &err), UNSPIN_OK);
    /* copy the half-written file under the final name, as a careless user would */
    FILE *in = fopen(tmp, "rb"), *out = fopen(path, "wb");
    assert_non_null(in);
    fflush(NULL);
    int c;
    while ((c = fgetc(in)) != EOF)
        fputc(c, out);
    fclose(in);
    fclose(out);
    us_model_writer_abort(w);
    assert_int_not_equal(access(tmp, F_OK), 0);
    assert_refused("incomplete model");
}

static void test_byte_order_and_version(void **state)
{
    (void)state;
    write_sample();
    poke(16, 0x01); /* uint64 one -> 0: as if written big-endian */
    poke(23, 0x01);
    assert_refused("byte order");
    write_sample();
    poke(8, 0x01); /* format version 2 -> 3 */
    assert_refused("model format 3");
}

static void test_corrupt_section(void **state)
{
    (void)state;
    write_sample();
    poke(130, 0x20); /* inside section "alpha" */
    us_model_file mf;
    unspin_error err;
    assert_int_equal(us_model_file_open(path, &mf, &err), UNSPIN_OK);
    assert_int_equal(us_model_file_verify(&mf, &err), UNSPIN_EMODEL);
    assert_non_null(strstr(err.message, "section 'alpha' is corrupt"));
    us_model_file_close(&mf);
    write_sample();
    poke(file_size() - 20, 0x04); /* inside the section table */
    assert_refused("section table");
}

static void test_every_byte_flip_is_caught(void **state)
{
    (void)state;
    /* Flipping any byte is refused at open or caught by verify, never a
     * crash; only the alignment padding after "alpha" (bytes 133-135) is
     * covered by no checksum. */
    write_sample();
    long n = file_size();
    for (long off = 0; off < n; off++) {
        write_sample();
        poke(off, 0x80);
        us_model_file mf;
        unspin_error err;
        int rc = us_model_file_open(path, &mf, &err);
        if (rc == UNSPIN_OK) {
            rc = us_model_file_verify(&mf, &err);
            us_model_file_close(&mf);
        }
        if (off >= 133 && off < 136)
            assert_int_equal(rc, UNSPIN_OK);
        else if (rc != UNSPIN_EMODEL)
            fail_msg("flip at byte %ld not caught", off);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_foreign_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_incomplete),
        cmocka_unit_test(test_byte_order_and_version),
        cmocka_unit_test(test_corrupt_section),
        cmocka_unit_test(test_every_byte_flip_is_caught),
    };
    return cmocka_run_group_tests_name("model_file", tests, setup, teardown);
}
