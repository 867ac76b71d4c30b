"""The preview's build: Pelican kept in memory, each page rendered when it is asked for.

A full build of 20,000 articles takes minutes, almost all of it rendering pages nobody
is looking at. The preview runs the same Pelican (same settings, plugins, signals and
templates) in one long-lived process, with two changes:

- Reading: articles and pages read in an earlier rebuild stay in memory, keyed by file
  and checked against its modification time, so a rebuild reads only the changed files.
  Each rebuild works on shallow copies, so what plugins set on an article during one
  rebuild never leaks into the next (or into a snapshot still being served).
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
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, CachingGenerator, PagesGenerator
from pelican.settings import read_settings
from pelican.paginator import Paginator
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

    def write_file(self, name, template, context, relative_urls=False, paginated=None,  # noqa: ANN001, ANN201
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
        # One page (an article, most of the calls): what Writer.write_file does, minus the
        # rendering and the disk (sanitised_join and makedirs per page cost seconds at 20,000).
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        path = os.path.join(self.output_path, name)
        with self._open_w(path, "utf-8", override=override_output, record=True) as sink:
            sink.write(Recorded(template, localcontext))
        signals.content_written.send(path, context=localcontext)
        return None

    def _record_listing(self, name, template, context, paginated, template_name, override, url, kwargs):  # noqa: ANN001, ANN202, PLR0913
        """Writer.write_file's pagination: the same Paginators and page names, pages recorded."""
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
        listing = Listing(template, context.copy(), kwargs, paginators)
        first = next(iter(paginators.values()))
        for number in range(1, first.num_pages + 1):
            save_as = first.page(number).save_as
            path = os.path.join(self.output_path, save_as)
            with self._open_w(path, "utf-8", override=override, record=True) as sink:
                sink.write(ListingPage(listing, number, save_as))
            signals.content_written.send(path, context={"output_file": save_as, **kwargs})

    def _open_w(self, filename, encoding, override=False, record=False):  # noqa: ANN001, ANN202
        if not (self._recording or record):
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


def _memo(content: Any, attr: str) -> Any:
    """content.url / save_as, computed once per file and slug: they depend on its metadata,
    the settings and the slug (plugins/distinct_urls may add -2 when another file shares it)."""
    read = getattr(content, "_preview_read", None)
    key = "_preview_" + attr
    slug = getattr(content, "slug", None)
    memo = getattr(read, key, None) if read is not None else None
    if memo is not None and memo[0] == slug:
        return memo[1]
    value = getattr(content, attr)
    if read is not None:
        setattr(read, key, (slug, value))
    return value


def record_articles(generator: ArticlesGenerator, writer: RecordingWriter) -> None:
    """ArticlesGenerator.generate_articles for the preview: the same pages, the same
    arguments and signals, each recorded instead of rendered."""
    context = generator.context.copy()  # as Writer.write_file copies it, once for all
    for article in chain(generator.translations, generator.articles,
                         generator.hidden_translations, generator.hidden_articles):  # fmt: skip
        signals.article_generator_write_article.send(generator, content=article)
        name = _memo(article, "save_as")
        if not name:
            continue
        path = os.path.join(writer.output_path, name)
        kwargs = {"output_file": name, "article": article, "category": getattr(article, "category", None),
                  "url": _memo(article, "url"), "blog": True}  # fmt: skip
        with writer._open_w(path, "utf-8", override=hasattr(article, "override_save_as"), record=True) as sink:
            sink.write(ArticlePage(generator.get_template(article.template), context, kwargs))
        signals.content_written.send(path, context=kwargs)


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


def _fresh(content: Any, context: dict[str, Any] | None) -> Any:
    """A copy of a cached article/page that this rebuild may change freely."""
    new = copy.copy(content)
    new.metadata = dict(content.metadata)
    if context is not None:
        new._context = context
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
            content = get(filename, default)
            if content is default or content is None or _now_due(content):
                return default
            fresh = _fresh(content, generator.context)
            fresh._preview_read = content
            frozen = content.__dict__.get("_preview_frozen")
            if frozen is not None and frozen[0] == fresh.slug:
                fresh.override_url = frozen[1]
            # Pelican scans the body for {static} links at every build; the body is unchanged.
            links = content.__dict__.get("_preview_links")
            if links is None:
                links = content._preview_links = fresh.get_static_links()
            fresh.get_static_links = lambda: set(links)
            return fresh

        def cache_data(filename: str, data: Any) -> None:
            data._preview_read = _fresh(data, None)  # as read: this rebuild changes `data`
            put(filename, data._preview_read)

        generator.get_cached_data = get_cached_data
        generator.cache_data = cache_data
        generator.save_cache = lambda: None


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

    def _on_generator_init(self, generator: Any) -> None:
        if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            self.memory.attach(generator)
        if isinstance(generator, ArticlesGenerator) and not generator.settings["RELATIVE_URLS"]:
            generator.generate_articles = lambda write: record_articles(generator, self._writer)

    def rebuild(self) -> Snapshot:
        """One Pelican run (Pelican.run without deleting output, with the recording writer)."""
        started = time.perf_counter()
        if self._pelican is None:
            self._pelican = Pelican(self._settings())
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
        self._generators = generators
        self._contents = {
            c.source_path: c for g in generators for name in _CONTENT_LISTS for c in getattr(g, name, ())
        }
        for content in self._contents.values():
            read = getattr(content, "_preview_read", None)
            if read is not None and "override_url" in content.__dict__:
                # frozen_urls' value depends on the file, the settings and the slug: kept with
                # the slug it was made for (distinct_urls may give the next rebuild another one).
                read._preview_frozen = (content.slug, content.override_url)
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
        content._preview_read = _fresh(content, None)
        return content


def output_name(url_path: str) -> str:
    """The output file a URL path names: '/' → 'index.html', '/x/' → 'x/index.html'."""
    name = url_path.lstrip("/")
    if name == "" or name.endswith("/"):
        name += "index.html"
    return name


