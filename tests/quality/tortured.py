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

Rows go to fold crc32("tortured<TAB>expected") % 5, so the split is fixed.
A template is chosen per phrase by crc32 of the expected phrase.
"""
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


def main(argv):
    if len(argv) == 3 and argv[1] == "coverage":
        return coverage(argv[2])
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
