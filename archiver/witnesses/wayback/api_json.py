"""Captured API answers of X: v2 (``data``, ``includes``, since 2023) and v1.1 status objects.

The post is the one whose id is the id asked for, never the first one listed; its author is the
user whose id is the post's ``author_id`` (v2), not the first user listed.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from archiver.models import Exchange, Post, Witness
from archiver.witnesses.payload import decode_json
from archiver.witnesses.wayback.verdict import accepted, iso_time, rejected, twitter_post


def read_api_json(exchange: Exchange, asked: str) -> Witness:
    """A captured API answer: LIVE with the post asked for, or rejected when it holds none."""
    data, problem = decode_json(exchange.body)
    if problem:
        return rejected(exchange, problem)
    if isinstance(data, dict) and "data" in data:
        post = _v2_post(data, asked)
    else:
        post = _v1_post(data, asked)
    if post is None:
        return rejected(exchange, f"no post {asked} in the captured JSON")
    return accepted(exchange, post, asked)


def _v2_post(data: dict[str, Any], asked: str) -> Post | None:
    """API v2: ``data`` (an object or a list), ``includes.tweets``, ``includes.users``."""
    includes: dict[str, Any] = data["includes"] if isinstance(data.get("includes"), dict) else {}
    items = list(data["data"]) if isinstance(data["data"], list) else [data["data"]]
    if isinstance(includes.get("tweets"), list):
        items += includes["tweets"]
    item = next((t for t in items if isinstance(t, dict) and t.get("id") == asked), None)
    if item is None:
        return None
    note = item.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) else None
    text = text if isinstance(text, str) else item.get("text")
    author_id = item.get("author_id") if isinstance(item.get("author_id"), str) else None
    users: list[Any] = includes["users"] if isinstance(includes.get("users"), list) else []
    user = next((u for u in users if isinstance(u, dict) and u.get("id") == author_id), {})
    parent = next(
        (
            r.get("id")
            for r in item.get("referenced_tweets") or []
            if isinstance(r, dict) and r.get("type") == "replied_to"
        ),
        None,
    )
    return twitter_post(
        asked,
        handle=user.get("username"),
        name=user.get("name"),
        author_id=author_id,
        text=text,
        lang=item.get("lang"),
        created_at=iso_time(item.get("created_at")),
        reply_to=parent,
    )


def _v1_post(data: Any, asked: str) -> Post | None:
    """API v1.1 objects: the status, or one nested as ``retweeted_status``/``quoted_status``."""
    stack = list(data) if isinstance(data, list) else [data]
    while stack:
        item = stack.pop(0)
        if not isinstance(item, dict):
            continue
        if item.get("id_str") == asked:
            user: dict[str, Any] = item["user"] if isinstance(item.get("user"), dict) else {}
            extended = item.get("extended_tweet")
            text = extended.get("full_text") if isinstance(extended, dict) else None
            text = text or item.get("full_text") or item.get("text")
            if isinstance(text, str):
                text = html.unescape(text)  # v1.1 escapes &, < and > in post text
            return twitter_post(
                asked,
                handle=user.get("screen_name"),
                name=user.get("name"),
                author_id=user.get("id_str"),
                text=text,
                lang=item.get("lang"),
                created_at=_v1_time(item.get("created_at")),
                reply_to=item.get("in_reply_to_status_id_str"),
            )
        stack += [item.get("retweeted_status"), item.get("quoted_status")]
    return None


def _v1_time(value: Any) -> str | None:
    """``Wed Oct 10 20:19:24 +0000 2018`` as UTC ISO 8601."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
