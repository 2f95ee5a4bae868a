#!/bin/sh
# Builds the libFuzzer targets and runs each for FUZZ_SECONDS (what `make fuzz` runs).
#
#   FUZZ_SECONDS=60 sh tests/fuzz/run.sh BUILD_DIR [TARGET...]
#
# BUILD_DIR/unspin (a normal build) makes the model seed.  The targets are
# built with clang, libFuzzer, ASan and UBSan in build/fuzz/ (the library
# too).  Each run starts from build/fuzz/corpus/TARGET/ (kept between runs)
# and the seeds in tests/fuzz/seeds/TARGET/; for fuzz_model the seed is a
# tiny model built from tests/data/ into build/fuzz/seeds/model/.
# A crash, leak or timeout is written to build/fuzz/artifacts/TARGET/,
# copied to tests/fuzz/regress/TARGET/ (which `make unit` replays through
# build/fuzz-replay/fuzz_TARGET) and fails the run (exit 1).  Without clang
# or its libFuzzer runtime it prints "fuzz: skipped: ..." and exits 0.
set -u
if [ $# -lt 1 ]; then
    echo "usage: sh tests/fuzz/run.sh BUILD_DIR [TARGET...]" >&2
    exit 2
fi
build=$1; shift
secs=${FUZZ_SECONDS:-60}
san=${FUZZ_SAN:--fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all}
fb=build/fuzz
make=${MAKE:-make}

CLANG=${FUZZ_CC:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "fuzz: skipped: $CLANG is not installed (apt-get install clang libclang-rt-14-dev)"
    exit 0
fi
mkdir -p "$fb"
probe=$fb/probe
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" >"$probe.log" 2>&1; then
    echo "fuzz: skipped: $CLANG cannot link libFuzzer with ASan/UBSan (apt-get install libclang-rt-14-dev; see $probe.log)"
    exit 0
fi

if [ $# -eq 0 ]; then
    set -- $(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
fi
bins=""
for t in "$@"; do bins="$bins $fb/fuzz-bin/fuzz_$t"; done
# shellcheck disable=SC2086
$make --no-print-directory BUILD="$fb" CC="$CLANG" OPT="-O1 -g -fno-omit-frame-pointer" \
    SAN="$san" $bins >"$fb/build.log" 2>&1 || {
    echo "fuzz: building the targets failed:" >&2
    tail -n 20 "$fb/build.log" >&2
    exit 1
}
if grep -q 'warning:' "$fb/build.log"; then
    echo "fuzz: clang warnings (see $fb/build.log):" >&2
    grep 'warning:' "$fb/build.log" | sort -u | head -n 10 >&2
fi

# The model seed: a tiny model, built by this source tree's unspin.
mkdir -p "$fb/seeds/model"
d=tests/data
if ! "$build/unspin" model build --quiet -o "$fb/seeds/model/tiny.unspin" --no-mythes \
    --no-wordnet --synonyms "$d/tiny-synonyms.txt" --learned "$d/tiny-learned.tsv" \
    --lm "$d/tiny.arpa"; then
    echo "fuzz: cannot build the tiny model seed with $build/unspin" >&2
    exit 1
fi

failed=0
total_start=$(date +%s)
for t in "$@"; do
    bin=$fb/fuzz-bin/fuzz_$t
    corpus=$fb/corpus/$t
    art=$fb/artifacts/$t
    log=$fb/fuzz_$t.log
    rm -rf "$art"
    mkdir -p "$corpus" "$art"
    seeds=""
    [ -d "tests/fuzz/seeds/$t" ] && seeds="tests/fuzz/seeds/$t"
    [ -d "$fb/seeds/$t" ] && seeds="$seeds $fb/seeds/$t"
    [ -d "tests/fuzz/regress/$t" ] && seeds="$seeds tests/fuzz/regress/$t"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art/" "$corpus" $seeds >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    units=$(ls "$corpus" | wc -l)
    if [ "$rc" -ne 0 ] || [ -n "$(ls "$art")" ]; then
        failed=1
        mkdir -p "tests/fuzz/regress/$t"
        for f in "$art"/*; do
            [ -f "$f" ] && cp "$f" "tests/fuzz/regress/$t/"
        done
        echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} runs; inputs copied to tests/fuzz/regress/$t/; log: $log"
        grep -E 'ERROR|SUMMARY|invariant failed|runtime error' "$log" | head -n 5
    else
        echo "fuzz_$t: ok, ${execs:-?} runs in ${secs} s (${rate:-?}/s), coverage ${cov:-?}, corpus $units"
    fi
done
echo "fuzz: done in $(( $(date +%s) - total_start )) s"
exit "$failed"
