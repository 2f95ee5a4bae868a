#!/bin/sh
# make demo: run unspin on a sample text.
set -eu
UNSPIN=${1:-build/unspin}
SAMPLE=$(dirname "$0")/data/sample.txt
echo "== unspin tokens $SAMPLE (first lines)"
"$UNSPIN" tokens "$SAMPLE" | grep -v '	space	' | head -12
echo "== unspin morph inflect attack assaults"
"$UNSPIN" morph inflect attack assaults
