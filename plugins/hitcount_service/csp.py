"""The site's Content-Security-Policy: one definition for the preview and for production.

`make serve` (devserver.py) sends POLICY; deploy/nginx.conf carries the same text in its
`add_header Content-Security-Policy` line, and tests/test_hitcount_csp.py fails when the two
differ (nginx cannot import Python, so the line is checked rather than generated).

Only this origin: no inline script or style, no plugins, no <base>, forms post here only, and
no other site may frame the portal. 'wasm-unsafe-eval' lets the search page compile
Pagefind's WebAssembly; it allows no eval() of JavaScript. Frames: only the embeds editors
may use (pelicanconf.EDITORIAL_EMBED_ALLOWLIST; the same test keeps FRAME_SOURCES equal to
it). A source ending in "/" allows that path and below; one without allows that exact path
(Google Maps' /maps/embed?pb=…: CSP ignores the query).
"""

from __future__ import annotations

FRAME_SOURCES = (
    "https://www.youtube-nocookie.com/embed/",
    "https://www.youtube.com/embed/",
    "https://www.google.com/maps/embed",
)

DIRECTIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'self'",)),
    ("script-src", ("'self'", "'wasm-unsafe-eval'")),
    ("style-src", ("'self'",)),
    ("img-src", ("'self'", "data:")),
    ("connect-src", ("'self'",)),
    ("font-src", ("'self'",)),
    ("frame-src", FRAME_SOURCES),
    ("object-src", ("'none'",)),
    ("base-uri", ("'none'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'none'",)),
)

POLICY = "; ".join(f"{name} {' '.join(sources)}" for name, sources in DIRECTIVES)
