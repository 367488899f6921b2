"""`archiver export`: WARC and WACZ that outsiders check with warcio, wacz and their own reading.

The sample article is archived through the replay server, exported with the real CLI, then read
back with warcio's iterator and checker, py-wacz's validator, and a layout check of our own
(py-wacz's validator skips some of the required files). Expected bytes come from the demo
recordings (``recorded``), never from the export itself.
"""

import datetime as dt
import gzip
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from archived_sample import LIVE_BLOG_URL
from cron_samples import (
    RECORDINGS,
    SAMPLE_ARTICLE,
    Clock,
    copy_archive,
    fast_config,
    recheck_at,
    recorded,
    sample_post_id,
)
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archiver.cli import app
from archiver.fetch.twitter import syndication_url
from archiver.jobs import archive as archive_job
from archiver.replay import ReplayServer
from archiver.store import open_archive

BIN = Path(sys.executable).parent
VINDMAN_ID = sample_post_id("YVindman")
VINDMAN_SYNDICATION = syndication_url(VINDMAN_ID)
VINDMAN_PHOTO = "https://pbs.twimg.com/media/6zMD2jU7A0tEVTx?format=png&name=orig"
EMPTY = hashlib.sha256(b"").hexdigest()
WACZ_FILES = {
    "archive/data.warc.gz",
    "indexes/index.cdx",
    "pages/pages.jsonl",
    "datapackage.json",
    "datapackage-digest.json",
}


def run_export(db_path, out, *args):
    return CliRunner().invoke(app, ["export", "--db", str(db_path), "--out", str(out), *args])


def records(warc_path):
    """Every record of a WARC: type, headers, HTTP status, and payload read and hashed by us."""
    found = []
    with warc_path if isinstance(warc_path, io.BytesIO) else open(warc_path, "rb") as stream:
        for record in ArchiveIterator(stream):
            payload = record.content_stream().read()
            found.append(
                {
                    "type": record.rec_type,
                    "headers": dict(record.rec_headers.headers),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                    "http": record.http_headers,
                    "payload": payload,
                    "sha256": hashlib.sha256(payload).hexdigest(),
                }
            )
    return found


def blob_keys(db_path):
    with sqlite3.connect(db_path) as conn:
        return {key for (key,) in conn.execute("SELECT sha256 FROM blobs")}


@pytest.fixture(scope="module")
def exported(archived_sample, tmp_path_factory):
    """The sample's archive (conftest: archived through the replay server) exported by the CLI."""
    folder = tmp_path_factory.mktemp("exported")
    for name in ("sample.wacz", "sample.warc.gz"):
        result = run_export(archived_sample, folder / name)
        assert result.exit_code == 0, result.output
    return folder


def test_warcio_check_passes_and_every_blob_is_one_payload_whose_digest_is_its_key(
    archived_sample, exported
):
    warc = exported / "sample.warc.gz"
    check = subprocess.run([BIN / "warcio", "check", warc], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr

    found = records(warc)
    assert found[0]["type"] == "warcinfo"
    carried = [r for r in found if r["type"] in ("response", "resource")]
    for record in carried:
        assert record["headers"]["WARC-Payload-Digest"] == f"sha256:{record['sha256']}"
    keys = [r["sha256"] for r in carried if r["sha256"] != EMPTY]
    assert sorted(keys) == sorted(blob_keys(archived_sample) - {EMPTY})  # each stored blob once


def test_responses_carry_the_original_urls_and_say_they_came_through_replay(exported):
    found = records(exported / "sample.warc.gz")
    responses = [r for r in found if r["type"] == "response"]
    uris = {r["headers"]["WARC-Target-URI"] for r in responses}
    assert VINDMAN_SYNDICATION in uris and VINDMAN_PHOTO in uris
    assert not [u for u in uris if "127.0.0.1" in u or "localhost" in u]
    assert {r["headers"].get("WARC-Archiver-Via") for r in responses} == {"replay"}

    syndication = next(
        r for r in responses if r["headers"]["WARC-Target-URI"] == VINDMAN_SYNDICATION
    )
    assert syndication["payload"] == recorded(VINDMAN_SYNDICATION)
    assert syndication["status"] == "200"
    assert syndication["headers"]["WARC-Date"] == "2024-03-01T12:00:00.000Z"


def test_a_shortlink_hop_is_its_own_response_before_the_post(exported):
    found = records(exported / "sample.warc.gz")
    hop = next(r for r in found if r["headers"].get("WARC-Target-URI") == "https://t.co/ok6JOXl4KA")
    assert hop["type"] == "response" and hop["status"] == "301"
    assert hop["http"].get_header("Location") == (
        f"https://twitter.com/YVindman/status/{VINDMAN_ID}/photo/1"
    )


def test_the_article_file_is_a_resource_and_its_metadata_lists_the_embeds(exported):
    found = records(exported / "sample.warc.gz")
    article = next(r for r in found if r["type"] == "resource")
    assert article["headers"]["WARC-Target-URI"] == SAMPLE_ARTICLE.resolve().as_uri()
    assert article["payload"] == SAMPLE_ARTICLE.read_bytes()

    about = next(
        r
        for r in found
        if r["type"] == "metadata"
        and r["headers"]["WARC-Refers-To"] == article["headers"]["WARC-Record-ID"]
    )
    assert about["headers"]["Content-Type"] == "application/json"
    embeds = json.loads(about["payload"])["embeds"]
    assert [e["handle"] for e in embeds] == [
        "ChristopherJM",
        "SaoSasha",
        "BNONews",
        "YVindman",
        "France24_en",
    ]
    vindman = embeds[3]
    text = SAMPLE_ARTICLE.read_text("utf-8")
    assert text[vindman["start"] : vindman["end"]].startswith(vindman["text"])
    assert vindman["post_key"] == f"twitter:{VINDMAN_ID}"
    assert vindman["date"] == "2022-02-26"


def test_a_snapshots_metadata_names_post_witness_outcome_and_the_embeds_quoting_it(exported):
    found = records(exported / "sample.warc.gz")
    syndication = next(
        r
        for r in found
        if r["type"] == "response" and r["headers"]["WARC-Target-URI"] == VINDMAN_SYNDICATION
    )
    about = next(
        r
        for r in found
        if r["type"] == "metadata"
        and r["headers"].get("WARC-Refers-To") == syndication["headers"]["WARC-Record-ID"]
    )
    described = json.loads(about["payload"])
    assert described["post"] == f"twitter:{VINDMAN_ID}"
    assert described["witness"] == "syndication"
    assert described["outcome"] == "live"
    assert described["replay"] is True
    assert described["sha256"] == syndication["sha256"]
    assert [(e["article_url"], e["ordinal"]) for e in described["quoted_by"]] == [
        (str(SAMPLE_ARTICLE.resolve()), 3)
    ]
    # the description never stands in for the answer when a replay tool asks for the URL
    assert about["headers"]["WARC-Target-URI"] == f"urn:provenance:{VINDMAN_SYNDICATION}"


def test_the_wacz_validates_and_has_every_required_file(exported):
    wacz = exported / "sample.wacz"
    check = subprocess.run([BIN / "wacz", "validate", "-f", wacz], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr

    with zipfile.ZipFile(wacz) as package:
        assert {info.filename for info in package.infolist()} == WACZ_FILES
        assert {info.compress_type for info in package.infolist()} == {zipfile.ZIP_STORED}
        datapackage_bytes = package.read("datapackage.json")
        datapackage = json.loads(datapackage_bytes)
        digest = json.loads(package.read("datapackage-digest.json"))
        contents = {name: package.read(name) for name in WACZ_FILES}
    assert datapackage["wacz_version"] == "1.1.1"
    assert datapackage["profile"] == "data-package"
    assert digest == {
        "path": "datapackage.json",
        "hash": "sha256:" + hashlib.sha256(datapackage_bytes).hexdigest(),
    }
    listed = {r["path"]: r for r in datapackage["resources"]}
    assert set(listed) == WACZ_FILES - {"datapackage.json", "datapackage-digest.json"}
    for path, resource in listed.items():
        assert resource["hash"] == "sha256:" + hashlib.sha256(contents[path]).hexdigest()
        assert resource["bytes"] == len(contents[path])
    # the WARC inside is the one exported as WARC, record for record
    inside = exported / "inside.warc.gz"
    inside.write_bytes(contents["archive/data.warc.gz"])
    assert [r["sha256"] for r in records(inside)][1:] == [
        r["sha256"] for r in records(exported / "sample.warc.gz")
    ][1:]


def test_the_index_finds_the_syndication_answer_and_the_article(exported):
    with zipfile.ZipFile(exported / "sample.wacz") as package:
        lines = package.read("indexes/index.cdx").decode().splitlines()
        warc = package.read("archive/data.warc.gz")
    entries = [json.loads(line.split(" ", 2)[2]) for line in lines]
    assert lines == sorted(lines)

    def payload_at(entry):
        member = warc[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
        record = next(ArchiveIterator(io.BytesIO(member)))
        return record.content_stream().read()

    syndication = [
        e for e in entries if e["url"] == VINDMAN_SYNDICATION and e.get("status") == "200"
    ]
    assert len(syndication) == 1
    assert payload_at(syndication[0]) == recorded(VINDMAN_SYNDICATION)
    article = [e for e in entries if e["url"] == SAMPLE_ARTICLE.resolve().as_uri()]
    assert [payload_at(e) for e in article] == [SAMPLE_ARTICLE.read_bytes()]


def test_pages_list_the_article_and_the_five_posts(exported):
    with zipfile.ZipFile(exported / "sample.wacz") as package:
        lines = package.read("pages/pages.jsonl").decode().splitlines()
    header, *pages = map(json.loads, lines)
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    assert pages[0]["url"] == SAMPLE_ARTICLE.resolve().as_uri()
    posts = pages[1:]
    assert len(posts) == 5
    assert {p["post_url"].split("/")[3] for p in posts} == {
        "ChristopherJM",
        "SaoSasha",
        "BNONews",
        "YVindman",
        "France24_en",
    }
    vindman = next(p for p in posts if p["post"] == f"twitter:{VINDMAN_ID}")
    assert vindman["url"] == VINDMAN_SYNDICATION
    assert vindman["title"].startswith("@YVindman: I’m in awe of this man.")


def test_a_tampered_byte_in_the_exported_warc_fails_the_check(exported, tmp_path):
    original = (exported / "sample.warc.gz").read_bytes()
    members = []
    with io.BytesIO(original) as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            record.content_stream().read()
            members.append(
                (iterator.get_record_offset(), iterator.get_record_length(), record.rec_type)
            )
    offset, length, _ = next(m for m in members if m[2] == "resource")
    member = gzip.decompress(original[offset : offset + length])
    at = member.index(b"Zelensky")
    tampered_member = member[:at] + b"Z" + b"E" + member[at + 2 :]
    tampered = tmp_path / "tampered.warc.gz"
    tampered.write_bytes(
        original[:offset] + gzip.compress(tampered_member) + original[offset + length :]
    )

    check = subprocess.run([BIN / "warcio", "check", tampered], capture_output=True, text=True)
    assert check.returncode != 0
    assert "digest failed" in check.stdout + check.stderr


def test_exporting_twice_gives_the_same_records_and_the_same_index(
    archived_sample, tmp_path, monkeypatch
):
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        assert run_export(archived_sample, "archive.wacz").exit_code == 0
    packages = [zipfile.ZipFile(tmp_path / n / "archive.wacz") for n in ("first", "second")]
    first, second = (p.read("archive/data.warc.gz") for p in packages)
    assert packages[0].read("indexes/index.cdx") == packages[1].read("indexes/index.cdx")
    # every record but the warcinfo (which holds the export's time), headers and payload
    one, two = (records(io.BytesIO(data)) for data in (first, second))
    assert len(one) > 30
    assert [(r["headers"], r["payload"]) for r in one[1:]] == [
        (r["headers"], r["payload"]) for r in two[1:]
    ]


def test_a_recheck_that_found_the_same_bytes_is_a_revisit(archived_sample, tmp_path):
    db_path = copy_archive(archived_sample, tmp_path / "archive.db")
    with ReplayServer(RECORDINGS) as server:
        summary = recheck_at(db_path, "2024-03-09T12:00:00.000Z", server.url)
    assert summary.ok, summary
    out = tmp_path / "rechecked.warc.gz"
    assert run_export(db_path, out).exit_code == 0
    check = subprocess.run([BIN / "warcio", "check", out], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout

    found = records(out)
    by_id = {r["headers"]["WARC-Record-ID"]: r for r in found}
    revisits = [
        r
        for r in found
        if r["type"] == "revisit" and r["headers"]["WARC-Target-URI"] == VINDMAN_SYNDICATION
    ]
    assert len(revisits) == 1
    revisit = revisits[0]["headers"]
    assert revisit["WARC-Date"] == "2024-03-09T12:00:00.000Z"
    assert revisit["WARC-Profile"] == (
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    )
    original = by_id[revisit["WARC-Refers-To"]]
    assert original["type"] == "response"
    assert (
        original["headers"]["WARC-Date"]
        == revisit["WARC-Refers-To-Date"]
        == ("2024-03-01T12:00:00.000Z")
    )
    assert revisit["WARC-Payload-Digest"] == original["headers"]["WARC-Payload-Digest"]
    assert revisits[0]["payload"] == b""  # the bytes are not written twice

    since = tmp_path / "since.warc.gz"
    assert run_export(db_path, since, "--since", "2024-03-05").exit_code == 0
    later = records(since)
    dates = {r["headers"]["WARC-Date"] for r in later if r["type"] != "warcinfo"}
    assert dates == {"2024-03-09T12:00:00.000Z"}
    resources = [r["headers"]["WARC-Target-URI"] for r in later if r["type"] == "resource"]
    assert [uri.split(":")[0] for uri in resources] == ["urn"]  # the recheck's manifest alone


def test_one_article_exports_its_own_posts_only(archived_sample_db, tmp_path):
    out = tmp_path / "blog.wacz"
    result = run_export(archived_sample_db, out, LIVE_BLOG_URL)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        pages = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()[1:]]
    assert pages[0]["url"] == LIVE_BLOG_URL
    handles = {p["post_url"].split("/")[3] for p in pages[1:]}
    assert "YVindman" not in handles and "BNONews" in handles


def test_a_blob_changed_in_the_database_is_exported_as_it_is_and_named(archived_sample, tmp_path):
    db_path = copy_archive(archived_sample, tmp_path / "archive.db")
    body = recorded(VINDMAN_SYNDICATION)
    key = hashlib.sha256(body).hexdigest()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE blobs SET content = ? WHERE sha256 = ?", [body.replace(b"awe", b"AWE"), key]
        )
    out = tmp_path / "out.warc.gz"
    result = run_export(db_path, out)
    assert result.exit_code == 1
    assert f"blob {key}: its bytes hash to sha256:" in result.stderr
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "is not a date"),
        (["https://nowhere.example/never-archived"], "no archived article"),
        (["--format", "tar"], "Invalid value"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(archived_sample, tmp_path, args, message):
    out = tmp_path / "out.wacz"
    result = run_export(archived_sample, out, *args)
    assert result.exit_code == 2
    assert message in result.output + result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_out_name_without_a_known_extension_asks_for_the_format(archived_sample, tmp_path):
    result = run_export(archived_sample, tmp_path / "evidence.zip")
    assert result.exit_code == 2
    assert "give --format wacz or warc" in result.stderr
    assert run_export(archived_sample, tmp_path / "evidence.zip", "--format", "wacz").exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "evidence.zip")


def test_a_missing_database_is_a_usage_error(tmp_path):
    result = run_export(tmp_path / "none.db", tmp_path / "out.wacz")
    assert result.exit_code == 2
    assert not (tmp_path / "none.db").exists()


def test_since_accepts_a_time_with_an_offset(archived_sample, tmp_path):
    out = tmp_path / "x.warc.gz"
    moment = dt.datetime(2024, 3, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))).isoformat()
    assert run_export(archived_sample, out, "--since", moment).exit_code == 0
    types = {r["type"] for r in records(out)}
    assert types >= {"response", "metadata"}  # 13:00+01:00 is 12:00Z, the run's own time


def test_run_manifests_and_time_stamps_travel_as_resources_openssl_verifies(tmp_path):
    from tsa_samples import TSA_HOST, TSA_URL, TestTsa, openssl_verify

    tsa = TestTsa(tmp_path / "tsa")
    db_path = tmp_path / "archive.db"
    with ReplayServer(RECORDINGS) as server:
        server.respond(TSA_HOST, tsa.respond)
        with open_archive(db_path, clock=Clock("2024-03-01T12:00:00.000Z")) as archive:
            summary = archive_job.archive(
                archive,
                archive_job.ArchiveRequest(inputs=(str(SAMPLE_ARTICLE),), tsas=(TSA_URL,)),
                command_line=["archive"],
                config=fast_config(server.url),
            )
    assert summary.ok, summary
    out = tmp_path / "stamped.warc.gz"
    assert run_export(db_path, out).exit_code == 0

    found = records(out)
    resources = {r["headers"]["Content-Type"]: r for r in found if r["type"] == "resource"}
    manifest = resources["application/json"]
    reply = resources["application/timestamp-reply"]
    assert manifest["headers"]["WARC-Target-URI"] == f"urn:sha256:{manifest['sha256']}"
    about = next(
        json.loads(r["payload"])
        for r in found
        if r["type"] == "metadata"
        and r["headers"].get("WARC-Refers-To") == reply["headers"]["WARC-Record-ID"]
    )
    assert about["tsa_url"] == TSA_URL and about["status"] == "granted"
    assert about["manifest"] == manifest["headers"]["WARC-Target-URI"]

    # checked as a third party would, with the bytes taken from the WARC alone
    (tmp_path / "manifest.json").write_bytes(manifest["payload"])
    (tmp_path / "reply.tsr").write_bytes(reply["payload"])
    checked = openssl_verify(tmp_path / "reply.tsr", tsa, data=tmp_path / "manifest.json")
    assert "Verification: OK" in checked.stdout, checked.stdout + checked.stderr
