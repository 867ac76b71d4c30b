"""Vietnamese text for Pelican: NFC on read, locale-free dates and numbers, collation."""

from .plugin import register

__all__ = ["register"]
