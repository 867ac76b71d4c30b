"""Use a second core: new articles are read, and article pages written, by two processes.

Reading: see reading.py (a forked child reads every second file that the content cache does
not hold yet, into that cache, before Pelican's own loop).

Writing: Pelican writes everything in one process. ArticlesGenerator.generate_pages writes
the article pages first, then the period archives, direct templates (index,
tags, archives, ...), tag, category and author listings and drafts. Once the
context is complete these two halves only *read* it, so they can run side by
side. On Linux (os.fork) this plugin, when the articles generator writes its
pages:

1. forks: the child writes article pages (the same `write` Pelican uses, the
   same templates, context and writer state, inherited by fork) and exits;
2. the parent writes everything else of that generator meanwhile (its own
   generate_articles is deferred for this call only), then joins in writing
   the article pages that are left. The articles are shared out in chunks of
   CHUNK through a table in shared memory (one byte per chunk, claimed under a
   lock): each chunk is written by exactly one process, and the two finish
   together whatever the mix of article and listing work;
3. the parent then joins the child before returning, i.e. before the pages,
   static and template-pages generators, `article_writer_finalized` and
   `finalized` (sitemap, search index) run.

Why it is safe (what a plugin might otherwise miss):
- Signals: in the child, `content_written` only records (path, article); the
  parent replays it for each of those files, with the local context the writer
  would have sent (article, category, blog, output_file, localsiteurl), to every
  receiver, once (sitemap, the hitcount manifest, ...). The child runs no
  receiver of it. `article_generator_write_article` is sent in the child, where
  the writing happens, so a plugin listening to it would lose its side effects
  in the parent: if any receiver is connected the build stays serial.
- Overwrites: the child inherits the writer's set of written files (feeds are
  written before the fork). After the join the parent checks the child's files
  against the files it wrote meanwhile and raises FileOverwriteFailedError on
  any overlap, as Pelican would; then it adds them to the writer's set so later
  generators are checked too. Articles with `override_save_as` (Pelican's
  "override" writes) keep the build serial.
- Errors and --fatal warnings: the child logs to the same stderr; any exception
  in it (a fatal warning raises) is sent back through the pipe and re-raised in
  the parent, so the build exits non-zero. If the parent fails first, the child
  is terminated and reaped.
- Threads and locks: a lock held by another thread at the fork stays locked
  forever in the child. The only other thread of a build is the refresh thread
  of Pelican's "Generating..." spinner (rich's Live, which takes the console's
  locks to draw): it is stopped (joined) just before the fork and restarted in
  the parent just after, so the child's logging cannot deadlock. If any other
  thread is still running at that point, the build stays serial.
- Process hygiene: stdout/stderr are flushed before the fork; the child leaves
  with os._exit (no atexit handlers, no second flush of inherited buffers).
  gc.freeze() before the fork keeps the child's collector from touching (and so
  copying) the parent's objects.
- It changes no output: the same templates render the same objects; only the
  order in which files hit the disk differs.

Falls back to Pelican's serial path when: PARALLEL_BUILD is False, there is no
os.fork, fewer than PARALLEL_BUILD_MIN_ARTICLES articles (a fork is not worth it
for a small site or a test fixture), other threads are running, or one of the
cases above applies. The first two reasons are logged at debug level; any other is
printed as "parallel_build: warning: …" on stderr (not logged as a warning, which
--fatal warnings would turn into a failed build).

Peak memory: the parent's figure is unchanged; the child shares the parent's
pages copy-on-write and dirties some of them (reference counts), so the machine's
total is below twice the parent's.
"""

from __future__ import annotations

import gc
import logging
import mmap
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from functools import partial
from itertools import chain

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.utils import get_relative_path, path_to_url
from pelican.writers import FileOverwriteFailedError

from .reading import read_ahead

log = logging.getLogger(__name__)

CHUNK = 8  # articles claimed at a time
CHILD, PARENT = 1, 2  # owners in the shared table (0: not yet claimed)

DEFAULTS = {
    "PARALLEL_BUILD": True,
    "PARALLEL_BUILD_MIN_ARTICLES": 200,
}


def _setting(settings: dict, key: str):
    return settings.get(key, DEFAULTS[key])


def _articles(gen: ArticlesGenerator) -> list:
    """What ArticlesGenerator.generate_articles writes, in its order."""
    return list(
        chain(gen.translations, gen.articles, gen.hidden_translations, gen.hidden_articles)
    )


def _other_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t is not threading.current_thread()]


def _pause_spinners() -> list:
    """Stop (and join) the rich Live displays of Pelican's console; return them to restart."""
    try:
        from pelican.log import console  # noqa: PLC0415
    except ImportError:
        return []
    lives = list(getattr(console, "_live_stack", []))
    for live in reversed(lives):
        thread = getattr(live, "_refresh_thread", None)
        live.stop()  # tells its refresh thread to end, without waiting for it
        if thread is not None:
            thread.join(timeout=2)
    return lives


def _resume_spinners(lives: list) -> None:
    for live in lives:
        live.start()


def _why_serial(gen: ArticlesGenerator, items: list) -> str | None:
    settings = gen.settings
    if not _setting(settings, "PARALLEL_BUILD"):
        return "PARALLEL_BUILD is off"
    if not hasattr(os, "fork"):
        return "no os.fork on this platform"
    if len(items) < _setting(settings, "PARALLEL_BUILD_MIN_ARTICLES"):
        return f"only {len(items)} articles"
    if signals.article_generator_write_article.receivers:
        return "a plugin listens to article_generator_write_article"
    if any(hasattr(a, "override_save_as") for a in items):
        return "an article overrides its output file"
    return None


class _Claims:
    """Which process writes which chunk of articles: a byte per chunk in shared memory."""

    def __init__(self, items: list):
        self.index = {id(a): i for i, a in enumerate(items)}
        self.table = mmap.mmap(-1, max(1, -(-len(items) // CHUNK)))  # shared across fork
        self.lock = multiprocessing.Lock()  # a POSIX semaphore, shared across fork

    def writer_for(self, me: int, write):
        """A `write` for generate_articles that writes only the chunks `me` claims."""
        table, lock, index = self.table, self.lock, self.index

        def claiming_write(name, template, context, *args, article=None, **kwargs):
            i = index.get(id(article))
            if i is not None:
                chunk = i // CHUNK
                if table[chunk] == 0:
                    with lock:
                        if table[chunk] == 0:
                            table[chunk] = me
                if table[chunk] != me:
                    return  # the other process writes it
            elif me != PARENT:
                return  # not one of ours (cannot happen with Pelican's generate_articles)
            write(name, template, context, *args, article=article, **kwargs)

        return claiming_write


class _Child:
    """The forked writer of article pages, seen from the parent."""

    def __init__(self, pid: int, rfd: int, items: list, before: set):
        self.pid, self.rfd, self.items, self.before = pid, rfd, items, before

    @classmethod
    def start(cls, gen: ArticlesGenerator, writer, items: list, claims: _Claims) -> _Child | None:
        write = claims.writer_for(
            CHILD, partial(writer.write_file, relative_urls=gen.settings["RELATIVE_URLS"])
        )
        before = set(writer._written_files)
        lives = _pause_spinners()
        others = _other_threads()
        if others:
            _resume_spinners(lives)
            log.debug("parallel_build: serial (threads running: %s)", ", ".join(others))
            return None
        rfd, wfd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()
        try:
            pid = os.fork()
        except OSError as exc:
            pid = -1
            log.debug("parallel_build: serial (fork failed: %s)", exc)
        if pid == 0:  # the child: never returns
            os.close(rfd)
            _child_main(gen, write, items, wfd)
        gc.unfreeze()
        _resume_spinners(lives)
        os.close(wfd)
        if pid < 0:
            os.close(rfd)
            return None
        return cls(pid, rfd, items, before)

    def abort(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.rfd)

    def join(self, gen: ArticlesGenerator, writer) -> int:
        with os.fdopen(self.rfd, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        try:
            report = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a child killed mid-way leaves a truncated report
            report = {"error": f"the worker exited with status {code} and no report"}
        if code or "error" in report:
            log.debug("parallel_build: worker traceback:\n%s", report.get("traceback", ""))
            raise RuntimeError(f"parallel_build: writing the article pages failed: {report['error']}")
        written = report["written"]
        paths = {path for path, _ in written}
        overlap = paths & (writer._written_files - self.before)
        if overlap:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{sorted(overlap)[0]}": written both as an article '
                "page and by another template"
            )
        writer._written_files.update(paths)
        relative_urls = gen.settings["RELATIVE_URLS"]
        for path, index in written:  # the parent's receivers see every file, once
            article = self.items[index] if index is not None else None
            signals.content_written.send(path, context=_local_context(gen, article, relative_urls))
        return len(written), report.get("seconds", 0.0)


def _local_context(gen: ArticlesGenerator, article, relative_urls: bool) -> dict:
    """What Writer.write_file passes to content_written for an article page."""
    context = gen.context.copy()
    context["localsiteurl"] = context.get("localsiteurl", None)
    if article is None:
        return context
    if relative_urls:
        relative_url = path_to_url(get_relative_path(article.save_as))
        context["SITEURL"] = relative_url
        context["localsiteurl"] = relative_url
    context["output_file"] = article.save_as
    context.update(article=article, category=getattr(article, "category", None), blog=True)
    return context


def _child_main(gen: ArticlesGenerator, write, items: list, wfd: int) -> None:
    code = 0
    written: list[tuple[str, int | None]] = []
    index = {id(a): i for i, a in enumerate(items)}

    def record(path, context=None, **_kwargs):
        article = (context or {}).get("article")
        written.append((path, index.get(id(article))))
        return []

    try:
        # This process only: its receivers would act on memory that dies with it.
        signals.content_written.send = record
        started = time.perf_counter()
        gen.generate_articles(write)
        report: dict = {"written": written, "seconds": time.perf_counter() - started}
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        code = 1
        report = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    try:
        with os.fdopen(wfd, "wb") as pipe:
            pickle.dump(report, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def serial_notice(step: str, why: str, expected: bool) -> None:
    """Say that a step runs in one process. Unexpected reasons are printed as a warning on
    stderr (a logged warning would stop the build: warnings are fatal here); a small site or
    PARALLEL_BUILD = False only at debug level."""
    if expected:
        log.debug("parallel_build: %s in one process (%s)", step, why)
    else:
        sys.stderr.write(f"parallel_build: warning: {step} in one process ({why})\n")


def _expected(why: str) -> bool:
    return why.startswith("only ") or why == "PARALLEL_BUILD is off"


def _generate_context(gen: ArticlesGenerator, original) -> None:
    if _setting(gen.settings, "PARALLEL_BUILD"):
        why = read_ahead(gen, _setting(gen.settings, "PARALLEL_BUILD_MIN_ARTICLES"))
    else:
        why = "PARALLEL_BUILD is off"
    if why:
        serial_notice("articles read", why, _expected(why))
    original()


def _generate_pages(gen: ArticlesGenerator, original, writer) -> None:
    items = _articles(gen)
    why = _why_serial(gen, items)
    claims = None if why else _Claims(items)
    child = None if why else _Child.start(gen, writer, items, claims)
    if child is None:
        serial_notice("article pages written", why or "threads running or fork failed", _expected(why or ""))
        original(writer)
        return
    started = time.perf_counter()
    gen.generate_articles = lambda write: None  # deferred: the listings first, this call only
    try:
        try:
            original(writer)
        finally:
            del gen.generate_articles
        listings = time.perf_counter() - started
        write = partial(writer.write_file, relative_urls=gen.settings["RELATIVE_URLS"])
        gen.generate_articles(claims.writer_for(PARENT, write))
    except BaseException:
        child.abort()
        raise
    own = time.perf_counter() - started
    count, child_seconds = child.join(gen, writer)
    log.debug(
        "parallel_build: the worker wrote %d of %d article pages in %.2f s; here the other "
        "pages in %.2f s, the rest of the articles by %.2f s; joined after %.2f s",
        count, len(items), child_seconds, listings, own, time.perf_counter() - started,
    )  # fmt: skip


def install_reading(generator) -> None:
    """article_generator_init: read the new files with two processes first."""
    generator.generate_context = partial(_generate_context, generator, generator.generate_context)


def install(generators) -> None:
    """all_generators_finalized: the context is complete; wrap this build's writer step."""
    for gen in generators:
        if isinstance(gen, ArticlesGenerator):
            gen.generate_pages = partial(_generate_pages, gen, gen.generate_pages)


def register() -> None:
    signals.article_generator_init.connect(install_reading)
    signals.all_generators_finalized.connect(install)
