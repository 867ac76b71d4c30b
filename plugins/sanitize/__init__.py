"""One allowlist sanitiser (nh3, the Rust ammonia crate) for everything published from content."""

from .plugin import register
from .policy import Policy, clean

__all__ = ["Policy", "clean", "register"]
