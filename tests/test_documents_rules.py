"""Documents: every rule of plugins/documents/rules.py, check ⇔ build.

For each case of DOCUMENT_CASES (tests/editorial_cases.py): `make check` reports the broken
text with its code on its line and passes the good one without a word; a Pelican build of the
repository's content plus the broken document stops, naming the file, the line and the code,
and the same build with the good document succeeds and publishes it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from documents.pdf import minimal_pdf
from editorial.check import check, format_problem
from editorial.config import load_settings
from tasks import DEV_SETTINGS, ROOT
from tests.editorial_cases import DOCUMENT_CASES, DOCUMENT_GOOD, DOCUMENT_OTHER, GOOD, code_of, line, variant
from tests.site import run_build


def documents_content(root: Path, base: Path | None = None) -> Path:
    """A content folder for the cases: `base` (or an empty one) plus what DOCUMENT_GOOD needs."""
    if base is not None:
        shutil.copytree(base, root)
    for folder in ("articles/kinh-te", "pages", "images", "van-ban/tep"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "images" / "co.png").write_bytes((ROOT / "content" / "images" / "ngay-hoi-mau.jpg").read_bytes()
                                             if base is not None else b"\x89PNG\r\n\x1a\n")  # fmt: skip
    (root / "van-ban" / "tep" / "co.pdf").write_bytes(minimal_pdf("Văn bản thử", ["Tệp của bài kiểm thử."]))
    other = variant(**{line("Title"): "Title: Bài khác", "Date: 2023-11-08 08:30": "Date: 2023-11-01"})
    (root / "articles" / "kinh-te" / "khac.md").write_text(other, encoding="utf-8")
    (root / "van-ban" / "00-co-san.md").write_text(DOCUMENT_OTHER, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def run_check(content: Path, settings: dict, text: str, name: str = "bai.md"):
    path = content / "van-ban" / name
    path.write_text(text, encoding="utf-8")
    return path, check([path], {**settings, "PATH": str(content)}, content)


@pytest.mark.parametrize("key", sorted(DOCUMENT_CASES))
def test_check_reports_each_rule_and_passes_the_fix(key, tmp_path, settings):
    content = documents_content(tmp_path / "content")
    bad, bad_line, good = DOCUMENT_CASES[key]
    code = code_of(key)
    path, report = run_check(content, settings, bad)
    hits = [p for p in report.problems if p.code == code]
    assert hits, [format_problem(p) for p in report.problems]
    assert (hits[0].path, hits[0].line) == (path, bad_line), format_problem(hits[0])
    assert format_problem(hits[0]).split(": ", 1)[0].endswith(f"van-ban/bai.md:{bad_line}")
    _, report = run_check(content, settings, good)
    assert [format_problem(p) for p in report.problems] == []


def test_the_good_document_and_its_neighbour_pass(tmp_path, settings):
    content = documents_content(tmp_path / "content")
    (content / "van-ban" / "bai.md").write_text(DOCUMENT_GOOD, encoding="utf-8")
    report = check([], {**settings, "PATH": str(content)}, content)
    assert [format_problem(p) for p in report.problems] == []
    assert report.files >= 3


def test_messages_say_what_to_write(tmp_path, settings):
    content = documents_content(tmp_path / "content")
    said = {}
    for text in (document_text("Number: 07-CT/TU", "Number: Số 07-CT/TU"),
                 document_text("Number: 07-CT/TU", "Number: 07–CT/TU"),
                 document_text("Type: Chỉ thị", "Type: Chi thi"),
                 document_text("Type: Chỉ thị", "Type: Nghị định")):  # fmt: skip
        _, report = run_check(content, settings, text)
        said[text] = " ".join(p.message for p in report.problems)
    messages = list(said.values())
    assert "bỏ chữ “Số”: viết “07-CT/TU”" in messages[0]
    assert "gạch nối thường" in messages[1] and "“07-CT/TU”" in messages[1]
    assert "Có phải “Chỉ thị”?" in messages[2]
    assert all(name in messages[3] for name, _ in settings["DOCUMENT_TYPES"])


def document_text(old: str, new: str) -> str:
    return DOCUMENT_GOOD.replace(old, new)


def test_unknown_keys_and_article_rules_do_not_apply(tmp_path, settings):
    """A document's keys are its own: Number is no typo, Category is one; Date has E-DOC-DATE."""
    content = documents_content(tmp_path / "content")
    _, report = run_check(content, settings,
                          document_text("Signer: Nguyễn Văn A", "Signer: Nguyễn Văn A\nCatgory: Kinh tế"))
    assert [(p.code, p.line) for p in report.problems] == [("E-META-UNKNOWN", 7)]
    _, report = run_check(content, settings, document_text("Issuer: Ban Thường vụ Thành ủy Quảng Ngãi\n", ""))
    assert [(p.code, p.line) for p in report.problems] == [("E-META-MISSING", 8)]
    _, report = run_check(content, settings, document_text("Date: 2024-05-20", "Date: hôm qua"))
    assert [p.code for p in report.problems] == ["E-DOC-DATE"]


@pytest.fixture(scope="module")
def build_content(tmp_path_factory) -> Path:
    """The repository's content with what the cases need, copied once."""
    return documents_content(tmp_path_factory.mktemp("doc-rules") / "content", ROOT / "content")


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(DOCUMENT_CASES))
def test_the_build_refuses_what_check_refuses_and_builds_the_fix(key, build_content, tmp_path, settings):
    bad, bad_line, good = DOCUMENT_CASES[key]
    code = code_of(key)
    content = tmp_path / "content"
    shutil.copytree(build_content, content)
    path, report = run_check(content, settings, bad, name="hong.md")
    assert any(p.code == code for p in report.problems)
    result = run_build(DEV_SETTINGS, tmp_path / "bad", content)
    assert result.returncode != 0, result.log
    assert f"van-ban/hong.md:{bad_line}: lỗi [{code}]" in result.log, result.log[-3000:]
    path.write_text(good, encoding="utf-8")
    assert check([path], {**settings, "PATH": str(content)}, content).errors == 0
    result = run_build(DEV_SETTINGS, tmp_path / "good", content)
    assert result.returncode == 0, result.log[-3000:]
    pages = {p.name for p in (tmp_path / "good" / "van-ban").glob("*.html")}
    assert {"01-nq-tu-2024.html", "index.html"} <= pages
    assert len(pages) >= 2 + 5 + 1, pages  # the list, the samples, the neighbour and this one


def test_articles_cases_still_read_as_articles(tmp_path, settings):
    """The editorial cases are unchanged by documents: GOOD is an article without a word."""
    content = documents_content(tmp_path / "content")
    path = content / "articles" / "kinh-te" / "bai.md"
    path.write_text(GOOD, encoding="utf-8")
    assert check([path], {**settings, "PATH": str(content)}, content).problems == []
