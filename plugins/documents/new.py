"""`make new-document`: start a document as a draft, with its PDF copied in when given.

    python -m editorial new-document --number 57-NQ/TW --type "Nghị quyết" \
        [--title "…"] [--issuer "…"] [--date 22/12/2024] [--signer "…"] [--file ~/Tải về/nq57.pdf]

The number and the type are checked at once (the rules of `make check`); what is not given is
written as a placeholder that `make check` reports until it is replaced: the trích yếu and the
signer (W-PLACEHOLDER while the document is a draft), the PDF (E-DOC-FILE until the file is at
the path the `File:` line names). Never overwrites a file.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import model


class NewDocumentError(ValueError):
    """Refused: a bad number, type or date, a file that is no PDF, or a file already there."""


def _date(value: str, tz: ZoneInfo) -> datetime:
    from editorial.rules import parse_date  # noqa: PLC0415

    if not value.strip():
        return datetime.now(tz)
    parsed = parse_date(value, tz)
    if parsed is None:
        raise NewDocumentError(f"Ngày ban hành “{value}” không đọc được; viết 22/12/2024 hoặc 2024-12-22")
    return parsed


def render(fields: list[tuple[str, str]], body: str = "") -> str:
    return "\n".join(f"{key}: {value}" for key, value in fields) + "\n\n" + body


def new_document(number: str, kind: str, settings: dict, title: str = "", issuer: str = "",
                 date: str = "", signer: str = "", file: str = "") -> Path:  # fmt: skip
    """Write the draft (and copy the PDF); return the draft's path."""
    number = " ".join(model.nfc(number).split())
    why = model.number_problem(number)
    if why:
        raise NewDocumentError(f"Không tạo được văn bản: {why}")
    found = model.find_type(kind, settings)
    if found is None:
        names = "\n".join(f"  - {t.name}" for t in model.types(settings))
        raise NewDocumentError(f"Loại văn bản “{model.nfc(kind)}” không có. Các loại hợp lệ:\n{names}")
    tz = ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")
    issued = _date(date, tz)
    source = Path(file).expanduser() if file else None
    if source is not None:
        if not source.is_file():
            raise NewDocumentError(f"Không có tệp “{file}”")
        with open(source, "rb") as fh:
            if model.PDF_MAGIC not in fh.read(1024):
                raise NewDocumentError(f"Tệp “{file}” không phải PDF: lưu văn bản dạng PDF rồi thử lại")
    slug = model.document_slug(number, issued.year, settings)
    content = Path(settings["PATH"])
    folder = content / model.setting(settings, "DOCUMENTS_PATHS")[0]
    path = folder / f"{slug}.md"
    pdf_rel = f"{model.setting(settings, 'DOCUMENTS_PATHS')[0]}/tep/{slug}.pdf"
    committee = settings.get("COMMITTEE") or {}
    fields = [
        ("Title", " ".join(model.nfc(title).split()) or model.TITLE_PLACEHOLDER),
        ("Number", number),
        ("Type", found.name),
        ("Issuer", model.nfc(issuer) or model.nfc(model.setting(settings, "DOCUMENTS_DEFAULT_ISSUER"))
         or model.nfc(committee.get("name", "")) or model.nfc(settings.get("SITENAME", ""))),
        ("Date", f"{issued:%Y-%m-%d}"),
        ("Signer", model.nfc(signer) or model.SIGNER_PLACEHOLDER),
        ("File", pdf_rel),
        ("Status", "draft"),
    ]  # fmt: skip
    pdf = content / pdf_rel
    if source is not None and pdf.exists():
        raise NewDocumentError(f"Đã có tệp {pdf}; không ghi đè.")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(render(fields))
    except FileExistsError:
        raise NewDocumentError(f"Đã có tệp {path}; không ghi đè. Sửa tệp đó, hoặc ghi số/ký hiệu khác.") from None
    if source is not None:
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, pdf)
    return path
