"""Regular expressions compiled when first used, for the rules whose compiled twins answer."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled at the first call of one of its methods.

    The scanner's rules in Python keep their patterns beside them, and an install whose compiled
    twins answer never calls them: the largest (a widget date in every language, an attribution's
    tail holding it) would cost every start of `archiver scan` about 10 ms to compile for nothing
    (docs/benchmarks.md).
    """

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

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled.search(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.compiled.finditer(text, pos, endpos)
