"""Development settings: `make build` and `make serve` use this file.

Every name is documented, with the value used here, in docs/settings.md; each plugin's
README.md lists the settings it reads with their defaults.
Values marked EXAMPLE are placeholders for details the committee has not sent
yet; replace them before going live.
"""

# --- The portal -------------------------------------------------------------
SITENAME = "Thành ủy Quảng Ngãi"
SITE_FULLNAME = "Cổng thông tin điện tử Thành ủy Quảng Ngãi"
SITEDESCRIPTION = "Tin tức, sự kiện, văn bản và thông báo của Thành ủy Quảng Ngãi."
SITEURL = ""  # root-relative links in development; publishconf.py sets the real origin
AUTHOR = "Văn phòng Thành ủy"  # signature used when an article names none

COMMITTEE = {
    "name": "Thành ủy Quảng Ngãi",
    "unit": "Văn phòng Thành ủy Quảng Ngãi",
    "address": "Số 00 đường Mẫu, phường Mẫu, TP. Quảng Ngãi (ví dụ)",  # EXAMPLE
    "phone": "0255 000 0000 (ví dụ)",  # EXAMPLE
    "email": "vanphong@thanhuy.example",  # EXAMPLE
    "responsible": "Chánh Văn phòng Thành ủy (ví dụ)",  # EXAMPLE: person responsible for content
    "licence": "Giấy phép số 00/GP-STTTT (ví dụ)",  # EXAMPLE
    "copyright": "Bản quyền thuộc Thành ủy Quảng Ngãi.",
}

# --- Sections (chuyên mục): name and slug, in menu order ----------------------
# Adding a section is one line here. An article whose Category is not listed
# fails the build.
SECTIONS = [
    ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
    ("Chính trị - Xã hội", "chinh-tri-xa-hoi"),
    ("Xây dựng Đảng", "xay-dung-dang"),
    ("Kinh tế", "kinh-te"),
    ("Văn hóa - Xã hội", "van-hoa-xa-hoi"),
    ("Quốc phòng - An ninh", "quoc-phong-an-ninh"),
    ("Thông báo", "thong-bao"),
]
SECTIONS_HOME_COUNT = 4
SECTIONS_NEARBY_COUNT = 5
# "Lịch công tác" in the right column: the newest articles of this section whose title starts
# with one of the prefixes or that carry one of the tags (plugins/sections).
SECTIONS_SCHEDULE_SECTION = "Thông báo"
SECTIONS_SCHEDULE_PREFIXES = ["Lịch làm việc", "Lịch công tác"]
SECTIONS_SCHEDULE_TAGS = ["lịch làm việc", "lịch công tác"]

# --- Theme: banner, links, sharing ---------------------------------------------
# The committee's banner image, as published: a file under content/images/ ("images/banner.jpg")
# or under theme/static/ ("theme/banner.png"). None: the typographic banner (emblem and name).
BANNER_IMAGE = None
# "Liên kết" in the right column: (name, URL) in order. EXAMPLE: confirm with the committee.
PORTAL_LINKS = [
    ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Báo điện tử Đảng Cộng sản Việt Nam", "https://dangcongsan.vn/"),
    ("Cổng Thông tin điện tử tỉnh Quảng Ngãi", "https://quangngai.gov.vn/"),
    ("Báo Quảng Ngãi điện tử", "https://baoquangngai.vn/"),
]
# Share links under each article: (name, URL) with {url} and {title} filled in, URL-encoded.
# Plain links to the networks' own pages: no script of theirs, the CSP stays 'self'.
SHARE_LINKS = [
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("Zalo", "https://sp.zalo.me/share_inline?url={url}"),
]

# --- Language, time, text -----------------------------------------------------
DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"
LOCALE = ("C.UTF-8", "C")  # dates are formatted by the vi_date filter, not the OS locale
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
DEFAULT_DATE = None  # an article without Date fails instead of taking the file's mtime

# Typogrify (curly quotes, dashes, no widows) runs in the vietnamese reader, so that the content
# cache keeps its result; Pelican's own pass (TYPOGRIFY) stays off so it does not run twice.
VIETNAMESE_TYPOGRIFY = True
TYPOGRIFY = False
TYPOGRIFY_OMIT_FILTERS = ["caps"]  # wraps "UBND" but not "HĐND": inconsistent for Vietnamese
TYPOGRIFY_DASHES = "default"

# "57-NQ/TW" → "57-nq-tw": the slash becomes a hyphen before Pelican drops punctuation.
SLUG_REGEX_SUBSTITUTIONS = [
    (r"[/\\]", "-"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]

# --- Content ------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
READERS = {"rst": None, "htm": None, "html": None}  # Markdown only (docutils has no 'vi')
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = ""
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# --- URLs: stable, readable, and two equal titles never collide: the section and the day
# are in the path, and plugins/distinct_urls adds -2, -3… to the rest (same title, section, day)
ARTICLE_URL = "{category}/{date:%Y}/{date:%m}/{date:%d}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
ARTICLE_LANG_URL = "{category}/{date:%Y}/{date:%m}/{date:%d}/{slug}-{lang}.html"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL
DRAFT_URL = "ban-nhap/{slug}.html"
DRAFT_SAVE_AS = DRAFT_URL
DRAFT_LANG_URL = "ban-nhap/{slug}-{lang}.html"
DRAFT_LANG_SAVE_AS = DRAFT_LANG_URL
# A future Date keeps an article a draft until it is due, in development too: the drafts
# page (ban-nhap/) previews it, marked "Hẹn giờ đăng", instead of the home page.
WITH_FUTURE_DATES = False
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = PAGE_URL
# One language: no article is another's translation. Pelican's default ("slug") stopped the
# build on two equal titles ("There are 2 items with slug …") and costs seconds per rebuild.
SLUG_MAX_LENGTH = 200  # plugins/distinct_urls: a longer title-made slug is cut at a hyphen
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
# A page in another language (the English page, `Lang: en`) is no translation: its own address.
PAGE_LANG_URL = "{slug}.html"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_SAVE_AS = ""  # the sections menu and the site map list them
TAG_URL = "chu-de/{slug}.html"
TAG_SAVE_AS = TAG_URL
TAGS_URL = "chu-de/"
TAGS_SAVE_AS = "chu-de/index.html"
AUTHOR_URL = "tac-gia/{slug}.html"
AUTHOR_SAVE_AS = AUTHOR_URL
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_URL = "luu-tru/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
INDEX_SAVE_AS = "index.html"

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"category": None, "tag": None, "author": None}
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang-{number}.html", "{base_name}/trang-{number}.html"),
]
DIRECT_TEMPLATES = ["index", "tags", "archives", "404", "search"]
SEARCH_URL = "tim-kiem.html"  # the search page (theme/templates/search.html)
SEARCH_SAVE_AS = SEARCH_URL
TEMPLATE_PAGES = {"extra/robots.txt": "robots.txt"}  # rendered: the Sitemap line is absolute

# --- Feeds and maps -----------------------------------------------------------
FEED_DOMAIN = "http://127.0.0.1:8000"  # feeds need absolute links even in development
FEED_ALL_ATOM = "feeds/all.atom.xml"
# Separate folders: a section and an author with one slug must not overwrite each other.
CATEGORY_FEED_ATOM = "feeds/chuyen-muc/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = True

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.7, "indexes": 0.5, "pages": 0.4},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
    "exclude": ["^chu-de/", "^tac-gia/", "^luu-tru/", "^404\\.html$", "^ban-nhap/"],
}

# --- Documents (Văn bản; plugins/documents/README.md) ---------------------------
# Markdown files under content/van-ban/, one per document, with its PDF; pages under van-ban/.
# The plugin's defaults (DEFAULTS in plugins/documents/model.py: the folder, the 12 types, 20 a
# page, 5 on the home page, the feed) are this site's: set a DOCUMENT* name here only to differ.

# --- Theme and plugins --------------------------------------------------------
THEME = "theme"
# Every value a template prints is escaped; only the bodies, titles and summaries, which
# plugins/sanitize has cleaned, are marked |safe in the theme.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}
THEME_STATIC_DIR = "theme"
# The plugins are packages of this project (plugins/, installed by `make`): Pelican imports them
# by name, so no PLUGIN_PATHS.

# --- Visitor counter (plugins/hitcount/README.md, plugins/hitcount_service/README.md) ---
# The widget's settings (HITCOUNT_SHOW, HITCOUNT_HEARTBEAT…) have defaults in plugins/hitcount.
# The counting service's (the old portal's total, the store…) are not the site build's: they are
# in deploy/hitcount.toml, never in the public manifest.

# Explicit: without a list Pelican loads every installed pelican.plugins.* package.
PLUGINS = [
    "sanitize",  # first: every body, title and summary through one allowlist (nh3)
    "vietnamese", "sections", "images", "search", "documents", "editorial", "assets", "hitcount",
    "pelican.plugins.sitemap",
    "sitemap_clock",  # the sitemap's index pages dated by content, not the build clock
    "distinct_urls",  # equal titles on one day get -2, -3…, before the URLs are frozen
    "frozen_urls",  # speed: compute each URL once
    "listing_index",  # speed: tag, section and author pages in linear time
    "parallel_build",  # speed: article pages written by a second process (Linux fork)
    "incremental",  # warm builds: nothing changed, nothing rendered or indexed again
]

# plugins/assets: theme CSS/JS/fonts also written under content-hashed names, which
# templates get with {{ 'css/main.css'|asset }}; deploy/nginx.conf caches those for a year.
ASSETS_FINGERPRINT = True

DELETE_OUTPUT_DIRECTORY = True  # skipped by plugins/incremental when nothing changed
OUTPUT_RETENTION = []
# Pelican's content cache: an unchanged file is not read again. Content hashes, not mtimes, so
# that a fresh clone (the publish run, with .cache/ restored) still finds its files cached.
# plugins/incremental keeps one cache per site under CACHE_PATH and ignores it after a change
# of code or settings (Pelican does not notice those).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
CACHE_PATH = ".cache/pelican"
RELATIVE_URLS = False

# --- Editorial tools (plugins/editorial: invoke new / check / import-legacy) ---
# `invoke new` signs new articles with this unless --author is given.
EDITORIAL_AUTHOR = AUTHOR
# `invoke check`: metadata every article (page) must have.
EDITORIAL_REQUIRED_METADATA = ["Title", "Date", "Category", "Author", "Summary"]
EDITORIAL_PAGE_REQUIRED_METADATA = ["Title"]
# Metadata keys beyond the standard ones that are not typos (the standard ones are
# Title, Date, Modified, Category, Tags, Author, Authors, Summary, Image, ImageAlt,
# Featured, Status, Slug, Template, Lang, Translation).
EDITORIAL_EXTRA_METADATA = ["ImageCaption"]  # the lead image's caption (else ImageAlt)
# One tone-mark placement in tags and sections: "old" = hòa, thủy, Thành ủy (as SECTIONS
# are written); "new" = hoà, thuỷ, Thành uỷ. The other spelling is reported.
EDITORIAL_TONE_STYLE = "old"
# Lengths in characters above which `invoke check` warns.
EDITORIAL_TITLE_MAX_LENGTH = 160
EDITORIAL_SUMMARY_MAX_LENGTH = 400
# <iframe>, <object>, <embed>, <script> are rejected in articles unless their URL starts
# with one of these.
EDITORIAL_EMBED_ALLOWLIST = [
    "https://www.youtube-nocookie.com/embed/",
    "https://www.youtube.com/embed/",
    "https://www.google.com/maps/embed",
]
# Development build only: the page listing drafts and scheduled articles, and the
# "BẢN NHÁP" banner on each draft (publishconf.py turns the page off).
EDITORIAL_DRAFTS_PAGE = True
EDITORIAL_DRAFTS_URL = "ban-nhap/"
EDITORIAL_DRAFTS_SAVE_AS = "ban-nhap/index.html"
EDITORIAL_DRAFT_BANNER = True
# `invoke import-legacy`: the old portal's section names → ours (a name equal to one of
# SECTIONS, up to case and tone-mark placement, needs no entry). EXAMPLE names: extend
# with the old portal's real menu.
EDITORIAL_LEGACY_SECTIONS = {
    "Tin tức": "Tin tức - Sự kiện",
    "Tin hoạt động": "Tin tức - Sự kiện",
    "Công tác xây dựng Đảng": "Xây dựng Đảng",
    "Kinh tế - Xã hội": "Kinh tế",
    "Văn hóa - Thể thao": "Văn hóa - Xã hội",
    "An ninh - Quốc phòng": "Quốc phòng - An ninh",
    "Lịch công tác": "Thông báo",
}
# Lines of the old portal's page chrome dropped on import (a line starting with one).
EDITORIAL_LEGACY_CHROME = ["Lượt truy cập", "Đang online", "Tổng truy cập", "Lượt xem"]
# Per-site CSS selectors for pages the importer reads wrongly; each key is optional and
# a selector that matches wins over the guess, one that matches nothing is ignored:
# "title", "date" (a datetime/content attribute or text like 08/11/2023 14:30), "author",
# "summary", "body", "section" (its text is mapped as above) and "drop" (a list of
# selectors removed from the page first). EXAMPLE for an old DNN portal:
# {"title": ".NewsTitle", "body": ".NewsContent", "drop": [".NewsTool", ".OtherNews"]}
EDITORIAL_LEGACY_SELECTORS = {}
EDITORIAL_LEGACY_OUTPUT = "content/articles"
