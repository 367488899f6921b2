"""Write examples/replay/: MADE UP recorded answers for the five posts of the sample article.

Run it from the repository root with the project installed::

    .venv/bin/python examples/replay/make_recordings.py [OUTPUT_DIR]

Everything is derived from the article (examples/zelensky-stays-in-kyiv.txt) and the table
below, deterministically, so running it again gives the same bytes. The answers follow the
shapes of the real payloads in tests/fixtures/payloads/; the ids, times, counts, media and
the BNO News decoys are invented (see README.md beside this file). Standard library and
archiver's own standard-library modules only.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from archiver.fetch.twitter.endpoints import oembed_url, syndication_url
from archiver.fetch.twitter.find_by_text import wayback_queries
from archiver.fetch.twitter.snowflake import TWITTER_EPOCH_MS, snowflake_ms

HERE = Path(__file__).resolve().parent
ARTICLE = HERE.parent / "zelensky-stays-in-kyiv.txt"
PNG = "image/png"
MP4 = "video/mp4"


@dataclass(frozen=True)
class Made:
    """One made-up post: who, when (UTC), and how the article shows it."""

    handle: str
    name: str
    user_id: str
    posted: str  # UTC, to the second
    date_text: str  # as the article shows it
    starts: str = ""  # the first words of the text in the article ("" for decoys)
    pic_code: str | None = None
    media: str | None = None  # "video" or "photo"
    text: str | None = None  # decoys only; article posts take theirs from the article
    likes: int = 0
    replies: int = 0
    tombstone: str | None = None


ARTICLE_POSTS = [
    Made("ChristopherJM", "Christopher Miller", "91478624", "2022-02-25T17:46:09",
         "February 25, 2022", "⚡️Ukraine’s Zelensky posts", "bgHyrsbVFs", "video", likes=48211,
         replies=1204),
    Made("SaoSasha", "Alex Kliment", "268484735", "2022-02-25T22:13:51", "February 25, 2022",
         "went and translated", "JDLXtYAq5q", "video", likes=15720, replies=388),
    Made("BNONews", "BNO News", "100002112", "2022-02-26T02:31:44", "February 26, 2022",
         "Ukrainian President Zelenskiy turns down", likes=31377, replies=903),
    Made("YVindman", "Yevgeny (Eugene) Vindman", "1096195982441521152", "2022-02-26T04:12:30",
         "February 26, 2022", "I’m in awe of this man.", "ok6JOXl4KA", "photo", likes=9843,
         replies=311),
    Made("France24_en", "FRANCE 24 English", "1994321", "2022-02-26T09:27:15",
         "February 26, 2022", "🔴🇺🇦 After Ukrainian forces", "V8zWIJ0IAS", "video", likes=2210,
         replies=96),
]  # fmt: skip
BNO = ARTICLE_POSTS[2]
# Other posts of the account around the date, as the Wayback Machine might list them: the first
# four lie in the ±1 day window and get syndication answers; the rest lie outside it.
BNO_DECOYS = [
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-26T11:05:02", "",
         text='Ukrainian President Zelenskiy says he is staying in Kyiv: "We are all here" - video',
         likes=5120, replies=240),
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-26T14:20:37", "",
         tombstone="This Post was deleted by the Post author. Learn more"),
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-25T20:00:11", "",
         text="Air raid sirens sound across Kyiv, according to local media", likes=2750,
         replies=130),
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-27T08:14:56", "",
         text="Curfew in Kyiv extended until Monday morning, city officials say", likes=1980,
         replies=77),
]  # fmt: skip
BNO_OUTSIDE = ["2022-02-24T23:59:58", "2022-02-28T00:00:03", "2022-02-28T06:40:00"]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    write_recordings(out)
    print(f"wrote {len(list(out.glob('*.json')))} recordings and their media to {out}")
    return 0


def write_recordings(out: Path) -> None:
    """Write every recording file and media file under ``out``."""
    (out / "media").mkdir(parents=True, exist_ok=True)
    article = ARTICLE.read_text(encoding="utf-8")
    for made in ARTICLE_POSTS:
        recording = Recording(out, made.handle.lower())
        text = article_text(article, made)
        post_id = post_id_of(made)
        if made.pic_code:
            recording.shortlink(made, post_id)
        recording.syndication(made, post_id, text)
        recording.oembed(made, post_id, text)
        recording.avatar(made)
        if made is BNO:
            recording.wayback(made, post_id)
            for decoy in BNO_DECOYS:
                recording.syndication(decoy, post_id_of(decoy), decoy.text or "")
        recording.save()


def article_text(article: str, made: Made) -> str:
    """The post's text exactly as the article shows it, without the trailing pic link."""
    start = article.index(made.starts)
    end = article.index(f" — {made.name} (@{made.handle}) {made.date_text}", start)
    text = article[start:end]
    if made.pic_code:
        text = text.removesuffix(f" pic.twitter.com/{made.pic_code}")
    return text


def article_date(made: Made) -> dt.date:
    return dt.datetime.strptime(made.date_text, "%B %d, %Y").date()


def post_id_of(made: Made) -> str:
    return snowflake_id(made.posted, made.handle + made.posted)


def snowflake_id(posted: str, salt: str) -> str:
    """An id minted at ``posted`` (UTC, to the second) with made-up machine and sequence bits."""
    ms = int(dt.datetime.fromisoformat(posted).replace(tzinfo=dt.UTC).timestamp() * 1000)
    ms += digest(salt, "ms") % 1000
    return str(((ms - TWITTER_EPOCH_MS) << 22) | digest(salt, "low") % (1 << 22))


def digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "big")


def media_key(*parts: str) -> str:
    """A made-up media key in the 15-character shape of pbs.twimg.com/media/<key>."""
    return base64.urlsafe_b64encode(hashlib.sha256("/".join(parts).encode()).digest())[:15].decode()


def iso(post_id: str) -> str:
    """created_at as syndication reports it: the id's time, to the second."""
    ms = snowflake_ms(post_id)
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def avatar_urls(made: Made) -> tuple[str, str]:
    """The profile image as syndication names it, and as archiver fetches it."""
    base = f"https://pbs.twimg.com/profile_images/{digest(made.handle, 'avatar') % 10**18}"
    key = media_key(made.handle, "avatar")[:8]
    return f"{base}/{key}_normal.png", f"{base}/{key}_400x400.png"


class Recording:
    """The exchanges of one file, in the replay server's format."""

    def __init__(self, out: Path, name: str) -> None:
        self.out, self.name = out, name
        self.exchanges: list[dict[str, object]] = []

    def add(
        self,
        url: str,
        status: int,
        headers: list[list[str]],
        note: str,
        *,
        body: str | None = None,
        file: tuple[str, bytes] | None = None,
    ) -> None:
        response: dict[str, object] = {"status": status, "headers": headers}
        if file is not None:
            (self.out / "media" / file[0]).write_bytes(file[1])
            response["body_file"] = f"media/{file[0]}"
        else:
            response["body"] = body or ""
        exchange = {"request": {"method": "GET", "url": url}, "response": response, "note": note}
        self.exchanges.append(exchange)

    def save(self) -> None:
        text = json.dumps({"exchanges": self.exchanges}, ensure_ascii=False, indent=2) + "\n"
        (self.out / f"{self.name}.json").write_text(text, encoding="utf-8")

    def shortlink(self, made: Made, post_id: str) -> None:
        # reference §1.2: t.co answers a non-browser client with a bare 301
        target = f"https://twitter.com/{made.handle}/status/{post_id}/{made.media}/1"
        headers = [
            ["location", target],
            ["cache-control", "private,max-age=300"],
            ["server", "tsa_a"],
            ["content-length", "0"],
        ]
        self.add(f"https://t.co/{made.pic_code}", 301, headers, f"pic.twitter.com/{made.pic_code}")

    def syndication(self, made: Made, post_id: str, text: str) -> None:
        url = syndication_url(post_id)
        if made.tombstone:
            body = {
                "__typename": "TweetTombstone",
                "tombstone": {"text": {"text": made.tombstone, "entities": [], "rtl": False}},
            }
        else:
            body = self.tweet(made, post_id, text)
        self.add(
            url,
            200,
            [["content-type", "application/json;charset=utf-8"]],
            f"syndication answer for @{made.handle} {made.posted}Z",
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        )

    def tweet(self, made: Made, post_id: str, text: str) -> dict[str, object]:
        """A ``Tweet`` in the shape of syndication_photo_tweet.json (reference §2.3)."""
        entities: dict[str, object] = {
            "hashtags": hashtags(text),
            "urls": [],
            "user_mentions": [],
            "symbols": [],
        }
        body: dict[str, object] = {
            "__typename": "Tweet",
            "lang": "en",
            "favorite_count": made.likes,
            "possibly_sensitive": False,
            "created_at": iso(post_id),
            "display_text_range": [0, len(text)],
            "entities": entities,
            "id_str": post_id,
            "text": text,
            "user": {
                "id_str": made.user_id,
                "name": made.name,
                "profile_image_url_https": avatar_urls(made)[0],
                "screen_name": made.handle,
                "verified": False,
                "is_blue_verified": False,
            },
            "edit_control": {
                "edit_tweet_ids": [post_id],
                "editable_until_msecs": str(snowflake_ms(post_id) // 1000 * 1000 + 1_800_000),
                "is_edit_eligible": True,
                "edits_remaining": "5",
            },
        }
        if made.pic_code:
            short = f"https://t.co/{made.pic_code}"
            start = len(text) + 1
            link = {
                "display_url": f"pic.twitter.com/{made.pic_code}",
                "expanded_url": f"https://twitter.com/{made.handle}/status/{post_id}/{made.media}/1",
                "indices": [start, start + len(short)],
                "url": short,
            }
            entities["media"] = [link]
            detail, extra = self.media(made, link)
            body.update(text=f"{text} {short}", mediaDetails=[detail], **extra)
        body.update(
            conversation_count=made.replies,
            news_action_type="conversation",
            isEdited=False,
            isStaleEdit=False,
        )
        return body

    def media(self, made: Made, link: dict[str, object]) -> tuple[dict, dict]:
        """One mediaDetails entry and the top-level ``photos`` or ``video``, files recorded."""
        uploaded = dt.datetime.fromisoformat(made.posted) - dt.timedelta(seconds=45)
        media_id = snowflake_id(uploaded.isoformat(), made.handle + "media")
        key = media_key(made.handle, "media")
        width, height = (1280, 720) if made.media == "video" else (1200, 900)
        sizes = {
            "large": {"h": height, "resize": "fit", "w": width},
            "medium": {"h": height * 1200 // width, "resize": "fit", "w": 1200},
            "small": {"h": height * 680 // width, "resize": "fit", "w": 680},
            "thumb": {"h": 150, "resize": "crop", "w": 150},
        }
        detail = dict(link, ext_media_availability={"status": "Available"})
        if made.media == "photo":
            source = f"https://pbs.twimg.com/media/{key}.png"
            detail.update(
                media_url_https=source,
                original_info={"height": height, "width": width, "focus_rects": []},
                sizes=sizes,
                type="photo",
            )
            self.add(
                f"https://pbs.twimg.com/media/{key}?format=png&name=orig",
                200,
                [["content-type", PNG]],
                "photo at name=orig (a generated picture)",
                file=(f"{made.handle.lower()}-photo.png", png(width, height, made.handle)),
            )
            photos = [{
                "backgroundColor": {"red": 204, "green": 214, "blue": 221},
                "cropCandidates": [{"x": 0, "y": 0, "w": width, "h": height}],
                "expandedUrl": link["expanded_url"],
                "url": source,
                "width": width,
                "height": height,
            }]  # fmt: skip
            return detail, {"photos": photos}
        base = f"https://video.twimg.com/ext_tw_video/{media_id}/pu"
        poster = f"https://pbs.twimg.com/ext_tw_video_thumb/{media_id}/pu/img/{key}.jpg"
        playlist = f"{base}/pl/{key}.m3u8?tag=12&container=fmp4"
        mp4s = [(2176000, "1280x720"), (832000, "640x360"), (256000, "480x270")]
        duration = 20_000 + digest(made.handle, "duration") % 60_000
        variants = [{"content_type": "application/x-mpegURL", "url": playlist}] + [
            {"bitrate": rate, "content_type": MP4, "url": f"{base}/vid/{size}/{key}.mp4?tag=12"}
            for rate, size in mp4s
        ]
        detail.update(
            media_url_https=poster,
            original_info={"height": height, "width": width, "focus_rects": []},
            sizes=sizes,
            type="video",
            video_info={"aspect_ratio": [16, 9], "duration_millis": duration, "variants": variants},
        )
        self.add(
            variants[1]["url"],
            200,
            [["content-type", MP4]],
            "highest-bitrate mp4: PLACEHOLDER bytes, not a playable video",
            file=(f"{made.handle.lower()}-video.mp4", placeholder_mp4(made.handle)),
        )
        video = {
            "aspectRatio": [16, 9],
            "contentType": "media_entity",
            "durationMs": duration,
            "mediaAvailability": {"status": "available"},
            "poster": poster,
            "variants": [{"type": v["content_type"], "src": v["url"]} for v in variants],
            "videoId": {"type": "tweet", "id": media_id},
            "viewCount": 0,
        }
        return detail, {"video": video}

    def oembed(self, made: Made, post_id: str, text: str) -> None:
        """An oEmbed answer in the shape of oembed_twitter_tweet.json, asked with omit_script."""
        shown = html_text(text)
        if made.pic_code:
            shown += f' <a href="https://t.co/{made.pic_code}">pic.twitter.com/{made.pic_code}</a>'
        quote = (
            f'<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">{shown}</p>'
            f"&mdash; {html.escape(made.name)} (@{made.handle}) "
            f'<a href="https://twitter.com/{made.handle}/status/{post_id}?ref_src=twsrc%5Etfw">'
            f"{made.date_text}</a></blockquote>\n"
        )
        body = {
            "url": f"https://twitter.com/{made.handle}/status/{post_id}",
            "author_name": made.name,
            "author_url": f"https://twitter.com/{made.handle}",
            "html": quote,
            "width": 550,
            "height": None,
            "type": "rich",
            "cache_age": "3153600000",
            "provider_name": "Twitter",
            "provider_url": "https://twitter.com",
            "version": "1.0",
        }
        self.add(
            oembed_url(post_id, made.handle),
            200,
            [["content-type", "application/json; charset=utf-8"]],
            f"oEmbed answer for @{made.handle}",
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        )

    def avatar(self, made: Made) -> None:
        self.add(
            avatar_urls(made)[1],
            200,
            [["content-type", PNG]],
            "profile image, 400x400 (a generated picture)",
            file=(f"{made.handle.lower()}-avatar.png", png(400, 400, made.handle + "@")),
        )

    def wayback(self, made: Made, post_id: str) -> None:
        """The CDX answers listing the account's captured status URLs around the date."""
        ids = [post_id] + [post_id_of(d) for d in BNO_DECOYS]
        ids += [snowflake_id(t, made.handle + t) for t in BNO_OUTSIDE]
        originals = []
        for i in ids:
            originals.append(f"https://twitter.com/{made.handle}/status/{i}")
            # captures of the same post under other URL forms, as crawlers and people save them
            originals.append(f"https://twitter.com/{made.handle.lower()}/status/{i}?s=20")
        originals.append(f"https://twitter.com/{made.handle}/status/{post_id}/photo/1")
        for query in wayback_queries(made.handle, article_date(made)):
            prefix = query.split("/status/")[1].split("*")[0]
            rows = sorted(o for o in originals if o.split("/status/")[1].startswith(prefix))
            body = json.dumps([["original"]] + [[o] for o in rows])
            self.add(
                query,
                200,
                [["content-type", "application/json"]],
                f"Wayback CDX: captured status URLs of @{made.handle} with ids {prefix}*",
                body=body,
            )


def hashtags(text: str) -> list[dict[str, object]]:
    found, at = [], 0
    while (at := text.find("#", at)) != -1:
        end = at + 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        if end > at + 1:
            found.append({"indices": [at, end], "text": text[at + 1 : end]})
        at = end
    return found


def html_text(text: str) -> str:
    """The text as the oEmbed blockquote shows it: escaped, hashtags linked, newlines as <br>."""
    pieces, last = [], 0
    for tag in hashtags(text):
        start, end = tag["indices"]
        pieces.append(html.escape(text[last:start]))
        href = f"https://twitter.com/hashtag/{tag['text']}?src=hash&amp;ref_src=twsrc%5Etfw"
        pieces.append(f'<a href="{href}">#{tag["text"]}</a>')
        last = end
    pieces.append(html.escape(text[last:]))
    return "".join(pieces).replace("\n", "<br>")


def png(width: int, height: int, seed: str) -> bytes:
    """A valid PNG of diagonal bands in two colours picked from ``seed``."""
    colours = hashlib.sha256(seed.encode()).digest()
    a, b = colours[0:3], colours[3:6]
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(0, width, 40):
            row += (a if ((x + y) // 40) % 2 else b) * min(40, width - x)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def placeholder_mp4(seed: str) -> bytes:
    """An ISO BMFF file with an ftyp box and a free box saying what it is; no video in it."""
    label = f"archiver demo placeholder for @{seed}: MADE UP, not a video".encode()
    ftyp = b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41"
    return (
        struct.pack(">I", 8 + len(ftyp))
        + b"ftyp"
        + ftyp
        + struct.pack(">I", 8 + len(label))
        + b"free"
        + label
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
