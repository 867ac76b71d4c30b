"""The speed plugins (frozen_urls, parallel_build) change nothing in the output."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pelicanconf import PLUGINS, SECTIONS
from tasks import DEV_SETTINGS, ROOT
from tests.site import run_build

SEED = ROOT / "content/articles/chinh-tri-xa-hoi/2023-11-08-bi-thu-thanh-uy-doi-thoai-can-bo.md"
N = 260  # above PARALLEL_BUILD_MIN_ARTICLES, so the second process really writes pages


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("speed") / "content"
    shutil.copytree(ROOT / "content", content)
    body = SEED.read_text(encoding="utf-8").split("\n\n", 1)[1]
    start = datetime(2022, 1, 3, 7, 0)
    for i in range(N):
        name, slug = SECTIONS[i % len(SECTIONS)]
        date = start + timedelta(hours=13 * i)
        (content / "articles" / slug / f"synthetic-{i}.md").write_text(
            f"Title: Bài tổng hợp số {i} về {name}\nDate: {date:%Y-%m-%d %H:%M}\n"
            f"Category: {name}\nTags: thẻ {i % 11}, thẻ {i % 7}\nAuthor: KT{i % 3}\n"
            f"Summary: Tóm tắt bài số {i}.\n\n{body}",
            encoding="utf-8",
        )
    return content


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_speed_plugins_give_byte_identical_output(corpus, tmp_path):
    plain = [p for p in PLUGINS if p not in {"frozen_urls", "parallel_build"}]
    serial = run_build(DEV_SETTINGS, tmp_path / "serial", corpus, "-e", f"PLUGINS={json.dumps(plain)}")
    fast = run_build(DEV_SETTINGS, tmp_path / "fast", corpus)
    assert serial.returncode == 0, serial.log
    assert fast.returncode == 0, fast.log

    expected, actual = _files(tmp_path / "serial"), _files(tmp_path / "fast")
    assert sorted(actual) == sorted(expected)
    assert [name for name in expected if expected[name] != actual[name]] == []
    assert sum(name.endswith(".html") for name in actual) > N


@pytest.mark.slow
def test_malformed_article_still_fails_with_speed_plugins(corpus, tmp_path):
    broken = corpus.parent / "broken"
    shutil.copytree(corpus, broken)
    (broken / "articles" / "thong-bao" / "hong.md").write_text(
        "Title: Hỏng\nDate: 2024-01-01\nCategory: Không có\nAuthor: X\nSummary: x\n\nx\n",
        encoding="utf-8",
    )
    result = run_build(DEV_SETTINGS, tmp_path / "out", broken)
    assert result.returncode != 0
    assert "hong.md" in result.log
