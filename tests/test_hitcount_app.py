"""The endpoint's HTTP contract, against the ASGI app (httpx.ASGITransport, real SQLite store)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from hitcount_service.app import HitcountApp
from hitcount_service.manifest import Manifest, canonical_path
from hitcount_service.stores.sqlite import SQLiteStore
from tests.hitcount_support import JSON_HEADERS, READER, FakeClock, run, visit_id, write_manifest

INITIAL = 14276


class Ticker:
    """A monotonic clock for the rate limiter."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def client(tmp_path: Path, *, clock=None, limiter_clock=None, client_addr=("127.0.0.1", 5555), **options):
    manifest = write_manifest(tmp_path / "hitcount-pages.json")
    store = SQLiteStore(tmp_path / "hits.sqlite3", online_window=300)
    app = HitcountApp(
        store,
        Manifest(manifest),
        initial_total=options.pop("initial_total", INITIAL),
        clock=clock or FakeClock(),
        limiter_clock=limiter_clock or Ticker(),
        **options,
    )
    transport = httpx.ASGITransport(app=app, client=client_addr)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as http:
        http.app = app  # type: ignore[attr-defined]
        try:
            yield http
        finally:
            await app.shutdown()


def hit(path: str = "/", visit: str | None = None, heartbeat: bool = False) -> dict:
    return {"path": path, "visit": visit or visit_id(), "heartbeat": heartbeat}


def stored_rows(tmp_path: Path) -> tuple:
    with sqlite3.connect(tmp_path / "hits.sqlite3") as db:
        return (
            db.execute("SELECT count(*) FROM visits").fetchone()[0],
            db.execute("SELECT value FROM counters").fetchone()[0],
            tuple(db.execute("SELECT path, views FROM page_views ORDER BY path")),
        )


def test_post_counts_and_answers_the_figures(tmp_path):
    async def body():
        async with client(tmp_path) as http:
            r = await http.post("/api/hits", json=hit("/a.html"), headers=READER)
            assert r.status_code == 200
            assert r.headers["content-type"] == "application/json"
            assert r.headers["cache-control"] == "no-store"
            assert r.json() == {"online": 1, "total": INITIAL + 1, "today": 1, "views": 1}

    run(body())


def test_get_answers_the_same_figures_counting_nothing(tmp_path):
    async def body():
        async with client(tmp_path) as http:
            await http.post("/api/hits", json=hit("/a.html"), headers=READER)
            for _ in range(3):
                r = await http.get("/api/hits", params={"path": "/a.html"}, headers=READER)
            assert r.status_code == 200
            assert r.json() == {"online": 1, "total": INITIAL + 1, "today": 1, "views": 1}
            assert "max-age=5" in r.headers["cache-control"]

    run(body())


def test_health(tmp_path):
    async def body():
        async with client(tmp_path) as http:
            r = await http.get("/api/health")
            assert r.status_code == 200
            assert r.json()["ok"] is True and r.json()["store"] == "sqlite"

    run(body())


@pytest.mark.parametrize(
    ("sent", "same_as"),
    [("/index.html", "/"), ("/muc/index.html", "/muc/"), ("/", "/index.html")],
)
def test_index_paths_are_one_page(tmp_path, sent, same_as):
    async def body():
        async with client(tmp_path) as http:
            visit = visit_id()
            await http.post("/api/hits", json=hit(sent, visit), headers=READER)
            r = await http.post("/api/hits", json=hit(same_as, visit_id()), headers=READER)
            assert r.json()["views"] == 2

    run(body())
    assert canonical_path("/muc/index.html") == "/muc/"


def test_unknown_page_is_404_and_creates_nothing(tmp_path):
    async def body():
        async with client(tmp_path) as http:
            for path in ["/nope.html", "/a.html/../b.html", "/A.html", "/a.html?x=1"]:
                r = await http.post("/api/hits", json=hit(path), headers=READER)
                assert r.status_code == 404, path
                assert r.json() == {"error": "unknown page"}
            r = await http.get("/api/hits", params={"path": "/nope.html"})
            assert r.status_code == 404

    run(body())
    assert stored_rows(tmp_path) == (0, 0, ())


def test_bots_and_programs_get_figures_and_count_nothing(tmp_path):
    bots = [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32",
        "Wget/1.21.3",
        "x",
        "",
    ]

    async def body():
        async with client(tmp_path) as http:
            for ua in bots:
                r = await http.post("/api/hits", json=hit("/a.html"), headers={"User-Agent": ua})
                assert r.status_code == 200, ua
                assert r.json() == {"online": 0, "total": INITIAL, "today": 0, "views": 0}, ua
            r = await http.post("/api/hits", json=hit("/a.html"), headers=READER)
            assert r.json()["total"] == INITIAL + 1

    run(body())


def test_rate_limit_429_with_retry_after(tmp_path):
    ticker = Ticker()

    async def body():
        async with client(tmp_path, rate_limit=5, limiter_clock=ticker) as http:
            codes = [(await http.post("/api/hits", json=hit(), headers=READER)).status_code for _ in range(7)]
            assert codes == [200] * 5 + [429] * 2
            r = await http.post("/api/hits", json=hit(), headers=READER)
            assert r.status_code == 429
            assert int(r.headers["retry-after"]) >= 1
            assert r.json() == {"error": "too many requests"}
            # readers behind another address (nginx's X-Real-IP from a trusted proxy) are not throttled
            r = await http.post("/api/hits", json=hit(), headers={**READER, "X-Real-IP": "203.0.113.9"})
            assert r.status_code == 200
            ticker.now += 120  # two minutes later the first address may count again
            assert (await http.post("/api/hits", json=hit(), headers=READER)).status_code == 200
            assert (await http.get("/api/hits?path=/")).json()["total"] == INITIAL + 7

    run(body())


def test_rate_limit_keys_ipv6_readers_on_their_64(tmp_path):
    async def body():
        async with client(tmp_path, rate_limit=3) as http:
            codes = []
            for i in range(5):  # one subscriber's /64, a new address each time (nginx's X-Real-IP)
                headers = {**READER, "X-Real-IP": f"2001:db8:aa:bb:{i + 1:x}::1"}
                codes.append((await http.post("/api/hits", json=hit(), headers=headers)).status_code)
            assert codes == [200] * 3 + [429] * 2
            other = {**READER, "X-Real-IP": "2001:db8:aa:bc::1"}
            assert (await http.post("/api/hits", json=hit(), headers=other)).status_code == 200

    run(body())


def test_proxy_headers_are_ignored_from_untrusted_peers(tmp_path):
    async def body():
        async with client(tmp_path, rate_limit=2, client_addr=("198.51.100.7", 4444)) as http:
            for i in range(2):
                headers = {**READER, "X-Real-IP": f"203.0.113.{i}", "X-Forwarded-For": f"203.0.113.{i}"}
                assert (await http.post("/api/hits", json=hit(), headers=headers)).status_code == 200
            headers = {**READER, "X-Real-IP": "203.0.113.99"}
            assert (await http.post("/api/hits", json=hit(), headers=headers)).status_code == 429

    run(body())


def test_cors_same_origin_by_default(tmp_path):
    async def body():
        async with client(tmp_path) as http:
            r = await http.post("/api/hits", json=hit(), headers={**READER, "Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in r.headers
            r = await http.options("/api/hits", headers={"Origin": "https://evil.example",
                                                         "Access-Control-Request-Method": "POST"})  # fmt: skip
            assert r.status_code == 403
            assert "access-control-allow-origin" not in r.headers

    run(body())


def test_cors_allowlist(tmp_path):
    origin = "https://thanhuy.example"

    async def body():
        async with client(tmp_path, allowed_origins=[origin]) as http:
            r = await http.options("/api/hits", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                         "Access-Control-Request-Headers": "content-type"})  # fmt: skip
            assert r.status_code == 204
            assert r.headers["access-control-allow-origin"] == origin
            assert "POST" in r.headers["access-control-allow-methods"]
            assert "content-type" in r.headers["access-control-allow-headers"]
            r = await http.post("/api/hits", json=hit(), headers={**READER, "Origin": origin})
            assert r.headers["access-control-allow-origin"] == origin
            r = await http.options("/api/hits", headers={"Origin": "https://other.example"})
            assert r.status_code == 403

    run(body())


def test_initial_total_from_settings(tmp_path):
    async def body():
        async with client(tmp_path, initial_total=0) as http:
            assert (await http.post("/api/hits", json=hit(), headers=READER)).json()["total"] == 1

    run(body())


def test_manifest_is_reloaded_when_the_site_rebuilds(tmp_path):
    async def body():
        async with client(tmp_path) as http:
            assert (await http.post("/api/hits", json=hit("/new.html"), headers=READER)).status_code == 404
            manifest: Manifest = http.app.manifest  # type: ignore[attr-defined]
            write_manifest(tmp_path / "hitcount-pages.json", ["/", "/new.html"])
            manifest.reload()
            assert (await http.post("/api/hits", json=hit("/new.html"), headers=READER)).status_code == 200

    run(body())


LONG = "x" * 2000
VALID = {"path": "/a.html", "visit": "abcdefghijklmnop1234", "heartbeat": False}

# (label, method, url, headers, body, expected status)
BAD_REQUESTS = [
    ("not JSON", "POST", "/api/hits", {}, b"path=/a.html", 400),
    ("truncated JSON", "POST", "/api/hits", {}, b'{"path": "/a.html", "visit": ', 400),
    ("empty body", "POST", "/api/hits", {}, b"", 400),
    ("invalid UTF-8", "POST", "/api/hits", {}, b'{"path": "/\xff", "visit": "abcdefghijklmnop"}', 400),
    ("form content type", "POST", "/api/hits", {"Content-Type": "application/x-www-form-urlencoded"},
     json.dumps(VALID).encode(), 415),
    ("text/plain (a simple cross-origin request)", "POST", "/api/hits", {"Content-Type": "text/plain"},
     json.dumps(VALID).encode(), 415),
    ("no content type", "POST", "/api/hits", {"Content-Type": ""}, json.dumps(VALID).encode(), 415),
    ("body over 1 KB", "POST", "/api/hits", {}, json.dumps({**VALID, "path": "/" + LONG}).encode(), 413),
    ("a JSON array", "POST", "/api/hits", {}, b'["/a.html", "abcdefghijklmnop"]', 422),
    ("a JSON string", "POST", "/api/hits", {}, b'"hello"', 422),
    ("null", "POST", "/api/hits", {}, b"null", 422),
    ("missing visit", "POST", "/api/hits", {}, b'{"path": "/a.html"}', 422),
    ("missing path", "POST", "/api/hits", {}, b'{"visit": "abcdefghijklmnop"}', 422),
    ("unknown field", "POST", "/api/hits", {}, json.dumps({**VALID, "ip": "1.2.3.4"}).encode(), 422),
    ("path is a number", "POST", "/api/hits", {}, json.dumps({**VALID, "path": 42}).encode(), 422),
    ("path without /", "POST", "/api/hits", {}, json.dumps({**VALID, "path": "a.html"}).encode(), 422),
    ("visit too short", "POST", "/api/hits", {}, json.dumps({**VALID, "visit": "abc"}).encode(), 422),
    ("visit too long", "POST", "/api/hits", {}, json.dumps({**VALID, "visit": "a" * 65}).encode(), 422),
    ("visit with bad characters", "POST", "/api/hits", {},
     json.dumps({**VALID, "visit": "abcdefghijklmnop<script>"}).encode(), 422),
    ("visit is a number", "POST", "/api/hits", {}, json.dumps({**VALID, "visit": 12345678901234567890}).encode(),
     422),
    ("heartbeat is a string", "POST", "/api/hits", {}, json.dumps({**VALID, "heartbeat": "false"}).encode(), 422),
    ("heartbeat is 0", "POST", "/api/hits", {}, json.dumps({**VALID, "heartbeat": 0}).encode(), 422),
    ("deeply nested JSON", "POST", "/api/hits", {}, b"[" * 400 + b"]" * 400, 422),
    ("path is not a site page", "POST", "/api/hits", {}, json.dumps({**VALID, "path": "/etc/passwd"}).encode(),
     404),
    ("GET without path", "GET", "/api/hits", {}, b"", 422),
    ("GET with two paths", "GET", "/api/hits?path=/&path=/a.html", {}, b"", 422),
    ("PUT", "PUT", "/api/hits", {}, json.dumps(VALID).encode(), 405),
    ("DELETE", "DELETE", "/api/hits", {}, b"", 405),
    ("unknown route", "POST", "/api/other", {}, json.dumps(VALID).encode(), 404),
    ("bad content-length", "POST", "/api/hits", {"Content-Length": "abc"}, b"", 400),
]


@pytest.mark.parametrize(
    ("method", "url", "headers", "body", "status"),
    [row[1:] for row in BAD_REQUESTS],
    ids=[row[0] for row in BAD_REQUESTS],
)
def test_bad_requests_get_a_4xx_and_change_nothing(tmp_path, method, url, headers, body, status):
    async def body_():
        async with client(tmp_path) as http:
            await http.post("/api/hits", json=hit("/a.html"), headers=READER)  # one real hit first
            before = (await http.get("/api/hits?path=/a.html")).json()
            rows_before = stored_rows(tmp_path)
            sent = {**JSON_HEADERS, **headers}
            if headers.get("Content-Type") == "":
                del sent["Content-Type"]
            r = await http.request(method, url, content=body, headers=sent)
            assert r.status_code == status, r.text
            assert 400 <= r.status_code < 500
            assert isinstance(r.json()["error"], str) and r.json()["error"]
            assert (await http.get("/api/hits?path=/a.html")).json() == before
            assert stored_rows(tmp_path) == rows_before

    assert len(BAD_REQUESTS) >= 15
    run(body_())


def test_chunked_body_over_1kb_is_413(tmp_path):
    async def body():
        async with client(tmp_path) as http:

            async def chunks():
                for _ in range(5):
                    yield b" " * 300

            r = await http.post("/api/hits", content=chunks(), headers=JSON_HEADERS)
            assert r.status_code == 413

    run(body())


def test_random_garbage_never_answers_5xx(tmp_path):
    import random

    rng = random.Random(91)
    bodies = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200))) for _ in range(150)]
    bodies += [json.dumps(v).encode() for v in (1.5e308, -1, True, {}, {"path": None}, {"path": ["/"]},
                                                {"path": "/", "visit": None}, {"path": "/\u0000"})]  # fmt: skip

    async def body():
        async with client(tmp_path) as http:
            for b in bodies:
                r = await http.post("/api/hits", content=b, headers=JSON_HEADERS)
                assert 400 <= r.status_code < 500, (b, r.status_code)
                assert "error" in r.json()

    run(body())
    assert stored_rows(tmp_path)[:2] == (0, 0)
