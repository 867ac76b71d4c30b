"""Every setting of the counter service: one table (the fields of ServiceSettings) with its
default, and one precedence, highest first:

    command-line flag  >  environment variable  >  settings file  >  default

The environment variable and the settings file's key are the field's name in capitals after
HITCOUNT_ (store → HITCOUNT_STORE). The settings file is TOML (`--settings FILE`), e.g.

    HITCOUNT_INITIAL_TOTAL = 14276
    HITCOUNT_TRUSTED_PROXIES = ["127.0.0.1", "::1"]

In the environment a list is written with commas ("https://a.example,https://b.example").
The public manifest the site build writes is never read for settings: it is served to anyone.
A bad value stops the service with a message naming the setting and the value.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .manifest import NAME as MANIFEST_NAME

PREFIX = "HITCOUNT_"


class SettingError(ValueError):
    """A setting with a value the service cannot use; the message names both."""


def _quoted(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _whole(unit: str) -> Callable[[str, Any], int]:
    def parse(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise SettingError(f"{name}: {_quoted(value)} is not a whole number{unit}")
        try:
            number = int(value)
        except ValueError:
            raise SettingError(f"{name}: {_quoted(value)} is not a whole number{unit}") from None
        if number < 0:
            raise SettingError(f"{name}: {_quoted(value)} is negative")
        return number

    return parse


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"{name}: {_quoted(value)} is not a non-empty text")
    return value.strip()


def _words(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise SettingError(f"{name}: {_quoted(value)} is not a list of texts")
    return tuple(value)


def _timezone(name: str, value: Any) -> str:
    zone = _text(name, value)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError(f"{name}: {_quoted(value)} is not a time zone (e.g. Asia/Ho_Chi_Minh)") from None
    return zone


def _endpoint(name: str, value: Any) -> str:
    """A path, or an absolute URL (the widget's, on another origin): the process serves its path."""
    url = _text(name, value)
    if "://" in url:
        url = "/" + url.split("://", 1)[1].partition("/")[2]
    if not url.startswith("/"):
        raise SettingError(f"{name}: {_quoted(value)} is not a path starting with / or an absolute URL")
    return url.rstrip("/") or "/api/hits"


def _synchronous(name: str, value: Any) -> str:
    mode = _text(name, value).upper()
    if mode not in ("NORMAL", "FULL"):
        raise SettingError(f"{name}: {_quoted(value)} is neither NORMAL nor FULL")
    return mode


def row(default: Any, parse: Callable[[str, Any], Any], meaning: str, *, flag: str | None = None) -> Any:
    """A row of the table: the default, how a value is read, what it means, its flag if any."""
    return field(default=default, metadata={"parse": parse, "meaning": meaning, "flag": flag})


_seconds, _count, _days = _whole(" of seconds"), _whole(""), _whole(" of days")


@dataclass(frozen=True)
class ServiceSettings:
    """What one counter process needs. The defaults here are the only ones."""

    store: str = row("var/hitcount.sqlite3", _text,
                     "SQLite file (created on first start) or redis://host:port/db", flag="--store")
    manifest_file: str = row(f"output/{MANIFEST_NAME}", _text,
                             "the manifest of countable pages the site build wrote", flag="--manifest")
    initial_total: int = row(0, _count, "the old portal's total, added to the visits counted",
                             flag="--initial-total")
    online_window: int = row(300, _seconds, "seconds a visit stays online after its last hit or heartbeat",
                             flag="--online-window")
    rate_limit: int = row(600, _count, "requests a minute from one client (IPv4 address or IPv6 /64) "
                          "to one worker before 429; 0 turns it off", flag="--rate-limit")
    allowed_origins: tuple[str, ...] = row((), _words, "origins allowed to call the endpoint cross-origin; "
                                           "none = same origin only", flag="--allowed-origin")
    trusted_proxies: tuple[str, ...] = row(("127.0.0.1", "::1"), _words, "peers whose X-Real-IP / "
                                           "X-Forwarded-For is believed (the nginx in front)",
                                           flag="--trusted-proxy")
    visit_retention: int = row(30 * 60, _seconds, "seconds a visit's record is kept after its last hit "
                               "(a visit ends after 30 idle minutes)")
    page_days_retention: int = row(400, _days, "days the views per page per day are kept (most read, "
                                   "statistics); visits per day are kept for years")
    timezone: str = row("Asia/Ho_Chi_Minh", _timezone, 'where "today" starts at midnight')
    endpoint: str = row("/api/hits", _endpoint, "the path the counter answers (an absolute URL: its path)")
    sqlite_synchronous: str = row("NORMAL", _synchronous, "SQLite's synchronous mode: NORMAL (a power cut "
                                  "may lose the last second) or FULL (every commit waits for the disk)")
    host: str = row("127.0.0.1", _text, "address to listen on", flag="--host")
    port: int = row(8001, _count, "port to listen on (nginx proxies /api/ to it)", flag="--port")
    workers: int = row(os.cpu_count() or 1, _count, "worker processes (default: one per core)",
                       flag="--workers")

    def store_options(self) -> dict[str, Any]:
        """The keyword arguments of stores.open_store."""
        return {"online_window": self.online_window, "visit_retention": self.visit_retention,
                "timezone": self.timezone, "page_days_retention": self.page_days_retention,
                "synchronous": self.sqlite_synchronous}  # fmt: skip

    def to_env(self) -> dict[str, str]:
        """The resolved settings for worker processes (uvicorn spawns them and imports a factory):
        transport, not a source of settings."""
        return {"HITCOUNT_CONFIG_JSON": json.dumps(dataclasses.asdict(self))}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ServiceSettings:
        values = json.loads(environ["HITCOUNT_CONFIG_JSON"])
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


FIELDS = {f.name: f for f in dataclasses.fields(ServiceSettings)}
DEFAULTS = ServiceSettings()


def env_name(name: str) -> str:
    return PREFIX + name.upper()


def read_settings_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """HITCOUNT_* keys of a TOML file; an unknown key is an error (a typo would be ignored)."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingError(f"settings file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingError(f"settings file {path}: not TOML ({exc})") from None
    known = {env_name(name): name for name in FIELDS}
    unknown = sorted(set(document) - set(known))
    if unknown:
        raise SettingError(f"settings file {path}: unknown setting {', '.join(unknown)} "
                           f"(known: {', '.join(sorted(known))})")  # fmt: skip
    return {known[key]: value for key, value in document.items()}


def resolve(
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    settings_file: str | os.PathLike[str] | None = None,
) -> ServiceSettings:
    """The settings by precedence: flags (None = not given) > environment > file > default."""
    environ = os.environ if environ is None else environ
    layers: list[tuple[str, dict[str, Any]]] = []
    if settings_file:
        layers.append((str(settings_file), read_settings_file(settings_file)))
    layers.append(("environment", {n: environ[env_name(n)] for n in FIELDS if environ.get(env_name(n), "") != ""}))
    layers.append(("command line", {n: v for n, v in (flags or {}).items() if v is not None}))
    values: dict[str, Any] = {}
    for source, layer in layers:
        for name, raw in layer.items():
            if name not in FIELDS:
                raise TypeError(f"no counter setting {name!r}")
            try:
                values[name] = FIELDS[name].metadata["parse"](env_name(name), raw)
            except SettingError as exc:
                raise SettingError(f"{exc} ({source})") from None
    return dataclasses.replace(DEFAULTS, **values)
