"""Search, for real: the production build writes a Pagefind index, and the search page
queries it in Debian's Chromium (Playwright), with the site served from the build folder
through request interception: any request to another host is refused and recorded.

The content is a copy of the repository's own, plus test-only articles (never in
content/): one about Đà Nẵng, one about the Đảng bộ, and a draft with a unique word.
"""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from hitcount_service.csp import POLICY
from tasks import PUBLISH_SETTINGS
from tests.site import copy_content_without_illustrated_samples, run_build
from tests.support import serve_folder

SEED_SLUG = "bi-thu-thanh-uy-quang-ngai-ngo-van-trong"
DA_NANG_SLUG = "doan-cong-tac-lam-viec-tai-da-nang-bai-kiem-thu"
DANG_BO_SLUG = "dang-bo-phuong-kiem-thu-sinh-hoat-chuyen-de"
DA_NANG_HALL_SLUG = "khanh-thanh-nha-van-hoa-da-nang-bai-kiem-thu"
DRAFT_WORD = "zorblatquaxit"

EXTRA = {
    "tin-tuc-su-kien/2024-03-04-da-nang.md": """\
        Title: Đoàn công tác làm việc tại Đà Nẵng (bài kiểm thử)
        Date: 2024-03-04 08:00
        Category: Tin tức - Sự kiện
        Tags: hợp tác, Đà Nẵng
        Author: KT
        Summary: Bài chỉ dùng trong kiểm thử tìm kiếm.

        Đoàn công tác của HĐND thành phố đến thành phố Đà Nẵng trao đổi kinh nghiệm chuyển đổi số,
        theo Quyết định số 15/QĐ-UBND.
        """,
    "xay-dung-dang/2024-03-05-dang-bo.md": """\
        Title: Đảng bộ phường kiểm thử sinh hoạt chuyên đề
        Date: 2024-03-05 08:00
        Category: Xây dựng Đảng
        Tags: sinh hoạt chi bộ
        Author: KT
        Summary: Bài chỉ dùng trong kiểm thử tìm kiếm.

        Đảng bộ phường tổ chức sinh hoạt chuyên đề về học tập và làm theo tư tưởng, đạo đức,
        phong cách Hồ Chí Minh.
        """,
    "van-hoa-xa-hoi/2024-03-07-da-nang.md": """\
        Title: Khánh thành nhà văn hóa đa năng (bài kiểm thử)
        Date: 2024-03-07 08:00
        Category: Văn hóa - Xã hội
        Author: KT
        Summary: Bài chỉ dùng trong kiểm thử tìm kiếm.

        Nhà văn hóa đa năng của khu dân cư được đưa vào sử dụng, phục vụ sinh hoạt cộng đồng.
        """,
    "thong-bao/2024-03-06-ban-nhap.md": f"""\
        Title: Bản nháp chưa duyệt
        Date: 2024-03-06 08:00
        Category: Thông báo
        Author: KT
        Status: draft
        Summary: Bản nháp.

        Từ riêng của bản nháp: {DRAFT_WORD}.
        """,
}

ORIGIN = "https://search-test.example"

# Production builds of the repository's content with Pagefind's index (subprocesses).
pytestmark = pytest.mark.slow


# The "shards" build: 22 articles in 2 bundles, merged by search.js. Pagefind scores a page
# with its own bundle's word statistics: bundles of a handful of pages would rank by accident,
# so the groups here are as big as this small site allows (the real ones hold 2,500).
SHARD_SIZE = 11


@pytest.fixture(scope="module", params=["one-bundle", "shards"])
def search_site(request, tmp_path_factory) -> Path:
    """The production build with its search index: in one bundle, and in groups of
    SHARD_SIZE articles (as a big archive is), which every search test must not notice."""
    base = tmp_path_factory.mktemp("search")
    content = base / "content"
    copy_content_without_illustrated_samples(content)  # the corpus the counts and ranks below expect
    for rel, text in EXTRA.items():
        (content / "articles" / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    out = base / "out"
    mp = pytest.MonkeyPatch()
    mp.setenv("SITEURL", ORIGIN)
    try:
        extra = ["-e", f"SEARCH_SHARD_SIZE={SHARD_SIZE}"] if request.param == "shards" else []
        result = run_build(PUBLISH_SETTINGS, out, content, *extra)
    finally:
        mp.undo()
    assert result.returncode == 0, result.log
    return out


def test_index_is_written_with_articles_only(search_site, request):
    bundle = search_site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert list(bundle.glob("index/*.pf_index"))
    assert list(bundle.glob("wasm.*.pagefind"))
    # 19 repository articles + 3 test articles; the draft, pages and listings are not indexed
    assert len(list(bundle.rglob("fragment/*.pf_fragment"))) == 22
    merged = sorted(p.parent.name for p in bundle.glob("*/pagefind-entry.json"))
    html = (search_site / "tim-kiem.html").read_text(encoding="utf-8")
    if request.node.callspec.params["search_site"] == "shards":
        assert merged == ["luu-1"]
        for name in merged:
            assert f"{ORIGIN}/pagefind/{name}/" in html
    else:  # only plugins/documents' bundle of the document pages (tests/test_documents.py) is merged
        assert merged == [] and f'data-merge="{ORIGIN}/pagefind-van-ban/"' in html


def test_search_page_works_without_javascript_markup(search_site):
    html = (search_site / "tim-kiem.html").read_text(encoding="utf-8")
    assert 'action="' + ORIGIN + '/tim-kiem.html"' in html
    assert 'name="q"' in html
    assert "<noscript>" in html and "Tìm kiếm cần JavaScript" in html


@pytest.fixture(scope="module")
def search(browser, search_site):
    """search(query) → result URLs (paths), in order, as the search page shows them."""
    foreign: list[str] = []
    fetched: list[tuple[str, int]] = []
    context = browser.new_context()
    headers = {"Content-Security-Policy": POLICY}  # what nginx sends (deploy/nginx.conf)
    violations: list[str] = []

    context.route("**/*", serve_folder(search_site, ORIGIN, foreign, headers, fetched))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    def run(query: str) -> list[str]:
        page.goto(f"{ORIGIN}/tim-kiem.html?q={quote(query)}")
        page.wait_for_selector("[data-search-state=done]", timeout=20_000)
        hrefs = page.eval_on_selector_all(".search__result .item__title a", "els => els.map(e => e.href)")
        return [urlsplit(h).path for h in hrefs]

    run.page = page
    run.fetched = fetched
    run.foreign = foreign
    run.errors = errors
    yield run
    context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, errors
    assert not violations, violations


def _rank(paths: list[str], slug: str) -> int:
    for i, path in enumerate(paths):
        if slug in path:
            return i
    return 99


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "slug", "top"),
    [
        ("quang ngai", SEED_SLUG, 3),
        ("Quảng Ngãi", SEED_SLUG, 3),
        ("dang bo", DANG_BO_SLUG, 1),
        ("Đảng bộ", DANG_BO_SLUG, 1),
        ("đảng", DANG_BO_SLUG, 3),
        ("da nang", DA_NANG_SLUG, 1),  # the proper noun first (the hall is "đa năng")
        ("Đà Nẵng", DA_NANG_SLUG, 1),
        ("da nang", DA_NANG_HALL_SLUG, 2),
        ("nha van hoa da nang", DA_NANG_HALL_SLUG, 1),  # the words side by side win
        ("HDND", DA_NANG_SLUG, 1),  # Đ typed D in an abbreviation
        ("HĐND", DA_NANG_SLUG, 1),
        # Pagefind indexes "15/QĐ-UBND" whole and as 15, QD, UBND, never "QD-UBND": a document
        # numbered 125-QĐ/TU may come first
        ("QD-UBND", DA_NANG_SLUG, 2),
        ("15/QĐ-UBND", DA_NANG_SLUG, 1),
        ("15/QD-UBND", DA_NANG_SLUG, 1),
        ("dang bo de dao duc", DANG_BO_SLUG, 1),  # four words that start with đ, typed d
        ("Đảng bộ đề đạo đức", DANG_BO_SLUG, 1),
        ("đa năng", DA_NANG_HALL_SLUG, 1),
        ("đối thoại", SEED_SLUG, 1),
        ("doi thoai", SEED_SLUG, 1),
    ],
)
def test_query_finds_article(search, query, slug, top):
    paths = search(query)
    assert _rank(paths, slug) < top, (query, paths)


@pytest.mark.browser
@pytest.mark.parametrize(("with_d", "with_stroke"), [
    ("HDND", "HĐND"), ("QD-UBND", "QĐ-UBND"), ("Dảng bộ dề dạo dức", "Đảng bộ đề đạo đức"),
    ("dang bo phuong de dao duc", "đang bo phuong đe đao đuc"),
])  # fmt: skip
def test_d_and_stroked_d_give_the_same_results(search, with_d, with_stroke):
    assert search(with_d) == search(with_stroke)
    assert search(with_d)


@pytest.mark.browser
@pytest.mark.parametrize("query", ["Quảng Ngãi", "Đà Nẵng", "đối thoại"])
def test_nfd_query_is_answered_like_nfc(search, query):
    nfd = unicodedata.normalize("NFD", query)
    assert nfd != query
    assert search(nfd) == search(query)
    assert search(query)


@pytest.mark.browser
def test_draft_words_are_not_found(search):
    assert search(DRAFT_WORD) == []
    assert "Không tìm thấy" in search.page.inner_text(".search__status")


@pytest.mark.browser
def test_results_show_date_section_and_summary(search):
    search("Đà Nẵng")
    first = search.page.locator(".search__result").first
    assert first.locator("time").get_attribute("datetime") == "2024-03-04"
    assert first.locator("time").inner_text() == "Thứ Hai, 04/03/2024"
    assert "Tin tức - Sự kiện" in first.locator(".meta").inner_text()
    assert first.locator(".item__summary").inner_text() == "Bài chỉ dùng trong kiểm thử tìm kiếm."


@pytest.mark.browser
def test_section_and_year_filters(search):
    page = search.page
    page.goto(f"{ORIGIN}/tim-kiem.html?q={quote('thành phố')}&year=2024")
    page.wait_for_selector("[data-search-state=done]", timeout=20_000)
    options = page.eval_on_selector_all("select[name=section] option", "os => os.map(o => o.value)")
    assert "Xây dựng Đảng" in options and "Thông báo" in options
    years = page.eval_on_selector_all("select[name=year] option", "os => os.map(o => o.value)")
    assert years[1:] == ["2024", "2023"]
    dates = page.eval_on_selector_all(".search__result time", "ts => ts.map(t => t.dateTime)")
    assert dates and all(d.startswith("2024") for d in dates)


@pytest.mark.browser
def test_the_index_holds_d_for_every_stroked_d(search):
    """Pagefind does not fold "đ" (upstream #1210): the index is given every text with đ written
    d (plugins/search/fold.py), so Pagefind alone finds "da nang" and nothing for "đà"; the page
    writes queries the same way and shows the đ again."""
    page = search.page
    search("Đà Nẵng")  # the page and its bundle are loaded
    raw = page.evaluate(
        """async (qs) => {
            const pf = await import(document.querySelector('[data-search]').dataset.bundle);
            const out = [];
            for (const q of qs) {
              const res = await pf.search(q);
              out.push(await Promise.all(res.results.map(r => r.data().then(d => d.url))));
            }
            return out;
        }""",
        ["da nang", "đà"],
    )
    assert any(DA_NANG_SLUG in url for url in raw[0]) and raw[1] == []
    assert _rank(search("đà nẵng"), DA_NANG_SLUG) == 0
    first = search.page.locator(".search__result").first
    title = first.locator(".item__title").inner_text().replace("\xa0", " ")
    assert title == "Đoàn công tác làm việc tại Đà Nẵng (bài kiểm thử)"
    excerpt = first.locator(".search__excerpt").inner_text()
    assert "Đà Nẵng" in excerpt and "HĐND" in excerpt and "Dà" not in excerpt
    assert first.locator(".search__excerpt mark").all_inner_texts()[:1] == ["Đà"]


@pytest.mark.browser
def test_exact_accents_rank_first(search):
    """"Đà Nẵng" (the city) and "đa năng" (multi-purpose) fold to the same letters."""
    city, hall = search("Đà Nẵng"), search("đa năng")
    assert _rank(city, DA_NANG_SLUG) == 0 and _rank(city, DA_NANG_HALL_SLUG) == 1
    assert _rank(hall, DA_NANG_HALL_SLUG) == 0 and _rank(hall, DA_NANG_SLUG) == 1


@pytest.mark.browser
def test_search_page_downloads_little(search):
    """What a visitor downloads from the index for the page and one query (this small
    site; bench/build prints the figures at 1,000 and 5,000 articles)."""
    search.fetched.clear()
    search("Đà Nẵng")
    from_bundle = [(p, n) for p, n in search.fetched if p.startswith("/pagefind/")]
    assert from_bundle, search.fetched
    assert not [p for p, _ in from_bundle if "-ui" in p], "the stock UIs are not loaded"
    assert sum(n for _, n in from_bundle) < 400_000, from_bundle


def test_stock_ui_files_are_not_shipped(search_site):
    assert not list((search_site / "pagefind").rglob("pagefind-*ui*"))


def test_every_page_has_the_header_search_box(search_site):
    """Without JavaScript the header box submits to the search page."""
    pages = [p for p in search_site.rglob("*.html") if "pagefind" not in p.parts]
    missing = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if f'class="site-search" action="{ORIGIN}/tim-kiem.html" method="get"' not in html:
            missing.append(page.relative_to(search_site).as_posix())
    assert not missing, missing[:10]
