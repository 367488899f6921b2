"""`archiver serve` as people meet it: what a page that is not there answers, and what it prints."""

import asyncio
import sqlite3

import httpx
from archived_sample import served

from archiver.datasette import make_datasette

NOT_THERE = [
    "/-/archiver/media/zzz",
    "/-/archiver/media/" + "a" * 64,
    "/archive/posts/a/b/c",
    "/archive/no_such_table",
    "/archive/no_such_table.json",
    "/no_such_database",
]


def test_a_page_that_is_not_there_answers_404_and_prints_nothing(archived_sample_db):
    with served(archived_sample_db) as (url, server):
        statuses = {path: httpx.get(url.rstrip("/") + path).status_code for path in NOT_THERE}
        json_error = httpx.get(url + "archive/no_such_table.json").json()
        assert httpx.get(url + "archive/posts.json").status_code == 200
    assert statuses == dict.fromkeys(NOT_THERE, 404)
    assert (json_error["ok"], json_error["status"]) == (False, 404)
    assert (server.stdout.read(), server.stderr.read()) == ("", "")


def test_snapshots_from_replay_recordings_say_so_on_every_page(archived_sample_db):
    with sqlite3.connect(archived_sample_db) as conn:
        (replayed,) = conn.execute("SELECT count(*) FROM snapshots WHERE replay = 1").fetchone()
    assert replayed > 0
    datasette = make_datasette(archived_sample_db)

    async def pages():
        return [
            (await datasette.client.get(f"/archive/{table}?_size=max")).text
            for table in ("snapshots", "snapshots_with_outcomes")
        ]

    for page in asyncio.run(pages()):
        assert page.count("not by the platform") >= replayed
        assert '<td class="col-replay type-int">1</td>' not in page
