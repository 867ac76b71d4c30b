"""Writing the manifest the counter reads (its format: hitcount_service/manifest.py).

Written at the end of each build, beside the site: the pages whose views count, the "quiet"
ones (404, search, drafts: they keep a visit alive, count no view), and each article's title
and section (for the most-read list and the statistics).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hitcount_service.manifest import VERSION, canonical_path


def manifest_document(paths: Iterable[str], quiet: Iterable[str] = (),
                      titles: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:  # fmt: skip
    """pages: counted; quiet: known, counting no view (404, search); titles: the articles'.
    No settings: the file is public, and the service reads its own (hitcount_service.settings)."""
    return {
        "version": VERSION,
        "generator": "hitcount",
        "pages": sorted({canonical_path(p) for p in paths}),
        "quiet": sorted({canonical_path(p) for p in quiet}),
        "titles": dict(sorted((titles or {}).items())),
    }


def write_manifest(target: Path, paths: Iterable[str], quiet: Iterable[str] = (),
                   titles: dict[str, dict[str, str]] | None = None) -> Path:  # fmt: skip
    """Write atomically: a running endpoint may reload the file at any moment."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    document = manifest_document(paths, quiet, titles)
    # Compact: json's C encoder (with an indent it encodes in Python, 0.2 s a build at 20,000).
    tmp.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    os.replace(tmp, target)
    return target
