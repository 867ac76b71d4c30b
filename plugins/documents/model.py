"""What a document (văn bản) is, shared by the build, `make check` and `make new-document`.

No Pelican import here: the checker loads this module for every `make check`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Folders under PATH (content/) whose Markdown files are documents. Not ARTICLE_PATHS or
    # PAGE_PATHS: Pelican's own generators never read them.
    "DOCUMENTS_PATHS": ["van-ban"],
    # (name, slug) of each type, in the order lists and filters show them. A document's
    # `Type:` must be one of the names (or slugs); any other fails check and build.
    "DOCUMENT_TYPES": [
        ("Nghị quyết", "nghi-quyet"),
        ("Chỉ thị", "chi-thi"),
        ("Kết luận", "ket-luan"),
        ("Quy định", "quy-dinh"),
        ("Quyết định", "quyet-dinh"),
        ("Quy chế", "quy-che"),
        ("Chương trình", "chuong-trinh"),
        ("Kế hoạch", "ke-hoach"),
        ("Thông báo", "thong-bao"),
        ("Hướng dẫn", "huong-dan"),
        ("Báo cáo", "bao-cao"),
        ("Công văn", "cong-van"),
    ],
    # One page per document; the slug is made from the number and the year (57-nq-tw-2024).
    "DOCUMENT_URL": "van-ban/{slug}.html",
    "DOCUMENT_SAVE_AS": "van-ban/{slug}.html",
    "DOCUMENT_LANG_URL": "van-ban/{slug}-{lang}.html",
    "DOCUMENT_LANG_SAVE_AS": "van-ban/{slug}-{lang}.html",
    # The lists: all documents, one list per type, one per year (static pages, paginated).
    "DOCUMENTS_URL": "van-ban/",
    "DOCUMENTS_SAVE_AS": "van-ban/index.html",
    "DOCUMENTS_TYPE_URL": "van-ban/{slug}/",
    "DOCUMENTS_TYPE_SAVE_AS": "van-ban/{slug}/index.html",
    "DOCUMENTS_YEAR_URL": "van-ban/nam-{year}/",
    "DOCUMENTS_YEAR_SAVE_AS": "van-ban/nam-{year}/index.html",
    "DOCUMENTS_PER_PAGE": 20,
    # The list the filter script reads (every published document, a few fields each).
    "DOCUMENTS_INDEX_JSON": "van-ban/danh-sach.json",
    "DOCUMENTS_FEED_ATOM": "feeds/van-ban.atom.xml",
    # LATEST_DOCUMENTS: how many of the newest the home page gets.
    "DOCUMENTS_LATEST_COUNT": 5,
    # Metadata every document must have besides Number, Type, Date and File (their own rules).
    "DOCUMENTS_REQUIRED_METADATA": ["Title", "Issuer"],
    # `make new-document`: the issuer written when --issuer is not given ("" → COMMITTEE name).
    "DOCUMENTS_DEFAULT_ISSUER": "",
    # Search: the document pages' own Pagefind bundle, merged by the search page ("" = none),
    # and the value of the search page's section filter for documents.
    "DOCUMENTS_SEARCH_BUNDLE": "pagefind-van-ban",
    "DOCUMENTS_SEARCH_SECTION": "Văn bản",
}

# Metadata keys of a document (anything else is reported as a likely typo by `make check`).
KNOWN_METADATA = ("Title", "Number", "Type", "Issuer", "Date", "Signer", "File", "Related",
                  "Slug", "Status")  # fmt: skip

# What `make new-document` writes for the editor to replace (check reports them).
TITLE_PLACEHOLDER = "(Trích yếu: chép đúng nội dung trích yếu in trên văn bản.)"
SIGNER_PLACEHOLDER = "(Họ và tên người ký)"


def setting(settings: dict, key: str) -> Any:
    return settings.get(key, DEFAULTS[key])


def enabled(settings: dict) -> bool:
    """The plugin is in PLUGINS: its folders hold documents (else they are no content at all)."""
    return "documents" in (settings.get("PLUGINS") or ())


def folders(content_root: Path, settings: dict) -> list[Path]:
    if not enabled(settings):
        return []
    return [Path(content_root) / p for p in setting(settings, "DOCUMENTS_PATHS")]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


# --- types --------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentType:
    name: str
    slug: str
    url: str = ""

    def __str__(self) -> str:
        return self.name


def types(settings: dict) -> list[DocumentType]:
    pattern = setting(settings, "DOCUMENTS_TYPE_URL")
    return [DocumentType(nfc(name), slug, pattern.format(slug=slug))
            for name, slug in setting(settings, "DOCUMENT_TYPES")]  # fmt: skip


def find_type(value: str, settings: dict) -> DocumentType | None:
    """The type `value` names: its name (any letter case) or its slug. None: not a type."""
    value = nfc(value).casefold()
    for kind in types(settings):
        if value in (kind.name.casefold(), kind.slug):
            return kind
    return None


# --- numbers ------------------------------------------------------------------------

# Số/ký hiệu as Vietnamese documents print them: a number, an optional year, then the
# abbreviations of the type and the issuer, each starting with a capital (Đ included),
# separated by "-" or "/": 57-NQ/TW, 05-CT/TU, 15-CTr/TU, 123/QĐ-UBND, 42/2022/NĐ-CP, 91/2025/QH15.
NUMBER = re.compile(r"^\d{1,6}(?:/\d{4})?(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)+$")
NUMBER_EXAMPLES = "57-NQ/TW, 05-CT/TU, 123/QĐ-UBND, 42/2022/NĐ-CP"


def number_problem(value: str) -> str | None:
    """Why `value` is not a document number (None: it is one)."""
    value = nfc(value)
    if not value:
        return "thiếu số/ký hiệu (Number), ví dụ “Number: 57-NQ/TW”"
    if NUMBER.match(value):
        return None
    hint = ""
    bare = re.sub(r"^(?:số|so)\b\.?\s*", "", value, flags=re.I)
    if bare != value and NUMBER.match(bare):
        hint = f"; bỏ chữ “Số”: viết “{bare}”"
    elif re.search(r"[\u2010-\u2015\u2212]", value):
        fixed = re.sub(r"[\u2010-\u2015\u2212]", "-", value)
        hint = f"; dùng dấu gạch nối thường (-), không dùng gạch dài: “{fixed}”"
    elif re.search(r"\s", value) and NUMBER.match(joined := re.sub(r"\s+", "", value)):
        hint = f"; bỏ khoảng trắng: “{joined}”"
    elif NUMBER.match(value.upper()):
        hint = f"; viết hoa ký hiệu: “{value.upper()}”"
    return (f"số/ký hiệu “{value}” không đúng dạng (số, rồi ký hiệu viết hoa sau dấu - hoặc /, "
            f"ví dụ {NUMBER_EXAMPLES}){hint}")  # fmt: skip


def plain(text: str) -> str:
    """"Chỉ thị" → "chi thi": without tone marks and with "đ" as "d", for suggestions."""
    text = unicodedata.normalize("NFD", fold_d(nfc(text)))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def fold_d(text: str) -> str:
    """"123/QĐ-UBND" → "123/QD-UBND": what a reader types without the Vietnamese keyboard."""
    return text.replace("Đ", "D").replace("đ", "d")


# --- files ----------------------------------------------------------------------------

PDF_MAGIC = b"%PDF-"


def file_path(value: str, content_root: Path) -> Path | None:
    """The file a `File:` value names, relative to content/ (None: outside content/)."""
    value = nfc(value).replace("\\", "/")
    value = re.sub(r"^(?:\{static\}|\|static\|)", "", value).lstrip("/")
    if not value:
        return None
    parts = PurePosixPath(value).parts
    if ".." in parts:
        return None
    return Path(content_root, *parts)


def file_problem(value: str, content_root: Path) -> str | None:
    """Why a document's `File:` cannot be published (None: it names a PDF under content/)."""
    value = nfc(value)
    example = "“File: van-ban/tep/57-nq-tw.pdf”"
    if not value:
        return f"thiếu tệp văn bản (File), ví dụ {example} (tệp PDF trong content/)"
    path = file_path(value, content_root)
    if path is None:
        return f"tệp “{value}” phải nằm trong content/, ví dụ {example}"
    if path.suffix.lower() != ".pdf":
        return f"tệp “{value}” không phải PDF: chỉ đăng văn bản dạng .pdf"
    if not path.is_file():
        return f"không có tệp “{value}”: chép tệp PDF vào content/{PurePosixPath(value.lstrip('/'))}"
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if PDF_MAGIC not in head:
        return f"tệp “{value}” có đuôi .pdf nhưng không phải PDF (lưu lại dạng PDF từ Word hoặc máy quét)"
    return None


def format_size(size: int) -> str:
    """245,3 KB / 1,2 MB / 812 byte: sizes as Vietnamese write them (1 KB = 1024 byte)."""
    from vietnamese.text import format_number  # noqa: PLC0415

    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{format_number(size / 1024, 1)} KB"
    return f"{format_number(size / (1024 * 1024), 1)} MB"


# --- related articles -------------------------------------------------------------------


def split_list(value: str) -> list[str]:
    return [item.strip() for item in nfc(value).split(",") if item.strip()]


def related_path(value: str, content_root: Path, settings: dict) -> Path | None:
    """The article file a `Related:` entry names: a path under content/ or under the articles
    folder (`articles/kinh-te/bai.md` or `kinh-te/bai.md`). None: no such article."""
    value = value.strip().replace("\\", "/").lstrip("/")
    if not value or ".." in PurePosixPath(value).parts:
        return None
    from_root = Path(content_root, value)
    candidates = [from_root] + [Path(content_root, folder, value) for folder in settings.get("ARTICLE_PATHS", [])]
    articles = [Path(content_root, folder) for folder in settings.get("ARTICLE_PATHS", [])]
    for path in candidates:
        if path.is_file() and any(path.is_relative_to(folder) for folder in articles):
            return path
    return None


# --- slugs ---------------------------------------------------------------------------


def document_slug(number: str, year: int, settings: dict) -> str:
    """57-NQ/TW of 2024 → "57-nq-tw-2024"; 42/2022/NĐ-CP → "42-2022-nd-cp" (year already in)."""
    from editorial.config import make_slug  # noqa: PLC0415

    slug = make_slug(nfc(number), settings)
    if not slug:
        return ""
    return slug if str(year) in slug.split("-") else f"{slug}-{year}"
