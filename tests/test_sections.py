"""The section list: parsing, flags, and the linear "nearby articles" window."""

import pytest

from pelicanconf import SECTIONS
from sections.model import is_true, parse_sections
from sections.plugin import _nearby


def test_configured_sections_in_menu_order():
    names = [s.name for s in parse_sections(SECTIONS)]
    assert names == [
        "Tin tức - Sự kiện", "Chính trị - Xã hội", "Xây dựng Đảng", "Kinh tế",
        "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Thông báo",
    ]  # fmt: skip


def test_duplicate_slug_is_refused():
    with pytest.raises(ValueError, match="slug"):
        parse_sections([("A", "a"), ("B", "a")])


@pytest.mark.parametrize("value", ["true", "True", "yes", "1", "có", " x "])
def test_true_flags(value):
    assert is_true(value)


@pytest.mark.parametrize("value", ["", "false", "no", "0", "không"])
def test_false_flags(value):
    assert not is_true(value)


@pytest.mark.parametrize(
    ("index", "count", "expected"),
    [
        (0, 3, [1, 2, 3]),
        (5, 3, [4, 6, 3]),  # window around the article: lo..hi, itself left out
        (9, 3, [6, 7, 8]),
        (4, 20, [0, 1, 2, 3, 5, 6, 7, 8, 9]),
    ],
)
def test_nearby_window(index, count, expected):
    items = list(range(10))
    assert sorted(_nearby(items, index, count)) == sorted(expected)
    assert index not in _nearby(items, index, count)


def test_nearby_single_article_has_none():
    assert _nearby(["only"], 0, 5) == []
