# Evasion signals in scan and report (check's are in t_check.sh; serve
# answers with the same object as check).
if [ -f "$(dirname "$0")/../../models/en_US.unspin" ]; then
    printf 'Relations are at their lowest level since the \320\241hilly Strug\342\200\213gle, officers mentioned final yr.\n' >"$TMP/evdoc.txt"
    run "scan evasion" 0 "$UNSPIN" scan --no-progress --jobs 1 "$TMP/evdoc.txt"
    has "scan evasion count" "$TMP/out" '"evasion_count": ?2'
    run "report evasion" 0 "$UNSPIN" report -o "$TMP/ev.html" "$TMP/evdoc.txt"
    has "report evasion list" "$TMP/ev.html" '<pre class="evasion">mixed-script: &quot;.hilly&quot; looks like &quot;Chilly&quot;'
    has "report evasion count" "$TMP/ev.html" '2 spans, 2 evasion</p>'
    printf 'Plain English with no tricks at all.\n' >"$TMP/plain2.txt"
    run "scan no evasion" 0 "$UNSPIN" scan --no-progress --jobs 1 "$TMP/plain2.txt"
    has "scan zero evasion" "$TMP/out" '"evasion_count": ?0'
else
    skip "evasion in scan/report: models/en_US.unspin not built (make model)"
fi
