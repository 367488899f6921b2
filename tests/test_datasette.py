"""Exploring the archive in Datasette: metadata, views, canned queries and the archiver plugin."""

import asyncio
import hashlib
import re
import sqlite3
import urllib.request
from pathlib import Path

import pytest
from archived_sample import (
    BNO_TEXT,
    DELETED_KEY,
    HOSTILE_KEY,
    HTML_SENT_AS_PNG,
    LIVE_BLOG_TITLE,
    LIVE_BLOG_URL,
    SAMPLE_PATH,
    SVG_WITH_SCRIPT,
    VANISHED_ID,
    VANISHED_KEY,
    served,
)
from datasette.app import Datasette
from datasette.utils import parse_metadata, tilde_encode
from store_samples import sample_article, scan_of
from typer.testing import CliRunner

from archiver.cli import app
from archiver.datasette import cells, load_metadata, make_datasette, metadata_path
from archiver.datasette.plugin import MEDIA_HEADERS, RECORD_SCRIPT
from archiver.errors import InputError
from archiver.store import open_archive

MEDIA = Path(__file__).resolve().parent.parent / "examples" / "replay" / "media"
PHOTO = (MEDIA / "yvindman-photo.png").read_bytes()
AVATAR = (MEDIA / "christopherjm-avatar.png").read_bytes()
BNO_KEY = "twitter:1497398950645980550"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(datasette, *paths):
    async def get_all():
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(get_all())


def rows(datasette, path):
    [response] = fetch(datasette, path)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def datasette(archived_sample_db):
    return make_datasette(archived_sample_db)


def test_every_table_view_and_column_of_the_archive_is_described(archived_sample_db):
    described = load_metadata()["databases"]["archive"]["tables"]
    db = sqlite3.connect(archived_sample_db)
    schema = {
        name: [column for _, column, *_ in db.execute(f"PRAGMA table_xinfo('{name}')")]
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%'"
        )
    }
    db.close()

    assert sorted(described) == sorted(schema)
    for name, columns in schema.items():
        assert described[name]["description"].strip(), name
        assert list(described[name]["columns"]) == columns, name
        assert all(text.strip() for text in described[name]["columns"].values()), name


def test_the_archive_opens_with_its_title_license_tables_and_views(datasette):
    index, database, posts_page = fetch(datasette, "/.json", "/archive.json", "/archive/posts")

    assert index.status_code == 200
    metadata = load_metadata()
    assert metadata["title"] == "archiver"
    assert "rights remain with their authors" in metadata["license"]
    assert "license_url" not in metadata
    assert metadata["source"]
    tables = {t["name"]: t for t in database.json()["tables"]}
    assert {n for n, t in tables.items() if not t["hidden"]} == {
        "articles",
        "article_versions",
        "blobs",
        "checks",
        "embeds",
        "failures",
        "media",
        "pic_links",
        "posts",
        "runs",
        "run_manifests",
        "run_timestamps",
        "snapshots",
    }
    assert tables["_sqlite_migrations"]["hidden"]
    assert {v["name"] for v in database.json()["views"]} == {
        "embeds_with_posts",
        "snapshots_with_outcomes",
    }
    assert [q["name"] for q in database.json()["queries"]] == [
        "vanished_posts",
        "unverifiable_embeds",
        "most_embedded_accounts",
        "article_embeds",
        "post_snapshots",
    ]
    html = posts_page.text
    assert "One row per post, merged from every witness" in html
    assert "The post&#39;s text as archived." in html
    # The data are others' posts; Apache-2.0 is the software's licence, and said to be so.
    assert "Data license: Apache-2.0" not in " ".join(html.split())
    assert "their rights remain with their authors" in html
    assert "software licence: Apache-2.0" in html
    assert 'href="https://www.apache.org/licenses/LICENSE-2.0"' in html


def test_facets_and_sort_orders_come_from_the_metadata(datasette):
    posts = rows(datasette, "/archive/posts.json")
    embeds = rows(datasette, "/archive/embeds_with_posts.json")
    snapshots = rows(datasette, "/archive/snapshots.json")

    def counts(page, facet):
        return {r["value"]: r["count"] for r in page["facet_results"][facet]["results"]}

    assert counts(posts, "state") == {"live": 6, "deleted": 2}
    assert counts(posts, "platform") == {"twitter": 8}
    assert len(counts(posts, "handle")) == 8
    assert counts(embeds, "handle")["BNONews"] == 2
    assert counts(embeds, "state") == {"live": 7, "deleted": 2}
    assert counts(snapshots, "source") == {"syndication": 9, "oembed": 7, "resolution": 7}
    assert "sorted by key" in posts["human_description_en"]
    assert "sorted by id descending" in snapshots["human_description_en"]
    ids = [row[0] for row in snapshots["rows"]]
    assert ids == sorted(ids, reverse=True)


def test_foreign_keys_read_as_labels(datasette):
    [embed] = rows(datasette, "/archive/embeds.json?id=3&_labels=on&_shape=array")

    assert embed["post_key"] == {
        "value": BNO_KEY,
        "label": "@BNONews: " + BNO_TEXT[:80],
    }
    assert embed["article_id"] == {"value": 1, "label": str(SAMPLE_PATH)}


def test_full_text_search_finds_posts_and_embeds(datasette):
    posts = rows(datasette, "/archive/posts.json?_search=ammunition&_shape=array")
    embeds = rows(datasette, "/archive/embeds.json?_search=ammunition&_shape=array")
    unresolved = rows(datasette, "/archive/embeds.json?_search=evacuation+stadium&_shape=array")

    assert [p["key"] for p in posts] == [BNO_KEY]
    assert [(e["id"], e["article_id"], e["post_key"]) for e in embeds] == [
        (3, 1, BNO_KEY),
        (9, 2, BNO_KEY),
    ]
    assert [(e["handle"], e["post_key"], e["text"]) for e in unresolved] == [
        ("cityhall_press", None, "Evacuation buses leave from the stadium at noon.")
    ]


def test_vanished_posts_shows_each_vanish_window(datasette):
    assert rows(datasette, "/archive/vanished_posts.json?_shape=array") == [
        {
            "post_key": VANISHED_KEY,
            "handle": "ghost_reporter",
            "state": "deleted",
            "state_reason": "This Post was deleted by the Post author. Learn more",
            "last_seen_live": "2024-05-01T10:02:20.000Z",
            "first_seen_gone": "2024-05-08T06:30:00.000Z",
            "window_days": 6.85,
            "archived_text": "Shelling reported near the central train station, residents urged"
            " to stay in shelters. Updates: https://example.org/live",
            "articles": 1,
        },
        {
            "post_key": DELETED_KEY,
            "handle": "early_deleter",
            "state": "deleted",
            "state_reason": "This Post was deleted by the Post author. Learn more",
            "last_seen_live": None,
            "first_seen_gone": "2024-05-01T10:02:30.000Z",
            "window_days": None,
            "archived_text": None,
            "articles": 1,
        },
    ]


def test_unverifiable_embeds_names_the_article_and_why(datasette):
    title = "Live: what the accounts said overnight"
    assert rows(datasette, "/archive/unverifiable_embeds.json?_shape=array") == [
        {
            "article_id": 2,
            "article": title,
            "ordinal": 2,
            "embed_id": 8,
            "handle": "early_deleter",
            "date": "2024-04-29",
            "quoted_text": "The bridge is closed to all traffic until further notice.",
            "post_key": DELETED_KEY,
            "state": "deleted",
            "why": "no snapshot of its content (deleted)",
        },
        {
            "article_id": 2,
            "article": title,
            "ordinal": 4,
            "embed_id": 10,
            "handle": "cityhall_press",
            "date": "2024-04-29",
            "quoted_text": "Evacuation buses leave from the stadium at noon.",
            "post_key": None,
            "state": None,
            "why": "not resolved to a post",
        },
    ]


def test_most_embedded_accounts_counts_articles_posts_and_posts_gone(datasette):
    accounts = rows(datasette, "/archive/most_embedded_accounts.json?_shape=array")

    assert accounts[0] == {
        "platform": "twitter",
        "handle": "BNONews",
        "articles": 2,
        "posts": 1,
        "posts_gone": 0,
    }
    by_handle = {a["handle"]: a for a in accounts}
    assert len(accounts) == 9
    assert by_handle["ghost_reporter"]["posts_gone"] == 1
    assert by_handle["cityhall_press"] == {
        "platform": "twitter",
        "handle": "cityhall_press",
        "articles": 1,
        "posts": 0,
        "posts_gone": 0,
    }


def test_article_embeds_puts_quoted_text_beside_archived_text(datasette):
    by_id = rows(datasette, "/archive/article_embeds.json?article=1&_shape=array")
    by_path = rows(datasette, f"/archive/article_embeds.json?article={SAMPLE_PATH}&_shape=array")
    live_blog = rows(
        datasette, f"/archive/article_embeds.json?article={LIVE_BLOG_URL}&_shape=array"
    )

    by_name = rows(
        datasette, f"/archive/article_embeds.json?article={SAMPLE_PATH.name}&_shape=array"
    )
    assert by_id == by_path == by_name  # what a user types: an id, a path, a bare file name
    assert [(e["ordinal"], e["handle"], e["state"]) for e in by_id] == [
        (0, "ChristopherJM", "live"),
        (1, "SaoSasha", "live"),
        (2, "BNONews", "live"),
        (3, "YVindman", "live"),
        (4, "France24_en", "live"),
    ]
    assert by_id[3] == {
        "article": str(SAMPLE_PATH),
        "ordinal": 3,
        "handle": "YVindman",
        "date": "2022-02-26",
        "quoted_text": "I’m in awe of this man. How can we not support him and his people when"
        " they demonstrate such grit and determination. #StandWithUkriane"
        " pic.twitter.com/ok6JOXl4KA",
        "archived_text": "I’m in awe of this man. How can we not support him and his people when"
        " they demonstrate such grit and determination. #StandWithUkriane",
        "state": "live",
        "post_key": "twitter:1497424309257414584",
    }
    assert [(e["handle"], e["post_key"], e["state"]) for e in live_blog] == [
        ("websec_daily", HOSTILE_KEY, "live"),
        ("ghost_reporter", VANISHED_KEY, "deleted"),
        ("early_deleter", DELETED_KEY, "deleted"),
        ("BNONews", BNO_KEY, "live"),
        ("cityhall_press", None, None),
    ]


def test_article_embeds_left_empty_lists_every_articles_embeds_to_pick_from(datasette):
    every = rows(datasette, "/archive/article_embeds.json?article=&_shape=array")
    assert [(e["article"], e["ordinal"]) for e in every] == [
        (str(SAMPLE_PATH), n) for n in range(5)
    ] + [(LIVE_BLOG_TITLE, n) for n in range(5)]


def test_post_snapshots_lists_what_each_witness_said_over_time(datasette):
    by_key = rows(datasette, f"/archive/post_snapshots.json?post={VANISHED_KEY}&_shape=array")
    by_id = rows(datasette, f"/archive/post_snapshots.json?post={VANISHED_ID}&_shape=array")

    assert by_key == by_id
    assert [
        (s["fetched_at"], s["source"], s["status"], s["outcome"], s["reason"]) for s in by_key
    ] == [
        ("2024-05-01T10:02:20.000Z", "syndication", 200, "live", None),
        (
            "2024-05-08T06:30:00.000Z",
            "syndication",
            200,
            "deleted",
            "This Post was deleted by the Post author. Learn more",
        ),
        ("2024-05-08T06:30:00.000Z", "oembed", 404, "not_found", "HTTP 404"),
    ]
    assert by_key[2]["body_sha256"] == sha(b"")
    assert all(s["replay"] == 1 for s in by_key)


def test_the_views_join_embeds_articles_posts_and_outcomes(datasette):
    embeds = rows(datasette, "/archive/embeds_with_posts.json?handle=ghost_reporter&_shape=array")
    outcomes = rows(
        datasette,
        f"/archive/snapshots_with_outcomes.json?post_key={VANISHED_KEY}&_sort=snapshot_id&_shape=array",
    )

    assert embeds == [
        {
            "embed_id": 7,
            "article_id": 2,
            "article": "Live: what the accounts said overnight",
            "article_url": LIVE_BLOG_URL,
            "current": 1,
            "ordinal": 1,
            "platform": "twitter",
            "form": "html_blockquote",
            "handle": "ghost_reporter",
            "display_name": "Ghost Reporter",
            "date": "2024-04-29",
            "quoted_text": "Shelling reported near the central train station, residents urged to"
            " stay in shelters. Updates: https://example.org/live",
            "post_key": VANISHED_KEY,
            "state": "deleted",
            "archived_text": "Shelling reported near the central train station, residents urged"
            " to stay in shelters. Updates: https://example.org/live",
            "created_at": "2024-04-29T06:00:00.000Z",
            "last_seen_live": "2024-05-01T10:02:20.000Z",
            "first_seen_gone": "2024-05-08T06:30:00.000Z",
            "resolved_how": "markup",
            "status_url": f"https://twitter.com/ghost_reporter/status/{VANISHED_ID}",
        }
    ]
    assert [(o["source"], o["outcome"], o["handle"]) for o in outcomes] == [
        ("syndication", "live", "ghost_reporter"),
        ("syndication", "deleted", "ghost_reporter"),
        ("oembed", "not_found", "ghost_reporter"),
    ]


def test_hostile_post_text_comes_out_escaped_everywhere(datasette):
    pages = fetch(
        datasette,
        f"/archive/posts/{tilde_encode(HOSTILE_KEY)}",
        "/archive/posts?_search=comment",
        "/archive/embeds?handle=websec_daily",
        "/archive/embeds_with_posts?handle=websec_daily",
        f"/archive/article_embeds?article={LIVE_BLOG_URL}",
        "/archive/media",
    )

    for page in pages:
        assert page.status_code == 200
        html = page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, page.url
        assert "<script>alert(1)" not in html
        assert "&lt;img src=x" in html and "<img src=x" not in html
        assert "<svg onload" not in html
    assert "WebSec Daily &lt;svg onload=alert(4)&gt;" in pages[0].text


def test_post_text_links_are_clickable_and_only_http(datasette):
    [page] = fetch(datasette, f"/archive/posts/{tilde_encode(HOSTILE_KEY)}")
    [text_cell] = re.findall(r'<td class="col-text[^"]*">(.*?)</td>', page.text, re.DOTALL)

    assert text_cell == (
        "Reminder: a comment box that echoes &lt;script&gt;alert(1)&lt;/script&gt; or &lt;img"
        " src=x onerror=&#34;document.body.dataset.pwned=1&#34;&gt; back to readers is an open"
        ' door. Write-up: <a href="https://example.org/xss?a=1&amp;b=2"'
        ' rel="nofollow noopener noreferrer">https://example.org/xss?a=1&amp;b=2</a>'
        " (and never click javascript:alert(3))"
    )
    assert 'href="javascript' not in page.text


def test_hashes_are_shortened_with_the_full_value_on_hover(datasette):
    [snapshots] = fetch(datasette, f"/archive/snapshots?post_key={VANISHED_KEY}")
    empty = sha(b"")

    assert (
        f'<a href="/archive/blobs/{empty}" title="{empty}"><code title="{empty}">'
        f"{empty[:12]}…</code></a>"
    ) in snapshots.text


def test_media_images_are_shown_and_other_media_is_not(datasette):
    [media] = fetch(datasette, "/archive/media")
    photo = sha(PHOTO)
    images = re.findall(r'<img src="([^"]*)"', media.text)

    assert f"/-/archiver/media/{photo}" in images
    assert len(images) == 6  # the photo and five avatars: no video, SVG or HTML
    for refused in (SVG_WITH_SCRIPT, HTML_SENT_AS_PNG):
        assert f"/-/archiver/media/{sha(refused)}" not in images
        assert f'<code title="{sha(refused)}">' in media.text


def test_blob_images_are_shown_in_the_blobs_table(datasette):
    [blobs] = fetch(datasette, "/archive/blobs?_size=100")

    assert f'<img src="/-/archiver/media/{sha(PHOTO)}"' in blobs.text
    assert f'<img src="/-/archiver/media/{sha(SVG_WITH_SCRIPT)}"' not in blobs.text
    assert "&lt;Binary:&nbsp;119&nbsp;bytes&gt;" in blobs.text  # the SVG: a download link


def test_the_media_route_serves_images_only_with_safe_headers(datasette):
    photo, svg, html, article, missing, not_a_hash = fetch(
        datasette,
        f"/-/archiver/media/{sha(PHOTO)}",
        f"/-/archiver/media/{sha(SVG_WITH_SCRIPT)}",
        f"/-/archiver/media/{sha(HTML_SENT_AS_PNG)}",
        f"/-/archiver/media/{sha(SAMPLE_PATH.read_bytes())}",
        f"/-/archiver/media/{sha(b'never stored')}",
        "/-/archiver/media/../archive.db",
    )

    assert photo.status_code == 200
    assert photo.content == PHOTO
    assert photo.headers["content-type"] == "image/png"
    assert photo.headers["cache-control"] == "public, max-age=31536000, immutable"
    for response in (photo, svg, html, article, missing):
        for name, value in MEDIA_HEADERS.items():
            assert response.headers[name] == value
    assert photo.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert photo.headers["x-content-type-options"] == "nosniff"
    for refused in (svg, html, article):
        assert refused.status_code == 415
        assert refused.headers["content-type"].startswith("text/plain")
        assert b"<script>" not in refused.content
    assert missing.status_code == 404
    assert not_a_hash.status_code == 404


def test_the_media_route_keeps_a_private_archive_private(archived_sample_db):
    metadata = load_metadata()
    metadata["databases"]["archive"]["allow"] = {"id": "editor"}
    datasette = Datasette([str(archived_sample_db)], metadata=metadata)
    [anonymous] = fetch(datasette, f"/-/archiver/media/{sha(PHOTO)}")

    async def as_editor():
        cookies = {"ds_actor": datasette.sign({"a": {"id": "editor"}}, "actor")}
        return await datasette.client.get(f"/-/archiver/media/{sha(PHOTO)}", cookies=cookies)

    editor = asyncio.run(as_editor())

    assert anonymous.status_code == 404
    assert editor.status_code == 200
    assert editor.content == PHOTO


def test_images_over_the_configured_size_are_neither_shown_nor_served(archived_sample_db):
    metadata = load_metadata()
    metadata["plugins"]["archiver"]["max_image_bytes"] = 10_000
    datasette = Datasette([str(archived_sample_db)], metadata=metadata)
    photo, avatar, media = fetch(
        datasette,
        f"/-/archiver/media/{sha(PHOTO)}",
        f"/-/archiver/media/{sha(AVATAR)}",
        "/archive/media",
    )

    assert len(PHOTO) > 10_000 > len(AVATAR)
    assert photo.status_code == 403
    assert avatar.status_code == 200
    assert f'<img src="/-/archiver/media/{sha(PHOTO)}"' not in media.text
    assert f'<img src="/-/archiver/media/{sha(AVATAR)}"' in media.text


def test_post_keys_in_queries_and_views_link_to_the_post(datasette):
    query, view = fetch(
        datasette, "/archive/vanished_posts", "/archive/embeds_with_posts?handle=ghost_reporter"
    )
    link = f'<a href="/archive/posts/{tilde_encode(VANISHED_KEY)}">{VANISHED_KEY}</a>'

    assert link in query.text
    assert link in view.text


def test_a_row_page_of_the_archive_reads_as_a_record(datasette):
    [post] = fetch(datasette, f"/archive/posts/{tilde_encode(VANISHED_KEY)}")

    assert RECORD_SCRIPT.strip() in post.text


def test_the_plugin_leaves_other_databases_alone(tmp_path):
    other = tmp_path / "notes.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT, sha256 TEXT, post_key TEXT)")
    db.execute(
        "INSERT INTO notes VALUES (1, 'see https://example.org/a <b>now</b>', ?, 'twitter:1')",
        [sha(b"x")],
    )
    db.commit()
    db.close()
    datasette = Datasette([str(other)])
    table, row = fetch(datasette, "/notes/notes", "/notes/notes/1")

    assert "see https://example.org/a &lt;b&gt;now&lt;/b&gt;" in table.text
    assert "noopener" not in table.text
    assert f'<code title="{sha(b"x")}">' not in table.text
    assert "/notes/posts/" not in table.text
    assert "archiver-record" not in row.text


def test_running_datasette_yourself_gives_the_same(archived_sample_db):
    metadata = parse_metadata(metadata_path().read_text(encoding="utf-8"))
    datasette = Datasette([str(archived_sample_db)], metadata=metadata)
    plugins, vanished, page = fetch(
        datasette,
        "/-/plugins.json",
        "/archive/vanished_posts.json?_shape=array",
        f"/archive/posts/{tilde_encode(HOSTILE_KEY)}",
    )

    assert archived_sample_db.name == "archive.db"
    assert [p["name"] for p in plugins.json() if p["name"] == "archiver"] == ["archiver"]
    assert [p["post_key"] for p in vanished.json()] == [VANISHED_KEY, DELETED_KEY]
    assert 'rel="nofollow noopener noreferrer">https://example.org/xss' in page.text


def test_an_archive_of_any_file_name_is_served_as_archive_with_the_metadata(tmp_path):
    path = tmp_path / "newsroom-2024.db"
    with open_archive(path) as archive:
        article = sample_article()
        archive.save_article(article, scan_of(article))
    datasette = make_datasette(path)
    [database, posts, by_file_name] = fetch(
        datasette, "/archive.json", "/archive/posts", "/newsroom-2024/posts"
    )

    assert by_file_name.status_code == 404
    assert len(database.json()["queries"]) == 5
    assert "One row per post, merged from every witness" in posts.text


def test_what_a_run_writes_while_datasette_serves_shows_at_once(tmp_path):
    path = tmp_path / "archive.db"
    open_archive(path).close()
    datasette = make_datasette(path)

    async def articles_while_writing():
        before = (await datasette.client.get("/archive/articles.json?_shape=array")).json()
        with open_archive(path) as archive:
            article = sample_article()
            archive.save_article(article, scan_of(article))
        after = (await datasette.client.get("/archive/articles.json?_shape=array")).json()
        return before, after

    before, after = asyncio.run(articles_while_writing())

    assert before == []
    assert [a["url"] for a in after] == [str(SAMPLE_PATH)]


def test_an_archive_from_before_the_views_gets_them_when_served(tmp_path):
    path = tmp_path / "archive.db"
    open_archive(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP VIEW embeds_with_posts")
    db.execute("DROP VIEW snapshots_with_outcomes")
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE name IN ('0004_views', '0005_indexes_for_exploring')"
    )
    db.execute("DROP INDEX embeds_account")
    db.execute("DROP INDEX checks_snapshot_id")
    db.commit()
    db.close()

    [database] = fetch(make_datasette(path), "/archive.json")

    assert {v["name"] for v in database.json()["views"]} == {
        "embeds_with_posts",
        "snapshots_with_outcomes",
    }


def test_make_datasette_refuses_what_is_not_an_archive(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()

    with pytest.raises(InputError, match="no archive database"):
        make_datasette(tmp_path / "missing.db")
    with pytest.raises(InputError, match="not an archiver database"):
        make_datasette(other)
    assert not (tmp_path / "missing.db").exists()


def test_cli_prints_the_metadata_path_and_refuses_a_missing_archive(tmp_path):
    runner = CliRunner()
    printed = runner.invoke(app, ["serve", "--print-metadata-path"])
    missing = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing.db")])

    assert printed.exit_code == 0
    assert Path(printed.output.strip()) == metadata_path()
    assert metadata_path().is_file()
    assert missing.exit_code == 2
    assert "no archive database" in missing.output


def test_cli_refuses_a_port_already_taken(archived_sample_db):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--db", str(archived_sample_db), "--port", str(port)]
        )

    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_archiver_serve_serves_the_archive_until_stopped(archived_sample_db, tmp_path):
    with served(archived_sample_db) as (url, server):
        with urllib.request.urlopen(url + "-/plugins.json", timeout=10) as answer:
            assert b'"archiver"' in answer.read()
        with urllib.request.urlopen(url + f"-/archiver/media/{sha(PHOTO)}", timeout=10) as answer:
            assert answer.headers["Content-Type"] == "image/png"
            assert answer.read() == PHOTO
    assert server.returncode == 0


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "See https://example.org/a.",
            'See <a href="https://example.org/a" rel="nofollow noopener noreferrer">'
            "https://example.org/a</a>.",
        ),
        (
            "(via https://en.wikipedia.org/wiki/Kyiv_(city))",
            '(via <a href="https://en.wikipedia.org/wiki/Kyiv_(city)" rel="nofollow noopener'
            ' noreferrer">https://en.wikipedia.org/wiki/Kyiv_(city)</a>)',
        ),
        (
            'x https://e.org/"><script>alert(1)</script>',
            'x <a href="https://e.org/" rel="nofollow noopener noreferrer">https://e.org/</a>'
            "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        (
            "javascript:alert(1) data:text/html,<b>x</b>",
            "javascript:alert(1) data:text/html,&lt;b&gt;x&lt;/b&gt;",
        ),
        ("https:// alone", "https:// alone"),
        (
            "HTTP://EXAMPLE.ORG",
            '<a href="HTTP://EXAMPLE.ORG" rel="nofollow noopener noreferrer">HTTP://EXAMPLE.ORG</a>',
        ),
    ],
)
def test_text_with_links_escapes_everything_and_links_only_http(text, html):
    assert cells.text_with_links(text) == html
