"""When an item that failed is tried again: by the next runs at first, then less and less often.

A post whose server is gone, or an attribution line no archive can match, would otherwise cost
requests on every hourly run forever. The first failures are retried by the very next runs (most
are transient: a timeout, a 5xx, a run killed half-way); from the third on, the wait doubles from
an hour up to a week. ``archiver archive --force`` tries everything at once.
"""

from __future__ import annotations

import datetime as dt

IMMEDIATE_RETRIES = 2
FIRST_WAIT = dt.timedelta(hours=1)
LONGEST_WAIT = dt.timedelta(days=7)


def retry_wait(failures: int) -> dt.timedelta:
    """How long after its last failure an item that failed ``failures`` times waits.

    >>> [str(retry_wait(n)) for n in (1, 2, 3, 4, 12)]
    ['0:00:00', '0:00:00', '1:00:00', '2:00:00', '7 days, 0:00:00']
    """
    if failures <= IMMEDIATE_RETRIES:
        return dt.timedelta(0)
    doublings = min(failures - IMMEDIATE_RETRIES - 1, 16)
    wait: dt.timedelta = FIRST_WAIT * (1 << doublings)
    return min(wait, LONGEST_WAIT)


def retry_due(failures: int, last_failed_at: str, now: str) -> bool:
    """True when an item with this failure history should be tried again at ``now`` (UTC ISO)."""
    return _parse(now) >= _parse(last_failed_at) + retry_wait(failures)


def _parse(timestamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
