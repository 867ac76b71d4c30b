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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit

from .config import file_slug, make_slug, sections, setting
from .meta import parse
from .rules import FILE_RULES, Context
from .tonemarks import fold

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
    r"menu|(?<![a-z])nav|sidebar|side-bar|footer|(?<![a-z])header|banner|counter|thongke|"
    r"thong-ke|visitor|online|truycap|truy-cap|quangcao|quang-cao|advert|(?<![a-z])ads?(?![a-z])|"
    r"share|social|print|comment|related|tinkhac|tin-khac|lienquan|lien-quan|search|timkiem|"
    r"login|marquee|weblink|lienket|lien-ket|top-bar|topbar|bottom|copyright|other",
    re.I,
)
TITLE_HINT = re.compile(r"title|tieude|tieu-de|tieu_de|headline", re.I)
DATE_HINT = re.compile(r"date|ngay|time|thoigian|thoi-gian|posted|published", re.I)
SECTION_HINT = re.compile(
    r"breadcrumb|duongdan|duong-dan|chuyenmuc|chuyen-muc|category|catname|cat-title|cattitle|"
    r"section|module-title", re.I  # fmt: skip
)
BODY_HINT = re.compile(r"content|noidung|noi-dung|noi_dung|chitiet|chi-tiet|detail|article|body", re.I)
SAPO_HINT = re.compile(r"sapo|tomtat|tom-tat|summary|(?<![a-z])lead|mota|mo-ta|trichdan|intro", re.I)
AUTHOR_HINT = re.compile(r"author|tacgia|tac-gia|butdanh|but-danh|signature|chuky|chu-ky", re.I)
CAPTION_HINT = re.compile(r"caption|chuthich|chu-thich|image_desc|img-desc|desc|note", re.I)
DROP_TAGS = ["script", "style", "noscript", "iframe", "object", "embed", "input",
             "button", "select", "textarea", "nav", "link", "meta", "marquee", "svg"]  # fmt: skip


def _hint(tag) -> str:
    if not getattr(tag, "attrs", None):
        return ""
    classes = tag.get("class") or []
    return " ".join([*classes, tag.get("id") or "", tag.get("name") or ""])


def _is_junk(tag) -> bool:
    for node in [tag, *tag.parents]:
        if node.name in {"nav", "header", "footer", "aside"}:
            return True
        if JUNK.search(_hint(node)) and not BODY_HINT.search(_hint(node)):
            return True
    return False


def _find(soup, pattern):
    return [t for t in soup.find_all(True) if pattern.search(_hint(t)) and not _is_junk(t)]


def _text(tag) -> str:
    return squash(tag.get_text(" "))


def _paragraph_score(tag) -> int:
    """Amount of paragraph text inside tag (the article has the most)."""
    score = 0
    for p in tag.find_all(["p", "li", "td", "div"]):
        if p.find(["p", "div", "td", "table"]):
            continue  # count leaves only
        text = _text(p)
        if len(text) >= 40 and not _is_junk(p):
            score += len(text)
    return score


def _text_score(tag) -> int:
    """Length of the visible text inside tag, menus and counters left out."""
    total = 0
    for node in tag.find_all(string=True):
        text = node.strip()
        if text and node.parent is not None and not _is_junk(node.parent):
            total += len(text)
    return total


def _depth(tag) -> int:
    return len(list(tag.parents))


def find_body(soup):
    hinted = [t for t in _find(soup, BODY_HINT) if t.name in {"div", "td", "article", "section", "span"}]
    if hinted:
        scored = [(s, t) for t in hinted if (s := _text_score(t)) > 0]
    else:
        pool = [t for t in soup.find_all(["div", "td", "article", "section", "body"]) if not _is_junk(t)]
        scored = [(s, t) for t in pool if (s := _paragraph_score(t)) > 0]
    if not scored:
        return None
    best = max(s for s, _ in scored)
    # The innermost container that still holds nearly all of the text.
    return max((t for s, t in scored if s >= 0.9 * best), key=_depth)


def find_title(soup, settings):
    """The headline: a title-like element with the date in brackets, else h1, else hints."""
    hinted = [t for t in _find(soup, TITLE_HINT) if t.name not in {"title", "head", "html", "body"}]
    headings = [t for t in soup.find_all(["h1", "h2", "h3"]) if not _is_junk(t)]
    candidates = [
        t for t in [*hinted, *headings]
        if len(_text(t)) >= 15 and not SECTION_HINT.search(_hint(t))
        and not map_section(_text(t), settings)
    ]  # fmt: skip
    ranked = (
        [t for t in candidates if DATE_IN_TITLE.search(_text(t))]
        + [t for t in candidates if t.name == "h1"]
        + candidates
    )
    if ranked:
        return ranked[0], _text(ranked[0])
    if soup.title and _text(soup.title):
        return None, re.split(r"\s+[|–-]\s+", _text(soup.title))[0]
    return None, ""


def find_date(title_text: str, soup, body) -> tuple[str, str, object]:
    """(title without its date, ISO date, the tag that held the date or None)."""
    m = DATE_IN_TITLE.search(title_text)
    if m:
        return title_text[: m.start()].strip(), iso_date(*m.groups()), None
    for tag in [*_find(soup, DATE_HINT), *([body] if body is not None else [])]:
        text = _text(tag)
        before = TIME_BEFORE.search(text)
        found = DATE_ANY.search(text)
        if before and (not found or before.start() <= found.start()):
            hour, minute, day, month, year = before.groups()
            return title_text, iso_date(day, month, year, hour, minute), tag
        if found:
            return title_text, iso_date(*found.groups()), (tag if tag is not body else None)
    raise LegacyError("không thấy ngày đăng (dạng 08/11/2023) ở tiêu đề hay dòng ngày tháng")


def find_section(soup, settings) -> tuple[str | None, list[str], list]:
    names, tags = [], []
    meta = soup.find("meta", attrs={"property": "article:section"}) or soup.find(
        "meta", attrs={"name": "section"}
    )
    if meta and meta.get("content"):
        names.append(squash(meta["content"]))
    for tag in _find(soup, SECTION_HINT):
        tags.append(tag)
        parts = [squash(p) for p in re.split(r"[»›>/|]", tag.get_text("|"))]
        names.extend(p for p in reversed(parts) if p)
    for name in names:
        mapped = map_section(name, settings)
        if mapped:
            return mapped, names, tags
    return None, names, tags


def _caption_for(img, container) -> str:
    for tag in container.find_all(True):
        if tag is img or img in tag.find_all("img"):
            continue
        if tag.name == "figcaption" or CAPTION_HINT.search(_hint(tag)):
            return _text(tag)
    return ""


def unwrap_layout(body, soup) -> None:
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
        if caption and not (img.get("alt") or "").strip():
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


def parse_html(html: str, page: Path, settings: dict) -> Parsed:
    from bs4 import BeautifulSoup, Comment  # noqa: PLC0415
    from markdownify import markdownify  # noqa: PLC0415

    soup = BeautifulSoup(nfc(html), "html.parser")
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
    base = soup.find("base", href=True) or soup.find("link", rel="canonical", href=True)
    origin = (base.get("href") if base else "") or (
        (soup.find("meta", attrs={"property": "og:url"}) or {}).get("content", "")
    )

    body = find_body(soup)
    if body is None:
        raise LegacyError("không thấy phần nội dung bài trong trang")
    title_tag, title_text = find_title(soup, settings)
    if not title_text:
        raise LegacyError("không thấy tiêu đề bài")
    title, date, date_tag = find_date(title_text, soup, body)
    category, names, section_tags = find_section(soup, settings)
    if not category:
        shown = "; ".join(dict.fromkeys(names)) or "không thấy"
        raise LegacyError(f"chuyên mục “{shown}” chưa có trong EDITORIAL_LEGACY_SECTIONS")

    problems: list[str] = []
    sapo = next((t for t in _find(soup, SAPO_HINT) if len(_text(t)) >= 20), None)
    author_tag = next((t for t in _find(soup, AUTHOR_HINT) if _text(t)), None)
    author = re.sub(r"^(tác giả|bút danh|tin, ảnh|theo)\s*:?\s*", "", _text(author_tag), flags=re.I) \
        if author_tag else ""  # fmt: skip
    sapo_text = _text(sapo) if sapo else ""
    inside = {id(t) for t in body.find_all(True)}
    for tag in [title_tag, date_tag, author_tag, sapo, *section_tags]:
        if tag is not None and id(tag) in inside and not tag.decomposed:
            tag.decompose()
    for tag in body.find_all(True):
        if tag.decomposed:
            continue
        hint, style = _hint(tag), (tag.get("style") or "").replace(" ", "").lower()
        if (JUNK.search(hint) and not BODY_HINT.search(hint)) or "display:none" in style:
            tag.decompose()
    for tag in list(body.find_all(["p", "div", "span", "font"])):
        if not tag.decomposed and is_chrome(_text(tag), settings) and not tag.find("img"):
            tag.decompose()
    unwrap_layout(body, soup)

    # The signature: the last paragraph when it is short (no author element found).
    blocks = [t for t in body.find_all(["p", "div"]) if _text(t) and not t.find(["p", "div"])]
    last = _text(blocks[-1]) if blocks else ""
    if not author and looks_like_signature(last) and len(_text(body)) - len(last) >= 40:
        author = _text(blocks[-1])
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
            problems.append(f"“{src}” không phải ảnh được phép đăng ({refused if isinstance(refused, str) else local.suffix}): bỏ ra")
            img.decompose()
            continue
        name = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKD", local.name).encode(
            "ascii", "ignore").decode()).strip("-") or "anh"  # fmt: skip
        images.append((local, f"{folder}/{name}"))
        img.attrs = {"src": f"{{static}}/images/legacy/{folder}/{name}",
                     "alt": squash(img.get("alt") or img.get("title") or "")}  # fmt: skip
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
