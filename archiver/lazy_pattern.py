"""Regular expressions compiled when first used.

The scanner's rules in Python and ``urls`` keep their patterns beside them, and an install whose
compiled twins answer reads none of them on a common page: compiled at import, they cost every
start of `archiver scan` 33 ms, the widget date in every language alone 10 (docs/benchmarks.md).
Patterns read on every page (an encoding's declaration, a page's title) are compiled at import.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled at the first call of one of its methods."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern, compiled now if it was not yet."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.fullmatch``."""
        return self.compiled.fullmatch(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled.search(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        """``re.Pattern.findall`` (of a pattern with at most one group)."""
        return self.compiled.findall(text, pos, endpos)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        """``re.Pattern.sub``, every match replaced."""
        return self.compiled.sub(replacement, text)

    def subn(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> tuple[str, int]:
        """``re.Pattern.subn``, every match replaced."""
        return self.compiled.subn(replacement, text)
