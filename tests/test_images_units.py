"""plugins/images without a build: widths, SVG sizes, source paths, markup, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from images.derivatives import Deriver, svg_size, target_widths
from images.plugin import figure_html, picture_html, source_path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (2000, [480, 800, 1200]),
        (1200, [480, 800, 1200]),
        (1000, [480, 800, 1000]),
        (480, [480]),
        (300, [300]),
    ],
)
def test_widths_never_upscale(source, expected):
    assert target_widths(source, [480, 800, 1200]) == expected


@pytest.mark.parametrize(
    ("tag", "size"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675">', (1200, 675)),
        ('<svg width="300px" height="150" viewBox="0 0 30 15">', (300, 150)),
        ('<svg width="100%" viewBox="0,0,64,32">', (64, 32)),
        ("<svg>", None),
    ],
)
def test_svg_size(tmp_path, tag, size):
    path = tmp_path / "a.svg"
    path.write_text('<?xml version="1.0"?>\n' + tag + "</svg>", encoding="utf-8")
    assert svg_size(path) == size


def test_repository_svg_sample_size():
    assert svg_size(Path("content/images/hoi-nghi-mau.svg")) == (1200, 675)


def test_source_path_forms(tmp_path):
    root = tmp_path / "content"
    (root / "images").mkdir(parents=True)
    (root / "articles").mkdir()
    img = root / "images" / "a.jpg"
    img.write_bytes(b"x")
    article = str(root / "articles" / "x.md")
    for src in ("{static}/images/a.jpg", "/images/a.jpg", "{static}../images/a.jpg",
                "images/a.jpg", "https://site.example/images/a.jpg", "/images/a%2Ejpg"):  # fmt: skip
        assert source_path(src, root, article, "https://site.example") == img.resolve(), src
    for src in ("https://other.example/a.jpg", "//cdn.example/a.jpg", "/images/none.jpg",
                "/../../etc/passwd", "data:image/png;base64,AAAA", ""):  # fmt: skip
        assert source_path(src, root, article, "https://site.example") is None, src


def test_picture_markup_and_cache(tmp_path):
    src = tmp_path / "anh.png"
    Image.new("RGB", (1000, 500), "red").save(src)
    out, cache = tmp_path / "out", tmp_path / "cache"
    d = Deriver(out, cache, "images/co", "", [480, 800, 1200]).derive(src)
    assert [v.width for v in d.variants] == [480, 800, 1000]
    assert [v.height for v in d.webp] == [240, 400, 500]
    html = picture_html(d, "Ảnh <đỏ>", "100vw", lazy=True)
    assert html.startswith('<picture><source type="image/webp" srcset="/images/co/anh-')
    assert 'alt="Ảnh &lt;đỏ&gt;"' in html and 'loading="lazy"' in html
    assert 'width="800" height="400"' in html
    assert figure_html(html, "Chú thích").endswith("<figcaption>Chú thích</figcaption></figure>")
    for v in d.variants + d.webp:
        with Image.open(out / v.url.lstrip("/")) as im:
            assert im.size == (v.width, v.height)
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(first) == 6

    again = Deriver(tmp_path / "out2", cache, "images/co", "", [480, 800, 1200])
    again.derive(src)
    assert again.counters.generated == 0 and again.counters.cached == 6
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == first

    Image.new("RGB", (1000, 500), "blue").save(src)  # changed source: new derivatives
    changed = Deriver(tmp_path / "out3", cache, "images/co", "", [480, 800, 1200])
    changed.derive(src)
    assert changed.counters.generated == 6


def test_exif_rotated_jpeg_reports_shown_size(tmp_path):
    src = tmp_path / "doc.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90°: stored 1000×500, shown 500×1000
    Image.new("RGB", (1000, 500), "green").save(src, exif=exif)
    d = Deriver(tmp_path / "o", tmp_path / "c", "i", "", [480, 800]).derive(src)
    assert (d.variants[-1].width, d.variants[-1].height) == (500, 1000)
    with Image.open(tmp_path / "o" / d.variants[-1].url.lstrip("/")) as im:
        assert im.size == (500, 1000)


def test_non_image_is_left_alone(tmp_path):
    bad = tmp_path / "x.jpg"
    bad.write_text("not an image")
    assert Deriver(tmp_path / "o", tmp_path / "c", "i", "", [480]).derive(bad) is None


class _Content:
    def __init__(self, metadata, variants=None, siteurl=""):
        self.metadata = metadata
        self.image_variants = variants
        self.image_sizes = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
        self.settings = {"SITEURL": siteurl}


def test_picture_filter_for_templates(tmp_path):
    from images.plugin import picture_filter

    src = tmp_path / "anh.jpg"
    Image.new("RGB", (1600, 900), "red").save(src)
    d = Deriver(tmp_path / "out", tmp_path / "cache", "images/co", "https://s.example", [480, 800, 1200]).derive(src)
    lead = str(picture_filter(_Content({"image": "images/anh.jpg", "imagealt": "Ảnh"}, d), "article__image",
                              lazy=False))
    assert lead.startswith('<picture><source type="image/webp"')
    assert 'class="article__image"' in lead and "loading" not in lead
    assert 'width="800" height="450"' in lead and 'alt="Ảnh"' in lead
    assert "https://s.example/images/co/anh-" in lead
    thumb = str(picture_filter(_Content({"image": "x", "imagealt": "Ảnh"}, d), "item__image", sizes="10rem"))
    assert 'sizes="10rem"' in thumb and 'loading="lazy"' in thumb
    assert str(picture_filter(_Content({}))) == ""
    remote = str(picture_filter(_Content({"image": "https://cdn.example/a.jpg", "imagealt": "A"})))
    assert remote.startswith('<img src="https://cdn.example/a.jpg" alt="A" loading="lazy"')
