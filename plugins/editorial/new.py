"""`invoke new`: start an article as a draft, in the right folder, with its metadata."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import file_slug, make_slug, sections, setting
from .rules import BODY_PLACEHOLDER, SUMMARY_PLACEHOLDER, split_tags
from .tonemarks import fold, to_style


class NewArticleError(ValueError):
    """Refused: unknown section, empty title, or the file exists already."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def find_section(category: str, settings: dict) -> tuple[str, str]:
    """(name, slug) of the section `category` names: its name, its slug, or a near spelling."""
    known = sections(settings)
    category = nfc(category)
    for name, slug in known.items():
        if category in (name, slug) or fold(category) == fold(name):
            return name, slug
    valid = "\n".join(f"  - {name}" for name in known)
    raise NewArticleError(f"Chuyên mục “{category}” không có. Các chuyên mục hợp lệ:\n{valid}")


def render(title, date, category, tags, author, summary, slug) -> str:
    lines = [f"Title: {title}", f"Date: {date}", f"Category: {category}"]
    if tags:
        lines.append(f"Tags: {', '.join(tags)}")
    lines += [f"Author: {author}", f"Summary: {summary}", f"Slug: {slug}", "Status: draft"]
    return "\n".join(lines) + f"\n\n{BODY_PLACEHOLDER}\n"


def new_article(title: str, category: str, settings: dict, tags: str = "", author: str = "",
                summary: str = "", now: datetime | None = None) -> Path:  # fmt: skip
    """Write the new draft and return its path; never overwrites a file."""
    title = " ".join(nfc(title).split())
    if not title:
        raise NewArticleError("Thiếu tiêu đề: --title \"…\"")
    name, section_slug = find_section(category, settings)
    style = setting(settings, "EDITORIAL_TONE_STYLE")
    tag_list = [to_style(nfc(t), style) for t in split_tags(tags or "")]
    author = nfc(author) or nfc(setting(settings, "EDITORIAL_AUTHOR")) or nfc(settings.get("AUTHOR"))
    if not author:
        raise NewArticleError("Thiếu tác giả: --author \"…\" hoặc EDITORIAL_AUTHOR trong pelicanconf.py")
    slug = make_slug(title, settings)
    if not slug:
        raise NewArticleError(f"Tiêu đề “{title}” không tạo được địa chỉ (slug)")
    tz = ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")
    now = (now or datetime.now(tz)).astimezone(tz)
    folder = Path(settings["PATH"]) / settings["ARTICLE_PATHS"][0] / section_slug
    path = folder / f"{now:%Y-%m-%d}-{file_slug(slug)}.md"
    text = render(title, f"{now:%Y-%m-%d %H:%M}", name, tag_list, author,
                  nfc(summary) or SUMMARY_PLACEHOLDER, slug)  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise NewArticleError(f"Đã có tệp {path}; không ghi đè. Đổi tiêu đề hoặc sửa tệp đó.") from None
    return path
