"""Command line: python -m editorial new|new-document|check|import-legacy … (the invoke tasks call these)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .config import ROOT, load_settings, setting


def _show(path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _settings(args) -> dict:
    settings = load_settings(args.settings)
    if args.content:
        settings["PATH"] = str(Path(args.content).resolve())
    return settings


def cmd_new(args) -> int:
    from .new import NewArticleError, new_article  # noqa: PLC0415

    settings = _settings(args)
    try:
        path = new_article(args.title, args.category, settings, tags=args.tags,
                           author=args.author, summary=args.summary)  # fmt: skip
    except NewArticleError as err:
        print(err, file=sys.stderr)
        return 1
    print(_show(path))
    return 0


def cmd_new_document(args) -> int:
    from documents.model import setting as documents_setting  # noqa: PLC0415
    from documents.new import NewDocumentError, new_document  # noqa: PLC0415

    settings = _settings(args)
    try:
        path = new_document(args.number, args.type, settings, title=args.title, issuer=args.issuer,
                            date=args.date, signer=args.signer, file=args.file)  # fmt: skip
    except NewDocumentError as err:
        print(err, file=sys.stderr)
        return 1
    print(_show(path))
    if not args.file:
        folder = documents_setting(settings, "DOCUMENTS_PATHS")[0]
        print(f"Chép tệp PDF của văn bản vào content/{folder}/tep/{path.stem}.pdf "
              "(dòng File: đã ghi sẵn đường dẫn này).", file=sys.stderr)  # fmt: skip
    return 0


def cmd_check(args) -> int:
    from .check import main  # noqa: PLC0415

    return main(args.paths, fix=args.fix, settings=_settings(args))


def cmd_import(args) -> int:
    from .legacy import import_legacy, report  # noqa: PLC0415

    settings = _settings(args)
    project = Path(args.settings).resolve().parent if args.settings else ROOT  # beside pelicanconf.py
    out = Path(args.out or project / setting(settings, "EDITORIAL_LEGACY_OUTPUT"))
    outcomes = import_legacy(args.sources, out, settings, force=args.force, progress=_progress)
    report(outcomes, _show)
    return 1 if any(o.status == "skipped" for o in outcomes) else 0


def _progress(done: int, total: int, source: Path) -> None:
    """One line on the terminal rewritten in place; in a log, a line every 100 pages."""
    if total < 2:
        return
    line = f"Đang nhập {done}/{total}: {_show(source)}"
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r{line[:100]:<100}", end=end, file=sys.stderr, flush=True)
    elif done % 100 == 0 or done == total:
        print(line, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m editorial")
    parser.add_argument("--settings", default=None, help="settings file (pelicanconf.py)")
    parser.add_argument("--content", default=None, help="content folder instead of PATH")
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="bắt đầu một bài mới (bản nháp)")
    new.add_argument("--title", required=True)
    new.add_argument("--category", required=True)
    new.add_argument("--tags", default="")
    new.add_argument("--author", default="")
    new.add_argument("--summary", default="")
    new.set_defaults(func=cmd_new)
    doc = sub.add_parser("new-document", help="bắt đầu một văn bản mới (bản nháp) trong content/van-ban/")
    doc.add_argument("--number", required=True, help="số/ký hiệu, ví dụ 57-NQ/TW")
    doc.add_argument("--type", required=True, help="loại văn bản, ví dụ Nghị quyết (DOCUMENT_TYPES)")
    doc.add_argument("--title", default="", help="trích yếu")
    doc.add_argument("--issuer", default="", help="cơ quan ban hành (mặc định: tên Thành ủy)")
    doc.add_argument("--date", default="", help="ngày ban hành (mặc định: hôm nay)")
    doc.add_argument("--signer", default="", help="người ký")
    doc.add_argument("--file", default="", help="tệp PDF của văn bản, chép vào content/van-ban/tep/")
    doc.set_defaults(func=cmd_new_document)
    check = sub.add_parser("check", help="kiểm tra nội dung, không dựng trang")
    check.add_argument("paths", nargs="*")
    check.add_argument("--fix", action="store_true", help="chuẩn hóa NFC tại chỗ")
    check.set_defaults(func=cmd_check)
    imp = sub.add_parser("import-legacy", help="nhập bài từ trang cũ đã lưu")
    imp.add_argument("sources", nargs="+")
    imp.add_argument("--out", default=None)
    imp.add_argument("--force", action="store_true", help="ghi đè cả bài đã sửa tay sau lần nhập trước")
    imp.set_defaults(func=cmd_import)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
