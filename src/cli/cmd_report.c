/* unspin report: one self-contained HTML page for a batch of documents. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"

static const char REPORT_USAGE[] =
    "usage: unspin report [-o FILE] [--model PATH] [--jobs N] [--threshold X]\n"
    "                     [--title TEXT] PATH...\n"
    "\n"
    "Judges the documents as unspin scan does (files, directories, JSON Lines,\n"
    "- for standard input) and writes one self-contained HTML page (inline CSS\n"
    "and script, nothing fetched from the network): a table of the documents\n"
    "sorted by score (click a heading to sort by it), then each document's text\n"
    "with the flagged spans highlighted, the likely original shown on hover, its\n"
    "verdict and spin rate.  A scan's JSON Lines output is accepted too: its\n"
    "records are listed as they are, with the text highlighted when the record's\n"
    "id names a readable file (re-read and re-extracted), else the spans alone.\n"
    "-o defaults to report.html; -o - writes to standard output.\n"
    "Exit status: 0 the report was written, 2 error.\n";

typedef struct rspan {
    size_t start, end;
    char *text, *original;
    double confidence;
} rspan;

typedef struct rdoc {
    char *id, *error, *text;
    size_t len;
    int spun, judged;
    double score, spin_rate;
    size_t words, span_count, nspans;
    rspan *spans;
    size_t evasion_count;
    char *evasions;     /* "kind: text looks like skeleton" lines, or NULL */
} rdoc;

typedef struct report {
    rdoc *docs;
    size_t n, cap;
    int oom;
} report;

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = 1;
    return d;
}

static void add_span(report *rep, rdoc *d, size_t start, size_t end, const char *text,
                     const char *original, double confidence)
{
    rspan *p = realloc(d->spans, (d->nspans + 1) * sizeof *p);
    if (!p) {
        rep->oom = 1;
        return;
    }
    d->spans = p;
    rspan *s = &p[d->nspans++];
    s->start = start;
    s->end = end;
    s->text = dup_or_null(text ? text : "", &rep->oom);
    s->original = dup_or_null(original ? original : "", &rep->oom);
    s->confidence = confidence;
}

/* A record of unspin scan, read back. */
static void from_record(report *rep, rdoc *d, json_t *o)
{
    const char *err = json_string_value(json_object_get(o, "error"));
    if (err) {
        d->error = dup_or_null(err, &rep->oom);
        return;
    }
    const char *v = json_string_value(json_object_get(o, "verdict"));
    d->judged = 1;
    d->spun = v && !strcmp(v, "spun");
    d->score = json_number_value(json_object_get(o, "score"));
    d->spin_rate = json_number_value(json_object_get(o, "spin_rate"));
    d->words = (size_t)json_integer_value(json_object_get(o, "words"));
    json_t *spans = json_object_get(o, "spans");
    json_t *count = json_object_get(o, "span_count");
    d->span_count = json_is_integer(count) ? (size_t)json_integer_value(count)
                                           : json_array_size(spans);
    json_t *ecount = json_object_get(o, "evasion_count");
    d->evasion_count = json_is_integer(ecount) ? (size_t)json_integer_value(ecount) : 0;
    size_t i;
    json_t *s;
    json_array_foreach(spans, i, s) {
        json_int_t a = json_integer_value(json_object_get(s, "start"));
        json_int_t b = json_integer_value(json_object_get(s, "end"));
        if (a < 0 || b < a)
            continue;
        add_span(rep, d, (size_t)a, (size_t)b, json_string_value(json_object_get(s, "text")),
                 json_string_value(json_object_get(s, "original")),
                 json_number_value(json_object_get(s, "confidence")));
    }
}

static void report_emit(const scan_doc *sd, char *formatted, void *ctx)
{
    report *rep = ctx;
    free(formatted);
    if (rep->n == rep->cap) {
        size_t ncap = rep->cap ? rep->cap * 2 : 64;
        rdoc *p = realloc(rep->docs, ncap * sizeof *p);
        if (!p) {
            rep->oom = 1;
            return;
        }
        rep->docs = p;
        rep->cap = ncap;
    }
    rdoc *d = &rep->docs[rep->n++];
    memset(d, 0, sizeof *d);
    d->id = dup_or_null(sd->id, &rep->oom);
    if (sd->error) {
        d->error = dup_or_null(sd->error, &rep->oom);
        return;
    }
    if (sd->record) {
        from_record(rep, d, sd->record);
        return;
    }
    const unspin_result *r = sd->result;
    d->judged = 1;
    d->spun = unspin_result_is_spun(r);
    d->score = unspin_result_score(r);
    d->spin_rate = unspin_result_spin_rate(r);
    d->words = unspin_result_words(r);
    d->span_count = unspin_result_span_count(r);
    d->evasion_count = unspin_result_evasion_count(r);
    const unspin_evasion *ev = unspin_result_evasions(r);
    size_t elen = 0;
    for (size_t i = 0; i < d->evasion_count; i++)
        elen += strlen(ev[i].kind) + strlen(ev[i].text) + strlen(ev[i].skeleton) + 32;
    if (d->evasion_count && (d->evasions = malloc(elen + 1))) {
        size_t at = 0;
        for (size_t i = 0; i < d->evasion_count; i++)
            at += (size_t)sprintf(d->evasions + at, "%s: \"%s\" looks like \"%s\"\n", ev[i].kind,
                                  ev[i].text, ev[i].skeleton);
    } else if (d->evasion_count)
        rep->oom = 1;
    const unspin_span *sp = unspin_result_spans(r);
    for (size_t i = 0; i < d->span_count; i++)
        add_span(rep, d, sp[i].start, sp[i].end, sp[i].text, sp[i].original, sp[i].confidence);
    d->text = malloc(sd->len + 1);
    if (!d->text)
        rep->oom = 1;
    else {
        memcpy(d->text, sd->text, sd->len);
        d->text[sd->len] = '\0';
        d->len = sd->len;
    }
}

/* For records read back: the text, when the id names a file whose text
 * still holds the spans where the record says. */
static void reload_text(rdoc *d)
{
    struct stat st;
    if (d->text || !d->judged || !d->id || stat(d->id, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    char *text, msg[600];
    size_t len;
    if (scan_load_document(d->id, &text, &len, msg, sizeof msg) != CLI_OK)
        return;
    for (size_t i = 0; i < d->nspans; i++) {
        const rspan *s = &d->spans[i];
        if (s->end > len || strlen(s->text) != s->end - s->start ||
            memcmp(text + s->start, s->text, s->end - s->start) != 0) {
            free(text);
            return;
        }
    }
    d->text = text;
    d->len = len;
}

static int by_score(const void *a, const void *b)
{
    const rdoc *x = a, *y = b;
    if (x->judged != y->judged)
        return x->judged ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int span_order(const void *a, const void *b)
{
    const rspan *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* s[0..n) with &, <, >, " and ' escaped; other control bytes than tab and
 * line breaks dropped. */
static void esc(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r')
                fputc(c, f);
        }
    }
}

static void escs(FILE *f, const char *s)
{
    if (s)
        esc(f, s, strlen(s));
}

static const char STYLE[] =
    "body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;"
    "color:#222}\n"
    "h1{font-size:1.6em}h2{font-size:1.15em;margin:0;word-break:break-all}\n"
    "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;"
    "padding:.3em .5em;text-align:left}th{cursor:pointer;background:#f4f4f4;user-select:none}"
    "th:after{content:' \\2195';color:#aaa}td.n{text-align:right;font-variant-numeric:"
    "tabular-nums}\n"
    "tr.spun td.v,.verdict.spun{color:#b00;font-weight:bold}tr.error td.v{color:#777}\n"
    "section.doc{border:1px solid #ddd;border-radius:6px;padding:1em;margin:1.5em 0}\n"
    ".text{white-space:pre-wrap;font-family:Georgia,serif;margin-top:.8em}\n"
    "mark.span{background:#ffd54f;border-bottom:2px solid #e65100;cursor:help}\n"
    "mark.span:hover{background:#ffab40}\n"
    ".error{color:#777}.spans li{margin:.2em 0}\n";

/* Sorts the table by the clicked column (numbers by data-v). */
static const char SCRIPT[] =
    "(function(){var t=document.getElementById('docs');if(!t)return;"
    "var hs=t.tHead.rows[0].cells;for(var i=0;i<hs.length;i++)(function(c){"
    "var asc=false;hs[c].addEventListener('click',function(){asc=!asc;"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);"
    "rows.sort(function(x,y){var a=x.cells[c],d=y.cells[c],"
    "p=a.getAttribute('data-v'),q=d.getAttribute('data-v'),r;"
    "if(p!==null&&q!==null)r=parseFloat(p)-parseFloat(q);"
    "else r=a.textContent.localeCompare(d.textContent);return asc?r:-r;});"
    "rows.forEach(function(r){b.appendChild(r);});});})(i);})();\n";

static void write_text(FILE *f, const rdoc *d)
{
    size_t pos = 0;
    for (size_t i = 0; i < d->nspans; i++) {
        const rspan *s = &d->spans[i];
        if (s->start < pos || s->end > d->len)
            continue;
        esc(f, d->text + pos, s->start - pos);
        fputs("<mark class=\"span\" title=\"", f);
        escs(f, s->original);
        fprintf(f, " (confidence %.2f)\" data-original=\"", s->confidence);
        escs(f, s->original);
        fputs("\">", f);
        esc(f, d->text + s->start, s->end - s->start);
        fputs("</mark>", f);
        pos = s->end;
    }
    esc(f, d->text + pos, d->len - pos);
}

static void write_report(FILE *f, report *rep, const char *title, double threshold)
{
    size_t spun = 0, errors = 0;
    for (size_t i = 0; i < rep->n; i++) {
        spun += rep->docs[i].judged && rep->docs[i].spun;
        errors += !rep->docs[i].judged;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width\">\n<title>",
          f);
    escs(f, title);
    fprintf(f, "</title>\n<style>\n%s</style></head>\n<body>\n<h1>", STYLE);
    escs(f, title);
    fprintf(f,
            "</h1>\n<p class=\"summary\">%zu documents: %zu spun, %zu natural, %zu errors.  "
            "Verdict spun when the score reaches %.2f; highlighted words are the ones a "
            "spinner likely swapped (hover for the likely original).  Made by unspin %s.</p>\n",
            rep->n, spun, rep->n - spun - errors, errors, threshold, unspin_version());
    fputs("<table id=\"docs\"><thead><tr><th>#</th><th>document</th><th>verdict</th>"
          "<th>score</th><th>spin rate</th><th>words</th><th>spans</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < rep->n; i++) {
        const rdoc *d = &rep->docs[i];
        const char *cls = !d->judged ? "error" : d->spun ? "spun" : "natural";
        fprintf(f, "<tr class=\"%s\"><td class=\"n\" data-v=\"%zu\">%zu</td><td><a href=\"#d%zu\">",
                cls, i + 1, i + 1, i + 1);
        escs(f, d->id);
        fprintf(f, "</a></td><td class=\"v\">%s</td>", cls);
        if (d->judged)
            fprintf(f,
                    "<td class=\"n\" data-v=\"%.4f\">%.2f</td><td class=\"n\" data-v=\"%.4f\">"
                    "%.2f</td><td class=\"n\" data-v=\"%zu\">%zu</td><td class=\"n\" "
                    "data-v=\"%zu\">%zu</td></tr>\n",
                    d->score, d->score, d->spin_rate, d->spin_rate, d->words, d->words,
                    d->span_count, d->span_count);
        else
            fputs("<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td>"
                  "<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td></tr>\n",
                  f);
    }
    fputs("</tbody></table>\n", f);
    for (size_t i = 0; i < rep->n; i++) {
        const rdoc *d = &rep->docs[i];
        const char *cls = !d->judged ? "error" : d->spun ? "spun" : "natural";
        fprintf(f, "<section class=\"doc %s\" id=\"d%zu\"><h2>%zu. ", cls, i + 1, i + 1);
        escs(f, d->id);
        fputs("</h2>\n", f);
        if (!d->judged) {
            fputs("<p class=\"verdict error\">error: ", f);
            escs(f, d->error);
            fputs("</p></section>\n", f);
            continue;
        }
        fprintf(f,
                "<p class=\"verdict %s\">%s: score %.2f, spin rate %.2f, %zu words, %zu "
                "spans, %zu evasion</p>\n",
                cls, d->spun ? "SPUN" : "natural", d->score, d->spin_rate, d->words,
                d->span_count, d->evasion_count);
        if (d->evasions) {
            /* look-alike letters and hidden characters, one per line */
            fputs("<pre class=\"evasion\">", f);
            escs(f, d->evasions);
            fputs("</pre>\n", f);
        }
        if (d->text) {
            fputs("<div class=\"text\">", f);
            write_text(f, d);
            fputs("</div>\n", f);
        } else if (d->nspans) {
            fputs("<p>The text is not at hand; the record's spans:</p><ul class=\"spans\">\n", f);
            for (size_t k = 0; k < d->nspans; k++) {
                fputs("<li><mark class=\"span\" title=\"", f);
                escs(f, d->spans[k].original);
                fprintf(f, " (confidence %.2f)\">", d->spans[k].confidence);
                escs(f, d->spans[k].text);
                fputs("</mark> &rarr; ", f);
                escs(f, d->spans[k].original);
                fputs("</li>\n", f);
            }
            fputs("</ul>\n", f);
        }
        fputs("</section>\n", f);
    }
    fprintf(f, "<script>\n%s</script>\n</body></html>\n", SCRIPT);
}

static void report_free(report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        rdoc *d = &rep->docs[i];
        for (size_t k = 0; k < d->nspans; k++) {
            free(d->spans[k].text);
            free(d->spans[k].original);
        }
        free(d->spans);
        free(d->id);
        free(d->error);
        free(d->text);
        free(d->evasions);
    }
    free(rep->docs);
}

int cmd_report(int argc, char **argv)
{
    const char *model_path = NULL, *out = "report.html", *title = "unspin report";
    scan_config cfg;
    memset(&cfg, 0, sizeof cfg);
    unspin_detect_options_default(&cfg.opts);
    cfg.jobs = scan_default_jobs();
    cfg.accept_records = 1;
    cfg.progress = isatty(STDERR_FILENO);
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0, rc = CLI_OK;
    if (!paths)
        return cli_error("out of memory");
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            free(paths);
            return fputs(REPORT_USAGE, stdout), CLI_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--model") ||
                   !strcmp(a, "--jobs") || !strcmp(a, "--threshold") || !strcmp(a, "--title")) {
            if (i + 1 >= argc) {
                rc = cli_error("report: %s needs a value", a);
                break;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "-o") || !strcmp(a, "--output"))
                out = v;
            else if (!strcmp(a, "--model"))
                model_path = v;
            else if (!strcmp(a, "--title"))
                title = v;
            else if (!strcmp(a, "--jobs")) {
                cfg.jobs = scan_parse_jobs(v);
                if (cfg.jobs < 0)
                    rc = cli_error("report: --jobs wants a number from 1 to 1024, not '%s'", v);
            } else {
                char *end;
                errno = 0;
                cfg.opts.threshold = strtod(v, &end);
                if (errno || end == v || *end ||
                    !(cfg.opts.threshold >= 0 && cfg.opts.threshold <= 1))
                    rc = cli_error("report: --threshold wants a number in [0, 1], not '%s'", v);
            }
        } else if (!strcmp(a, "--no-progress"))
            cfg.progress = 0;
        else if (a[0] == '-' && a[1] != '\0')
            rc = cli_error("report: unknown option '%s'", a);
        else
            paths[npaths++] = argv[i];
    }
    if (rc == CLI_OK && npaths == 0)
        rc = cli_error("report: needs a PATH (- for standard input; see unspin report --help)");
    if (rc != CLI_OK) {
        free(paths);
        return rc;
    }
    char buf[PATH_MAX + 32];
    const char *path = cli_find_model(model_path, buf, sizeof buf);
    unspin_model *m;
    unspin_error err;
    if (unspin_model_open(path, &m, &err) != UNSPIN_OK) {
        free(paths);
        return cli_error("%s", err.message);
    }
    report rep = {0};
    cfg.model = m;
    cfg.emit = report_emit;
    cfg.ctx = &rep;
    rc = scan_run(&cfg, paths, npaths);
    unspin_model_free(m);
    free(paths);
    if (rc == CLI_OK && rep.oom)
        rc = cli_error("report: out of memory");
    if (rc == CLI_OK) {
        for (size_t i = 0; i < rep.n; i++) {
            reload_text(&rep.docs[i]);
            if (rep.docs[i].nspans > 1)
                qsort(rep.docs[i].spans, rep.docs[i].nspans, sizeof(rspan), span_order);
        }
        if (rep.n > 1)
            qsort(rep.docs, rep.n, sizeof *rep.docs, by_score);
        int to_stdout = !strcmp(out, "-");
        FILE *f = to_stdout ? stdout : fopen(out, "w");
        if (!f)
            rc = cli_error("%s: %s", out, strerror(errno));
        else {
            write_report(f, &rep, title, cfg.opts.threshold);
            if (!to_stdout) {
                if (ferror(f) | fclose(f))
                    rc = cli_error("%s: write error", out);
                else
                    fprintf(stderr, "unspin: wrote %s (%zu documents)\n", out, rep.n);
            }
        }
    }
    report_free(&rep);
    return rc;
}
