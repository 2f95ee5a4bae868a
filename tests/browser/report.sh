#!/bin/sh
# The HTML report of `unspin report` in a real browser: headless Chromium
# renders it (screenshot) and dumps the DOM after its script ran.
#   UNSPIN=build/unspin sh tests/browser/report.sh      (make browser-test)
# Installs chromium with apt-get when it is missing and we are root; skips
# with a message (status 0) when no browser can be had.
set -u
UNSPIN=${UNSPIN:-build/unspin}
HERE=$(dirname "$0")
MODEL=$HERE/../../models/en_US.unspin
OUT=${BROWSER_OUT:-build/browser}
if [ ! -f "$MODEL" ]; then
    echo "SKIP: browser report test: models/en_US.unspin not built (make model)"; exit 0
fi
find_browser() {
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
    done
    return 1
}
BROWSER=$(find_browser)
if [ -z "$BROWSER" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser report test: installing chromium" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
        >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
        >/dev/null 2>&1; }
    BROWSER=$(find_browser)
fi
if [ -z "$BROWSER" ]; then
    echo "SKIP: browser report test: no chromium and it could not be installed"; exit 0
fi
mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-browser.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cp "$HERE/../data/sample.txt" "$TMP/sample.txt"
printf '<html><body><nav>menu</nav><p>The committee met on Tuesday &amp; agreed to publish its report next month.</p></body></html>\n' >"$TMP/plain.html"
"$UNSPIN" report --no-progress --model "$MODEL" -o "$OUT/report.html" "$TMP" || exit 1
fail=0
# A throw-away profile; no network is needed (the page fetches nothing).
run_browser() {
    timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --user-data-dir="$TMP/profile" "$@" 2>>"$TMP/browser.err"
}
url="file://$(cd "$(dirname "$OUT/report.html")" && pwd)/report.html"
run_browser --window-size=1200,1400 --screenshot="$OUT/report.png" "$url" >/dev/null
if [ -s "$OUT/report.png" ] && [ "$(head -c 8 "$OUT/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    echo "browser report test: screenshot $OUT/report.png ($(wc -c <"$OUT/report.png") bytes)"
else
    echo "FAIL: browser report test: no screenshot ($(tail -n 3 "$TMP/browser.err"))"; fail=1
fi
run_browser --dump-dom "$url" >"$TMP/dom.html"
check() {
    if grep -Eq -- "$2" "$TMP/dom.html"; then :; else echo "FAIL: browser report test: $1"; fail=1; fi
}
check "highlighted span with its original as title" '<mark class="span" title="Cold War \(confidence [01]\.[0-9]+\)" data-original="Cold War">Chilly Struggle</mark>'
check "table rendered" '<table id="docs">'
check "both documents" 'plain\.html</a>'
check "escaped text" 'Tuesday &amp; agreed'
[ "$fail" = 0 ] && echo "browser report test: passed"
exit "$fail"
