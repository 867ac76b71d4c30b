"""SQLite store: one file, WAL, group commit, several processes may share it.

Durability: a hit is answered only after the COMMIT of the transaction that counted it.
journal_mode=WAL with synchronous=NORMAL: a commit is in the WAL file (the OS page cache)
before the answer, so a killed process (kill -9, OOM, crash) loses no answered hit. A power
loss or kernel crash may lose the last commits since the last checkpoint — the price of not
calling fsync on every commit; set HITCOUNT_SQLITE_SYNCHRONOUS=FULL to pay it instead.

Group commit: one writer thread owns the connection; every hit that arrives while it commits
waits for the next transaction, so one COMMIT answers many hits.

Checkpoints: copying the WAL back into the database is where SQLite calls fsync, so it runs
in a second thread on its own connection (PASSIVE: it never blocks the writer), and the
writer's own automatic checkpoint is off. Hits never wait for a disk flush.

Several processes: each write transaction is BEGIN IMMEDIATE (one writer at a time) taken
under an flock on a side file (<store>.lock): a process waiting for the other's commit wakes
the moment it ends, where SQLite's busy handler sleeps and polls (up to 100 ms a try, which
made the 99th percentile latency of two processes seconds long). Counting is idempotent by
design: a visit or a (visit, page) pair is counted when its INSERT creates the row, inside
the same transaction as the counter update, so two processes can never both count it.

Retention: a visit (a 64-bit key: a hash of its random id, after the id's millisecond for a
ULID, see visit_key) and short hashes of the pages it opened are kept until
HITCOUNT_VISIT_RETENTION (default 30 minutes, the length of a visit) after its last hit, then
deleted; only aggregates outlive them: the total, visits per day (kept for years: a row a
day), views per page per day (kept HITCOUNT_PAGE_DAYS_RETENTION days, for the most-read lists
and the statistics page), views per page, and per-second online buckets of the last window.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from hashlib import blake2b
from pathlib import Path
from typing import Any

from ..settings import DEFAULTS
from .base import Figures, LocalDay, StoreUnavailable
from .visitkey import visit_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO counters VALUES ('visits', 0);
-- One row per visit still within retention. The key is a 64-bit hash of the random id the
-- tab made (an integer key is the cheapest B-tree insert); nothing else about the reader.
CREATE TABLE IF NOT EXISTS visits (
    id INTEGER PRIMARY KEY,
    day INTEGER NOT NULL,        -- last local day the visit was counted in "today"
    seen INTEGER NOT NULL,       -- last hit or heartbeat, Unix seconds
    pages TEXT NOT NULL          -- short hashes of the pages it viewed, for "once per visit"
);
CREATE INDEX IF NOT EXISTS visits_seen ON visits (seen);
CREATE TABLE IF NOT EXISTS page_views (path TEXT PRIMARY KEY, views INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (day INTEGER PRIMARY KEY, visits INTEGER NOT NULL);
-- views per page per local day (once per visit), for the most-read lists and the statistics
CREATE TABLE IF NOT EXISTS page_days (
    day INTEGER NOT NULL, path TEXT NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (day, path)
) WITHOUT ROWID;
-- visits whose last hit fell in that second: "online" is a sum over the window's buckets
CREATE TABLE IF NOT EXISTS online (second INTEGER PRIMARY KEY, visits INTEGER NOT NULL);
"""


def page_key(path: str) -> str:
    return blake2b(path.encode(), digest_size=5).hexdigest()


# Batch statements: each takes a JSON array of rows ([key, a, b, …]) and runs as one statement
# (see _count for why); reads answer one row, a JSON array or object, for the same reason.
def _fields(indexes: Iterable[int], value: str = "value") -> str:
    return ", ".join(f"json_extract({value}, '$[{i}]')" for i in indexes)


def _add_to(table: str, key: str, column: str) -> str:
    """Upsert of [key, n] rows adding n to the column. (WHERE true: SQLite's parser needs it
    between INSERT … SELECT and ON CONFLICT.)"""
    return (
        f"INSERT INTO {table} SELECT {_fields(range(2))} FROM json_each(?) WHERE true"
        f" ON CONFLICT ({key}) DO UPDATE SET {column} = {column} + excluded.{column}"
    )


_INSERT_VISITS = f"INSERT INTO visits SELECT {_fields(range(4))} FROM json_each(?)"
_UPDATE_VISITS = (
    f"UPDATE visits SET (day, seen, pages) = ({_fields((1, 2, 3), 'u.value')})"
    " FROM json_each(?) AS u WHERE visits.id = json_extract(u.value, '$[0]')"
)
_ADD_DAYS = _add_to("days", "day", "visits")
_ADD_ONLINE = _add_to("online", "second", "visits")
_LEAVE_ONLINE = (  # a visit moving to a newer bucket: -n where the bucket still is (never a new row)
    "UPDATE online SET visits = visits + json_extract(u.value, '$[1]') FROM json_each(?) AS u"
    " WHERE online.second = json_extract(u.value, '$[0]')"
)
_ADD_VIEWS = _add_to("page_views", "path", "views")
_ADD_PAGE_DAYS = (
    f"INSERT INTO page_days SELECT {_fields(range(3))} FROM json_each(?) WHERE true"
    " ON CONFLICT (day, path) DO UPDATE SET views = views + excluded.views"
)
_VISITS_OF = (
    "SELECT json_group_array(json_array(id, day, seen, pages)) FROM visits"
    " WHERE id IN (SELECT value FROM json_each(?))"
)
_VIEWS_OF = (
    "SELECT json_group_object(path, views) FROM page_views"
    " WHERE path IN (SELECT value FROM json_each(?))"
)

PRUNE_EVERY = 60.0  # seconds of the store's clock between two clean-ups
PRUNE_ROWS = 5000  # visits deleted per clean-up transaction, so no transaction runs long
CHECKPOINT_EVERY = 0.25  # seconds between two background checkpoints


class _Job:
    __slots__ = ("path", "visit", "heartbeat", "now", "future")

    def __init__(self, path: str | None, visit: str | None, heartbeat: bool, now: float, future: Any) -> None:
        self.path, self.visit, self.heartbeat, self.now, self.future = path, visit, heartbeat, now, future


class SQLiteStore:
    kind = "sqlite"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        online_window: float = DEFAULTS.online_window,
        visit_retention: float = DEFAULTS.visit_retention,
        timezone: str = DEFAULTS.timezone,
        page_days_retention: int = DEFAULTS.page_days_retention,
        busy_timeout_ms: int = 10_000,
        synchronous: str = DEFAULTS.sqlite_synchronous,
    ) -> None:
        self.path = Path(path)
        self.window = int(online_window)
        self.retention = max(float(visit_retention), float(online_window))
        self.page_days_retention = int(page_days_retention)
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()
        self.local_day = LocalDay(timezone)
        self.busy_timeout_ms = busy_timeout_ms
        self.synchronous = synchronous
        self._jobs: collections.deque[_Job] = collections.deque()
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._checkpointer: threading.Thread | None = None
        self._stopped = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_prune = 0.0
        self._lock_file: int | None = None
        self.commits = 0  # transactions committed (batches), for the benchmark's curiosity

    # --- life cycle ---------------------------------------------------------------------
    async def open(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._stopped.clear()
        ready: asyncio.Future[None] = self._loop.create_future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="hitcount-sqlite", daemon=True)
        self._thread.start()
        await ready
        self._checkpointer = threading.Thread(target=self._checkpoints, name="hitcount-checkpoint", daemon=True)
        self._checkpointer.start()

    async def close(self) -> None:
        if self._thread is None:
            return
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
        if self._checkpointer is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._checkpointer.join)
        self._thread = self._checkpointer = None
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def _connect(self, schema: bool = True) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA synchronous = {self.synchronous}")
        db.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpoint thread does it
        db.execute("PRAGMA journal_size_limit = 67108864")
        db.execute("PRAGMA cache_size = -65536")  # 64 MiB: the visit index stays in memory
        db.execute("PRAGMA temp_store = MEMORY")
        if schema:
            db.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
        return db

    def _checkpoints(self) -> None:
        db = self._connect(schema=False)
        try:
            while not self._stopped.wait(CHECKPOINT_EVERY):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # another process is checkpointing: fine
                    pass
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:
                pass
        finally:
            db.close()

    # --- the loop side ------------------------------------------------------------------
    def _submit(self, path: str | None, visit: str | None, heartbeat: bool, now: float) -> asyncio.Future[Figures]:
        if self._thread is None or self._loop is None:
            raise StoreUnavailable("store not open")
        future = self._loop.create_future()
        self._jobs.append(_Job(path, visit, heartbeat, now, future))
        # The writer clears the event before it looks at the queue, so this cannot be missed.
        if not self._wake.is_set():
            self._wake.set()
        return future

    async def hit(self, path: str, visit: str, heartbeat: bool, now: float) -> Figures:
        return await self._submit(path, visit, heartbeat, now)

    async def read(self, path: str | None, now: float) -> Figures:
        return await self._submit(path, None, False, now)

    def _resolve(self, done: list[tuple[Any, Any, bool]]) -> None:
        for future, value, failed in done:
            if future.done():  # the request was cancelled (client went away)
                continue
            if failed:
                future.set_exception(value)
            else:
                future.set_result(value)

    # --- the writer thread --------------------------------------------------------------
    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        """The processes sharing the file write one at a time (flock releases the GIL)."""
        if self._lock_file is None:
            self._lock_file = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def _run(self, ready: asyncio.Future[None]) -> None:
        loop = self._loop
        assert loop is not None
        try:
            db = self._connect()
        except Exception as exc:  # noqa: BLE001 - reported to open()'s caller
            loop.call_soon_threadsafe(ready.set_exception, StoreUnavailable(f"cannot open {self.path}: {exc}"))
            return
        loop.call_soon_threadsafe(ready.set_result, None)
        jobs = self._jobs
        try:
            while True:
                self._wake.clear()
                if not jobs:
                    if self._stopping:
                        break
                    self._wake.wait()
                    continue
                batch = [jobs.popleft() for _ in range(len(jobs))]
                try:
                    results = self._process(db, batch)
                    done = [(job.future, fig, False) for job, fig in zip(batch, results)]
                except sqlite3.Error as exc:
                    try:
                        db.rollback()
                    except sqlite3.Error:
                        pass
                    error = StoreUnavailable(f"sqlite: {exc}")
                    done = [(job.future, error, True) for job in batch]
                loop.call_soon_threadsafe(self._resolve, done)
                now = batch[-1].now
                if now - self._last_prune >= PRUNE_EVERY:
                    self._last_prune = now
                    try:
                        self._prune(db, now)
                    except sqlite3.Error:  # busy: the next clean-up will do it
                        if db.in_transaction:
                            db.rollback()
        finally:
            db.close()
            if self._lock_file is not None:
                os.close(self._lock_file)
                self._lock_file = None

    def _process(self, db: sqlite3.Connection, batch: list[_Job]) -> list[Figures]:
        hits = [job for job in batch if job.visit is not None]
        now = max(job.now for job in batch)
        if not hits:  # reads only: no write lock
            return self._figures(db, batch, now)
        keys = {id(job): visit_key(job.visit) for job in hits}  # type: ignore[arg-type]
        with self._write_lock():
            return self._count(db, batch, hits, keys, now)

    def _count(
        self, db: sqlite3.Connection, batch: list[_Job], hits: list[_Job], keys: dict[int, int], now: float
    ) -> list[Figures]:
        execute = db.execute
        execute("BEGIN IMMEDIATE")
        try:
            # Every visit of the batch in one query; then the batch is counted in Python
            # and written back with a statement per table.
            state: dict[int, list[Any]] = {}
            (found,) = execute(_VISITS_OF, (json.dumps(list(set(keys.values()))),)).fetchone()
            for key, day, seen, pages in json.loads(found):
                state[key] = [day, seen, pages, False]  # False: an existing row
            new_visits = 0
            days: dict[int, int] = {}
            online: dict[int, int] = {}
            views: dict[str, int] = {}
            page_days: dict[tuple[int, str], int] = {}
            for job in hits:
                key = keys[id(job)]
                second = int(job.now)
                day = self.local_day(job.now)
                row = state.get(key)
                if row is None:
                    row = state[key] = [day, second, "", True]  # True: a new row
                    new_visits += 1
                    days[day] = days.get(day, 0) + 1
                    online[second] = online.get(second, 0) + 1
                else:
                    if second > row[1]:  # the visit moves to a newer online bucket
                        online[row[1]] = online.get(row[1], 0) - 1
                        online[second] = online.get(second, 0) + 1
                        row[1] = second
                    if day != row[0]:
                        days[day] = days.get(day, 0) + 1
                        row[0] = day
                    if row[3] is False:
                        row[3] = None  # None: an existing row to update
                if not job.heartbeat:
                    page = page_key(job.path)  # type: ignore[arg-type]
                    if page not in row[2].split(","):
                        row[2] = f"{row[2]},{page}" if row[2] else page
                        views[job.path] = views.get(job.path, 0) + 1  # type: ignore[index]
                        seen_on = (day, job.path)
                        page_days[seen_on] = page_days.get(seen_on, 0) + 1  # type: ignore[index]
            # One statement per table, the rows passed as one JSON array: the sqlite3 module
            # releases the GIL around every step, and a step per row (executemany) made this
            # thread queue for the GIL behind the event loop once per row.
            inserts = [(k, r[0], r[1], r[2]) for k, r in state.items() if r[3] is True]
            updates = [(k, r[0], r[1], r[2]) for k, r in state.items() if r[3] is None]
            if inserts:
                execute(_INSERT_VISITS, (json.dumps(inserts),))
            if updates:
                execute(_UPDATE_VISITS, (json.dumps(updates),))
            if new_visits:
                execute("UPDATE counters SET value = value + ? WHERE name = 'visits'", (new_visits,))
            if days:
                execute(_ADD_DAYS, (json.dumps(list(days.items())),))
            arrived = [item for item in online.items() if item[1] > 0]
            if arrived:
                execute(_ADD_ONLINE, (json.dumps(arrived),))
            # A bucket already pruned is outside the window: a decrement finds nothing to fix.
            left = [item for item in online.items() if item[1] < 0]
            if left:
                execute(_LEAVE_ONLINE, (json.dumps(left),))
            if views:
                execute(_ADD_VIEWS, (json.dumps(list(views.items()), ensure_ascii=False),))
                rows = [(day, path, n) for (day, path), n in page_days.items()]
                execute(_ADD_PAGE_DAYS, (json.dumps(rows, ensure_ascii=False),))
            figures = self._figures(db, batch, now)
            execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.rollback()
            raise
        self.commits += 1
        return figures

    def _figures(self, db: sqlite3.Connection, batch: list[_Job], now: float) -> list[Figures]:
        execute = db.execute
        total, today, online = execute(
            "SELECT (SELECT value FROM counters WHERE name = 'visits'),"
            " coalesce((SELECT visits FROM days WHERE day = ?), 0),"
            " (SELECT coalesce(sum(visits), 0) FROM online WHERE second > ?)",
            (self.local_day(now), int(now) - self.window),
        ).fetchone()
        paths = {job.path for job in batch if job.path is not None}
        views: dict[str | None, int] = {None: 0}
        if paths:  # one row back (a JSON object): a step per row would queue for the GIL each time
            (found,) = execute(_VIEWS_OF, (json.dumps(list(paths), ensure_ascii=False),)).fetchone()
            views.update(json.loads(found))
        return [Figures(online, total, today, views.get(job.path, 0)) for job in batch]

    def _prune(self, db: sqlite3.Connection, now: float) -> None:
        """Forget what counting no longer needs: old visit ids, their pages, old buckets."""
        cutoff = int(now - self.retention)
        with self._write_lock():
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "DELETE FROM visits WHERE id IN (SELECT id FROM visits WHERE seen < ? ORDER BY seen LIMIT ?)",
                (cutoff, PRUNE_ROWS),
            )
            db.execute("DELETE FROM online WHERE second <= ?", (int(now) - self.window - 60,))
            # Visits per day are kept for years (a row a day); views per page per day as long
            # as the statistics show them.
            db.execute("DELETE FROM page_days WHERE day < ?", (self.local_day(now) - self.page_days_retention,))
            db.execute("COMMIT")

    # --- statistics (read on their own connection: WAL readers never wait for the writer) ---
    def _query(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._reader_lock:
            try:
                if self._reader is None:
                    self._reader = sqlite3.connect(self.path, check_same_thread=False)
                    self._reader.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                return self._reader.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"sqlite: {exc}") from exc

    async def daily(self, first: int, last: int) -> dict[int, int]:
        """Visits per local day (ordinals first..last); days without a visit are absent."""
        rows = await asyncio.to_thread(
            self._query, "SELECT day, visits FROM days WHERE day BETWEEN ? AND ?", (first, last)
        )
        return dict(rows)

    async def page_views(self, first: int, last: int) -> dict[str, int]:
        """Views per page over the local days first..last."""
        rows = await asyncio.to_thread(
            self._query,
            "SELECT path, sum(views) FROM page_days WHERE day BETWEEN ? AND ? GROUP BY path",
            (first, last),
        )
        return dict(rows)

    # --- for tests and the CLI ----------------------------------------------------------
    def stored_visit_ids(self) -> int:
        """How many visit ids the file holds right now (the retention test)."""
        with sqlite3.connect(self.path) as db:
            return db.execute("SELECT count(*) FROM visits").fetchone()[0]
