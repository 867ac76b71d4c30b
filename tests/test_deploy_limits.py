"""deploy/nginx.conf holds under abusive traffic, with the real nginx and the real counter
(`hitcount-service serve --workers 2`, as deploy/hitcount.service runs it) behind it.

- One rate limit per client in front of both counter workers; IPv6 clients per /64.
- Requests in progress per client (limit_conn), oversized heads, a counter whose store is
  down (503 → 204).
- A slowloris: 2,000 connections from one address trickling their headers while another
  client's pages and counter calls keep succeeding, until nginx closes them.

Clients get their own loopback addresses (127.0.0.x: Linux routes all of 127/8 to lo), so
each test has fresh limits. IPv6 clients come through a test-only realip header from
127.0.0.1 (the loopback has one IPv6 address).
"""

from __future__ import annotations

import asyncio
import re
import resource
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hitcount_service.settings import DEFAULTS
from tests.hitcount_support import JSON_HEADERS, ROOT, Endpoint, run, start_redis, visit_id
from tests.support import IN_CI, free_port
from tests.test_deploy_serving import (
    NGINX_TEMPLATE,
    WORKER_CONNECTIONS,
    WORKER_RLIMIT_NOFILE,
    ServedSite,
    first_article,
    served_site,
    start_nginx,
    stop,
)

pytestmark = pytest.mark.slow

# Test only: from 127.0.0.1, nginx takes the client's address from this header.
REALIP = "set_real_ip_from 127.0.0.1; real_ip_header X-Test-Client;"
SLOW_CONNECTIONS = 2000


def setting(pattern: str) -> re.Match:
    code = re.sub(r"(?m)#.*$", "", NGINX_TEMPLATE.read_text(encoding="utf-8"))
    found = re.search(pattern, code)
    assert found, f"deploy/nginx.conf has no {pattern}"
    return found


RATE = int(setting(r"limit_req_zone\s+\$thanhuy_client\s+zone=thanhuy_api:\S+\s+rate=(\d+)r/m;").group(1))
BURST = int(setting(r"limit_req\s+zone=thanhuy_api\s+burst=(\d+)\s+nodelay;").group(1))
CONNECTIONS = int(setting(r"limit_conn\s+thanhuy_conn\s+(\d+);").group(1))
HEADER_TIMEOUT = int(setting(r"client_header_timeout\s+(\d+)s;").group(1))


class Stack:
    """nginx (deploy/nginx.conf) in front of a counter, on the session's production build."""

    def __init__(self, site: ServedSite, work: Path, store: str, workers: int = 2) -> None:
        self.root = site.root
        self.counter = Endpoint(store, site.root / "hitcount-pages.json", workers=workers)
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.article = "/" + first_article(site.root)
        self.nginx = start_nginx(work, site.root, self.port, self.counter.port, extra_http=REALIP)

    def client(self, source: str = "127.0.0.1") -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=source)
        return httpx.Client(base_url=self.origin, transport=transport, timeout=10.0)

    def hit(self, http: httpx.Client, **headers: str) -> httpx.Response:
        return http.post("/api/hits", json={"path": self.article, "visit": visit_id()},
                         headers={**JSON_HEADERS, **headers})  # fmt: skip

    def total(self) -> int:
        return httpx.get(self.counter.url + "/api/hits", params={"path": "/"}).json()["total"]

    def close(self) -> str:
        """Stop both; what they wrote to their stdout and stderr."""
        out = stop(self.nginx)
        self.counter.stop()
        assert self.counter.proc.stderr is not None
        return out + self.counter.proc.stderr.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory) -> Iterator[Stack]:
    site = served_site(request, tmp_path_factory)
    work = tmp_path_factory.mktemp("limits")
    s = Stack(site, work, str(work / "hits.sqlite3"))
    yield s
    s.close()


def burst_of_hits(stack: Stack, n: int, source: str = "127.0.0.1", **headers) -> tuple[list[httpx.Response], float]:
    started = time.monotonic()
    with stack.client(source) as http:
        answers = [stack.hit(http, **headers) for _ in range(n)]
    return answers, time.monotonic() - started


def allowed_at_most(elapsed: float) -> int:
    """What a leaky bucket of RATE a minute with BURST lets through in `elapsed` seconds."""
    return BURST + 1 + int(elapsed * RATE / 60) + 1


# --- one rate limit per client ---------------------------------------------------------------
def test_nginx_rate_is_the_counters_rate():
    assert RATE == DEFAULTS.rate_limit


def test_one_limit_per_client_across_two_counter_workers(stack):
    before = stack.total()
    answers, elapsed = burst_of_hits(stack, 3 * BURST, source="127.0.0.21")
    passed = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code == 429]
    assert len(passed) + len(refused) == len(answers), {a.status_code for a in answers}
    # Each worker alone would let 600 a minute through; together they get what nginx passes.
    assert BURST <= len(passed) <= allowed_at_most(elapsed), (len(passed), elapsed)
    assert refused and all(a.json() == {"error": "too many requests"} for a in refused)
    assert stack.total() == before + len(passed)  # every hit let through counted, once
    # Another address is another client.
    with stack.client("127.0.0.22") as other:
        assert stack.hit(other).status_code == 200


def test_an_ipv6_client_is_limited_per_64(stack):
    with stack.client() as http:
        started = time.monotonic()
        codes = [stack.hit(http, **{"X-Test-Client": f"2001:db8:5:6:{i:x}::1"}).status_code for i in range(3 * BURST)]
        elapsed = time.monotonic() - started
        assert set(codes) == {200, 429}
        assert codes.count(200) <= allowed_at_most(elapsed)
        # The next /64, and IPv4 clients, are other clients.
        assert stack.hit(http, **{"X-Test-Client": "2001:db8:5:7::1"}).status_code == 200
        assert stack.hit(http, **{"X-Test-Client": "203.0.113.5"}).status_code == 200


def test_pages_are_not_rate_limited(stack):
    with stack.client("127.0.0.23") as http:
        assert {http.get(stack.article).status_code for _ in range(2 * BURST)} == {200}


# --- requests in progress, heads, the store down -----------------------------------------------
@pytest.fixture
def big_file(stack) -> Iterator[str]:
    path = stack.root / "limit-conn-test.bin"
    with path.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: sent with sendfile, fills no disk
    yield "/" + path.name
    path.unlink()


def test_requests_in_progress_are_limited_per_client(stack, big_file):
    """Readers that do not read keep their requests in progress: CONNECTIONS of them at once."""

    async def body() -> list[int]:
        streams = []
        try:
            statuses = []
            for _ in range(CONNECTIONS + 16):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.bind(("127.0.0.24", 0))
                sock.setblocking(False)
                await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", stack.port))
                reader, writer = await asyncio.open_connection(sock=sock)
                streams.append(writer)
                writer.write(f"GET {big_file} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n"), 10)
                statuses.append(int(head.split()[1]))  # and read no more
            return statuses
        finally:
            for writer in streams:
                writer.transport.abort()

    statuses = run(body())
    assert statuses == [200] * CONNECTIONS + [429] * 16
    with stack.client("127.0.0.25") as other:
        assert other.get(stack.article).status_code == 200


@pytest.mark.parametrize(("size", "what"), [(8 * 1024 * 1024, "an 8 MB header"), (5000, "a 5 KB header line")])
def test_oversized_heads_are_refused_by_nginx(stack, size, what):
    before = stack.total()
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10) as sock:
        sock.sendall(b"POST /api/hits HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ")
        try:
            sock.sendall(b"a" * size + b"\r\n\r\n")
        except OSError:
            pass  # refused mid-way; the answer was sent first
        answer = sock.recv(200)
    status = int(answer.split()[1])
    assert 400 <= status < 500 and status != 429, (what, answer)
    assert stack.total() == before


def test_a_store_outage_answers_204_through_nginx(request, tmp_path, tmp_path_factory):
    redis, url = start_redis(tmp_path)
    down = Stack(served_site(request, tmp_path_factory), tmp_path, url, workers=1)
    try:
        with down.client("127.0.0.26") as http:
            assert down.hit(http).status_code == 200
            redis.kill()
            redis.wait(timeout=10)
            assert httpx.get(down.counter.url + "/api/health").status_code == 503  # the counter says 503
            answer = down.hit(http)
            assert answer.status_code == 204 and answer.content == b""  # readers get 204
            assert http.get("/api/hits", params={"path": down.article}).status_code == 204
            # A refusal of the counter's own still passes through, with its reason.
            unknown = http.post("/api/hits", json={"path": "/khong-co.html", "visit": visit_id()},
                                headers=JSON_HEADERS)  # fmt: skip
            assert unknown.status_code == 404 and unknown.json() == {"error": "unknown page"}
    finally:
        down.close()


# --- a slowloris -------------------------------------------------------------------------------
def raise_open_files(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        message = f"the slowloris test needs {needed} open files; the hard limit is {hard}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


async def slowloris(port: int, stop: asyncio.Event, opened: list[int], closed: list[float]) -> None:
    """SLOW_CONNECTIONS from 127.0.0.66, each sending part of a head, then a line every 2 s."""
    loop = asyncio.get_running_loop()

    async def one() -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.66", 0))
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, ("127.0.0.1", port))
            opened.append(1)
            await loop.sock_sendall(sock, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            while not stop.is_set():
                await asyncio.sleep(2)
                await loop.sock_sendall(sock, b"X-Slow: 1\r\n")
                if await_closed(sock):
                    break
        except OSError:
            pass
        finally:
            if not stop.is_set():
                closed.append(time.monotonic())
            sock.close()

    await asyncio.gather(*(one() for _ in range(SLOW_CONNECTIONS)))


def await_closed(sock: socket.socket) -> bool:
    """True once the server closed the connection (EOF or reset), without blocking."""
    try:
        return sock.recv(4096, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False


def test_the_capacity_tested_is_the_one_deploy_readme_sets():
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    assert f"worker_connections {WORKER_CONNECTIONS};" in readme
    assert f"worker_rlimit_nofile {WORKER_RLIMIT_NOFILE};" in readme


def test_slowloris_from_one_address_does_not_stop_other_readers(stack):
    raise_open_files(SLOW_CONNECTIONS + 512)
    assert WORKER_CONNECTIONS > SLOW_CONNECTIONS  # the capacity deploy/README.md asks for

    async def body() -> tuple[list[int], list[int], list[float], float]:
        stop_event = asyncio.Event()
        opened: list[int] = []
        closed: list[float] = []
        attack = asyncio.create_task(slowloris(stack.port, stop_event, opened, closed))
        started = time.monotonic()
        codes: list[int] = []
        transport = httpx.AsyncHTTPTransport(local_address="127.0.0.1")
        async with httpx.AsyncClient(base_url=stack.origin, transport=transport, timeout=10.0) as reader:
            # A reader reads pages and calls the counter all through the attack, and past the
            # moment nginx drops the slow connections (the header timeout).
            while time.monotonic() - started < HEADER_TIMEOUT + 5 or (len(closed) < len(opened) and
                                                                       time.monotonic() - started < 4 * HEADER_TIMEOUT):
                codes.append((await reader.get(stack.article)).status_code)
                hit = await reader.post("/api/hits", json={"path": stack.article, "visit": visit_id()},
                                        headers=JSON_HEADERS)  # fmt: skip
                codes.append(hit.status_code)
                await asyncio.sleep(0.3)
        stop_event.set()
        await attack
        return codes, opened, closed, started

    codes, opened, closed, started = run(body())
    assert len(opened) == SLOW_CONNECTIONS, "the attack did not get its connections"
    assert codes and set(codes) == {200}, sorted(set(codes))
    assert len(codes) >= 2 * HEADER_TIMEOUT  # the reader kept going for the whole attack
    # nginx closed every slow connection itself, the header timeout after it began.
    assert len(closed) == SLOW_CONNECTIONS
    assert all(t - started >= HEADER_TIMEOUT - 1 for t in closed)
