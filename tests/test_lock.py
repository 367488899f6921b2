"""Two runs never write at once."""

import os
import subprocess
import sys
import textwrap

import pytest

from archiver.errors import LockHeld
from archiver.jobs.lock import lock_path_for, run_lock


def hold_lock_in_child(db_path):
    """A real second process that takes the lock, says so, and waits for its stdin to close."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from archiver.jobs.lock import run_lock
        with run_lock(Path({str(db_path)!r})):
            print("held", flush=True)
            sys.stdin.read()
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_second_holder_is_refused_with_the_holders_pid(tmp_path):
    db = tmp_path / "archive.db"
    child = hold_lock_in_child(db)
    try:
        with pytest.raises(LockHeld, match=f"pid {child.pid}"), run_lock(db):
            pass
    finally:
        child.stdin.close()
        child.wait()
    with run_lock(db):  # free again once the child let go
        assert lock_path_for(db).read_text() == str(os.getpid())


def test_waiting_polls_until_the_deadline(tmp_path):
    db = tmp_path / "archive.db"
    child = hold_lock_in_child(db)
    now = [0.0]
    sleeps = []

    def fake_sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    try:
        with (
            pytest.raises(LockHeld),
            run_lock(
                db, wait_seconds=1.0, poll_seconds=0.25, sleep=fake_sleep, clock=lambda: now[0]
            ),
        ):
            pass
    finally:
        child.stdin.close()
        child.wait()
    assert sleeps == [0.25, 0.25, 0.25, 0.25]


def test_a_killed_holder_releases_the_lock(tmp_path):
    db = tmp_path / "archive.db"
    child = hold_lock_in_child(db)
    child.kill()
    child.wait()
    with run_lock(db):
        pass
