#!/bin/sh
# The browser extension (src/extension/) for Firefox: Mozilla's addons-linter
# (the checks addons.mozilla.org runs; offline) must find no error, warning
# or notice except BACKGROUND_SERVICE_WORKER_IGNORED ("service_worker" is for
# Chromium; Firefox runs "background.scripts"), and the manifest must carry
# what Firefox needs next to what Chromium needs.
#   sh tests/browser/addons-lint.sh      (make browser-test)
# Installs addons-linter with npm into build/browser/ when missing; skips
# with a message (status 0) when node, npm or the package cannot be had.
set -u
HERE=$(dirname "$0")
EXT=$HERE/../../src/extension
OUT=${BROWSER_OUT:-build/browser}
LINTER_VERSION=10.14.0
skip() { echo "SKIP: addons-linter: $*"; exit 0; }

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || skip "no node and npm"
mkdir -p "$OUT"
bin=$OUT/node_modules/.bin/addons-linter
if [ ! -x "$bin" ]; then
    echo "addons-linter: installing addons-linter $LINTER_VERSION (npm)" >&2
    npm install --prefix "$OUT" --no-audit --no-fund --silent "addons-linter@$LINTER_VERSION" \
        >/dev/null 2>&1 || skip "npm could not install addons-linter"
fi
[ -x "$bin" ] || skip "npm installed no addons-linter"

report=$OUT/addons-lint.json
"$bin" --boring -o json "$EXT" >"$report" 2>"$OUT/addons-lint.err"
# Exit status 1 only means errors were found; the JSON says which.
node - "$report" "$EXT/manifest.json" <<'EOF'
const fs = require("fs");
const [report, manifestPath] = process.argv.slice(2);
let r;
try {
  r = JSON.parse(fs.readFileSync(report, "utf8"));
} catch (e) {
  console.log("FAIL: addons-linter: no JSON report (" + e.message + ")");
  process.exit(1);
}
const accepted = new Set(["BACKGROUND_SERVICE_WORKER_IGNORED"]);
const found = [...r.errors, ...r.warnings, ...r.notices].filter((m) => !accepted.has(m.code));
const m = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
const bg = m.background || {};
const gecko = (m.browser_specific_settings || {}).gecko || {};
const checks = [
  ["manifest_version 3", m.manifest_version === 3],
  ["background.service_worker (Chromium)", typeof bg.service_worker === "string"],
  ["background.scripts holds the same script (Firefox)",
   Array.isArray(bg.scripts) && bg.scripts.includes(bg.service_worker)],
  ["browser_specific_settings.gecko.id", typeof gecko.id === "string" && gecko.id.length > 0],
  ["gecko.data_collection_permissions", !!gecko.data_collection_permissions],
  ["host_permissions for the local service",
   (m.host_permissions || []).includes("http://127.0.0.1/*")],
];
let failed = 0;
for (const x of found) {
  console.log("FAIL: addons-linter: " + x.code + ": " + x.message + (x.file ? " (" + x.file + ")" : ""));
  failed++;
}
for (const [what, ok] of checks)
  if (!ok) {
    console.log("FAIL: addons-linter: manifest lacks " + what);
    failed++;
  }
if (failed) process.exit(1);
console.log("ok: addons-linter " + (r.summary ? JSON.stringify(r.summary) : "") +
            ", only accepted: " + [...accepted].join(", ") + "; manifest has " + checks.length +
            " Firefox/Chromium keys");
EOF
