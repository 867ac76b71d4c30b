"""Where the figures live: SQLite (default, one machine) or Redis (several machines)."""

from __future__ import annotations

from typing import Callable

from .base import Store, StoreUnavailable


def open_store(url: str, *, online_window: float, visit_retention: float, timezone: str,
               page_days_retention: int = 400) -> Store:  # fmt: skip
    """A store from HITCOUNT_STORE: "redis://…" / "rediss://…" / "unix://…", else a SQLite path."""
    kwargs = dict(online_window=online_window, visit_retention=visit_retention, timezone=timezone,
                  page_days_retention=page_days_retention)  # fmt: skip
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisStore  # noqa: PLC0415

        return RedisStore(url, **kwargs)
    from .sqlite import SQLiteStore  # noqa: PLC0415

    return SQLiteStore(url, **kwargs)


__all__ = ["Store", "StoreUnavailable", "open_store", "Callable"]
