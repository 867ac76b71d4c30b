"""Helpers shared by the test modules."""

from __future__ import annotations

import contextlib
import mimetypes
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hitcount_service.ssi import fill_search_query

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_executable(name: str, hint: str) -> str:
    """Path of a system tool; skip on a laptop without it, fail under CI=true.

    CI installs every tool the tests need (.ci/run), so a missing one there is a
    defect in the pipeline, not a reason to skip.
    """
    path = shutil.which(name) or (name if os.path.isabs(name) and os.access(name, os.X_OK) else None)
    if path:
        return path
    message = f"{name} not found ({hint})"
    if IN_CI:
        pytest.fail(message + " — CI must install it in .ci/run")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Headless Chromium announces "HeadlessChrome"; the counter ignores bots, so
# browser tests that expect counting present an ordinary phone user agent.
READER_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
# Page init script (Playwright add_init_script): the page records its own
# securitypolicyviolation events in window.__csp before any of its scripts runs.
RECORD_CSP_VIOLATIONS = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's Chromium driven by Playwright, closed after (skipped without it, failed in CI)."""
    require_executable(CHROMIUM, "Debian package chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def serve_folder(root: Path, origin: str, foreign: list[str], headers: dict | None = None,
                 fetched: list[tuple[str, int]] | None = None) -> Callable:
    """A Playwright route handler ("**/*") that serves the built site in `root` as `origin`,
    offline: a request to any other host is refused and noted in `foreign`; `headers` go with
    every file (a CSP), and `fetched` gets (path, size) of each file served."""

    def handle(route):
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            foreign.append(url)
            return route.abort()
        path = root / parts.path.lstrip("/")
        if parts.path.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return route.fulfill(status=404, body="not found")
        body = path.read_bytes()
        if fetched is not None:
            fetched.append((parts.path, len(body)))
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":  # the search page's one SSI directive, as every server fills it in
            body = fill_search_query(body, parts.query.encode())
        extra = {"headers": headers} if headers else {}
        return route.fulfill(status=200, body=body, content_type=kind, **extra)

    return handle
