"""Vietnamese formatting that needs no OS locale (vi_VN is rarely installed)."""

from __future__ import annotations

import re
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


# --- what the reader cleans or refuses (the checker uses the same functions) ------------

# Invisible characters that Word and web pages leave in pasted text: zero-width space,
# zero-width non-joiner, word joiner, soft hyphen, and a BOM inside the text. They split
# words for search and end up in URLs ("lan-thu15"). Zero-width joiner stays (emoji).
INVISIBLE = "\u200b\u200c\u2060\u00ad\ufeff"


def clean(text: str) -> str:
    """NFC, without invisible characters: what the build reads from every file."""
    # str.replace, not str.translate: translate with a table is ~100× slower on
    # Vietnamese text (a Python-level lookup per character), and most files have none.
    for ch in INVISIBLE:
        if ch in text:
            text = text.replace(ch, "")
    return text if unicodedata.is_normalized("NFC", text) else nfc(text)


def has_invisible(text: str) -> bool:
    return any(ch in text for ch in INVISIBLE)


# The letters of Vietnamese that lie in Latin-1 (U+00A0–U+00FF): every other character of
# that block inside a word is a sign of TCVN3 (ABC) or VNI text read as if it were Unicode:
# TCVN3 puts whole letters there ("B¶o Th¾ng" = Bảo Thắng), VNI the marks that follow a
# plain vowel ("Thaønh uûy" = Thành ủy).
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_VNI_MARKS = frozenset("øûïäåëüöñÑ")


def _foreign(ch: str) -> bool:
    return "\u00a1" <= ch <= "\u00ff" and ch not in _VIETNAMESE_LATIN1 and ch != "\u00b7"


# The same characters as one regex class: most lines have none, and a regex finds that
# without a Python step per character.
_ANY_FOREIGN = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0xA1, 0x100) if _foreign(chr(c))) + "]"
)


def legacy_encoding(text: str) -> tuple[int, str, str] | None:
    """(line number, "TCVN3"|"VNI", sample word) of the first line that reads as TCVN3/VNI text.

    A line counts when at least three such characters stand inside words (next to a letter)
    and they outnumber the line's real Vietnamese letters (ă, đ, ơ, ư and the toned vowels of
    U+1EA0–U+1EF9, which neither encoding can produce): "½ kg", "© 2024" or a French word
    among Vietnamese sentences do not count.
    """
    if not _ANY_FOREIGN.search(text):
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if not _ANY_FOREIGN.search(line):
            continue
        inside = [i for i, ch in enumerate(line) if _foreign(ch)
                  and ((i > 0 and line[i - 1].isalpha()) or (i + 1 < len(line) and line[i + 1].isalpha()))]  # fmt: skip
        if len(inside) < 3:
            continue
        real = sum("\u0102" <= ch <= "\u01b0" or "\u1ea0" <= ch <= "\u1ef9" for ch in line)
        if len(inside) <= real:
            continue
        marks = [line[i] for i in inside]
        vni = sum(ch in _VNI_MARKS and i > 0 and line[i - 1] in "aeiouyAEIOUY" for ch, i in zip(marks, inside))
        start = line.rfind(" ", 0, inside[0]) + 1
        end = line.find(" ", inside[0])
        sample = line[start: end if end >= 0 else len(line)][:30]
        return number, "VNI" if vni * 2 >= len(inside) else "TCVN3", sample
    return None


UNIKEY_STEPS = (
    "chép đoạn chữ gốc, mở Unikey → Công cụ (Ctrl+Shift+F6), Bảng mã nguồn: “{kind}”, "
    "Bảng mã đích: “Unicode”, bấm “Chuyển mã”, rồi dán lại vào bài thay cho đoạn cũ"
)


def legacy_encoding_message(kind: str, sample: str) -> str:
    name = "TCVN3 (ABC)" if kind == "TCVN3" else "VNI Windows"
    return (f"chữ gõ bằng bảng mã cũ {name} dán vào tệp Unicode (ví dụ “{sample}”), sẽ hiện sai trên trang: "
            + UNIKEY_STEPS.format(kind=name))  # fmt: skip


# Vietnamese write dates day first: "08/11/2023" is 8 November. Pelican (dateutil) would
# read it month first, so the reader and the checker turn it into ISO first.
_DAY_FIRST = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:hg](\d{2})(?::(\d{2}))?)?\s*$"
)


def day_first_to_iso(value: str) -> str:
    """"08/11/2023 08:30" → "2023-11-08 08:30"; anything else (ISO included) unchanged."""
    m = _DAY_FIRST.match(value)
    if not m:
        return value
    day, month, year, hour, minute, second = m.groups()
    iso = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is not None:
        iso += f" {int(hour):02d}:{minute}" + (f":{second}" if second else "")
    return iso
