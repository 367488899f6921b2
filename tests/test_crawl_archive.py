"""`archiver archive --embeds`: the records a crawl scan lists, archived with their WARC provenance
(the bytes read again from each record), then their posts fetched through the replay server."""

import hashlib
import http.server
import json
import re
import sqlite3
import threading

import pytest
from crawl_samples import MILLER, VINDMAN, write_crawl
from cron_samples import Clock, fast_config
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archiver.cli import app
from archiver.jobs import archive as archive_job
from archiver.store import open_archive

T0 = "2024-03-01T12:00:00.000Z"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    return write_crawl(tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="module")
def listings(crawl, tmp_path_factory):
    """The scan of the crawl's good files, as JSON Lines and as Parquet."""
    folder = tmp_path_factory.mktemp("scans")
    good = [str(crawl["news"]), str(crawl["more"])]
    for name in ("rows.jsonl", "rows.parquet"):
        result = CliRunner().invoke(app, ["scan", "--out", str(folder / name), *good])
        assert result.exit_code == 0, result.output
    return folder / "rows.jsonl", folder / "rows.parquet"


def archive_listing(db_path, listing, replay_url):
    with open_archive(db_path, clock=Clock(T0)) as archive:
        return archive_job.archive(
            archive,
            archive_job.ArchiveRequest(embeds=(str(listing),)),
            command_line=["archive", "--embeds", str(listing)],
            config=fast_config(replay_url),
        )


def rows(db_path, sql):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def payload_at(path, offset):
    with open(path, "rb") as handle:
        handle.seek(offset)
        return next(iter(ArchiveIterator(handle))).content_stream().read()


def scanned_records(listing):
    records = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        records[row["warc_target_uri"]] = row
    return records


def test_each_listed_record_is_an_article_with_its_warc_provenance(listings, replay, tmp_path):
    jsonl, _ = listings
    db_path = tmp_path / "archive.db"
    summary = archive_listing(db_path, jsonl, replay.url)
    assert summary.ok, summary.failures
    listed = scanned_records(jsonl)
    stored = rows(
        db_path,
        "SELECT a.url, v.provenance, v.sha256, v.content_type, b.content FROM articles a"
        " JOIN article_versions v ON v.id = a.current_version_id JOIN blobs b ON b.sha256 = v.sha256"
        " ORDER BY a.id",
    )
    assert [url for url, *_ in stored] == [
        "https://news.example/kyiv",
        "https://news.example/miller",
        "https://other.example/vindman",
    ]
    for url, provenance, sha256, content_type, content in stored:
        row = listed[url]
        assert json.loads(provenance) == {
            "warc_file": row["source"],
            "warc_offset": row["warc_offset"],
            "warc_length": row["warc_length"],
            "warc_record_id": row["warc_record_id"],
            "warc_date": row["warc_date"],
            "warc_target_uri": url,
            "warc_payload_digest": row["warc_payload_digest"],
            "http_status": "200",
        }
        assert content_type == row["content_type"]
        # the article's bytes are the record's payload, read at its offset
        assert content == payload_at(row["source"], row["warc_offset"])
        assert sha256 == hashlib.sha256(content).hexdigest()


def test_the_posts_are_fetched_as_usual(listings, replay, tmp_path):
    jsonl, _ = listings
    db_path = tmp_path / "archive.db"
    summary = archive_listing(db_path, jsonl, replay.url)
    assert summary.counts["embeds_found"] == 8
    assert summary.counts["posts_fetched"] == 5
    # the sample's five posts, two of which the other pages quote as well
    assert rows(db_path, "SELECT key, state FROM posts ORDER BY key") == [
        (f"twitter:{MILLER[2]}", "live"),
        ("twitter:1497334049888075103", "live"),
        ("twitter:1497398950645980550", "live"),
        (f"twitter:{VINDMAN[2]}", "live"),
        ("twitter:1497503516032985169", "live"),
    ]
    # each post answered by its two witnesses; the hops that resolved the sample's pic links
    assert rows(db_path, "SELECT source, count(*) FROM snapshots GROUP BY source ORDER BY 1") == [
        ("oembed", 5),
        ("resolution", 10),
        ("syndication", 5),
    ]
    assert rows(db_path, "SELECT count(*) FROM embeds WHERE post_key IS NULL") == [(0,)]


def test_parquet_lists_the_same_articles(listings, replay, tmp_path):
    jsonl, parquet = listings
    stored = []
    for listing in (jsonl, parquet):
        db_path = tmp_path / f"{listing.name}.db"
        assert archive_listing(db_path, listing, replay.url).ok
        stored.append(
            rows(
                db_path,
                "SELECT a.url, v.provenance, v.sha256 FROM articles a"
                " JOIN article_versions v ON v.article_id = a.id ORDER BY a.id",
            )
        )
    assert stored[0] == stored[1]


def test_a_record_that_is_not_the_one_listed_fails_alone(listings, replay, tmp_path):
    jsonl, _ = listings
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    tampered = [
        json.dumps({**json.loads(line), "warc_record_id": "<urn:uuid:elsewhere>"})
        if json.loads(line)["warc_offset"] == first["warc_offset"]
        else line
        for line in lines
    ]
    listing = tmp_path / "tampered.jsonl"
    listing.write_text("\n".join(tampered) + "\n", encoding="utf-8")
    db_path = tmp_path / "archive.db"
    summary = archive_listing(db_path, listing, replay.url)
    assert [(f.stage, f.item, f.reason) for f in summary.failures] == [
        (
            "read",
            str(listing),
            f"{first['source']} at offset {first['warc_offset']}: the record there is "
            f"{first['warc_record_id']}, not <urn:uuid:elsewhere>",
        )
    ]
    assert [url for (url,) in rows(db_path, "SELECT url FROM articles ORDER BY id")] == [
        "https://news.example/miller",
        "https://other.example/vindman",
    ]


def test_the_command_line_takes_embeds(listings, tmp_path):
    _, parquet = listings
    db_path = tmp_path / "archive.db"
    result = CliRunner().invoke(
        app, ["archive", "--db", str(db_path), "--embeds", str(parquet), "--no-fetch"]
    )
    assert result.exit_code == 0, result.output
    assert "3 articles (3 new, 0 changed, 0 unchanged), 8 embeds found" in result.stdout
    assert len(rows(db_path, "SELECT provenance FROM article_versions")) == 3


def test_an_unreadable_listing_is_a_failure_of_the_run(tmp_path, replay):
    listing = tmp_path / "rows.jsonl"
    listing.write_text("not json\n", encoding="utf-8")
    summary = archive_listing(tmp_path / "archive.db", listing, replay.url)
    assert [(f.stage, f.reason) for f in summary.failures] == [
        ("read", f"{listing}, line 1: not JSON (Expecting value: line 1 column 1 (char 0))")
    ]


class RangeServer(http.server.ThreadingHTTPServer):
    """Files of one folder at http://127.0.0.1:PORT/data.example/NAME in the reroute layout,
    answering Range requests as Common Crawl's server does; every Range asked is kept."""

    def __init__(self, folder):
        self.folder = folder
        self.ranges = []
        super().__init__(("127.0.0.1", 0), RangeHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class RangeHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/__replay__/dns"):
            # a public address: the client refuses to reach private ones
            return self.answer(200, b'["93.184.215.14"]', "application/json")
        data = (self.server.folder / self.path.rsplit("/", 1)[-1]).read_bytes()
        wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range") or "")
        if wanted is None:
            return self.answer(200, data)
        self.server.ranges.append(self.headers["Range"])
        start, end = int(wanted[1]), int(wanted[2])
        return self.answer(
            206, data[start : end + 1], extra={"Content-Range": f"bytes {start}-{end}/{len(data)}"}
        )

    def answer(self, status, body, content_type="application/octet-stream", extra=None):
        self.send_response(status)
        for name, value in {"Content-Type": content_type, **(extra or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_warc_on_the_web_is_read_again_by_range_requests(crawl, tmp_path):
    server = RangeServer(crawl["news"].parent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = "https://data.example/crawl-data/news.warc.gz"
        listing = tmp_path / "rows.jsonl"
        scanned = CliRunner().invoke(
            app, ["scan", "--out", str(listing), url], env={"ARCHIVER_REROUTE": server.url}
        )
        assert scanned.exit_code == 0, scanned.output
        rows_listed = [
            json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines()
        ]
        db_path = tmp_path / "archive.db"
        with open_archive(db_path, clock=Clock(T0)) as archive:
            summary = archive_job.archive(
                archive,
                archive_job.ArchiveRequest(embeds=(str(listing),), fetch=False),
                command_line=["archive"],
                config=fast_config(server.url),
            )
    finally:
        server.shutdown()
        server.server_close()
    assert summary.ok, summary.failures
    records = {(r["warc_offset"], r["warc_length"]) for r in rows_listed}
    assert sorted(server.ranges) == sorted(f"bytes={o}-{o + n - 1}" for o, n in records)
    stored = rows(db_path, "SELECT v.provenance FROM article_versions v ORDER BY v.id")
    assert [(json.loads(p)["warc_file"], json.loads(p)["warc_offset"]) for (p,) in stored] == [
        (url, offset) for offset, _ in sorted(records)
    ]
