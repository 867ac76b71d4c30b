"""What the sanitiser removes from a fragment, for `invoke check` to report before a build.

Both sides are compared as a browser parses them: the fragment is first re-serialised by the
same HTML5 parser (html5ever, through nh3 with nothing removed), so constructs that Python's
html.parser reads differently (`<!-->`, CDATA outside SVG, broken tags) count as browsers
see them.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser

import nh3

from .policy import Policy

_NAME = re.compile(r"[A-Za-z_:][-\w:.]*")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Schemes a browser would run or load, however they are spelt in the source (case, entities,
# tabs inside): html5ever and ammonia decode and normalise them before comparing.
_ACTIVE_SCHEMES = {"javascript", "vbscript", "data", "file", "blob", "filesystem"}


def browser_view(html: str) -> str:
    """The fragment as html5ever parses it, with every tag, attribute and comment kept."""
    names = set(_NAME.findall(html)) | {"script", "style"}
    decoded = re.sub(r"[\t\n\r]", "", unescape(html))
    schemes = {s.lower() for s in _SCHEME.findall(decoded)} | _ACTIVE_SCHEMES | {"http", "https"}
    return nh3.clean(
        html, tags=names, clean_content_tags=set(), attributes={"*": names},
        strip_comments=False, link_rel=None, url_schemes=schemes,
    )  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, tuple((k, v or "") for k, v in attrs)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def removals(html: str, policy: Policy) -> list[tuple[str, str, str]]:
    """What policy.clean removes: ("tag", name, ""), ("attr", tag, "name=value"), ("comment", "", "")."""
    if not html or "<" not in html:
        return []
    before, after = _tags(browser_view(html)), _tags(policy.clean(html))
    kept = Counter(tag for tag, _ in after.tags)
    kept_attrs = Counter((tag, a) for tag, attrs in after.tags for a in attrs)
    out = []
    for tag, attrs in before.tags:
        if kept[tag] <= 0:
            out.append(("tag", tag, ""))
            continue
        kept[tag] -= 1
        for attr in attrs:
            if kept_attrs[(tag, attr)] > 0:
                kept_attrs[(tag, attr)] -= 1
            else:
                out.append(("attr", tag, f"{attr[0]}={attr[1]}" if attr[1] else attr[0]))
    out += [("comment", "", "")] * (before.comments - after.comments)
    return out
