"""Responsive derivatives of one source image, with a cache keyed by content.

A derivative is the source scaled to one width in one format (WebP, or the
source's own format). It is written once into the cache folder under a name made
of the source's content hash, the width, the format and the encoder settings, then
copied into the output. An unchanged source is therefore never re-encoded, even
after `make clean` of output/ or with DELETE_OUTPUT_DIRECTORY.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

# Formats Pillow writes that browsers show; anything else passes through untouched.
RASTER = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
WEBP = ("webp", "image/webp")
ENCODER_VERSION = "1"  # bump when the encoding below changes: old cache entries are ignored


@dataclass
class Counters:
    generated: int = 0
    cached: int = 0
    copied: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class Variant:
    url: str
    width: int
    height: int
    mime: str


@dataclass
class Derived:
    """What a template or the body rewrite needs to show one image."""

    src: str  # fallback <img src>: the original format at a middle width (or the original)
    width: int  # intrinsic size of `src` (its aspect ratio is the image's)
    height: int
    variants: list[Variant] = field(default_factory=list)  # original format, narrow to wide
    webp: list[Variant] = field(default_factory=list)
    mime: str = ""
    svg: bool = False

    @property
    def srcset(self) -> str:
        return ", ".join(f"{v.url} {v.width}w" for v in self.variants)

    @property
    def webp_srcset(self) -> str:
        return ", ".join(f"{v.url} {v.width}w" for v in self.webp)

    @property
    def largest(self) -> str:
        """The widest raster in the original format (Open Graph wants JPEG/PNG), else src."""
        return self.variants[-1].url if self.variants else self.src


def svg_size(path: Path) -> tuple[int, int] | None:
    """width/height of an SVG from its width/height attributes, else its viewBox."""
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    tag = re.search(r"<svg\b[^>]*>", head, re.S)
    if not tag:
        return None
    attrs = dict(re.findall(r'([\w:-]+)\s*=\s*["\']([^"\']*)["\']', tag.group(0)))
    num = r"^\s*([\d.]+)\s*(px)?\s*$"
    w, h = (re.match(num, attrs.get(k, "")) for k in ("width", "height"))
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    box = attrs.get("viewBox") or attrs.get("viewbox")
    if box:
        parts = [float(x) for x in re.split(r"[\s,]+", box.strip())]
        if len(parts) == 4 and parts[2] > 0 and parts[3] > 0:
            return round(parts[2]), round(parts[3])
    return None


def target_widths(source_width: int, widths: list[int]) -> list[int]:
    """The configured widths below the source's, plus the source's own when it is
    narrower than the widest configured one. Never upscales."""
    below = sorted({w for w in widths if w < source_width})
    if source_width <= max(widths):
        below.append(source_width)
    return below or [source_width]


class Deriver:
    def __init__(
        self,
        output: Path,
        cache: Path,
        out_dir: str,
        siteurl: str,
        widths: list[int],
        quality: int = 80,
        webp_quality: int = 78,
    ) -> None:
        self.output = output
        self.cache = cache
        self.out_dir = out_dir.strip("/")
        self.siteurl = siteurl.rstrip("/")
        self.widths = widths
        self.quality = quality
        self.webp_quality = webp_quality
        self.counters = Counters()
        self._done: dict[Path, Derived | None] = {}

    def _url(self, name: str) -> str:
        return f"{self.siteurl}/{self.out_dir}/{name}"

    def _materialise(self, src_img, key: str, stem: str, width: int, ext: str, fmt: str):
        name = f"{stem}-{key[:10]}-{width}.{ext}"
        cached = self.cache / f"{key}-{width}-q{self.quality}-{self.webp_quality}-v{ENCODER_VERSION}.{ext}"
        if cached.is_file():
            self.counters.cached += 1
        else:
            img = src_img()
            if img.width != width:
                img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            opts = {"quality": self.webp_quality, "method": 4} if fmt == "WEBP" else {}
            if fmt == "JPEG":
                opts = {"quality": self.quality, "optimize": True, "progressive": True}
            if fmt == "PNG":
                opts = {"optimize": True}
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(cached.suffix + ".tmp")
            img.save(tmp, fmt, **opts)
            tmp.replace(cached)  # atomic: an interrupted build leaves no half file
            self.counters.generated += 1
            self.counters.names.append(name)
        target = self.output / self.out_dir / name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
            self.counters.copied += 1
        return name

    def derive(self, source: Path) -> Derived | None:
        """Derivatives of a local image; None when it is not an image we handle."""
        source = source.resolve()
        if source in self._done:
            return self._done[source]
        result = self._derive(source)
        self._done[source] = result
        return result

    def _derive(self, source: Path) -> Derived | None:
        if not source.is_file():
            return None
        if source.suffix.lower() == ".svg":
            size = svg_size(source)
            if not size:
                return None
            return Derived(src="", width=size[0], height=size[1], mime="image/svg+xml", svg=True)
        try:
            with Image.open(source) as probe:
                fmt, (w, h) = probe.format, probe.size
                orientation = probe.getexif().get(0x0112, 1)
        except OSError:
            return None
        if orientation in (5, 6, 7, 8):  # rotated by EXIF: the shown size is swapped
            w, h = h, w
        if fmt not in RASTER:
            return Derived(src="", width=w, height=h, mime=Image.MIME.get(fmt, ""))
        ext, mime = RASTER[fmt]
        key = hashlib.sha256(source.read_bytes()).hexdigest()[:32]
        stem = re.sub(r"[^a-z0-9-]+", "-", source.stem.lower()).strip("-") or "anh"
        loaded = []

        def image():
            if not loaded:
                with Image.open(source) as img:
                    loaded.append(ImageOps.exif_transpose(img).copy())
            return loaded[0]

        variants, webp = [], []
        for width in target_widths(w, self.widths):
            height = round(h * width / w)
            name = self._materialise(image, key, stem, width, ext, fmt)
            variants.append(Variant(self._url(name), width, height, mime))
            name = self._materialise(image, key, stem, width, WEBP[0], "WEBP")
            webp.append(Variant(self._url(name), width, height, WEBP[1]))
        middle = variants[len(variants) // 2] if len(variants) > 2 else variants[-1]
        return Derived(
            src=middle.url, width=middle.width, height=middle.height,
            variants=variants, webp=webp, mime=mime,
        )  # fmt: skip
