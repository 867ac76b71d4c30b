"""A Markdown reader that cleans the source before parsing, and typogrifies.

Cleaning the source (not only the output): NFC and no invisible characters (zero-width
spaces, soft hyphens… pasted from Word) make metadata, display names of sections and tags,
slugs and body identical for NFC and NFD files, with or without them. Text in the old
TCVN3/VNI encodings pasted into a UTF-8 file is refused (it would publish garbage and a
garbled URL), and a day-first date ("08/11/2023") is 8 November. `invoke check` applies
the same functions (text.py), so what it passes is what builds.

Typogrify (VIETNAMESE_TYPOGRIFY, with Pelican's TYPOGRIFY_* options) runs here, on the
body, title and summary, exactly as Pelican's Readers.read_file would run it, instead of
there (pelicanconf.py turns Pelican's own pass off): what a reader returns is what Pelican's
content cache keeps, so a file read before is neither parsed nor typogrified again. It is
40% of reading an article.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .text import clean, day_first_to_iso, legacy_encoding, legacy_encoding_message


def typogrify(text: str, settings: dict) -> str:
    """Pelican 4.12's typogrify_wrapper (Readers.read_file), with the same settings."""
    import smartypants  # noqa: PLC0415
    from typogrify.filters import typogrify as apply  # noqa: PLC0415

    dashes = settings.get("TYPOGRIFY_DASHES", "default")
    smartypants.Attr.default = {"oldschool": smartypants.Attr.set2,
                                "oldschool_inverted": smartypants.Attr.set3}.get(dashes, smartypants.Attr.set1)
    smartypants.Attr.default |= smartypants.Attr.w  # &quot; entities become quotes too
    omit = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)
    return apply(text, settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omit)


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
            text = clean(text)
        found = legacy_encoding(text)
        if found:
            line, kind, sample = found
            raise ValueError(f"{source_path}:{line}: {legacy_encoding_message(kind, sample)}")
        content = md.convert(text)
        meta = getattr(md, "Meta", None)
        metadata = self._parse_metadata(meta) if meta else {}
        if self.settings.get("VIETNAMESE_TYPOGRIFY"):
            content = typogrify(content, self.settings) if content else content
            for key in ("title", "summary"):
                if key in metadata:
                    metadata[key] = typogrify(metadata[key], self.settings)
        return content, metadata

    def process_metadata(self, name: str, value: object) -> object:
        if name in ("date", "modified") and isinstance(value, str):
            value = day_first_to_iso(value)
        return super().process_metadata(name, value)

    def _parse_metadata(self, meta: dict) -> dict:
        if self._fields_md is None:
            self._fields_md = Markdown(**self.settings["MARKDOWN"])
            self._fields_md.preprocessors.deregister("meta")
        # Pelican's implementation deregisters "meta" from self._md on every call.
        self._fields_md.preprocessors.register(_Passthrough(self._fields_md), "meta", 0)
        self._md = self._fields_md
        return super()._parse_metadata(meta)
