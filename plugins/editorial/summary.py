"""One Vietnamese line after Pelican's English "Done: Processed …" of a command-line build.

Pelican prints its summary with `console.print` after the `finalized` signal, so this
line is printed when the build process exits (atexit), only when the process is
`python -m pelican` (make build / make publish): the preview sends `finalized` too, on
every change, and prints its own lines.
"""

from __future__ import annotations

import atexit
import sys
import time
from typing import Any

from vietnamese.text import format_number


def is_command_line_build() -> bool:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", "") == "pelican.__main__"


def summary_line(articles: int, pages: int, drafts: int, scheduled: int, seconds: float) -> str:
    """"Xong: 20 bài, 3 trang tĩnh; 1 bản nháp, 1 bài hẹn giờ chưa đăng; 4,1 giây."."""
    waiting = f"{format_number(drafts)} bản nháp, {format_number(scheduled)} bài hẹn giờ chưa đăng"
    return (f"Xong: {format_number(articles)} bài, {format_number(pages)} trang tĩnh; "
            f"{waiting}; {format_number(seconds, 1)} giây.")  # fmt: skip


class BuildSummary:
    """The counts of one build, from Pelican's signals; made when the build starts."""

    def __init__(self) -> None:
        self.started = time.monotonic()  # made at `initialized`: the clock starts with Pelican's
        self.counts = (0, 0, 0, 0)

    def count(self, generators: Any) -> None:
        """all_generators_finalized: what Pelican counts in its own line."""
        articles = pages = drafts = scheduled = 0
        for generator in generators:
            articles += len(getattr(generator, "articles", ()))
            pages += len(getattr(generator, "pages", ()))
            for draft in getattr(generator, "drafts", ()):
                is_scheduled = getattr(draft, "editorial_state", "") == "scheduled"
                scheduled += is_scheduled
                drafts += not is_scheduled
        self.counts = (articles, pages, drafts, scheduled)

    def finish(self) -> None:
        """finalized: printed when the process ends, after Pelican's own line."""
        if is_command_line_build():
            line = summary_line(*self.counts, time.monotonic() - self.started)
            atexit.register(print, line)
