"""Without JavaScript the search page's field keeps the query (issue 14), with the real servers.

- nginx with deploy/nginx.conf (SSI and set-misc on the search page) and `make serve`'s
  preview: in Chromium with JavaScript off, the form submitted with "HĐND quận" comes back
  with exactly that in the field;
- hostile queries (attribute break-outs, NUL, invalid UTF-8, nginx's odd %-sequences, 4,000
  characters) never leave the `value` attribute: one input[name=q], its attributes and the
  page's elements as without a query; nginx answers 200 or 4xx, never 5xx;
- `make preview`'s server (plugins/hitcount/devserver.py) fills the field exactly as nginx does.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from urllib.parse import quote_plus

import httpx
import pytest
from bs4 import BeautifulSoup

from hitcount_service.ssi import SEARCH_QUERY_ECHO
from tests.support import free_port
from tests.test_deploy_serving import ROOT, served_site, stop, wait_http
from tests.test_preview import Preview

pytestmark = pytest.mark.slow

SEARCH = "/tim-kiem.html"
QUERY = "HĐND quận"
FIELD_ATTRS = {"id", "class", "type", "name", "value", "autocomplete", "spellcheck", "enterkeyhint"}
LONG = "a" * 4000  # the request line stays under nginx's 4 KB: answered 200
# (raw query string, the field's value; None: any 4xx is right too)
HOSTILE = [
    ("q=" + quote_plus('"><script>alert(1)</script>'), '"><script>alert(1)</script>'),
    ("q=" + quote_plus("' onfocus='x"), "' onfocus='x"),
    ("q=" + quote_plus("</textarea><!-- -->&amp;<b>"), "</textarea><!-- -->&amp;<b>"),
    ("q=%00", "\x00"),
    ("q=a%C3", "a\ufffd"),  # a lone lead byte: the browser (and the dev server) show U+FFFD
    ("q=%ZZ%4", "ZZ"),  # nginx drops a '%' before a non-hex character, and a cut '%X'
    ("q=a%4Xb+c%2B", "ab c+"),
    ("Q=upper&q=second", "upper"),  # $arg_q: the first, the name in any case
    ("section=&year=", ""),  # no q at all
    ("q=" + LONG, LONG),
    ("q=" + quote_plus("ệ" * 4000), None),  # 36 KB of request line: 414
]


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    """The production build behind nginx (tests/test_deploy_serving.py, shared)."""
    return served_site(request, tmp_path_factory)


@pytest.fixture(scope="module")
def devserver(served, tmp_path_factory):
    """`make preview`'s server (hitcount-service devserver) on the same build."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hitcount_service", "devserver", "--root", str(served.root), "--no-counter",
         "--store", str(tmp_path_factory.mktemp("dev") / "hits.sqlite3"), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc, "the dev server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def submit_without_javascript(browser, origin: str, query: str) -> tuple[str, str, str]:
    """Type `query` into the search page's field with JavaScript off and submit the form:
    (the address, the field's value, the notice) of the page that comes back."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(origin + SEARCH)
        assert page.input_value("#tim-kiem-q") == "", "no query: an empty field"
        page.fill("#tim-kiem-q", query)
        with page.expect_navigation():
            page.click(".search__form button[type=submit]")
        return page.url, page.input_value("#tim-kiem-q"), page.inner_text(".search__nojs")
    finally:
        context.close()


def field(body: bytes) -> tuple[dict, list[str]]:
    """The attributes of the page's search field, and the names of all its elements."""
    soup = BeautifulSoup(body.decode("utf-8", errors="replace"), "html.parser")
    fields = soup.select("main input[name=q]")  # the header has a search box of its own
    assert len(fields) == 1 and fields[0].get("id") == "tim-kiem-q", "the search field, once"
    return dict(fields[0].attrs), [tag.name for tag in soup.find_all(True)]


@pytest.mark.browser
def test_nginx_gives_the_query_back_without_javascript(served, browser):
    url, value, notice = submit_without_javascript(browser, served.origin, QUERY)
    assert url.startswith(served.url(SEARCH) + "?q="), url
    assert value == QUERY
    assert "vẫn còn trong ô tìm kiếm" in notice and "không giữ" not in notice


@pytest.mark.browser
def test_make_serve_gives_the_query_back_without_javascript(browser, tmp_path):
    preview = Preview(tmp_path)
    try:
        url, value, _ = submit_without_javascript(browser, preview.base, QUERY)
    finally:
        preview.close()
    assert url.startswith(preview.base + SEARCH + "?q="), url
    assert value == QUERY


@pytest.mark.browser
def test_a_hostile_query_stays_in_the_field_in_chromium(served, browser):
    query = '"><script>alert(1)</script>'
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served.url(SEARCH) + "?q=" + quote_plus(query))
        # the header's search box and the page's field, nothing more; no inline script
        assert page.locator("input[name=q]").count() == 2
        assert page.locator("#tim-kiem-q").count() == 1
        assert page.locator("script:not([src])").count() == 0
        assert page.input_value("#tim-kiem-q") == query
    finally:
        context.close()


def test_the_built_page_holds_the_directive_once(served):
    body = (served.root / SEARCH.lstrip("/")).read_bytes()
    assert body.count(SEARCH_QUERY_ECHO) == 1 and body.count(b"<!--#") == 1
    # double quotes around it: nginx's echo does not escape '
    assert b'value="' + SEARCH_QUERY_ECHO + b'"' in body


@pytest.mark.parametrize(("raw", "expected"), HOSTILE, ids=lambda v: repr(v)[:40])
def test_hostile_queries_stay_in_the_attribute(served, devserver, raw, expected):
    plain_attrs, plain_elements = field(httpx.get(served.url(SEARCH)).content)
    values = {}
    for name, origin in (("nginx", served.origin), ("dev server", devserver)):
        response = httpx.get(f"{origin}{SEARCH}?{raw}", timeout=10)
        assert response.status_code < 500, (name, response.status_code)
        if expected is None and response.status_code >= 400:
            continue
        assert response.status_code == 200, (name, response.status_code)
        attrs, elements = field(response.content)
        assert set(attrs) == FIELD_ATTRS and elements == plain_elements, name
        assert {k: v for k, v in attrs.items() if k != "value"} == {
            k: v for k, v in plain_attrs.items() if k != "value"
        }, name
        values[name] = unicodedata.normalize("NFC", attrs["value"])
    if expected is not None:
        assert values == {"nginx": expected, "dev server": expected}
    else:
        assert values.get("nginx") is None, "nginx refuses a request line over 4 KB"


def test_ci_and_the_install_step_bring_the_modules():
    """deploy/nginx.conf needs set-misc: the install line and CI install it."""
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("libnginx-mod-http-ndk", "libnginx-mod-http-set-misc"):
        assert package in readme and package in ci, package
    assert "set_unescape_uri $search_q $arg_q;" in (ROOT / "deploy" / "nginx.conf").read_text()

