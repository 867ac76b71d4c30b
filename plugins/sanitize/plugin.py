"""The build's side: every article's and page's body, title and summary pass the policy.

At content_object_init, i.e. as soon as Pelican has made the object and before any plugin or
template uses it. Templates autoescape everything else (JINJA_ENVIRONMENT in pelicanconf.py)
and mark only these three, sanitised here, as safe.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.contents import Content

from .policy import Policy

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


def register() -> None:
    signals.content_object_init.connect(sanitise)
