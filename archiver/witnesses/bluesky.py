"""What Bluesky's AppView says of a post: ``app.bsky.feed.getPostThread`` (docs/endpoints.md §5.1).

Fields are read only as the lexicons define them (bluesky-social/atproto ``lexicons/app/bsky/``:
``feed/defs.json`` postView, threadViewPost, notFoundPost, blockedPost; ``feed/post.json`` the
record; ``actor/defs.json`` profileViewBasic; ``embed/{images,video,external,record,
recordWithMedia}.json`` the ``#view`` forms). ``parse_bluesky_thread`` never raises. The asking
is in archiver/fetch/bluesky.py.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from archiver.models import Exchange, MediaItem, Platform, Post, PostState, Witness
from archiver.urls import is_fetchable_https_url, parse_post_url
from archiver.witnesses.payload import DATETIME, LANG, Fields, Malformed, body_problem, decode_json

SOURCE = "bluesky_appview"
# An actor: a DID or a handle.
ACTOR = re.compile(r"did:[a-z]+:[A-Za-z0-9._:%-]{1,2048}|[A-Za-z0-9.-]{1,253}")
_COUNTS = (
    ("likeCount", "likes"),
    ("replyCount", "replies"),
    ("repostCount", "reposts"),
    ("quoteCount", "quotes"),
    ("bookmarkCount", "bookmarks"),
)
_MAX_IMAGES = 4  # embed/images.json: maxLength 4


def parse_bluesky_thread(exchange: Exchange) -> Witness:
    """Read a getPostThread answer into a witness.

    ``#threadViewPost`` -> LIVE with the post and its parent; ``#notFoundPost`` or a 400
    ``{"error": "NotFound"}`` (bluesky-social/pds#152) -> NOT_FOUND; ``#blockedPost`` ->
    UNAVAILABLE; anything else -> UNKNOWN with the reason.
    """
    if exchange.status is None:
        return _witness(exchange, PostState.UNKNOWN, f"no response ({exchange.error})")
    data, problem = decode_json(exchange.body)
    if exchange.status == 400 and isinstance(data, dict) and data.get("error") == "NotFound":
        message = data.get("message")
        not_found = message[:500] if isinstance(message, str) else "NotFound"
        return _witness(exchange, PostState.NOT_FOUND, not_found, data)
    if exchange.status != 200:
        return _witness(exchange, PostState.UNKNOWN, f"HTTP {exchange.status}", data)
    problem = body_problem(exchange) or problem
    try:
        if problem:
            raise Malformed(problem)
        thread = Fields.of(data, "").required_child("thread")
        if thread.data.get("notFound") is True:
            return _witness(exchange, PostState.NOT_FOUND, "notFoundPost", data)
        if thread.data.get("blocked") is True:
            return _witness(exchange, PostState.UNAVAILABLE, "blockedPost", data)
        post = _post_view(thread.required_child("post"))
        related = []
        parent = thread.child("parent")
        if parent is not None and isinstance(parent.data.get("post"), dict):
            try:
                related.append(_post_view(parent.required_child("post")))
            except Malformed as exc:
                thread.note(f"parent skipped: {exc}")
        quoted = _quoted(thread.required_child("post"))
        if quoted is not None:
            post.quote_of = quoted.key
            related.append(quoted)
    except Malformed as exc:
        return _witness(exchange, PostState.UNKNOWN, str(exc), data)
    reason = "ignored: " + "; ".join(thread.notes[:10]) if thread.notes else None
    return Witness(SOURCE, exchange, PostState.LIVE, post, related, reason, data)


def _post_view(view: Fields) -> Post:
    return _post(view, view.required_child("record"))


def _post(view: Fields, record: Fields) -> Post:
    """A post from a postView (or a viewRecord, whose record is called ``value``)."""
    ref = parse_post_url(view.required("uri", str))
    if ref is None or ref.platform != Platform.BLUESKY:
        raise Malformed(f"{view.path('uri')} is not the AT URI of a post")
    author = view.required_child("author")
    did = author.required("did", str)
    handle = author.required("handle", str)
    if not ACTOR.fullmatch(did) or not did.startswith("did:") or not ACTOR.fullmatch(handle):
        raise Malformed(f"{author.where} has a did or handle that is not one")
    rkey = ref.post_id.rpartition("/")[2]
    post = Post(
        platform=Platform.BLUESKY,
        id=f"{did}/{rkey}",
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        handle=handle,
        author_name=author.optional("displayName", str),
        author_id=did,
        text=record.required("text", str),
        lang=_first_lang(record),
        created_at=record.matching("createdAt", DATETIME),
        counts={
            name: value
            for key, name in _COUNTS
            if (value := view.optional(key, int)) is not None and value >= 0
        },
    )
    reply = record.child("reply")
    parent = reply.child("parent") if reply else None
    parent_uri = parent.optional("uri", str) if parent else None
    parent_ref = parse_post_url(parent_uri) if parent_uri else None
    if parent_ref is not None and parent_ref.platform == Platform.BLUESKY:
        post.reply_to = parent_ref.key
    embed = view.child("embed")
    post.media = _media(embed) if embed else []
    external = _external(embed) if embed else None
    if external is not None:
        post.card = external
    avatar = author.optional("avatar", str)
    if avatar is not None and _is_bluesky_media(avatar):
        post.media.append(MediaItem(kind="profile_image", url=avatar))
    return post


def _quoted(view: Fields) -> Post | None:
    """The post quoted by a record#view (alone or inside recordWithMedia#view)."""
    embed = view.child("embed")
    if embed is None:
        return None
    holder = embed.child("record")
    if holder is not None and isinstance(holder.data.get("record"), dict):
        holder = holder.child("record")  # recordWithMedia#view.record is a record#view
    if holder is None or not isinstance(holder.data.get("value"), dict):
        return None  # viewNotFound, viewBlocked, feed generators, lists
    try:
        return _post(holder, holder.required_child("value"))
    except Malformed as exc:
        view.note(f"quoted post skipped: {exc}")
        return None


def _media(embed: Fields) -> list[MediaItem]:
    media = embed.child("media") or embed  # recordWithMedia#view keeps its media apart
    items = []
    for index, image in enumerate((media.optional("images", list) or [])[:_MAX_IMAGES]):
        image = (
            Fields.of(image, f"{media.path('images')}[{index}]", media.notes)
            if isinstance(image, dict)
            else None
        )
        fullsize = image.optional("fullsize", str) if image else None
        if image is None or fullsize is None or not _is_bluesky_media(fullsize):
            media.note(f"{media.path('images')}[{index}] skipped: no fullsize on Bluesky's hosts")
            continue
        width, height = _aspect(image)
        items.append(
            MediaItem("photo", fullsize, alt=image.optional("alt", str), width=width, height=height)
        )
    playlist = media.optional("playlist", str)
    if playlist is not None and _is_bluesky_media(playlist):
        width, height = _aspect(media)
        items.append(
            MediaItem(
                "video",
                playlist,
                stream_url=playlist,
                alt=media.optional("alt", str),
                width=width,
                height=height,
            )
        )
    return items


def _external(embed: Fields) -> dict[str, Any] | None:
    media = embed.child("media") or embed
    external = media.child("external")
    if external is None:
        return None
    return {
        "name": "external",
        "url": external.optional("uri", str),
        "binding_values": {
            "title": external.optional("title", str),
            "description": external.optional("description", str),
            "thumb": external.optional("thumb", str),
        },
    }


def _aspect(fields: Fields) -> tuple[int | None, int | None]:
    ratio = fields.child("aspectRatio")  # embed/defs.json#aspectRatio: width, height
    if ratio is None:
        return None, None
    return ratio.optional("width", int), ratio.optional("height", int)


def _first_lang(record: Fields) -> str | None:
    langs = record.optional("langs", list)
    first = langs[0] if langs else None
    return first if isinstance(first, str) and LANG.fullmatch(first) else None


def _is_bluesky_media(url: str) -> bool:
    if not is_fetchable_https_url(url):
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host == "bsky.app" or host.endswith(".bsky.app")


def _witness(exchange: Exchange, state: PostState, reason: str, parsed: Any = None) -> Witness:
    return Witness(SOURCE, exchange, state, reason=reason, parsed=parsed)
