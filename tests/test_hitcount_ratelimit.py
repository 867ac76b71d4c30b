"""The counter's own per-client limit (plugins/hitcount_service/ratelimit.py), with a hand-moved clock.

(nginx's limit in front, across workers, is tested in tests/test_deploy_limits.py.)
"""

from __future__ import annotations

import pytest

from hitcount_service.ratelimit import RateLimiter, client_key
from tests.hitcount_support import FakeClock as Ticker


def allowed(limiter: RateLimiter, address: str, times: int) -> int:
    return sum(limiter.check(address) == 0 for _ in range(times))


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::1", "2001:0db8:0001:0002::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0db8:0001:0002::/64"),
        ("2001:DB8:1:2:0:0:0:7", "2001:0db8:0001:0002::/64"),
        ("fe80::1%eth0", "fe80:0000:0000:0000::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # an IPv4 client on a dual-stack socket
        ("::1", "0000:0000:0000:0000::/64"),
        ("not:an:address", "not:an:address"),
        ("x" * 500, "x" * 64),
    ],
)
def test_client_key(address, key):
    assert client_key(address) == key


def test_limit_per_address_then_429_until_the_window_slides():
    ticker = Ticker()
    limiter = RateLimiter(5, clock=ticker)
    assert allowed(limiter, "203.0.113.9", 8) == 5
    assert limiter.check("203.0.113.9") >= 1  # seconds for Retry-After
    assert allowed(limiter, "203.0.113.10", 5) == 5  # another address has its own
    ticker.now += 120
    assert allowed(limiter, "203.0.113.9", 5) == 5


def test_one_ipv6_64_is_one_client():
    limiter = RateLimiter(10, clock=Ticker())
    # A host rotating through its /64 (privacy addresses, or an attacker) gets one limit.
    same_64 = [f"2001:db8:1:2:{i:x}::{i:x}" for i in range(1, 40)]
    assert sum(limiter.check(a) == 0 for a in same_64) == 10
    assert allowed(limiter, "2001:db8:1:3::1", 10) == 10  # the next /64 is someone else


def test_a_full_table_fails_closed():
    limiter = RateLimiter(3, clock=Ticker(), max_clients=100)
    for i in range(100):
        assert limiter.check(f"198.51.100.{i}") == 0
    # Table full: thousands of fresh addresses share one bucket, so only `limit` get through.
    fresh = [f"10.{i // 250}.{i % 250}.1" for i in range(2000)]
    assert sum(limiter.check(a) == 0 for a in fresh) == 3
    # Clients already in the table keep their own count.
    assert allowed(limiter, "198.51.100.7", 5) == 2
    assert len(limiter) <= 101  # memory stays bounded


def test_zero_turns_it_off():
    limiter = RateLimiter(0, clock=Ticker())
    assert allowed(limiter, "203.0.113.9", 1000) == 1000
