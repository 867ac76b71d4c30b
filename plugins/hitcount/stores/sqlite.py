"""SQLite store: one file, WAL, group commit, several processes may share it.

Durability: a hit is answered only after the COMMIT of the transaction that counted it.
journal_mode=WAL with synchronous=NORMAL: a commit is in the WAL file (the OS page cache)
before the answer, so a killed process (kill -9, OOM, crash) loses no answered hit. A power
loss or kernel crash may lose the last commits since the last checkpoint — the price of not
calling fsync on every commit; set HITCOUNT_SQLITE_SYNCHRONOUS=FULL to pay it instead.

Group commit: one writer thread owns the connection; every hit that arrives while it commits
waits for the next transaction, so one COMMIT answers many hits.

Several processes: each transaction is BEGIN IMMEDIATE (one writer at a time, busy_timeout
waits), and counting is idempotent by design: a visit or a (visit, page) pair is counted
when its INSERT creates the row, inside the same transaction as the counter update, so two
processes can never both count it.

Retention: a visit id and the pages it opened are kept until HITCOUNT_VISIT_RETENTION
(default 24 h) after its last hit, then deleted; only aggregates (totals, per-day and per-page
counts, per-second online buckets of the last window) outlive them.
"""

from __future__ import annotations

import asyncio
import collections
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from .base import Figures, LocalDay, StoreUnavailable

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO counters VALUES ('visits', 0);
CREATE TABLE IF NOT EXISTS visits (
    visit TEXT PRIMARY KEY,      -- the random id a tab made; nothing else about the reader
    day INTEGER NOT NULL,        -- last local day it was counted in "today"
    seen INTEGER NOT NULL        -- last hit or heartbeat, Unix seconds
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS visits_seen ON visits (seen);
CREATE TABLE IF NOT EXISTS visit_pages (
    visit TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (visit, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_views (path TEXT PRIMARY KEY, views INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (day INTEGER PRIMARY KEY, visits INTEGER NOT NULL);
-- visits whose last hit fell in that second: "online" is a sum over the window's buckets
CREATE TABLE IF NOT EXISTS online (second INTEGER PRIMARY KEY, visits INTEGER NOT NULL);
"""

PRUNE_EVERY = 60.0  # seconds of the store's clock between two clean-ups
PRUNE_ROWS = 5000  # visits deleted per clean-up transaction, so no transaction runs long


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
        online_window: float = 300,
        visit_retention: float = 24 * 3600,
        timezone: str = "Asia/Ho_Chi_Minh",
        busy_timeout_ms: int = 10_000,
        synchronous: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.window = int(online_window)
        self.retention = max(float(visit_retention), float(online_window))
        self.local_day = LocalDay(timezone)
        self.busy_timeout_ms = busy_timeout_ms
        self.synchronous = synchronous or os.environ.get("HITCOUNT_SQLITE_SYNCHRONOUS", "NORMAL")
        self._jobs: collections.deque[_Job] = collections.deque()
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_prune = 0.0
        self.commits = 0  # transactions committed (batches), for the benchmark's curiosity

    # --- life cycle ---------------------------------------------------------------------
    async def open(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = self._loop.create_future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="hitcount-sqlite", daemon=True)
        self._thread.start()
        await ready

    async def close(self) -> None:
        if self._thread is None:
            return
        self._stopping = True
        self._wake.set()
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
        self._thread = None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA synchronous = {self.synchronous}")
        db.execute("PRAGMA cache_size = -65536")  # 64 MiB: the visit index stays in memory
        db.execute("PRAGMA temp_store = MEMORY")
        db.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
        return db

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

    def _process(self, db: sqlite3.Connection, batch: list[_Job]) -> list[Figures]:
        hits = [job for job in batch if job.visit is not None]
        now = max(job.now for job in batch)
        if not hits:  # reads only: no write lock
            return self._figures(db, batch, now)
        execute = db.execute
        new_visits = 0
        days: dict[int, int] = {}
        online: dict[int, int] = {}
        views: dict[str, int] = {}
        execute("BEGIN IMMEDIATE")
        try:
            for job in hits:
                second = int(job.now)
                day = self.local_day(job.now)
                row = execute("SELECT day, seen FROM visits WHERE visit = ?", (job.visit,)).fetchone()
                if row is None:
                    execute("INSERT INTO visits VALUES (?, ?, ?)", (job.visit, day, second))
                    new_visits += 1
                    days[day] = days.get(day, 0) + 1
                    online[second] = online.get(second, 0) + 1
                else:
                    old_day, seen = row
                    if second > seen or day != old_day:
                        execute(
                            "UPDATE visits SET day = ?, seen = ? WHERE visit = ?",
                            (day, max(second, seen), job.visit),
                        )
                    if second > seen:  # the visit moves to a newer online bucket
                        online[seen] = online.get(seen, 0) - 1
                        online[second] = online.get(second, 0) + 1
                    if day != old_day:
                        days[day] = days.get(day, 0) + 1
                if not job.heartbeat:
                    cur = execute("INSERT OR IGNORE INTO visit_pages VALUES (?, ?)", (job.visit, job.path))
                    if cur.rowcount == 1:
                        views[job.path] = views.get(job.path, 0) + 1
            if new_visits:
                execute("UPDATE counters SET value = value + ? WHERE name = 'visits'", (new_visits,))
            for day, n in days.items():
                execute(
                    "INSERT INTO days VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET visits = visits + excluded.visits",
                    (day, n),
                )
            for second, n in online.items():
                if n > 0:
                    execute(
                        "INSERT INTO online VALUES (?, ?) "
                        "ON CONFLICT (second) DO UPDATE SET visits = visits + excluded.visits",
                        (second, n),
                    )
                elif n < 0:  # a bucket already pruned is outside the window: nothing to fix
                    execute("UPDATE online SET visits = visits + ? WHERE second = ?", (n, second))
            for path, n in views.items():
                execute(
                    "INSERT INTO page_views VALUES (?, ?) "
                    "ON CONFLICT (path) DO UPDATE SET views = views + excluded.views",
                    (path, n),
                )
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
        total = execute("SELECT value FROM counters WHERE name = 'visits'").fetchone()[0]
        row = execute("SELECT visits FROM days WHERE day = ?", (self.local_day(now),)).fetchone()
        today = row[0] if row else 0
        online = execute(
            "SELECT coalesce(sum(visits), 0) FROM online WHERE second > ?", (int(now) - self.window,)
        ).fetchone()[0]
        per_path: dict[str | None, int] = {None: 0}
        out = []
        for job in batch:
            n = per_path.get(job.path)
            if n is None:
                row = execute("SELECT views FROM page_views WHERE path = ?", (job.path,)).fetchone()
                n = per_path[job.path] = row[0] if row else 0
            out.append(Figures(online, total, today, n))
        return out

    def _prune(self, db: sqlite3.Connection, now: float) -> None:
        """Forget what counting no longer needs: old visit ids, their pages, old buckets."""
        cutoff = int(now - self.retention)
        db.execute("BEGIN IMMEDIATE")
        old = "SELECT visit FROM visits WHERE seen < ? ORDER BY seen LIMIT ?"
        db.execute(f"DELETE FROM visit_pages WHERE visit IN ({old})", (cutoff, PRUNE_ROWS))
        db.execute(f"DELETE FROM visits WHERE visit IN ({old})", (cutoff, PRUNE_ROWS))
        db.execute("DELETE FROM online WHERE second <= ?", (int(now) - self.window - 60,))
        db.execute("DELETE FROM days WHERE day < ?", (self.local_day(now) - 31,))
        db.execute("COMMIT")

    # --- for tests and the CLI ----------------------------------------------------------
    def stored_visit_ids(self) -> int:
        """How many visit ids the file holds right now (the retention test)."""
        with sqlite3.connect(self.path) as db:
            return db.execute("SELECT count(*) FROM visits").fetchone()[0]
