"""The office's figures from the store: most-read articles, visits per day, views per section.

Read-only and aggregate: no visit, address or agent is involved, only the counts the store
keeps per day and per page. The endpoint caches each answer (STATS_CACHE_SECONDS).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from .manifest import Manifest
from .stores.base import Store

PERIODS = {"day": 1, "week": 7, "month": 30}  # local days, today included
STATS_DAYS = ("30", "365")
TOP_MAX = 50


async def most_read(store: Store, manifest: Manifest, today: int, days: int, n: int) -> list[dict[str, Any]]:
    """The n articles with the most views over the last `days` local days, most first."""
    views = await store.page_views(today - days + 1, today)
    titled = [(count, path) for path, count in views.items() if path in manifest.titles]
    titled.sort(key=lambda item: (-item[0], item[1]))
    return [{"path": path, "title": manifest.titles[path]["title"], "views": count}
            for count, path in titled[:n]]  # fmt: skip


async def statistics(store: Store, manifest: Manifest, today: int, days: int) -> dict[str, Any]:
    """Visits per day, views per section and the most-read lists, for the statistics page."""
    first = today - days + 1
    daily = await store.daily(first, today)
    visits = [{"date": dt.date.fromordinal(d).isoformat(), "visits": daily.get(d, 0)}
              for d in range(first, today + 1)]  # fmt: skip
    views = await store.page_views(first, today)
    sections: dict[str, int] = {}
    for path, count in views.items():
        section = manifest.titles.get(path, {}).get("section")
        if section:
            sections[section] = sections.get(section, 0) + count
    return {
        "days": days,
        "visits": visits,
        "total_visits": sum(row["visits"] for row in visits),
        "sections": [{"section": name, "views": count}
                     for name, count in sorted(sections.items(), key=lambda kv: (-kv[1], kv[0]))],  # fmt: skip
        "top": {period: await most_read(store, manifest, today, length, 10)
                for period, length in PERIODS.items()},  # fmt: skip
    }


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def statistics_csv(stats: dict[str, Any]) -> str:
    """The statistics as one CSV file (UTF-8 with BOM, so that Excel reads Vietnamese right)."""
    out = io.StringIO()
    out.write("\ufeff")
    rows = csv.writer(out, lineterminator="\r\n")
    rows.writerow(["Ngày", "Lượt truy cập"])
    rows.writerows((row["date"], row["visits"]) for row in stats["visits"])
    rows.writerow([])
    rows.writerow(["Chuyên mục", f"Lượt xem ({stats['days']} ngày)"])
    rows.writerows((_cell(row["section"]), row["views"]) for row in stats["sections"])
    rows.writerow([])
    rows.writerow(["Bài đọc nhiều (30 ngày)", "Địa chỉ", "Lượt xem"])
    rows.writerows((_cell(row["title"]), row["path"], row["views"]) for row in stats["top"]["month"])
    return out.getvalue()
