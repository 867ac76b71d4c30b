"""Command line: `hitcount-service serve|devserver|noop …` (also `python -m hitcount_service`; see --help)."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hitcount-service", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    prod = sub.add_parser("serve", help="run the counting endpoint alone (production)")
    prod.add_argument("--manifest", default="output/hitcount-pages.json", help="manifest the build wrote")
    prod.add_argument("--store", help="SQLite file or redis:// URL (default: HITCOUNT_STORE)")
    prod.add_argument("--settings", help="Pelican settings file to read HITCOUNT_* from")
    prod.add_argument("--host", default="127.0.0.1")
    prod.add_argument("--port", type=int, default=8001)
    prod.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    prod.add_argument("--rate-limit", type=int, help="requests a minute per address; 0 = off")
    prod.add_argument("--initial-total", type=int)
    prod.add_argument("--online-window", type=float)
    prod.add_argument("--allowed-origin", action="append", dest="allowed_origins")
    prod.add_argument("--trusted-proxy", action="append", dest="trusted_proxies")

    dev = sub.add_parser("devserver", help="serve a built site and the endpoint on one port")
    dev.add_argument("--root", default="output", help="the built site")
    dev.add_argument("--store", default="var/dev/hitcount.sqlite3")
    dev.add_argument("--manifest", default="hitcount-pages.json", help="path inside --root")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--no-counter", action="store_true", help="serve the site with /api/ down (503)")

    noop = sub.add_parser("noop", help="the benchmark's no-op ASGI app under the same server")
    noop.add_argument("--host", default="127.0.0.1")
    noop.add_argument("--port", type=int, default=8002)
    noop.add_argument("--workers", type=int, default=1)

    args = parser.parse_args(argv)
    if args.command == "serve":
        from .server import resolve_config, serve  # noqa: PLC0415

        config = resolve_config(
            args.manifest,
            args.settings,
            store=args.store,
            rate_limit=args.rate_limit,
            initial_total=args.initial_total,
            online_window=args.online_window,
            allowed_origins=args.allowed_origins,
            trusted_proxies=args.trusted_proxies,
        )
        serve(config, args.host, args.port, args.workers)
    elif args.command == "devserver":
        from .devserver import run  # noqa: PLC0415

        run(args.root, store=args.store, manifest=args.manifest, host=args.host, port=args.port,
            counter=not args.no_counter)  # fmt: skip
    else:
        import uvicorn  # noqa: PLC0415

        from .server import UVICORN_OPTIONS  # noqa: PLC0415

        uvicorn.run("hitcount_service.app:noop_app", host=args.host, port=args.port,
                    workers=args.workers if args.workers > 1 else None, **UVICORN_OPTIONS)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
