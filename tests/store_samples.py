"""Records for the store's tests, built by hand from the sample article and the saved payloads.

The five embeds mirror tests/fixtures/zelensky-stays-in-kyiv.expected.json, with text and spans
taken from the real article text. Post ids of the sample are MADE UP (valid snowflakes for the
article's dates); the payload-based witnesses use the real payloads in tests/fixtures/payloads/.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from archiver.models import ArticleInput, Embed, Exchange, Hop, Post, PostState, ScanResult, Witness

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLE_PATH = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"
EXPECTED = json.loads((TESTS / "fixtures" / "zelensky-stays-in-kyiv.expected.json").read_text())
PAYLOADS = TESTS / "fixtures" / "payloads"

FETCHED_AT = "2024-05-01T10:00:00.000Z"


def snowflake(ms: int, sequence: int = 0) -> str:
    """An X post id created at ``ms`` (the inverse of ``(id >> 22) + 1288834974657``)."""
    return str(((ms - 1288834974657) << 22) + sequence)


# Made-up ids for the sample's posts: the article's dates at 12:00 UTC.
SAMPLE_IDS = {
    "ChristopherJM": snowflake(1645790400000, 1),
    "SaoSasha": snowflake(1645790400000, 2),
    "BNONews": snowflake(1645876800000, 3),
    "YVindman": snowflake(1645876800000, 4),
    "France24_en": snowflake(1645876800000, 5),
}


def sample_embeds(document: str) -> tuple[Embed, ...]:
    """The posts a reader sees in ``document`` (five in the sample), as the scanner reports them."""
    embeds = []
    for post in EXPECTED:
        start = document.find(post["text_starts"])
        if start < 0:
            continue
        attribution = f" — {post['display_name']} (@{post['handle']}) "
        dash = document.index(attribution, start)
        date_start = dash + len(attribution)
        end = document.index("\n", date_start)
        embeds.append(
            Embed(
                platform=post["platform"],
                form="text_attribution",
                text=document[start:dash].strip(),
                start=start,
                end=end,
                handle=post["handle"],
                display_name=post["display_name"],
                date=post["date"],
                date_text=document[date_start:end],
                pic_links=tuple(post["pic_links"]),
                status_id=post["status_id"],
                status_url=post["status_url"],
            )
        )
    return tuple(embeds)


def sample_article(*, source: str | None = None, content: bytes | None = None) -> ArticleInput:
    return ArticleInput(
        source=source or str(SAMPLE_PATH),
        content=content if content is not None else SAMPLE_PATH.read_bytes(),
        content_type="text/plain",
    )


def scan_of(article: ArticleInput, embeds: tuple[Embed, ...] | None = None) -> ScanResult:
    document = article.content.decode("utf-8")
    return ScanResult(
        document=document,
        kind="text",
        encoding="utf-8",
        title=None,
        embeds=sample_embeds(document) if embeds is None else embeds,
    )


def exchange(url: str, body: bytes, *, status: int = 200, **kwargs) -> Exchange:
    return Exchange(
        url=url,
        final_url=kwargs.pop("final_url", url),
        status=status,
        headers=kwargs.pop("headers", [("content-type", "application/json; charset=utf-8")]),
        body=body,
        fetched_at=kwargs.pop("fetched_at", FETCHED_AT),
        **kwargs,
    )


def tco_hop(code: str, status_url: str, *, fetched_at: str = FETCHED_AT) -> Exchange:
    """The t.co answer to a curl-like client: a 301 to the status (docs/endpoints.md §1.2)."""
    return Exchange(
        url=f"https://t.co/{code}",
        final_url=status_url,
        status=301,
        headers=[("location", status_url), ("cache-control", "private,max-age=300")],
        body=b"",
        chain=[Hop(url=f"https://t.co/{code}", status=301, location=status_url)],
        fetched_at=fetched_at,
    )


def syndication_url(post_id: str) -> str:
    return f"https://cdn.syndication.twimg.com/tweet-result?id={post_id}&token=x"


def live_witness(post: Post, *, fetched_at: str = FETCHED_AT) -> Witness:
    """A syndication answer for a live post, its body a JSON rendering of the post."""
    body = json.dumps(
        {
            "__typename": "Tweet",
            "id_str": post.id,
            "text": post.text,
            "user": {"screen_name": post.handle, "name": post.author_name},
        }
    ).encode()
    return Witness(
        source="syndication",
        exchange=exchange(syndication_url(post.id), body, fetched_at=fetched_at),
        state=PostState.LIVE,
        post=post,
        parsed=json.loads(body),
    )


def tombstone_witness(post_id: str, *, fetched_at: str) -> Witness:
    body = (PAYLOADS / "syndication_tombstone_deleted.json").read_bytes()
    return Witness(
        source="syndication",
        exchange=exchange(syndication_url(post_id), body, fetched_at=fetched_at),
        state=PostState.DELETED,
        reason="This Post was deleted by the Post author. Learn more",
        parsed=json.loads(body),
    )


def sample_post(handle: str) -> Post:
    embed = next(e for e in EXPECTED if e["handle"] == handle)
    document = SAMPLE_PATH.read_text("utf-8")
    text = next(e.text for e in sample_embeds(document) if e.handle == handle)
    post_id = SAMPLE_IDS[handle]
    return Post(
        platform="twitter",
        id=post_id,
        url=f"https://twitter.com/{handle}/status/{post_id}",
        handle=handle,
        author_name=embed["display_name"],
        text=text.rsplit(" pic.twitter.com/", 1)[0],
        lang="en",
        created_at=embed["date"] + "T12:00:00.000Z",
        created_at_from_id=embed["date"] + "T12:00:00.000Z",
    )


class TickingClock:
    """A clock for whole-row assertions: each call is one second after the previous one."""

    def __init__(self, start: str = "2024-05-01T09:00:00") -> None:
        self._next = dt.datetime.fromisoformat(start)
        self._step = dt.timedelta(seconds=1)

    def __call__(self) -> str:
        now, self._next = self._next, self._next + self._step
        return now.isoformat(timespec="milliseconds") + "Z"
