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
    run_check()
    run_pelican(DEV_SETTINGS)


@task
def publish(c):
    """Production build into output/ (publishconf.py): no drafts, absolute URLs."""
    run_check()
    run_pelican(PUBLISH_SETTINGS)


@task
def clean(c):
    """Remove output/ and every cache."""
    for path in (OUTPUT, ROOT / ".pytest_cache", ROOT / "var" / "dev", ROOT / "bench" / ".work"):
        shutil.rmtree(path, ignore_errors=True)
    for cache in ROOT.rglob("__pycache__"):
        if ".venv" not in cache.parts:
            shutil.rmtree(cache, ignore_errors=True)


@task(help={"port": "port to listen on (default 8000); make serve PORT=8080"})
def serve(c, port=PORT):
    """Preview on http://127.0.0.1:8000 with the counter: each saved file is checked and shown at once."""
    sys.exit(_plugin_main("preview.__main__", "--host", HOST, "--port", str(port)))


@task(help={"args": "extra pytest arguments, e.g. -k seed"})
def test(c, args=""):
    """Run every test (after `invoke check`)."""
    run_check()
    result = subprocess.run([sys.executable, "-m", "pytest", *args.split()], cwd=ROOT)
    sys.exit(result.returncode)


# --- Editorial tools (plugins/editorial); `invoke check` runs first in build/publish/test.


def _plugin_main(module: str, *argv: str) -> int:
    """Run `python -m <module> …` of plugins/ in this process."""
    import importlib  # noqa: PLC0415

    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    return importlib.import_module(module).main(list(argv))


def _editorial(*argv: str) -> int:
    """Run `python -m editorial …` in this process (no Pelican build)."""
    return _plugin_main("editorial.__main__", *argv)


def run_check(*paths: str, fix: bool = False) -> None:
    code = _editorial("check", *(["--fix"] if fix else []), *paths)
    if code:
        sys.exit(code)


@task(help={"fix": "rewrite files that are not NFC in NFC (nothing else is touched)"})
def check(c, fix=False):
    """Check content without building: all of content/, or the files/folders after `--`."""
    import shlex  # noqa: PLC0415

    run_check(*shlex.split(c.remainder or ""), fix=fix)


@task(help={
    "title": "tiêu đề bài", "category": "chuyên mục (tên hoặc slug trong SECTIONS)",
    "tags": "thẻ, cách nhau bằng dấu phẩy", "author": "bút danh (mặc định EDITORIAL_AUTHOR)",
    "summary": "tóm tắt (có thể viết sau)",
})  # fmt: skip
def new(c, title="", category="", tags="", author="", summary=""):
    """Start an article: a draft in content/articles/<section>/, its path printed."""
    if not title and sys.stdin.isatty():
        title = input("Tiêu đề: ").strip()
    if not category and sys.stdin.isatty():
        from pelicanconf import SECTIONS  # noqa: PLC0415

        print("Chuyên mục: " + "; ".join(name for name, _ in SECTIONS))
        category = input("Chuyên mục: ").strip()
    argv = ["new", "--title", title, "--category", category, "--tags", tags,
            "--author", author, "--summary", summary]  # fmt: skip
    sys.exit(_editorial(*argv))


@task(help={"src": "a saved page (.txt/.html) or a folder of them; more after `--`",
            "out": "output folder (default content/articles)"})  # fmt: skip
def import_legacy(c, src, out=""):
    """Import pages saved from the old portal: invoke import-legacy SRC [--out DIR] [-- SRC…]."""
    import shlex  # noqa: PLC0415

    extra = shlex.split(c.remainder or "")
    sys.exit(_editorial("import-legacy", src, *extra, *(["--out", out] if out else [])))


@task(help={
    "workers": "uvicorn worker processes (default: one per core; see README, Visitor counter)",
    "store": "SQLite file or redis://… URL (default: HITCOUNT_STORE of the settings)",
    "manifest": "manifest written by the build (default output/hitcount-pages.json)",
    "settings": "Pelican settings file to read HITCOUNT_* from (default publishconf.py)",
    "host": "address to listen on", "port": "port to listen on (nginx proxies /api/ to it)",
})  # fmt: skip
def counter(c, workers=os.cpu_count() or 1, store="", manifest="", settings="", host="127.0.0.1", port=8001):
    """Run the visitor-counter endpoint alone, for production (uvicorn, uvloop, httptools)."""
    argv = [sys.executable, "-m", "hitcount", "serve", "--workers", str(workers),
            "--manifest", manifest or str(OUTPUT / "hitcount-pages.json"),
            "--settings", settings or str(PUBLISH_SETTINGS), "--host", host, "--port", str(port)]  # fmt: skip
    if store:
        argv += ["--store", store]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    sys.exit(subprocess.run(argv, cwd=ROOT, env=env).returncode)
