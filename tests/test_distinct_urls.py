"""plugins/distinct_urls: the naming rule the build and `make check` share."""

from __future__ import annotations

from distinct_urls import DEFAULT_SLUG_MAX_LENGTH, shorten, suffixes
from tests.test_site import SEED_URL


def test_a_real_headline_keeps_its_whole_slug():
    seed_slug = SEED_URL.rsplit("/", 1)[1].removesuffix(".html")
    assert shorten(seed_slug) == seed_slug and len(seed_slug) > 100


def test_a_slug_past_the_limit_is_cut_at_a_hyphen_and_fits_a_file_name():
    slug = "-".join(["hoi-nghi"] * 60)
    cut = shorten(slug)
    assert len(cut) <= DEFAULT_SLUG_MAX_LENGTH and slug.startswith(cut) and not cut.endswith("-")
    assert slug[len(cut)] == "-"  # cut between words
    assert len(f"{cut}-99.html".encode()) < 255
    assert shorten("x" * 300, 80) == "x" * 80  # no hyphen to cut at


def test_suffixes_go_in_file_name_order_and_never_take_a_natural_path():
    natural = {"b.md": "t.html", "a.md": "t.html", "c.md": "t-2.html", "d.md": "t.html"}
    moved = suffixes(natural, lambda key, n: f"t-{n}.html")
    assert moved == {"b.md": 3, "d.md": 4}  # a.md keeps t.html; t-2 belongs to c.md
    assert suffixes({"x.md": "x.html", "draft.md": ""}, lambda key, n: "") == {}
