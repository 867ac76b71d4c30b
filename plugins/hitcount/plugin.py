"""The Pelican half: settings with defaults, the widget's templates and script, the manifest."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup
from pelican import signals

from hitcount_service.settings import FIELDS as SERVICE_FIELDS, env_name

from .manifest import canonical_path, write_manifest

log = logging.getLogger(__name__)

# The build's settings (Pelican's): the widget and the pages. The counting service's own
# settings (store, initial total, limits…) are in hitcount_service/settings.py.
DEFAULTS: dict[str, Any] = {
    # Figures shown in the counter box, in order: any of online, total, today.
    "HITCOUNT_SHOW": ["online", "total"],
    # URL the widget calls: a path on the site, or an absolute URL on another origin.
    "HITCOUNT_ENDPOINT": "/api/hits",  # = the service's HITCOUNT_ENDPOINT (a test keeps them equal)
    # Output-relative path of the manifest of countable pages.
    "HITCOUNT_MANIFEST": "hitcount-pages.json",  # = hitcount_service.manifest.NAME (tested)
    # Seconds between heartbeats of a visible page.
    "HITCOUNT_HEARTBEAT": 60,
    # Templates whose pages count no view (they keep a visit alive): not-found, search, drafts.
    "HITCOUNT_UNCOUNTED_TEMPLATES": ["404", "search", "drafts"],
    # Output file (and URL) of the public statistics page (aggregate figures only); "" for none.
    "HITCOUNT_STATISTICS_SAVE_AS": "thong-ke-truy-cap.html",
}
FIGURES = ("online", "total", "today", "views")
# The service's settings a Pelican settings file may still carry from before: read by nobody.
SERVICE_ONLY = {env_name(name) for name in SERVICE_FIELDS} - set(DEFAULTS)


def with_defaults(settings: Any) -> dict[str, Any]:
    """HITCOUNT_* values of `settings`, defaults filled in."""
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}

# In pelican.settings, so in every page's context too (Pelican's context is a copy of the
# settings): this build's ManifestBuilder, which each receiver finds through what it is sent.
_BUILD_KEY = "_HITCOUNT_BUILD"

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def initialized(pelican: Any) -> None:
    settings = pelican.settings
    for key in sorted(SERVICE_ONLY & set(settings)):
        log.warning("hitcount: %s is a setting of the counter service, which does not read the site's "
                    "settings: set it in deploy/hitcount.toml (or its environment) instead", key)
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    # An absolute path in THEME_STATIC_PATHS is copied as is: js/ and css/ land in output/theme/.
    static_paths = list(settings.get("THEME_STATIC_PATHS", ["static"]))
    if str(STATIC) not in static_paths:
        settings["THEME_STATIC_PATHS"] = [*static_paths, str(STATIC)]
    # The statistics page is a direct template of ours (templates/statistics.html).
    statistics = settings["HITCOUNT_STATISTICS_SAVE_AS"]
    if statistics and "statistics" not in settings.get("DIRECT_TEMPLATES", ()):
        settings["DIRECT_TEMPLATES"] = [*settings.get("DIRECT_TEMPLATES", ()), "statistics"]
        settings["STATISTICS_SAVE_AS"] = settings["STATISTICS_URL"] = statistics
    settings[_BUILD_KEY] = ManifestBuilder(settings)  # a new manifest for each build


def generator_init(generator: Any) -> None:
    """Add our templates after the theme's, so a theme can still override hitcount/*.html."""
    loader = getattr(getattr(generator, "env", None), "loader", None)
    if isinstance(loader, ChoiceLoader):
        if not any(getattr(sub, "searchpath", None) == [str(TEMPLATES)] for sub in loader.loaders):
            loader.loaders.append(FileSystemLoader(str(TEMPLATES)))


class ManifestBuilder:
    """One build's manifest: the pages written, which of them count, and the articles' titles."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings  # the build's (every plugin has set its own by the first page)
        self.counted: set[str] = set()
        self.quiet: set[str] = set()  # known pages that keep a visit alive but count no view
        self.titles: dict[str, dict[str, str]] = {}
        self._uncounted_pages: tuple[set[str], set[str]] | None = None

    def add(self, context: dict[str, Any]) -> None:
        """A page written, from the local context Pelican's writer sends with `content_written`."""
        name = context.get("output_file")
        if not name or not str(name).endswith(".html"):
            return
        article = context.get("article")
        if article is not None and getattr(article, "status", None) == "draft":
            return  # drafts are not the site's pages (and must not leak through the manifest)
        page = "/" + str(name).replace("\\", "/").lstrip("/")
        if self._uncounted(str(name), context.get("page_name")):
            self.quiet.add(page)
            return
        self.counted.add(page)
        if article is not None and context.get("template_name", "article") == "article":
            self.titles[canonical_path(page)] = {
                "title": plain_title(article.title),
                "section": str(getattr(article, "category", "") or ""),
            }

    def _uncounted(self, name: str, page_name: str | None) -> bool:
        """A page of HITCOUNT_UNCOUNTED_TEMPLATES: Pelican does not pass the template's name to
        content_written, so a direct template is known by its file (SEARCH_SAVE_AS…), the
        drafts page by the page_name it is written with. The names come from the build's
        settings, not the page's context: the preview sends a shortened one."""
        if self._uncounted_pages is None:  # once a build: this runs for every page (31,000 at 20,000)
            key = "HITCOUNT_UNCOUNTED_TEMPLATES"
            templates = set(self.settings.get(key, DEFAULTS[key]))
            files = {self.settings.get(f"{t.upper()}_SAVE_AS", f"{t}.html") for t in templates}
            self._uncounted_pages = (files, templates)
        files, templates = self._uncounted_pages
        return name in files or page_name in templates

    def write(self, pelican: Any) -> None:
        settings = with_defaults(pelican.settings)
        if not self.counted:
            log.warning("hitcount: no HTML page written; the manifest is empty")
        target = Path(pelican.output_path) / settings["HITCOUNT_MANIFEST"]
        write_manifest(target, self.counted, quiet=self.quiet, titles=self.titles)
        log.info("hitcount: %d countable pages in %s", len(self.counted), target)


@functools.lru_cache(maxsize=65536)  # the preview asks again for every article at each rebuild
def plain_title(title: str) -> str:
    """The sanitised HTML title, as text."""
    return Markup(title).striptags()


def content_written(path: str, context: dict[str, Any] | None = None) -> None:
    """content_written: the page's context carries its build's manifest."""
    builder = (context or {}).get(_BUILD_KEY)
    if builder is not None:  # else not a page of a build this plugin set up
        builder.add(context)


def finalized(pelican: Any) -> None:
    pelican.settings.setdefault(_BUILD_KEY, ManifestBuilder(pelican.settings)).write(pelican)


# Module functions, not one object's methods: Pelican calls register() for every Pelican it
# makes and the signals connect a receiver only once, so the state is the build's, not theirs.
def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.content_written.connect(content_written)
    signals.finalized.connect(finalized)
