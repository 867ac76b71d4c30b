"""The document pages in the site search, without touching plugins/search.

plugins/search indexes the article pages into its bundle(s) under pagefind/, and the search
page (search.js) merges every bundle named in the context list SEARCH_MERGED_BUNDLES into the
first (Pagefind's mergeIndex). This module adds one bundle of its own for the published
document pages, DOCUMENTS_SEARCH_BUNDLE (`pagefind-van-ban/`), built at `finalized` with the
same Pagefind binary, the same reduced page (search.plugin.index_document) and the same
reproducible file names (search.canonical), and names it in SEARCH_MERGED_BUNDLES.

Each page carries what search.js shows and filters by: the section filter "Văn bản"
(DOCUMENTS_SEARCH_SECTION), the year of issue, the date, and the trích yếu as the summary.
Pagefind finds an exact number as typed ("57-NQ/TW", "57-nq/tw", "57nqtw" all match the page:
it indexes "57-NQ/TW" whole and in parts); the number's cell also carries a copy with "Đ"
written "D" (data-pagefind-index-attrs), since Pagefind does not fold "đ" ("123/QD-UBND").

Nothing happens when the search plugin is not loaded, SEARCH_ENABLED is off (the preview), or
DOCUMENTS_SEARCH_BUNDLE is "". A warm build (plugins/incremental) keeps an intact bundle.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path
from typing import Any

from .model import setting

log = logging.getLogger(__name__)


def _enabled(settings: dict) -> bool:
    return ("search" in (settings.get("PLUGINS") or ()) and settings.get("SEARCH_ENABLED", True)
            and bool(setting(settings, "DOCUMENTS_SEARCH_BUNDLE")))  # fmt: skip


def index_block(doc: Any, section: str) -> str:
    """Hidden filters and metadata for Pagefind (the same keys plugins/search gives articles)."""
    date = doc.date
    summary = doc.text_title
    parts = [
        f'<span data-pagefind-filter="section">{escape(section)}</span>',
        f'<span data-pagefind-filter="year">{date.year}</span>',
        f'<span data-pagefind-meta="date:{date.strftime("%Y-%m-%d")}"></span>',
        f'<span data-pagefind-sort="date:{date.strftime("%Y-%m-%dT%H:%M")}"></span>',
        f'<span data-pagefind-meta="section">{escape(section)} · {escape(doc.type.name)}</span>',
        f'<span data-pagefind-meta="summary">{escape(summary)}</span>',
    ]
    return "<div hidden data-pagefind-ignore>" + "".join(parts) + "</div>"


class DocumentsIndex:
    """One build's published documents, indexed at `finalized`."""

    def __init__(self) -> None:
        self.documents: list[Any] = []

    def collect(self, generator: Any) -> None:
        """From the generator's generate_context: the pages to index, and the bundle named for
        the search page (rendered later, by the articles generator's generate_output)."""
        self.documents = list(generator.documents)
        settings = generator.settings
        if not self.documents or not _enabled(settings):
            return
        bundle = setting(settings, "DOCUMENTS_SEARCH_BUNDLE").strip("/") + "/"
        merged = list(generator.context.get("SEARCH_MERGED_BUNDLES") or [])
        if bundle not in merged:
            generator.context["SEARCH_MERGED_BUNDLES"] = [*merged, bundle]

    def write(self, pelican: Any) -> None:
        """finalized: the bundle."""
        settings = pelican.settings
        documents, self.documents = self.documents, []
        output = Path(pelican.output_path)
        name = setting(settings, "DOCUMENTS_SEARCH_BUNDLE").strip("/")
        bundle = output / name if name else None
        if bundle is None or not _enabled(settings) or not documents:
            return
        incremental = getattr(pelican, "incremental_state", None)  # plugins/incremental, if loaded
        if incremental is not None and incremental.warm and incremental.intact_tree(str(bundle)):
            log.info("Search: documents unchanged; their index is kept")
            return
        from search.canonical import canonicalise  # noqa: PLC0415
        from search.plugin import UI_FILES, index_document, pagefind_command  # noqa: PLC0415

        if bundle.exists():
            shutil.rmtree(bundle)
        section = setting(settings, "DOCUMENTS_SEARCH_SECTION")
        with tempfile.TemporaryDirectory(prefix="pagefind-van-ban-") as staging:
            count = 0
            for doc in documents:
                page = output / doc.save_as
                if not page.is_file():
                    continue
                target = Path(staging, doc.save_as)
                target.parent.mkdir(parents=True, exist_ok=True)
                html = page.read_text(encoding="utf-8")
                target.write_text(index_document(html, index_block(doc, section)), encoding="utf-8")
                count += 1
            command = pagefind_command(Path(staging), bundle.resolve(), settings.get("SEARCH_LANGUAGE", "vi"))
            done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            log.error("Search: Pagefind failed on the documents (exit %d):\n%s", done.returncode,
                      done.stdout + done.stderr)  # fmt: skip
            return
        canonicalise(bundle)
        for ui in UI_FILES:
            for found in bundle.rglob(ui):
                found.unlink()
        log.info("Search: %d documents indexed in %s", count, bundle)


_BUILD_KEY = "_DOCUMENTS_SEARCH_BUILD"  # in pelican.settings: this build's DocumentsIndex


def documents_index(settings: dict) -> DocumentsIndex:
    """This build's index (made by `initialized`; made here if that did not run). The
    generators' `settings` is the Pelican's, so the generator and `finalized` find the same."""
    return settings.setdefault(_BUILD_KEY, DocumentsIndex())


def start_index(pelican: Any) -> None:
    """initialized: a new build, nothing to index yet."""
    pelican.settings[_BUILD_KEY] = DocumentsIndex()


def write_index(pelican: Any) -> None:
    documents_index(pelican.settings).write(pelican)
