/* Unit tests of the service's helpers without HTTP (src/serve/util.c is part
 * of the binary, not the library, so it is compiled in here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "serve/util.c"

static void test_listen(void **state)
{
    (void)state;
    struct sockaddr_storage a;
    socklen_t len;
    char err[256];
    assert_int_equal(serve_parse_listen("127.0.0.1:8080", &a, &len, err, sizeof err), 0);
    assert_int_equal(a.ss_family, AF_INET);
    assert_int_equal(ntohs(((struct sockaddr_in *)&a)->sin_port), 8080);
    assert_int_equal(len, sizeof(struct sockaddr_in));
    assert_int_equal(serve_parse_listen("[::1]:0", &a, &len, err, sizeof err), 0);
    assert_int_equal(a.ss_family, AF_INET6);
    assert_int_equal(serve_parse_listen("9000", &a, &len, err, sizeof err), 0);
    assert_int_equal(ntohl(((struct sockaddr_in *)&a)->sin_addr.s_addr), 0x7F000001);
    assert_int_equal(serve_parse_listen("localhost:1", &a, &len, err, sizeof err), 0);
    assert_int_equal(serve_parse_listen("0.0.0.0:65535", &a, &len, err, sizeof err), 0);
    const char *bad[] = {"", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "host:80",
                         "::1:80", "[::1]80", "1.2.3.4:80x", "[::1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(serve_parse_listen(bad[i], &a, &len, err, sizeof err), -1);
        assert_non_null(strstr(err, "bad listen address"));
    }
}

static void test_origins(void **state)
{
    (void)state;
    const char *const *d = serve_default_origins;
    size_t n = serve_default_norigins;
    assert_true(serve_origin_allowed("chrome-extension://abcdef", d, n));
    assert_true(serve_origin_allowed("moz-extension://0f1e-22", d, n));
    assert_false(serve_origin_allowed("https://example.com", d, n));
    assert_false(serve_origin_allowed("chrome-extension:/", d, n));
    assert_false(serve_origin_allowed("null", d, n));
    const char *p[] = {"https://reader.example", "http://localhost:*"};
    assert_true(serve_origin_allowed("https://reader.example", p, 2));
    assert_false(serve_origin_allowed("https://reader.example.evil", p, 2));
    assert_true(serve_origin_allowed("http://localhost:3000", p, 2));
    assert_false(serve_origin_allowed("http://localhost", p, 2));
    const char *any[] = {"*"};
    assert_true(serve_origin_allowed("https://anything", any, 1));
}

static void test_bearer(void **state)
{
    (void)state;
    const char *k = "s3cret";
    assert_true(serve_bearer_ok("Bearer s3cret", k, 6));
    assert_true(serve_bearer_ok("Bearer  s3cret ", k, 6));
    assert_false(serve_bearer_ok("Bearer s3cre", k, 6));
    assert_false(serve_bearer_ok("Bearer s3crett", k, 6));
    assert_false(serve_bearer_ok("Bearer S3cret", k, 6));
    assert_false(serve_bearer_ok("Basic s3cret", k, 6));
    assert_false(serve_bearer_ok("bearer", k, 6));
    assert_false(serve_bearer_ok("", k, 6));
    assert_false(serve_bearer_ok(NULL, k, 6));
}

static void test_key_file(void **state)
{
    (void)state;
    char path[] = "/tmp/unspin-test-key.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("  abc-DEF_123 \r\nsecond line\n", f);
    fclose(f);
    char err[256];
    size_t len = 0;
    char *key = serve_read_key(path, &len, err, sizeof err);
    assert_non_null(key);
    assert_string_equal(key, "abc-DEF_123");
    assert_int_equal(len, 11);
    free(key);
    f = fopen(path, "w");
    fputs("\n", f);
    fclose(f);
    assert_null(serve_read_key(path, &len, err, sizeof err));
    assert_non_null(strstr(err, "no key"));
    f = fopen(path, "w");
    fputs("a b\n", f);
    fclose(f);
    assert_null(serve_read_key(path, &len, err, sizeof err));
    unlink(path);
    assert_null(serve_read_key(path, &len, err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listen),
        cmocka_unit_test(test_origins),
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_key_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
