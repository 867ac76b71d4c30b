"""Documents (Văn bản, plugins/documents) in a production build.

The content is a copy of the repository's (its five sample documents) plus three test-only
documents: one with hostile metadata (2022), one hidden, one draft. The build runs with
DOCUMENTS_PER_PAGE = 2 so that every list is paginated, and with an article template that
includes documents/article_documents.html as the theme would. Then: the lists per type and year and
their order, each document's page, the PDF, the feed, the sitemap, the filter's JSON, the home
page's "Văn bản mới", the site map page, escaping; in Chromium, the search by number and by
words, and the filter script, under the production CSP.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

import feedparser
import pytest

from documents.model import format_size
from documents.pdf import minimal_pdf
from hitcount_service.csp import POLICY
from tasks import PUBLISH_SETTINGS, ROOT
from tests.site import BuiltSite, run_build
from tests.support import serve_folder

ORIGIN = "https://van-ban-test.example"

# A production build of the repository's content (a subprocess), then Chromium.
pytestmark = pytest.mark.slow
PUBLISHED = ["57-NQ/TW", "05-CT/TU", "125-QĐ/TU", "03-HD/BTCTU", "45-KH/TU", "99-TB/TU"]  # newest first
PAGES = {"57-NQ/TW": "van-ban/57-nq-tw-2024.html", "05-CT/TU": "van-ban/05-ct-tu-2024.html",
         "125-QĐ/TU": "van-ban/125-qd-tu-2024.html", "03-HD/BTCTU": "van-ban/03-hd-btctu-2023.html",
         "45-KH/TU": "van-ban/45-kh-tu-2023.html", "99-TB/TU": "van-ban/99-tb-tu-2022.html"}  # fmt: skip
HIDDEN_PAGE = "van-ban/98-tb-tu-2022.html"
EXTRA = {
    "thu-doc-hai.md": """\
        Title: Về việc <script>alert("title")</script> thử <b>an toàn</b>
        Number: 99-TB/TU
        Type: Thông báo
        Issuer: <script>alert("issuer")</script> Văn phòng
        Date: 04/03/2022
        Signer: <img src=x onerror=alert(1)> Người ký
        File: van-ban/tep/thu.pdf

        Ghi chú <a href="javascript:alert(1)">xem</a>.
        """,
    "thu-an.md": """\
        Title: Văn bản ẩn zorblatvanban
        Number: 98-TB/TU
        Type: Thông báo
        Issuer: Văn phòng Thành ủy
        Date: 2022-03-05
        File: van-ban/tep/thu.pdf
        Status: hidden
        """,
    "thu-nhap.md": """\
        Title: Văn bản nháp
        Number: 97-TB/TU
        Type: Thông báo
        Issuer: Văn phòng Thành ủy
        Date: 2022-03-06
        File: van-ban/tep/thu.pdf
        Status: draft
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> BuiltSite:
    base = tmp_path_factory.mktemp("documents")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    for name, text in EXTRA.items():
        (content / "van-ban" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (content / "van-ban" / "tep" / "thu.pdf").write_bytes(minimal_pdf("Thử", ["Tệp thử."]))
    # The article page with the "Văn bản liên quan" partial, as the theme includes it.
    overrides = base / "templates"
    overrides.mkdir()
    (overrides / "article.html").write_text(
        '{% extends "!theme/article.html" %}{% block content %}{{ super() }}'
        '{% include "documents/article_documents.html" ignore missing %}{% endblock %}', encoding="utf-8")
    out = base / "out"
    mp = pytest.MonkeyPatch()
    mp.setenv("SITEURL", ORIGIN)
    try:
        result = run_build(PUBLISH_SETTINGS, out, content, "-e", "DOCUMENTS_PER_PAGE=2",
                           f'THEME_TEMPLATES_OVERRIDES=["{overrides}"]')  # fmt: skip
    finally:
        mp.undo()
    assert result.returncode == 0, result.log
    site = BuiltSite(out, ORIGIN)
    site.content = content
    return site


def numbers(site: BuiltSite, rel: str) -> list[str]:
    soup = site.soup(rel)
    return [td.get_text(strip=True) for td in soup.select("table.doc-table td.doc-table__number")]


def listed(site: BuiltSite, first: str) -> list[str]:
    """The numbers of a paginated list, page after page (…/trang-2.html, …)."""
    found, rel, seen = [], first, set()
    while rel and rel not in seen:
        seen.add(rel)
        found += numbers(site, rel)
        nxt = site.soup(rel).select_one(".pagination a[rel=next]")
        rel = nxt["href"].removeprefix(ORIGIN + "/") if nxt else None
        if rel and rel.endswith("/"):
            rel += "index.html"
    return found


def test_the_list_shows_every_published_document_newest_first(built):
    assert listed(built, "van-ban/index.html") == PUBLISHED
    assert (built.root / "van-ban/trang-3.html").is_file() and not (built.root / "van-ban/trang-4.html").exists()
    assert numbers(built, "van-ban/index.html") == PUBLISHED[:2]
    header = built.soup("van-ban/index.html").select_one(".listing__header .meta").get_text(" ", strip=True)
    assert header == "6 văn bản · Trang 1/3"
    assert built.soup("van-ban/trang-2.html").title.get_text().startswith("Văn bản – Trang 2 – ")


def test_a_list_per_type_and_per_year(built):
    assert listed(built, "van-ban/nghi-quyet/index.html") == ["57-NQ/TW"]
    assert listed(built, "van-ban/quyet-dinh/index.html") == ["125-QĐ/TU"]
    assert listed(built, "van-ban/thong-bao/index.html") == ["99-TB/TU"]
    assert listed(built, "van-ban/nam-2024/index.html") == ["57-NQ/TW", "05-CT/TU", "125-QĐ/TU"]
    assert numbers(built, "van-ban/nam-2024/trang-2.html") == ["125-QĐ/TU"]
    assert listed(built, "van-ban/nam-2023/index.html") == ["03-HD/BTCTU", "45-KH/TU"]
    assert listed(built, "van-ban/nam-2022/index.html") == ["99-TB/TU"]
    assert not (built.root / "van-ban/ket-luan").exists()  # a type without documents has no page
    soup = built.soup("van-ban/nam-2023/index.html")
    assert soup.h1.get_text() == "Văn bản năm 2023"
    current = [a.get_text() for a in soup.select(".doc-nav a[aria-current=page]")]
    assert current == ["2023"]
    links = {a.get_text(): a["href"] for a in soup.select(".doc-nav a")}
    assert links["Nghị quyết"] == f"{ORIGIN}/van-ban/nghi-quyet/" and links["2022"] == f"{ORIGIN}/van-ban/nam-2022/"
    assert "Kết luận" not in links


def test_the_document_page_shows_every_field(built):
    soup = built.soup(PAGES["57-NQ/TW"])
    assert soup.h1.get_text() == "Nghị quyết số 57-NQ/TW"
    summary = soup.select_one(".document__summary").get_text(" ", strip=True).replace("\xa0", " ")
    assert summary == ("Trích yếu: Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và "
                       "chuyển đổi số quốc gia")  # fmt: skip
    rows = {tr.th.get_text(strip=True): tr.td for tr in soup.select("table.doc-meta tr")}
    pdf = built.content / "van-ban/tep/mau-57-nq-tw.pdf"
    size = format_size(pdf.stat().st_size)
    assert {k: v.get_text(" ", strip=True) for k, v in rows.items()} == {
        "Số, ký hiệu": "57-NQ/TW", "Loại văn bản": "Nghị quyết", "Cơ quan ban hành": "Bộ Chính trị",
        "Ngày ban hành": "Chủ Nhật, 22/12/2024", "Người ký": "Tô Lâm",
        "Tệp văn bản": f"mau-57-nq-tw.pdf (PDF, {size})",
    }  # fmt: skip
    assert rows["Ngày ban hành"].time["datetime"] == "2024-12-22"
    assert rows["Loại văn bản"].a["href"] == f"{ORIGIN}/van-ban/nghi-quyet/"
    assert size == "1,1 KB"
    crumbs = [a.get_text() for a in soup.select(".breadcrumb a")]
    assert crumbs == ["Trang chủ", "Văn bản", "Nghị quyết"]
    assert soup.select_one("link[rel=canonical]")["href"] == f"{ORIGIN}/{PAGES['57-NQ/TW']}"
    assert soup.title.get_text().startswith("Nghị quyết số 57-NQ/TW: Về đột phá")


def test_the_download_link_gives_the_pdf_with_its_size(built):
    soup = built.soup(PAGES["57-NQ/TW"])
    link = soup.select_one(".document__download a")
    assert link["href"] == f"{ORIGIN}/van-ban/tep/mau-57-nq-tw.pdf"
    assert link.has_attr("download") and link["type"] == "application/pdf"
    assert link.get_text(" ", strip=True) == "Tải về Nghị quyết số 57-NQ/TW (PDF, 1,1 KB)"
    copied = built.root / "van-ban/tep/mau-57-nq-tw.pdf"
    assert copied.read_bytes() == (built.content / "van-ban/tep/mau-57-nq-tw.pdf").read_bytes()
    assert copied.read_bytes().startswith(b"%PDF-")
    for rel in ("van-ban/index.html", "van-ban/trang-2.html", "van-ban/trang-3.html"):  # every row's file
        for link in built.soup(rel).select("td.doc-table__file a"):
            assert link.has_attr("download") and link.get_text(" ", strip=True).startswith("Tải về")
            assert built.local_target(link["href"], built.root / rel).is_file(), link["href"]


@pytest.mark.parametrize(("size", "text"), [(0, "0 byte"), (812, "812 byte"), (1024, "1,0 KB"),
                                            (251187, "245,3 KB"), (1258291, "1,2 MB"), (15 * 2**20, "15,0 MB")])
def test_sizes_are_written_the_vietnamese_way(size, text):
    assert format_size(size) == text


def test_related_articles_are_linked(built):
    soup = built.soup(PAGES["05-CT/TU"])
    links = [a["href"] for a in soup.select(".related a")]
    assert links == [f"{ORIGIN}/chinh-tri-xa-hoi/2023/10/30/thong-tin-ve-lich-tiep-cong-dan-dinh-ky-bai-mau.html"]
    assert built.local_target(links[0], built.root).is_file()
    assert not built.soup(PAGES["57-NQ/TW"]).select(".related")  # none named: no block


def test_an_article_lists_the_documents_that_name_it(built):
    """article.related_documents, shown by documents/article_documents.html."""
    article = "chinh-tri-xa-hoi/2023/10/30/thong-tin-ve-lich-tiep-cong-dan-dinh-ky-bai-mau.html"
    box = built.soup(article).find(id="van-ban-lien-quan").find_parent("section")
    assert [a["href"] for a in box.select("a")] == [f"{ORIGIN}/{PAGES['05-CT/TU']}"]
    assert box.select_one(".item__title").get_text() == "Chỉ thị số 05-CT/TU"
    assert not built.soup(first_other_article(built)).find(id="van-ban-lien-quan")


def first_other_article(built: BuiltSite) -> str:
    return "chinh-tri-xa-hoi/" + next(
        p.relative_to(built.root / "chinh-tri-xa-hoi").as_posix()
        for p in sorted((built.root / "chinh-tri-xa-hoi").rglob("*.html"))
        if "tiep-cong-dan" not in p.name and "/20" in p.as_posix())


def test_hidden_and_draft_documents(built):
    assert (built.root / HIDDEN_PAGE).is_file()  # written, for a link from an article
    assert not list(built.root.rglob("97-tb-tu*"))  # the draft: nothing at all
    everywhere = [*built.root.joinpath("van-ban").rglob("index.html"),
                  *built.root.joinpath("van-ban").rglob("trang-*.html"),
                  built.root / "feeds/van-ban.atom.xml", built.root / "sitemap.xml",
                  built.root / "van-ban/danh-sach.json", built.root / "index.html"]  # fmt: skip
    for path in everywhere:
        text = path.read_text(encoding="utf-8")
        assert "98-TB/TU" not in text and "98-tb-tu" not in text, path
        assert "97-TB/TU" not in text and "Văn bản nháp" not in text, path


def test_metadata_is_text_and_the_body_is_sanitised(built):
    for path in built.root.joinpath("van-ban").rglob("*.html"):
        soup = built.soup(path.relative_to(built.root).as_posix())
        assert not [s for s in soup.find_all("script") if not s.get("src")], path
        assert not soup.find(attrs={"onerror": True}), path
        assert not soup.find("a", href=re.compile(r"^\s*javascript:", re.I)), path
    soup = built.soup(PAGES["99-TB/TU"])
    rows = {tr.th.get_text(strip=True): tr.td.get_text(" ", strip=True) for tr in soup.select("table.doc-meta tr")}
    assert rows["Cơ quan ban hành"] == '<script>alert("issuer")</script> Văn phòng'  # shown, as text
    assert rows["Người ký"] == "<img src=x onerror=alert(1)> Người ký"
    assert "alert(\"title\")" not in soup.select_one(".document__summary").get_text()


def test_the_feed_lists_the_documents(built):
    feed = built.root / "feeds/van-ban.atom.xml"
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo and parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    assert len(titles) == len(PUBLISHED)
    assert titles[0] == ("Nghị quyết số 57-NQ/TW: Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
                         "và chuyển đổi số quốc gia")  # fmt: skip
    for entry, number in zip(parsed.entries, PUBLISHED):
        assert number in entry.title
        assert entry.link == f"{ORIGIN}/{PAGES[number]}"
        assert built.local_target(entry.link, feed).is_file()
    first = parsed.entries[0]
    assert f'href="{ORIGIN}/van-ban/tep/mau-57-nq-tw.pdf"' in first.content[0].value
    assert first.published.startswith("2024-12-22")
    html = (built.root / "van-ban/index.html").read_text(encoding="utf-8")
    assert f'<link rel="alternate" type="application/atom+xml" href="{ORIGIN}/feeds/van-ban.atom.xml"' in html


def test_the_sitemap_lists_the_documents_and_their_lists(built):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(built.root / "sitemap.xml")
    entries = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in tree.findall("s:url", ns)}
    for number, page in PAGES.items():
        assert f"{ORIGIN}/{page}" in entries, number
    assert entries[f"{ORIGIN}/{PAGES['57-NQ/TW']}"].startswith("2024-12-22")
    for listing in ("van-ban/", "van-ban/nghi-quyet/", "van-ban/nam-2023/", "van-ban/trang-2.html"):
        assert f"{ORIGIN}/{listing}" in entries, listing


def test_the_filter_list_holds_every_published_document(built):
    records = json.loads((built.root / "van-ban/danh-sach.json").read_text(encoding="utf-8"))
    assert [r["number"] for r in records] == PUBLISHED
    first = records[0]
    assert first == {
        "url": PAGES["57-NQ/TW"], "number": "57-NQ/TW", "type": "nghi-quyet", "type_name": "Nghị quyết",
        "year": 2024, "date": "2024-12-22", "date_text": "22/12/2024",
        "title": "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "issuer": "Bộ Chính trị", "signer": "Tô Lâm", "file": "van-ban/tep/mau-57-nq-tw.pdf", "size": "1,1 KB",
    }  # fmt: skip


def test_the_home_page_shows_the_latest_documents(built):
    soup = built.soup("index.html")
    box = soup.find(id="sb-van-ban-moi").find_parent("section")
    assert [a.get_text() for a in box.select("li > a")] == [
        "Nghị quyết số 57-NQ/TW", "Chỉ thị số 05-CT/TU", "Quyết định số 125-QĐ/TU",
        "Hướng dẫn số 03-HD/BTCTU", "Kế hoạch số 45-KH/TU"]  # fmt: skip
    assert box.select_one(".more a")["href"] == f"{ORIGIN}/van-ban/"


def test_the_site_map_page_links_the_documents(built):
    soup = built.soup("so-do-trang.html")
    hrefs = {a["href"] for a in soup.select(".sitemap a")}
    assert {f"{ORIGIN}/van-ban/", f"{ORIGIN}/feeds/van-ban.atom.xml"} <= hrefs


def test_every_link_of_the_document_pages_resolves(built):
    missing = []
    for path in built.root.joinpath("van-ban").rglob("*.html"):
        rel = path.relative_to(built.root).as_posix()
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src")):
            for node in built.soup(rel).find_all(tag, attrs={attr: True}):
                target = built.local_target(node[attr], path)
                if target is not None and target.relative_to(built.root).parts[:1] != ("api",) and not target.is_file():
                    missing.append(f"{rel}: {node[attr]}")
    assert not missing, missing


def test_the_list_pages_work_without_javascript(built):
    """The filter form is hidden until the script shows it; the table and the type and year
    links are plain HTML."""
    soup = built.soup("van-ban/index.html")
    assert soup.select_one("div.doc-filter").has_attr("hidden")
    assert soup.select_one("[data-doc-static] table.doc-table")
    script = soup.select_one("script[src*='documents']")
    assert script.has_attr("defer") and built.local_target(script["src"], built.root).is_file()


# --- In Chromium ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(browser, built):
    """A page of the built site, served from disk under the production CSP (no other host)."""
    foreign, errors, violations = [], [], []
    context = browser.new_context()

    context.route("**/*", serve_folder(built.root, ORIGIN, foreign, {"Content-Security-Policy": POLICY}))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not foreign, foreign
    assert not errors, errors
    assert not violations, violations


def search(page, query: str) -> list[str]:
    page.goto(f"{ORIGIN}/tim-kiem.html?q={quote(query)}")
    page.wait_for_selector("[data-search-state=done]", timeout=20_000)
    hrefs = page.eval_on_selector_all(".search__result .item__title a", "els => els.map(e => e.href)")
    return [urlsplit(h).path.lstrip("/") for h in hrefs]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "number"), [
    ("57-NQ/TW", "57-NQ/TW"), ("57-nq/tw", "57-NQ/TW"), ("57nqtw", "57-NQ/TW"),
    ("125-QĐ/TU", "125-QĐ/TU"), ("125-QD/TU", "125-QĐ/TU"), ("03-HD/BTCTU", "03-HD/BTCTU"),
    ("đột phá khoa học công nghệ", "57-NQ/TW"), ("dot pha khoa hoc", "57-NQ/TW"),
    ("tiếp công dân khiếu nại", "05-CT/TU"),
])  # fmt: skip
def test_search_finds_a_document_by_number_and_by_words(page, query, number):
    found = search(page, query)
    assert found and found[0] == PAGES[number], (query, found)


@pytest.mark.browser
def test_search_results_say_it_is_a_document(page):
    search(page, "57-NQ/TW")
    first = page.locator(".search__result").first
    assert first.locator("time").get_attribute("datetime") == "2024-12-22"
    assert "Văn bản · Nghị quyết" in first.locator(".meta").inner_text()
    assert first.locator(".item__summary").inner_text().startswith("Về đột phá phát triển khoa học")
    sections = page.eval_on_selector_all("select[name=section] option", "os => os.map(o => o.value)")
    assert "Văn bản" in sections
    assert search(page, "zorblatvanban") == []  # the hidden document is not searchable


@pytest.mark.browser
def test_the_filter_script_searches_every_document(page):
    page.goto(f"{ORIGIN}/van-ban/")
    form = page.locator(".doc-filter")
    assert form.is_visible()
    rows = "[data-doc-filtered] td.doc-table__number"
    page.fill("#loc-chu", "57nqtw")
    page.wait_for_selector(".doc-filter[data-doc-state=done]")
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 1", arg=rows)
    assert page.eval_on_selector_all(rows, "ts => ts.map(t => t.textContent)") == ["57-NQ/TW"]
    assert page.locator("[data-doc-static]").is_hidden()
    assert "q=57nqtw" in page.url
    page.fill("#loc-chu", "")
    page.select_option("#loc-nam", "2023")
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 2", arg=rows)
    assert page.eval_on_selector_all(rows, "ts => ts.map(t => t.textContent)") == ["03-HD/BTCTU", "45-KH/TU"]
    page.fill("#loc-chu", "sinh hoat chi bo")  # without tone marks
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 1", arg=rows)
    assert page.eval_on_selector_all(rows, "ts => ts.map(t => t.textContent)") == ["03-HD/BTCTU"]
    assert page.locator(".doc-filter__status").inner_text() == "Có 1 văn bản phù hợp."
    link = page.locator("[data-doc-filtered] .doc-table__title a").first.get_attribute("href")
    assert link == f"{ORIGIN}/{PAGES['03-HD/BTCTU']}"
    page.fill("#loc-chu", "")
    page.select_option("#loc-nam", "")
    page.wait_for_selector("[data-doc-static]:not([hidden])")
    assert page.locator("[data-doc-filtered]").is_hidden() and page.url == f"{ORIGIN}/van-ban/"
    # A filtered address opens filtered; a type page starts from its own type.
    page.goto(f"{ORIGIN}/van-ban/nghi-quyet/?nam=2024&q=kh%C3%B4ng-c%C3%B3-g%C3%AC")
    page.wait_for_selector(".doc-filter[data-doc-state=done]")
    assert page.locator("#loc-loai").input_value() == "nghi-quyet"
    assert page.locator(".doc-filter__status").inner_text().startswith("Không có văn bản nào phù hợp")


@pytest.mark.browser
def test_without_javascript_the_filter_is_not_offered(browser, built):
    context = browser.new_context(java_script_enabled=False)
    try:
        p = context.new_page()
        p.route("**/*", lambda route: route.fulfill(
            status=200, body=(built.root / "van-ban/index.html").read_bytes(), content_type="text/html")
            if urlsplit(route.request.url).path == "/van-ban/" else route.abort())
        p.goto(f"{ORIGIN}/van-ban/")
        assert p.locator(".doc-filter").is_hidden()
        assert p.locator("[data-doc-static] td.doc-table__number").count() == 2
    finally:
        context.close()
