"""deploy/scheduled-publish, the publish run's build step: it tells whether the site changed.

Run in a copy of the repository (its own output/, .cache/ and var/), with the project's
virtualenv linked in, exactly as the workflow runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".git", ".venv", "output", ".cache", "var", "node_modules", ".pytest_cache", "__pycache__"}


@pytest.fixture
def repo(tmp_path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=lambda _d, names: [n for n in names if n in SKIP or n == ".work"],
                    copy_function=shutil.copy2)  # fmt: skip
    (copy / ".venv").symlink_to(ROOT / ".venv")  # make sees it installed: mtimes are kept
    return copy


def run(repo: Path) -> dict[str, str]:
    out = repo / "github_output"
    out.unlink(missing_ok=True)
    result = subprocess.run(
        ["deploy/scheduled-publish"], cwd=repo, capture_output=True, text=True,
        env={**os.environ, "GITHUB_OUTPUT": str(out)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(line.split("=", 1) for line in out.read_text().split())


def test_deploys_only_what_changed(repo):
    first = run(repo)
    assert first["changed"] == "true"  # nothing deployed yet
    # The workflow's remember-deployed job stores the digest once the deployment succeeded.
    (repo / "var" / "publish" / "published.sha256").write_text(first["digest"] + "\n")
    again = run(repo)
    assert again == {"changed": "false", "digest": first["digest"]}
    article = next((repo / "content" / "articles").rglob("*.md"))
    article.write_text(article.read_text("utf-8").replace("\n\n", "\n\nMột câu mới.\n\n", 1), "utf-8")
    edited = run(repo)
    assert edited["changed"] == "true" and edited["digest"] != first["digest"]
    assert (repo / ".cache").is_dir()  # the caches the next run restores
