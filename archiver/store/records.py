"""What the store hands back, and the small encodings every table shares (UTC times, JSON)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Clock = Callable[[], str]


def utc_now() -> str:
    """The current time as UTC ISO 8601 with milliseconds: ``2024-05-01T12:00:00.000Z``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(value: Any) -> str:
    """Compact JSON that keeps non-ASCII text readable in Datasette."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass(frozen=True, slots=True)
class SavedArticle:
    """What ``Archive.save_article`` did: the article's id, whether it was new, and its embeds."""

    article_id: int
    status: Literal["new", "changed", "unchanged"]
    embed_ids: list[int]


@dataclass(frozen=True, slots=True)
class EmbedRow:
    """An embed as stored, with what the resolver needs to find its post."""

    id: int
    article_id: int
    platform: str
    form: str
    handle: str | None
    display_name: str | None
    date: str | None
    pic_links: tuple[str, ...]
    links: tuple[str, ...]
    status_id: str | None
    status_url: str | None
    text: str
