"""What the syndication endpoint says about a post: ``cdn.syndication.twimg.com/tweet-result``.

The answer shapes: docs/endpoints.md §2.3–2.4 (react-tweet ``src/api/types``, the saved payloads in
tests/fixtures/payloads/). ``parse_syndication`` never raises: whatever arrived is evidence, so a
body it cannot read becomes an UNKNOWN witness that says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from archiver.models import Exchange, MediaItem, Platform, Post, PostState, Witness, post_key
from archiver.urls import twitter_status_url
from archiver.witnesses.payload import LANG, Fields, Malformed, body_problem, decode_json, describe
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.media import (
    best_video,
    is_twitter_media_url,
    original_photo_url,
    profile_image_url,
)
from archiver.witnesses.twitter.snowflake import snowflake_time

SOURCE = "syndication"

_ID = re.compile(r"[0-9]{1,20}")
_ASKED_ID = re.compile(r"[?&]id=([^&#]*)")
_ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z")
# X escapes these three in post text; entity indices count the escaped text (tweepy#1080,
# Twitter4J#349), so the text is cut first, then unescaped, then its t.co links expanded.
_ESCAPES = re.compile(r"&(amp|lt|gt);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">"}
_MAX_MEDIA = 16  # X attaches at most four photos or one video
_MAX_ENTITIES = 200
_MAX_NOTES = 10

# Count fields of the Tweet, TweetParent and QuotedTweet shapes, and what the archive calls them.
# The top-level Tweet has no retweet_count; none is ever made up.
_COUNTS = (
    ("favorite_count", "likes"),
    ("conversation_count", "replies"),
    ("reply_count", "replies"),
    ("retweet_count", "reposts"),
    ("quote_count", "quotes"),
)

# Tombstone texts are English prose, not codes: matched in this order, anything else is
# UNAVAILABLE. Sources: emusks docs (deleted), snscrape#392 (limits who can view), FxEmbed
# PR #1981 (suspended account, deleted, private). No stored sample shows the withheld,
# age-restricted or sensitive wording; if X words those otherwise they stay UNAVAILABLE.
_TOMBSTONE_STATES = (
    ("suspended", PostState.SUSPENDED),
    ("deleted", PostState.DELETED),
    ("no longer exists", PostState.DELETED),
    ("limits who can view", PostState.PROTECTED),
    ("private", PostState.PROTECTED),
    ("protected", PostState.PROTECTED),
    ("withheld", PostState.RESTRICTED),
    ("age-restricted", PostState.RESTRICTED),
    ("adult content", PostState.RESTRICTED),
    ("sensitive", PostState.RESTRICTED),
)
# TweetUnavailable.reason values of the GraphQL API (yt-dlp _graphql_to_legacy, FxEmbed).
_UNAVAILABLE_REASONS = {
    "Protected": PostState.PROTECTED,
    "Suspended": PostState.SUSPENDED,
    "NsfwLoggedOut": PostState.RESTRICTED,
    "NsfwViewerHasNoStatedAge": PostState.RESTRICTED,
    "NsfwHighSensitivity": PostState.RESTRICTED,
}


def parse_syndication(exchange: Exchange) -> Witness:
    """Read one syndication answer into a witness: the post's state, the post, its parent and quote.

    ``Tweet`` -> LIVE; ``TweetTombstone`` -> DELETED, SUSPENDED, PROTECTED, RESTRICTED or
    UNAVAILABLE from its text (kept as ``reason``). A tombstone is what X shows logged-out
    readers, not proof of deletion: live posts have come back as tombstones (react-tweet#160),
    and sensitive posts always do. ``{}`` or 404 -> NOT_FOUND. Anything else -> UNKNOWN with the
    reason; this function never raises.
    """
    if exchange.status is None:
        return _unknown(exchange, f"no response ({exchange.error or 'no error recorded'})")
    data, decode_problem = decode_json(exchange.body)
    if exchange.status == 404:
        return Witness(SOURCE, exchange, PostState.NOT_FOUND, reason="HTTP 404", parsed=data)
    if exchange.status != 200:
        return _unknown(exchange, f"HTTP {exchange.status}", data)
    problem = body_problem(exchange) or decode_problem
    if problem:
        return _unknown(exchange, problem, data)
    try:
        witness = _classify(exchange, data)
    except Malformed as exc:
        return _unknown(exchange, str(exc), data)
    witness.parsed = data
    return witness


def _classify(exchange: Exchange, data: Any) -> Witness:
    if not isinstance(data, dict):
        raise Malformed(f"the answer is {describe(data)}, not an object")
    if not data:
        return Witness(SOURCE, exchange, PostState.NOT_FOUND, reason="empty object")
    typename = data.get("__typename")
    if typename == "TweetWithVisibilityResults":
        data = Fields.of(data, "").required("tweet", dict)
        typename = data.get("__typename")
    if typename == "Tweet":
        return _live(exchange, data)
    if typename == "TweetTombstone":
        text = _tombstone_text(data.get("tombstone"))
        if not text:
            return Witness(
                SOURCE, exchange, PostState.UNAVAILABLE, reason="TweetTombstone without text"
            )
        lowered = text.casefold()
        state = next((s for phrase, s in _TOMBSTONE_STATES if phrase in lowered), None)
        return Witness(SOURCE, exchange, state or PostState.UNAVAILABLE, reason=text)
    if typename == "TweetUnavailable":
        reason = data.get("reason") if isinstance(data.get("reason"), str) else None
        state = _UNAVAILABLE_REASONS.get(reason or "", PostState.UNAVAILABLE)
        return Witness(SOURCE, exchange, state, reason=f"TweetUnavailable: {reason or 'no reason'}")
    if typename is None and (error := _error_message(data)):
        raise Malformed(f"the answer is an error: {error}")
    shown = typename[:80] if isinstance(typename, str) else describe(typename)
    raise Malformed(f"unexpected __typename {shown!r}")


def _error_message(data: dict[str, Any]) -> str | None:
    """``{"error": "..."}`` (react-tweet) or ``{"errors": [{"code", "message"}]}`` (vxTwitter)."""
    error = data.get("error")
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        error = errors[0].get("message")
    return error[:200] if isinstance(error, str) and error else None


def _tombstone_text(tombstone: object) -> str | None:
    if not isinstance(tombstone, dict):
        return None
    text = tombstone.get("text")
    if isinstance(text, dict):
        text = text.get("text")
    if not isinstance(text, str):
        return None
    return text.strip()[:2000] or None


def _live(exchange: Exchange, data: dict[str, Any]) -> Witness:
    fields = Fields.of(data, "")
    post, related = _post(fields)
    asked = _ASKED_ID.search(exchange.url)
    if asked is not None and asked[1] != post.id:
        raise Malformed(f"the answer is about post {post.id}, not the post asked for ({asked[1]})")
    reason = _notes(fields.notes)
    if isinstance(data.get("note_tweet"), dict):  # docs/endpoints.md §2.3: long text truncated
        reason = "text cut short: the full text is a note_tweet this answer does not carry" + (
            f"; {reason}" if reason else ""
        )
    return Witness(SOURCE, exchange, PostState.LIVE, post=post, related=related, reason=reason)


def _post(fields: Fields, *, nested: bool = False) -> tuple[Post, list[Post]]:
    post_id = fields.required("id_str", str)
    if not _ID.fullmatch(post_id):
        raise Malformed(f"{fields.where or 'the answer'} has an id_str that is not a number")
    user = fields.required_child("user")
    handle = user.required("screen_name", str)
    if not is_handle(handle):
        raise Malformed(f"{user.where}.screen_name is not an X handle")
    post = Post(
        platform=Platform.TWITTER,
        id=post_id,
        url=twitter_status_url(post_id, handle),
        handle=handle,
        author_name=user.optional("name", str),
        author_id=user.matching("id_str", _ID),
        text=_display_text(fields),
        lang=fields.matching("lang", LANG),
        created_at=fields.matching("created_at", _ISO_UTC),
        created_at_from_id=snowflake_time(post_id),
        counts=_counts(fields),
        card=_card(fields),
        edit_ids=_edit_ids(fields),
    )
    post.media = _media(fields)
    avatar = user.optional("profile_image_url_https", str)
    if avatar is not None and is_twitter_media_url(avatar):
        post.media.append(MediaItem(kind="profile_image", url=profile_image_url(avatar)))
    elif avatar is not None:
        user.note(f"{user.where}.profile_image_url_https is not on X's media hosts")
    if post.card is not None:
        post.media.extend(_card_images(post.card))
    related: list[Post] = []
    if not nested:
        for key, link in (("parent", "reply_to"), ("quoted_tweet", "quote_of")):
            other = fields.child(key)
            if other is None:
                continue
            try:
                other_post, _ = _post(other, nested=True)
            except Malformed as exc:
                fields.note(f"{key} skipped: {exc}")
                continue
            setattr(post, link, other_post.key)
            related.append(other_post)
    if post.reply_to is None:
        parent_id = fields.matching("in_reply_to_status_id_str", _ID)
        post.reply_to = post_key(Platform.TWITTER, parent_id) if parent_id else None
    return post, related


def _display_text(fields: Fields) -> str:
    """The text a reader sees: cut by ``display_text_range`` (code points), t.co links expanded."""
    raw = fields.required("text", str)
    span = fields.optional("display_text_range", list)
    start, end = 0, len(raw)
    if span is not None:
        if (
            len(span) == 2
            and all(isinstance(i, int) and not isinstance(i, bool) for i in span)
            and 0 <= span[0] <= span[1] <= len(raw)
        ):
            start, end = span
        else:
            fields.note(f"{fields.path('display_text_range')} does not fit the text; kept whole")
    text = _ESCAPES.sub(lambda m: _UNESCAPED[m[1]], raw[start:end])
    for entity in _entities(fields, "urls"):
        short, expanded = entity.get("url"), entity.get("expanded_url")
        if isinstance(short, str) and isinstance(expanded, str) and short and len(expanded) < 4096:
            text = re.sub(re.escape(short) + r"(?![A-Za-z0-9])", _literal(expanded), text)
    return text


def _literal(to: str) -> Callable[[re.Match[str]], str]:
    """A replacement for re.sub that inserts ``to`` as it is (no backslash escapes)."""
    return lambda _: to


def _entities(fields: Fields, key: str) -> list[dict[str, Any]]:
    entities = fields.child("entities")
    if entities is None:
        return []
    value = entities.data.get(key)
    if value is None or value == {}:  # emusks shows empty entity lists as {}
        return []
    if not isinstance(value, list):
        entities.note(f"{entities.where}.{key} is {describe(value)}, not an array")
        return []
    return [e for e in value[:_MAX_ENTITIES] if isinstance(e, dict)]


def _counts(fields: Fields) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, name in _COUNTS:
        value = fields.optional(key, int)
        if value is not None and value >= 0 and name not in counts:
            counts[name] = value
    return counts


def _edit_ids(fields: Fields) -> list[str]:
    control = fields.child("edit_control")
    if not control:
        return []
    ids = control.optional("edit_tweet_ids", list)
    if ids is None:
        return []
    valid = [i for i in ids[:_MAX_ENTITIES] if isinstance(i, str) and _ID.fullmatch(i)]
    if len(valid) != len(ids):
        fields.note(f"{control.where}.edit_tweet_ids has entries that are not ids")
    return valid


def _media(fields: Fields) -> list[MediaItem]:
    details = fields.optional("mediaDetails", list) or []
    if len(details) > _MAX_MEDIA:
        fields.note(f"mediaDetails has {len(details)} entries; kept the first {_MAX_MEDIA}")
    items = []
    for index, raw in enumerate(details[:_MAX_MEDIA]):
        where = f"{fields.path('mediaDetails')}[{index}]"
        item = _media_item(Fields.of(raw, where, fields.notes)) if isinstance(raw, dict) else None
        if item is None:
            fields.note(f"{where} skipped: not a photo, video or GIF on X's media hosts")
        else:
            items.append(item)
    return items


def _media_item(media: Fields) -> MediaItem | None:
    kind = media.optional("type", str)
    info = media.child("original_info")
    width = info.optional("width", int) if info else None
    height = info.optional("height", int) if info else None
    if kind == "photo":
        source = media.optional("media_url_https", str)
        if source is None or not is_twitter_media_url(source):
            return None
        return MediaItem(
            kind="photo",
            url=original_photo_url(source),
            alt=media.optional("ext_alt_text", str),
            width=width,
            height=height,
        )
    if kind in ("video", "animated_gif"):
        video_info = media.child("video_info")
        variants = video_info.optional("variants", list) if video_info else None
        item = best_video(kind, variants[:_MAX_ENTITIES]) if variants else None
        if item is not None:
            item.width, item.height = width, height
        return item
    return None


def _card(fields: Fields) -> dict[str, Any] | None:
    card = fields.child("card")
    if card is None:
        return None
    bindings = card.data.get("binding_values")
    if isinstance(bindings, list):  # the GraphQL form: [{"key": ..., "value": ...}]
        bindings = {
            b["key"]: b.get("value")
            for b in bindings
            if isinstance(b, dict) and isinstance(b.get("key"), str)
        }
    if not isinstance(bindings, dict):
        card.note(f"{card.where}.binding_values is {describe(bindings)}, not an object")
        bindings = {}
    return {
        "name": card.optional("name", str),
        "url": card.optional("url", str),
        "binding_values": bindings,
    }


def _card_images(card: dict[str, Any]) -> list[MediaItem]:
    """The largest image among the card's binding values (one picture comes in several sizes)."""
    images = []
    for value in card["binding_values"].values():
        image = value.get("image_value") if isinstance(value, dict) else None
        if not isinstance(image, dict) or not is_twitter_media_url(image.get("url")):
            continue
        width, height = image.get("width"), image.get("height")
        width = width if isinstance(width, int) and not isinstance(width, bool) else None
        height = height if isinstance(height, int) and not isinstance(height, bool) else None
        alt = image.get("alt") if isinstance(image.get("alt"), str) else None
        images.append(MediaItem("card_image", image["url"], alt=alt, width=width, height=height))
    if not images:
        return []
    return [max(images, key=lambda i: (i.width or 0) * (i.height or 0))]


def _notes(notes: list[str]) -> str | None:
    if not notes:
        return None
    shown = "; ".join(notes[:_MAX_NOTES])
    extra = len(notes) - _MAX_NOTES
    return f"ignored: {shown}" + (f"; and {extra} more" if extra > 0 else "")


def _unknown(exchange: Exchange, reason: str, parsed: Any = None) -> Witness:
    return Witness(SOURCE, exchange, PostState.UNKNOWN, reason=reason, parsed=parsed)
