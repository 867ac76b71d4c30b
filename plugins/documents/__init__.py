"""Documents registry (Văn bản): số/ký hiệu, loại, cơ quan ban hành, ngày ban hành, người ký,
trích yếu, the PDF and related articles; lists per type and per year, a page per document, a
feed, search. See README.md in this folder.

The Pelican part is `register`; `make check` runs rules.py, `make new-document` new.py.
"""

from .plugin import register

__all__ = ["register"]
