# unspin train / eval on a crafted tortured-phrase list and crafted pairs.
printf 'tortured\texpected\tnum_papers\nirregular woodland\trandom forest\t120\ncounterfeit consciousness\tartificial intelligence\t900\nprofound learning\tdeep learning\t50\n' >"$TMP/pps.tsv"
run "train table only" 0 "$UNSPIN" train --quiet --pps "$TMP/pps.tsv" --table-only --table "$TMP/learned.tsv"
has "train table word pair" "$TMP/learned.tsv" '^irregular	random	1	0\.750000$'
has "train table phrase" "$TMP/learned.tsv" '^counterfeit consciousness	artificial intelligence	1	0\.750000$'
hasnt "train table header row" "$TMP/learned.tsv" '^tortured'
# A compound with one part changed also teaches the part.
printf 'tortured\texpected\tnum_papers\npre-educated model\tpre-trained model\t3\n' >"$TMP/compound.tsv"
run "train compound" 0 "$UNSPIN" train --quiet --pps "$TMP/compound.tsv" --table-only --table "$TMP/compound-learned.tsv"
has "train compound word" "$TMP/compound-learned.tsv" '^pre-educated	pre-trained	1	'
has "train compound part" "$TMP/compound-learned.tsv" '^educated	trained	1	'
printf 'tortured\texpected\tnum_papers\nirregular woodland\trandom forest\n' >"$TMP/badpps.tsv"
run "train malformed" 2 "$UNSPIN" train --quiet --pps "$TMP/badpps.tsv" --table-only --table "$TMP/x.tsv"
one_line "train malformed one line" "$TMP/err"
has "train malformed names line" "$TMP/err" 'badpps\.tsv:2: expected 3 tab-separated fields'
run "train nothing" 2 "$UNSPIN" train -o "$TMP/x.unspin"
run "train base missing" 2 "$UNSPIN" train --pps "$TMP/pps.tsv" --base "$TMP/x.unspin" -o "$TMP/x.unspin"
one_line "train base missing one line" "$TMP/err"
has "train base missing names it" "$TMP/err" 'x\.unspin'

# --base: on top of a tiny model (tests/data: ARPA LM, synonyms, a learned
# table with "final yr" for last year, counted 3 times).
D=$(dirname "$0")/../data
BASE="$TMP/base.unspin"
run "train base: base model" 0 "$UNSPIN" model build --quiet -o "$BASE" --no-mythes \
    --no-wordnet --synonyms "$D/tiny-synonyms.txt" --learned "$D/tiny-learned.tsv" --lm "$D/tiny.arpa"
printf 'Prices rose last year.\tPrices rose final yr.\n' >"$TMP/lastyear.tsv"
run "train base" 0 "$UNSPIN" train --quiet --base "$BASE" --pps "$TMP/pps.tsv" \
    --pairs "$TMP/lastyear.tsv" -o "$TMP/based.unspin"
has "train base keeps base pair, counts added" "$TMP/based.unspin.learned.tsv" '^final yr	last year	4	'
has "train base learned pair" "$TMP/based.unspin.learned.tsv" '^irregular woodland	random forest	1	'
run "train base info" 0 "$UNSPIN" model info --model "$TMP/based.unspin"
has "train base: base's LM" "$TMP/out" '^source\.lm=.*tiny\.arpa size='
has "train base: base's synonyms" "$TMP/out" '^source\.project=.*tiny-synonyms\.txt size='
hasnt "train base: no MyThes, as the base" "$TMP/out" '^source\.mythes='
has "train base: lm as the base" "$TMP/out" '^lm\.ngrams=8 5 2$'
# 1 from the base + 8 from pps.tsv + final -> last and yr -> year.
has "train base: edges" "$TMP/out" '^edges\.learned=11$'
has "train base recorded" "$TMP/out" '^trained\.base=.*base\.unspin$'
# On top of that one again: counts keep adding up.
run "train base twice" 0 "$UNSPIN" train --quiet --base "$TMP/based.unspin" \
    --pairs "$TMP/lastyear.tsv" --table-only --table "$TMP/twice.tsv"
has "train base twice counts" "$TMP/twice.tsv" '^final yr	last year	5	'
has "train base twice keeps" "$TMP/twice.tsv" '^irregular	random	1	'
# A source that changed since the base was built is refused, unless given.
cp "$D/tiny-synonyms.txt" "$TMP/syn.txt"
run "train base: changing base" 0 "$UNSPIN" model build --quiet -o "$TMP/base2.unspin" \
    --no-mythes --no-wordnet --synonyms "$TMP/syn.txt" --learned "$D/tiny-learned.tsv" \
    --lm "$D/tiny.arpa"
echo "# edited" >>"$TMP/syn.txt"
run "train base changed source" 2 "$UNSPIN" train --quiet --base "$TMP/base2.unspin" \
    --pps "$TMP/pps.tsv" -o "$TMP/x.unspin"
one_line "train base changed source one line" "$TMP/err"
has "train base changed source message" "$TMP/err" 'syn\.txt has changed'
run "train base source given" 0 "$UNSPIN" train --quiet --base "$TMP/base2.unspin" \
    --synonyms "$TMP/syn.txt" --pps "$TMP/pps.tsv" -o "$TMP/x.unspin"
run "train base no table" 0 "$UNSPIN" model build --quiet -o "$TMP/nolearned.unspin" --no-mythes \
    --no-wordnet --no-learned --synonyms "$D/tiny-synonyms.txt" --lm "$D/tiny.arpa"
run "train base without table" 2 "$UNSPIN" train --quiet --base "$TMP/nolearned.unspin" \
    --pps "$TMP/pps.tsv" -o "$TMP/x.unspin"
has "train base without table message" "$TMP/err" 'holds no learned table'
printf 'We train a random forest on the data.\tWe train an irregular woodland on the data.\nArtificial intelligence is a growing field.\tCounterfeit consciousness is a growing field.\n' >"$TMP/pairs.tsv"
run "train pairs table" 0 "$UNSPIN" train --quiet --pairs "$TMP/pairs.tsv" --table-only --table "$TMP/learned2.tsv"
has "train pairs word" "$TMP/learned2.tsv" '^woodland	forest	1	'
run "eval no pairs" 2 "$UNSPIN" eval --model "$TMP/x.unspin"
run "train share" 0 "$UNSPIN" train --quiet --share 0.5 --pps "$TMP/pps.tsv" --table-only \
    --table "$TMP/half.tsv"
has "train share scales" "$TMP/half.tsv" '^irregular	random	1	0\.375$'
run "train share bad" 2 "$UNSPIN" train --quiet --share 0 --pps "$TMP/pps.tsv" --table-only \
    --table "$TMP/half.tsv"
one_line "train share bad one line" "$TMP/err"
printf '%s\t%s\n' 'Both teams won the national cup final in the capital on Sunday.' \
    'Each groups gained the national cup final in the capital on Sunday.' >"$TMP/fw.tsv"
run "train no function words" 0 "$UNSPIN" train --quiet --no-function-words --pairs "$TMP/fw.tsv" \
    --table-only --table "$TMP/fw-table.tsv"
hasnt "train no function words: each <- both" "$TMP/fw-table.tsv" '^each	both	'
has "train no function words: content kept" "$TMP/fw-table.tsv" '^groups	teams	1	'

# With Debian's sources (present when the real model is built).
if [ -f "$(dirname "$0")/../../models/en_US.unspin" ]; then
    M="$TMP/trained.unspin"
    run "train model" 0 "$UNSPIN" train --quiet --pps "$TMP/pps.tsv" -o "$M"
    run "trained info" 0 "$UNSPIN" model info --model "$M"
    has "trained learned edges" "$TMP/out" '^edges\.learned=8$'
    printf 'Counterfeit consciousness is a growing field of research.\n' >"$TMP/tortured.txt"
    run "trained check" 1 "$UNSPIN" check --model "$M" "$TMP/tortured.txt"
    has "trained restores" "$TMP/out" '\[Counterfeit consciousness -> Artificial intelligence\]'
    # Words learned from two phrases restore a third that shares them.
    printf 'tortured\texpected\tnum_papers\nirregular backwoods\trandom forest\t3\narbitrary woodland\trandom forest\t5\n' >"$TMP/gen.tsv"
    run "train generalising" 0 "$UNSPIN" train --quiet --pps "$TMP/gen.tsv" -o "$TMP/gen.unspin"
    printf 'We trained an irregular woodland on the data.\n' >"$TMP/gen.txt"
    run "generalised check" 1 "$UNSPIN" check --no-color --model "$TMP/gen.unspin" "$TMP/gen.txt"
    has "generalised restores" "$TMP/out" '\[an irregular woodland -> a random forest\]'
    # A word a run keeps in place is written as the text has it, even one
    # the vocabulary does not hold (it was written "?").
    printf 'tortured\texpected\tnum_papers\nexample size\tsample size\t5\nexample rate\tsample rate\t4\ntest example\ttest sample\t3\nexample mean\tsample mean\t3\n' >"$TMP/kept.tsv"
    run "train kept word" 0 "$UNSPIN" train --quiet --pps "$TMP/kept.tsv" -o "$TMP/kept.unspin"
    printf 'It was the most enthralling zorblax example of the day.\n' >"$TMP/kept.txt"
    run "kept word check" 1 "$UNSPIN" check --no-color --model "$TMP/kept.unspin" "$TMP/kept.txt"
    has "kept word written as in the text" "$TMP/out" 'zorblax sample\]'
    hasnt "kept word not unknown" "$TMP/out" ' \? '
    run "eval pairs" 0 "$UNSPIN" eval --pairs "$TMP/pairs.tsv" --model "$M"
    has "eval substitutions" "$TMP/out" '^substitutions 2$'
    has "eval recall" "$TMP/out" '^recall 1\.0000$'
    # (the forest's article, "an" for "a", counts against it unless restored too)
    has "eval restored" "$TMP/out" '^restored [12]$'
    has "eval false spans" "$TMP/out" '^false_spans_per_1000_words [0-9.]+$'
    mkdir -p "$TMP/pairdir"
    printf 'Artificial intelligence is a growing field.\n' >"$TMP/pairdir/a.orig.txt"
    printf 'Counterfeit consciousness is a growing field.\n' >"$TMP/pairdir/a.spun.txt"
    run "eval dir json" 0 "$UNSPIN" eval --format json --pairs "$TMP/pairdir" --model "$M"
    has "eval json" "$TMP/out" '"restoration": 1\.0000'
    has "eval json pairs" "$TMP/out" '"pairs_changed": 1, "pairs_flagged": 1, "pair_recall": 1\.0000'
    # By pair: a name changed is no synonym swap, so one pair of three
    # changed ones is not flagged; the unchanged pair counts for nothing.
    printf 'Artificial intelligence is a growing field.\tCounterfeit consciousness is a growing field.\nThe meeting was held in Paris last week.\tThe meeting was held in Berlin last week.\nThe river runs north.\tThe river runs north.\nWe train a random forest on the data.\tWe train an irregular woodland on the data.\n' >"$TMP/bypair.tsv"
    run "eval by pair" 0 "$UNSPIN" eval --pairs "$TMP/bypair.tsv" --model "$M"
    has "eval pairs changed" "$TMP/out" '^pairs_changed 3$'
    has "eval pairs flagged" "$TMP/out" '^pairs_flagged 2$'
    has "eval pair recall" "$TMP/out" '^pair_recall 0\.6667$'
    has "eval pair restoration" "$TMP/out" '^pair_restoration 0\.(3333|6667)$'
else
    skip "train with Debian's sources: models/en_US.unspin not built (make model)"
fi
