"""Project tasks (invoke). The Makefile only bootstraps .venv and calls these.

    invoke build | publish | serve | test | clean | counter
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
WATCHED = ("content", "theme", "plugins", "pelicanconf.py", "publishconf.py")
HOST, PORT = "127.0.0.1", 8000


def pelican_command(settings: Path, output: Path, *extra: str) -> list[str]:
    """The one way every build runs: warnings are fatal, so bad input stops it."""
    return [
        sys.executable, "-m", "pelican", str(ROOT / "content"),
        "--settings", str(settings), "--output", str(output),
        "--fatal", "warnings", *extra,
    ]  # fmt: skip


def run_pelican(settings: Path, output: Path = OUTPUT, *extra: str) -> None:
    result = subprocess.run(pelican_command(settings, output, *extra), cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


@task
def build(c):
    """Development build into output/ (pelicanconf.py)."""
    run_pelican(DEV_SETTINGS)


@task
def publish(c):
    """Production build into output/ (publishconf.py): no drafts, absolute URLs."""
    run_pelican(PUBLISH_SETTINGS)


@task
def clean(c):
    """Remove output/ and every cache."""
    for path in (OUTPUT, ROOT / ".pytest_cache", ROOT / "var" / "dev", ROOT / "bench" / ".work"):
        shutil.rmtree(path, ignore_errors=True)
    for cache in ROOT.rglob("__pycache__"):
        if ".venv" not in cache.parts:
            shutil.rmtree(cache, ignore_errors=True)


@task
def serve(c, port=PORT):
    """Build, then serve the site and the counter on http://127.0.0.1:8000, rebuilding on change."""
    import watchfiles  # noqa: PLC0415 - only this task needs it

    build(c)
    server = subprocess.Popen(
        [sys.executable, "-m", "hitcount", "devserver", "--root", str(OUTPUT),
         "--host", HOST, "--port", str(port)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
    )  # fmt: skip
    print(f"Serving on http://{HOST}:{port}/ — Ctrl+C to stop", flush=True)
    try:
        for changes in watchfiles.watch(*(ROOT / w for w in WATCHED)):
            print(f"{len(changes)} change(s); rebuilding…", flush=True)
            subprocess.run(pelican_command(DEV_SETTINGS, OUTPUT), cwd=ROOT)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=10)


@task(help={"args": "extra pytest arguments, e.g. -k seed"})
def test(c, args=""):
    """Run every test."""
    result = subprocess.run([sys.executable, "-m", "pytest", *args.split()], cwd=ROOT)
    sys.exit(result.returncode)
