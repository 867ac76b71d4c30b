"""Related articles, computed once per build in time linear in the number of articles.

For each article: articles sharing its tags first (more shared tags first), then
articles of its own section, newer first among equals, up to `count`.

No all-pairs scoring. A tag → articles index (newest first) is built in one pass,
remembering each article's position in each of its tags' lists. Candidates for an
article are only the `scan` articles around that position in each tag's list, the
ones closest in time, so a broad tag carried by thousands of articles costs `scan`
visits, not thousands. The section fill takes the same bounded window from the
section's list. Work is therefore O(articles × tags per article × scan).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any


def _key(item: Any) -> str:
    return getattr(item, "slug", None) or str(item)


def _window(items: Sequence, index: int, size: int) -> Sequence:
    """About `size` items centred on items[index] (the item itself included)."""
    half = max(size // 2, 1)
    lo = max(index - half, 0)
    hi = min(lo + size + 1, len(items))
    lo = max(hi - size - 1, 0)
    return items[lo:hi]


class RelatedIndex:
    """The per-build indexes of related_articles; the ranking of one article on demand.

    Building it is one pass over the articles; `for_article` does the bounded scan
    for one article. The plugin hands each article a `LazyRelated`, so a build ranks
    each article once, when its page is rendered, and the preview (which renders
    only the pages asked for) ranks only those.
    """

    def __init__(self, articles: Sequence, count: int = 5, scan: int = 40,
                 by_section: dict[str, list] | None = None) -> None:  # fmt: skip
        self.count, self.scan = count, scan
        self._articles, self._by_section = list(articles), by_section  # as they are now
        self._built = False
        self.visits = 0

    def _build(self) -> None:
        """The indexes, made when the first article is ranked: the preview rebuilds the context
        at each new article but renders only the pages asked for, often none with related ones."""
        articles, by_section = self._articles, self._by_section
        self.order = {id(a): i for i, a in enumerate(articles)}  # 0 is the newest
        self.section_of = {id(a): a.category.name for a in articles}
        self.by_tag: dict[str, list] = defaultdict(list)
        self.tag_pos: dict[tuple[int, str], int] = {}
        if by_section is None:
            by_section = defaultdict(list)
            for a in articles:
                by_section[a.category.name].append(a)
        self.by_section = by_section
        self.section_pos = {id(a): i for items in by_section.values() for i, a in enumerate(items)}
        for a in articles:
            for tag in getattr(a, "tags", None) or ():
                key = _key(tag)
                if (id(a), key) in self.tag_pos:  # the same tag written twice
                    continue
                self.tag_pos[(id(a), key)] = len(self.by_tag[key])
                self.by_tag[key].append(a)
        self._built = True

    def for_article(self, a: Any, count: int | None = None) -> list:
        if not self._built:
            self._build()
        me, scan, order = id(a), self.scan, self.order
        count = self.count if count is None else count
        section = self.section_of[me]
        shared: dict[int, int] = defaultdict(int)
        objects: dict[int, Any] = {}
        for tag in getattr(a, "tags", None) or ():
            key = _key(tag)
            pos = self.tag_pos.get((me, key))
            if pos is None:
                continue
            for b in _window(self.by_tag[key], pos, scan):
                self.visits += 1
                if b is not a:
                    shared[id(b)] += 1
                    objects[id(b)] = b
        section_of = self.section_of
        ranked = sorted(shared, key=lambda i: (-shared[i], section_of.get(i) != section, order[i]))
        chosen = [objects[i] for i in ranked[:count]]
        if len(chosen) < count:
            taken = {id(b) for b in chosen}
            same = self.by_section.get(section, [])
            pos = self.section_pos.get(me)
            window = _window(same, pos, scan) if pos is not None else ()
            self.visits += len(window)
            fill = [b for b in window if b is not a and id(b) not in taken]
            fill.sort(key=lambda b: order[id(b)])  # newer first
            chosen.extend(fill[: count - len(chosen)])
        return chosen


class EndBlocks:
    """The lists under an article, with no article twice: previous/next in the section
    (always shown, they are navigation), then the related articles without those two, then
    the articles of the section nearest in time without any of the above. Each list keeps
    its length when it can (the ranking and the window reach a little further). Computed
    the first time a template reads them, like LazyRelated.
    """

    __slots__ = ("_index", "_article", "_section", "_pos", "_nearby_count", "_related", "_nearby")

    def __init__(self, index: RelatedIndex, article: Any, section: Sequence, pos: int, nearby_count: int) -> None:
        self._index, self._article, self._section, self._pos = index, article, section, pos
        self._nearby_count = nearby_count
        self._related = self._nearby = None

    def _neighbours(self) -> set[int]:
        a = self._article
        return {id(n) for n in (getattr(a, "older_in_section", None), getattr(a, "newer_in_section", None)) if n}

    @property
    def related(self) -> list:
        if self._related is None:
            taken = self._neighbours()
            ranked = self._index.for_article(self._article, self._index.count + len(taken))
            self._related = [b for b in ranked if id(b) not in taken][: self._index.count]
        return self._related

    @property
    def nearby(self) -> list:
        if self._nearby is None:
            taken = self._neighbours() | {id(b) for b in self.related} | {id(self._article)}
            items, pos, count = self._section, self._pos, self._nearby_count
            lo, hi, out = pos - 1, pos + 1, []
            while len(out) < count and (lo >= 0 or hi < len(items)):  # nearest in time first
                for i in (lo, hi):  # equally near: the newer first
                    if 0 <= i < len(items) and id(items[i]) not in taken and len(out) < count:
                        out.append((i, items[i]))
                lo, hi = lo - 1, hi + 1
            self._nearby = [b for _, b in sorted(out, key=lambda pair: pair[0])]  # newer first
        return self._nearby


class LazyRelated(Sequence):
    """An article's related articles, ranked the first time something reads them."""

    __slots__ = ("_index", "_article", "_items")

    def __init__(self, index: RelatedIndex, article: Any) -> None:
        self._index, self._article, self._items = index, article, None

    def _list(self) -> list:
        if self._items is None:
            self._items = self._index.for_article(self._article)
            self._index = self._article = None  # the index can go once every page is done
        return self._items

    def __getitem__(self, i):
        return self._list()[i]

    def __len__(self) -> int:
        return len(self._list())

    def __eq__(self, other: object) -> bool:
        return self._list() == (list(other) if isinstance(other, Sequence) else other)

    def __repr__(self) -> str:
        return f"LazyRelated({self._list()!r})"


def related_articles(
    articles: Sequence,
    count: int = 5,
    scan: int = 40,
    by_section: dict[str, list] | None = None,
    counter: list[int] | None = None,
) -> dict[int, list]:
    """{id(article): [related articles]} for every article.

    `articles` must be newest first (as Pelican's generator.articles are);
    `by_section` maps a section name to its articles, newest first (built here
    when not given). `counter`, when given, gets the number of candidate visits
    added to counter[0]: the tests use it to show the cost is linear.
    """
    index = RelatedIndex(articles, count, scan, by_section)
    result = {id(a): index.for_article(a) for a in articles}
    if counter is not None:
        counter[0] += index.visits
    return result
