"""The store contract shared by SQLite and Redis (one test suite runs against both)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo


class Figures(NamedTuple):
    online: int
    total: int  # visits counted here; the endpoint adds HITCOUNT_INITIAL_TOTAL
    today: int
    views: int


class StoreUnavailable(Exception):
    """The store cannot answer (locked too long, disk full, Redis down): the endpoint says 503."""


class Store(Protocol):
    kind: str  # "sqlite" | "redis"
    local_day: LocalDay  # Unix time → the portal's local day (a date ordinal)

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def hit(self, path: str, visit: str, heartbeat: bool, now: float) -> Figures:
        """Count one hit and answer the figures once the count is durable."""
        ...

    async def read(self, path: str | None, now: float) -> Figures:
        """The figures, counting nothing."""
        ...

    async def daily(self, first: int, last: int) -> dict[int, int]:
        """Visits per local day (date ordinals first..last); days without a visit are absent."""
        ...

    async def page_views(self, first: int, last: int) -> dict[str, int]:
        """Views (once per visit) per page over the local days first..last."""
        ...


class LocalDay:
    """Day number (proleptic ordinal) of a Unix time in the portal's time zone, cached per day."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._start = self._end = 0.0
        self._day = 0

    def __call__(self, now: float) -> int:
        if self._start <= now < self._end:
            return self._day
        local = dt.datetime.fromtimestamp(now, self.zone)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        following = (midnight + dt.timedelta(days=1)).replace(tzinfo=None)
        self._start = midnight.timestamp()
        self._end = following.replace(tzinfo=self.zone).timestamp()
        self._day = local.date().toordinal()
        return self._day
