# unspin check: output formats, offsets, exit codes, bad input, the seeds.
MODEL=$(dirname "$0")/../../models/en_US.unspin
D=$(dirname "$0")/../data
TOOLS=$(dirname "$0")/../tools
if [ ! -f "$MODEL" ]; then
    skip "unspin check: models/en_US.unspin not built (make model)"
else
export UNSPIN_MODEL="$MODEL"
run "check sample" 1 "$UNSPIN" check --no-color "$D/sample.txt"
has "sample marks yr" "$TMP/out" 'final yr -> [a-z ]*last year\]'
has "sample marks countries" "$TMP/out" '\[international locations -> countries\]'
has "sample verdict" "$TMP/out" 'sample\.txt: SPUN \(score [01]\.[0-9]+, spin rate 0\.[0-9]+, 31 words, [0-9]+ spans, 0 evasion\)$'
run "check json" 1 "$UNSPIN" check --format json "$D/sample.txt"
cp "$TMP/out" "$TMP/sample.json"
run "json shape" 0 python3 "$TOOLS/check_json.py" "$TMP/sample.json" "$D/sample.txt"
has "json key order" "$TMP/sample.json" '^\{"file": ?"[^"]*sample\.txt", ?"verdict": ?"spun", ?"score": ?[0-9.]+, ?"spin_rate": ?[0-9.e-]+, ?"words": ?31, ?"spans": ?\[\{"start": ?[0-9]+, ?"end": ?[0-9]+, ?"start16": ?[0-9]+, ?"end16": ?[0-9]+, ?"text": ?"'
# UTF-16 offsets differ from byte offsets after non-ASCII text.
printf '\342\200\234Caf\303\251\342\200\235 \360\237\230\200 \342\200\224 relations are at their lowest level since the final yr.\n' >"$TMP/u.txt"
run "check non-ascii" 1 "$UNSPIN" check --format jsonl "$TMP/u.txt"
cp "$TMP/out" "$TMP/u.json"
run "utf-16 offsets" 0 python3 "$TOOLS/check_json.py" "$TMP/u.json" "$TMP/u.txt"
has "utf-16 differs" "$TMP/u.json" '"start": ?([0-9]+), ?"end": ?[0-9]+, ?"start16": ?[0-9]+'
printf 'The committee met on Tuesday and agreed to publish its report next month.\n' >"$TMP/plain.txt"
run "natural text exit 0" 0 "$UNSPIN" check --no-color "$TMP/plain.txt"
has "natural verdict" "$TMP/out" 'plain\.txt: natural'
run "jsonl two files" 1 "$UNSPIN" check --format jsonl "$TMP/plain.txt" "$D/sample.txt"
cp "$TMP/out" "$TMP/two.jsonl"
run "jsonl shape" 0 python3 "$TOOLS/check_json.py" "$TMP/two.jsonl" "$TMP/plain.txt" "$D/sample.txt"
run "stdin" 1 sh -c "'$UNSPIN' check --format json < '$D/sample.txt'"
has "stdin name" "$TMP/out" '"file": ?"<stdin>"'
run "threshold 1" 0 "$UNSPIN" check --threshold 1 --format json "$TMP/plain.txt"
run "bad threshold" 2 "$UNSPIN" check --threshold 2 "$TMP/plain.txt"
one_line "bad threshold one line" "$TMP/err"
run "bad format" 2 "$UNSPIN" check --format xml "$TMP/plain.txt"
printf 'abc \377 def\n' >"$TMP/bad.txt"
run "check invalid utf-8" 2 "$UNSPIN" check "$TMP/bad.txt"
one_line "check invalid utf-8 one line" "$TMP/err"
has "check invalid utf-8 message" "$TMP/err" 'bad\.txt: invalid UTF-8 at byte 4$'
: >"$TMP/empty.txt"
run "check empty" 2 "$UNSPIN" check "$TMP/empty.txt"
has "check empty message" "$TMP/err" 'empty\.txt: empty input$'
# One bad file among good ones: the others are still judged.
run "check bad among good" 2 "$UNSPIN" check --format jsonl "$TMP/plain.txt" "$TMP/bad.txt"
has "good file still judged" "$TMP/out" 'plain\.txt'
run "check missing model" 2 "$UNSPIN" check --model "$TMP/none.unspin" "$TMP/plain.txt"
one_line "missing model one line" "$TMP/err"
# A rare synonym in a form neither the LM nor the thesaurus lists is still
# traced to its lemma's synonyms (the model holds the thesaurus words'
# inflected forms).
printf 'She closed her oculi and slept. The officials averred that the talks would resume.\n' >"$TMP/forms.txt"
run "inflected rare synonyms" 1 "$UNSPIN" check --format json "$TMP/forms.txt"
has "irregular plural restored" "$TMP/out" '"text": ?"oculi", ?"original": ?"eyes"'
has "doubled past flagged" "$TMP/out" '"text": ?"averred", ?"original": ?"'
# A word joined with the hyphen of a line break is read without it.
printf 'The two leaders met on Wednesday for an infor-mation convention after the summit.\n' >"$TMP/hy.txt"
run "hyphen-broken word" 1 "$UNSPIN" check --no-color "$TMP/hy.txt"
has "hyphen-broken word restored" "$TMP/out" '\[an infor-mation convention -> a news conference\]'
# Names, acronyms, URLs and e-mail addresses are not swaps of common words.
printf 'Joe Biden met NATO officials. See https://www.example.com/final/yr or mail final.yr@example.com today.\n' >"$TMP/names.txt"
run "protected words" 0 "$UNSPIN" check --format json "$TMP/names.txt"
has "no spans on names and urls" "$TMP/out" '"spans": ?\[\]'
# Look-alike letters and hidden characters: reported with exact offsets,
# and the spun words inside them still restored.
printf 'Relations are at their lowest level since the \320\241hilly Strug\342\200\213gle, officers mentioned final yr.\n' >"$TMP/ev.txt"
run "evasion spun" 1 "$UNSPIN" check --format json "$TMP/ev.txt"
cp "$TMP/out" "$TMP/ev.json"
run "evasion json" 0 python3 "$TOOLS/check_json.py" "$TMP/ev.json" "$TMP/ev.txt"
has "evasion mixed" "$TMP/ev.json" '"start": ?46, ?"end": ?53, ?"start16": ?46, ?"end16": ?52, ?"text": ?"[^"]+", ?"kind": ?"mixed-script", ?"skeleton": ?"Chilly"'
has "evasion invisible" "$TMP/ev.json" '"kind": ?"invisible", ?"skeleton": ?"Struggle"'
has "evasion restored" "$TMP/ev.json" '"original": ?"Cold War"'
printf 'Привет, мир. Καλημέρα κόσμε. 王小明 说 😀 and café naïve.\n' >"$TMP/scripts.txt"
run "real scripts" 0 "$UNSPIN" check --format json "$TMP/scripts.txt"
has "real scripts not flagged" "$TMP/out" '"evasion": ?\[\]'
run "evasion text format" 1 "$UNSPIN" check --no-color "$TMP/ev.txt"
has "evasion text line" "$TMP/out" 'mixed-script word at bytes 46-53: .* looks like "Chilly"'
unset UNSPIN_MODEL

SEEDS=$SHARED/seeds
if [ -d "$SEEDS" ]; then
    run "seed 002 spun" 1 "$UNSPIN" check --model "$MODEL" --format json "$SEEDS"/002_*.txt
    cp "$TMP/out" "$TMP/002.json"
    run "seed 002 json" 0 python3 "$TOOLS/check_json.py" "$TMP/002.json" "$SEEDS"/002_*.txt
    run "seed 002 gold" 0 python3 "$TOOLS/gold_eval.py" "$SEEDS/002.gold.tsv" "$SEEDS"/002_*.txt "$TMP/002.json"
    cp "$TMP/out" "$TMP/gold.txt"
    prec=$(sed -n 's/^precision=//p' "$TMP/gold.txt")
    if awk "BEGIN{exit !($prec >= 0.8)}"; then ok; else bad "seed 002: span precision $prec < 0.8"; fi
    rest=$(sed -n 's/^restored_rate=//p' "$TMP/gold.txt")
    if awk "BEGIN{exit !($rest >= 0.4)}"; then ok; else bad "seed 002: restored $rest < 0.4"; fi
    cov=$(sed -n 's/^covered_rate=//p' "$TMP/gold.txt")
    echo "seed 002: covered $cov (target 0.6), restored $rest, precision $prec" >&2
    # Restorations the issue names ("floor to a halt": the span is "floor").
    has "seed floor to a halt" "$TMP/002.json" '"text": ?"floor", ?"original": ?"ground"'
    has "seed Each males" "$TMP/002.json" '"text": ?"Each males", ?"original": ?"Both men"'
    has "seed final yr" "$TMP/002.json" '"text": ?"final yr", ?"original": ?"last year"'
    has "seed Supply hyperlink" "$TMP/002.json" '"text": ?"Supply hyperlink", ?"original": ?"Source link"'
    has "seed information convention" "$TMP/002.json" '"text": ?"information convention", ?"original": ?"news conference"'
    has "seed International Minister" "$TMP/002.json" '"text": ?"International", ?"original": ?"Foreign"'
    has "seed Chilly Struggle" "$TMP/002.json" '"text": ?"[a-z ]*Chilly Struggle", ?"original": ?"[a-z ]*Cold War"'
    run "seed 000 natural" 0 "$UNSPIN" check --model "$MODEL" --format json "$SEEDS"/000_*.txt
    cp "$TMP/out" "$TMP/000.json"
    run "seed 003 natural" 0 "$UNSPIN" check --model "$MODEL" --format json "$SEEDS"/003_*.txt
    cp "$TMP/out" "$TMP/003.json"
    # At most 3 flagged spans per 1,000 words on the two natural seeds.
    run "seed false spans" 0 python3 -c "
import json, sys
d = [json.load(open(p)) for p in sys.argv[1:]]
spans = sum(len(x['spans']) for x in d); words = sum(x['words'] for x in d)
print(spans, words)
sys.exit(0 if spans * 1000 <= 3 * words else 1)" "$TMP/000.json" "$TMP/003.json"
else
    skip "seed tests: $SEEDS absent"
fi
fi
