"""The production build of the repository's content, read back with BeautifulSoup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from tasks import ROOT

# The committee's page as it sent it (a copy of ../shared/seed/, so that any checkout has it).
SEED = ROOT / "tests" / "fixtures" / "legacy" / "000_4761ca7e1ca08aac.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / SEED.name
SEED_URL = (
    "chinh-tri-xa-hoi/2023/11/08/bi-thu-thanh-uy-quang-ngai-ngo-van-trong-gap-go-tiep-xuc-"
    "doi-thoai-voi-can-bo-vien-chuc-cong-chuc-tren-dia-ban-thanh-pho.html"
)
SEED_TITLE = (
    "Bí thư Thành ủy Quảng Ngãi Ngô Văn Trọng gặp gỡ, tiếp xúc đối thoại với cán bộ, "
    "viên chức, công chức trên địa bàn thành phố"
)
CHROME = ("Lượt truy cập", "Đang online", "Tổng truy cập")


def text(node) -> str:
    """Visible text with typogrify's no-break spaces read as spaces."""
    return re.sub(r"\s+", " ", node.get_text().replace("\xa0", " ")).strip()


def seed_paragraphs() -> list[str]:
    """The body paragraphs of the committee's page, without its chrome."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    body = lines[2 : lines.index("KV")]
    return [re.sub(r"\s+", " ", line) for line in body]


@pytest.fixture(scope="module")
def seed_page(site):
    return site.soup(SEED_URL)


def test_seed_fixture_is_available():
    assert SEED.is_file(), "the seed article text lives in tests/fixtures/legacy/"
    assert len(seed_paragraphs()) == 7
    if SHARED_SEED.is_file():  # beside the committee's copy: the same bytes
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_article_title_and_lang(seed_page):
    assert seed_page.html["lang"] == "vi"
    h1s = seed_page.find_all("h1")
    assert len(h1s) == 1
    assert text(h1s[0]) == SEED_TITLE


def test_seed_article_date_line(seed_page):
    time = seed_page.find("main").find("time")
    assert time["datetime"].startswith("2023-11-08")
    assert text(time) == "Thứ Tư, 08/11/2023"


def test_seed_article_breadcrumb_links_section(seed_page, site):
    crumbs = seed_page.find("nav", attrs={"aria-label": "Đường dẫn"})
    links = crumbs.find_all("a")
    assert text(links[0]) == "Trang chủ"
    section = [a for a in links if text(a) == "Chính trị - Xã hội"]
    assert section, "breadcrumb links the section"
    assert site.local_target(section[0]["href"], site.root / SEED_URL) == (
        site.root / "chinh-tri-xa-hoi" / "index.html"
    )


def test_seed_article_every_paragraph_verbatim_in_order(seed_page):
    body = seed_page.find(attrs={"data-pagefind-body": True}) or seed_page.find(class_="article-body")
    paragraphs = [text(p) for p in body.find_all("p") if text(p)]
    assert paragraphs[: len(seed_paragraphs())] == seed_paragraphs()


def test_seed_article_has_no_page_chrome_in_body(seed_page):
    body = seed_page.find(class_="article-body")
    assert not any(word in text(body) for word in CHROME)
    assert "Chính trị - Xã hội" not in text(body)


def test_seed_article_signature(seed_page):
    assert text(seed_page.find(class_="signature")) == "KV"


def test_seed_article_meta(seed_page, site):
    canonical = seed_page.find("link", rel="canonical")["href"]
    assert canonical == f"{site.siteurl}/{SEED_URL}"
    assert seed_page.find("meta", property="og:title")["content"] == SEED_TITLE
    ld = seed_page.find("script", type="application/ld+json")
    import json

    data = json.loads(ld.string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == SEED_TITLE
    assert data["datePublished"].startswith("2023-11-08T00:00:00+07:00")


def test_typogrify_keeps_vietnamese_intact(seed_page):
    html = str(seed_page.find(class_="article-body"))
    assert "“Nâng cao chất lượng và hiệu quả giải quyết công việc”" in html.replace("\xa0", " ")
    assert "TP.Quảng Ngãi" in html
    assert "&amp;" not in html and "class=\"caps\"" not in html


def _links_to(page, site, target: str, source: Path) -> bool:
    want = site.root / target
    return any(site.local_target(a["href"], source) == want for a in page.find_all("a", href=True))


def test_home_page_links_seed_as_lead(site):
    home = site.soup("index.html")
    assert _links_to(home, site, SEED_URL, site.root / "index.html")
    assert home.html["lang"] == "vi"


def test_section_page_lists_seed(site):
    section = site.soup("chinh-tri-xa-hoi/index.html")
    assert text(section.find("h1")) == "Chính trị - Xã hội"
    assert _links_to(section, site, SEED_URL, site.root / "chinh-tri-xa-hoi" / "index.html")


def test_every_section_has_a_page_and_a_menu_entry(site):
    from pelicanconf import SECTIONS

    menu = site.soup("index.html").find("nav", attrs={"aria-label": "Menu chính"})
    nav_hrefs = {a["href"] for a in menu.find_all("a", href=True)}
    for name, slug in SECTIONS:
        assert (site.root / slug / "index.html").is_file(), name
        assert any(href.rstrip("/").endswith(slug) for href in nav_hrefs), name


def test_section_pagination(site):
    first = site.root / "thong-bao" / "index.html"
    second = site.root / "thong-bao" / "trang-2.html"
    assert first.is_file() and second.is_file()
    assert _links_to(site.soup("thong-bao/index.html"), site, "thong-bao/trang-2.html", first)
    assert _links_to(site.soup("thong-bao/trang-2.html"), site, "thong-bao/index.html", second)


def test_feeds_list_seed(site):
    for feed in ("feeds/all.atom.xml", "feeds/chuyen-muc/chinh-tri-xa-hoi.atom.xml"):
        parsed = feedparser.parse((site.root / feed).read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        links = [entry.link for entry in parsed.entries]
        assert f"{site.siteurl}/{SEED_URL}" in links, feed
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.updated and entry.link


def test_every_section_has_a_feed(site):
    from pelicanconf import SECTIONS

    for _, slug in SECTIONS:
        parsed = feedparser.parse((site.root / "feeds" / "chuyen-muc" / f"{slug}.atom.xml").read_bytes())
        assert not parsed.bozo and parsed.entries, slug


def test_sitemap_lists_every_article_and_page(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(site.root / "sitemap.xml")
    locs = {loc.text for loc in tree.findall(".//s:loc", ns)}
    articles = [p for p in site.html_files()
                if re.match(r"\d{4}/\d{2}/\d{2}/", "/".join(p.relative_to(site.root).parts[1:]))]
    assert len(articles) >= 19
    for page in articles + [site.root / n for n in ("gioi-thieu.html", "lien-he.html", "so-do-trang.html")]:
        assert f"{site.siteurl}/{page.relative_to(site.root).as_posix()}" in locs, page


def test_robots_points_at_sitemap(site):
    robots = (site.root / "robots.txt").read_text()
    assert f"Sitemap: {site.siteurl}/sitemap.xml" in robots


def test_every_internal_link_and_asset_resolves(site):
    missing = []
    for page in site.html_files():
        soup = site.soup(page.relative_to(site.root).as_posix())
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                          ("source", "srcset"), ("img", "srcset")):  # fmt: skip
            for node in soup.find_all(tag, attrs={attr: True}):
                urls = [u.strip().split(" ")[0] for u in node[attr].split(",")] if "srcset" in attr else [node[attr]]
                for url in urls:
                    target = site.local_target(url, page)
                    if target is not None and target.relative_to(site.root).parts[:1] == ("api",):
                        continue  # the counter's endpoints (CSV downloads): tests/test_hitcount_*
                    if target is not None and not target.is_file():
                        missing.append(f"{page.relative_to(site.root)}: {url}")
    assert not missing, "\n".join(missing[:30])


def test_no_inline_scripts_or_handlers(site):
    for page in site.html_files():
        soup = site.soup(page.relative_to(site.root).as_posix())
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", page
        for node in soup.find_all(True):
            assert not any(attr.startswith("on") for attr in node.attrs), (page, node.name)


def test_static_pages_exist(site):
    for name, title in (("gioi-thieu.html", "Giới thiệu"), ("lien-he.html", "Liên hệ"),
                        ("so-do-trang.html", "Sơ đồ trang"), ("404.html", None)):  # fmt: skip
        soup = site.soup(name)
        assert soup.html["lang"] == "vi"
        if title:
            assert text(soup.find("h1")) == title


def test_site_map_page_lists_every_section(site):
    from pelicanconf import SECTIONS

    page = site.soup("so-do-trang.html")
    for name, slug in SECTIONS:
        assert _links_to(page, site, f"{slug}/index.html", site.root / "so-do-trang.html"), name


def test_contact_page_shows_committee_details(site):
    from pelicanconf import COMMITTEE

    body = text(site.soup("lien-he.html").find("main"))
    for key in ("address", "phone", "email"):
        assert COMMITTEE[key] in body


def test_article_page_weighs_at_most_50_kb(site):
    """HTML + CSS + scripts (+ fonts) of the seed's page, content images aside."""
    page = site.root / SEED_URL
    soup = site.soup(SEED_URL)
    total = page.stat().st_size
    assets = {site.local_target(n["href"], page) for n in soup.find_all("link", rel="stylesheet")}
    assets |= {site.local_target(n["src"], page) for n in soup.find_all("script", src=True)}
    for asset in assets - {None}:
        total += asset.stat().st_size
        if asset.suffix == ".css":
            for font in re.findall(r"url\(([^)]+\.woff2?)\)", asset.read_text()):
                total += (asset.parent / font.strip("'\"")).stat().st_size
    assert total <= 50 * 1024, f"{total} bytes"
