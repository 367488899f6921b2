"""Reading Mastodon's GET /api/v1/statuses/:id answers into witnesses."""

import asyncio
import copy
import json

import pytest
from fake_internet import FakeInternet

from archiver.fetch.mastodon import fetch_mastodon_witnesses, status_url
from archiver.models import Exchange, MediaItem, Post, PostState, Witness
from archiver.witnesses.mastodon import html_to_text, parse_mastodon_status

HOST = "social.example.org"
STATUS_ID = "113546210398477312"
FILES = "https://files.social.example.org"

# Written for this test with the fields of docs.joinmastodon.org/entities/Status/, Account/ and
# MediaAttachment/, for a made-up account.
STATUS = {
    "id": STATUS_ID,
    "created_at": "2024-11-26T08:14:03.000Z",
    "in_reply_to_id": "113546200000000001",
    "in_reply_to_account_id": "109000000000000001",
    "sensitive": False,
    "spoiler_text": "",
    "visibility": "public",
    "language": "en",
    "uri": f"https://{HOST}/users/desk/statuses/{STATUS_ID}",
    "url": f"https://{HOST}/@desk/{STATUS_ID}",
    "replies_count": 2,
    "reblogs_count": 7,
    "favourites_count": 31,
    "edited_at": None,
    "content": (
        '<p>Kyiv this morning &amp; the mayor&#39;s word:<br>"The city holds."</p>'
        '<p><a href="https://social.example.org/tags/Kyiv" class="mention hashtag" rel="tag">'
        "#<span>Kyiv</span></a></p>"
    ),
    "reblog": None,
    "account": {
        "id": "109000000000000042",
        "username": "desk",
        "acct": "desk",
        "display_name": "Example Desk",
        "url": f"https://{HOST}/@desk",
        "avatar": f"{FILES}/accounts/avatars/109/000/000/000/000/042/original/a1b2.png",
    },
    "media_attachments": [
        {
            "id": "113546209000000001",
            "type": "image",
            "url": f"{FILES}/media_attachments/files/113/546/209/original/c3d4.jpg",
            "preview_url": f"{FILES}/media_attachments/files/113/546/209/small/c3d4.jpg",
            "remote_url": None,
            "meta": {
                "original": {"width": 1600, "height": 1067, "size": "1600x1067", "aspect": 1.4995}
            },
            "description": "Khreshchatyk at dawn",
            "blurhash": "UFGuXk",
        },
        {
            "id": "113546209000000002",
            "type": "audio",
            "url": f"{FILES}/media_attachments/files/113/546/209/original/e5f6.mp3",
            "meta": {},
        },
    ],
    "mentions": [],
    "tags": [{"name": "kyiv", "url": f"https://{HOST}/tags/kyiv"}],
    "emojis": [],
    "card": None,
    "poll": None,
}


def answer(body, *, status=200, status_id=STATUS_ID):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    url = status_url(f"{HOST}/{status_id}")
    return Exchange(url=url, final_url=url, status=status, headers=[], body=body)


def test_status_url():
    assert status_url(f"{HOST}/{STATUS_ID}") == f"https://{HOST}/api/v1/statuses/{STATUS_ID}"
    for bad in [
        "",
        HOST,
        f"{HOST}/abc",
        f"127.0.0.1/{STATUS_ID}",
        f"evil.example@x.org/{STATUS_ID}",
    ]:
        with pytest.raises(ValueError):
            status_url(bad)


def test_a_status_becomes_a_whole_live_witness():
    exchange = answer(STATUS)
    assert parse_mastodon_status(exchange) == Witness(
        source="mastodon_api",
        exchange=exchange,
        state=PostState.LIVE,
        post=Post(
            platform="mastodon",
            id=f"{HOST}/{STATUS_ID}",
            url=f"https://{HOST}/@desk/{STATUS_ID}",
            handle="desk",
            author_name="Example Desk",
            author_id="109000000000000042",
            text='Kyiv this morning & the mayor\'s word:\n"The city holds."\n\n#Kyiv',
            lang="en",
            created_at="2024-11-26T08:14:03.000Z",
            reply_to=f"mastodon:{HOST}/113546200000000001",
            counts={"likes": 31, "replies": 2, "reposts": 7},
            media=[
                MediaItem(
                    "photo",
                    f"{FILES}/media_attachments/files/113/546/209/original/c3d4.jpg",
                    alt="Khreshchatyk at dawn",
                    width=1600,
                    height=1067,
                ),
                MediaItem(
                    "profile_image",
                    f"{FILES}/accounts/avatars/109/000/000/000/000/042/original/a1b2.png",
                ),
            ],
        ),
        reason=(
            "ignored: media_attachments[1] skipped: not an image, video or GIF with an https URL"
        ),
        parsed=STATUS,
    )


def test_404_is_not_found_and_a_login_wall_is_unknown():
    witness = parse_mastodon_status(answer({"error": "Record not found"}, status=404))
    assert (witness.state, witness.reason) == (PostState.NOT_FOUND, "HTTP 404")
    witness = parse_mastodon_status(
        answer({"error": "This API requires an authenticated user"}, status=401)
    )
    assert (witness.state, witness.reason) == (PostState.UNKNOWN, "HTTP 401")


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"content": 5}, "content is integer, not string"),
        ({"account": []}, "account is array, not object"),
        ({"id": "../../etc"}, "id is not a status id"),
        (
            {"id": "113546210398477313"},
            f"the answer is about status {HOST}/113546210398477313, not the one asked for",
        ),
        ({"account": {"username": "../x"}}, "account.username is not a user name"),
    ],
)
def test_wrong_fields_make_it_unknown(changes, reason):
    witness = parse_mastodon_status(answer(dict(STATUS, **changes)))
    assert (witness.state, witness.post, witness.reason) == (PostState.UNKNOWN, None, reason)


def test_optional_fields_that_are_wrong_are_skipped():
    status = copy.deepcopy(STATUS)
    status.update(
        language='en"><script>', created_at="yesterday", favourites_count="31", url="javascript:x"
    )
    witness = parse_mastodon_status(answer(status))
    assert witness.state is PostState.LIVE
    assert (witness.post.lang, witness.post.created_at, witness.post.counts, witness.post.url) == (
        None,
        None,
        {"replies": 2, "reposts": 7},
        f"https://{HOST}/@desk/{STATUS_ID}",
    )


def test_urls_with_a_line_break_or_a_space_are_never_kept():
    # A CR LF in a URL from a remote answer is a header injection attempt (found by make fuzz).
    status = copy.deepcopy(STATUS)
    status["media_attachments"][0]["url"] = "https://files.example/a.jpg\r\nX-Injected: 1"
    status["account"]["avatar"] = "https://files.example/avatar .png"
    status["url"] = "https://social.example.org/@desk/1\n"
    witness = parse_mastodon_status(answer(status))
    assert witness.state is PostState.LIVE
    assert [item.url for item in witness.post.media] == []
    assert witness.post.url == f"https://{HOST}/@desk/{STATUS_ID}"
    assert "media_attachments[0] skipped" in witness.reason


@pytest.mark.parametrize(
    "html, text",
    [
        ("<p>one</p><p>two<br />three</p>", "one\n\ntwo\nthree"),
        ("plain &lt;b&gt;", "plain <b>"),
        ("<p>a<![foo[ b ]]></p>", "a"),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_fetching_asks_the_server_once():
    internet = FakeInternet()
    internet.add(status_url(f"{HOST}/{STATUS_ID}"), STATUS)
    [witness] = asyncio.run(fetch_mastodon_witnesses(internet, f"{HOST}/{STATUS_ID}"))
    assert witness.state is PostState.LIVE
    assert internet.urls == [f"https://{HOST}/api/v1/statuses/{STATUS_ID}"]


def test_a_lone_surrogate_in_the_content_is_replaced_not_raised_on():
    # JSON can escape half a surrogate pair ("\ud800"); the HTML parser takes UTF-8 only.
    status = copy.deepcopy(STATUS)
    status["content"] = "<p>half \ud800 a pair</p>"
    witness = parse_mastodon_status(answer(status))
    assert (witness.state, witness.post.text) == (PostState.LIVE, "half \ufffd a pair")
