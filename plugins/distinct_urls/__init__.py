"""Every article and page gets an output path of its own: equal titles never collide."""

from .naming import DEFAULT_SLUG_MAX_LENGTH, shorten, suffixes
from .plugin import register

__all__ = ["DEFAULT_SLUG_MAX_LENGTH", "register", "shorten", "suffixes"]
