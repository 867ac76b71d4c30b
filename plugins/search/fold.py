"""What Pagefind indexes of an article, with "đ" folded to "d"; and how the page gets it back.

Pagefind folds tone marks ("quang ngai" finds "Quảng Ngãi", exact accents rank higher) but
keeps "đ" a letter of its own (upstream issue #1210): "dang" does not find "Đảng", "HDND" does
not find "HĐND". So the copy of each article handed to Pagefind has every đ/Đ written d/D
(its text, its title, summary and section), and search.js writes the query the same way:
every query finds the same pages whether it is typed with đ or d, whatever its length, and
Pagefind's own ranking (including its preference for exact tone marks) is untouched.

The results shown must still say "Đảng". For each text Pagefind stores (title, summary,
section, body) the copy carries a *mask*: one bit per d-like letter, in order, set where the
letter was đ/Đ. search.js puts the đ back letter for letter (fold and unfold keep the length
and every other character). The mask is written as one word that starts with "đđđ" (no query
contains đ once folded, and even a query typed to Pagefind with "đ" never reaches a word that
starts so) followed by lower-case letters only (no digit or capital for Pagefind to split the
word at): see encode_mask().

The same copy lists the article's *proper nouns* as pairs of adjacent capitalised words
("Đà Nẵng", "Hòa Bình"), written without tone marks and joined by đ ("đđdađnang"): search.js
asks for them when a query is typed without tone marks, so that "da nang" ranks the articles
about Đà Nẵng before those about a "nhà văn hóa đa năng" (see proper_noun_pairs()).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape

_FOLDS = (("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D"))  # Ð/ð: legacy fonts' stand-ins for Đ/đ
STROKED = frozenset("đĐðÐ")
PLAIN = frozenset("dD")
MASK = "đđđ"  # how a mask word starts (a proper-noun word starts "đđ" and a letter)

# What Pagefind leaves out of a page's text (its parser's REMOVE_SELECTORS, 1.5), plus any
# element carrying data-pagefind-ignore. Their letters are not in the text search.js unfolds.
EXCLUDED = frozenset(("head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav",
                      "iframe", "template"))  # fmt: skip
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"))  # fmt: skip
RAW_TEXT = frozenset(("script", "style"))
INLINE = frozenset(("a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "code", "dfn", "em", "i",
                    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "select",
                    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var", "mark",
                    "s", "u", "wbr"))  # fmt: skip  (no word break at these, as for Pagefind)

_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|</?[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|[^<]+|<", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_ALT = re.compile(r"""(\salt\s*=\s*)("[^"]*"|'[^']*')""", re.I)


def fold(text: str) -> str:
    """đ → d, Đ → D; nothing else changes (same length, same positions)."""
    for stroked, plain in _FOLDS:  # str.replace beats a str.translate table (a step a character)
        if stroked in text:
            text = text.replace(stroked, plain)
    return text


_PUNCTUATION = "".join(chr(c) for c in range(0x2070) if not chr(c).isalnum() and not chr(c).isspace())
_NOT_D = re.compile(r"[^dDđĐðÐ]+")
_BITS = str.maketrans({"d": "0", "D": "0", "đ": "1", "Đ": "1", "ð": "1", "Ð": "1"})


def mask_bits(text: str) -> str:
    """One "1" for each đ/Đ and one "0" for each d/D of the text, in order."""
    return _NOT_D.sub("", text).translate(_BITS)


def encode_mask(bits: str) -> str:
    """The mask as one word: "đđđ", then each group of four bits (first bit lowest) as a letter
    a–p, then one of q–t for how many bits the last group holds (q: a full group or none).
    decodeMask() in search.js reads it back."""
    letters = [chr(97 + sum(1 << i for i, b in enumerate(bits[at : at + 4]) if b == "1"))
               for at in range(0, len(bits), 4)]  # fmt: skip
    return MASK + "".join(letters) + chr(113 + len(bits) % 4)


def decode_mask(word: str) -> str:
    """encode_mask() backwards (search.js does the same)."""
    if not word.startswith(MASK) or len(word) <= len(MASK) or not "q" <= word[-1] <= "t":
        raise ValueError(f"not a mask: {word!r}")
    letters = word[len(MASK) : -1]
    bits = "".join("".join("1" if (ord(c) - 97) >> i & 1 else "0" for i in range(4)) for c in letters)
    extra = ord(word[-1]) - 113
    return bits[: len(bits) - 4 + extra] if extra else bits


def unfold(text: str, bits: str) -> str:
    """The folded text with its đ back (what search.js does), or ValueError when the mask does
    not fit the text."""
    letters = [i for i, c in enumerate(text) if c in PLAIN]
    if len(letters) != len(bits):
        raise ValueError(f"{len(bits)} bits for {len(letters)} d-letters")
    chars = list(text)
    for i, bit in zip(letters, bits):
        if bit == "1":
            chars[i] = "đ" if chars[i] == "d" else "Đ"
    return "".join(chars)


def _tag_name(token: str) -> tuple[bool, str]:
    m = _TAG.match(token)
    return (bool(m.group(1)), m.group(2).lower()) if m else (False, "")


_META = re.compile(r"""\sdata-pagefind-meta\s*=\s*(?:"([^"]*)"|'([^']*)')""")
SHOWN = ("title", "summary", "section")  # the metadata search.js shows, masked in this order


@dataclass
class Scan:
    """What fold_document() found: the folded document, the mask bits of the body's text and of
    each metadata field taken from an element's text, and the texts (for proper nouns)."""

    document: str
    body_bits: str = ""
    body_text: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # field -> its text, as Pagefind keeps it
    title: str = ""  # the first <h1>'s text: Pagefind's title when no "title" metadata is given


def scan(html: str) -> Scan:
    """Fold a page for Pagefind: đ → d in every text but a filter's (the menus show the filter
    values as they are, and filters are not searched), and in the `alt` of images (Pagefind
    keeps the first as metadata); note the bits of the data-pagefind-body text (what Pagefind
    keeps of it: its REMOVE_SELECTORS and data-pagefind-ignore left out; the whole <body> when
    no element is marked), and the text of each metadata field and of the first <h1>.

    The page is the reduced copy plugins/search writes for Pagefind (well-formed: Pelican's
    Markdown through the sanitiser, and the theme's templates). An end tag closes the nearest
    open element of its name, as browsers do for an unclosed <p> or <li>. The body text has
    " ¶ " where a block element starts or ends (no proper noun spans two blocks).
    """
    marked = "data-pagefind-body" in html
    out: list[str] = []
    bits: list[str] = []
    text: list[str] = []
    meta: dict[str, list[str]] = {}
    h1: list[str] | None = None
    # (tag, in body, excluded from the body text, metadata fields captured, in a filter, in h1)
    stack: list[tuple[str, bool, bool, tuple[str, ...], bool, bool]] = []
    raw_until = ""
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        in_body, excluded, fields, in_filter, in_h1 = stack[-1][1:] if stack else (False, False, (), False, False)
        if raw_until:
            if token.lower().startswith(raw_until):
                raw_until = ""
                _close(stack, _tag_name(token)[1])
            out.append(token)
            continue
        if token.startswith("<") and len(token) > 1:
            closing, name = _tag_name(token)
            if not name:  # comment, doctype, processing instruction
                out.append(token)
                continue
            if in_body and name not in INLINE:
                text.append(" ¶ ")  # a block starts or ends: no proper noun spans it
            if closing:
                _close(stack, name)
                out.append(token)
                continue
            if name == "img":
                token = _ALT.sub(lambda m: m.group(1) + fold(m.group(2)), token)
            out.append(token)
            if name in VOID or token.endswith("/>"):
                continue
            body = in_body or ("data-pagefind-body" in token if marked else name == "body")
            skip = excluded or (body and (name in EXCLUDED or "data-pagefind-ignore" in token))
            captured = fields + _meta_fields(token)
            first_h1 = in_h1 or (name == "h1" and h1 is None)
            if first_h1 and h1 is None:
                h1 = []
            stack.append((name, body, skip, captured, in_filter or "data-pagefind-filter" in token, first_h1))
            if name in RAW_TEXT:
                raw_until = f"</{name}"
            continue
        plain = unescape(token) if "&" in token else token
        if in_filter:
            out.append(token)
            continue
        if in_body and not excluded:
            bits.append(mask_bits(plain))
            text.append(plain)
        for name in fields:
            meta.setdefault(name, []).append(plain)
        if in_h1 and h1 is not None:
            h1.append(plain)
        folded = fold(plain)
        out.append(escape(folded, quote=False) if plain is not token or "<" in token else folded)
    return Scan("".join(out), "".join(bits), "".join(text),
                {k: " ".join("".join(v).split()) for k, v in meta.items()}, " ".join("".join(h1 or []).split()))


def _meta_fields(token: str) -> tuple[str, ...]:
    """The metadata fields an element gives its text to (`data-pagefind-meta="summary"`; not
    `date:2024-03-04`, a value of its own, nor `image[src]`, an attribute's)."""
    m = _META.search(token)
    if not m:
        return ()
    value = m.group(1) if m.group(1) is not None else m.group(2)
    if ":" in value:
        value = value.split(":", 1)[0].rsplit(",", 1)[0] if "," in value.split(":", 1)[0] else ""
    return tuple(f for f in (part.strip() for part in value.split(",")) if f and "[" not in f)


def fold_document(html: str) -> str:
    """The page as Pagefind gets it: scan()'s folded document, and before </body> a hidden
    block with the masks (`dau`: title, summary, section, body) and the proper nouns (`ten`)."""
    found = scan(html)
    title = found.meta.get("title", found.title)
    masks = [encode_mask(mask_bits(t)) for t in (title, found.meta.get("summary", ""), found.meta.get("section", ""))]
    masks.append(encode_mask(found.body_bits))
    parts = [f'<span data-pagefind-meta="dau">{" ".join(masks)}</span>']
    nouns = proper_noun_pairs(title, found.meta.get("summary", ""), found.body_text)
    if nouns:
        parts.append(f'<span data-pagefind-meta="ten">{" ".join(nouns)}</span>')
    block = "<div hidden data-pagefind-ignore>" + "".join(parts) + "</div>"
    at = found.document.rfind("</body>")
    return found.document[:at] + block + found.document[at:] if at >= 0 else found.document + block


def _close(stack: list, name: str) -> None:
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == name:
            del stack[i:]
            return


@lru_cache(maxsize=65536)
def plain_word(word: str) -> str:
    """A word as a query typed without tone marks spells it: lower case, no marks, d for đ."""
    decomposed = unicodedata.normalize("NFD", fold(word).lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


_WORD_START = re.compile(r"\w+")


def proper_noun_pairs(*texts: str, limit: int = 120) -> list[str]:
    """Every two adjacent capitalised words of the texts ("Đà Nẵng", "Bình Sơn"), as the words
    Pagefind indexes for them: "đđ" + first + "đ" + second, each written as plain_word() does.
    Punctuation between two words breaks the pair ("phố. Đà" is none). First seen first, at
    most `limit` (a long article's capitalised headings stop there)."""
    found: dict[str, None] = {}
    for text in texts:
        previous = ""
        for raw in text.split():
            if not raw[0].isalnum():  # “Đà, (Hòa, ¶: punctuation before the word
                previous = ""
                raw = raw.lstrip(_PUNCTUATION)
            if not raw or not raw[0].isupper():
                previous = ""
                continue
            word = _WORD_START.match(raw).group(0)
            plain = plain_word(word)
            if previous and plain:
                found.setdefault(f"đđ{previous}đ{plain}")
                if len(found) >= limit:
                    return list(found)
            previous = plain if len(word) == len(raw) else ""  # Nẵng, or Nẵng”: the run ends
    return list(found)
