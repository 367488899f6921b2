"""Asking Bluesky's AppView about a post: ``app.bsky.feed.getPostThread`` (docs/endpoints.md §5.1),
then the author's DID document and repository (fetch/atproto.py). The answers are read by
archiver/witnesses/bluesky.py.
"""

from __future__ import annotations

from urllib.parse import quote

from archiver.fetch.atproto import RKEY, fetch_proof_witnesses
from archiver.fetch.getter import Getter, get_witness
from archiver.models import Witness
from archiver.witnesses.bluesky import ACTOR, SOURCE, parse_bluesky_thread

APPVIEW = "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread"


def thread_url(post_id: str) -> str:
    """The AppView request for a post id of the form ``actor/rkey`` (actor: a DID or a handle).

    yt-dlp asks with ``depth=0&parentHeight=0`` (``yt_dlp/extractor/bluesky.py``); this asks for
    one parent so a reply keeps what it answered.

    >>> thread_url("did:plc:z72i7hdynmk6r22z27h6tvur/3kgbz5xjrxb2p")
    'https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fdid%3Aplc%3Az72i7hdynmk6r22z27h6tvur%2Fapp.bsky.feed.post%2F3kgbz5xjrxb2p&depth=0&parentHeight=1'
    """
    actor, _, rkey = post_id.rpartition("/")
    if not ACTOR.fullmatch(actor) or not RKEY.fullmatch(rkey):
        raise ValueError(f"not a Bluesky post id: {post_id!r}")
    uri = f"at://{actor}/app.bsky.feed.post/{rkey}"
    return f"{APPVIEW}?uri={quote(uri, safe='')}&depth=0&parentHeight=1"


async def fetch_bluesky_witnesses(client: Getter, post_id: str) -> list[Witness]:
    """The AppView's witness of a post, then its author's DID document and repository's
    (fetch/atproto.py), which prove the record; a failure of those is kept as their witness."""
    url = thread_url(post_id)
    appview = await get_witness(client, url, source=SOURCE, parse=parse_bluesky_thread)
    actor, _, rkey = post_id.rpartition("/")
    did = actor if actor.startswith("did:") else appview.post.author_id if appview.post else None
    proof = await fetch_proof_witnesses(client, did, rkey) if did else []
    return [appview, *proof]
