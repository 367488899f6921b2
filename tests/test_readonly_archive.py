"""An archive someone may read but not write: every reading command reads it and changes nothing.

As root every file is writable, so the commands then run as the user nobody (uid 65534), through
util-linux's setpriv.
"""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest
from archived_sample import serving
from conftest import SAMPLE_ARTICLE

AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
READER = AS_NOBODY if os.geteuid() == 0 else []
pytestmark = pytest.mark.skipif(
    bool(READER) and shutil.which("setpriv") is None, reason="root, and no setpriv to drop it"
)
VINDMAN = "twitter:1497424309257414584"


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*READER, sys.executable, "-m", "archiver", *args], capture_output=True, text=True
    )


@pytest.fixture
def folder():
    # Not under pytest's tmp_path: its parents are closed to other users.
    path = Path(tempfile.mkdtemp(prefix="archiver-readonly-"))
    path.chmod(0o777)
    yield path
    path.chmod(0o700)
    shutil.rmtree(path)


def copy_archive(source: Path, target: Path) -> Path:
    """A copy of ``source`` at ``target`` in WAL mode, checkpointed: no -wal or -shm beside it."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = wal")
    dst.close()
    target.chmod(0o644)
    return target


@pytest.fixture(params=["folder", "file"])
def readonly_archive(request, folder, archived_sample_db):
    """The sample archive in a folder no one may write, or as a file no one may write."""
    db_path = copy_archive(archived_sample_db, folder / "archive.db")
    db_path.chmod(0o444)
    if request.param == "folder":
        folder.chmod(0o555)
    before = sorted(folder.iterdir()), db_path.read_bytes()
    yield db_path
    assert db_path.read_bytes() == before[1]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o444
    folder.chmod(0o777)


@pytest.mark.parametrize(
    "args",
    [
        ["lookup", "@BNONews"],
        ["show", VINDMAN],
        ["verify", str(SAMPLE_ARTICLE)],
    ],
)
def test_reading_commands_read_an_archive_they_may_not_write(readonly_archive, args):
    result = reader(*args, "--db", str(readonly_archive))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "readonly" not in result.stdout


def test_db_check_of_an_archive_it_may_not_write_finds_no_problem(readonly_archive):
    result = reader("db", "check", "--db", str(readonly_archive))
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    assert "full-text" not in result.stdout.replace("full-text indexes were not checked", "")
    assert result.stdout.splitlines()[-1] == f"{readonly_archive}: no problems found"
    assert "read-only here" in result.stdout


def test_serve_shows_an_archive_it_may_not_write(readonly_archive):
    command = [*READER, sys.executable, "-m", "archiver", "serve", "--db", str(readonly_archive)]
    with serving([*command, "--port=0"]) as (url, _, _):
        posts = httpx.get(f"{url}{readonly_archive.stem}/posts.json?_shape=array").json()
        assert VINDMAN in [post["key"] for post in posts]
