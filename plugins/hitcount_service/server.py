"""Build the endpoint from its settings and run it under uvicorn (uvloop + httptools).

Settings come, in increasing priority, from: defaults, the manifest the site build wrote
(HITCOUNT_INITIAL_TOTAL and the other public settings), a Pelican settings file (--settings),
then command-line flags.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable

from .app import HitcountApp
from .httpprotocol import BoundedHttpToolsProtocol
from .manifest import Manifest
from .settings import DEFAULTS, EndpointConfig
from .stores import open_store


def read_pelican_settings(path: str) -> dict[str, Any]:
    """HITCOUNT_* names of a Pelican settings file (pelicanconf.py / publishconf.py)."""
    from pelican.settings import read_settings  # noqa: PLC0415 - only with --settings

    settings = read_settings(path)
    return {k: v for k, v in settings.items() if k.startswith("HITCOUNT_")}


def resolve_config(
    manifest: str | None,
    settings_file: str | None = None,
    **flags: Any,
) -> EndpointConfig:
    merged: dict[str, Any] = dict(DEFAULTS)
    if manifest and Path(manifest).exists():
        merged.update(Manifest(manifest).settings)
    if settings_file:
        merged.update(read_pelican_settings(settings_file))
    if os.environ.get("HITCOUNT_STORE"):
        merged["HITCOUNT_STORE"] = os.environ["HITCOUNT_STORE"]
    return EndpointConfig.from_settings(merged, manifest=manifest, **flags)


def create_app(config: EndpointConfig, *, clock: Callable[[], float] = time.time) -> HitcountApp:
    store = open_store(config.store, **config.store_options())
    return HitcountApp(
        store,
        Manifest(config.manifest),
        initial_total=config.initial_total,
        rate_limit=config.rate_limit,
        allowed_origins=config.allowed_origins,
        trusted_proxies=config.trusted_proxies,
        endpoint=config.endpoint,
        clock=clock,
    )


def app_from_env() -> HitcountApp:
    """uvicorn factory for worker processes: the config travels in HITCOUNT_CONFIG_JSON."""
    return create_app(EndpointConfig.from_env())


UVICORN_OPTIONS: dict[str, Any] = dict(
    loop="uvloop",
    http=BoundedHttpToolsProtocol,  # httptools, with a cap on header size
    lifespan="on",
    access_log=False,  # no addresses in logs either
    proxy_headers=False,  # the app reads X-Real-IP itself, from trusted proxies only
    server_header=False,
    backlog=4096,
    timeout_graceful_shutdown=5,
)


def serve(config: EndpointConfig, host: str = "127.0.0.1", port: int = 8001, workers: int = 1) -> None:
    """Run the production endpoint; blocks until stopped (SIGINT/SIGTERM)."""
    import uvicorn  # noqa: PLC0415

    os.environ.update(config.to_env())
    uvicorn.run(
        "hitcount_service.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        **UVICORN_OPTIONS,
    )
