"""Linear tag, section and author pages: their article lists answer `in` from a set."""

from .plugin import MemberList, register

__all__ = ["MemberList", "register"]
