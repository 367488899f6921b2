"""Fuzzing the command line: arbitrary queries, paths, URLs and options, through CliRunner.

Invariants: never a traceback (the only exception a command ends with is SystemExit); exit codes
only 0, 1 and 2, each as documented for the command; JSON output parses; nothing printed holds
a control character that a terminal would act on. Arguments include lone surrogates, which is
how Python reads a command line that is not UTF-8.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from archiver.cli import app
from archiver.replay import ReplayServer
from archiver.store import open_archive

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=60)  # surrogates too
HANDLES = st.sampled_from(["BNONews", "ChristopherJM", "nobody", "", "a" * 60, "BN%4FNews"])
IDS = st.one_of(st.integers(0, 2**70).map(str), st.sampled_from(["", "-1", "1e9", "١٢٣", "0x10"]))
QUERIES = st.one_of(
    ANY_TEXT,
    st.builds("https://{}/{}/status/{}".format,
              st.sampled_from(["twitter.com", "x.com", "bsky.app", "evil.example"]), HANDLES, IDS),
    st.builds("pic.twitter.com/{}".format, st.text("AaBb09", max_size=40)),
    st.builds("@{}".format, HANDLES),
    st.builds("{}:{}".format, st.sampled_from(["twitter", "bluesky", "mastodon", "x", ""]), IDS),
    st.sampled_from(["../../etc/passwd", "/etc/passwd", "~", ".", "-", "--help", "'; DROP TABLE posts;--",
                     "\"", "*", "%", "_", "NEAR(", "kyiv OR", "AND", "\x1b[31mred", "[bold]x[/bold]"]),
)  # fmt: skip
# What a terminal acts on: C0 controls but newline and tab, DEL, and C1 controls (CSI is U+009B).
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def invoke(args: list[str], **kwargs):
    result = CliRunner().invoke(app, args, **kwargs)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    assert not TERMINAL_CONTROLS.search(result.stdout), result.stdout
    assert not TERMINAL_CONTROLS.search(result.stderr), result.stderr
    return result


@pytest.fixture(scope="module")
def archive_db(archived_sample_db, tmp_path_factory) -> Path:
    """A copy of the archived sample: fuzzing reads it, and must leave it sound."""
    path = tmp_path_factory.mktemp("fuzz-cli") / "archive.db"
    shutil.copy(archived_sample_db, path)
    yield path
    with open_archive(path) as archive:
        assert archive.check() == []


@given(query=QUERIES, table=st.booleans())
def test_lookup_any_query(archive_db, query, table):
    args = [
        "lookup",
        "--db",
        str(archive_db),
        *(["--format", "table"] if table else []),
        "--",
        query,
    ]
    result = invoke(args)
    assert result.exit_code in (0, 1)
    if result.exit_code == 0 and not table:
        assert isinstance(json.loads(result.stdout), list)


@given(ref=QUERIES, table=st.booleans())
def test_show_any_post(archive_db, ref, table):
    result = invoke(
        ["show", "--db", str(archive_db), *(["--format", "table"] if table else []), "--", ref]
    )
    assert result.exit_code in (0, 1)
    if result.exit_code == 0 and not table:
        assert isinstance(json.loads(result.stdout), dict)


@given(article=QUERIES, table=st.booleans())
def test_verify_any_article(archive_db, article, table):
    args = [
        "verify",
        "--db",
        str(archive_db),
        *(["--format", "table"] if table else []),
        "--",
        article,
    ]
    result = invoke(args)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code != 2 and not table:
        assert json.loads(result.stdout)["embeds"] is not None


ARTICLES = st.sampled_from(
    ["article.txt", "page.html", "folder", "missing.txt", "folder/../page.html"]
)


@given(
    path=st.one_of(ARTICLES, ANY_TEXT, st.just("-")),
    stdin=st.binary(max_size=2000),
    table=st.booleans(),
)
def test_scan_any_path_or_input(path, stdin, table):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "article.txt").write_text(
            "We stay. pic.twitter.com/AbCdEf1234 — Ann (@ann) May 1, 2022\n", encoding="utf-8"
        )
        (Path(folder) / "page.html").write_bytes(stdin)
        (Path(folder) / "folder").mkdir()
        target = path if path == "-" else f"{folder}/{path}"
        args = ["scan", *(["--format", "table"] if table else []), "--", target]
        result = invoke(args, input=stdin)
    assert result.exit_code in (0, 2)
    if result.exit_code == 0 and not table:
        for line in result.stdout.splitlines():
            assert set(json.loads(line)) >= {"platform", "start", "end", "text"}


OPTIONS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["--concurrency", "--wait", "--format", "--feed", "--sitemap"]),
                  st.one_of(ANY_TEXT, st.integers(-5, 300).map(str))),
        st.tuples(st.sampled_from(["--quiet", "--force", "--no-fetch"])),
    ),
    max_size=3,
)  # fmt: skip


@pytest.fixture(scope="module")
def empty_replay():
    with ReplayServer() as server:
        yield server


@given(
    inputs=st.lists(st.one_of(ARTICLES, ANY_TEXT, st.just("-"), QUERIES), min_size=1, max_size=3),
    options=OPTIONS,
    stdin=st.binary(max_size=500),
)
def test_archive_any_inputs_and_options(empty_replay, inputs, options, stdin):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "article.txt").write_bytes(stdin)
        (Path(folder) / "page.html").write_text("<p>Nothing here</p>", encoding="utf-8")
        (Path(folder) / "folder").mkdir()
        db = Path(folder) / "archive.db"
        targets = [i if i == "-" or "://" in i else f"{folder}/{i}" for i in inputs]
        args = [
            "archive",
            "--db",
            str(db),
            *[part for option in options for part in option],
            *targets,
        ]
        # Every request goes to the (empty) replay server: nothing leaves 127.0.0.1.
        result = invoke(args, input=stdin, env={"ARCHIVER_REROUTE": empty_replay.url})
        assert result.exit_code in (0, 1, 2)
        if db.exists():
            with open_archive(db) as archive:
                assert archive.check() == []
