"""What the theme promises on each page, on the production build: the top bar and its date,
the right column, the article page (sapo, caption, share links, blocks without repeats,
print), the English page and the banner image. Markup is read with BeautifulSoup; what only
a browser can tell (the date written from the reader's clock, bold, what prints) is checked
in Debian's Chromium against the site behind nginx with its Content-Security-Policy.
The home page's columns: tests/test_theme_layout.py; the menu: tests/test_quality_a11y.py."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.site import run_build
from tests.support import READER_USER_AGENT, RECORD_CSP_VIOLATIONS
from tests.test_deploy_serving import served_site
from tests.test_site import SEED_URL, text

FEATURED = "tin-tuc-su-kien/2023/12/15/khai-mac-hoi-nghi-ban-chap-hanh-dang-bo-thanh-pho-lan-thu-15-bai-mau.html"


def articles(site) -> list[str]:
    return [p.relative_to(site.root).as_posix() for p in site.html_files()
            if re.search(r"/\d{4}/\d{2}/\d{2}/[^/]+\.html$", p.relative_to(site.root).as_posix())]  # fmt: skip


def target(site, page: str, href: str) -> str | None:
    found = site.local_target(href, site.root / page)
    return found.relative_to(site.root).as_posix() if found is not None else None


# --- Top bar -----------------------------------------------------------------------


def test_top_bar_links_on_every_page_and_no_date_in_the_build(site):
    english = next(p for p in site.html_files() if '<html lang="en">' in p.read_text("utf-8")[:200])
    for path in site.html_files():
        rel = path.relative_to(site.root).as_posix()
        soup = site.soup(rel)
        bar = soup.select_one("header .topbar")
        assert bar is not None, rel
        assert bar.select_one("[data-today]").get_text(strip=True) == "", rel  # written in the browser only
        links = {text(a): a for a in bar.select("nav a")}
        assert {"Sơ đồ trang", "Liên hệ", "RSS", "English"} <= set(links), (rel, list(links))
        assert target(site, rel, links["Sơ đồ trang"]["href"]) == "so-do-trang.html"
        assert target(site, rel, links["Liên hệ"]["href"]) == "lien-he.html"
        assert target(site, rel, links["RSS"]["href"]) == "feeds/all.atom.xml"
        assert target(site, rel, links["English"]["href"]) == english.relative_to(site.root).as_posix()
        assert links["English"]["lang"] == "en" and links["English"]["hreflang"] == "en"
        if "Văn bản" in links:  # plugins/documents is on
            assert target(site, rel, links["Văn bản"]["href"]) == "van-ban/index.html"


def test_banner_is_the_emblem_and_the_full_name_without_a_banner_image(site):
    brand = site.soup("index.html").select_one("header .banner .brand")
    assert brand.select_one("img.brand__emblem")["alt"] == ""  # decorative: the name is the text
    assert text(brand) == "Cổng thông tin điện tử Thành ủy Quảng Ngãi"
    assert site.soup("index.html").select_one(".brand__image") is None


@pytest.mark.slow
def test_banner_image_from_the_settings(tmp_path):
    from tasks import PUBLISH_SETTINGS

    result = run_build(PUBLISH_SETTINGS, tmp_path / "out", None, "-e", 'BANNER_IMAGE="theme/favicon.svg"',
                       'SEARCH_ENABLED=false')  # fmt: skip
    assert result.returncode == 0, result.log
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    img = re.search(r'<img class="brand__image"[^>]*>', html).group(0)
    assert 'src="https://thanhuy-quangngai.example/theme/favicon.svg"' in img
    assert 'alt="Cổng thông tin điện tử Thành ủy Quảng Ngãi"' in img and 'width="64" height="64"' in img
    assert "brand__emblem" not in html
    missing = run_build(PUBLISH_SETTINGS, tmp_path / "out2", None, "-e", 'BANNER_IMAGE="images/khong-co.jpg"',
                        'SEARCH_ENABLED=false')  # fmt: skip
    assert missing.returncode != 0 and "images/khong-co.jpg" in missing.log


# --- Right column --------------------------------------------------------------------


@pytest.mark.parametrize("page", ["index.html", SEED_URL, "gioi-thieu.html", "chinh-tri-xa-hoi/index.html"])
def test_right_column_boxes_in_order(site, page):
    from pelicanconf import PORTAL_LINKS

    soup = site.soup(page)
    aside = soup.select_one("body > .layout > aside.sidebar")
    assert aside is not None and aside.find_previous_sibling("main") is not None
    titles = [text(h).casefold() for h in aside.select("section > h2")]
    expected = ["tin mới", "đọc nhiều", "lịch công tác", "văn bản mới", "liên kết"]
    assert [t for t in titles if t in expected] == [t for t in expected if t in titles]
    assert {"tin mới", "đọc nhiều", "lịch công tác", "liên kết"} <= set(titles), titles
    assert aside.select(":scope > section")[-1]["class"] == ["box", "visitor-counter"]  # the counter, last, alone
    assert len(soup.select("[data-most-read]")) == 1 and soup.select_one("main [data-most-read]") is None
    schedules = [text(a) for a in aside.select(".box--schedule li > a")]
    assert schedules and all(t.startswith("Lịch làm việc") for t in schedules)
    links = [(text(a), a["href"]) for a in aside.select(".portal-links a")]
    assert links == [(name, url) for name, url in PORTAL_LINKS]


def test_schedules_are_the_newest_of_thong_bao(site):
    aside = site.soup("index.html").select_one("aside.sidebar .box--schedule")
    hrefs = [target(site, "index.html", a["href"]) for a in aside.select("li > a")]
    assert hrefs == sorted((a for a in articles(site) if "/lich-lam-viec-" in a), reverse=True)[:3]


# --- Article page --------------------------------------------------------------------


def test_article_sapo_before_the_body_and_caption_under_the_lead_image(site):
    soup = site.soup(FEATURED)
    article = soup.select_one("main article.article")
    order = [el for el in article.find_all(True) if el.get("class") and el["class"][0] in
             {"article__header", "article__summary", "article__figure", "article-body"}]  # fmt: skip
    assert [el["class"][0] for el in order] == [
        "article__header", "article__summary", "article__figure", "article-body"]
    assert text(order[1]).startswith("(Bài mẫu) Sáng 15/12")
    figure = order[2]
    assert figure.select_one("img")["alt"].startswith("Quang cảnh hội trường")
    assert text(figure.figcaption) == "Quang cảnh hội nghị. Ảnh minh họa."  # ImageCaption, not the alt text


def test_share_links_are_plain_links_with_the_address(site):
    soup = site.soup(SEED_URL)
    canonical = soup.find("link", rel="canonical")["href"]
    tools = soup.select_one("article .tools")
    shares = {text(a).replace("Chia sẻ lên ", ""): a["href"] for a in tools.select("a") if "Chia sẻ lên" in text(a)}
    assert set(shares) == {"Facebook", "Zalo"}
    fb, zalo = urlsplit(shares["Facebook"]), urlsplit(shares["Zalo"])
    assert (fb.scheme, fb.netloc) == ("https", "www.facebook.com") and parse_qs(fb.query)["u"] == [canonical]
    assert zalo.scheme == "https" and zalo.netloc.endswith("zalo.me") and parse_qs(zalo.query)["url"] == [canonical]
    for script in soup.find_all("script", src=True):  # nothing of theirs runs here
        assert script["src"].startswith(site.siteurl + "/"), script["src"]


def test_no_article_listed_twice_under_an_article(site):
    checked = 0
    for page in articles(site):
        soup = site.soup(page)
        hrefs = [target(site, page, a["href"]) for a in soup.select(
            "main .prev-next a, main .related-articles .item__title a, main section.related .item__title a")]
        assert len(hrefs) == len(set(hrefs)), (page, hrefs)
        assert page not in hrefs
        checked += bool(hrefs)
    assert checked > 20


# --- English page ----------------------------------------------------------------------


def test_english_page(site):
    from pelicanconf import COMMITTEE

    soup = site.soup("english.html")
    assert soup.html["lang"] == "en"
    assert text(soup.find("h1")) == "Quang Ngai City Party Committee"
    for part in ("header.site-header", "aside.sidebar", "footer.site-footer", "a.skip-link"):
        assert soup.select_one(part)["lang"] == "vi", part  # the Vietnamese chrome says so
    main = text(soup.find("main"))
    assert "Organisation" in main and "Contact" in main
    for key in ("phone", "email"):
        assert COMMITTEE[key] in main
    assert soup.find("meta", property="og:locale")["content"] == "en_GB"


# --- In the browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    return served_site(request, tmp_path_factory)


@pytest.mark.browser
def test_top_bar_date_from_the_readers_clock_and_nothing_without_javascript(served, browser):
    url = served.url("/")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER_USER_AGENT)
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.clock.set_fixed_time(datetime(2026, 12, 1, 9, 30))  # a Tuesday, in the browser's time zone
    page.goto(url)
    date = page.locator(".topbar__date time")
    date.wait_for()
    assert date.inner_text() == "Thứ Ba, 01/12/2026" and date.get_attribute("datetime") == "2026-12-01"
    box_with = page.locator(".topbar").bounding_box()
    main_with = page.locator("main").bounding_box()
    assert page.evaluate("window.__csp") == []
    page.clock.set_fixed_time(datetime(2026, 11, 29, 9, 30))
    page.reload()
    assert page.locator(".topbar__date time").inner_text() == "Chủ Nhật, 29/11/2026"
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    assert page.locator(".topbar__date").inner_text() == ""
    assert page.locator(".topbar").bounding_box() == box_with  # room kept: nothing moves
    assert page.locator("main").bounding_box() == main_with
    context.close()


@pytest.mark.browser
def test_sapo_is_bold_and_print_shows_the_article_alone_with_its_address(served, browser):
    weight = "e => Number(getComputedStyle(e).fontWeight)"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER_USER_AGENT)
    page = context.new_page()
    page.goto(served.url(FEATURED))
    assert page.locator(".article__summary").evaluate(weight) >= 700
    assert page.locator(".article-body p").first.evaluate(weight) < 700
    # an imported article whose body starts with its summary: that paragraph is the sapo
    path = "/" + SEED_URL
    page.goto(served.url(path))
    assert page.locator(".article__summary").count() == 0
    assert page.locator(".article-body p").first.evaluate(weight) >= 700
    assert page.locator(".article-body p").nth(1).evaluate(weight) < 700
    assert page.locator("aside.sidebar").is_visible() and page.locator(".print-only").is_hidden()
    page.emulate_media(media="print")
    for hidden in ("header.site-header", "aside.sidebar", "footer.site-footer", ".breadcrumb", ".tools",
                   ".prev-next", ".related-articles", "section.related"):  # fmt: skip
        for i in range(page.locator(hidden).count()):
            assert page.locator(hidden).nth(i).is_hidden(), hidden
    assert page.locator("main h1").is_visible() and page.locator(".article-body").is_visible()
    source = page.locator(".print-only")
    assert source.is_visible() and source.inner_text().endswith(path)
    assert page.locator("main").bounding_box()["x"] <= 20  # the article takes the page's width
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/" + SEED_URL, "/gioi-thieu.html"])
def test_most_read_appearing_moves_nothing_below_it(served, browser, path):
    """1280 px: "Đọc nhiều" (JavaScript only) takes its room from "Tin mới": the boxes under it
    and the counter are where they are without JavaScript, with five long rows in it."""
    import json

    titles = json.loads((served.root / "hitcount-pages.json").read_text("utf-8"))["titles"]
    rows = sorted(titles.items(), key=lambda kv: -len(kv[1]["title"]))[:5]  # the longest titles
    top = [{"path": p, "title": t["title"], "views": 9 - i} for i, (p, t) in enumerate(rows)]
    below = (".box--schedule", ".box--links", "section.visitor-counter")

    def boxes(javascript: bool) -> list:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER_USER_AGENT,
                                      java_script_enabled=javascript)  # fmt: skip
        page = context.new_page()
        page.route("**/api/top*", lambda route: route.fulfill(json=top))
        page.goto(served.url(path))
        if javascript:
            page.locator("[data-most-read] li").nth(4).wait_for()
        found = [page.locator(sel).bounding_box() for sel in below]
        context.close()
        return found

    assert boxes(True) == boxes(False)
