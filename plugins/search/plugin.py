"""Pagefind indexing inside Pelican, so every build path gets a fresh index.

`make build`, `make publish`, the rebuilds of `make serve` and the tests' builds
all run Pelican; the `finalized` signal runs after every page is written, so the
index is built there from the written article pages (never from drafts, static
pages or listings: only published articles and their translations are sent).

Pagefind reads the `data-pagefind-body` element of each page. The section and
year filters and the date and summary shown in results come from Pelican's own
article objects: a small hidden block with `data-pagefind-filter` and
`data-pagefind-meta` is appended to the copy of the page handed to Pagefind
(the file on disk is not touched), so the theme need not carry them.

That copy has every "đ" written "d" (fold.py: Pagefind folds tone marks but not đ), with
the masks that let search.js show the đ again, and the article's proper nouns
(index_document; plugins/documents uses it for its pages too).

Settings (defaults in DEFAULTS): SEARCH_ENABLED, SEARCH_BUNDLE_DIR,
SEARCH_LANGUAGE, SEARCH_DEFAULT_UI, SEARCH_SHARD_SIZE, SEARCH_STATS_FILE (where the build writes its
index figures as JSON; the SEARCH_STATS_FILE environment variable works too, as
bench/build uses it; otherwise they are only logged, at INFO: `pelican -v`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from html import escape, unescape
from pathlib import Path

from pelican import signals

from .canonical import canonicalise
from .fold import fold_document
from .stats import bundle_stats

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_BUNDLE_DIR": "pagefind",  # relative to the output directory
    "SEARCH_STATS_FILE": None,  # e.g. bench/.work/search-stats.json
    "SEARCH_LANGUAGE": "vi",
    "SEARCH_DEFAULT_UI": False,  # keep Pagefind's stock UI files (unused by search.js)
    "SEARCH_SHARD_SIZE": 2500,  # articles per Pagefind run and bundle (its memory: ~0.6 GB)
}
UI_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)  # fmt: skip

_BUILD_KEY = "_SEARCH_BUILD"  # in pelican.settings: this build's SearchBuild


class SearchBuild:
    """One build's articles to index: collected from the articles generator, indexed at
    `finalized`. Kept in the build's settings (the generators' `settings` is the Pelican's),
    so two builds in one process (the preview, the tests) never share it."""

    def __init__(self) -> None:
        self.articles: list = []


def _build(settings: dict) -> SearchBuild:
    """This build's SearchBuild (made by `initialized`; made here if that did not run)."""
    return settings.setdefault(_BUILD_KEY, SearchBuild())


def _setting(settings: dict, key: str):
    return settings.get(key, DEFAULTS[key])


def _plain(html: str) -> str:
    """Summary text for the result list: tags and no-break spaces removed."""
    text = unescape(re.sub(r"<[^>]+>", "", html or "")).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def index_block(article) -> str:
    """Hidden filters and metadata for Pagefind, from the article object."""
    section = article.category.name
    summary = _plain(str(getattr(article, "summary", "") or ""))
    date = article.date
    parts = [
        f'<span data-pagefind-filter="section">{escape(section)}</span>',
        f'<span data-pagefind-filter="year">{date.year}</span>',
        f'<span data-pagefind-meta="date:{date.strftime("%Y-%m-%d")}"></span>',
        f'<span data-pagefind-sort="date:{date.strftime("%Y-%m-%dT%H:%M")}"></span>',
        f'<span data-pagefind-meta="section">{escape(section)}</span>',
    ]
    if summary:
        parts.append(f'<span data-pagefind-meta="summary">{escape(summary)}</span>')
    return '<div hidden data-pagefind-ignore>' + "".join(parts) + "</div>"


def with_index_block(html: str, block: str) -> str:
    at = html.rfind("</body>")
    return html[:at] + block + html[at:] if at >= 0 else html + block


def initialized(pelican) -> None:
    """A new build: nothing collected yet."""
    pelican.settings[_BUILD_KEY] = SearchBuild()


def collect(generator) -> None:
    """article_generator_finalized: remember what is published, and which bundles it needs."""
    articles = _build(generator.settings).articles = []
    for article in generator.articles:
        articles.append(article)
        articles.extend(getattr(article, "translations", []) or [])
    # The search page (rendered next) names every bundle search.js merges into the first.
    shards = shard(articles, _setting(generator.settings, "SEARCH_SHARD_SIZE"))
    bundle_dir = _setting(generator.settings, "SEARCH_BUNDLE_DIR")
    generator.context["SEARCH_MERGED_BUNDLES"] = [
        f"{bundle_dir}/{name}/" for name in shard_names(len(shards))[1:]
    ]


def shard(articles: list, size: int) -> list[list]:
    """Articles in fixed-size groups, oldest first, the newest (partial) group first in the list.

    Pagefind holds its whole index in memory (about 200 KB a page, measured at 20,000 pages:
    4 GB), so a big archive is indexed in groups, one Pagefind run each, and search.js merges
    them (Pagefind's mergeIndex). Oldest-first groups: a new article changes only the newest.
    """
    ordered = sorted(articles, key=lambda a: (a.date, a.source_path, getattr(a, "lang", "")))
    groups = [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]
    return groups[::-1]


def shard_names(count: int) -> list[str]:
    """Bundle folders under SEARCH_BUNDLE_DIR: "" for the newest (pagefind.js lives there)."""
    return ["", *(f"luu-{i}" for i in range(count - 1, 0, -1))]


_DIV = re.compile(r"<(/?)div\b")


def index_document(html: str, block: str) -> str:
    """What Pagefind reads of a page: reduce_document() with "đ" written "d", the masks that
    give the đ back and the proper nouns (fold.fold_document). plugins/documents indexes its
    pages through it too, so a folded query finds them and they show with their đ."""
    return fold_document(reduce_document(html, block))


def reduce_document(html: str, block: str) -> str:
    """What Pagefind needs of an article page: <html lang>, <title>, and from the <h1> (its
    default title; the first image after it is its default image) to the end of the
    data-pagefind-body element, plus the filter/metadata block. Parsing only this (not the
    header, menus and lists around it) halves Pagefind's time; the index is the same
    (tests/test_search_units.py). The whole page when its shape is not the expected one.
    """
    at = html.find("data-pagefind-body")
    start = html.rfind("<", 0, at)
    if at < 0 or not html.startswith("<div", start):
        return with_index_block(html, block)
    depth, end = 0, -1
    for match in _DIV.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = html.find(">", match.end()) + 1
            break
    head_end = html.find("</head>")
    h1 = html.find("<h1")
    if end <= 0 or head_end < 0 or not 0 <= h1 < start:
        return with_index_block(html, block)
    lang = re.match(r"\s*<!DOCTYPE html>\s*(<html[^>]*>)", html, re.I)
    title = re.search(r"<title>.*?</title>", html[:head_end], re.S)
    return "".join((
        "<!DOCTYPE html>", lang.group(1) if lang else "<html>",
        "<head>", title.group(0) if title else "", "</head><body>",
        html[h1:end], block, "</body></html>",
    ))  # fmt: skip


def pagefind_command(site: Path, bundle: Path, language: str) -> list[str]:
    """The Pagefind binary shipped by the pagefind_bin wheel (`pagefind[bin]`)."""
    from pagefind_bin import get_executable  # noqa: PLC0415

    return [
        str(get_executable()), "--site", str(site), "--output-path", str(bundle),
        "--force-language", language, "--quiet",
    ]  # fmt: skip


def _stage(articles: list, output: Path, staging: Path) -> int:
    """Write the index documents of these articles' pages under staging/; the count."""
    count = 0
    for article in articles:
        path = output / article.save_as if article.save_as else None
        if path is None or not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        target = staging / article.save_as
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(index_document(html, index_block(article)), encoding="utf-8")
        count += 1
    return count


class _Run:
    """One Pagefind process on one staging folder, started now, finished by finish()."""

    def __init__(self, staging: tempfile.TemporaryDirectory, bundle: Path, language: str) -> None:
        self.staging, self.bundle = staging, bundle
        self.proc = subprocess.Popen(pagefind_command(Path(staging.name), bundle.resolve(), language),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip

    def finish(self) -> None:
        out, _ = self.proc.communicate()
        self.staging.cleanup()
        if self.proc.returncode:
            log.error("Search: Pagefind failed (exit %d):\n%s", self.proc.returncode, out)
            raise RuntimeError("Pagefind indexing failed")
        log.debug("Pagefind: %s", out)
        if not canonicalise(self.bundle):
            log.info("Search: bundle %s left as Pagefind wrote it (its format was not recognised)", self.bundle)


def _index_shards(shards: list[list], output: Path, bundle: Path, language: str) -> int:
    """Each group indexed by its own Pagefind run. The next group's documents are written
    while Pagefind indexes the previous one (two cores busy), but only one Pagefind runs at
    a time, so the memory peak is one group's."""
    count, running = 0, None
    try:
        for name, articles in zip(shard_names(len(shards)), shards):
            staging = tempfile.TemporaryDirectory(prefix="pagefind-")
            count += _stage(articles, output, Path(staging.name))
            if running is not None:
                running.finish()
            running = _Run(staging, bundle / name, language)
        if running is not None:
            running.finish()
            running = None
    finally:
        if running is not None:  # an error while staging: do not leave Pagefind behind
            running.proc.kill()
            running.proc.wait()
            running.staging.cleanup()
    return count


def build_index(pelican) -> dict | None:
    """finalized: write the Pagefind bundle(s) into the output directory.

    The pages to index are copied, reduced to what Pagefind reads (index_document) and
    with their filter/metadata block, into a staging folder laid out like the site, so
    Pagefind computes the same URLs and sees nothing else (no drafts, listings or static
    pages). Pagefind's CLI is used, not its Python API: the API's service answers one file
    per 0.1 s poll. A warm build (plugins/incremental: nothing changed) keeps the bundles.
    """
    settings = pelican.settings
    build = _build(settings)
    articles, build.articles = build.articles, []  # not kept alive after the build
    if not _setting(settings, "SEARCH_ENABLED"):
        return None
    output = Path(pelican.output_path)
    bundle = output / _setting(settings, "SEARCH_BUNDLE_DIR")
    incremental = getattr(pelican, "incremental_state", None)  # plugins/incremental, if loaded
    if incremental is not None and incremental.warm and incremental.intact_tree(str(bundle)):
        log.info("Search: nothing changed since the last build; the index is kept")
        return None
    started = time.perf_counter()
    if bundle.exists():
        shutil.rmtree(bundle)
    shards = shard(articles, _setting(settings, "SEARCH_SHARD_SIZE"))
    count = _index_shards(shards, output, bundle, _setting(settings, "SEARCH_LANGUAGE"))
    if not _setting(settings, "SEARCH_DEFAULT_UI"):
        for ui in UI_FILES:  # search.js talks to pagefind.js; the stock UIs go unused
            for found in bundle.rglob(ui):
                found.unlink()
    seconds = time.perf_counter() - started
    stats = {"pages": count, "seconds": round(seconds, 3), "bundles": len(shards), **bundle_stats(bundle)}
    log.info(
        "Search: %d articles indexed in %.2f s (%d bundle(s)); index %.0f KB in %d files; "
        "a one-word query downloads about %.0f KB",
        stats["pages"], seconds, stats["bundles"], stats["bundle_bytes"] / 1024, stats["bundle_files"],
        stats["query_bytes"] / 1024,
    )  # fmt: skip
    stats_file = _setting(settings, "SEARCH_STATS_FILE") or os.environ.get("SEARCH_STATS_FILE")
    if stats_file:
        Path(stats_file).parent.mkdir(parents=True, exist_ok=True)
        Path(stats_file).write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def register() -> None:
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(collect)
    signals.finalized.connect(build_index)
