"""The home page's columns in Chromium: no blank gap taller than 120 px between columns, at
1280 and 390 px, on a site whose articles have no image and on the same site where every
article has one (of various shapes). Two builds of synthetic content (seven sections of five
articles with headlines and summaries of realistic, varied lengths, weekly schedules, a
featured story), served over HTTP and measured in the page.

What is measured: every grid, row-flex and multi-column container of the page. Its visible
children are grouped into bands (children that overlap vertically) and, within a band, into
columns (same left edge). A column ends where its last *ink* ends: text, an image, or a box
that paints a background or a border (the emblem tile is ink, as a photo is; the empty part of
a stretched cell is not). In every band, the lowest column end minus the highest is the blank
gap; it must be at most 120 px.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from PIL import Image

from pelicanconf import SECTIONS
from tasks import DEV_SETTINGS, ROOT
from tests.site import run_build
from tests.support import READER_USER_AGENT

pytestmark = pytest.mark.browser  # implies slow (conftest.py)

MAX_GAP = 120
WIDTHS = {"1280": (1280, 900), "390": (390, 844)}

# Headlines and summaries as long as the portal's are: 40 to 170 characters.
HEADLINES = [
    "Hội nghị sơ kết công tác quý IV",
    "Thành phố triển khai kế hoạch chuyển đổi số năm 2024 trong các cơ quan, đơn vị",
    ("Bí thư Thành ủy gặp gỡ, tiếp xúc, đối thoại với cán bộ, công chức, viên chức trên địa bàn thành phố về "
     "nâng cao chất lượng giải quyết công việc"),
    "Ra mắt mô hình dân vận khéo ở khu dân cư",
    "Khánh thành công trình chào mừng kỷ niệm ngày thành lập Đảng bộ thành phố, góp phần chỉnh trang đô thị",
    "Tổng kết phong trào thi đua yêu nước giai đoạn 2020–2025",
    "Tăng cường công tác phòng, chống thiên tai, tìm kiếm cứu nạn mùa mưa bão",
    "Giao ban công tác xây dựng Đảng quý I",
    ("Đẩy mạnh cải cách hành chính, nâng cao chỉ số hài lòng của người dân và doanh nghiệp đối với sự phục vụ "
     "của cơ quan hành chính nhà nước"),
    "Trao học bổng cho học sinh nghèo vượt khó",
]
SUMMARIES = [
    "Hội nghị đánh giá kết quả và đề ra nhiệm vụ trọng tâm thời gian tới.",
    ("Sáng nay, lãnh đạo thành phố chủ trì hội nghị với sự tham dự của các phòng, ban, đơn vị và các xã, phường. "
     "Hội nghị thống nhất nhiều giải pháp trọng tâm để hoàn thành các chỉ tiêu đã đề ra trong năm."),
    "Nhiều ý kiến tâm huyết được gửi đến hội nghị.",
]


def article(i: int, section: str, title: str, image: str | None, featured: bool = False) -> str:
    lines = [
        f"Title: {title}", f"Date: 2024-{1 + i // 28:02d}-{1 + i % 28:02d} {8 + i % 9:02d}:00",
        f"Category: {section}", "Tags: kiểm thử bố cục", "Author: KT", f"Summary: {SUMMARIES[i % len(SUMMARIES)]}",
    ]  # fmt: skip
    if image:
        lines += [f"Image: {image}", f"ImageAlt: Ảnh minh họa bài {i}"]
    if featured:
        lines.append("Featured: true")
    return "\n".join(lines) + "\n\nĐoạn văn thứ nhất của bài.\n\nĐoạn văn thứ hai của bài.\n"


def make_content(root: Path, images: bool) -> Path:
    content = root / "content"
    for folder in ("pages", "extra", "van-ban"):  # static pages, robots.txt, the sample documents
        if (ROOT / "content" / folder).is_dir():
            shutil.copytree(ROOT / "content" / folder, content / folder)
    for document in (content / "van-ban").glob("*.md") if (content / "van-ban").is_dir() else ():
        text = document.read_text("utf-8")  # without their links to the repository's articles
        document.write_text("".join(line for line in text.splitlines(True) if not line.startswith("Related:")), "utf-8")
    (content / "images" / "t").mkdir(parents=True)
    shapes = [(1200, 675), (800, 600), (600, 800), (900, 900), (1600, 500)]  # wide, 4:3, portrait, square, banner
    n = 0
    for s, (name, slug) in enumerate(SECTIONS):
        folder = content / "articles" / slug
        folder.mkdir(parents=True)
        for k in range(5):
            n += 1
            if slug == "thong-bao" and k < 3:
                title = f"Lịch làm việc tuần {40 + n} năm 2024 của Thường trực Thành ủy"
            else:
                title = HEADLINES[(n * 3 + s) % len(HEADLINES)] + f" ({n})"
            image = None
            if images:
                w, h = shapes[n % len(shapes)]
                Image.new("RGB", (w, h), (40 + 25 * s, 90, 140 + 10 * k)).save(
                    content / "images" / "t" / f"{n}.jpg", quality=60)
                image = f"images/t/{n}.jpg"
            featured = slug == "tin-tuc-su-kien" and k == 2
            (folder / f"bai-{n}.md").write_text(article(n, name, title, image, featured), "utf-8")
    return content


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """{"no-images": output folder, "images": output folder}."""
    out = {}
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("layout")
    mp.setenv("IMAGES_CACHE_DIR", str(base / "cache"))
    try:
        for variant in ("no-images", "images"):
            content = make_content(base / variant, images=variant == "images")
            result = run_build(DEV_SETTINGS, base / variant / "output", content, "-e", "SEARCH_ENABLED=false")
            assert result.returncode == 0, result.log
            out[variant] = base / variant / "output"
    finally:
        mp.undo()
    return out


@contextlib.contextmanager
def serve(root: Path):
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def counter_up(page, site: Path) -> None:
    """Answer the counter's requests as a running counter would: the figures, and five
    most-read articles, so that the right column has its "Đọc nhiều" box."""
    import json

    titles = json.loads((site / "hitcount-pages.json").read_text("utf-8"))["titles"]
    top = [{"path": path, "title": t["title"], "views": 50 - i} for i, (path, t) in enumerate(list(titles.items())[:5])]
    figures = {"online": 12, "total": 14321, "today": 87, "views": 5}
    page.route("**/api/top*", lambda route: route.fulfill(json=top))
    page.route("**/api/hits*", lambda route: route.fulfill(json=figures))


MEASURE = """
() => {
  const transparent = c => c === 'rgba(0, 0, 0, 0)' || c === 'transparent';
  const ink = el => {
    let bottom = -Infinity;
    const visit = (node, clip) => {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!node.textContent.trim()) return;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects())
          if (r.width > 1 && r.height > 1) bottom = Math.max(bottom, Math.min(r.bottom, clip));
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const cs = getComputedStyle(node);
      if (cs.display === 'none' || cs.visibility === 'hidden') return;
      const r = node.getBoundingClientRect();
      const painted = /^(img|svg|video|canvas|iframe)$/i.test(node.tagName) || cs.backgroundImage !== 'none'
        || !transparent(cs.backgroundColor)
        || parseFloat(cs.borderBottomWidth) > 0 || parseFloat(cs.borderTopWidth) > 0;
      if (painted && r.width > 1 && r.height > 1) bottom = Math.max(bottom, Math.min(r.bottom, clip));
      const inner = cs.overflowY === 'visible' ? clip : Math.min(clip, r.bottom);
      for (const child of node.childNodes) visit(child, inner);
    };
    visit(el, Infinity);
    return bottom;
  };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const results = [];
  for (const box of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(box);
    const multicol = cs.columnCount !== 'auto' || cs.columnWidth !== 'auto';
    const rowFlex = /flex/.test(cs.display) && cs.flexDirection.startsWith('row');
    if (!/grid/.test(cs.display) && !rowFlex && !multicol) continue;
    const kids = [...box.children].filter(k => {
      const s = getComputedStyle(k), r = k.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && s.position !== 'absolute'
        && r.width > 1 && r.height > 1;
    }).map(k => ({el: k, r: k.getBoundingClientRect()}));
    // bands: children linked by vertical overlap
    const bands = [];
    for (const kid of kids.sort((a, b) => a.r.top - b.r.top)) {
      const band = bands.find(b => b.some(o => kid.r.top < o.r.bottom - 1 && o.r.top < kid.r.bottom - 1));
      band ? band.push(kid) : bands.push([kid]);
    }
    for (const band of bands) {
      const columns = new Map();
      for (const kid of band) {
        const x = Math.round(kid.r.left);
        columns.set(x, Math.max(columns.get(x) ?? -Infinity, ink(kid.el)));
      }
      const ends = [...columns.values()].filter(Number.isFinite);
      if (ends.length < 2) continue;
      results.push({box: describe(box), columns: ends.length, gap: Math.max(...ends) - Math.min(...ends)});
    }
  }
  return results;
}
"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("variant", ["no-images", "images"])
def test_no_blank_gap_taller_than_120_px_between_columns(sites, browser, variant, width):
    w, h = WIDTHS[width]
    with serve(sites[variant]) as origin:
        context = browser.new_context(viewport={"width": w, "height": h}, user_agent=READER_USER_AGENT)
        try:
            page = context.new_page()
            counter_up(page, sites[variant])
            page.goto(origin + "/", wait_until="networkidle")
            page.locator("[data-most-read]").wait_for(state="visible")  # "Đọc nhiều" as readers see it
            page.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight; y += 500) {"
                          " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 20)); }"
                          " window.scrollTo(0, 0); }")
            page.wait_for_load_state("networkidle")
            if variant == "images":  # every thumbnail is a photo here, none the emblem tile
                assert page.locator("main .thumb img").count() == page.locator("main .thumb").count() > 10
                assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            else:
                assert page.locator("main img").count() == 0 and page.locator("main .thumb__none").count() > 10
            measured = page.evaluate(MEASURE)
        finally:
            context.close()
    boxes = {m["box"] for m in measured}
    # the columns that matter were measured: the lead, the stories under it, the section blocks…
    assert any(b.startswith("ul.cards") for b in boxes) or width == "390", boxes
    if width == "1280":
        assert any("layout" in b for b in boxes), boxes  # …and the content beside the right column
        assert any(b.startswith("div.sections") for b in boxes) and any("lead" in b for b in boxes), boxes
    gaps = sorted((m for m in measured if m["gap"] > MAX_GAP), key=lambda m: -m["gap"])
    assert not gaps, f"{variant} at {width} px: " + "; ".join(f"{m['box']}: {m['gap']:.0f} px" for m in gaps)


def test_with_or_without_images_the_home_page_keeps_its_shape(sites, browser):
    """The emblem tile takes the photo's place: the same boxes, the same height at 1280 px."""
    heights = {}
    for variant in ("no-images", "images"):
        with serve(sites[variant]) as origin:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER_USER_AGENT)
            page = context.new_page()
            page.goto(origin + "/", wait_until="networkidle")
            heights[variant] = page.evaluate("document.querySelector('main').getBoundingClientRect().height")
            context.close()
    assert abs(heights["images"] - heights["no-images"]) <= 2, heights
