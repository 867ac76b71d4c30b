"""The Makefile as a newcomer meets it: every target in `make help`, a clear word when Python is missing."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tasks import ROOT, pytest_argv


def targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.M)) - {"help"}


def test_make_help_lists_every_target():
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"^make ([a-z][a-z-]*)", shown, re.M))
    assert targets() - listed == set(), shown
    assert {"serve", "test", "test-fast", "check", "new", "preview", "import-legacy"} <= listed


def test_make_test_deselects_nothing_and_test_fast_only_the_slow_tier():
    """CI runs `make test`: every test, whatever its marker; `make test-fast` leaves out `slow`."""
    assert pytest_argv()[1:] == ["-m", "pytest"] and pytest_argv("-k seed")[3:] == ["-k", "seed"]
    assert pytest_argv(fast=True)[3:] == ["-m", "not slow"]
    options = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.pytest.ini_options]")[1]
    assert not re.search(r"addopts = .*(-m|--markers|-k)\b", options)  # no deselection by default


def test_a_missing_python_names_what_to_install(tmp_path):
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "plugins").mkdir()
    result = subprocess.run(["make", "check", "PYTHON=python3.11-not-here"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert "python3.11-not-here not found" in result.stderr and "apt-get install python3.11" in result.stderr
    assert not (tmp_path / ".venv").exists()


@pytest.mark.slow  # the production build, then the preview server and the counter
def test_make_preview_serves_the_production_build_with_the_counter(tmp_path):
    import os
    import signal

    import httpx

    from tests.hitcount_support import wait_http
    from tests.support import READER_USER_AGENT, free_port

    port = free_port()
    proc = subprocess.Popen(["make", "preview", f"PORT={port}"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc, timeout=240)
        home = httpx.get(f"http://127.0.0.1:{port}/").text
        assert f'href="http://127.0.0.1:{port}/feeds/all.atom.xml"' in home  # publishconf, local origin
        assert "ban-nhap/" not in home  # no drafts page in the production build
        hit = httpx.post(f"http://127.0.0.1:{port}/api/hits", json={"path": "/", "visit": "0" * 26},
                         headers={"User-Agent": READER_USER_AGENT})  # fmt: skip
        assert hit.status_code == 200 and hit.json()["total"] >= 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
