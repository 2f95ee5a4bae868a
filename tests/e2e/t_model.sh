# unspin model build / info / verify / logprob, and damaged model files.
TINY="$TMP/tiny.unspin"
D=$(dirname "$0")/../data
run "build tiny model" 0 "$UNSPIN" model build --quiet -o "$TINY" --no-mythes --no-wordnet \
    --synonyms "$D/tiny-synonyms.txt" --learned "$D/tiny-learned.tsv" --lm "$D/tiny.arpa"
run "info tiny" 0 "$UNSPIN" model info --model "$TINY"
has "info lm counts" "$TMP/out" '^lm\.ngrams=8 5 2$'
has "info lm words" "$TMP/out" '^lm\.words=8$'
has "info learned" "$TMP/out" '^learned\.substitutions=1$'
has "info edges" "$TMP/out" '^edges\.project=2$'
has "info learned edges" "$TMP/out" '^edges\.learned=1$'
has "info source" "$TMP/out" '^source\.lm=.*tiny\.arpa size=[0-9]+ mtime='
run "verify tiny" 0 "$UNSPIN" model verify --model "$TINY"
has "verify ok" "$TMP/out" ': ok$'
# log10 P(war | the cold) is the trigram; P(ended | cold war) backs off:
# bo(cold war) + P(ended | war) = -0.2 + -0.9
run "logprob trigram" 0 "$UNSPIN" model logprob --model "$TINY" the cold war
has "logprob trigram value" "$TMP/out" '^-0\.1000$'
run "logprob backoff" 0 "$UNSPIN" model logprob --model "$TINY" cold war ended
has "logprob backoff value" "$TMP/out" '^-1\.1000$'
run "logprob unknown" 0 "$UNSPIN" model logprob --model "$TINY" the zebra
has "logprob unknown value" "$TMP/out" '^-7\.0000$'
run "logprob number" 0 "$UNSPIN" model logprob --model "$TINY" the 2021
has "logprob number value" "$TMP/out" '^-3\.5000$'
# Damaged copies: one line naming the file and the fault, exit 2.
cp "$TINY" "$TMP/trunc.unspin"; truncate -s 1000 "$TMP/trunc.unspin"
run "truncated model" 2 "$UNSPIN" model info --model "$TMP/trunc.unspin"
one_line "truncated one line" "$TMP/err"
has "truncated message" "$TMP/err" 'trunc\.unspin: truncated'
printf 'not a model at all, just text that is long enough to fill a header...........................................................................\n' >"$TMP/foreign.unspin"
run "foreign model" 2 "$UNSPIN" model info --model "$TMP/foreign.unspin"
has "foreign message" "$TMP/err" 'foreign\.unspin: not an unspin model'
cp "$TINY" "$TMP/flip.unspin"
size=$(wc -c <"$TMP/flip.unspin")
printf '\377' | dd of="$TMP/flip.unspin" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run "corrupt model verify" 2 "$UNSPIN" model verify --model "$TMP/flip.unspin"
has "corrupt message" "$TMP/err" "flip\.unspin: (section '.*' is corrupt|.*)"
run "missing model" 2 "$UNSPIN" model info --model "$TMP/nope.unspin"
has "missing message" "$TMP/err" 'nope\.unspin: cannot open model'
run "UNSPIN_MODEL" 0 env UNSPIN_MODEL="$TINY" "$UNSPIN" model verify
run "read() fallback" 0 env UNSPIN_NO_MMAP=1 "$UNSPIN" model logprob --model "$TINY" the cold war
has "read() fallback value" "$TMP/out" '^-0\.1000$'
run "read() fallback corrupt" 2 env UNSPIN_NO_MMAP=1 "$UNSPIN" model verify --model "$TMP/flip.unspin"
run "bad source" 2 "$UNSPIN" model build --quiet -o "$TMP/x.unspin" --lm "$TMP/foreign.unspin" --no-mythes --no-wordnet --no-learned --no-synonyms
one_line "bad source one line" "$TMP/err"
if [ -f "$TMP/x.unspin" ] || [ -f "$TMP/x.unspin.tmp" ]; then bad "failed build left a file"; else ok; fi

# The real model, when built (make model).
REAL=$(dirname "$0")/../../models/en_US.unspin
if [ -f "$REAL" ]; then
    run "real info" 0 "$UNSPIN" model info --model "$REAL"
    has "real lm" "$TMP/out" '^lm\.ngrams=72547 2051541 1669625$'
    has "real multiword" "$TMP/out" '^terms\.multiword=[0-9]{5,}$'
    run "real verify" 0 "$UNSPIN" model verify --model "$REAL"
    run "real logprob" 0 "$UNSPIN" model logprob --model "$REAL" cold war
    has "real cold war" "$TMP/out" '^-1\.0[0-9]+$'
else
    skip "models/en_US.unspin not built (make model)"
fi
