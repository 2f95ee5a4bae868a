#!/bin/sh
# End-to-end tests: run the real binary on real files.
# Usage: UNSPIN=build/unspin sh tests/e2e/run.sh
set -u
UNSPIN=${UNSPIN:-build/unspin}
HERE=$(dirname "$0")
. "$HERE/lib.sh"
SHARED=${UNSPIN_SHARED:-$HERE/../../../shared}
for t in "$HERE"/t_*.sh; do
    . "$t"
done
finish
