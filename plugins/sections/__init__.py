"""Sections (chuyên mục) defined once in settings: validation, slugs, home blocks, neighbours."""

from .plugin import register

__all__ = ["register"]
