"""Give Pelican's per-tag, per-section and per-author article lists a set for `in`.

ArticlesGenerator.generate_tags (and _categories, _authors) builds each listing's dates as
`[a for a in self.dates if a in articles]`: a scan of the whole archive per listing, each
step a scan of that listing's list. At 20,000 articles that is over 20 s of a build, warm or
clean, for 61 tags. Content objects compare by identity (Pelican defines no __eq__ for
them), so a set of ids answers `in` exactly as the list would, in constant time.

Installed at article_generator_finalized, once the lists are complete; a list changed after
that (a plugin appending or removing) drops its set and builds it again on the next `in`.

The year and month archives have the same shape (`[a for a in articles if a in dates]` per
period, in ArticlesGenerator._build_period_archives): that method runs here with no articles
to scan, and each period's list is then made in one pass with a set of its dates.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pelican import signals


class MemberList(list):
    """A list whose `in` is a set lookup by identity (what list's `in` finds for Content)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self._ids: set[int] | None = None

    def __contains__(self, item: object) -> bool:
        if self._ids is None:
            self._ids = {id(x) for x in self}
        return id(item) in self._ids


def _invalidating(name: str):  # noqa: ANN202
    def method(self: MemberList, *args: Any, **kwargs: Any) -> Any:
        self._ids = None
        return getattr(list, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "__setitem__", "__delitem__",
              "__iadd__", "__imul__"):  # fmt: skip
    setattr(MemberList, _name, _invalidating(_name))


def index_listings(generator: Any) -> None:
    for tag, articles in list(generator.tags.items()):
        generator.tags[tag] = MemberList(articles)
    # In place: the template context holds these very lists.
    generator.categories[:] = [(cat, MemberList(arts)) for cat, arts in generator.categories]
    generator.authors[:] = [(aut, MemberList(arts)) for aut, arts in generator.authors]


def _linear_period_archives(original: Any, sorted_articles: list, articles: list, settings: dict) -> Any:
    archives = original(sorted_articles, [], settings)  # every "articles" list left empty
    for periods in archives.values():
        for archive in periods:
            ids = {id(a) for a in archive["dates"]}
            archive["articles"] = [a for a in articles if id(a) in ids]
    return archives


def install(generator: Any) -> None:
    """article_generator_init: the period archives' lists in linear time."""
    original = generator._build_period_archives
    generator._build_period_archives = partial(_linear_period_archives, original)


def register() -> None:
    signals.article_generator_init.connect(install)
    signals.article_generator_finalized.connect(index_listings)
