"""Which files under content/ may be published: images, PDF documents, and safe SVG only.

A file is published from content/ by Pelican's static generator (STATIC_PATHS, and any file an
article links with {static}/{attach}). A script, a page or a style sheet among them would be
served from the portal's own origin, where the CSP's 'self' lets it run. So everything under
content/ must be an article or page (Markdown), a TEMPLATE_PAGES source, or one of these types;
SVG (which can carry script) only when every element and attribute in it is on the list below.
`make check` and every build call `file_problems` alike.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

ALLOWED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".pdf", ".svg"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mkd", ".mdown"})

SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    "pattern", "symbol", "use", "marker", "metadata",
})  # fmt: skip
SVG_ATTRIBUTES = frozenset({
    "id", "class", "width", "height", "viewBox", "preserveAspectRatio", "version", "x", "y",
    "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "fill", "fill-opacity",
    "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "transform",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "spreadMethod", "fx", "fy", "clip-path", "clip-rule", "mask", "patternUnits", "role",
    "aria-label", "aria-hidden", "focusable", "xml:space", "lang", "href", "markerWidth",
    "markerHeight", "refX", "refY", "orient", "markerUnits", "dx", "dy", "rotate", "textLength",
})  # fmt: skip
_URL_REF = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)  # url(...) not pointing inside the file


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def svg_problem(path: Path) -> str | None:
    """Why this SVG may not be published (None: every element and attribute is allowed)."""
    try:
        data = path.read_bytes()
        if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
            return "SVG có khai báo DOCTYPE/ENTITY"
        root = ET.fromstring(data)
    except (OSError, ET.ParseError) as err:
        return f"SVG không đọc được ({err})"
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        tag = _local_name(el.tag)
        if tag not in SVG_ELEMENTS:
            return f"SVG có thẻ <{tag}> (không nằm trong danh sách cho phép)"
        for raw, value in el.attrib.items():
            name = _local_name(raw)
            if name not in SVG_ATTRIBUTES:
                return f"SVG có thuộc tính “{name}” ở thẻ <{tag}>"
            if name == "href" and not value.strip().startswith("#"):
                return f"SVG có liên kết ra ngoài “{value[:60]}”"
            if _URL_REF.search(value):
                return f"SVG tải tài nguyên ngoài qua url(…) ở thẻ <{tag}>"
    return None


def _template_sources(content_root: Path, settings: dict) -> set[Path]:
    return {(content_root / src).resolve() for src in (settings.get("TEMPLATE_PAGES") or {})}


def _markdown_folders(settings: dict) -> list[str]:
    """Folders whose Markdown files the build reads: articles, pages and documents (plugins/documents)."""
    from documents.model import enabled, setting  # noqa: PLC0415

    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
    return folders + (list(setting(settings, "DOCUMENTS_PATHS")) if enabled(settings) else [])


def _is_content_page(path: Path, content_root: Path, settings: dict) -> bool:
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        return False
    folders = [content_root / p for p in _markdown_folders(settings)]
    return any(folder == path or folder in path.parents for folder in folders)


def file_problem(path: Path, content_root: Path, settings: dict) -> str | None:
    """Why this file under content/ may not be there (None: it may)."""
    path = path.resolve()
    if _is_content_page(path, content_root, settings) or path in _template_sources(content_root, settings):
        return None
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        kinds = ", ".join(sorted(s.lstrip(".") for s in ALLOWED_SUFFIXES))
        return (f"loại tệp “{suffix or path.name}” không được đăng từ content/ (chỉ bài .md và tệp {kinds}); "
                "xóa tệp này hoặc đổi sang ảnh/PDF")  # fmt: skip
    if suffix == ".svg":
        why = svg_problem(path)
        if why:
            return f"{why}: ảnh SVG có thể chứa mã chạy trong trang; lưu lại dạng PNG/WebP"
    return None


def file_problems(content_root: Path, settings: dict) -> list[tuple[Path, str]]:
    """Every file under content_root that may not be there, with the reason (sorted)."""
    root = Path(content_root).resolve()
    # Articles and pages (nearly every file) are told apart by their folder and suffix alone:
    # resolving 20,000 paths one by one cost the preview a second on every rebuild.
    folders = tuple(os.path.join(os.path.normpath(root / p), "") for p in _markdown_folders(settings))
    found = []
    for dirpath, _dirs, names in os.walk(root):
        inside = os.path.join(dirpath, "").startswith(folders)
        for name in names:
            if inside and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
                continue
            path = Path(dirpath, name)
            if not path.is_file():
                continue
            why = file_problem(path, root, settings)
            if why:
                found.append((path, why))
    return sorted(found)
