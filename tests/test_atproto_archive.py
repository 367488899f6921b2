"""End to end: `archiver archive` of an article embedding a Bluesky post stores the author's DID
document and signed CAR, and `archiver verify` proves the post from them, offline."""

import base64
import copy
import json

import pytest
from atproto_repo import Repo, Signer, did_document, post_record
from cron_samples import archive_into, recheck_at
from test_atproto_fetch import DID_URL, RECORD_URL
from test_bluesky import DID, RKEY, THREAD
from typer.testing import CliRunner

from archiver.cli import app
from archiver.fetch.bluesky import thread_url
from archiver.store import open_archive

TEXT = THREAD["thread"]["post"]["record"]["text"]
ARTICLE = f"The desk posted this morning:\n\nhttps://bsky.app/profile/{DID}/post/{RKEY}\n\nMore.\n"


def answer(url, body, content_type="application/json", status=200):
    response = {"status": status, "headers": [["content-type", content_type]]}
    if isinstance(body, bytes):
        response["body_base64"] = base64.b64encode(body).decode()
    else:
        response["body"] = json.dumps(body)
    return {"request": {"method": "GET", "url": url}, "response": response}


def plain_thread():
    """The test thread without media (nothing else to download) nor parent or quote."""
    thread = copy.deepcopy(THREAD)
    post = thread["thread"]["post"]
    del post["embed"], post["author"]["avatar"], post["record"]["reply"], thread["thread"]["parent"]
    return thread


def archive_and_verify(tmp_path, replay_server, *, car, document, actor=DID):
    replay_server.add(
        answer(thread_url(f"{actor}/{RKEY}"), plain_thread()),
        answer(DID_URL, json.loads(document)),
        answer(RECORD_URL, car, "application/vnd.ipld.car"),
    )
    article = tmp_path / "desk.txt"
    article.write_text(ARTICLE.replace(DID, actor), encoding="utf-8")
    db_path = tmp_path / "archive.db"
    summary = archive_into(db_path, replay_server.url, article)
    assert summary.ok, summary
    result = CliRunner().invoke(app, ["verify", "--db", str(db_path), str(article)])
    table = CliRunner().invoke(
        app, ["verify", "--db", str(db_path), "--format", "table", str(article)]
    )
    return db_path, json.loads(result.stdout)["embeds"][0], table.stdout


@pytest.mark.parametrize("curve", ["P-256", "secp256k1"])
def test_an_archived_bluesky_post_proves_itself(tmp_path, replay_server, curve):
    repo = Repo(DID, Signer.new(curve), {RKEY: post_record(TEXT)})
    db_path, embed, table = archive_and_verify(
        tmp_path, replay_server, car=repo.car(RKEY), document=did_document(DID, repo.signer)
    )
    assert embed["verifiable"]
    assert embed["proof"] == {
        "kind": "atproto-commit",
        "verified": True,
        "did": DID,
        "commit": repo.blocks_for(RKEY)[0].text,
        "reason": None,
    }
    assert [s["source"] for s in embed["snapshots"]] == [
        "bluesky_appview",
        "atproto_did",
        "atproto_record",
    ]
    assert f"proof verified, commit {embed['proof']['commit']} signed by {DID}" in " ".join(
        table.split()
    )
    with open_archive(db_path, readonly=True) as archive:
        stored = {row["source"]: row for row in archive.snapshot_history(f"bluesky:{DID}/{RKEY}")}
        assert archive.get_blob(stored["atproto_record"]["sha256"]) == repo.car(RKEY)
        assert stored["atproto_record"]["content_type"] == "application/vnd.ipld.car"


def test_a_proof_that_fails_is_reported_and_the_post_still_archived(tmp_path, replay_server):
    repo = Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})
    rotated = did_document(DID, Signer.new())
    _, embed, table = archive_and_verify(
        tmp_path, replay_server, car=repo.car(RKEY), document=rotated
    )
    assert embed["verifiable"] and embed["post"]["state"] == "live"
    assert not embed["proof"]["verified"]
    assert embed["proof"]["reason"].startswith("bad signature")
    assert "proof not verified: bad signature" in " ".join(table.split())


def test_a_garbage_car_is_kept_and_named(tmp_path, replay_server):
    repo = Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})
    _, embed, _ = archive_and_verify(
        tmp_path, replay_server, car=b"\xff\xff garbage", document=did_document(DID, repo.signer)
    )
    assert embed["verifiable"]
    assert embed["proof"] == {
        "kind": "atproto-commit",
        "verified": False,
        "did": DID,
        "commit": None,
        "reason": "the CAR is malformed: a section runs past the end of the file",
    }
    record = next(s for s in embed["snapshots"] if s["source"] == "atproto_record")
    assert (record["outcome"], record["hash_ok"]) == ("unknown", True)


def test_each_car_is_checked_with_the_did_document_of_its_own_run(tmp_path, replay_server):
    old = Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})
    db_path, embed, _ = archive_and_verify(
        tmp_path, replay_server, car=old.car(RKEY), document=did_document(DID, old.signer)
    )
    article = str(tmp_path / "desk.txt")
    first = embed["proof"]
    assert first["verified"]
    # The author moved to a new key: the next run keeps the new document and a CAR it signed.
    new = Repo(DID, Signer.new("P-256"), old.records, rev="3lbqx4w2kd33c")
    replay_server.add(
        answer(DID_URL, json.loads(did_document(DID, new.signer))),
        answer(RECORD_URL, new.car(RKEY), "application/vnd.ipld.car"),
    )
    assert recheck_at(db_path, "2024-03-02T12:00:00.000Z", replay_server.url).ok
    second = verify_json(db_path, article)["proof"]
    assert second == {**first, "commit": new.blocks_for(RKEY)[0].text}
    assert second["commit"] != first["commit"]
    # A PDS that answers garbage later takes nothing away from the proofs already held.
    replay_server.add(answer(RECORD_URL, b"<html>oops</html>", "text/html"))
    recheck_at(db_path, "2024-03-03T12:00:00.000Z", replay_server.url)
    assert verify_json(db_path, article)["proof"] == second


def verify_json(db_path, article):
    result = CliRunner().invoke(app, ["verify", "--db", str(db_path), article])
    return json.loads(result.stdout)["embeds"][0]


def test_a_did_document_pointing_the_pds_at_a_private_address_sends_nothing(
    tmp_path, replay_server
):
    repo = Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})
    hostile = did_document(DID, repo.signer, pds="https://169.254.169.254")
    _, embed, _ = archive_and_verify(tmp_path, replay_server, car=repo.car(RKEY), document=hostile)
    assert replay_server.stats()["requests"] == 2  # the AppView and plc.directory, nothing else
    record = next(s for s in embed["snapshots"] if s["source"] == "atproto_record")
    assert (record["status"], record["sha256"], record["outcome"]) == (None, None, "unknown")
    assert embed["verifiable"]
    assert embed["proof"]["reason"] == "no signed record of the post is archived"


def test_a_post_named_by_its_authors_handle_is_proven_too(tmp_path, replay_server):
    repo = Repo(DID, Signer.new(), {RKEY: post_record(TEXT)})
    _, embed, _ = archive_and_verify(
        tmp_path,
        replay_server,
        car=repo.car(RKEY),
        document=did_document(DID, repo.signer),
        actor="desk.example.com",
    )
    assert embed["post"]["key"] == f"bluesky:desk.example.com/{RKEY}"
    assert embed["proof"] == {
        "kind": "atproto-commit",
        "verified": True,
        "did": DID,
        "commit": repo.blocks_for(RKEY)[0].text,
        "reason": None,
    }
