"""A log line that repeats per request (the store is down) written at most once per interval.

An outage under load would otherwise write one line per request (thousands a second) and
fill the journal; the next line written says how many were left out since the last one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any


class ThrottledLog:
    def __init__(
        self,
        logger: logging.Logger,
        level: int,
        message: str,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.level = level
        self.message = message
        self.interval = interval
        self.clock = clock
        self.suppressed = 0
        self._next = float("-inf")

    def __call__(self, *args: Any, exc_info: bool = False) -> None:
        now = self.clock()
        if now < self._next:
            self.suppressed += 1
            return
        self._next = now + self.interval
        message, suppressed, self.suppressed = self.message, self.suppressed, 0
        if suppressed:
            message += f" (and {suppressed} more like it since the last such line)"
        self.logger.log(self.level, message, *args, exc_info=exc_info)
