"""Tag, section, author and archive pages without a scan of the whole archive for each."""

from .plugin import listing_dates, register

__all__ = ["listing_dates", "register"]
