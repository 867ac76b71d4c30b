"""`invoke check`: every rule has a file that breaks it and one that passes, named by file and line."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from editorial.check import check, format_problem, main
from editorial.config import load_settings
from editorial.tonemarks import to_style
from tasks import ROOT
from tests.editorial_cases import CASES, GOOD, code_of, line, variant


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    (root / "articles" / "kinh-te").mkdir(parents=True)
    (root / "pages").mkdir()
    (root / "images").mkdir()
    (root / "images" / "co.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    other = variant(**{line("Title"): "Title: Bài khác", "Date: 2023-11-08 08:30": "Date: 2023-11-01"})
    (root / "articles" / "kinh-te" / "khac.md").write_text(other, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def run(content: Path, settings: dict, text: str | bytes, name: str = "bai.md"):
    path = content / "articles" / "kinh-te" / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path, check([path], {**settings, "PATH": str(content)}, content)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_breaks_and_passes(code, content, settings):
    bad, bad_line, good = CASES[code]
    code = code_of(code)
    path, report = run(content, settings, bad)
    hits = [p for p in report.problems if p.code == code]
    assert hits, [format_problem(p) for p in report.problems]
    assert hits[0].line == bad_line and hits[0].path == path
    shown = format_problem(hits[0])
    assert shown.split(": ", 1)[0].endswith(f"bai.md:{bad_line}") and f"[{code}]" in shown
    _, report = run(content, settings, good)
    assert [format_problem(p) for p in report.problems if p.code == code] == []
    assert [format_problem(p) for p in report.problems] == []


def test_unknown_key_suggests_the_right_one(content, settings):
    _, report = run(content, settings, CASES["E-META-UNKNOWN"][0])
    message = next(p.message for p in report.problems if p.code == "E-META-UNKNOWN")
    assert "Catgory" in message and "Category" in message


def test_unknown_category_lists_the_sections(content, settings):
    _, report = run(content, settings, CASES["E-CATEGORY-UNKNOWN"][0])
    message = next(p.message for p in report.problems if p.code == "E-CATEGORY-UNKNOWN")
    assert all(name in message for name, _ in settings["SECTIONS"])


def test_category_in_the_other_tone_style_is_flagged(content, settings):
    text = variant(**{"Category: Kinh tế": "Category: Văn hoá - Xã hội"})
    _, report = run(content, settings, text)
    assert [(p.code, p.line) for p in report.problems] == [("E-TONE-MARK", 3)]
    assert "Văn hóa - Xã hội" in report.problems[0].message


def test_tone_style_setting_chooses_the_canonical_form(content, settings):
    _, report = run(content, {**settings, "EDITORIAL_TONE_STYLE": "new"}, GOOD)
    assert [p.code for p in report.problems] == ["E-TONE-MARK"]
    assert "Thành uỷ" in report.problems[0].message


@pytest.mark.parametrize("old,new", [("Thành ủy", "Thành uỷ"), ("hòa bình", "hoà bình"),
                                     ("khỏe", "khoẻ"), ("thủy lợi", "thuỷ lợi")])
def test_tone_marks_convert_both_ways(old, new):
    assert to_style(old, "new") == new and to_style(new, "old") == old


@pytest.mark.parametrize("word", ["quý", "hoàng", "thuở", "Quảng Ngãi", "Đảng", "tuyên"])
def test_tone_marks_leave_unambiguous_syllables(word):
    assert to_style(word, "new") == word == to_style(word, "old")


@pytest.mark.parametrize("html", ["<script>alert(1)</script>", '<p onclick="steal()">Bấm</p>',
                                  '<object data="x.swf"></object>', "[bấm](javascript:alert(1))"])
def test_unsafe_html_variants(html, content, settings):
    _, report = run(content, settings, variant(**{"Đoạn văn thứ hai.": html}))
    assert [(p.code, p.line) for p in report.problems] == [("E-HTML-UNSAFE", 10)]


def test_html_in_code_is_not_flagged(content, settings):
    text = variant(**{"Đoạn văn thứ hai.": "Thẻ `<script>` bị cấm.\n\n```\n<iframe src=x>\n```"})
    assert run(content, settings, text)[1].problems == []


def test_image_metadata_needs_alt(content, settings):
    text = variant(**{"Author: KT": "Author: KT\nImage: images/co.png"})
    _, report = run(content, settings, text)
    assert [(p.code, p.line) for p in report.problems] == [("E-IMAGE-ALT", 6)]
    text = variant(**{"Author: KT": "Author: KT\nImage: images/co.png\nImageAlt: Quang cảnh"})
    assert run(content, settings, text)[1].problems == []


def test_equal_url_gets_a_suffix_and_a_notice(content, settings):
    run(content, settings, GOOD, "a.md")
    _, report = run(content, settings, GOOD, "b.md")
    assert [(p.path.name, p.code, p.line) for p in report.problems] == [("b.md", "N-URL-SUFFIX", 1)]
    message = report.problems[0].message
    assert "a.md" in message and "kinh-te/2023/11/08/hoi-nghi-so-ket-cong-tac-quy-iii-2.html" in message
    assert not report.errors
    later = variant(**{"Date: 2023-11-08 08:30": "Date: 2023-11-09 08:30"})
    _, report = run(content, settings, later, "b.md")
    assert report.problems == []  # another day, another URL: nothing to say


def test_fix_removes_invisible_characters(content, settings):
    path, _ = run(content, settings, CASES["N-TEXT-INVISIBLE"][0])
    report = check([path], {**settings, "PATH": str(content)}, content, fix=True)
    assert report.problems == [] and report.fixed == [path]
    assert path.read_text(encoding="utf-8") == GOOD


def test_not_utf8_is_named_with_a_hint(content, settings):
    tcvn3 = GOOD.encode("utf-8").replace("Đoạn văn thứ hai.".encode(), b"\xa7o\xb9n v\xa5n th\xf8 hai.")
    path, report = run(content, settings, tcvn3)
    assert [(p.code, p.line) for p in report.problems] == [("E-ENCODING", 10)]
    assert "TCVN3" in report.problems[0].message and "UTF-8" in report.problems[0].message


def test_fix_rewrites_nfc_and_nothing_else(content, settings):
    nfd = unicodedata.normalize("NFD", GOOD).replace("\n", "\r\n")
    path, _ = run(content, settings, nfd)
    report = check([path], {**settings, "PATH": str(content)}, content, fix=True)
    assert report.problems == [] and report.fixed == [path]
    assert path.read_bytes() == unicodedata.normalize("NFC", nfd).encode("utf-8")


def test_new_draft_placeholders_only_warn(content, settings):
    text = CASES["E-PLACEHOLDER"][0].replace("Author: KT", "Author: KT\nStatus: draft")
    _, report = run(content, settings, text)
    assert [p.code for p in report.problems] == ["W-PLACEHOLDER"]


def test_pages_need_only_a_title(content, settings):
    page = content / "pages" / "gioi-thieu.md"
    page.write_text("Title: Giới thiệu\nSlug: gioi-thieu\n\nNội dung.\n", encoding="utf-8")
    assert check([page], {**settings, "PATH": str(content)}, content).problems == []


def test_cli_prints_lines_and_a_count_and_exits_1(content, settings, capsys):
    path, _ = run(content, settings, CASES["E-CATEGORY-UNKNOWN"][0])
    code = main([str(path)], settings={**settings, "PATH": str(content)})
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].split(": ", 1)[0].endswith("bai.md:3") and "[E-CATEGORY-UNKNOWN]" in out[0]
    assert out[-1] == "Đã kiểm tra 1 tệp: 1 lỗi, 0 cảnh báo."
    path.write_text(GOOD, encoding="utf-8")
    assert main([str(path)], settings={**settings, "PATH": str(content)}) == 0


def test_repository_content_passes_quickly():
    result = subprocess.run([sys.executable, "-m", "invoke", "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].endswith("không có lỗi.")
