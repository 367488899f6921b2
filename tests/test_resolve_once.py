"""The resolve stage's promise (archiver/jobs/resolving.py): a pic.twitter.com link that several
embeds share, in one article or several, is asked once per run, and not at all by a later run.

Issue 16 found two mutations the rest of the suite let through: resolving each embed's pic link on
its own (every embed its own question) and never adopting an equal embed's answer. Each makes the
replay server see the t.co link more than once here.
"""

import sqlite3

import pytest
from conftest import ROOT

from archiver.fetch import ClientConfig
from archiver.jobs import archive as archive_job
from archiver.replay import ReplayServer
from archiver.store import open_archive

RECORDINGS = ROOT / "examples" / "replay"
T_CO = "https://t.co/ok6JOXl4KA"  # the sample article's @YVindman embed, in the demo recordings
VINDMAN = "twitter:1497424309257414584"
QUOTE = (
    "I’m in awe of this man. How can we not support him and his people when they demonstrate such"
    " grit and determination. #StandWithUkriane pic.twitter.com/ok6JOXl4KA"
    " — Yevgeny (Eugene) Vindman (@YVindman) February 26, 2022"
)


def article(folder, name, lead, quotes=1):
    path = folder / name
    path.write_text(f"{lead}\n\n" + "\n\nAnd again:\n\n".join([QUOTE] * quotes) + "\n", "utf-8")
    return str(path)


def run(db_path, replay, *inputs):
    config = ClientConfig(
        reroute=replay.url, backoff_base=0.001, backoff_cap=0.01, per_host_rate=None
    )
    with open_archive(db_path) as archive:
        return archive_job.archive(
            archive,
            # several workers, so that embeds queued together could be asked together
            archive_job.ArchiveRequest(inputs=inputs, concurrency=4),
            command_line=["archive"],
            config=config,
        )


@pytest.fixture
def replay():
    with ReplayServer(RECORDINGS) as server:
        # the first answer is slow: the later embeds are queued while it is in flight
        server.inject({"match": T_CO, "delay_ms": 400, "times": 1})
        yield server


def resolutions(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT id, post_key, resolved_how, resolved_by_embed_id FROM embeds ORDER BY id"
        ).fetchall()


def test_a_pic_link_shared_by_embeds_of_several_articles_is_asked_once_per_run(tmp_path, replay):
    db_path = tmp_path / "archive.db"
    first = article(tmp_path, "a.txt", "Gaining enormous respect worldwide.", quotes=2)
    second = article(tmp_path, "b.txt", "Quoted again the next day.")
    summary = run(db_path, replay, first, second)

    assert summary.failures == []
    assert replay.stats()["urls"][T_CO] == 1
    # the three embeds show one post: the first asked, the others adopted its answer
    [(asked, *_), *others] = resolutions(db_path)
    assert resolutions(db_path) == [
        (asked, VINDMAN, "shortlink", None),
        *[(embed_id, VINDMAN, "shortlink", asked) for embed_id, *_ in others],
    ]
    assert len(others) == 2

    # a later run's article with the same pic link asks nothing: it adopts the earlier answer
    replay.reset()
    third = article(tmp_path, "c.txt", "A week on.")
    assert run(db_path, replay, third).failures == []
    assert T_CO not in replay.stats()["urls"]
    assert resolutions(db_path)[-1][1:] == (VINDMAN, "shortlink", asked)
