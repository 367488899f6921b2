"""The sample article archived through the demo recordings at a known time, for recheck and verify.

Archiving the sample takes seconds (the Wayback Machine's rate limit paces one resolution), so
each test module archives it once (``archived_sample``) and each test works on a copy.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from archiver.fetch import ClientConfig
from archiver.fetch.twitter import syndication_url
from archiver.fetch.twitter.endpoints import oembed_url
from archiver.jobs import archive as archive_job
from archiver.jobs.recheck import recheck
from archiver.store import open_archive

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "examples" / "replay"
SAMPLE_ARTICLE = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"
PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"

T0 = "2024-03-01T12:00:00.000Z"  # when the sample is archived
TOMBSTONE = (PAYLOADS / "syndication_tombstone_deleted.json").read_bytes()
TOMBSTONE_TEXT = "This Post was deleted by the Post author. Learn more"


class Clock:
    """A clock that stays where it is set: every row and request of a run gets the same time."""

    def __init__(self, now: str) -> None:
        self.now = now

    def __call__(self) -> str:
        return self.now


def fast_config(replay_url: str) -> ClientConfig:
    """The client through a replay server, with no pacing and millisecond backoff."""
    return ClientConfig(
        reroute=replay_url,
        backoff_base=0.001,
        backoff_cap=0.01,
        per_host_rate=None,
        host_rates={},
    )


def archive_into(db_path: Path, replay_url: str, *inputs: Path, at: str = T0):
    """Archive ``inputs`` (the sample by default) into ``db_path`` at the time ``at``."""
    with open_archive(db_path, clock=Clock(at)) as archive:
        return archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=tuple(str(p) for p in inputs or (SAMPLE_ARTICLE,))),
            command_line=["archive"],
            config=fast_config(replay_url),
        )


def recheck_at(
    db_path: Path, now: str, reroute: str, *, due: bool = False, limit: int | None = None
):
    """``recheck`` through the library, the archive's clock at ``now``, the replay at ``reroute``."""
    with open_archive(db_path, clock=Clock(now)) as archive:
        return recheck(
            archive,
            due=due,
            older_than=None,
            limit=limit,
            command_line=["recheck"],
            config=fast_config(reroute),
        )


def copy_archive(source: Path, target: Path) -> Path:
    """A consistent copy of an archive database (its WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def recorded(url: str) -> bytes:
    """The body the demo recordings give for ``url``."""
    for path in RECORDINGS.glob("*.json"):
        for exchange in json.loads(path.read_text(encoding="utf-8"))["exchanges"]:
            if exchange["request"]["url"] == url:
                return exchange["response"]["body"].encode("utf-8")
    raise AssertionError(f"no recording of {url}")


def sample_post_id(handle: str) -> str:
    """The id of a sample post, from its recorded oEmbed request."""
    for exchange in json.loads((RECORDINGS / f"{handle.lower()}.json").read_text("utf-8"))[
        "exchanges"
    ]:
        url = exchange["request"]["url"]
        if "tweet-result?id=" in url:
            return url.split("id=")[1].split("&")[0]
    raise AssertionError(f"no syndication recording for {handle}")


def flip_to_tombstone(server, post_id: str, handle: str) -> None:
    """Make the replay answer for a post once X has deleted it (docs/endpoints.md §2.4, §3)."""
    server.add(
        {
            "request": {"method": "GET", "url": syndication_url(post_id)},
            "response": {
                "status": 200,
                "headers": [["content-type", "application/json;charset=utf-8"]],
                "body": TOMBSTONE.decode("utf-8"),
            },
        }
    )
    server.add(
        {
            "request": {"method": "GET", "url": oembed_url(post_id, handle)},
            "response": {
                "status": 404,
                "headers": [["content-type", "application/json; charset=utf-8"]],
                "body": "",
            },
        }
    )
