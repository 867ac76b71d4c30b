"""The key a store keeps for a visit: a 64-bit hash of the random id the tab made, never the id.

Both stores use it (SQLite as the integer primary key, Redis in key names and the online
set), so neither keeps a visit id in clear.
"""

from __future__ import annotations

import re
from hashlib import blake2b

# The widget's visit ids are ULIDs: 10 Crockford base-32 characters of the tab's start time
# in milliseconds, then 16 random ones.
_ULID = re.compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}")
_CROCKFORD = str.maketrans("0123456789ABCDEFGHJKMNPQRSTVWXYZ", "0123456789abcdefghijklmnopqrstuv")
_TIME_BITS, _HASH_BITS = 32, 31


def visit_key(visit: str) -> int:
    """64-bit key of a visit id, the same in every process (unlike hash()).

    A ULID's key is its millisecond (32 bits: wraps after 49 days, far beyond the retention)
    then 31 bits of hash, so new visits land at the right edge of the B-tree and a commit
    writes a few pages, not one page per visit (why UUIDv7 beats UUIDv4 as a primary key).
    Any other id gets a plain 64-bit hash: as correct, only slower to insert.
    """
    digest = int.from_bytes(blake2b(visit.encode(), digest_size=8).digest(), "big", signed=True)
    millisecond = ulid_time(visit)
    if millisecond is not None:
        return ((millisecond & ((1 << _TIME_BITS) - 1)) << _HASH_BITS) | (digest & ((1 << _HASH_BITS) - 1))
    return digest


def ulid_time(visit: str) -> int | None:
    """The Unix time in ms a ULID begins with; None for an id of any other shape."""
    if len(visit) == 26 and _ULID.fullmatch(visit):
        return int(visit[:10].translate(_CROCKFORD), 32)
    return None
