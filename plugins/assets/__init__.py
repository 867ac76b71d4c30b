"""Fingerprinted theme assets: `{{ 'css/main.css'|asset }}` → `/theme/css/main.3f2a9c1e.css`.

Each CSS, JS and font file among the theme's static files (THEME_STATIC_PATHS, which
includes what other plugins such as hitcount add there) is also written under a name that
carries a hash of its content. The web server can then cache those names for a year
(`Cache-Control: immutable`, deploy/nginx.conf): a changed file gets a new name, and the
pages that changed with it point at it. The unhashed copies stay, for anything that links
to them directly.

The hashes are computed once per build from the theme's *source* files when the first
generator starts, so templates get the final names while pages render: built pages are
never parsed again. `url()` references inside a fingerprinted stylesheet that point at
another fingerprinted file (a font, say) are rewritten to its hashed name before the
stylesheet's own hash is taken, so the cache chain stays correct; other `url()`s are
relative and keep resolving, because the hashed copy sits beside the original.

Settings (defaults):
    ASSETS_FINGERPRINT = True          False: `|asset` returns the plain URL, nothing is copied
    ASSETS_EXTENSIONS = (".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf", ".eot")
    ASSETS_HASH_LENGTH = 8             hex digits of SHA-256 in the name
    ASSETS_MANIFEST = "theme/assets.json"   output-relative; "" for none
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from pelican import signals

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "ASSETS_FINGERPRINT": True,
    "ASSETS_EXTENSIONS": (".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf", ".eot"),
    "ASSETS_HASH_LENGTH": 8,
    "ASSETS_MANIFEST": "theme/assets.json",
}

_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")\s]+)(?P=q)\s*\)""")


class Assets:
    """The fingerprint table of one build (logical name → hashed name and bytes)."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] | None = None
        self.table: dict[str, str] | None = None  # "css/main.css" → "css/main.3f2a9c1e.css"
        self.payload: dict[str, bytes] = {}  # "css/main.3f2a9c1e.css" → bytes to write

    # --- building the table -------------------------------------------------------
    def reset(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.table = None
        self.payload = {}

    def sources(self, settings: dict[str, Any]) -> dict[str, Path]:
        """Output-relative (to THEME_STATIC_DIR) name → source file, as Pelican copies them.

        Later THEME_STATIC_PATHS entries overwrite earlier ones, as in Pelican's copy.
        """
        theme = settings["THEME"]
        found: dict[str, Path] = {}
        ignore = settings.get("IGNORE_FILES", [])
        for entry in settings.get("THEME_STATIC_PATHS", ["static"]):
            source = Path(os.path.join(theme, entry))
            if source.is_file():
                found[source.name] = source
                continue
            if not source.is_dir():
                continue
            for path in sorted(source.rglob("*")):
                rel = path.relative_to(source)
                if not path.is_file() or any(
                    any(Path(part).match(pattern) for pattern in ignore) for part in rel.parts
                ):
                    continue
                found[rel.as_posix()] = path
        return found

    def build(self, settings: dict[str, Any]) -> dict[str, str]:
        if self.table is not None and self.settings is settings:
            return self.table
        self.reset(settings)
        table: dict[str, str] = {}
        if not settings.get("ASSETS_FINGERPRINT", True):
            self.table = table
            return table
        extensions = tuple(e.lower() for e in settings.get("ASSETS_EXTENSIONS", DEFAULTS["ASSETS_EXTENSIONS"]))
        length = int(settings.get("ASSETS_HASH_LENGTH", 8))
        files = {
            name: path for name, path in self.sources(settings).items() if name.lower().endswith(extensions)
        }
        # Everything but stylesheets first: a stylesheet's bytes depend on their names.
        order = sorted(files, key=lambda n: (n.lower().endswith(".css"), n))
        for name in order:
            data = files[name].read_bytes()
            if name.lower().endswith(".css"):
                data = self._rewrite_css(name, data, table)
            digest = hashlib.sha256(data).hexdigest()[:length]
            stem, ext = posixpath.splitext(name)
            hashed = f"{stem}.{digest}{ext}"
            table[name] = hashed
            self.payload[hashed] = data
        self.table = table
        log.debug("assets: %d fingerprinted files", len(table))
        return table

    @staticmethod
    def _rewrite_css(name: str, data: bytes, table: dict[str, str]) -> bytes:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        base = posixpath.dirname(name)

        def swap(match: re.Match[str]) -> str:
            url = match.group("url")
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.I):
                return match.group(0)  # absolute, data: or fragment: not ours to change
            path, sep, rest = url.partition("?")
            if "#" in path:
                path, _, frag = path.partition("#")
                rest, sep = ("#" + frag + (sep + rest if sep else "")), ""
            target = posixpath.normpath(posixpath.join(base, path))
            if target not in table:
                return match.group(0)
            new = posixpath.relpath(table[target], base or ".")
            q = match.group("q")
            return f"url({q}{new}{sep}{rest}{q})"

        return _CSS_URL.sub(swap, text).encode("utf-8")

    # --- what templates call ------------------------------------------------------
    def url(self, name: str) -> str:
        """Absolute URL (SITEURL-based) of a theme static file, fingerprinted when it is."""
        settings = self.settings or {}
        name = name.lstrip("/")
        static_dir = settings.get("THEME_STATIC_DIR", "theme").strip("/")
        table = self.build(settings) if settings else {}
        if settings.get("ASSETS_FINGERPRINT", True) and name.lower().endswith(
            tuple(settings.get("ASSETS_EXTENSIONS", DEFAULTS["ASSETS_EXTENSIONS"]))
        ):
            if name not in table:
                log.warning("assets: %s is not a theme static file", name)
            name = table.get(name, name)
        siteurl = settings.get("SITEURL", "").rstrip("/")
        return f"{siteurl}/{static_dir}/{name}" if static_dir else f"{siteurl}/{name}"

    # --- writing ------------------------------------------------------------------
    def write(self, output_path: str) -> None:
        settings = self.settings or {}
        if not settings.get("ASSETS_FINGERPRINT", True) or not self.table:
            return
        root = Path(output_path) / settings.get("THEME_STATIC_DIR", "theme")
        for hashed, data in sorted(self.payload.items()):
            target = root / hashed
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        manifest = settings.get("ASSETS_MANIFEST", DEFAULTS["ASSETS_MANIFEST"])
        if manifest:
            target = Path(output_path) / manifest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(self.table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        log.info("assets: %d fingerprinted files in %s", len(self.payload), root)


_BUILD_KEY = "_ASSETS_BUILD"  # in pelican.settings: this build's Assets table


def _assets(settings: dict[str, Any]) -> Assets:
    """This build's table (made by `initialized`; made here if that did not run). The
    generators' `settings` is the Pelican's, so every receiver of one build finds the same."""
    return settings.setdefault(_BUILD_KEY, Assets())


def initialized(pelican: Any) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    assets = pelican.settings[_BUILD_KEY] = Assets()  # a new table for each build
    assets.reset(pelican.settings)


def generator_init(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    assets = _assets(generator.settings)
    assets.build(generator.settings)  # memoised: once per build
    env.filters["asset"] = assets.url
    env.globals["asset"] = assets.url


def finalized(pelican: Any) -> None:
    assets = _assets(pelican.settings)
    assets.build(pelican.settings)
    assets.write(pelican.output_path)


# Module functions, not one object's methods: Pelican calls register() for every Pelican it
# makes and the signals connect a receiver only once, so the state is the build's, not theirs.
def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.finalized.connect(finalized)
