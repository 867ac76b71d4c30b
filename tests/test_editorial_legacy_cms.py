"""`invoke import-legacy` on pages saved from three CMS shapes (DNN, Joomla, WordPress), and
per-site selectors (EDITORIAL_LEGACY_SELECTORS) for a page the guesses get wrong.

The pages are in fixtures/legacy/cms/, each with its photos saved beside it; the build test
imports them with the pages of fixtures/legacy/ and counts their images."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from editorial.check import check
from editorial.config import load_settings
from editorial.legacy import import_legacy, iso_from_attr
from editorial.meta import parse

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
FIXTURES = LEGACY / "cms"
JPG = LEGACY / "bo-cuc-div_files" / "anh-dien-tap.jpg"

PAGES = {
    "trang-dnn-form.aspx.html": {
        "title": "Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 15",
        "date": "2023-11-08 08:30",
        "author": "Minh Châu",  # the right-aligned signature, not the print/e-mail toolbar
        "category": "Xây dựng Đảng",  # "Công tác xây dựng Đảng" on the old portal
        "paragraphs": [
            "Sáng 8/11, Ban Chấp hành Đảng bộ thành phố khóa XXII tổ chức Hội nghị lần thứ 15",
            "Hội nghị do đồng chí Bí thư Thành ủy chủ trì. Tham dự có các đồng chí Ủy viên",
            "Hội nghị thống nhất các nhiệm vụ trọng tâm năm 2024:",
        ],
        "table": ["| Chỉ tiêu | Kết quả |", "| Tăng trưởng kinh tế | 7,8% |",
                  "| Thu ngân sách | 112% |"],
        "list": ["- Đẩy mạnh chuyển đổi số trong cơ quan Đảng;",
                 "- Nâng cao chất lượng sinh hoạt chi bộ."],
        "emphasis": ["**18/20 chỉ tiêu**", "*112% dự toán*"],
        "image": ("Đồng chí Bí thư Thành ủy phát biểu chỉ đạo hội nghị", "hoi-nghi-lan-15.jpg"),
        "chrome": [
            "LIÊN KẾT WEBSITE", "Cổng thông tin điện tử tỉnh", "Báo Quảng Ngãi",
            "THÔNG BÁO MỚI NHẤT", "Thông báo kết luận", "Lịch làm việc của Thường trực",
            "THỐNG KÊ TRUY CẬP", "Đang online", "Tổng truy cập", "14.276",
            "In trang", "Gửi email", "Quay lại", "Các tin khác", "9 tháng đầu năm",
            "Trang chủ", "Giới thiệu", "»", "Thứ Tư", "Tìm kiếm", "Bản quyền", "Banner",
        ],
    },
    "trang-joomla.html": {
        "title": "Thành phố giải ngân vốn đầu tư công đạt 82% kế hoạch năm 2023",
        "date": "2023-12-05 09:15",
        "author": "Ngọc Ánh",  # dd.createdby "Viết bởi Ngọc Ánh"
        "category": "Kinh tế",  # "Kinh tế - Xã hội" on the old site
        "paragraphs": [
            "Theo Ban Quản lý dự án đầu tư xây dựng thành phố, đến ngày 30/11",
            "Nhiều công trình trọng điểm vượt tiến độ",
            "Những dự án chậm giải ngân sẽ bị điều chuyển vốn",
        ],
        "table": ["| Nguồn vốn | Kế hoạch (tỷ đồng) | Đã giải ngân (tỷ đồng) |",
                  "| Ngân sách tỉnh | 318 | 265 |", "| Ngân sách thành phố | 184 | 147 |"],
        "list": ["1. Tập trung nghiệm thu, thanh toán khối lượng hoàn thành;",
                 "3. Báo cáo tiến độ giải ngân hằng tuần về Thường trực Thành ủy."],
        "emphasis": ["**412 tỷ đồng**", "*thông xe kỹ thuật*"],
        # img.caption: the caption is its title; its alt is only the file name
        "image": ("Thi công tuyến đường ven sông Trà Khúc đoạn qua phường Nghĩa Lộ",
                  "cong-trinh-duong-ven-song.jpg"),
        "chrome": [
            "Bạn đang ở", "Trang chủ", "Chi tiết", "Viết bởi", "Danh mục", "Ngày đăng",
            "Lượt xem", "1532", "In bài", "Gửi email", "Bài trước", "Bài tiếp", "Cổ Lũy",
            "Thu ngân sách 11 tháng", "Bài viết liên quan", "quý III", "Tin mới nhất",
            "lần thứ 16", "Văn bản chỉ đạo", "Chỉ thị số 12", "Thống kê truy cập", "Hôm nay",
            "Hôm qua", "Tổng cộng", "1.234.567", "Đang online", "Về đầu trang", "Bản quyền",
            "Tìm kiếm", "Liên hệ", "Giới thiệu",
        ],
    },
    "trang-wordpress.html": {
        "title": "Sôi nổi Lễ hội đua thuyền truyền thống trên sông Trà Khúc năm 2023",
        "date": "2023-12-12 14:00",  # time.published datetime="2023-12-12T14:00:00+07:00"
        "author": "Thu Hà",  # span.author.vcard
        "category": "Văn hóa - Xã hội",  # rel="category tag": "Văn hóa - Thể thao"
        "paragraphs": [
            "Sáng 12/12, UBND phường Trần Phú phối hợp Trung tâm Văn hóa – Thể thao thành phố",
            "Năm nay có 12 đội thuyền của các tổ dân phố tham gia",
            "Lễ hội là dịp để cán bộ, đảng viên và nhân dân phường gắn kết",
        ],
        "table": ["| Nội dung | Giải nhất | Giải nhì |",
                  "| Đua thuyền nam | Tổ dân phố 5 | Tổ dân phố 2 |",
                  "| Đua thuyền nữ | Tổ dân phố 9 | Tổ dân phố 11 |"],
        "list": ["- Trò chơi dân gian kéo co, đẩy gậy;", "- Hội chợ sản phẩm OCOP của địa phương;"],
        "emphasis": ["**Lễ hội đua thuyền truyền thống**", "*đua thuyền nữ*"],
        "image": ("Các đội thuyền tranh tài ở cự ly 1.000 mét nam", "le-hoi-dua-thuyen-2023.jpg"),
        "chrome": [
            "Chuyển đến nội dung", "Đảng bộ phường Trần Phú", "Trang thông tin điện tử", "Đăng vào",
            "bởi", "13/12/2023", "Chia sẻ", "Facebook", "Twitter", "In trang", "Gửi email",
            "Có liên quan", "Hội thi đua ghe", "Chuyên mục", "Thẻ", "Bài trước", "Bài sau",
            "Hội nghị chi bộ", "Trao quà Tết", "Điều hướng", "bình luận", "Bình luận",
            "Email của bạn", "Lưu tên", "Hủy", "Bài viết mới", "Lưu trữ", "Tháng mười",
            "Tìm kiếm", "Giới thiệu", "Bản quyền", "WordPress", "Trang chủ", "Liên hệ",
        ],
    },
}


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def imported(tmp_path_factory, settings):
    root = tmp_path_factory.mktemp("cms") / "content"
    outcomes = import_legacy([FIXTURES / name for name in PAGES], root / "articles", settings)
    return root, {o.source.name: o for o in outcomes}


def _doc(imported, name):
    outcome = imported[1][name]
    assert outcome.status == "new", outcome.reason
    return parse(outcome.path.read_text(encoding="utf-8"), outcome.path)


@pytest.mark.parametrize("name", PAGES)
def test_metadata_is_the_articles_not_the_pages_chrome(imported, name):
    doc, want = _doc(imported, name), PAGES[name]
    got = {key: doc.value(key) for key in ("title", "date", "author", "category")}
    assert got == {key: want[key] for key in got}
    assert doc.value("summary").startswith(want["paragraphs"][0][:40])
    assert imported[1][name].problems == []  # author, captions and image copies all found


@pytest.mark.parametrize("name", PAGES)
def test_body_keeps_text_table_list_emphasis_and_captioned_image(imported, name):
    body, want = _doc(imported, name).body, PAGES[name]
    for part in [*want["paragraphs"], *want["list"], *want["emphasis"]]:
        assert part in body, part
    lines = body.splitlines()
    first_row = lines.index(want["table"][0])
    assert lines[first_row + 1].startswith("| --- | --- |")  # a Markdown table, header row first
    for row in want["table"][1:]:
        assert row in lines, row
    caption, file = want["image"]
    assert f"![{caption}]({{static}}/images/legacy/" in body and f"/{file})" in body
    assert f"*{caption}*" in body  # shown under the image too
    root = imported[0]
    [copied] = (root / "images" / "legacy").rglob(file)
    assert copied.read_bytes() == JPG.read_bytes()


@pytest.mark.parametrize("name", PAGES)
def test_nothing_of_the_chrome_is_imported(imported, name):
    doc, want = _doc(imported, name), PAGES[name]
    for word in want["chrome"]:
        assert word not in doc.body, word
    assert want["author"] not in doc.body  # the signature became Author
    assert want["title"] not in doc.body
    assert "<" not in doc.body and "style=" not in doc.body


@pytest.mark.parametrize("name", PAGES)
def test_imported_file_passes_the_checker(imported, settings, name):
    root, outcomes = imported
    report = check([outcomes[name].path], {**settings, "PATH": str(root)}, root)
    assert report.errors == 0, report.problems


def test_machine_readable_dates_are_read_in_the_sites_time_zone(settings):
    assert iso_from_attr("2023-12-12T07:00:00+00:00", settings) == "2023-12-12 14:00"
    assert iso_from_attr("2023-12-12T07:00:00Z", settings) == "2023-12-12 14:00"
    assert iso_from_attr("2023-12-05T09:15:00+07:00", settings) == "2023-12-05 09:15"
    assert iso_from_attr("2023-12-05", settings) == "2023-12-05"
    assert iso_from_attr("05/12/2023", settings) is None


# A page with nothing to go by: no class named like a body, title, date or author; a long
# "history" box beside the article; a promotion inside it. The guesses pick the box's heading
# as the title and a date from its text.
ODD_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thông tin</title></head><body>
<div class="k1">
  <div class="x2"><a href="/">Trang chủ</a> / <a href="/xdd">Công tác xây dựng Đảng</a></div>
  <div class="q9">
    <h2 class="z0">Lịch sử Đảng bộ thành phố qua các thời kỳ</h2>
    <p>Ngày 03/02/1930, Đảng Cộng sản Việt Nam ra đời; những chi bộ đầu tiên của thị xã được
    thành lập ngay sau đó, lãnh đạo nhân dân đấu tranh giành chính quyền năm 1945.</p>
    <p>Trải qua các cuộc kháng chiến, Đảng bộ thành phố luôn giữ vững vai trò lãnh đạo, xây
    dựng quê hương ngày càng giàu đẹp, văn minh.</p>
    <p>Thành phố hôm nay có 23 xã, phường với hơn 300 nghìn dân, là trung tâm chính trị, kinh
    tế, văn hóa của tỉnh.</p>
  </div>
  <div class="q3">
    <div class="r2">Chi bộ khu phố 3 kết nạp hai đảng viên trẻ</div>
    <div class="r3">Cập nhật 09/01/2024 - 16:45</div>
    <div class="r6">Chiều 9/1, Chi bộ khu phố 3 phường Lê Hồng Phong tổ chức lễ kết nạp hai
    đảng viên mới là đoàn viên ưu tú.</div>
    <div class="r4">
      <p>Hai đảng viên mới đều sinh năm 2001, là <strong>đoàn viên ưu tú</strong> của chi đoàn
      khu phố, tích cực trong các phong trào tình nguyện.</p>
      <div class="x7"><p>Mời bạn đọc tham gia cuộc thi tìm hiểu lịch sử Đảng bộ thành phố, hạn
      chót ngày 30/01/2024.</p></div>
      <p>Bí thư Chi bộ đề nghị các đảng viên mới <em>giữ gìn tư cách</em>, phấn đấu hoàn thành
      tốt nhiệm vụ được giao.</p>
    </div>
    <div class="r5">Bài và ảnh: Hồng Nhung</div>
  </div>
</div></body></html>"""
ODD_SELECTORS = {"title": ".r2", "date": ".r3", "author": ".r5", "summary": ".r6",
                 "body": ".r4", "section": ".x2", "drop": [".x7"]}  # fmt: skip


def _import(tmp_path, settings, page_text=ODD_PAGE, selectors=None, name="trang-la.html"):
    page = tmp_path / name
    page.write_text(page_text, encoding="utf-8")
    chosen = {**settings, "EDITORIAL_LEGACY_SELECTORS": selectors or {}}
    [outcome] = import_legacy([page], tmp_path / "content" / "articles", chosen)
    return outcome


def test_guesses_get_the_odd_page_wrong(tmp_path, settings):
    outcome = _import(tmp_path, settings)
    assert outcome.status == "skipped" and "không thấy" in outcome.reason  # no section found
    outcome = _import(tmp_path, settings, selectors={"section": ".x2"})
    assert outcome.status == "new", outcome.reason
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    assert (doc.value("title"), doc.value("date")) == (
        "Lịch sử Đảng bộ thành phố qua các thời kỳ", "1930-02-03")  # the box's, not the article's
    assert "Mời bạn đọc" in doc.body


def test_site_selectors_import_the_odd_page_correctly(tmp_path, settings):
    outcome = _import(tmp_path, settings, selectors=ODD_SELECTORS)
    assert outcome.status == "new", outcome.reason
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    assert {k: doc.value(k) for k in ("title", "date", "author", "category")} == {
        "title": "Chi bộ khu phố 3 kết nạp hai đảng viên trẻ", "date": "2024-01-09 16:45",
        "author": "Hồng Nhung", "category": "Xây dựng Đảng"}  # fmt: skip
    assert doc.value("summary").startswith("Chiều 9/1, Chi bộ khu phố 3")
    body = doc.body
    assert body.startswith("Chiều 9/1, Chi bộ khu phố 3")  # the summary opens the body
    assert "**đoàn viên ưu tú**" in body and "*giữ gìn tư cách*" in body
    for chrome in ("Lịch sử Đảng bộ", "1930", "Mời bạn đọc", "Trang chủ", "Hồng Nhung", "Cập nhật"):
        assert chrome not in body, chrome
    root = tmp_path / "content"
    assert check([outcome.path], {**settings, "PATH": str(root)}, root).errors == 0


def test_selectors_that_match_nothing_leave_it_to_the_guesses(tmp_path, settings):
    page = (FIXTURES / "trang-joomla.html").read_text(encoding="utf-8")
    shutil.copytree(FIXTURES / "trang-joomla_files", tmp_path / "trang-joomla_files")
    missing = {"title": "h1.khong-co", "date": "#khong-co", "author": ".khong-co",
               "summary": ".khong-co", "body": "#khong-co", "section": ".khong-co",
               "drop": [".khong-co"]}  # fmt: skip
    outcome = _import(tmp_path, settings, page, missing, name="trang-joomla.html")
    assert outcome.status == "new", outcome.reason
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    want = PAGES["trang-joomla.html"]
    assert [doc.value(k) for k in ("title", "date", "author", "category")] == [
        want["title"], want["date"], want["author"], want["category"]]


@pytest.mark.parametrize("selectors,reason", [
    ({"title": "div[class="}, "div[class="),
    ({"titel": ".r2"}, "titel"),
])  # fmt: skip
def test_a_wrong_selector_setting_skips_the_page_with_the_reason(tmp_path, settings, selectors,
                                                                 reason):
    outcome = _import(tmp_path, settings, selectors=selectors)
    assert outcome.status == "skipped"
    assert "EDITORIAL_LEGACY_SELECTORS" in outcome.reason and reason in outcome.reason


def test_a_toolbar_and_related_list_go_by_their_shape_not_their_names(tmp_path, settings, imported):
    """Named "NewsFunc" and "NewsMore": links only, after the signature: still dropped."""
    name = "trang-dnn-form.aspx.html"
    page = (FIXTURES / name).read_text(encoding="utf-8")
    page = page.replace('class="NewsTool"', 'class="NewsFunc"').replace(
        'class="OtherNews"', 'class="NewsMore"')  # fmt: skip
    shutil.copytree(FIXTURES / "trang-dnn-form.aspx_files", tmp_path / "trang-dnn-form.aspx_files")
    outcome = _import(tmp_path, settings, page, name=name)
    assert outcome.status == "new", outcome.reason
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    assert doc.value("author") == "Minh Châu"
    assert doc.body == _doc(imported, name).body


def test_the_reported_dnn_page_takes_neither_a_box_title_nor_the_toolbar(tmp_path, settings):
    """The DNN page on its own: the title was "LIÊN KẾT WEBSITE" (a side box) and the author
    "In trang | Gửi email | Quay lại" (the toolbar); it imports with no problem and passes check."""
    root = tmp_path / "content"
    [outcome] = import_legacy([FIXTURES / "trang-dnn-form.aspx.html"], root / "articles", settings)
    assert outcome.status == "new" and outcome.problems == [], outcome
    doc = parse(outcome.path.read_text(encoding="utf-8"))
    want = PAGES["trang-dnn-form.aspx.html"]
    assert [doc.value(k) for k in ("title", "date", "author", "category")] == [
        want["title"], want["date"], want["author"], want["category"]]
    for part in [*want["paragraphs"], *want["table"], *want["list"], *want["emphasis"]]:
        assert part in doc.body, part
    for word in [*want["chrome"], want["author"], want["title"]]:
        assert word not in doc.body, word
    assert check([outcome.path], {**settings, "PATH": str(root)}, root).errors == 0
