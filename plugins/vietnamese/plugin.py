"""Wires the Vietnamese reader and template filters into Pelican."""

from __future__ import annotations

from pelican import signals

from .reader import NFCMarkdownReader
from .text import format_date, format_number, format_time, nfc, sort_key, weekday

FILTERS = {
    "vi_date": format_date,
    "vi_time": format_time,
    "vi_weekday": weekday,
    "vi_number": format_number,
    "nfc": nfc,
}


def add_reader(readers) -> None:
    for ext in NFCMarkdownReader.file_extensions:
        readers.reader_classes[ext] = NFCMarkdownReader


def add_filters(generator) -> None:
    generator.env.filters.update(FILTERS)
    generator.env.filters["vi_sort"] = lambda items, attribute=None: sorted(
        items, key=lambda item: sort_key(getattr(item, attribute) if attribute else item)
    )


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_filters)
