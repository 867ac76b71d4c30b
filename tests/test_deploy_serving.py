"""End to end with the real parts: the production build served by nginx with
deploy/nginx.conf on a loopback port, the visitor counter (`hitcount-service serve`)
behind its /api/, and Debian's Chromium reading an article page through it.

The build for this module runs with SITEURL set to the nginx address (publishconf.py reads
it from the environment), so the absolute links of the production build stay on loopback.
tests/test_quality_a11y.py reuses the same server (`served_site()`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tasks import PUBLISH_SETTINGS, ROOT, pelican_command
from tests.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IN_CI,
    READER_USER_AGENT,
    RECORD_CSP_VIOLATIONS,
    free_port,
    require_executable,
)

pytestmark = pytest.mark.slow

NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
MODULES_ENABLED = Path("/etc/nginx/modules-enabled")
DEBIAN_MODULES = Path("/usr/share/nginx/modules")  # Debian's --prefix=/usr/share/nginx
# The dynamic modules deploy/nginx.conf needs: Debian package, the file it enables.
NGINX_MODULES = {
    "libnginx-mod-http-ndk": "10-mod-http-ndk.conf",
    "libnginx-mod-http-set-misc": "50-mod-http-set-misc.conf",
}
PLACEHOLDERS = ("@ROOT@", "@LISTEN@", "@SERVER_NAME@", "@TLS@", "@COUNTER@", "@LOGS@")
# The main context's capacity, as deploy/README.md step 6 sets it on the server (Debian's
# nginx.conf ships 768 connections a worker): what the slowloris test runs against.
WORKER_CONNECTIONS = 4096
WORKER_RLIMIT_NOFILE = 8192
IMMUTABLE = "public, max-age=31536000, immutable"
FINGERPRINTED = re.compile(r"^/theme/.+\.[0-9a-f]{8,}\.(?:css|js|mjs|woff2?|ttf|otf|eot)$")
SECURITY_HEADERS = {
    "content-security-policy",
    "strict-transport-security",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
}


def render_nginx_site(root: Path, port: int, counter_port: int, tls: Path, logs: Path) -> str:
    """deploy/nginx.conf with its placeholders filled, as the README's sed line does."""
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    values = {
        "@ROOT@": str(root),
        "@LISTEN@": f"127.0.0.1:{port}",
        "@SERVER_NAME@": "127.0.0.1",
        "@TLS@": str(tls),
        "@COUNTER@": f"127.0.0.1:{counter_port}",
        "@LOGS@": str(logs),
    }
    for key, value in values.items():
        text = text.replace(key, value)
    left = re.findall(r"@[A-Z_]+@", re.sub(r"#.*", "", text))
    assert not left, f"placeholders left in deploy/nginx.conf: {left}"
    return text


def nginx_main_conf(work: Path, site_conf: Path, extra_http: str = "") -> str:
    """The minimal main context the test runs the site under (Debian's nginx.conf in production,
    with deploy/README.md's capacity); `extra_http`: test-only directives at the http level."""
    mime = Path("/etc/nginx/mime.types")
    types = f"include {mime};" if mime.is_file() else (
        "types { text/html html; text/css css; application/javascript js; "
        "application/json json; application/atom+xml xml; image/svg+xml svg; }"
    )  # fmt: skip
    temp = "\n".join(
        f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the pytest tmp dir
    # Modules as Debian's nginx.conf loads them; their load_module paths are relative to the
    # prefix (-p work), so work/modules points at Debian's.
    modules = work / "modules"
    if not modules.exists():
        modules.symlink_to(DEBIAN_MODULES)
    return f"""
include {MODULES_ENABLED}/*.conf;
{user}
daemon off;
worker_processes 1;
worker_rlimit_nofile {WORKER_RLIMIT_NOFILE};
pid {work / "nginx.pid"};
error_log stderr warn;
events {{ worker_connections {WORKER_CONNECTIONS}; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
{temp}
    {extra_http}
    include {site_conf};
}}
"""


def wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"{what} exited with {proc.returncode}:\n{out}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not answer on {url} within {timeout} s")


def stop(proc: subprocess.Popen | None) -> str:
    if proc is None or proc.poll() is not None:
        return ""
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out or ""


@dataclass
class ServedSite:
    """The production site behind nginx on 127.0.0.1:port, the counter behind /api/."""

    root: Path
    port: int
    counter_port: int
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + "/" + path.lstrip("/")

    def close(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)
        self.procs.clear()


_SERVED: dict[str, ServedSite] = {}


def served_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ServedSite:
    """Build, then start the counter and nginx once per test session (shared by modules)."""
    if "site" in _SERVED:
        return _SERVED["site"]
    if "error" in _SERVED:  # failed once: every user fails the same way, without retrying
        pytest.fail(f"the served site could not start (see the first error): {_SERVED['error']}")
    try:
        _SERVED["site"] = _start(request, tmp_path_factory)
    except BaseException as exc:
        _SERVED["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        raise
    return _SERVED["site"]


def require_nginx() -> str:
    """nginx and the modules deploy/nginx.conf loads (a clear failure under CI, else a skip)."""
    nginx = require_executable("nginx", "Debian package nginx-light")
    missing = [pkg for pkg, conf in NGINX_MODULES.items() if not (MODULES_ENABLED / conf).is_file()]
    if missing:
        message = f"nginx modules missing (Debian packages {', '.join(missing)})"
        if IN_CI:
            pytest.fail(message + " — CI must install them in .ci/run")
        pytest.skip(message)
    return nginx


def start_nginx(work: Path, root: Path, port: int, counter_port: int, extra_http: str = "") -> subprocess.Popen:
    """nginx with deploy/nginx.conf serving `root` on 127.0.0.1:port, /api/ to counter_port;
    its logs in work/logs."""
    nginx = require_nginx()
    tls = work / "tls.conf"
    tls.write_text("# no TLS in the test\n")
    (work / "logs").mkdir(exist_ok=True)
    site_conf = work / "site.conf"
    site_conf.write_text(render_nginx_site(root, port, counter_port, tls, work / "logs"))
    main_conf = work / "nginx.conf"
    main_conf.write_text(nginx_main_conf(work, site_conf, extra_http))
    check = subprocess.run([nginx, "-t", "-p", str(work), "-c", str(main_conf), "-e", "stderr"],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, f"nginx -t refused deploy/nginx.conf:\n{check.stderr}"
    server = subprocess.Popen(
        [nginx, "-p", str(work), "-c", str(main_conf), "-e", "stderr"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/", server, "nginx")
    except BaseException:
        stop(server)
        raise
    return server


def _start(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ServedSite:
    require_nginx()  # before the build, not after
    work = tmp_path_factory.mktemp("served")
    port, counter_port = free_port(), free_port()
    while counter_port == port:
        counter_port = free_port()
    root = work / "output"
    env = {**os.environ, "SITEURL": f"http://127.0.0.1:{port}", "COLUMNS": "400", "TERM": "dumb"}
    build = subprocess.run(
        pelican_command(PUBLISH_SETTINGS, root), cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert build.returncode == 0, f"production build failed:\n{build.stdout}{build.stderr}"
    served = ServedSite(root, port, counter_port)
    request.config.add_cleanup(served.close)

    manifest = root / "hitcount-pages.json"
    assert manifest.is_file(), "the build wrote no hitcount-pages.json: is 'hitcount' in PLUGINS?"
    counter = subprocess.Popen(
        [sys.executable, "-m", "hitcount_service", "serve", "--store", str(work / "hits.sqlite3"),
         "--manifest", str(manifest), "--host", "127.0.0.1", "--port", str(counter_port),
         "--workers", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    served.procs.append(counter)
    wait_http(f"http://127.0.0.1:{counter_port}/api/health", counter, "the counter")

    served.procs.append(start_nginx(work, root, port, counter_port))
    return served


@pytest.fixture(scope="module")
def served(request, tmp_path_factory) -> ServedSite:
    return served_site(request, tmp_path_factory)


@pytest.fixture(scope="module")
def client(served) -> httpx.Client:
    with httpx.Client(base_url=served.origin, timeout=10.0) as c:
        yield c


def first_article(root: Path) -> str:
    """Output-relative path of an article page (…/YYYY/MM/DD/slug.html)."""
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if re.search(r"/\d{4}/\d{2}/\d{2}/[^/]+\.html$", rel):
            return rel
    raise AssertionError("no article page in the build")


def assert_security_headers(response: httpx.Response) -> None:
    missing = SECURITY_HEADERS - {k.lower() for k in response.headers}
    assert not missing, f"{response.request.url}: missing {sorted(missing)}"
    csp = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in csp.split(";")) if d}
    assert "'self'" in directives["script-src"]
    assert not any("unsafe-inline" in v or v == "'unsafe-eval'" for vs in directives.values() for v in vs), csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert response.headers["referrer-policy"]
    policy = response.headers["permissions-policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
        assert feature in policy
    # No header twice (the counter's own nosniff is hidden behind nginx's).
    for name in SECURITY_HEADERS | {"cache-control"}:
        assert len(response.headers.get_list(name)) <= 1, f"{name} sent twice: {response.headers}"


# --- nginx and the static site -------------------------------------------------------------
def test_config_has_placeholders_only_where_documented():
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    code = re.sub(r"#.*", "", text)
    assert set(re.findall(r"@[A-Z_]+@", code)) == set(PLACEHOLDERS)
    # Every add_header at server level: one inside a location would drop the others there.
    for block in re.findall(r"(?m)^\s*location\b[^{]*\{[^}]*\}", code):
        assert "add_header" not in block, block


def test_home_page_headers(served, client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "charset=utf-8" in response.headers["content-type"].lower()
    assert_security_headers(response)
    cache = response.headers["cache-control"]
    age = int(re.search(r"max-age=(\d+)", cache).group(1))
    assert 0 < age <= 600 and "immutable" not in cache


def test_article_page_headers_and_gzip(served, client):
    article = first_article(served.root)
    response = client.get("/" + article, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == "gzip"
    assert "accept-encoding" in response.headers.get("vary", "").lower()
    assert response.text == (served.root / article).read_text(encoding="utf-8")  # httpx decodes
    assert_security_headers(response)
    assert "max-age=300" in response.headers["cache-control"]


def linked_assets(served, client) -> list[str]:
    html = client.get("/").text
    assets = [
        m.group(2) for m in re.finditer(r'<(?:link|script)\b[^>]*\b(href|src)="([^"]+\.(?:css|js))"', html)
    ]
    return [re.sub(r"^https?://[^/]+", "", a) for a in assets if a.startswith((served.origin, "/"))]


def test_pages_link_fingerprinted_assets_served_immutable(served, client):
    local = linked_assets(served, client)
    assert local, "the home page links no stylesheet or script"
    theme_own = [a for a in local if re.match(r"^/theme/(?:css/main|js/site)\b", a)]
    assert len(theme_own) == 2 and all(FINGERPRINTED.match(a) for a in theme_own), (
        f"the theme must link main.css and site.js with the |asset filter: {local}"
    )
    for path in local:
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        assert_security_headers(response)
        if FINGERPRINTED.match(path):
            assert response.headers["cache-control"] == IMMUTABLE, path
        else:  # an unhashed name must not be cached for long: its content can change
            assert "immutable" not in response.headers["cache-control"], path
            assert int(re.search(r"max-age=(\d+)", response.headers["cache-control"]).group(1)) <= 300
        if path.endswith(".css"):
            assert response.headers["content-type"].startswith("text/css")
            assert response.headers.get("content-encoding") == "gzip"


def test_every_linked_theme_asset_is_fingerprinted(served, client):
    unhashed = [a for a in linked_assets(served, client) if not FINGERPRINTED.match(a)]
    assert not unhashed, f"linked without a fingerprint (use the |asset filter): {unhashed}"


def test_every_fingerprinted_file_is_immutable_and_matches_its_source(served, client):
    table = json.loads((served.root / "theme" / "assets.json").read_text())
    assert "css/main.css" in table
    for logical, hashed in table.items():
        response = client.get(f"/theme/{hashed}")
        assert response.status_code == 200, hashed
        assert response.headers["cache-control"] == IMMUTABLE
        # The unhashed copy is still there, and is not cached for long.
        plain = client.get(f"/theme/{logical}")
        assert plain.status_code == 200
        assert "immutable" not in plain.headers["cache-control"]


def test_missing_path_gets_the_404_page(served, client):
    response = client.get("/khong-co-trang-nay/abc.html")
    assert response.status_code == 404
    assert response.content == (served.root / "404.html").read_bytes()
    assert "Không tìm thấy trang" in response.text
    assert_security_headers(response)
    assert "immutable" not in response.headers["cache-control"]
    missing_asset = client.get("/theme/css/main.00000000.css")
    assert missing_asset.status_code == 404
    assert_security_headers(missing_asset)


def test_dot_files_are_not_served(served, client):
    (served.root / ".secret").write_text("x")
    assert client.get("/.secret").status_code == 404


def test_feed_is_served_compressed(served, client):
    response = client.get("/feeds/all.atom.xml", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "xml" in response.headers["content-type"]
    assert response.headers.get("content-encoding") == "gzip"
    assert "max-age=300" in response.headers["cache-control"]
    assert_security_headers(response)


# --- the counter through the proxy ---------------------------------------------------------
def test_counter_through_the_proxy(served, client):
    article = "/" + first_article(served.root)
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json()["ok"] is True
    assert_security_headers(health)
    headers = {"User-Agent": READER_USER_AGENT, "Content-Type": "application/json"}
    first = client.post("/api/hits", headers=headers,
                        json={"path": article, "visit": "e2e-visit-0000000001", "heartbeat": False})  # fmt: skip
    assert first.status_code == 200, first.text
    figures = first.json()
    assert {"online", "total", "views"} <= figures.keys()
    assert figures["views"] >= 1 and figures["online"] >= 1
    assert first.headers["cache-control"] == "no-store"
    assert_security_headers(first)
    again = client.get("/api/hits", params={"path": article})
    assert again.status_code == 200
    assert again.json()["views"] == figures["views"]
    unknown = client.post("/api/hits", headers=headers,
                          json={"path": "/khong-co.html", "visit": "e2e-visit-0000000001"})  # fmt: skip
    assert unknown.status_code == 404


def test_counter_down_answers_204_through_nginx(served, tmp_path):
    """With the endpoint down nginx answers 204 (error_page 502 503 504 =204): no console error."""
    port, dead = free_port(), free_port()  # nothing listens on `dead`
    server = start_nginx(tmp_path, served.root, port, dead)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10.0) as down:
            article = "/" + first_article(served.root)
            assert down.get(article).status_code == 200
            headers = {"User-Agent": READER_USER_AGENT, "Content-Type": "application/json"}
            hit = down.post("/api/hits", headers=headers,
                            json={"path": article, "visit": "e2e-visit-0000000002", "heartbeat": False})  # fmt: skip
            assert hit.status_code == 204 and hit.content == b""
            assert down.get("/api/hits", params={"path": article}).status_code == 204
    finally:
        stop(server)


# --- a reader in Chromium ------------------------------------------------------------------
@pytest.mark.browser
def test_article_in_chromium_no_csp_violation_and_counter_shows(served):
    require_executable(CHROMIUM, "Debian package chromium")
    from playwright.sync_api import sync_playwright

    article = first_article(served.root)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(user_agent=READER_USER_AGENT, viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.on("console", lambda m: m.type in ("error", "warning")
                    and problems.append(f"console {m.type}: {m.text}"))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
            page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
            # securitypolicyviolation events, recorded by the page itself before any script runs.
            page.add_init_script(RECORD_CSP_VIOLATIONS)
            response = page.goto(served.url(article), wait_until="load")
            assert response is not None and response.status == 200
            assert "content-security-policy" in response.headers
            total = page.locator('[data-hitcount-figure="total"]').first
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-hitcount-figure]')]"
                ".some(e => /^\\d[\\d.]*$/.test(e.textContent.trim()))",
                timeout=10_000,
            )
            shown = {
                el.get_attribute("data-hitcount-figure"): el.text_content().strip()
                for el in page.locator("[data-hitcount-figure]").all()
            }
            assert re.fullmatch(r"\d[\d.]*", total.text_content().strip()), shown
            assert all(re.fullmatch(r"\d[\d.]*", v) for v in shown.values()), shown
            page.wait_for_timeout(300)  # late console messages
            violations = page.evaluate("window.__csp")
            assert violations == [], f"CSP violations: {violations}"
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)
