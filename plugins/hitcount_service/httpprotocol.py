"""uvicorn's httptools protocol with a cap on the size of a request's line and headers.

httptools (llhttp) has no limit of its own, and uvicorn's h11_max_incomplete_event_size
applies to h11 only: without this, a client could send megabytes of headers and the request
would be answered 200 (and the bytes kept in memory while they arrive). Past MAX_HEAD bytes
before the end of the headers, the answer is 431 with a JSON reason and the connection
closes. Counting happens before the parser sees the bytes, so memory stays bounded.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 16 * 1024  # request line + headers; a browser's request to the counter is under 1 KB
LINGER = 2.0  # seconds the refused client gets to stop sending, so that it reads the answer

_BODY = json.dumps({"error": f"request headers over {MAX_HEAD} bytes"}).encode()
REFUSAL = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/json\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"cache-control: no-store\r\n"
    b"connection: close\r\n"
    b"content-length: %d\r\n\r\n%s" % (len(_BODY), _BODY)
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    # Bytes received since the current request began, while its headers are incomplete;
    # None while its body is read; -1 once refused (the rest is read and dropped).
    _head: int | None = 0

    def data_received(self, data: bytes) -> None:
        if self._head is not None:
            if self._head < 0:
                return
            self._head += len(data)
            if self._head > MAX_HEAD:
                self._refuse()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._head = None
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head = 0

    def _refuse(self) -> None:
        self._head = -1
        self._unset_keepalive_if_required()
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # an earlier request's answer is being written: no second one
            return
        self.transport.write(REFUSAL)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        # Closing with unread bytes would reset the connection and lose the answer: read and
        # drop what still comes, for a moment (nginx's lingering close does the same).
        asyncio.get_running_loop().call_later(LINGER, self.transport.close)
