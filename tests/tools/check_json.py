#!/usr/bin/env python3
"""Check the shape of `unspin check --format json|jsonl` output against the
input files: every field present with its type, byte offsets slicing out
the span's text, UTF-16 offsets matching the same slice in UTF-16.

usage: check_json.py OUTPUT FILE...   (one JSON object per line, in order)
Prints "ok N" or the first problem, and exits non-zero on a problem."""
import json
import sys


def fail(msg):
    print(msg)
    sys.exit(1)


def main():
    out, files = sys.argv[1], sys.argv[2:]
    lines = [l for l in open(out, encoding="utf-8") if l.strip()]
    if len(lines) != len(files):
        fail(f"{len(lines)} objects for {len(files)} files")
    nspans = 0
    for line, path in zip(lines, files):
        d = json.loads(line)
        for key, typ in (("file", str), ("verdict", str), ("score", (int, float)),
                         ("spin_rate", (int, float)), ("words", int), ("spans", list)):
            if not isinstance(d.get(key), typ):
                fail(f"{path}: field {key} missing or of the wrong type")
        if d["verdict"] not in ("spun", "natural") or not 0 <= d["score"] <= 1:
            fail(f"{path}: bad verdict or score")
        raw = open(path, "rb").read()
        u16 = raw.decode("utf-8").encode("utf-16-le")
        prev_end = -1
        for s in d["spans"]:
            nspans += 1
            for key in ("start", "end", "start16", "end16"):
                if not isinstance(s.get(key), int):
                    fail(f"{path}: span field {key} missing")
            if raw[s["start"]:s["end"]].decode("utf-8") != s["text"]:
                fail(f"{path}: bytes {s['start']}-{s['end']} are not {s['text']!r}")
            if u16[2 * s["start16"]:2 * s["end16"]].decode("utf-16-le") != s["text"]:
                fail(f"{path}: UTF-16 {s['start16']}-{s['end16']} are not {s['text']!r}")
            if s["start"] < prev_end:
                fail(f"{path}: spans overlap or are out of order")
            prev_end = s["end"]
            if not isinstance(s.get("original"), str) or not s["original"]:
                fail(f"{path}: span without an original")
            if not 0 <= s.get("confidence", -1) <= 1:
                fail(f"{path}: confidence out of range")
            if not s["confidence"] - 1e-3 <= s.get("swap", -1) <= 1:
                fail(f"{path}: swap posterior missing, out of range or below the confidence")
            alts = s.get("alternatives")
            if not isinstance(alts, list) or len(alts) > 3:
                fail(f"{path}: bad alternatives")
        for e in d.get("evasion", []):
            if raw[e["start"]:e["end"]].decode("utf-8") != e["text"]:
                fail(f"{path}: evasion bytes {e['start']}-{e['end']} are not {e['text']!r}")
            if u16[2 * e["start16"]:2 * e["end16"]].decode("utf-16-le") != e["text"]:
                fail(f"{path}: evasion UTF-16 {e['start16']}-{e['end16']} are not {e['text']!r}")
            if e.get("kind") not in ("mixed-script", "invisible") or not e.get("skeleton"):
                fail(f"{path}: bad evasion kind or skeleton")
        if not isinstance(d.get("evasion"), list):
            fail(f"{path}: field evasion missing")
    print(f"ok {nspans}")


if __name__ == "__main__":
    main()
