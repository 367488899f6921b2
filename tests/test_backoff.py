"""Items that keep failing are tried less and less often; the first failures are retried at once."""

import sqlite3
from datetime import timedelta

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from archiver.cli import app
from archiver.jobs.backoff import retry_due, retry_wait
from archiver.replay import ReplayServer


@pytest.mark.parametrize(
    "failures, wait",
    [
        (1, timedelta(0)),
        (2, timedelta(0)),
        (3, timedelta(hours=1)),
        (4, timedelta(hours=2)),
        (10, timedelta(days=5, hours=8)),
        (11, timedelta(days=7)),
        (500, timedelta(days=7)),
    ],
)
def test_the_wait_doubles_from_an_hour_to_a_week(failures, wait):
    assert retry_wait(failures) == wait


def test_due_compares_the_last_failure_and_the_wait():
    assert retry_due(2, "2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00.000Z")
    assert not retry_due(3, "2024-05-01T10:00:00.000Z", "2024-05-01T10:59:59.999Z")
    assert retry_due(3, "2024-05-01T10:00:00.000Z", "2024-05-01T11:00:00.000Z")


def test_an_unmatched_attribution_is_retried_twice_then_deferred_until_forced(tmp_path):
    article = tmp_path / "quote.txt"
    article.write_text(
        "The agency said it would not comment.\n\n"
        "Nothing matches this text in any archive — BNO News (@BNONews) February 26, 2022\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "archive.db"
    with ReplayServer(ROOT / "examples" / "replay") as replay:

        def run(*extra):
            replay.reset()
            result = CliRunner().invoke(
                app,
                ["archive", "--format", "json", "--db", str(db_path), *extra, str(article)],
                env={"ARCHIVER_REROUTE": replay.url},
            )
            return result.exit_code, replay.stats()["requests"]

        first, second, third = run(), run(), run()  # the first two failures are retried at once
        assert [code for code, _ in (first, second, third)] == [1, 1, 1]
        assert all(requests > 0 for _, requests in (first, second, third))
        # three failures on record: the next run leaves the embed alone, and asks nothing
        assert run() == (0, 0)
        assert run("--force")[1] > 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT stage, count(*) FROM failures GROUP BY stage").fetchall() == [
            ("resolve", 4)
        ]
