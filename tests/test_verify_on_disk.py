"""`archiver verify PATH` when the file on disk is no longer the one archived."""

import json
import shutil

import pytest
from conftest import ROOT, SAMPLE_ARTICLE
from typer.testing import CliRunner

from archiver.cli import app
from archiver.replay import ReplayServer

AWE = "I’m in awe of this man"


@pytest.fixture
def archived_copy(tmp_path):
    """A copy of the sample article, archived through the demo recordings into its own archive."""
    article = tmp_path / "story.txt"
    shutil.copyfile(SAMPLE_ARTICLE, article)
    db_path = tmp_path / "archive.db"
    with ReplayServer(ROOT / "examples" / "replay") as replay:
        result = CliRunner().invoke(
            app,
            ["archive", "-q", "--db", str(db_path), str(article)],
            env={"ARCHIVER_REROUTE": replay.url},
        )
    assert result.exit_code == 0, result.output
    return article, db_path


def verify(db_path, article, *options):
    return CliRunner().invoke(app, ["verify", "--db", str(db_path), *options, str(article)])


def test_an_unchanged_file_says_nothing_of_the_disk(archived_copy):
    article, db_path = archived_copy
    result = verify(db_path, article)
    assert result.exit_code == 0
    assert "changed_since_archived" not in json.loads(result.stdout)


def test_a_file_changed_since_it_was_archived_is_reported_with_the_quotes_that_differ(
    archived_copy,
):
    article, db_path = archived_copy
    text = article.read_text("utf-8")
    article.write_text(text.replace(AWE, "I am in awe of this man"), "utf-8")

    result = verify(db_path, article)

    assert result.exit_code == 1
    change = json.loads(result.stdout)["changed_since_archived"]
    assert change["source"] == str(article.resolve())
    assert [(q["ordinal"], q["handle"]) for q in change["quotes"]] == [(3, "YVindman")]
    assert change["quotes"][0]["archived"].startswith(AWE)
    assert change["quotes"][0]["now"].startswith("I am in awe")

    table = verify(db_path, article, "--format", "table")
    assert table.exit_code == 1
    assert "the article changed since it was archived" in table.stdout
    assert "#3 @YVindman: quote differs" in table.stdout


def test_an_embed_gone_from_the_file_is_reported(archived_copy):
    article, db_path = archived_copy
    lines = article.read_text("utf-8").splitlines(keepends=True)
    article.write_text("".join(line for line in lines if "@BNONews" not in line), "utf-8")

    result = verify(db_path, article)

    assert result.exit_code == 1
    quotes = json.loads(result.stdout)["changed_since_archived"]["quotes"]
    assert [(q["handle"], q["now"]) for q in quotes] == [("BNONews", None)]


def test_a_misquote_reads_as_the_articles_quote_differing_with_the_difference_shown(tmp_path):
    article = tmp_path / "story.txt"
    article.write_text(SAMPLE_ARTICLE.read_text("utf-8").replace("of this man", "of this woman"))
    db_path = tmp_path / "archive.db"
    with ReplayServer(ROOT / "examples" / "replay") as replay:
        CliRunner().invoke(
            app,
            ["archive", "-q", "--db", str(db_path), str(article)],
            env={"ARCHIVER_REROUTE": replay.url},
        )

    result = verify(db_path, article, "--format", "table")

    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())
    assert "edited" not in words
    assert "differs" in words and "(99%" in words and "alike)" in words  # in a cell: wrapped
    assert "#3 @YVindman: … awe of this [-man.-] {+woman.+} How can we …" in words
    assert words.count("posted") == 4  # "as posted", maybe wrapped


def test_standard_input_is_archived_under_url_and_verified_against_a_copy(tmp_path):
    url = "https://news.example/story"
    db_path = tmp_path / "archive.db"
    sample = SAMPLE_ARTICLE.read_bytes()
    with ReplayServer(ROOT / "examples" / "replay") as replay:
        archived = CliRunner().invoke(
            app,
            ["archive", "-q", "--db", str(db_path), "-", "--url", url],
            env={"ARCHIVER_REROUTE": replay.url},
            input=sample,
        )
    assert archived.exit_code == 0, archived.output

    same = CliRunner().invoke(
        app, ["verify", "--db", str(db_path), "-", "--url", url], input=sample
    )
    assert same.exit_code == 0, same.output
    report = json.loads(same.stdout)
    assert (report["article"]["url"], report["verifiable"]) == (url, True)
    assert "changed_since_archived" not in report

    edited = sample.replace(b"of this man", b"of this woman")
    other = CliRunner().invoke(
        app, ["verify", "--db", str(db_path), "-", "--url", url], input=edited
    )
    assert other.exit_code == 1
    change = json.loads(other.stdout)["changed_since_archived"]
    assert change["source"] == "standard input"
    assert [(q["ordinal"], q["handle"]) for q in change["quotes"]] == [(3, "YVindman")]

    unknown = CliRunner().invoke(app, ["verify", "--db", str(db_path), "-"], input=sample)
    assert unknown.exit_code == 2
    assert "give --url URL" in unknown.stderr


def test_url_without_standard_input_is_a_usage_error(tmp_path):
    for command in (["archive", str(SAMPLE_ARTICLE)], ["verify", str(SAMPLE_ARTICLE)]):
        result = CliRunner().invoke(
            app, [*command, "--db", str(tmp_path / "archive.db"), "--url", "https://a.example/"]
        )
        assert result.exit_code == 2
        assert "give -" in result.stderr
    assert not (tmp_path / "archive.db").exists()
