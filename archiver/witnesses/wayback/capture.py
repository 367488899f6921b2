"""One raw capture (``/web/TIMESTAMPid_/URL``) read into a witness: the shape told by the captured
URL and the body, each shape read by its own reader (the package docstring has the lessons).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from archiver.models import Exchange, PostState, Witness
from archiver.witnesses.payload import body_problem
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.syndication import parse_syndication
from archiver.witnesses.wayback.api_json import read_api_json
from archiver.witnesses.wayback.cdx import capture_of, captured_at, id_in_url
from archiver.witnesses.wayback.html import read_bluesky_page, read_twitter_page
from archiver.witnesses.wayback.verdict import SOURCE, accepted, rejected

__all__ = ["SOURCE", "parse_wayback"]

_JSON_TYPES = ("application/json", "text/json", "application/javascript")


def parse_wayback(exchange: Exchange) -> Witness:
    """Read one raw capture (``/web/TIMESTAMPid_/URL``) into a witness; never raises.

    LIVE when the capture shows the post its URL names (matched by id), with what the capture
    tells of it; otherwise UNKNOWN with the reason it was rejected (``rejected: login wall``,
    ``rejected: unavailable page``, ``rejected: shows post X``, ...). ``parsed`` says which
    shape was read and when the capture was made.
    """
    capture = capture_of(exchange.url)
    asked = id_in_url(capture[1]) if capture else None
    if capture is None or asked is None:
        return rejected(exchange, "not a Wayback capture of a post")
    if exchange.status is None:
        return rejected(exchange, f"no response ({exchange.error or 'no error recorded'})")
    if exchange.status != 200:
        return rejected(exchange, f"HTTP {exchange.status}")
    if problem := body_problem(exchange):
        return rejected(exchange, problem)
    if exchange.final_url != exchange.url:
        landed = capture_of(exchange.final_url)
        if landed is None:
            return rejected(exchange, f"redirected away from the Wayback, to {exchange.final_url}")
        if id_in_url(landed[1]) != asked:
            return rejected(exchange, f"a redirect to another page: {landed[1]}")
    timestamp, original = capture
    parts = urlsplit(original if "://" in original else f"https://{original}")
    host = (parts.hostname or "").lower()
    body = exchange.body.lstrip()
    if host.removeprefix("www.") == "bsky.app":
        shape, witness = "bluesky_html", read_bluesky_page(exchange, asked)
    elif "syndication" in host:
        shape, witness = "syndication_json", _through(parse_syndication, exchange, asked)
    elif "oembed" in parts.path:
        shape, witness = "oembed_json", _through(parse_oembed, exchange, asked)
    elif body[:1] in (b"{", b"[") or exchange.content_type in _JSON_TYPES:
        shape, witness = "api_json", read_api_json(exchange, asked)
    else:
        shape, witness = read_twitter_page(exchange, asked, after_2022=timestamp >= "2023")
    witness.parsed = {"shape": shape, "captured_at": captured_at(exchange.url), "url": original}
    return witness


def _through(parse: Any, exchange: Exchange, asked: str) -> Witness:
    """A syndication or oEmbed capture, read by that witness's own parser."""
    said: Witness = parse(exchange)
    if said.state is PostState.LIVE and said.post is not None:
        return accepted(exchange, said.post, asked, said.reason)
    return rejected(exchange, f"the captured answer says {said.state}: {said.reason or '-'}")
