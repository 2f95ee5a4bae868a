#!/bin/sh
# make demo: check a sample of spun text and show the spans with their
# originals, then a natural sentence.
set -eu
UNSPIN=${1:-build/unspin}
SAMPLE=$(dirname "$0")/data/sample.txt
echo "== unspin check $SAMPLE"
"$UNSPIN" check "$SAMPLE" || true
echo
echo "== the same as JSON (first span)"
"$UNSPIN" check --format json "$SAMPLE" | cut -c1-400 || true
echo
echo "== a natural sentence"
printf 'The two leaders held a news conference after the summit in Geneva.\n' |
    "$UNSPIN" check --no-color || true
