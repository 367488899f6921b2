"""Opening the archive: where it is, how it is set up, who may read it while a run writes."""

import sqlite3
import threading

import pytest
from sqlite_utils import Database
from store_samples import sample_article, scan_of

from archiver.errors import InputError, StoreError
from archiver.store import open_archive, resolve_db_path
from archiver.store.connection import PAGE_SIZE
from archiver.store.schema import MIGRATIONS


def test_the_database_path_is_the_option_else_the_environment_else_the_working_directory(
    monkeypatch,
):
    monkeypatch.setenv("ARCHIVER_DB", "/srv/archive/from-env.db")
    assert str(resolve_db_path("given.db")) == "given.db"
    assert str(resolve_db_path(None)) == "/srv/archive/from-env.db"
    monkeypatch.delenv("ARCHIVER_DB")
    assert str(resolve_db_path(None)) == "archive.db"


def test_a_new_archive_gets_its_page_size_wal_foreign_keys_and_schema(tmp_path):
    with open_archive(tmp_path / "archive.db") as archive:
        pragma = {
            name: archive.db.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("page_size", "journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
        tables = archive.db.table_names()
        migrations = [row["name"] for row in archive.db["_sqlite_migrations"].rows]

    assert pragma == {
        "page_size": PAGE_SIZE,
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 30000,
        "synchronous": 1,
    }
    for table in (
        "articles",
        "article_versions",
        "embeds",
        "posts",
        "snapshots",
        "media",
        "blobs",
        "checks",
        "runs",
        "failures",
        "pic_links",
        "run_manifests",
        "run_timestamps",
        "posts_fts",
        "embeds_fts",
    ):
        assert table in tables
    assert migrations == [
        "0001_initial",
        "0002_failure_evidence",
        "0003_media_queue",
        "0004_views",
        "0005_indexes_for_exploring",
        "0006_recheck_schedule",
        "0007_run_manifests",
        "0008_media_reuse",
    ]


def test_reopening_applies_nothing_twice_and_keeps_the_data(tmp_path):
    path = tmp_path / "archive.db"
    article = sample_article()
    with open_archive(path) as archive:
        archive.save_article(article, scan_of(article))

    with open_archive(path) as archive:
        assert archive.db["_sqlite_migrations"].count == 8
        assert archive.db["embeds"].count == 5


def test_every_lookup_path_has_an_index(tmp_path):
    with open_archive(tmp_path / "archive.db") as archive:
        plans = {
            sql: " ".join(row[3] for row in archive.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in [
                ("SELECT key FROM posts WHERE id = ?", ["1"]),
                ("SELECT key FROM posts WHERE handle = ?", ["BNONews"]),
                ("SELECT key FROM posts WHERE key = ?", ["twitter:1"]),
                ("SELECT id FROM pic_links WHERE code = ?", ["bgHyrsbVFs"]),
                ("SELECT id FROM embeds WHERE handle = ?", ["BNONews"]),
                ("SELECT id FROM embeds WHERE status_id = ?", ["1"]),
                ("SELECT id FROM articles WHERE url = ?", ["https://example.org/a"]),
                ("SELECT id FROM articles WHERE final_url = ?", ["https://example.org/a"]),
                ("SELECT id FROM snapshots WHERE post_key = ?", ["twitter:1"]),
                ("SELECT id FROM checks WHERE post_key = ?", ["twitter:1"]),
            ]
        }
    for sql, plan in plans.items():
        assert "USING" in plan and "SCAN" not in plan, (sql, plan)


def test_read_only_commands_never_create_a_database(tmp_path):
    path = tmp_path / "missing.db"

    with pytest.raises(InputError, match="no archive database at"):
        open_archive(path, readonly=True)
    with pytest.raises(InputError, match="no archive database at"):
        open_archive(path, create=False)
    assert not path.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a database at all" * 200, "not a readable archive database"),
        (b"", "not an archiver database"),
    ],
)
def test_a_file_that_is_not_an_archive_is_refused(tmp_path, content, message):
    path = tmp_path / "archive.db"
    path.write_bytes(content)

    with pytest.raises(InputError, match=message):
        open_archive(path, readonly=True)
    assert path.read_bytes() == content


def test_another_applications_database_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")

    for readonly in (True, False):
        with pytest.raises(InputError, match="not an archiver database"):
            open_archive(path, readonly=readonly)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        open_archive(tmp_path)


def test_a_read_only_archive_refuses_writes(tmp_path):
    path = tmp_path / "archive.db"
    open_archive(path).close()
    article = sample_article()

    with open_archive(path, readonly=True) as archive, pytest.raises(StoreError, match="readonly"):
        archive.save_article(article, scan_of(article))


def test_readers_see_committed_rows_while_a_run_writes(tmp_path):
    path = tmp_path / "archive.db"
    article = sample_article()
    with open_archive(path) as writer, open_archive(path, readonly=True) as reader:
        writer.save_article(article, scan_of(article))
        with writer.transaction():
            writer.record_failure(run_id=None, stage="fetch", reason="still in progress")
            # WAL: the reader is not blocked and sees only what was committed.
            assert [r["embed"]["handle"] for r in reader.lookup("@BNONews")] == ["BNONews"]
            assert reader.db["failures"].count == 0
        assert reader.db["failures"].count == 1


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path):
    path = tmp_path / "archive.db"
    open_archive(path).close()
    article = sample_article()
    first_has_the_lock = threading.Event()
    outcome = {}

    def second_writer():
        first_has_the_lock.wait()
        with open_archive(path) as second:
            outcome["saved"] = second.save_article(article, scan_of(article))

    thread = threading.Thread(target=second_writer)
    thread.start()
    with open_archive(path) as first, first.transaction():
        first.record_failure(run_id=None, stage="scan", reason="holding the lock")
        first_has_the_lock.set()
        thread.join(timeout=0.5)  # the second writer is now waiting on the busy timeout
        assert thread.is_alive()
    thread.join()

    assert outcome["saved"].status == "new"
    with open_archive(path, readonly=True) as archive:
        assert (archive.db["failures"].count, archive.db["articles"].count) == (1, 1)


def test_a_file_left_by_a_run_killed_while_creating_the_archive_is_built_on(tmp_path):
    # killed after the migrations table was made and before the first migration committed
    path = tmp_path / "archive.db"
    db = Database(path)
    MIGRATIONS.ensure_migrations_table(db)
    db.close()
    with pytest.raises(InputError, match="not an archiver database"):
        open_archive(path, create=False)  # only a command that may create the archive builds it
    with open_archive(path) as archive:
        assert [m.name for m in MIGRATIONS.pending(archive.db)] == []
        assert archive.check() == []
