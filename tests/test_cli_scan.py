"""`archiver scan`: JSON Lines or a table, exit codes for unreadable input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archiver.cli import app
from archiver.scan import scan_bytes

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zelensky-stays-in-kyiv.txt"
KEYS = [
    "platform", "form", "handle", "display_name", "date", "date_text", "pic_links", "links",
    "status_id", "status_url", "lang", "text", "start", "end",
]  # fmt: skip


def run(*args, input=None):
    return CliRunner().invoke(app, ["scan", *args], input=input)


def test_the_sample_article_round_trips_through_jsonl():
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "scan", str(SAMPLE), "--format", "jsonl"],
        capture_output=True,
        check=True,
    )
    lines = result.stdout.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [list(record) for record in records] == [KEYS] * 5
    assert records == [embed.to_dict() for embed in scan_bytes(SAMPLE.read_bytes()).embeds]
    assert [r["handle"] for r in records] == [
        "ChristopherJM",
        "SaoSasha",
        "BNONews",
        "YVindman",
        "France24_en",
    ]
    assert result.stderr == b""


def test_jsonl_is_the_default_and_stdin_is_dash():
    result = run("-", input=SAMPLE.read_bytes())
    assert result.exit_code == 0
    assert [json.loads(line)["date"] for line in result.stdout.splitlines()] == [
        "2022-02-25", "2022-02-25", "2022-02-26", "2022-02-26", "2022-02-26",
    ]  # fmt: skip


def test_a_table_for_people():
    result = run(str(SAMPLE), "--format", "table")
    assert result.exit_code == 0
    assert "5 embedded posts" in result.stdout
    for expected in ("@ChristopherJM", "Yevgeny (Eugene) Vindman", "pic.twitter.com/V8zWIJ0IAS"):
        assert expected in result.stdout


def test_the_table_shows_article_text_as_text_not_markup(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("[bold red]x[/] [link=file:///etc]y[/link] — Ann (@ann) May 1, 2022\n")
    result = run(str(article), "--format", "table")
    assert result.exit_code == 0
    assert "[bold red]x[/]" in result.stdout


def test_nothing_found_is_not_an_error(tmp_path):
    article = tmp_path / "quiet.html"
    article.write_text("<html><body><p>No posts here.</p></body></html>")
    result = run(str(article))
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize("kind", ["missing", "directory", "unreadable", "nul"])
def test_unreadable_paths_exit_2_with_a_message(tmp_path, kind):
    path = tmp_path / "article.txt"
    if kind == "nul":  # no shell passes one, a program calling the CLI can (found by fuzzing)
        path = tmp_path / "article\x00.txt"
    elif kind == "directory":
        path.mkdir()
    elif kind == "unreadable":
        path = Path("/proc/self/mem")  # exists, and reading it fails even for root (EIO)
        if not path.exists():
            pytest.skip("needs Linux /proc")
    result = run(str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    shown = repr(str(path)) if kind == "nul" else str(path)  # a NUL is never printed as it is
    assert shown in result.stderr and "archiver scan:" in result.stderr


def test_a_path_with_terminal_controls_is_named_inert():
    # found by fuzzing: the message printed a path's ESC sequence for the terminal to act on
    result = run("/nowhere/\x1b]0;owned\x07\x1b[2J.txt")
    assert result.exit_code == 2
    assert result.stderr == "archiver scan: /nowhere/\\x1b]0;owned\\x07\\x1b[2J.txt: no such file\n"


def test_an_unknown_format_is_a_usage_error():
    result = run(str(SAMPLE), "--format", "xml")
    assert result.exit_code == 2


def test_bytes_that_had_to_be_replaced_are_a_warning_on_stderr(tmp_path):
    article = tmp_path / "damaged.txt"
    article.write_bytes(b"Kyiv \x81\x8d tonight")
    result = run(str(article))
    assert result.exit_code == 0
    assert "warning" in result.stderr and "U+FFFD" in result.stderr


def test_scan_and_archive_refuse_an_oversized_article_with_the_same_limit(tmp_path):
    # One reader for both commands: a file past the cap (sparse, so nothing is written) is
    # refused by each with the same words, before a byte of it is read.
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)
    limit = "more than the 67,108,864-byte limit"
    scanned = run(str(huge))
    assert scanned.exit_code == 2 and limit in scanned.stderr
    archived = CliRunner().invoke(
        app, ["archive", "--no-fetch", "--db", str(tmp_path / "archive.db"), str(huge)]
    )
    assert archived.exit_code == 1 and limit in archived.stderr


@pytest.mark.parametrize("many", [False, True], ids=["one article", "a crawl's rows"])
def test_json_lines_are_utf_8_whatever_the_locale_and_terminal_controls_stay_escaped(
    tmp_path, many
):
    article = tmp_path / "kyiv.txt"
    article.write_bytes(
        "Київ стоїть \x1b[31mred\x1b[0m \x9b2J pic.twitter.com/abc — Ім'я (@kyiv) May 1, 2022\n".encode()
    )
    paths = [str(article), str(article)] if many else [str(article)]
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "scan", *paths],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )

    assert result.returncode == 0, result.stderr
    assert b"\x1b" not in result.stdout and "\x9b".encode() not in result.stdout
    assert b"\\u001b[31mred\\u001b[0m \\u009b2J" in result.stdout
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(records) == (2 if many else 1)
    assert {record["text"] for record in records} == {
        "Київ стоїть \x1b[31mred\x1b[0m \x9b2J pic.twitter.com/abc"
    }
    assert {record["display_name"] for record in records} == {"Ім'я"}


def test_a_file_name_that_is_not_utf_8_is_printed_escaped_and_the_rest_still_scanned(tmp_path):
    odd = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    Path(os.fsdecode(odd)).write_bytes(SAMPLE.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "scan", odd, str(SAMPLE)], capture_output=True
    )

    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [os.fsencode(row["source"]) for row in rows] == [odd] * 5 + [os.fsencode(SAMPLE)] * 5
    assert b"caf\\udce9.txt" in result.stdout
