"""The section list from settings and the per-build views built from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    name: str
    slug: str


@dataclass
class SectionView:
    """A section with its published articles, newest first, for templates."""

    name: str
    slug: str
    url: str
    articles: list[Any] = field(default_factory=list)


def parse_sections(raw: list[tuple[str, str]]) -> list[Section]:
    """SECTIONS is a list of (name, slug) pairs in menu order."""
    sections = [Section(name=name, slug=slug) for name, slug in raw]
    for attr in ("name", "slug"):
        values = [getattr(s, attr) for s in sections]
        dupes = {v for v in values if values.count(v) > 1}
        if dupes:
            raise ValueError(f"SECTIONS: {attr} lặp lại: {', '.join(sorted(dupes))}")
    return sections


TRUE_WORDS = frozenset({"true", "yes", "1", "có", "co", "x"})


def is_true(value: Any) -> bool:
    """Metadata flags such as `Featured: true` (or `có`) arrive as strings."""
    return str(value).strip().casefold() in TRUE_WORDS
