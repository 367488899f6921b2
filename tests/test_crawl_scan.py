"""`archiver scan` over WARC files: rows with provenance, the same on one process, a local Dask
cluster and a running one; bad files reported and the rest kept; JSON Lines and Parquet alike."""

import base64
import gzip
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crawl_samples import MILLER, SAMPLE_ARTICLE, VINDMAN, write_crawl
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archiver.cli import app
from archiver.crawl import COLUMNS, read_rows, scan_crawl
from archiver.crawl.tasks import manifest_sources
from archiver.scan import scan_bytes

DASK = Path(sys.executable).with_name("dask")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    return write_crawl(tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="module")
def files(crawl):
    return [str(crawl[name]) for name in ("news", "more", "truncated", "not_warc")]


@pytest.fixture(scope="module")
def one_process(files):
    """The rows and stderr of a scan on one process, the reference for every other way."""
    result = scan(*files)
    assert result.exit_code == 1, result.output
    return rows_of(result.stdout), result.stderr


@pytest.fixture(scope="module")
def dask_cluster():
    """A `dask scheduler` and two `dask worker` processes on 127.0.0.1, free ports, torn down."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = ["--no-dashboard"]
    processes = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        wait_for_port(port)
        processes += [
            subprocess.Popen(
                [DASK, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", *common],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        from dask.distributed import Client

        with Client(address) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def scan(*args, env=None):
    return CliRunner().invoke(app, ["scan", *args], env=env)


def rows_of(jsonl):
    return [json.loads(line) for line in jsonl.splitlines()]


def test_each_embed_of_each_html_or_text_record_with_its_provenance(one_process, crawl):
    rows, _ = one_process
    assert [list(row) for row in rows] == [list(COLUMNS)] * len(rows)
    found = [
        (Path(r["source"]).name, r["warc_target_uri"], r["ordinal"], r["handle"], r["status_id"])
        for r in rows
    ]
    kyiv = [
        ("news.warc.gz", "https://news.example/kyiv", n, handle, None)
        for n, handle in enumerate(
            ["ChristopherJM", "SaoSasha", "BNONews", "YVindman", "France24_en"]
        )
    ]
    assert found == [
        *kyiv,
        ("news.warc.gz", "https://news.example/miller", 0, MILLER[0], MILLER[2]),
        ("news.warc.gz", "https://news.example/miller", 1, VINDMAN[0], VINDMAN[2]),
        ("more.warc", "https://other.example/vindman", 0, VINDMAN[0], VINDMAN[2]),
        # the truncated file's first page is kept; its last, cut short, is a failure
        ("truncated.warc.gz", "https://cut.example/miller", 0, MILLER[0], MILLER[2]),
    ]
    assert {r["source"] for r in rows} == {
        str(crawl[name].resolve()) for name in ("news", "more", "truncated")
    }
    # the sample article's embeds, as `archiver scan` finds them in the file itself
    sample = scan_bytes(SAMPLE_ARTICLE.read_bytes(), content_type="text/plain; charset=utf-8")
    assert [{k: r[k] for k in sample.embeds[0].to_dict()} for r in rows[:5]] == [
        e.to_dict() for e in sample.embeds
    ]


def test_the_provenance_leads_back_to_the_very_record(one_process):
    rows, _ = one_process
    for row in rows:
        with open(row["source"], "rb") as handle:
            handle.seek(row["warc_offset"])
            data = handle.read(row["warc_length"])
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        headers = record.rec_headers
        assert headers.get_header("WARC-Record-ID") == row["warc_record_id"]
        assert headers.get_header("WARC-Target-URI") == row["warc_target_uri"]
        assert headers.get_header("WARC-Date") == row["warc_date"]
        assert headers.get_header("WARC-Payload-Digest") == row["warc_payload_digest"]
        assert row["warc_payload_digest"].startswith("sha1:")
        assert record.http_headers.get_header("Content-Type") == row["content_type"]
        payload = record.content_stream().read()
        embeds = scan_bytes(payload, content_type=row["content_type"]).embeds
        assert embeds[row["ordinal"]].to_dict() == {k: row[k] for k in embeds[0].to_dict()}


def test_bad_files_are_reported_with_their_reason_and_the_rest_kept(one_process, crawl):
    _, stderr = one_process
    truncated, not_warc = crawl["truncated"].resolve(), crawl["not_warc"].resolve()
    with truncated.open("rb") as handle:
        records = ArchiveIterator(handle)
        last = max(records.offset for record in records if record.rec_type == "response")
    cut = re.fullmatch(r"(.*) (\d+) bytes missing", stderr.splitlines()[0])
    assert cut and cut[1] == f"archiver scan: {truncated} at offset {last}: truncated:"
    assert stderr.splitlines()[1:] == [
        f"archiver scan: {not_warc}: not a WARC file (no WARC header)"
    ]


def test_a_manifest_lists_the_same_files(one_process, crawl):
    result = scan(f"@{crawl['manifest']}")
    assert result.exit_code == 1
    assert (rows_of(result.stdout), result.stderr) == one_process


def test_byte_ranges_of_a_gzipped_warc_share_out_its_records_exactly_once(crawl):
    whole = [r for result in scan_crawl([str(crawl["news"])]) for r in result.rows]
    for split in (97, 500, 1377, 2000):
        results = list(scan_crawl([str(crawl["news"])], split_bytes=split))
        assert len(results) == -(-crawl["news"].stat().st_size // split)
        assert [r for result in results for r in result.rows] == whole
        assert not [f for result in results for f in result.failures]


def test_a_local_cluster_of_two_workers_finds_the_same(one_process, files):
    result = scan("--workers", "2", *files)
    assert result.exit_code == 1, result.output
    assert (rows_of(result.stdout), result.stderr) == one_process


def test_a_running_cluster_finds_the_same(one_process, files, dask_cluster):
    result = scan("--scheduler", dask_cluster, *files)
    assert result.exit_code == 1, result.output
    assert (rows_of(result.stdout), result.stderr) == one_process


def test_the_scheduler_comes_from_the_environment_too(one_process, files, dask_cluster, tmp_path):
    out = tmp_path / "rows.parquet"
    result = scan("--out", str(out), *files, env={"DASK_SCHEDULER_ADDRESS": dask_cluster})
    assert result.exit_code == 1, result.output
    # each worker wrote the parts of its tasks, one part per task
    assert sorted(p.name for p in out.iterdir()) == [f"part-0000{n}.parquet" for n in range(4)]
    assert list(read_rows(out)) == one_process[0]


def test_parquet_and_jsonl_carry_the_same_rows(one_process, files, tmp_path):
    jsonl, parquet = tmp_path / "rows.jsonl", tmp_path / "rows.parquet"
    assert scan("--out", str(jsonl), *files).exit_code == 1
    assert scan("--out", str(parquet), *files).exit_code == 1
    assert rows_of(jsonl.read_text(encoding="utf-8")) == one_process[0]
    assert list(read_rows(jsonl)) == list(read_rows(parquet)) == one_process[0]


def test_parquet_goes_to_a_new_folder(files, tmp_path):
    (tmp_path / "rows.parquet").mkdir()
    (tmp_path / "rows.parquet" / "part-00000.parquet").write_bytes(b"old")
    result = scan("--out", str(tmp_path / "rows.parquet"), *files)
    assert result.exit_code == 2
    assert "exists; give a new folder" in result.stderr


def test_one_article_prints_as_before_and_a_table_is_for_one_article(crawl):
    alone = scan(str(SAMPLE_ARTICLE))
    assert [list(json.loads(line)) for line in alone.stdout.splitlines()] == [
        list(e.to_dict()) for e in scan_bytes(SAMPLE_ARTICLE.read_bytes()).embeds
    ]
    result = scan("--format", "table", str(crawl["news"]))
    assert result.exit_code == 2
    assert "--format table is for one article" in result.stderr


def test_a_scan_on_one_process_loads_neither_dask_nor_pyarrow(crawl):
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "archiver", "scan", str(crawl["news"])],
        capture_output=True,
        text=True,
        env={**os.environ, "DASK_SCHEDULER_ADDRESS": ""},
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "archiver.crawl.tasks" in imported
    assert not {
        name for name in imported if name.split(".")[0] in ("dask", "distributed", "pyarrow")
    }
    assert len(done.stdout.splitlines()) == 7


def test_a_warc_on_the_web_is_scanned_from_its_url(crawl, replay_server, tmp_path):
    url = "https://data.example/crawl-data/CC-NEWS/news.warc.gz"
    replay_server.add(
        {
            "request": {"method": "GET", "url": url},
            "response": {
                "status": 200,
                "headers": [["content-type", "application/octet-stream"]],
                "body_base64": base64.b64encode(crawl["news"].read_bytes()).decode(),
            },
        }
    )
    manifest = tmp_path / "paths.txt"
    manifest.write_text(f"{url}\n", encoding="utf-8")
    local = rows_of(scan(str(crawl["news"])).stdout)
    result = scan(f"@{manifest}", env={"ARCHIVER_REROUTE": replay_server.url})
    assert result.exit_code == 0, result.output
    assert rows_of(result.stdout) == [{**row, "source": url} for row in local]


def test_a_manifest_of_common_crawl_paths_names_its_bucket(tmp_path):
    manifest = tmp_path / "warc.paths.gz"
    manifest.write_bytes(
        gzip.compress(b"crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101000000-00000.warc.gz\n")
    )
    (tmp_path / "local.warc.gz").write_bytes(b"")
    assert list(manifest_sources(manifest)) == [
        "https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101000000-00000.warc.gz"
    ]
    listing = tmp_path / "paths.txt"
    listing.write_text("local.warc.gz\n# a comment\n\n/abs/x.warc\n", encoding="utf-8")
    assert list(manifest_sources(listing)) == [str(tmp_path / "local.warc.gz"), "/abs/x.warc"]


def test_a_scheduler_that_does_not_answer_is_a_usage_error(files):
    result = scan("--scheduler", f"tcp://127.0.0.1:{free_port()}", *files)
    assert result.exit_code == 2
    assert result.stderr.startswith("archiver scan: no Dask scheduler answers at tcp://127.0.0.1:")


def test_the_dashboard_address_is_handed_over(crawl):
    links = []
    results = list(scan_crawl([str(crawl["more"])], workers=1, on_dashboard=links.append))
    assert [len(result.rows) for result in results] == [1]
    assert len(links) == 1 and links[0].startswith("http://127.0.0.1:")


def test_articles_are_read_from_paths_only(crawl):
    result = scan("https://news.example/article.html", str(crawl["more"]))
    assert result.exit_code == 1
    assert result.stderr == (
        "archiver scan: https://news.example/article.html: only WARC files (.warc, .warc.gz) are"
        " read from URLs\n"
    )


def test_the_last_byte_range_notices_a_file_cut_short(crawl, one_process):
    truncated = str(crawl["truncated"])
    results = list(scan_crawl([truncated], split_bytes=600))
    assert [r for result in results for r in result.rows] == [
        row for row in one_process[0] if row["source"] == str(crawl["truncated"].resolve())
    ]
    [failure] = [f for result in results for f in result.failures]
    assert failure.reason.startswith("truncated:")


def test_rows_that_cannot_be_written_are_a_usage_error(files, tmp_path):
    result = scan("--out", str(tmp_path / "missing" / "rows.jsonl"), *files)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"archiver scan: {tmp_path / 'missing' / 'rows.jsonl'}: cannot write it"
    )
