"""Read the articles with two processes: a forked child reads half of the new files.

Pelican reads (Markdown, typogrify in plugins/vietnamese) one file after another in
ArticlesGenerator.generate_context: a third of a clean build. Before that loop runs, the
files that Pelican's reader cache does not hold yet are shared out: the child reads every
second one, this process the others, each with the generator's own reader; the results go
into that same cache (Readers.cache_data), so Pelican's loop then finds every file already
read and does the rest as always (signals, metadata, content objects, errors).

Safe by construction: a file whose reading raised or logged a warning in either process is
left out of the cache, so Pelican reads it again itself and reports it exactly as without
this plugin (the child's own output goes to /dev/null). Needs the reader cache on
(CACHE_CONTENT with CONTENT_CACHING_LAYER "reader") and no receiver of
article_generator_preread (sent per file, which the child would not replay).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import time
import traceback
from typing import Any

from pelican import signals
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

log = logging.getLogger(__name__)


class _Flag(logging.Handler):
    """Notes that something was logged at WARNING or above while reading one file."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.raised = False

    def emit(self, record: logging.LogRecord) -> None:
        self.raised = True


def _read(readers: Any, base: str, files: list[str]) -> list[tuple[str, Any]]:
    """(absolute path, (content, metadata)) for each file read without trouble."""
    flag, root = _Flag(), logging.getLogger()
    root.addHandler(flag)
    done = []
    try:
        for name in files:
            path = os.path.abspath(os.path.join(base, name))
            reader = readers.readers.get(file_suffix(path))
            if reader is None:
                continue
            flag.raised = False
            try:
                content, metadata = reader.read(path)
            except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
                continue
            if not flag.raised:
                done.append((path, (content, _filter_discardable_metadata(metadata))))
    finally:
        root.removeHandler(flag)
    return done


def _why_serial(generator: Any, todo: list[str], minimum: int) -> str | None:
    readers = generator.readers
    if not getattr(readers, "_cache_data_policy", False):
        return "the reader cache is off (CACHE_CONTENT, CONTENT_CACHING_LAYER)"
    if not hasattr(os, "fork"):
        return "no os.fork on this platform"
    if len(todo) < minimum:
        return f"only {len(todo)} files to read"
    if signals.article_generator_preread.receivers:
        return "a plugin listens to article_generator_preread"
    return None


def read_ahead(generator: Any, minimum: int) -> str | None:
    """Fill the reader cache with the new files, read by two processes; None, or why not."""
    settings, readers = generator.settings, generator.readers
    files = sorted(generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]))
    base = generator.path
    todo = [f for f in files
            if readers.get_cached_data(os.path.abspath(os.path.join(base, f)), None) is None]  # fmt: skip
    why = _why_serial(generator, todo, minimum)
    if why:
        return why
    started = time.perf_counter()
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the child's collector leaves the parent's objects (and their pages) alone
    pid = os.fork()
    if pid == 0:  # the child: read the odd files, send them back, leave
        os.close(rfd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        code = 0
        try:
            result: Any = _read(readers, base, todo[1::2])
        except BaseException:  # noqa: BLE001 - the parent reads everything itself
            result, code = traceback.format_exc(), 1
        try:
            with os.fdopen(wfd, "wb") as pipe:
                pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(code)
    os.close(wfd)
    gc.unfreeze()
    try:
        mine = _read(readers, base, todo[0::2])
        with os.fdopen(rfd, "rb") as pipe:
            theirs = pickle.load(pipe)
    finally:
        os.waitpid(pid, 0)
    if not isinstance(theirs, list):
        log.debug("parallel_build: the reading child failed; its files are read here:\n%s", theirs)
        theirs = []
    for path, data in (*mine, *theirs):
        readers.cache_data(path, data)
    log.debug("parallel_build: %d of %d new files read by two processes in %.2f s",
              len(mine) + len(theirs), len(todo), time.perf_counter() - started)  # fmt: skip
    return None
