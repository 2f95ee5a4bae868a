/* See tiny_model.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tiny_model.h"

static char dir[] = "/tmp/unspin-tiny-XXXXXX";
static int have_dir;
static const char *const files[] = {"tiny.arpa", "syn.txt", "learned.tsv"};

static void write_file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

unspin_model *tiny_model(const char *arpa, const char *synonyms, const char *learned)
{
    if (access("/usr/share/hunspell/en_US.dic", R_OK) != 0)
        return NULL;
    if (!have_dir) {
        assert_non_null(mkdtemp(dir));
        have_dir = 1;
    }
    char lm[512], syn[512], table[512], out[512];
    write_file(files[0], arpa, lm, sizeof lm);
    write_file(files[1], synonyms, syn, sizeof syn);
    write_file(files[2], learned, table, sizeof table);
    snprintf(out, sizeof out, "%s/tiny.unspin", dir);
    unspin_build_options o;
    unspin_build_options_default(&o);
    const char *project[] = {syn};
    o.lm = lm;
    o.mythes = NULL;
    o.wordnet = NULL;
    o.project = project;
    o.nproject = 1;
    o.learned = table;
    unspin_error err;
    if (unspin_model_build(&o, out, &err) != UNSPIN_OK)
        fail_msg("build: %s", err.message);
    unspin_model *m = NULL;
    if (unspin_model_open(out, &m, &err) != UNSPIN_OK)
        fail_msg("open: %s", err.message);
    unlink(out);
    return m;
}

us_slot tiny_slot(const unspin_model *m, const char *w, size_t tok)
{
    us_slot s;
    memset(&s, 0, sizeof s);
    s.tok = tok;
    s.norm = w;
    s.vid = us_model_word(m, w, strlen(w));
    s.lm = s.vid < m->lm_words ? s.vid : US_LM_UNK;
    return s;
}

void tiny_expect_first_span(const unspin_model *m, const char *text, const char *want)
{
    unspin_result *r = NULL;
    unspin_error err;
    size_t n = strlen(text);
    if (unspin_detect(m, NULL, text, n, &r, &err) != UNSPIN_OK)
        fail_msg("detect: %s", err.message);
    if (unspin_result_span_count(r) == 0) {
        unspin_result_free(r);
        if (want)
            fail_msg("\"%s\": no span, expected \"%s\"", text, want);
        return;
    }
    const unspin_span *sp = unspin_result_spans(r);
    assert_true(sp->start <= sp->end && sp->end <= n);
    char *got = malloc(sp->end - sp->start + strlen(sp->original) + 8);
    assert_non_null(got);
    sprintf(got, "%.*s -> %s", (int)(sp->end - sp->start), text + sp->start, sp->original);
    unspin_result_free(r);
    if (!want)
        fail_msg("\"%s\": span \"%s\", expected none", text, got);
    int same = strcmp(got, want) == 0;
    if (!same)
        fail_msg("\"%s\": span \"%s\", expected \"%s\"", text, got, want);
    free(got);
}

int tiny_model_teardown(void **state)
{
    (void)state;
    if (have_dir) {
        char p[512];
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            snprintf(p, sizeof p, "%s/%s", dir, files[i]);
            unlink(p);
        }
        rmdir(dir);
        have_dir = 0;
    }
    return 0;
}
