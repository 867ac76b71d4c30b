"""`make new-document` (python -m editorial new-document, plugins/documents/new.py): a draft with
placeholders that `make check` reports, the PDF copied in, bad numbers and types refused,
nothing overwritten; once filled in, the document builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from documents.model import SIGNER_PLACEHOLDER, TITLE_PLACEHOLDER
from documents.pdf import minimal_pdf
from editorial.check import check, format_problem
from editorial.config import load_settings
from editorial.meta import parse
from tasks import ROOT
from tests.tiny_site import build_in_process


def editorial(content: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "editorial", "--content", str(content), *argv],
        cwd=content.parent, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    return root


def checked(content: Path, path: Path):
    return check([path], {**load_settings(), "PATH": str(content)}, content)


def test_scaffold_is_a_draft_whose_placeholders_check_reports(content):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    result = editorial(content, "new-document", "--number", "57-NQ/TW", "--type", "nghị quyết")
    assert result.returncode == 0, result.stderr
    path = content.parent / result.stdout.strip()
    assert path == content / "van-ban" / f"57-nq-tw-{today.year}.md"
    assert f"content/van-ban/tep/57-nq-tw-{today.year}.pdf" in result.stderr  # where the PDF goes
    doc = parse(path.read_text(encoding="utf-8"), path)
    assert [(f.key, f.value) for f in doc.fields] == [
        ("Title", TITLE_PLACEHOLDER), ("Number", "57-NQ/TW"), ("Type", "Nghị quyết"),
        ("Issuer", load_settings()["COMMITTEE"]["name"]), ("Date", f"{today:%Y-%m-%d}"),
        ("Signer", SIGNER_PLACEHOLDER), ("File", f"van-ban/tep/57-nq-tw-{today.year}.pdf"), ("Status", "draft"),
    ]  # fmt: skip
    report = checked(content, path)
    found = sorted((p.code, p.line) for p in report.problems)
    assert found == [("E-DOC-FILE", 7), ("W-PLACEHOLDER", 1), ("W-PLACEHOLDER", 6)], found
    assert all("make new-document" in p.message for p in report.problems if p.code == "W-PLACEHOLDER")
    assert editorial(content, "check", str(path)).returncode == 1  # the PDF is missing: an error


def test_with_every_field_and_the_pdf_it_checks_and_then_builds(content, tmp_path):
    pdf = tmp_path / "Tải về" / "nq 57.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(minimal_pdf("Nghị quyết 57", ["Toàn văn."]))
    result = editorial(content, "new-document", "--number", "57-NQ/TW", "--type", "Nghị quyết",
                       "--title", "Về đột phá phát triển khoa học, công nghệ", "--issuer", "Bộ Chính trị",
                       "--date", "22/12/2024", "--signer", "Tô Lâm", "--file", str(pdf))  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = content.parent / result.stdout.strip()
    assert path.name == "57-nq-tw-2024.md" and not result.stderr
    copied = content / "van-ban" / "tep" / "57-nq-tw-2024.pdf"
    assert copied.read_bytes() == pdf.read_bytes()
    report = checked(content, path)
    assert [format_problem(p) for p in report.problems] == []  # a draft with nothing left to fill in
    # Published: the draft line removed, it builds into its page.
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    site = tmp_path / "site"  # a small site, built in this process: the new document alone
    shutil.copytree(content / "van-ban", site / "van-ban")
    assert check([], {**load_settings(), "PATH": str(site)}, site).errors == 0
    out = tmp_path / "out"
    built = build_in_process(site, out, ["documents"])
    assert built.returncode == 0, built.log[-3000:]
    page = (out / "van-ban" / "57-nq-tw-2024.html").read_text(encoding="utf-8")
    assert "Nghị quyết số 57-NQ/TW" in page and "Tô Lâm" in page
    assert (out / "van-ban" / "tep" / "57-nq-tw-2024.pdf").read_bytes() == pdf.read_bytes()


@pytest.mark.parametrize(("argv", "said"), [
    (["--number", "57 NQ/TW", "--type", "Nghị quyết"], "không đúng dạng"),
    (["--number", "Số 57-NQ/TW", "--type", "Nghị quyết"], "bỏ chữ “Số”"),
    (["--number", "57-NQ/TW", "--type", "Nghị định"], "Các loại hợp lệ"),
    (["--number", "57-NQ/TW", "--type", "Nghị quyết", "--date", "31/02/2024"], "không đọc được"),
])  # fmt: skip
def test_bad_input_is_refused_and_nothing_written(content, argv, said):
    result = editorial(content, "new-document", *argv)
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert not list(content.rglob("*.md"))


def test_a_file_that_is_not_a_pdf_is_refused(content, tmp_path):
    fake = tmp_path / "van-ban.pdf"
    fake.write_text("<html>không phải PDF</html>", encoding="utf-8")
    result = editorial(content, "new-document", "--number", "05-CT/TU", "--type", "Chỉ thị", "--file", str(fake))
    assert result.returncode == 1 and "không phải PDF" in result.stderr
    assert not list(content.rglob("*.*"))


def test_never_overwrites(content):
    args = ["new-document", "--number", "05-CT/TU", "--type", "Chỉ thị", "--date", "2024-05-20"]
    first = editorial(content, *args)
    path = content.parent / first.stdout.strip()
    path.write_text(path.read_text(encoding="utf-8") + "Ghi chú đã viết.\n", encoding="utf-8")
    kept = path.read_bytes()
    again = editorial(content, *args)
    assert again.returncode == 1 and "không ghi đè" in again.stderr
    assert path.read_bytes() == kept


def test_make_target_and_invoke_task_exist():
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "make new-document" in shown and "make remove-samples" in shown
    result = subprocess.run([sys.executable, "-m", "invoke", "new-document", "--number", "57-NQ/TW",
                             "--type", "Không có"], cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1 and "Các loại hợp lệ" in result.stderr
    assert not list((ROOT / "content" / "van-ban").glob("57-nq-tw-*.md"))
