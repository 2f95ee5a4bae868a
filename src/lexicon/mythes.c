/*
 * mythes.c - read a MyThes text thesaurus (th_en_US_v2.dat).
 *
 * Layout: the first line names the encoding; then entries, each a line
 * "word|N" followed by N sense lines "(pos)|syn|syn (similar term)|...".
 * The synonyms of a sense are a WordNet synset without the headword, plus
 * annotated neighbours: "(generic term)" = hypernym, "(similar term)" =
 * similar-to, "(related term)" = also-see, "(antonym)".
 *
 * Every synonym has its own entry in the Debian file, so symmetry comes from
 * the data; a reverse edge is added only for the rare candidate that has no
 * entry (weight 1/(its reverse candidates)).  Unannotated candidates of
 * relational adjectives are really pertainyms ("caesural" -> "prosody"), so
 * the file's asymmetric pairs are not mirrored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/common.h"
#include "thesaurus.h"

/* More senses than any real entry has; a larger count is a broken file. */
#define MYTHES_MAX_SENSES 10000

typedef enum { ENC_UTF8, ENC_LATIN1, ENC_LATIN9 } mythes_enc;

static int parse_encoding(const char *s, size_t n, mythes_enc *enc)
{
    char name[32];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-' || c == '_' || c == ' ' || c == '\t')
            continue;
        if (k + 1 >= sizeof name)
            return -1;
        name[k++] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
    }
    name[k] = '\0';
    if (!strcmp(name, "UTF8"))
        *enc = ENC_UTF8;
    else if (!strcmp(name, "ISO88591") || !strcmp(name, "LATIN1"))
        *enc = ENC_LATIN1;
    else if (!strcmp(name, "ISO885915") || !strcmp(name, "LATIN9"))
        *enc = ENC_LATIN9;
    else
        return -1;
    return 0;
}

/* Latin-1 / Latin-9 bytes -> UTF-8 (a new buffer, at most twice as long). */
static char *to_utf8(const char *s, size_t n, mythes_enc enc, size_t *out_len)
{
    /* Latin-9 differs from Latin-1 in eight places. */
    static const struct { unsigned char b; unsigned cp; } l9[] = {
        {0xA4, 0x20AC}, {0xA6, 0x0160}, {0xA8, 0x0161}, {0xB4, 0x017D},
        {0xB8, 0x017E}, {0xBC, 0x0152}, {0xBD, 0x0153}, {0xBE, 0x0178},
    };
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cp = (unsigned char)s[i];
        if (enc == ENC_LATIN9)
            for (size_t j = 0; j < US_ARRAY_LEN(l9); j++)
                if (l9[j].b == cp)
                    cp = l9[j].cp;
        if (cp < 0x80) {
            out[k++] = (char)cp;
        } else if (cp < 0x800) {
            out[k++] = (char)(0xC0 | (cp >> 6));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[k++] = (char)(0xE0 | (cp >> 12));
            out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

typedef struct line_reader {
    const char *p, *end;
    size_t lineno;
} line_reader;

/* Next line without its end-of-line; 0 at the end of the buffer. */
static int next_line(line_reader *r, const char **s, size_t *n)
{
    if (r->p >= r->end)
        return 0;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *le = nl ? nl : r->end;
    *s = r->p;
    r->p = nl ? nl + 1 : r->end;
    if (le > *s && le[-1] == '\r')
        le--;
    *n = (size_t)(le - *s);
    r->lineno++;
    return 1;
}

static us_pos pos_of(const char *s, size_t n)
{
    if (n == 6 && !memcmp(s, "(noun)", 6))
        return US_POS_NOUN;
    if (n == 6 && !memcmp(s, "(verb)", 6))
        return US_POS_VERB;
    if ((n == 5 && !memcmp(s, "(adj)", 5)) ||
        (n == 11 && !memcmp(s, "(adjective)", 11)))
        return US_POS_ADJ;
    if ((n == 5 && !memcmp(s, "(adv)", 5)) ||
        (n == 8 && !memcmp(s, "(adverb)", 8)))
        return US_POS_ADV;
    return US_POS_ANY;
}

/* Split " (annotation)" off a candidate.  Returns the kind, or -1 when the
 * candidate is not a replacement (hypernym, antonym, unknown note). */
static int candidate_kind(const char *s, size_t *n)
{
    static const struct { const char *note; int kind; } notes[] = {
        {" (similar term)", US_EDGE_SIMILAR},
        {" (related term)", US_EDGE_RELATED},
        {" (generic term)", -1},
        {" (antonym)", -1},
    };
    if (*n == 0 || s[*n - 1] != ')')
        return US_EDGE_SYNSET;
    for (size_t i = 0; i < US_ARRAY_LEN(notes); i++) {
        size_t k = strlen(notes[i].note);
        if (*n >= k && memcmp(s + *n - k, notes[i].note, k) == 0) {
            *n -= k;
            return notes[i].kind;
        }
    }
    /* "word (something)": an annotation we do not know; skip it. */
    const char *open = NULL;
    for (size_t i = *n; i-- > 1;)
        if (s[i] == '(' && s[i - 1] == ' ') {
            open = s + i;
            break;
        }
    return open ? -1 : US_EDGE_SYNSET;
}

/* Compare the entry count with the ".idx" file next to a ".dat", if any. */
static int check_idx(const char *path, size_t entries, unspin_error *err)
{
    size_t n = strlen(path);
    if (n < 4 || strcmp(path + n - 4, ".dat") != 0)
        return UNSPIN_OK;
    char *idx = us_strndup(path, n);
    if (!idx)
        return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
    memcpy(idx + n - 4, ".idx", 4);
    FILE *f = fopen(idx, "rb");
    if (!f) {
        free(idx);
        return UNSPIN_OK;
    }
    char line[128];
    int rc = UNSPIN_OK;
    if (!fgets(line, sizeof line, f) || !fgets(line, sizeof line, f)) {
        rc = us_fail(err, UNSPIN_EDICT, "%s:2: missing entry count", idx);
    } else {
        char *stop;
        unsigned long long want = strtoull(line, &stop, 10);
        while (*stop == '\r' || *stop == '\n')
            stop++;
        if (stop == line || *stop || line[0] < '0' || line[0] > '9')
            rc = us_fail(err, UNSPIN_EDICT, "%s:2: bad entry count", idx);
        else if (want != entries)
            rc = us_fail(err, UNSPIN_EDICT,
                         "%s: %zu entries, but %s:2 says %llu", path, entries,
                         idx, want);
    }
    fclose(f);
    free(idx);
    return rc;
}

typedef struct rev_edge {
    uint32_t from, to;
    uint8_t kind, pos;
} rev_edge;

static int rev_cmp(const void *pa, const void *pb)
{
    const rev_edge *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

/* Mirror edges whose `to` has no entry of its own (see the top). */
static int add_reverse(us_thesaurus *th, size_t first_edge,
                       const uint8_t *is_head, size_t heads_len)
{
    const us_edge *edges = us_thesaurus_edges(th);
    size_t nedges = us_thesaurus_edge_count(th);
    rev_edge *rev = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = first_edge; i < nedges; i++) {
        const us_edge *e = &edges[i];
        if (e->kind == US_EDGE_RELATED ||
            (e->to < heads_len && is_head[e->to]))
            continue;
        if (us_grow((void **)&rev, &cap, n + 1, sizeof *rev) != 0) {
            free(rev);
            return UNSPIN_ENOMEM;
        }
        rev[n].from = e->to;
        rev[n].to = e->from;
        rev[n].kind = e->kind;
        rev[n].pos = e->pos;
        n++;
    }
    if (n > 1)
        qsort(rev, n, sizeof *rev, rev_cmp);
    int rc = UNSPIN_OK;
    for (size_t i = 0; i < n && rc == UNSPIN_OK;) {
        size_t j = i, distinct = 0;
        for (; j < n && rev[j].from == rev[i].from; j++)
            if (j == i || rev_cmp(&rev[j], &rev[j - 1]) != 0)
                distinct++;
        for (size_t k = i; k < j && rc == UNSPIN_OK; k++) {
            if (k > i && rev_cmp(&rev[k], &rev[k - 1]) == 0)
                continue;
            us_edge e = {rev[k].from, rev[k].to, rev[k].kind, rev[k].pos,
                         US_SRC_BIT(US_SRC_MYTHES), 0,
                         (float)(1.0 / (double)distinct)};
            rc = us_th_push_edge(th, &e);
        }
        i = j;
    }
    free(rev);
    return rc;
}

typedef struct mythes_state {
    us_thesaurus *th;
    const char *path;
    unspin_error *err;
    us_th_acc acc;
    uint8_t *is_head;
    size_t heads_cap;
    size_t entries;
} mythes_state;

static int intern_field(mythes_state *st, size_t lineno, const char *what,
                        const char *s, size_t n, uint32_t *id)
{
    char buf[US_TERM_MAX_BYTES + 1];
    size_t len = us_term_normalize(s, n, buf, sizeof buf);
    if (len == (size_t)-1)
        return us_fail(st->err, UNSPIN_EDICT,
                       "%s:%zu: %s longer than %d bytes: '%.40s...'",
                       st->path, lineno, what, US_TERM_MAX_BYTES, s);
    if (len == 0) {
        *id = US_TERM_NONE;
        return UNSPIN_OK;
    }
    int rc = us_th_intern_norm(st->th, buf, len, US_SRC_MYTHES, id);
    if (rc != UNSPIN_OK)
        return us_fail(st->err, rc, "%s: out of memory", st->path);
    return UNSPIN_OK;
}

static int parse_sense(mythes_state *st, size_t lineno, const char *s,
                       size_t n, const char *head, size_t head_len,
                       size_t header_line, unsigned rank)
{
    const char *end = s + n;
    const char *bar = memchr(s, '|', n);
    const char *pe = bar ? bar : end;
    if (n == 0 || s[0] != '(' || pe[-1] != ')')
        return us_fail(st->err, UNSPIN_EDICT,
                       "%s:%zu: expected a sense line '(pos)|synonym|...' "
                       "(entry '%.*s' at line %zu has fewer senses than it "
                       "says?)",
                       st->path, lineno, (int)(head_len > 60 ? 60 : head_len),
                       head, header_line);
    us_pos pos = pos_of(s, (size_t)(pe - s));
    const char *p = bar ? bar + 1 : end;
    while (bar && p <= end) {
        const char *fb = memchr(p, '|', (size_t)(end - p));
        const char *fe = fb ? fb : end;
        size_t fl = (size_t)(fe - p);
        int kind = candidate_kind(p, &fl);
        if (kind >= 0) {
            uint32_t id;
            int rc = intern_field(st, lineno, "term", p, fl, &id);
            if (rc != UNSPIN_OK)
                return rc;
            if (id != US_TERM_NONE &&
                us_th_acc_cand(&st->acc, id, (us_edge_kind)kind) != UNSPIN_OK)
                return us_fail(st->err, UNSPIN_ENOMEM, "%s: out of memory",
                               st->path);
        }
        if (!fb)
            break;
        p = fb + 1;
    }
    if (us_th_acc_sense_end(&st->acc, 1.0 / rank, pos) != UNSPIN_OK)
        return us_fail(st->err, UNSPIN_ENOMEM, "%s: out of memory", st->path);
    return UNSPIN_OK;
}

static int parse_entries(mythes_state *st, line_reader *r)
{
    const char *s;
    size_t n;
    while (next_line(r, &s, &n)) {
        if (n == 0)
            continue; /* blank lines between entries are harmless */
        size_t header_line = r->lineno;
        const char *bar = NULL;
        for (size_t i = n; i-- > 0;)
            if (s[i] == '|') {
                bar = s + i;
                break;
            }
        if (!bar || bar == s)
            return us_fail(st->err, UNSPIN_EDICT,
                           "%s:%zu: expected an entry 'word|count'",
                           st->path, header_line);
        size_t dl = (size_t)(s + n - bar - 1);
        unsigned long count = 0;
        int ok = dl > 0 && dl <= 6;
        for (size_t i = 0; ok && i < dl; i++) {
            char c = bar[1 + i];
            ok = c >= '0' && c <= '9';
            count = count * 10 + (unsigned long)(c - '0');
        }
        if (!ok || count == 0 || count > MYTHES_MAX_SENSES)
            return us_fail(st->err, UNSPIN_EDICT,
                           "%s:%zu: bad sense count '%.*s' (want 1..%d)",
                           st->path, header_line, (int)(dl > 20 ? 20 : dl),
                           bar + 1, MYTHES_MAX_SENSES);
        uint32_t head;
        size_t head_len = (size_t)(bar - s);
        int rc = intern_field(st, header_line, "headword", s, head_len, &head);
        if (rc != UNSPIN_OK)
            return rc;
        if (head == US_TERM_NONE)
            return us_fail(st->err, UNSPIN_EDICT, "%s:%zu: empty headword",
                           st->path, header_line);
        if (head >= st->heads_cap) {
            size_t old = st->heads_cap;
            if (us_grow((void **)&st->is_head, &st->heads_cap,
                        (size_t)head + 1, 1) != 0)
                return us_fail(st->err, UNSPIN_ENOMEM, "%s: out of memory",
                               st->path);
            memset(st->is_head + old, 0, st->heads_cap - old);
        }
        st->is_head[head] = 1;
        us_th_acc_begin(&st->acc, head);
        for (unsigned long k = 0; k < count; k++) {
            if (!next_line(r, &s, &n))
                return us_fail(st->err, UNSPIN_EDICT,
                               "%s:%zu: truncated entry '%.*s': %lu of %lu "
                               "sense lines before the end of the file",
                               st->path, r->lineno,
                               (int)(head_len > 60 ? 60 : head_len),
                               bar - head_len, k, count);
            rc = parse_sense(st, r->lineno, s, n, bar - head_len, head_len,
                             header_line, (unsigned)k + 1);
            if (rc != UNSPIN_OK)
                return rc;
        }
        if (us_th_acc_emit(&st->acc, st->th, US_SRC_MYTHES) != UNSPIN_OK)
            return us_fail(st->err, UNSPIN_ENOMEM, "%s: out of memory",
                           st->path);
        st->entries++;
    }
    return UNSPIN_OK;
}

int us_thesaurus_add_mythes(us_thesaurus *th, const char *path,
                            unspin_error *err)
{
    if (!th || !path)
        return us_fail(err, UNSPIN_EINVAL, "MyThes: no %s",
                       th ? "path" : "thesaurus");
    char *buf, *conv = NULL;
    size_t len;
    int rc = us_th_read_file(path, &buf, &len, err);
    if (rc != UNSPIN_OK)
        return rc;

    line_reader r = {buf, buf + len, 0};
    const char *s;
    size_t n;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        r.p += 3;
    mythes_enc enc;
    if (!next_line(&r, &s, &n) || parse_encoding(s, n, &enc) != 0) {
        free(buf);
        return us_fail(err, UNSPIN_EDICT,
                       "%s:1: first line must name the encoding (UTF-8, "
                       "ISO8859-1 or ISO8859-15)",
                       path);
    }
    size_t body = (size_t)(r.p - buf);
    if (enc != ENC_UTF8) {
        size_t clen;
        conv = to_utf8(buf + body, len - body, enc, &clen);
        if (!conv) {
            free(buf);
            return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
        }
        r.p = conv;
        r.end = conv + clen;
    }
    size_t bad = us_th_utf8_bad(r.p, (size_t)(r.end - r.p));
    if (bad < (size_t)(r.end - r.p)) {
        size_t line = 2;
        for (size_t i = 0; i < bad; i++)
            line += r.p[i] == '\n';
        free(buf);
        free(conv);
        return us_fail(err, UNSPIN_EDICT,
                       "%s:%zu: invalid UTF-8 or NUL byte", path, line);
    }

    us_th_mark mark;
    if (us_th_mark_save(th, &mark) != UNSPIN_OK) {
        free(buf);
        free(conv);
        return us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
    }
    size_t first_edge = us_thesaurus_edge_count(th);
    mythes_state st = {th, path, err, {0}, NULL, 0, 0};
    us_th_acc_init(&st.acc);
    rc = parse_entries(&st, &r);
    if (rc == UNSPIN_OK && add_reverse(th, first_edge, st.is_head,
                                       st.heads_cap) != UNSPIN_OK)
        rc = us_fail(err, UNSPIN_ENOMEM, "%s: out of memory", path);
    if (rc == UNSPIN_OK)
        rc = check_idx(path, st.entries, err);
    us_th_acc_free(&st.acc);
    free(st.is_head);
    free(buf);
    free(conv);
    if (rc != UNSPIN_OK) {
        us_th_mark_restore(th, &mark);
        return rc;
    }
    us_th_mark_drop(&mark);
    us_th_note_load(th, US_SRC_MYTHES, st.entries);
    return UNSPIN_OK;
}
