"""plugins/listing_index: articles of equal rank are listed in one order on every build."""

from __future__ import annotations

import itertools
from datetime import datetime
from types import SimpleNamespace

from listing_index.plugin import ORDERED_LISTS, TRANSLATION_LISTS, stable_order


def _generator(articles: list) -> SimpleNamespace:
    lists = {name: [] for name in (*ORDERED_LISTS, *TRANSLATION_LISTS)}
    return SimpleNamespace(settings={"ARTICLE_ORDER_BY": "reversed-date"}, **{**lists, "articles": articles})


def test_equal_dates_are_ordered_by_file_whatever_order_they_were_read_in():
    """Pelican reads files in a set's order (it changes with the hash seed) and sorts stably:
    before stable_order, articles with the same Date came out in the order they were read."""
    same = datetime(2023, 11, 7, 9, 0)
    articles = [SimpleNamespace(date=same, source_path=f"/c/articles/{name}.md") for name in "dbeac"]
    newer = SimpleNamespace(date=datetime(2023, 11, 8), source_path="/c/articles/z.md")
    orders = set()
    for read in itertools.permutations([*articles, newer]):
        generator = _generator(list(read))
        stable_order(generator)
        orders.add(tuple(a.source_path for a in generator.articles))
    assert orders == {("/c/articles/z.md", *(f"/c/articles/{n}.md" for n in "abcde"))}


def test_the_lists_stay_the_generators_own():
    """The listings are made from generator.articles right after: the sorted list is it."""
    articles = [SimpleNamespace(date=datetime(2023, 1, d), source_path=f"/c/{d}.md") for d in (2, 1, 3)]
    generator = _generator(articles)
    stable_order(generator)
    assert [a.source_path for a in generator.articles] == ["/c/3.md", "/c/2.md", "/c/1.md"]
    assert generator.drafts == [] and generator.translations == []
