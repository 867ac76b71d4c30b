"""Tag, section, author and period-archive pages without a scan of the whole archive for each.

Pelican builds each listing's `dates` as `[a for a in self.dates if a in articles]`
(ArticlesGenerator.generate_tags, _categories, _authors): a scan of the whole archive per
listing, each step a scan of that listing's list. At 20,000 articles and 61 tags that was
over 20 s of a build, warm or clean, and a set per list still left 61 scans of 20,000
(0.4 s of each preview rebuild). Here each listing's `dates` are its articles sorted by
their place in `self.dates`: the same articles in the same order (content objects compare
by identity, Pelican defines no __eq__ for them); each page is written with Pelican's
arguments.

Articles of equal rank (two with the same Date) are listed in the order of their file paths
(`stable_order`): Pelican reads the files in the order of a set, which changes with each
process's hash seed, and sorts with a stable sort, so two builds of the same content listed
them in different orders and a scheduled run that changed nothing had a different site.

The year and month archives have the same shape (`[a for a in articles if a in dates]` per
period, in ArticlesGenerator._build_period_archives): that method runs here with no articles
to scan, and every period's list is then filled in one pass over the articles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from pelican import signals
from pelican.utils import order_content
from pelican.writers import FileOverwriteFailedError

log = logging.getLogger(__name__)


def listing_dates(dates: list, listings: Iterable[list]) -> list[list]:
    """For each listing's articles, `[a for a in dates if a in articles]`, by place in dates."""
    position = {id(a): i for i, a in enumerate(dates)}
    if len(position) < len(dates):  # an article twice in dates: one scan per listing
        members = [{id(a) for a in articles} for articles in listings]
        return [[a for a in dates if id(a) in ids] for ids in members]
    result = []
    for articles in listings:
        places = sorted({position[key] for a in articles if (key := id(a)) in position})
        result.append([dates[i] for i in places])
    return result


def write_listings(generator: Any, write: Any, kind: str, listings: list[tuple[Any, list]]) -> None:
    """ArticlesGenerator.generate_tags (kind "tag"), _categories and _authors, `dates` apart."""
    template = generator.get_template(kind)
    all_dates = listing_dates(generator.dates, (articles for _, articles in listings))
    for (item, articles), dates in zip(listings, all_dates):
        try:
            write(item.save_as, template, generator.context, url=item.url, articles=articles,
                  dates=dates, template_name=kind, blog=True, page_name=item.page_name,
                  all_articles=generator.articles, **{kind: item})  # fmt: skip
        except FileOverwriteFailedError:
            if not item.slug:  # Pelican's own messages
                log.info('%s "%s" has an invalid slug; skipping writing %s page...',
                         kind.title(), item, kind,
                         extra={"limit_msg": f"Further {kind}s with invalid slugs."})  # fmt: skip
                continue
            log.error('Failed to write %s page for "%s".', kind.title(), item)
            raise


def _linear_period_archives(original: Any, sorted_articles: list, articles: list, settings: dict) -> Any:
    archives = original(sorted_articles, [], settings)  # every "articles" list left empty
    for periods in archives.values():
        period_of = {id(a): archive["articles"] for archive in periods for a in archive["dates"]}
        for article in articles:
            found = period_of.get(id(article))
            if found is not None:
                found.append(article)
    return archives


def install(generator: Any) -> None:
    """article_generator_init: the listings and the period archives, no scan per listing."""
    original = generator._build_period_archives
    generator._build_period_archives = partial(_linear_period_archives, original)
    generator.generate_tags = lambda write: write_listings(
        generator, write, "tag", list(generator.tags.items()))
    generator.generate_categories = lambda write: write_listings(
        generator, write, "category", generator.categories)
    generator.generate_authors = lambda write: write_listings(
        generator, write, "author", generator.authors)


ORDERED_LISTS = ("articles", "hidden_articles", "drafts")  # sorted by ARTICLE_ORDER_BY
TRANSLATION_LISTS = ("translations", "hidden_translations", "drafts_translations")


def _path(content: Any) -> str:
    return content.source_path or ""


def stable_order(generator: Any) -> None:
    """article_generator_pretaxonomy: each list in ARTICLE_ORDER_BY's order, ties by file path
    (sorted by path first: the sort that follows is stable), before the listings are made."""
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    for name in ORDERED_LISTS:
        items = getattr(generator, name)
        items.sort(key=_path)
        setattr(generator, name, order_content(items, order_by))
    for name in TRANSLATION_LISTS:
        getattr(generator, name).sort(key=_path)


def register() -> None:
    signals.article_generator_init.connect(install)
    signals.article_generator_pretaxonomy.connect(stable_order)
