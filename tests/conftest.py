"""Shared fixtures: the real site, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site import BuiltSite, build_site
from tests.support import chromium

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    """The production build (publishconf.py) of the repository's own content."""
    return build_site(ROOT / "publishconf.py", tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory) -> BuiltSite:
    """The development build (pelicanconf.py) of the repository's own content."""
    return build_site(ROOT / "pelicanconf.py", tmp_path_factory.mktemp("dev-site"))


@pytest.fixture(scope="module")
def browser():
    """Chromium for the browser tests of one module (tests.support.chromium)."""
    with chromium() as b:
        yield b
