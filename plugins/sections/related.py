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
    order = {id(a): i for i, a in enumerate(articles)}  # 0 is the newest
    section_of = {id(a): a.category.name for a in articles}
    by_tag: dict[str, list] = defaultdict(list)
    tag_pos: dict[tuple[int, str], int] = {}
    if by_section is None:
        by_section = defaultdict(list)
        for a in articles:
            by_section[a.category.name].append(a)
    section_pos = {id(a): i for items in by_section.values() for i, a in enumerate(items)}
    for a in articles:
        for tag in getattr(a, "tags", None) or ():
            key = _key(tag)
            if (id(a), key) in tag_pos:  # the same tag written twice
                continue
            tag_pos[(id(a), key)] = len(by_tag[key])
            by_tag[key].append(a)

    visits = 0
    result: dict[int, list] = {}
    for a in articles:
        me = id(a)
        section = section_of[me]
        shared: dict[int, int] = defaultdict(int)
        objects: dict[int, Any] = {}
        for tag in getattr(a, "tags", None) or ():
            key = _key(tag)
            pos = tag_pos.get((me, key))
            if pos is None:
                continue
            for b in _window(by_tag[key], pos, scan):
                visits += 1
                if b is not a:
                    shared[id(b)] += 1
                    objects[id(b)] = b
        ranked = sorted(
            shared,
            key=lambda i: (-shared[i], section_of.get(i) != section, order[i]),
        )
        chosen = [objects[i] for i in ranked[:count]]
        if len(chosen) < count:
            taken = {id(b) for b in chosen}
            same = by_section.get(section, [])
            pos = section_pos.get(me)
            window = _window(same, pos, scan) if pos is not None else ()
            visits += len(window)
            fill = [b for b in window if b is not a and id(b) not in taken]
            fill.sort(key=lambda b: order[id(b)])  # newer first
            chosen.extend(fill[: count - len(chosen)])
        result[me] = chosen
    if counter is not None:
        counter[0] += visits
    return result
