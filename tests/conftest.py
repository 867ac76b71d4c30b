"""Shared fixtures and the two test tiers (tests/README.md).

fast: everything else (`make test-fast`); slow: builds the repository's whole site, starts a
server process or drives Chromium (`browser` implies `slow`). `make test` runs both tiers.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests import tiers
from tests.hitcount_support import redis_url  # noqa: F401 - the session redis-server, for store
from tests.site import BuiltSite, build_site
from tests.support import chromium
from tests.tiny_site import tiny_site  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parent.parent

# A test that uses one of these fixtures is slow whether or not it says so: they build the
# whole site, serve it, or start a browser.
SLOW_FIXTURES = {"site", "dev_site", "counter_site", "served", "stack", "browser", "endpoint"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    tiers.CURRENT = item  # tiers.require_slow() checks the test that is running


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


# --- The counter's stores (tests/test_hitcount_stores.py, test_hitcount_stats.py) ----------------


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (@pytest.mark.anyio, anyio's pytest plugin) run on asyncio, as uvicorn does."""
    return "asyncio"


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Any]:
    """A factory of fresh, unopened stores of one kind: SQLite on a file in tmp_path, Redis on
    the session's real redis-server (each store its own keys). Options go to the store."""

    def make(**options: Any) -> Any:
        options = {"online_window": 300, "timezone": "Asia/Ho_Chi_Minh", **options}
        if request.param == "sqlite":
            from hitcount_service.stores.sqlite import SQLiteStore

            return SQLiteStore(tmp_path / "hits.sqlite3", **options)
        from hitcount_service.stores.redis import RedisStore

        url = request.getfixturevalue("redis_url")
        return RedisStore(url, prefix=f"{{test-{uuid.uuid4().hex}}}:", **options)

    return make


@pytest.fixture
def store_options() -> dict[str, Any]:
    """What `store` opens its store with; a module overrides this fixture to change it."""
    return {}


@pytest.fixture
async def store(make_store, store_options, anyio_backend) -> AsyncIterator[Any]:
    """An opened store of each kind (the test runs twice), closed after the test."""
    opened = make_store(**store_options)
    await opened.open()
    yield opened
    await opened.close()
