"""Editorial tools: new articles, the content checker, drafts preview, legacy import.

The Pelican part (`register`) only adds the drafts page and draft marks to the
development build; the command-line tools (`python -m editorial …`, or the
invoke tasks new/check/import-legacy) never run a build.
"""

from .plugin import register

__all__ = ["register"]
