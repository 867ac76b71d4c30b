"""Make Pagefind's bundle byte-for-byte reproducible.

Pagefind 1.5.2 writes the values of a filter in hash-map order, which changes from
run to run (upstream issue #638): the filter file's bytes and name change, and with
them the language's meta file (which names the filter files) and
pagefind-entry.json (which names the meta file). Everything else is stable.

This module sorts each filter's values, re-encodes the file, and renames the filter
and meta files after their new content, rewriting the references. The files are
"pagefind_dcd" followed by CBOR, gzip-compressed; a minimal CBOR codec suffices
(integers, strings, arrays, maps, simple values, floats kept as raw bytes). Each
file is decoded and re-encoded once before any change: if that round trip does not
give the same bytes, the bundle is left as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class Map(list):
    """A CBOR map as a list of (key, value) pairs, in file order."""


class Raw(bytes):
    """An item kept as its encoded bytes (floats, tags)."""


def _head(data: bytes, pos: int) -> tuple[int, int, int]:
    first = data[pos]
    major, info = first >> 5, first & 31
    pos += 1
    if info < 24:
        return major, info, pos
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise ValueError("indefinite lengths are not used by Pagefind")
    return major, int.from_bytes(data[pos : pos + size], "big"), pos + size


def decode(data: bytes, pos: int = 0):
    start = pos
    major, value, pos = _head(data, pos)
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major == 2:
        return bytes(data[pos : pos + value]), pos + value
    if major == 3:
        return data[pos : pos + value].decode("utf-8"), pos + value
    if major == 4:
        items = []
        for _ in range(value):
            item, pos = decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = Map()
        for _ in range(value):
            key, pos = decode(data, pos)
            val, pos = decode(data, pos)
            pairs.append((key, val))
        return pairs, pos
    if major == 6:  # a tag: keep the tag and its item as raw bytes
        _, end = decode(data, pos)
        return Raw(data[start:end]), end
    # major 7: simple values and floats
    return Raw(data[start:pos]), pos


def _encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError("integer too large")


def encode(item) -> bytes:
    if isinstance(item, Raw):
        return bytes(item)
    if isinstance(item, bool) or item is None:
        raise TypeError("booleans are kept as Raw")
    if isinstance(item, int):
        return _encode_head(0, item) if item >= 0 else _encode_head(1, -1 - item)
    if isinstance(item, bytes):
        return _encode_head(2, len(item)) + item
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    if isinstance(item, Map):
        return _encode_head(5, len(item)) + b"".join(encode(k) + encode(v) for k, v in item)
    if isinstance(item, list):
        return _encode_head(4, len(item)) + b"".join(encode(i) for i in item)
    raise TypeError(f"cannot encode {type(item).__name__}")


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind data file")
    body = data[len(SIGNATURE) :]
    item, end = decode(body)
    if end != len(body) or encode(item) != body:
        raise ValueError(f"{path.name}: CBOR round trip differs")
    return item


def write(path: Path, item) -> None:
    # mtime=0 and a fixed compression level: the same item gives the same bytes
    payload = SIGNATURE + encode(item)
    path.write_bytes(gzip.compress(payload, compresslevel=6, mtime=0))


def _digest(path: Path, length: int) -> str:
    return hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()[:length]


def _replace_strings(item, old: str, new: str):
    if isinstance(item, str):
        return new if item == old else item
    if isinstance(item, Map):
        return Map((_replace_strings(k, old, new), _replace_strings(v, old, new)) for k, v in item)
    if isinstance(item, list) and not isinstance(item, Raw):
        return [_replace_strings(i, old, new) for i in item]
    return item


def canonicalise(bundle: Path) -> bool:
    """Sort filter values and rename the changed files; True when the bundle was rewritten.

    Everything is read and checked first; files are only written when all of it
    decoded cleanly, so a format change upstream leaves Pagefind's bundle as it was.
    """
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text("utf-8"))
        plan = []
        for lang, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            filters = []
            for path in sorted((bundle / "filter").glob(f"{lang}_*.pf_filter")):
                name, values = read(path)  # [filter name, [[value, [page numbers]], ...]]
                filters.append((path, [name, sorted(values, key=lambda pair: pair[0])]))
            meta = read(meta_path)
            if len(meta) != 6 or not all(
                isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                for part in (meta[3], meta[4]) for pair in part
            ):  # fmt: skip
                raise ValueError("unexpected meta layout")
            plan.append((lang, info, meta_path, meta, filters))
    except (ValueError, KeyError, TypeError, OSError):
        return False
    for lang, info, meta_path, meta, filters in plan:
        for path, item in filters:
            tmp = path.with_suffix(".tmp")
            write(tmp, item)
            new = f"{lang}_{_digest(tmp, 7)}"
            old = path.name[: -len(".pf_filter")]
            path.unlink()
            tmp.replace(path.with_name(f"{new}.pf_filter"))
            meta = _replace_strings(meta, old, new)
        # meta: [version, index chunks, fragments, filters, sorts, meta fields]; the
        # filter and sort lists come in hash-map order too: sort them by name.
        meta = [
            sorted(part, key=lambda pair: pair[0]) if i in (3, 4) else part
            for i, part in enumerate(meta)
        ]
        tmp = meta_path.with_suffix(".tmp")
        write(tmp, meta)
        info["hash"] = f"{lang}_{_digest(tmp, 10)}"
        meta_path.unlink()
        tmp.replace(bundle / f"pagefind.{info['hash']}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return True
