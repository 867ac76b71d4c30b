"""Read a Markdown article's metadata header the way Pelican's Markdown reader does.

Python-Markdown's `meta` extension (which Pelican uses): an optional `---` line,
then `Key: value` lines (keys case-insensitive, continuation lines indented by
four spaces) up to the first blank line or the first line that is not metadata.
Here every field keeps its line number so that messages can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")


@dataclass
class Field:
    key: str  # as written, e.g. "Catgory"
    value: str
    line: int  # 1-based

    @property
    def name(self) -> str:
        return self.key.lower()


@dataclass
class Document:
    path: Path
    text: str
    fields: list[Field] = field(default_factory=list)
    body_line: int = 1  # 1-based line number of the first body line
    kind: str = "article"  # or "page"
    raw: str | None = None  # the file as written, when `text` is the cleaned text the build reads

    @property
    def source(self) -> str:
        return self.text if self.raw is None else self.raw

    def get(self, name: str) -> Field | None:
        name = name.lower()
        return next((f for f in self.fields if f.name == name), None)

    def value(self, name: str, default: str = "") -> str:
        found = self.get(name)
        return found.value if found else default

    @property
    def body(self) -> str:
        return "\n".join(self.text.split("\n")[self.body_line - 1 :])

    @property
    def is_draft(self) -> bool:
        return self.value("status").strip().lower() == "draft"


def parse(text: str, path: Path | str = "") -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]  # pelican_open drops a BOM too
    lines = text.split("\n")
    doc = Document(Path(path), text)
    i = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    current: Field | None = None
    while i < len(lines):
        line = lines[i].rstrip("\r")
        if line.strip() == "" or (i > 0 and END_RE.match(line)):
            i += 1
            break
        m1 = META_RE.match(line)
        if m1:
            current = Field(m1.group("key"), m1.group("value").strip(), i + 1)
            doc.fields.append(current)
        else:
            m2 = META_MORE_RE.match(line)
            if not (m2 and current):
                break  # not metadata: this line starts the body
            current.value = f"{current.value} {m2.group('value').strip()}".strip()
        i += 1
    doc.body_line = i + 1
    return doc


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
