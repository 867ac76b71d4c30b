"""Every HITCOUNT_* setting with its default, shared by the Pelican side and the endpoint."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Mapping

DEFAULTS: dict[str, Any] = {
    # Figure of the old portal, added to the visits counted here.
    "HITCOUNT_INITIAL_TOTAL": 0,
    # Seconds since a visit's last hit or heartbeat during which it is "online".
    "HITCOUNT_ONLINE_WINDOW": 300,
    # Requests a minute from one client address; 0 disables the limit.
    "HITCOUNT_RATE_LIMIT": 600,
    # Origins allowed to call the endpoint cross-origin; empty = same origin only.
    "HITCOUNT_ALLOWED_ORIGINS": [],
    # Peers whose X-Real-IP / X-Forwarded-For is believed (the nginx in front).
    "HITCOUNT_TRUSTED_PROXIES": ["127.0.0.1", "::1"],
    # SQLite file path, or redis://host:port/db.
    "HITCOUNT_STORE": "var/hitcount.sqlite3",
    # Figures shown in the footer, in order: any of online, total, today.
    "HITCOUNT_SHOW": ["online", "total"],
    # URL of the endpoint: a path on the site, or an absolute URL on another origin.
    "HITCOUNT_ENDPOINT": "/api/hits",
    # Output-relative path of the manifest of countable pages.
    "HITCOUNT_MANIFEST": "hitcount-pages.json",
    # Seconds between heartbeats of a visible page.
    "HITCOUNT_HEARTBEAT": 60,
    # Seconds a visit id (and its page list) is kept after its last hit: a visit ends after
    # 30 minutes without activity (the widget then makes a new id), so nothing longer is needed.
    "HITCOUNT_VISIT_RETENTION": 30 * 60,
    # Days the views per page per day are kept (most-read lists, statistics); visits per day
    # are kept for years.
    "HITCOUNT_PAGE_DAYS_RETENTION": 400,
    # Templates whose pages count no view (they keep a visit alive): not-found, search, drafts.
    "HITCOUNT_UNCOUNTED_TEMPLATES": ["404", "search", "drafts"],
    # Output file (and URL) of the public statistics page (aggregate figures only); "" for none.
    "HITCOUNT_STATISTICS_SAVE_AS": "thong-ke-truy-cap.html",
    # Time zone of the "today" figure.
    "HITCOUNT_TIMEZONE": "Asia/Ho_Chi_Minh",
}

FIGURES = ("online", "total", "today", "views")

# Settings copied into the (public) manifest so that the endpoint follows the site's
# settings file. Store URLs and proxy addresses stay out: the manifest is served.
PUBLIC_SETTINGS = (
    "HITCOUNT_INITIAL_TOTAL",
    "HITCOUNT_ONLINE_WINDOW",
    "HITCOUNT_RATE_LIMIT",
    "HITCOUNT_ALLOWED_ORIGINS",
    "HITCOUNT_VISIT_RETENTION",
    "HITCOUNT_PAGE_DAYS_RETENTION",
    "HITCOUNT_TIMEZONE",
)


def with_defaults(settings: Mapping[str, Any]) -> dict[str, Any]:
    """HITCOUNT_* values of `settings`, defaults filled in."""
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}


@dataclass
class EndpointConfig:
    """What one endpoint process needs; built from the manifest, a settings file and flags."""

    store: str = DEFAULTS["HITCOUNT_STORE"]
    manifest: str | None = None
    initial_total: int = 0
    online_window: float = 300
    rate_limit: int = 600
    allowed_origins: list[str] = field(default_factory=list)
    trusted_proxies: list[str] = field(default_factory=lambda: ["127.0.0.1", "::1"])
    visit_retention: float = DEFAULTS["HITCOUNT_VISIT_RETENTION"]
    page_days_retention: int = DEFAULTS["HITCOUNT_PAGE_DAYS_RETENTION"]
    timezone: str = "Asia/Ho_Chi_Minh"
    endpoint: str = "/api/hits"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], **overrides: Any) -> "EndpointConfig":
        s = with_defaults(settings)
        endpoint = s["HITCOUNT_ENDPOINT"]
        if "://" in endpoint:  # an absolute URL: the process serves its path
            endpoint = "/" + endpoint.split("://", 1)[1].partition("/")[2]
        config = cls(
            store=s["HITCOUNT_STORE"],
            initial_total=int(s["HITCOUNT_INITIAL_TOTAL"]),
            online_window=float(s["HITCOUNT_ONLINE_WINDOW"]),
            rate_limit=int(s["HITCOUNT_RATE_LIMIT"]),
            allowed_origins=list(s["HITCOUNT_ALLOWED_ORIGINS"]),
            trusted_proxies=list(s["HITCOUNT_TRUSTED_PROXIES"]),
            visit_retention=float(s["HITCOUNT_VISIT_RETENTION"]),
            page_days_retention=int(s["HITCOUNT_PAGE_DAYS_RETENTION"]),
            timezone=s["HITCOUNT_TIMEZONE"],
            endpoint=endpoint.rstrip("/") or "/api/hits",
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(config, key, value)
        return config

    def store_options(self) -> dict[str, Any]:
        """The keyword arguments of stores.open_store."""
        return {"online_window": self.online_window, "visit_retention": self.visit_retention,
                "timezone": self.timezone, "page_days_retention": self.page_days_retention}  # fmt: skip

    def to_env(self) -> dict[str, str]:
        """Environment for worker processes (uvicorn spawns them and imports a factory)."""
        import json  # noqa: PLC0415

        return {"HITCOUNT_CONFIG_JSON": json.dumps(self.__dict__)}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "EndpointConfig":
        import json  # noqa: PLC0415

        return cls(**json.loads(environ["HITCOUNT_CONFIG_JSON"]))
