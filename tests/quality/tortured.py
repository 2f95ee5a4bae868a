#!/usr/bin/env python3
"""Split a tortured-phrase list into folds and place phrases in sentences.

    tortured.py split TRAIN_TSV OUTDIR [--fold K]
        OUTDIR/fold_train.tsv  the rows not in fold K (header kept), and
        OUTDIR/heldout.tsv     original<TAB>rewrite lines: each held-out
                               expected phrase and its tortured version in
                               the same abstract-like sentence.

        OUTDIR/heldout_rows.tsv the held-out rows themselves.

    tortured.py coverage OUTDIR
        How much of the held-out fold what was learned can reach: the
        share of its expected phrases that are expected phrases of the
        training folds too, and the share of its equal-length phrases whose
        every differing word has a learned swap (key=value lines).

    tortured.py losses UNSPIN MODEL OUTDIR
        Where the held-out phrases are lost with MODEL, phrase by phrase
        (key=value lines; each phrase's outcome in OUTDIR/losses_detail.tsv).

    tortured.py natural UNSPIN MODEL DIR
        False spans of MODEL on the natural documents DIR/*.txt (make
        quality's Brown documents): key=value lines.

    tortured.py summary QUALITY_TORTURED_MD QUALITY_MD
        Puts the figures of QUALITY-tortured.md (its tables' default and
        trained rows, and the five folds' mean) in QUALITY.md, between its
        tortured-phrase markers.

Rows go to fold crc32("tortured<TAB>expected") % 5, so the split is fixed.
A template is chosen per phrase by crc32 of the expected phrase.
"""
import re
import sys
import zlib

TEMPLATES = [
    "In this paper we propose a novel approach based on {} for the classification of medical images.",
    "The experimental results show that {} improves the accuracy of the proposed system.",
    "We review recent advances in {} and discuss open problems for future research.",
    "This study investigates the role of {} in the performance of wireless sensor networks.",
    "Our findings suggest that {} can be applied to a wide range of engineering problems.",
    "A comparative analysis of {} was carried out on three public benchmark datasets.",
    "The main contribution of this work is a framework that combines {} with cloud computing.",
    "Several studies have reported that {} plays an important part in clinical practice.",
    "To address this issue, we introduce {} into the design of the control system.",
    "The proposed model relies on {} to reduce the computational cost of the analysis.",
]


def fold_of(tortured, expected):
    return zlib.crc32((tortured + "\t" + expected).encode("utf-8")) % 5


def read_rows(path, header):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()[1 if header else 0:]
    return [l.split("\t") for l in lines if l.strip()]


def coverage(out):
    train = read_rows(out + "/fold_train.tsv", True)
    held = read_rows(out + "/heldout_rows.tsv", False)
    norm = lambda p: " ".join(p.lower().split())
    expected = {norm(r[1]) for r in train}
    words = set()
    for tortured, exp, _ in train:
        t, e = norm(tortured).split(), norm(exp).split()
        if len(t) == len(e):
            words.update((a, b) for a, b in zip(t, e) if a != b)
    known = sum(norm(r[1]) in expected for r in held)
    equal = [(norm(r[0]).split(), norm(r[1]).split()) for r in held]
    equal = [(t, e) for t, e in equal if len(t) == len(e)]
    covered = sum(all((a, b) in words for a, b in zip(t, e) if a != b) for t, e in equal)
    print("heldout %d" % len(held))
    print("expected_known %.3f" % (known / max(len(held), 1)))
    print("equal_length %d" % len(equal))
    print("words_learned %.3f" % (covered / max(len(equal), 1)))
    return 0


ARC = re.compile(r"\(([^()]*)/(\d+) (\S+) (\S+)\)")


def fold_text(s):
    return " ".join(s.lower().replace("-", " ").split())


def debug_slots(stderr):
    """The slots of UNSPIN_DEBUG=2 output for one sentence: the candidates
    before the prefilter ("raw" lines, first pass) and the arcs of the
    last pass, each a list of (word, arcs), each arc (original words, text
    words, posterior; 1.0 for raw ones)."""
    raw, slots = [], []
    for line in stderr.splitlines():
        m = re.match(r"^raw (\S+):(.*)$", line)
        if m:
            arcs = re.findall(r"\(([^()]*)/(\d+) \S+\)", m.group(2))
            raw.append((m.group(1), [(a, int(n), 1.0) for a, n in arcs]))
            continue
        m = re.match(r"^(\S+?)\*? \[[\d.]+\]:(.*)$", line)
        if m:
            arcs = [(a, int(n), float(p)) for a, n, _, p in ARC.findall(m.group(2))]
            slots.append((m.group(1), arcs))
    return raw, slots[len(slots) - len(raw):]


def reachable(slots, p, end, want):
    """Best product of swap posteriors over the lattice paths through
    slots [p, end) that read `want`; None when none does."""
    best = {(p, ""): 1.0}
    for j in range(p, end):
        for (k, text), post in list(best.items()):
            if k != j:
                continue
            word, arcs = slots[j]
            for orig, n, ap, swapped in [(word, 1, 1.0, False)] + [a + (True,) for a in arcs]:
                if j + n > end:
                    continue
                t = (text + " " + fold_text(orig)).strip()
                if not want.startswith(t):
                    continue
                key = (j + n, t)
                val = post * (ap if swapped else 1.0)
                if best.get(key, -1) < val:
                    best[key] = val
    return best.get((end, want))


def losses(unspin, model, out):
    """Where the held-out phrases are lost, phrase by phrase: restored;
    flagged with another original; not flagged though the lattice holds
    the expected phrase (its best path's swap posteriors multiplied, below
    0.5 or quieted); proposed but dropped by the prefilter; no candidate,
    with or without a word of the tortured phrase on the spun side of the
    learned table.  Needs UNSPIN_DEBUG=2 output (src/detect/detect.c)."""
    import json
    import os
    import subprocess
    held = read_rows(out + "/heldout_rows.tsv", False)
    table = model + ".learned.tsv"
    spun_words = set()
    if os.path.exists(table):
        for l in read_rows(table, False):
            if not l[0].startswith("#") and len(l) >= 2:
                spun_words.update(l[0].split())
    env = dict(os.environ, UNSPIN_DEBUG="2")
    counts = {}
    detail = []
    for tortured, expected, _ in held:
        t = TEMPLATES[zlib.crc32(expected.encode("utf-8")) % len(TEMPLATES)]
        pre, suf = t.split("{}")
        sent = t.format(tortured)
        r = subprocess.run([unspin, "check", "--model", model, "--format", "json", "-"],
                           input=sent, capture_output=True, text=True, env=env)
        doc = json.loads(r.stdout)
        raw, slots = debug_slots(r.stderr)
        p, end = len(pre.split()), len(slots) - len(suf.split())
        a, b = len(pre), len(pre) + len(tortured)
        over = [s for s in doc["spans"] if s["start"] < b and a < s["end"]]
        want = fold_text(expected)
        reach = reachable(slots, p, end, want) if 0 <= p < end <= len(slots) else None
        if over:
            ok = all(a <= s["start"] and s["end"] <= b for s in over)
            if ok:
                text, pos = "", a
                for s in sorted(over, key=lambda s: s["start"]):
                    text += sent[pos:s["start"]] + s["original"]
                    pos = s["end"]
                text += sent[pos:b]
                ok = fold_text(text) == want
            kind = "restored" if ok else \
                "flagged_wrong_reachable" if reach is not None else "flagged_wrong_unreachable"
        elif reach is not None:
            kind = "low_posterior" if reach < 0.5 else "quieted"
        elif len(raw) == len(slots) and reachable(raw, p, end, want) is not None:
            kind = "prefiltered"
        else:
            learned = any(w in spun_words for w in fold_text(tortured).split())
            kind = "no_candidate_learned_word" if learned else "no_candidate_no_learned_word"
        counts[kind] = counts.get(kind, 0) + 1
        detail.append("%s\t%s\t%s\t%s" % (kind, tortured, expected,
                                          "" if reach is None else "%.3f" % reach))
    with open(out + "/losses_detail.tsv", "w", encoding="utf-8") as f:
        f.write("\n".join(detail) + "\n")
    print("phrases %d" % len(held))
    for k in ["restored", "flagged_wrong_reachable", "flagged_wrong_unreachable",
              "quieted", "low_posterior", "prefiltered", "no_candidate_learned_word",
              "no_candidate_no_learned_word"]:
        print("%s %d" % (k, counts.get(k, 0)))
    return 0


def natural(unspin, model, d):
    import glob
    import json
    import subprocess
    files = sorted(glob.glob(d + "/*.txt"))
    if not files:
        print("documents 0")
        return 0
    r = subprocess.run([unspin, "check", "--format", "jsonl", "--model", model] + files,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.stderr.write(r.stderr)
        return 1
    spans = words = docs = 0
    for line in r.stdout.splitlines():
        doc = json.loads(line)
        docs += 1
        spans += len(doc["spans"])
        words += doc["words"]
    print("documents %d\nwords %d\nspans %d\nper_1000 %.2f"
          % (docs, words, spans, 1000.0 * spans / max(words, 1)))
    return 0


BEGIN = "<!-- tortured phrases: copied from QUALITY-tortured.md by make tortured -->"
END = "<!-- end of tortured phrases -->"


def summary_block(tortured_md):
    """The lines QUALITY.md shows of QUALITY-tortured.md (markers included):
    its first table, and the mean row of the five folds' table."""
    try:
        with open(tortured_md, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return [BEGIN, "", "No figures yet: run `make tortured`.", "", END]
    tables, cur = [], []
    for l in lines + [""]:
        if l.startswith("|"):
            cur.append(l)
        elif cur:
            tables.append(cur)
            cur = []
    out = [BEGIN, ""]
    if tables:
        out += tables[0]
    means = [l for t in tables[1:] for l in t if l.startswith("| mean |")]
    if len(tables) > 1 and means:
        out += ["", "Each of the five folds held out in turn, the means:", ""]
        out += tables[1][:2] + means
    verdict = [l for l in lines if l.startswith("The target of the issue")]
    out += [""] + verdict + ["", END]
    return out


def summary(tortured_md, quality_md):
    with open(quality_md, encoding="utf-8") as f:
        text = f.read()
    a, b = text.find(BEGIN), text.find(END)
    if a < 0 or b < a:
        sys.stderr.write("tortured.py: no tortured-phrase markers in %s\n" % quality_md)
        return 1
    block = "\n".join(summary_block(tortured_md))
    with open(quality_md, "w", encoding="utf-8") as f:
        f.write(text[:a] + block + text[b + len(END):])
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "natural":
        return natural(argv[2], argv[3], argv[4])
    if len(argv) == 4 and argv[1] == "summary":
        return summary(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "coverage":
        return coverage(argv[2])
    if len(argv) == 5 and argv[1] == "losses":
        return losses(argv[2], argv[3], argv[4])
    if len(argv) < 4 or argv[1] != "split":
        sys.stderr.write(__doc__)
        return 2
    src, out = argv[2], argv[3]
    k = int(argv[5]) if len(argv) > 5 and argv[4] == "--fold" else 0
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header, rows = lines[0], [l.split("\t") for l in lines[1:] if l.strip()]
    train = [r for r in rows if fold_of(r[0], r[1]) != k]
    held = [r for r in rows if fold_of(r[0], r[1]) == k]
    with open(out + "/fold_train.tsv", "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in train:
            f.write("\t".join(r) + "\n")
    with open(out + "/heldout.tsv", "w", encoding="utf-8") as f:
        for tortured, expected, _ in held:
            t = TEMPLATES[zlib.crc32(expected.encode("utf-8")) % len(TEMPLATES)]
            f.write(t.format(expected) + "\t" + t.format(tortured) + "\n")
    with open(out + "/heldout_rows.tsv", "w", encoding="utf-8") as f:
        for r in held:
            f.write("\t".join(r) + "\n")
    print("tortured: %d rows, %d to train, %d held out (fold %d)"
          % (len(rows), len(train), len(held), k))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
