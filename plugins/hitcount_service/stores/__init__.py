"""Where the figures live: SQLite (default, one machine) or Redis (several machines)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Store, StoreUnavailable


def open_store(url: str, *, synchronous: str | None = None, **options: Any) -> Store:
    """A store from HITCOUNT_STORE: "redis://…" / "rediss://…" / "unix://…", else a SQLite path.
    options: online_window, visit_retention, timezone, page_days_retention (defaults: settings.py);
    synchronous: SQLite's only."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisStore  # noqa: PLC0415

        return RedisStore(url, **options)
    from .sqlite import SQLiteStore  # noqa: PLC0415

    return SQLiteStore(url, **options, **({"synchronous": synchronous} if synchronous else {}))


__all__ = ["Store", "StoreUnavailable", "open_store", "Callable"]
