"""Fetching a Bluesky post's proof: the DID document, then the PDS's getRecord CAR, each kept as
a witness whatever it holds (the proof itself: tests/test_atproto_proof.py)."""

import asyncio
import base64
import json

import pytest
from atproto_repo import Repo, Signer, did_document, post_record
from fake_internet import FakeInternet
from test_bluesky import DID, RKEY, THREAD

from archiver.errors import TransportError
from archiver.fetch import HttpClient
from archiver.fetch.atproto import did_document_url, fetch_proof_witnesses, record_url
from archiver.fetch.bluesky import fetch_bluesky_witnesses, thread_url
from archiver.models import PostState

TEXT = THREAD["thread"]["post"]["record"]["text"]
PDS = "https://pds.example.com"
DID_URL = f"https://plc.directory/{DID}"
RECORD_URL = (
    f"{PDS}/xrpc/com.atproto.sync.getRecord?did={DID}&collection=app.bsky.feed.post&rkey={RKEY}"
)
CAR = [("content-type", "application/vnd.ipld.car")]
CONTENT_JSON = ("content-type", "application/json")


def internet_with(repo, *, document=None, car=None):
    internet = FakeInternet()
    internet.add(thread_url(f"{DID}/{RKEY}"), THREAD)
    internet.add(DID_URL, document if document is not None else did_document(DID, repo.signer))
    internet.add(RECORD_URL, car if car is not None else repo.car(RKEY), headers=CAR)
    return internet


def fetch(internet, post_id=f"{DID}/{RKEY}"):
    return asyncio.run(fetch_bluesky_witnesses(internet, post_id))


@pytest.fixture
def repo():
    return Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})


def test_the_did_document_and_the_signed_record_are_witnesses(repo):
    internet = internet_with(repo)
    appview, document, record = fetch(internet)
    assert internet.urls == [thread_url(f"{DID}/{RKEY}"), DID_URL, RECORD_URL]
    assert internet.requests[2].headers == {"Accept": "application/vnd.ipld.car"}
    assert appview.state is PostState.LIVE
    assert (document.source, document.state) == ("atproto_did", PostState.UNKNOWN)
    assert document.reason == f"the DID document of {DID}: PDS {PDS}"
    assert (record.source, record.state, record.reason) == ("atproto_record", PostState.LIVE, None)
    assert (record.post.key, record.post.text) == (appview.post.key, TEXT)
    assert record.parsed["commit"] == repo.blocks_for(RKEY)[0].text


def test_a_post_named_by_handle_is_proven_through_the_appviews_did(repo):
    internet = internet_with(repo)
    internet.add(thread_url(f"desk.example.com/{RKEY}"), THREAD)
    witnesses = fetch(internet, f"desk.example.com/{RKEY}")
    assert [(w.source, w.state) for w in witnesses] == [
        ("bluesky_appview", PostState.LIVE),
        ("atproto_did", PostState.UNKNOWN),
        ("atproto_record", PostState.LIVE),
    ]


@pytest.mark.parametrize(
    "case, reason",
    [
        ("did_404", "HTTP 404"),
        ("did_garbage", "body is not JSON (Expecting value at line 1 column 1)"),
        ("no_pds", "no #atproto_pds service"),
        ("http_pds", "the PDS endpoint is not an https URL: 'http://pds.example.com'"),
        ("pds_path", "the PDS endpoint is not an https origin: 'https://pds.example.com/x?y'"),
    ],
)
def test_no_pds_to_ask_leaves_the_did_documents_witness_only(repo, case, reason):
    document = json.loads(did_document(DID, repo.signer))
    if case == "no_pds":
        document["service"] = []
    elif case == "http_pds":
        document["service"][0]["serviceEndpoint"] = "http://pds.example.com"
    elif case == "pds_path":
        document["service"][0]["serviceEndpoint"] = "https://pds.example.com/x?y"
    internet = internet_with(repo, document=document)
    if case == "did_404":
        internet.add(DID_URL, {"message": "DID not registered"}, status=404)
    elif case == "did_garbage":
        internet.add(DID_URL, "<html>")
    appview, witness = fetch(internet)
    assert appview.state is PostState.LIVE
    assert (witness.source, witness.state, witness.reason) == (
        "atproto_did",
        PostState.UNKNOWN,
        reason,
    )


def test_a_pds_that_fails_or_answers_garbage_is_kept_as_unknown(repo):
    internet = internet_with(repo, car=b"<html>502 Bad Gateway</html>")
    _, _, record = fetch(internet)
    assert record.state is PostState.UNKNOWN
    assert record.reason.startswith("the CAR is malformed")
    internet.fail(RECORD_URL, TransportError("connection refused", url=RECORD_URL))
    _, _, record = fetch(internet)
    assert (record.state, record.reason) == (
        PostState.UNKNOWN,
        "TransportError: connection refused",
    )
    assert record.exchange.url == RECORD_URL


def test_a_record_the_pds_no_longer_has_is_not_found(repo):
    internet = internet_with(repo)
    internet.add(
        RECORD_URL, {"error": "RecordNotFound", "message": "Could not locate record"}, status=400
    )
    _, _, record = fetch(internet)
    assert (record.state, record.reason) == (PostState.NOT_FOUND, "RecordNotFound")
    gone = Repo(DID, repo.signer, {"3lbq0000aaa2c": post_record("another post")})
    internet.add(RECORD_URL, gone.car(RKEY), headers=CAR)
    _, _, record = fetch(internet)
    assert (record.state, record.reason) == (
        PostState.NOT_FOUND,
        f"the signed tree has no app.bsky.feed.post/{RKEY}",
    )


def test_urls():
    assert did_document_url("did:web:desk.example.com") == (
        "https://desk.example.com/.well-known/did.json"
    )
    for bad in ["did:plc:short", "did:web:localhost", "did:web:a.example:8080", "did:key:zQ3s"]:
        with pytest.raises(ValueError):
            did_document_url(bad)
    assert record_url("https://pds.example.com/", DID, RKEY) == RECORD_URL
    for bad in ["https://user@pds.example.com", "https://pds.example.com/\r\nX: 1", "ftp://pds"]:
        with pytest.raises(ValueError):
            record_url(bad, DID, RKEY)


def through_replay(replay_server, replay_config, *exchanges, dns=None):
    """The proof witnesses fetched by the real client through the replay server."""
    replay_server.add(*exchanges, dns=dns)

    async def run():
        async with HttpClient(replay_config(retries=0)) as client:
            return await fetch_proof_witnesses(client, DID, RKEY)

    return asyncio.run(run())


def recorded(url, body=b"", *, status=200, headers=()):
    response = {"status": status, "headers": [list(h) for h in headers]}
    response["body_base64"] = base64.b64encode(body).decode()
    return {"request": {"method": "GET", "url": url}, "response": response}


def test_a_did_document_redirect_is_kept_not_followed(replay_server, replay_config):
    document, *rest = through_replay(
        replay_server,
        replay_config,
        recorded(DID_URL, status=302, headers=[("location", "https://evil.example/did.json")]),
    )
    assert (document.state, document.reason, rest) == (PostState.UNKNOWN, "HTTP 302", [])
    assert [hop.url for hop in document.exchange.chain] == [DID_URL]
    assert replay_server.stats()["requests"] == 1


@pytest.mark.parametrize(
    "pds, dns, blocked",
    [
        ("https://127.0.0.1", None, "127.0.0.1 is a loopback address"),
        ("https://pds.internal.example", {"pds.internal.example": ["10.0.0.7"]}, "10.0.0.7"),
    ],
)
def test_a_pds_on_a_private_address_is_never_asked(replay_server, replay_config, pds, dns, blocked):
    repo = Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})
    url = record_url(pds, DID, RKEY)
    _, record = through_replay(
        replay_server,
        replay_config,
        recorded(DID_URL, did_document(DID, repo.signer, pds), headers=[CONTENT_JSON]),
        recorded(url, repo.car(RKEY), headers=CAR),
        dns=dns,
    )
    assert record.state is PostState.UNKNOWN
    assert record.reason.startswith("BlockedRequest") and blocked in record.reason
    assert replay_server.stats()["requests"] == 1  # the DID document only


def test_a_record_that_is_no_post_or_too_long_is_unknown(repo):
    for record, reason in [
        ({"$type": "app.bsky.feed.like", "createdAt": "2024-11-26T08:14:03.512Z"}, "not a post"),
        (post_record("x" * 100_001), "100001 characters long"),
    ]:
        odd = Repo(DID, repo.signer, {RKEY: record})
        _, _, witness = fetch(internet_with(repo, car=odd.car(RKEY)))
        assert witness.state is PostState.UNKNOWN and witness.post is None
        assert reason in witness.reason
