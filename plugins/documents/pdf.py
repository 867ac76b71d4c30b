"""Small valid PDF files, written by hand: the sample documents' files and the tests' fixtures.

    python -m documents.pdf OUT.pdf "Title" "line" "line" …

One A4 page of text in Helvetica (PDF's standard fonts have no Vietnamese letters, so the
page text is written without tone marks; the Title in the file's properties keeps them,
UTF-16). No date or random identifier: the same arguments give the same bytes.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path


def ascii_text(text: str) -> str:
    """"Nghị quyết" → "Nghi quyet": what Helvetica can show."""
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def _literal(text: str) -> bytes:
    escaped = ascii_text(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})".encode("ascii")


def _utf16(text: str) -> bytes:
    return b"<FEFF" + unicodedata.normalize("NFC", text).encode("utf-16-be").hex().upper().encode() + b">"


def minimal_pdf(title: str, lines: list[str] | tuple[str, ...] = ()) -> bytes:
    """A one-page PDF showing `title` and `lines`, with `title` as the document's Title."""
    ops = [b"BT", b"/F1 16 Tf", b"72 770 Td", _literal(title) + b" Tj", b"/F1 11 Tf"]
    for line in lines:
        ops += [b"0 -22 Td", _literal(line) + b" Tj"]
    ops.append(b"ET")
    stream = b"\n".join(ops) + b"\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
         b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Title " + _utf16(title) + b" /Producer (Thanh uy Quang Ngai portal) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    Path(args[0]).write_bytes(minimal_pdf(args[1], args[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
