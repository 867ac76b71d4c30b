"""`make serve`: one ASGI app on one port — /api/ is the counter, everything else is output/.

A preview only (production serves output/ with nginx and proxies /api/ to the endpoint).
It sends the production Content-Security-Policy, so a page that needs an inline script
shows it in the preview.
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .app import HitcountApp, Receive, Scope, Send
from .csp import POLICY
from .manifest import NAME as MANIFEST_NAME, Manifest
from .settings import resolve
from .ssi import fill_search_query
from .stores import open_store

CSP = POLICY.encode()  # the production policy (csp.py), so the preview shows what nginx blocks
API_PREFIX = "/api/"


class StaticSite:
    """GET/HEAD of files under root: a folder serves its index.html, a miss serves 404.html."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def _file(self, url_path: str) -> Path | None:
        try:
            target = (self.root / unquote(url_path).lstrip("/")).resolve()
        except (OSError, ValueError):
            return None
        if not target.is_relative_to(self.root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method, path = scope["method"], scope["path"]
        if method not in ("GET", "HEAD"):
            return await _respond(send, 405, b"method not allowed", b"text/plain; charset=utf-8")
        target = self._file(path)
        if target is not None and target.name == "index.html" and not path.endswith(("/", ".html")):
            return await _respond(send, 301, b"", b"text/plain", [(b"location", (path + "/").encode())])
        status = 200
        if target is None:
            status, target = 404, self._file("/404.html")
            if target is None:
                return await _respond(send, 404, b"not found", b"text/plain; charset=utf-8")
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        body = target.read_bytes()
        extra = []
        if ctype.startswith("text/html"):
            extra.append((b"content-security-policy", CSP))
            body = fill_search_query(body, scope.get("query_string", b""))  # as nginx's SSI does
        await _respond(send, status, b"" if method == "HEAD" else body, ctype.encode(), extra, len(body))


async def _respond(
    send: Send, status: int, body: bytes, ctype: bytes, extra: list[tuple[bytes, bytes]] | None = None,
    length: int | None = None,
) -> None:
    headers = [
        (b"content-type", ctype),
        (b"content-length", str(len(body) if length is None else length).encode()),
        (b"cache-control", b"no-cache"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class DevApp:
    def __init__(self, site: StaticSite, counter: HitcountApp | None) -> None:
        self.site = site
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            if self.counter is not None:
                return await self.counter(scope, receive, send)
            while True:
                message = await receive()
                kind = message["type"].rsplit(".", 1)[-1]
                await send({"type": f"lifespan.{kind}.complete"})
                if kind == "shutdown":
                    return
        if scope["type"] != "http":
            return
        if scope["path"].startswith(API_PREFIX):
            if self.counter is None:
                # The endpoint is down: answer what the documented nginx config answers then
                # (error_page 502 503 504 =204), so the page's console stays clean.
                return await _respond(send, 204, b"", b"application/json", [(b"x-hitcount", b"down")])
            return await self.counter(scope, receive, send)
        await self.site(scope, receive, send)


DEV_STORE = "var/dev/hitcount.sqlite3"  # the preview's own figures, apart from production's
DEV_MANIFEST = MANIFEST_NAME  # where the site build writes it, inside the built site


def create_dev_app(
    output_dir: str | Path,
    store: str = DEV_STORE,
    *,
    manifest: str = DEV_MANIFEST,
    counter: bool = True,
    clock: Callable[[], float] = time.time,
    site: Any = None,
    settings_file: str | os.PathLike[str] | None = None,
    **flags: Any,
) -> DevApp:
    """The preview app: the built site in `output_dir` (or `site`) and, under /api/, the counter
    with the settings of settings_file, the environment and `flags` (settings.resolve)."""
    output_dir = Path(output_dir)
    counter_app = None
    if counter:
        manifest_path = output_dir / manifest
        config = resolve({**flags, "store": store, "manifest_file": str(manifest_path)}, settings_file=settings_file)
        counter_app = HitcountApp(
            open_store(config.store, **config.store_options()),
            Manifest(manifest_path),  # reloaded when the site rebuilds
            initial_total=config.initial_total,
            rate_limit=config.rate_limit,
            allowed_origins=config.allowed_origins,
            trusted_proxies=config.trusted_proxies,
            clock=clock,
        )
    return DevApp(site or StaticSite(output_dir), counter_app)


def run(
    root: str, *, store: str, manifest: str, host: str = "127.0.0.1", port: int = 8000, counter: bool = True,
    settings_file: str | None = None,
) -> None:
    import uvicorn  # noqa: PLC0415

    from .server import UVICORN_OPTIONS  # noqa: PLC0415

    app = create_dev_app(root, store, manifest=manifest, counter=counter, settings_file=settings_file)
    options = {**UVICORN_OPTIONS, "log_level": "info"}
    uvicorn.run(app, host=host, port=port, **options)
