"""Per-address request limit, in memory only: addresses are never written anywhere.

A sliding window estimated from two fixed one-minute windows (the approach of nginx's
and Cloudflare's limiters): O(1) per request, and memory bounded because the older
window is dropped whole every minute.
"""

from __future__ import annotations

import math
import time
from typing import Callable


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
        count = self._current.get(address, 0)
        weight = 1.0 - elapsed / self.window
        estimate = count + 1 + self._previous.get(address, 0) * weight
        if estimate > self.limit:
            return max(1.0, math.ceil(self.window - elapsed))
        if count or len(self._current) < self.max_clients:  # a flood of addresses fails open
            self._current[address] = count + 1
        return 0.0

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)
