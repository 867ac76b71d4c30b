"""Drafts and scheduled articles: previewed in the development build, absent from production.

One content folder (the repository's content plus a new draft from `invoke new`, a
Status: draft article, an article dated in the future and the imported legacy pages)
is built once with each settings file, exactly as `make build` / `make publish` do.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editorial.config import load_settings
from editorial.legacy import import_legacy
from tasks import ROOT
from tests.site import BuiltSite, run_build

FIXTURES = Path(__file__).parent / "fixtures" / "legacy"

# The repository's whole content built as `make build`/`make publish` do (a subprocess).
pytestmark = pytest.mark.slow
DRAFT_TITLE = "Dự thảo báo cáo chính trị chưa duyệt"
FUTURE_TITLE = "Thông báo kết luận hội nghị sẽ đăng năm 2099"
NEW_TITLE = "Bài viết mới bắt đầu bằng invoke new"
HIDDEN = {"du-thao-bao-cao-chinh-tri-chua-duyet": DRAFT_TITLE,
          "thong-bao-ket-luan-hoi-nghi-se-dang-nam-2099": FUTURE_TITLE,
          "bai-viet-moi-bat-dau-bang-invoke-new": NEW_TITLE}  # fmt: skip


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("editorial-build") / "content"
    shutil.copytree(ROOT / "content", root)
    articles = root / "articles"
    (articles / "xay-dung-dang" / "2023-11-20-du-thao.md").write_text(
        f"Title: {DRAFT_TITLE}\nDate: 2023-11-20 08:00\nCategory: Xây dựng Đảng\nAuthor: KV\n"
        "Summary: Bản nháp.\nStatus: draft\n\nNội dung chưa duyệt.\n", encoding="utf-8")  # fmt: skip
    (articles / "thong-bao" / "2099-01-02-ket-luan.md").write_text(
        f"Title: {FUTURE_TITLE}\nDate: 2099-01-02 07:30\nCategory: Thông báo\nAuthor: KV\n"
        "Summary: Hẹn giờ.\n\nNội dung hẹn giờ.\n", encoding="utf-8")  # fmt: skip
    new = subprocess.run(
        [sys.executable, "-m", "editorial", "--content", str(root), "new", "--title", NEW_TITLE,
         "--category", "Kinh tế", "--tags", "kinh tế"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    pages = sorted([*FIXTURES.glob("*.htm*"), *(FIXTURES / "cms").glob("*.htm*")])  # every saved page
    outcomes = import_legacy(pages, articles, load_settings())
    statuses = {o.source.name: o.status for o in outcomes}
    assert statuses.pop("trang-hong.html") == "skipped"  # the broken page; every other one imports
    assert set(statuses.values()) == {"new"} and len(statuses) >= 6, statuses
    check = subprocess.run([sys.executable, "-m", "editorial", "--content", str(root), "check"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60,
                           env={"PATH": "/usr/bin:/bin"})  # fmt: skip
    assert check.returncode == 0, check.stdout
    return root


def text(node) -> str:
    return " ".join(node.get_text(" ").replace("\xa0", " ").split())


def build(settings: str, content: Path, output: Path) -> BuiltSite:
    result = run_build(ROOT / settings, output, content)
    assert result.returncode == 0, result.log
    return BuiltSite(output, load_settings(ROOT / settings)["SITEURL"])


@pytest.fixture(scope="module")
def dev(content, tmp_path_factory) -> BuiltSite:
    return build("pelicanconf.py", content, tmp_path_factory.mktemp("dev"))


@pytest.fixture(scope="module")
def prod(content, tmp_path_factory) -> BuiltSite:
    return build("publishconf.py", content, tmp_path_factory.mktemp("prod"))


def test_drafts_page_lists_drafts_and_scheduled_clearly_marked(dev):
    page = dev.soup("ban-nhap/index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    items = {text(a): a["href"] for a in page.select(".draft-item .item__title a")}
    assert set(items) == {DRAFT_TITLE, FUTURE_TITLE, NEW_TITLE}
    marks = {text(li.select_one(".item__title")): text(li.select_one(".draft-mark"))
             for li in page.select(".draft-item")}  # fmt: skip
    assert marks[DRAFT_TITLE] == marks[NEW_TITLE] == "Bản nháp"
    assert marks[FUTURE_TITLE] == "Hẹn giờ đăng: 02/01/2099 07:30"
    for href in items.values():
        target = dev.local_target(href, dev.root / "ban-nhap" / "index.html")
        assert target.is_file()
        banner = dev.soup(str(target.relative_to(dev.root))).find(class_="editorial-banner")
        assert banner and "BẢN NHÁP" in banner.get_text()


def test_scheduled_article_is_not_published_in_development_either(dev):
    home = (dev.root / "index.html").read_text(encoding="utf-8").replace("\xa0", " ")
    assert FUTURE_TITLE not in home and DRAFT_TITLE not in home
    assert not (dev.root / "thong-bao" / "2099").exists()


def test_production_has_no_draft_or_scheduled_article_anywhere(prod):
    assert not (prod.root / "ban-nhap").exists() and not (prod.root / "drafts").exists()
    for path in (p for p in prod.root.rglob("*") if p.is_file()):
        if path.suffix not in {".html", ".xml", ".txt", ".json"}:
            continue
        data = path.read_text(encoding="utf-8", errors="replace").replace("\xa0", " ")
        for slug, title in HIDDEN.items():
            assert slug not in data and title not in data, (path, title)
        assert "ban-nhap" not in data, path
    for feed in ("feeds/all.atom.xml", "sitemap.xml"):
        assert (prod.root / feed).is_file(), feed


def test_imported_legacy_articles_are_published(prod):
    sitemap = (prod.root / "sitemap.xml").read_text(encoding="utf-8")
    for slug in ("hoi-nghi-so-ket-cong-tac-xay-dung-dang-10-thang-nam-2023",
                 "dien-tap-phong-chay-chua-chay-va-cuu-nan-cuu-ho-tai-cho-trung-tam",
                 "khai-mac-hoi-thi-van-nghe-quan-chung-cac-xa-phuong-nam-2023"):  # fmt: skip
        assert slug in sitemap
    images = list((prod.root / "images" / "legacy").rglob("*.jpg"))
    assert len(images) == len(list(FIXTURES.rglob("*_files/*.jpg"))) == 5  # each saved photo


def test_build_ends_with_one_vietnamese_summary_line(content, tmp_path):
    """Pelican's English "Done: Processed …" is followed by the same counts in Vietnamese."""
    result = run_build(ROOT / "pelicanconf.py", tmp_path / "out", content)
    assert result.returncode == 0, result.log
    done = re.search(r"Done: Processed (\d+) articles?, (\d+) drafts?, \d+ hidden articles?, "
                     r"(\d+) pages?", " ".join(result.log.split()))  # fmt: skip
    ours = re.search(r"^Xong: (\d+) bài, (\d+) trang tĩnh; (\d+) bản nháp, (\d+) bài hẹn giờ "
                     r"chưa đăng; \d+,\d giây\.$", result.log, re.M)  # fmt: skip
    assert done and ours, result.log
    articles, drafts, pages = map(int, done.groups())
    assert (int(ours[1]), int(ours[2]), int(ours[3]) + int(ours[4])) == (articles, pages, drafts)
    assert int(ours[4]) == 1 and int(ours[3]) >= 2  # the scheduled one; the draft and `new`'s
    assert result.log.rstrip().endswith(ours[0])
