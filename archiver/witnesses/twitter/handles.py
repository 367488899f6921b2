"""What an X screen name can be."""

from __future__ import annotations

import re
from typing import TypeGuard

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,50}")


def is_handle(value: object) -> TypeGuard[str]:
    """True for a string that can be an X screen name (letters, digits, underscore).

    >>> is_handle("jack"), is_handle("not a handle"), is_handle(None)
    (True, False, False)
    """
    return isinstance(value, str) and _HANDLE.fullmatch(value) is not None
