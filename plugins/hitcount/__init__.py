"""Visitor counter: a Pelican plugin (widget, settings, manifest) and the HTTP endpoint that counts.

The Pelican half is imported lazily so that the endpoint processes never import Pelican.
"""

from __future__ import annotations


def register() -> None:
    """Pelican entry point (PLUGINS = [..., "hitcount"])."""
    from .plugin import register as _register  # noqa: PLC0415 - keep the endpoint free of Pelican

    _register()


__all__ = ["register"]
