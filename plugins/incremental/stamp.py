"""What a build's output depends on, as two digests: the code and the content.

Content hashes, not modification times: a fresh clone (the publish run) gives every file a
new mtime, and the digests must still match the previous run's.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Packages whose code renders the pages: a new version means a new build.
RENDERING_PACKAGES = ("pelican", "markdown", "jinja2", "typogrify", "smartypants", "nh3", "pagefind", "pillow")


def _stable(value: Any) -> Any:
    """A JSON-able form of a setting that is the same from one process to the next."""
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_stable(v)) for v in value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    # Functions, classes, compiled patterns: their name (their code is hashed with the files).
    name = getattr(value, "__qualname__", None) or getattr(value, "pattern", None)
    return f"<{type(value).__name__} {name}>" if name else f"<{type(value).__name__}>"


def files_digest(paths: Iterable[Path], root: Path | None = None, skip: tuple[str, ...] = ()) -> str:
    """Digest of (name, bytes) of every file under `paths`, in a fixed order (but `skip` suffixes)."""
    digest = hashlib.blake2b(digest_size=20)
    for base in paths:
        base = Path(base)
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.name.endswith(skip):
                continue
            name = os.path.relpath(path, root or base)
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    found = {}
    for name in RENDERING_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def code_digest(settings: dict[str, Any], plugin_modules: Iterable[Any]) -> str:
    """Settings, theme, plugins' code and the rendering packages' versions."""
    sources = [Path(settings["THEME"])]
    for module in plugin_modules:
        file = getattr(module, "__file__", None)
        if file:
            sources.append(Path(file).parent if Path(file).name == "__init__.py" else Path(file))
    payload = json.dumps(
        {"settings": _stable(settings), "versions": _versions()}, sort_keys=True, ensure_ascii=False
    )
    code = files_digest(sources, root=Path("/"), skip=(".md",))  # a plugin's README renders nothing
    return hashlib.blake2b(payload.encode() + code.encode(), digest_size=20).hexdigest()


def content_digest(settings: dict[str, Any]) -> str:
    """Every file under PATH (articles, pages, images, extra): a new one, a gone one, an edit."""
    return files_digest([Path(settings["PATH"])])
