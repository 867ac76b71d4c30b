"""Pelican signals for sections.

Each article must name one of the configured sections; its category takes the
configured slug. After reading, one linear pass builds the home blocks, the lead
story and, per article, previous/next and nearby articles in its section and the
related articles (shared tags, then section; see related.py), so that
templates never loop over all articles inside each article (a quadratic trap).
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

from pelican import signals
from pelican.contents import Article

from .model import Section, SectionView, is_true, parse_sections
from .related import EndBlocks, LazyRelated, RelatedIndex
from .theme import banner, is_schedule

log = logging.getLogger(__name__)

DEFAULTS = {
    "SECTIONS": [],
    "SECTIONS_HOME_COUNT": 4,  # articles per section block on the home page
    "SECTIONS_NEARBY_COUNT": 5,  # "cùng chuyên mục" links under an article
    "SECTIONS_RELATED_COUNT": 5,  # "tin liên quan" under an article
    "SECTIONS_RELATED_SCAN": 40,  # candidates looked at per tag: bounds the cost per article
    "SECTIONS_SECONDARY_COUNT": 4,  # stories with thumbnails under the lead story
    "SECTIONS_LATEST_COUNT": 7,  # "Tin mới" in the right column (other pages than the home)
    "SECTIONS_HOME_LATEST_COUNT": 12,  # "Tin mới" on the home page (lead and secondaries left out)
    # "Lịch công tác": articles of this section whose title starts with one of the prefixes
    # or that carry one of the tags (compared without case)
    "SECTIONS_SCHEDULE_SECTION": "Thông báo",
    "SECTIONS_SCHEDULE_PREFIXES": ["Lịch làm việc", "Lịch công tác"],
    "SECTIONS_SCHEDULE_TAGS": ["lịch làm việc", "lịch công tác"],
    "SECTIONS_SCHEDULE_COUNT": 3,
}


class SectionError(ValueError):
    """An article names no section, or one that is not in SECTIONS."""


def _setting(settings: dict, key: str):
    return settings.get(key, DEFAULTS[key])


@lru_cache(maxsize=4)
def _sections_by_name(raw: tuple) -> dict[str, Section]:
    return {s.name: s for s in parse_sections(list(raw))}


def check_article(content) -> None:
    """content_object_init: reject an article outside the section list, naming its file."""
    if not isinstance(content, Article):
        return
    # Called once per article: parse the settings once per build, not per file.
    sections = _sections_by_name(tuple(map(tuple, _setting(content.settings, "SECTIONS"))))
    if not sections:
        return
    where = os.path.relpath(content.source_path) if content.source_path else "?"
    if "category" not in content.metadata:
        reason = "thiếu Category (chuyên mục)"
    elif content.category.name not in sections:
        reason = f"Category “{content.category.name}” không có trong SECTIONS"
    else:
        content.category.slug = sections[content.category.name].slug
        return
    valid = "; ".join(sections)
    log.error("%s: %s. Các chuyên mục hợp lệ: %s", where, reason, valid)
    raise SectionError(f"{where}: {reason}")


def _nearby(items: list, index: int, count: int) -> list:
    """Up to `count` articles closest in time to items[index], newer first."""
    lo, hi = index, index
    while hi - lo < count and (lo > 0 or hi < len(items) - 1):
        if lo > 0:
            lo -= 1
        if hi - lo < count and hi < len(items) - 1:
            hi += 1
    return [a for a in items[lo : hi + 1] if a is not items[index]]


def build_views(generator) -> None:
    """article_generator_finalized: precompute everything templates need, once."""
    settings = generator.settings
    sections = parse_sections(_setting(settings, "SECTIONS"))
    categories = {cat.name: cat for cat, _ in generator.categories}
    nearby_count = _setting(settings, "SECTIONS_NEARBY_COUNT")

    by_section: dict[str, list] = {s.name: [] for s in sections}
    for article in generator.articles:  # newest first, and stays so per section
        by_section.setdefault(article.category.name, []).append(article)

    views = []
    for section in sections:
        category = categories.get(section.name)
        url = category.url if category else ""
        articles = by_section[section.name]
        views.append(SectionView(section.name, section.slug, url, articles))
        # generator.articles is newest first; "previous" is the older one.
        for i, article in enumerate(articles):
            article.newer_in_section = articles[i - 1] if i > 0 else None
            article.older_in_section = articles[i + 1] if i + 1 < len(articles) else None
            article.nearby_in_section = _nearby(articles, i, nearby_count)

    related = RelatedIndex(
        generator.articles,
        count=_setting(settings, "SECTIONS_RELATED_COUNT"),
        scan=_setting(settings, "SECTIONS_RELATED_SCAN"),
        by_section=by_section,
    )
    positions = {id(a): i for items in by_section.values() for i, a in enumerate(items)}
    for article in generator.articles:  # ranked when the article's page is rendered
        article.related_articles = LazyRelated(related, article)
        # The blocks under the article: previous/next, then related, then the same section,
        # no article twice (end_blocks.related, end_blocks.nearby).
        article.end_blocks = EndBlocks(
            related, article, by_section[article.category.name], positions[id(article)], nearby_count
        )

    featured = [a for a in generator.articles if is_true(a.metadata.get("featured", ""))]
    lead = featured[0] if featured else (generator.articles[0] if generator.articles else None)
    schedule_of = _schedule_matcher(settings)
    schedules = _first(generator.articles, schedule_of, _setting(settings, "SECTIONS_SCHEDULE_COUNT"))
    # Under the lead: the newest other stories, the weekly schedules aside (they have a box).
    secondary = _first(
        generator.articles,
        lambda a: a is not lead and not schedule_of(a),
        _setting(settings, "SECTIONS_SECONDARY_COUNT"),
    )
    on_top = {id(lead), *map(id, secondary)}
    home_latest = _first(
        generator.articles, lambda a: id(a) not in on_top, _setting(settings, "SECTIONS_HOME_LATEST_COUNT")
    )

    generator.context["SECTION_VIEWS"] = views
    generator.context["SECTIONS_HOME_COUNT"] = _setting(settings, "SECTIONS_HOME_COUNT")
    generator.context["LEAD_ARTICLE"] = lead
    generator.context["LATEST_ARTICLES"] = [a for a in generator.articles[:9] if a is not lead][:8]
    generator.context["RECENT_ARTICLES"] = generator.articles[: _setting(settings, "SECTIONS_LATEST_COUNT")]
    generator.context["HOME_SECONDARY_ARTICLES"] = secondary
    generator.context["HOME_LATEST_ARTICLES"] = home_latest
    generator.context["SCHEDULE_ARTICLES"] = schedules
    generator.context["BANNER"] = banner(settings)


def _first(items, keep, count: int) -> list:
    """The first `count` items for which keep(item) is true, stopping there (linear at most)."""
    out = []
    for item in items:
        if len(out) >= count:
            break
        if keep(item):
            out.append(item)
    return out


def _schedule_matcher(settings: dict):
    section = _setting(settings, "SECTIONS_SCHEDULE_SECTION")
    prefixes = _setting(settings, "SECTIONS_SCHEDULE_PREFIXES")
    tags = _setting(settings, "SECTIONS_SCHEDULE_TAGS")
    return lambda article: is_schedule(article, section, prefixes, tags)


def register() -> None:
    signals.content_object_init.connect(check_article)
    signals.article_generator_finalized.connect(build_views)
