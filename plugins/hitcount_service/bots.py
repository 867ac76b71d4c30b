"""Who is counted as a reader, by user agent: a browser's, and not a self-declared bot's.

A browser says "Mozilla/5.0 (platform…)…": every current browser on phones and computers
does, in-app browsers (Zalo, Facebook) and Cốc Cốc included. Anything else (a bare token
such as "x", curl, python-requests, wget, an empty or missing agent) is a program: answered,
not counted. Among browser-shaped agents, bots are recognised by the maintained
crawler-user-agents list (MIT, github.com/monperrus/crawler-user-agents, also a source of the
isbot package), pinned in pyproject.toml, plus a few generic words.
A regex over ~1,500 alternatives costs a few hundred microseconds, so answers are cached per
user-agent string (in memory, bounded; never written anywhere).
"""

from __future__ import annotations

import re

# What every browser's agent begins with (lower-cased): the product token and a platform.
_BROWSER = re.compile(r"mozilla/5\.0 \([^()]+\)")
# Generic self-declarations the list may miss; "cubot" is a phone brand, not a bot.
_GENERIC = r"(?<!cu)bot\b|crawl|spider|scrap|headless"
MAX_UA = 512


def _lower(pattern: str) -> str:
    """Lower-case a pattern's literals but not its escapes (\\S must stay \\S)."""
    return re.sub(r"(\\.)|([^\\]+)", lambda m: m.group(1) or m.group(2).lower(), pattern)


def _patterns() -> list[str]:
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA  # noqa: PLC0415 - 0.5 MB of JSON

    return [_lower(entry["pattern"]) for entry in CRAWLER_USER_AGENTS_DATA]


class ReaderFilter:
    def __init__(self, cache_size: int = 8192, chunk: int = 100) -> None:
        patterns = _patterns()
        # Lower-cased text against lower-cased chunks: re.I is several times slower here.
        self._regexes = [re.compile(_GENERIC)] + [
            re.compile("|".join(patterns[i : i + chunk]))
            for i in range(0, len(patterns), chunk)
        ]
        self._cache: dict[bytes, bool] = {}
        self._cache_size = cache_size

    def is_reader(self, user_agent: bytes | None) -> bool:
        """True for a browser's user agent that is not a bot's; False for none at all."""
        if user_agent is None:
            return False
        user_agent = user_agent[:MAX_UA]
        hit = self._cache.get(user_agent)
        if hit is not None:
            return hit
        text = user_agent.decode("latin-1").strip().lower()
        verdict = bool(_BROWSER.match(text)) and not any(rx.search(text) for rx in self._regexes)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[user_agent] = verdict
        return verdict
