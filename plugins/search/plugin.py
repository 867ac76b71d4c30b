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

Settings (defaults in DEFAULTS): SEARCH_ENABLED, SEARCH_BUNDLE_DIR,
SEARCH_LANGUAGE, SEARCH_DEFAULT_UI, SEARCH_STATS_FILE (where the build writes its
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
from .stats import bundle_stats

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_BUNDLE_DIR": "pagefind",  # relative to the output directory
    "SEARCH_STATS_FILE": None,  # e.g. bench/.work/search-stats.json
    "SEARCH_LANGUAGE": "vi",
    "SEARCH_DEFAULT_UI": False,  # keep Pagefind's stock UI files (unused by search.js)
}
UI_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)  # fmt: skip

# Articles collected per build (a build is one Pelican process; `make serve`
# rebuilds in a fresh process each time).
_ARTICLES: list = []


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


def collect(generator) -> None:
    """article_generator_finalized: remember what is published in this build."""
    _ARTICLES.clear()
    for article in generator.articles:
        _ARTICLES.append(article)
        _ARTICLES.extend(getattr(article, "translations", []) or [])


def pagefind_command(site: Path, bundle: Path, language: str) -> list[str]:
    """The Pagefind binary shipped by the pagefind_bin wheel (`pagefind[bin]`)."""
    from pagefind_bin import get_executable  # noqa: PLC0415

    return [
        str(get_executable()), "--site", str(site), "--output-path", str(bundle),
        "--force-language", language, "--quiet",
    ]  # fmt: skip


def build_index(pelican) -> dict | None:
    """finalized: write the Pagefind bundle into the output directory.

    The pages to index are copied, with their filter/metadata block, into a
    staging folder laid out like the site, so Pagefind computes the same URLs and
    sees nothing else (no drafts, listings or static pages). Pagefind's CLI is
    used, not its Python API: the API's service answers one file per 0.1 s poll.
    """
    settings = pelican.settings
    if not _setting(settings, "SEARCH_ENABLED"):
        _ARTICLES.clear()
        return None
    output = Path(pelican.output_path)
    bundle = output / _setting(settings, "SEARCH_BUNDLE_DIR")
    started = time.perf_counter()
    count = 0
    with tempfile.TemporaryDirectory(prefix="pagefind-") as staging:
        for article in _ARTICLES:
            path = output / article.save_as if article.save_as else None
            if path is None or not path.is_file():
                continue
            html = path.read_text(encoding="utf-8")
            target = Path(staging) / article.save_as
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(with_index_block(html, index_block(article)), encoding="utf-8")
            count += 1
        if bundle.exists():
            shutil.rmtree(bundle)
        proc = subprocess.run(
            pagefind_command(Path(staging), bundle.resolve(), _setting(settings, "SEARCH_LANGUAGE")),
            capture_output=True, text=True,
        )  # fmt: skip
    _ARTICLES.clear()
    if not _setting(settings, "SEARCH_DEFAULT_UI"):
        for name in UI_FILES:  # search.js talks to pagefind.js; the stock UIs go unused
            (bundle / name).unlink(missing_ok=True)
    if proc.returncode:
        log.error("Search: Pagefind failed (exit %d):\n%s", proc.returncode, proc.stdout + proc.stderr)
        raise RuntimeError("Pagefind indexing failed")
    log.debug("Pagefind: %s", proc.stdout + proc.stderr)
    if not canonicalise(bundle):
        log.info("Search: bundle left as Pagefind wrote it (its format was not recognised)")
    seconds = time.perf_counter() - started
    stats = {"pages": count, "seconds": round(seconds, 3), **bundle_stats(bundle)}
    log.info(
        "Search: %d articles indexed in %.2f s; index %.0f KB in %d files; "
        "a one-word query downloads about %.0f KB",
        stats["pages"], seconds, stats["bundle_bytes"] / 1024, stats["bundle_files"],
        stats["query_bytes"] / 1024,
    )  # fmt: skip
    stats_file = _setting(settings, "SEARCH_STATS_FILE") or os.environ.get("SEARCH_STATS_FILE")
    if stats_file:
        Path(stats_file).parent.mkdir(parents=True, exist_ok=True)
        Path(stats_file).write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def register() -> None:
    signals.article_generator_finalized.connect(collect)
    signals.finalized.connect(build_index)
