"""plugins/incremental: a warm build keeps what is unchanged and still equals a clean build.

Each test builds a copy of the repository's content with the project's command line (the
content cache under the test's own folder), changes one thing, builds again and compares
every file with a clean build of the same content (plugin off, cache off).
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tasks import DEV_SETTINGS, ROOT
from tests.site import run_build
from tests.test_deploy_reproducible import differences, tree

pytestmark = pytest.mark.slow

class Site:
    def __init__(self, tmp: Path) -> None:
        self.content = tmp / "content"
        shutil.copytree(ROOT / "content", self.content)
        self.output = tmp / "output"
        self.cache = tmp / "cache"
        self.tmp = tmp

    def build(self, *overrides: str, output: Path | None = None) -> str:
        result = run_build(DEV_SETTINGS, output or self.output, self.content,
                           "-e", f"CACHE_PATH={json.dumps(str(self.cache))}", *overrides)  # fmt: skip
        assert result.returncode == 0, result.log
        return result.log

    def clean_build(self, *overrides: str) -> Path:
        """The same content built from nothing: no record, no content cache."""
        out = self.tmp / f"clean-{time.monotonic_ns()}"
        self.build("INCREMENTAL_BUILD=false", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false",
                   *overrides, output=out)  # fmt: skip
        return out

    def article(self) -> Path:
        return sorted((self.content / "articles" / "tin-tuc-su-kien").glob("*.md"))[0]


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def mtimes(root: Path) -> dict[str, int]:
    return {name: path.stat().st_mtime_ns for name, path in tree(root).items()}


def test_warm_build_renders_nothing_and_equals_a_clean_build(site):
    site.build()
    before = mtimes(site.output)
    site.build()
    pages = [n for n in before if n.endswith(".html")]
    assert pages
    after = mtimes(site.output)
    untouched = [n for n in pages if after.get(n) == before[n]]
    assert untouched == pages, "a warm build rewrote pages it could keep"
    assert after.keys() == before.keys()
    assert not differences(site.clean_build(), site.output)


def test_edited_article_is_built_again(site):
    site.build()
    article = site.article()
    article.write_text(article.read_text("utf-8") + "\nTừ zqxwkiemthu mới thêm vào bài này.\n", "utf-8")
    site.build()
    assert not differences(site.clean_build(), site.output)
    assert any("zqxwkiemthu" in p.read_text("utf-8") for p in site.output.rglob("*.html"))


def test_deleted_article_leaves_no_page_behind(site):
    site.build()
    article = site.article()
    slug_word = article.stem.split("-", 3)[-1]
    article.unlink()
    site.build()
    assert not differences(site.clean_build(), site.output)
    assert not [n for n in tree(site.output) if n.endswith(".html") and slug_word in n]


def test_tampered_or_missing_output_is_rewritten(site):
    site.build()
    index = site.output / "index.html"
    index.write_text("defaced", "utf-8")
    (site.output / "404.html").unlink()
    site.build()
    assert not differences(site.clean_build(), site.output)


def test_changed_setting_rebuilds_and_does_not_trust_the_content_cache(site):
    site.build()
    site.build('TYPOGRIFY=false')
    assert not differences(site.clean_build('TYPOGRIFY=false'), site.output)


def test_scheduled_article_appears_when_due_without_any_change(site):
    """A build with no change still publishes an article whose time has come."""
    due = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(seconds=4)
    (site.content / "articles" / "tin-tuc-su-kien" / "hen-gio.md").write_text(
        "Title: Bài hẹn giờ kiểm thử\nSlug: hen-gio\n"
        f"Date: {due:%Y-%m-%d %H:%M:%S}\n"
        "Category: Tin tức - Sự kiện\nAuthor: KT\nSummary: Bài hẹn giờ.\n\nNội dung bài hẹn giờ.\n",
        "utf-8",
    )
    site.build()
    assert "hen-gio" not in (site.output / "index.html").read_text("utf-8")
    time.sleep(max(0.0, (due - datetime.now(due.tzinfo)).total_seconds()) + 1.5)
    site.build()
    assert "hen-gio" in (site.output / "index.html").read_text("utf-8")
    assert not differences(site.clean_build(), site.output)
