# unspin train / eval on a crafted tortured-phrase list and crafted pairs.
printf 'tortured\texpected\tnum_papers\nirregular woodland\trandom forest\t120\ncounterfeit consciousness\tartificial intelligence\t900\nprofound learning\tdeep learning\t50\n' >"$TMP/pps.tsv"
run "train table only" 0 "$UNSPIN" train --quiet --pps "$TMP/pps.tsv" --table-only --table "$TMP/learned.tsv"
has "train table word pair" "$TMP/learned.tsv" '^irregular	random	1	0\.750000$'
has "train table phrase" "$TMP/learned.tsv" '^counterfeit consciousness	artificial intelligence	1	0\.750000$'
hasnt "train table header row" "$TMP/learned.tsv" '^tortured'
printf 'tortured\texpected\tnum_papers\nirregular woodland\trandom forest\n' >"$TMP/badpps.tsv"
run "train malformed" 2 "$UNSPIN" train --quiet --pps "$TMP/badpps.tsv" --table-only --table "$TMP/x.tsv"
one_line "train malformed one line" "$TMP/err"
has "train malformed names line" "$TMP/err" 'badpps\.tsv:2: expected 3 tab-separated fields'
run "train nothing" 2 "$UNSPIN" train -o "$TMP/x.unspin"
run "train base" 2 "$UNSPIN" train --pps "$TMP/pps.tsv" --base "$TMP/x.unspin" -o "$TMP/x.unspin"
has "train base message" "$TMP/err" 'not supported yet'
printf 'We train a random forest on the data.\tWe train an irregular woodland on the data.\nArtificial intelligence is a growing field.\tCounterfeit consciousness is a growing field.\n' >"$TMP/pairs.tsv"
run "train pairs table" 0 "$UNSPIN" train --quiet --pairs "$TMP/pairs.tsv" --table-only --table "$TMP/learned2.tsv"
has "train pairs word" "$TMP/learned2.tsv" '^woodland	forest	1	'
run "eval no pairs" 2 "$UNSPIN" eval --model "$TMP/x.unspin"

# With Debian's sources (present when the real model is built).
if [ -f "$(dirname "$0")/../../models/en_US.unspin" ]; then
    M="$TMP/trained.unspin"
    run "train model" 0 "$UNSPIN" train --quiet --pps "$TMP/pps.tsv" -o "$M"
    run "trained info" 0 "$UNSPIN" model info --model "$M"
    has "trained learned edges" "$TMP/out" '^edges\.learned=8$'
    printf 'Counterfeit consciousness is a growing field of research.\n' >"$TMP/tortured.txt"
    run "trained check" 1 "$UNSPIN" check --model "$M" "$TMP/tortured.txt"
    has "trained restores" "$TMP/out" '\[Counterfeit consciousness -> Artificial intelligence\]'
    run "eval pairs" 0 "$UNSPIN" eval --pairs "$TMP/pairs.tsv" --model "$M"
    has "eval substitutions" "$TMP/out" '^substitutions 2$'
    has "eval recall" "$TMP/out" '^recall 1\.0000$'
    has "eval restored" "$TMP/out" '^restored 1$'
    has "eval false spans" "$TMP/out" '^false_spans_per_1000_words [0-9.]+$'
    mkdir -p "$TMP/pairdir"
    printf 'Artificial intelligence is a growing field.\n' >"$TMP/pairdir/a.orig.txt"
    printf 'Counterfeit consciousness is a growing field.\n' >"$TMP/pairdir/a.spun.txt"
    run "eval dir json" 0 "$UNSPIN" eval --format json --pairs "$TMP/pairdir" --model "$M"
    has "eval json" "$TMP/out" '"restoration": 1\.0000'
else
    skip "train with Debian's sources: models/en_US.unspin not built (make model)"
fi
