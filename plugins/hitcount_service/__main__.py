"""Command line: `hitcount-service serve|devserver|noop …` (also `python -m hitcount_service`; see --help)."""

from __future__ import annotations

import argparse
import sys

from .devserver import DEV_MANIFEST, DEV_STORE
from .settings import FIELDS, SettingError, env_name, resolve

SETTINGS_HELP = (
    "Settings, highest first: a flag, the environment variable HITCOUNT_<NAME>, the --settings "
    "file (TOML, same names), the default. The settings without a flag: "
    + "; ".join(f"{env_name(n)} ({r.metadata['meaning']}; default {r.default!r})"
                for n, r in FIELDS.items() if r.metadata["flag"] is None)  # fmt: skip
)


def _shown(default: object) -> str:
    return ", ".join(default) if isinstance(default, tuple) else str(default)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hitcount-service", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    prod = sub.add_parser("serve", help="run the counting endpoint alone (production)",
                          description=SETTINGS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    prod.add_argument("--settings", help="settings file (TOML, HITCOUNT_* keys)")
    for name, row in FIELDS.items():  # every flag of the table; a value is checked by resolve()
        flag = row.metadata["flag"]
        if flag is None:
            continue
        many = isinstance(row.default, tuple)
        prod.add_argument(flag, dest=name, action="append" if many else "store",
                          help=f"{row.metadata['meaning']} [{env_name(name)}; default {_shown(row.default)}]")

    dev = sub.add_parser("devserver", help="serve a built site and the endpoint on one port")
    dev.add_argument("--root", default="output", help="the built site")
    dev.add_argument("--store", default=DEV_STORE)
    dev.add_argument("--manifest", default=DEV_MANIFEST, help="path inside --root")
    dev.add_argument("--settings", help="settings file (TOML, HITCOUNT_* keys), as for serve")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--no-counter", action="store_true", help="serve the site with /api/ down (503)")

    noop = sub.add_parser("noop", help="the benchmark's no-op ASGI app under the same server")
    noop.add_argument("--host", default="127.0.0.1")
    noop.add_argument("--port", type=int, default=8002)
    noop.add_argument("--workers", type=int, default=1)

    args = parser.parse_args(argv)
    if args.command == "serve":
        from .server import serve  # noqa: PLC0415

        flags = {name: getattr(args, name) for name in FIELDS if hasattr(args, name)}
        try:
            config = resolve(flags, settings_file=args.settings)
        except SettingError as exc:
            parser.error(str(exc))
        serve(config)
    elif args.command == "devserver":
        from .devserver import run  # noqa: PLC0415

        try:
            run(args.root, store=args.store, manifest=args.manifest, host=args.host, port=args.port,
                counter=not args.no_counter, settings_file=args.settings)  # fmt: skip
        except SettingError as exc:
            parser.error(str(exc))
    else:
        import uvicorn  # noqa: PLC0415

        from .server import UVICORN_OPTIONS  # noqa: PLC0415

        uvicorn.run("hitcount_service.app:noop_app", host=args.host, port=args.port,
                    workers=args.workers if args.workers > 1 else None, **UVICORN_OPTIONS)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
