"""Write the article pages in a forked process while the parent writes the listings.

Register with PLUGINS = [..., "parallel_build"] (any position). See plugin.py.
"""

from .plugin import register

__all__ = ["register"]
