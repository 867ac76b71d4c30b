"""The widget in a real browser: Playwright driving Debian's Chromium (no browser download),
against the server `make serve` runs (`hitcount-service devserver`) on a built site.
The dev server sends `Content-Security-Policy: script-src 'self'`, so an inline script or a
blocked resource would show up here as a console error.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hitcount_service.stores.visitkey import ulid_time
from tests.hitcount_support import ROOT, counter_site, visit_id as ulid_visit, wait_http  # noqa: F401 - fixture
from tests.support import READER_USER_AGENT, free_port

pytestmark = pytest.mark.browser  # implies slow (conftest.py)
NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*$")  # 14.276, as Vietnamese writes it


class DevServer:
    def __init__(self, root: Path, store: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hitcount_service", "devserver", "--root", str(root), "--store", str(store),
             "--port", str(self.port), "--settings", str(ROOT / "deploy" / "hitcount.toml"), *extra],
            cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        wait_http(self.url + "/", self.proc)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=15)


@pytest.fixture
def server(counter_site, tmp_path) -> Iterator[DevServer]:  # noqa: F811
    s = DevServer(counter_site, tmp_path / "dev.sqlite3")
    yield s
    s.stop()


def article_path(site: Path) -> str:
    pages = json.loads((site / "hitcount-pages.json").read_text())["pages"]
    return next(p for p in pages if p.count("/") >= 4 and p.endswith(".html"))


def open_page(browser, url: str, *, javascript: bool = True, route=None):
    context = browser.new_context(user_agent=READER_USER_AGENT, java_script_enabled=javascript)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    if route is not None:
        page.route(*route)
    page.goto(url)
    return context, page, problems


def figure(page, name: str) -> str:
    return page.locator(f'[data-hitcount-figure="{name}"]').inner_text()


def wait_numbers(page, *names: str) -> None:
    for name in names:
        page.wait_for_function(
            "n => /^[0-9.]+$/.test(document.querySelector(`[data-hitcount-figure=\"${n}\"]`).textContent)",
            arg=name, timeout=10_000,
        )  # fmt: skip


def test_footer_shows_figures_and_a_new_visit_raises_the_views(browser, server, counter_site):  # noqa: F811
    url = server.url + article_path(counter_site)
    context, page, problems = open_page(browser, url)
    wait_numbers(page, "online", "total", "views")
    footer = page.locator("section.visitor-counter").inner_text()
    assert "Lượt truy cập" in footer and "Đang online:" in footer and "Tổng truy cập:" in footer
    assert NUMBER.match(figure(page, "total")) and figure(page, "total").startswith("14.2")
    total = int(figure(page, "total").replace(".", ""))
    assert total == 14276 + 1
    views = int(figure(page, "views"))
    assert views == 1
    # a reload is the same visit: nothing moves
    page.reload()
    wait_numbers(page, "views")
    assert int(figure(page, "views")) == views
    assert int(figure(page, "total").replace(".", "")) == total
    kept = json.loads(page.evaluate("localStorage.getItem('hitcount.visit')"))
    # a ULID, as the store reads it for its time-ordered keys: the visit's start time in ms
    # first, and when it was last used; nothing else is kept, and no cookie
    assert set(kept) == {"id", "seen"}
    started = ulid_time(kept["id"])
    assert started is not None, kept
    assert abs(started / 1000 - time.time()) < 120 and abs(kept["seen"] / 1000 - time.time()) < 120
    assert context.cookies() == []
    assert page.evaluate("localStorage.length") == 1 and page.evaluate("sessionStorage.length") == 0
    # a second visit: a fresh browser context
    context2, page2, problems2 = open_page(browser, url)
    wait_numbers(page2, "views", "online")
    assert int(figure(page2, "views")) == views + 1
    assert int(figure(page2, "online")) == 2
    assert int(figure(page2, "total").replace(".", "")) == total + 1
    assert problems == [] and problems2 == []
    context.close()
    context2.close()


def test_no_layout_shift_and_whole_without_javascript(browser, server, counter_site):  # noqa: F811
    url = server.url + article_path(counter_site)
    context, page, problems = open_page(browser, url, javascript=False)
    assert figure(page, "total") == "—" and figure(page, "views") == "—"
    assert page.locator("article").count() == 1  # the page itself is whole
    boxes_without = [page.locator(f'[data-hitcount-figure="{n}"]').bounding_box() for n in ("online", "total", "views")]
    footer_without = page.locator("section.visitor-counter").bounding_box()
    context.close()
    context, page, problems = open_page(browser, url)
    wait_numbers(page, "online", "total", "views")
    boxes_with = [page.locator(f'[data-hitcount-figure="{n}"]').bounding_box() for n in ("online", "total", "views")]
    assert boxes_with == boxes_without  # "—" → "14.277" moves nothing
    assert page.locator("section.visitor-counter").bounding_box() == footer_without
    assert problems == []
    context.close()


def test_heartbeats_only_while_visible(browser, server, counter_site):  # noqa: F811
    url = server.url + article_path(counter_site)
    beats: list[bool] = []

    def fast_heartbeat(route):  # one heartbeat a second instead of a minute
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('data-heartbeat="60"', 'data-heartbeat="1"'))

    context, page, problems = open_page(browser, url, route=(url, fast_heartbeat))
    page.on("request", lambda r: beats.append(json.loads(r.post_data)["heartbeat"])
            if r.url.endswith("/api/hits") else None)
    wait_numbers(page, "online")
    page.wait_for_timeout(2500)
    assert beats.count(True) >= 2
    page.evaluate(
        """() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    hidden_at = len(beats)
    page.wait_for_timeout(2500)
    assert len(beats) == hidden_at  # no heartbeat while hidden
    assert problems == []
    context.close()


def test_endpoint_stopped_shows_dashes_without_console_errors(browser, counter_site, tmp_path):  # noqa: F811
    down = DevServer(counter_site, tmp_path / "down.sqlite3", "--no-counter")
    try:
        context, page, problems = open_page(browser, down.url + article_path(counter_site))
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        assert figure(page, "online") == "—"
        assert figure(page, "total") == "—"
        assert figure(page, "views") == "—"
        assert problems == []
        context.close()
    finally:
        down.stop()


def test_one_browser_is_one_visit_across_its_tabs_until_30_minutes_idle(browser, server, counter_site):  # noqa: F811
    """Five tabs of one browser (Ctrl+click, new tabs): one visit. Three browsers: three."""
    url = server.url + article_path(counter_site)
    context, first, problems = open_page(browser, url)
    wait_numbers(first, "online", "total", "views")
    total = int(figure(first, "total").replace(".", ""))
    tabs = [first]
    for _ in range(4):
        tab = context.new_page()
        tab.goto(server.url + "/")
        wait_numbers(tab, "online", "total")
        tabs.append(tab)
    tabs[-1].goto(url)
    wait_numbers(tabs[-1], "views", "online", "total")
    assert int(figure(tabs[-1], "online")) == 1
    assert int(figure(tabs[-1], "total").replace(".", "")) == total
    assert int(figure(tabs[-1], "views")) == 1  # the article, once for this visit
    others = [open_page(browser, url) for _ in range(3)]
    for _, page, _ in others:
        wait_numbers(page, "online", "total", "views")
    last = others[-1][1]
    assert int(figure(last, "online")) == 4 and int(figure(last, "views")) == 4
    assert int(figure(last, "total").replace(".", "")) == total + 3
    # 31 minutes without activity: the next page starts a new visit
    first.evaluate("""() => { const v = JSON.parse(localStorage.getItem('hitcount.visit'));
                              v.seen -= 31 * 60 * 1000; localStorage.setItem('hitcount.visit', JSON.stringify(v)); }""")
    old = json.loads(first.evaluate("localStorage.getItem('hitcount.visit')"))["id"]
    first.reload()
    wait_numbers(first, "total")
    assert json.loads(first.evaluate("localStorage.getItem('hitcount.visit')"))["id"] != old
    assert int(figure(first, "total").replace(".", "")) == total + 4
    assert problems == [] and all(p == [] for _, _, p in others)
    for c, _, _ in others:
        c.close()
    context.close()


def test_not_found_and_search_pages_count_no_view(browser, server, counter_site):  # noqa: F811
    import httpx

    for path in ("/404.html", "/khong-co-trang-nay.html", "/tim-kiem.html"):
        context, page, problems = open_page(browser, server.url + path)
        wait_numbers(page, "online")
        context.close()
    views = httpx.get(server.url + "/api/stats", params={"days": "30"}).json()
    assert views["total_visits"] == 3  # each kept a visit…
    top = httpx.get(server.url + "/api/top", params={"period": "day", "n": "50"}).json()
    assert top == []  # …and no page was viewed


def test_most_read_block_lists_the_articles_read_and_is_absent_without_javascript(browser, server, counter_site):  # noqa: F811
    import httpx

    articles = list(json.loads((counter_site / "hitcount-pages.json").read_text())["titles"])[:3]
    for n, path in enumerate(articles):  # 3, 2 and 1 visits
        for _ in range(3 - n):
            r = httpx.post(server.url + "/api/hits", json={"path": path, "visit": ulid_visit(), "heartbeat": False},
                           headers={"User-Agent": READER_USER_AGENT})  # fmt: skip
            assert r.status_code == 200
    context, page, problems = open_page(browser, server.url + "/")
    block = page.locator("[data-most-read]")
    block.wait_for(state="visible", timeout=10_000)
    links = block.locator("ol a")
    titles = json.loads((counter_site / "hitcount-pages.json").read_text())["titles"]
    assert [links.nth(i).get_attribute("href") for i in range(3)] == articles
    assert links.nth(0).inner_text().replace("\xa0", " ") == titles[articles[0]]["title"].replace("\xa0", " ")
    assert block.locator("h2").inner_text().strip().lower() == "đọc nhiều"
    assert problems == []
    context.close()
    context, page, _ = open_page(browser, server.url + "/", javascript=False)
    assert page.locator("[data-most-read]").count() == 1 and not page.locator("[data-most-read]").is_visible()
    context.close()


def test_statistics_page_draws_the_figures_under_the_csp(browser, server, counter_site):  # noqa: F811
    url = server.url + "/thong-ke-truy-cap.html"
    context, page, problems = open_page(browser, url)
    page.locator("[data-stats]").wait_for(state="visible", timeout=10_000)
    assert page.locator("[data-stats-chart] rect").count() == 30
    assert page.locator("[data-stats-days-table] tr").count() == 30
    assert "lượt truy cập trong 30 ngày" in page.locator("[data-stats-summary]").inner_text()
    page.select_option("[data-stats-days]", "365")
    page.wait_for_function("() => document.querySelectorAll('[data-stats-chart] rect').length === 365")
    assert page.locator("[data-stats-days-table] tr").count() == 365
    csv = page.request.get(server.url + page.locator("a[href*='stats.csv?days=30']").get_attribute("href"))
    assert csv.status == 200 and csv.text().startswith("\ufeffNgày,Lượt truy cập")
    assert problems == []
    context.close()
    context, page, _ = open_page(browser, url, javascript=False)
    assert not page.locator("[data-stats]").is_visible()
    assert page.locator("a[href$='stats.csv?days=365']").count() == 1  # the figures without JavaScript
    context.close()
