"""check ⇔ build: what `invoke check` passes builds, and what Pelican refuses, check refuses.

`make build`/`make publish` run check first, so each of check's errors stops them; what
must also hold is the other way round: no file that check passes (warnings and notices
included) may stop Pelican, and every file Pelican stops on is an error in check.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from editorial.check import check, format_problem
from editorial.config import load_settings
from tasks import DEV_SETTINGS, PUBLISH_SETTINGS, ROOT
from tests.editorial_cases import CASES, DOCUMENT_CASES, code_of, line, variant
from tests.site import run_build
from tests.test_build_failures import BROKEN
from tests.tiny_site import build_in_process

WEEKLY = "Lịch làm việc của Thường trực Thành ủy"


def weekly(date: datetime, category: str = "Thông báo") -> str:
    return (f"Title: {WEEKLY}\nDate: {date:%Y-%m-%d 07:00}\nCategory: {category}\nAuthor: VP\n"
            f"Summary: Lịch tuần.\n\nLịch làm việc tuần này.\n")  # fmt: skip


def passing_tree(root: Path) -> dict[str, Path]:
    """The repository's content plus every text check passes: each rule's passing text, each
    warning's and notice's breaking text, and titles that collide in every way a newsroom's do."""
    shutil.copytree(ROOT / "content", root)
    folder = root / "articles" / "kinh-te"
    (root / "images" / "co.png").write_bytes((ROOT / "content" / "images" / "ngay-hoi-mau.jpg").read_bytes())
    (folder / "khac.md").write_text(variant(**{line("Title"): "Title: Bài khác"}), encoding="utf-8")
    written = {}
    for key, (bad, _line, good) in CASES.items():
        name = key.replace("/", "-").lower()
        texts = {"good": good} if code_of(key).startswith("E-") else {"good": good, "bad": bad}
        for side, text in texts.items():
            path = folder / f"{name}-{side}.md"
            path.write_text(text, encoding="utf-8")
            written[f"{key} {side}"] = path
    start = datetime(2025, 1, 6)
    for week in range(52):  # one title every Monday of a year
        (root / "articles" / "thong-bao" / f"lich-tuan-{week + 1:02d}.md").write_text(
            weekly(start + timedelta(weeks=week)), encoding="utf-8")
    monday = start + timedelta(weeks=52)
    for name in ("a", "b"):  # one title, one day, one section, twice
        (root / "articles" / "thong-bao" / f"trung-{name}.md").write_text(weekly(monday), encoding="utf-8")
    (root / "articles" / "kinh-te" / "trung-muc.md").write_text(weekly(monday, "Kinh tế"), encoding="utf-8")
    future = datetime.now() + timedelta(days=30)
    (root / "articles" / "thong-bao" / "hen-gio.md").write_text(weekly(future), encoding="utf-8")
    (root / "articles" / "thong-bao" / "nhap.md").write_text(
        weekly(monday).replace("Author: VP", "Author: VP\nStatus: draft"), encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("agree") / "content"
    passing_tree(root)
    return root


def test_check_passes_the_tree(tree):
    report = check([], {**load_settings(), "PATH": str(tree)}, tree)
    assert report.errors == 0, [format_problem(p) for p in report.problems if p.is_error]
    # The collisions are told apart, and said so.
    suffixed = {p.path.name for p in report.problems if p.code == "N-URL-SUFFIX"}
    assert {"trung-b.md", "nhap.md"} <= suffixed
    assert not suffixed & {"trung-a.md", "trung-muc.md", "hen-gio.md"} and not any(
        name.startswith("lich-tuan-") for name in suffixed)


@pytest.mark.slow
@pytest.mark.parametrize("settings", [DEV_SETTINGS, PUBLISH_SETTINGS], ids=["dev", "publish"])
def test_what_check_passes_builds(tree, settings, tmp_path):
    out = tmp_path / "out"
    result = run_build(settings, out, tree)
    assert result.returncode == 0, result.log
    weekly_pages = sorted(out.glob("thong-bao/2025/*/*/lich-lam-viec-cua-thuong-truc-thanh-uy.html"))
    assert len(weekly_pages) == 52
    day = "thong-bao/2026/01/05/lich-lam-viec-cua-thuong-truc-thanh-uy"
    assert (out / f"{day}.html").is_file() and (out / f"{day}-2.html").is_file()
    assert (out / "kinh-te/2026/01/05/lich-lam-viec-cua-thuong-truc-thanh-uy.html").is_file()
    # What check announced is where the build put it.
    report = check([], {**load_settings(), "PATH": str(tree)}, tree)
    for p in report.problems:
        if p.code == "N-URL-SUFFIX" and not (settings == PUBLISH_SETTINGS and p.path.name == "nhap.md"):
            target = p.message.rsplit("“", 1)[1].rstrip("”")
            assert (out / target).is_file(), format_problem(p)
    if settings == DEV_SETTINGS:  # a draft and a scheduled article with one title: both previewed
        assert (out / "ban-nhap/lich-lam-viec-cua-thuong-truc-thanh-uy.html").is_file()
        assert (out / "ban-nhap/lich-lam-viec-cua-thuong-truc-thanh-uy-2.html").is_file()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_what_pelican_refuses_check_refuses(case, tmp_path):
    """tests/test_build_failures.py shows Pelican stops on each of these; check must too."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    path = root / "articles" / "thong-bao" / f"hong-{case}.md"
    path.write_text(BROKEN[case][0], encoding="utf-8")
    report = check([path], {**load_settings(), "PATH": str(root)}, root)
    assert report.errors, f"check passes what the build refuses ({case})"


def test_every_rule_has_a_case():
    """A new rule comes with its breaking and passing text (and so with both sides above)."""
    import re

    rules = [ROOT / "plugins" / "editorial" / "rules.py", ROOT / "plugins" / "documents" / "rules.py"]
    source = "".join(path.read_text(encoding="utf-8") for path in rules)
    codes = set(re.findall(r'"([EWN]-[A-Z-]+)"', source))
    tested = {code_of(k) for k in (*CASES, *DOCUMENT_CASES)} | {"N-URL-SUFFIX", "W-PLACEHOLDER"}
    assert codes - tested == set(), "rules without a case in tests/editorial_cases.py"
    # documents: both sides of each case in tests/test_documents_rules.py


def test_every_suffix_the_build_reads_check_reads(tiny_site, tmp_path):
    """.md, .markdown, .mkd, .mdown: Pelican's Markdown reader takes them all, so check does."""
    from pelican.readers import MarkdownReader

    root = tiny_site.content  # a small site built in this process: the suffixes are what matters
    folder = root / "articles" / "kinh-te"
    folder.mkdir(parents=True)
    suffixes = sorted(MarkdownReader.file_extensions)
    assert {"md", "markdown"} <= set(suffixes)
    for suffix in suffixes:
        title = f"Title: Bài đuôi {suffix}"
        (folder / f"tot.{suffix}").write_text(variant(**{line("Title"): title}), encoding="utf-8")
        (folder / f"hong.{suffix}").write_text(
            variant(**{line("Title"): f"{title} hỏng", "Category: Kinh tế": "Category: Thể thao"}),
            encoding="utf-8")  # fmt: skip
    report = check([], {**load_settings(), "PATH": str(root)}, root)
    refused = {p.path.name for p in report.problems if p.code == "E-CATEGORY-UNKNOWN"}
    assert refused == {f"hong.{suffix}" for suffix in suffixes}
    result = build_in_process(root, tmp_path / "bad", [])
    assert result.returncode != 0 and "hong." in result.log  # …and the build reads them too
    for suffix in suffixes:
        (folder / f"hong.{suffix}").unlink()
    assert check([], {**load_settings(), "PATH": str(root)}, root).errors == 0
    result = build_in_process(root, tmp_path / "out", [])
    assert result.returncode == 0, result.log
    for suffix in suffixes:
        assert (tmp_path / "out" / f"kinh-te/2023/11/08/bai-duoi-{suffix}.html").is_file(), suffix
