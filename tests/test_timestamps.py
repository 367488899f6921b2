"""Run manifests, their chain, and RFC 3161 time-stamps from a TSA of the tests' own.

The TSA (tests/tsa_samples.py) is a root and a TSA certificate made with ``cryptography`` and
replies made by `openssl ts -reply`, served through the replay server like the rest of the
internet; `openssl ts -verify` judges the stored tokens beside archiver's own verification.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess

import pytest
from cron_samples import RECORDINGS, SAMPLE_ARTICLE, T0, Clock, fast_config
from cryptography.x509.oid import NameOID
from tsa_samples import TSA_HOST, TSA_URL, TestTsa, openssl_verify
from typer.testing import CliRunner

from archiver.cli import app
from archiver.evidence.demo_tsa import HOST as DEMO_HOST
from archiver.evidence.demo_tsa import LABEL as DEMO_LABEL
from archiver.evidence.demo_tsa import URL as DEMO_URL
from archiver.evidence.demo_tsa import DemoTsa
from archiver.evidence.manifest import (
    COLUMNS,
    canonical_json,
    merkle_root,
    read_manifest,
    row_hash,
)
from archiver.evidence.tsa import (
    TimestampError,
    build_query,
    read_reply,
    signature_problem,
    tsa_urls,
    verify_reply,
)
from archiver.jobs import archive as archive_job
from archiver.jobs.recheck import recheck
from archiver.replay import ReplayServer
from archiver.store import open_archive

T1 = "2024-03-08T12:00:00.000Z"


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    return TestTsa(tmp_path_factory.mktemp("tsa"))


@pytest.fixture
def replay():
    with ReplayServer(RECORDINGS) as server:
        yield server


def archive_with(db_path, server, *tsas, at=T0, **config):
    """Archive the sample through ``server`` with these TSAs; the run's summary."""
    with open_archive(db_path, clock=Clock(at)) as archive:
        return archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=(str(SAMPLE_ARTICLE),), tsas=tsas),
            command_line=["archive"],
            config=_config(server, **config),
        )


def recheck_with(db_path, server, *tsas, at=T1, **config):
    with open_archive(db_path, clock=Clock(at)) as archive:
        return recheck(
            archive,
            due=False,
            older_than=None,
            limit=None,
            command_line=["recheck"],
            config=_config(server, **config),
            tsas=tsas,
        )


def _config(server, **changes):
    config = fast_config(server.url)
    return type(config)(**{**{f: getattr(config, f) for f in config.__slots__}, **changes})


def verify(db_path, *options):
    result = CliRunner().invoke(
        app, ["verify", "--db", str(db_path), *options, str(SAMPLE_ARTICLE)]
    )
    return result, json.loads(result.stdout) if result.stdout.startswith("{") else None


def db_check(db_path, *options):
    return CliRunner().invoke(app, ["db", "check", "--db", str(db_path), *options])


def rows(db_path, sql, *params):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def blob(db_path, sha256):
    return rows(db_path, "SELECT content FROM blobs WHERE sha256 = ?", sha256)[0]["content"]


# -- the definitions -----------------------------------------------------------------------------


def rfc6962(leaves):
    """RFC 6962 §2.1, written out recursively as the RFC states it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + rfc6962(leaves[:k]) + rfc6962(leaves[k:])).digest()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 100])
def test_the_merkle_root_is_rfc_6962_over_the_sorted_leaves(n):
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(n)]
    assert merkle_root(reversed(leaves)) == rfc6962(sorted(leaves))


def test_a_row_hash_is_over_its_listed_columns_in_canonical_json():
    row = {column: None for column in COLUMNS["checks"]} | {"id": 7, "reason": "é", "extra": 1}
    expected = json.dumps(
        {"table": "checks", "row": {c: row[c] for c in COLUMNS["checks"]}},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    assert canonical_json({"table": "checks", "row": {c: row[c] for c in COLUMNS["checks"]}}) == (
        expected
    )
    assert row_hash("checks", row) == hashlib.sha256(expected).hexdigest()
    assert row_hash("checks", row | {"extra": 2}) == row_hash("checks", row)
    assert row_hash("checks", row | {"status": 200}) != row_hash("checks", row)


def test_tsa_urls_come_from_the_option_else_the_environment():
    env = {"ARCHIVER_TSA": "http://a.example/tsr  https://b.example/ http://a.example/tsr"}
    assert tsa_urls(None, env) == ("http://a.example/tsr", "https://b.example/")
    assert tsa_urls(["https://c.example/"], env) == ("https://c.example/",)
    assert tsa_urls(None, {}) == ()
    with pytest.raises(ValueError, match="not 'ftp://x'"):
        tsa_urls(["ftp://x"], {})


def test_a_query_is_sha256_with_a_nonce_and_cert_req(tsa):
    query = build_query(b"manifest")
    assert query.sha256 == hashlib.sha256(b"manifest").hexdigest() and query.nonce
    reply = tsa.reply(query.der)
    assert read_reply(reply, sha256=query.sha256, nonce=query.nonce).endswith("Z")
    assert verify_reply(reply, sha256=query.sha256, roots=[tsa.root]).verified


@pytest.mark.parametrize("rsa_key", [False, True], ids=["ecdsa", "rsa"])
def test_a_tokens_signature_is_checked_with_its_own_certificate_without_a_root(tmp_path, rsa_key):
    signer = TestTsa(tmp_path, rsa_key=rsa_key)
    query = build_query(b"manifest")
    reply = signer.reply(query.der)
    at = reply.index(b"Z", reply.index(b"\x18\x0f"))  # the genTime's last digit is before it

    assert signature_problem(reply) is None
    assert verify_reply(reply, sha256=query.sha256, roots=[signer.root]).verified
    flipped = reply[:-1] + bytes([reply[-1] ^ 1])  # the signature's last byte
    assert (
        signature_problem(flipped) == "its signature does not verify with its signer's certificate"
    )
    later = reply[: at - 1] + bytes([reply[at - 1] ^ 1]) + reply[at:]
    assert signature_problem(later) == "the token's messageDigest does not match its content"
    assert not verify_reply(later, sha256=query.sha256, roots=[signer.root]).verified


# -- a run, sealed and time-stamped --------------------------------------------------------------


def test_a_runs_manifest_is_time_stamped_and_verified(tmp_path, replay, tsa):
    replay.respond(TSA_HOST, tsa.respond)
    db_path = tmp_path / "archive.db"

    summary = archive_with(db_path, replay, TSA_URL)

    assert summary.ok, summary.failures
    assert summary.counts["timestamps"] == 1
    assert tsa.content_types[-1] == "application/timestamp-query"  # rerouted, body and type kept
    [manifest] = rows(db_path, "SELECT * FROM run_manifests")
    assert manifest["run_id"] == summary.run_id and manifest["previous_sha256"] is None
    data = blob(db_path, manifest["sha256"])
    document = read_manifest(data)
    snapshots = rows(db_path, "SELECT * FROM snapshots ORDER BY id")
    assert document["tables"]["snapshots"]["rows"] == [
        [s["id"], row_hash("snapshots", s)] for s in snapshots
    ]
    assert set(document["blobs"]) >= {s["body_sha256"] for s in snapshots if s["body_sha256"]}
    assert document["merkle_root"] == manifest["merkle_root"]
    [stamp] = rows(db_path, "SELECT * FROM run_timestamps")
    assert (stamp["status"], stamp["tsa_url"], stamp["manifest_sha256"]) == (
        "granted", TSA_URL, manifest["sha256"],
    )  # fmt: skip
    [reply_blob] = rows(
        db_path, "SELECT content, content_type FROM blobs WHERE sha256 = ?", stamp["reply_sha256"]
    )
    assert reply_blob["content_type"] == "application/timestamp-reply"
    assert rows(db_path, "SELECT content_type FROM blobs WHERE sha256 = ?", manifest["sha256"]) == [
        {"content_type": "application/json"}
    ]

    # a third party, with OpenSSL alone: over the manifest's hash, and over its bytes
    (tmp_path / "reply.tsr").write_bytes(reply_blob["content"])
    (tmp_path / "manifest.json").write_bytes(data)
    by_digest = openssl_verify(tmp_path / "reply.tsr", tsa, digest=manifest["sha256"])
    by_data = openssl_verify(tmp_path / "reply.tsr", tsa, data=tmp_path / "manifest.json")
    assert "Verification: OK" in by_digest.stdout, by_digest.stderr
    assert "Verification: OK" in by_data.stdout, by_data.stderr

    result, report = verify(db_path, "--tsa-roots", str(tsa.root_pem))
    assert result.exit_code == 0, result.output
    for embed in report["embeds"]:
        assert embed["time_proven"] is True
        for snapshot in embed["snapshots"]:
            [check] = snapshot["timestamps"]
            assert check == {
                "tsa": TSA_URL,
                "time": stamp["time"],
                "verified": True,
                "reason": None,
            }

    with open_archive(db_path, readonly=True) as archive:
        assert [m["sha256"] for m in archive.manifests()] == [manifest["sha256"]]
        [exported] = archive.timestamps()
        assert exported["reply_sha256"] == stamp["reply_sha256"]
        assert exported["merkle_root"] == manifest["merkle_root"]
    assert db_check(db_path, "--tsa-roots", str(tsa.root_pem)).exit_code == 0


def test_the_second_runs_manifest_links_to_the_first(tmp_path, replay, tsa):
    replay.respond(TSA_HOST, tsa.respond)
    db_path = tmp_path / "archive.db"
    first = archive_with(db_path, replay, TSA_URL)
    second = recheck_with(db_path, replay, TSA_URL)

    assert first.ok and second.ok, second.failures
    one, two = rows(db_path, "SELECT * FROM run_manifests ORDER BY run_id")
    assert two["previous_sha256"] == one["sha256"]
    document = read_manifest(blob(db_path, two["sha256"]))
    assert document["previous"] == one["sha256"]
    assert document["run"]["command"] == "recheck"
    assert document["tables"]["snapshots"]["from"] == one["snapshots_upto"] + 1
    assert {s["run_id"] for s in rows(db_path, "SELECT run_id FROM snapshots WHERE id > ?",
                                      one["snapshots_upto"])} == {second.run_id}  # fmt: skip
    assert db_check(db_path, "--tsa-roots", str(tsa.root_pem)).exit_code == 0


def test_no_tsa_no_request_and_the_chain_is_still_kept(tmp_path, replay):
    db_path = tmp_path / "archive.db"
    archive_with(db_path, replay)
    recheck_with(db_path, replay)

    assert not any("/tsr" in url for url in replay.stats()["urls"])
    one, two = rows(db_path, "SELECT * FROM run_manifests ORDER BY run_id")
    assert two["previous_sha256"] == one["sha256"]
    assert rows(db_path, "SELECT * FROM run_timestamps") == []
    result, report = verify(db_path)
    assert result.exit_code == 0 and not any(e["time_proven"] for e in report["embeds"])


# -- what goes wrong is reported, never a crash --------------------------------------------------


def test_a_token_from_an_untrusted_root_is_reported(tmp_path, replay, tsa):
    replay.respond(TSA_HOST, tsa.respond)
    db_path = tmp_path / "archive.db"
    archive_with(db_path, replay, TSA_URL)

    result, report = verify(db_path)  # certifi's roots: the test root is not among them

    assert result.exit_code == 0  # the snapshots still prove the posts; the time is not proven
    embed = report["embeds"][0]
    assert embed["time_proven"] is False
    [check] = embed["snapshots"][0]["timestamps"]
    assert check["verified"] is False
    assert check["reason"].startswith("untrusted: the signer's certificate does not chain")
    other = TestTsa(tmp_path / "other", name="Other")
    _, report = verify(db_path, "--tsa-roots", str(other.root_pem))
    assert report["embeds"][0]["snapshots"][0]["timestamps"][0]["verified"] is False


def answering(make):
    """A TSA responder whose reply body is ``make(query)``."""

    def respond(method, path, headers, body):
        return 200, [("content-type", "application/timestamp-reply")], make(body)

    return respond


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("another hash", "the token is over "),
        ("garbage", "not a time-stamp reply"),
        ("http error", "the TSA answered HTTP 503"),
        ("timeout", "timed out"),
    ],
)
def test_a_failing_tsa_is_a_recorded_failure_and_retried_next_run(
    tmp_path, replay, tsa, case, reason
):
    if case == "another hash":
        replay.respond(TSA_HOST, answering(lambda q: tsa.reply(build_query(b"other").der)))
    elif case == "garbage":
        replay.respond(TSA_HOST, answering(lambda q: b"\x30\x82garbage"))
    elif case == "http error":
        replay.respond(TSA_HOST, lambda *a: (503, [], b"down"))
    else:
        replay.respond(TSA_HOST, tsa.respond)
        replay.inject({"match": TSA_HOST, "delay_ms": 3000, "times": 1})
    db_path = tmp_path / "archive.db"

    summary = archive_with(db_path, replay, TSA_URL, read_timeout=0.5, retries=0)

    assert [f.stage for f in summary.failures] == ["timestamp"]
    assert reason in summary.failures[0].reason
    assert summary.counts["posts_fetched"] == 5  # the run's data kept
    [failed] = rows(db_path, "SELECT * FROM run_timestamps")
    assert failed["status"] == "failed" and reason in failed["reason"]
    assert failed["reply_sha256"] is None
    [run] = rows(db_path, "SELECT error_count FROM runs")
    assert run["error_count"] == 1
    [recorded] = rows(db_path, "SELECT stage, url, reason FROM failures")
    assert (recorded["stage"], recorded["url"]) == ("timestamp", TSA_URL)
    result, report = verify(db_path, "--tsa-roots", str(tsa.root_pem))
    assert result.exit_code == 0 and report["embeds"][0]["snapshots"][0]["timestamps"] == []

    replay.clear_faults()
    replay.respond(TSA_HOST, tsa.respond)
    again = recheck_with(db_path, replay, TSA_URL)

    assert again.ok, again.failures
    granted = rows(db_path, "SELECT run_id FROM run_timestamps WHERE status = 'granted'")
    assert sorted(r["run_id"] for r in granted) == [summary.run_id, again.run_id]
    assert db_check(db_path, "--tsa-roots", str(tsa.root_pem)).exit_code == 0


def test_a_stored_token_over_another_hash_is_not_verified(tmp_path, replay, tsa):
    db_path = tmp_path / "archive.db"
    summary = archive_with(db_path, replay)
    other = tsa.reply(build_query(b"another manifest").der)
    with open_archive(db_path) as archive:
        archive.add_timestamp(
            run_id=summary.run_id, tsa_url=TSA_URL, attempted_by=None, reply=other,
            time="2024-03-01T12:00:00.000Z",
        )  # fmt: skip

    _, report = verify(db_path, "--tsa-roots", str(tsa.root_pem))

    [check] = report["embeds"][0]["snapshots"][0]["timestamps"]
    assert check["verified"] is False and check["reason"].startswith("the token is over ")
    result = db_check(db_path, "--tsa-roots", str(tsa.root_pem))
    assert result.exit_code == 1
    assert (
        f"run {summary.run_id}: its time-stamp from {TSA_URL}: the token is over" in result.stdout
    )


# -- db check: a changed byte anywhere names the run it breaks ----------------------------------


@pytest.fixture
def stamped(tmp_path, replay, tsa):
    """An archive of two runs, each time-stamped; ``(db path, first run id, second run id)``."""
    replay.respond(TSA_HOST, tsa.respond)
    db_path = tmp_path / "archive.db"
    first = archive_with(db_path, replay, TSA_URL)
    second = recheck_with(db_path, replay, TSA_URL)
    assert db_check(db_path, "--tsa-roots", str(tsa.root_pem)).exit_code == 0
    return db_path, first.run_id, second.run_id


def tamper(db_path, sql, *params):
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(sql, params)


def test_db_check_names_the_run_whose_snapshot_row_changed(stamped, tsa):
    db_path, first, _ = stamped
    [snapshot] = rows(  # a witness's snapshot, which verify shows
        db_path, "SELECT s.id FROM snapshots s JOIN checks c ON c.snapshot_id = s.id"
        " WHERE s.run_id = ? ORDER BY s.id LIMIT 1", first,
    )  # fmt: skip
    tamper(db_path, "UPDATE snapshots SET fetched_at = '2020-01-01T00:00:00.000Z' WHERE id = ?",
           snapshot["id"])  # fmt: skip

    result = db_check(db_path, "--tsa-roots", str(tsa.root_pem))

    assert result.exit_code == 1
    assert (
        f"run {first}: snapshots row {snapshot['id']} changed since its manifest" in result.stdout
    )
    _, report = verify(db_path, "--tsa-roots", str(tsa.root_pem))
    reasons = {
        t["reason"]
        for e in report["embeds"]
        for s in e["snapshots"]
        for t in s["timestamps"]
        if not t["verified"]
    }
    assert reasons == {f"the snapshot's row changed since run {first}'s manifest"}


def test_db_check_names_the_run_whose_blob_changed(stamped, tsa):
    db_path, first, _ = stamped
    [snapshot] = rows(
        db_path, "SELECT body_sha256 FROM snapshots WHERE run_id = ? AND bytes > 0"
        " ORDER BY id LIMIT 1", first,
    )  # fmt: skip
    key = snapshot["body_sha256"]
    content = blob(db_path, key)
    tamper(db_path, "UPDATE blobs SET content = ? WHERE sha256 = ?",
           bytes([content[0] ^ 1]) + content[1:], key)  # fmt: skip

    result = db_check(db_path, "--tsa-roots", str(tsa.root_pem))

    assert result.exit_code == 1
    assert f"run {first}: blob {key} of its manifest: its bytes hash to" in result.stdout


def test_db_check_names_the_run_whose_manifest_changed(stamped, tsa):
    db_path, first, _ = stamped
    [manifest] = rows(db_path, "SELECT sha256 FROM run_manifests WHERE run_id = ?", first)
    data = blob(db_path, manifest["sha256"])
    tamper(db_path, "UPDATE blobs SET content = ? WHERE sha256 = ?",
           data.replace(b'"command":"archive"', b'"command":"archivf"'), manifest["sha256"])  # fmt: skip

    result = db_check(db_path, "--tsa-roots", str(tsa.root_pem))

    assert result.exit_code == 1
    assert f"run {first}: its manifest's bytes no longer hash to" in result.stdout


def test_db_check_sees_a_manifest_rewritten_whole(stamped, tsa):
    """Rows, manifest and its hash rewritten together: the link from the next run and the
    time-stamps over the old hash still give it away."""
    db_path, first, second = stamped
    [manifest] = rows(db_path, "SELECT * FROM run_manifests WHERE run_id = ?", first)
    document = read_manifest(blob(db_path, manifest["sha256"]))
    document["run"]["started_at"] = "2020-01-01T00:00:00.000Z"
    forged = canonical_json(document)
    forged_sha = hashlib.sha256(forged).hexdigest()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for trigger in ("run_manifests_never_update", "run_timestamps_never_update"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("UPDATE runs SET started_at = '2020-01-01T00:00:00.000Z' WHERE id = ?",
                     (first,))  # fmt: skip
        conn.execute(
            "INSERT INTO blobs (sha256, content, bytes, content_type, first_seen)"
            " VALUES (?, ?, ?, 'application/json', '2020')", (forged_sha, forged, len(forged)),
        )  # fmt: skip
        conn.execute("UPDATE run_manifests SET sha256 = ? WHERE run_id = ?", (forged_sha, first))

    result = db_check(db_path, "--tsa-roots", str(tsa.root_pem))

    assert result.exit_code == 1
    assert f"run {first}: its time-stamp from {TSA_URL} is over {manifest['sha256']}" in (
        result.stdout
    )
    assert f"run {second}: its manifest links to {manifest['sha256']}, but the manifest before" in (
        result.stdout
    )


def test_manifests_and_timestamps_are_never_changed(stamped):
    db_path, _, _ = stamped
    for sql in (
        "UPDATE run_manifests SET merkle_root = 'x'",
        "DELETE FROM run_manifests",
        "UPDATE run_timestamps SET time = 'x'",
        "DELETE FROM run_timestamps",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            tamper(db_path, sql)


# -- the demo TSA (make demo) --------------------------------------------------------------------


def test_the_demo_tsa_signs_what_openssl_and_archiver_accept_and_says_what_it_is(tmp_path):
    tsa = DemoTsa()
    query = build_query(b"a demo manifest")

    reply = tsa.reply(query.der)

    assert read_reply(reply, sha256=query.sha256, nonce=query.nonce)
    assert verify_reply(reply, sha256=query.sha256, roots=[tsa.root]).verified
    assert not verify_reply(reply, sha256=query.sha256, roots=[TestTsa(tmp_path).root]).verified
    (tmp_path / "reply.tsr").write_bytes(reply)
    (tmp_path / "root.pem").write_bytes(tsa.root_pem)
    (tmp_path / "signer.pem").write_bytes(tsa.certificate_pem)
    (tmp_path / "manifest.json").write_bytes(b"a demo manifest")
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(tmp_path / "manifest.json"), "-in",
         str(tmp_path / "reply.tsr"), "-CAfile", str(tmp_path / "root.pem"), "-untrusted",
         str(tmp_path / "signer.pem")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert "Verification: OK" in done.stdout, done.stderr
    [name] = tsa.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert DEMO_LABEL in name.value
    assert "not-a-trusted-authority" in DEMO_URL
    with pytest.raises(TimestampError, match="did not grant"):
        read_reply(tsa.reply(b"\x30\x03\x02\x01\x01"), sha256=query.sha256)


def test_a_run_through_the_demo_tsa_is_time_proven_with_its_root(tmp_path, replay):
    tsa = DemoTsa()
    replay.respond(DEMO_HOST, tsa.respond)
    (tmp_path / "demo-root.pem").write_bytes(tsa.root_pem)
    db_path = tmp_path / "archive.db"

    assert archive_with(db_path, replay, DEMO_URL).counts["timestamps"] == 1

    result, report = verify(db_path, "--tsa-roots", str(tmp_path / "demo-root.pem"))
    assert result.exit_code == 0 and all(e["time_proven"] for e in report["embeds"])
    _, untrusted = verify(db_path)
    assert not any(e["time_proven"] for e in untrusted["embeds"])


def test_db_check_without_the_root_still_checks_each_tokens_signature(stamped):
    db_path, first, _ = stamped
    assert db_check(db_path).exit_code == 0  # certifi's roots: untrusted, yet intact
    [stamp] = rows(db_path, "SELECT reply_sha256 FROM run_timestamps WHERE run_id = ?", first)
    token = blob(db_path, stamp["reply_sha256"])
    tamper(db_path, "UPDATE blobs SET content = ? WHERE sha256 = ?",
           token[:-1] + bytes([token[-1] ^ 1]), stamp["reply_sha256"])  # fmt: skip

    result = db_check(db_path)

    assert result.exit_code == 1
    assert (
        f"run {first}: its time-stamp from {TSA_URL}: its signature does not verify with its"
        " signer's certificate" in result.stdout
    )


# -- the commands --------------------------------------------------------------------------------


def test_the_commands_take_tsas_from_the_option_or_the_environment(tmp_path, replay, tsa):
    replay.respond(TSA_HOST, tsa.respond)
    db_path = tmp_path / "archive.db"
    env = {"ARCHIVER_REROUTE": replay.url, "ARCHIVER_TSA": ""}

    archived = CliRunner().invoke(
        app, ["archive", "--db", str(db_path), "--tsa", TSA_URL, str(SAMPLE_ARTICLE)], env=env
    )
    rechecked = CliRunner().invoke(
        app, ["recheck", "--db", str(db_path)], env={**env, "ARCHIVER_TSA": TSA_URL}
    )
    refused = CliRunner().invoke(
        app, ["recheck", "--db", str(db_path), "--tsa", "ftp://tsa.example.org/"], env=env
    )

    assert archived.exit_code == 0, archived.output
    assert "1 manifest time-stamp(s)" in archived.output
    assert rechecked.exit_code == 0 and "1 manifest time-stamp(s)" in rechecked.output
    assert refused.exit_code == 2 and "--tsa" in refused.output
    stamps = rows(db_path, "SELECT run_id, status FROM run_timestamps ORDER BY id")
    assert stamps == [{"run_id": 1, "status": "granted"}, {"run_id": 2, "status": "granted"}]


def test_a_tsa_added_later_stamps_the_earlier_manifests_and_one_failure_stops_it_for_the_run(
    tmp_path, replay, tsa
):
    db_path = tmp_path / "archive.db"
    archive_with(db_path, replay)
    recheck_with(db_path, replay, at="2024-03-05T12:00:00.000Z")
    replay.respond(TSA_HOST, answering(lambda q: b"garbage"))

    failing = recheck_with(db_path, replay, TSA_URL)

    assert len(failing.failures) == 1  # asked once, not once per manifest
    assert len(rows(db_path, "SELECT id FROM run_timestamps")) == 1
    replay.respond(TSA_HOST, tsa.respond)
    good = recheck_with(db_path, replay, TSA_URL, at="2024-03-09T12:00:00.000Z")
    assert good.ok and good.counts["timestamps"] == 4
    granted = rows(db_path, "SELECT run_id FROM run_timestamps WHERE status = 'granted'")
    assert sorted(r["run_id"] for r in granted) == [1, 2, 3, 4]
    assert db_check(db_path, "--tsa-roots", str(tsa.root_pem)).exit_code == 0
