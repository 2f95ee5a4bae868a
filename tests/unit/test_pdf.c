/* Unit tests of the PDF text extraction (unspin_extract_pdf), on small
 * PDFs written here: Helvetica text, one string per line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unspin.h"

typedef struct pdf {
    char buf[16384];
    size_t len;
    size_t offsets[32];
    int nobj;
} pdf;

static void add(pdf *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->buf + p->len, sizeof p->buf - p->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof p->buf - p->len);
    p->len += (size_t)n;
}

/* Starts object number nobj + 1 (objects are written in order). */
static void obj(pdf *p)
{
    p->offsets[++p->nobj] = p->len;
    add(p, "%d 0 obj\n", p->nobj);
}

/* A PDF with one page per entry of pages (content streams), the font F1
 * Helvetica with byte 1 drawn as the "fi" ligature, and extra trailer
 * entries. */
static void build(pdf *p, const char *const *pages, int npages, const char *trailer_extra)
{
    memset(p, 0, sizeof *p);
    add(p, "%%PDF-1.4\n");
    obj(p);
    add(p, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    obj(p);
    add(p, "<< /Type /Pages /Count %d /Kids [", npages);
    for (int i = 0; i < npages; i++)
        add(p, " %d 0 R", 4 + 2 * i);
    add(p, " ] >>\nendobj\n");
    obj(p);
    add(p, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
           "<< /BaseEncoding /WinAnsiEncoding /Differences [1 /fi] >> >>\nendobj\n");
    for (int i = 0; i < npages; i++) {
        obj(p);
        add(p, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
               "<< /F1 3 0 R >> >> /Contents %d 0 R >>\nendobj\n", 5 + 2 * i);
        obj(p);
        add(p, "<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", strlen(pages[i]), pages[i]);
    }
    size_t xref = p->len;
    add(p, "xref\n0 %d\n0000000000 65535 f \n", p->nobj + 1);
    for (int i = 1; i <= p->nobj; i++)
        add(p, "%010zu 00000 n \n", p->offsets[i]);
    add(p, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%zu\n%%%%EOF\n", p->nobj + 1,
        trailer_extra, xref);
}

static char *extract(const pdf *p, size_t *len)
{
    char *text = NULL;
    unspin_error err;
    if (unspin_extract_pdf(p->buf, p->len, &text, len, &err) != UNSPIN_OK)
        fail_msg("unspin_extract_pdf: %s", err.message);
    assert_non_null(text);
    assert_int_equal(strlen(text), *len);
    assert_int_equal(unspin_utf8_check(text, *len, NULL), UNSPIN_OK);
    return text;
}

/* Lines 14.4 pt apart are one paragraph; a line's worth of extra space
 * starts the next; "infor-" + "mation" is joined without a space; the
 * "fi" ligature becomes two letters; each page starts a paragraph. */
static void test_paragraphs(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "BT /F1 12 Tf 14.4 TL 72 720 Td\n"
        "(The chilly struggle ended) Tj T*\n"
        "(final yr. Officers mentioned the infor-) Tj T*\n"
        "(mation convention was held.) Tj T* T*\n"
        "(The \001rst paragraph ends here.) Tj T*\n"
        "(It has two lines.) Tj\nET",
        "BT /F1 12 Tf 72 720 Td (Second page.) Tj ET",
    };
    pdf p;
    build(&p, pages, 2, "");
    size_t len;
    char *text = extract(&p, &len);
    assert_string_equal(text, "The chilly struggle ended final yr. Officers mentioned the "
                              "infor-mation convention was held.\n\n"
                              "The first paragraph ends here. It has two lines.\n\n"
                              "Second page.\n");
    free(text);
}

/* A larger font is a heading: a paragraph of its own. */
static void test_heading(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "BT /F1 20 Tf 72 720 Td (Report) Tj ET\n"
        "BT /F1 12 Tf 14.4 TL 72 700 Td (Officers mentioned) Tj T* (the news.) Tj ET"};
    pdf p;
    build(&p, pages, 1, "");
    size_t len;
    char *text = extract(&p, &len);
    assert_string_equal(text, "Report\n\nOfficers mentioned the news.\n");
    free(text);
}

/* A PDF without text (e.g. scanned images) gives "" and UNSPIN_OK. */
static void test_no_text(void **state)
{
    (void)state;
    static const char *const pages[] = {"0 0 m 100 100 l S"};
    pdf p;
    build(&p, pages, 1, "");
    size_t len = 99;
    char *text = extract(&p, &len);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
}

static void expect_error(const char *data, size_t len, const char *message)
{
    char *text = (char *)data;
    size_t tlen = 99;
    unspin_error err;
    assert_int_equal(unspin_extract_pdf(data, len, &text, &tlen, &err), UNSPIN_EINVAL);
    assert_null(text);
    assert_int_equal(tlen, 0);
    assert_int_equal(err.code, UNSPIN_EINVAL);
    if (!strstr(err.message, message))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, message);
}

/* Damaged, foreign and password-protected documents are errors with a
 * one-line message. */
static void test_errors(void **state)
{
    (void)state;
    static const char damaged[] = "%PDF-1.4\n1 0 obj << /Type /Cat";
    expect_error(damaged, sizeof damaged - 1, "PDF could not be read");
    expect_error("<p>not a pdf</p>", 15, "PDF could not be read");
    expect_error("", 0, "PDF could not be read");
    /* An /Encrypt dictionary whose user password is not empty. */
    static const char *const pages[] = {"BT /F1 12 Tf 72 720 Td (Secret.) Tj ET"};
    pdf p;
    build(&p, pages, 1, "");
    char extra[512];
    snprintf(extra, sizeof extra,
             "/ID [<000102030405060708090a0b0c0d0e0f> <000102030405060708090a0b0c0d0e0f>] "
             "/Encrypt << /Filter /Standard /V 1 /R 2 /P -44 /O <%064d> /U <%064d> >> ",
             1, 2);
    build(&p, pages, 1, extra);
    expect_error(p.buf, p.len, "encrypted");
    char *text;
    assert_int_equal(unspin_extract_pdf(NULL, 1, &text, NULL, NULL), UNSPIN_EINVAL);
    assert_int_equal(unspin_extract_pdf("%PDF-", 5, NULL, NULL, NULL), UNSPIN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_heading),
        cmocka_unit_test(test_no_text),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
