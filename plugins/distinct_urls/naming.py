"""How slugs become distinct file names: one rule, shared by the build and `invoke check`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping


def suffixes(natural: Mapping[Hashable, str], respell: Callable[[Hashable, int], str]) -> dict[Hashable, int]:
    """For files whose output path (`natural`: file → path) is shared, the suffix each must take.

    The file whose name sorts first keeps the path; the others, in name order, take the
    first free number from 2 on (`respell(file, n)` gives the path with suffix n), never a
    path another file has naturally or has already taken. Files alone on their path are
    absent from the result. Deterministic: the same files give the same URLs on every build.
    """
    by_path: dict[str, list[Hashable]] = defaultdict(list)
    for key in sorted(natural, key=str):
        if natural[key]:  # "" = not written (a draft in the published site)
            by_path[natural[key]].append(key)
    taken = set(by_path)
    moved: dict[Hashable, int] = {}
    for keys in by_path.values():
        for key in keys[1:]:
            n = 2
            while respell(key, n) in taken:
                n += 1
            taken.add(respell(key, n))
            moved[key] = n
    return moved


# A file name has 255 bytes at most; the slug is ASCII and leaves room for "-NN" and ".html".
# Long enough that no real headline is cut (the seed's slug has 117 characters).
DEFAULT_SLUG_MAX_LENGTH = 200


def shorten(slug: str, limit: int = DEFAULT_SLUG_MAX_LENGTH) -> str:
    """A slug of at most `limit` characters, cut at a hyphen (a file name has 255 bytes at most)."""
    if not limit or len(slug) <= limit:
        return slug
    cut = slug[:limit].rsplit("-", 1)[0]
    return cut or slug[:limit]
