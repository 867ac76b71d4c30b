"""Accessibility gate: axe-core (npm, pinned in package-lock.json) in Debian's Chromium.

No WCAG 2.0/2.1 level A or AA violation on every kind of page the build writes (home,
section and its second page, article, tag and tag index, author, archives by year and month,
each static page, the English page, search, statistics, documents list and document, 404),
at a phone width (390 px) and a desktop width (1280 px). The pages
come from the production build behind nginx (tests/test_deploy_serving.py), so they are
exactly what readers get; the browser context bypasses the page's CSP only so that axe
itself can be injected.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import IN_CI, READER_USER_AGENT
from tests.test_deploy_serving import ServedSite, first_article, served_site

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

pytestmark = pytest.mark.browser  # implies slow (conftest.py)


def require_axe() -> Path:
    if AXE.is_file():
        return AXE
    message = f"{AXE.relative_to(ROOT)} missing: run `npm ci` (make test does)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def pick_pages(site: ServedSite) -> dict[str, str]:
    root = site.root
    pages = {"home": "/", "article": "/" + first_article(root), "404": "/khong-co-trang-nay.html"}
    not_sections = {"chu-de", "luu-tru", "tac-gia", "pagefind", "theme", "feeds", "images", "van-ban"}
    sections = sorted(p.parent for p in root.glob("*/index.html") if p.parent.name not in not_sections)
    assert sections, "no section page in the build"
    pages["section"] = f"/{sections[0].name}/"
    second = sorted(root.glob("*/trang-2.html"))
    if second:
        pages["section-page-2"] = "/" + second[0].relative_to(root).as_posix()
    tags = sorted(p for p in (root / "chu-de").glob("*.html") if p.name != "index.html")
    assert tags, "no tag page in the build"
    pages["tag"] = "/chu-de/" + tags[0].name
    optional = {
        "tags": "chu-de/index.html", "archives": "luu-tru/index.html", "search": "tim-kiem.html",
        "statistics": "thong-ke-truy-cap.html", "documents": "van-ban/index.html",
    }  # fmt: skip
    for kind, rel in optional.items():
        if (root / rel).is_file():
            pages[kind] = "/" + rel.removesuffix("index.html")
    authors = sorted((root / "tac-gia").glob("*.html"))
    if authors:
        pages["author"] = "/tac-gia/" + authors[0].name
    years = sorted(p.parent for p in (root / "luu-tru").glob("*/index.html"))
    if years:
        pages["archive-year"] = "/" + years[0].relative_to(root).as_posix() + "/"
        months = sorted(p.parent for p in years[0].glob("*/index.html"))
        if months:
            pages["archive-month"] = "/" + months[0].relative_to(root).as_posix() + "/"
    documents = sorted((root / "van-ban").glob("*.html")) if (root / "van-ban").is_dir() else []
    if documents:
        pages["document"] = "/van-ban/" + documents[0].name
    statics = [name for name in ("gioi-thieu.html", "lien-he.html", "so-do-trang.html") if (root / name).is_file()]
    assert statics, "no static page in the build"
    for name in statics:
        pages["static-" + name.removesuffix(".html")] = "/" + name
    english = [p for p in root.glob("*.html") if '<html lang="en">' in p.read_text("utf-8")[:400]]
    if english:
        pages["english"] = "/" + english[0].name
    return pages


KINDS = [
    "home", "section", "section-page-2", "article", "tag", "tags", "author", "archives", "archive-year",
    "archive-month", "static-gioi-thieu", "static-lien-he", "static-so-do-trang", "english", "search",
    "statistics", "documents", "document", "404",
]  # fmt: skip


@pytest.fixture(scope="module")
def served(request, tmp_path_factory) -> ServedSite:
    return served_site(request, tmp_path_factory)


@pytest.fixture(scope="module")
def pages(served) -> dict[str, str]:
    return pick_pages(served)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"]]
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} — {len(targets)} node(s): {targets[:5]}")
        if v["nodes"] and v["nodes"][0].get("failureSummary"):
            lines.append("    " + re.sub(r"\s+", " ", v["nodes"][0]["failureSummary"])[:300])
    return "\n".join(lines)


@contextlib.contextmanager
def opened(browser, url: str, width: str = "desktop", **options) -> Iterator:
    """(page, response) of a fresh browser context at one of WIDTHS; the context closed after."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, user_agent=READER_USER_AGENT, **options)
    try:
        page = context.new_page()
        yield page, page.goto(url, wait_until="load")
    finally:
        context.close()


def axe_violations(page, axe: Path) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (the context bypasses CSP)."""
    page.add_script_tag(path=str(axe))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations)",
        WCAG_TAGS,
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", KINDS)
def test_no_wcag_violation(served, pages, browser, kind, width):
    axe = require_axe()
    if kind not in pages:
        pytest.skip(f"the build has no {kind} page")
    with opened(browser, served.url(pages[kind]), width, bypass_csp=True) as (page, response):
        assert response is not None
        assert response.status == (404 if kind == "404" else 200), pages[kind]
        violations = axe_violations(page, axe)
    where = f"{kind} page {pages[kind]} at {WIDTHS[width][0]}px"
    assert not violations, f"{where}:\n{format_violations(violations)}"


def test_axe_reports_a_seeded_violation(served, browser):
    """The gate can fail: a page with an unlabelled image and field is caught."""
    axe = require_axe()
    with opened(browser, served.url("/"), bypass_csp=True) as (page, _):
        page.evaluate(
            "() => { document.querySelector('main').insertAdjacentHTML('beforeend',"
            " '<img src=\"/theme/favicon.svg\"><input type=\"text\">'); }"
        )
        violations = axe_violations(page, axe)
    assert {"image-alt", "label"} <= {v["id"] for v in violations}


def test_phone_menu_folds_behind_a_disclosure_without_javascript(served, pages, browser):
    """390 px: one "Danh mục" line (a native disclosure, no script) opens the menu below it as
    a vertical list of targets at least 44 px tall, with the keyboard too, and the open menu
    passes axe; 1280 px: the whole menu in one row, no disclosure."""
    from pelicanconf import SECTIONS

    axe = require_axe()
    menu = "nav[aria-label='Menu chính']"
    url = served.url(pages["section"])
    with opened(browser, url, "phone", java_script_enabled=False) as (page, _):
        summary = page.locator(f"{menu} summary")
        assert summary.is_visible() and summary.inner_text().strip() == "Danh mục"
        assert summary.bounding_box()["height"] >= 44
        links = page.locator(f"{menu} ul a")
        count = links.count()
        assert count >= 2 + len(SECTIONS)  # Trang chủ, Giới thiệu and every section
        assert not any(links.nth(i).is_visible() for i in range(count))  # folded
        summary.focus()
        page.keyboard.press("Enter")
        boxes = [links.nth(i).bounding_box() for i in range(count)]
        assert all(links.nth(i).is_visible() for i in range(count))
        assert all(b["height"] >= 44 for b in boxes), [b["height"] for b in boxes]  # WCAG 2.5.5 size
        assert len({round(b["x"]) for b in boxes}) == 1  # one column…
        assert all(b2["y"] >= b1["y"] + b1["height"] - 1 for b1, b2 in zip(boxes, boxes[1:]))  # …top to bottom
        assert page.locator(f"{menu} [aria-current='page']").is_visible()
        page.keyboard.press("Tab")  # the first link of the open menu takes the focus next
        assert page.evaluate("document.activeElement.textContent.trim()") == "Trang chủ"
    with opened(browser, url, "phone", bypass_csp=True) as (page, _):
        page.locator(f"{menu} summary").click()
        violations = axe_violations(page, axe)
        assert not violations, format_violations(violations)
    with opened(browser, url, "desktop", java_script_enabled=False) as (page, _):
        assert page.locator(f"{menu} summary").is_hidden()
        wide = page.locator(f"{menu} ul a")
        assert wide.count() == count and all(wide.nth(i).is_visible() for i in range(count))
        tops = {round(wide.nth(i).bounding_box()["y"]) for i in range(count)}
        assert len(tops) == 1, f"the menu wraps at 1280 px: rows at {sorted(tops)}"
