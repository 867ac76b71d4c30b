"""Locale-free Vietnamese formatting, collation and slugs."""

import unicodedata
from datetime import date, datetime

import pytest
from pelican.settings import read_settings
from pelican.utils import slugify

from tasks import DEV_SETTINGS
from vietnamese.text import WEEKDAYS, format_date, format_number, format_time, nfc, sort_key, weekday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 11, 6), "Thứ Hai"),
        (date(2023, 11, 7), "Thứ Ba"),
        (date(2023, 11, 8), "Thứ Tư"),
        (date(2023, 11, 9), "Thứ Năm"),
        (date(2023, 11, 10), "Thứ Sáu"),
        (date(2023, 11, 11), "Thứ Bảy"),
        (date(2023, 11, 12), "Chủ Nhật"),
    ],
)
def test_weekday_names_need_no_locale(day, expected):
    assert weekday(day) == expected


def test_weekday_names_are_nfc():
    assert all(nfc(name) == name for name in WEEKDAYS)


def test_date_line():
    assert format_date(datetime(2023, 11, 8, 8, 30)) == "Thứ Tư, 08/11/2023"
    assert format_date(date(2024, 1, 5), weekday_name=False) == "05/01/2024"


def test_time_is_24_hour_with_leading_zero():
    assert format_time(datetime(2023, 11, 8, 8, 5)) == "08:05"
    assert format_time(datetime(2023, 11, 8, 20, 30)) == "20:30"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(14276, 0, "14.276"), (0, 0, "0"), (1234567, 0, "1.234.567"), (8.5, 1, "8,5"),
     (1234.5, 1, "1.234,5")],
)  # fmt: skip
def test_numbers_use_vietnamese_separators(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_nfd_becomes_nfc():
    decomposed = "Tho\u0302\u0301ng ba\u0301o"  # "Thống báo" typed with combining marks
    assert nfc(decomposed) == "Thống báo"
    assert len(nfc(decomposed)) < len(decomposed)


def test_collation_puts_d_stroke_after_d_not_after_z():
    words = ["Đảng bộ", "Zalo", "Dân vận", "An ninh", "đối thoại"]
    assert sorted(words, key=sort_key) == ["An ninh", "Dân vận", "Đảng bộ", "đối thoại", "Zalo"]
    assert sorted(words)[-1] != "Zalo"  # code-point order is what we avoid


@pytest.fixture(scope="module")
def settings():
    return read_settings(str(DEV_SETTINGS))


def _slug(text, settings):
    return slugify(text, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"], use_unicode=False)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đảng bộ thành phố", "dang-bo-thanh-pho"),
        ("Học tập Nghị quyết 57-NQ/TW", "hoc-tap-nghi-quyet-57-nq-tw"),
        ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
        ("Quốc phòng – An ninh “mới”", "quoc-phong-an-ninh-moi"),
        ("Thành ủy / Thành uỷ", "thanh-uy-thanh-uy"),
    ],
)
def test_slugs_are_ascii_from_vietnamese_titles(title, slug, settings):
    assert _slug(title, settings) == slug
    assert _slug(unicodedata.normalize("NFD", title), settings) == slug
