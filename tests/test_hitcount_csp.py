"""One Content-Security-Policy (plugins/hitcount_service/csp.py) for the preview and for nginx.

The policy text is equal in csp.py, deploy/nginx.conf and the dev server's answers; its
frame-src is the editors' embed allowlist; and in Chromium behind deploy/nginx.conf an
article with the allowlisted embeds raises no securitypolicyviolation, while a frame from
anywhere else does (so the listener is known to work).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

import pelicanconf
from hitcount_service.csp import FRAME_SOURCES, POLICY
from hitcount_service.devserver import create_dev_app
from tests.hitcount_support import run
from tests.support import CHROMIUM, CHROMIUM_ARGS, READER_USER_AGENT, RECORD_CSP_VIOLATIONS, require_executable
from tests.test_deploy_serving import NGINX_TEMPLATE, ServedSite, first_article, served_site

ALLOWED_EMBEDS = [
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?start=30",
    "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3874.5!2d108.79!3d15.12",
]
REFUSED_EMBEDS = [
    "https://evil.example/embed/x",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",  # the allowed host, another path
    "http://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",  # not https
]


def directives(policy: str) -> dict[str, list[str]]:
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def nginx_policy() -> str:
    code = re.sub(r"(?m)#.*$", "", NGINX_TEMPLATE.read_text(encoding="utf-8"))
    found = re.findall(r'add_header\s+Content-Security-Policy\s+"([^"]+)"\s+always;', code)
    assert len(found) == 1, f"deploy/nginx.conf must send one Content-Security-Policy: {found}"
    return found[0]


def test_nginx_sends_the_policy_of_csp_py():
    assert nginx_policy() == POLICY


def test_the_policy_locks_down_what_the_issue_asks():
    d = directives(POLICY)
    assert d["default-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'none'"]
    assert d["form-action"] == ["'self'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert d["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert not any("unsafe-inline" in s or s in ("'unsafe-eval'", "*", "https:") for v in d.values() for s in v)


def test_frame_src_is_the_editors_embed_allowlist():
    assert directives(POLICY)["frame-src"] == list(FRAME_SOURCES)
    assert sorted(FRAME_SOURCES) == sorted(pelicanconf.EDITORIAL_EMBED_ALLOWLIST)


def test_dev_server_sends_the_same_policy(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")

    async def body():
        app = create_dev_app(tmp_path, counter=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://preview.test") as http:
            return (await http.get("/")).headers

    assert run(body())["content-security-policy"] == POLICY


# --- in Chromium, behind deploy/nginx.conf --------------------------------------------------
def embed_page(site: ServedSite, name: str, sources: list[str]) -> str:
    """A built article with iframes added to its body, as `name` at the site's root (out of
    the article folders, so other tests' first_article() does not pick it); its URL path.
    The page's links are absolute (publishconf.py), so it loads what the article loads."""
    html = (site.root / first_article(site.root)).read_text(encoding="utf-8")
    frames = "".join(
        f'<iframe src="{src}" title="Video {i}" width="560" height="315" allowfullscreen></iframe>'
        for i, src in enumerate(sources)
    )
    assert "</article>" in html, "the article page has no <article> to put the embed in"
    (site.root / name).write_text(html.replace("</article>", frames + "</article>", 1), encoding="utf-8")
    return "/" + name


@pytest.fixture
def embeds(served) -> Iterator[Callable[[str, list[str]], str]]:
    """embed_page on the served site; the pages are removed afterwards."""
    names: list[str] = []

    def make(name: str, sources: list[str]) -> str:
        names.append(name)
        return embed_page(served, name, sources)

    yield make
    for name in names:
        (served.root / name).unlink(missing_ok=True)


def csp_violations(site: ServedSite, path: str) -> list[str]:
    require_executable(CHROMIUM, "Debian package chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(user_agent=READER_USER_AGENT).new_page()
            page.add_init_script(RECORD_CSP_VIOLATIONS)
            response = page.goto(site.url(path), wait_until="load")
            assert response is not None and response.status == 200
            assert response.headers["content-security-policy"] == POLICY
            assert page.locator("article iframe").count() >= 1
            page.wait_for_timeout(300)  # late events
            return page.evaluate("window.__csp")
        finally:
            browser.close()


@pytest.fixture(scope="module")
def served(request, tmp_path_factory) -> ServedSite:
    return served_site(request, tmp_path_factory)


@pytest.mark.browser
def test_allowlisted_embeds_raise_no_violation_behind_nginx(served, embeds):
    # The network is closed, so the frames do not load; a blocked frame is refused by CSP
    # before any request, and that refusal is what this looks for.
    assert csp_violations(served, embeds("csp-embed-allowed.html", ALLOWED_EMBEDS)) == []


@pytest.mark.browser
@pytest.mark.parametrize("source", REFUSED_EMBEDS)
def test_a_frame_from_elsewhere_is_a_violation(served, embeds, source):
    found = csp_violations(served, embeds("csp-embed-refused.html", [source]))
    assert len(found) == 1 and found[0].startswith("frame-src "), found


def test_csp_module_is_the_only_definition():
    """No other Python file spells a policy of its own."""
    plugins = Path(__file__).resolve().parent.parent / "plugins"
    spelled = [
        p for p in plugins.rglob("*.py") if p.name != "csp.py" and "frame-ancestors" in p.read_text(encoding="utf-8")
    ]
    assert spelled == []
