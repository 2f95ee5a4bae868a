#!/bin/sh
# The unit and end-to-end tests with every binary under valgrind (make valgrind).
#
#   sh tests/valgrind.sh BUILD_DIR UNIT_TEST_BINARY...
#
# Each binary (BUILD_DIR/unspin and the unit tests) is run through a small
# wrapper script that execs valgrind (memcheck, --leak-check=full, definite
# and possible leaks count as errors, --error-exitcode=99).  Valgrind's
# reports go to log files, not to the program's standard error, so the
# end-to-end checks on error messages still hold; a test that ignores the
# exit status is still caught by its non-empty log.  UNSPIN_UNDER_VALGRIND=1
# tells slow tests (tests/e2e/t_patho.sh) to skip.  Exit status 0 when every
# test passed and every log is empty; the logs are kept in
# BUILD_DIR/valgrind/logs/.
set -u
if [ $# -lt 1 ]; then
    echo "usage: sh tests/valgrind.sh BUILD_DIR [UNIT_TEST_BINARY...]" >&2
    exit 2
fi
build=$1; shift
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 1; }
dir=$(cd "$build" && pwd)/valgrind
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/logs"
VG_OPTS=${VG_OPTS:-"-q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite,possible --track-origins=yes"}

wrap() { # wrap BINARY: prints the wrapper's path
    name=$(basename "$1")
    abs=$(cd "$(dirname "$1")" && pwd)/$name
    w=$dir/bin/$name
    cat >"$w" <<WRAP
#!/bin/sh
exec valgrind $VG_OPTS --log-file="$dir/logs/$name.%p.log" "$abs" "\$@"
WRAP
    chmod +x "$w"
    echo "$w"
}

start=$(date +%s)
status=0
wrappers=""
for t in "$@"; do wrappers="$wrappers $(wrap "$t")"; done
if [ -n "$wrappers" ]; then
    # shellcheck disable=SC2086
    sh tests/run-unit.sh $wrappers || status=1
fi
unspin=$(wrap "$build/unspin")
UNSPIN_UNDER_VALGRIND=1 UNSPIN=$unspin sh tests/e2e/run.sh || status=1

nlogs=$(ls "$dir/logs" | wc -l)
bad=0
for f in "$dir"/logs/*.log; do
    [ -s "$f" ] || { rm -f "$f"; continue; }
    bad=$((bad + 1))
    if [ "$bad" -le 5 ]; then
        echo "valgrind: $f:" >&2
        head -n 30 "$f" >&2
    fi
done
echo "valgrind: $nlogs processes, $bad with errors or leaks, $(( $(date +%s) - start )) s"
[ "$bad" = 0 ] || status=1
exit "$status"
