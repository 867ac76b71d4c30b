"""Strict parsing of a hit: anything unexpected is a 4xx with a reason, never an exception."""

from __future__ import annotations

import json
import re
from typing import NamedTuple

MAX_BODY = 1024
MAX_PATH = 512
VISIT_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_FIELDS = frozenset(("path", "visit", "heartbeat"))
_decode = json.JSONDecoder().decode
# The body the widget sends, byte for byte (JSON.stringify keeps key order, adds no spaces):
# matched without building a dict. Anything else takes the full JSON path below.
_CANONICAL = re.compile(
    rb'\{"path":"(/[^"\\\x00-\x1f]{0,%d})","visit":"([A-Za-z0-9_-]{16,64})"(?:,"heartbeat":(true|false))?\}'
    % (MAX_PATH - 1)
)


class BadRequest(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Hit(NamedTuple):
    path: str
    visit: str
    heartbeat: bool


def is_json_content_type(value: bytes | None) -> bool:
    """application/json, optionally with parameters (charset)."""
    if not value:
        return False
    media = value.split(b";", 1)[0].strip().lower()
    return media == b"application/json"


def check_path(path: object) -> str:
    if not isinstance(path, str):
        raise BadRequest(422, "path must be a string")
    if not path.startswith("/") or len(path) > MAX_PATH or "\x00" in path:
        raise BadRequest(422, "path must be a site path starting with /")
    return path


def parse_hit(body: bytes) -> Hit:
    """The body of POST /api/hits → Hit, or BadRequest(400/422)."""
    fast = _CANONICAL.fullmatch(body)
    if fast is not None:
        try:
            return Hit(fast[1].decode("utf-8"), fast[2].decode("ascii"), fast[3] == b"true")
        except UnicodeDecodeError:
            pass  # the full path reports it
    if not body:
        raise BadRequest(400, "empty body")
    try:
        data = _decode(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest(400, "body is not valid JSON") from None
    if type(data) is not dict:
        raise BadRequest(422, "body must be a JSON object")
    if not data.keys() <= _FIELDS:
        unknown = ", ".join(sorted(str(k) for k in data.keys() - _FIELDS))
        raise BadRequest(422, f"unknown field: {unknown}")
    try:
        path, visit = data["path"], data["visit"]
    except KeyError as missing:
        raise BadRequest(422, f"missing field: {missing.args[0]}") from None
    heartbeat = data.get("heartbeat", False)
    if type(heartbeat) is not bool:
        raise BadRequest(422, "heartbeat must be true or false")
    if type(visit) is not str or not VISIT_RE.fullmatch(visit):
        raise BadRequest(422, "visit must be 16 to 64 characters of A-Z a-z 0-9 _ -")
    return Hit(check_path(path), visit, heartbeat)


def parse_query(query_string: bytes, allowed: frozenset[str]) -> dict[str, str]:
    """A query string of single-valued, known parameters → dict, or BadRequest(400/422)."""
    from urllib.parse import parse_qs  # noqa: PLC0415

    try:
        query = parse_qs(query_string.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise BadRequest(400, "query string is not UTF-8") from None
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise BadRequest(422, f"unknown query parameter: {', '.join(unknown)[:100]}")
    for name, values in query.items():
        if len(values) > 1:
            raise BadRequest(422, f"{name} given more than once")
    return {name: values[0] for name, values in query.items()}


def choice(query: dict[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = query.get(name, default)
    if value not in choices:
        raise BadRequest(422, f"{name} must be one of: {', '.join(choices)}")
    return value


def bounded_int(query: dict[str, str], name: str, low: int, high: int, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(422, f"{name} must be a whole number from {low} to {high}")
    return int(value)
