"""documents/pdf.py writes PDF files a reader opens: the cross-reference table points at every
object, the stream has its stated length, the title keeps its Vietnamese letters. The sample
documents' files are such files (made by it). No PDF library is needed to check this."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from documents.pdf import ascii_text, minimal_pdf
from tasks import ROOT


def structure_problems(data: bytes) -> list[str]:
    """What makes `data` an unreadable PDF (a strict reader's first checks)."""
    problems = []
    if not data.startswith(b"%PDF-1."):
        problems.append("no %PDF-1.x header")
    if not data.rstrip().endswith(b"%%EOF"):
        problems.append("no %%EOF at the end")
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if not start:
        return problems + ["no startxref"]
    xref = int(start.group(1))
    if data[xref : xref + 4] != b"xref":
        return problems + [f"startxref {xref} does not point at the xref table"]
    head = re.match(rb"xref\s+0 (\d+)\s+", data[xref:])
    count = int(head.group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf]) ?\r?\n", data[xref + head.end() :])[:count]
    if len(entries) != count:
        problems.append(f"{len(entries)} xref entries, {count} announced")
    for number, (offset, _gen, kind) in enumerate(entries):
        if kind == b"n" and not data[int(offset) :].startswith(f"{number} 0 obj".encode()):
            problems.append(f"object {number} is not at offset {int(offset)}")
    trailer = data[data.rindex(b"trailer") :]
    if f"/Size {count}".encode() not in trailer or b"/Root 1 0 R" not in trailer:
        problems.append("trailer without /Size or /Root")
    for length, body in re.findall(rb"/Length (\d+) >>\nstream\n(.*?)endstream", data, re.S):
        if int(length) != len(body):
            problems.append(f"stream of {len(body)} bytes says /Length {int(length)}")
    return problems


def test_a_written_pdf_is_well_formed():
    data = minimal_pdf("Nghị quyết số 57-NQ/TW (văn bản mẫu)", ["Dòng (một)", "Dòng \\ hai"])
    assert structure_problems(data) == []
    assert b"(Nghi quyet so 57-NQ/TW \\(van ban mau\\)) Tj" in data  # shown without tone marks
    title = re.search(rb"/Title <FEFF([0-9A-F]+)>", data).group(1)
    assert bytes.fromhex(title.decode()).decode("utf-16-be") == "Nghị quyết số 57-NQ/TW (văn bản mẫu)"
    assert minimal_pdf("A", ["b"]) == minimal_pdf("A", ["b"])  # no date, no random id


def test_the_check_finds_a_broken_pdf():
    data = minimal_pdf("Văn bản", ["x"])
    assert structure_problems(data.replace(b"/Length ", b"/Length 1")) != []
    assert structure_problems(data.replace(b"1 0 obj", b"1 0 obk")) != []


def test_ascii_text():
    assert ascii_text("Đảng bộ thành phố Quảng Ngãi") == "Dang bo thanh pho Quang Ngai"


@pytest.mark.parametrize("pdf", sorted((ROOT / "content").rglob("*.pdf")), ids=lambda p: p.name)
def test_every_pdf_in_the_content_is_well_formed(pdf: Path):
    assert structure_problems(pdf.read_bytes()) == []
