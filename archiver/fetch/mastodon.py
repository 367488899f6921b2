"""Asking a Mastodon server for a status: ``GET /api/v1/statuses/:id`` (docs/endpoints.md §5.2).

Public statuses need no token since Mastodon 2.7.0
(https://docs.joinmastodon.org/methods/statuses/#get). The answer is read by
archiver/witnesses/mastodon.py.
"""

from __future__ import annotations

import re

from archiver.fetch.getter import Getter, get_witness
from archiver.models import Witness
from archiver.witnesses.mastodon import SOURCE, STATUS_ID, parse_mastodon_status

_HOST = re.compile(
    r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}"
)  # a domain name, as archiver.urls reads it


def status_url(post_id: str) -> str:
    """The API request for a post id of the form ``host/id`` (as archiver.urls names it).

    >>> status_url("mastodon.social/109315045538342539")
    'https://mastodon.social/api/v1/statuses/109315045538342539'
    """
    host, _, status_id = post_id.partition("/")
    if not _HOST.fullmatch(host) or not STATUS_ID.fullmatch(status_id):
        raise ValueError(f"not a Mastodon post id: {post_id!r}")
    return f"https://{host}/api/v1/statuses/{status_id}"


async def fetch_mastodon_witnesses(client: Getter, post_id: str) -> list[Witness]:
    """The server's witness of a status (a list, like the other platforms' fetchers)."""
    url = status_url(post_id)
    return [await get_witness(client, url, source=SOURCE, parse=parse_mastodon_status)]
