"""Reproducible sitemap dates: pelican-sitemap's index pages dated by content, not the clock."""

from .plugin import register

__all__ = ["register"]
