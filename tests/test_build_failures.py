"""A malformed article fails the build, and the log names the file and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tasks import DEV_SETTINGS, PUBLISH_SETTINGS, ROOT
from tests.site import BuildResult
from tests.tiny_site import SITE_PLUGINS, build_in_process

GOOD = """Title: Bài kiểm tra
Date: 2024-01-02 08:00
Category: Thông báo
Author: KT
Summary: Tóm tắt.

Nội dung.
"""

BROKEN = {
    "missing-title": (GOOD.replace("Title: Bài kiểm tra\n", ""), "title"),
    "missing-date": (GOOD.replace("Date: 2024-01-02 08:00\n", ""), "date"),
    "bad-date": (GOOD.replace("2024-01-02 08:00", "32/13/2024"), "Could not process"),
    "unknown-section": (GOOD.replace("Thông báo", "Thể thao"), "Thể thao"),
    "missing-section": (GOOD.replace("Category: Thông báo\n", ""), "Category"),
    "empty-alt": (GOOD + "\n![](/images/hoi-nghi-mau.svg)\n", "alt"),
    # TCVN3 text pasted into a UTF-8 file: named with its line and how to convert it.
    "legacy-encoding": (GOOD.replace("Nội dung.", "Héi nghÞ B¶o Th¾ng tæng kÕt n¨m"),
                        ".md:7: chữ gõ bằng bảng mã cũ TCVN3"),
    "legacy-vni": (GOOD.replace("Bài kiểm tra", "Ban Thöôøng vuï Thaønh uûy"), "VNI Windows"),
}


@pytest.fixture
def content(tiny_site) -> Path:
    """A small site (one good article, the image the broken ones show) to add one file to;
    built in this process with every plugin of the real build (tests/tiny_site.py)."""
    tiny_site.article("thong-bao/bai-mau", Category="Thông báo")
    (tiny_site.content / "images").mkdir()
    shutil.copy(ROOT / "content" / "images" / "hoi-nghi-mau.svg", tiny_site.content / "images")
    return tiny_site.content


def run_build(settings: Path, output: Path, content: Path) -> BuildResult:
    return build_in_process(content, output, SITE_PLUGINS, settings)


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("settings", [DEV_SETTINGS, PUBLISH_SETTINGS], ids=["dev", "publish"])
def test_malformed_article_fails_build_naming_file(case, settings, content, tmp_path):
    text, reason = BROKEN[case]
    bad = content / "articles" / "thong-bao" / f"hong-{case}.md"
    bad.write_text(text, encoding="utf-8")

    result = run_build(settings, tmp_path / "out", content)

    assert result.returncode != 0, result.log
    assert f"hong-{case}.md" in result.log
    assert reason in result.log


def test_well_formed_article_builds(content, tmp_path):
    (content / "articles" / "thong-bao" / "tot.md").write_text(GOOD, encoding="utf-8")
    result = run_build(DEV_SETTINGS, tmp_path / "out", content)
    assert result.returncode == 0, result.log
    assert (tmp_path / "out" / "thong-bao" / "2024" / "01" / "02" / "bai-kiem-tra.html").is_file()
