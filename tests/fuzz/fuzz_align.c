/*
 * fuzz_align: unspin_align on the two halves of the input (the first half
 * the original, the second the rewrite), then the alignment's JSON.
 * The first byte picks options: bit 0 UNSPIN_TEXT_REPLACE_INVALID, bit 1
 * no merges, bits 2-3 the threshold (0.35, 0, 0.9, 1); it is part of the
 * original too.  Also unspin_align_similarity on the halves.
 *
 * Invariants: each pair's kind is in range; a matched side has 1 or 2
 * sentences in order, a missing side none; offsets lie inside their text and are
 * ordered; substitutions belong to their pair, lie inside the texts and
 * quote them exactly; similarity is in [0, 1].
 */
#include <string.h>

#include "fuzz.h"
#include "unspin.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check_side(const unspin_align_side *s, const unspin_text *t, size_t len)
{
    FUZZ_CHECK(s->count <= 2);
    if (s->count == 0)
        return;
    size_t ns = unspin_text_sentence_count(t);
    for (size_t i = 0; i < s->count; i++)
        FUZZ_CHECK(s->sentences[i] < ns);
    /* Adjacent among the sentences that take part: sentences with no word
     * may lie between (tests/fuzz/regress/align/merge-across-wordless.bin). */
    if (s->count == 2)
        FUZZ_CHECK(s->sentences[1] > s->sentences[0]);
    FUZZ_CHECK(s->start <= s->end && s->end <= len);
    FUZZ_CHECK(s->start16 <= s->end16 && s->end16 - s->start16 <= s->end - s->start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unspin_align_options o;
    unspin_align_options_default(&o);
    static const double thresholds[] = {UNSPIN_ALIGN_THRESHOLD, 0.0, 0.9, 1.0};
    if (data[0] & 1)
        o.text_flags |= UNSPIN_TEXT_REPLACE_INVALID;
    if (data[0] & 2)
        o.merges = 0;
    o.threshold = thresholds[(data[0] >> 2) & 3];
    size_t half = size / 2;
    const char *a = (const char *)data, *b = (const char *)data + half;
    size_t alen = half, blen = size - half;

    unspin_alignment *al = NULL;
    unspin_error err;
    int rc = unspin_align(a, alen, b, blen, &o, &al, &err);
    if (rc != UNSPIN_OK) {
        FUZZ_CHECK(al == NULL);
        FUZZ_CHECK(rc == UNSPIN_EUTF8 || rc == UNSPIN_ENOMEM);
        if (rc == UNSPIN_EUTF8)
            FUZZ_CHECK(!(o.text_flags & UNSPIN_TEXT_REPLACE_INVALID));
        return 0;
    }
    const unspin_text *ta = unspin_alignment_orig(al), *tb = unspin_alignment_rewrite(al);
    size_t np = unspin_alignment_pair_count(al), nsub = unspin_alignment_subst_count(al);
    const unspin_align_pair *p = unspin_alignment_pairs(al);
    const unspin_align_subst *sub = unspin_alignment_substs(al);
    size_t covered = 0;
    for (size_t i = 0; i < np; i++) {
        FUZZ_CHECK((unsigned)p[i].kind <= UNSPIN_ALIGN_ADDED);
        FUZZ_CHECK(unspin_align_kind_name(p[i].kind) != NULL);
        FUZZ_CHECK(p[i].similarity >= 0.0 && p[i].similarity <= 1.0);
        check_side(&p[i].orig, ta, alen);
        check_side(&p[i].rewrite, tb, blen);
        if (p[i].kind == UNSPIN_ALIGN_DROPPED)
            FUZZ_CHECK(p[i].orig.count > 0 && p[i].rewrite.count == 0);
        else if (p[i].kind == UNSPIN_ALIGN_ADDED)
            FUZZ_CHECK(p[i].rewrite.count > 0 && p[i].orig.count == 0);
        else
            FUZZ_CHECK(p[i].orig.count > 0 && p[i].rewrite.count > 0);
        FUZZ_CHECK(p[i].first_subst <= nsub && p[i].subst_count <= nsub - p[i].first_subst);
        covered += p[i].subst_count;
    }
    FUZZ_CHECK(covered == nsub);
    for (size_t i = 0; i < nsub; i++) {
        const unspin_align_subst *s = &sub[i];
        FUZZ_CHECK(s->pair < np);
        FUZZ_CHECK(i >= p[s->pair].first_subst &&
                   i < p[s->pair].first_subst + p[s->pair].subst_count);
        FUZZ_CHECK(s->orig_start <= s->orig_end && s->orig_end <= alen);
        FUZZ_CHECK(s->rewrite_start <= s->rewrite_end && s->rewrite_end <= blen);
        FUZZ_CHECK(s->orig_start16 <= s->orig_end16 && s->rewrite_start16 <= s->rewrite_end16);
        FUZZ_CHECK(s->orig && s->rewrite);
        FUZZ_CHECK(strlen(s->orig) <= s->orig_end - s->orig_start);
        FUZZ_CHECK(memcmp(s->orig, a + s->orig_start, strlen(s->orig)) == 0);
        FUZZ_CHECK(memcmp(s->rewrite, b + s->rewrite_start, strlen(s->rewrite)) == 0);
    }
    char *json = unspin_alignment_json(al, "a", "b", &err);
    FUZZ_CHECK(json != NULL);
    free(json);
    unspin_alignment_free(al);

    double sim = -1;
    if (unspin_align_similarity(a, alen, b, blen, &sim, &err) == UNSPIN_OK)
        FUZZ_CHECK(sim >= 0.0 && sim <= 1.0);
    return 0;
}
