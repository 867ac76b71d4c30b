"""The preview's web side: pages of the current snapshot, files of its output, live reload.

An ASGI app (DevApp in plugins/hitcount_service/devserver.py puts the counter in front of it
under /api/). What a page gets in development only, between <!--preview--> markers so a
test can strip it and compare with `make build`:
- a stylesheet and `live.js` in <head>: the tab reloads when its page changes
  (Server-Sent Events from /_preview/events; allowed by the site's one CSP,
  hitcount_service/csp.py, which the preview sends as nginx does: same-origin script, connect-src 'self');
- while the content has an error, a banner after <body> with the checker's lines.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hitcount_service.devserver import CSP, StaticSite, _respond
from hitcount_service.ssi import fill_search_query

from .engine import Snapshot, output_name

Scope = dict[str, Any]
PREFIX = "/_preview/"
ASSETS = Path(__file__).resolve().parent / "static"
DEV_OPEN, DEV_CLOSE = "<!--preview-->", "<!--/preview-->"
_HEAD_END = re.compile(r"</head\s*>", re.I)
_BODY_START = re.compile(r"<body\b[^>]*>", re.I)
EVENT_POLL = 0.1  # seconds between two looks at the state, per open tab
KEEPALIVE = 15.0


@dataclass
class PreviewState:
    """What the server shows: the last good snapshot and, if the content is broken, why."""

    snapshot: Snapshot | None = None
    errors: list[str] = field(default_factory=list)
    generation: int = 0  # bumped at every change of snapshot or errors (live reload)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, snapshot: Snapshot) -> None:
        with self._lock:
            self.snapshot, self.errors = snapshot, []
            self.generation += 1

    def fail(self, errors: list[str]) -> None:
        with self._lock:
            self.errors = list(errors)
            self.generation += 1


def strip_dev_parts(page: str) -> str:
    """The page as `make build` writes it: without what the preview adds."""
    return re.sub(re.escape(DEV_OPEN) + ".*?" + re.escape(DEV_CLOSE), "", page, flags=re.S)


def _banner(errors: list[str]) -> str:
    lines = "\n".join(html.escape(line) for line in errors)
    return (
        f'{DEV_OPEN}<div class="preview-error" role="alert"><p><strong>Nội dung đang có lỗi — '
        "trang bên dưới là bản đúng gần nhất.</strong> Sửa lỗi rồi lưu tệp, trang sẽ tự tải lại."
        f"</p><pre>{lines}</pre></div>{DEV_CLOSE}"
    )


def decorate(body: bytes, etag: str, errors: list[str]) -> bytes:
    """Add the live-reload script (and the error banner) to an HTML page."""
    page = body.decode("utf-8")
    head = (
        f'{DEV_OPEN}<link rel="stylesheet" href="{PREFIX}preview.css">'
        f'<script src="{PREFIX}live.js" data-etag="{etag}" defer></script>{DEV_CLOSE}'
    )
    page = _HEAD_END.sub(lambda m: head + m.group(0), page, count=1)
    if errors:
        page = _BODY_START.sub(lambda m: m.group(0) + _banner(errors), page, count=1)
    return page.encode("utf-8")


class PreviewSite:
    """GET/HEAD: a page of the snapshot, else a file of its output.

    The search index is not rebuilt on each save (Pagefind takes minutes at 20,000
    articles): /pagefind/… is served from `search_bundle`, the last `make build`'s.
    """

    def __init__(self, state: PreviewState, output: Path, search_bundle: Path | None = None) -> None:
        self.state = state
        self.files = StaticSite(output)
        self.search = StaticSite(search_bundle) if search_bundle else None
        self.search_prefix = "/" + search_bundle.name + "/" if search_bundle else None
        # (snapshot, errors) → {page: (etag, decorated page)}: a tab's reloads, the bench's polls
        # and the live-reload checks ask for the same page again; once per change is enough.
        self._decorated: tuple[Any, tuple[str, ...], dict[str, tuple[str, bytes]]] = (None, (), {})

    def _page(self, snapshot: Snapshot, path: str) -> tuple[int, str] | None:
        name = output_name(path)
        if snapshot.has(name):
            return 200, name
        if not path.endswith("/") and snapshot.has(name + "/index.html"):
            return 301, name
        return None

    def etag(self, snapshot: Snapshot, name: str, errors: list[str]) -> str:
        digest = hashlib.blake2b(snapshot.render(name) or b"", digest_size=8)
        digest.update("\n".join(errors).encode())
        return digest.hexdigest()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        method, path = scope["method"], scope["path"]
        if path.startswith(PREFIX):
            return await self._own(scope, receive, send)
        if method not in ("GET", "HEAD"):
            return await _respond(send, 405, b"method not allowed", b"text/plain; charset=utf-8")
        snapshot, errors = self.state.snapshot, self.state.errors
        if snapshot is None:  # the first build is still running, or the content has an error
            text = "\n".join(["Đang dựng trang, xin chờ…", *errors])
            return await _respond(send, 503, text.encode(), b"text/plain; charset=utf-8", [(b"retry-after", b"2")])
        if self.search and path.startswith(self.search_prefix):
            scope = {**scope, "path": path[len(self.search_prefix) - 1:]}
            return await self.search(scope, receive, send)
        found = self._page(snapshot, path)
        if found is None:
            if self.files._file(path) is not None:
                return await self.files(scope, receive, send)
            if not snapshot.has("404.html"):
                return await _respond(send, 404, b"not found", b"text/plain; charset=utf-8")
            found = (404, "404.html")
        if found[0] == 301:
            return await _respond(send, 301, b"", b"text/plain", [(b"location", (path + "/").encode())])
        status, name = found
        # Rendering takes the GIL for a few ms: off the event loop, so the counter keeps answering.
        body = await asyncio.to_thread(snapshot.render, name)
        ctype = mimetypes.guess_type(name)[0] or "text/html"
        extra = []
        if ctype == "text/html":
            extra.append((b"content-security-policy", CSP))
            etag, body = await self._decorate(snapshot, name, body, errors)
            body = fill_search_query(body, scope.get("query_string", b""))
            extra.append((b"x-preview-etag", etag.encode()))
        await _respond(send, status, b"" if method == "HEAD" else body, f"{ctype}; charset=utf-8".encode(),
                       extra, len(body))  # fmt: skip

    async def _decorate(self, snapshot: Snapshot, name: str, body: bytes, errors: list[str]) -> tuple[str, bytes]:
        """(etag, page with the live-reload script and the error banner), made once per change."""
        kept_snapshot, kept_errors, pages = self._decorated
        if kept_snapshot is not snapshot or kept_errors != tuple(errors):
            pages = {}
            self._decorated = (snapshot, tuple(errors), pages)
        found = pages.get(name)
        if found is None:
            etag = await asyncio.to_thread(self.etag, snapshot, name, errors)
            found = pages[name] = (etag, decorate(body, etag, errors))
        return found

    async def _own(self, scope: Scope, receive: Any, send: Any) -> None:
        name = scope["path"][len(PREFIX):]
        if name == "events":
            return await self._events(receive, send)
        if name == "state":  # for tests and tools: what is being served
            snapshot = self.state.snapshot
            body = json.dumps({
                "generation": self.state.generation,
                "version": snapshot.version if snapshot else 0,
                "errors": self.state.errors,
                "pages": sorted(snapshot.pages) if snapshot else [],
            }, ensure_ascii=False).encode()  # fmt: skip
            return await _respond(send, 200, body, b"application/json; charset=utf-8")
        target = ASSETS / name
        if name not in ("live.js", "preview.css") or not target.is_file():
            return await _respond(send, 404, b"not found", b"text/plain; charset=utf-8")
        ctype = b"text/javascript; charset=utf-8" if name.endswith(".js") else b"text/css; charset=utf-8"
        await _respond(send, 200, target.read_bytes(), ctype)

    async def _events(self, receive: Any, send: Any) -> None:
        """Server-Sent Events: one `data: <generation>` line each time the state changes."""
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]})  # fmt: skip
        disconnected = asyncio.Event()

        async def watch_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            disconnected.set()

        watcher = asyncio.create_task(watch_disconnect())
        seen, idle = None, 0.0
        try:
            while not disconnected.is_set():
                generation = self.state.generation
                if generation != seen:
                    await send({"type": "http.response.body", "body": f"data: {generation}\n\n".encode(),
                                "more_body": True})  # fmt: skip
                    seen, idle = generation, 0.0
                elif idle >= KEEPALIVE:
                    await send({"type": "http.response.body", "body": b": keepalive\n\n", "more_body": True})
                    idle = 0.0
                await asyncio.sleep(EVENT_POLL)
                idle += EVENT_POLL
        except OSError:
            pass
        finally:
            watcher.cancel()
