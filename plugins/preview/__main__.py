"""`python -m preview`: what `make serve` runs (see plugins/preview/runner.py)."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def port_problem(host: str, port: int) -> str | None:
    """A Vietnamese sentence if nothing can listen on host:port, else None."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: after a restart (a plugin's code changed) the connections the old
        # process closed wait in TIME_WAIT, which only a listening socket should count as busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return (f"Cổng {port} đang được một chương trình khác dùng (có thể là một `make serve` "
                        f"khác). Tắt chương trình đó, hoặc chọn cổng khác: make serve PORT={port + 1}")  # fmt: skip
            return f"Không mở được cổng {port} trên {host}: {err.strerror}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m preview", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "preview" / "site")
    parser.add_argument("--search-bundle", type=Path, default=ROOT / "output" / "pagefind")
    parser.add_argument("--store", default=str(ROOT / "var" / "dev" / "hitcount.sqlite3"))
    parser.add_argument("--counter-settings", type=Path, default=ROOT / "deploy" / "hitcount.toml",
                        help="the counter's settings file (hitcount_service)")
    parser.add_argument("--no-counter", action="store_true")
    parser.add_argument("--no-watch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    problem = port_problem(args.host, args.port)
    if problem:
        print(f"make serve: {problem}", file=sys.stderr)
        return 2

    import uvicorn  # noqa: PLC0415

    from hitcount_service.devserver import create_dev_app  # noqa: PLC0415
    from hitcount_service.server import UVICORN_OPTIONS  # noqa: PLC0415

    from .runner import Previewer, watch  # noqa: PLC0415
    from .site import PreviewSite  # noqa: PLC0415

    args.output.mkdir(parents=True, exist_ok=True)
    Path(args.store).parent.mkdir(parents=True, exist_ok=True)
    previewer = Previewer(ROOT, args.settings, args.content, args.output)
    previewer.start()
    stop = threading.Event()
    if not args.no_watch:
        roots = [args.content, args.settings, ROOT / "theme", ROOT / "plugins"]
        threading.Thread(target=watch, args=(previewer, [r for r in roots if r.exists()], stop),
                         name="preview-watch", daemon=True).start()  # fmt: skip
    site = PreviewSite(previewer.state, args.output, args.search_bundle)
    app = create_dev_app(args.output, args.store, counter=not args.no_counter, site=site,
                         settings_file=args.counter_settings)
    print(f"Xem trước: http://{args.host}:{args.port}/ — dừng bằng Ctrl+C", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, **{**UVICORN_OPTIONS, "log_level": "warning"})
    finally:
        stop.set()
        previewer.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
