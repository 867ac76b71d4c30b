"""The counting endpoint: a raw ASGI app (no framework: the hot path is a few dict look-ups).

    POST /api/hits        {"path", "visit", "heartbeat"} → 200 {"online","total","today","views"}
    GET  /api/hits?path=  the same figures, counting nothing (cacheable for a few seconds)
    GET  /api/top?period=day|week|month&n=10
                          the most-read articles → [{"path","title","views"}] (cached 60 s)
    GET  /api/stats?days=30|365
                          visits per day, views per section, most read (cached 60 s);
                          /api/stats.csv the same as a spreadsheet
    GET  /api/health      {"ok": true, "store": "sqlite" | "redis"}

Every refusal is a 4xx with {"error": reason}; a store that cannot answer is a 503.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from .bots import ReaderFilter
from .logthrottle import ThrottledLog
from .manifest import Manifest
from .ratelimit import RateLimiter
from .stats import PERIODS, STATS_DAYS, TOP_MAX, most_read, statistics, statistics_csv
from .stores.base import Figures, Store, StoreUnavailable
from .validation import (
    MAX_BODY,
    BadRequest,
    bounded_int,
    check_path,
    choice,
    is_json_content_type,
    parse_hit,
    parse_query,
)

log = logging.getLogger("hitcount")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

_JSON = (b"content-type", b"application/json")
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = (b"cache-control", b"no-store")
_SHORT_CACHE = (b"cache-control", b"public, max-age=5")
STATS_CACHE_SECONDS = 60
_STATS_CACHE = (b"cache-control", b"public, max-age=%d" % STATS_CACHE_SECONDS)
_CSV = (b"content-type", b"text/csv; charset=utf-8")
_FIGURES = b'{"online":%d,"total":%d,"today":%d,"views":%d}'


def _error(reason: str) -> bytes:
    return json.dumps({"error": reason}, ensure_ascii=False).encode()


class HitcountApp:
    def __init__(
        self,
        store: Store,
        manifest: Manifest,
        *,
        initial_total: int = 0,
        rate_limit: int = 600,
        allowed_origins: Iterable[str] = (),
        trusted_proxies: Iterable[str] = ("127.0.0.1", "::1"),
        endpoint: str = "/api/hits",
        clock: Callable[[], float] = time.time,
        limiter_clock: Callable[[], float] = time.monotonic,
        readers: ReaderFilter | None = None,
    ) -> None:
        self.store = store
        self.manifest = manifest
        self.initial_total = initial_total
        self.limiter = RateLimiter(rate_limit, clock=limiter_clock)
        self.allowed_origins = frozenset(o.rstrip("/").encode() for o in allowed_origins)
        self.trusted_proxies = frozenset(trusted_proxies)
        self.hits_path = endpoint.rstrip("/")
        base = self.hits_path.rsplit("/", 1)[0]
        self.health_path = base + "/health"
        self.reports = {base + "/top": self._top, base + "/stats": self._stats, base + "/stats.csv": self._stats_csv}
        self.clock = clock
        self.cache_clock = limiter_clock
        self._cache: dict[tuple[Any, ...], tuple[float, bytes]] = {}
        self.readers = readers
        # One line per interval, not one per request, while the store is down.
        self.store_down_log = ThrottledLog(log, logging.WARNING, "store unavailable: %s")
        self.unexpected_log = ThrottledLog(log, logging.ERROR, "unexpected error")
        self._started = False

    # --- life cycle ---------------------------------------------------------------------
    async def startup(self) -> None:
        if self._started:
            return
        if self.readers is None:
            self.readers = ReaderFilter()
        await self.store.open()
        self._started = True

    async def shutdown(self) -> None:
        if self._started:
            self._started = False
            await self.store.close()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:  # noqa: BLE001 - reported to the server, which exits
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- HTTP ---------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            return await self._lifespan(receive, send)
        if kind != "http":
            return
        if not self._started:  # servers (or test transports) that skip lifespan
            await self.startup()
        headers: dict[bytes, bytes] = dict(scope["headers"])
        extra: list[tuple[bytes, bytes]] = []
        origin = headers.get(b"origin")
        if origin is not None and self._origin_allowed(origin):
            extra = [(b"access-control-allow-origin", origin), (b"vary", b"Origin")]
        try:
            path, method = scope["path"], scope["method"]
            if path == self.hits_path:
                if method == "POST":
                    status, body, more = await self._post(scope, headers, receive)
                elif method == "GET":
                    status, body, more = await self._get(scope)
                elif method == "OPTIONS":
                    status, body, more = self._preflight(origin, headers)
                else:
                    status, body, more = 405, _error("method not allowed"), [(b"allow", b"GET, POST, OPTIONS")]
            elif path == self.health_path and method == "GET":
                status, body, more = await self._health()
            elif path in self.reports and method == "GET":
                status, body, more = await self._report(scope, self.reports[path])
            elif path in self.reports:
                status, body, more = 405, _error("method not allowed"), [(b"allow", b"GET")]
            else:
                status, body, more = 404, _error("not found"), []
        except BadRequest as exc:
            status, body, more = exc.status, _error(exc.reason), []
        except StoreUnavailable as exc:
            self.store_down_log(exc)
            status, body, more = 503, _error("store unavailable"), [(b"retry-after", b"5")]
        except Exception:  # noqa: BLE001 - a bug must still not answer 500 with a traceback
            self.unexpected_log(exc_info=True)
            status, body, more = 503, _error("temporarily unavailable"), [(b"retry-after", b"5")]
        if not any(name == b"cache-control" for name, _ in more):
            more = [*more, _NO_STORE]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    *([] if any(name == b"content-type" for name, _ in more) else [_JSON]),
                    _NOSNIFF, (b"content-length", str(len(body)).encode()), *more, *extra,
                ],  # fmt: skip
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _origin_allowed(self, origin: bytes) -> bool:
        return origin in self.allowed_origins or b"*" in self.allowed_origins

    def _client(self, scope: Scope, headers: dict[bytes, bytes]) -> str:
        """The reader's address, believing proxy headers only from a trusted proxy (nginx)."""
        client = scope.get("client")
        peer = client[0] if client else "unix"
        if peer in self.trusted_proxies:
            real = headers.get(b"x-real-ip")
            if real:
                return real.decode("latin-1").strip()
            forwarded = headers.get(b"x-forwarded-for")
            if forwarded:
                return forwarded.rsplit(b",", 1)[-1].decode("latin-1").strip()
        return peer

    def _limit(self, scope: Scope, headers: dict[bytes, bytes]) -> None:
        wait = self.limiter.check(self._client(scope, headers))
        if wait:
            raise _RateLimited(wait)

    async def _read_body(self, headers: dict[bytes, bytes], receive: Receive) -> bytes:
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                raise BadRequest(400, "bad content-length") from None
            if declared > MAX_BODY:
                raise BadRequest(413, f"body over {MAX_BODY} bytes")
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BadRequest(400, "client went away")
            body += message.get("body", b"")
            if len(body) > MAX_BODY:
                raise BadRequest(413, f"body over {MAX_BODY} bytes")
            if not message.get("more_body", False):
                return body

    def _figures(self, figures: Figures) -> bytes:
        return _FIGURES % (figures[0], figures[1] + self.initial_total, figures[2], figures[3])

    async def _post(
        self, scope: Scope, headers: dict[bytes, bytes], receive: Receive
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        try:
            self._limit(scope, headers)
        except _RateLimited as exc:
            return 429, _error("too many requests"), [(b"retry-after", b"%d" % exc.wait)]
        if not is_json_content_type(headers.get(b"content-type")):
            raise BadRequest(415, "content type must be application/json")
        hit = parse_hit(await self._read_body(headers, receive))
        self.manifest.maybe_reload()
        page = self.manifest.lookup(hit.path)
        if page is None:
            raise BadRequest(404, "unknown page")
        now = self.clock()
        assert self.readers is not None
        if self.readers.is_reader(headers.get(b"user-agent")):
            # The 404 and search pages keep the visit alive but are no page view.
            heartbeat = hit.heartbeat or not self.manifest.counts(page)
            figures = await self.store.hit(page, hit.visit, heartbeat, now)
        else:
            figures = await self.store.read(page, now)
        return 200, self._figures(figures), [_NO_STORE]

    async def _get(self, scope: Scope) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        headers: dict[bytes, bytes] = dict(scope["headers"])
        try:
            self._limit(scope, headers)
        except _RateLimited as exc:
            return 429, _error("too many requests"), [(b"retry-after", b"%d" % exc.wait)]
        try:
            query = parse_qs(scope.get("query_string", b"").decode("utf-8"), strict_parsing=False)
        except UnicodeDecodeError:
            raise BadRequest(400, "query string is not UTF-8") from None
        paths = query.get("path")
        if not paths:
            raise BadRequest(422, "missing query parameter: path")
        if len(paths) > 1:
            raise BadRequest(422, "one path only")
        self.manifest.maybe_reload()
        page = self.manifest.lookup(check_path(paths[0]))
        if page is None:
            raise BadRequest(404, "unknown page")
        figures = await self.store.read(page, self.clock())
        return 200, self._figures(figures), [_SHORT_CACHE]

    # --- reports: most read, statistics ---------------------------------------------
    async def _report(
        self, scope: Scope, handler: Callable[[bytes], Awaitable[tuple[bytes, list[Any]]]]
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        headers: dict[bytes, bytes] = dict(scope["headers"])
        try:
            self._limit(scope, headers)
        except _RateLimited as exc:
            return 429, _error("too many requests"), [(b"retry-after", b"%d" % exc.wait)]
        self.manifest.maybe_reload()
        body, more = await handler(scope.get("query_string", b""))
        return 200, body, [*more, _STATS_CACHE]

    async def _cached(self, key: tuple[Any, ...], make: Callable[[], Awaitable[bytes]]) -> bytes:
        """One store query per answer and minute: the figures are aggregates of whole days."""
        now = self.cache_clock()
        found = self._cache.get(key)
        if found is not None and found[0] > now:
            return found[1]
        body = await make()
        if len(self._cache) > 64:  # a handful of valid keys exist; never grow
            self._cache.clear()
        self._cache[key] = (now + STATS_CACHE_SECONDS, body)
        return body

    def _today(self) -> int:
        return self.store.local_day(self.clock())

    async def _top(self, query_string: bytes) -> tuple[bytes, list[Any]]:
        query = parse_query(query_string, frozenset({"period", "n"}))
        period = choice(query, "period", tuple(PERIODS), "week")
        n = bounded_int(query, "n", 1, TOP_MAX, 10)

        async def make() -> bytes:
            rows = await most_read(self.store, self.manifest, self._today(), PERIODS[period], n)
            return json.dumps(rows, ensure_ascii=False).encode()

        return await self._cached(("top", period, n), make), []

    @staticmethod
    def _stats_days(query_string: bytes) -> int:
        query = parse_query(query_string, frozenset({"days"}))
        return int(choice(query, "days", STATS_DAYS, "30"))

    async def _stats(self, query_string: bytes) -> tuple[bytes, list[Any]]:
        days = self._stats_days(query_string)

        async def make() -> bytes:
            stats = await statistics(self.store, self.manifest, self._today(), days)
            return json.dumps(stats, ensure_ascii=False).encode()

        return await self._cached(("stats", days), make), []

    async def _stats_csv(self, query_string: bytes) -> tuple[bytes, list[Any]]:
        days = self._stats_days(query_string)

        async def make() -> bytes:
            stats = await statistics(self.store, self.manifest, self._today(), days)
            return statistics_csv(stats).encode("utf-8")

        disposition = b'attachment; filename="thong-ke-truy-cap-%d-ngay.csv"' % days
        return await self._cached(("csv", days), make), [_CSV, (b"content-disposition", disposition)]

    def _preflight(
        self, origin: bytes | None, headers: dict[bytes, bytes]
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        if origin is None or not self._origin_allowed(origin):
            return 403, _error("origin not allowed"), []
        return (
            204,
            b"",
            [
                (b"access-control-allow-methods", b"GET, POST"),
                (b"access-control-allow-headers", b"content-type"),
                (b"access-control-max-age", b"600"),
            ],
        )

    async def _health(self) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        self.manifest.maybe_reload()
        doc = {"ok": True, "store": self.store.kind, "pages": len(self.manifest)}
        try:
            await self.store.read(None, self.clock())
        except StoreUnavailable:
            doc["ok"] = False
            return 503, json.dumps(doc).encode(), []
        return 200, json.dumps(doc).encode(), []


class _RateLimited(Exception):
    def __init__(self, wait: float) -> None:
        self.wait = int(wait)


async def noop_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The benchmark's baseline: reads the body and answers the same JSON, counting nothing."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body", False):
        pass
    body = _FIGURES % (1, 14277, 1, 1)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [_JSON, _NOSNIFF, (b"content-length", str(len(body)).encode()), _NO_STORE],
        }
    )
    await send({"type": "http.response.body", "body": body})
