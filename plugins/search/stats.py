"""Size figures of a Pagefind bundle: the whole index and what one query downloads."""

from __future__ import annotations

import statistics
from pathlib import Path

RESULTS_SHOWN = 10  # search.js shows ten results, then "Xem thêm kết quả"


def _sizes(files) -> list[int]:
    return [f.stat().st_size for f in files if f.is_file()]


def bundle_stats(bundle: Path) -> dict:
    """Bytes on disk, and the bytes a browser fetches for a one-word query.

    The search page loads pagefind.js, its worker, the entry file, the WASM
    runtime, the language's meta file and the filter files (for the section and
    year lists); a one-word query then loads one index chunk and the fragments of
    the results shown. `query_bytes` counts a median chunk, `query_bytes_max` the
    largest (the words on nearly every page live there). Pagefind compresses its
    data files itself, so these are the bytes on the wire.
    """
    every = [f for f in bundle.rglob("*") if f.is_file()]
    chunks = _sizes(bundle.glob("index/*.pf_index"))
    fragments = _sizes(bundle.glob("fragment/*.pf_fragment"))
    fixed = sum(
        _sizes(
            [bundle / "pagefind.js", bundle / "pagefind-worker.js", bundle / "pagefind-entry.json"]
            + list(bundle.glob("wasm.*.pagefind"))[:1]
            + list(bundle.glob("pagefind.*.pf_meta"))[:1]
            + list(bundle.glob("filter/*.pf_filter"))
        )
    )
    shown = RESULTS_SHOWN * (statistics.mean(fragments) if fragments else 0)
    median_chunk = statistics.median(chunks) if chunks else 0
    return {
        "bundle_bytes": sum(_sizes(every)),
        "bundle_files": len(every),
        "index_bytes": sum(chunks),
        "index_chunks": len(chunks),
        "median_chunk_bytes": int(median_chunk),
        "largest_chunk_bytes": max(chunks) if chunks else 0,
        "fragments": len(fragments),
        "fragment_bytes": sum(fragments),
        "startup_bytes": fixed,
        "query_bytes": int(fixed + median_chunk + shown),
        "query_bytes_max": int(fixed + (max(chunks) if chunks else 0) + shown),
    }
