"""Asking the Wayback Machine for its copies of a post that its own witnesses no longer show.

One CDX query per URL family (an X post: endpoints.wayback_capture_queries; a Bluesky post: its
bsky.app page, under its handle and under its DID), asked in order until a family yields the
post; of each listing, the captures that can be the post itself are fetched raw (``id_``) and
read by archiver/witnesses/wayback/. The client paces web.archive.org at its own rate
(``ClientConfig.host_rates``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from archiver.errors import FetchError
from archiver.fetch.getter import Getter, failed_witness, get_witness
from archiver.fetch.twitter.endpoints import WAYBACK_CDX, wayback_capture_queries
from archiver.logs import logger
from archiver.models import Platform, PostState, Witness
from archiver.witnesses.wayback import CDX_SOURCE, SOURCE, parse_wayback, read_listing

log = logger(__name__)

PLATFORMS = frozenset({Platform.TWITTER, Platform.BLUESKY})  # those whose pages it keeps
CDX_ROWS = 50  # captures listed per family; a post is seldom captured more often
CDX_CAP = 1024 * 1024  # bytes
MOST_CAPTURES = 3  # captures fetched per family
_CDX_FIELDS = "original,timestamp,statuscode,mimetype,digest"


async def fetch_wayback_witnesses(
    client: Getter, platform: str, post_id: str, *, handle: str | None = None
) -> list[Witness]:
    """The CDX listings and the captures read for a post: a ``wayback_cdx`` witness per query
    asked, then a ``wayback`` witness per capture fetched (LIVE when it shows the post).

    Stops after the first family that yields the post. Nothing here raises FetchError: a failed
    request becomes an UNKNOWN witness. ValueError for a platform the Wayback is not asked about
    or an id that is not one of its post ids.
    """
    if platform == Platform.TWITTER:
        queries = wayback_capture_queries(post_id, handle, limit=CDX_ROWS)
        also: frozenset[str] = frozenset()
    elif platform == Platform.BLUESKY:
        queries, also = bluesky_capture_queries(post_id, handle)
    else:
        raise ValueError(f"the Wayback Machine is not asked about {platform} posts")
    witnesses: list[Witness] = []
    for query in queries:
        try:
            exchange = await client.get(query, max_bytes=CDX_CAP)
        except FetchError as exc:
            log.info("the Wayback CDX could not be asked for %s: %s", post_id, exc)
            witnesses.append(failed_witness(CDX_SOURCE, query, exc))
            continue
        listing_witness, listing = read_listing(exchange, post_id, most=MOST_CAPTURES, also=also)
        witnesses.append(listing_witness)
        found = False
        for capture in listing.chosen:
            witness = await get_witness(client, capture.raw_url, source=SOURCE, parse=parse_wayback)
            witnesses.append(witness)
            found = found or witness.state is PostState.LIVE
        if found:
            break
    return witnesses


def bluesky_capture_queries(post_id: str, handle: str | None) -> tuple[list[str], frozenset[str]]:
    """The CDX queries for a Bluesky post ``actor/rkey`` (bsky.app pages, under ``handle`` first
    when it is known and is not the actor) and the other id its captures go by.

    >>> bluesky_capture_queries("did:plc:abc/3kq2", "a.bsky.social")[1]
    frozenset({'a.bsky.social/3kq2'})
    """
    actor, _, rkey = post_id.rpartition("/")
    if not actor or not rkey or "/" in actor:
        raise ValueError(f"not a Bluesky post id: {post_id!r}")
    actors = [actor]
    if handle and handle.casefold() != actor.casefold() and "/" not in handle:
        actors.insert(0, handle)
    queries = []
    for name in actors:
        query = {
            "url": f"bsky.app/profile/{name}/post/{rkey}*",
            "output": "json",
            "fl": _CDX_FIELDS,
            "limit": str(CDX_ROWS),
        }
        queries.append(f"{WAYBACK_CDX}?{urlencode(query, safe='/*,:')}")
    return queries, frozenset(f"{name}/{rkey}" for name in actors[:-1])
