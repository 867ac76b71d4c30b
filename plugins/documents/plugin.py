"""The build: a generator that reads content/van-ban/, and the pages, feed and files it writes.

Each Markdown file of DOCUMENTS_PATHS is one document. Before anything is read the headers are
checked with rules.py, the rules `make check` runs: an error stops the build naming the file,
the line and the reason (`--fatal warnings`, as every build here runs). Then Pelican's readers
read each file (so plugins/vietnamese cleans it and plugins/sanitize cleans its title and body,
at content_object_init, as for articles), and the generator writes:

- `van-ban/<slug>.html` per document (template documents/document.html), its PDF copied to the
  same path as under content/;
- `van-ban/` (all, newest first), `van-ban/<type>/` and `van-ban/nam-<yyyy>/`, paginated
  (documents/list.html), usable without JavaScript; `van-ban/danh-sach.json` for the filter
  script (static/js/documents.js);
- `feeds/van-ban.atom.xml`;
- for the theme: LATEST_DOCUMENTS (the newest few), DOCUMENTS, DOCUMENT_TYPE_VIEWS,
  DOCUMENT_YEAR_VIEWS in the context, `article.related_documents` on each article, and the
  partials documents/latest.html and documents/article_documents.html.

search.py indexes the document pages for the search page. Settings: model.DEFAULTS.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from . import model
from .model import DEFAULTS, DocumentType, setting
from .search import documents_index, start_index, write_index

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


class Document(Content):
    """One document. `title` is its trích yếu; the generator sets `type` (a DocumentType),
    `number`, `issuer`, `signer`, `file_url`, `file_size`, `file_size_text` and `related`."""

    mandatory_properties = ("title", "date")
    allowed_statuses = ("published", "hidden", "draft")
    default_status = "published"
    default_template = "documents/document"
    # pelican-sitemap reads these: a document seldom changes once issued.
    changefreq = "yearly"
    priority = 0.6

    def __init__(self, content: str, metadata: dict | None = None, settings: dict | None = None,
                 source_path: str | None = None, context: dict | None = None) -> None:  # fmt: skip
        metadata = dict(metadata or {})
        date = metadata.get("date")
        if "slug" not in metadata and metadata.get("number") and isinstance(date, datetime):
            metadata["slug"] = model.document_slug(str(metadata["number"]), date.year, settings or {})
        super().__init__(content, metadata, settings, source_path, context)

    @property
    def heading(self) -> str:
        """"Nghị quyết số 57-NQ/TW": how the document is named in lists and its page's <h1>."""
        return f"{self.type} số {self.number}"

    @property
    def type_name(self) -> str:
        return str(self.type)

    @property
    def text_title(self) -> str:
        """The trích yếu as plain text (the title is sanitised HTML, typogrified)."""
        return " ".join(Markup(self.title).striptags().replace("\xa0", " ").split())


@dataclass
class View:
    """A list of documents with a page of its own: a type or a year."""

    name: str
    url: str
    save_as: str
    documents: list[Document] = field(default_factory=list)
    type: DocumentType | None = None
    year: int | None = None


def _order(doc: Document) -> tuple:
    """Newest first; on one day by number (higher first), then by file name."""
    head = str(doc.number).split("/", 1)[0].split("-", 1)[0]
    return (doc.date, int(head) if head.isdigit() else 0, str(doc.number), doc.source_path)


class DocumentsGenerator(Generator):
    """Reads the documents (generate_context) and writes their pages (generate_output)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.documents: list[Document] = []  # published, newest first
        self.hidden_documents: list[Document] = []  # written, listed nowhere
        self.draft_documents: list[Document] = []  # not written
        super().__init__(*args, **kwargs)

    # --- reading --------------------------------------------------------------------------
    def generate_context(self) -> None:
        from editorial.check import format_problem, load  # noqa: PLC0415
        from editorial.rules import Context  # noqa: PLC0415

        from .rules import validate  # noqa: PLC0415

        settings, root = self.settings, Path(self.path).resolve()
        files = sorted(self.get_files(setting(settings, "DOCUMENTS_PATHS")))
        headers, problems = [], []
        for rel in files:
            doc, found = load(root / rel, root, settings, header_only=False)
            if doc is None:
                problems.append(found)
            else:
                headers.append((rel, doc))
        ctx = Context(settings, root)
        problems += validate([doc for _, doc in headers], ctx)
        refused = {p.path for p in problems}
        if problems:
            log.error("Văn bản không hợp lệ (sửa rồi dựng lại; `make check` báo cùng lỗi):\n%s",
                      "\n".join(f"  {format_problem(p)}" for p in problems))  # fmt: skip
        for rel, header in headers:
            if header.path in refused:
                continue
            doc = self._read(rel)
            if doc is None:
                continue
            {"published": self.documents, "hidden": self.hidden_documents}.get(
                doc.status, self.draft_documents).append(doc)  # fmt: skip
        for group in (self.documents, self.hidden_documents):
            group.sort(key=_order, reverse=True)
        self._link_articles()
        self._publish_context()
        documents_index(self.settings).collect(self)

    def _read(self, rel: str) -> Document | None:
        try:
            doc = self.readers.read_file(base_path=self.path, path=rel, content_class=Document,
                                         context=self.context)  # fmt: skip
        except Exception as err:  # noqa: BLE001 - named and refused, as Pelican does for articles
            log.error("Không đọc được văn bản %s: %s", rel, err)
            return None
        if not doc.is_valid():
            return None
        meta = doc.metadata
        doc.type = model.find_type(str(meta.get("type", "")), self.settings)
        doc.number = model.nfc(str(meta.get("number", "")))
        doc.issuer = model.nfc(str(meta.get("issuer", "")))
        doc.signer = model.nfc(str(meta.get("signer", "")))
        source = model.file_path(str(meta.get("file", "")), Path(self.path))
        doc.file_source = source
        doc.file_url = doc.file_save_as = source.relative_to(self.path).as_posix()
        doc.file_name = source.name
        doc.file_size = source.stat().st_size
        doc.file_size_text = model.format_size(doc.file_size)
        doc.related_sources = [
            os.path.relpath(found, self.path).replace(os.sep, "/")
            for entry in model.split_list(str(meta.get("related", "")))
            if (found := model.related_path(entry, Path(self.path), self.settings))
        ]
        doc.related = []
        self.add_source_path(doc)  # {filename}van-ban/….md links from articles find it
        return doc

    def _link_articles(self) -> None:
        """Each document's related articles (published ones), and each article's documents."""
        content = self.context.get("generated_content", {})
        articles = list(self.context.get("articles") or ())
        backlinks: dict[int, list[Document]] = {id(a): [] for a in articles}
        for doc in (*self.documents, *self.hidden_documents):
            doc.related = [a for src in doc.related_sources
                           if (a := content.get(src)) is not None and getattr(a, "status", "") == "published"]
            if doc.status == "published":
                for article in doc.related:
                    backlinks.setdefault(id(article), []).append(doc)
        for article in articles:
            article.related_documents = backlinks.get(id(article), [])

    def _publish_context(self) -> None:
        settings = self.settings
        by_type = {kind.slug: View(kind.name, kind.url,
                                   setting(settings, "DOCUMENTS_TYPE_SAVE_AS").format(slug=kind.slug), type=kind)
                   for kind in model.types(settings)}
        by_year: dict[int, View] = {}
        for doc in self.documents:
            by_type[doc.type.slug].documents.append(doc)
            year = doc.date.year
            if year not in by_year:
                by_year[year] = View(f"Năm {year}", setting(settings, "DOCUMENTS_YEAR_URL").format(year=year),
                                     setting(settings, "DOCUMENTS_YEAR_SAVE_AS").format(year=year), year=year)
            by_year[year].documents.append(doc)
        self.type_views = [view for view in by_type.values() if view.documents]
        self.year_views = [by_year[year] for year in sorted(by_year, reverse=True)]
        self.context["DOCUMENTS"] = self.documents
        self.context["LATEST_DOCUMENTS"] = self.documents[: setting(settings, "DOCUMENTS_LATEST_COUNT")]
        self.context["DOCUMENT_TYPE_VIEWS"] = self.type_views
        self.context["DOCUMENT_YEAR_VIEWS"] = self.year_views

    # --- writing --------------------------------------------------------------------------
    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        relative = settings["RELATIVE_URLS"]
        page = self.get_template("documents/document")
        for doc in (*self.documents, *self.hidden_documents):
            # Also given as `page`: pelican-sitemap then dates the entry by the document's Date.
            writer.write_file(doc.save_as, page, self.context, relative_urls=relative,
                              document=doc, page=doc, url=doc.url, page_name="document")  # fmt: skip
            self._copy_file(doc)
        listing = self.get_template("documents/list")
        lists = [(setting(settings, "DOCUMENTS_SAVE_AS"), setting(settings, "DOCUMENTS_URL"), self.documents,
                  {"kind": "all", "heading": "Văn bản", "title": "Văn bản"})]  # fmt: skip
        for view in self.type_views:
            lists.append((view.save_as, view.url, view.documents,
                          {"kind": "type", "heading": view.name, "title": f"{view.name} – Văn bản", "type": view.type}))
        for view in self.year_views:
            lists.append((view.save_as, view.url, view.documents,
                          {"kind": "year", "heading": f"Văn bản năm {view.year}", "title": f"Văn bản năm {view.year}",
                           "year": view.year}))  # fmt: skip
        for save_as, url, docs, about in lists:
            writer.write_file(save_as, listing, self.context, relative_urls=relative,
                              paginated={"documents": docs}, template_name="documents", url=url,
                              listing=about, listed=docs, page_name="documents")  # fmt: skip
        self._write_index()
        self._write_feed(writer)

    def _copy_file(self, doc: Document) -> None:
        target = Path(self.output_path, doc.file_save_as)
        source = doc.file_source
        if target.is_file():
            st, tt = source.stat(), target.stat()
            if st.st_size == tt.st_size and int(st.st_mtime) == int(tt.st_mtime):
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)

    def _write_index(self) -> None:
        """The list the filter script searches: every published document, a few fields each."""
        name = setting(self.settings, "DOCUMENTS_INDEX_JSON")
        if not name:
            return
        from vietnamese.text import format_date  # noqa: PLC0415

        records = [{
            "url": doc.url, "number": doc.number,
            "type": doc.type.slug, "type_name": doc.type.name, "year": doc.date.year,
            "date": doc.date.strftime("%Y-%m-%d"), "date_text": format_date(doc.date, False),
            "title": doc.text_title, "issuer": doc.issuer, "signer": doc.signer,
            "file": doc.file_url, "size": doc.file_size_text,
        } for doc in self.documents]  # fmt: skip
        target = Path(self.output_path, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")

    def _write_feed(self, writer: Any) -> None:
        path = setting(self.settings, "DOCUMENTS_FEED_ATOM")
        if not path or not self.documents:
            return  # an empty feed is no feed
        domain = (self.settings.get("FEED_DOMAIN") or self.settings.get("SITEURL") or "").rstrip("/")
        entries = [FeedEntry(doc, domain) for doc in self.documents]
        writer.write_feed(entries, self.context, path, feed_title=f"{self.settings['SITENAME']} – Văn bản")


class FeedEntry:
    """A document as Pelican's feed writer reads an item: the heading and trích yếu as title,
    its details and the file's link as content (absolute URLs, for feed readers)."""

    def __init__(self, doc: Document, domain: str) -> None:
        from vietnamese.text import format_date  # noqa: PLC0415

        self.doc = doc
        self.title = f"{doc.heading}: {doc.text_title}"
        self.url = doc.url
        self.date = doc.date
        self.author = doc.issuer
        self.summary = Markup.escape(doc.text_title)
        rows = [("Số, ký hiệu", doc.number), ("Loại văn bản", doc.type.name),
                ("Cơ quan ban hành", doc.issuer), ("Ngày ban hành", format_date(doc.date, False))]  # fmt: skip
        if doc.signer:
            rows.append(("Người ký", doc.signer))
        items = "".join(Markup("<li>{}: {}</li>").format(label, value) for label, value in rows)
        link = Markup('<p><a href="{}/{}">Tải văn bản (PDF, {})</a></p>').format(
            domain, doc.file_url, doc.file_size_text)
        self._content = str(Markup("<p>{}</p><ul>{}</ul>").format(doc.text_title, Markup(items)) + link)

    def get_content(self, siteurl: str) -> str:
        return self._content


# --- signals -----------------------------------------------------------------------------


def initialized(pelican: Any) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    static_paths = list(settings.get("THEME_STATIC_PATHS", ["static"]))
    if str(STATIC) not in static_paths:  # js/documents.js and css/documents.css, fingerprinted
        settings["THEME_STATIC_PATHS"] = [*static_paths, str(STATIC)]
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("documents", settings["DOCUMENTS_PER_PAGE"])
    settings["PAGINATED_TEMPLATES"] = paginated


def generator_init(generator: Any) -> None:
    """Our templates after the theme's (the theme may override documents/*.html), in every
    generator: the theme's home and article pages include documents/latest.html and
    documents/article_documents.html."""
    loader = getattr(getattr(generator, "env", None), "loader", None)
    if isinstance(loader, ChoiceLoader):
        if not any(getattr(sub, "searchpath", None) == [str(TEMPLATES)] for sub in loader.loaders):
            loader.loaders.append(FileSystemLoader(str(TEMPLATES)))


def get_generators(pelican: Any) -> type:
    return DocumentsGenerator


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.get_generators.connect(get_generators)
    signals.initialized.connect(start_index)
    signals.finalized.connect(write_index)
