"""The privacy claims of docs/security.md and plugins/hitcount_service/README.md hold on disk.

Traffic from a distinctive address (127.0.0.77), with a distinctive user agent, referrer,
query string and visit id, goes through nginx (deploy/nginx.conf) to the counter on each
store: pages, a missing page, hits, a heartbeat, a bad request, requests over the rate
limit, an oversized head, and hits while the counter is down. Then every file they wrote is
read as bytes: nginx's logs and its output, the counter's output, the SQLite file with its
WAL, Redis's RDB (after SAVE) and AOF. None of those values appears; the logs and stores did
record the traffic (so the search looks at the right files).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import redis

from tests.hitcount_support import JSON_HEADERS, start_redis, ulid
from tests.test_deploy_limits import BURST, Stack
from tests.test_deploy_serving import served_site

pytestmark = pytest.mark.slow

ADDRESS = "127.0.0.77"
AGENT_TOKEN = "PrivacyCanary7Qx3"
AGENT = (f"Mozilla/5.0 (X11; Linux x86_64; {AGENT_TOKEN}) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/126.0 Safari/537.36")
REFERRER_TOKEN = "ReferrerCanary4Kw"
QUERY_TOKEN = "QueryCanary9Zt"


def traffic(stack: Stack, visit: str) -> None:
    reader = {**JSON_HEADERS, "User-Agent": AGENT, "Referer": f"https://tim.example/?q={REFERRER_TOKEN}"}
    with stack.client(ADDRESS) as http:
        assert http.get(stack.article, params={"q": QUERY_TOKEN}, headers=reader).status_code == 200
        assert http.get("/khong-co-trang-nay.html", headers=reader).status_code == 404
        for heartbeat in (False, True):
            hit = http.post("/api/hits", json={"path": stack.article, "visit": visit, "heartbeat": heartbeat},
                            headers=reader)  # fmt: skip
            assert hit.status_code == 200
        assert http.get("/api/hits", params={"path": stack.article}, headers=reader).status_code == 200
        bad = http.post("/api/hits", json={"path": stack.article, "visit": visit, "ip": ADDRESS}, headers=reader)
        assert bad.status_code == 422
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10, source_address=(ADDRESS, 0)) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: {AGENT}\r\nX-Long: {'a' * 5000}\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    # The counter crashes (kill -9: its SQLite WAL stays on disk, to be searched too), and
    # nginx fails to reach it: an error line with the client's address, were errors logged.
    stack.counter.kill()
    with stack.client(ADDRESS) as http:
        down = http.post("/api/hits", json={"path": stack.article, "visit": visit}, headers=reader)
        assert down.status_code == 204
        # Over the rate limit (nginx refuses in front of the counter, up or down).
        codes = {http.get("/api/hits", params={"path": stack.article}, headers=reader).status_code
                 for _ in range(BURST + 10)}  # fmt: skip
        assert 429 in codes


def files_under(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_nothing_about_the_reader(written: dict[str, bytes], visit: str) -> None:
    canaries = [ADDRESS, AGENT_TOKEN, REFERRER_TOKEN, QUERY_TOKEN, visit]
    found = [(name, c) for name, data in written.items() for c in canaries if c.encode() in data]
    assert found == [], found


def assert_access_log_records_the_traffic(logs: Path, article: str) -> None:
    log = (logs / "thanhuy.access.log").read_text(encoding="utf-8")
    for line in (f'GET "{article}" 200', 'GET "/khong-co-trang-nay.html" 404', 'POST "/api/hits" 422',
                 'GET "/api/hits" 429'):  # fmt: skip
        assert line in log, f"not logged: {line}\n{log}"
    assert '"/api/hits" 200' not in log  # the counter's routine answers are not logged


@pytest.fixture
def site(request, tmp_path_factory):
    return served_site(request, tmp_path_factory)


def test_sqlite_store_and_logs_keep_nothing_about_the_reader(site, tmp_path):
    visit = ulid()
    stack = Stack(site, tmp_path, str(tmp_path / "store" / "hits.sqlite3"))
    try:
        traffic(stack, visit)
    finally:
        output = stack.close()
    written = files_under(tmp_path / "logs", tmp_path / "store") | {"nginx and counter output": output.encode()}
    assert any(name.endswith("hits.sqlite3-wal") for name in written), sorted(written)
    assert stack.article.encode() in b"".join(v for k, v in written.items() if "hits.sqlite3" in k)
    assert_nothing_about_the_reader(written, visit)
    assert_access_log_records_the_traffic(tmp_path / "logs", stack.article)


def test_redis_store_and_logs_keep_nothing_about_the_reader(site, tmp_path):
    visit = ulid()
    data = tmp_path / "redis"
    data.mkdir()
    # Files as a production Redis keeps them (AOF on), and uncompressed so that no value hides.
    server, url = start_redis(data, "--appendonly", "yes", "--appendfsync", "always", "--rdbcompression", "no")
    stack = Stack(site, tmp_path, url)
    try:
        traffic(stack, visit)
        redis.Redis.from_url(url).save()
    finally:
        output = stack.close()
        server.terminate()
        server.wait(timeout=10)
    written = files_under(tmp_path / "logs", data) | {"nginx and counter output": output.encode()}
    assert any("dump.rdb" in k for k in written) and any("appendonly" in k for k in written), sorted(written)
    stored = b"".join(v for k, v in written.items() if k.startswith(str(data)))
    assert b"visit:" in stored and stack.article.encode() in stored
    assert_nothing_about_the_reader(written, visit)
    assert_access_log_records_the_traffic(tmp_path / "logs", stack.article)
