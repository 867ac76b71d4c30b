"""plugins/search without a browser: the hidden filter/meta block, CBOR, canonical bundles."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from types import SimpleNamespace

import pytest

from search.canonical import SIGNATURE, Map, Raw, canonicalise, decode, encode, read, write
from search.fold import decode_mask, encode_mask, fold, mask_bits, plain_word, proper_noun_pairs, scan, unfold
from search.plugin import index_block, index_document, with_index_block


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


def test_index_document_folds_and_carries_masks_and_proper_nouns():
    article = SimpleNamespace(
        category=SimpleNamespace(name="Xây dựng Đảng"),
        summary="Đảng bộ “mẫu” &amp; các chi bộ",
        date=datetime(2024, 3, 5, 8, 0),
    )
    page = (
        '<!DOCTYPE html><html lang="vi"><head><title>Đại hội – Thành ủy</title></head><body><nav>Đ</nav>'
        '<h1 class="t">Đại hội Đảng bộ phường Nghĩa Dũng</h1><div class="b" data-pagefind-body>'
        "<p>Ông Lê Văn Tám dự.</p></div><footer>đ</footer></body></html>"
    )  # fmt: skip
    document = index_document(page, index_block(article))
    assert "<h1 class=\"t\">Dại hội Dảng bộ phường Nghĩa Dũng</h1>" in document
    assert "<title>Dại hội – Thành ủy</title>" in document and "<nav>" not in document
    assert '<span data-pagefind-meta="summary">Dảng bộ “mẫu” &amp; các chi bộ</span>' in document
    assert '<span data-pagefind-meta="section">Xây dựng Dảng</span>' in document
    # filters keep the real names: never searched, and the menu shows them
    assert '<span data-pagefind-filter="section">Xây dựng Đảng</span>' in document
    # masks of title (the <h1>), summary, section and body, in that order
    masks = [encode_mask(b) for b in ("110", "1", "01", "0")]
    assert f'<span data-pagefind-meta="dau">{" ".join(masks)}</span>' in document
    assert unfold("Dại hội Dảng bộ phường Nghĩa Dũng", decode_mask(masks[0])) == "Đại hội Đảng bộ phường Nghĩa Dũng"
    nouns = "đđnghiađdung đđongđle đđleđvan đđvanđtam"
    assert f'<span data-pagefind-meta="ten">{nouns}</span></div></body></html>' in document


@pytest.mark.parametrize("bits", ["", "0", "1", "01", "110", "1011", "10110", "0" * 37, "1" * 64 + "01"])
def test_mask_round_trip(bits):
    word = encode_mask(bits)
    assert word.startswith("đđđ") and word[3:].isascii() and word[3:].isalpha() and word[3:].islower()
    assert decode_mask(word) == bits


def test_fold_keeps_length_and_unfold_puts_the_d_back():
    text = "Đại hội Đảng bộ: ĐẠI BIỂU, dân, Dũng; Ðào (Ð legacy)"
    folded = fold(text)
    assert "đ" not in folded.lower() and "ð" not in folded.lower() and len(folded) == len(text)
    assert unfold(folded, mask_bits(text)) == text.replace("Ð", "Đ")
    with pytest.raises(ValueError):
        unfold(folded, mask_bits(text) + "1")


def test_scan_masks_what_pagefind_keeps():
    html = (
        '<html><head><title>Đ</title></head><body><h1>Đà</h1><div data-pagefind-body>'
        '<p>Đảng <em>đ</em>ồng &#273;ại <img src="x.jpg" alt="ảnh đoàn"></p>'
        '<script>var d = "đ<p>";</script><nav>đ</nav><p data-pagefind-ignore>đ</p>'
        '<form><label>đ</label></form><p>Dũng và “Đà Nẵng” (Hòa Bình).</p></div><footer>đ</footer>'
        '<div hidden data-pagefind-ignore><span data-pagefind-meta="summary">Đó &amp; đây</span>'
        '<span data-pagefind-filter="section">Xây dựng Đảng</span><span data-pagefind-meta="date:2024-01-02"></span>'
        '<i data-pagefind-meta="a, b[x], c:Đ"></i></div></body></html>'
    )  # fmt: skip
    found = scan(html)
    assert "<h1>Dà</h1>" in found.document and 'alt="ảnh doàn"' in found.document
    assert "<p>Dảng <em>d</em>ồng dại" in found.document and "<footer>d</footer>" in found.document
    assert 'var d = "đ<p>";' in found.document  # a script's text is left as it is
    assert '<span data-pagefind-filter="section">Xây dựng Đảng</span>' in found.document
    # Đảng, đồng, đại, Dũng, Đà (the script, nav, ignored, form and footer letters are not Pagefind's)
    assert found.body_bits == "11101"
    assert found.title == "Đà" and found.meta == {"summary": "Đó & đây"}
    assert proper_noun_pairs(found.body_text) == ["đđdađnang", "đđhoađbinh"]
    # without a data-pagefind-body element, Pagefind reads the whole <body>
    assert scan("<html><body><p>Đi</p><footer>đ</footer></body></html>").body_bits == "1"


def test_proper_noun_pairs():
    assert plain_word("Nẵng”,") == "nang" and plain_word("ĐỒNG") == "dong"
    assert proper_noun_pairs("Đoàn công tác tỉnh Hòa Bình. Đà Nẵng, Quảng Ngãi và Thành phố Hồ Chí Minh") == [
        "đđhoađbinh", "đđdađnang", "đđquangđngai", "đđhođchi", "đđchiđminh"]  # fmt: skip
    assert proper_noun_pairs("nhà văn hóa đa năng; Kỳ họp thứ 18 HĐND") == []
    assert proper_noun_pairs("Lễ hội Quán Thế Âm", limit=1) == ["đđquanđthe"]


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
    from search.plugin import pagefind_command, reduce_document, with_index_block

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

    reduced = reduce_document(pages[0].read_text(encoding="utf-8"), block)
    assert "<nav" not in reduced and "<footer" not in reduced  # the page's chrome is left out
    assert bundle(with_index_block, "whole") == bundle(reduce_document, "reduced")


def test_index_document_falls_back_to_the_whole_page():
    from search.plugin import reduce_document, with_index_block

    for html in ["<html><body><p>no body marker</p></body></html>",
                 "<html><head></head><body><div data-pagefind-body><p>no h1</p></div></body></html>",
                 '<html><head></head><body><h1>T</h1><section data-pagefind-body>x</section></body></html>']:
        assert reduce_document(html, "<b>") == with_index_block(html, "<b>")


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


def test_unfolding_gives_back_the_text_pagefind_keeps_of_every_page(dev_site, tmp_path):
    """Pagefind on the folded copies and on the pages as they are: every page's text from the
    first, with its đ put back by its mask (as search.js does), is the text of the second."""
    import gzip
    import json
    import subprocess

    from search.plugin import pagefind_command, reduce_document

    pages = [p for p in dev_site.root.rglob("*.html") if len(p.relative_to(dev_site.root).parts) == 5]
    assert len(pages) >= 15
    block = ('<div hidden data-pagefind-ignore><span data-pagefind-meta="summary">Đảng bộ &amp; đ</span>'
             '<span data-pagefind-meta="section">Xây dựng Đảng</span></div>')  # fmt: skip

    def fragments(fold_it: bool, name: str) -> dict:
        staging, out = tmp_path / f"staging-{name}", tmp_path / f"bundle-{name}"
        for page in pages:
            html = page.read_text(encoding="utf-8")
            document = index_document(html, block) if fold_it else reduce_document(html, block)
            target = staging / page.relative_to(dev_site.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
        subprocess.run(pagefind_command(staging, out, "vi"), check=True, capture_output=True)
        found = {}
        for path in (out / "fragment").glob("*.pf_fragment"):
            data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
            found[data["url"]] = data
        return found

    folded, original = fragments(True, "folded"), fragments(False, "original")
    assert folded.keys() == original.keys() and len(folded) == len(pages)
    stroked = 0
    for url, data in folded.items():
        masks = data["meta"]["dau"].split()
        assert "đ" not in data["content"].lower() + data["meta"]["title"].lower(), url
        assert unfold(data["content"], decode_mask(masks[3])) == original[url]["content"], url
        for i, name in enumerate(("title", "summary", "section")):
            assert unfold(data["meta"][name], decode_mask(masks[i])) == original[url]["meta"][name], (url, name)
        stroked += original[url]["content"].lower().count("đ")
    assert stroked > 100  # the pages do have đ to put back
