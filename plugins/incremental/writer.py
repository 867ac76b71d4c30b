"""Pelican's Writer, except that a page whose file the last build left intact is not rendered.

Used only in a warm build (same code, settings and content as the last successful build, so
every page would come out byte for byte the same). Everything else of Writer.write_file runs
as in a full build: pagination, the duplicate-output checks and the `content_written` signal
with the page's local context (the sitemap and the counter's manifest listen to it).
"""

from __future__ import annotations

import io
from typing import Any

from pelican.writers import FileOverwriteFailedError, Writer

from .state import BuildState


class _Pending:
    """What a deferred template "renders": the template and context, rendered only if needed."""

    def __init__(self, template: Any, context: dict[str, Any]) -> None:
        self.template, self.context = template, context


class _Deferred:
    """Stands in for the template inside Writer.write_file."""

    def __init__(self, template: Any) -> None:
        self.template = template

    def render(self, context: dict[str, Any]) -> _Pending:
        return _Pending(self.template, context)  # Writer made this page's own local context


class _Output(io.StringIO):
    """The file Writer opens: left alone if intact, else written (pending pages rendered) on close."""

    def __init__(self, path: str, encoding: str, keep: bool) -> None:
        super().__init__()
        self.path, self.target_encoding, self.keep = path, encoding, keep

    def write(self, data: Any) -> int:  # type: ignore[override]
        if self.keep:
            return 0
        if isinstance(data, _Pending):
            data = data.template.render(data.context)
        return super().write(data)

    def close(self) -> None:
        if not self.closed and not self.keep:
            with open(self.path, "w", encoding=self.target_encoding) as out:
                out.write(self.getvalue())
        super().close()


class KeepingWriter(Writer):
    """Writes only the files that are missing or changed in output/ since the last build."""

    state: BuildState  # set on the subclass get_writer makes for one build

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, _Deferred(template), context, *args, **kwargs)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        keep = not claim(self, filename, override) or self.state.intact(filename)
        self.state.kept += keep
        return _Output(filename, encoding, keep)


def claim(writer: Writer, filename: str, override: bool) -> bool:
    """Writer._open_w's bookkeeping without opening (so truncating) the file.

    Raises FileOverwriteFailedError where Pelican would; False where Pelican would
    skip the write ("not overwriting" a file written earlier with override).
    """
    if filename in writer._overridden_files:
        if override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
        return False
    if filename in writer._written_files and not override:
        raise FileOverwriteFailedError(
            f'Failed to overwrite "{filename}" as Pelican has already written to it previously'
        )
    if override:
        writer._overridden_files.add(filename)
    writer._written_files.add(filename)
    return True
