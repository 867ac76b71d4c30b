"""One suite, two stores: the counting semantics with the clock under the test's control.

SQLite runs on a temporary file; Redis on a real redis-server the fixture starts (`store`,
tests/conftest.py: each test runs once per store, on the opened store).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import uuid
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

import pytest

from hitcount_service.stores import open_store
from hitcount_service.stores.sqlite import SQLiteStore
from hitcount_service.stores.visitkey import ulid_time, visit_key
from tests.hitcount_support import other_visit_id, ulid, visit_id

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
WINDOW = 300


@pytest.fixture
def store_options() -> dict:
    """The `store` fixture's (tests/conftest.py): visit ids kept a day, not the default 30 minutes."""
    return {"online_window": WINDOW, "visit_retention": 86400}


@asynccontextmanager
async def opened(store):
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def test_open_store_picks_the_kind(tmp_path, redis_url):
    assert open_store(str(tmp_path / "x.sqlite3"), online_window=1, visit_retention=1, timezone="UTC").kind == "sqlite"
    assert open_store(redis_url, online_window=1, visit_retention=1, timezone="UTC").kind == "redis"


@pytest.mark.anyio
async def test_a_visit_counts_once_however_many_pages_and_reloads(store):
    visit = visit_id()
    for i, page in enumerate(["/", "/a.html", "/a.html", "/b.html", "/"]):
        figures = await store.hit(page, visit, False, T0 + i)
    assert figures.total == 1
    assert figures.today == 1
    assert figures.online == 1
    other = await store.hit("/", visit_id(), False, T0 + 10)
    assert other.total == 2 and other.online == 2


@pytest.mark.anyio
async def test_ids_of_any_shape_count_once(store):
    """The widget sends ULIDs; another client's valid id counts just as well."""

    # "Z" * 26: the length of a ULID but beyond any ULID's range
    visits = [visit_id(), other_visit_id(), "abcdefghijklmnop", "Z" * 26]
    for i, visit in enumerate(visits * 3):
        figures = await store.hit("/a.html", visit, False, T0 + i)
    assert figures.total == len(visits)
    assert figures.views == len(visits)


@pytest.mark.anyio
async def test_views_once_per_visit_per_page(store):
    a, b = visit_id(), visit_id()
    assert (await store.hit("/a.html", a, False, T0)).views == 1
    assert (await store.hit("/a.html", a, False, T0 + 1)).views == 1  # reload
    assert (await store.hit("/b.html", a, False, T0 + 2)).views == 1  # another page
    assert (await store.hit("/a.html", b, False, T0 + 3)).views == 2  # another visit
    assert (await store.hit("/a.html", b, True, T0 + 4)).views == 2  # a heartbeat is no view
    assert (await store.read("/b.html", T0 + 5)).views == 1
    assert (await store.read("/never.html", T0 + 5)).views == 0


@pytest.mark.anyio
async def test_online_window_and_heartbeat_expiry(store):
    a, b = visit_id(), visit_id()
    await store.hit("/", a, False, T0)
    await store.hit("/", b, False, T0 + 10)
    assert (await store.read("/", T0 + WINDOW - 1)).online == 2
    # a's window ends; b is still inside its own
    assert (await store.read("/", T0 + WINDOW + 1)).online == 1
    # a heartbeat brings a back and keeps it for a whole window
    assert (await store.hit("/", a, True, T0 + WINDOW + 2)).online == 2
    assert (await store.read("/", T0 + WINDOW + 11)).online == 1  # b expired
    assert (await store.read("/", T0 + 2 * WINDOW + 1)).online == 1  # a still there
    assert (await store.read("/", T0 + 2 * WINDOW + 3)).online == 0  # no heartbeat: gone
    # heartbeats never add to the total
    assert (await store.read("/", T0 + 2 * WINDOW + 3)).total == 2


@pytest.mark.anyio
async def test_a_visit_moving_between_seconds_is_online_once(store):
    visit = visit_id()
    for second in range(0, 120, 7):
        figures = await store.hit("/", visit, second % 2 == 1, T0 + second + 0.5)
        assert figures.online == 1


@pytest.mark.anyio
async def test_today_starts_at_midnight_in_vietnam(store):
    midnight = dt.datetime(2026, 3, 3, 0, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()

    night_owl, early = visit_id(), visit_id()
    assert (await store.hit("/", night_owl, False, midnight - 60)).today == 1
    assert (await store.hit("/", early, False, midnight - 30)).today == 2
    # after midnight: the night owl is a visit of the new day too, counted once
    assert (await store.hit("/a.html", night_owl, False, midnight + 30)).today == 1
    assert (await store.hit("/b.html", night_owl, False, midnight + 40)).today == 1
    figures = await store.hit("/", visit_id(), False, midnight + 50)
    assert figures.today == 2
    assert figures.total == 3  # the total never counts a visit twice


@pytest.mark.anyio
async def test_read_counts_nothing(store):
    for _ in range(3):
        figures = await store.read("/", T0)
    assert figures == (0, 0, 0, 0)


@pytest.mark.anyio
async def test_200_concurrent_distinct_visits_count_exactly_200(store):
    visits = [visit_id() for _ in range(200)]
    results = await asyncio.gather(*(store.hit("/", v, False, T0) for v in visits))
    assert max(r.total for r in results) == 200
    # the same visits again, concurrently: nothing more
    await asyncio.gather(*(store.hit("/a.html", v, False, T0 + 1) for v in visits))
    final = await store.read("/", T0 + 2)
    assert final.total == 200 and final.views == 200 and final.online == 200


@pytest.mark.anyio
async def test_figures_survive_a_restart(store):
    await store.hit("/", visit_id(), False, T0)
    await store.close()
    await store.open()  # the same store (file, keys) opened again
    assert (await store.read("/", T0 + 1)).total == 1


@pytest.mark.anyio
async def test_sqlite_forgets_visit_ids_after_retention(tmp_path):
    async with opened(SQLiteStore(tmp_path / "r.sqlite3", online_window=WINDOW, visit_retention=3600)) as store:
        old = visit_id()
        await store.hit("/", old, False, T0)
        await store.hit("/", visit_id(), False, T0 + 3600 + 120)  # triggers the clean-up
        await store.read("/", T0 + 3600 + 121)  # after the clean-up ran
        await asyncio.sleep(0.05)
    with sqlite3.connect(tmp_path / "r.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 1
        assert db.execute("SELECT value FROM counters").fetchone()[0] == 2  # the total stays


@pytest.mark.anyio
async def test_sqlite_stores_no_visit_id_in_clear(tmp_path):
    visit = visit_id()
    async with opened(SQLiteStore(tmp_path / "p.sqlite3")) as store:
        await store.hit("/a.html", visit, False, T0)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("p.sqlite3"))
    assert visit.encode() not in raw
    assert b"/a.html" in raw  # the page's own counter, not tied to the visit


@pytest.mark.anyio
async def test_redis_stores_no_visit_id_in_clear(redis_url):
    """Every key name and every value under the store's prefix, read back: no visit id."""
    import redis

    from hitcount_service.stores.redis import RedisStore

    prefix = f"{{test-{uuid.uuid4().hex}}}:"
    visits = [visit_id(), other_visit_id()]

    async with opened(RedisStore(redis_url, prefix=prefix)) as store:
        for visit in visits:
            await store.hit("/a.html", visit, False, T0)
    client = redis.Redis.from_url(redis_url)
    seen = []
    for name in client.scan_iter(match=prefix.replace("{", "\\{").replace("}", "\\}") + "*"):
        kind = client.type(name)
        seen.append(name)
        seen += {b"string": lambda key: [client.get(key)], b"zset": lambda key: client.zrange(key, 0, -1),
                 b"set": lambda key: list(client.smembers(key)),
                 b"hash": lambda key: [*client.hgetall(key).items()]}[kind](name)
    text = repr(seen).encode()
    assert b"visit:" in text and b"/a.html" in text  # the visits are there, under their keys
    assert not any(v.encode() in text for v in visits)


def test_sqlite_keys_of_ulids_follow_their_time():
    """New visits append to the B-tree: keys of later ULIDs are larger, whatever their random part."""
    ms = 1_795_885_440_358
    earlier, same_ms, later = ulid(ms, 2**80 - 1), ulid(ms, 0), ulid(ms + 1, 0)
    assert visit_key(earlier) == visit_key(earlier)
    assert len({visit_key(earlier), visit_key(same_ms), visit_key(later)}) == 3
    assert max(visit_key(earlier), visit_key(same_ms)) < visit_key(later)
    assert ulid_time(earlier) == ulid_time(same_ms) == ms and ulid_time("abcdefghijklmnop") is None
    assert visit_key(earlier) >> 31 == ms & 0xFFFFFFFF  # the millisecond, then 31 bits of hash
    # any other shape: a plain 64-bit hash, the same in every process
    assert visit_key("abcdefghijklmnop") == visit_key("abcdefghijklmnop") != visit_key("abcdefghijklmnoq")
    assert all(-(2**63) <= visit_key(v) < 2**63 for v in (earlier, "Z" * 26, other_visit_id()))


@pytest.mark.anyio
async def test_sqlite_file_is_created_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "dir" / "new.sqlite3"
    async with opened(SQLiteStore(path)):
        pass
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
