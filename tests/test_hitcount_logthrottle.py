"""The store-down warning is written at most once per interval, with a count of the rest
(plugins/hitcount_service/logthrottle.py), here with a real redis-server stopped under the counter."""

from __future__ import annotations

import logging

import httpx

from hitcount_service.app import HitcountApp
from hitcount_service.logthrottle import ThrottledLog
from hitcount_service.manifest import Manifest
from hitcount_service.stores.redis import RedisStore
from tests.hitcount_support import READER, FakeClock, run, start_redis, visit_id, write_manifest

log = logging.getLogger("hitcount.test")


def test_once_per_interval_then_the_count_of_the_rest(caplog):
    clock = FakeClock(0.0)
    throttled = ThrottledLog(log, logging.WARNING, "store unavailable: %s", interval=10, clock=clock)
    with caplog.at_level(logging.WARNING, logger="hitcount.test"):
        for _ in range(500):
            throttled("redis: connection refused")
            clock.advance(0.01)  # 5 s in all
        assert [r.getMessage() for r in caplog.records] == ["store unavailable: redis: connection refused"]
        clock.advance(6)
        throttled("redis: connection refused")
    assert caplog.records[-1].getMessage() == (
        "store unavailable: redis: connection refused (and 499 more like it since the last such line)"
    )
    assert len(caplog.records) == 2


def test_a_store_outage_writes_one_line_not_one_per_request(tmp_path, caplog):
    proc, url = start_redis(tmp_path)
    app = HitcountApp(RedisStore(url), Manifest(write_manifest(tmp_path / "pages.json")), clock=FakeClock())
    log_clock = app.store_down_log.clock = FakeClock()  # stands still: the test may run slowly

    async def body() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as http:
            ok = await http.post("/api/hits", json={"path": "/", "visit": visit_id()}, headers=READER)
            assert ok.status_code == 200
            proc.kill()
            proc.wait(timeout=10)
            codes = []
            for _ in range(200):
                r = await http.post("/api/hits", json={"path": "/", "visit": visit_id()}, headers=READER)
                codes.append(r.status_code)
                assert r.json() == {"error": "store unavailable"}
            log_clock.advance(app.store_down_log.interval)
            await http.get("/api/hits", params={"path": "/"})
            await app.shutdown()
            return codes

    with caplog.at_level(logging.WARNING, logger="hitcount"):
        codes = run(body())
    assert codes == [503] * 200
    lines = [r.getMessage() for r in caplog.records if r.name == "hitcount"]
    assert len(lines) == 2 and lines[0].startswith("store unavailable: redis"), lines
    assert lines[1].endswith("(and 199 more like it since the last such line)"), lines
