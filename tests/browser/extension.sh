#!/bin/sh
# The browser extension (src/extension/) in headless Chromium against a real
# `unspin serve` on loopback: tests/browser/extension.test.mjs (playwright-core)
# loads the extension and page.html, and checks the marks and tooltips.
#   UNSPIN=build/unspin sh tests/browser/extension.sh      (make browser-test)
# Installs chromium (apt-get, through .ci/deps.sh) and playwright-core (npm,
# into build/browser/) when missing; skips with a message (status 0) when
# either cannot be had.  Keeps a screenshot: build/browser/extension.png.
set -u
UNSPIN=${UNSPIN:-build/unspin}
HERE=$(dirname "$0")
MODEL=$HERE/../../models/en_US.unspin
OUT=${BROWSER_OUT:-build/browser}
PW_VERSION=1.65.1
skip() { echo "SKIP: browser extension test: $*"; exit 0; }

[ -f "$MODEL" ] || skip "models/en_US.unspin not built (make model)"
if ! command -v chromium >/dev/null 2>&1; then
    echo "browser extension test: installing chromium" >&2
    sh "$HERE/../../.ci/deps.sh" install chromium >/dev/null 2>&1 || skip "no chromium and it could not be installed"
fi
command -v chromium >/dev/null 2>&1 || skip "no chromium"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || skip "no node and npm"
mkdir -p "$OUT"
if [ ! -f "$OUT/node_modules/playwright-core/package.json" ]; then
    echo "browser extension test: installing playwright-core $PW_VERSION (npm)" >&2
    npm install --prefix "$OUT" --no-audit --no-fund --silent "playwright-core@$PW_VERSION" >/dev/null 2>&1 \
        || skip "npm could not install playwright-core"
fi

log=$OUT/extension-serve.log
: >"$log"
"$UNSPIN" serve --model "$MODEL" --listen 127.0.0.1:0 --threads 2 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
trap 'exit 130' INT TERM
port=""
i=0
while [ -z "$port" ] && [ $i -lt 200 ] && kill -0 $pid 2>/dev/null; do
    sleep 0.05
    port=$(sed -n 's/^unspin serve: listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$log")
    i=$((i + 1))
done
if [ -z "$port" ]; then
    echo "FAIL: browser extension test: the server did not start: $(head -c 300 "$log")"; exit 1
fi
PLAYWRIGHT_DIR=$OUT CHROMIUM=$(command -v chromium) timeout 180 \
    node "$HERE/extension.test.mjs" "http://127.0.0.1:$port" "$OUT/extension.png"
