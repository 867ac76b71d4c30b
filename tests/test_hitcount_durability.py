"""No count lost: concurrent visits over real HTTP, several processes, kill -9 under load.

Each test runs the endpoint the way production does (`hitcount-service serve`, uvicorn).
"""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest

from tests.hitcount_support import PAGES, Endpoint, RawClient, redis_url, run, visit_id, write_manifest  # noqa: F401

pytestmark = pytest.mark.slow


async def post_hits(urls: list[str], visits: list[str]) -> list[int]:
    """One POST per visit, all at once on their own connections, spread over the endpoints."""

    async def one(i: int, visit: str) -> int:
        client = RawClient(urls[i % len(urls)])
        try:
            status, _ = await client.post("/api/hits", {"path": PAGES[i % len(PAGES)], "visit": visit})
            return status
        finally:
            await client.close()

    return await asyncio.gather(*(one(i, v) for i, v in enumerate(visits)))


def total(url: str) -> int:
    return httpx.get(url + "/api/hits", params={"path": "/"}).json()["total"]


def concurrent_200(endpoints: list[Endpoint]) -> None:
    urls = [e.url for e in endpoints]
    before = total(urls[0])
    responses = run(post_hits(urls, [visit_id() for _ in range(200)]))
    assert responses == [200] * 200
    assert total(urls[0]) == before + 200
    for url in urls:  # every process sees the same figure
        assert total(url) == before + 200


@pytest.fixture
def manifest(tmp_path, monkeypatch):
    monkeypatch.setenv("HITCOUNT_INITIAL_TOTAL", "14276")  # the endpoints inherit the environment
    return write_manifest(tmp_path / "hitcount-pages.json")


def test_200_concurrent_visits_sqlite(tmp_path, manifest):
    endpoint = Endpoint(str(tmp_path / "hits.sqlite3"), manifest, "--rate-limit", "0")
    try:
        assert total(endpoint.url) == 14276  # HITCOUNT_INITIAL_TOTAL from the environment
        concurrent_200([endpoint])
    finally:
        endpoint.stop()


def test_200_concurrent_visits_two_processes_one_sqlite_file(tmp_path, manifest):
    store = str(tmp_path / "shared.sqlite3")
    endpoints = [Endpoint(store, manifest, "--rate-limit", "0") for _ in range(2)]
    try:
        concurrent_200(endpoints)
        # the same 200 visits again through the other process: nothing is counted twice
        visits = [visit_id() for _ in range(100)]
        run(post_hits([endpoints[0].url], visits))
        before = total(endpoints[0].url)
        run(post_hits([endpoints[1].url], visits))
        assert total(endpoints[0].url) == before
    finally:
        for e in endpoints:
            e.stop()


def test_200_concurrent_visits_uvicorn_workers_one_sqlite_file(tmp_path, manifest):
    endpoint = Endpoint(str(tmp_path / "w.sqlite3"), manifest, "--rate-limit", "0", workers=2)
    try:
        concurrent_200([endpoint])
    finally:
        endpoint.stop()


def test_200_concurrent_visits_redis_two_processes(redis_url, manifest):  # noqa: F811
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    endpoints = [Endpoint(redis_url, manifest, "--rate-limit", "0") for _ in range(2)]
    try:
        health = httpx.get(endpoints[0].url + "/api/health").json()
        assert health == {"ok": True, "store": "redis", "pages": len(PAGES)}
        concurrent_200(endpoints)
    finally:
        for e in endpoints:
            e.stop()


def test_kill_9_under_load_loses_no_answered_hit(tmp_path, manifest):
    store = str(tmp_path / "crash.sqlite3")
    endpoint = Endpoint(store, manifest, "--rate-limit", "0")
    answered = 0
    stop_at = time.monotonic() + 1.5

    async def load() -> None:
        async def worker() -> None:
            nonlocal answered
            client = RawClient(endpoint.url)
            try:
                while True:
                    status, _ = await client.post("/api/hits", {"path": "/", "visit": visit_id()})
                    if status == 200:
                        answered += 1
            except (OSError, asyncio.IncompleteReadError):
                return  # the server is gone
            finally:
                await client.close()

        async def killer() -> None:
            while time.monotonic() < stop_at:
                await asyncio.sleep(0.05)
            endpoint.kill(signal.SIGKILL)

        await asyncio.gather(killer(), *(worker() for _ in range(48)))

    try:
        run(load())
    finally:
        endpoint.kill(signal.SIGKILL)
    assert answered > 500, "the load did not get going"
    restarted = Endpoint(store, manifest, "--rate-limit", "0")
    try:
        assert total(restarted.url) - 14276 >= answered
    finally:
        restarted.stop()
