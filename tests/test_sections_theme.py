"""What plugins/sections computes for the theme: the blocks under an article without
repeats, the home page's lead/secondary/latest lists, the work schedules ("Lịch công tác")
and the banner image. Synthetic articles and a stand-in generator; the rendered pages are
checked in tests/test_theme_layout.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from sections.plugin import build_views
from sections.related import EndBlocks, RelatedIndex
from sections.theme import BannerError, banner, is_schedule


@dataclass(eq=False)
class Cat:
    name: str
    url: str = ""


@dataclass(eq=False)
class Tag:
    name: str

    @property
    def slug(self) -> str:
        return self.name.casefold().replace(" ", "-")


@dataclass(eq=False)
class Art:
    title: str
    date: datetime
    category: Cat
    tags: list = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return self.title


def make(specs, sections: dict[str, Cat] | None = None) -> list[Art]:
    """(title, section, [tags]) newest first."""
    sections = sections if sections is not None else {}
    start = datetime(2024, 1, 1)
    return [
        Art(title, start - timedelta(days=i), sections.setdefault(section, Cat(section, f"{section}/")),
            [Tag(t) for t in tags])
        for i, (title, section, tags) in enumerate(specs)
    ]  # fmt: skip


class Generator:
    """What build_views reads of Pelican's ArticlesGenerator."""

    def __init__(self, articles: list[Art], settings: dict) -> None:
        self.articles = articles
        cats = {a.category.name: a.category for a in articles}
        self.categories = [(c, [a for a in articles if a.category is c]) for c in cats.values()]
        self.settings = {"PATH": "content", **settings}
        self.context: dict = {}


SECTIONS = [("Tin tức", "tin-tuc"), ("Thông báo", "thong-bao"), ("Kinh tế", "kinh-te")]


def titles(items) -> list[str]:
    return [a.title for a in items]


def end_blocks(articles: list[Art], count: int = 3, nearby: int = 3) -> dict[str, EndBlocks]:
    """EndBlocks of every article, neighbours set as plugins/sections sets them."""
    index = RelatedIndex(articles, count=count)
    by_section: dict[str, list] = {}
    for a in articles:
        by_section.setdefault(a.category.name, []).append(a)
    out = {}
    for items in by_section.values():
        for i, a in enumerate(items):
            a.newer_in_section = items[i - 1] if i else None
            a.older_in_section = items[i + 1] if i + 1 < len(items) else None
            out[a.title] = EndBlocks(index, a, items, i, nearby)
    return out


# --- No article twice under an article ----------------------------------------------


def test_related_leave_out_previous_and_next_and_keep_their_length():
    # a4 and a6, the neighbours of a5, share two tags with it: they rank first
    arts = make([(f"a{i}", "A", ["t", "u"] if i in (4, 5, 6) else ["t"]) for i in range(10)])
    index = RelatedIndex(arts, count=3)
    assert titles(index.for_article(arts[5])) == ["a4", "a6", "a0"]
    blocks = end_blocks(arts, count=3)
    me = arts[5]
    related = blocks["a5"].related
    assert me.older_in_section not in related and me.newer_in_section not in related
    assert titles(related) == ["a0", "a1", "a2"]  # the ranking without a4 and a6, still three


def test_same_section_leaves_out_related_previous_next_and_itself():
    arts = make([(f"a{i}", "A", []) for i in range(12)])
    blocks = end_blocks(arts, count=3, nearby=3)
    me = arts[6]
    related, nearby = blocks["a6"].related, blocks["a6"].nearby
    shown = [me.older_in_section, me.newer_in_section, *related, *nearby]
    assert len(shown) == len(set(map(id, shown))) == 8 and me not in shown
    # nearest in time among those left, newer first
    assert titles(nearby) == sorted(titles(nearby), key=lambda t: int(t[1:]))
    assert all(abs(int(t[1:]) - 6) <= 4 for t in titles(nearby)), titles(nearby)


def test_every_article_of_a_realistic_mix_has_no_repeat():
    specs = [(f"a{i}", f"S{i % 3}", [f"t{i % 4}", "broad"] if i % 2 else [f"t{i % 5}"]) for i in range(60)]
    arts = make(specs)
    blocks = end_blocks(arts, count=5, nearby=5)
    for a in arts:
        shown = [n for n in (a.older_in_section, a.newer_in_section) if n]
        shown += blocks[a.title].related + blocks[a.title].nearby
        assert len(shown) == len(set(map(id, shown))), a
        assert a not in shown
        assert all(b.category is a.category for b in blocks[a.title].nearby)


def test_short_section_gives_what_it_has():
    arts = make([("only", "A", []), ("other", "B", [])])
    blocks = end_blocks(arts)
    assert blocks["only"].related == [] and blocks["only"].nearby == []


# --- Work schedules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "section", "tags", "expected"),
    [
        ("Lịch làm việc tuần 45 năm 2023 của Thường trực Thành ủy", "Thông báo", [], True),
        ("LỊCH LÀM VIỆC tuần 46", "Thông báo", [], True),  # case
        ("Lịch&nbsp;làm việc tuần 47", "Thông báo", [], True),  # typogrify's no-break space
        ("<em>Lịch công tác</em> tháng 12", "Thông báo", [], True),  # markup in the title
        ("Thông báo nghỉ Tết", "Thông báo", ["Lịch làm việc"], True),  # by its tag
        ("Thông báo nghỉ Tết", "Thông báo", ["lịch nghỉ"], False),
        ("Lịch làm việc tuần 45", "Kinh tế", [], False),  # another section
    ],
)
def test_schedule_by_title_or_tag(title, section, tags, expected):
    article = make([(title, section, tags)])[0]
    got = is_schedule(article, "Thông báo", ["Lịch làm việc", "Lịch công tác"], ["lịch làm việc"])
    assert got is expected


def test_home_lists_and_schedules():
    arts = make([
        ("newest", "Tin tức", []),
        ("Lịch làm việc tuần 3", "Thông báo", []),
        ("b", "Kinh tế", []),
        ("featured", "Tin tức", []),
        ("c", "Tin tức", []),
        ("Lịch làm việc tuần 2", "Thông báo", []),
        ("d", "Kinh tế", []),
        ("e", "Thông báo", []),
        ("f", "Tin tức", []),
        ("Lịch làm việc tuần 1", "Thông báo", ["lịch làm việc"]),
        ("g", "Kinh tế", []),
    ])  # fmt: skip
    arts[3].metadata["featured"] = "true"
    gen = Generator(arts, {
        "SECTIONS": SECTIONS, "SECTIONS_SECONDARY_COUNT": 4, "SECTIONS_HOME_LATEST_COUNT": 4,
        "SECTIONS_LATEST_COUNT": 3, "SECTIONS_SCHEDULE_SECTION": "Thông báo", "SECTIONS_SCHEDULE_COUNT": 2,
    })  # fmt: skip
    build_views(gen)
    ctx = gen.context
    assert ctx["LEAD_ARTICLE"].title == "featured"
    # under the lead: the newest others, schedules aside (they have their own box)
    assert titles(ctx["HOME_SECONDARY_ARTICLES"]) == ["newest", "b", "c", "d"]
    # "Tin mới" on the home page: what the top of the page does not already show
    assert titles(ctx["HOME_LATEST_ARTICLES"]) == ["Lịch làm việc tuần 3", "Lịch làm việc tuần 2", "e", "f"]
    assert titles(ctx["RECENT_ARTICLES"]) == ["newest", "Lịch làm việc tuần 3", "b"]
    assert titles(ctx["SCHEDULE_ARTICLES"]) == ["Lịch làm việc tuần 3", "Lịch làm việc tuần 2"]
    assert ctx["BANNER"] is None
    for a in arts:
        assert isinstance(a.end_blocks, EndBlocks)


# --- Banner image -----------------------------------------------------------------


def test_banner_from_the_content_or_the_theme(tmp_path: Path):
    content, theme = tmp_path / "content", tmp_path / "theme"
    (content / "images").mkdir(parents=True)
    (theme / "static").mkdir(parents=True)
    Image.new("RGB", (1200, 160), "#a50e0e").save(content / "images" / "banner.jpg")
    Image.new("RGB", (900, 120), "#a50e0e").save(theme / "static" / "banner.png")
    (theme / "static" / "banner.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 150"/>')
    settings = {"PATH": str(content), "THEME": str(theme), "THEME_STATIC_DIR": "theme"}
    assert banner(settings) is None
    assert banner({**settings, "BANNER_IMAGE": "images/banner.jpg"}) == {
        "url": "images/banner.jpg", "width": 1200, "height": 160}
    assert banner({**settings, "BANNER_IMAGE": "/theme/banner.png"}) == {
        "url": "theme/banner.png", "width": 900, "height": 120}
    assert banner({**settings, "BANNER_IMAGE": "theme/banner.svg"})["width"] == 1000
    with pytest.raises(BannerError, match="images/khong-co.jpg"):
        banner({**settings, "BANNER_IMAGE": "images/khong-co.jpg"})
