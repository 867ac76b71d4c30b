"""The build's side: every article's and page's body, title and summary pass the policy,
and no file under content/ is of a type that may not be published (files.py).

At content_object_init, i.e. as soon as Pelican has made the object and before any plugin or
template uses it. Templates autoescape everything else (JINJA_ENVIRONMENT in pelicanconf.py)
and mark only these three, sanitised here, as safe.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Content

from .files import file_problems
from .policy import Policy

log = logging.getLogger(__name__)

HTML_FIELDS = ("title", "summary")  # metadata rendered as HTML (the rest is escaped)


def sanitise(content: Any) -> None:
    if not isinstance(content, Content):
        return
    policy = Policy.from_settings(content.settings)
    if content._content:
        content._content = policy.clean(content._content)
    for key in HTML_FIELDS:
        value = content.metadata.get(key)
        if isinstance(value, str):
            content.metadata[key] = policy.clean(value)
    if isinstance(getattr(content, "title", None), str):
        content.title = policy.clean(content.title)
    summary = content.__dict__.get("_summary")
    if isinstance(summary, str):
        content._summary = policy.clean(summary)


def refuse_files(pelican: Any) -> None:
    """initialized: a build with a file that may not be published stops, naming every one."""
    problems = file_problems(Path(pelican.path), pelican.settings)
    if problems:
        log.error("Tệp không được đăng:\n%s", "\n".join(f"  {os.path.relpath(p)}: {why}" for p, why in problems))


def register() -> None:
    signals.initialized.connect(refuse_files)
    signals.content_object_init.connect(sanitise)
