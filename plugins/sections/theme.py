"""What the theme shows beside the sections: the weekly schedules and the banner image."""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from pathlib import Path

log = logging.getLogger(__name__)


class BannerError(ValueError):
    """BANNER_IMAGE names a file that is neither in the content nor in the theme."""


def _fold(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", str(text))).replace("\xa0", " ")
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def is_schedule(article, section: str, prefixes: list[str], tags: list[str]) -> bool:
    """A work schedule ("Lịch làm việc tuần 45…") of `section`: by its title or its tags."""
    if getattr(article.category, "name", None) != section:
        return False
    title = _fold(article.title)
    if any(title.startswith(_fold(p)) for p in prefixes):
        return True
    wanted = {_fold(t) for t in tags}
    return any(_fold(t.name) in wanted for t in getattr(article, "tags", None) or ())


def _svg_size(path: Path) -> tuple[int, int] | None:
    head = path.read_text("utf-8", errors="replace")[:4000]
    root = re.search(r"<svg\b[^>]*>", head, re.S)
    if not root:
        return None
    attrs = dict(re.findall(r'\b(width|height|viewBox)\s*=\s*"([^"]*)"', root.group(0)))
    try:
        if "width" in attrs and "height" in attrs:
            return round(float(re.sub(r"px$", "", attrs["width"]))), round(float(re.sub(r"px$", "", attrs["height"])))
        if "viewBox" in attrs:
            _, _, w, h = (float(v) for v in attrs["viewBox"].replace(",", " ").split())
            return round(w), round(h)
    except ValueError:
        return None
    return None


def banner(settings: dict) -> dict | None:
    """BANNER_IMAGE → {"url", "width", "height"} for the header, or None (typographic banner).

    The value is the file's path in the published site: a file of the content
    ("images/banner.jpg", under a STATIC_PATHS folder) or of the theme
    ("theme/banner.png" for theme/static/banner.png, THEME_STATIC_DIR being "theme").
    Its size goes into width/height so that nothing moves while it loads. A file that
    is in neither place stops the build, naming it.
    """
    value = (settings.get("BANNER_IMAGE") or "").strip().lstrip("/")
    if not value:
        return None
    candidates = [Path(settings["PATH"]) / value]
    static_dir = (settings.get("THEME_STATIC_DIR") or "theme").strip("/") + "/"
    if value.startswith(static_dir) and settings.get("THEME"):
        candidates.append(Path(settings["THEME"]) / "static" / value[len(static_dir):])
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        message = f"BANNER_IMAGE “{value}”: không có tệp này trong {' hay '.join(str(c) for c in candidates)}"
        log.error(message)
        raise BannerError(message)
    size = _svg_size(path) if path.suffix.lower() == ".svg" else None
    if size is None and path.suffix.lower() != ".svg":
        from PIL import Image  # noqa: PLC0415

        with Image.open(path) as image:
            size = image.size
    width, height = size or (None, None)
    return {"url": value, "width": width, "height": height}
