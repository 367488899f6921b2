"""`archiver replay DIR`: the replay server from the command line."""

import json
import signal
import subprocess
import sys
import urllib.request

import pytest
from typer.testing import CliRunner

from archiver.cli import app
from archiver.evidence.demo_tsa import HOST, LABEL
from archiver.evidence.tsa import build_query, load_roots, verify_reply


@pytest.mark.parametrize(
    ("stop_signal", "started_ignoring_sigint"),
    [
        (signal.SIGINT, False),  # Ctrl-C at a terminal
        (signal.SIGINT, True),  # a job a script put in the background inherits SIGINT ignored
        (signal.SIGTERM, False),  # how scripts (make demo) stop it
    ],
)
def test_replay_prints_its_url_serves_the_recordings_and_stops_on_a_signal(
    tmp_path, stop_signal, started_ignoring_sigint
):
    exchange = {
        "request": {
            "url": "https://cdn.syndication.twimg.com/tweet-result?id=20&token=6dq1a2xwd93"
        },
        "response": {
            "status": 200,
            "headers": [["content-type", "application/json"]],
            "body": "{}",
        },
    }
    (tmp_path / "posts.json").write_text(json.dumps({"exchanges": [exchange]}), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "archiver", "replay", "--latency-ms", "5", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint if started_ignoring_sigint else None,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        path = "/cdn.syndication.twimg.com/tweet-result?token=6dq1a2xwd93&id=20"
        with urllib.request.urlopen(url + path, timeout=10) as response:
            assert (response.status, response.read()) == (200, b"{}")
    finally:
        process.send_signal(stop_signal)
        try:
            _, stderr = process.communicate(timeout=20)
        finally:
            process.kill()  # never left serving after the test, whatever happened
    assert process.returncode == 0
    assert f"ARCHIVER_REROUTE={url}" in stderr


def test_replay_of_a_missing_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["replay", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "recordings directory not found" in result.output


def test_replay_of_a_broken_recording_names_the_file(tmp_path):
    (tmp_path / "broken.json").write_text('{"exchanges": [', encoding="utf-8")
    result = CliRunner().invoke(app, ["replay", str(tmp_path)])
    assert result.exit_code == 2
    assert "broken.json: not a readable JSON recording" in result.output


def test_replay_refuses_a_negative_latency(tmp_path):
    result = CliRunner().invoke(app, ["replay", "--latency-ms", "-1", str(tmp_path)])
    assert result.exit_code == 2


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_replay_with_a_demo_tsa_answers_queries_and_writes_its_root_labelled(tmp_path):
    root = tmp_path / "demo-root.pem"
    process = subprocess.Popen(
        [sys.executable, "-m", "archiver", "replay", "--demo-tsa", str(root), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        query = build_query(b"a manifest")
        request = urllib.request.Request(
            f"{url}/{HOST}/",
            data=query.der,
            headers={"Content-Type": "application/timestamp-query"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = response.read()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=20)
        finally:
            process.kill()
    assert verify_reply(reply, sha256=query.sha256, roots=load_roots(root)).verified
    assert f"{LABEL}: http://{HOST}/" in stderr
