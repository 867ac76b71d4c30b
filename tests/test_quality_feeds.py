"""Feed gate: every Atom feed of the production build parses with feedparser without the
bozo flag, is Atom 1.0, and every entry has an id, a title, an updated date and a link."""

from __future__ import annotations

import feedparser
import pytest


@pytest.fixture(scope="module")
def feeds(site):
    found = sorted(site.root.rglob("*.atom.xml"))
    assert found, "the build wrote no Atom feed"
    return found


def test_main_feed_exists(site):
    assert (site.root / "feeds" / "all.atom.xml").is_file()


def test_every_feed_is_valid_atom(site, feeds):
    problems = []
    for path in feeds:
        rel = path.relative_to(site.root).as_posix()
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{rel}: {parsed.bozo_exception!r}")
            continue
        if parsed.version != "atom10":
            problems.append(f"{rel}: version {parsed.version!r}, not Atom 1.0")
        feed = parsed.feed
        for key in ("id", "title", "updated"):
            if not feed.get(key):
                problems.append(f"{rel}: the feed has no {key}")
        if not parsed.entries:
            problems.append(f"{rel}: no entries")
        for i, entry in enumerate(parsed.entries):
            for key in ("id", "title", "updated", "link"):
                if not entry.get(key):
                    problems.append(f"{rel} entry {i} ({entry.get('title', '?')}): no {key}")
            link = entry.get("link", "")
            if link and not link.startswith(site.siteurl + "/"):
                problems.append(f"{rel} entry {i}: link {link} is not on {site.siteurl}")
    assert not problems, "\n".join(problems)


def test_feed_links_point_at_built_pages(site, feeds):
    for path in feeds:
        for entry in feedparser.parse(path.read_bytes()).entries:
            target = site.local_target(entry.link, path)
            assert target is not None and target.is_file(), entry.link
