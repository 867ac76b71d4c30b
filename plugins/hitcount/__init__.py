"""Visitor counter, the Pelican half: the widget's templates and script, the statistics page and
the manifest of countable pages. The endpoint that counts is plugins/hitcount_service."""

from __future__ import annotations

from .plugin import register

__all__ = ["register"]
