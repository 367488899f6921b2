"""Asking the Wayback Machine for its copies of a post that its own witnesses no longer show.

One CDX query per URL family (endpoints.wayback_capture_queries), asked in order until a family
yields the post; of each listing, the captures that can be the post itself are fetched raw
(``id_``) and read by wayback_parse. The client paces web.archive.org at its own rate
(``ClientConfig.host_rates``).
"""

from __future__ import annotations

import logging

from archiver.errors import FetchError
from archiver.fetch.getter import Getter, failed_witness, get_witness
from archiver.fetch.twitter.endpoints import wayback_capture_queries
from archiver.fetch.wayback_parse import CDX_SOURCE, SOURCE, parse_wayback, read_listing
from archiver.models import PostState, Witness

log = logging.getLogger(__name__)

CDX_ROWS = 50  # captures listed per family; a post is seldom captured more often
CDX_CAP = 1024 * 1024  # bytes
MOST_CAPTURES = 3  # captures fetched per family


async def fetch_wayback_witnesses(
    client: Getter, post_id: str, *, handle: str | None = None
) -> list[Witness]:
    """The CDX listings and the captures read for ``post_id``: a ``wayback_cdx`` witness per
    query asked, then a ``wayback`` witness per capture fetched (LIVE when it shows the post).

    Stops after the first family that yields the post. Nothing here raises FetchError: a failed
    request becomes an UNKNOWN witness. ValueError for an id that is not a post id.
    """
    witnesses: list[Witness] = []
    for query in wayback_capture_queries(post_id, handle, limit=CDX_ROWS):
        try:
            exchange = await client.get(query, max_bytes=CDX_CAP)
        except FetchError as exc:
            log.info("the Wayback CDX could not be asked for %s: %s", post_id, exc)
            witnesses.append(failed_witness(CDX_SOURCE, query, exc))
            continue
        listing_witness, listing = read_listing(exchange, post_id, most=MOST_CAPTURES)
        witnesses.append(listing_witness)
        found = False
        for capture in listing.chosen:
            witness = await get_witness(client, capture.raw_url, source=SOURCE, parse=parse_wayback)
            witnesses.append(witness)
            found = found or witness.state is PostState.LIVE
        if found:
            break
    return witnesses
