"""Size figures of a Pagefind bundle: the whole index and what one query downloads."""

from __future__ import annotations

from pathlib import Path


def _sizes(files) -> list[int]:
    return [f.stat().st_size for f in files if f.is_file()]


def bundle_stats(bundle: Path) -> dict:
    """Bytes on disk, and the bytes a browser fetches for a one-word query.

    A query loads pagefind.js, the entry file, the WASM runtime, the language's
    meta file, one index chunk (the largest is counted) and the fragments of the
    results shown (five, of average size). Files are served as written (Pagefind
    compresses its own data files).
    """
    every = [f for f in bundle.rglob("*") if f.is_file()]
    total = sum(_sizes(every))
    chunks = _sizes(bundle.glob("index/*.pf_index"))
    fragments = _sizes(bundle.glob("fragment/*.pf_fragment"))
    fixed = _sizes(
        [bundle / "pagefind.js", bundle / "pagefind-entry.json"]
        + list(bundle.glob("wasm.*.pagefind"))[:1]
        + list(bundle.glob("pagefind.*.pf_meta"))[:1]
    )
    avg_fragment = sum(fragments) / len(fragments) if fragments else 0
    query = sum(fixed) + (max(chunks) if chunks else 0) + 5 * avg_fragment
    return {
        "bundle_bytes": total,
        "bundle_files": len(every),
        "index_chunks": len(chunks),
        "largest_chunk_bytes": max(chunks) if chunks else 0,
        "fragments": len(fragments),
        "query_bytes": int(query),
    }
