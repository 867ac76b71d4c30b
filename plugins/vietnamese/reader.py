"""A Markdown reader that normalises the source to NFC before parsing.

Normalising the source (not only the output) makes metadata, display names of
sections and tags, slugs and body identical for NFC and NFD files.
"""

from __future__ import annotations

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .text import nfc


class NFCMarkdownReader(MarkdownReader):
    def read(self, source_path: str) -> tuple[str, dict]:
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        with pelican_open(source_path) as text:
            content = self._md.convert(nfc(text))
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata
