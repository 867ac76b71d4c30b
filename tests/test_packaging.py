"""The project is installed (pyproject.toml, `make`): its code imports by name from anywhere,
with no PYTHONPATH or sys.path edits, and the counter has its console script."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN_ENV = {"PATH": "/usr/bin:/bin"}  # no PYTHONPATH, no virtualenv activated


def run_clean(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=CLEAN_ENV, capture_output=True, text=True, timeout=120)


def test_the_projects_modules_import_from_another_directory(tmp_path):
    code = (
        "import json, editorial, tasks, hitcount, preview, documents, vietnamese\n"
        "print(json.dumps({m.__name__: m.__file__ for m in (editorial, tasks, hitcount)}))"
    )
    result = run_clean([sys.executable, "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)
    # Editable: the checkout's files, not copies.
    assert files == {
        "editorial": str(ROOT / "plugins" / "editorial" / "__init__.py"),
        "tasks": str(ROOT / "tasks.py"),
        "hitcount": str(ROOT / "plugins" / "hitcount" / "__init__.py"),
    }


def test_the_counter_console_script_runs_from_another_directory(tmp_path):
    script = Path(sys.executable).with_name("hitcount-service")
    result = run_clean([str(script), "serve", "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--manifest" in result.stdout and "--store" in result.stdout


def test_pelican_finds_every_plugin_by_name_without_plugin_paths(tmp_path):
    code = (
        "import json, sys\n"
        "from pelican.plugins._utils import get_plugin_name, load_plugins\n"
        "from pelican.settings import read_settings\n"
        "settings = read_settings(sys.argv[1])\n"
        "print(json.dumps([settings['PLUGIN_PATHS'], [get_plugin_name(p) for p in load_plugins(settings)]]))"
    )
    result = run_clean([sys.executable, "-c", code, str(ROOT / "pelicanconf.py")], tmp_path)
    assert result.returncode == 0, result.stderr
    plugin_paths, loaded = json.loads(result.stdout)
    assert plugin_paths == []
    script = "import runpy, sys, json; print(json.dumps(runpy.run_path(sys.argv[1])['PLUGINS']))"
    configured = run_clean([sys.executable, "-c", script, str(ROOT / "pelicanconf.py")], tmp_path)
    assert loaded == json.loads(configured.stdout) and len(loaded) > 10


def test_no_path_edits_for_the_projects_own_code():
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"]["ini_options"]
    assert "pythonpath" not in pytest_options
    for name in ("pelicanconf.py", "tasks.py", "deploy/hitcount.service", "tests/hitcount_support.py"):
        text = (ROOT / name).read_text("utf-8")
        assert "PYTHONPATH" not in text and "sys.path" not in text, name


def test_the_counter_service_never_imports_pelican(tmp_path):
    code = (
        "import sys\n"
        "import hitcount_service.__main__, hitcount_service.server, hitcount_service.devserver\n"
        "import hitcount_service.stores.sqlite, hitcount_service.stores.redis\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'pelican', 'hitcount'}))"
    )
    result = run_clean([sys.executable, "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
