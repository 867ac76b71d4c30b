"""Tone-mark placement: "hòa/thủy" (kiểu cũ) versus "hoà/thuỷ" (kiểu mới).

Both spellings are valid NFC text but different strings, so a tag or a section
written both ways splits in two. Only the syllables that end in the vowel pairs
oa, oe, uy (no final consonant) are spelt differently; "quý", "hoàng", "thuở"
are the same in both styles.
"""

from __future__ import annotations

import re
import unicodedata

TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
STYLES = ("old", "new")  # old: hòa, khỏe, thủy, ủy — new: hoà, khoẻ, thuỷ, uỷ
_PAIR = re.compile(r"(oa|oe|uy)$")
_WORD = re.compile(r"\w+")


def _split(char: str) -> tuple[str, str]:
    """("ủ") → ("u", "\u0309"): the letter with its other marks, and its tone mark."""
    parts = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in parts if c in TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
    return base, tone


def convert_word(word: str, style: str) -> str:
    chars = [_split(c) for c in word]
    toned = [i for i, (_, tone) in enumerate(chars) if tone]
    if len(toned) != 1:
        return word
    plain = "".join(base for base, _ in chars).lower()
    match = _PAIR.search(plain)
    if not match:
        return word
    start = match.start()
    if plain[start : start + 2] == "uy" and plain[start - 1 : start] == "q":
        return word  # "quý": the u belongs to "qu"
    index = toned[0]
    if index not in (start, start + 1):
        return word
    target = start if style == "old" else start + 1
    tone = chars[index][1]
    chars[index] = (chars[index][0], "")
    chars[target] = (chars[target][0], tone)
    return unicodedata.normalize("NFC", "".join(base + tone for base, tone in chars))


def to_style(text: str, style: str) -> str:
    """Rewrite every syllable of text with its tone mark placed in `style`."""
    if style not in STYLES:
        raise ValueError(f"EDITORIAL_TONE_STYLE phải là một trong {STYLES}, không phải {style!r}")
    text = unicodedata.normalize("NFC", text)
    return _WORD.sub(lambda m: convert_word(m.group(), style), text)


def fold(text: str) -> str:
    """A key equal for spellings that differ only in case, spacing, dashes or tone placement."""
    text = to_style(text, "old").casefold()
    text = re.sub(r"[\s\-–—_/,.:;]+", " ", text)
    return text.strip()
