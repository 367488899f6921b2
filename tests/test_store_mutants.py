"""Store behaviour that mutants of archiver/store/ showed no other store test held
(docs/development.md, "Mutation testing"): each test fails under the mutants named in it."""

import hashlib
import tempfile

import pytest
from store_samples import FETCHED_AT, SAMPLE_IDS, TickingClock, sample_article, scan_of

from archiver.models import Embed, Exchange, MediaItem, Resolution
from archiver.store import StreamedBody, open_archive

VINDMAN_ID = SAMPLE_IDS["YVindman"]
VINDMAN_URL = f"https://twitter.com/YVindman/status/{VINDMAN_ID}"
WORDS = "I’m in awe of this man."


@pytest.fixture
def archive(tmp_path):
    with open_archive(tmp_path / "archive.db", clock=TickingClock()) as archive:
        yield archive


def embed(**fields) -> Embed:
    values = {
        "platform": "twitter",
        "form": "text_attribution",
        "text": WORDS,
        "start": 0,
        "end": 10,
        "handle": "YVindman",
        "display_name": "Yevgeny (Eugene) Vindman",
        "date": "2022-02-26",
    }
    return Embed(**(values | fields))


def saved(archive, source: str, one: Embed) -> int:
    article = sample_article(source=source, content=f"{source}\n".encode())
    [embed_id] = archive.save_article(article, scan_of(article, (one,))).embed_ids
    return embed_id


def resolution_of(archive, embed_id: int) -> tuple:
    row = archive.db["embeds"].get(embed_id)
    return row["post_key"], row["resolved_how"], row["resolved_url"], row["resolved_by_embed_id"]


def test_an_embed_adopts_the_resolution_of_one_with_its_post_id_whatever_its_words(archive):
    # Mutants: adopt_resolution's "id" branch not taken (or asking for another column), and
    # _identity's id key misspelt: the equal embed is looked for by handle and date instead.
    first = saved(archive, "https://news.example/a", embed(status_id=VINDMAN_ID))
    second = saved(
        archive,
        "https://news.example/b",
        embed(form="status_url", text="", handle=None, date=None, status_id=VINDMAN_ID),
    )
    archive.save_resolution(first, Resolution("twitter", VINDMAN_ID, VINDMAN_URL, "markup"))
    assert archive.adopt_resolution(second) is True
    assert resolution_of(archive, second) == (
        f"twitter:{VINDMAN_ID}",
        "markup",
        VINDMAN_URL,
        first,
    )
    # another post's id adopts nothing, even with the same account, day and words
    third = saved(archive, "https://news.example/c", embed(status_id=SAMPLE_IDS["BNONews"]))
    assert archive.adopt_resolution(third) is False


def test_an_embed_adopts_the_resolution_of_one_with_its_pic_link_whatever_its_date(archive):
    # The same post shown with its date in two time zones: one picture, one post.
    # Mutants: adopt_resolution's "pictures" branch not taken, or the code read off the link
    # wrongly (the equal embed then looked for by handle and date, or by a code no row holds).
    pic = ("pic.twitter.com/ok6JOXl4KA",)
    first = saved(archive, "https://news.example/a", embed(pic_links=pic))
    second = saved(archive, "https://news.example/b", embed(pic_links=pic, date="2022-02-25"))
    archive.save_resolution(first, Resolution("twitter", VINDMAN_ID, VINDMAN_URL, "shortlink"))
    assert archive.adopt_resolution(second) is True
    assert resolution_of(archive, second)[::3] == (f"twitter:{VINDMAN_ID}", first)
    # another picture of the same account on the same day adopts nothing
    other = saved(
        archive, "https://news.example/c", embed(pic_links=("pic.twitter.com/V8zWIJ0IAS",))
    )
    assert archive.adopt_resolution(other) is False


def test_the_same_words_of_another_account_or_day_adopt_nothing(archive):
    # Mutants: _identity's handle or date turned to "" for every embed (``or`` made ``and``).
    first = saved(archive, "https://news.example/a", embed())
    archive.save_resolution(
        first, Resolution("twitter", VINDMAN_ID, VINDMAN_URL, "wayback_cdx+text_match")
    )
    other_account = saved(archive, "https://news.example/b", embed(handle="someone_else"))
    other_day = saved(archive, "https://news.example/c", embed(date="2022-02-27"))
    assert archive.adopt_resolution(other_account) is False
    assert archive.adopt_resolution(other_day) is False
    # the same words, account and day, spaced and cased otherwise, are the same post
    same = saved(archive, "https://news.example/d", embed(text=f"  {WORDS.upper()}\n"))
    assert archive.adopt_resolution(same) is True


def test_a_new_version_keeps_the_resolution_of_its_own_embeds_only(archive):
    # Mutants: _identity's handle or date turned to "" for every embed (``or`` made ``and``):
    # a changed article's new version took a resolution for another account's or day's embed.
    source = "https://news.example/live"
    first = sample_article(source=source, content=b"version 1\n")
    [resolved] = archive.save_article(first, scan_of(first, (embed(),))).embed_ids
    archive.save_resolution(
        resolved, Resolution("twitter", VINDMAN_ID, VINDMAN_URL, "wayback_cdx+text_match")
    )
    second = sample_article(source=source, content=b"version 2\n")
    again, other_account, other_day = archive.save_article(
        second,
        scan_of(second, (embed(), embed(handle="someone_else"), embed(date="2022-02-27"))),
    ).embed_ids
    assert resolution_of(archive, again)[0] == f"twitter:{VINDMAN_ID}"
    assert resolution_of(archive, other_account)[0] is None
    assert resolution_of(archive, other_day)[0] is None


def test_a_bluesky_key_with_colons_in_its_did_names_its_post(archive):
    # Mutant: store/readers.py's find_post_key splitting the key at its last ":" (a did's).
    did, rkey = "did:plc:z72i7hdynmk6r22z27h6tvur", "3lfb2x6ftks2p"
    url = f"https://bsky.app/profile/{did}/post/{rkey}"
    embed_id = saved(
        archive,
        "https://news.example/a",
        embed(platform="bluesky", handle="bsky.app", status_id=f"{did}/{rkey}", status_url=url),
    )
    archive.save_resolution(embed_id, Resolution("bluesky", f"{did}/{rkey}", url, "markup"))
    assert archive.find_post(f"bluesky:{did}/{rkey}")["key"] == f"bluesky:{did}/{rkey}"
    assert archive.find_post(url)["key"] == f"bluesky:{did}/{rkey}"


def test_an_article_shows_a_post_when_any_of_its_embeds_of_it_is_current(archive):
    # Mutants: store/readers.py's _articles_of folding the article's embeds with ``and`` or to
    # None, and _decoded leaving the flags as 0 and 1 (JSON output then says 1, not true).
    source = "https://news.example/live"
    first = sample_article(source=source, content=b"version 1\n")
    [old] = archive.save_article(first, scan_of(first, (embed(status_id=VINDMAN_ID),))).embed_ids
    archive.save_resolution(old, Resolution("twitter", VINDMAN_ID, VINDMAN_URL, "markup"))
    second = sample_article(source=source, content=b"version 2\n")
    archive.save_article(second, scan_of(second, (embed(status_id=VINDMAN_ID),)))
    gone = sample_article(source="https://news.example/gone", content=b"version 1\n")
    [was] = archive.save_article(gone, scan_of(gone, (embed(status_id=VINDMAN_ID),))).embed_ids
    archive.adopt_resolution(was)
    changed = sample_article(source="https://news.example/gone", content=b"version 2\n")
    archive.save_article(changed, scan_of(changed, ()))

    post = archive.post_detail(f"twitter:{VINDMAN_ID}")
    assert [(a["url"], a["current"]) for a in post["articles"]] == [
        (source, True),
        ("https://news.example/gone", False),
    ]
    assert all(type(a["current"]) is bool for a in post["articles"])


def test_a_streamed_media_download_is_stored_under_the_hash_of_its_bytes(archive):
    # Every media download is streamed to a file (archiver/jobs/media.py). Mutants: save_media
    # not passing the file's hash and size on, so the row took the empty in-memory body's.
    item = MediaItem(kind="photo", url="https://pbs.twimg.com/media/6zMD2jU7A0tEVTx?name=orig")
    answer = Exchange(
        url=item.url,
        final_url=item.url,
        status=200,
        headers=[("content-type", "image/jpeg")],
        body=b"",
        fetched_at=FETCHED_AT,
    )
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64 + b"\xff\xd9"
    post_key = f"twitter:{VINDMAN_ID}"
    sha256 = hashlib.sha256(jpeg).hexdigest()
    with tempfile.TemporaryFile() as first, tempfile.TemporaryFile() as second:
        first.write(jpeg)
        second.write(jpeg)
        body = StreamedBody(first, sha256, len(jpeg), "image/jpeg")
        media_id = archive.save_media(post_key, item, answer, body=body)
        again = StreamedBody(second, sha256, len(jpeg), "image/jpeg")
        assert archive.save_media(post_key, item, answer, body=again) == media_id
    row = archive.db["media"].get(media_id)
    assert (row["sha256"], row["bytes"]) == (sha256, len(jpeg))
    assert (row["status"], row["content_type"]) == (200, "image/jpeg")
    assert archive.get_blob(row["sha256"]) == jpeg
    assert archive.check() == []
