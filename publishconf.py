"""Production settings: `make publish` (and CI) build with this file."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

# EXAMPLE origin until the committee confirms its domain; CI may override it.
SITEURL = os.environ.get("SITEURL", "https://thanhuy-quangngai.example")
FEED_DOMAIN = SITEURL

# Embargoed and draft articles must not leak as unlinked files under ban-nhap/.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
WITH_FUTURE_DATES = False
# No drafts page or draft banner in the published site.
EDITORIAL_DRAFTS_PAGE = False

DELETE_OUTPUT_DIRECTORY = True
