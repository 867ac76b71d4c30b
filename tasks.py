"""Project tasks (invoke). The Makefile only bootstraps .venv and calls these.

    invoke build | publish | serve | test | lint | clean | counter
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task
from invoke.program import Program

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
COUNTER_SETTINGS = ROOT / "deploy" / "hitcount.toml"  # the counter service's (hitcount_service)
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
    """Remove output/, .cache/, var/dev/, bench/.work/ and the test and bytecode caches (as `make clean`)."""
    for path in (OUTPUT, ROOT / ".cache", ROOT / ".pytest_cache", ROOT / "var" / "dev", ROOT / "bench" / ".work"):
        shutil.rmtree(path, ignore_errors=True)
    for cache in ROOT.rglob("__pycache__"):
        if ".venv" not in cache.parts:
            shutil.rmtree(cache, ignore_errors=True)


@task(help={"port": "port to listen on (default 8000); make serve PORT=8080"})
def serve(c, port=PORT):
    """Preview on http://127.0.0.1:8000 with the counter: each saved file is checked and shown at once."""
    sys.exit(_plugin_main("preview.__main__", "--host", HOST, "--port", str(port)))


@task(help={"port": "port to listen on (default 8000); make preview PORT=8080"})
def preview(c, port=PORT):
    """The production build (publishconf.py) served locally with the counter, as readers get it."""
    run_check()
    site = ROOT / "var" / "preview-site"
    # Production links are absolute (SITEURL): point them at this machine for the look.
    run_pelican(PUBLISH_SETTINGS, site, "-e", f'SITEURL="http://{HOST}:{port}"')
    print(f"Bản dựng chính thức (publishconf.py) tại http://{HOST}:{port}/ — Ctrl+C để dừng.", flush=True)
    sys.exit(_plugin_main("hitcount_service.__main__", "devserver", "--root", str(site), "--host", HOST,
                          "--port", str(port), "--store", str(ROOT / "var" / "dev" / "preview.sqlite3"),
                          "--settings", str(COUNTER_SETTINGS)))  # fmt: skip


def pytest_argv(args: str = "", fast: bool = False) -> list[str]:
    """The pytest command of `make test` (every test, the CI gate) or `make test-fast` (the fast tier:
    no test marked slow; tests/README.md)."""
    return [sys.executable, "-m", "pytest", *(["-m", "not slow"] if fast else []), *args.split()]


@task(help={"args": "extra pytest arguments, e.g. -k seed", "fast": "only the fast tier (no slow tests)"})
def test(c, args="", fast=False):
    """Run every test (after `invoke check` and `invoke lint`); --fast: the fast tier only."""
    run_check()
    run_lint()
    result = subprocess.run(pytest_argv(args, fast), cwd=ROOT)
    sys.exit(result.returncode)


@task
def lint(c):
    """Lint the Python code with ruff (rules in pyproject.toml, [tool.ruff])."""
    run_lint()


def run_lint() -> None:
    # --no-cache: no .ruff_cache/ in the tree; a whole run takes well under a second.
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


# --- Editorial tools (plugins/editorial); `invoke check` runs first in build/publish/test.


def _plugin_module(module: str):
    """A module of plugins/ (installed by `make`), imported in this process."""
    import importlib  # noqa: PLC0415

    return importlib.import_module(module)


def _plugin_main(module: str, *argv: str) -> int:
    """Run `python -m <module> …` of plugins/ in this process."""
    return _plugin_module(module).main(list(argv))


def _dev_settings() -> dict:
    """This checkout's pelicanconf.py as the editors' commands read it (the plugins' defaults
    filled in), not the installed package's checkout (a shared .venv)."""
    return _plugin_module("editorial.config").load_settings(DEV_SETTINGS)


def _editorial(*argv: str) -> int:
    """Run `python -m editorial …` in this process (no Pelican build), on this checkout's
    settings and content (the installed package may be another checkout's: a shared .venv)."""
    return _plugin_main("editorial.__main__", "--settings", str(DEV_SETTINGS), *argv)


def run_check(*paths: str, fix: bool = False) -> None:
    code = _editorial("check", *(["--fix"] if fix else []), *paths)
    if code:
        sys.exit(code)


# `invoke check a.md b.md` as editors type it: invoke knows no list of positional arguments
# and would take "a.md" for a task name, so the words after these tasks that are not flags
# become their remainder (what `invoke check -- a.md b.md` gives).
PATH_TASKS = {"check", "import-legacy"}
_parse_tasks = Program.parse_tasks


def paths_as_remainder(argv: list[str]) -> tuple[list[str], list[str]]:
    """["check", "a.md", "--fix", "b/"] → (["check", "--fix"], ["a.md", "b/"])."""
    if not argv or argv[0] not in PATH_TASKS:
        return argv, []
    flags, paths, takes_value = [], [], False
    for word in argv[1:]:
        if takes_value or word.startswith("-"):
            flags.append(word)
            takes_value = word in {"--out", "-o"}
        else:
            paths.append(word)
    return [argv[0], *flags], paths


def _parse_tasks_with_paths(self: Program) -> None:
    import shlex  # noqa: PLC0415

    self.core.unparsed, paths = paths_as_remainder(self.core.unparsed)
    if paths:
        self.core.remainder = " ".join(filter(None, [self.core.remainder, shlex.join(paths)]))
    _parse_tasks(self)


Program.parse_tasks = _parse_tasks_with_paths


@task(help={"fix": "write back what the build fixes itself: NFC, no invisible characters"})
def check(c, fix=False):
    """Check content without building: all of content/, or the files/folders given (invoke check a.md b/)."""
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
        print("Chuyên mục: " + "; ".join(name for name, _ in _dev_settings()["SECTIONS"]))
        category = input("Chuyên mục: ").strip()
    argv = ["new", "--title", title, "--category", category, "--tags", tags,
            "--author", author, "--summary", summary]  # fmt: skip
    sys.exit(_editorial(*argv))


@task(help={
    "number": "số/ký hiệu, ví dụ 57-NQ/TW", "type": "loại văn bản (DOCUMENT_TYPES), ví dụ Nghị quyết",
    "title": "trích yếu (có thể viết sau)", "issuer": "cơ quan ban hành (mặc định: tên Thành ủy)",
    "date": "ngày ban hành, ví dụ 22/12/2024 (mặc định: hôm nay)", "signer": "người ký",
    "file": "tệp PDF của văn bản: được chép vào content/van-ban/tep/",
})  # fmt: skip
def new_document(c, number="", type_="", title="", issuer="", date="", signer="", file=""):
    """Start a document (Văn bản): a draft in content/van-ban/, its path printed (plugins/documents)."""
    if not number and sys.stdin.isatty():
        number = input("Số/ký hiệu (ví dụ 57-NQ/TW): ").strip()
    if not type_ and sys.stdin.isatty():
        print("Loại văn bản: " + "; ".join(name for name, _ in _dev_settings()["DOCUMENT_TYPES"]))
        type_ = input("Loại văn bản: ").strip()
    argv = ["new-document", "--number", number, "--type", type_, "--title", title, "--issuer", issuer,
            "--date", date, "--signer", signer, "--file", file]  # fmt: skip
    sys.exit(_editorial(*argv))


# --- Sample content: listed in samples.txt, removed before going live with `make remove-samples`.

SAMPLES_LIST = "samples.txt"


def sample_paths(root: Path = ROOT) -> list[str]:
    """The paths samples.txt lists (one per line, relative to the repository; # comments)."""
    listed = root / SAMPLES_LIST
    if not listed.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in listed.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def remove_sample_content(root: Path = ROOT) -> list[str]:
    """`git rm` every path samples.txt lists (and delete what git does not track), then empty the
    list (its comments stay). Returns the paths removed; nothing is committed."""
    paths = [p for p in sample_paths(root) if (root / p).exists()]
    for path in paths:
        if (root / path).resolve() == root.resolve() or root.resolve() not in (root / path).resolve().parents:
            raise SystemExit(f"{SAMPLES_LIST}: “{path}” không nằm trong kho; không xóa.")
    if paths:
        subprocess.run(["git", "rm", "-r", "-q", "--ignore-unmatch", "--", *paths], cwd=root, check=True)
    for path in paths:  # files never added to git
        target = root / path
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    listed = root / SAMPLES_LIST
    if listed.is_file():
        kept = [line for line in listed.read_text(encoding="utf-8").splitlines()
                if line.lstrip().startswith("#") or not line.strip()]
        listed.write_text("\n".join(kept).rstrip("\n") + "\n", encoding="utf-8")
        subprocess.run(["git", "add", "--", SAMPLES_LIST], cwd=root, check=False, capture_output=True)
    return paths


@task
def remove_samples(c):
    """Remove the sample articles, documents and images listed in samples.txt (git rm; commit after)."""
    removed = remove_sample_content()
    if not removed:
        print(f"Không còn nội dung mẫu nào trong {SAMPLES_LIST}.")
        return
    for path in removed:
        print(f"đã gỡ {path}")
    print(f"Đã gỡ {len(removed)} mục nội dung mẫu. Kiểm tra (make check, make build) rồi ghi lại: "
          "git commit -m \"Gỡ nội dung mẫu\"")  # fmt: skip


@task(help={"out": "output folder (default content/articles)",
            "force": "also overwrite files an editor has changed since they were imported"})  # fmt: skip
def import_legacy(c, out="", force=False):
    """Import pages saved from the old portal: invoke import-legacy SRC… [--out DIR] [--force]."""
    import shlex  # noqa: PLC0415

    sources = shlex.split(c.remainder or "")
    sys.exit(_editorial("import-legacy", *sources, *(["--out", out] if out else []), *(["--force"] if force else [])))


@task(help={
    "workers": "uvicorn worker processes (default: one per core; plugins/hitcount_service/README.md)",
    "store": "SQLite file or redis://… URL (default: HITCOUNT_STORE)",
    "manifest": "manifest written by the build (default output/hitcount-pages.json)",
    "settings": "the counter's settings file (default deploy/hitcount.toml)",
    "host": "address to listen on (default 127.0.0.1)", "port": "port to listen on (default 8001)",
})  # fmt: skip
def counter(c, workers="", store="", manifest="", settings="", host="", port=""):
    """Run the visitor-counter endpoint alone, for production (hitcount-service serve). Settings:
    these flags > HITCOUNT_* environment > the settings file > defaults (hitcount_service/settings.py)."""
    flags = {"--workers": workers, "--store": store, "--manifest": manifest, "--host": host, "--port": port}
    argv = [sys.executable, "-m", "hitcount_service", "serve", "--settings", settings or str(COUNTER_SETTINGS),
            *(word for flag, value in flags.items() if value for word in (flag, str(value)))]  # fmt: skip
    sys.exit(subprocess.run(argv, cwd=ROOT).returncode)


# --- Screenshots for design review (not tests, not committed): make screenshots


SCREENSHOTS = ROOT / "var" / "screenshots"
SCREENSHOT_WIDTHS = {"390": (390, 844), "1280": (1280, 900)}


def _screenshot_pages(site: Path) -> dict[str, str]:
    """name → URL path: the home page, the lead article (or the newest with an image), documents."""
    import json  # noqa: PLC0415
    import re  # noqa: PLC0415

    pages = {"home": "/"}
    titles = json.loads((site / "hitcount-pages.json").read_text("utf-8")).get("titles", {})
    articles = sorted(titles, key=lambda p: re.sub(r"^/[^/]+/", "", p), reverse=True)  # newest first
    with_image = [p for p in articles if 'class="article__figure"' in (site / p.lstrip("/")).read_text("utf-8")]
    if with_image or articles:
        pages["article"] = (with_image or articles)[0]
    for candidate in ("van-ban/index.html",):
        if (site / candidate).is_file():
            pages["documents"] = "/" + candidate.removesuffix("index.html")
    return pages


@task(help={"only": "comma-separated page names (home, article, documents)"})
def screenshots(c, only=""):
    """Full-page PNGs of the home, an article and the documents list at 390 and 1280 px in
    var/screenshots/ (production settings, served with the counter so 'Đọc nhiều' shows)."""
    import signal as _signal  # noqa: PLC0415
    import socket  # noqa: PLC0415
    import time  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]
    origin = f"http://{HOST}:{port}"
    site = SCREENSHOTS / "site"
    shutil.rmtree(site, ignore_errors=True)
    run_check()
    # Production links are absolute (SITEURL): point them at the server below.
    run_pelican(PUBLISH_SETTINGS, site, "-e", f'SITEURL="{origin}"')
    store = SCREENSHOTS / "hitcount.sqlite3"
    for leftover in SCREENSHOTS.glob("hitcount.sqlite3*"):
        leftover.unlink()
    server = subprocess.Popen(
        [sys.executable, "-m", "hitcount_service", "devserver", "--root", str(site), "--store", str(store),
         "--host", HOST, "--port", str(port)],
        cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(origin + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        pages = _screenshot_pages(site)
        _seed_most_read(origin, site)
        wanted = {name for name in only.split(",") if name} or set(pages)
        from playwright.sync_api import sync_playwright  # noqa: PLC0415

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])  # fmt: skip
            for name, path in pages.items():
                if name not in wanted:
                    continue
                for label, (w, h) in SCREENSHOT_WIDTHS.items():
                    context = browser.new_context(viewport={"width": w, "height": h}, user_agent=(
                        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/126.0 Safari/537.36"))  # fmt: skip
                    page = context.new_page()
                    page.goto(origin + path, wait_until="networkidle")
                    # Scroll through the page so that lazy images load before the full-page shot.
                    page.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight; y += 400)"
                                  " { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); }"
                                  " window.scrollTo(0, 0); }")  # fmt: skip
                    page.wait_for_load_state("networkidle")
                    target = SCREENSHOTS / f"{name}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT))
                    context.close()
            browser.close()
        missing = {"home", "article", "documents"} - set(pages)
        if missing:
            print("không có trang: " + ", ".join(sorted(missing)))
    finally:
        os.killpg(server.pid, _signal.SIGTERM)
        server.wait(timeout=15)


def _seed_most_read(origin: str, site: Path) -> None:
    """A few views, so that the 'Đọc nhiều' block has rows in the screenshots."""
    import json  # noqa: PLC0415
    import secrets  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    titles = list(json.loads((site / "hitcount-pages.json").read_text("utf-8")).get("titles", {}))
    for rank, path in enumerate(titles[:5]):
        for _ in range(5 - rank):
            visit = "01" + secrets.token_hex(12).upper()
            body = json.dumps({"path": path, "visit": visit, "heartbeat": False}).encode()
            request = urllib.request.Request(origin + "/api/hits", data=body, headers={
                "Content-Type": "application/json",
                "User-Agent": ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                               "Chrome/126.0 Safari/537.36"),
            })  # fmt: skip
            try:
                urllib.request.urlopen(request, timeout=5).close()
            except OSError:
                return
