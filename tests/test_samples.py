"""Sample content: samples.txt lists all of it, and `make remove-samples` (tasks.remove_sample_content)
leaves a repository whose content passes check and builds.

Samples are recognised by their own words: an article whose title ends in "(bài mẫu)", a
document file named mau-*.md in content/van-ban/, and the images and PDF files only they use.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from editorial.check import check, format_problem
from editorial.config import load_settings
from editorial.meta import parse
from tasks import PUBLISH_SETTINGS, ROOT, SAMPLES_LIST, remove_sample_content, sample_paths
from tests.site import run_build


def listed(path: Path, entries: list[str], root: Path = ROOT) -> bool:
    rel = path.relative_to(root).as_posix()
    return any(rel == e or (e.endswith("/") and rel.startswith(e)) for e in entries)


def test_only_content_is_listed():
    """Entries name files under content/ (an entry whose file is gone is skipped by the removal)."""
    entries = sample_paths()
    assert entries, f"{SAMPLES_LIST} lists nothing"
    assert [e for e in entries if not e.startswith("content/") or ".." in e.split("/")] == []


def test_every_sample_is_listed():
    entries = sample_paths()
    content = ROOT / "content"
    samples, others = [], []
    for path in sorted(content.rglob("*.md")):
        doc = parse(path.read_text(encoding="utf-8"), path)
        is_sample = ("(bài mẫu)" in doc.value("title")
                     or (path.parent.name == "van-ban" and path.name.startswith("mau-")))
        (samples if is_sample else others).append(doc)
    assert samples, "no sample content found"
    assert [d.path.relative_to(ROOT).as_posix() for d in samples if not listed(d.path, entries)] == []
    assert [d.path.relative_to(ROOT).as_posix() for d in others if listed(d.path, entries)] == []

    def files_used(docs) -> set[Path]:
        used = set()
        for doc in docs:
            for key in ("image", "file"):
                if doc.value(key):
                    used.add((content / doc.value(key).lstrip("/")).resolve())
            used |= {(content / m).resolve() for m in re.findall(r"\{static\}/?([^)\s\"']+)", doc.text)}
        return used

    only_samples = files_used(samples) - files_used(others)
    assert [p.relative_to(ROOT).as_posix() for p in sorted(only_samples) if not listed(p, entries)] == []
    assert not [p for p in files_used(others) if listed(p, entries)], "a listed file is used by real content"


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository holding a copy of the content and samples.txt, committed."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copy(ROOT / SAMPLES_LIST, repo / SAMPLES_LIST)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], cwd=repo, check=True)
    return repo


@pytest.mark.slow
def test_remove_samples_leaves_content_that_checks_and_builds(repository, tmp_path):
    entries = [e for e in sample_paths(repository) if (repository / e).exists()]
    removed = remove_sample_content(repository)
    assert removed and set(removed) == set(entries)
    assert all(not (repository / e).exists() for e in entries)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repository, capture_output=True, text=True).stdout
    deleted = [line[3:] for line in status.splitlines() if line.startswith("D ")]
    assert "content/van-ban/mau-57-nq-tw.md" in deleted and "content/van-ban/tep/mau-57-nq-tw.pdf" in deleted
    assert f"M  {SAMPLES_LIST}" in status.splitlines()
    assert sample_paths(repository) == []  # the list is emptied; its comments stay
    assert (repository / SAMPLES_LIST).read_text(encoding="utf-8").startswith("# ")
    assert remove_sample_content(repository) == []  # a second run has nothing to do

    content = repository / "content"
    report = check([], {**load_settings(), "PATH": str(content)}, content)
    assert report.errors == 0, [format_problem(p) for p in report.problems if p.is_error]
    out = tmp_path / "out"
    result = run_build(PUBLISH_SETTINGS, out, content)
    assert result.returncode == 0, result.log[-3000:]
    assert "Chưa có văn bản." in (out / "van-ban/index.html").read_text(encoding="utf-8")
    assert not (out / "feeds/van-ban.atom.xml").exists()  # no document, no feed
    assert "Văn bản mới" not in (out / "index.html").read_text(encoding="utf-8")
    assert not list((out / "van-ban").glob("*.html"))[1:]  # only the (empty) list


def test_a_path_outside_the_repository_is_refused(repository):
    (repository / SAMPLES_LIST).write_text("../outside.txt\n", encoding="utf-8")
    (repository.parent / "outside.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit):
        remove_sample_content(repository)
    assert (repository.parent / "outside.txt").read_text(encoding="utf-8") == "keep me"
