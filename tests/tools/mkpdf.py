#!/usr/bin/env python3
"""mkpdf.py [--password PW] OUT PAGE...: writes a small valid PDF for tests.

Each PAGE is the page's text: lines separated by newlines, set in 12 pt
Helvetica (WinAnsi, so Latin-1 letters work) 14.4 pt apart; an empty line
leaves a line's worth of space (a paragraph gap).  With --password the
document is encrypted with the standard security handler (RC4, 40-bit, as
PDF 1.4 describes) and that user password, so it cannot be read without it.
"""
import hashlib
import sys

PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
FILE_ID = bytes(range(16))


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 255])
    return bytes(out)


def padded(pw):
    return (pw.encode("latin-1") + PAD)[:32]


def security(user, owner, perms):
    """The /O and /U entries and the file key (algorithms 2, 3 and 4, R2)."""
    o = rc4(hashlib.md5(padded(owner)).digest()[:5], padded(user))
    p = perms.to_bytes(4, "little", signed=True)
    key = hashlib.md5(padded(user) + o + p + FILE_ID).digest()[:5]
    return o, rc4(key, PAD), key


def escape(line):
    raw = line.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def content(page):
    ops = [b"BT /F1 12 Tf 14.4 TL 72 720 Td"]
    for line in page.split("\n"):
        if line:
            ops.append(b"(" + escape(line) + b") Tj")
        ops.append(b"T*")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def main(argv):
    password = None
    if len(argv) > 2 and argv[1] == "--password":
        password = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 3:
        sys.exit(__doc__.strip())
    out, pages = argv[1], argv[2:]
    perms = -44
    if password is not None:
        o, u, key = security(password, password + "-owner", perms)
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    for i, page in enumerate(pages):
        pnum, cnum = 4 + 2 * i, 5 + 2 * i
        kids.append(b"%d 0 R" % pnum)
        objs[pnum] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                      b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % cnum)
        data = content(page)
        if password is not None:
            okey = hashlib.md5(key + cnum.to_bytes(3, "little") + b"\0\0").digest()[:10]
            data = rc4(okey, data)
        objs[cnum] = b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    trailer = b"/ID [<%s> <%s>]" % (FILE_ID.hex().encode(), FILE_ID.hex().encode())
    if password is not None:
        enc = max(objs) + 1
        objs[enc] = (b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                     % (o.hex().encode(), u.hex().encode(), perms))
        trailer += b" /Encrypt %d 0 R" % enc
    body, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), {}
    for num in sorted(objs):
        offsets[num] = len(body)
        body += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(body)
    size = max(objs) + 1
    body += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        body += b"%010d 00000 n \n" % offsets[num]
    body += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    with open(out, "wb") as f:
        f.write(body)


if __name__ == "__main__":
    main(sys.argv)
