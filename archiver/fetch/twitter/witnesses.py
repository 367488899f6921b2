"""Asking X's two keyless endpoints about one post: syndication first, then oEmbed."""

from __future__ import annotations

from archiver.fetch.getter import Getter, get_witness
from archiver.fetch.twitter.endpoints import oembed_url, syndication_url
from archiver.models import Witness
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.oembed import SOURCE as OEMBED
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.syndication import SOURCE as SYNDICATION
from archiver.witnesses.twitter.syndication import parse_syndication

_JSON = {"Accept": "application/json"}


async def fetch_twitter_witnesses(
    client: Getter, post_id: str, *, handle: str | None = None
) -> list[Witness]:
    """The syndication and oEmbed witnesses of a post, in that order; both, even for a post gone.

    oEmbed is asked with the handle syndication reported, else ``handle``, else ``i``
    (twitter.com/i/status/ID). A request that fails becomes an UNKNOWN witness holding the
    error and whatever exchange it left; nothing here raises FetchError. A ``post_id`` that
    is not a number raises ValueError before anything is asked.

    Example::

        async with HttpClient() as client:
            syndication, oembed = await fetch_twitter_witnesses(client, "1641086480675225601")
    """
    syndication = await get_witness(
        client,
        syndication_url(post_id),
        source=SYNDICATION,
        parse=parse_syndication,
        headers=_JSON,
    )
    known = syndication.post.handle if syndication.post else None
    asked_as = next((h for h in (known, handle) if is_handle(h)), "i")
    oembed = await get_witness(
        client,
        oembed_url(post_id, asked_as),
        source=OEMBED,
        parse=parse_oembed,
        headers=_JSON,
    )
    return [syndication, oembed]
