"""Header size cap of the counter (plugins/hitcount_service/httpprotocol.py), on the real server:
`hitcount-service serve` under uvicorn with httptools, as production runs it."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from hitcount_service.httpprotocol import MAX_HEAD
from tests.hitcount_support import JSON_HEADERS, Endpoint, run, visit_id, write_manifest

pytestmark = pytest.mark.slow


async def raw_exchange(port: int, request: bytes, chunk: int = 64 * 1024) -> tuple[int, bytes]:
    """Send `request` while reading the answer (a server may answer before it has all of it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def send() -> None:
        try:
            for i in range(0, len(request), chunk):
                writer.write(request[i : i + chunk])
                await writer.drain()
        except (ConnectionError, OSError):
            pass  # refused mid-way: the answer is what counts

    sending = asyncio.create_task(send())
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
        status = int(head.split(b" ", 2)[1])
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        return status, await reader.readexactly(length)
    finally:
        sending.cancel()
        writer.close()


def big_header_request(size: int) -> bytes:
    body = json.dumps({"path": "/", "visit": visit_id()}).encode()
    return (
        b"POST /api/hits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"User-Agent: " + JSON_HEADERS["User-Agent"].encode() + b"\r\n"
        b"X-Padding: " + b"a" * size + b"\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("httpprotocol")
    # Two workers, as deploy/hitcount.service runs it (each imports the protocol class).
    server = Endpoint(str(tmp / "hits.sqlite3"), write_manifest(tmp / "pages.json"), workers=2)
    yield server
    server.stop()


def total(endpoint: Endpoint) -> int:
    return httpx.get(endpoint.url + "/api/hits", params={"path": "/"}).json()["total"]


@pytest.mark.parametrize("size", [8 * 1024 * 1024, MAX_HEAD + 1])
def test_headers_over_the_cap_get_431_and_count_nothing(endpoint, size):
    before = total(endpoint)
    status, body = run(raw_exchange(endpoint.port, big_header_request(size)))
    assert status == 431
    assert json.loads(body) == {"error": f"request headers over {MAX_HEAD} bytes"}
    assert total(endpoint) == before
    # The server is fine afterwards.
    ok = httpx.post(endpoint.url + "/api/hits", json={"path": "/", "visit": visit_id()}, headers=JSON_HEADERS)
    assert ok.status_code == 200 and ok.json()["total"] == before + 1


def test_headers_under_the_cap_are_served(endpoint):
    status, body = run(raw_exchange(endpoint.port, big_header_request(MAX_HEAD - 1024)))
    assert status == 200, body
    assert "total" in json.loads(body)


def test_the_cap_is_per_request_on_a_kept_alive_connection(endpoint):
    """Many small requests on one connection add up past the cap: each is measured alone."""

    async def body() -> list[int]:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=endpoint.url, limits=limits) as http:
            headers = {**JSON_HEADERS, "X-Padding": "a" * 2000}
            return [
                (await http.post("/api/hits", json={"path": "/", "visit": visit_id()}, headers=headers)).status_code
                for _ in range(3 * MAX_HEAD // 2000)
            ]

    assert set(run(body())) == {200}
