"""Made-up X posts answered as the platforms answer, written as replay recordings.

Shared by the demo recordings (examples/replay/make_recordings.py) and the generated corpora of
the soak, crash and cron runs (benchmarks/corpus.py). Every answer follows the shape of a real
payload in tests/fixtures/payloads/ (docs/endpoints.md §1.2, §2.3, §3); URLs are built by archiver's
own functions, so they are exactly the URLs archiver asks for. Standard library and archiver's
standard-library modules only; deterministic: the same posts give the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archiver.fetch.twitter.endpoints import oembed_url, syndication_url
from archiver.witnesses.twitter.snowflake import TWITTER_EPOCH_MS, snowflake_ms

PNG = "image/png"
MP4 = "video/mp4"
JSON_TYPE = "application/json;charset=utf-8"


@dataclass(frozen=True)
class MadePost:
    """One made-up post: who, when, what it says, and what it carries."""

    post_id: str
    handle: str
    name: str
    user_id: str
    posted: str  # UTC, to the second: when its media were uploaded is derived from it
    text: str  # without the pic link (syndication adds it as a t.co link)
    date_text: str = ""  # as the oEmbed blockquote shows the date
    pic_code: str | None = None
    media: str | None = None  # "video" or "photo"
    likes: int = 0
    replies: int = 0
    tombstone: str | None = None
    seed: str = ""  # what media keys and file names derive from; the handle when empty

    @property
    def media_seed(self) -> str:
        return self.seed or self.handle

    @property
    def status_url(self) -> str:
        """Where its t.co link leads: the status URL with the media path, as X answers."""
        return f"https://twitter.com/{self.handle}/status/{self.post_id}/{self.media}/1"


def snowflake_id(posted: str, salt: str) -> str:
    """An id minted at ``posted`` (UTC, to the second) with made-up machine and sequence bits."""
    ms = int(dt.datetime.fromisoformat(posted).replace(tzinfo=dt.UTC).timestamp() * 1000)
    ms += digest(salt, "ms") % 1000
    return str(((ms - TWITTER_EPOCH_MS) << 22) | digest(salt, "low") % (1 << 22))


def digest(*parts: str) -> int:
    """A stable 64-bit number from strings (made-up ids, keys, counts)."""
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "big")


def media_key(*parts: str) -> str:
    """A made-up media key in the 15-character shape of pbs.twimg.com/media/<key>."""
    return base64.urlsafe_b64encode(hashlib.sha256("/".join(parts).encode()).digest())[:15].decode()


def iso(post_id: str) -> str:
    """created_at as syndication reports it: the id's time, to the second."""
    ms = snowflake_ms(post_id)
    assert ms is not None, post_id
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def avatar_urls(handle: str) -> tuple[str, str]:
    """The profile image as syndication names it, and as archiver fetches it."""
    base = f"https://pbs.twimg.com/profile_images/{digest(handle, 'avatar') % 10**18}"
    key = media_key(handle, "avatar")[:8]
    return f"{base}/{key}_normal.png", f"{base}/{key}_400x400.png"


class Recording:
    """The exchanges of one recording file, in the replay server's format; media files beside."""

    def __init__(self, out: Path, name: str, *, picture_scale: int = 1) -> None:
        self.out, self.name = out, name
        self.picture_scale = picture_scale  # generated pictures at 1/scale of their stated size
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
        binary: bytes | None = None,
    ) -> None:
        """Record one answer; ``file`` is written under media/ and named by ``body_file``;
        ``binary`` is kept in the recording as ``body_base64``."""
        response: dict[str, object] = {"status": status, "headers": headers}
        if binary is not None:
            response["body_base64"] = base64.b64encode(binary).decode()
        elif file is not None:
            path = self.out / "media" / file[0]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file[1])
            response["body_file"] = f"media/{file[0]}"
        else:
            response["body"] = body or ""
        exchange = {"request": {"method": "GET", "url": url}, "response": response, "note": note}
        self.exchanges.append(exchange)

    def save(self) -> Path:
        """Write ``NAME.json`` and return its path."""
        text = json.dumps({"exchanges": self.exchanges}, ensure_ascii=False, indent=2) + "\n"
        path = self.out / f"{self.name}.json"
        path.write_text(text, encoding="utf-8")
        return path

    def shortlink(self, made: MadePost) -> None:
        """``t.co/CODE`` -> 301 to the status: t.co's answer to curl (docs/endpoints.md §1.2)."""
        headers = [
            ["location", made.status_url],
            ["cache-control", "private,max-age=300"],
            ["server", "tsa_a"],
            ["content-length", "0"],
        ]
        self.add(f"https://t.co/{made.pic_code}", 301, headers, f"pic.twitter.com/{made.pic_code}")

    def syndication(self, made: MadePost) -> None:
        """The syndication answer: a ``Tweet``, or a ``TweetTombstone`` for a post gone."""
        if made.tombstone:
            body: dict[str, object] = {
                "__typename": "TweetTombstone",
                "tombstone": {"text": {"text": made.tombstone, "entities": [], "rtl": False}},
            }
        else:
            body = self.tweet(made)
        self.add(
            syndication_url(made.post_id),
            200,
            [["content-type", JSON_TYPE]],
            f"syndication answer for @{made.handle} {made.posted}Z",
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        )

    def tweet(self, made: MadePost) -> dict[str, object]:
        """A ``Tweet`` in the shape of syndication_photo_tweet.json (docs/endpoints.md §2.3)."""
        text, post_id = made.text, made.post_id
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
                "profile_image_url_https": avatar_urls(made.handle)[0],
                "screen_name": made.handle,
                "verified": False,
                "is_blue_verified": False,
            },
            "edit_control": {
                "edit_tweet_ids": [post_id],
                "editable_until_msecs": str(_ms(post_id) // 1000 * 1000 + 1_800_000),
                "is_edit_eligible": True,
                "edits_remaining": "5",
            },
        }
        if made.pic_code:
            short = f"https://t.co/{made.pic_code}"
            start = len(text) + 1
            link = {
                "display_url": f"pic.twitter.com/{made.pic_code}",
                "expanded_url": made.status_url,
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

    def media(self, made: MadePost, link: dict[str, object]) -> tuple[dict, dict]:
        """One mediaDetails entry and the top-level ``photos`` or ``video``, files recorded."""
        seed = made.media_seed
        media_id, key = _media_names(made)
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
            scale = self.picture_scale
            self.add(
                f"https://pbs.twimg.com/media/{key}?format=png&name=orig",
                200,
                [["content-type", PNG]],
                "photo at name=orig (a generated picture)",
                file=(f"{seed.lower()}-photo.png", png(width // scale, height // scale, seed)),
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
        duration = 20_000 + digest(seed, "duration") % 60_000
        variants: list[dict[str, Any]] = [
            {"content_type": "application/x-mpegURL", "url": playlist}
        ] + [
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
            file=(f"{seed.lower()}-video.mp4", placeholder_mp4(seed)),
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

    def oembed(self, made: MadePost) -> None:
        """An oEmbed answer in the shape of oembed_twitter_tweet.json, asked with omit_script."""
        shown = html_text(made.text)
        if made.pic_code:
            shown += f' <a href="https://t.co/{made.pic_code}">pic.twitter.com/{made.pic_code}</a>'
        quote = (
            f'<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">{shown}</p>'
            f"&mdash; {html.escape(made.name)} (@{made.handle}) "
            f'<a href="https://twitter.com/{made.handle}/status/{made.post_id}?ref_src=twsrc%5Etfw">'
            f"{made.date_text}</a></blockquote>\n"
        )
        body = {
            "url": f"https://twitter.com/{made.handle}/status/{made.post_id}",
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
            oembed_url(made.post_id, made.handle),
            200,
            [["content-type", "application/json; charset=utf-8"]],
            f"oEmbed answer for @{made.handle}",
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        )

    def avatar(self, handle: str) -> None:
        """The 400x400 profile image of an account."""
        size = 400 // self.picture_scale
        self.add(
            avatar_urls(handle)[1],
            200,
            [["content-type", PNG]],
            "profile image, 400x400 (a generated picture)",
            file=(f"{handle.lower()}-avatar.png", png(size, size, handle + "@")),
        )


def media_url(made: MadePost) -> str | None:
    """The file archiver downloads for the post's picture or video (its best mp4), if any."""
    media_id, key = _media_names(made)
    if made.media == "photo":
        return f"https://pbs.twimg.com/media/{key}?format=png&name=orig"
    if made.media == "video":
        return f"https://video.twimg.com/ext_tw_video/{media_id}/pu/vid/1280x720/{key}.mp4?tag=12"
    return None


def _media_names(made: MadePost) -> tuple[str, str]:
    """The made-up media id (uploaded 45 s before the post) and media key of a post."""
    uploaded = dt.datetime.fromisoformat(made.posted) - dt.timedelta(seconds=45)
    seed = made.media_seed
    return snowflake_id(uploaded.isoformat(), seed + "media"), media_key(seed, "media")


def _ms(post_id: str) -> int:
    ms = snowflake_ms(post_id)
    assert ms is not None, post_id
    return ms


def hashtags(text: str) -> list[dict[str, object]]:
    """The hashtag entities of a text, as syndication lists them."""
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
        start, end = tag["indices"]  # type: ignore[misc]
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
