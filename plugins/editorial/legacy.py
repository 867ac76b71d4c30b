"""`invoke import-legacy`: bring pages saved from the old portal over as articles.

Two kinds of input, both read from disk only (nothing is fetched):

- plain-text dumps (.txt): section line, title ending in "( 08/11/2023)", body
  paragraphs one per line, the signature line, then the page chrome (visit
  counter) which is dropped;
- saved HTML pages (.html/.htm): the article part is found by class/id hints and
  text density, cleaned (menus, sidebars, counters, scripts dropped; layout
  tables unwrapped; images with captions kept) and converted with markdownify.

A page is parsed completely before anything is written; one that cannot be
parsed is skipped with the reason. The output file of an article is found again
by (date, slug of the title), whatever its file name, so importing a page twice
updates one file. Every file written carries `Imported: <fingerprint>`; a file
that no longer matches it was changed by an editor, and a re-import reports it
("đã sửa tay — bỏ qua") and leaves it alone unless forced. Fields the old page
cannot provide (Tags, Featured, Image, Status, Slug, …) are kept when forced.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from .config import file_slug, make_slug, sections, setting
from .meta import parse
from .rules import FILE_RULES, Context
from .tonemarks import fold

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

ORDER = ["Title", "Date", "Modified", "Category", "Tags", "Author", "Summary", "Image",
         "ImageAlt", "Featured", "Status", "Slug", "Template"]  # fmt: skip
FROM_PAGE = {"title", "date", "category", "author", "summary"}
TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

DATE_IN_TITLE = re.compile(
    r"\(\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*[-,]?\s*(\d{1,2})[:h](\d{2}))?\s*\)\s*$"
)
DATE_ANY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)(?:\D{0,12}?(\d{1,2})[:h](\d{2}))?")
TIME_BEFORE = re.compile(r"(\d{1,2})[:h](\d{2})\D{0,12}?(\d{1,2})/(\d{1,2})/(\d{4})")


class LegacyError(ValueError):
    """The page cannot be turned into a whole article; the message says why."""


@dataclass
class Parsed:
    title: str
    date: str  # "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
    category: str
    author: str
    summary: str
    body: str  # Markdown
    images: list[tuple[Path, str]] = field(default_factory=list)  # (saved file, name)
    problems: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    source: Path
    status: str  # "new", "updated", "unchanged", "edited" (changed by hand: kept), "skipped"
    path: Path | None = None
    reason: str = ""
    problems: list[str] = field(default_factory=list)


# --- shared helpers -----------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    return " ".join(nfc(text).replace("\xa0", " ").split())


def is_chrome(line: str, settings: dict) -> bool:
    """The old portal's counter lines: "Lượt truy cập", "Đang online : 1", "Tổng truy cập : 14,276"."""
    line = squash(line).casefold()
    return len(line) <= 60 and any(
        line.startswith(c.casefold()) for c in setting(settings, "EDITORIAL_LEGACY_CHROME")
    )


def map_section(name: str, settings: dict) -> str | None:
    """Our section name for the old portal's, via EDITORIAL_LEGACY_SECTIONS or equal spelling."""
    ours = sections(settings)
    key = fold(name)
    if not key:
        return None
    for old, new in setting(settings, "EDITORIAL_LEGACY_SECTIONS").items():
        if fold(old) == key and new in ours:
            return new
    return next((our for our in ours if fold(our) == key), None)


ABBREVIATIONS = {"tp", "tx", "tt", "ths", "ts", "pgs", "gs", "bs", "ks", "q", "p", "x", "h", "đc", "st"}


def first_sentence(paragraph: str) -> str:
    for m in re.finditer(r"[.!?…][”\"»’)]*\s+", paragraph):
        rest = paragraph[m.end() :].lstrip("“\"«‘(")
        before = re.search(r"(\w+)[.!?…][”\"»’)]*\s+$", paragraph[: m.end()])
        if before and before.group(1).casefold() in ABBREVIATIONS:
            continue
        if rest[:1].isupper() or rest[:1].isdigit():
            return paragraph[: m.end()].rstrip()
    return paragraph.strip()


def iso_date(day: str, month: str, year: str, hour=None, minute=None) -> str:
    from datetime import datetime  # noqa: PLC0415

    when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    return f"{when:%Y-%m-%d %H:%M}" if hour is not None else f"{when:%Y-%m-%d}"


def decode(raw: bytes, html: bool) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if html:
        m = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", raw[:4096], re.I)
        charset = m.group(1).decode("ascii", "replace").lower() if m else ""
        if charset in {"windows-1258", "cp1258"}:
            return raw.decode("cp1258")
    raise LegacyError(
        "tệp không phải UTF-8 (có thể là bảng mã cũ TCVN3/ABC hoặc VNI): chuyển mã sang Unicode "
        "bằng Unikey (Ctrl+Shift+F6) rồi nhập lại"
    )


# --- plain-text dumps -----------------------------------------------------------


def parse_text(text: str, settings: dict) -> Parsed:
    lines = [squash(line) for line in nfc(text).splitlines()]
    lines = [line for line in lines if line and not is_chrome(line, settings)]
    title_at = next((i for i, line in enumerate(lines) if DATE_IN_TITLE.search(line)), None)
    if title_at is None:
        raise LegacyError("không thấy dòng tiêu đề kết thúc bằng ngày đăng dạng “( 08/11/2023)”")
    if title_at == 0:
        raise LegacyError("không thấy dòng chuyên mục trước tiêu đề")
    old_section = lines[title_at - 1]
    category = map_section(old_section, settings)
    if not category:
        raise LegacyError(f"chuyên mục “{old_section}” chưa có trong EDITORIAL_LEGACY_SECTIONS")
    m = DATE_IN_TITLE.search(lines[title_at])
    title = lines[title_at][: m.start()].strip()
    rest = lines[title_at + 1 :]
    problems = []
    if rest and looks_like_signature(rest[-1]):
        author = rest.pop()
    else:
        author = setting(settings, "EDITORIAL_AUTHOR") or settings.get("AUTHOR", "")
        problems.append(f"không thấy dòng ký tên; dùng tác giả mặc định “{author}”")
    if not title or not rest:
        raise LegacyError("thiếu tiêu đề hoặc nội dung bài")
    return Parsed(title, iso_date(*m.groups()), category, author, first_sentence(rest[0]),
                  "\n\n".join(rest), problems=problems)  # fmt: skip


def looks_like_signature(line: str) -> bool:
    """"KV", "Văn Lộc", "Tin, ảnh: KV": short, no sentence punctuation at the end."""
    return 0 < len(line) <= 50 and not re.search(r"[.;,:…!?]$", line) and len(line.split()) <= 8


# --- saved HTML pages -----------------------------------------------------------

JUNK = re.compile(
    r"menu|(?<![a-z])nav|sidebar|side-bar|(?<![a-z])aside|widget-area|banner|counter|thongke|"
    r"thong-ke|visitor|online|truycap|truy-cap|quangcao|quang-cao|advert|(?<![a-z])ads?(?![a-z])|"
    r"share|social|print|comment|respond|related|tinkhac|tin-khac|lienquan|lien-quan|search|"
    r"timkiem|login|marquee|weblink|lienket|lien-ket|top-bar|topbar|bottom|copyright|other|"
    r"tools?(?![a-z])|toolbar|pager|pagenav|pagination|(?<![a-z])(?:prev|previous|next)(?![a-z])|"
    r"screen-reader|sr-only|visually-hidden|element-invisible|skip-link|(?<![a-z])hits(?![a-z])|"
    r"luotxem|luot-xem|rating|(?<![a-z])vote|tagcloud|tag-cloud|popup|modal",
    re.I,
)
# The page's header and footer are chrome; an article's own (headline, byline) are not.
PAGE_PARTS = re.compile(r"(?<![a-z])header|footer", re.I)
TITLE_HINT = re.compile(r"title|tieude|tieu-de|tieu_de|headline", re.I)
DATE_HINT = re.compile(r"date|ngay|time|thoigian|thoi-gian|posted|published", re.I)
SECTION_HINT = re.compile(
    r"breadcrumb|duongdan|duong-dan|chuyenmuc|chuyen-muc|category|catname|cat-title|cattitle|"
    r"section|module-title", re.I  # fmt: skip
)
BODY_HINT = re.compile(r"content|noidung|noi-dung|noi_dung|chitiet|chi-tiet|detail|article|body", re.I)
SAPO_HINT = re.compile(r"sapo|tomtat|tom-tat|summary|(?<![a-z])lead|mota|mo-ta|trichdan|intro", re.I)
AUTHOR_HINT = re.compile(
    r"author|tacgia|tac-gia|butdanh|but-danh|signature|chuky|chu-ky|createdby|created-by|"
    r"created_by|byline|vcard|nguoiviet|nguoi-viet",
    re.I,
)
AUTHOR_PREFIX = re.compile(
    r"^(?:(?:được\s+)?(?:viết|đăng|gửi)\s+bởi|bởi|người\s+(?:viết|đăng)|tác\s+giả|bút\s+danh|"
    r"(?:tin|bài)\s*(?:,|và)?\s*ảnh|theo|(?:posted|written)\s+by|by)\s*:?\s*",
    re.I,
)
CAPTION_HINT = re.compile(r"caption|chuthich|chu-thich|image_desc|img-desc|desc|note", re.I)
PUBLISHED_HINT = re.compile(r"publish", re.I)  # WordPress' time.published, datePublished
# WordPress lists the post's terms in the classes of its <article> ("category-tin-khac").
TERM_CLASS = re.compile(r"^(?:tag|category|format|status)-", re.I)
DATE_WORDS = re.compile(  # "5 tháng 12 năm 2023", Joomla's "05 Tháng 12 2023 09:15"
    r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*(?:năm\s+)?(\d{4})"
    r"(?:\D{0,12}?(\d{1,2})[:h](\d{2}))?",
    re.I,
)
PUBLISHED_META = ["article:published_time", "datepublished", "pubdate", "dc.date.issued"]
DOC_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar)(?:[?#]|$)", re.I)
DROP_TAGS = ["script", "style", "noscript", "iframe", "object", "embed", "input",
             "button", "select", "textarea", "nav", "link", "meta", "marquee", "svg"]  # fmt: skip
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
BLOCKS = ["p", "div", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "pre",
          "section", "article", "main", "body", *HEADINGS]  # fmt: skip
CONTAINERS = ["div", "td", "article", "section", "main", "body"]
LEAVES = ["p", "div", "li", "dd", "dt", "td", "th"]
SELECTOR_KEYS = ("title", "date", "author", "summary", "body", "section", "drop")


def _hint(tag) -> str:
    if not getattr(tag, "attrs", None):
        return ""
    classes = tag.get("class") or []
    if tag.name == "article":
        classes = [c for c in classes if not TERM_CLASS.match(c)]
    named = [tag.get("id"), tag.get("name"), tag.get("itemprop")]  # itemprop="articleBody"
    return " ".join([*classes, *(n or "" for n in named)])


def _is_article(tag) -> bool:
    """An <article>, or an element marked up as a schema.org Article (Joomla's div.item-page)."""
    return tag.name == "article" or bool(re.search(r"Article|Posting", tag.get("itemtype") or ""))


def _is_junk(tag) -> bool:
    # <body>'s classes name the kind of page ("has-sidebar"), not a part of it.
    chain = [n for n in [tag, *tag.parents] if n.name not in {"body", "html", "[document]"}]
    article = next((i for i, n in enumerate(chain) if _is_article(n)), -1)
    for i, node in enumerate(chain):
        hint = _hint(node)
        if node.name in {"nav", "aside"}:
            return True
        named = PAGE_PARTS.search(hint) and not BODY_HINT.search(hint)
        # A header or footer under an article is its own (headline, byline), not the page's.
        if (node.name in {"header", "footer"} or named) and i >= article:
            return True
        if JUNK.search(hint) and not BODY_HINT.search(hint):
            return True
    return False


def _find(soup, pattern):
    return [t for t in soup.find_all(True) if pattern.search(_hint(t)) and not _is_junk(t)]


def _text(tag) -> str:
    return squash(tag.get_text(" "))


def _depth(tag) -> int:
    return len(list(tag.parents))


def _prose(soup) -> dict[int, int]:
    """Element id → length of the prose inside it: text in blocks of 50 characters or more, out
    of links, headings and chrome. Link lists, box titles, dates and counters count for nothing,
    so the article's container stands out even when sidebars are long."""
    from bs4.element import PreformattedString  # noqa: PLC0415 (comments, doctype)

    scores: dict[int, int] = {}
    sizes: dict[int, int] = {}
    junk: dict[int, bool] = {}
    for node in soup.find_all(string=True):
        text = node.strip()
        if not text or isinstance(node, PreformattedString) or node.find_parent(["a", *HEADINGS]):
            continue
        block = node.find_parent(BLOCKS)
        if block is None:
            continue
        if id(block) not in sizes:
            sizes[id(block)] = len(_text(block))
        if sizes[id(block)] < 50:
            continue
        if id(node.parent) not in junk:
            junk[id(node.parent)] = _is_junk(node.parent)
        if junk[id(node.parent)]:
            continue
        for tag in node.parents:
            scores[id(tag)] = scores.get(id(tag), 0) + len(text)
    return scores


def find_body(soup: BeautifulSoup) -> Tag | None:
    """The innermost container holding nearly all of the page's prose; among the ones named like
    a body ("noidung", "entry-content", itemprop=articleBody) when one of them holds most of it."""
    prose = _prose(soup)
    pool = [t for t in soup.find_all([*CONTAINERS, "span"])
            if prose.get(id(t), 0) > 0 and not _is_junk(t)
            and (t.name != "span" or BODY_HINT.search(_hint(t)))]  # fmt: skip
    if not pool:
        return None
    best = max(prose[id(t)] for t in pool)
    hinted = [t for t in pool if t.name != "body" and BODY_HINT.search(_hint(t))]
    if hinted and max(prose[id(t)] for t in hinted) >= 0.5 * best:
        pool = hinted
        best = max(prose[id(t)] for t in pool)
    return max((t for t in pool if prose[id(t)] >= 0.9 * best), key=_depth)


def _shared_depth(tag, other) -> int:
    """Depth of the closest element holding both: a headline sits next to its article's text, a
    side box title does not."""
    mine = {id(t) for t in [tag, *tag.parents]}
    return next((_depth(t) for t in [other, *other.parents] if id(t) in mine), 0)


def find_title(soup: BeautifulSoup, settings: dict, body: Tag | None = None,
               meta: dict | None = None) -> tuple[Tag | None, str]:
    """The headline. Ranked: the old portal's "title ( 08/11/2023)", one the page's <title> or
    og:title repeats, not a subheading of the body, nearest the body, an h1; then page order."""
    candidates = [
        t for t in soup.find_all(True)
        if (t.name in {"h1", "h2", "h3"} or TITLE_HINT.search(_hint(t)))
        and t.name not in {"title", "head", "html", "body"} and not _is_junk(t)
        and len(_text(t)) >= 15 and not SECTION_HINT.search(_hint(t))
        and not map_section(_text(t), settings)
    ]  # fmt: skip
    named = [fold(s) for s in [(meta or {}).get("og:title", ""),
                               _text(soup.title) if soup.title else ""] if s]  # fmt: skip
    opening = _text(body)[:300] if body is not None else ""

    def rank(tag):
        text = _text(tag)
        inside = body is not None and any(p is body for p in tag.parents)
        return (bool(DATE_IN_TITLE.search(text)), any(fold(text) in n for n in named),
                not inside or opening.startswith(text),
                _shared_depth(tag, body) if body is not None else 0, tag.name == "h1")  # fmt: skip

    if candidates:
        best = max(candidates, key=rank)  # the first of equals: page order
        return best, _text(best)
    if soup.title and _text(soup.title):
        return None, re.split(r"\s+[|–—>»-]\s+", _text(soup.title))[0]
    return None, ""


def iso_from_attr(value: str, settings: dict) -> str | None:
    """A machine-readable date ("2023-12-12T14:00:00+07:00") as ours, in the site's TIMEZONE."""
    from datetime import datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    value = (value or "").strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        when = datetime.fromisoformat(value)  # 3.11: offsets and "Z" too
    except ValueError:
        return None
    if when.tzinfo is not None:
        zone = ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")
        when = when.astimezone(zone).replace(tzinfo=None)
    timed = len(value) > 10 and (when.hour, when.minute) != (0, 0)  # midnight: a date only
    return f"{when:%Y-%m-%d %H:%M}" if timed else f"{when:%Y-%m-%d}"


def _date_in_text(text: str, words: bool = False) -> str | None:
    """"08/11/2023 - 08:30", "14:30 ngày 15/11/2023", and with words=True "5 tháng 12 năm 2023"."""
    before, found = TIME_BEFORE.search(text), DATE_ANY.search(text)
    spelled = DATE_WORDS.search(text) if words else None
    try:
        if before and (not found or before.start() <= found.start()):
            hour, minute, day, month, year = before.groups()
            return iso_date(day, month, year, hour, minute)
        if found or spelled:
            return iso_date(*(found or spelled).groups())
    except ValueError:  # 31/02/2023: not a date
        return None
    return None


def _date_of(tag, settings: dict) -> str | None:
    """The date an element shows: its datetime/content attribute, else its text."""
    stamp = tag if tag.get("datetime") or tag.get("content") else tag.find(attrs={"datetime": True})
    if stamp is not None:
        iso = iso_from_attr(stamp.get("datetime") or stamp.get("content") or "", settings)
        if iso:
            return iso
    return _date_in_text(_text(tag), words=True)


def find_date(title_text: str, soup: BeautifulSoup, body: Tag | None,
              settings: dict | None = None, meta: dict | None = None,
              css: str | None = None) -> tuple[str, str, Tag | None]:
    """(title without its date, ISO date, the tag that held the date or None).

    In order: a selector's date; the date in brackets after the title; a <time> marked as
    the publication date; the page's article:published_time; an element named like a date;
    the first date in the body."""
    settings, meta = settings or {}, meta or {}
    m = DATE_IN_TITLE.search(title_text)
    title = title_text[: m.start()].strip() if m else title_text
    picked = _select(soup, css)
    if picked is not None and (iso := _date_of(picked, settings)):
        return title, iso, picked
    if m:
        return title, iso_date(*m.groups()), None
    for tag in soup.find_all(attrs={"datetime": True}):
        published = PUBLISHED_HINT.search(_hint(tag)) and not _is_junk(tag)
        if published and (iso := iso_from_attr(tag["datetime"], settings)):
            return title, iso, tag
    for key in PUBLISHED_META:
        if iso := iso_from_attr(meta.get(key, ""), settings):
            return title, iso, None
    for tag in _find(soup, DATE_HINT):
        if iso := _date_of(tag, settings):
            return title, iso, tag
    if body is not None and (iso := _date_in_text(_text(body))):
        return title, iso, None
    raise LegacyError("không thấy ngày đăng (dạng 08/11/2023) ở tiêu đề hay dòng ngày tháng")


def _section_names(tag) -> list[str]:
    """A breadcrumb's or label's parts, the last (the most specific) first."""
    parts = [squash(p) for p in re.split(r"[»›>/|]", tag.get_text("|"))]
    return [p for p in reversed(parts) if p]


def find_section(soup: BeautifulSoup, settings: dict, meta: dict | None = None,
                 css: str | None = None) -> tuple[str | None, list[str], list]:
    """Our section, from a selector, else from article:section, rel=category links (WordPress),
    breadcrumbs and category labels: the first name EDITORIAL_LEGACY_SECTIONS maps."""
    names, tags = [], []
    picked = _select(soup, css)
    if picked is not None:
        names, tags = _section_names(picked), [picked]
    else:
        names = [m for m in ((meta or {}).get("article:section"), (meta or {}).get("section")) if m]
        for tag in soup.find_all("a", rel=True):
            if "category" in tag["rel"] and _text(tag) and not _is_junk(tag):
                names.append(_text(tag))
                tags.append(tag)
        for tag in _find(soup, SECTION_HINT):
            if len(_text(tag)) <= 200:  # a breadcrumb or a label, not a container
                tags.append(tag)
                names.extend(_section_names(tag))
    for name in names:
        mapped = map_section(name, settings)
        if mapped:
            return mapped, names, tags
    return None, names, tags


def _author_name(tag) -> str:
    """"Viết bởi Ngọc Ánh", "bởi Thu Hà", "Tác giả: Thanh Hà" → the name."""
    name = AUTHOR_PREFIX.sub("", _text(tag)).strip()
    return name if len(name) <= 60 else ""


def find_author(soup: BeautifulSoup) -> tuple[Tag | None, str]:
    """(tag, name) of the first element named like an author or byline, else (None, "")."""
    for tag in _find(soup, AUTHOR_HINT):
        name = _author_name(tag)
        if name:
            return tag, name
    return None, ""


def _alt(img) -> str:
    """The image's alt text, unless it is only the file name ("cong-trinh", "IMG_0123")."""
    alt = squash(img.get("alt") or "")
    stem = Path(unquote(urlsplit(img.get("src") or "").path)).stem
    if " " not in alt and (alt == stem or re.search(r"[-_.]|\d{3}", alt)):
        return ""
    return alt


def _caption_for(img, container) -> str:
    for tag in container.find_all(True):
        if tag is img or img in tag.find_all("img"):
            continue
        if tag.name == "figcaption" or CAPTION_HINT.search(_hint(tag)):
            return _text(tag)
    return ""


def unwrap_layout(body: Tag, soup: BeautifulSoup) -> None:
    """Image+caption tables become an image and an italic caption; layout tables are unwrapped."""
    for figure in body.find_all(["figure", "table"]):
        imgs = figure.find_all("img")
        if len(imgs) != 1 or len(_text(figure)) > 300:
            continue
        img = imgs[0]
        caption = _caption_for(img, figure) or _text(figure)
        new = soup.new_tag("div")
        holder = soup.new_tag("p")
        img = img.extract()
        if caption and not _alt(img):
            img["alt"] = caption
        holder.append(img)
        new.append(holder)
        if caption:
            cap = soup.new_tag("p")
            em = soup.new_tag("em")
            em.string = caption
            cap.append(em)
            new.append(cap)
        figure.replace_with(new)
    for table in reversed(body.find_all("table")):
        nested = table.find(["table", "p", "div", "h1", "h2", "h3", "ul", "ol"])
        rows = table.find_all("tr")
        width = max((len(r.find_all(["td", "th"])) for r in rows), default=0)
        if nested or width < 2 or len(rows) < 2:
            for cell in table.find_all(["td", "th"]):
                cell.name = "div"
            for tag in table.find_all(["tr", "tbody", "thead", "tfoot"]):
                tag.unwrap()
            table.name = "div"
        else:
            for cell in table.find_all(["td", "th"]):
                for inner in cell.find_all(["p", "div", "span", "font"]):
                    inner.unwrap()


def _all_italic(tag) -> bool:
    if "italic" in (tag.get("style") or ""):
        return True

    def italic(text) -> bool:
        for parent in text.parents:
            if parent is tag:
                return False
            if parent.name in {"em", "i"}:
                return True
        return False

    texts = [s for s in tag.find_all(string=True) if s.strip()]
    return bool(texts) and all(italic(s) for s in texts)


IMAGE_WRAPPERS = {"p", "div", "a", "span", "center", "font", "strong", "b"}


def _holds_only(tag, img) -> bool:
    """tag wraps img and nothing else that shows (no text, no other image)."""
    return tag is not None and tag.name in IMAGE_WRAPPERS and not _text(tag) \
        and tag.find_all("img") == [img]  # fmt: skip


def _line_below(img):
    """(the block an image stands alone in, the element right under it or None)."""
    holder = img
    while _holds_only(holder.parent, img):
        holder = holder.parent
    for sibling in holder.next_siblings:
        if getattr(sibling, "name", None):
            return holder, sibling
        if str(sibling).strip():
            return holder, None
    return holder, None


def _is_caption(tag) -> bool:
    """A short line in italics or named like a caption, without an image of its own."""
    short = 0 < len(_text(tag)) <= 200 and not tag.find("img")
    return short and (_all_italic(tag) or bool(CAPTION_HINT.search(_hint(tag))))


def adopt_captions(body: Tag, soup: BeautifulSoup) -> None:
    """Editors put a caption as a short italic line under the image, or (Joomla) in the title
    of an img.caption: it becomes the alt text when the image has none of its own."""
    for img in body.find_all("img"):
        if _alt(img):
            continue
        holder, below = _line_below(img)
        if below is not None and _is_caption(below):
            img["alt"] = _text(below)
        elif squash(img.get("title") or "") and CAPTION_HINT.search(_hint(img)):
            img["alt"] = squash(img["title"])
            cap, em = soup.new_tag("p"), soup.new_tag("em")
            em.string = img["alt"]
            cap.append(em)
            holder.insert_after(cap)


def _is_link_list(tag) -> bool:
    """A toolbar ("In trang | Gửi email | Quay lại"), a related-news list, a prev/next pair:
    its words are all in links (a list, several or scripted links), none to a document."""
    links = [a for a in tag.find_all("a") if _text(a)]
    hrefs = [(a.get("href") or "").strip().lower() for a in links]
    if not links or tag.find("img") or any(DOC_LINK.search(h) for h in hrefs):
        return False
    listed = tag.name in {"ul", "ol", "li"} or tag.find(["ul", "ol"]) is not None
    several = len(links) >= 2 or listed or any(h.startswith("javascript:") for h in hrefs)
    linked = sum(len(re.sub(r"\W", "", _text(a))) for a in links)
    return several and linked >= 0.8 * len(re.sub(r"\W", "", _text(tag)))


def trim_link_lists(body: Tag) -> None:
    """Drop link lists that end the body (what follows the article's text on the old page),
    and the heading left last ("Các tin khác"); a table is the article's, whatever it holds."""
    blocks = [*LEAVES, *HEADINGS]
    while True:
        leaves = [t for t in body.find_all(blocks) if _text(t) and not t.find(blocks)]
        if not leaves:
            return
        if leaves[-1].name in HEADINGS:  # a heading with nothing under it
            leaves[-1].decompose()
            continue
        outer = None
        for node in [leaves[-1], *leaves[-1].parents]:
            if node is body or node.name in {"table", "td", "th"}:
                break
            if _is_link_list(node):
                outer = node
            elif outer is not None:
                break
        if outer is None:
            return
        outer.decompose()


def head_meta(soup: BeautifulSoup) -> dict[str, str]:
    """<meta> properties and the canonical link, read before <meta> and <link> are dropped."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key and tag.get("content"):
            found.setdefault(key, squash(tag["content"]))
    for tag in soup.find_all("link", href=True):
        if "canonical" in (tag.get("rel") or []):
            found.setdefault("canonical", tag["href"].strip())
    return found


def selectors(settings: dict) -> dict:
    """EDITORIAL_LEGACY_SELECTORS, checked: an unknown key is a typo, not a wish to ignore."""
    chosen = dict(setting(settings, "EDITORIAL_LEGACY_SELECTORS") or {})
    unknown = sorted(set(chosen) - set(SELECTOR_KEYS))
    if unknown:
        raise LegacyError(f"EDITORIAL_LEGACY_SELECTORS: không có khóa {', '.join(unknown)} "
                          f"(chỉ có {', '.join(SELECTOR_KEYS)})")  # fmt: skip
    drop = chosen.get("drop") or []
    chosen["drop"] = [drop] if isinstance(drop, str) else list(drop)
    return chosen


def _select(soup, css: str | None, many: bool = False):
    if not css:
        return [] if many else None
    from soupsieve import SelectorSyntaxError  # noqa: PLC0415

    try:
        return soup.select(css) if many else soup.select_one(css)
    except SelectorSyntaxError as err:
        raise LegacyError(f"EDITORIAL_LEGACY_SELECTORS: bộ chọn CSS “{css}” sai cú pháp") from err


IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg"})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
TEXT_STAND_INS = str.maketrans({"<": "\ue000", ">": "\ue001", "&": "\ue002"})
TEXT_ENTITIES = str.maketrans({"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"})


def _local_image(src: str, page: Path) -> Path | None:
    parts = urlsplit(src)
    if parts.scheme in {"http", "https"} or src.startswith("//"):
        name = Path(unquote(parts.path)).name
        saved = [page.parent / f"{page.stem}_files" / name, page.parent / name]
        return next((p for p in saved if name and p.is_file()), None)
    if parts.scheme:
        return None
    path = (page.parent / unquote(parts.path)).resolve()
    return path if path.is_file() else None


def _clean_body(body: Tag, settings: dict) -> None:
    """Chrome left inside the article's container: named like chrome, hidden, the page's or the
    article's header/footer (what they held was read already), counter lines."""
    for tag in body.find_all(True):
        if tag.decomposed:
            continue
        hint, style = _hint(tag), (tag.get("style") or "").replace(" ", "").lower()
        part = tag.name in {"header", "footer"} and not tag.find_parent(["blockquote", "figure"])
        junk = JUNK.search(hint) and not BODY_HINT.search(hint)
        if junk or part or "display:none" in style or tag.has_attr("hidden"):
            tag.decompose()
    for tag in list(body.find_all(["p", "div", "span", "font"])):
        if not tag.decomposed and is_chrome(_text(tag), settings) and not tag.find("img"):
            tag.decompose()


def parse_html(html: str, page: Path, settings: dict) -> Parsed:
    from bs4 import BeautifulSoup, Comment  # noqa: PLC0415
    from markdownify import markdownify  # noqa: PLC0415

    soup = BeautifulSoup(nfc(html), "html.parser")
    css = selectors(settings)
    for selector in css["drop"]:
        for tag in _select(soup, selector, many=True):
            tag.decompose()
    meta = head_meta(soup)
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    # ASP.NET/DNN pages wrap everything in one <form>: keep what it holds; a small form is a
    # search or login box (its fields went with DROP_TAGS).
    for form in soup.find_all("form"):
        if len(_text(form)) >= 200:
            form.unwrap()
        else:
            form.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    base = soup.find("base", href=True)
    origin = (base.get("href") if base else "") or meta.get("canonical") or meta.get("og:url", "")

    # A selector that matches wins; one that matches nothing leaves it to the guesses.
    body = _select(soup, css.get("body")) or find_body(soup)
    if body is None:
        raise LegacyError("không thấy phần nội dung bài trong trang")
    title_tag = _select(soup, css.get("title"))
    title_text = _text(title_tag) if title_tag is not None else ""
    if not title_text:
        title_tag, title_text = find_title(soup, settings, body, meta)
    if not title_text:
        raise LegacyError("không thấy tiêu đề bài")
    title, date, date_tag = find_date(title_text, soup, body, settings, meta, css.get("date"))
    category, names, section_tags = find_section(soup, settings, meta, css.get("section"))
    if not category:
        shown = "; ".join(dict.fromkeys(names)) or "không thấy"
        raise LegacyError(f"chuyên mục “{shown}” chưa có trong EDITORIAL_LEGACY_SECTIONS")

    problems: list[str] = []
    sapo = _select(soup, css.get("summary")) or next(
        (t for t in _find(soup, SAPO_HINT) if 20 <= len(_text(t)) <= 600), None)  # fmt: skip
    author_tag = _select(soup, css.get("author"))
    author = _author_name(author_tag) if author_tag is not None else ""
    if not author:
        author_tag, author = find_author(soup)
    sapo_text = _text(sapo) if sapo else ""
    inside = {id(t) for t in body.find_all(True)}
    for tag in [title_tag, date_tag, author_tag, sapo, *section_tags]:
        if tag is not None and id(tag) in inside and not tag.decomposed:
            tag.decompose()
    _clean_body(body, settings)
    unwrap_layout(body, soup)
    trim_link_lists(body)  # after unwrapping: old pages put their toolbar in a layout table
    adopt_captions(body, soup)

    # The signature: the last paragraph when it is short (no author element found).
    blocks = [t for t in body.find_all(["p", "div"]) if _text(t) and not t.find(["p", "div"])]
    last = _text(blocks[-1]) if blocks else ""
    if not author and looks_like_signature(last) and len(_text(body)) - len(last) >= 40:
        author = _author_name(blocks[-1]) or last  # "Bài và ảnh: Hồng Nhung" → the name
        blocks[-1].decompose()
    if not author:
        author = setting(settings, "EDITORIAL_AUTHOR") or settings.get("AUTHOR", "")
        problems.append(f"không thấy tên tác giả; dùng tác giả mặc định “{author}”")

    slug = make_slug(title, settings)
    images: list[tuple[Path, str]] = []
    folder = f"{date[:10]}-{file_slug(slug, 50)}"
    from sanitize.files import file_problem  # noqa: PLC0415
    from sanitize.policy import Policy  # noqa: PLC0415

    for img in body.find_all("img"):
        src = (img.get("src") or "").strip()
        local = _local_image(src, page) if src else None
        if local is None:
            problems.append(f"ảnh “{src}” không có bản lưu cạnh trang: bỏ ra, cần chép tay")
            img.decompose()
            continue
        # Only what the build publishes is copied into content/images (sanitize/files.py).
        refused = local.suffix.lower() not in IMAGE_SUFFIXES or file_problem(
            local.resolve(), local.resolve().parent, settings)  # fmt: skip
        if refused:
            why = refused if isinstance(refused, str) else local.suffix
            problems.append(f"“{src}” không phải ảnh được phép đăng ({why}): bỏ ra")
            img.decompose()
            continue
        name = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKD", local.name).encode(
            "ascii", "ignore").decode()).strip("-") or "anh"  # fmt: skip
        images.append((local, f"{folder}/{name}"))
        img.attrs = {"src": f"{{static}}/images/legacy/{folder}/{name}",
                     "alt": _alt(img) or squash(img.get("title") or "")}  # fmt: skip
        if not img["alt"]:
            img["alt"] = f"Ảnh minh họa: {title}"
            problems.append(f"ảnh “{src}” không có chú thích; alt tạm là “Ảnh minh họa: …”")
    for a in body.find_all("a"):
        href = (a.get("href") or "").strip()
        if not _text(a) and not a.find("img"):
            a.decompose()
            continue
        scheme = urlsplit(href).scheme.lower()  # urlsplit drops tabs and newlines, as browsers do
        if not href or href.startswith("#") or (scheme and scheme not in LINK_SCHEMES):
            a.unwrap()
        elif not urlsplit(href).scheme and not href.startswith(("//", "mailto:", "tel:")):
            if origin:
                a.attrs = {"href": urljoin(origin, href)}
            else:
                problems.append(f"liên kết tương đối “{href}” của trang cũ: giữ chữ, bỏ liên kết")
                a.unwrap()
        else:
            a.attrs = {"href": href}

    body.name = "div"  # a table cell would be converted as inline text
    # Text that showed "<", ">" or "&" on the old page must stay text: markdownify writes it
    # out raw, and Markdown would then read "&lt;script&gt;" as a tag. Stand-ins until after.
    for text in body.find_all(string=True):
        if any(c in text for c in "<>&") and not isinstance(text, Comment):
            text.replace_with(text.translate(TEXT_STAND_INS))
    html = Policy.from_settings(settings).clean(str(body))  # the build's sanitiser, before conversion
    markdown = markdownify(html, heading_style="ATX", bullets="-", newline_style="BACKSLASH",
                           strip=["span", "font", "u"], table_infer_header=True)  # fmt: skip
    markdown = clean_markdown(markdown, settings).translate(TEXT_ENTITIES)
    if sapo_text and sapo_text not in markdown:
        markdown = f"{sapo_text}\n\n{markdown}".strip()
    if len(re.sub(r"\W", "", markdown)) < 40:
        raise LegacyError("nội dung bài trống hoặc quá ngắn")
    first = next((line for line in markdown.split("\n\n") if not line.startswith(("!", "#", "|", "-", "*"))), "")
    summary = sapo_text or first_sentence(re.sub(r"[*_\\]", "", first))
    return Parsed(title, date, category, author, squash(summary), markdown, images, problems)


def clean_markdown(markdown: str, settings: dict) -> str:
    text = nfc(markdown).replace("\xa0", " ")
    lines = [re.sub(r"(?<=\S)[ \t]{2,}", " ", line).rstrip() for line in text.split("\n")]
    lines = [line for line in lines if not is_chrome(line, settings)]
    text = "\n".join(lines)
    text = re.sub(r"(?:\\\n[ \t]*){2,}", "\n\n", text)  # <br><br>: a new paragraph
    text = re.sub(r"\\\n(?=[ \t]*(?:\n|$))", "\n", text)  # a line break ending a paragraph
    text = re.sub(r"^[ \t]*\\$", "", text, flags=re.M)  # a line break alone on its line
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- writing --------------------------------------------------------------------

# The importer signs what it writes: `Imported: <fingerprint of the file without this line>`.
# A file whose text no longer matches its fingerprint (or that has none) was written or
# changed by an editor, and a re-import leaves it alone unless forced.
IMPORTED_KEY = "Imported"


def fingerprint(text: str) -> str:
    import hashlib  # noqa: PLC0415

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def render(fields: dict[str, str], body: str) -> str:
    order = [k for k in ORDER if k in fields] + [k for k in fields if k not in ORDER]
    head = "\n".join(f"{k}: {fields[k]}" for k in order)
    return f"{head}\n\n{body.strip()}\n"


def signed(text: str) -> str:
    """The file as the importer writes it: its fingerprint as the last metadata line."""
    head, _, body = text.partition("\n\n")
    return f"{head}\n{IMPORTED_KEY}: {fingerprint(text)}\n\n{body}"


def unsigned(text: str) -> tuple[str, str]:
    """(the file without its Imported line, the fingerprint that line held or "")."""
    doc = parse(text)
    found = doc.get(IMPORTED_KEY)
    if found is None:
        return text, ""
    lines = text.split("\n")
    del lines[found.line - 1]
    return "\n".join(lines), found.value.strip()


def edited_by_hand(old_text: str) -> bool:
    """True when the file is not exactly what an import wrote (an editor saved it since)."""
    text, recorded = unsigned(old_text)
    return not recorded or fingerprint(text) != recorded


def existing_index(out: Path, settings: dict) -> dict[tuple[str, str], Path]:
    """(date, title slug) → file, for every article under out."""
    index = {}
    for path in sorted(out.rglob("*.md")) if out.is_dir() else []:
        try:
            doc = parse(path.read_text(encoding="utf-8"), path)
        except (UnicodeDecodeError, OSError):
            continue
        title, date = doc.value("title"), doc.value("date")
        if title and date:
            index[(date.strip()[:10], make_slug(nfc(title), settings))] = path
    return index


def content_root_for(out: Path, settings: dict) -> Path:
    root = Path(settings["PATH"]).resolve()
    out = out.resolve()
    return root if out == root or root in out.parents else out.parent


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def read_page(source: Path, settings: dict) -> Parsed:
    """The article a saved page holds; LegacyError says why there is none."""
    try:
        raw = source.read_bytes()
    except OSError as err:
        raise LegacyError(f"không đọc được tệp: {err.strerror}") from err
    is_html = source.suffix.lower() in HTML_SUFFIXES or raw.lstrip()[:1] == b"<"
    text = decode(raw, is_html)
    return parse_html(text, source, settings) if is_html else parse_text(text, settings)


def import_page(source: Path, out: Path, settings: dict, index: dict, force: bool = False) -> Outcome:
    source = Path(source)
    try:
        parsed = read_page(source, settings)
    except LegacyError as err:
        return Outcome(source, "skipped", reason=str(err))

    slug = make_slug(parsed.title, settings)
    key = (parsed.date[:10], slug)
    section_slug = sections(settings)[parsed.category]
    path = index.get(key) or out / section_slug / f"{parsed.date[:10]}-{file_slug(slug)}.md"
    fields = {"Title": parsed.title, "Date": parsed.date, "Category": parsed.category,
              "Author": parsed.author, "Summary": parsed.summary}  # fmt: skip
    old_text = path.read_text(encoding="utf-8") if path.is_file() else None
    if old_text is not None:
        for f in parse(old_text, path).fields:  # editorial fields the page cannot know
            if f.name not in FROM_PAGE and f.key.lower() != IMPORTED_KEY.lower():
                fields.setdefault(f.key, f.value)
    text = render(fields, parsed.body)
    index[key] = path
    if old_text is not None and unsigned(old_text)[0] == text:
        status = "unchanged"  # also a file written before imports were signed
    elif old_text is not None and edited_by_hand(old_text) and not force:
        return Outcome(source, "edited", path, reason="đã sửa tay — bỏ qua (FORCE=1 để ghi đè)")
    else:
        status = "updated" if old_text is not None else "new"

    root = content_root_for(out, settings)
    for saved, name in parsed.images:
        target = root / "images" / "legacy" / name
        if not (target.is_file() and target.read_bytes() == saved.read_bytes()):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(saved, target)
    if status != "unchanged":
        write_atomic(path, signed(text).encode("utf-8"))

    problems = list(parsed.problems)
    doc = parse(text, path)
    ctx = Context(settings, root)
    for rule in FILE_RULES:
        problems.extend(f"dòng {p.line}: [{p.code}] {p.message}" for p in rule(doc, ctx))
    return Outcome(source, status, path, problems=problems)


def sources(paths) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES))
        else:
            found.append(p)
    return found


def import_legacy(paths, out: Path, settings: dict, force: bool = False,
                  progress: Callable[[int, int, Path], None] | None = None) -> list[Outcome]:  # fmt: skip
    """Import every page under `paths`; `progress(done, total, source)` after each one."""
    out = Path(out)
    index = existing_index(out, settings)
    pages = sources(paths)
    outcomes = []
    for done, src in enumerate(pages, 1):
        outcomes.append(import_page(src, out, settings, index, force=force))
        if progress:
            progress(done, len(pages), src)
    return outcomes


LABELS = {"new": "đã nhập", "updated": "đã cập nhật", "unchanged": "không đổi",
          "edited": "đã sửa tay — bỏ qua", "skipped": "bỏ qua"}  # fmt: skip


def report(outcomes: list[Outcome], show) -> str:
    for o in outcomes:
        if o.status == "skipped":
            print(f"{show(o.source)}: bỏ qua — {o.reason}")
        elif o.status == "edited":
            print(f"{show(o.source)}: {show(o.path)} {o.reason}")
        else:
            print(f"{show(o.source)}: {LABELS[o.status]} → {show(o.path)}")
        for p in o.problems:
            print(f"  vấn đề: {p}")
    imported = [o for o in outcomes if o.status in {"new", "updated", "unchanged"}]
    counts = {s: sum(o.status == s for o in outcomes) for s in LABELS}
    problems = sum(len(o.problems) for o in outcomes)
    line = (f"Tổng kết: {len(imported)} bài đã nhập ({counts['new']} mới, {counts['updated']} cập "
            f"nhật, {counts['unchanged']} không đổi), {counts['edited']} đã sửa tay (giữ nguyên), "
            f"{counts['skipped']} bỏ qua, {problems} vấn đề.")  # fmt: skip
    print(line)
    return line
