"""Fixtures and helpers of the visitor-counter tests (tests/test_hitcount_*.py)."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import READER_USER_AGENT, free_port, require_executable

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/a.html", "/b.html", "/muc/", "/muc/2024/01/02/bai.html", "/404.html"]
READER = {"User-Agent": READER_USER_AGENT}
JSON_HEADERS = {"Content-Type": "application/json", **READER}


def run(coro: Any) -> Any:
    return asyncio.run(coro)


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms: int | None = None, random_part: int | None = None) -> str:
    """A visit id as the widget makes it: 10 base-32 characters of the time in ms, 16 random."""
    ms = time.time_ns() // 1_000_000 if ms is None else ms
    random_part = secrets.randbits(80) if random_part is None else random_part
    value = (ms << 80) | random_part  # 130 bits, 26 characters of 5 bits
    return "".join(CROCKFORD[(value >> (5 * (25 - i))) & 31] for i in range(26))


def visit_id() -> str:
    return ulid()


def other_visit_id() -> str:
    """A valid id of another shape (a client that is not the widget): 32 hex characters."""
    return uuid.uuid4().hex


class FakeClock:
    """A clock the test moves by hand: Unix seconds."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01 07:00 in Hà Nội
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def write_manifest(path: Path, pages: list[str] = PAGES) -> Path:
    path.write_text(json.dumps({"version": 1, "pages": pages}))
    return path


def start_redis(workdir: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """A real redis-server on a free port with its files in workdir; (process, URL) once it answers.

    Without options: no persistence. Options are redis-server flags (--appendonly yes, …).
    """
    exe = require_executable("redis-server", "apt-get install redis-server")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--daemonize", "no", "--protected-mode", "yes", *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    import redis

    while True:
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A real redis-server on a free port, no persistence, for the whole session."""
    proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


class Endpoint:
    """`hitcount-service serve …` in its own process group, as production runs it."""

    def __init__(self, store: str, manifest: Path, *extra: str, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hitcount_service", "serve", "--store", store, "--manifest", str(manifest),
             "--port", str(self.port), "--workers", str(workers), *extra],
            cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        wait_http(self.url + "/api/health", self.proc)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=15)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            pytest.fail(f"server exited with {proc.returncode}: {err[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    pytest.fail(f"{url} did not answer in {timeout} s")


def build_counter_site(output: Path, **settings: Any) -> Path:
    """Build the repository's site with the hitcount plugin enabled, as `make build` does.

    A settings file next to the output extends pelicanconf.py: the plugin is added when
    pelicanconf.py does not list it.
    """
    conf = output.parent / f"{output.name}-pelicanconf.py"
    lines = [
        "import runpy",
        f"base = runpy.run_path({str(ROOT / 'pelicanconf.py')!r})",
        "globals().update((k, v) for k, v in base.items() if k.isupper())",
        f"PATH = {str(ROOT / 'content')!r}",
        f"THEME = {str(ROOT / 'theme')!r}",
        "PLUGINS = [p for p in PLUGINS if p != 'hitcount'] + ['hitcount']",
        *(f"{key} = {value!r}" for key, value in settings.items()),
    ]
    conf.write_text("\n".join(lines) + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(conf), "-o", str(output),
         "--fatal", "warnings"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return output


@pytest.fixture(scope="session")
def counter_site(tmp_path_factory) -> Path:
    """The development build of the repository's own content, with the counter."""
    return build_counter_site(tmp_path_factory.mktemp("counter-site") / "output")


class RawClient:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: load without client overhead."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        body = json.dumps(payload, separators=(",", ":")).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"User-Agent: {READER_USER_AGENT}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readuntil(b"\r\n")
        length = 0
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        return int(status_line.split()[1]), data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.writer = None
