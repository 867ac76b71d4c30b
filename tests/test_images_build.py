"""Responsive images in a real build: derivatives, markup, the cache across two builds.

The content is a copy of the repository's own plus one test-only article with body
images: a JPEG alone in its paragraph (with a title), a small PNG inside running text,
the SVG sample, and a remote image. The image cache is a temporary folder
(IMAGES_CACHE_DIR in the environment), built into twice.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from tasks import DEV_SETTINGS
from tests.site import copy_content_without_illustrated_samples, run_build

ARTICLE = """\
Title: Ảnh trong bài (bài kiểm thử)
Date: 2024-02-01 08:00
Category: Văn hóa - Xã hội
Tags: ảnh
Author: KT
Summary: Bài chỉ dùng trong kiểm thử ảnh.

Đoạn mở đầu.

![Sân khấu ngày hội](/images/ngay-hoi-mau.jpg "Sân khấu chính của ngày hội")

Đoạn văn có biểu tượng ![biểu tượng nhỏ]({static}/images/nho.png) ở giữa câu.

![Hình minh họa hội trường]({static}/images/hoi-nghi-mau.svg)

![Ảnh ở nơi khác](https://other.example/anh.jpg)
"""
LEAD = """\
Title: Tin tiêu điểm có ảnh (bài kiểm thử)
Date: 2024-02-02 08:00
Category: Tin tức - Sự kiện
Author: KT
Summary: Bài chỉ dùng trong kiểm thử ảnh.
Featured: true
Image: images/ngay-hoi-mau.jpg
ImageAlt: Sân khấu ngày hội

Nội dung.
"""
URL = "van-hoa-xa-hoi/2024/02/01/anh-trong-bai-bai-kiem-thu.html"
LEAD_URL = "tin-tuc-su-kien/2024/02/02/tin-tieu-diem-co-anh-bai-kiem-thu.html"


def _snapshot(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("images")
    content = base / "content"
    copy_content_without_illustrated_samples(content)  # the images counted here are these
    (content / "articles" / "van-hoa-xa-hoi" / "anh-trong-bai.md").write_text(ARTICLE, "utf-8")
    (content / "articles" / "tin-tuc-su-kien" / "tieu-diem.md").write_text(LEAD, "utf-8")
    Image.new("RGB", (200, 100), "#a50e0e").save(content / "images" / "nho.png")
    cache = base / "cache"
    mp = pytest.MonkeyPatch()
    mp.setenv("IMAGES_CACHE_DIR", str(cache))
    try:
        first = run_build(DEV_SETTINGS, base / "out1", content)
        assert first.returncode == 0, first.log
        after_first = _snapshot(cache)
        second = run_build(DEV_SETTINGS, base / "out2", content)
        assert second.returncode == 0, second.log
    finally:
        mp.undo()
    return {"out1": base / "out1", "out2": base / "out2", "cache": cache,
            "after_first": after_first, "after_second": _snapshot(cache)}  # fmt: skip


def _soup(root: Path, rel: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((root / rel).read_text(encoding="utf-8"), "html.parser")


def _check_srcset(root: Path, srcset: str, ratio: float, kind: str) -> int:
    count = 0
    for item in srcset.split(","):
        url, descriptor = item.split()
        width = int(descriptor.rstrip("w"))
        path = root / url.lstrip("/")
        assert path.is_file(), url
        with Image.open(path) as im:
            assert im.format == kind, url
            assert im.width == width, url
            assert abs(im.height - width / ratio) <= 1, url
        count += 1
    return count


@pytest.mark.slow
def test_body_jpeg_becomes_figure_with_picture(builds):
    out = builds["out2"]
    body = _soup(out, URL).select_one(".article-body")
    figure = body.select("figure")[0]
    img = figure.select_one("picture > img")
    source = figure.select_one("picture > source[type='image/webp']")
    assert img["alt"] == "Sân khấu ngày hội"
    assert figure.figcaption.get_text() == "Sân khấu chính của ngày hội"  # the title
    assert "loading" not in img.attrs  # the first image of an article without Image: the lead
    assert img["decoding"] == "async"
    assert img["sizes"] == source["sizes"]
    width, height = int(img["width"]), int(img["height"])
    assert (width, height) == (800, 450)  # 1600×900 source; src is the 800 wide one
    ratio = width / height
    with Image.open(out / img["src"].lstrip("/")) as im:
        assert im.size == (width, height)
    assert _check_srcset(out, img["srcset"], ratio, "JPEG") == 3
    assert _check_srcset(out, source["srcset"], ratio, "WEBP") == 3
    assert not body.select("p > figure"), "a figure is never inside a paragraph"


@pytest.mark.slow
def test_inline_png_keeps_its_place_and_is_lazy(builds):
    body = _soup(builds["out2"], URL).select_one(".article-body")
    img = body.select_one("p picture img[alt='biểu tượng nhỏ']")
    assert img is not None
    assert img["loading"] == "lazy"
    assert (img["width"], img["height"]) == ("200", "100")  # never upscaled
    assert img["srcset"].endswith(".png 200w")
    assert _check_srcset(builds["out2"], img["srcset"], 2.0, "PNG") == 1


@pytest.mark.slow
def test_svg_passes_through_with_size(builds):
    body = _soup(builds["out2"], URL).select_one(".article-body")
    img = body.select_one("img[alt='Hình minh họa hội trường']")
    assert img["src"] == "/images/hoi-nghi-mau.svg"
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["loading"] == "lazy"
    assert "srcset" not in img.attrs and img.find_parent("picture") is None
    assert img.find_parent("figure").figcaption.get_text() == "Hình minh họa hội trường"
    assert not list((builds["out2"] / "images" / "co").glob("hoi-nghi-mau*"))


@pytest.mark.slow
def test_remote_image_untouched(builds):
    body = _soup(builds["out2"], URL).select_one(".article-body")
    img = body.select_one("img[alt='Ảnh ở nơi khác']")
    assert img["src"] == "https://other.example/anh.jpg"
    assert not {"srcset", "width", "loading"} & set(img.attrs)


@pytest.mark.slow
def test_second_build_regenerates_no_image(builds):
    first, second = builds["after_first"], builds["after_second"]
    # 3 widths × 2 formats of the JPEG, 1 × 2 of the small PNG
    assert len(first) == 8
    assert second == first, "the second build re-encoded an image"
    made = sorted(p.name for p in (builds["out2"] / "images" / "co").iterdir())
    assert len(made) == 8 and made == sorted(p.name for p in (builds["out1"] / "images" / "co").iterdir())


@pytest.mark.slow
def test_derivative_names_are_stable_and_hashed(builds):
    names = [p.name for p in (builds["out2"] / "images" / "co").iterdir()]
    assert all(re.fullmatch(r"(ngay-hoi-mau|nho)-[0-9a-f]{10}-\d+\.(jpg|png|webp)", n) for n in names)


@pytest.mark.slow
def test_article_lead_image_is_responsive_and_open_graph(builds):
    out = builds["out2"]
    soup = _soup(out, LEAD_URL)
    figure = soup.select_one(".article__figure")
    img = figure.select_one("picture > img")
    assert "loading" not in img.attrs  # above the fold
    assert (img["width"], img["height"]) == ("800", "450")
    assert _check_srcset(out, img["srcset"], 16 / 9, "JPEG") == 3
    assert figure.figcaption.get_text() == "Sân khấu ngày hội"
    og = soup.select_one("meta[property='og:image']")["content"]
    assert re.search(r"/images/co/ngay-hoi-mau-[0-9a-f]{10}-1200\.jpg$", og), og


@pytest.mark.slow
def test_home_page_open_graph_image_is_the_lead_storys(builds):
    out = builds["out2"]
    home = _soup(out, "index.html")
    og = home.select_one("meta[property='og:image']")["content"]
    assert og.startswith("http") and re.search(r"/images/co/ngay-hoi-mau-[0-9a-f]{10}-1200\.jpg$", og)
    lead = home.select_one(".lead__story picture img")
    assert lead is not None and "loading" not in lead.attrs


@pytest.mark.slow
def test_list_thumbnails_are_responsive_and_lazy(builds):
    section = _soup(builds["out2"], "tin-tuc-su-kien/index.html")
    thumb = section.select_one("img.item__image")
    assert thumb is not None and thumb["loading"] == "lazy"
    assert thumb["srcset"] and thumb["width"] and thumb["height"]
