"""The documents' rules, for `make check` and the build alike (check ⇔ build).

`make check` runs FILE_RULES on each document (besides the editorial rules that apply to any
Markdown file: encoding, NFC, placeholders, what the sanitiser removes…) and SITE_RULES across
them. The build (plugin.py) runs `validate` on the same parsed headers before it reads a
document, and stops on the same errors with the same words.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from editorial.meta import Document
from editorial.rules import Context, Problem, RuleSet, parse_date, problem, required_metadata

from .model import (
    document_slug,
    file_problem,
    find_type,
    nfc,
    number_problem,
    plain,
    related_path,
    setting,
    split_list,
    types,
)

RULES = RuleSet()
file_rule, site_rule = RULES.file_rule, RULES.site_rule
FILE_RULES, SITE_RULES = RULES.file_rules, RULES.site_rules


def _line(doc: Document, name: str) -> int:
    """The line of a key, or the line after the header when it is missing."""
    found = doc.get(name)
    if found is not None:
        return found.line
    return doc.fields[-1].line + 1 if doc.fields else 1


@file_rule
def number_is_valid(doc: Document, ctx: Context) -> Iterator[Problem]:
    why = number_problem(doc.value("number"))
    if why:
        yield problem(doc, _line(doc, "number"), "E-DOC-NUMBER", why)


@file_rule
def type_is_known(doc: Document, ctx: Context) -> Iterator[Problem]:
    value = nfc(doc.value("type"))
    if find_type(value, ctx.settings):
        return
    known = types(ctx.settings)
    names = "; ".join(kind.name for kind in known)
    if not value:
        message = f"thiếu loại văn bản (Type). Các loại: {names}"
    else:
        near = [kind.name for kind in known if plain(kind.name) in (plain(value), plain(value).replace('-', ' '))]
        hint = f" Có phải “{near[0]}”?" if near else ""
        message = f"loại văn bản “{value}” không có trong DOCUMENT_TYPES.{hint} Các loại: {names}"
    yield problem(doc, _line(doc, "type"), "E-DOC-TYPE", message)


def issued(doc: Document, ctx: Context) -> datetime | None:
    return parse_date(doc.value("date"), ctx.tz) if doc.value("date").strip() else None


@file_rule
def date_is_valid(doc: Document, ctx: Context) -> Iterator[Problem]:
    value = doc.value("date").strip()
    if not value:
        message = "thiếu ngày ban hành (Date), ví dụ “Date: 2024-12-22” hoặc “Date: 22/12/2024”"
    elif (date := issued(doc, ctx)) is None:
        message = (f"ngày ban hành “{value}” không đọc được; viết dạng YYYY-MM-DD hoặc "
                   "DD/MM/YYYY, ví dụ 2024-12-22 hoặc 22/12/2024")  # fmt: skip
    elif date > datetime.now(ctx.tz):
        message = f"ngày ban hành “{value}” ở tương lai: ghi ngày ký trên văn bản"
    else:
        return
    yield problem(doc, _line(doc, "date"), "E-DOC-DATE", message)


@file_rule
def file_is_a_pdf(doc: Document, ctx: Context) -> Iterator[Problem]:
    why = file_problem(doc.value("file"), ctx.content_root)
    if why:
        yield problem(doc, _line(doc, "file"), "E-DOC-FILE", why)


@file_rule
def related_articles_exist(doc: Document, ctx: Context) -> Iterator[Problem]:
    found = doc.get("related")
    if found is None:
        return
    for entry in split_list(found.value):
        if related_path(entry, ctx.content_root, ctx.settings) is None:
            yield problem(doc, found.line, "E-DOC-RELATED",
                          f"không có bài “{entry}”: ghi đường dẫn tệp bài trong content/articles/, "
                          "ví dụ “Related: kinh-te/2023-11-03-ten-bai.md”, nhiều bài cách nhau dấu phẩy")  # fmt: skip


def url_of(doc: Document, ctx: Context) -> str | None:
    """The output file of a document page, as the build names it; None: not written or unknown."""
    if doc.is_draft:
        return None
    slug = doc.value("slug").strip()
    date = issued(doc, ctx)
    if not slug:
        if number_problem(doc.value("number")) or date is None:
            return None
        slug = document_slug(doc.value("number"), date.year, ctx.settings)
    pattern = setting(ctx.settings, "DOCUMENT_SAVE_AS")
    try:
        return pattern.format(slug=slug, date=date or datetime.min, lang=ctx.settings.get("DEFAULT_LANG", ""))
    except (KeyError, ValueError, IndexError):
        return None


@site_rule
def one_page_per_document(docs: list[Document], ctx: Context) -> Iterator[Problem]:
    """Two documents with one number in one year would write one page: the later files say so."""
    first: dict[str, Document] = {}
    for doc in sorted((d for d in docs if d.kind == "document"), key=lambda d: str(d.path)):
        url = url_of(doc, ctx)
        if not url:
            continue
        if url in first:
            line = _line(doc, "slug") if doc.get("slug") else _line(doc, "number")
            yield problem(doc, line, "E-DOC-DUPLICATE",
                          f"cùng địa chỉ “{url}” với {first[url].path.name} (cùng số/ký hiệu và năm): "
                          "nếu đúng là hai văn bản khác nhau, thêm dòng “Slug: …” khác cho văn bản này")  # fmt: skip
        else:
            first[url] = doc


def validate(docs: list[Document], ctx: Context) -> list[Problem]:
    """What the build refuses: the required metadata and the rules above (errors only)."""
    found: list[Problem] = []
    for doc in docs:
        found.extend(required_metadata(doc, ctx))
        for rule in FILE_RULES:
            found.extend(rule(doc, ctx))
    for rule in SITE_RULES:
        found.extend(rule(docs, ctx))
    return sorted(p for p in found if p.is_error)
