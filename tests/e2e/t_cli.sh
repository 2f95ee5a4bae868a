# The command line: help, version, usage errors.
run "help" 0 "$UNSPIN" --help
has "help lists tokens" "$TMP/out" '^  tokens'
run "version" 0 "$UNSPIN" version
has "version" "$TMP/out" '^unspin [0-9]+\.[0-9]+\.[0-9]+$'
run "no command" 2 "$UNSPIN"
run "unknown command" 2 "$UNSPIN" frobnicate
one_line "unknown command one line" "$TMP/err"
has "unknown command message" "$TMP/err" "^unspin: unknown command 'frobnicate'"
