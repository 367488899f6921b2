"""`Archive.check()`: a sound archive checks clean, and each kind of damage is reported."""

import dataclasses
import sqlite3

import pytest
from store_samples import (
    SAMPLE_IDS,
    TickingClock,
    live_witness,
    sample_article,
    sample_post,
    scan_of,
    tco_hop,
    tombstone_witness,
)

from archiver.models import Resolution
from archiver.store import open_archive


def archive_everything(archive):
    """The sample article resolved and fetched, then gone, then changed: every writer once."""
    article = sample_article()
    archive.save_article(article, scan_of(article))
    run_id = archive.start_run("archive", ["examples/zelensky-stays-in-kyiv.txt"], replay=True)
    for embed_id, handle, code in [
        (1, "ChristopherJM", "bgHyrsbVFs"),
        (2, "SaoSasha", "JDLXtYAq5q"),
    ]:
        post = sample_post(handle)
        url = f"https://twitter.com/{handle}/status/{post.id}/video/1"
        archive.save_resolution(
            embed_id, Resolution("twitter", post.id, url, "shortlink", [tco_hop(code, url)])
        )
        archive.save_witnesses(post.key, [live_witness(post)], run_id=run_id)
    gone = f"twitter:{SAMPLE_IDS['SaoSasha']}"
    archive.save_witnesses(
        gone, [tombstone_witness(SAMPLE_IDS["SaoSasha"], fetched_at="2024-06-01T00:00:00.000Z")]
    )
    changed = sample_article(content=article.content.replace(b"He's refused.", b"He has refused."))
    archive.save_article(changed, scan_of(changed))
    archive.record_failure(run_id=run_id, stage="resolve", reason="no link to follow", embed_id=8)
    archive.finish_run(run_id, counts={"articles": 1}, error_count=1)


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "archive.db"
    with open_archive(path, clock=TickingClock()) as archive:
        archive_everything(archive)
    return path


def raw(path):
    """A plain connection that goes around the archive, as damage would."""
    return sqlite3.connect(path, isolation_level=None)


def problems(path):
    with open_archive(path, create=False) as archive:
        return archive.check()


def test_an_archive_written_by_every_writer_checks_clean(path):
    assert problems(path) == []


def test_a_blob_changed_by_one_byte_is_caught(path):
    with raw(path) as conn:
        sha256, content = conn.execute(
            "SELECT sha256, content FROM blobs WHERE bytes > 100 LIMIT 1"
        ).fetchone()
        damaged = bytearray(content)
        damaged[len(damaged) // 2] ^= 0x01
        conn.execute("UPDATE blobs SET content = ? WHERE sha256 = ?", (bytes(damaged), sha256))

    [problem] = problems(path)

    assert problem.startswith(f"blob {sha256}: its bytes hash to ")
    assert sha256 not in problem.removeprefix(f"blob {sha256}")


def test_a_truncated_blob_is_caught(path):
    with raw(path) as conn:
        sha256 = conn.execute("SELECT sha256 FROM blobs WHERE bytes > 100 LIMIT 1").fetchone()[0]
        conn.execute(
            "UPDATE blobs SET content = substr(content, 1, 10) WHERE sha256 = ?", (sha256,)
        )

    assert len(problems(path)) == 1


def test_a_row_pointing_at_nothing_is_caught(path):
    with raw(path) as conn:
        conn.execute("UPDATE embeds SET post_key = 'twitter:404' WHERE id = 3")

    assert problems(path) == ["foreign key: embeds row 3 points to a missing row of posts"]


def test_a_full_text_index_out_of_step_with_its_table_is_caught(path):
    with raw(path) as conn:
        conn.execute("DROP TRIGGER posts_fts_update")
        conn.execute(
            "UPDATE posts SET text = 'rewritten behind the index' WHERE handle = 'ChristopherJM'"
        )

    [problem] = problems(path)

    assert problem.startswith("full-text index posts_fts does not match posts")


def test_an_article_whose_hash_disagrees_with_its_version_is_caught(path):
    with raw(path) as conn:
        conn.execute(
            "UPDATE articles SET sha256 = (SELECT sha256 FROM article_versions WHERE id = 1)"
        )

    assert problems(path) == ["articles row 1: its sha256 differs from its current version's"]


def test_damaged_pages_are_caught_by_integrity_check(path):
    with raw(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'posts_handle'"
        ).fetchone()[0]
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size + 8)  # past the b-tree page header: its cell pointers
        file.write(b"\xff" * 64)

    found = problems(path)

    assert found
    assert found[0].startswith("integrity_check: ")


def test_full_text_search_follows_updates_and_changed_articles(path):
    with open_archive(path) as archive:
        christopher = sample_post("ChristopherJM")
        archive.save_witnesses(
            christopher.key,
            [live_witness(dataclasses.replace(christopher, text="A corrected text"))],
        )
        assert [r["key"] for r in archive.lookup("corrected")] == [christopher.key]
        old_words = archive.db.execute(
            "SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'presidential administration'"
        ).fetchall()
        assert old_words == []
        # Both versions' embeds are indexed; lookup shows the current version's.
        hits = archive.db.execute(
            "SELECT rowid FROM embeds_fts WHERE embeds_fts MATCH 'ammunition'"
        ).fetchall()
        assert sorted(hits) == [(3,), (8,)]
        assert archive.check() == []


def test_a_blob_overwritten_with_text_is_caught(path):
    with raw(path) as conn:
        sha256 = conn.execute("SELECT sha256 FROM blobs LIMIT 1").fetchone()[0]
        conn.execute("UPDATE blobs SET content = 'not bytes' WHERE sha256 = ?", (sha256,))

    assert problems(path) == [f"blob {sha256}: holds text, not bytes"]
