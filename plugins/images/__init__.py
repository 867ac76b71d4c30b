"""Responsive images: Pillow derivatives (WebP + original format), srcset, sizes, captions."""

from .plugin import register

__all__ = ["register"]
