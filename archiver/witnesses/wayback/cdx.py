"""The Wayback Machine's lists of captures (CDX answers) read against one post, and what a capture
URL says: when it was made and which post it names. Pure functions; the asking is in
archiver/fetch/wayback.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from archiver.models import WAYBACK_CDX, Exchange, PostState, Witness
from archiver.witnesses.payload import body_problem, decode_json

CDX_SOURCE = WAYBACK_CDX  # the Wayback's list of captures
WAYBACK_HOST = "web.archive.org"

_CAPTURE = re.compile(r"^https?://web\.archive\.org/web/(\d{14})([a-z]{2}_)?/(.+)$", re.ASCII)
_ID_IN_URL = (
    re.compile(r"/status(?:es)?/(\d{1,20})(?![0-9])", re.ASCII),
    re.compile(r"/tweets/(\d{1,20})(?![0-9])", re.ASCII),
    re.compile(r"[?&]ids?=(\d{1,20})(?![0-9])", re.ASCII),
)
_BLUESKY_POST = re.compile(r"bsky\.app/profile/([^/?#\s]+)/post/([A-Za-z0-9._~:-]{1,512})")


@dataclass(frozen=True, slots=True)
class Capture:
    """One row of a CDX listing: what was captured, when, with which status and bytes."""

    original: str
    timestamp: str  # YYYYMMDDhhmmss, UTC
    statuscode: str  # "200", "302", ... or "-" (JSON captures)
    mimetype: str = ""
    digest: str = ""

    @property
    def raw_url(self) -> str:
        """The capture as it was captured: ``id_`` asks for the bytes without rewritten links."""
        return f"https://{WAYBACK_HOST}/web/{self.timestamp}id_/{self.original}"


@dataclass(slots=True)
class Listing:
    """A CDX listing read against one post: the captures chosen and why the others were not."""

    chosen: list[Capture] = field(default_factory=list)
    rejected: list[tuple[Capture, str]] = field(default_factory=list)


def id_in_url(url: str) -> str | None:
    """The post id a captured URL names (status path, ``/tweets/ID``, ``?id=``; Bluesky's
    ``actor/rkey``), or None.

    >>> id_in_url("https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F20")
    '20'
    """
    text = unquote(unquote(url))
    if m := _BLUESKY_POST.search(text):
        return f"{m[1]}/{m[2]}"
    for pattern in _ID_IN_URL:
        if m := pattern.search(text):
            return m[1]
    return None


def capture_of(url: str) -> tuple[str, str] | None:
    """``(timestamp, original URL)`` of a Wayback capture URL, or None for any other URL."""
    m = _CAPTURE.match(url)
    return (m[1], m[3]) if m else None


def captured_at(url: str) -> str | None:
    """When the Internet Archive made the capture at ``url``, UTC ISO 8601, or None.

    >>> captured_at("https://web.archive.org/web/20190303120501id_/https://twitter.com/a/status/1")
    '2019-03-03T12:05:01Z'
    """
    capture = capture_of(url)
    if capture is None:
        return None
    try:
        moment = dt.datetime.strptime(capture[0], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_listing(
    exchange: Exchange, post_id: str, *, most: int, also: frozenset[str] = frozenset()
) -> tuple[Witness, Listing]:
    """The CDX answer as a witness (never LIVE: a listing is not the post) and the captures to
    fetch: at most ``most``, each naming ``post_id`` (or one of ``also``: a Bluesky post under
    its handle), captured with 200 (or ``-``), distinct bytes.

    JSON captures come first (they carry the whole post), then captures made before 2020 (after
    that most are a logged-out JavaScript shell), oldest first. Never raises.
    """
    listing = Listing()
    if exchange.status is None:
        reason = f"no response ({exchange.error or 'no error recorded'})"
        return Witness(CDX_SOURCE, exchange, PostState.UNKNOWN, reason=reason), listing
    data, problem = decode_json(exchange.body)
    problem = body_problem(exchange) or problem
    if exchange.status != 200:
        problem = f"HTTP {exchange.status}"
    elif problem is None and not (
        isinstance(data, list) and all(isinstance(row, list) for row in data)
    ):
        problem = "the CDX answer is not a list of rows"
    if problem:
        return Witness(CDX_SOURCE, exchange, PostState.UNKNOWN, reason=problem), listing
    captures = _rows(data)
    seen: set[str] = set()
    candidates = []
    for capture in captures:
        why = _rejection(capture, post_id, also)
        if why is None and capture.digest and capture.digest in seen:
            why = "the same bytes as another capture"
        if why is not None:
            listing.rejected.append((capture, why))
            continue
        seen.add(capture.digest)
        candidates.append(capture)
    candidates.sort(key=lambda c: (not _is_json(c), c.timestamp >= "2020", c.timestamp))
    listing.chosen = candidates[:most]
    reason = f"{len(captures)} captures listed, {len(listing.chosen)} chosen" + "".join(
        f"; {c.timestamp} {c.original}: {why}" for c, why in listing.rejected[:20]
    )
    parsed = {
        "chosen": [c.raw_url for c in listing.chosen],
        "rejected": [[c.timestamp, c.original, why] for c, why in listing.rejected],
    }
    return Witness(CDX_SOURCE, exchange, PostState.UNKNOWN, reason=reason, parsed=parsed), listing


def _rows(data: list[list[Any]]) -> list[Capture]:
    """Rows of ``output=json`` (a header row naming the fields, then one row per capture)."""
    if not data:
        return []
    header = [str(name) for name in data[0]]
    captures = []
    for row in data[1:]:
        fields = dict(zip(header, row, strict=False))
        original, timestamp = fields.get("original"), fields.get("timestamp")
        if not isinstance(original, str) or not isinstance(timestamp, str):
            continue
        if not re.fullmatch(r"\d{14}", timestamp):
            continue
        captures.append(
            Capture(
                original=original,
                timestamp=timestamp,
                statuscode=str(fields.get("statuscode", "")),
                mimetype=str(fields.get("mimetype", "")),
                digest=str(fields.get("digest", "")),
            )
        )
    return captures


def _rejection(capture: Capture, post_id: str, also: frozenset[str]) -> str | None:
    named = id_in_url(capture.original)
    if named != post_id and named not in also:
        # A prefix query for status/123 also lists status/1234.
        return f"names {'post ' + named if named else 'no post'}, not {post_id}"
    code = capture.statuscode
    if code.startswith("3"):
        return f"a redirect (HTTP {code}): it points at another page, often another post"
    if code not in ("200", "-"):
        return f"captured with HTTP {code or 'no status'}"
    return None


def _is_json(capture: Capture) -> bool:
    return capture.statuscode == "-" or "json" in capture.mimetype
