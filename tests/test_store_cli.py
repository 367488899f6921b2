"""`archiver lookup`, `archiver show` and `archiver db check` through the command line."""

import dataclasses
import json
import sqlite3
import subprocess
import sys

import pytest
from store_samples import SAMPLE_PATH, live_witness, sample_article, sample_post, scan_of, tco_hop
from typer.testing import CliRunner

from archiver.cli import app
from archiver.models import Resolution
from archiver.store import open_archive

runner = CliRunner()
POST = sample_post("ChristopherJM")


@pytest.fixture
def db(tmp_path):
    """An archive of the sample article with one post resolved and fetched."""
    path = tmp_path / "archive.db"
    with open_archive(path) as archive:
        article = sample_article()
        archive.save_article(article, scan_of(article))
        status_url = f"https://twitter.com/ChristopherJM/status/{POST.id}/video/1"
        archive.save_resolution(
            1,
            Resolution(
                "twitter", POST.id, status_url, "shortlink", [tco_hop("bgHyrsbVFs", status_url)]
            ),
        )
        archive.save_witnesses(POST.key, [live_witness(POST)])
    return path


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_lookup_prints_the_posts_as_json(db):
    result = run("lookup", "--db", db, "pic.x.com/bgHyrsbVFs")

    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)
    assert (post["key"], post["handle"], post["state"]) == (POST.key, "ChristopherJM", "live")
    assert post["articles"] == [
        {"id": 1, "url": str(SAMPLE_PATH), "final_url": None, "title": None, "current": True}
    ]


def test_lookup_finds_the_database_through_the_environment(db):
    result = run("lookup", "@BNONews", env={"ARCHIVER_DB": str(db)})

    assert result.exit_code == 0, result.output
    assert [r["embed"]["handle"] for r in json.loads(result.stdout)] == ["BNONews"]


def test_lookup_as_a_table(db):
    result = run("lookup", "--db", db, "--format", "table", "@BNONews")

    assert result.exit_code == 0, result.output
    assert "BNONews" in result.stdout
    assert "unresolved" in result.stdout


def test_lookup_exits_1_when_nothing_is_found(db):
    result = run("lookup", "--db", db, "words nobody wrote")

    assert result.exit_code == 1
    assert json.loads(result.stdout) == []  # JSON that says so, for scripts
    assert result.stderr == "archiver: nothing archived matches 'words nobody wrote'\n"
    table = run("lookup", "--db", db, "--format", "table", "words nobody wrote")
    assert (table.exit_code, table.stdout) == (1, "")


def test_lookup_says_when_more_match_than_its_limit(db):
    every = run("lookup", "--db", db, SAMPLE_PATH)
    assert every.exit_code == 0 and every.stderr == ""
    found = len(json.loads(every.stdout))
    assert found == 5

    result = run("lookup", "--db", db, "--limit", found - 1, SAMPLE_PATH)

    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(every.stdout)[: found - 1]
    assert (
        result.stderr == f"archiver: the first {found - 1} results; more match (give --limit N)\n"
    )
    exact = run("lookup", "--db", db, "--limit", found, SAMPLE_PATH)
    assert (exact.exit_code, exact.stderr) == (0, "")


def test_an_argument_that_is_not_utf8_finds_nothing_and_says_so(db):
    # `archiver lookup $'\xff'`: Python reads the byte as a lone surrogate, which SQLite refuses
    for command in ("lookup", "show"):
        result = run(command, "--db", db, "caf\udce9")
        assert (result.exit_code, result.exception.__class__) == (1, SystemExit)
        assert "'caf\\udce9'" in result.stderr


def test_read_commands_exit_2_and_create_nothing_when_the_database_is_missing(tmp_path):
    missing = tmp_path / "missing.db"

    for args in (
        ["lookup", "--db", missing, "x"],
        ["show", "--db", missing, "twitter:1"],
        ["db", "check", "--db", missing],
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert f"no archive database at {missing}" in result.stderr
    assert not missing.exists()


def test_a_database_path_no_file_can_have_exits_2(tmp_path):
    # a NUL byte: no shell passes one, a program calling the CLI can (found by fuzzing)
    for args in (("lookup", "x"), ("archive", "--no-fetch", SAMPLE_PATH), ("db", "check")):
        result = run(*args, "--db", f"{tmp_path}/a\x00.db")
        assert (result.exit_code, result.exception.__class__) == (2, SystemExit), args
        assert "a\\x00.db" in result.stderr


def test_a_file_that_is_not_an_archive_exits_2(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just notes\n" * 100)

    result = run("lookup", "--db", path, "x")

    assert result.exit_code == 2
    assert "is not a readable archive database" in result.stderr


@pytest.mark.parametrize("content", [b"", b"not a database, just notes\n" * 100])
@pytest.mark.parametrize(
    "args",
    [
        ["db", "check"],
        ["recheck"],
        ["lookup", "x"],
        ["show", "twitter:1"],
        ["verify", "article.txt"],
    ],
)
def test_only_archive_makes_an_archive_every_other_command_refuses_a_file_that_is_not_one(
    tmp_path, content, args
):
    path = tmp_path / "archive.db"
    path.write_bytes(content)

    result = run(*args, "--db", path)

    assert result.exit_code == 2, result.output
    assert f"{path} is not a" in result.stderr and "archive" in result.stderr
    assert "no problems found" not in result.stdout
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("archive.db-")) == []


def test_serve_refuses_an_empty_file(tmp_path):
    path = tmp_path / "archive.db"
    path.touch()

    # A process with a timeout: before the fix, serve built an archive there and served it.
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "serve", "--db", path, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "not an archiver database" in result.stderr
    assert path.read_bytes() == b""


@pytest.mark.parametrize(
    "ref", [POST.key, POST.id, f"https://x.com/ChristopherJM/status/{POST.id}"]
)
def test_show_prints_one_post_as_json(db, ref):
    result = run("show", "--db", db, ref)

    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert (detail["key"], detail["text"]) == (POST.key, POST.text)
    assert [s["source"] for s in detail["snapshots"]] == ["syndication"]


def test_show_exits_1_for_a_post_not_archived(db):
    result = run("show", "--db", db, "twitter:20")

    assert result.exit_code == 1
    assert result.stderr == "archiver: no archived post 'twitter:20'\n"


def test_archived_text_is_printed_as_it_is_never_as_markup(db):
    hostile = dataclasses.replace(
        POST, text="[bold red]shouting[/] <script>alert(1)</script> \x1b[2J"
    )
    with open_archive(db) as archive:
        archive.save_witnesses(POST.key, [live_witness(hostile)])

    table = run("show", "--db", db, "--format", "table", POST.key)
    as_json = run("show", "--db", db, POST.key)

    assert table.exit_code == 0, table.output
    assert "[bold red]shouting[/] <script>alert(1)</script>" in table.stdout
    assert "\x1b" not in table.stdout
    assert "\\x1b[2J" in table.stdout
    assert json.loads(as_json.stdout)["text"] == hostile.text
    assert "\x1b" not in as_json.stdout


def test_db_check_passes_a_sound_archive(db):
    result = run("db", "check", "--db", db)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{db}: no problems found\n"


def test_db_check_reports_a_damaged_blob_and_exits_1(db):
    with sqlite3.connect(db) as conn:
        sha256, content = conn.execute(
            "SELECT sha256, content FROM blobs WHERE bytes > 0"
        ).fetchone()
        conn.execute("UPDATE blobs SET content = ? WHERE sha256 = ?", (b"X" + content[1:], sha256))

    result = run("db", "check", "--db", db)

    assert result.exit_code == 1
    assert result.stdout.startswith(f"blob {sha256}: its bytes hash to ")
    assert result.stderr == f"{db}: 1 problem(s)\n"
