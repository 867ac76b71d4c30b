"""`invoke import-legacy`: the seed text and old-CMS HTML pages become articles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editorial.check import check
from editorial.config import load_settings
from editorial.legacy import import_legacy, unsigned
from editorial.meta import parse
from tasks import ROOT

SEED_ARTICLE = ROOT / "content" / "articles" / "chinh-tri-xa-hoi" / "2023-11-08-bi-thu-thanh-uy-doi-thoai-can-bo.md"
FIXTURES = Path(__file__).parent / "fixtures" / "legacy"
SEED = FIXTURES / "000_4761ca7e1ca08aac.txt"  # the committee's page, as sent
PAGES = ["bang-long-nhau.html", "bo-cuc-div.html", "trang-asp-cu.htm"]
CHROME = ["Lượt truy cập", "Đang online", "Tổng truy cập", "Trang chủ", "Liên hệ", "Tin khác",
          "Tin liên quan", "Giới thiệu", "script", "Bản quyền", "In bài", "banner"]  # fmt: skip
EDITORIAL_ONLY = ("Tags:", "Featured:")  # decisions of the editors, not on the old page


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def test_seed_text_imports_to_the_seed_article(tmp_path, settings):
    """A first import has everything the old page says: the seed article minus Tags/Featured."""
    [outcome] = import_legacy([SEED], tmp_path / "articles", settings)
    assert outcome.status == "new" and outcome.problems == []
    assert outcome.path.parent.name == "chinh-tri-xa-hoi"
    expected = "".join(ln for ln in SEED_ARTICLE.read_text(encoding="utf-8").splitlines(True)
                       if not ln.startswith(EDITORIAL_ONLY))  # fmt: skip
    text, fingerprint = unsigned(outcome.path.read_text(encoding="utf-8"))
    assert text == expected and fingerprint


def test_reimporting_the_seed_gives_the_same_file(tmp_path, settings):
    """Into a copy of content/: found by date and title, kept byte for byte, no duplicate."""
    out = tmp_path / "articles"
    shutil.copytree(ROOT / "content" / "articles", out)
    before = {p: p.read_bytes() for p in out.rglob("*.md")}
    for _ in range(2):
        [outcome] = import_legacy([SEED], out, settings)
        assert outcome.status == "unchanged"
        assert outcome.path == out / SEED_ARTICLE.relative_to(ROOT / "content" / "articles")
    assert {p: p.read_bytes() for p in out.rglob("*.md")} == before


@pytest.fixture(scope="module")
def imported(tmp_path_factory, settings):
    root = tmp_path_factory.mktemp("legacy") / "content"
    outcomes = import_legacy([FIXTURES / name for name in PAGES], root / "articles", settings)
    return root, {o.source.name: o for o in outcomes}


@pytest.mark.parametrize("name", PAGES)
def test_html_page_imports_cleanly(imported, settings, name):
    root, outcomes = imported
    outcome = outcomes[name]
    assert outcome.status == "new", outcome.reason
    text = outcome.path.read_text(encoding="utf-8")
    doc = parse(text, outcome.path)
    for key in ("title", "date", "category", "author", "summary"):
        assert doc.value(key), key
    body = doc.body
    for word in CHROME:
        assert word not in body, word
    assert "style=" not in text and "<" not in body
    report = check([outcome.path], {**settings, "PATH": str(root)}, root)
    assert report.errors == 0, report.problems


def test_nested_tables_page(imported):
    _, outcomes = imported
    doc = parse(outcomes["bang-long-nhau.html"].path.read_text(encoding="utf-8"))
    assert doc.value("title") == "Hội nghị sơ kết công tác xây dựng Đảng 10 tháng năm 2023"
    assert (doc.value("date"), doc.value("category"), doc.value("author")) == (
        "2023-11-23", "Tin tức - Sự kiện", "Minh Châu")
    body = doc.body
    assert "**hội nghị sơ kết**" in body and "*kết nạp 215 đảng viên mới*" in body
    assert "| Kết nạp đảng viên | 250 | 215 |" in body  # the data table is kept
    assert "![Quang cảnh hội nghị sơ kết]({static}/images/legacy/" in body  # caption → alt
    assert "*Quang cảnh hội nghị sơ kết*" in body
    assert "[đây](http://thanhuyquangngai.example/VanBan/bc-10-thang.pdf)" in body
    assert "Minh Châu" not in body  # the signature became Author


def test_div_page_with_sapo_list_and_local_image(imported):
    root, outcomes = imported
    outcome = outcomes["bo-cuc-div.html"]
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    assert (doc.value("date"), doc.value("category"), doc.value("author")) == (
        "2023-11-15 14:30", "Quốc phòng - An ninh", "Thanh Hà")  # mapped from "An ninh - Quốc phòng"
    assert doc.value("summary").startswith("Sáng 15/11, Công an thành phố")
    assert "- Đội dân phòng của chợ;" in doc.body
    assert "[công tác phòng cháy năm 2023](http://thanhuyquangngai.example/tin-tuc/pccc-2023.html)" in doc.body
    copied = list((root / "images" / "legacy").rglob("anh-dien-tap.jpg"))
    assert len(copied) == 1
    assert copied[0].read_bytes() == (FIXTURES / "bo-cuc-div_files" / "anh-dien-tap.jpg").read_bytes()
    assert any("anh-tu-lieu.jpg" in p for p in outcome.problems)  # not saved: reported, not fetched


def test_old_asp_page_with_br_paragraphs(imported):
    _, outcomes = imported
    outcome = outcomes["trang-asp-cu.htm"]
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    assert (doc.value("date"), doc.value("category"), doc.value("author")) == (
        "2023-11-30", "Văn hóa - Xã hội", "P.V")
    paragraphs = doc.body.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[1].startswith("Hội thi diễn ra")
    assert any("hoithi.jpg" in p for p in outcome.problems)


def test_broken_page_is_skipped_with_a_reason(tmp_path, settings):
    [outcome] = import_legacy([FIXTURES / "trang-hong.html"], tmp_path / "articles", settings)
    assert outcome.status == "skipped" and outcome.reason
    assert not (tmp_path / "articles").exists() or not any((tmp_path / "articles").rglob("*"))


@pytest.mark.parametrize("raw,reason", [
    ("Thể thao\n\nGiải bóng đá ( 01/12/2023)\n\nNội dung bài viết về giải bóng đá.\nKV\n".encode(), "Thể thao"),
    ("Kinh tế\n\nKhông có ngày\n\nNội dung.\n".encode(), "ngày đăng"),
    (b"Kinh t\xd5\n\nH\xe9i ngh\xdf ( 01/12/2023)\n", "TCVN3"),
])  # fmt: skip
def test_unparseable_text_is_skipped_never_half_written(tmp_path, settings, raw, reason):
    source = tmp_path / "trang.txt"
    source.write_bytes(raw)
    [outcome] = import_legacy([source], tmp_path / "articles", settings)
    assert outcome.status == "skipped" and reason in outcome.reason
    assert not (tmp_path / "articles").exists()


def _cli(*argv: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "invoke", "import-legacy", *argv]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def old_portal(tmp_path) -> Path:
    """A folder as saved from the old portal: three HTML pages, a broken one and the seed's text."""
    folder = tmp_path / "trang-cu"
    folder.mkdir()
    for name in [*PAGES, "trang-hong.html", SEED.name]:
        shutil.copy(FIXTURES / name, folder / name)
    for files in FIXTURES.glob("*_files"):
        shutil.copytree(files, folder / files.name)
    return folder


def test_cli_summary_line_and_idempotence(tmp_path, old_portal):
    out = tmp_path / "articles"
    first = _cli(str(old_portal), "--out", str(out))
    assert first.returncode == 1  # the broken page was skipped
    assert first.stdout.splitlines()[-1].startswith(
        "Tổng kết: 4 bài đã nhập (4 mới, 0 cập nhật, 0 không đổi), 0 đã sửa tay (giữ nguyên), 1 bỏ qua")
    assert "trang-hong.html: bỏ qua — " in first.stdout
    # Not a terminal: the progress line is printed for the last page (and every 100th).
    assert "Đang nhập 5/5: " in first.stderr
    files = {p: p.read_bytes() for p in out.rglob("*.md")}
    second = _cli(str(old_portal), "--out", str(out))
    assert "4 bài đã nhập (0 mới, 0 cập nhật, 4 không đổi)" in second.stdout
    assert {p: p.read_bytes() for p in out.rglob("*.md")} == files


def test_reimport_never_overwrites_an_editors_change_unless_forced(tmp_path, old_portal, settings):
    out = tmp_path / "articles"
    outcomes = {o.source.name: o for o in import_legacy([old_portal], out, settings)}
    edited, untouched = outcomes["bo-cuc-div.html"].path, outcomes["bang-long-nhau.html"].path
    corrected = edited.read_text(encoding="utf-8").replace("Author: Thanh Hà", "Author: Thanh Hà (sửa)")
    edited.write_text(corrected, encoding="utf-8")
    # An old page that changed since the first import (a correction on the old portal).
    page = old_portal / "bang-long-nhau.html"
    page.write_text(page.read_text(encoding="utf-8").replace("215 đảng viên", "216 đảng viên"), "utf-8")

    again = _cli(str(old_portal), "--out", str(out))
    assert f"{os.path.relpath(edited, ROOT)} đã sửa tay — bỏ qua" in again.stdout
    assert "1 cập nhật" in again.stdout and "1 đã sửa tay (giữ nguyên)" in again.stdout
    assert edited.read_text(encoding="utf-8") == corrected  # the editor's change is kept
    assert "216 đảng viên" in untouched.read_text(encoding="utf-8")  # an untouched import follows the page

    forced = _cli(str(old_portal), "--out", str(out), "--force")
    assert "1 cập nhật" in forced.stdout and "0 đã sửa tay" in forced.stdout
    assert "Author: Thanh Hà\n" in edited.read_text(encoding="utf-8")  # --force takes the page's text
    assert import_legacy([old_portal / "bo-cuc-div.html"], out, settings)[0].status == "unchanged"


def test_a_file_without_the_importers_fingerprint_counts_as_an_editors(tmp_path, settings):
    """An article that was written by hand, or whose Imported line was removed, is kept."""
    out = tmp_path / "articles"
    [first] = import_legacy([SEED], out, settings)
    text = first.path.read_text(encoding="utf-8")
    first.path.write_text(unsigned(text)[0].replace("Author: KV", "Author: K.V."), encoding="utf-8")
    [again] = import_legacy([SEED], out, settings)
    assert again.status == "edited" and "Author: K.V." in first.path.read_text(encoding="utf-8")
    [forced] = import_legacy([SEED], out, settings, force=True)
    assert forced.status == "updated" and first.path.read_text(encoding="utf-8") == text


HOSTILE_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Hội nghị kiểm thử nhập trang độc hại - Cổng thông tin</title></head><body>
<div class="cat-title">Kinh tế</div>
<div class="news-detail">
<h1 class="news-title">Hội nghị kiểm thử nhập trang độc hại</h1>
<div class="news-date">Cập nhật lúc 08:00 ngày 05/01/2024</div>
<div class="news-content">
<p>Đoạn văn nói về thẻ &lt;script&gt;vidu&lt;/script&gt; như một ví dụ, và dấu &amp; trong văn bản.</p>
<p>Liên kết <a href="JaVaScRiPt:alert(2)">nguy hiểm</a>, <a href=" java&#x09;script:alert(3)">có tab</a>,
<a href="vbscript:x">vbscript</a>, <a href="data:text/html,x">data</a> và
<a href="https://example.gov.vn/">an toàn</a>.</p>
<p><img src="doc-hai_files/ma.js" alt="ảnh giả"> <img src="doc-hai_files/anh.jpg" alt="ảnh thật"></p>
<p onclick="alert(4)">Đoạn có <span onmouseover="alert(5)">sự kiện</span> và <iframe src="https://evil.example/"></iframe>
<script>alert(6)</script><style>p{color:red}</style>kết thúc bài viết này khá dài để đủ nội dung.</p>
<p class="author">Tác giả: Kiểm Thử</p>
</div></div></body></html>"""


def test_hostile_page_imports_as_text_without_scripts_or_copied_scripts(tmp_path, settings):
    """Escaped text stays text; only http(s)/mailto/tel links survive, in any spelling; a
    script saved beside the page is not copied as an image; the build's sanitiser runs."""
    page = tmp_path / "doc-hai.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    (tmp_path / "doc-hai_files").mkdir()
    (tmp_path / "doc-hai_files" / "ma.js").write_text("alert(7)", encoding="utf-8")
    shutil.copy(FIXTURES / "bo-cuc-div_files" / "anh-dien-tap.jpg", tmp_path / "doc-hai_files" / "anh.jpg")
    root = tmp_path / "content"
    [outcome] = import_legacy([page], root / "articles", settings)
    assert outcome.status == "new", outcome
    text = outcome.path.read_text(encoding="utf-8")
    body = parse(text, outcome.path).body
    assert "&lt;script&gt;vidu&lt;/script&gt;" in body and "&amp;" in body
    assert "<script" not in body.lower() and "<style" not in body.lower()
    for word in ("javascript:", "vbscript:", "data:", "onclick", "onmouseover", "iframe", "evil.example", "alert("):
        assert word not in body.lower(), word
    assert "(https://example.gov.vn/)" in body
    copied = sorted(p.name for p in (root / "images").rglob("*") if p.is_file())
    assert copied == ["anh.jpg"]
    assert any("ma.js" in problem for problem in outcome.problems)
    # What was imported passes the checker (and so builds) without an unsafe-HTML error.
    report = check([str(outcome.path)], settings={**settings, "PATH": str(root)}, content_root=root, site_rules=False)
    assert not [p for p in report.problems if p.code in {"E-HTML-UNSAFE", "E-FILE-TYPE"}], report.problems
