"""Runs from cron: two at once, and runs killed with SIGKILL part-way (real subprocesses)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SAMPLE_ARTICLE

from archiver.jobs.lock import lock_path_for
from archiver.replay import ReplayServer

RECORDINGS = ROOT / "examples" / "replay"


def corpus(folder, articles=6):
    """Articles that quote the sample's five posts, each with bytes of its own."""
    folder.mkdir()
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    for n in range(articles):
        (folder / f"article-{n}.txt").write_text(f"Edition {n}.\n\n{text}", encoding="utf-8")
    return folder


def start_archive(db_path, inputs, reroute, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "archiver", "archive", "--db", str(db_path), *extra, str(inputs)],
        env={**os.environ, "ARCHIVER_REROUTE": reroute},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def cli(*args, reroute=""):
    return subprocess.run(
        [sys.executable, "-m", "archiver", *args],
        env={**os.environ, "ARCHIVER_REROUTE": reroute},
        capture_output=True,
        text=True,
        timeout=120,
    )


def archive_is_complete(db_path):
    with sqlite3.connect(db_path) as conn:
        return {
            "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            "unresolved embeds": conn.execute(
                "SELECT count(*) FROM embeds WHERE post_key IS NULL"
            ).fetchone()[0],
            "live posts": conn.execute(
                "SELECT count(*) FROM posts WHERE state = 'live'"
            ).fetchone()[0],
            "posts awaiting media": conn.execute(
                "SELECT count(*) FROM posts WHERE media_snapshot_id IS NOT NULL"
            ).fetchone()[0],
            "media stored": conn.execute(
                "SELECT count(DISTINCT url) FROM media WHERE sha256 IS NOT NULL"
            ).fetchone()[0],
        }


COMPLETE = {
    "articles": 6,
    "unresolved embeds": 0,
    "live posts": 5,
    "posts awaiting media": 0,
    "media stored": 9,
}


def test_a_second_run_exits_cleanly_or_waits_while_the_first_holds_the_lock(tmp_path):
    folder = corpus(tmp_path / "articles")
    db_path = tmp_path / "archive.db"
    with ReplayServer(RECORDINGS) as replay:
        # one answer is held until the faults are cleared (or the client's 30 s read timeout),
        # so the first run surely holds the lock while the others start, however loaded the machine
        replay.inject({"match": "https://t.co/ok6JOXl4KA", "delay_ms": 600_000, "times": 1})
        first = start_archive(db_path, folder, replay.url)
        wait_for(
            lambda: lock_path_for(db_path).exists() and lock_path_for(db_path).read_text(),
            "the lock",
        )

        impatient = cli("archive", "--db", str(db_path), str(folder), reroute=replay.url)
        assert impatient.returncode == 0
        assert impatient.stdout.strip() == (
            f"archiver: another archiver run holds the lock on {db_path} (pid {first.pid});"
            " not running this time"
        )
        patient = start_archive(db_path, folder, replay.url, "--wait", "120")
        replay.clear_faults()
        assert first.wait(timeout=120) == 0, first.stderr.read()
        assert patient.wait(timeout=120) == 0, patient.stderr.read()
        assert "6 unchanged" in patient.stdout.read()
    assert archive_is_complete(db_path) == COMPLETE


@pytest.mark.parametrize("after_requests", [0, 4, 12, 24])
def test_a_run_killed_part_way_leaves_a_clean_archive_that_the_next_run_completes(
    tmp_path, after_requests
):
    folder = corpus(tmp_path / "articles")
    db_path = tmp_path / "archive.db"
    with ReplayServer(RECORDINGS, latency_ms=100) as replay:
        run = start_archive(db_path, folder, replay.url)
        if after_requests == 0:
            # before any request: while the articles are being scanned and stored
            wait_for(
                lambda: lock_path_for(db_path).exists() and lock_path_for(db_path).read_text(),
                "the lock",
            )
        else:
            wait_for(
                lambda: replay.stats()["requests"] >= after_requests, f"{after_requests} requests"
            )
        run.send_signal(signal.SIGKILL)
        assert run.wait(timeout=30) == -signal.SIGKILL

        check = cli("db", "check", "--db", str(db_path))
        if check.returncode == 2 and after_requests == 0:
            # killed before the schema was committed (or before the file was made: the lock
            # comes first): not an archive yet, and db check, which may not create one, leaves
            # it for the next run to build
            if db_path.exists():
                assert "is not an archiver database" in check.stderr
            else:
                assert "no archive database at" in check.stderr
        else:
            assert check.returncode == 0, check.stdout + check.stderr
            assert check.stdout.strip() == f"{db_path}: no problems found"

        rerun = cli("archive", "--db", str(db_path), str(folder), reroute=replay.url)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert archive_is_complete(db_path) == COMPLETE
    assert cli("db", "check", "--db", str(db_path)).returncode == 0
