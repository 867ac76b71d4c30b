"""The manifest: the URL paths of every built page, the only paths the endpoint counts.

Written by the Pelican plugin (plugins/hitcount/manifest.py) at the end of each build, beside
the site: the pages whose views count, the "quiet" ones (404, search, drafts: they keep a visit
alive, count no view), and each article's title and section (for the most-read list and the
statistics). This module owns the format; the service only reads it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

VERSION = 1


def canonical_path(path: str) -> str:
    """One spelling per page: "/x/index.html" and "/x/" are the same page, so is "/index.html"."""
    if not path.startswith("/"):
        path = "/" + path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


NAME = "hitcount-pages.json"  # the file's name beside the built site


class Manifest:
    """The set of countable paths, reloaded when the file changes (the dev site rebuilds)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, pages: Iterable[str] = ()) -> None:
        self.path = Path(path) if path is not None else None
        self.pages: frozenset[str] = frozenset(canonical_path(p) for p in pages)
        self.quiet: frozenset[str] = frozenset()
        self.titles: dict[str, dict[str, str]] = {}
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        if self.path is not None:
            self.reload()

    def reload(self) -> bool:
        """Read the file if it changed; keep the last good set when it is missing or half-written."""
        assert self.path is not None
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return False
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return False
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            pages = frozenset(canonical_path(p) for p in doc["pages"])
            quiet = frozenset(canonical_path(p) for p in doc.get("quiet", ()))
            titles = {canonical_path(p): dict(t) for p, t in (doc.get("titles") or {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False
        self.pages, self.quiet, self.titles = pages, quiet, titles
        self._stamp = stamp  # any "settings" in an old manifest are ignored: it is public
        return True

    def maybe_reload(self, every: float = 1.0) -> None:
        if self.path is None:
            return
        now = time.monotonic()
        if now - self._checked >= every:
            self._checked = now
            self.reload()

    def lookup(self, path: str) -> str | None:
        """The canonical path when the page is the site's own, else None."""
        path = canonical_path(path)
        return path if path in self.pages or path in self.quiet else None

    def counts(self, path: str) -> bool:
        """Whether a view of this (canonical) page is counted: not the 404 or search page."""
        return path in self.pages

    def __len__(self) -> int:
        return len(self.pages)
