# unspin align: sentence pairs and marked substitutions, JSON offsets, bad input.
printf 'The senator announced a new budget plan on Monday. Critics said the proposal would raise taxes for families. The vote is expected next week.\n' >"$TMP/al_o.txt"
printf 'The ballot is anticipated next week. The senator introduced a new finances plan on Monday, and critics mentioned the proposal would elevate taxes for households. Farmers harvested apples early.\n' >"$TMP/al_r.txt"
run "align crafted" 0 "$UNSPIN" align "$TMP/al_o.txt" "$TMP/al_r.txt"
has "align reordered pair" "$TMP/out" '^rewording 0\.[0-9]+ original 2 rewrite 0, 2 substitutions$'
has "align marks" "$TMP/out" '^  R: The \[ballot -> vote\] is \[anticipated -> expected\] next week\.$'
has "align merge" "$TMP/out" '^rewording 0\.[0-9]+ original 0\+1 rewrite 1, 6 substitutions$'
has "align merge marks" "$TMP/out" 'on Monday\[, and -> \.\] critics \[mentioned -> said\]'
has "align added" "$TMP/out" '^added 0\.00 rewrite 2 \(no sentence shares a word\)$'
has "align summary" "$TMP/out" '^# 2 pairs \(0 identical, 2 rewording\), 0 dropped, 1 added, 8 substitutions, threshold 0\.35$'
run "align identical" 0 "$UNSPIN" align "$TMP/al_o.txt" "$TMP/al_o.txt"
has "align identical summary" "$TMP/out" '^# 3 pairs \(3 identical, 0 rewording\), 0 dropped, 0 added, 0 substitutions'
run "align no merges" 0 "$UNSPIN" align --no-merges "$TMP/al_o.txt" "$TMP/al_r.txt"
has "align no merges dropped" "$TMP/out" '^dropped 0\.[0-9]+ original [01] \(nearest: rewrite 1\)$'
run "align stdin" 0 sh -c "'$UNSPIN' align - '$TMP/al_r.txt' < '$TMP/al_o.txt'"
has "align stdin pairs" "$TMP/out" '^# 2 pairs'
run "align help" 0 "$UNSPIN" align --help
has "align help usage" "$TMP/out" '^usage: unspin align'

# A heavily spun sentence below the threshold, in its place between two
# pairs, is paired (with its own similarity); a phrase holding the word it
# replaced is one substitution with that word ("coronary heart" <- heart).
printf 'The senator announced a new budget plan on Monday. The company said that its profits in the north fell by a third after the cold weather. Walking protects the heart.\n' >"$TMP/al_o2.txt"
printf 'The senator introduced a new finances plan on Monday. The agency stated that its earnings in the north dropped by a third after the chilly climate. Strolling protects the coronary heart.\n' >"$TMP/al_r2.txt"
run "align in place" 0 "$UNSPIN" align "$TMP/al_o2.txt" "$TMP/al_r2.txt"
has "align in place pair" "$TMP/out" '^rewording 0\.[0-2][0-9] original 1 rewrite 1, 4 substitutions$'
has "align in place marks" "$TMP/out" '^  R: The \[agency stated -> company said\] that its \[earnings -> profits\] in the north'
has "align head phrase" "$TMP/out" '^  R: \[Strolling -> Walking\] protects the \[coronary heart -> heart\]\.$'
has "align in place summary" "$TMP/out" '^# 3 pairs \(0 identical, 3 rewording\), 0 dropped, 0 added'
printf 'The senator introduced a new finances plan on Monday. Farmers in the valley harvested apples early this autumn. Strolling protects the coronary heart.\n' >"$TMP/al_r3.txt"
run "align unrelated in place" 0 "$UNSPIN" align "$TMP/al_o2.txt" "$TMP/al_r3.txt"
has "align unrelated in place unpaired" "$TMP/out" '^# 2 pairs \(0 identical, 2 rewording\), 1 dropped, 1 added'

# Bad input: one-line errors, exit 2.
printf 'abc \377 def\n' >"$TMP/al_bad.txt"
run "align invalid utf-8" 2 "$UNSPIN" align "$TMP/al_o.txt" "$TMP/al_bad.txt"
one_line "align invalid utf-8 one line" "$TMP/err"
has "align invalid utf-8 message" "$TMP/err" 'al_bad\.txt: invalid UTF-8 at byte 4$'
: >"$TMP/al_empty.txt"
run "align empty" 2 "$UNSPIN" align "$TMP/al_empty.txt" "$TMP/al_o.txt"
has "align empty message" "$TMP/err" 'al_empty\.txt: empty input$'
run "align missing file" 2 "$UNSPIN" align "$TMP/al_o.txt" "$TMP/al_none.txt"
has "align missing message" "$TMP/err" 'al_none\.txt: No such file or directory$'
run "align one file" 2 "$UNSPIN" align "$TMP/al_o.txt"
one_line "align one file one line" "$TMP/err"
run "align three files" 2 "$UNSPIN" align "$TMP/al_o.txt" "$TMP/al_o.txt" "$TMP/al_o.txt"
run "align bad threshold" 2 "$UNSPIN" align --threshold 1.5 "$TMP/al_o.txt" "$TMP/al_r.txt"
one_line "align bad threshold one line" "$TMP/err"
run "align bad format" 2 "$UNSPIN" align --format xml "$TMP/al_o.txt" "$TMP/al_r.txt"
run "align two stdins" 2 "$UNSPIN" align - -

# The seeds: a news report (000) and a spun copy of another outlet's report
# of the same event (002) share a few sentences.
S0=$(ls "$SHARED"/seeds/000_*.txt 2>/dev/null | head -n 1)
S2=$(ls "$SHARED"/seeds/002_*.txt 2>/dev/null | head -n 1)
if [ -z "$S0" ] || [ -z "$S2" ]; then
    skip "unspin align: seeds 000 and 002 not found under $SHARED/seeds"
else
    run "align seeds" 0 "$UNSPIN" align "$S0" "$S2"
    cp "$TMP/out" "$TMP/al_seeds.txt"
    # The ambassadors' recall.
    has "seeds recall" "$TMP/al_seeds.txt" '^  R: .*recalled .*aimed \[toward -> at\] punishing Russia for \[an enormous -> a massive\] cyberattack'
    # The consular halt and the ripple effect: two rewrite sentences for one
    # of the original (a 1:2 pair).
    has "seeds merge" "$TMP/al_seeds.txt" '^rewording 0\.[0-9]+ original [0-9]+ rewrite [0-9]+\+[0-9]+, [0-9]+ substitutions$'
    has "seeds consular halt" "$TMP/al_seeds.txt" '^  R: .*consular operations, visas and \[different -> other\] diplomatic \[providers -> services\] .*to a halt'
    has "seeds ripple effect" "$TMP/al_seeds.txt" 'ripple \[impact on -> effects in\] industries, \[households -> families\] and \[assist teams -> aid groups\] that \[preserve -> maintain\] ties'
    run "align seeds threshold 1" 0 "$UNSPIN" align --threshold 1 "$S0" "$S2"
    has "seeds identical only" "$TMP/out" '^# 1 pairs \(1 identical, 0 rewording\)'
    run "align seeds json" 0 "$UNSPIN" align --format json "$S0" "$S2"
    cp "$TMP/out" "$TMP/al_seeds.json"
    # Every offset, in bytes and in UTF-16 units, slices its text out of
    # the right file; the shared sentences are paired.
    cat >"$TMP/al_check.py" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
raw = [open(p, "rb").read() for p in sys.argv[2:4]]
u16 = [r.decode("utf-8").encode("utf-16-le") for r in raw]
def check(obj, side):
    t = obj["text"]
    assert raw[side][obj["start"]:obj["end"]].decode() == t, (obj, side)
    assert u16[side][2 * obj["start16"]:2 * obj["end16"]].decode("utf-16-le") == t, (obj, side)
found = set()
for p in doc["pairs"]:
    for side, key in ((0, "original"), (1, "rewrite")):
        if p[key] is not None:
            check(p[key], side)
    for s in p["substitutions"]:
        check(s["original"], 0)
        check(s["rewrite"], 1)
    if p["kind"] == "rewording":
        o, r = p["original"]["text"], p["rewrite"]["text"]
        if "were recalled" in o and "have been recalled" in r:
            found.add("recall")
        if "consular operations" in o and "consular operations" in r and "to a halt" in r:
            found.add("halt")
        if "ripple effects" in o and "ripple impact" in r:
            found.add("ripple")
assert found == {"recall", "halt", "ripple"}, found
assert doc["counts"]["rewording"] >= 3
EOF
    run "align seeds json offsets" 0 python3 "$TMP/al_check.py" "$TMP/al_seeds.json" "$S0" "$S2"
fi
