"""A Markdown reader that normalises the source to NFC before parsing.

Normalising the source (not only the output) makes metadata, display names of
sections and tags, slugs and body identical for NFC and NFD files.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .text import nfc


class _Passthrough(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return lines


class NFCMarkdownReader(MarkdownReader):
    """Also reuses its two Markdown instances across files (reset between uses).

    Pelican makes a new `Markdown` per file because its `_parse_metadata` removes
    the "meta" step from the instance before rendering Summary-like fields. Here
    the document instance keeps its meta step and a second instance, without it,
    renders those fields: building Markdown objects was ~6% of a 5,000-article build.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._document_md: Markdown | None = None
        self._fields_md: Markdown | None = None

    def read(self, source_path: str) -> tuple[str, dict]:
        self._source_path = source_path
        if self._document_md is None:
            self._document_md = Markdown(**self.settings["MARKDOWN"])
        md = self._document_md
        md.reset()
        with pelican_open(source_path) as text:
            content = md.convert(nfc(text))
        meta = getattr(md, "Meta", None)
        return content, self._parse_metadata(meta) if meta else {}

    def _parse_metadata(self, meta: dict) -> dict:
        if self._fields_md is None:
            self._fields_md = Markdown(**self.settings["MARKDOWN"])
            self._fields_md.preprocessors.deregister("meta")
        # Pelican's implementation deregisters "meta" from self._md on every call.
        self._fields_md.preprocessors.register(_Passthrough(self._fields_md), "meta", 0)
        self._md = self._fields_md
        return super()._parse_metadata(meta)
