# Pathological inputs (issue 8): unspin check (and scan) in linear time and
# bounded memory.
#   - one line of UNSPIN_PATHO_MB MiB (default 20; make bench measures 100 MiB
#     in bench_detect), no sentence end: one "sentence" cut into 1 MiB chunks
#     and 256-word windows;
#   - 1 million tiny sentences ("Go.", a word with many synonyms);
#   - one word repeated a million times on one line, and a quarter of that:
#     the CPU time must grow about linearly (a quadratic slip shows as 16x).
#   - deeply nested HTML (a million <div>s) through unspin scan.
# Each run is bounded by a wall-clock limit (killed past it) and checked for
# CPU time and peak resident memory (< 1 GiB) with tests/tools/rusage.py.
# Sanitizer builds run a quarter of each size with five times the CPU limits;
# under valgrind (make valgrind) the file is skipped.
PMODEL=$(dirname "$0")/../../models/en_US.unspin
RUSAGE=$(dirname "$0")/../tools/rusage.py
if [ "${UNSPIN_UNDER_VALGRIND:-}" = 1 ]; then
    skip "t_patho: pathological inputs are too slow under valgrind"
elif [ ! -f "$PMODEL" ]; then
    skip "t_patho: models/en_US.unspin not built (make model)"
else
    P=$TMP/patho
    mkdir -p "$P"
    pmb=${UNSPIN_PATHO_MB:-20}
    pn=1000000
    pslow=1
    # A sanitizer build (ASan/UBSan: make asan) is several times slower.
    if grep -q __asan_init "$UNSPIN" 2>/dev/null; then
        pmb=$(( (pmb + 3) / 4 )); pn=$((pn / 4)); pslow=5
    fi
    # patho NAME FILE CPU_LIMIT_S: unspin check must finish with status 0
    # (natural), counting WORDS words, in at most CPU_LIMIT_S * pslow seconds of
    # CPU, with a peak RSS under 1 GiB.  Sets $pcpu.
    patho() {
        plimit=$(( $3 * pslow ))
        run "patho $1" 0 python3 "$RUSAGE" "$P/$1.ru" $((plimit * 3 + 30)) \
            "$UNSPIN" check --model "$PMODEL" --format jsonl "$2"
        has "patho $1 result" "$TMP/out" '"verdict": ?"natural".*"words": ?'"$4"','
        pcpu=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' "$P/$1.ru")
        prss=$(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$P/$1.ru")
        pwall=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$P/$1.ru")
        echo "patho: $1: $(wc -c <"$2") bytes, ${pcpu:-?} s CPU, ${pwall:-?} s wall, ${prss:-?} KiB peak RSS" >&2
        if awk -v c="${pcpu:-999999}" -v l="$plimit" 'BEGIN { exit !(c <= l) }'; then ok; else
            bad "patho $1: ${pcpu:-?} s of CPU, limit $plimit s"; fi
        if [ "${prss:-9999999}" -lt 1048576 ]; then ok; else
            bad "patho $1: peak RSS ${prss:-?} KiB, limit 1 GiB"; fi
    }
    yes 'the cold war ended last year and the leaders met' | head -c $((pmb * 1048576)) |
        tr '\n' ' ' >"$P/line.txt"
    patho "line-${pmb}MiB" "$P/line.txt" $((pmb * 3)) '[0-9]+'
    rm -f "$P/line.txt"
    yes 'Go.' | head -n "$pn" >"$P/sent.txt"
    patho "sentences-$pn" "$P/sent.txt" 60 "$pn"
    rm -f "$P/sent.txt"
    yes war | head -n $((pn / 4)) | tr '\n' ' ' >"$P/word4.txt"
    patho "word-x$((pn / 4))" "$P/word4.txt" 10 $((pn / 4))
    pcpu4=$pcpu
    yes war | head -n "$pn" | tr '\n' ' ' >"$P/word.txt"
    patho "word-x$pn" "$P/word.txt" 30 "$pn"
    rm -f "$P/word4.txt" "$P/word.txt"
    # Deeply nested HTML through unspin scan: a million <div>s (11 MB).  The
    # text inside is judged (libxml2's depth limit of 256 is lifted and the
    # tree walked without recursion), in bounded time and memory.
    python3 -c "import sys; n = int(sys.argv[1]); sys.stdout.write('<html><body><p>Before.</p>' + '<div>' * n + 'The chilly struggle ended final yr.' + '</div>' * n + '</body></html>')" \
        "$pn" >"$P/deep.html"
    run "patho deep-html" 0 python3 "$RUSAGE" "$P/deep.html.ru" $((30 * pslow + 30)) \
        "$UNSPIN" scan --model "$PMODEL" --jobs 1 --no-progress --format jsonl "$P/deep.html"
    has "patho deep-html record" "$TMP/out" '"id": ?"[^"]*deep\.html"'
    has "patho deep-html inner text judged" "$TMP/out" '"verdict":"spun".*"text":"chilly struggle","original":"cold war"'
    pcpu_h=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' "$P/deep.html.ru")
    prss_h=$(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$P/deep.html.ru")
    echo "patho: deep-html: $(wc -c <"$P/deep.html") bytes, ${pcpu_h:-?} s CPU, ${prss_h:-?} KiB peak RSS" >&2
    if awk -v c="${pcpu_h:-999999}" -v l="$((10 * pslow))" 'BEGIN { exit !(c <= l) }' &&
        [ "${prss_h:-9999999}" -lt 1048576 ]; then ok; else
        bad "patho deep-html: ${pcpu_h:-?} s of CPU (limit $((10 * pslow))), ${prss_h:-?} KiB"; fi
    rm -f "$P/deep.html"
    # Four times the input: allow 8x the CPU time (and 1 s of slack).
    if awk -v a="${pcpu4:-0}" -v b="${pcpu:-999}" 'BEGIN { exit !(b <= 8 * a + 1) }'; then ok; else
        bad "patho word: ${pcpu4:-?} s for $((pn / 4)) words but ${pcpu:-?} s for $pn: not linear"; fi
fi
