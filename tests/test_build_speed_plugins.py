"""The speed plugins (frozen_urls, parallel_build, listing_index) change nothing in the output."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pelicanconf import PLUGINS, SECTIONS
from tasks import DEV_SETTINGS, ROOT
from tests.site import run_build
from tests.tiny_site import isolated_signals

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
    plain = [p for p in PLUGINS if p not in {"frozen_urls", "parallel_build", "listing_index"}]
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


BAD_DATE = "Title: Ngày sai\nDate: 2024-13-45\nCategory: Kinh tế\nAuthor: X\nSummary: x\n\nx\n"


def test_read_ahead_caches_what_both_processes_read_and_leaves_out_what_fails(corpus, tmp_path):
    """The files read ahead are the ones Pelican would read; a file that fails to read (here
    one read by this process, one by the child) is left for Pelican to read and report."""
    from pelican import Pelican
    from pelican.generators import ArticlesGenerator
    from pelican.settings import read_settings

    from parallel_build.reading import read_ahead

    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    settings = read_settings(str(DEV_SETTINGS), override={
        "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "out"), "CACHE_PATH": str(tmp_path / "cache"),
    })  # fmt: skip
    with isolated_signals():  # the plugins this Pelican connects are not left to later tests
        pelican = Pelican(settings)
        generator = ArticlesGenerator(context=pelican.settings.copy(), settings=pelican.settings,
                                      path=pelican.path, theme=pelican.theme, output_path=pelican.output_path)
        files = sorted(generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]))
        bad = [files[10], files[11]]  # the child reads every second new file (in this order): one each
        for name in bad:
            (content / name).write_text(BAD_DATE, encoding="utf-8")
        assert read_ahead(generator, minimum=0) is None
    cached = set(generator.readers._cache)
    expected = {str(content / name) for name in files if name not in bad}
    assert cached == expected
    article = generator.readers.get_cached_data(str(content / files[3]))
    assert article[0].startswith("<") and article[1]["title"]  # content and metadata, as read


@pytest.mark.slow
def test_unreadable_article_is_reported_by_name(corpus, tmp_path):
    broken = corpus.parent / "unreadable"
    shutil.copytree(corpus, broken)
    (broken / "articles" / "kinh-te" / "ngay-sai.md").write_text(BAD_DATE, encoding="utf-8")
    result = run_build(DEV_SETTINGS, tmp_path / "out", broken)
    assert result.returncode != 0
    assert "ngay-sai.md" in result.log, result.log[-3000:]


LISTENER = """\
from pelican import signals

def _noop(*args, **kwargs):
    pass

def register():
    signals.article_generator_preread.connect(_noop)
    signals.article_generator_write_article.connect(_noop)
"""


@pytest.mark.slow
def test_fall_back_to_one_process_is_a_visible_warning_and_changes_nothing(corpus, tmp_path):
    """A plugin listening to the per-file signals keeps both steps serial, and says so."""
    plugins_dir = tmp_path / "extra_plugins"
    (plugins_dir / "listener").mkdir(parents=True)
    (plugins_dir / "listener" / "__init__.py").write_text(LISTENER, encoding="utf-8")
    settings = ["-e", f"PLUGINS={json.dumps([*PLUGINS, 'listener'])}",
                f"PLUGIN_PATHS={json.dumps(['plugins', str(plugins_dir)])}"]  # fmt: skip
    serial = run_build(DEV_SETTINGS, tmp_path / "serial", corpus, *settings)
    assert serial.returncode == 0, serial.log
    assert "parallel_build: warning: articles read in one process (a plugin listens to " \
           "article_generator_preread)" in serial.log  # fmt: skip
    assert "parallel_build: warning: article pages written in one process (a plugin listens " \
           "to article_generator_write_article)" in serial.log  # fmt: skip
    fast = run_build(DEV_SETTINGS, tmp_path / "fast", corpus)
    assert fast.returncode == 0, fast.log
    assert "parallel_build: warning" not in fast.log
    assert _files(tmp_path / "serial") == _files(tmp_path / "fast")
