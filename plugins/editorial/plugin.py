"""Pelican part: mark drafts and scheduled articles, and list them on a drafts page.

Pelican turns an article dated in the future into a draft when
WITH_FUTURE_DATES is False (both settings files), and writes drafts to
DRAFT_SAVE_AS, which only the development settings set. This plugin then:

- marks each draft: `article.editorial_state` is "draft" (Status: draft) or
  "scheduled" (dated in the future), `article.editorial_mark` the Vietnamese label
  ("Bản nháp" / "Hẹn giờ đăng: 08/11/2023 08:30"), and, with
  EDITORIAL_DRAFT_BANNER, a visible "BẢN NHÁP" banner at the top of its text;
- writes EDITORIAL_DRAFTS_SAVE_AS (ban-nhap/index.html) from the theme's
  drafts.html, listing them, when EDITORIAL_DRAFTS_PAGE is true.

Nothing here runs in production: publishconf.py sets EDITORIAL_DRAFTS_PAGE = False
and DRAFT_SAVE_AS = "", so drafts are neither written nor listed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from pelican import signals

from .config import setting
from .summary import BuildSummary

log = logging.getLogger(__name__)

BANNER = (
    '<p class="editorial-banner editorial-banner--{state}" role="note">'
    "<strong>BẢN NHÁP</strong> — {label}. Trang xem trước, không có trong bản đăng chính thức.</p>\n"
)


def _enabled(settings: dict) -> bool:
    return bool(setting(settings, "EDITORIAL_DRAFTS_PAGE") and settings.get("DRAFT_SAVE_AS"))


def _label(article, now: datetime) -> tuple[str, str]:
    explicit = str(article.metadata.get("status", "")).strip().lower() == "draft"
    date = getattr(article, "date", None)
    if not explicit and date is not None and date.year < 9999:
        aware = date if date.tzinfo else date.replace(tzinfo=now.tzinfo)
        if aware > now:
            return "scheduled", f"Hẹn giờ đăng: {date:%d/%m/%Y %H:%M}"
    return "draft", "Bản nháp"


def mark_drafts(generator) -> None:
    """article_generator_finalized: label every draft; add the banner in previews."""
    settings = generator.settings
    now = datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    banner = _enabled(settings) and setting(settings, "EDITORIAL_DRAFT_BANNER")
    for article in (*generator.drafts, *generator.drafts_translations):
        state, label = _label(article, now)
        article.editorial_state = state
        article.editorial_mark = label
        if banner and not getattr(article, "_editorial_banner", False):
            article._content = BANNER.format(state=state, label=escape(label)) + article._content
            article._editorial_banner = True


def _order(article):
    date = getattr(article, "date", None)
    return (article.editorial_state != "scheduled", date.timestamp() if date else 0)


def write_drafts_page(generator, writer) -> None:
    """article_writer_finalized: ban-nhap/index.html in the development build."""
    settings = generator.settings
    if not _enabled(settings):
        return
    drafts = sorted(generator.drafts, key=_order)
    scheduled = [a for a in drafts if a.editorial_state == "scheduled"]
    plain = sorted((a for a in drafts if a.editorial_state == "draft"),
                   key=lambda a: a.date.timestamp() if a.date.year < 9999 else 0, reverse=True)  # fmt: skip
    writer.write_file(
        setting(settings, "EDITORIAL_DRAFTS_SAVE_AS"),
        generator.get_template("drafts"),
        generator.context,
        relative_urls=settings["RELATIVE_URLS"],
        drafts=[*scheduled, *plain],
        scheduled_articles=scheduled,
        draft_articles=plain,
        page_name="drafts",
        template_name="drafts",
        url=setting(settings, "EDITORIAL_DRAFTS_URL"),
    )


def add_context(generator) -> None:
    """generator_init: templates can link the drafts page only when it exists."""
    enabled = _enabled(generator.settings)
    generator.context["EDITORIAL_DRAFTS_PAGE_URL"] = (
        setting(generator.settings, "EDITORIAL_DRAFTS_URL") if enabled else ""
    )


_BUILD_KEY = "_EDITORIAL_BUILD"  # in pelican.settings: this build's BuildSummary


def start_summary(pelican) -> None:
    """initialized: a new build, its clock started."""
    pelican.settings[_BUILD_KEY] = BuildSummary()


def count_summary(generators) -> None:
    """all_generators_finalized: the build is found through its generators (their `settings`
    is the Pelican's)."""
    if generators:
        generators[0].settings.setdefault(_BUILD_KEY, BuildSummary()).count(generators)


def print_summary(pelican) -> None:
    """finalized: the line, printed at exit by a command-line build."""
    pelican.settings.setdefault(_BUILD_KEY, BuildSummary()).finish()


# Module functions, not one object's methods: Pelican calls register() for every Pelican it
# makes and the signals connect a receiver only once, so the state is the build's, not theirs.
def register() -> None:
    signals.initialized.connect(start_summary)
    signals.all_generators_finalized.connect(count_summary)
    signals.finalized.connect(print_summary)
    signals.generator_init.connect(add_context)
    signals.article_generator_finalized.connect(mark_drafts)
    signals.article_writer_finalized.connect(write_drafts_page)
