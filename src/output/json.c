/* The document object as JSON, with jansson: the one serializer the CLI
 * and the HTTP service share. */
#include <stdlib.h>

#include <jansson.h>

#include "../util/common.h"

static json_t *span_json(const unspin_span *s)
{
    json_t *alts = json_array();
    for (size_t k = 0; alts && k < s->nalternatives; k++)
        json_array_append_new(alts, json_pack("{s:s, s:f}", "original",
                                              s->alternatives[k].original, "confidence",
                                              s->alternatives[k].confidence));
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:f, s:f, s:o*}", "start",
                     (json_int_t)s->start, "end", (json_int_t)s->end, "start16",
                     (json_int_t)s->start16, "end16", (json_int_t)s->end16, "text", s->text,
                     "original", s->original, "confidence", s->confidence, "swap", s->swap,
                     "alternatives", alts);
}

static json_t *evasion_json(const unspin_evasion *e)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s}", "start", (json_int_t)e->start,
                     "end", (json_int_t)e->end, "start16", (json_int_t)e->start16, "end16",
                     (json_int_t)e->end16, "text", e->text, "kind", e->kind, "skeleton",
                     e->skeleton);
}

char *unspin_result_json(const unspin_result *r, const char *file, unspin_error *err)
{
    if (!r) {
        us_fail(err, UNSPIN_EINVAL, "unspin_result_json: NULL result");
        return NULL;
    }
    json_t *spans = json_array();
    const unspin_span *s = unspin_result_spans(r);
    for (size_t i = 0; spans && i < unspin_result_span_count(r); i++)
        if (json_array_append_new(spans, span_json(&s[i])) != 0) {
            json_decref(spans);
            spans = NULL;
        }
    json_t *ev = json_array();
    const unspin_evasion *e = unspin_result_evasions(r);
    for (size_t i = 0; ev && i < unspin_result_evasion_count(r); i++)
        if (json_array_append_new(ev, evasion_json(&e[i])) != 0) {
            json_decref(ev);
            ev = NULL;
        }
    json_t *doc = spans && ev ? json_pack("{s:s*, s:s, s:f, s:f, s:I, s:o, s:o}", "file", file, "verdict",
                                    unspin_result_is_spun(r) ? "spun" : "natural", "score",
                                    unspin_result_score(r), "spin_rate",
                                    unspin_result_spin_rate(r), "words",
                                    (json_int_t)unspin_result_words(r), "spans", spans,
                                    "evasion", ev)
                        : NULL;
    if (!doc && (!spans || !ev)) {
        json_decref(spans);
        json_decref(ev);
    }
    char *out = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
    json_decref(doc);
    if (!out)
        us_fail(err, UNSPIN_ENOMEM, "out of memory writing JSON");
    return out;
}
