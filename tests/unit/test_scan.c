/* Unit tests of the HTML text extraction (unspin_extract_html). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/xmlerror.h>
#include <unistd.h>

#include "unspin.h"

static char *extract(const char *html)
{
    char *text = NULL;
    size_t len = 0;
    unspin_error err;
    if (unspin_extract_html(html, strlen(html), &text, &len, &err) != UNSPIN_OK)
        fail_msg("unspin_extract_html: %s", err.message);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    return text;
}

static void expect(const char *html, const char *want)
{
    char *got = extract(html);
    assert_string_equal(got, want);
    free(got);
}

static void test_paragraphs(void **state)
{
    (void)state;
    expect("<p>One  two\n three.</p><p>Four.</p>", "One two three.\n\nFour.\n");
    expect("<div>A<br>B</div>", "A\nB\n");
    expect("<ul><li>x</li><li>y</li></ul><p>z</p>", "x\ny\n\nz\n");
    expect("<h1>Title</h1>Body <b>bold</b> <i>it</i>.", "Title\n\nBody bold it.\n");
    expect("<table><tr><td>a</td><td>b</td></tr></table>", "a\nb\n");
}

static void test_skipped(void **state)
{
    (void)state;
    expect("<html><head><title>T</title><style>p{color:red}</style>"
           "<script>var x = '<p>no</p>';</script></head><body>"
           "<nav>Home | About</nav><header>Masthead</header>"
           "<p>Kept.</p><aside>Related</aside><noscript>Enable JS</noscript>"
           "<form><button>Go</button></form><footer>Copyright</footer></body></html>",
           "Kept.\n");
    expect("<p>a<script>b()</script>c</p>", "ac\n");
}

static void test_entities(void **state)
{
    (void)state;
    expect("<p>Fish &amp; chips &mdash; caf&eacute;&nbsp;time &lt;b&gt; &#8217;s &#x41;</p>",
           "Fish & chips \xE2\x80\x94 caf\xC3\xA9 time <b> \xE2\x80\x99s A\n");
}

static void test_pre(void **state)
{
    (void)state;
    expect("<pre>a  b\nc</pre><p>d   e</p>", "a  b\nc\n\nd e\n");
}

static void test_broken_and_empty(void **state)
{
    (void)state;
    expect("<p>unclosed <b>bold <p>next", "unclosed bold\n\nnext\n");
    expect("plain text, no tags", "plain text, no tags\n");
    expect("<html><script>x()</script></html>", "");
    char *text = NULL;
    size_t len = 99;
    assert_int_equal(unspin_extract_html("", 0, &text, &len, NULL), UNSPIN_OK);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
    unspin_error err;
    assert_int_equal(unspin_extract_html("x", 1, NULL, NULL, &err), UNSPIN_EINVAL);
}

static void test_charset(void **state)
{
    (void)state;
    /* Latin-1 declared in a meta tag: é is 0xE9. */
    expect("<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\xE9</p></body></html>",
           "caf\xC3\xA9\n");
    /* UTF-8 without a declaration stays UTF-8. */
    expect("<p>caf\xC3\xA9</p>", "caf\xC3\xA9\n");
}

/* Reads a file of the source tree (tests run from its root). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s: cannot open (run from the repository root)", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* A page with 0xFF bytes, no charset and a broken entity once gave text
 * with a lone 0xBF byte (a fuzz finding): invalid bytes now become U+FFFD. */
static void test_valid_utf8(void **state)
{
    (void)state;
    size_t n, len, bad;
    char *html = slurp("tests/fuzz/regress/html/invalid-utf8-output.html", &n), *text;
    assert_int_equal(unspin_extract_html(html, n, &text, &len, NULL), UNSPIN_OK);
    assert_int_equal(unspin_utf8_check(text, len, &bad), UNSPIN_OK);
    assert_non_null(strstr(text, "two &\xEF\xBF\xBD"));
    free(text);
    free(html);
}

static int reports;

static void count_report(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
    reports++;
}

/* Extracts the pages that made libxml2 report encoding errors. */
static void extract_noisy_pages(void)
{
    static const char *const pages[] = {"tests/fuzz/regress/html/encoding-error.html",
                                        "tests/fuzz/regress/html/invalid-utf8-output.html"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        size_t n, len;
        char *html = slurp(pages[i], &n), *text = NULL;
        unspin_extract_html(html, n, &text, &len, NULL);
        free(text);
        free(html);
    }
}

/* libxml2 writes nothing to stderr, even for encoding errors that carry no
 * parser context ("encoding error : input conversion failed ..."). */
static void test_quiet(void **state)
{
    (void)state;
    FILE *log = tmpfile();
    assert_non_null(log);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fileno(log), STDERR_FILENO), STDERR_FILENO);
    extract_noisy_pages();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    assert_int_equal(fseek(log, 0, SEEK_END), 0);
    long written = ftell(log);
    fclose(log);
    assert_int_equal(written, 0);
}

/* The calling thread's own libxml2 error handler is left in place, and
 * not called for the extraction's reports. */
static void test_handler_kept(void **state)
{
    (void)state;
    xmlSetStructuredErrorFunc(NULL, count_report);
    extract_noisy_pages();
    int still_ours = xmlStructuredError == count_report;
    xmlSetStructuredErrorFunc(NULL, NULL);
    assert_true(still_ours);
    assert_int_equal(reports, 0);
}

/* libxml2 stops at depth 256 unless told otherwise; the text inside a page
 * nested 100,000 deep must come out, after the text before it. */
static void test_deep(void **state)
{
    (void)state;
    const size_t depth = 100000;
    const char *open = "<div>", *close = "</div>", *inner = "<pre>The chilly  struggle</pre>";
    size_t cap = depth * (strlen(open) + strlen(close)) + 256, n = 0;
    char *html = malloc(cap);
    assert_non_null(html);
    n += (size_t)sprintf(html + n, "<html><body><p>Before.</p>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(html + n, "%s", open);
    n += (size_t)sprintf(html + n, "%s ended final yr.", inner);
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(html + n, "%s", close);
    n += (size_t)sprintf(html + n, "<p>After.</p></body></html>");
    char *text;
    size_t len;
    assert_int_equal(unspin_extract_html(html, n, &text, &len, NULL), UNSPIN_OK);
    assert_string_equal(text, "Before.\n\nThe chilly  struggle\n\nended final yr.\n\nAfter.\n");
    free(text);
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_skipped),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_pre),
        cmocka_unit_test(test_broken_and_empty),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_valid_utf8),
        cmocka_unit_test(test_quiet),
        cmocka_unit_test(test_handler_kept),
        cmocka_unit_test(test_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
