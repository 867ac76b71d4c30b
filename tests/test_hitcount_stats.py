"""Most read (/api/top), statistics (/api/stats, .csv) and what counts as a page view.

The real app over both real stores (SQLite file, redis-server: `make_store`, tests/conftest.py),
the clock under the test's control; views are counted once per visit, per local day.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from hitcount_service.app import STATS_CACHE_SECONDS, HitcountApp
from hitcount_service.manifest import Manifest
from tests.hitcount_support import READER, FakeClock, visit_id

DAY = 86400
ARTICLE, OTHER = "/kinh-te/2026/01/01/bai-mot.html", "/xay-dung-dang/2025/12/30/bai-hai.html"
TITLES = {
    ARTICLE: {"title": "Bài một: hội nghị", "section": "Kinh tế"},
    OTHER: {"title": "=HYPERLINK(\"x\") bài hai", "section": "Xây dựng Đảng"},
}
MANIFEST = {"version": 1, "settings": {}, "pages": ["/", "/a.html", ARTICLE, OTHER],
            "quiet": ["/404.html", "/tim-kiem.html"], "titles": TITLES}  # fmt: skip


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def client(tmp_path: Path, store):
    manifest = tmp_path / "hitcount-pages.json"
    manifest.write_text(json.dumps(MANIFEST, ensure_ascii=False), encoding="utf-8")
    app = HitcountApp(store, Manifest(manifest), clock=FakeClock(), limiter_clock=Ticker())
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as http:
        http.app = app  # type: ignore[attr-defined]
        try:
            yield http
        finally:
            await app.shutdown()


async def view(http, path: str, visit: str | None = None, heartbeat: bool = False) -> dict:
    r = await http.post("/api/hits", json={"path": path, "visit": visit or visit_id(), "heartbeat": heartbeat},
                        headers=READER)  # fmt: skip
    assert r.status_code == 200, r.text
    return r.json()


async def all_views(http) -> dict[str, int]:
    today = http.app._today()
    return await http.app.store.page_views(today - 60, today)


@pytest.mark.anyio
async def test_not_found_and_search_pages_keep_a_visit_but_count_no_view(tmp_path, make_store):
    async with client(tmp_path, make_store()) as http:
        visit = visit_id()
        figures = await view(http, "/404.html", visit)
        assert figures["total"] == 1 and figures["views"] == 0  # a visit, no page view
        assert (await view(http, "/tim-kiem.html", visit))["views"] == 0
        assert (await view(http, ARTICLE, visit))["total"] == 1  # the same visit goes on
        r = await http.get("/api/stats", params={"days": "30"})
        assert r.json()["total_visits"] == 1
        assert await all_views(http) == {ARTICLE: 1}


@pytest.mark.anyio
async def test_most_read_counts_once_per_visit_for_the_period_asked(tmp_path, make_store):
    async with client(tmp_path, make_store()) as http:
        clock = http.app.clock
        for _ in range(4):  # five days ago: four visits read the other article
            await view(http, OTHER)
        clock.advance(5 * DAY)
        for _ in range(3):  # today: three visits read the first, one of them twice
            visit = visit_id()
            await view(http, ARTICLE, visit)
        await view(http, ARTICLE, visit)
        await view(http, OTHER)
        await view(http, "/")  # the home page is no article: never in the list
        http.app.limiter.clock.now += STATS_CACHE_SECONDS + 1

        day = (await http.get("/api/top", params={"period": "day"})).json()
        week = (await http.get("/api/top", params={"period": "week", "n": "10"})).json()
        assert day == [{"path": ARTICLE, "title": TITLES[ARTICLE]["title"], "views": 3},
                       {"path": OTHER, "title": TITLES[OTHER]["title"], "views": 1}]  # fmt: skip
        assert [(row["path"], row["views"]) for row in week] == [(OTHER, 5), (ARTICLE, 3)]
        one = await http.get("/api/top", params={"period": "month", "n": "1"})
        assert one.json() == [week[0]]
        assert one.headers["cache-control"] == "public, max-age=60"
        assert one.headers["content-type"] == "application/json"


@pytest.mark.anyio
async def test_answers_are_cached_for_a_minute(tmp_path, make_store):
    async with client(tmp_path, make_store()) as http:
        await view(http, ARTICLE)
        first = (await http.get("/api/top")).json()
        await view(http, OTHER)
        await view(http, OTHER)
        assert (await http.get("/api/top")).json() == first  # one store query a minute
        http.app.limiter.clock.now += STATS_CACHE_SECONDS + 1
        assert (await http.get("/api/top")).json()[0]["path"] == OTHER


@pytest.mark.parametrize("url,params,status", [
    ("/api/top", {"period": "year"}, 422),
    ("/api/top", {"n": "0"}, 422),
    ("/api/top", {"n": "51"}, 422),
    ("/api/top", {"n": "1e3"}, 422),
    ("/api/top", {"n": "٣"}, 422),  # a digit, but not ASCII
    ("/api/top", {"limit": "5"}, 422),
    ("/api/top", [("period", "day"), ("period", "week")], 422),
    ("/api/stats", {"days": "7"}, 422),
    ("/api/stats.csv", {"days": "-30"}, 422),
])  # fmt: skip
@pytest.mark.anyio
async def test_bad_queries_get_a_reason_and_change_nothing(tmp_path, make_store, url, params, status):
    async with client(tmp_path, make_store()) as http:
        await view(http, ARTICLE)
        r = await http.get(url, params=params)
        assert r.status_code == status and r.json()["error"]
        assert (await http.post(url)).status_code == 405
        raw = await http.get(url + "?period=%ff")
        assert raw.status_code in (400, 422) and raw.json()["error"]
        assert await all_views(http) == {ARTICLE: 1}


@pytest.mark.anyio
async def test_statistics_visits_per_day_sections_and_csv(tmp_path, make_store):
    async with client(tmp_path, make_store()) as http:
        clock = http.app.clock
        await view(http, ARTICLE)
        clock.advance(2 * DAY)
        for path in (ARTICLE, OTHER, OTHER, "/a.html"):
            await view(http, path)
        stats = (await http.get("/api/stats", params={"days": "30"})).json()
        assert stats["days"] == 30 and len(stats["visits"]) == 30
        assert [row["visits"] for row in stats["visits"][-3:]] == [1, 0, 4]
        assert stats["total_visits"] == 5
        assert stats["sections"] == [{"section": "Kinh tế", "views": 2}, {"section": "Xây dựng Đảng", "views": 2}]
        assert [row["path"] for row in stats["top"]["month"]] == [ARTICLE, OTHER]
        year = (await http.get("/api/stats", params={"days": "365"})).json()
        assert len(year["visits"]) == 365 and year["total_visits"] == 5

        r = await http.get("/api/stats.csv", params={"days": "30"})
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        assert 'filename="thong-ke-truy-cap-30-ngay.csv"' in r.headers["content-disposition"]
        text = r.content.decode("utf-8")
        assert text.startswith("\ufeffNgày,Lượt truy cập\r\n")
        assert f"{stats['visits'][-1]['date']},4\r\n" in text
        assert "Kinh tế,2\r\n" in text
        assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text  # never a formula


@pytest.mark.anyio
async def test_visits_per_day_outlive_the_visits(tmp_path, make_store):
    """Per-visit data goes after the visit; the daily figures stay (SQLite kept 31 days before)."""
    async with client(tmp_path, make_store(visit_retention=1800)) as http:
        await view(http, ARTICLE)
        first_day = http.app._today()
        for _ in range(40):  # forty days of one visit each, the clean-ups running
            http.app.clock.advance(DAY)
            await view(http, "/")
        assert (await http.app.store.daily(first_day, first_day)) == {first_day: 1}
        if http.app.store.kind == "sqlite":
            assert http.app.store.stored_visit_ids() <= 1
