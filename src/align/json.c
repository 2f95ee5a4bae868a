/* The alignment as JSON, with jansson (the format is in unspin.h). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "align.h"

static json_t *jsize(size_t v) { return json_integer((json_int_t)v); }

/* A JSON string of n bytes.  Text tokenized with UNSPIN_TEXT_REPLACE_INVALID
 * may hold invalid UTF-8, which JSON cannot carry: each bad byte becomes
 * U+FFFD, as the text layer counts it. */
static json_t *jtext(const char *s, size_t n)
{
    size_t bad;
    if (unspin_utf8_check(s, n, &bad) == UNSPIN_OK)
        return json_stringn(s, n);
    char *buf = malloc(n * 3 + 1);
    if (!buf)
        return NULL;
    size_t k = 0;
    while (n) {
        size_t ok = n;
        if (unspin_utf8_check(s, n, &bad) != UNSPIN_OK)
            ok = bad;
        memcpy(buf + k, s, ok);
        k += ok, s += ok, n -= ok;
        if (n) {
            memcpy(buf + k, "\xEF\xBF\xBD", 3);
            k += 3, s++, n--;
        }
    }
    json_t *j = json_stringn(buf, k);
    free(buf);
    return j;
}

/* {"sentences", "start", "end", "start16", "end16", "text"}, or null. */
static json_t *side_json(const unspin_align_side *s, const unspin_text *t)
{
    if (s->count == 0)
        return json_null();
    json_t *idx = json_array();
    for (size_t k = 0; idx && k < s->count; k++)
        json_array_append_new(idx, jsize(s->sentences[k]));
    const char *data = unspin_text_data(t, NULL);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "sentences", idx, "start",
                     jsize(s->start), "end", jsize(s->end), "start16", jsize(s->start16),
                     "end16", jsize(s->end16), "text",
                     jtext(data + s->start, s->end - s->start));
}

static json_t *stretch_json(size_t start, size_t end, size_t start16, size_t end16,
                            const char *text, size_t words)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "start", jsize(start), "end",
                     jsize(end), "start16", jsize(start16), "end16", jsize(end16), "text",
                     jtext(text, end - start), "words", jsize(words));
}

static json_t *subst_json(const unspin_align_subst *x)
{
    return json_pack("{s:o, s:o}", "original",
                     stretch_json(x->orig_start, x->orig_end, x->orig_start16,
                                  x->orig_end16, x->orig, x->orig_words),
                     "rewrite",
                     stretch_json(x->rewrite_start, x->rewrite_end, x->rewrite_start16,
                                  x->rewrite_end16, x->rewrite, x->rewrite_words));
}

static json_t *pair_json(const unspin_alignment *a, const unspin_align_pair *p)
{
    json_t *subs = json_array();
    /* No substitutions at all: the array is NULL, and NULL + 0 is undefined. */
    const unspin_align_subst *s =
        p->subst_count ? unspin_alignment_substs(a) + p->first_subst : NULL;
    for (size_t k = 0; subs && k < p->subst_count; k++)
        if (json_array_append_new(subs, subst_json(&s[k])) != 0) {
            json_decref(subs);
            subs = NULL;
        }
    json_t *o = json_pack("{s:s, s:f}", "kind", unspin_align_kind_name(p->kind), "similarity",
                          p->similarity);
    if (o && (p->kind == UNSPIN_ALIGN_DROPPED || p->kind == UNSPIN_ALIGN_ADDED))
        json_object_set_new(o, "nearest",
                            p->nearest == SIZE_MAX ? json_null() : jsize(p->nearest));
    if (o && (json_object_set_new(o, "original", side_json(&p->orig, unspin_alignment_orig(a))) ||
              json_object_set_new(o, "rewrite",
                                  side_json(&p->rewrite, unspin_alignment_rewrite(a))) ||
              !subs || json_object_set_new(o, "substitutions", subs))) {
        json_decref(o);
        return NULL;
    }
    if (!o)
        json_decref(subs);
    return o;
}

static json_t *counts_json(const unspin_alignment *a)
{
    size_t k[4] = {0};
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    for (size_t i = 0; i < unspin_alignment_pair_count(a); i++)
        if ((unsigned)p[i].kind < 4)
            k[p[i].kind]++;
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "identical", jsize(k[0]), "rewording",
                     jsize(k[1]), "dropped", jsize(k[2]), "added", jsize(k[3]),
                     "substitutions", jsize(unspin_alignment_subst_count(a)));
}

char *unspin_alignment_json(const unspin_alignment *a, const char *orig_name,
                            const char *rewrite_name, unspin_error *err)
{
    if (!a) {
        us_fail(err, UNSPIN_EINVAL, "unspin_alignment_json: NULL alignment");
        return NULL;
    }
    json_t *pairs = json_array();
    const unspin_align_pair *p = unspin_alignment_pairs(a);
    for (size_t i = 0; pairs && i < unspin_alignment_pair_count(a); i++)
        if (json_array_append_new(pairs, pair_json(a, &p[i])) != 0) {
            json_decref(pairs);
            pairs = NULL;
        }
    json_t *doc = pairs ? json_pack("{s:s*, s:s*, s:f, s:o, s:o}", "original", orig_name,
                                    "rewrite", rewrite_name, "threshold",
                                    unspin_alignment_threshold(a), "counts", counts_json(a),
                                    "pairs", pairs)
                        : NULL;
    char *out = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))
                    : NULL;
    json_decref(doc);
    if (!out)
        us_fail(err, UNSPIN_ENOMEM, "out of memory writing JSON");
    return out;
}
