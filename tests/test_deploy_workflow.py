"""The publishing workflow (.github/workflows/publish.yml): actionlint, then its shape.

actionlint comes from the test extra (a wheel with the binary); it also runs shellcheck
on every `run:` script when shellcheck is installed (.ci/run installs it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hitcount_service.ssi import SEARCH_QUERY_ECHO
from tests.support import require_executable

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
SECRETS = ("DEPLOY_SSH_KEY", "DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH", "DEPLOY_KNOWN_HOSTS")


@pytest.fixture(scope="module")
def workflow() -> dict:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def test_actionlint():
    venv_bin = Path(sys.executable).parent
    exe = str(venv_bin / "actionlint") if (venv_bin / "actionlint").exists() else None
    exe = exe or require_executable("actionlint", "pip install the test extra (requirements.lock)")
    result = subprocess.run(
        [exe, "-no-color", str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers(workflow):
    on = workflow["on"]
    assert on["push"]["branches"] == ["main"]
    assert {"cron": "*/15 * * * *"} in on["schedule"]
    assert "workflow_dispatch" in on


def steps_text(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


def test_test_then_publish_then_deploy(workflow):
    jobs = workflow["jobs"]
    build = jobs["test-and-build"]
    runs = [str(step.get("run", "")) for step in build["steps"]]
    test_at = next(i for i, r in enumerate(runs) if ".ci/run" in r or "make test" in r)
    publish_at = next(i for i, r in enumerate(runs) if "deploy/scheduled-publish" in r)
    assert test_at < publish_at
    assert "make --no-print-directory publish" in (ROOT / "deploy" / "scheduled-publish").read_text()
    # No step of the build job may carry on after a failure (which would publish untested).
    for step in build["steps"]:
        assert not step.get("continue-on-error"), step
        assert "always()" not in str(step.get("if", "")), step
    ci_run = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci_run and "set -euo pipefail" in ci_run
    for name in ("deploy-pages", "deploy-rsync"):
        job = jobs[name]
        assert job["needs"] == "test-and-build" or "test-and-build" in job["needs"]
        assert job["concurrency"] == {"group": "publish", "cancel-in-progress": False}
        assert "needs.test-and-build.outputs.changed == 'true'" in job["if"]


def test_tests_are_skipped_only_for_a_commit_that_passed_them(workflow):
    """The 15-minute runs of an unchanged commit skip `make test`; any new commit runs it."""
    steps = workflow["jobs"]["test-and-build"]["steps"]
    lookup = next(s for s in steps if s.get("id") == "tested")
    assert lookup["uses"].startswith("actions/cache/restore@")
    assert lookup["with"]["key"] == "tested-${{ github.sha }}" and "restore-keys" not in lookup["with"]
    ci = next(s for s in steps if ".ci/run" in str(s.get("run", "")))
    assert ci["if"] == "steps.tested.outputs.cache-hit != 'true'"
    save = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache/save@")
                and s["with"]["key"] == "tested-${{ github.sha }}")  # fmt: skip
    assert steps.index(ci) < steps.index(save) and save["if"] == ci["if"]


def test_build_caches_carry_over_between_runs(workflow):
    steps = workflow["jobs"]["test-and-build"]["steps"]
    restore = next(s for s in steps if s.get("with", {}).get("key") == "build-${{ github.run_id }}"
                   and "restore" in s["uses"])  # fmt: skip
    build = next(s for s in steps if s.get("id") == "build")
    assert restore["with"]["path"] == ".cache" and restore["with"]["restore-keys"] == "build-"
    assert steps.index(restore) < steps.index(build)
    remember = workflow["jobs"]["remember-deployed"]
    assert "success" in remember["if"] and "!cancelled()" in remember["if"]


def test_pages_option(workflow):
    job = workflow["jobs"]["deploy-pages"]
    assert "vars.DEPLOY_TARGET == 'pages'" in job["if"]
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert "actions/deploy-pages@" in steps_text(job)
    assert "actions/upload-pages-artifact@" in steps_text(workflow["jobs"]["test-and-build"])


def test_pages_get_the_search_page_filled_in(workflow, tmp_path):
    """GitHub Pages has no SSI: before the upload, the search page's echo is filled in as for
    no query (an empty field, not the directive's text); other pages are left as they are."""
    steps = workflow["jobs"]["test-and-build"]["steps"]
    upload = next(i for i, s in enumerate(steps) if "upload-pages-artifact" in str(s.get("uses")))
    fill = steps[upload - 1]
    assert "vars.DEPLOY_TARGET == 'pages'" in fill["if"] and "hitcount_service.ssi output" in fill["run"]
    site = tmp_path / "output"
    site.mkdir()
    (site / "tim-kiem.html").write_bytes(b'<input name="q" value="' + SEARCH_QUERY_ECHO + b'">')
    (site / "index.html").write_bytes(b"<p>Trang ch\xe1\xbb\xa7</p>")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")  # the project installed in it, as `make` leaves it
    subprocess.run(["bash", "-c", fill["run"]], cwd=tmp_path, check=True, capture_output=True)
    assert (site / "tim-kiem.html").read_bytes() == b'<input name="q" value="">'
    assert (site / "index.html").read_bytes() == b"<p>Trang ch\xe1\xbb\xa7</p>"


def test_rsync_option_uses_named_secrets_only(workflow):
    job = workflow["jobs"]["deploy-rsync"]
    assert "vars.DEPLOY_TARGET == 'rsync'" in job["if"]
    text = WORKFLOW.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert f"secrets.{secret}" in text, secret
    assert "rsync" in steps_text(job) and "StrictHostKeyChecking=yes" in steps_text(job)
    # Secrets reach scripts through env, never pasted into a command line by expansion.
    for step in job["steps"]:
        assert "${{ secrets." not in str(step.get("run", "")), step
    assert "BEGIN OPENSSH PRIVATE KEY" not in text and "BEGIN RSA" not in text


def test_default_permissions_are_read_only(workflow):
    assert workflow["permissions"] == {"contents": "read"}
