"""Related articles (plugins/sections/related.py) and neighbours in the section.

Unit tests on synthetic articles, a cost test that counts candidate visits (not
wall-clock time) at 1,000 and 4,000 articles, and checks on known articles of the
repository's own content in the production build.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from sections.related import _window, related_articles
from tests.test_site import SEED_URL


@dataclass(eq=False)
class Cat:
    name: str


@dataclass(eq=False)
class Tag:
    slug: str


@dataclass(eq=False)
class Art:
    title: str
    date: datetime
    category: Cat
    tags: list = field(default_factory=list)

    def __repr__(self) -> str:
        return self.title


def make(specs) -> list[Art]:
    """(title, section, [tags]) newest first."""
    start = datetime(2024, 1, 1)
    return [
        Art(title, start - timedelta(days=i), Cat(section), [Tag(t) for t in tags])
        for i, (title, section, tags) in enumerate(specs)
    ]


def titles(items) -> list[str]:
    return [a.title for a in items]


def test_shared_tags_first_then_section_newer_first():
    arts = make([
        ("new-other-section-1tag", "B", ["x"]),
        ("same-section-none", "A", []),
        ("me", "A", ["x", "y"]),
        ("old-2tags", "C", ["x", "y"]),
        ("old-same-section-1tag", "A", ["y"]),
        ("older-same-section-none", "A", []),
        ("unrelated", "C", ["z"]),
    ])  # fmt: skip
    rel = related_articles(arts, count=5)
    me = arts[2]
    assert titles(rel[id(me)]) == [
        "old-2tags",  # two shared tags
        "old-same-section-1tag",  # one shared tag, same section
        "new-other-section-1tag",  # one shared tag, other section
        "same-section-none",  # then the section, newer first
        "older-same-section-none",
    ]


def test_at_most_count_and_never_itself():
    arts = make([(f"a{i}", "A", ["t"]) for i in range(30)])
    rel = related_articles(arts, count=5)
    for a in arts:
        assert len(rel[id(a)]) == 5
        assert a not in rel[id(a)]
        assert len(set(map(id, rel[id(a)]))) == 5


def test_equal_scores_newer_first():
    arts = make([(f"a{i}", "A", ["t"]) for i in range(8)])
    assert titles(related_articles(arts, count=3)[id(arts[5])]) == ["a0", "a1", "a2"]


def test_lonely_article_has_no_related():
    arts = make([("alone", "A", ["t"]), ("other", "B", ["u"])])
    assert related_articles(arts)[id(arts[0])] == []


def test_duplicate_tag_counts_once():
    arts = make([("me", "A", ["t", "t"]), ("b", "B", ["t"]), ("c", "B", ["t", "u"])])
    assert titles(related_articles(arts)[id(arts[0])]) == ["b", "c"]


def test_broad_tag_only_looks_near_in_time():
    """With a bounded scan, an old article gets related articles from its own period."""
    arts = make([(f"a{i}", f"S{i % 7}", ["broad"]) for i in range(1000)])
    rel = related_articles(arts, count=5, scan=40)
    got = [int(a.title[1:]) for a in rel[id(arts[900])]]
    assert all(abs(i - 900) <= 21 for i in got), got


@pytest.mark.parametrize(("index", "size"), [(0, 4), (5, 4), (9, 4), (3, 40)])
def test_window_is_bounded_and_contains_the_item(index, size):
    items = list(range(10))
    win = _window(items, index, size)
    assert index in win
    assert len(win) == min(size + 1, len(items))


def synthetic(n: int, seed: int = 7) -> list[Art]:
    """Articles with realistic tagging: 2-4 tags from a long-tailed vocabulary, and one
    very broad tag ("Thành ủy") on a third of them."""
    rng = random.Random(seed)
    vocab = [f"tag{i}" for i in range(n // 10 + 20)]
    specs = []
    for i in range(n):
        tags = rng.sample(vocab, rng.randint(2, 4))
        if i % 3 == 0:
            tags.append("thanh-uy")
        specs.append((f"a{i}", f"S{rng.randrange(7)}", tags))
    return make(specs)


def test_cost_grows_linearly():
    """Candidate visits per article do not grow with the number of articles."""
    small, large = [0], [0]
    related_articles(synthetic(1000), counter=small)
    related_articles(synthetic(4000), counter=large)
    ratio = large[0] / small[0]
    assert 3.5 < ratio < 4.6, (small, large, ratio)
    # all-pairs would be 16× the work; per article the cost stays bounded
    assert large[0] / 4000 < 4 * 41 + 41 + 1


# --- The repository's own content (production build) --------------------------

SEED_RELATED = [
    # shares "Thành ủy Quảng Ngãi" and the section
    "chinh-tri-xa-hoi/2023/10/30/thong-tin-ve-lich-tiep-cong-dan-dinh-ky-bai-mau.html",
    # share "Thành ủy Quảng Ngãi" only, newer first
    "tin-tuc-su-kien/2023/12/15/khai-mac-hoi-nghi-ban-chap-hanh-dang-bo-thanh-pho-lan-thu-15-bai-mau.html",
    "tin-tuc-su-kien/2023/11/10/hoi-nghi-so-ket-cong-tac-quy-iv-nam-2023-bai-mau.html",
    # then the section, newer first
    "chinh-tri-xa-hoi/2023/12/14/dai-bieu-hdnd-thanh-pho-tiep-xuc-cu-tri-truoc-ky-hop-cuoi-nam-bai-mau.html",
    "chinh-tri-xa-hoi/2023/12/01/trao-nha-dai-doan-ket-cho-ho-ngheo-bai-mau.html",
]
# The seed's previous and next articles in its section: the page shows them as "Bài trước/sau"
# and leaves them out of "Tin liên quan" (no article twice under an article).
SEED_NEIGHBOURS = {SEED_RELATED[0], SEED_RELATED[4]}
WEEK = "thong-bao/2023/{:02d}/{:02d}/lich-lam-viec-tuan-{}-nam-2023-cua-thuong-truc-thanh-uy-bai-mau.html"
WEEK45 = WEEK.format(11, 6, 45)


DUMP = """
import json, sys
from pelican import Pelican, signals
from pelican.settings import read_settings

settings_file, content, output, dump = sys.argv[1:5]
settings = read_settings(settings_file, override={"PATH": content, "OUTPUT_PATH": output,
                                                  "SEARCH_ENABLED": False})
pelican = Pelican(settings)  # registers the plugins first: sections runs before us

def record(generator):
    json.dump({a.url: {"related": [r.url for r in a.related_articles],
                       "older": a.older_in_section.url if a.older_in_section else None,
                       "newer": a.newer_in_section.url if a.newer_in_section else None}
               for a in generator.articles}, open(dump, "w"))

signals.article_generator_finalized.connect(record)
pelican.run()
"""


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> dict:
    """article URL → related URLs and neighbours, as the sections plugin computed them
    for the repository's content in the production settings (whatever the theme shows)."""
    import json
    import subprocess
    import sys

    from tasks import PUBLISH_SETTINGS, ROOT

    tmp = tmp_path_factory.mktemp("related")
    dump = tmp / "related.json"
    proc = subprocess.run(
        [sys.executable, "-c", DUMP, str(PUBLISH_SETTINGS), str(ROOT / "content"),
         str(tmp / "out"), str(dump)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(dump.read_text("utf-8"))


@pytest.mark.slow
def test_seed_article_related(computed):
    assert computed[SEED_URL]["related"] == SEED_RELATED


@pytest.mark.slow
def test_weekly_schedule_related_are_five_newest_of_its_tags(computed):
    assert computed[WEEK45]["related"] == [
        WEEK.format(12, 18, 51), WEEK.format(12, 11, 50), WEEK.format(12, 4, 49),
        WEEK.format(11, 27, 48), WEEK.format(11, 20, 47),
    ]  # fmt: skip
    assert computed[WEEK45]["older"] == WEEK.format(10, 30, 44)
    assert computed[WEEK45]["newer"] == WEEK.format(11, 13, 46)


@pytest.mark.slow
def test_every_article_has_at_most_five_related_never_itself(computed):
    for url, entry in computed.items():
        assert len(entry["related"]) <= 5
        assert url not in entry["related"]
        assert len(set(entry["related"])) == len(entry["related"])


@pytest.mark.slow
def test_related_links_rendered_when_the_theme_shows_them(site):
    """The theme renders the related articles in a `.related-articles` block (theme/templates/
    article.html), without the previous and next ones, which it shows as "Bài trước/sau"."""
    soup = site.soup(SEED_URL)
    block = soup.select_one(".related-articles")
    if block is None:
        pytest.skip("theme/templates/article.html does not render article.related_articles yet")
    hrefs = [
        site.local_target(a["href"], site.root / SEED_URL).relative_to(site.root).as_posix()
        for a in block.select(".item__title a[href]")
    ]
    assert hrefs == [url for url in SEED_RELATED if url not in SEED_NEIGHBOURS]


@pytest.mark.slow
def test_weekly_schedule_previous_and_next_in_section(site):
    soup = site.soup(WEEK45)
    prev = soup.select_one(".prev-next a[rel=prev]")
    nxt = soup.select_one(".prev-next a[rel=next]")
    assert prev["href"].endswith(WEEK.format(10, 30, 44))
    assert nxt["href"].endswith(WEEK.format(11, 13, 46))


@pytest.mark.slow
def test_oldest_in_section_has_no_previous(site):
    soup = site.soup(WEEK.format(10, 2, 40))
    assert soup.select_one(".prev-next a[rel=prev]") is None
    assert soup.select_one(".prev-next a[rel=next]")["href"].endswith(WEEK.format(10, 9, 41))
