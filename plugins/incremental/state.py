"""One build's warm/cold decision and the record the next build compares with."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORD = "last-build.json"
VERSION = 1


def _output_files(output: Path) -> dict[str, list[int]]:
    """relative name → [size, mtime_ns] of every file under output/."""
    files = {}
    for root, _dirs, names in os.walk(output):
        for name in names:
            path = os.path.join(root, name)
            st = os.stat(path)
            files[os.path.relpath(path, output)] = [st.st_size, st.st_mtime_ns]
    return files


def cache_dir(settings: dict[str, Any]) -> Path:
    """One cache per site (content path, output path): dev, publish and test builds apart."""
    key = hashlib.blake2b(f"{settings['PATH']}\0{settings['OUTPUT_PATH']}".encode(), digest_size=8)
    return Path(settings["CACHE_PATH"]) / key.hexdigest()


def prune_caches(base: Path, keep: Path) -> None:
    """Drop the caches of sites whose output folder is gone (temporary test builds)."""
    if not base.is_dir():
        return
    for entry in base.iterdir():
        record = entry / "output-path"
        if entry == keep or not record.is_file():
            continue
        if not Path(record.read_text("utf-8")).exists():
            shutil.rmtree(entry, ignore_errors=True)


@dataclass
class BuildState:
    """Whether this build may keep last build's output, and which files of it are intact."""

    directory: Path
    output: Path
    code: str
    content: str
    warm: bool = False
    previous: dict[str, list[int]] = field(default_factory=dict)
    next_due: datetime.datetime | None = None  # the next scheduled article's time
    kept: int = 0  # files a warm build left as they were

    @classmethod
    def load(cls, directory: Path, output: Path, code: str, content: str) -> BuildState:
        state = cls(directory, output, code, content)
        try:
            record = json.loads((directory / RECORD).read_text("utf-8"))
        except (OSError, ValueError):
            return state
        due = record.get("next_due")
        now = datetime.datetime.now(datetime.UTC)
        state.warm = (
            record.get("version") == VERSION
            and record.get("code") == code
            and record.get("content") == content
            # a scheduled article due since: build again
            and (due is None or now < datetime.datetime.fromisoformat(due))
            and output.is_dir()
        )
        if state.warm:
            state.previous = record.get("files", {})
        return state

    def same_code(self) -> bool:
        """Last build ran the same code and settings (so its content cache can be trusted)."""
        try:
            record = json.loads((self.directory / RECORD).read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return record.get("code") == self.code

    def forget(self) -> None:
        """A cold build rewrites output/: until it succeeds, there is no last build to trust."""
        (self.directory / RECORD).unlink(missing_ok=True)

    def intact(self, path: str) -> bool:
        """output/<path> is exactly as the last build left it."""
        rel = os.path.relpath(path, self.output) if os.path.isabs(path) else path
        recorded = self.previous.get(rel)
        if recorded is None:
            return False
        try:
            st = os.stat(self.output / rel)
        except OSError:
            return False
        return [st.st_size, st.st_mtime_ns] == recorded

    def intact_tree(self, path: str) -> bool:
        """Every file the last build left under output/<path> is still there, unchanged."""
        prefix = os.path.join(os.path.relpath(path, self.output) if os.path.isabs(path) else path, "")
        names = [name for name in self.previous if name.startswith(prefix)]
        return bool(names) and all(self.intact(name) for name in names)

    def save(self, next_due: datetime.datetime | None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {
            "version": VERSION, "code": self.code, "content": self.content,
            "next_due": next_due.astimezone(datetime.UTC).isoformat() if next_due else None,
            "files": _output_files(self.output),
        }  # fmt: skip
        tmp = self.directory / (RECORD + ".tmp")
        tmp.write_text(json.dumps(record), "utf-8")
        tmp.replace(self.directory / RECORD)
        (self.directory / "output-path").write_text(str(self.output), "utf-8")


def scheduled_time(content: Any) -> datetime.datetime | None:
    """The Date of an article that is a draft only because that date is in the future."""
    if getattr(content, "status", None) != "draft" or content.metadata.get("status") == "draft":
        return None
    return getattr(content, "date", None)


def state_of(pelican: Any) -> BuildState | None:
    """The incremental plugin's state for this Pelican run (None when it is not loaded)."""
    return getattr(pelican, "incremental_state", None)
