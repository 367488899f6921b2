"""When to try a request again, and how long to wait first."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable

# 408 and 429 are the only 4xx worth repeating; every 5xx may be a passing overload or restart.
RETRY_STATUSES = frozenset({408, 429, *range(500, 600)})


def backoff_delay(attempt: int, *, base: float, cap: float, jitter: Callable[[], float]) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempt-1))].

    "Full jitter" spreads retries of many clients apart (AWS Architecture Blog, "Exponential
    Backoff And Jitter", 2015).
    """
    return jitter() * min(cap, base * 2.0 ** (attempt - 1))


def retry_after_seconds(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or HTTP-date, RFC 9110 §10.2.3).

    None when absent or unreadable; never negative.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # delta-seconds is ASCII digits (RFC 9110 §10.2.3)
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
