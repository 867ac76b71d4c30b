"""plugins/search without a browser: the hidden filter/meta block, CBOR, canonical bundles."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from types import SimpleNamespace

import pytest

from search.canonical import SIGNATURE, Map, Raw, canonicalise, decode, encode, read, write
from search.plugin import index_block, with_index_block


def test_index_block_from_article():
    article = SimpleNamespace(
        category=SimpleNamespace(name="Xây dựng Đảng"),
        summary="<p>Đảng bộ&nbsp;phường <em>“mẫu”</em> &amp; các chi bộ</p>",
        date=datetime(2024, 3, 5, 8, 0),
    )
    block = index_block(article)
    assert block.startswith("<div hidden data-pagefind-ignore>")
    assert '<span data-pagefind-filter="section">Xây dựng Đảng</span>' in block
    assert '<span data-pagefind-filter="year">2024</span>' in block
    assert 'data-pagefind-meta="date:2024-03-05"' in block
    assert '<span data-pagefind-meta="summary">Đảng bộ phường “mẫu” &amp; các chi bộ</span>' in block
    assert with_index_block("<html><body><p>x</p></body></html>", "<i></i>").endswith(
        "<p>x</p><i></i></body></html>"
    )


@pytest.mark.parametrize(
    "item",
    [0, 23, 24, 255, 256, 70000, 2**33, -1, -500, "", "Đảng bộ", b"\x00\x01",
     [1, [2, "ba"]], Map([("a", 1), ("b", [2])]), Raw(b"\xf5"), Raw(b"\xfb" + bytes(8))],
)  # fmt: skip
def test_cbor_round_trip(item):
    data = encode(item)
    assert decode(data) == (item, len(data))


def _filter_file(path, name, values):
    path.write_bytes(gzip.compress(SIGNATURE + encode([name, values])))


def test_canonicalise_sorts_filters_and_renames(tmp_path):
    bundles = []
    for order in (["b", "a", "c"], ["c", "b", "a"]):
        bundle = tmp_path / "".join(order)
        (bundle / "filter").mkdir(parents=True)
        values = [[v, [ord(v) - ord("a")]] for v in order]  # same pages, other order
        _filter_file(bundle / "filter" / "vi_1111111.pf_filter", "section", values)
        _filter_file(bundle / "filter" / "vi_2222222.pf_filter", "year", [["2024", [0, 1, 2]]])
        filters = [["year", "vi_2222222"], ["section", "vi_1111111"]]
        meta = ["1.5.2", [["vi_aaaaaaa", 3]], [], filters if order[0] == "b" else filters[::-1],
                [["date", [2, 0, 1]]], ["date", "title"]]  # fmt: skip
        write(bundle / "pagefind.vi_0000000000.pf_meta", meta)
        entry = {"version": "1.5.2", "languages": {"vi": {"hash": "vi_0000000000", "page_count": 3}}}
        (bundle / "pagefind-entry.json").write_text(json.dumps(entry))
        assert canonicalise(bundle)
        bundles.append(bundle)
    first, second = ({p.relative_to(b).as_posix(): p.read_bytes() for p in b.rglob("*") if p.is_file()}
                     for b in bundles)  # fmt: skip
    assert first == second
    entry = json.loads(first["pagefind-entry.json"])
    meta = read(bundles[0] / f"pagefind.{entry['languages']['vi']['hash']}.pf_meta")
    assert [f[0] for f in meta[3]] == ["section", "year"]
    section = read(bundles[0] / "filter" / f"{meta[3][0][1]}.pf_filter")
    assert [v[0] for v in section[1]] == ["a", "b", "c"]


def test_unknown_format_is_left_alone(tmp_path):
    (tmp_path / "filter").mkdir()
    (tmp_path / "filter" / "vi_1.pf_filter").write_bytes(gzip.compress(b"something else"))
    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"vi": {"hash": "vi_x"}}}')
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert not canonicalise(tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_index_document_gives_pagefind_the_same_index_as_the_whole_page(dev_site, tmp_path):
    """Pagefind on the reduced copies (index_document) writes the very bundle it writes on
    whole pages: same fragments (text, title, image), words, filters and metadata."""
    import gzip
    import subprocess

    from search.canonical import canonicalise
    from search.plugin import index_document, pagefind_command, with_index_block

    pages = [p for p in dev_site.root.rglob("*.html") if len(p.relative_to(dev_site.root).parts) == 5]
    assert len(pages) >= 15
    block = '<div hidden data-pagefind-ignore><span data-pagefind-filter="section">X</span></div>'

    def bundle(make, name):
        staging, out = tmp_path / f"staging-{name}", tmp_path / f"bundle-{name}"
        for page in pages:
            target = staging / page.relative_to(dev_site.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(make(page.read_text(encoding="utf-8"), block), encoding="utf-8")
        subprocess.run(pagefind_command(staging, out, "vi"), check=True, capture_output=True)
        assert canonicalise(out)
        return {f.relative_to(out).as_posix(): gzip.decompress(f.read_bytes()) if ".pf_" in f.name
                else f.read_bytes() for f in out.rglob("*") if f.is_file()}  # fmt: skip

    reduced = index_document(pages[0].read_text(encoding="utf-8"), block)
    assert "<nav" not in reduced and "<footer" not in reduced  # the page's chrome is left out
    assert bundle(with_index_block, "whole") == bundle(index_document, "reduced")


def test_index_document_falls_back_to_the_whole_page():
    from search.plugin import index_document, with_index_block

    for html in ["<html><body><p>no body marker</p></body></html>",
                 "<html><head></head><body><div data-pagefind-body><p>no h1</p></div></body></html>",
                 '<html><head></head><body><h1>T</h1><section data-pagefind-body>x</section></body></html>']:  # fmt: skip
        assert index_document(html, "<b>") == with_index_block(html, "<b>")


def test_shards_are_oldest_first_and_the_newest_holds_pagefind_js():
    from datetime import datetime, timedelta
    from types import SimpleNamespace

    from search.plugin import shard, shard_names

    start = datetime(2020, 1, 1)
    articles = [SimpleNamespace(date=start + timedelta(days=i), source_path=f"{i}.md") for i in range(12)]
    groups = shard(list(reversed(articles)), 5)
    assert [[a.source_path for a in g] for g in groups] == [
        ["10.md", "11.md"], [f"{i}.md" for i in range(5, 10)], [f"{i}.md" for i in range(5)]]
    assert shard_names(3) == ["", "luu-2", "luu-1"]  # a new article changes only the newest group
    assert shard([], 5) == [[]]
