"""Redis store: for several endpoint machines sharing one set of figures.

Every hit is one Lua script (EVALSHA), so each update is atomic across instances.
Keys (all in one hash slot, "{hitcount}", so a cluster keeps a script's keys together):

    {hitcount}:total           visits counted (string counter)
    {hitcount}:online          sorted set visit key → last hit time; trimmed to the window and
                               expiring with it, so an idle site's set disappears by itself
    {hitcount}:day:<ordinal>   visits counted that day (kept for years: a key a day)
    {hitcount}:visit:<key>     the day the visit was last counted in (expires: retention)
    {hitcount}:pages:<key>     pages this visit opened (expires: retention)
    {hitcount}:views           hash page path → views
    {hitcount}:pday:<ordinal>  hash page path → views that day (expires: page-days retention)

<key> is visit_key(id), the 64-bit hash the SQLite store keys on too: the random id the tab
made is never stored (nor in the AOF or RDB files).

Durability is Redis's: configure appendonly yes / appendfsync everysec (or always) on the
server; the counter answers after Redis applied the script.
"""

from __future__ import annotations

from typing import Any

from ..settings import DEFAULTS
from .base import Figures, LocalDay, StoreUnavailable
from .visitkey import visit_key

HIT = """
local now, window, retention = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local day, path, heartbeat = ARGV[4], ARGV[5], ARGV[6]
local last_day = redis.call('GET', KEYS[4])
if not last_day then
  redis.call('INCR', KEYS[1])
end
if last_day ~= day then
  redis.call('INCR', KEYS[3])
end
redis.call('SET', KEYS[4], day, 'EX', retention)
redis.call('ZADD', KEYS[2], now, ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('EXPIRE', KEYS[2], window + 1)
if heartbeat == '0' then
  if redis.call('SADD', KEYS[5], path) == 1 then
    redis.call('HINCRBY', KEYS[6], path, 1)
    redis.call('HINCRBY', KEYS[7], path, 1)
    redis.call('EXPIRE', KEYS[7], tonumber(ARGV[8]))
  end
  redis.call('EXPIRE', KEYS[5], retention)
end
return {redis.call('ZCARD', KEYS[2]), tonumber(redis.call('GET', KEYS[1]) or '0'),
        tonumber(redis.call('GET', KEYS[3]) or '0'), tonumber(redis.call('HGET', KEYS[6], path) or '0')}
"""

READ = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local views = 0
if ARGV[3] ~= '' then views = tonumber(redis.call('HGET', KEYS[4], ARGV[3]) or '0') end
return {redis.call('ZCOUNT', KEYS[2], '(' .. (now - window), '+inf'),
        tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[3]) or '0'), views}
"""


class RedisStore:
    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        online_window: float = DEFAULTS.online_window,
        visit_retention: float = DEFAULTS.visit_retention,
        timezone: str = DEFAULTS.timezone,
        page_days_retention: int = DEFAULTS.page_days_retention,
        prefix: str = "{hitcount}:",
        max_connections: int = 64,
    ) -> None:
        self.page_days_seconds = int(page_days_retention) * 86400
        self.max_connections = max_connections
        self.url = url
        self.window = float(online_window)
        self.retention = int(max(visit_retention, online_window))
        self.local_day = LocalDay(timezone)
        self.prefix = prefix
        self._client: Any = None

    async def open(self) -> None:
        import redis.asyncio as aioredis  # noqa: PLC0415 - only Redis sites need it

        # A bounded pool that makes requests wait for a connection rather than fail.
        pool = aioredis.BlockingConnectionPool.from_url(
            self.url, max_connections=self.max_connections, timeout=5, socket_timeout=5, health_check_interval=30
        )
        self._client = aioredis.Redis(connection_pool=pool)
        self._hit = self._client.register_script(HIT)
        self._read = self._client.register_script(READ)
        try:
            await self._client.ping()
        except Exception as exc:
            raise StoreUnavailable(f"redis: {exc}") from exc

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose(close_connection_pool=True)
            self._client = None

    async def hit(self, path: str, visit: str, heartbeat: bool, now: float) -> Figures:
        p = self.prefix
        day = self.local_day(now)
        key = visit_key(visit)
        keys = [p + "total", p + "online", f"{p}day:{day}", f"{p}visit:{key}", f"{p}pages:{key}", p + "views",
                f"{p}pday:{day}"]  # fmt: skip
        args = [repr(now), repr(self.window), self.retention, day, path, "1" if heartbeat else "0", key,
                self.page_days_seconds]  # fmt: skip
        try:
            result = await self._hit(keys=keys, args=args)
        except Exception as exc:  # any client error is "store unavailable"
            raise StoreUnavailable(f"redis: {exc}") from exc
        return Figures(*(int(x) for x in result))

    async def read(self, path: str | None, now: float) -> Figures:
        p = self.prefix
        keys = [p + "total", p + "online", f"{p}day:{self.local_day(now)}", p + "views"]
        try:
            result = await self._read(keys=keys, args=[repr(now), repr(self.window), path or ""])
        except Exception as exc:
            raise StoreUnavailable(f"redis: {exc}") from exc
        return Figures(*(int(x) for x in result))

    async def daily(self, first: int, last: int) -> dict[int, int]:
        days = list(range(first, last + 1))
        try:
            values = await self._client.mget([f"{self.prefix}day:{day}" for day in days]) if days else []
        except Exception as exc:
            raise StoreUnavailable(f"redis: {exc}") from exc
        return {day: int(v) for day, v in zip(days, values) if v is not None}

    async def page_views(self, first: int, last: int) -> dict[str, int]:
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for day in range(first, last + 1):
                    pipe.hgetall(f"{self.prefix}pday:{day}")
                hashes = await pipe.execute()
        except Exception as exc:
            raise StoreUnavailable(f"redis: {exc}") from exc
        views: dict[str, int] = {}
        for found in hashes:
            for path, n in found.items():
                key = path.decode() if isinstance(path, bytes) else path
                views[key] = views.get(key, 0) + int(n)
        return views
