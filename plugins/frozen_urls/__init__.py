"""Compute each content object's URL once per build instead of on every access."""

from .plugin import register

__all__ = ["register"]
