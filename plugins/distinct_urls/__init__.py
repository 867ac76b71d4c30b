"""Every article and page gets an output path of its own: equal titles never collide."""

from .plugin import register
from .naming import shorten, suffixes

__all__ = ["register", "shorten", "suffixes"]
