#!/usr/bin/env python3
"""Score `unspin check --format json` output against hand-labelled gold.

usage: gold_eval.py GOLD.tsv TEXT JSON [--show]

GOLD.tsv lines: line number, spun phrase (verbatim in that line of TEXT),
original phrase, certainty.  Prints key=value lines:
  gold, covered (the changed words of a gold phrase lie inside a flagged
  span), restored (the region reads the same with the spans' originals as
  with the gold originals),
  spans, spans_on_gold (flagged spans that cover a gold phrase), and rates.
"""
import json
import re
import sys


def load_gold(path, text):
    lines = text.split(b"\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    gold, used = [], set()
    for row in open(path, encoding="utf-8"):
        if row.startswith("#") or not row.strip():
            continue
        f = row.rstrip("\n").split("\t")
        lineno, spun, orig = int(f[0]), f[1].encode(), f[2]
        # A phrase labelled twice in one line may stand in a nearby line
        # (hand labels): look there when its own line is used up.
        at = -1
        for cand in (lineno, lineno + 2, lineno - 2, lineno + 1, lineno - 1):
            if not 1 <= cand <= len(lines):
                continue
            line = lines[cand - 1]
            at = line.find(spun)
            while at >= 0 and (cand, at) in used:
                at = line.find(spun, at + 1)
            if at >= 0:
                lineno = cand
                break
        if at < 0:
            raise SystemExit(f"gold phrase {spun!r} not in line {lineno}")
        used.add((lineno, at))
        s = starts[lineno - 1] + at
        gold.append((s, s + len(spun), orig, spun.decode()) + core(text, s, s + len(spun), orig))
    return gold


def core(text, start, end, orig):
    """The changed part of a gold phrase: its words less those it shares
    with the original at either end ("the 2 adversaries" / "the two
    adversaries" -> "2").  Returns (core_start, core_end)."""
    words = [(m.start() + start, m.end() + start)
             for m in re.finditer(rb"\S+", text[start:end])]
    ow = orig.lower().split()
    sw = [text[a:b].decode().lower() for a, b in words]
    i = 0
    while i < len(sw) - 1 and i < len(ow) - 1 and sw[i] == ow[i]:
        i += 1
    j = 0
    while j < len(sw) - 1 - i and j < len(ow) - 1 - i and sw[-1 - j] == ow[-1 - j]:
        j += 1
    return words[i][0], words[len(words) - 1 - j][1]


def apply(text, lo, hi, subs):
    out, pos = b"", lo
    for a, b, o in sorted(subs):
        if a < pos:
            continue
        out += text[pos:a] + o.encode()
        pos = b
    out += text[pos:hi]
    return " ".join(out.decode().lower().split())


def main():
    gold_path, text_path, json_path = sys.argv[1:4]
    show = "--show" in sys.argv
    text = open(text_path, "rb").read()
    doc = json.load(open(json_path, encoding="utf-8"))
    gold = load_gold(gold_path, text)
    spans = doc["spans"]
    covered = restored = 0
    for g in gold:
        # Found when the changed words lie inside one flagged span.
        sp = [s for s in spans if s["start"] <= g[4] and g[5] <= s["end"]]
        if not sp:
            if show:
                print(f"  missed: {g[3]!r} -> {g[2]!r}", file=sys.stderr)
            continue
        covered += 1
        # Restored when the text of the region (gold phrase and the spans
        # over it) reads the same with the gold originals put in as with
        # the spans' originals put in.
        lo = min([g[0]] + [s["start"] for s in spans if s["start"] < g[1] and g[0] < s["end"]])
        hi = max([g[1]] + [s["end"] for s in spans if s["start"] < g[1] and g[0] < s["end"]])
        want = apply(text, lo, hi, [(x[0], x[1], x[2]) for x in gold if lo <= x[0] and x[1] <= hi])
        got = apply(text, lo, hi, [(s["start"], s["end"], s["original"]) for s in spans
                                   if lo <= s["start"] and s["end"] <= hi])
        s = sp[0]
        if want == got:
            restored += 1
        elif show:
            print(f"  wrong: {got!r}, gold {want!r}", file=sys.stderr)
    on_gold = sum(1 for s in spans
                  if any(s["start"] < g[1] and g[0] < s["end"] for g in gold))
    if show:
        for s in spans:
            if not any(s["start"] < g[1] and g[0] < s["end"] for g in gold):
                print(f"  false: {s['text']!r} -> {s['original']!r}", file=sys.stderr)
    n = len(gold)
    print(f"gold={n}")
    print(f"covered={covered}")
    print(f"restored={restored}")
    print(f"spans={len(spans)}")
    print(f"spans_on_gold={on_gold}")
    print(f"covered_rate={covered / n:.3f}")
    print(f"restored_rate={restored / n:.3f}")
    print(f"precision={on_gold / len(spans) if spans else 1.0:.3f}")


if __name__ == "__main__":
    main()
