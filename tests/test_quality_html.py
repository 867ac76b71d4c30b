"""HTML gate: the Nu Html Checker (npm vnu-jar, run with the machine's Java) finds no error
on any page of the production build. One JVM for the whole site."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.support import IN_CI, require_executable

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.slow


def run_vnu(target: Path) -> list[dict]:
    java = require_executable("java", "Debian package default-jre-headless")
    if not VNU.is_file():
        message = f"{VNU.relative_to(ROOT)} missing: run `npm ci` (make test does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    proc = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(target)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") in {"error", "non-document-error"}]


def test_every_page_is_valid_html(site):
    pages = site.html_files()
    assert len(pages) > 20
    errors = run_vnu(site.root)
    by_page: dict[str, list[str]] = defaultdict(list)
    for m in errors:
        where = m.get("url", "?").replace(site.root.as_uri(), "")
        extract = (m.get("extract") or "").strip()[:80]
        by_page[where].append(f"  line {m.get('lastLine', '?')}: {m.get('message')} «{extract}»")
    report = "\n".join(f"{page}\n" + "\n".join(lines[:10]) for page, lines in sorted(by_page.items()))
    assert not errors, f"{len(errors)} HTML error(s) on {len(by_page)} page(s):\n{report}"


def test_checker_reports_an_invalid_page(tmp_path):
    """The gate can fail: a page with a stray end tag and a duplicate id is an error."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><p id="a">x</p><p id="a">y</span></body></html>',
        encoding="utf-8",
    )
    assert len(run_vnu(tmp_path)) >= 2
