"""Warm builds: nothing changed since the last build, nothing is rendered or indexed again."""

from .plugin import register
from .state import BuildState, state_of

__all__ = ["BuildState", "register", "state_of"]
