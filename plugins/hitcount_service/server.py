"""Build the endpoint from its settings (settings.py) and run it under uvicorn (uvloop + httptools)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from .app import HitcountApp
from .httpprotocol import BoundedHttpToolsProtocol
from .manifest import Manifest
from .settings import ServiceSettings
from .stores import open_store


def create_app(config: ServiceSettings, *, clock: Callable[[], float] = time.time) -> HitcountApp:
    store = open_store(config.store, **config.store_options())
    return HitcountApp(
        store,
        Manifest(config.manifest_file),
        initial_total=config.initial_total,
        rate_limit=config.rate_limit,
        allowed_origins=config.allowed_origins,
        trusted_proxies=config.trusted_proxies,
        endpoint=config.endpoint,
        clock=clock,
    )


def app_from_env() -> HitcountApp:
    """uvicorn factory for worker processes: the parent's resolved settings travel in the environment."""
    return create_app(ServiceSettings.from_env())


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


def serve(config: ServiceSettings) -> None:
    """Run the production endpoint; blocks until stopped (SIGINT/SIGTERM)."""
    import uvicorn  # noqa: PLC0415

    os.environ.update(config.to_env())
    uvicorn.run(
        "hitcount_service.server:app_from_env",
        factory=True,
        host=config.host,
        port=config.port,
        workers=config.workers if config.workers > 1 else None,
        **UVICORN_OPTIONS,
    )
