"""An archive.db holding the sample article as `archiver archive` would leave it, plus a live blog.

``build_archived_sample`` writes it with the store's writers, from the demo recordings in
examples/replay/ (MADE UP, see the README there) parsed by archiver's own X parsers:

- the sample article (examples/zelensky-stays-in-kyiv.txt): five embeds, four resolved through
  their t.co hops, @BNONews through the Wayback captures and its text; each post with its
  syndication and oEmbed witnesses and its media (one photo, three placeholder videos, avatars);
- ``LIVE_BLOG_URL``, an HTML article written for the tests, whose four embeds give the exploring
  tools real rows: @websec_daily posted hostile markup (``HOSTILE_TEXT``) and carries media that
  must never be shown as an image (an SVG with a script, HTML sent as image/png);
  @ghost_reporter was archived live, then found deleted a week later; @early_deleter was already
  deleted at the first check; @BNONews's post is quoted a second time; @cityhall_press is quoted
  without a link and stays unresolved.

Every post id of the live blog is MADE UP (a valid snowflake for its date).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archiver import scan
from archiver.fetch.twitter import syndication_url
from archiver.fetch.twitter.find_by_text import HOW as TEXT_MATCH
from archiver.models import ArticleInput, Exchange, MediaItem, Resolution, Witness
from archiver.store import Archive, open_archive
from archiver.urls import parse_post_url
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.syndication import parse_syndication

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"
REPLAY = ROOT / "examples" / "replay"

FIRST_RUN = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
RECHECK = dt.datetime(2024, 5, 8, 6, 30, tzinfo=dt.UTC)

LIVE_BLOG_URL = "https://news.example/live/2024-04-29-overnight"
LIVE_BLOG_TITLE = "Live: what the accounts said overnight"


def _snowflake(when: dt.datetime, sequence: int) -> str:
    ms = int(when.timestamp() * 1000)
    return str(((ms - 1288834974657) << 22) + sequence)


_APRIL_29 = dt.datetime(2024, 4, 29, 6, 0, tzinfo=dt.UTC)
HOSTILE_ID = _snowflake(_APRIL_29, 1)
VANISHED_ID = _snowflake(_APRIL_29, 2)
DELETED_ID = _snowflake(_APRIL_29, 3)
BNO_ID = "1497398950645980550"  # the sample's @BNONews post, quoted again by the live blog
HOSTILE_KEY = f"twitter:{HOSTILE_ID}"
VANISHED_KEY = f"twitter:{VANISHED_ID}"
DELETED_KEY = f"twitter:{DELETED_ID}"

HOSTILE_TEXT = (
    "Reminder: a comment box that echoes <script>alert(1)</script> or "
    '<img src=x onerror="document.body.dataset.pwned=1"> back to readers is an open door. '
    "Write-up: https://example.org/xss?a=1&b=2 (and never click javascript:alert(3))"
)
HOSTILE_AUTHOR = "WebSec Daily <svg onload=alert(4)>"
VANISHED_TEXT = (
    "Shelling reported near the central train station, residents urged to stay in shelters. "
    "Updates: https://example.org/live"
)
BNO_TEXT = (
    "Ukrainian President Zelenskiy turns down U.S. request to evacuate Kyiv, saying: "
    '"I need ammunition, not a ride" - AP'
)
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(5)">'
    b"<script>alert(6)</script><rect width='10' height='10'/></svg>"
)
HTML_SENT_AS_PNG = b"<!doctype html><html><body><script>alert(7)</script></body></html>"


def _html_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _blockquote(
    text: str, name: str, handle: str, post_id: str, date: str = "April 29, 2024"
) -> str:
    url = f"https://twitter.com/{handle}/status/{post_id}"
    words = _html_text(text).replace(
        "https://example.org/live",
        '<a href="https://example.org/live">https://example.org/live</a>',
    )
    return (
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{words}</p>&mdash; '
        f'{name} (@{handle}) <a href="{url}?ref_src=twsrc%5Etfw">{date}</a></blockquote>'
    )


LIVE_BLOG_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{LIVE_BLOG_TITLE}</title></head>
<body><article>
<h1>{LIVE_BLOG_TITLE}</h1>
<p>Security researchers kept warning readers about pasted code.</p>
{_blockquote(HOSTILE_TEXT, "WebSec Daily", "websec_daily", HOSTILE_ID)}
<p>Overnight a local reporter described the shelling.</p>
{_blockquote(VANISHED_TEXT, "Ghost Reporter", "ghost_reporter", VANISHED_ID)}
<p>Another account posted, then deleted, a claim.</p>
{_blockquote("The bridge is closed to all traffic until further notice.", "Early Deleter", "early_deleter", DELETED_ID)}
<p>As the agency reported on the first night:</p>
{_blockquote(BNO_TEXT, "BNO News", "BNONews", BNO_ID, "February 26, 2022")}
<p>An official was quoted without a link:</p>
<p>Evacuation buses leave from the stadium at noon. — City Hall (@cityhall_press) April 29, 2024</p>
</article></body></html>
""".encode()


class _Clock:
    """Store times one second apart from ``start``, so every run of the fixture writes the same."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> str:
        self.now += dt.timedelta(seconds=1)
        return _iso(self.now)

    def at(self, when: dt.datetime) -> None:
        self.now = when


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _recorded_exchanges() -> dict[str, Exchange]:
    """Every recorded answer by its URL, as the fetch layer would have recorded it."""
    exchanges = {}
    for path in sorted(REPLAY.glob("*.json")):
        for recording in json.loads(path.read_text(encoding="utf-8"))["exchanges"]:
            url, response = recording["request"]["url"], recording["response"]
            if "body_file" in response:
                body = (REPLAY / response["body_file"]).read_bytes()
            elif "body_base64" in response:
                body = base64.b64decode(response["body_base64"])
            else:
                body = response["body"].encode("utf-8")
            headers = [(name, value) for name, value in response["headers"]]
            location = dict((k.lower(), v) for k, v in headers).get("location")
            exchanges[url] = Exchange(
                url=url,
                final_url=location or url,
                status=response["status"],
                headers=headers,
                body=body,
                replay=True,
            )
    return exchanges


def _at(exchange: Exchange, when: dt.datetime) -> Exchange:
    exchange.fetched_at = _iso(when)
    return exchange


def build_archived_sample(path: Path) -> Path:
    """Write the archive described in the module docstring at ``path`` and return ``path``."""
    clock = _Clock(FIRST_RUN)
    with open_archive(path, clock=clock) as archive:
        run_id = archive.start_run("archive", [str(SAMPLE_PATH), LIVE_BLOG_URL], replay=True)
        _archive_sample_article(archive, run_id)
        _archive_live_blog(archive, run_id, clock)
        archive.finish_run(
            run_id,
            counts={"articles": 2, "embeds": 10, "embeds_resolved": 9, "posts_fetched": 8},
            error_count=1,
        )
        clock.at(RECHECK)
        recheck = archive.start_run("recheck", [], replay=True)
        archive.save_witnesses(VANISHED_KEY, _gone_witnesses(VANISHED_ID, RECHECK), run_id=recheck)
        archive.finish_run(recheck, counts={"posts_checked": 1, "posts_gone": 1}, error_count=0)
    return path


def _archive_sample_article(archive: Archive, run_id: int) -> None:
    content = SAMPLE_PATH.read_bytes()
    article = ArticleInput(source=str(SAMPLE_PATH), content=content, content_type="text/plain")
    saved = archive.save_article(
        article,
        scan.scan_bytes(content, content_type="text/plain", filename=SAMPLE_PATH.name),
        run_id=run_id,
    )
    recorded = _recorded_exchanges()
    when = FIRST_RUN
    for embed in archive.embeds_to_resolve(article_id=saved.article_id):
        when += dt.timedelta(seconds=10)
        if embed.pic_links:
            hop = _at(recorded["https://t.co/" + embed.pic_links[0].rsplit("/", 1)[1]], when)
            ref = parse_post_url(hop.final_url)
            assert ref is not None
            resolution = Resolution("twitter", ref.post_id, hop.final_url, "shortlink", [hop])
        else:
            resolution = _matched_by_text(recorded, embed.handle or "", embed.text, when)
        archive.save_resolution(embed.id, resolution, run_id=run_id)
        witnesses = [
            parse_syndication(_at(recorded[syndication_url(resolution.post_id)], when)),
            parse_oembed(_at(_oembed_exchange(recorded, resolution.post_id), when)),
        ]
        syndication_snapshot, _ = archive.save_witnesses(resolution.key, witnesses, run_id=run_id)
        post = witnesses[0].post
        assert post is not None
        for item in post.media:
            exchange = _at(recorded[item.url], when)
            archive.save_media(resolution.key, item, exchange, snapshot_id=syndication_snapshot)


def _matched_by_text(
    recorded: dict[str, Exchange], handle: str, text: str, when: dt.datetime
) -> Resolution:
    """What find_by_text concludes for an attribution with no link: the Wayback hops, then the match."""
    captures = [
        _at(e, when) for url, e in recorded.items() if url.startswith("https://web.archive.org/")
    ]
    for url, exchange in recorded.items():
        if urlsplit(url).hostname != "cdn.syndication.twimg.com":
            continue
        witness = parse_syndication(exchange)
        if witness.post and witness.post.handle == handle and witness.post.text == text:
            status_url = f"https://twitter.com/{handle}/status/{witness.post.id}"
            return Resolution("twitter", witness.post.id, status_url, TEXT_MATCH, captures)
    raise AssertionError(f"no recorded post of @{handle} has the quoted text")


def _oembed_exchange(recorded: dict[str, Exchange], post_id: str) -> Exchange:
    return next(
        e for url, e in recorded.items() if "publish.twitter.com/oembed" in url and post_id in url
    )


def _archive_live_blog(archive: Archive, run_id: int, clock: _Clock) -> None:
    clock.at(FIRST_RUN + dt.timedelta(minutes=2))
    article = ArticleInput(
        source=LIVE_BLOG_URL,
        content=LIVE_BLOG_HTML,
        content_type="text/html",
        exchange=_at(
            Exchange(
                url=LIVE_BLOG_URL,
                final_url=LIVE_BLOG_URL,
                status=200,
                headers=[("content-type", "text/html; charset=utf-8")],
                body=LIVE_BLOG_HTML,
            ),
            FIRST_RUN,
        ),
    )
    saved = archive.save_article(
        article, scan.scan_bytes(LIVE_BLOG_HTML, content_type="text/html"), run_id=run_id
    )
    when = FIRST_RUN + dt.timedelta(minutes=2)
    for embed in archive.embeds_to_resolve(article_id=saved.article_id):
        when += dt.timedelta(seconds=10)
        if not embed.status_id:
            archive.record_failure(
                run_id=run_id,
                stage="resolve",
                reason="no link to the post, and no archived post of the account matched its text",
                article_id=saved.article_id,
                embed_id=embed.id,
            )
            continue
        key = f"twitter:{embed.status_id}"
        archive.save_resolution(
            embed.id,
            Resolution("twitter", embed.status_id, embed.status_url or "", "markup"),
            run_id=run_id,
        )
        if embed.status_id == BNO_ID:
            continue  # archived with the sample article
        if embed.status_id == DELETED_ID:
            archive.save_witnesses(key, _gone_witnesses(DELETED_ID, when), run_id=run_id)
            continue
        text = HOSTILE_TEXT if embed.status_id == HOSTILE_ID else VANISHED_TEXT
        author = HOSTILE_AUTHOR if embed.status_id == HOSTILE_ID else embed.display_name
        witness = parse_syndication(
            _syndication_answer(embed.status_id, embed.handle or "", author or "", text, when)
        )
        [snapshot_id] = archive.save_witnesses(key, [witness], run_id=run_id)
        if embed.status_id == HOSTILE_ID:
            _save_hostile_media(archive, key, snapshot_id, when)


def _syndication_answer(
    post_id: str, handle: str, name: str, text: str, when: dt.datetime
) -> Exchange:
    """A live answer shaped like the recorded ones; X escapes <, > and & in the text."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = {
        "__typename": "Tweet",
        "lang": "en",
        "created_at": "2024-04-29T06:00:00.000Z",
        "display_text_range": [0, len(escaped)],
        "entities": {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []},
        "id_str": post_id,
        "text": escaped,
        "user": {"id_str": "4200000000", "name": name, "screen_name": handle},
        "favorite_count": 12,
        "conversation_count": 3,
    }
    url = syndication_url(post_id)
    return _at(
        Exchange(
            url=url,
            final_url=url,
            status=200,
            headers=[("content-type", "application/json;charset=utf-8")],
            body=json.dumps(body).encode(),
            replay=True,
        ),
        when,
    )


def _gone_witnesses(post_id: str, when: dt.datetime) -> list[Witness]:
    """The deleted answers: syndication's tombstone (the saved payload) and oEmbed's 404."""
    tombstone = ROOT / "tests" / "fixtures" / "payloads" / "syndication_tombstone_deleted.json"
    url = syndication_url(post_id)
    syndication = Exchange(
        url=url,
        final_url=url,
        status=200,
        headers=[("content-type", "application/json;charset=utf-8")],
        body=tombstone.read_bytes(),
        replay=True,
    )
    oembed_url = (
        "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fi%2Fstatus%2F"
        f"{post_id}&omit_script=1&dnt=1"
    )
    oembed = Exchange(
        url=oembed_url,
        final_url=oembed_url,
        status=404,
        headers=[("content-type", "text/html; charset=utf-8")],
        body=b"",
        replay=True,
    )
    return [parse_syndication(_at(syndication, when)), parse_oembed(_at(oembed, when))]


def _save_hostile_media(archive: Archive, key: str, snapshot_id: int, when: dt.datetime) -> None:
    for name, content_type, body in (
        ("XssSvgPhoto", "image/svg+xml", SVG_WITH_SCRIPT),
        ("XssHtmlPhoto", "image/png", HTML_SENT_AS_PNG),
    ):
        url = f"https://pbs.twimg.com/media/{name}?format=png&name=orig"
        exchange = Exchange(
            url=url,
            final_url=url,
            status=200,
            headers=[("content-type", content_type)],
            body=body,
            replay=True,
        )
        archive.save_media(
            key, MediaItem(kind="photo", url=url), _at(exchange, when), snapshot_id=snapshot_id
        )


@contextmanager
def serving(command: list[str], **popen: Any) -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    """Run an ``archiver serve`` command line: its base URL, the line that announced it and its
    process, stopped with Ctrl-C (SIGINT) on leaving."""
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
    )
    try:
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line + server.stderr.read()
        yield url[0], line, server
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


@contextmanager
def served(db_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A real ``archiver serve`` of ``db_path`` on a free port: its base URL and process."""
    command = [sys.executable, "-m", "archiver", "serve", "--db", str(db_path), "--port", "0"]
    with serving(command) as (url, _, server):
        yield url, server
