"""The Pelican half: settings with defaults, the widget's templates and script, the manifest."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican import signals

from .manifest import write_manifest
from .settings import DEFAULTS, PUBLIC_SETTINGS, with_defaults

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# Output-relative names of the HTML pages written in the current build.
_written: set[str] = set()


def initialized(pelican: Any) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    # An absolute path in THEME_STATIC_PATHS is copied as is: js/ and css/ land in output/theme/.
    static_paths = list(settings.get("THEME_STATIC_PATHS", ["static"]))
    if str(STATIC) not in static_paths:
        settings["THEME_STATIC_PATHS"] = [*static_paths, str(STATIC)]


def generator_init(generator: Any) -> None:
    """Add our templates after the theme's, so a theme can still override hitcount/*.html."""
    loader = getattr(getattr(generator, "env", None), "loader", None)
    if isinstance(loader, ChoiceLoader):
        if not any(getattr(sub, "searchpath", None) == [str(TEMPLATES)] for sub in loader.loaders):
            loader.loaders.append(FileSystemLoader(str(TEMPLATES)))


def reset(*_: Any) -> None:
    _written.clear()


def content_written(path: str, context: dict[str, Any] | None = None) -> None:
    context = context or {}
    name = context.get("output_file")
    if not name or not str(name).endswith(".html"):
        return
    article = context.get("article")
    if article is not None and getattr(article, "status", None) == "draft":
        return  # drafts are not the site's pages (and must not leak through the manifest)
    _written.add("/" + str(name).replace("\\", "/").lstrip("/"))


def finalized(pelican: Any) -> None:
    settings = with_defaults(pelican.settings)
    if not _written:
        log.warning("hitcount: no HTML page written; the manifest is empty")
    public = {key: settings[key] for key in PUBLIC_SETTINGS}
    target = Path(pelican.output_path) / settings["HITCOUNT_MANIFEST"]
    write_manifest(target, _written, public)
    log.info("hitcount: %d countable pages in %s", len(_written), target)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.all_generators_finalized.connect(reset)
    signals.content_written.connect(content_written)
    signals.finalized.connect(finalized)
