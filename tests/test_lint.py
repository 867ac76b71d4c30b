"""`make lint` (run by `make test`) reaches every Python file of the repository, bench's
suffix-less scripts included: a new script left out of pyproject.toml's extend-include fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tasks import ROOT


def python_files() -> set[Path]:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    found = set()
    for name in tracked.stdout.split("\0"):
        path = ROOT / name
        if name.endswith(".py"):
            found.add(path)
        elif name and path.is_file():
            with path.open("rb") as f:
                first = f.readline()
            if first.startswith(b"#!") and b"python" in first:
                found.add(path)
    return found


def test_ruff_checks_every_python_file():
    shown = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--show-files", "."],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    linted = {Path(line) for line in shown.splitlines() if line.startswith("/")}
    expected = python_files()
    assert any(path.suffix == "" for path in expected)  # bench/build and its kind are found
    assert expected - linted == set()
