"""Checking archived posts again: is each still there? States change; snapshots stay.

The schedule spaces checks out as a post ages: a post is next due a quarter of its age (at its
last answered check) after that check, at least 1 day and at most 30 days later. A post made
yesterday is checked daily, a four-month-old one monthly. A check that no witness answered
(timeouts, 5xx) moves nothing but the next attempt, a day later. The rule is
``posts.next_check_at`` in the archive (archiver/store/schema.py), so Datasette shows it too.

1. Select the posts: those due now (``due``), those not answered for since ``older_than`` ago,
   or else every archived post; most overdue first, at most ``limit``.
2. Note their states and open a run (``runs.command = "recheck"``).
3. Capture each again (archiver/jobs/capture.py): a snapshot and a check per witness are appended,
   the store moves the state and the vanish window; nothing stored is deleted or rewritten, and
   media already held are not downloaded again.
4. Report every post whose state changed, and count those that went from live to gone and back.
5. Close the run with its manifest, and have each TSA given time-stamp the manifests it has not
   yet (archiver/jobs/timestamping.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from archiver.errors import InputError
from archiver.fetch import ClientConfig, HttpClient
from archiver.jobs.capture import capture_posts
from archiver.jobs.record import Progress, RunRecord, RunSummary, StateChange, no_progress
from archiver.jobs.timestamping import stamp_manifests
from archiver.models import PostState
from archiver.store import Archive

_DURATION = re.compile(r"\s*(\d{1,6})\s*([mhdw])\s*", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> dt.timedelta:
    """``90m``, ``12h``, ``7d`` or ``2w`` as a timedelta; InputError for anything else.

    >>> parse_duration("7d")
    datetime.timedelta(days=7)
    """
    found = _DURATION.fullmatch(text)
    if found is None or int(found[1]) == 0:
        raise InputError(f"not a duration: {text!r} (give a number and m, h, d or w: 90m, 7d)")
    return dt.timedelta(**{_UNITS[found[2].lower()]: int(found[1])})


def recheck(
    archive: Archive,
    *,
    due: bool,
    older_than: dt.timedelta | None,
    limit: int | None,
    command_line: list[str],
    config: ClientConfig | None = None,
    progress: Progress | None = None,
    tsas: tuple[str, ...] = (),
) -> RunSummary:
    """Check archived posts again and record what their witnesses say now; see the module.

    Example::

        with open_archive("archive.db") as archive:
            summary = recheck(archive, due=True, older_than=None, limit=500,
                              command_line=["recheck", "--due"])
        [(c.post_key, c.before, c.after) for c in summary.changes]
    """
    if limit is not None and limit < 1:
        raise InputError(f"limit must be at least 1, not {limit}")
    if older_than is not None and older_than <= dt.timedelta(0):
        raise InputError(f"older_than must be positive, not {older_than}")
    config = config or ClientConfig.from_env()
    return asyncio.run(
        _recheck(
            archive,
            due=due,
            older_than=older_than,
            limit=limit,
            command_line=command_line,
            config=config,
            progress=progress or no_progress,
            tsas=tsas,
        )
    )


async def _recheck(
    archive: Archive,
    *,
    due: bool,
    older_than: dt.timedelta | None,
    limit: int | None,
    command_line: list[str],
    config: ClientConfig,
    progress: Progress,
    tsas: tuple[str, ...],
) -> RunSummary:
    now = archive.now()
    cutoff = _minus(now, older_than) if older_than is not None else None
    posts = archive.posts_to_recheck(now, due=due, not_checked_since=cutoff, limit=limit)
    keys = [key for key, _ in posts]
    before = archive.post_states(keys)
    with RunRecord.open(
        archive, "recheck", command_line, replay=config.reroute is not None
    ) as record:
        record.count("posts_selected", len(posts))
        async with HttpClient(config, utc_clock=archive.now) as client:
            await capture_posts(client, record, posts, progress=progress)
        after = archive.post_states(keys)
        for key in keys:
            if before.get(key) != after.get(key):
                change = StateChange(key, before.get(key, "unknown"), after.get(key, "unknown"))
                record.summary.changes.append(change)
                record.count(_change_kind(change))
    if tsas:
        async with HttpClient(config, utc_clock=archive.now) as client:
            await stamp_manifests(client, record, tsas)
    return record.summary


def _minus(now: str, age: dt.timedelta) -> str:
    try:
        when = dt.datetime.fromisoformat(now) - age
    except OverflowError:  # an age older than the calendar: nothing was checked before then
        return "0001-01-01T00:00:00.000Z"
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _change_kind(change: StateChange) -> str:
    was_gone, is_gone = PostState(change.before).gone, PostState(change.after).gone
    if is_gone and not was_gone:
        return "posts_gone"
    if was_gone and not is_gone:
        return "posts_back"
    return "posts_changed"
