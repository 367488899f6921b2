"""The post page in Datasette: the post as people know it, its state, snapshots and quoting
articles, before Datasette's record of the row; nothing from a post rendered as markup."""

import asyncio

import pytest
from archived_sample import HOSTILE_KEY, VANISHED_KEY
from datasette.utils import tilde_encode

from archiver.datasette import make_datasette

VINDMAN_KEY = "twitter:1497424309257414584"


@pytest.fixture(scope="module")
def pages(archived_sample_db):
    datasette = make_datasette(archived_sample_db)

    async def fetch():
        found = {}
        for key in (VINDMAN_KEY, VANISHED_KEY, HOSTILE_KEY):
            response = await datasette.client.get(f"/archive/posts/{tilde_encode(key)}")
            assert response.status_code == 200
            found[key] = response.text
        media = [
            await datasette.client.get(src)
            for src in _sources(found[VINDMAN_KEY], "avatar")
            + _sources(found[VINDMAN_KEY], "picture")
        ]
        return found, media

    return asyncio.run(fetch())


def _sources(page, css_class):
    return [
        part.split('src="', 1)[1].split('"', 1)[0]
        for part in page.split(f'<img class="{css_class}"')[1:]
    ]


def card(page):
    return page.split('<article class="archiver-post"', 1)[1].split("<h2>The record</h2>", 1)[0]


def test_a_live_post_shows_avatar_name_handle_text_picture_date_and_its_evidence(pages):
    found, media = pages
    page = card(found[VINDMAN_KEY])
    assert "Yevgeny (Eugene) Vindman" in page and "@YVindman" in page
    assert "I’m in awe of this man." in page
    assert len(_sources(page, "avatar")) == 1 and len(_sources(page, "picture")) == 1
    assert [(r.status_code, r.headers["content-type"]) for r in media] == [(200, "image/png")] * 2
    assert "2022-02-26T04:12:30.000Z" in page
    assert "live: last seen live" in page
    assert page.count("<li>") == 2 and page.count(">replay</strong>") == 2
    assert "Articles that quote it" in page and "zelensky-stays-in-kyiv.txt" in page


def test_a_deleted_post_shows_its_vanish_window(pages):
    found, _ = pages
    page = card(found[VANISHED_KEY])
    assert "<strong>deleted</strong>: last seen live 2024-05-01T10:02:20.000Z" in page
    assert "first seen gone 2024-05-08T06:30:00.000Z" in page
    assert "@ghost_reporter" in page


def test_a_hostile_post_is_shown_as_text_and_its_refused_media_not_at_all(pages):
    found, _ = pages
    page = card(found[HOSTILE_KEY])
    assert "echoes &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in found[HOSTILE_KEY] and "<svg onload" not in found[HOSTILE_KEY]
    assert "WebSec Daily &lt;svg onload=alert(4)&gt;" in page
    assert _sources(page, "picture") == []  # an SVG and HTML sent as image/png: never shown
    assert (
        '<a href="https://example.org/xss?a=1&amp;b=2" rel="nofollow noopener noreferrer">' in page
    )


def test_the_record_follows_the_card(pages):
    found, _ = pages
    page = found[VINDMAN_KEY]
    card_at, record_at = page.index('<article class="archiver-post"'), page.index("The record")
    assert card_at < record_at < page.index('<table class="rows-and-columns')


def test_the_home_page_leads_with_articles_posts_and_the_questions(archived_sample_db):
    datasette = make_datasette(archived_sample_db)

    async def home():
        return (await datasette.client.get("/")).text

    page = asyncio.run(home())
    start, every = page.index("Start here"), page.index("Every table")
    assert start < every < page.index('href="/archive/blobs"')
    lead = page[start:every]
    assert lead.index('href="/archive/articles"') < lead.index('href="/archive/posts?_col=handle')
    for query in ("vanished_posts", "unverifiable_embeds", "most_embedded_accounts"):
        assert f'href="/archive/{query}"' in lead
    assert "Posts that vanished" in lead
