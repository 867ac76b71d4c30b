"""Responsive images for articles and pages, generated at build time with Pillow.

After reading (article/page_generator_finalized), for each article:

* its `Image` metadata gets derivatives and `article.image_variants` (a Derived:
  src, srcset, webp_srcset, width, height, largest) plus `article.image_sizes`
  (the `sizes` attribute); templates render it with the `picture` filter
  (`{{ article|picture("article__image", lazy=False) }}`). `article.og_image` is
  the site-relative path of the widest raster derivative (Open Graph wants JPEG
  or PNG; an SVG stays itself), for `{{ origin }}/{{ article.og_image }}`;
* every `<img>` of the body with a local source is rewritten into
  `<figure><picture><source type="image/webp" srcset sizes><img src srcset sizes
  width height alt loading decoding></picture><figcaption>…</figcaption></figure>`
  (an image alone in its paragraph; an image inside running text keeps its place
  and gets the <picture> without a caption). The caption is the title, else the
  alt text. The first body image of an article without an `Image` is the lead and
  is not lazy; every other body image is `loading="lazy"`.

SVG sources pass through untouched but get width/height from their size or viewBox.
Only the bodies are rewritten, once per build; built pages are never re-parsed.

Settings (defaults in DEFAULTS): IMAGES_ENABLED, IMAGES_WIDTHS, IMAGES_OUTPUT_DIR,
IMAGES_CACHE_DIR (relative to the working directory, the repository root for
every task; the IMAGES_CACHE_DIR environment variable overrides it),
IMAGES_SIZES, IMAGES_JPEG_QUALITY, IMAGES_WEBP_QUALITY.
"""

from __future__ import annotations

import logging
import os
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from pelican import signals

from .derivatives import Derived, Deriver

log = logging.getLogger(__name__)

DEFAULTS = {
    "IMAGES_ENABLED": True,
    "IMAGES_WIDTHS": [480, 800, 1200],
    "IMAGES_OUTPUT_DIR": "images/co",  # "cỡ": sizes; under output/
    "IMAGES_CACHE_DIR": ".cache/images",
    # The article column is at most 42rem wide (--measure), the page padding 1rem.
    "IMAGES_SIZES": "(min-width: 44rem) 42rem, calc(100vw - 2rem)",
    "IMAGES_JPEG_QUALITY": 80,
    "IMAGES_WEBP_QUALITY": 78,
}

_STATIC_MARK = re.compile(r"^(\{static\}|\{attach\}|\{filename\}|\|static\||\|attach\||\|filename\|)")


def _setting(settings: dict, key: str):
    return settings.get(key, DEFAULTS[key])


def source_path(src: str, content_root: Path, source_file: str | None, siteurl: str) -> Path | None:
    """The file under the content folder an image URL points to, or None if not local."""
    src = unescape(src.strip())
    marked = _STATIC_MARK.match(src)
    if marked:
        src = src[marked.end():]
    elif siteurl and src.startswith(siteurl.rstrip("/") + "/"):
        src = src[len(siteurl.rstrip("/")):]
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    candidates = []
    if path.startswith("/"):
        candidates.append(content_root / path.lstrip("/"))
    else:
        if source_file:
            candidates.append(Path(source_file).parent / path)
        candidates.append(content_root / path)
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        if resolved.is_file() and resolved.is_relative_to(content_root.resolve()):
            return resolved
    return None


def picture_html(d: Derived, alt: str, sizes: str, lazy: bool, css_class: str = "",
                 original_src: str = "") -> str:  # fmt: skip
    """<picture> (or a bare <img> for SVG and other pass-through images)."""
    attrs = [
        f'src="{escape(d.src or original_src)}"',
        f'alt="{escape(alt)}"',
        f'width="{d.width}"',
        f'height="{d.height}"',
    ]
    if d.variants:
        attrs.insert(1, f'srcset="{escape(d.srcset)}"')
        attrs.insert(2, f'sizes="{escape(sizes)}"')
    if lazy:
        attrs.append('loading="lazy"')
    attrs.append('decoding="async"')
    if css_class:
        attrs.insert(0, f'class="{escape(css_class)}"')
    img = "<img " + " ".join(attrs) + ">"
    if not d.webp:
        return img
    source = f'<source type="image/webp" srcset="{escape(d.webp_srcset)}" sizes="{escape(sizes)}">'
    return f"<picture>{source}{img}</picture>"


def figure_html(picture: str, caption: str) -> str:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="figure">{picture}{cap}</figure>'


class Processor:
    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.content_root = Path(settings["PATH"])
        cache = os.environ.get("IMAGES_CACHE_DIR") or _setting(settings, "IMAGES_CACHE_DIR")
        self.deriver = Deriver(
            output=Path(settings["OUTPUT_PATH"]),
            cache=Path(cache).resolve(),
            out_dir=_setting(settings, "IMAGES_OUTPUT_DIR"),
            siteurl=settings.get("SITEURL", ""),
            widths=list(_setting(settings, "IMAGES_WIDTHS")),
            quality=_setting(settings, "IMAGES_JPEG_QUALITY"),
            webp_quality=_setting(settings, "IMAGES_WEBP_QUALITY"),
        )
        self.sizes = _setting(settings, "IMAGES_SIZES")
        self.siteurl = settings.get("SITEURL", "")

    def _local(self, src: str, content) -> Path | None:
        return source_path(src, self.content_root, content.source_path, self.siteurl)

    def lead_image(self, content) -> None:
        image = content.metadata.get("image")
        content.image_variants = None
        content.image_sizes = self.sizes
        content.og_image = None
        if not image:
            return
        path = self._local(str(image), content)
        derived = self.deriver.derive(path) if path else None
        if derived is None:
            return
        if not derived.src:  # SVG or pass-through: the original file, as Pelican copies it
            derived.src = f"{self.siteurl}/{str(image).lstrip('/')}"
        content.image_variants = derived
        # Open Graph wants a raster: the widest derivative; an SVG stays itself.
        largest = derived.largest
        if self.siteurl and largest.startswith(self.siteurl):
            largest = largest[len(self.siteurl):]
        content.og_image = largest.lstrip("/")

    def body(self, content) -> None:
        html = content._content
        if not html or "<img" not in html:
            return
        soup = BeautifulSoup(html, "html.parser")
        lead_taken = bool(content.image_variants)
        changed = False
        for img in soup.find_all("img"):
            if img.find_parent("picture") is not None:
                continue  # written by hand: left alone
            path = self._local(img.get("src", ""), content)
            derived = self.deriver.derive(path) if path else None
            if derived is None:
                continue
            alt = img.get("alt", "")
            caption = img.get("title") or alt
            lazy = lead_taken
            lead_taken = True
            picture = picture_html(
                derived, alt, self.sizes, lazy, " ".join(img.get("class", [])), img.get("src", "")
            )
            parent = img.parent
            alone = (
                parent is not None
                and parent.name == "p"
                and not parent.get_text(strip=True)
                and len(parent.find_all(True)) == 1
            )
            if alone:
                parent.replace_with(BeautifulSoup(figure_html(picture, caption), "html.parser"))
            else:
                img.replace_with(BeautifulSoup(picture, "html.parser"))
            changed = True
        if changed:
            content._content = str(soup)

    def run(self, items) -> None:
        for content in items:
            self.lead_image(content)
            self.body(content)


def picture_filter(content, css_class: str = "", lazy: bool = True, sizes: str | None = None):
    """Jinja filter: the responsive markup of an article's `Image`.

        {{ article|picture("article__image", lazy=False) }}      lead image of an article
        {{ article|picture("item__image", sizes="10rem") }}       thumbnail in a list

    Empty when the article has no image. Falls back to a plain <img> of the
    metadata value when the image could not be processed (e.g. remote).
    """
    from markupsafe import Markup  # noqa: PLC0415

    metadata = getattr(content, "metadata", {}) or {}
    alt = str(metadata.get("imagealt", "") or "")
    derived = getattr(content, "image_variants", None)
    default_sizes = getattr(content, "image_sizes", None) or DEFAULTS["IMAGES_SIZES"]
    if derived is not None:
        return Markup(picture_html(derived, alt, sizes or default_sizes, lazy, css_class))
    image = metadata.get("image")
    if not image:
        return Markup("")
    siteurl = (getattr(content, "settings", {}) or {}).get("SITEURL", "")
    src = str(image) if re.match(r"^[a-z]+://", str(image)) else f"{siteurl}/{str(image).lstrip('/')}"
    cls = f' class="{escape(css_class)}"' if css_class else ""
    loading = ' loading="lazy"' if lazy else ""
    return Markup(f'<img{cls} src="{escape(src)}" alt="{escape(alt)}"{loading} decoding="async">')


def add_filter(generator) -> None:
    generator.env.filters["picture"] = picture_filter


def _contents(generator, attrs) -> list:
    seen, out = set(), []
    for attr in attrs:
        for item in getattr(generator, attr, []) or []:
            for c in [item, *(getattr(item, "translations", []) or [])]:
                if id(c) not in seen:
                    seen.add(id(c))
                    out.append(c)
    return out


def _process(generator, attrs) -> None:
    if not _setting(generator.settings, "IMAGES_ENABLED"):
        return
    processor = Processor(generator.settings)
    processor.run(_contents(generator, attrs))
    c = processor.deriver.counters
    if c.generated or c.cached:
        log.info(
            "Images: %d derivatives generated, %d reused from the cache, %d written to output",
            c.generated, c.cached, c.copied,
        )  # fmt: skip


def articles(generator) -> None:
    _process(generator, ("articles", "drafts", "hidden_articles"))


def pages(generator) -> None:
    _process(generator, ("pages", "hidden_pages", "draft_pages"))


def register() -> None:
    signals.article_generator_finalized.connect(articles)
    signals.page_generator_finalized.connect(pages)
    signals.generator_init.connect(add_filter)
