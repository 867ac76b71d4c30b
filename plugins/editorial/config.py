"""Editorial settings: defaults, and the project's settings read without a build."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pelican.utils import slugify

ROOT = Path(__file__).resolve().parents[2]

DEFAULTS: dict[str, Any] = {
    # `invoke new`: signature when --author is not given ("" → AUTHOR).
    "EDITORIAL_AUTHOR": "",
    # Metadata an article (a page) must have.
    "EDITORIAL_REQUIRED_METADATA": ["Title", "Date", "Category", "Author", "Summary"],
    "EDITORIAL_PAGE_REQUIRED_METADATA": ["Title"],
    # Keys the theme and plugins use; anything else is reported as a likely typo.
    "EDITORIAL_KNOWN_METADATA": [
        "Title", "Date", "Modified", "Category", "Tags", "Author", "Authors", "Summary",
        "Image", "ImageAlt", "Featured", "Status", "Slug", "Template", "Lang", "Translation",
        "Imported",  # written by import-legacy: the fingerprint that tells an editor's change
    ],  # fmt: skip
    "EDITORIAL_EXTRA_METADATA": [],
    # Canonical tone-mark placement in tags and categories: "old" (hòa, thủy, Thành ủy)
    # or "new" (hoà, thuỷ, Thành uỷ).
    "EDITORIAL_TONE_STYLE": "old",
    # Length limits in characters (warnings only).
    "EDITORIAL_TITLE_MAX_LENGTH": 160,
    "EDITORIAL_SUMMARY_MAX_LENGTH": 400,
    # <iframe>/<object>/<embed>/<script> allowed only when their URL starts with one of these.
    "EDITORIAL_EMBED_ALLOWLIST": [],
    # Development preview of drafts and scheduled articles.
    "EDITORIAL_DRAFTS_PAGE": False,
    "EDITORIAL_DRAFTS_URL": "ban-nhap/",
    "EDITORIAL_DRAFTS_SAVE_AS": "ban-nhap/index.html",
    "EDITORIAL_DRAFT_BANNER": True,
    # Old portal import.
    "EDITORIAL_LEGACY_SECTIONS": {},
    "EDITORIAL_LEGACY_CHROME": ["Lượt truy cập", "Đang online", "Tổng truy cập"],
    # Per-site CSS selectors ("title", "date", "author", "summary", "body", "section",
    # "drop": a list) that win over the importer's guesses when they match.
    "EDITORIAL_LEGACY_SELECTORS": {},
    "EDITORIAL_LEGACY_OUTPUT": "content/articles",
}


def setting(settings: dict, key: str) -> Any:
    return settings.get(key, DEFAULTS[key])


def load_settings(path: Path | str | None = None) -> dict:
    """The project's settings as Pelican reads them, without building: with editorial's
    defaults and, when plugins/documents is on, its defaults (as its `initialized` fills them)."""
    from pelican.settings import read_settings  # noqa: PLC0415

    from documents import model as documents  # noqa: PLC0415

    settings = read_settings(str(path or ROOT / "pelicanconf.py"))
    plugin_defaults = documents.DEFAULTS if documents.enabled(settings) else {}
    for key, value in {**DEFAULTS, **plugin_defaults}.items():
        settings.setdefault(key, value)
    return settings


def make_slug(text: str, settings: dict) -> str:
    """The slug Pelican makes from a title with this project's substitutions."""
    subs = tuple(map(tuple, settings.get("SLUG_REGEX_SUBSTITUTIONS", [])))
    return _slugify(text, subs, settings.get("SLUGIFY_PRESERVE_CASE", False),
                    settings.get("SLUGIFY_USE_UNICODE", False))  # fmt: skip


@lru_cache(maxsize=4096)  # a whole-site check slugs every title and the same few authors
def _slugify(text: str, subs: tuple, preserve_case: bool, use_unicode: bool) -> str:
    return slugify(text, regex_subs=list(subs), preserve_case=preserve_case, use_unicode=use_unicode)


def sections(settings: dict) -> dict[str, str]:
    """Section name → slug, in menu order."""
    return dict(settings.get("SECTIONS", []))


def file_slug(slug: str, limit: int = 80) -> str:
    """A slug short enough for a file name, cut at a hyphen (the build's rule, shorter)."""
    from distinct_urls import shorten  # noqa: PLC0415

    return shorten(slug, limit)
