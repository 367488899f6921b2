"""Tables for people at 80 columns: keys a user copies never cut, text whole on a wide terminal,
snapshots from the replay server never taken for the platform's."""

import pytest
from conftest import ROOT, SAMPLE_ARTICLE
from typer.testing import CliRunner

from archiver.cli import app
from archiver.replay import ReplayServer

KEYS = [
    "twitter:1497266682363265687",
    "twitter:1497334049888075103",
    "twitter:1497398950645980550",
    "twitter:1497424309257414584",
    "twitter:1497503516032985169",
]
VINDMAN_TEXT = (
    "I’m in awe of this man. How can we not support him and his people when they demonstrate "
    "such grit and determination. #StandWithUkriane"
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tables") / "archive.db"
    with ReplayServer(ROOT / "examples" / "replay") as replay:
        result = CliRunner().invoke(
            app,
            ["archive", "-q", "--db", str(path), str(SAMPLE_ARTICLE)],
            env={"ARCHIVER_REROUTE": replay.url},
        )
    assert result.exit_code == 0, result.output
    return path


def run(db_path, *args, columns=80):
    result = CliRunner().invoke(
        app, [*args, "--db", str(db_path), "--format", "table"], env={"COLUMNS": str(columns)}
    )
    assert result.exit_code == 0, result.output
    assert max(map(len, result.stdout.splitlines())) <= columns
    return result.stdout


def test_lookup_at_80_columns_shows_every_key_whole(db_path):
    table = run(db_path, "lookup", str(SAMPLE_ARTICLE))
    assert all(f"│ {key} │" in table for key in KEYS)
    assert "@YVindman" in table


def test_verify_at_80_columns_shows_every_key_whole_and_says_snapshots_were_replayed(db_path):
    table = run(db_path, "verify", str(SAMPLE_ARTICLE))
    assert all(f"│ {key} │" in table for key in KEYS)
    assert "…" not in table
    words = " ".join(table.replace("│", " ").split())
    assert words.count("from replay recordings") == 5


def test_show_keeps_a_posts_text_whole_on_a_wide_terminal_and_labels_replay(db_path):
    wide = run(db_path, "show", KEYS[3], columns=200)
    assert VINDMAN_TEXT in wide
    assert wide.count("replay (a recording)") == 2
    narrow = run(db_path, "show", KEYS[3])
    assert "…" not in narrow
