"""A Bluesky post's record with its proof: the author's DID document and the PDS's signed CAR.

Besides the AppView's view (fetch/bluesky.py), each Bluesky post is asked of its author's own
repository, which signs what it holds (archiver/evidence/atproto.py checks the proof):

1. the DID document: ``https://plc.directory/DID`` for ``did:plc``, ``https://DOMAIN/.well-known/
   did.json`` for ``did:web``; it names the PDS (service ``#atproto_pds``) and the signing key;
2. ``GET PDS/xrpc/com.atproto.sync.getRecord?did=…&collection=app.bsky.feed.post&rkey=…``: a CAR
   holding the signed commit, the tree path and the record.

Both answers are kept as witnesses (sources ``atproto_did`` and ``atproto_record``), whatever
they hold, so a failure is on record and never stops the AppView's witness from being kept; they
are read by archiver/witnesses/atproto.py.

Redirects: neither request follows one (``NO_REDIRECTS``; a 3xx is kept as the answer). A DID
document is only good from the host its DID names, and the PDS is whatever https host that
document names: any host, so no list of hosts could bound where it leads. Every request is still
held to https, a public host and public addresses (policy.check_url and the address guard).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from archiver.evidence.atproto import (
    DID_SOURCE,
    POST_COLLECTION,
    RECORD_SOURCE,
    ProofError,
    read_did_document,
)
from archiver.fetch.getter import Getter, get_witness
from archiver.fetch.policy import NO_REDIRECTS
from archiver.models import Witness
from archiver.urls import is_fetchable_https_url
from archiver.witnesses.atproto import (
    PLC_DIRECTORY,
    parse_did_document,
    parse_record,
    requested_did,
)
from archiver.witnesses.payload import body_problem

CAR_TYPE = "application/vnd.ipld.car"

_PLC = re.compile(r"did:plc:[a-z2-7]{24}")
_WEB = re.compile(r"did:web:(?P<host>[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)")
RKEY = re.compile(r"[A-Za-z0-9._~:-]{1,512}")  # a record key


def did_document_url(did: str) -> str:
    """Where a DID's document is read; ValueError for a DID that atproto does not use.

    >>> did_document_url("did:plc:ewvi7nxzyoun6zhxrhs64oiz")
    'https://plc.directory/did:plc:ewvi7nxzyoun6zhxrhs64oiz'
    """
    if _PLC.fullmatch(did):
        return f"{PLC_DIRECTORY}/{did}"
    if (web := _WEB.fullmatch(did)) and "." in web["host"]:
        return f"https://{web['host']}/.well-known/did.json"
    raise ValueError(f"not a did:plc or did:web (host only) DID: {did[:200]!r}")


def record_url(pds: str, did: str, rkey: str) -> str:
    """The getRecord request for a post; ValueError when ``pds`` is not a bare https origin."""
    if not is_fetchable_https_url(pds):
        raise ValueError(f"the PDS endpoint is not an https URL: {pds[:200]!r}")
    parts = urlsplit(pds)
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(f"the PDS endpoint is not an https origin: {pds[:200]!r}")
    if not RKEY.fullmatch(rkey):
        raise ValueError(f"not a record key: {rkey[:200]!r}")
    query = f"did={quote(did, safe=':')}&collection={POST_COLLECTION}&rkey={quote(rkey, safe='')}"
    return f"https://{parts.netloc}/xrpc/com.atproto.sync.getRecord?{query}"


async def fetch_proof_witnesses(client: Getter, did: str, rkey: str) -> list[Witness]:
    """The DID document's witness and, when it names a PDS, the PDS's getRecord witness.

    Nothing is asked for a DID of another method: there is then no proof to fetch.
    """
    try:
        url = did_document_url(did)
    except ValueError:
        return []
    document = await get_witness(
        client, url, source=DID_SOURCE, parse=parse_did_document, redirects=NO_REDIRECTS
    )
    pds = _pds(document)
    if pds is None:
        return [document]
    try:
        url = record_url(pds, did, rkey)
    except ValueError as exc:
        document.reason = str(exc)
        return [document]
    record = await get_witness(
        client,
        url,
        source=RECORD_SOURCE,
        parse=parse_record,
        redirects=NO_REDIRECTS,
        headers={"Accept": CAR_TYPE},
    )
    return [document, record]


def _pds(witness: Witness) -> str | None:
    if witness.exchange.status != 200 or body_problem(witness.exchange):
        return None
    try:
        return read_did_document(witness.exchange.body, requested_did(witness.exchange)).pds
    except ProofError:
        return None
