"""The Pelican half: widget in every page, script and CSS in the theme, manifest of the pages."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from tests.hitcount_support import counter_site  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def soup(site, relpath: str) -> BeautifulSoup:
    return BeautifulSoup((site / relpath).read_text(encoding="utf-8"), "html.parser")


def an_article(site):
    doc = json.loads((site / "hitcount-pages.json").read_text())
    return next(p for p in doc["pages"] if p.count("/") >= 4 and p.endswith(".html"))


def test_manifest_lists_every_built_page(counter_site):  # noqa: F811
    doc = json.loads((counter_site / "hitcount-pages.json").read_text())
    pages, quiet = set(doc["pages"]), set(doc["quiet"])
    built = {"/" + str(p.relative_to(counter_site)) for p in counter_site.rglob("*.html")}
    canonical = {p[: -len("index.html")] if p.endswith("/index.html") else p for p in built}
    assert pages | quiet == canonical and not pages & quiet
    # The not-found, search and drafts pages keep a visit alive but are no page view.
    assert "/" in pages and "/404.html" in quiet and "/ban-nhap/" in quiet
    assert "/tim-kiem.html" not in pages
    # The manifest is public: no settings of the counter in it (it reads deploy/hitcount.toml).
    assert set(doc) == {"version", "generator", "pages", "quiet", "titles"}


def test_manifest_names_each_article_with_its_title_and_section(counter_site):  # noqa: F811
    doc = json.loads((counter_site / "hitcount-pages.json").read_text())
    articles = {p for p in doc["pages"] if p.count("/") >= 5 and p.endswith(".html")}
    assert articles and set(doc["titles"]) == articles
    for path in articles:
        page = soup(counter_site, path.lstrip("/"))
        heading = " ".join(page.find("h1").get_text().replace("\xa0", " ").split())
        assert doc["titles"][path]["title"].replace("\xa0", " ") == heading
        crumbs = [a.get_text(strip=True) for a in page.select("nav[aria-label] a")]
        assert doc["titles"][path]["section"] in crumbs


def test_footer_widget_on_every_page(counter_site):  # noqa: F811
    for page in counter_site.rglob("*.html"):
        rel = str(page.relative_to(counter_site))
        doc = soup(counter_site, rel)
        widget = doc.select_one("section.visitor-counter [data-hitcount]")
        assert widget is not None, rel
        assert widget["data-path"] == "/" + rel
        assert widget["data-endpoint"] == "/api/hits"
        text = widget.get_text(" ", strip=True)
        assert "Lượt truy cập" in text and "Đang online: —" in text and "Tổng truy cập: —" in text


def test_article_pages_show_views(counter_site):  # noqa: F811
    doc = soup(counter_site, an_article(counter_site).lstrip("/"))
    views = doc.select_one(".hitcount-views")
    assert views is not None and views.get_text(" ", strip=True) == "Lượt xem: —"
    assert soup(counter_site, "index.html").select_one(".hitcount-views") is None


def test_one_deferred_self_hosted_script_no_inline_script(counter_site):  # noqa: F811
    for page in counter_site.rglob("*.html"):
        doc = soup(counter_site, str(page.relative_to(counter_site)))
        for script in doc.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue  # data, not script: CSP does not block it
            assert script.get("src"), f"inline script in {page}"
            assert not script["src"].startswith(("http://", "https://", "//")), script["src"]
        for tag in doc.find_all(True):
            assert not any(attr.startswith("on") for attr in tag.attrs), f"inline handler in {page}"
    doc = soup(counter_site, "index.html")
    ours = [s for s in doc.find_all("script") if re.search(r"/hitcount(\.[0-9a-f]+)?\.js$", s["src"])]
    assert len(ours) == 1 and ours[0].has_attr("defer")
    js = (counter_site / "theme/js/hitcount.js").read_text()
    assert "import " not in js and "document.cookie" not in js
    # Web storage holds the visit alone (and a probe that is removed at once).
    assert set(re.findall(r"setItem\(([^,]+),", js)) == {'"hitcount.test"', "KEY"}
    assert 'var KEY = "hitcount.visit";' in js
    assert len(js.encode()) < 6000
    assert (counter_site / "theme/css/hitcount.css").exists()
