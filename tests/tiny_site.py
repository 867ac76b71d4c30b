"""Small fixture sites built in this process with only the plugins under test.

The way the pelican-plugins organisation tests its plugins: `Pelican(settings=read_settings(…,
override=…)).run()`, no subprocess and not the repository's whole content. The settings are
the project's own (pelicanconf.py or publishconf.py), so the theme and the URLs are the real
ones; the plugins are the ones the test names plus those the theme's templates need.
"""

from __future__ import annotations

import hashlib
import io
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import blinker
import jinja2
import jinja2.bccache
import pytest
from pelican import Pelican
from pelican.log import FatalLogger, LimitFilter
from pelican.settings import read_settings

from tests.site import BuildResult, BuiltSite

ROOT = Path(__file__).resolve().parent.parent
DEV_SETTINGS = ROOT / "pelicanconf.py"
# The templates call filters and read context these plugins provide (vi_date, the sections
# menu, |picture, |asset, the counter's widget, the documents' lists).
THEME_PLUGINS = ["vietnamese", "sections", "images", "documents", "editorial", "assets", "hitcount"]
# Every plugin of the real build but the two that only make it faster across processes and
# runs: parallel_build forks a second Pelican (not in the test process), incremental keeps a
# cache between builds (byte-identical output without either: tests/test_build_speed_plugins.py).
SITE_PLUGINS = [name for name in read_settings(str(DEV_SETTINGS))["PLUGINS"]
                if name not in {"parallel_build", "incremental"}]  # fmt: skip



class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the session: compiling the theme is most of a tiny build.

    Jinja keys an entry by the template's name and checks its source. Compiling also folds
    constant expressions with the build's filters ({{ 'css/main.css'|asset }} becomes the
    URL under that build's SITEURL), so entries are kept apart per settings as well."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}
        self.settings_key = ""

    def use_settings(self, settings: dict[str, Any]) -> None:
        """Entries of builds whose settings (but the content and output paths) are these."""
        plain = {key: repr(value) for key, value in settings.items()
                 if key not in {"PATH", "OUTPUT_PATH", "CACHE_PATH", "JINJA_ENVIRONMENT"}}  # fmt: skip
        self.settings_key = hashlib.sha256(repr(sorted(plain.items())).encode()).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(f"{self.settings_key}:{bucket.key}")
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[f"{self.settings_key}:{bucket.key}"] = bucket.bytecode_to_string()


_TEMPLATES = _MemoryBytecodeCache()


def _signal_state(sig: blinker.Signal) -> tuple[dict, dict, dict, dict]:
    copy = sig.set_class
    return (dict(sig.receivers), {k: copy(v) for k, v in sig._by_receiver.items()},
            {k: copy(v) for k, v in sig._by_sender.items()}, dict(sig._weak_senders))  # fmt: skip


def _restore_signal(sig: blinker.Signal, state: tuple[dict, dict, dict, dict] | None) -> None:
    sig._clear_state()
    if state:
        sig.receivers.update(state[0])
        sig._by_receiver.update(state[1])
        sig._by_sender.update(state[2])
        sig._weak_senders.update(state[3])


@contextmanager
def isolated_signals() -> Iterator[None]:
    """Pelican's signals with no receiver inside, and with theirs back after: a Pelican made in
    the test process connects its plugins for the rest of the process (pelican-sitemap's queue
    would then keep every later in-process build's pages alive)."""
    saved = {name: _signal_state(sig) for name, sig in blinker.default_namespace.items()}
    for sig in blinker.default_namespace.values():
        sig._clear_state()
    try:
        yield
    finally:
        for name, sig in blinker.default_namespace.items():
            _restore_signal(sig, saved.get(name))


@contextmanager
def _isolated_run() -> Iterator[io.StringIO]:
    """Pelican's process-wide state as `pelican --fatal warnings` has it, for one run only.

    A warning raises (the subprocess builds exit non-zero). Pelican's signals start with no
    receiver (another test may have registered other plugins in this process) and get their
    receivers back afterwards; Pelican's log de-duplication likewise. So a build runs only the
    plugins it names, and cannot hide a warning from the next.
    """
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    fatal, raised = FatalLogger.fatal_lvl, set(LimitFilter._raised_messages)
    FatalLogger.fatal_lvl = logging.WARNING
    LimitFilter._raised_messages.clear()
    root.addHandler(handler)
    try:
        with isolated_signals():
            yield log
    finally:
        root.removeHandler(handler)
        FatalLogger.fatal_lvl = fatal
        LimitFilter._raised_messages.clear()
        LimitFilter._raised_messages.update(raised)


def build_in_process(content: Path, output: Path, plugins: list[str], settings: Path = DEV_SETTINGS,
                     **overrides: Any) -> BuildResult:
    """Build `content` into `output` with the theme's plugins and `plugins`; (returncode, log).

    No content cache and no robots.txt template page (a tiny site has no content/extra/)
    unless overrides say otherwise. returncode is 1 when Pelican raised (a fatal warning or an
    error), as the command line's.
    """
    names = list(dict.fromkeys([*THEME_PLUGINS, *plugins]))
    override = {"PATH": str(content), "OUTPUT_PATH": str(output), "PLUGINS": names,
                "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
                "TEMPLATE_PAGES": {}, **overrides}  # fmt: skip
    with _isolated_run() as log:
        try:
            pelican_settings = read_settings(str(settings), override=override)
            _TEMPLATES.use_settings(pelican_settings)
            pelican_settings["JINJA_ENVIRONMENT"] = {**pelican_settings["JINJA_ENVIRONMENT"],
                                                     "bytecode_cache": _TEMPLATES}  # fmt: skip
            Pelican(pelican_settings).run()
            code = 0
        except Exception as error:  # noqa: BLE001 - `pelican` logs any error with its traceback
            # (and the exception it was raised in: a fatal warning's cause) and exits 1
            log.write(f"CRITICAL {type(error).__name__}: {error}\n{''.join(traceback.format_exception(error))}")
            code = 1
    return BuildResult(code, log.getvalue())


class TinySite:
    """A small content tree under tmp_path and its in-process builds."""

    def __init__(self, root: Path) -> None:
        self.content = root / "content"
        self.output = root / "output"
        self.content.mkdir(parents=True, exist_ok=True)

    def write(self, relpath: str, text: str) -> Path:
        path = self.content / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def article(self, slug: str = "bai-mau", body: str = "Nội dung bài viết.", **metadata: str) -> Path:
        """A valid article under articles/ (Kinh tế, 08/11/2023); metadata adds or replaces fields."""
        fields = {"Title": "Bài viết mẫu", "Date": "2023-11-08 08:00", "Category": "Kinh tế",
                  "Author": "Văn phòng", "Summary": "Tóm tắt bài viết.", **metadata}  # fmt: skip
        head = "".join(f"{key}: {value}\n" for key, value in fields.items())
        return self.write(f"articles/{slug}.md", f"{head}\n{body}\n")

    def build(self, plugins: list[str], settings: Path = DEV_SETTINGS, **overrides: Any) -> BuildResult:
        return build_in_process(self.content, self.output, plugins, settings, **overrides)

    def built(self, plugins: list[str], settings: Path = DEV_SETTINGS, **overrides: Any) -> BuiltSite:
        """Build, fail the test with Pelican's log if it did not, and read the output back."""
        result = self.build(plugins, settings, **overrides)
        assert result.returncode == 0, f"build failed:\n{result.log}"
        return BuiltSite(self.output, read_settings(str(settings))["SITEURL"])


@pytest.fixture
def tiny_site(tmp_path: Path) -> TinySite:
    """An empty content tree in tmp_path to write a few files into and build in this process."""
    return TinySite(tmp_path / "tiny")

