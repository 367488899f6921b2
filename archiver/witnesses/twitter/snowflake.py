"""When an X post was made, read from its id alone (no network needed).

A snowflake id is ``(milliseconds since 1288834974657) << 22`` plus 22 bits of machine and
sequence (docs/endpoints.md §1.6; gallery-dl uses the inverse). Ids below the first snowflake were
handed out in sequence and carry no time (oduwsdl/tweetedat ``script/TimestampEstimator.py``).
"""

from __future__ import annotations

import datetime as dt
import re

TWITTER_EPOCH_MS = 1288834974657
FIRST_SNOWFLAKE = 29700859247
_SEQUENCE_BITS = 22
_MAX_ID = 2**63 - 1  # ids are signed 64-bit integers
_POST_ID = re.compile(r"[0-9]{1,19}")
_UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def snowflake_ms(post_id: str) -> int | None:
    """Unix milliseconds encoded in ``post_id``; None for pre-snowflake or invalid ids."""
    if not isinstance(post_id, str) or not _POST_ID.fullmatch(post_id):
        return None
    number = int(post_id)
    if not FIRST_SNOWFLAKE <= number <= _MAX_ID:
        return None
    return (number >> _SEQUENCE_BITS) + TWITTER_EPOCH_MS


def snowflake_time(post_id: str) -> str | None:
    """The creation time in ``post_id`` as UTC ISO 8601 with milliseconds, or None when it has none.

    >>> snowflake_time("1703436713362870723")
    '2023-09-17T15:52:15.446Z'
    """
    ms = snowflake_ms(post_id)
    return None if ms is None else format_ms(ms)


def snowflake_range(start_ms: int, end_ms: int) -> tuple[int, int]:
    """The smallest and largest ids minted from ``start_ms`` to ``end_ms`` (Unix ms, inclusive).

    >>> snowflake_range(1288834974657, 1288834974657)
    (0, 4194303)
    """
    if end_ms < start_ms:
        raise ValueError(f"end {end_ms} is before start {start_ms}")
    start, end = (max(ms, TWITTER_EPOCH_MS) - TWITTER_EPOCH_MS for ms in (start_ms, end_ms))
    return start << _SEQUENCE_BITS, min(((end + 1) << _SEQUENCE_BITS) - 1, _MAX_ID)


def format_ms(ms: int) -> str:
    """Unix milliseconds as ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    moment = _UNIX_EPOCH + dt.timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
