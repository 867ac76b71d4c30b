"""Give each article or page that would share its output file with another a slug suffix.

Pelican stops a build when two contents write one file (and, with translations on, when
two share a slug). A newsroom has equal titles all the time: the weekly "Lịch làm việc
của Thường trực Thành ủy", a draft and its scheduled twin, one notice in two sections on
one day. The URL scheme (section and date in the path) already separates most of them;
the rest — same title, same section, same day, or pages with one title — are told apart
here by `-2`, `-3`… in file-name order (naming.py, which `invoke check` uses too), before
the tag, section and archive lists are made and before frozen_urls fixes the URLs. A slug
made from a very long title is cut to SLUG_MAX_LENGTH characters at a hyphen first: the
file system refuses names over 255 bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pelican import signals

from .naming import DEFAULT_SLUG_MAX_LENGTH, shorten, suffixes

ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations")  # fmt: skip
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages",
              "draft_translations")  # fmt: skip


def short_slug(content: Any) -> None:
    """content_object_init: a title-made slug no longer than SLUG_MAX_LENGTH."""
    limit = content.settings.get("SLUG_MAX_LENGTH", DEFAULT_SLUG_MAX_LENGTH)
    if getattr(content, "slug", None) and "slug" not in content.metadata:
        content.slug = shorten(content.slug, limit)


def _respelled(content: Any, n: int) -> str:
    original = content.slug
    content.slug = f"{original}-{n}"
    try:
        return content.save_as
    finally:
        content.slug = original


def make_distinct(contents: Iterable[Any]) -> None:
    contents = {c.source_path: c for c in contents if getattr(c, "slug", None)}
    moved = suffixes({path: c.save_as for path, c in contents.items()},
                     lambda path, n: _respelled(contents[path], n))  # fmt: skip
    for path, n in moved.items():
        content = contents[path]
        content.slug = f"{content.slug}-{n}"
        if "url" not in content.metadata:  # a URL made for the old slug (the preview keeps them)
            content.__dict__.pop("override_url", None)


def _lists(generator: Any, names: tuple[str, ...]) -> list[Any]:
    return [c for name in names for c in getattr(generator, name, ())]


def articles(generator: Any) -> None:
    """article_generator_pretaxonomy: before the tag, section and archive lists are made."""
    make_distinct(_lists(generator, ARTICLE_LISTS))


def pages(generator: Any) -> None:
    make_distinct(_lists(generator, PAGE_LISTS))


def register() -> None:
    signals.content_object_init.connect(short_slug)
    signals.article_generator_pretaxonomy.connect(articles)
    signals.page_generator_finalized.connect(pages)
