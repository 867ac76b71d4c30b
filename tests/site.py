"""Build a site with the project's own command line and read it back with BeautifulSoup."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from pelican.settings import read_settings

from tasks import ROOT, pelican_command
from tests.tiers import require_slow


@dataclass
class BuildResult:
    returncode: int
    log: str


def run_build(settings: Path, output: Path, content: Path | None = None, *extra: str) -> BuildResult:
    """Run Pelican exactly as `make build`/`make publish` do, optionally on other content.

    A separate process with every plugin: the slow tier's (tests/tiny_site.py builds in-process).
    """
    require_slow("builds a site in a subprocess (tests.site.run_build)")
    cmd = pelican_command(settings, output, *extra)
    if content is not None:
        cmd[3] = str(content)  # the positional content path
    # A wide virtual terminal keeps Pelican's rich log from wrapping file names.
    env = {**os.environ, "COLUMNS": "400", "TERM": "dumb"}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr)


class BuiltSite:
    def __init__(self, root: Path, siteurl: str) -> None:
        self.root = root
        self.siteurl = siteurl.rstrip("/")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    @cache  # noqa: B019 - a Site lives for the whole session, and its parsed pages with it
    def soup(self, relpath: str) -> BeautifulSoup:
        return BeautifulSoup((self.root / relpath).read_text(encoding="utf-8"), "html.parser")

    def local_target(self, url: str, page: Path) -> Path | None:
        """The output file a link points to, or None when it leaves the site."""
        parts = urlsplit(url)
        if parts.scheme in {"mailto", "tel", "data", "javascript"}:
            return None
        if parts.scheme or parts.netloc:
            if not self.siteurl or not url.startswith(self.siteurl + "/") and url != self.siteurl:
                return None
            path = url[len(self.siteurl):] or "/"
            path = urlsplit(path).path
        else:
            path = parts.path
            if not path:
                return page  # a fragment on the same page
        path = unquote(path)
        target = self.root / path.lstrip("/") if path.startswith("/") else page.parent / path
        if path.endswith("/"):
            target = target / "index.html"
        return target


def copy_content_without_illustrated_samples(dest: Path) -> Path:
    """A copy of the repository's content/ without the illustrated sample articles (those whose
    Image is under images/mau/, and that folder): the tests that count or rank the repository's
    articles keep the corpus they were written for."""
    import shutil

    from tasks import ROOT

    shutil.copytree(ROOT / "content", dest, ignore=shutil.ignore_patterns("mau"))
    for article in (dest / "articles").rglob("*.md"):
        if "\nImage: images/mau/" in article.read_text("utf-8"):
            article.unlink()
    return dest


def build_site(settings: Path, output: Path) -> BuiltSite:
    result = run_build(settings, output)
    assert result.returncode == 0, f"build failed:\n{result.log}"
    return BuiltSite(output, read_settings(str(settings))["SITEURL"])
