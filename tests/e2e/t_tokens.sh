# unspin tokens: offsets and forms, and bad input.
printf 'The U.S. ambassador didn\342\200\231t say.\n' >"$TMP/a.txt"
run "tokens" 0 "$UNSPIN" tokens "$TMP/a.txt"
has "tokens U.S." "$TMP/out" '^0	4	8	4	8	word	upper	a	U\.S\.	u\.s\.$'
has "tokens didn't" "$TMP/out" "^0	20	28	20	26	word	lower	q	didn’t	didn't$"
has "tokens count" "$TMP/out" '^# 11 tokens, 1 sentences$'
printf 'abc \377 def\n' >"$TMP/bad.txt"
run "invalid utf-8" 2 "$UNSPIN" tokens "$TMP/bad.txt"
one_line "invalid utf-8 one line" "$TMP/err"
has "invalid utf-8 message" "$TMP/err" 'bad\.txt: invalid UTF-8 at byte 4$'
run "invalid utf-8 replaced" 0 "$UNSPIN" tokens --replace-invalid "$TMP/bad.txt"
has "replaced token" "$TMP/out" '^0	4	5	4	5	other	none	r	'
: >"$TMP/empty.txt"
run "empty file" 2 "$UNSPIN" tokens "$TMP/empty.txt"
has "empty message" "$TMP/err" 'empty\.txt: empty input$'
run "missing file" 2 "$UNSPIN" tokens "$TMP/none.txt"
has "missing message" "$TMP/err" 'none\.txt: No such file or directory$'
run "directory" 2 "$UNSPIN" tokens "$TMP"
one_line "directory one line" "$TMP/err"
printf 'x\0y z.\r\n' >"$TMP/nul.txt"
run "nul bytes" 0 "$UNSPIN" tokens "$TMP/nul.txt"
has "nul escaped" "$TMP/out" '^0	1	2	1	2	other	none		\\x00	\\x00$'
run "stdin" 0 sh -c "printf 'Hi there.' | '$UNSPIN' tokens -"
has "stdin tokens" "$TMP/out" '^# 4 tokens, 1 sentences$'
# A huge file is refused with one line, not read into memory without bound.
if truncate -s 300M "$TMP/huge.txt" 2>/dev/null; then
    run "huge file" 2 "$UNSPIN" tokens "$TMP/huge.txt"
    has "huge message" "$TMP/err" 'huge\.txt: larger than [0-9]+ bytes$'
    rm -f "$TMP/huge.txt"
fi
