"""What a capture is judged to show: the post it names (a LIVE witness) or the reason it is
rejected, and the X post built from the fields a capture tells of it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from archiver.models import WAYBACK, Exchange, Platform, Post, PostState, Witness, post_key
from archiver.urls import twitter_status_url
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.snowflake import format_ms, snowflake_time

SOURCE = WAYBACK  # a raw capture of the post

_ID = re.compile(r"[0-9]{1,20}", re.ASCII)
_REWRITTEN = re.compile(r"https?://web\.archive\.org/web/\d{14}[a-z_]*/", re.ASCII)


def unrewritten(text: str) -> str:
    """``text`` without the Wayback's rewriting of links (``https://web.archive.org/web/TS/``)."""
    return _REWRITTEN.sub("", text)


def rejected(exchange: Exchange, why: str) -> Witness:
    """An UNKNOWN witness saying why the capture is not taken for the post."""
    return Witness(SOURCE, exchange, PostState.UNKNOWN, reason=f"rejected: {why}")


def accepted(exchange: Exchange, post: Post, asked: str, note: str | None = None) -> Witness:
    """A LIVE witness of ``post`` when it is the post asked for (rejected otherwise), its text
    freed of rewritten links and its media dropped."""
    if post.id != asked:
        return rejected(exchange, f"shows post {post.id}, not {asked}")
    post.text = unrewritten(post.text) if post.text else post.text
    post.media = []  # a copy's media links may be gone or another's; they are not downloaded
    return Witness(SOURCE, exchange, PostState.LIVE, post=post, reason=note)


def iso_time(value: Any) -> str | None:
    """An ISO 8601 time with a zone as UTC with milliseconds; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return format_ms(int(moment.timestamp() * 1000))


def twitter_post(
    post_id: str,
    *,
    handle: Any,
    name: Any,
    author_id: Any,
    text: Any,
    lang: Any = None,
    created_at: str | None = None,
    reply_to: Any = None,
) -> Post:
    """An X post from the fields a capture gives, each kept only when it has the right form."""
    handle = handle if is_handle(handle) and handle != "i" else None
    return Post(
        platform=Platform.TWITTER,
        id=post_id,
        url=twitter_status_url(post_id, handle),
        handle=handle,
        author_name=name if isinstance(name, str) else None,
        author_id=author_id if isinstance(author_id, str) and _ID.fullmatch(author_id) else None,
        text=text.strip() if isinstance(text, str) else None,
        lang=lang if isinstance(lang, str) and re.fullmatch(r"[A-Za-z-]{1,20}", lang) else None,
        created_at=created_at,
        created_at_from_id=snowflake_time(post_id),
        reply_to=post_key(Platform.TWITTER, reply_to)
        if isinstance(reply_to, str) and _ID.fullmatch(reply_to) and reply_to != post_id
        else None,
    )
