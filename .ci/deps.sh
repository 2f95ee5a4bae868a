#!/bin/sh
# deps.sh check|install PKG...  -- Debian packages the project needs.
# "check" fails with a one-line hint when any is missing; "install" installs
# the missing ones with apt-get (as root, or through sudo) and does nothing
# when all are present.
set -eu
mode=$1; shift
missing=""
for p in "$@"; do
    s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$mode" = check ]; then
    echo "unspin: missing Debian packages:$missing (run: make deps)" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else
    echo "unspin: need root to install:$missing" >&2; exit 1; fi
echo "unspin: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
