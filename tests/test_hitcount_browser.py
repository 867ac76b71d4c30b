"""The widget in a real browser: Playwright driving Debian's Chromium (no browser download),
against the server `make serve` runs (`python -m hitcount devserver`) on a built site.
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
from pathlib import Path
from typing import Iterator

import pytest

from hitcount.stores.visitkey import ulid_time
from tests.hitcount_support import ROOT, counter_site, wait_http  # noqa: F401 - fixture
from tests.support import CHROMIUM, CHROMIUM_ARGS, READER_USER_AGENT, free_port, require_executable

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*$")  # 14.276, as Vietnamese writes it


class DevServer:
    def __init__(self, root: Path, store: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hitcount", "devserver", "--root", str(root), "--store", str(store),
             "--port", str(self.port), *extra],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        wait_http(self.url + "/", self.proc)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser():
    require_executable(CHROMIUM, "apt-get install chromium")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
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
    visit = page.evaluate("sessionStorage.getItem('hitcount.visit')")
    # a ULID, as the store reads it for its time-ordered keys: the tab's start time in ms first
    started = ulid_time(visit)
    assert started is not None, visit
    assert abs(started / 1000 - time.time()) < 120
    assert context.cookies() == []
    assert page.evaluate("localStorage.length") == 0
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
    page.on("request", lambda r: beats.append(json.loads(r.post_data)["heartbeat"]) if r.url.endswith("/api/hits") else None)
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
