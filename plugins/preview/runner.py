"""`make serve`: watch the content, check each saved file, rebuild in memory, serve.

One worker thread takes the changes in order, so a snapshot never mixes two states of
the content:
1. the saved Markdown files are checked by the same checker as `make check` (file
   rules); an error keeps the last good snapshot up and shows the error, in the
   terminal and on every page, until the file is fixed;
2. a change to an article's text only (same metadata, same summary, same links to
   files) patches the current snapshot: that article's page is rendered again and
   nothing else changes, which is what a full build would give;
3. anything else (a new, deleted, moved or retitled article, a section change, a
   template) rebuilds the whole Pelican context in memory (only changed files are
   read again) and swaps in the new snapshot when it is complete.
A change to pelicanconf.py or to the plugins' code restarts the process.

Garbage collection waits while a step runs: with 20,000 articles in memory a full
collection goes through about a million objects (about a second), and the allocations of a
rebuild set off one or two. The heap is collected once the preview has been idle for
IDLE_COLLECT seconds (or before a step, when MAX_UNCOLLECTED steps ran without a pause).
"""

from __future__ import annotations

import copy
import gc
import logging
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator

from .engine import PreviewBuild, Snapshot
from .site import PreviewState

log = logging.getLogger("preview")

CONTENT_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
RESTART_SUFFIXES = (".py",)
IDLE_COLLECT = 0.5  # seconds without a change (a tab has reloaded by then) before collecting
MAX_UNCOLLECTED = 3  # steps in a row without that pause: collect before the next one


class _Collect(logging.Handler):
    """Pelican's warnings are fatal in every build: the preview treats them as errors too."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class Previewer:
    def __init__(self, root: Path, settings_file: Path, content: Path, output: Path,
                 overrides: dict[str, Any] | None = None, echo: Any = print) -> None:  # fmt: skip
        self.root = Path(root).resolve()
        self.content = Path(content).resolve()
        self.build = PreviewBuild(settings_file, self.content, output, overrides)
        self.state = PreviewState()
        self.echo = echo
        self.broken: set[Path] = set()  # files whose last check failed
        self.changes: queue.Queue[set[Path] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="preview-build", daemon=True)
        self._settings: dict | None = None
        self._uncollected = 0  # steps run since the last garbage collection

    # --- the worker ---------------------------------------------------------------

    def start(self) -> None:
        self.changes.put(set())  # the first build
        self._worker.start()

    def stop(self) -> None:
        self.changes.put(None)
        self._worker.join(timeout=30)

    def submit(self, paths: set[Path]) -> None:
        self.changes.put({Path(p).resolve() for p in paths})

    def _work(self) -> None:
        while True:
            try:
                batch = self.changes.get(timeout=IDLE_COLLECT if self._uncollected else None)
            except queue.Empty:
                self._collect()
                continue
            if batch is None:
                return
            while True:  # take every change waiting: one step for a burst of saves
                try:
                    more = self.changes.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    return
                batch |= more
            try:
                self.step(batch)
            except Exception as err:  # shown, and the last good site stays up
                log.exception("preview: build failed")
                self._fail([f"Lỗi khi dựng trang: {err}"])

    def step(self, changed: set[Path]) -> None:
        if self.state.snapshot is not None:  # the first build (every file read) collects as usual
            self._pause_collection()
        started = time.perf_counter()
        texts = {p for p in changed if p.suffix in CONTENT_SUFFIXES and p.is_file()}
        if not self._check(texts | {p for p in self.broken if p.is_file()}, first=self.state.snapshot is None):
            return
        if self.state.snapshot is not None and changed and changed <= texts:
            patched = self._patch(texts)
            if patched is not None:
                self.state.publish(patched)
                self._done("sửa nội dung", started, len(texts))
                return
        handler = _Collect()
        logging.getLogger().addHandler(handler)
        try:
            snapshot = self.build.rebuild()
        finally:
            logging.getLogger().removeHandler(handler)
        if handler.lines:
            return self._fail([f"Lỗi khi dựng trang: {line}" for line in handler.lines])
        self.state.publish(snapshot)
        self._done("dựng lại", started, snapshot.articles)

    def _pause_collection(self) -> None:
        if self._uncollected >= MAX_UNCOLLECTED:
            self._collect()
        gc.disable()
        self._uncollected += 1

    def _collect(self) -> None:
        """The garbage of the steps since the last collection (old snapshots are cycles)."""
        gc.collect()
        gc.enable()
        self._uncollected = 0

    def _done(self, what: str, started: float, count: int) -> None:
        seconds = time.perf_counter() - started
        self.echo(f"Xem trước: đã {what} ({count} bài) trong {seconds:.2f} giây.")

    def _fail(self, lines: list[str]) -> None:
        self.state.fail(lines)
        self.echo("Xem trước: CÓ LỖI — trang web vẫn hiện bản đúng gần nhất.")
        for line in lines:
            self.echo("  " + line)

    # --- checking -----------------------------------------------------------------

    def _check(self, paths: set[Path], first: bool) -> bool:
        """The checker of `make check` on the changed files (all content at start)."""
        from editorial.check import check, format_problem  # noqa: PLC0415
        from editorial.config import load_settings  # noqa: PLC0415

        if not paths and not first:
            return True
        if self._settings is None:
            self._settings = load_settings(self.build.settings_file)
        report = check(sorted(paths), self._settings, self.content, site_rules=first)
        errors = [p for p in report.problems if p.is_error]
        for p in report.problems:
            if not p.is_error:
                self.echo(format_problem(p))
        self.broken = {Path(p.path).resolve() for p in errors}
        if errors:
            self._fail([format_problem(p) for p in errors])
            return False
        return True

    # --- the quick path: an article's text changed, nothing else --------------------

    def _patch(self, paths: set[Path]) -> Snapshot | None:
        snapshot = self.state.snapshot
        built = self.build.contents()
        replace: dict[int, Any] = {}
        for path in paths:
            old = built.get(str(path))
            if old is None or getattr(old, "status", None) != "published":
                return None
            new = self.build.read(path, type(old))
            if new is None or not same_except_text(old, new):
                return None
            patched = copy.copy(old)
            patched._content = new._content
            patched._preview_read = new._preview_read
            replace[id(old)] = patched
        pages = dict(snapshot.pages)
        touched = set()
        for name, page in snapshot.pages.items():
            for key in ("article", "page"):
                obj = page.shows(key)
                if obj is not None and id(obj) in replace:
                    pages[name] = page.replacing(key, replace[id(obj)])
                    touched.add(name)
        self.build.replace(replace)
        return snapshot.successor(self.build.next_version(), pages, keep_rendered=set(pages) - touched)


def same_except_text(old: Article | Page, new: Article | Page) -> bool:
    """Whether only the body differs, in ways no other page shows.

    Other pages show an article's metadata (title, date, section, tags, author, image,
    summary...) and link to it by URL; they never show its body. A summary Pelican
    derives from the body, a change of the files it links to, or of its status, is
    not a text-only change.
    """
    pristine = getattr(old, "_preview_read", None)
    if pristine is None or "summary" not in new.metadata:
        return False
    return (
        new.metadata == pristine.metadata
        and new.status == pristine.status
        and new.get_static_links() == pristine.get_static_links()
    )


def watch(previewer: Previewer, roots: list[Path], stop: threading.Event) -> None:
    """Feed the previewer with saved files (watchfiles: inotify, a 50 ms quiet period)."""
    import watchfiles  # noqa: PLC0415

    for changes in watchfiles.watch(*roots, debounce=400, step=50, stop_event=stop, raise_interrupt=False):
        paths = {Path(p) for _, p in changes}
        code = [p for p in paths if p.suffix in RESTART_SUFFIXES]
        if code:
            previewer.echo(f"Xem trước: {code[0].name} đã đổi — khởi động lại…")
            # As started: `python -m preview …` (sys.argv would name __main__.py as a script) or invoke.
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
        previewer.submit(paths)


__all__ = ["ArticlesGenerator", "PagesGenerator", "Previewer", "same_except_text", "watch"]
