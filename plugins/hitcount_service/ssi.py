"""The one server-side include of the built site, for the dev servers.

The search page (theme/templates/search.html) puts the submitted words back into its field
without JavaScript: production nginx (deploy/nginx.conf, `location = /tim-kiem.html`) decodes
`?q=` with set-misc's `set_unescape_uri $search_q $arg_q;` and fills in SEARCH_QUERY_ECHO with
`ssi on;`. `make serve` and `make preview` process that one directive the same way, so every
server of the built site shows the same field; no other SSI is used or processed.

A host that serves files as they are (GitHub Pages, DEPLOY_TARGET=pages) gets the pages
filled in beforehand, as for a request without a query: `python -m hitcount_service.ssi output/`
(.github/workflows/publish.yml), so its field is empty rather than showing the directive.
"""

from __future__ import annotations

import html
import sys
import unicodedata
from pathlib import Path

# Exactly as the template writes it, inside value="…": nginx's echo escapes " < > & (its
# default encoding=entity) but not ', so the attribute must stay double-quoted.
SEARCH_QUERY_ECHO = b"<!--# echo var='search_q' default='' -->"
_HEX = b"0123456789abcdefABCDEF"


def query_arg(query_string: bytes, name: bytes) -> bytes | None:
    """The raw value of the first `name=` argument, as nginx's $arg_<name>: the name matched
    without regard to case, arguments split on '&' only; None if there is none."""
    for part in query_string.split(b"&"):
        key, sep, value = part.partition(b"=")
        if sep and key.lower() == name.lower():
            return value
    return None


def nginx_unescape(raw: bytes) -> bytes:
    """set-misc's set_unescape_uri: %XX to its byte, '+' to a space. Like nginx, a '%' before
    a non-hex character is dropped (the character kept), '%X' before one is dropped with it,
    and so is a '%' or '%X' at the end."""
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i : i + 1]
        if ch == b"+":
            out += b" "
        elif ch != b"%":
            out += ch
        elif i + 1 < n and raw[i + 1 : i + 2] not in _HEX:
            i += 1
            out += raw[i : i + 1]
        elif i + 2 < n and raw[i + 2 : i + 3] in _HEX:
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 2
        else:
            i += 2  # '%X' and a non-hex character, or the end: nothing
        i += 1
    return bytes(out)


def search_query_value(query_string: bytes) -> str:
    """What the field of the search page holds for this query string, attribute-escaped:
    the decoded ?q= (invalid UTF-8 as U+FFFD, as the browser shows nginx's bytes), NFC."""
    raw = query_arg(query_string, b"q")
    if raw is None:
        return ""
    text = unicodedata.normalize("NFC", nginx_unescape(raw).decode("utf-8", errors="replace"))
    return html.escape(text, quote=True)


def fill_search_query(body: bytes, query_string: bytes) -> bytes:
    """An HTML page with SEARCH_QUERY_ECHO processed; other pages unchanged."""
    if SEARCH_QUERY_ECHO not in body:
        return body
    return body.replace(SEARCH_QUERY_ECHO, search_query_value(query_string).encode("utf-8"))


def fill_for_static_host(root: Path) -> list[Path]:
    """Every HTML page under root with the echo filled in for no query; the pages changed."""
    changed = []
    for page in sorted(root.rglob("*.html")):
        body = page.read_bytes()
        filled = fill_search_query(body, b"")
        if filled != body:
            page.write_bytes(filled)
            changed.append(page)
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: python -m hitcount_service.ssi BUILT_SITE_FOLDER")
    for done in fill_for_static_host(Path(sys.argv[1])):
        print(f"SSI filled in for a static host: {done}")
