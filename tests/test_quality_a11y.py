"""Accessibility gate: axe-core (npm, pinned in package-lock.json) in Debian's Chromium.

No WCAG 2.0/2.1 level A or AA violation on the home, section, article, tag, static,
search and 404 pages, at a phone width (390 px) and a desktop width (1280 px). The pages
come from the production build behind nginx (tests/test_deploy_serving.py), so they are
exactly what readers get; the browser context bypasses the page's CSP only so that axe
itself can be injected.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Iterator

import pytest

from tests.support import CHROMIUM, CHROMIUM_ARGS, IN_CI, READER_USER_AGENT, require_executable
from tests.test_deploy_serving import ServedSite, first_article, served_site

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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
    sections = sorted(p.parent for p in root.glob("*/index.html") if p.parent.name not in {"chu-de", "luu-tru", "tac-gia", "pagefind", "theme", "feeds", "images"})
    assert sections, "no section page in the build"
    pages["section"] = f"/{sections[0].name}/"
    tags = sorted(p for p in (root / "chu-de").glob("*.html") if p.name != "index.html")
    assert tags, "no tag page in the build"
    pages["tag"] = "/chu-de/" + tags[0].name
    statics = [name for name in ("gioi-thieu.html", "lien-he.html", "so-do-trang.html") if (root / name).is_file()]
    assert statics, "no static page in the build"
    pages["static"] = "/" + statics[0]
    if (root / "tim-kiem.html").is_file():
        pages["search"] = "/tim-kiem.html"
    return pages


@pytest.fixture(scope="module")
def served(request, tmp_path_factory) -> ServedSite:
    return served_site(request, tmp_path_factory)


@pytest.fixture(scope="module")
def pages(served) -> dict[str, str]:
    return pick_pages(served)


@pytest.fixture(scope="module")
def browser():
    require_executable(CHROMIUM, "Debian package chromium")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


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
@pytest.mark.parametrize("kind", ["home", "section", "article", "tag", "static", "search", "404"])
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
    """390 px: one "Danh mục" line opens the sections (keyboard too, no script), and the open
    menu passes axe; 1280 px: the sections in a row, no disclosure."""
    axe = require_axe()
    menu = "nav[aria-label='Menu chính']"
    url = served.url(pages["section"])
    with opened(browser, url, "phone", java_script_enabled=False) as (page, _):
        summary = page.locator(f"{menu} summary")
        assert summary.is_visible() and summary.inner_text().strip() == "Danh mục"
        assert not page.locator(f"{menu} a").first.is_visible()  # folded
        assert page.locator(f"{menu} details + ul").is_hidden()  # the wide list is not shown
        summary.focus()
        page.keyboard.press("Enter")
        links = page.locator(f"{menu} details a")
        assert links.count() >= 10 and all(links.nth(i).is_visible() for i in range(links.count()))
        assert page.locator(f"{menu} details [aria-current='page']").is_visible()
        in_menu = links.count()
    with opened(browser, url, "phone", bypass_csp=True) as (page, _):
        page.locator(f"{menu} summary").click()
        violations = axe_violations(page, axe)
        assert not violations, format_violations(violations)
    with opened(browser, url, "desktop", java_script_enabled=False) as (page, _):
        assert page.locator(f"{menu} summary").is_hidden()
        wide = page.locator(f"{menu} details + ul a")
        assert wide.count() == in_menu and wide.first.is_visible()
