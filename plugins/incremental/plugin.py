"""Warm builds for `make build` and `make publish`.

A build whose code, settings and content are byte for byte those of the last successful
build (and no scheduled article has come due since) writes the same site. Then:

- the output folder is not emptied (DELETE_OUTPUT_DIRECTORY is skipped for this build);
- a page whose file is still as the last build left it is not rendered (KeepingWriter);
  `content_written` is still sent for it, so the sitemap and the counter's manifest are whole;
- the search plugin keeps the Pagefind bundle (`state_of(pelican).intact_tree(...)`).

Any difference makes a cold build: output emptied as configured, every page rendered. Either
way the content cache (CACHE_CONTENT, kept per site under CACHE_PATH) spares re-reading
unchanged files, and is not loaded at all when code or settings changed (Pelican does not
notice those itself). The decision and the record of the last build: state.py.

Settings: INCREMENTAL_BUILD (default True; False: every build cold, the content cache still
kept per site and dropped after a change of code or settings). Listed last in PLUGINS or anywhere: the record
is written after every other `finalized` receiver.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican import signals

from .stamp import code_digest, content_digest
from .state import BuildState, cache_dir, prune_caches, scheduled_time, state_of
from .writer import KeepingWriter

log = logging.getLogger(__name__)

DEFAULTS = {"INCREMENTAL_BUILD": True}
_STATE_KEY = "_INCREMENTAL_STATE"  # the build's state, reachable from its generators


def initialized(pelican: Any) -> None:
    settings = pelican.settings
    directory = cache_dir(settings)
    prune_caches(Path(settings["CACHE_PATH"]), directory)
    state = BuildState.load(directory, Path(pelican.output_path),
                            code_digest(settings, pelican.plugins), content_digest(settings))  # fmt: skip
    pelican.incremental_state = settings[_STATE_KEY] = state
    # The content cache is kept per site and trusted only from a build of the same code and
    # settings, with or without warm builds (INCREMENTAL_BUILD).
    settings["CACHE_PATH"] = str(directory)
    if not state.same_code():
        settings["LOAD_CONTENT_CACHE"] = False  # cached content was made by other code
    if not settings.get("INCREMENTAL_BUILD", DEFAULTS["INCREMENTAL_BUILD"]):
        state.warm = False
    if state.warm:
        pelican.delete_outputdir = False
        log.info("incremental: nothing changed since the last build; unchanged pages are kept")
    else:
        state.forget()
    signals.finalized.connect(finalized)  # connected now: after every plugin's own receiver


def get_writer(pelican: Any) -> type | None:
    state = state_of(pelican)
    if state is None or not state.warm:
        return None
    return type("KeepingWriter", (KeepingWriter,), {"state": state})


def note_schedule(generator: Any) -> None:
    """article_generator_finalized: when the next scheduled article comes due."""
    state = generator.settings.get(_STATE_KEY)
    if state is None:
        return
    times = [t for c in [*generator.drafts, *generator.drafts_translations]
             if (t := scheduled_time(c)) is not None]  # fmt: skip
    state.next_due = min(times, default=None)


def finalized(pelican: Any) -> None:
    state = state_of(pelican)
    if state is None:
        return
    state.save(state.next_due)
    if state.warm:
        log.info("incremental: %d unchanged files kept as they were", state.kept)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_writer.connect(get_writer)
    signals.article_generator_finalized.connect(note_schedule)

