"""What a Mastodon server says of a status: ``GET /api/v1/statuses/:id`` (docs/endpoints.md §5.2).

Fields are read only as the entity docs define them: Status
(https://docs.joinmastodon.org/entities/Status/), Account (…/entities/Account/) and
MediaAttachment (…/entities/MediaAttachment/). ``parse_mastodon_status`` never raises. The
asking is in archiver/fetch/mastodon.py.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bs4 import Tag

from archiver.models import Exchange, MediaItem, Platform, Post, PostState, Witness, post_key
from archiver.urls import is_fetchable_https_url
from archiver.witnesses.payload import DATETIME, LANG, Fields, Malformed, body_problem, decode_json
from archiver.witnesses.soup import is_text, parse_html

SOURCE = "mastodon_api"

STATUS_ID = re.compile(r"[0-9]{1,20}")
_COUNTS = (
    ("favourites_count", "likes"),
    ("replies_count", "replies"),
    ("reblogs_count", "reposts"),
)
# MediaAttachment.type values and the archive's kinds; audio and unknown are not kept.
_KINDS = {"image": "photo", "video": "video", "gifv": "animated_gif"}
_MAX_MEDIA = 16


def parse_mastodon_status(exchange: Exchange) -> Witness:
    """Read a Status answer into a witness.

    200 -> LIVE; 404 -> NOT_FOUND (Mastodon answers 404 ``{"error": "Record not found"}`` for a
    status it does not show); anything else, 401 and 403 included (servers that want a login),
    -> UNKNOWN with the reason.
    """
    if exchange.status is None:
        return _witness(exchange, PostState.UNKNOWN, f"no response ({exchange.error})")
    data, problem = decode_json(exchange.body)
    if exchange.status == 404:
        return _witness(exchange, PostState.NOT_FOUND, "HTTP 404", data)
    if exchange.status != 200:
        return _witness(exchange, PostState.UNKNOWN, f"HTTP {exchange.status}", data)
    parts = urlsplit(exchange.url)
    host, asked = (parts.hostname or "").lower(), parts.path.rpartition("/")[2]
    try:
        if problem := body_problem(exchange) or problem:
            raise Malformed(problem)
        status = Fields.of(data, "")
        post = _post(status, host)
        if post.id != f"{host}/{asked}":
            raise Malformed(f"the answer is about status {post.id}, not the one asked for")
    except Malformed as exc:
        return _witness(exchange, PostState.UNKNOWN, str(exc), data)
    reason = "ignored: " + "; ".join(status.notes[:10]) if status.notes else None
    return Witness(SOURCE, exchange, PostState.LIVE, post=post, reason=reason, parsed=data)


def _post(status: Fields, host: str) -> Post:
    status_id = status.required("id", str)
    if not STATUS_ID.fullmatch(status_id):
        raise Malformed("id is not a status id")
    account = status.required_child("account")
    username = account.required("username", str)
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username):
        raise Malformed("account.username is not a user name")
    url = status.optional("url", str)
    post = Post(
        platform=Platform.MASTODON,
        id=f"{host}/{status_id}",
        url=url if is_fetchable_https_url(url) else f"https://{host}/@{username}/{status_id}",
        handle=username,
        author_name=account.optional("display_name", str) or None,
        author_id=account.optional("id", str),
        text=html_to_text(status.required("content", str)),
        lang=status.matching("language", LANG),
        created_at=status.matching("created_at", DATETIME),
        counts={
            name: value
            for key, name in _COUNTS
            if (value := status.optional(key, int)) is not None and value >= 0
        },
        card=status.optional("card", dict),
    )
    parent = status.optional("in_reply_to_id", str)
    if parent is not None and STATUS_ID.fullmatch(parent):
        post.reply_to = post_key(Platform.MASTODON, f"{host}/{parent}")
    post.media = _media(status)
    avatar = account.optional("avatar", str)
    if is_fetchable_https_url(avatar):
        post.media.append(MediaItem(kind="profile_image", url=avatar))
    return post


def _media(status: Fields) -> list[MediaItem]:
    items = []
    for index, raw in enumerate((status.optional("media_attachments", list) or [])[:_MAX_MEDIA]):
        where = f"media_attachments[{index}]"
        attachment = Fields.of(raw, where, status.notes) if isinstance(raw, dict) else None
        kind = _KINDS.get(attachment.optional("type", str) or "") if attachment else None
        url = attachment.optional("url", str) if attachment else None
        if attachment is None or kind is None or not is_fetchable_https_url(url):
            status.note(f"{where} skipped: not an image, video or GIF with an https URL")
            continue
        meta = attachment.child("meta")
        original = meta.child("original") if meta else None
        items.append(
            MediaItem(
                kind=kind,
                url=url,
                alt=attachment.optional("description", str),
                width=original.optional("width", int) if original else None,
                height=original.optional("height", int) if original else None,
            )
        )
    return items


def html_to_text(content: str) -> str:
    """Status HTML as plain text: paragraphs apart by a blank line, ``<br>`` as a newline.

    >>> html_to_text("<p>Hello &amp; welcome<br>to <a href='https://x.test'>x.test</a></p><p>Bye</p>")
    'Hello & welcome\\nto x.test\\n\\nBye'
    """
    paragraphs = [""]
    for node in parse_html(content).descendants:
        if isinstance(node, Tag) and node.name == "br":
            paragraphs[-1] += "\n"
        elif isinstance(node, Tag) and node.name == "p":
            paragraphs.append("")
        elif is_text(node):
            paragraphs[-1] += node
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def _witness(exchange: Exchange, state: PostState, reason: str, parsed: Any = None) -> Witness:
    return Witness(SOURCE, exchange, state, reason=reason, parsed=parsed)
