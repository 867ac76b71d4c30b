"""`make publish` is reproducible: two production builds of the same tree give the same
files, byte for byte, so a deployment (rsync --checksum) moves only what changed.

Sources of build-time data found and fixed: pelican-sitemap's `lastmod` of index pages
(plugins/assets dates them by the newest article instead of `datetime.now()`); the footer
year (theme: from content, not the clock); Pagefind's filter index order (plugins/search
sorts it).
"""

from __future__ import annotations

import filecmp
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.site import build_site

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def second_build(tmp_path_factory):
    return build_site(ROOT / "publishconf.py", tmp_path_factory.mktemp("site-again"))


def differences(a: Path, b: Path) -> list[str]:
    left, right = tree(a), tree(b)
    out = [f"only in the first build: {k}" for k in sorted(left.keys() - right.keys())]
    out += [f"only in the second build: {k}" for k in sorted(right.keys() - left.keys())]
    out += [f"differs: {k}" for k in sorted(left.keys() & right.keys())
            if not filecmp.cmp(left[k], right[k], shallow=False)]  # fmt: skip
    return out


def test_two_builds_are_identical(site, second_build):
    """Every file, the Pagefind search bundle included (plugins/search canonicalises it)."""
    assert tree(site.root), "empty build"
    diff = differences(site.root, second_build.root)
    assert not diff, "\n".join(diff[:50])


def test_no_build_date_in_pages(site):
    """Nothing the build clock says: no page shows today's date unless some content does."""
    now = datetime.now(timezone(timedelta(hours=7)))  # Asia/Ho_Chi_Minh
    days = {now.date(), (now - timedelta(days=1)).date(), datetime.now(UTC).date()}
    stamps = set()
    for day in days:
        stamps |= {day.isoformat(), day.strftime("%d/%m/%Y")}
    content = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                        for p in (ROOT / "content").rglob("*.md"))  # fmt: skip
    stamps = {s for s in stamps if s not in content}
    found = []
    for path in [*site.html_files(), *site.root.rglob("*.xml")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(site.root)}: {s}" for s in stamps if s in text]
    assert not found, "build-time dates in the output:\n" + "\n".join(found[:20])


def test_sitemap_dates_come_from_content(site):
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert lastmods
    newest = max(lastmods)
    assert not newest.startswith(datetime.now().strftime("%Y-%m-%dT%H")), newest
