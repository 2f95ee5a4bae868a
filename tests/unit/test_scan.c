/* Unit tests of the HTML text extraction (unspin_extract_html). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_skipped),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_pre),
        cmocka_unit_test(test_broken_and_empty),
        cmocka_unit_test(test_charset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
