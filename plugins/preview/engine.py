"""The preview's build: Pelican kept in memory, each page rendered when it is asked for.

A full build of 20,000 articles takes minutes, almost all of it rendering pages nobody
is looking at. The preview runs the same Pelican (same settings, plugins, signals and
templates) in one long-lived process, with two changes:

- Reading: articles and pages read in an earlier rebuild stay in memory, keyed by file
  and checked against its modification time, so a rebuild reads only the changed files.
  Each rebuild works on shallow copies, so what plugins set on an article during one
  rebuild never leaks into the next (or into a snapshot still being served). What
  depends only on the file (its output path and URL, its path relative to the content)
  is computed once per file and kept with it (`_Remembering`).
- Writing: `RecordingWriter` records, for every file Pelican would write, the template
  and context it would render, instead of rendering it. A `Snapshot` maps output paths
  to those recordings and renders one the first time a browser asks for it. Feeds,
  static files, the sitemap and the other non-page outputs are written to disk as usual.

Because the templates and context are exactly those of a full build, a page served by
the preview equals the page `make build` writes (tests/test_preview.py compares every
page after a sequence of edits).
"""

from __future__ import annotations

import copy
import datetime
import fnmatch
import functools
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from pelican import Pelican, signals
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator, CachingGenerator, PagesGenerator
from pelican.paginator import Paginator
from pelican.settings import read_settings
from pelican.writers import Writer

from incremental.state import scheduled_time
from incremental.writer import claim

log = logging.getLogger(__name__)

# What the preview changes in the project's settings (the rest is pelicanconf.py as is).
PREVIEW_OVERRIDES: dict[str, Any] = {
    "DELETE_OUTPUT_DIRECTORY": False,  # the previous snapshot's files keep being served
    # No disk cache: ContentMemory keeps the Article/Page objects (typogrify included) itself.
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
    "PARALLEL_BUILD": False,  # one page at a time, on demand: nothing to share out
    "SEARCH_ENABLED": False,  # the preview serves the search index of the last `make build`
}


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept between rebuilds (Jinja compares each template's source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
# Plugins that make no page: the preview leaves them out (sitemap.xml comes with `make build`).
# incremental: the preview keeps its own memory of content and writes no pages.
PREVIEW_SKIPPED_PLUGINS = {"pelican.plugins.sitemap", "parallel_build", "incremental"}


# --- rendering on demand -------------------------------------------------------------


@dataclass
class Recorded:
    """A page Pelican would have written: its template and local context."""

    template: Any
    context: dict[str, Any]

    def render(self) -> bytes:
        return self.template.render(self.context).encode("utf-8")

    def shows(self, key: str) -> Any:
        """The article (key "article") or page ("page") this page is about, if any."""
        return self.context.get(key)

    def replacing(self, key: str, content: Any) -> Recorded:
        return Recorded(self.template, {**self.context, key: content})


@dataclass
class Listing:
    """One paginated listing (a section, a tag, the home page…): what all its pages share."""

    template: Any
    context: dict[str, Any]
    kwargs: dict[str, Any]
    paginators: dict[str, Paginator]


@dataclass
class ListingPage:
    """Page `number` of a listing; its local context made as Writer.write_file makes it."""

    listing: Listing
    number: int
    name: str

    def render(self) -> bytes:
        n, listing = self.number, self.listing
        kwargs = dict(listing.kwargs)
        for key, paginator in listing.paginators.items():
            kwargs[f"{key}_paginator"] = paginator
            kwargs[f"{key}_page"] = paginator.page(n)
            kwargs[f"{key}_previous_page"] = paginator.page(n - 1) if n > 1 else None
            kwargs[f"{key}_next_page"] = paginator.page(n + 1) if n < paginator.num_pages else None
        context = {**listing.context, "localsiteurl": listing.context.get("localsiteurl"),
                   "output_file": self.name, **kwargs}  # fmt: skip
        return listing.template.render(context).encode("utf-8")

    def shows(self, key: str) -> Any:
        return None


class _Deferring:
    """Stands in for a Jinja template inside Writer.write_file: render() only records."""

    def __init__(self, template: Any) -> None:
        self.template = template

    def render(self, context: dict[str, Any]) -> Recorded:
        return Recorded(self.template, context)


class _Sink:
    def __init__(self, pages: dict[str, Recorded], name: str) -> None:
        self.pages, self.name = pages, name

    def write(self, output: Recorded) -> None:
        self.pages[self.name] = output

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class RecordingWriter(Writer):
    """Pelican's writer, except that pages are recorded (template + context), not rendered.

    Everything else of Writer.write_file runs as in a build: pagination, the local
    context, the duplicate-output checks (FileOverwriteFailedError) and the
    `content_written` signal (the sitemap and the counter's manifest listen to it).
    Feeds go through write_feed and are written to disk as usual.
    """

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.pages: dict[str, Recorded] = {}
        self._recording = False
        self._prefix = os.path.join(os.path.normpath(output_path), "")
        self._written = _receivers(signals.content_written)
        # The plugins' per-build state ("_" keys of the settings, e.g. hitcount's manifest): the
        # receivers find their build in the page's context, which is cut short here (no copy).
        self._build_state = {key: value for key, value in settings.items() if key.startswith("_")}

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        if not name:
            return None
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if relative_urls:  # not this site's setting: Pelican's own code, each page recorded
            self._recording = True
            try:
                return super().write_file(name, _Deferring(template), context, relative_urls, paginated,
                                          template_name, override_output, url, **kwargs)  # fmt: skip
            finally:
                self._recording = False
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            return self._record_listing(name, template, context, paginated, template_name,
                                        override_output, url, kwargs)  # fmt: skip
        # One page: what Writer.write_file does, minus the rendering and the disk
        # (sanitised_join and makedirs per page cost seconds at 20,000).
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        self.record(os.path.join(self.output_path, name), Recorded(template, localcontext),
                    override_output, localcontext)  # fmt: skip
        return None

    def _record_listing(self, name, template, context, paginated, template_name, override, url, kwargs):
        """Writer.write_file's pagination: the same Paginators and page names, pages recorded."""
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
        listing = Listing(template, context.copy(), kwargs, paginators)
        first = next(iter(paginators.values()))
        for number in range(1, first.num_pages + 1):
            save_as = first.page(number).save_as
            page = ListingPage(listing, number, save_as)
            self.record(os.path.join(self.output_path, save_as), page, override,
                        self.signal_context({"output_file": save_as, **kwargs}))  # fmt: skip

    def signal_context(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """What content_written gets for a recorded page: its own values and the build's state,
        not the whole context Writer.write_file would copy (31,000 copies at 20,000 articles)."""
        return {**self._build_state, **kwargs}

    def record(self, path: str, page: Recorded | ListingPage, override: bool,
               context: dict[str, Any]) -> None:  # fmt: skip
        """`page` as the file at `path` (Writer._open_w's bookkeeping), then content_written."""
        filename = os.path.normpath(path)
        if claim(self, filename, override):  # else Pelican skips it too ("not overwriting")
            self.pages[filename[len(self._prefix):].replace(os.sep, "/")] = page
        for receiver in self._written:
            receiver(path, context=context)

    def _open_w(self, filename, encoding, override=False):
        if not self._recording:
            return super()._open_w(filename, encoding, override)
        filename = os.path.normpath(filename)
        if not claim(self, filename, override):  # the same bookkeeping as Writer._open_w
            return _Sink({}, filename)  # Pelican skips it too ("not overwriting")
        name = filename[len(self._prefix):].replace(os.sep, "/")
        return _Sink(self.pages, name)


@dataclass
class ArticlePage(Recorded):
    """An article's page, its local context made when it is rendered (20,000 dict copies saved)."""

    kwargs: dict[str, Any] = field(default_factory=dict)

    def render(self) -> bytes:
        context = {**self.context, "localsiteurl": self.context.get("localsiteurl"), **self.kwargs}
        return self.template.render(context).encode("utf-8")

    def shows(self, key: str) -> Any:
        return self.kwargs.get(key)

    def replacing(self, key: str, content: Any) -> ArticlePage:
        return ArticlePage(self.template, self.context, {**self.kwargs, key: content})


def _receivers(signal: Any) -> list[Any]:
    """What signal.send(path, …) calls for any output path, looked up once per rebuild.

    blinker looks them up at every send (a set copied, weak references followed, an inspect
    call), 31,000 times a rebuild at 20,000 articles; no plugin listens for one path only.
    """
    return [] if signal.is_muted else list(signal.receivers_for(_NO_PATH))


_NO_PATH = object()  # a sender nothing is connected to: receivers_for gives those for any


def record_articles(generator: ArticlesGenerator, writer: RecordingWriter) -> None:
    """ArticlesGenerator.generate_articles for the preview: the same pages, the same
    arguments and signals, each recorded instead of rendered."""
    context = generator.context.copy()  # as Writer.write_file copies it, once for all
    for article in chain(generator.translations, generator.articles,
                         generator.hidden_translations, generator.hidden_articles):  # fmt: skip
        signals.article_generator_write_article.send(generator, content=article)
        name = article.save_as
        if not name:
            continue
        kwargs = {"output_file": name, "article": article, "category": getattr(article, "category", None),
                  "url": article.url, "blog": True}  # fmt: skip
        page = ArticlePage(generator.get_template(article.template), context, kwargs)
        writer.record(os.path.join(writer.output_path, name), page,
                      hasattr(article, "override_save_as"), writer.signal_context(kwargs))  # fmt: skip


@dataclass
class Snapshot:
    """One rebuild's pages: output name → recording; rendered once, on first request."""

    version: int
    pages: dict[str, Recorded]
    output: Path
    seconds: float = 0.0
    articles: int = 0
    _rendered: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def has(self, name: str) -> bool:
        return name in self.pages

    def render(self, name: str) -> bytes | None:
        page = self.pages.get(name)
        if page is None:
            return None
        body = self._rendered.get(name)
        if body is None:
            with self._lock:  # one render per page, even if two tabs ask at once
                body = self._rendered.get(name)
                if body is None:
                    body = self._rendered[name] = page.render()
        return body

    def successor(self, version: int, pages: dict[str, Recorded], keep_rendered: set[str]) -> Snapshot:
        """A snapshot with `pages`, reusing the renders of the pages that did not change."""
        rendered = {name: body for name, body in self._rendered.items() if name in keep_rendered}
        return Snapshot(version, pages, self.output, articles=self.articles, _rendered=rendered)


# --- reading only what changed --------------------------------------------------------


class _Remembering:
    """Mixed into each rebuild's copy of an article or page read in an earlier rebuild.

    What depends only on the file as read, the settings and the slug is computed once per
    file and kept with the object read from disk (`_preview_read`), not once per rebuild for
    every article: the relative source path (two abspath and a relpath; Pelican asks for it
    for `generated_content` and every URL), the output path and URL (a metadata copy and
    date formatting; distinct_urls asks for every save_as), the body's {static} links and
    whether a text links to another file at all.
    """

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        memo = _memo(self)
        if source_path or memo is None:  # another file's path, or no file read yet
            return super().get_relative_source_path(source_path)  # type: ignore[misc]
        if "relative_source_path" not in memo:
            memo["relative_source_path"] = super().get_relative_source_path()  # type: ignore[misc]
        return memo["relative_source_path"]

    def get_static_links(self) -> set[str]:
        memo = _memo(self)
        if memo is None:
            return super().get_static_links()  # type: ignore[misc]
        if "static_links" not in memo:
            memo["static_links"] = super().get_static_links()  # type: ignore[misc]
        return set(memo["static_links"])

    def _expand_settings(self, key: str) -> str:
        # URL patterns take the metadata, date, section and slug of the file as read; only the
        # slug (distinct_urls adds -2…) and the status (drafts have their own pattern) vary.
        memo = _memo(self)
        if memo is None:
            return super()._expand_settings(key)  # type: ignore[misc]
        memo_key = (key, self.slug, self.status)  # type: ignore[attr-defined]
        value = memo.get(memo_key)
        if value is None:
            value = memo[memo_key] = super()._expand_settings(key)  # type: ignore[misc]
        return value

    def _update_content(self, content: str, siteurl: str) -> str:
        # Few summaries (refresh_metadata_intersite_links, every article at every rebuild)
        # link to another file: without a link the substitution gives the text back as it is.
        memo = _memo(self)
        if memo is None or not content:
            return super()._update_content(content, siteurl)  # type: ignore[misc]
        linked = memo.get(("links", content))
        if linked is None:
            regex = self._get_intrasite_link_regex()  # type: ignore[attr-defined]
            linked = memo["links", content] = regex.search(content) is not None
        if not linked:
            return content
        return super()._update_content(content, siteurl)  # type: ignore[misc]


def _memo(content: Any) -> dict[Any, Any] | None:
    """The dict of what is remembered for the file `content` was read from, if any yet."""
    read = content.__dict__.get("_preview_read")
    return None if read is None else read._preview_memo


@functools.cache
def _remembering(cls: type) -> type:
    """cls with _Remembering mixed in, under the same name (Page's URL setting names use it)."""
    if issubclass(cls, _Remembering):
        return cls
    namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    return type(cls.__name__, (_Remembering, cls), namespace)


def _as_read(content: Any) -> Any:
    """A copy of a just-read article/page as it came from disk, kept in the memory.

    Without the rebuild's context: it would keep that whole rebuild alive (every article,
    list and recorded page) for as long as the file is unchanged.
    """
    read = copy.copy(content)
    read.metadata = dict(content.metadata)
    read._context = None
    read._preview_memo = {}
    return read


def _copy_for_rebuild(read: Any, context: dict[str, Any]) -> Any:
    """A copy of an article/page read earlier, that this rebuild's plugins may change freely."""
    new = object.__new__(_remembering(type(read)))
    new.__dict__.update(read.__dict__)
    del new._preview_memo  # it is the file's: reached through _preview_read
    new.metadata = dict(read.metadata)
    new._context = context
    new._preview_read = read
    return new


def _now_due(content: Any) -> bool:
    """A scheduled article (a draft only because its Date was in the future) whose time has come."""
    date = scheduled_time(content)
    if date is None:
        return False
    now = datetime.datetime.now(date.tzinfo) if date.tzinfo else datetime.datetime.now()
    return date <= now


class ContentMemory:
    """Articles and pages by file, kept between rebuilds (Pelican's generator-level cache in memory)."""

    def __init__(self) -> None:
        self.caches: dict[str, dict] = {}

    def attach(self, generator: CachingGenerator) -> None:
        name = type(generator).__name__
        # Pelican's FileStampDataCacher, switched on here whatever CACHE_CONTENT says, with
        # its dictionary kept from one rebuild to the next.
        generator._cache = self.caches.setdefault(name, {})
        generator._cache_data_policy = True
        generator._filestamp_func = os.path.getmtime
        get, put = generator.get_cached_data, generator.cache_data

        def get_cached_data(filename: str, default: Any = None) -> Any:
            read = get(filename, default)
            if read is default or read is None or _now_due(read):
                return default
            return _copy_for_rebuild(read, generator.context)

        def cache_data(filename: str, data: Any) -> None:
            data._preview_read = _as_read(data)  # this rebuild goes on changing `data`
            data.__class__ = _remembering(type(data))  # what it computes is remembered too
            put(filename, data._preview_read)

        generator.get_cached_data = get_cached_data
        generator.cache_data = cache_data
        generator.save_cache = lambda: None


class _Recomputing(dict):
    """A memo another thread may empty at any time: a key gone between the `in` and the `[]`
    of Pelican's memoized wrapper is computed again instead of raising KeyError."""

    def __init__(self, func: Any) -> None:
        super().__init__()
        self.func = func

    def __missing__(self, args: tuple) -> Any:
        return self.func(*args)


def forget_pelican_memos() -> None:
    """Empty the memos of Content.get_content and get_summary.

    Pelican keeps them for the life of the process, keyed by the object: every copy whose body
    or summary was once asked for (the feeds' items at each rebuild, each page rendered) stayed
    alive, and with it its rebuild's whole context. At 20,000 articles that was 160,000 objects
    more after each rebuild, and each garbage collection slower than the one before.
    """
    for name in ("get_content", "get_summary"):
        memo = Content.__dict__[name]
        if isinstance(memo.cache, _Recomputing):
            memo.cache.clear()
        else:
            memo.cache = _Recomputing(memo.func)


def _extensions_key(extensions: Any) -> Any:
    """get_files' `extensions` as a key: None (the readers'), False (any) or a tuple."""
    return extensions if extensions is None or extensions is False else tuple(extensions)


def _include_path(memo: dict[tuple, bool], generator: Any, path: str,
                  extensions: Any = None) -> bool:  # fmt: skip
    """Generator._include_path, remembered: get_files asks it about every file, twice a rebuild.
    The answer depends on the file's name, IGNORE_FILES and the extensions asked for only."""
    key = (os.path.basename(path), _extensions_key(extensions))
    found = memo.get(key)
    if found is None:
        found = memo[key] = type(generator)._include_path(generator, path, extensions)
    return found


class FileLists:
    """Generator.get_files with each folder's listing remembered while its time is unchanged.

    Each rebuild walks the content tree several times (articles, pages, static files, the
    check for disabled readers: 20,000 names each at 20,000 articles). Adding, removing or
    renaming a file changes its folder's modification time, so one stat per folder tells
    whether the files kept for it still hold; an edited file changes no list. A folder changed
    within the last RACY seconds is listed again each time (a second change in the same clock
    tick would leave its time as it was), as git does with its index. The walk is Pelican's
    (Generator.get_files): the same exclusions, IGNORE_FILES and _include_path, links followed;
    tests/test_preview.py compares the two.
    """

    RACY = 2.0

    def __init__(self) -> None:
        self._folders: dict[str, tuple[int, list[str], list[str]]] = {}  # path → (mtime, dirs, files)
        self._included: dict[tuple, tuple[int, set[str]]] = {}  # (path, kind…) → (mtime, relpaths)

    def get_files(self, generator: Any, paths: Any, exclude: list[str] | None = None,
                  extensions: Any = None) -> set[str]:  # fmt: skip
        if isinstance(paths, str):
            paths = [paths]
        excluded: dict[str, set[str]] = {}
        for e in exclude or ():
            parent, name = os.path.split(os.path.join(generator.path, e))
            excluded.setdefault(parent, set()).add(name)
        ignores = generator.settings["IGNORE_FILES"]
        asked = _extensions_key(extensions)
        files: set[str] = set()
        for path in paths:
            root = os.path.join(generator.path, path) if path else generator.path
            if not os.path.isdir(root):
                if os.path.exists(root) and generator._include_path(path, extensions):
                    files.add(path)
                continue
            folders = [root]
            while folders:
                folder = folders.pop()
                listed = self._listing(folder)
                if listed is None:
                    continue
                mtime, dirs, names = listed
                skip = excluded.get(folder, ())
                folders.extend(os.path.join(folder, d) for d in dirs
                               if d not in skip and not any(fnmatch.fnmatch(d, i) for i in ignores))  # fmt: skip
                key = (folder, type(generator).__name__, generator.path, asked)
                kept = self._included.get(key)
                if kept is None or kept[0] != mtime or mtime < 0:
                    reldir = os.path.relpath(folder, generator.path)
                    found = {fp for fp in (os.path.join(reldir, n) for n in names)
                             if generator._include_path(fp, extensions)}  # fmt: skip
                    kept = self._included[key] = (mtime, found)
                files |= kept[1]
        return files

    def _listing(self, folder: str) -> tuple[int, list[str], list[str]] | None:
        """(mtime, sub-folders, files) of a folder, read again only when it changed (-1: racy)."""
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return None
        kept = self._folders.get(folder)
        if kept is not None and kept[0] == mtime:
            return kept
        dirs, names = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    (dirs if entry.is_dir() else names).append(entry.name)  # links followed, as os.walk
        except OSError:
            return None
        racy = mtime >= time.time_ns() - int(self.RACY * 1e9)
        listed = (-1 if racy else mtime, dirs, names)
        if racy:
            self._folders.pop(folder, None)
        else:
            self._folders[folder] = listed
        return listed


_CONTENT_LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations", "drafts",
    "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations",
)  # fmt: skip


# --- the build ------------------------------------------------------------------------


class PreviewBuild:
    """Runs Pelican in this process, again after each change; each run gives a Snapshot."""

    def __init__(self, settings_file: Path, content: Path, output: Path,
                 overrides: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.settings_file = Path(settings_file)
        self.content = Path(content).resolve()
        self.output = Path(output).resolve()
        self.overrides = overrides or {}
        self.memory = ContentMemory()
        self.version = 0
        self._pelican: Pelican | None = None
        self._generators: list[Any] = []
        self._contents: dict[str, Any] = {}
        self._writer: RecordingWriter | None = None
        self._templates = MemoryBytecodeCache()
        self._included: dict[tuple, bool] = {}  # see _include_path
        self._file_lists = FileLists()

    def _settings(self) -> dict[str, Any]:
        override = {
            **PREVIEW_OVERRIDES,
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            **self.overrides,
        }
        settings = read_settings(str(self.settings_file), override=override)
        settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": self._templates}
        settings["PLUGINS"] = [p for p in settings["PLUGINS"] if p not in PREVIEW_SKIPPED_PLUGINS]
        return settings

    def _on_any_generator_init(self, generator: Any) -> None:
        if hasattr(generator, "get_files"):
            generator.get_files = functools.partial(self._file_lists.get_files, generator)

    def _on_generator_init(self, generator: Any) -> None:
        if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            self.memory.attach(generator)
            generator._include_path = functools.partial(_include_path, self._included, generator)
        if isinstance(generator, ArticlesGenerator) and not generator.settings["RELATIVE_URLS"]:
            generator.generate_articles = lambda write: record_articles(generator, self._writer)

    def rebuild(self) -> Snapshot:
        """One Pelican run (Pelican.run without deleting output, with the recording writer)."""
        started = time.perf_counter()
        if self._pelican is None:
            self._pelican = Pelican(self._settings())
            signals.generator_init.connect(self._on_any_generator_init)
            signals.article_generator_init.connect(self._on_generator_init)
            signals.page_generator_init.connect(self._on_generator_init)
        else:
            signals.initialized.send(self._pelican)  # plugins reset their per-build state
        pelican = self._pelican
        context = pelican.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = pelican.settings["SITEURL"]
        generators = [
            cls(context=context, settings=pelican.settings, path=pelican.path, theme=pelican.theme,
                output_path=pelican.output_path)
            for cls in pelican._get_generator_classes()
        ]  # fmt: skip
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
            if hasattr(generator, "check_disabled_readers"):
                generator.check_disabled_readers()
        signals.all_generators_finalized.send(generators)
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        writer = self._writer = RecordingWriter(pelican.output_path, pelican.settings)
        for generator in generators:
            if hasattr(generator, "generate_output"):
                generator.generate_output(writer)
        signals.finalized.send(pelican)
        forget_pelican_memos()  # the feeds' items, and the previous snapshot's pages
        self._generators = generators
        self._contents = {
            c.source_path: c for g in generators for name in _CONTENT_LISTS for c in getattr(g, name, ())
        }
        articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        return Snapshot(self.next_version(), writer.pages, self.output,
                        seconds=time.perf_counter() - started, articles=len(articles.articles))  # fmt: skip

    def next_version(self) -> int:
        self.version += 1
        return self.version

    def contents(self) -> dict[str, Any]:
        """The articles and pages of the last rebuild, by absolute source path."""
        return self._contents

    def replace(self, replacements: dict[int, Any]) -> None:
        """Record patched objects (by id of the ones they replace) as the current ones."""
        for path, content in list(self._contents.items()):
            if id(content) in replacements:
                self._contents[path] = replacements[id(content)]

    def read(self, path: Path, content_class: type) -> Any:
        """Read one file as the last rebuild's generator would (same readers, same signals)."""
        kind = ArticlesGenerator if issubclass(content_class, Article) else PagesGenerator
        generator = next((g for g in self._generators if isinstance(g, kind)), None)
        if generator is None:
            return None
        prefix = "article" if kind is ArticlesGenerator else "page"
        content = generator.readers.read_file(
            base_path=generator.path, path=os.path.relpath(path, generator.path),
            content_class=content_class, context=generator.context,
            preread_signal=getattr(signals, f"{prefix}_generator_preread"), preread_sender=generator,
            context_signal=getattr(signals, f"{prefix}_generator_context"), context_sender=generator,
        )  # fmt: skip
        content._preview_read = _as_read(content)
        return content


def output_name(url_path: str) -> str:
    """The output file a URL path names: '/' → 'index.html', '/x/' → 'x/index.html'."""
    name = url_path.lstrip("/")
    if name == "" or name.endswith("/"):
        name += "index.html"
    return name


