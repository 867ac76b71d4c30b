"""`invoke new`: a draft at the right place, metadata filled in, never overwriting."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from editorial.check import check
from editorial.config import load_settings
from editorial.meta import parse
from tasks import ROOT


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


def test_new_writes_a_draft_with_metadata_and_prints_its_path(content):
    title = unicodedata.normalize("NFD", "Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 15")
    before = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(second=0, microsecond=0)
    result = editorial(content, "new", "--title", title, "--category", "Xây dựng Đảng",
                       "--tags", "Thành uỷ, hội nghị", "--author", "KV")  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = content.parent / result.stdout.strip()
    assert path.parent == content / "articles" / "xay-dung-dang"
    assert path.name.endswith("-hoi-nghi-ban-chap-hanh-dang-bo-thanh-pho-lan-thu-15.md")
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    doc = parse(text, path)
    assert doc.value("title") == unicodedata.normalize("NFC", title)
    assert doc.value("category") == "Xây dựng Đảng"
    assert doc.value("tags") == "Thành ủy, hội nghị"  # the canonical tone-mark placement
    assert doc.value("author") == "KV"
    assert doc.value("slug") == "hoi-nghi-ban-chap-hanh-dang-bo-thanh-pho-lan-thu-15"
    assert doc.value("status") == "draft"
    date = datetime.strptime(doc.value("date"), "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert before <= date <= datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert path.name.startswith(f"{date:%Y-%m-%d}-")


def test_new_author_comes_from_the_setting(content):
    result = editorial(content, "new", "--title", "Thông báo lịch tiếp công dân", "--category", "thong-bao")
    assert result.returncode == 0, result.stderr
    doc = parse((content.parent / result.stdout.strip()).read_text(encoding="utf-8"))
    assert doc.value("author") == load_settings()["EDITORIAL_AUTHOR"]
    assert doc.value("category") == "Thông báo"


def test_new_output_passes_check(content):
    result = editorial(content, "new", "--title", "Bài mới", "--category", "Kinh tế")
    path = content.parent / result.stdout.strip()
    report = check([path], {**load_settings(), "PATH": str(content)}, content)
    assert report.errors == 0, report.problems
    checked = editorial(content, "check", str(path))
    assert checked.returncode == 0, checked.stdout


def test_unknown_category_is_refused_with_the_sections(content):
    result = editorial(content, "new", "--title", "Bài", "--category", "Thể thao")
    assert result.returncode == 1
    for name, _ in load_settings()["SECTIONS"]:
        assert name in result.stderr
    assert not any(content.rglob("*.md"))


def test_never_overwrites(content):
    first = editorial(content, "new", "--title", "Cùng tiêu đề", "--category", "Kinh tế")
    path = content.parent / first.stdout.strip()
    path.write_text(path.read_text(encoding="utf-8") + "\nĐã viết.\n", encoding="utf-8")
    kept = path.read_bytes()
    again = editorial(content, "new", "--title", "Cùng tiêu đề", "--category", "Kinh tế")
    if again.stdout.strip() and (content.parent / again.stdout.strip()) != path:
        pytest.skip("the minute changed between the two calls")
    assert again.returncode == 1 and "không ghi đè" in again.stderr
    assert path.read_bytes() == kept


def test_invoke_task_refuses_unknown_category_in_the_repository():
    result = subprocess.run([sys.executable, "-m", "invoke", "new", "--title", "Thử", "--category", "Không có"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1 and "Các chuyên mục hợp lệ" in result.stderr
