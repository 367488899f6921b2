"""Datasette opens archive.db as it is: tables, full-text search, foreign keys shown by label."""

import asyncio

from datasette.app import Datasette
from store_samples import (
    SAMPLE_PATH,
    live_witness,
    sample_article,
    sample_post,
    scan_of,
    tco_hop,
)

from archiver.models import Resolution
from archiver.store import open_archive


def datasette_get(path, *urls):
    async def get_all():
        datasette = Datasette([str(path)])
        return [(await datasette.client.get(url)) for url in urls]

    return asyncio.run(get_all())


def test_datasette_lists_the_tables_and_searches_posts_and_embeds(tmp_path):
    path = tmp_path / "archive.db"
    post = sample_post("ChristopherJM")
    with open_archive(path) as archive:
        article = sample_article()
        archive.save_article(article, scan_of(article))
        status_url = f"https://twitter.com/ChristopherJM/status/{post.id}/video/1"
        archive.save_resolution(
            1,
            Resolution(
                "twitter", post.id, status_url, "shortlink", [tco_hop("bgHyrsbVFs", status_url)]
            ),
        )
        archive.save_witnesses(post.key, [live_witness(post)])

    database, posts, embeds, labelled = datasette_get(
        path,
        "/archive.json",
        "/archive/posts.json?_search=defending&_shape=array",
        "/archive/embeds.json?_search=ammunition&_shape=array",
        "/archive/embeds.json?id=1&_labels=on&_shape=array",
    )

    assert database.status_code == 200
    tables = {t["name"]: t for t in database.json()["tables"]}
    for name in ("articles", "article_versions", "embeds", "posts", "snapshots", "media", "blobs"):
        assert name in tables
    for name in ("checks", "runs", "failures", "pic_links"):
        assert name in tables
    assert tables["posts"]["fts_table"] == "posts_fts"
    assert tables["embeds"]["fts_table"] == "embeds_fts"
    assert tables["posts_fts"]["hidden"]
    assert [(row["key"], row["handle"]) for row in posts.json()] == [(post.key, "ChristopherJM")]
    assert [(row["id"], row["handle"]) for row in embeds.json()] == [(3, "BNONews")]
    [embed] = labelled.json()
    assert embed["post_key"] == {"value": post.key, "label": "@ChristopherJM: " + post.text[:80]}
    assert embed["article_id"] == {"value": 1, "label": str(SAMPLE_PATH)}
