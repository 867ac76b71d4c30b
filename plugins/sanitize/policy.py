"""The allowlist: what Markdown (with `extra`) produces and the theme needs, nothing else.

Everything an article, page or imported page can put into a published page goes through
`Policy.clean` (plugins/sanitize/plugin.py in the build, `invoke check` before it, the
importer after it). It is an allowlist parser (nh3 = ammonia, html5ever's tokenizer), not
regular expressions: a tag or attribute that is not listed here does not survive, whatever
its spelling, encoding or nesting.

- Tags: text structure, lists, tables, code, quotes, images, figures, footnotes and
  abbreviations (Markdown extra), <iframe> for the allowlisted embeds only.
- Attributes: per tag, fixed sets; `id` and `class` everywhere (footnotes, tables of
  contents, code languages); `style` only on table cells, and only `text-align`.
- URLs: http, https, mailto, tel and relative. Any other scheme (javascript:, data:,
  vbscript:, encoded or not, in any case) removes the attribute.
- <iframe src> must start with one of EDITORIAL_EMBED_ALLOWLIST, else the attribute goes,
  and then the frame (empty) too; its attributes are a fixed set.
- Removed with their content: script, style, template, textarea, select, noscript (no text
  of theirs is meant to be read as text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import nh3

TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "kbd",
    "samp", "var", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "cite", "q", "dfn", "time", "span", "div", "a", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    "img", "figure", "figcaption", "picture", "source", "iframe", "details", "summary",
})  # fmt: skip
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "textarea", "select", "noscript", "title"})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "th": {"colspan", "rowspan", "scope", "style", "align"},
    "td": {"colspan", "rowspan", "style", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset"})
STYLE_PROPERTIES = frozenset({"text-align"})
_SOURCELESS_FRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


@dataclass(frozen=True)
class Policy:
    """The sanitiser with this site's embed allowlist."""

    embed_allowlist: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: dict) -> Policy:
        return _policy(tuple(settings.get("EDITORIAL_EMBED_ALLOWLIST", ())))

    def allows_embed(self, url: str | None) -> bool:
        return bool(url) and any(url.startswith(prefix) for prefix in self.embed_allowlist)

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src" and not self.allows_embed(value):
            return None
        if attribute == "srcset" and not all(_relative_or_http(c.split()[0]) for c in value.split(",") if c.strip()):
            return None
        return value

    def clean(self, html: str) -> str:
        """The fragment with everything outside the allowlist removed."""
        if not html or "<" not in html and "&" not in html:
            return html  # plain text: nothing to remove (and no re-serialisation)
        cleaned = nh3.clean(
            html, tags=set(TAGS), clean_content_tags=set(CLEAN_CONTENT_TAGS),
            attributes={k: set(v) for k, v in ATTRIBUTES.items()}, attribute_filter=self._filter,
            strip_comments=True, link_rel=None, url_schemes=set(URL_SCHEMES),
            filter_style_properties=set(STYLE_PROPERTIES),
        )  # fmt: skip
        # A frame whose source was refused is an empty box: drop it (ammonia's output is
        # canonical HTML, so this pattern sees every <iframe> there is).
        return _SOURCELESS_FRAME.sub("", cleaned) if "<iframe" in cleaned else cleaned


def _relative_or_http(url: str) -> bool:
    scheme, sep, _ = url.partition(":")
    return not sep or "/" in scheme or scheme.lower() in {"http", "https"}


@lru_cache(maxsize=8)
def _policy(allowlist: tuple[str, ...]) -> Policy:
    return Policy(allowlist)


def clean(html: str, settings: dict | Iterable[str] = ()) -> str:
    """Policy.clean with the embed allowlist of these settings (or these prefixes)."""
    allowlist = settings.get("EDITORIAL_EMBED_ALLOWLIST", ()) if isinstance(settings, dict) else settings
    return _policy(tuple(allowlist)).clean(html)
