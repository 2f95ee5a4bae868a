# unspin scan, report, compare: input kinds, error records, the streaming
# contract, the HTML report's content, compare on a crafted pair.
MODEL=$(dirname "$0")/../../models/en_US.unspin
D=$(dirname "$0")/../data
run "scan no path" 2 "$UNSPIN" scan --no-progress
one_line "scan no path one line" "$TMP/err"
run "scan bad jobs" 2 "$UNSPIN" scan --jobs 0 "$D/sample.txt"
run "scan bad format" 2 "$UNSPIN" scan --format xml "$D/sample.txt"
run "compare one file" 2 "$UNSPIN" compare "$D/sample.txt"
if [ ! -f "$MODEL" ]; then
    skip "unspin scan/report/compare: models/en_US.unspin not built (make model)"
else
export UNSPIN_MODEL="$MODEL"
S=$TMP/scan
mkdir -p "$S/docs/sub/deeper" "$S/docs/.hidden"
cp "$D/sample.txt" "$S/docs/spun.txt"
printf 'The committee met on Tuesday and agreed to publish its report next month.\n' \
    >"$S/docs/sub/plain.txt"
printf '<!DOCTYPE html>\n<html><head><title>final yr</title><style>p { color: red }</style>\n<script>var s = "officers mentioned final yr";</script></head>\n<body><nav>Home | Chilly Struggle archive</nav><header>Masthead</header>\n<p>Relations between the international locations are at their lowest level since the Chilly Struggle, officers mentioned final yr.</p>\n<p>Fish &amp; chips &mdash; caf&eacute;&nbsp;time &lt;b&gt;.</p><footer>Copyright</footer></body></html>\n' \
    >"$S/docs/sub/deeper/page.html"
printf 'abc \377 def\n' >"$S/docs/bad.txt"
: >"$S/docs/empty.txt"
printf 'officers mentioned final yr\n' >"$S/docs/.hidden/skipped.txt"
cat >"$S/docs/feed.jsonl" <<'JSONL'
{"id": "j-spun", "text": "The two leaders met on Wednesday for a information convention after the summit."}
{"id": "j-plain", "text": "The committee met on Tuesday and agreed to publish its report next month."}
{"url": "https://example.com/a", "html": "<p>Officers mentioned final yr that the <b>Chilly Struggle</b> ended.</p><script>officers_mentioned_final_yr()</script>"}
not json at all
{"id": "j-none", "body": "no text member"}
{"id": 42, "text": ""}
JSONL

run "scan directory" 0 "$UNSPIN" scan --no-progress "$S/docs"
cp "$TMP/out" "$S/dir.jsonl"
cat >"$S/check1.py" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
by = {r["id"]: r for r in recs}
def want(c, msg):
    if not c: sys.exit("scan records: " + msg + ": " + json.dumps(recs)[:600])
ids = sorted(by)
want(len(recs) == 11, "11 records, got %d" % len(recs))
want(not any("skipped" in i for i in ids), "hidden directory skipped")
spun = [i for i in ids if i.endswith("spun.txt")][0]
want(by[spun]["verdict"] == "spun" and by[spun]["words"] == 31, "sample spun")
want(any(s["original"] == "Cold War" for s in by[spun]["spans"]), "sample span")
plain = [i for i in ids if i.endswith("plain.txt")][0]
want(by[plain]["verdict"] == "natural", "plain natural")
page = [i for i in ids if i.endswith("page.html")][0]
want(by[page]["verdict"] == "spun", "html spun")
texts = [s["text"] for s in by[page]["spans"]]
want("Chilly Struggle" in texts, "html span")
want(by[page]["words"] < 40, "html: script, style, nav, header, footer left out")
want(by["j-spun"]["verdict"] == "spun" and by["j-plain"]["verdict"] == "natural", "jsonl text")
want(by["https://example.com/a"]["verdict"] == "spun", "jsonl url/html")
want(by["https://example.com/a"]["words"] == 9, "jsonl html: script left out")
bad = [i for i in ids if i.endswith("bad.txt")][0]
want(by[bad]["error"] == "invalid UTF-8 at byte 4", "bad utf-8 error record")
empty = [i for i in ids if i.endswith("empty.txt")][0]
want(by[empty]["error"] == "empty input", "empty error record")
want(any(i.endswith("feed.jsonl:4") and "invalid JSON" in by[i]["error"] for i in ids), "bad json")
want("text" in by["j-none"]["error"], "no text member")
want(by["42"]["error"] == "empty text", "empty text, integer id")
for r in recs:
    want(set(r) in ({"id", "error"}, {"id", "verdict", "score", "spin_rate", "words",
                                      "span_count", "evasion_count", "spans"}), "record keys")
PY
run "scan records" 0 python3 "$S/check1.py" "$S/dir.jsonl"
# The HTML text: the offsets are into the extracted text, whose spans are as written.
cat >"$S/check2.py" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    for s in r.get("spans", []):
        if s["end"] - s["start"] != len(s["text"].encode()):
            sys.exit("span length differs from its offsets: %r" % s)
PY
run "scan html offsets" 0 python3 "$S/check2.py" "$S/dir.jsonl"
run "scan missing path" 0 "$UNSPIN" scan --no-progress "$S/none.txt" "$D/sample.txt"
has "missing path error record" "$TMP/out" '^\{"id":"[^"]*none\.txt","error":"No such file or directory"\}$'
has "others still judged" "$TMP/out" '"verdict":"spun"'
run "scan tsv" 0 "$UNSPIN" scan --no-progress --format tsv --jobs 1 "$S/docs/spun.txt" "$S/docs/bad.txt"
has "tsv record" "$TMP/out" "spun\\.txt	spun	1\\.0000	0\\.[0-9]{4}	31	4	.*Chilly Struggle -> Cold War"
has "tsv error" "$TMP/out" 'bad\.txt	error					invalid UTF-8 at byte 4$'
run "scan min-score" 0 "$UNSPIN" scan --no-progress --min-score 0.5 "$S/docs/spun.txt" "$S/docs/sub/plain.txt" "$S/docs/empty.txt"
has "min-score keeps spun" "$TMP/out" 'spun\.txt'
hasnt "min-score drops natural" "$TMP/out" 'plain\.txt'
has "min-score keeps errors" "$TMP/out" 'empty\.txt'
# --spans 1 keeps the most confident of all the spans (--spans 0).
run "scan spans 0" 0 "$UNSPIN" scan --no-progress --spans 0 "$S/docs/spun.txt"
cp "$TMP/out" "$S/spans0.jsonl"
run "scan spans 1" 0 "$UNSPIN" scan --no-progress --spans 1 "$S/docs/spun.txt"
cp "$TMP/out" "$S/spans1.jsonl"
cat >"$S/check_spans.py" <<'PY'
import json, sys
every, one = (json.loads(open(f).read()) for f in sys.argv[1:3])
if len(every["spans"]) != every["span_count"] or every["span_count"] < 2:
    sys.exit("--spans 0: all %d spans wanted: %r" % (every["span_count"], every))
if one["span_count"] != every["span_count"] or len(one["spans"]) != 1:
    sys.exit("--spans 1: one span of %d wanted: %r" % (every["span_count"], one))
best = max(s["confidence"] for s in every["spans"])
if one["spans"][0] not in every["spans"] or one["spans"][0]["confidence"] != best:
    sys.exit("--spans 1 is not the most confident span: %r" % one)
PY
run "one span, most confident" 0 python3 "$S/check_spans.py" "$S/spans0.jsonl" "$S/spans1.jsonl"
run "scan stdin document" 0 sh -c "'$UNSPIN' scan - < '$D/sample.txt'"
has "stdin document" "$TMP/out" '^\{"id":"<stdin>","verdict":"spun".*"words":31'
run "scan stdin jsonl" 0 sh -c "'$UNSPIN' scan - < '$S/docs/feed.jsonl'"
has "stdin jsonl id" "$TMP/out" '"id":"j-spun","verdict":"spun"'
has "stdin jsonl line id" "$TMP/out" '"id":"<stdin>:4","error":"invalid JSON'
run "scan silent when not a terminal" 0 "$UNSPIN" scan "$S/docs/spun.txt"
if [ -s "$TMP/err" ]; then bad "scan wrote to stderr: $(head -c 200 "$TMP/err")"; else ok; fi

# The streaming contract: stdin to stdout, one line out per line in, any
# order, no state between lines (a line alone gives the same record).
python3 - "$S/stream.jsonl" <<'PY'
import json, sys
base = ["The two leaders met on Wednesday for a information convention after the summit.",
        "The committee met on Tuesday and agreed to publish its report next month.",
        "Relations between the international locations are at their lowest level since the Chilly Struggle."]
with open(sys.argv[1], "w") as f:
    for i in range(60):
        if i % 17 == 5:
            f.write("{broken\n")
        elif i % 10 == 3:
            f.write(json.dumps({"url": "u%d" % i, "html": "<p>%s</p>" % base[i % 3]}) + "\n")
        else:
            f.write(json.dumps({"id": "d%d" % i, "text": base[i % 3]}) + "\n")
PY
run "stream jobs 2" 0 sh -c "'$UNSPIN' scan --jobs 2 - < '$S/stream.jsonl'"
cp "$TMP/out" "$S/stream2.out"
run "stream jobs 1" 0 sh -c "'$UNSPIN' scan --jobs 1 - < '$S/stream.jsonl'"
cp "$TMP/out" "$S/stream1.out"
head -n 1 "$S/stream.jsonl" >"$S/one.jsonl"
run "stream one line" 0 sh -c "'$UNSPIN' scan - < '$S/one.jsonl'"
cp "$TMP/out" "$S/one.out"
cat >"$S/check3.py" <<'PY'
import json, sys
inp = open(sys.argv[1]).read().splitlines()
two = open(sys.argv[2]).read().splitlines()
one = open(sys.argv[3]).read().splitlines()
alone = open(sys.argv[4]).read().splitlines()
if len(two) != len(inp) or len(one) != len(inp):
    sys.exit("lines in %d, out %d (2 jobs) and %d (1 job)" % (len(inp), len(two), len(one)))
def key(l):
    r = json.loads(l)
    return r["id"]
ids_in = []
for n, l in enumerate(inp, 1):
    try:
        o = json.loads(l); ids_in.append(str(o.get("id", o.get("url"))))
    except ValueError:
        ids_in.append("<stdin>:%d" % n)
if sorted(map(key, two)) != sorted(ids_in):
    sys.exit("ids differ from the input's")
if sorted(two) != sorted(one):
    sys.exit("2 jobs and 1 job give different records")
if alone[0] not in two:
    sys.exit("a line alone gives a different record: " + alone[0])
PY
run "streaming contract" 0 python3 "$S/check3.py" "$S/stream.jsonl" "$S/stream2.out" "$S/stream1.out" "$S/one.out"

# report: one self-contained page.
run "report" 0 "$UNSPIN" report --no-progress -o "$S/report.html" "$S/docs"
has "report wrote" "$TMP/err" 'wrote .*report\.html \(11 documents\)'
R=$S/report.html
has "report doctype" "$R" '^<!DOCTYPE html>'
has "report highlight with original on hover" "$R" '<mark class="span" title="Cold War \(confidence [01]\.[0-9]+\)" data-original="Cold War">Chilly Struggle</mark>'
has "report table" "$R" '<table id="docs">'
has "report verdict line" "$R" '<p class="verdict spun">SPUN: score 1\.00, spin rate 0\.[0-9]+, 31 words, [0-9]+ spans, 0 evasion</p>'
has "report escapes text" "$R" 'Fish &amp; chips .* &lt;b&gt;\.'
has "report error row" "$R" 'error: invalid UTF-8 at byte 4'
hasnt "report html: no script text" "$R" 'officers_mentioned'
hasnt "report fetches nothing" "$R" '(src|href)="(https?:)?//'
has "report sortable" "$R" "addEventListener\\('click'"
# The first row is the highest score.
cat >"$S/check4.py" <<'PY'
import re, sys
scores = [float(x) for x in re.findall(r'<tr class="(?:spun|natural)">.*?<td class="n" data-v="[0-9]+">[0-9]+</td><td>.*?</td><td class="v">\w+</td><td class="n" data-v="([0-9.]+)">', open(sys.argv[1]).read())]
if not scores or scores != sorted(scores, reverse=True):
    sys.exit("not sorted: %r" % scores)
PY
run "report sorted by score" 0 python3 "$S/check4.py" "$R"
printf '{"id":"<x>&\\"y","text":"The officers mentioned final yr that <b> is a tag."}\n' >"$S/esc.jsonl"
run "report escapes ids" 0 "$UNSPIN" report --no-progress -o - "$S/esc.jsonl"
has "escaped id" "$TMP/out" '&lt;x&gt;&amp;&quot;y'
has "escaped text" "$TMP/out" 'that &lt;b&gt; is a tag'
hasnt "no raw tag" "$TMP/out" 'that <b> is'
# A scan's output read back: texts of files re-read, records of lines listed.
run "scan for report" 0 "$UNSPIN" scan --no-progress "$S/docs"
cp "$TMP/out" "$S/scan.jsonl"
run "report from scan" 0 "$UNSPIN" report --no-progress -o "$S/r2.html" "$S/scan.jsonl"
has "report from scan highlight" "$S/r2.html" '<mark class="span" title="countries \(confidence [01]\.[0-9]+\)" data-original="countries">international locations</mark>'
has "report from scan record spans" "$S/r2.html" 'the record.s spans'

# PDF input, generated here (tests/tools/mkpdf.py): a PDF is known by its
# first bytes, its lines are joined into paragraphs (the spans across a line
# break below), its pages follow one another; damaged, password-protected
# and textless PDFs give error records in scan and one-line errors in check.
P=$S/pdf
PDFIN=$P/in
mkdir -p "$PDFIN"
MKPDF=$(dirname "$0")/../tools/mkpdf.py
python3 "$MKPDF" "$PDFIN/spun.pdf" "$(printf 'Relations between the international locations are at\ntheir lowest level since the Chilly Struggle, officers\nmentioned final yr.\n\nThe chilly struggle ended final yr.')" \
    'The committee met on Tuesday.'
cp "$PDFIN/spun.pdf" "$PDFIN/named.txt"
python3 "$MKPDF" --password secret "$PDFIN/locked.pdf" 'The chilly struggle ended final yr.'
python3 "$MKPDF" "$PDFIN/blank.pdf" ''
head -c 200 "$PDFIN/spun.pdf" >"$PDFIN/corrupt.pdf"
run "check pdf" 1 "$UNSPIN" check --no-color "$PDFIN/spun.pdf"
# The text judged, marks taken out: lines joined, paragraphs and pages kept.
cat >"$P/want.txt" <<'TXT'
Relations between the international locations are at their lowest level since the Chilly Struggle, officers mentioned final yr.

The chilly struggle ended final yr.

The committee met on Tuesday.
TXT
head -n 5 "$TMP/out" | sed -E 's/\[([^]]*) -> [^]]*\]/\1/g' >"$P/got.txt"
if cmp -s "$P/want.txt" "$P/got.txt"; then ok; else bad "check pdf text: $(head -c 400 "$P/got.txt")"; fi
has "check pdf marks" "$TMP/out" '\[Chilly Struggle -> Cold War\].*\[[^]]*mentioned final yr -> [^]]*said last year\]'
has "check pdf verdict" "$TMP/out" 'spun\.pdf: SPUN \(score 1\.00, spin rate 0\.[0-9]+, 29 words, '
if [ -s "$TMP/err" ]; then bad "check pdf wrote to stderr: $(head -c 200 "$TMP/err")"; else ok; fi
run "check pdf stdin" 1 sh -c "'$UNSPIN' check --format json < '$PDFIN/spun.pdf'"
has "check pdf json span" "$TMP/out" '"text":"Chilly Struggle","original":"Cold War"'
# A word broken at a line end keeps its hyphen in the text ("infor-mation")
# and is still read as the word.
python3 "$MKPDF" "$PDFIN/hyphen.pdf" "$(printf 'The two leaders met on Wednesday for an infor-\nmation convention after the summit.')"
run "check pdf hyphenated" 1 "$UNSPIN" check --no-color "$PDFIN/hyphen.pdf"
has "check pdf hyphenated word" "$TMP/out" '\[an infor-mation convention -> a news conference\]'
rm -f "$PDFIN/hyphen.pdf"
for f in locked corrupt blank; do
    run "check $f pdf" 2 "$UNSPIN" check "$PDFIN/$f.pdf"
    one_line "check $f pdf one line" "$TMP/err"
done
has "check blank pdf error" "$TMP/err" '^unspin: .*blank\.pdf: no text in the PDF$'
run "check damaged pdf" 2 "$UNSPIN" check "$PDFIN/corrupt.pdf"
has "check damaged pdf error" "$TMP/err" '^unspin: .*corrupt\.pdf: PDF could not be read: '
run "check encrypted pdf" 2 "$UNSPIN" check "$PDFIN/locked.pdf"
has "check encrypted pdf error" "$TMP/err" '^unspin: .*locked\.pdf: PDF is encrypted \(it needs a password\)$'
run "scan pdf" 0 "$UNSPIN" scan --no-progress --jobs 2 "$PDFIN"
if [ -s "$TMP/err" ]; then bad "scan pdf wrote to stderr: $(head -c 200 "$TMP/err")"; else ok; fi
cat >"$P/check.py" <<'PY'
import json, sys
recs = {r["id"].rsplit("/", 1)[-1]: r for r in map(json.loads, open(sys.argv[1]))}
def want(c, msg):
    if not c: sys.exit("scan pdf records: " + msg + ": " + json.dumps(recs)[:600])
want(len(recs) == 5, "5 records")
for name in ("spun.pdf", "named.txt"):
    r = recs[name]
    want(r.get("verdict") == "spun" and r["words"] == 29, name + " spun")
    want(any("mentioned final yr" in s["text"] for s in r["spans"]), name + " span across lines")
want(recs["locked.pdf"] == {"id": recs["locked.pdf"]["id"],
                            "error": "PDF is encrypted (it needs a password)"}, "encrypted")
want(recs["blank.pdf"]["error"] == "no text in the PDF", "no text")
want(recs["corrupt.pdf"]["error"].startswith("PDF could not be read: "), "damaged")
PY
cp "$TMP/out" "$P/scan.jsonl"
run "scan pdf records" 0 python3 "$P/check.py" "$P/scan.jsonl"
run "scan pdf stdin" 0 sh -c "'$UNSPIN' scan - < '$PDFIN/spun.pdf'"
has "scan pdf stdin record" "$TMP/out" '^\{"id":"<stdin>","verdict":"spun".*"words":29'
run "report pdf" 0 "$UNSPIN" report --no-progress -o "$P/report.html" "$PDFIN/spun.pdf" "$PDFIN/locked.pdf"
has "report pdf highlight" "$P/report.html" 'data-original="Cold War">Chilly Struggle</mark>'
has "report pdf error row" "$P/report.html" 'error: PDF is encrypted'

# compare on a crafted pair: two of three sentences copied and spun.
cat >"$S/source.txt" <<'TXT'
The senator announced a new budget plan on Monday. Critics said the proposal would raise taxes for families. Farmers in the valley harvested apples early this autumn.
TXT
cat >"$S/suspect.txt" <<'TXT'
The ballot is anticipated next week. The senator introduced a new finances plan on Monday. Critics mentioned the proposal would elevate taxes for households.
TXT
run "compare spun copy" 1 "$UNSPIN" compare "$S/suspect.txt" "$S/source.txt"
has "compare summary" "$TMP/out" 'suspect\.txt: spun copy of .*source\.txt: 75% of its 24 words are in 2 of its 3 sentences paired with the source; 28% of those words changed \(5 substitutions\)'
has "compare substitutions" "$TMP/out" 'suspect: The senator \[introduced -> announced\] a new \[finances -> budget\] plan on Monday\.'
run "compare json" 1 "$UNSPIN" compare --format json "$S/suspect.txt" "$S/source.txt"
has "compare json figures" "$TMP/out" '"verdict":"spun copy","words":24,"copied_words":18,"copied_share":0\.75,"changed_words":5'
has "compare json subst" "$TMP/out" '"suspect":\{"start":[0-9]+,"end":[0-9]+,"start16":[0-9]+,"end16":[0-9]+,"text":"finances","words":1\},"source":\{[^}]*"text":"budget"'
run "compare not a copy" 0 "$UNSPIN" compare "$S/suspect.txt" "$S/docs/sub/plain.txt"
has "compare not a copy summary" "$TMP/out" 'not a copy'
run "compare html" 1 "$UNSPIN" compare "$S/docs/sub/deeper/page.html" "$D/sample.txt"
run "compare bad file" 2 "$UNSPIN" compare "$S/docs/bad.txt" "$S/source.txt"
one_line "compare bad file one line" "$TMP/err"
unset UNSPIN_MODEL
fi
