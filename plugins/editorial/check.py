"""`invoke check`: validate content files without building the site.

Prints one line per problem, `path:line: lỗi|cảnh báo|ghi chú [CODE] message`, then a
count; the exit status is 1 when there is any error.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from documents import model as documents
from vietnamese.text import clean

from .config import load_settings
from .meta import parse
from .rules import FILE_RULES, SITE_RULES, Context, Problem


def _document_rules() -> tuple[list, list]:
    """plugins/documents/rules.py: what a document must be, on top of the rules here."""
    from documents.rules import FILE_RULES as DOCUMENT_RULES, SITE_RULES as DOCUMENT_SITE_RULES  # noqa: PLC0415

    return DOCUMENT_RULES, DOCUMENT_SITE_RULES

ENCODING_HINT = (
    "tệp không phải UTF-8 (có thể soạn bằng bảng mã cũ TCVN3/ABC hoặc VNI): mở bằng Unikey, "
    "Công cụ chuyển mã (Ctrl+Shift+F6), chuyển sang “Unicode” rồi lưu lại dạng UTF-8"
)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    fixed: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.code.startswith("W-") for p in self.problems)

    @property
    def notices(self) -> int:
        return sum(p.is_notice for p in self.problems)


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path.is_relative_to(f) for f in folders)


def is_markdown(path: Path) -> bool:
    """A file the build reads as an article or page: every suffix of Pelican's Markdown reader."""
    from pelican.readers import MarkdownReader  # noqa: PLC0415

    return path.suffix.lower().lstrip(".") in MarkdownReader.file_extensions


def content_files(content_root: Path, settings: dict) -> list[Path]:
    folders = [content_root / p for p in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"])]
    folders += documents.folders(content_root, settings)  # plugins/documents: Văn bản
    files = {f for folder in folders if folder.is_dir() for f in folder.rglob("*") if is_markdown(f)}
    return sorted(files)


def kind_of(path: Path, content_root: Path, settings: dict) -> str:
    """"article", "page" or "document" (a file of DOCUMENTS_PATHS, plugins/documents)."""
    pages, articles, docs = _folders(content_root, tuple(settings["PAGE_PATHS"]), tuple(settings["ARTICLE_PATHS"]),
                                     tuple(map(str, documents.folders(content_root, settings))))  # fmt: skip
    if _under(path, docs):
        return "document"
    if _under(path, pages) and not _under(path, [a for a in articles if a not in pages]):
        return "page"
    return "article"


@lru_cache(maxsize=8)
def _folders(content_root: Path, pages: tuple, articles: tuple,
             docs: tuple = ()) -> tuple[list[Path], list[Path], list[Path]]:  # fmt: skip
    return [content_root / p for p in pages], [content_root / p for p in articles], [Path(d) for d in docs]


HEADER_END = re.compile(r"\n[ \t\r]*\n")


def load(path: Path, content_root: Path, settings: dict, fix: bool = False,
         header_only: bool = False):  # fmt: skip
    """(Document, fixed) or (None, Problem) for a file that is not UTF-8; rewrites NFC if fix.

    header_only: the metadata alone (what the rules that span files read), without
    cleaning the body: a whole-site check reads every file, but checks few of them.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        return None, Problem(path, line, "E-ENCODING", ENCODING_HINT)
    if header_only:
        end = HEADER_END.search(text)
        text = text[: end.end()] if end else text
    fixed = False
    cleaned = clean(text)  # what the build reads (plugins/vietnamese)
    if fix and cleaned != text:
        path.write_bytes(cleaned.encode("utf-8"))  # only the cleaning: same bytes otherwise
        fixed, text = True, cleaned
    doc = parse(cleaned, path)
    doc.raw = text
    doc.kind = kind_of(path, content_root, settings)
    return doc, fixed


def check(paths=(), settings: dict | None = None, content_root: Path | None = None,
          fix: bool = False, site_rules: bool = True) -> Report:  # fmt: skip
    """Check `paths` (files or folders; all content when empty) against every rule.

    site_rules=False checks `paths` on their own, without reading the rest of the
    content (the preview does, on each save: the build reports what spans files).
    """
    settings = settings or load_settings()
    content_root = Path(content_root or settings["PATH"]).resolve()
    everything = content_files(content_root, settings) if site_rules or not paths else []
    selected: list[Path] = []
    others: list[Path] = []  # images, documents… : only their type is checked
    for p in map(Path, paths):
        p = p.resolve()
        found = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        selected.extend(f for f in found if is_markdown(f))
        others.extend(f for f in found if not is_markdown(f))
    if not paths:
        selected = everything
        known = set(everything)
        others = [f for f in content_root.rglob("*") if f.is_file() and f not in known]
    wanted = set(selected)

    report = Report(files=len(selected) + len(others))
    report.problems.extend(file_type_problems(others, content_root, settings))
    ctx = Context(settings, content_root)
    document_rules, document_site_rules = _document_rules() if documents.enabled(settings) else ([], [])
    for path in sorted(wanted | set(everything)):
        doc, extra = load(path, content_root, settings, fix=fix and path in wanted,
                          header_only=path not in wanted)  # fmt: skip
        if doc is None:
            if path in wanted:
                report.problems.append(extra)
            continue
        if extra:
            report.fixed.append(path)
        ctx.docs.append(doc)
        if path in wanted:
            for rule in (*FILE_RULES, *document_rules) if doc.kind == "document" else FILE_RULES:
                report.problems.extend(rule(doc, ctx))
    for rule in (*SITE_RULES, *document_site_rules) if site_rules else ():
        report.problems.extend(p for p in rule(ctx.docs, ctx) if p.path in wanted)
    report.problems.sort(key=lambda p: (str(p.path), p.line, p.code))
    return report


def file_type_problems(files: list[Path], content_root: Path, settings: dict) -> list[Problem]:
    """The files under content/ the build would refuse to publish (plugins/sanitize/files.py)."""
    from sanitize.files import file_problem  # noqa: PLC0415

    found = []
    for path in sorted(files):
        why = file_problem(path, content_root, settings)
        if why:
            found.append(Problem(path, 1, "E-FILE-TYPE", why))
    return found


def display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def format_problem(p: Problem) -> str:
    kind = "lỗi" if p.is_error else "ghi chú" if p.is_notice else "cảnh báo"
    return f"{display(p.path)}:{p.line}: {kind} [{p.code}] {p.message}"


def summary(report: Report) -> str:
    if not report.problems:
        return f"Đã kiểm tra {report.files} tệp: không có lỗi."
    notices = f", {report.notices} ghi chú" if report.notices else ""
    return f"Đã kiểm tra {report.files} tệp: {report.errors} lỗi, {report.warnings} cảnh báo{notices}."


def main(paths=(), fix: bool = False, settings: dict | None = None, out=None) -> int:
    out = out or sys.stdout
    settings = settings or load_settings()
    report = check(paths, settings, fix=fix)
    for path in report.fixed:
        print(f"{display(path)}: đã chuẩn hóa (NFC, bỏ ký tự ẩn)", file=out)
    for p in report.problems:
        print(format_problem(p), file=out)
    print(summary(report), file=out)
    return 1 if report.errors else 0
