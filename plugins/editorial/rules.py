"""The checker's rules: one small function per rule, each with a short code.

A file rule takes (doc, ctx) and yields Problems about that file; a site rule
takes (docs, ctx) and yields Problems across files (duplicate slugs and URLs).
Codes starting with "E-" are errors (`make check` exits 1, the build stops), "W-"
warnings, "N-" notices: what the build fixes by itself (NFC, invisible characters, a URL
suffix for an equal title), said so that the editor knows.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from distinct_urls import DEFAULT_SLUG_MAX_LENGTH, shorten, suffixes
from documents import model as documents
from vietnamese.text import day_first_to_iso, has_invisible, legacy_encoding, legacy_encoding_message

from .config import make_slug, sections, setting
from .meta import Document, line_of
from .tonemarks import fold, to_style

# Text that `invoke new` (and `invoke new-document`) writes for the editor to replace.
SUMMARY_PLACEHOLDER = "(Viết tóm tắt một, hai câu ở đây.)"
BODY_PLACEHOLDER = "(Viết nội dung bài ở đây; các đoạn cách nhau một dòng trống.)"
PLACEHOLDERS = (SUMMARY_PLACEHOLDER, BODY_PLACEHOLDER, documents.TITLE_PLACEHOLDER,
                documents.SIGNER_PLACEHOLDER)  # fmt: skip


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E-")

    @property
    def is_notice(self) -> bool:
        return self.code.startswith("N-")


@dataclass
class Context:
    settings: dict
    content_root: Path
    docs: list[Document] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # what rules build once per check (the reader)

    @property
    def sections(self) -> dict[str, str]:
        return sections(self.settings)

    @property
    def style(self) -> str:
        return setting(self.settings, "EDITORIAL_TONE_STYLE")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")


FileRule = Callable[[Document, Context], Iterable[Problem]]
SiteRule = Callable[[list[Document], Context], Iterable[Problem]]


class RuleSet:
    """A module's rules in the order they are written: @file_rule on each file, @site_rule
    across files. Editorial has one (below), plugins/documents its own."""

    def __init__(self) -> None:
        self.file_rules: list[FileRule] = []
        self.site_rules: list[SiteRule] = []

    def file_rule(self, func: FileRule) -> FileRule:
        self.file_rules.append(func)
        return func

    def site_rule(self, func: SiteRule) -> SiteRule:
        self.site_rules.append(func)
        return func


RULES = RuleSet()
file_rule, site_rule = RULES.file_rule, RULES.site_rule
FILE_RULES, SITE_RULES = RULES.file_rules, RULES.site_rules


def problem(doc: Document, line: int, code: str, message: str) -> Problem:
    return Problem(doc.path, line, code, message)


# --- helpers ------------------------------------------------------------------

ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:[+-]\d{2}:?\d{2}|Z))?$"
)


def parse_date(value: str, tz: ZoneInfo) -> datetime | None:
    """ISO, or day first as the reader takes it ("08/11/2023" is 8 November)."""
    value = day_first_to_iso(value.strip())
    if not ISO_DATE.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1).replace(" ", ""))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,}).*?$.*?^[ ]{0,3}\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def masked_body(doc: Document) -> str:
    """The body with code blocks and code spans blanked out (same length, same lines)."""

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group())

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, doc.body))


def body_line(doc: Document, body: str, offset: int) -> int:
    return doc.body_line + line_of(body, offset) - 1


_ATTR = re.compile(r"([A-Za-z_:][\w:.-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


def attributes(tag: str) -> dict[str, str | None]:
    inner = re.sub(r"^<\s*[A-Za-z][\w-]*", "", tag).rstrip(">/")
    attrs: dict[str, str | None] = {}
    for name, value in _ATTR.findall(inner):
        attrs[name.lower()] = value.strip("\"'") if value else None
    return attrs


_PREFIX = re.compile(r"^(?:\{(filename|static|attach)\}|\|(filename|static|attach)\|)")
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def is_internal_ref(target: str) -> bool:
    return bool(_PREFIX.match(target))


def resolve(target: str, doc: Document, ctx: Context, base: Path | None = None) -> Path | None:
    """The content file a link or image points to; None for external URLs and fragments."""
    target = target.strip()
    prefixed = _PREFIX.match(target)
    if prefixed:
        target = target[prefixed.end() :]
    elif _EXTERNAL.match(target):
        return None
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not target:
        return None
    if target.startswith("/"):
        return ctx.content_root / target.lstrip("/")
    return (base or doc.path.parent) / target


MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?(?P<href>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
MD_REF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(?P<href>\S+?)>?(?:\s|$)", re.M)
HTML_IMG = re.compile(r"<img\b[^>]*>", re.I | re.S)
HTML_LINK = re.compile(r"<(?:a|link|source|video|audio)\b[^>]*>", re.I | re.S)


# --- metadata -----------------------------------------------------------------


def _required(doc: Document, ctx: Context) -> list[str]:
    if doc.kind == "document":  # a document's number, type, date and file have rules of their own
        return documents.setting(ctx.settings, "DOCUMENTS_REQUIRED_METADATA")
    key = "EDITORIAL_REQUIRED_METADATA" if doc.kind == "article" else "EDITORIAL_PAGE_REQUIRED_METADATA"
    return setting(ctx.settings, key)


@file_rule
def required_metadata(doc: Document, ctx: Context) -> Iterator[Problem]:
    for name in _required(doc, ctx):
        found = doc.get(name)
        if found is None:
            line = doc.fields[-1].line + 1 if doc.fields else 1
            yield problem(doc, line, "E-META-MISSING", f"thiếu “{name}: …” (bắt buộc)")
        elif not found.value.strip():
            yield problem(doc, found.line, "E-META-MISSING", f"“{found.key}” để trống (bắt buộc)")


@file_rule
def unknown_metadata(doc: Document, ctx: Context) -> Iterator[Problem]:
    standard = documents.KNOWN_METADATA if doc.kind == "document" else setting(ctx.settings, "EDITORIAL_KNOWN_METADATA")
    known = [*standard, *setting(ctx.settings, "EDITORIAL_EXTRA_METADATA")]
    by_lower = {k.lower(): k for k in known}
    for f in doc.fields:
        if f.name in by_lower:
            continue
        guess = difflib.get_close_matches(f.name, list(by_lower), n=1, cutoff=0.6)
        hint = f"; có phải “{by_lower[guess[0]]}”?" if guess else ""
        yield problem(doc, f.line, "E-META-UNKNOWN",
                      f"khóa “{f.key}” không có trong danh sách, có thể gõ sai{hint}")  # fmt: skip


@file_rule
def duplicate_metadata(doc: Document, ctx: Context) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for f in doc.fields:
        if f.name in seen:
            yield problem(doc, f.line, "E-META-DUPLICATE",
                          f"“{f.key}” khai báo hai lần (lần đầu ở dòng {seen[f.name]})")  # fmt: skip
        seen.setdefault(f.name, f.line)


@file_rule
def category_is_a_section(doc: Document, ctx: Context) -> Iterator[Problem]:
    found = doc.get("category")
    if doc.kind != "article" or not found or not found.value or not ctx.sections:
        return
    value = unicodedata.normalize("NFC", found.value)
    if value in ctx.sections:
        return
    if to_style(value, ctx.style) in ctx.sections:
        yield problem(doc, found.line, "E-TONE-MARK",
                      f"chuyên mục “{value}” đặt dấu khác quy ước; viết “{to_style(value, ctx.style)}”")  # fmt: skip
        return
    same = [name for name in ctx.sections if fold(name) == fold(value)]
    hint = f" Có phải “{same[0]}”?" if same else ""
    valid = "; ".join(ctx.sections)
    yield problem(doc, found.line, "E-CATEGORY-UNKNOWN",
                  f"chuyên mục “{value}” không có trong SECTIONS.{hint} Hợp lệ: {valid}")  # fmt: skip


@file_rule
def dates_parse(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind == "document":
        return  # a document's date: E-DOC-DATE (plugins/documents/rules.py)
    for name in ("date", "modified"):
        found = doc.get(name)
        if found and found.value and parse_date(found.value, ctx.tz) is None:
            yield problem(doc, found.line, "E-DATE-INVALID",
                          f"{found.key} “{found.value}” không đọc được; viết dạng "
                          "YYYY-MM-DD HH:MM (giờ Việt Nam), ví dụ 2023-11-08 08:30")  # fmt: skip


@file_rule
def modified_after_date(doc: Document, ctx: Context) -> Iterator[Problem]:
    date = parse_date(doc.value("date"), ctx.tz)
    modified_field = doc.get("modified")
    modified = parse_date(modified_field.value, ctx.tz) if modified_field else None
    if date and modified and modified < date:
        yield problem(doc, modified_field.line, "E-MODIFIED-BEFORE-DATE",
                      f"Modified ({modified_field.value}) sớm hơn Date ({doc.value('date')})")  # fmt: skip


@file_rule
def status_is_valid(doc: Document, ctx: Context) -> Iterator[Problem]:
    found = doc.get("status")
    if found and found.value.strip().lower() not in {"draft", "published", "hidden"}:
        yield problem(doc, found.line, "E-STATUS-INVALID",
                      f"Status “{found.value}” không hợp lệ; dùng draft (bản nháp), "
                      "published hoặc hidden")  # fmt: skip


@file_rule
def tags_tone_marks(doc: Document, ctx: Context) -> Iterator[Problem]:
    found = doc.get("tags")
    if not found:
        return
    for tag in split_tags(found.value):
        canonical = to_style(tag, ctx.style)
        if canonical != unicodedata.normalize("NFC", tag):
            yield problem(doc, found.line, "E-TONE-MARK",
                          f"thẻ “{tag}” đặt dấu khác quy ước của cổng; viết “{canonical}”")  # fmt: skip


def _too_long(doc: Document, ctx: Context, key: str, limit_setting: str, code: str,
              label: str) -> Iterator[Problem]:  # fmt: skip
    found, limit = doc.get(key), setting(ctx.settings, limit_setting)
    if found and limit and len(unicodedata.normalize("NFC", found.value)) > limit:
        yield problem(doc, found.line, code, f"{label} dài {len(found.value)} ký tự (nên ≤ {limit})")


@file_rule
def title_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind == "document":
        return  # a document's title is its trích yếu, copied as printed however long
    yield from _too_long(doc, ctx, "title", "EDITORIAL_TITLE_MAX_LENGTH", "W-TITLE-LONG", "tiêu đề")


@file_rule
def summary_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from _too_long(doc, ctx, "summary", "EDITORIAL_SUMMARY_MAX_LENGTH", "W-SUMMARY-LONG",
                         "tóm tắt")  # fmt: skip


@file_rule
def placeholders_replaced(doc: Document, ctx: Context) -> Iterator[Problem]:
    for placeholder in PLACEHOLDERS:
        offset = doc.text.find(placeholder)
        if offset < 0:
            continue
        line = line_of(doc.text, offset)
        command = "make new-document" if doc.kind == "document" else "make new"
        if doc.is_draft:
            yield problem(doc, line, "W-PLACEHOLDER", f"còn chữ mẫu của `{command}`: thay trước khi đăng")
        else:
            yield problem(doc, line, "E-PLACEHOLDER", f"còn chữ mẫu của `{command}` trong bài sẽ đăng")


# --- text ---------------------------------------------------------------------


# Lines the build mends by itself: (code, the test of a line, the notice; {n}: how many lines).
_MENDED_LINES = (
    ("N-TEXT-NFC", lambda line: not unicodedata.is_normalized("NFC", line),
     ("chữ không ở dạng Unicode dựng sẵn (NFC) ở {n} dòng; trang vẫn đúng "
     "(hệ thống tự chuẩn hóa); `make check FIX=1` sửa luôn trong tệp")),
    ("N-TEXT-INVISIBLE", has_invisible,
     ("có ký tự ẩn (khoảng trắng độ rộng 0, gạch nối mềm… chép từ Word) ở {n} dòng; "
     "hệ thống tự bỏ; `make check FIX=1` xóa luôn trong tệp")),
)  # fmt: skip


@file_rule
def lines_the_build_mends(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Text not in NFC (plugins/vietnamese normalises it) and zero-width spaces, soft hyphens…
    pasted from Word (the build removes them): a notice each, at the first such line; `--fix`
    writes the mended text back."""
    lines = doc.source.split("\n")
    for code, is_bad, notice in _MENDED_LINES:
        bad = [i + 1 for i, line in enumerate(lines) if is_bad(line)]
        if bad:
            yield problem(doc, bad[0], code, notice.format(n=len(bad)))


@file_rule
def no_legacy_encoding(doc: Document, ctx: Context) -> Iterator[Problem]:
    """TCVN3/VNI text inside a UTF-8 file: the build refuses it with the same words."""
    found = legacy_encoding(doc.text)
    if found:
        line, kind, sample = found
        yield problem(doc, line, "E-ENCODING-LEGACY", legacy_encoding_message(kind, sample))


# --- images and links ---------------------------------------------------------


def _image_problems(doc, ctx, line, src, alt, base=None) -> Iterator[Problem]:
    if not (alt or "").strip():
        yield problem(doc, line, "E-IMAGE-ALT", f"ảnh “{src}” thiếu chú thích thay thế (alt)")
    target = resolve(src, doc, ctx, base) if src else None
    if src and target is not None and not target.is_file():
        if base is not None:  # the Image: line names a file under content/, without {static}
            hint = "; chép ảnh vào content/images/ và ghi “Image: images/ten-anh.jpg”"
        else:
            hint = "" if is_internal_ref(src) or src.startswith("/") else "; viết {static}/images/…"
        yield problem(doc, line, "E-IMAGE-MISSING", f"không có tệp ảnh “{src}”{hint}")


@file_rule
def images_exist_with_alt(doc: Document, ctx: Context) -> Iterator[Problem]:
    image = doc.get("image")
    if image and image.value:
        alt = doc.value("imagealt")
        yield from _image_problems(doc, ctx, image.line, image.value, alt, ctx.content_root)
    body = masked_body(doc)
    for m in MD_IMAGE.finditer(body):
        yield from _image_problems(doc, ctx, body_line(doc, body, m.start()), m["src"], m["alt"])
    for m in HTML_IMG.finditer(body):
        attrs = attributes(m.group())
        yield from _image_problems(
            doc, ctx, body_line(doc, body, m.start()), attrs.get("src") or "", attrs.get("alt")
        )


@file_rule
def internal_links_resolve(doc: Document, ctx: Context) -> Iterator[Problem]:
    body = masked_body(doc)
    targets = [(m.start(), m["href"]) for m in (*MD_LINK.finditer(body), *MD_REF.finditer(body))]
    for m in HTML_LINK.finditer(body):
        attrs = attributes(m.group())
        for name in ("href", "src"):
            if attrs.get(name):
                targets.append((m.start(), attrs[name]))
    for offset, href in sorted(targets):
        if not is_internal_ref(href):
            continue
        target = resolve(href, doc, ctx)
        if target is not None and not target.exists():
            yield problem(doc, body_line(doc, body, offset), "E-LINK-BROKEN",
                          f"liên kết “{href}” trỏ tới tệp không có")  # fmt: skip


# --- what the sanitiser would remove ------------------------------------------------


def _locate(doc: Document, first: int, needles: list[str]) -> int:
    """The first line from `first` on that holds one of the needles (case-insensitive)."""
    lines = doc.text.split("\n")
    for needle in (n.lower() for n in needles if n):
        for number in range(max(first, 1), len(lines) + 1):
            if needle in lines[number - 1].lower():
                return number
    return first


def _render(doc: Document, ctx: Context) -> tuple[str, dict]:
    """The file as the build reads it: the vietnamese reader (NFC, Markdown, typogrify)."""
    from vietnamese.reader import NFCMarkdownReader  # noqa: PLC0415

    reader = ctx.cache.get("reader")
    if reader is None:
        reader = ctx.cache["reader"] = NFCMarkdownReader(ctx.settings)
    return reader.read(str(doc.path))


# What can make Markdown produce HTML that the sanitiser changes: raw HTML or an entity, an
# attribute list, or a link/image/reference whose target has a scheme other than the allowed.
_MAY_NEED_SANITISING = re.compile(
    r"[<{&]|\]\s*(?:\(\s*|:\s*)(?!(?:https?|mailto|tel):)[A-Za-z][\w+.-]*:", re.I)


@file_rule
def nothing_the_sanitiser_removes(doc: Document, ctx: Context) -> Iterator[Problem]:
    """The rendered body, title and summary must pass the build's sanitiser unchanged: what
    it would remove (a script, an event handler, a javascript: link, a frame from outside
    EDITORIAL_EMBED_ALLOWLIST, a form…) is an error here, at the line that has it."""
    from sanitize.policy import Policy  # noqa: PLC0415
    from sanitize.report import removals  # noqa: PLC0415

    if not _MAY_NEED_SANITISING.search(doc.text):
        return  # plain Markdown: nothing to render and compare (most articles; keeps check fast)
    policy = Policy.from_settings(ctx.settings)
    try:
        content, metadata = _render(doc, ctx)
    except Exception:  # noqa: BLE001 - the metadata rules report what stops the reader
        return
    parts = [("body", content or "", doc.body_line)]
    for key in ("title", "summary"):
        found = doc.get(key)
        if found is not None and isinstance(metadata.get(key), str):
            parts.append((key, metadata[key], found.line))
    for where, html, line in parts:
        for kind, tag, detail in removals(html, policy):
            if kind == "comment":
                yield problem(doc, _locate(doc, line, ["<!--"]), "W-HTML-COMMENT",
                              "chú thích HTML <!-- … --> sẽ bị bỏ khi đăng")  # fmt: skip
            elif kind == "tag":
                yield problem(doc, _locate(doc, line, [f"<{tag}", tag]), "E-HTML-UNSAFE",
                              f"thẻ <{tag}> không được phép ({where}); khi đăng sẽ bị gỡ bỏ. "
                              "Khung nhúng (iframe) chỉ từ các nguồn trong EDITORIAL_EMBED_ALLOWLIST")  # fmt: skip
            else:
                name, _, value = detail.partition("=")
                yield problem(doc, _locate(doc, line, [value[:40], f"{name}="]), "E-HTML-UNSAFE",
                              f"thuộc tính “{detail[:80]}” của thẻ <{tag}> không được phép ({where}): "
                              "mã chạy trong trang, liên kết javascript:/data:, hoặc nguồn nhúng ngoài danh sách")


# --- across files -------------------------------------------------------------


class _Fields(dict):
    def __missing__(self, key):
        return ""


def url_of(doc: Document, ctx: Context, slug: str | None = None) -> tuple[str, str] | None:
    """(slug, url) as Pelican will make them, or None when the file is too broken to tell."""
    slug = slug or doc.value("slug").strip() or title_slug(doc, ctx)
    if not slug:
        return None
    s = ctx.settings
    if doc.kind == "page":
        pattern = s.get("DRAFT_PAGE_URL") if doc.is_draft else s.get("PAGE_URL")
        return slug, (pattern or "").format_map(_Fields(slug=slug, lang=s.get("DEFAULT_LANG", "")))
    date = parse_date(doc.value("date"), ctx.tz)
    category = ctx.sections.get(unicodedata.normalize("NFC", doc.value("category")))
    scheduled = date is not None and not s.get("WITH_FUTURE_DATES", True) and date > datetime.now(ctx.tz)
    if doc.is_draft or scheduled:  # Pelican makes a future article a draft until it is due
        pattern = s.get("DRAFT_URL") or ""
    elif date and category:
        pattern = s.get("ARTICLE_URL") or ""
    else:
        return None
    fields = _Fields(slug=slug, category=category or "", date=date or datetime.min,
                     lang=s.get("DEFAULT_LANG", ""), author=make_slug(doc.value("author"), s))  # fmt: skip
    try:
        return slug, pattern.format_map(fields)
    except (ValueError, KeyError, AttributeError):
        return None


def title_slug(doc: Document, ctx: Context) -> str:
    """The slug the build makes from the title (plugins/distinct_urls shortens it)."""
    title = unicodedata.normalize("NFC", doc.value("title"))
    limit = ctx.settings.get("SLUG_MAX_LENGTH", DEFAULT_SLUG_MAX_LENGTH)
    return shorten(make_slug(title, ctx.settings), limit) if title else ""


SLOT = "\x00"  # a slug no title makes: marks where the slug goes in a URL


def url_folder(doc: Document, ctx: Context) -> str | None:
    """The folder of the doc's URL, found without making its slug (slugs are slow to make).

    Two URLs whose slug is their last segment are equal only if their folders are: the
    only files that can collide are those that share a folder. None: cannot tell.
    """
    found = url_of(doc, ctx, SLOT)
    if not found or "/" in doc.value("slug"):
        return None
    head, _, tail = found[1].partition(SLOT)
    if "/" in tail or not head.endswith("/") and head:
        return None
    return head


@site_rule
def equal_urls_told_apart(docs: list[Document], ctx: Context) -> Iterator[Problem]:
    """Files that would share a URL get -2, -3… as the build gives them (plugins/distinct_urls)."""
    by_folder: dict[str | None, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.kind != "document":  # documents: E-DOC-DUPLICATE (plugins/documents/rules.py)
            by_folder[url_folder(doc, ctx)].append(doc)
    # A file alone in its folder cannot collide: only the others need their slug made.
    docs = [doc for folder, group in by_folder.items() if len(group) > 1 or folder is None
            for doc in group]  # fmt: skip
    by_path = {doc.path: doc for doc in docs}
    made = {doc.path: url_of(doc, ctx) for doc in docs}
    natural = {path: m[1] for path, m in made.items() if m and m[1]}

    def respell(path: Path, n: int) -> str:
        again = url_of(by_path[path], ctx, f"{made[path][0]}-{n}")
        return again[1] if again else ""

    for path, n in suffixes(natural, respell).items():
        doc = by_path[path]
        others = ", ".join(o.name for o, url in natural.items() if url == natural[path] and o != path)
        line = doc.get("slug") or doc.get("title") or doc.get("date")
        yield problem(doc, line.line if line else 1, "N-URL-SUFFIX",
                      f"cùng địa chỉ “{natural[path]}” với {others}: bài này sẽ ở “{respell(path, n)}”")  # fmt: skip
