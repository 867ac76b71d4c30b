"""Per-client request limit, in memory only: this limiter writes no address anywhere.

A sliding window estimated from two fixed one-minute windows (the approach of nginx's
and Cloudflare's limiters): O(1) per request, and memory bounded because the older
window is dropped whole every minute.

This is the second line: in production nginx's limit_req (deploy/nginx.conf) is the one
limit per client across all the counter's workers; this one is per worker process and
holds when something reaches the counter past nginx.

A client is an IPv4 address or an IPv6 /64 (one subscriber gets a /64 or more, so a key
per IPv6 address would let one home use billions of them). When the table is full, every
client not in it shares one bucket: a flood of addresses is limited as one client (it
fails closed), and memory stays bounded.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable

OVERFLOW = "overflow"  # the shared bucket of clients that find the table full
MAX_KEY = 64  # an unparseable proxy header is keyed as sent, cut to this length


def client_key(address: str) -> str:
    """The limiter's key of a client address: IPv4 as is, IPv6 as its /64."""
    if ":" not in address:
        return address[:MAX_KEY]
    try:
        ip = ipaddress.IPv6Address(address.partition("%")[0])
    except ValueError:
        return address[:MAX_KEY]
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return ip.exploded[:19] + "::/64"


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 250_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_clients = max_clients
        self._start = clock()
        self._current: dict[str, int] = {}
        self._previous: dict[str, int] = {}

    def check(self, address: str) -> float:
        """0 when the request may proceed, else the seconds to wait (for Retry-After)."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        elapsed = now - self._start
        if elapsed >= self.window:
            steps = int(elapsed // self.window)
            self._previous = self._current if steps == 1 else {}
            self._current = {}
            self._start += steps * self.window
            elapsed -= steps * self.window
        key = client_key(address)
        count = self._current.get(key)
        if count is None:
            if len(self._current) >= self.max_clients:
                key = OVERFLOW
            count = self._current.get(key, 0)
        weight = 1.0 - elapsed / self.window
        estimate = count + 1 + self._previous.get(key, 0) * weight
        if estimate > self.limit:
            return max(1.0, math.ceil(self.window - elapsed))
        self._current[key] = count + 1
        return 0.0

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)
