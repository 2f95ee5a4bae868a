# Helpers for end-to-end tests of the real binary.  Sourced by run.sh.
# Each check prints nothing when it passes and one line when it fails.
PASS=0; FAIL=0; SKIP=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok()   { PASS=$((PASS + 1)); }
bad()  { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
skip() { SKIP=$((SKIP + 1)); echo "SKIP: $*" >&2; }

# run NAME EXPECTED_STATUS CMD...: runs CMD, output in $TMP/out, $TMP/err.
run() {
    name=$1; want=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
    got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$name: exit $got, wanted $want ($(head -c 300 "$TMP/err"))"; fi
}

# has NAME FILE PATTERN: FILE has a line matching the extended regex.
has() { if grep -Eq -- "$3" "$2"; then ok; else bad "$1: no /$3/ in $(basename "$2"): $(head -c 300 "$2")"; fi; }
hasnt() { if grep -Eq -- "$3" "$2"; then bad "$1: /$3/ found in $(basename "$2")"; else ok; fi; }
# one_line NAME FILE: FILE holds exactly one line (a one-line error).
one_line() { n=$(wc -l <"$2"); if [ "$n" = 1 ]; then ok; else bad "$1: $n lines in stderr"; fi; }

finish() {
    echo "e2e: $PASS passed, $FAIL failed, $SKIP skipped"
    [ "$FAIL" = 0 ]
}
