"""plugins/sanitize/files.py: only images, PDF documents and safe SVG are published from
content/; `make check` and the build refuse anything else alike, naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from editorial.check import check
from editorial.config import load_settings
from sanitize.files import file_problems, svg_problem
from tasks import ROOT
from tests.site import BuildResult
from tests.tiny_site import build_in_process

SAFE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Hình</title>'
            '<rect width="10" height="10" fill="#c00"/></svg>')  # fmt: skip
UNSAFE_SVGS = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "foreign": '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
    "link": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
             '<use xlink:href="https://evil.example/x.svg#a"/></svg>'),
    "js-href": '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    "style": '<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url(https://evil.example/)}</style></svg>',
    "entity": '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    "broken": "<svg",
}
REFUSED = ["x.js", "trang.html", "kieu.css", "tai-lieu.docx", "nen.zip", "chay.sh", ".htaccess", "anh.JPG.exe"]


@pytest.fixture
def content(tiny_site) -> Path:
    """A small site (one article under articles/kinh-te/, an image folder) built in-process."""
    tiny_site.article("kinh-te/bai-mau")
    (tiny_site.content / "images").mkdir()
    return tiny_site.content


def build(output: Path, content: Path) -> BuildResult:
    """The development build with the sanitize plugin, as `make build` runs it."""
    return build_in_process(content, output, ["sanitize"])


def test_the_repository_content_has_only_allowed_files():
    assert file_problems(ROOT / "content", load_settings()) == []
    assert svg_problem(ROOT / "content" / "images" / "hoi-nghi-mau.svg") is None


@pytest.mark.parametrize("name", sorted(UNSAFE_SVGS))
def test_unsafe_svg_is_refused(tmp_path, name):
    path = tmp_path / f"{name}.svg"
    path.write_text(UNSAFE_SVGS[name], encoding="utf-8")
    assert svg_problem(path)


def test_safe_svg_passes(tmp_path):
    path = tmp_path / "ok.svg"
    path.write_text(SAFE_SVG, encoding="utf-8")
    assert svg_problem(path) is None


@pytest.mark.parametrize("name", REFUSED)
def test_check_and_build_both_refuse_a_file_type_naming_it(content, tmp_path, name):
    (content / "images" / name).write_text("x", encoding="utf-8")
    settings = {**load_settings(), "PATH": str(content)}
    report = check(settings=settings, content_root=content)
    assert [p.code for p in report.problems if p.path.name == name] == ["E-FILE-TYPE"]
    result = build(tmp_path / "out", content)
    assert result.returncode != 0
    assert name in result.log and "không được đăng" in result.log


def test_check_and_build_refuse_an_unsafe_svg_and_pass_a_safe_one(content, tmp_path):
    (content / "images" / "an-toan.svg").write_text(SAFE_SVG, encoding="utf-8")
    settings = {**load_settings(), "PATH": str(content)}
    assert not check(settings=settings, content_root=content).errors
    assert build(tmp_path / "ok", content).returncode == 0

    (content / "images" / "doc-hai.svg").write_text(UNSAFE_SVGS["onload"], encoding="utf-8")
    report = check(settings=settings, content_root=content)
    assert [p.path.name for p in report.problems if p.is_error] == ["doc-hai.svg"]
    result = build(tmp_path / "bad", content)
    assert result.returncode != 0 and "doc-hai.svg" in result.log


def test_a_file_linked_with_static_outside_images_is_refused_too(content, tmp_path):
    """{static} publishes any file it links to: a script beside an article is caught."""
    folder = content / "articles" / "kinh-te"
    (folder / "tien-ich.js").write_text("alert(1)", encoding="utf-8")
    article = next(folder.glob("*.md"))
    article.write_text(article.read_text("utf-8") + "\n[tiện ích]({static}tien-ich.js)\n", "utf-8")
    settings = {**load_settings(), "PATH": str(content)}
    assert [p.path.name for p in check(settings=settings, content_root=content).problems
            if p.code == "E-FILE-TYPE"] == ["tien-ich.js"]  # fmt: skip
    result = build(tmp_path / "out", content)
    assert result.returncode != 0 and "tien-ich.js" in result.log
