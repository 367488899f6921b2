"""What a Bluesky author's own repository says of a post: the DID document and the PDS's signed
CAR (asked by archiver/fetch/atproto.py; the proof is checked by archiver/evidence/atproto.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from archiver.evidence.atproto import (
    DID_SOURCE,
    POST_COLLECTION,
    RECORD_SOURCE,
    ProofError,
    read_car,
    read_did_document,
    read_repo_record,
)
from archiver.models import Exchange, Platform, Post, PostState, Witness
from archiver.witnesses.payload import DATETIME, MAX_STRING, body_problem, decode_json

PLC_DIRECTORY = "https://plc.directory"


def parse_did_document(exchange: Exchange) -> Witness:
    """A DID document's witness: always UNKNOWN (it says nothing of the post's state); its
    reason names the PDS it gives, or why it gives none."""
    did = requested_did(exchange)
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


def requested_did(exchange: Exchange) -> str:
    """The DID a DID document was asked for, from the URL it was asked at."""
    parts = urlsplit(exchange.url)
    if parts.hostname == urlsplit(PLC_DIRECTORY).hostname:
        return parts.path.lstrip("/")
    return f"did:web:{parts.hostname}"


def _record_witness(
    exchange: Exchange, state: PostState, reason: str, parsed: Any = None
) -> Witness:
    return Witness(RECORD_SOURCE, exchange, state, reason=reason, parsed=parsed)
