"""Which file to keep for each picture and video of an X post (docs/endpoints.md §2.3, media)."""

from __future__ import annotations

import posixpath
import re
from typing import TypeGuard, cast
from urllib.parse import urlsplit

from archiver.models import MediaItem

MP4 = "video/mp4"
# a host under twimg.com with no user info or port, and no spaces or control characters after
_TWIMG = re.compile(r"https://(?:[a-z0-9-]+\.)+twimg\.com(?:[/?#][^\s\x00-\x1f\x7f]*)?", re.I)
HLS = "application/x-mpegURL"


def is_twitter_media_url(url: object) -> TypeGuard[str]:
    """True for an https URL on X's media hosts (``*.twimg.com``), the only hosts kept."""
    return isinstance(url, str) and len(url) <= 2048 and _TWIMG.fullmatch(url) is not None


def original_photo_url(media_url_https: str) -> str:
    """The full-size file of a photo: the extension moved to ``format`` and ``name=orig``.

    react-tweet's ``getMediaUrl`` builds the same shape with smaller names (``utils.ts``).

    >>> original_photo_url("https://pbs.twimg.com/media/FsZNOgcWAAEQtrd.jpg")
    'https://pbs.twimg.com/media/FsZNOgcWAAEQtrd?format=jpg&name=orig'
    """
    parts = urlsplit(media_url_https)
    stem, extension = posixpath.splitext(parts.path)
    base = f"{parts.scheme}://{parts.netloc}"
    if not extension:
        return f"{base}{parts.path}?name=orig"
    return f"{base}{stem}?format={extension[1:]}&name=orig"


def profile_image_url(profile_image_url_https: str) -> str:
    """The 400x400 avatar instead of the 48x48 ``_normal`` one, as yt-dlp swaps it (twitter.py)."""
    parts = urlsplit(profile_image_url_https)
    stem, extension = posixpath.splitext(parts.path)
    if stem.endswith("_normal"):
        stem = stem.removesuffix("_normal") + "_400x400"
    return f"{parts.scheme}://{parts.netloc}{stem}{extension}"


def best_video(kind: str, variants: list[dict[str, object]]) -> MediaItem | None:
    """The highest-bitrate mp4 of a video or GIF, its HLS playlist kept; None when neither exists.

    react-tweet deliberately plays the second best (``getMp4Video``); an archive keeps the best.
    Variants whose URL is not on X's media hosts are ignored.
    """
    usable = [v for v in variants if isinstance(v, dict) and is_twitter_media_url(v.get("url"))]
    mp4s = [v for v in usable if v.get("content_type") == MP4]
    # is_twitter_media_url checked every usable variant's "url" is a str.
    stream = next((cast(str, v["url"]) for v in usable if v.get("content_type") == HLS), None)
    if not mp4s:
        return None if stream is None else MediaItem(kind=kind, url=stream, stream_url=stream)
    best = max(mp4s, key=_bitrate)
    return MediaItem(
        kind=kind, url=cast(str, best["url"]), stream_url=stream, bitrate=_bitrate(best) or None
    )


def _bitrate(variant: dict[str, object]) -> int:
    value = variant.get("bitrate")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
