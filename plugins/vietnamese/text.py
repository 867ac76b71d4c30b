"""Vietnamese formatting that needs no OS locale (vi_VN is rarely installed)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import lru_cache

import pyuca

# Monday is 0, as in datetime.weekday().
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the form TCVN 6909:2001 prescribes."""
    return unicodedata.normalize("NFC", text)


def weekday(value: date) -> str:
    return WEEKDAYS[value.weekday()]


def format_date(value: date, weekday_name: bool = True) -> str:
    """08/11/2023 → "Thứ Tư, 08/11/2023" (or "08/11/2023" without the weekday)."""
    numeric = f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{weekday(value)}, {numeric}" if weekday_name else numeric


def format_time(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def format_number(value: int | float, decimals: int = 0) -> str:
    """14276 → "14.276"; 8.5 with decimals=1 → "8,5" (Vietnamese separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@lru_cache(maxsize=1)
def _collator() -> pyuca.Collator:
    return pyuca.Collator()


def sort_key(text: str) -> tuple[int, ...]:
    """Collation key so that "Đ" sorts after "D", not after "Z" as code points would."""
    return _collator().sort_key(nfc(str(text)).casefold())
