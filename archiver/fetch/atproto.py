"""A Bluesky post's record with its proof: the author's DID document and the PDS's signed CAR.

Besides the AppView's view (fetch/bluesky.py), each Bluesky post is asked of its author's own
repository, which signs what it holds (archiver/evidence/atproto.py checks the proof):

1. the DID document: ``https://plc.directory/DID`` for ``did:plc``, ``https://DOMAIN/.well-known/
   did.json`` for ``did:web``; it names the PDS (service ``#atproto_pds``) and the signing key;
2. ``GET PDS/xrpc/com.atproto.sync.getRecord?did=…&collection=app.bsky.feed.post&rkey=…``: a CAR
   holding the signed commit, the tree path and the record.

Both answers are kept as witnesses (sources ``atproto_did`` and ``atproto_record``), whatever
they hold, so a failure is on record and never stops the AppView's witness from being kept.

Redirects: neither request follows one (``NO_REDIRECTS``; a 3xx is kept as the answer). A DID
document is only good from the host its DID names, and the PDS is whatever https host that
document names: any host, so no list of hosts could bound where it leads. Every request is still
held to https, a public host and public addresses (policy.check_url and the address guard).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from archiver.evidence.atproto import (
    DID_SOURCE,
    POST_COLLECTION,
    RECORD_SOURCE,
    ProofError,
    read_car,
    read_did_document,
    read_repo_record,
)
from archiver.fetch.getter import Getter, get_witness
from archiver.fetch.payload import DATETIME, MAX_STRING, body_problem, decode_json
from archiver.fetch.policy import NO_REDIRECTS
from archiver.models import Exchange, Platform, Post, PostState, Witness
from archiver.urls import is_fetchable_https_url

PLC_DIRECTORY = "https://plc.directory"
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


def parse_did_document(exchange: Exchange) -> Witness:
    """A DID document's witness: always UNKNOWN (it says nothing of the post's state); its
    reason names the PDS it gives, or why it gives none."""
    did = _requested_did(exchange)
    data, problem = decode_json(exchange.body)
    if exchange.status is None:
        reason = f"no response ({exchange.error})"
    elif exchange.status != 200:
        reason = f"HTTP {exchange.status}"
    elif problem := body_problem(exchange) or problem:
        reason = problem
    else:
        try:
            pds = read_did_document(exchange.body, did).pds
        except ProofError as exc:
            reason = str(exc)
        else:
            reason = f"the DID document of {did}: PDS {pds}" if pds else "no #atproto_pds service"
    return Witness(DID_SOURCE, exchange, PostState.UNKNOWN, reason=reason, parsed=data)


def parse_record(exchange: Exchange) -> Witness:
    """The PDS's witness: LIVE with the record's post when its signed tree holds it; NOT_FOUND
    when the PDS says RecordNotFound or the tree lacks it; otherwise UNKNOWN with the reason.

    The signature is checked by `archiver verify` against the DID document kept beside it.
    """
    query = parse_qs(urlsplit(exchange.url).query)
    did, rkey = query.get("did", [""])[0], query.get("rkey", [""])[0]
    if exchange.status is None:
        return _record_witness(exchange, PostState.UNKNOWN, f"no response ({exchange.error})")
    if exchange.status != 200:
        data, _ = decode_json(exchange.body)
        error = data.get("error") if isinstance(data, dict) else None
        if exchange.status == 400 and error == "RecordNotFound":
            return _record_witness(exchange, PostState.NOT_FOUND, "RecordNotFound", data)
        reason = f"HTTP {exchange.status}" + (f" {error}" if isinstance(error, str) else "")
        return _record_witness(exchange, PostState.UNKNOWN, reason[:500], data)
    if problem := body_problem(exchange):
        return _record_witness(exchange, PostState.UNKNOWN, problem)
    try:
        found = read_repo_record(read_car(exchange.body), did, rkey)
    except ProofError as exc:
        return _record_witness(exchange, PostState.UNKNOWN, str(exc))
    parsed = {"did": did, "commit": found.commit_cid, "record": found.record_cid}
    if found.record is None:
        reason = f"the signed tree has no {POST_COLLECTION}/{rkey}"
        return _record_witness(exchange, PostState.NOT_FOUND, reason, parsed)
    text = found.record.get("text")
    if found.record.get("$type") != POST_COLLECTION or not isinstance(text, str):
        return _record_witness(exchange, PostState.UNKNOWN, "the record is not a post", parsed)
    if len(text) > MAX_STRING:
        reason = f"the record's text is {len(text)} characters long (more than {MAX_STRING})"
        return _record_witness(exchange, PostState.UNKNOWN, reason, parsed)
    created = found.record.get("createdAt")
    post = Post(
        platform=Platform.BLUESKY,
        id=f"{did}/{rkey}",
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
        author_id=did,
        text=text,
        created_at=created if isinstance(created, str) and DATETIME.fullmatch(created) else None,
    )
    return Witness(RECORD_SOURCE, exchange, PostState.LIVE, post, parsed=parsed)


def _pds(witness: Witness) -> str | None:
    if witness.exchange.status != 200 or body_problem(witness.exchange):
        return None
    try:
        return read_did_document(witness.exchange.body, _requested_did(witness.exchange)).pds
    except ProofError:
        return None


def _requested_did(exchange: Exchange) -> str:
    """The DID a DID document was asked for, from the URL it was asked at."""
    parts = urlsplit(exchange.url)
    if parts.hostname == urlsplit(PLC_DIRECTORY).hostname:
        return parts.path.lstrip("/")
    return f"did:web:{parts.hostname}"


def _record_witness(
    exchange: Exchange, state: PostState, reason: str, parsed: Any = None
) -> Witness:
    return Witness(RECORD_SOURCE, exchange, state, reason=reason, parsed=parsed)
