"""The fast and slow test tiers, enforced: what is slow cannot run unmarked in the fast tier."""

from __future__ import annotations

import pytest

CURRENT: pytest.Item | None = None  # set by conftest.pytest_runtest_setup


def require_slow(what: str) -> None:
    """Fail the running test unless it is marked slow (or gets it from a fixture, conftest.py)."""
    if CURRENT is not None and CURRENT.get_closest_marker("slow") is None:
        pytest.fail(f"{CURRENT.nodeid} {what}: mark it @pytest.mark.slow (tests/README.md)", pytrace=False)
