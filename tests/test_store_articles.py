"""Saving articles: the sample article as whole rows, re-runs, half-way failures, changes."""

import dataclasses
import hashlib

import pytest
from store_samples import (
    SAMPLE_IDS,
    SAMPLE_PATH,
    TickingClock,
    exchange,
    sample_article,
    sample_embeds,
    scan_of,
    tco_hop,
)

from archiver.errors import StoreError
from archiver.models import ArticleInput, Hop, Resolution
from archiver.store import EmbedRow, SavedArticle, open_archive

SAMPLE_SHA256 = "606c68780f094a952f4f4ecd1819a2890ea267129b3fc1933ad5055150ba3cbd"
T0 = "2024-05-01T09:00:00.000Z"
T1 = "2024-05-01T09:00:01.000Z"
T2 = "2024-05-01T09:00:02.000Z"

CHRISTOPHER_TEXT = (
    "⚡️Ukraine’s Zelensky posts a new video of himself and his team outside the presidential "
    "administration in Kyiv’s government quarter after rumors in Russian media that he’d fled. "
    "“We are here. We are in Kyiv. We are defending Ukraine.” pic.twitter.com/bgHyrsbVFs"
)
SASHA_TEXT = (
    "went and translated that zelensky selfie video from the streets of kyiv, just to know what "
    "he was actually saying in response to the russian reports that he had fled -- so here it is "
    "for the rest of you, plus this music naturally felt right. enjoy. pic.twitter.com/JDLXtYAq5q"
)
BNO_TEXT = (
    "Ukrainian President Zelenskiy turns down U.S. request to evacuate Kyiv, saying: "
    '"I need ammunition, not a ride" - AP'
)
VINDMAN_TEXT = (
    "I’m in awe of this man. How can we not support him and his people when they demonstrate "
    "such grit and determination. #StandWithUkriane pic.twitter.com/ok6JOXl4KA"
)
FRANCE24_TEXT = (
    "🔴🇺🇦 After Ukrainian forces said they had repulsed a Russian attack on #Kyiv during the "
    "night, President Volodymyr #Zelensky shot a selfie-style video to vow to stay and fight on."
    '\n\n\n\n"We will not lay down our weapons," said Zelensky ⤵️ pic.twitter.com/V8zWIJ0IAS'
)


@pytest.fixture
def archive(tmp_path):
    with open_archive(tmp_path / "archive.db", clock=TickingClock()) as archive:
        yield archive


def rows(archive, table):
    return list(archive.db[table].rows)


def row_counts(archive):
    return {table: archive.db[table].count for table in archive.db.table_names()}


def embed_row(id, ordinal, handle, name, date, pics, text, start, end, **changes):
    return {
        "id": id,
        "article_id": 1,
        "article_version_id": 1,
        "ordinal": ordinal,
        "platform": "twitter",
        "form": "text_attribution",
        "handle": handle,
        "display_name": name,
        "date": date,
        "date_text": {"2022-02-25": "February 25, 2022", "2022-02-26": "February 26, 2022"}[date],
        "pic_links": pics,
        "links": "[]",
        "status_id": None,
        "status_url": None,
        "lang": None,
        "text": text,
        "start": start,
        "end": end,
        "post_key": None,
        "resolved_how": None,
        "resolved_url": None,
        "resolved_chain": None,
        "resolved_at": None,
        "resolved_by_embed_id": None,
        "title": f"@{handle}: {text[:60]}",
        **changes,
    }


SAMPLE_EMBED_ROWS = [
    embed_row(
        1,
        0,
        "ChristopherJM",
        "Christopher Miller",
        "2022-02-25",
        '["pic.twitter.com/bgHyrsbVFs"]',
        CHRISTOPHER_TEXT,
        1042,
        1359,
    ),
    embed_row(
        2,
        1,
        "SaoSasha",
        "Alex Kliment",
        "2022-02-25",
        '["pic.twitter.com/JDLXtYAq5q"]',
        SASHA_TEXT,
        1396,
        1716,
    ),
    embed_row(3, 2, "BNONews", "BNO News", "2022-02-26", "[]", BNO_TEXT, 1718, 1874),
    embed_row(
        4,
        3,
        "YVindman",
        "Yevgeny (Eugene) Vindman",
        "2022-02-26",
        '["pic.twitter.com/ok6JOXl4KA"]',
        VINDMAN_TEXT,
        1913,
        2131,
    ),
    embed_row(
        5,
        4,
        "France24_en",
        "FRANCE 24 English",
        "2022-02-26",
        '["pic.twitter.com/V8zWIJ0IAS"]',
        FRANCE24_TEXT,
        2169,
        2483,
    ),
]


def test_the_sample_article_is_stored_as_whole_rows(archive):
    article = sample_article()
    saved = archive.save_article(article, scan_of(article))

    assert saved == SavedArticle(article_id=1, status="new", embed_ids=[1, 2, 3, 4, 5])
    assert rows(archive, "articles") == [
        {
            "id": 1,
            "url": str(SAMPLE_PATH),
            "name": str(SAMPLE_PATH),
            "final_url": None,
            "title": None,
            "kind": "text",
            "encoding": "utf-8",
            "content_type": "text/plain",
            "sha256": SAMPLE_SHA256,
            "current_version_id": 1,
            "embed_count": 5,
            "first_seen": T0,
            "last_changed": T0,
            "last_scanned": T0,
        }
    ]
    assert rows(archive, "article_versions") == [
        {
            "id": 1,
            "article_id": 1,
            "sha256": SAMPLE_SHA256,
            "bytes": 2591,
            "content_type": "text/plain",
            "kind": "text",
            "encoding": "utf-8",
            "title": None,
            "final_url": None,
            "provenance": "{}",
            "fetched_at": None,
            "status": None,
            "headers": None,
            "redirect_chain": None,
            "replay": 0,
            "embed_count": 5,
            "run_id": None,
            "first_seen": T0,
            "last_seen": T0,
        }
    ]
    assert rows(archive, "blobs") == [
        {
            "sha256": SAMPLE_SHA256,
            "content": SAMPLE_PATH.read_bytes(),
            "bytes": 2591,
            "content_type": "text/plain",
            "first_seen": T0,
        }
    ]
    assert rows(archive, "embeds") == SAMPLE_EMBED_ROWS
    assert rows(archive, "pic_links") == [
        {
            "id": 1,
            "code": "bgHyrsbVFs",
            "embed_id": 1,
            "post_key": None,
            "link": "pic.twitter.com/bgHyrsbVFs",
        },
        {
            "id": 2,
            "code": "JDLXtYAq5q",
            "embed_id": 2,
            "post_key": None,
            "link": "pic.twitter.com/JDLXtYAq5q",
        },
        {
            "id": 3,
            "code": "ok6JOXl4KA",
            "embed_id": 4,
            "post_key": None,
            "link": "pic.twitter.com/ok6JOXl4KA",
        },
        {
            "id": 4,
            "code": "V8zWIJ0IAS",
            "embed_id": 5,
            "post_key": None,
            "link": "pic.twitter.com/V8zWIJ0IAS",
        },
    ]
    document = article.content.decode()
    for row in rows(archive, "embeds"):
        assert row["text"] in document[row["start"] : row["end"]]
    assert archive.article_is_unchanged(str(SAMPLE_PATH), SAMPLE_SHA256)
    assert not archive.article_is_unchanged(str(SAMPLE_PATH), "0" * 64)


def test_embeds_to_resolve_lists_the_unresolved_embeds_of_current_versions(archive):
    article = sample_article()
    archive.save_article(article, scan_of(article))

    pending = archive.embeds_to_resolve(article_id=1)

    assert [e.id for e in pending] == [1, 2, 3, 4, 5]
    assert pending[2] == EmbedRow(
        id=3,
        article_id=1,
        platform="twitter",
        form="text_attribution",
        handle="BNONews",
        display_name="BNO News",
        date="2022-02-26",
        pic_links=(),
        links=(),
        status_id=None,
        status_url=None,
        text=BNO_TEXT,
    )
    assert pending[0].pic_links == ("pic.twitter.com/bgHyrsbVFs",)
    assert archive.embeds_to_resolve(article_id=2) == []


def test_saving_an_unchanged_article_again_adds_no_rows(archive):
    article = sample_article()
    archive.save_article(article, scan_of(article))
    before = row_counts(archive)

    again = archive.save_article(article, scan_of(article))

    assert again == SavedArticle(article_id=1, status="unchanged", embed_ids=[1, 2, 3, 4, 5])
    assert row_counts(archive) == before
    assert rows(archive, "articles")[0]["last_scanned"] == T1
    assert rows(archive, "articles")[0]["first_seen"] == T0


def test_a_failure_in_the_middle_of_an_article_leaves_nothing_half_stored(tmp_path, archive):
    article = sample_article()
    embeds = list(sample_embeds(article.content.decode()))
    embeds[3] = dataclasses.replace(embeds[3], text=None)  # NOT NULL fails after three embeds
    with open_archive(tmp_path / "empty.db") as empty:
        nothing = row_counts(empty)

    with pytest.raises(StoreError, match="NOT NULL"):
        archive.save_article(article, scan_of(article, tuple(embeds)))

    assert row_counts(archive) == nothing
    assert archive.check() == []


def test_a_failed_change_keeps_the_previous_version_whole(archive):
    article = sample_article()
    archive.save_article(article, scan_of(article))
    before = row_counts(archive)
    changed = sample_article(content=article.content + b"\nUpdate: a correction.\n")
    embeds = list(sample_embeds(changed.content.decode()))
    embeds[4] = dataclasses.replace(embeds[4], platform=None)

    with pytest.raises(StoreError):
        archive.save_article(changed, scan_of(changed, tuple(embeds)))

    assert row_counts(archive) == before
    assert rows(archive, "articles")[0]["sha256"] == SAMPLE_SHA256


def test_an_embed_span_outside_the_document_is_refused_before_anything_is_written(archive):
    article = sample_article()
    embeds = list(sample_embeds(article.content.decode()))
    embeds[0] = dataclasses.replace(embeds[0], end=10_000)

    with pytest.raises(StoreError, match=r"embed 0: span 1042\.\.10000 lies outside the document"):
        archive.save_article(article, scan_of(article, tuple(embeds)))
    assert archive.db["articles"].count == 0


def test_a_changed_article_keeps_each_version_and_carries_resolved_posts_over(archive):
    original = sample_article()
    archive.save_article(original, scan_of(original))
    post_id = SAMPLE_IDS["ChristopherJM"]
    status_url = f"https://twitter.com/ChristopherJM/status/{post_id}/video/1"
    archive.save_resolution(
        1,
        Resolution(
            "twitter", post_id, status_url, "shortlink", [tco_hop("bgHyrsbVFs", status_url)]
        ),
    )
    # The site drops the BNO News post and rewrites its opening line.
    text = original.content.decode()
    bno = text.index("Ukrainian President Zelenskiy turns down")
    text = text[:bno] + text[text.index("Gaining enormous respect") :]
    text = text.replace("He's refused.", "He has refused.")
    changed = sample_article(content=text.encode())

    saved = archive.save_article(changed, scan_of(changed))

    changed_sha = hashlib.sha256(changed.content).hexdigest()
    assert saved == SavedArticle(article_id=1, status="changed", embed_ids=[6, 7, 8, 9])
    versions = rows(archive, "article_versions")
    assert [(v["id"], v["sha256"], v["embed_count"]) for v in versions] == [
        (1, SAMPLE_SHA256, 5),
        (2, changed_sha, 4),
    ]
    article = rows(archive, "articles")[0]
    assert (article["sha256"], article["current_version_id"], article["last_changed"]) == (
        changed_sha,
        2,
        T2,
    )
    resolved = {
        "post_key": f"twitter:{post_id}",
        "resolved_how": "shortlink",
        "resolved_url": status_url,
        "resolved_chain": (
            '[{"snapshot_id":1,"url":"https://t.co/bgHyrsbVFs","status":301,'
            f'"final_url":"{status_url}","hops":[{{"url":"https://t.co/bgHyrsbVFs",'
            f'"status":301,"location":"{status_url}","via":"http"}}]}}]'
        ),
        "resolved_at": T1,
    }
    embeds = rows(archive, "embeds")
    # Version 1 still shows what it showed, spans and all.
    assert embeds[:5] == [{**SAMPLE_EMBED_ROWS[0], **resolved}, *SAMPLE_EMBED_ROWS[1:]]
    assert embeds[5] == embed_row(
        6,
        0,
        "ChristopherJM",
        "Christopher Miller",
        "2022-02-25",
        '["pic.twitter.com/bgHyrsbVFs"]',
        CHRISTOPHER_TEXT,
        1044,
        1361,
        article_version_id=2,
        resolved_by_embed_id=1,
        **resolved,
    )
    assert [(e["id"], e["handle"], e["post_key"]) for e in embeds[6:]] == [
        (7, "SaoSasha", None),
        (8, "YVindman", None),
        (9, "France24_en", None),
    ]
    assert [e.id for e in archive.embeds_to_resolve()] == [7, 8, 9]
    empty_body = hashlib.sha256(b"").hexdigest()  # the t.co 301 had an empty body
    assert {b["sha256"] for b in rows(archive, "blobs")} == {SAMPLE_SHA256, changed_sha, empty_body}
    assert archive.check() == []


def test_an_article_that_changes_back_reuses_its_version(archive):
    original = sample_article()
    changed = sample_article(content=original.content.replace(b"He's refused.", b"He refused."))
    archive.save_article(original, scan_of(original))
    archive.save_article(changed, scan_of(changed))
    counts = row_counts(archive)

    saved = archive.save_article(original, scan_of(original))

    assert saved == SavedArticle(article_id=1, status="changed", embed_ids=[1, 2, 3, 4, 5])
    assert row_counts(archive) == counts
    assert rows(archive, "articles")[0]["current_version_id"] == 1
    assert [e.id for e in archive.embeds_to_resolve()] == [1, 2, 3, 4, 5]


def test_stdin_articles_are_told_apart_by_their_content(archive):
    first = sample_article(source="-")
    second = sample_article(source="-", content=first.content + b"\n")

    archive.save_article(first, scan_of(first))
    archive.save_article(second, scan_of(second))

    assert [row["url"] for row in rows(archive, "articles")] == [
        f"stdin:{SAMPLE_SHA256}",
        f"stdin:{hashlib.sha256(second.content).hexdigest()}",
    ]
    assert archive.article_is_unchanged("-", SAMPLE_SHA256)


def test_an_article_fetched_over_http_keeps_its_exchange_and_provenance(archive):
    url = "https://example.org/2022/02/26/zelensky-stays"
    body = sample_article().content
    article = ArticleInput(
        source=url,
        content=body,
        content_type="text/plain",
        final_url="https://www.example.org/2022/02/26/zelensky-stays/",
        title="Zelensky stays in Kyiv",
        provenance={"feed": "https://example.org/feed.xml"},
        exchange=exchange(
            url,
            body,
            final_url="https://www.example.org/2022/02/26/zelensky-stays/",
            headers=[("content-type", "text/plain; charset=utf-8")],
            chain=[Hop(url, 301, "https://www.example.org/2022/02/26/zelensky-stays/")],
            replay=True,
        ),
    )

    archive.save_article(article, scan_of(article))

    version = rows(archive, "article_versions")[0]
    assert {k: version[k] for k in ("title", "final_url", "provenance", "fetched_at")} == {
        "title": "Zelensky stays in Kyiv",
        "final_url": "https://www.example.org/2022/02/26/zelensky-stays/",
        "provenance": '{"feed":"https://example.org/feed.xml"}',
        "fetched_at": "2024-05-01T10:00:00.000Z",
    }
    assert (version["status"], version["replay"]) == (200, 1)
    assert version["headers"] == '[["content-type","text/plain; charset=utf-8"]]'
    assert version["redirect_chain"] == (
        '[{"url":"https://example.org/2022/02/26/zelensky-stays","status":301,'
        '"location":"https://www.example.org/2022/02/26/zelensky-stays/","via":"http"}]'
    )
    assert rows(archive, "articles")[0]["title"] == "Zelensky stays in Kyiv"


def test_an_embed_equal_to_one_resolved_elsewhere_adopts_its_resolution(archive):
    first = archive.save_article(
        sample_article(source="https://news.example/a"), scan_of(sample_article())
    )
    second = archive.save_article(
        sample_article(source="https://news.example/b"), scan_of(sample_article())
    )
    bno_first, bno_second = first.embed_ids[2], second.embed_ids[2]  # no link: words only
    status_url = f"https://twitter.com/BNONews/status/{SAMPLE_IDS['BNONews']}"
    archive.save_resolution(
        bno_first,
        Resolution("twitter", SAMPLE_IDS["BNONews"], status_url, "wayback_cdx+text_match"),
    )

    assert archive.adopt_resolution(bno_second) is True
    row = archive.db["embeds"].get(bno_second)
    assert (
        row["post_key"],
        row["resolved_how"],
        row["resolved_url"],
        row["resolved_by_embed_id"],
    ) == (
        f"twitter:{SAMPLE_IDS['BNONews']}",
        "wayback_cdx+text_match",
        status_url,
        bno_first,
    )
    # an embed with no resolved equal (another account, other pictures) has nothing to adopt
    assert archive.adopt_resolution(second.embed_ids[3]) is False
    assert archive.db["embeds"].get(second.embed_ids[3])["post_key"] is None
    with pytest.raises(StoreError, match="no embed 999"):
        archive.adopt_resolution(999)
