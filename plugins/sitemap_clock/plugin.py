"""pelican-sitemap dates the index pages (home, sections, tags…) with `datetime.now()`, so two
builds of the same content differ. Here its generator's clock is set to the date of the newest
article or page instead: the moment those index pages last changed. Listed after
`pelican.plugins.sitemap` in PLUGINS; without that plugin it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pelican import signals

CONTENT_LISTS = ("articles", "pages", "translations", "hidden_pages")


def newest_content(generators: Iterable[Any]) -> datetime | None:
    """The latest `Modified` (or `Date`) among the published articles and pages."""
    newest = None
    for generator in generators:
        for attr in CONTENT_LISTS:
            for item in getattr(generator, attr, None) or ():
                when = getattr(item, "modified", None) or getattr(item, "date", None)
                if when is not None and (newest is None or when > newest):
                    newest = when
    return newest


def date_by_content(generators: list[Any]) -> None:
    """all_generators_finalized: the sitemap's 'now' is the newest content's date."""
    try:
        from pelican.plugins.sitemap import sitemap  # noqa: PLC0415
    except ImportError:
        return
    newest = newest_content(generators)
    if newest is not None and hasattr(sitemap, "generator"):
        sitemap.generator.now = newest


def register() -> None:
    signals.all_generators_finalized.connect(date_by_content)
