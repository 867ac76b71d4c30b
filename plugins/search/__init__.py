"""Site search with Pagefind: index the published articles at the end of every build."""

from .plugin import register

__all__ = ["register"]
