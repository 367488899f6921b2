"""An exported WACZ replayed offline in pywb, the Wayback Machine software others run.

The test builds a pywb collection with ``wb-manager`` from the WACZ that `archiver export`
wrote, serves it with ``wayback`` on 127.0.0.1, and asks for archived URLs as of their capture
time with the ``id_`` modifier (the bytes as archived, unrewritten). Expected bytes come from
the demo recordings, not from the export.
"""

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cron_samples import RECORDINGS, T0, recorded, sample_post_id
from typer.testing import CliRunner

from archiver.cli import app
from archiver.fetch.twitter import syndication_url

BIN = Path(sys.executable).parent
CAPTURE_TIME = T0[:19].replace("-", "").replace(":", "").replace("T", "")  # 20240301120000
PHOTO_URL = "https://pbs.twimg.com/media/6zMD2jU7A0tEVTx?format=png&name=orig"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _recorded_file(url: str) -> bytes:
    for path in RECORDINGS.glob("*.json"):
        for exchange in json.loads(path.read_text(encoding="utf-8"))["exchanges"]:
            if exchange["request"]["url"] == url:
                return (RECORDINGS / exchange["response"]["body_file"]).read_bytes()
    raise AssertionError(f"no recording of {url}")


@pytest.fixture(scope="module")
def pywb(archived_sample, tmp_path_factory):
    """pywb serving the sample's WACZ; yields its base URL for the collection."""
    root = tmp_path_factory.mktemp("pywb")
    wacz = root / "sample.wacz"
    result = CliRunner().invoke(app, ["export", "--db", str(archived_sample), "--out", str(wacz)])
    assert result.exit_code == 0, result.output
    for command in (["init", "evidence"], ["add", "--unpack-wacz", "evidence", str(wacz)]):
        subprocess.run([BIN / "wb-manager", *command], cwd=root, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [BIN / "wayback", "--port", str(port), "--bind", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/evidence"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("pywb did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_pywb_replays_a_posts_syndication_answer_byte_for_byte(pywb):
    url = syndication_url(sample_post_id("YVindman"))
    answer = httpx.get(f"{pywb}/{CAPTURE_TIME}id_/{url}", timeout=30)
    assert answer.status_code == 200
    assert answer.content == recorded(url)
    assert answer.headers["memento-datetime"] == "Fri, 01 Mar 2024 12:00:00 GMT"


def test_pywb_replays_the_posts_picture(pywb):
    answer = httpx.get(f"{pywb}/{CAPTURE_TIME}id_/{PHOTO_URL}", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/png"
    assert answer.content == _recorded_file(PHOTO_URL)
    assert answer.content.startswith(b"\x89PNG")


def test_pywb_follows_the_shortlink_hop_as_archived(pywb):
    answer = httpx.get(f"{pywb}/{CAPTURE_TIME}id_/https://t.co/ok6JOXl4KA", timeout=30)
    assert answer.status_code in (301, 302)
    # id_ serves the answer as archived: the Location is the one t.co sent, not rewritten
    assert answer.headers["location"] == (
        f"https://twitter.com/YVindman/status/{sample_post_id('YVindman')}/photo/1"
    )
