"""What the store hands back, and the small encodings every table shares (UTC times, JSON)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from archiver.errors import StoreError

Clock = Callable[[], str]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def utc_now() -> str:
    """The current time as UTC ISO 8601 with milliseconds: ``2024-05-01T12:00:00.000Z``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def storable(text: str) -> str:
    """Text as the archive can hold it: UTF-8, with each lone surrogate written as its escape.

    Python reads a file name or an argument that is not UTF-8 with its bytes as lone surrogates
    (``caf\\xe9`` as ``caf\\udce9``), which SQLite refuses; ``caf\\udce9`` (the escape) is
    stored instead, and the same name given again finds it.
    """
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def to_json(value: Any) -> str:
    """Compact JSON that keeps non-ASCII text readable in Datasette (lone surrogates escaped)."""
    return storable(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def inserted_id(rowid: int | None) -> int:
    """The id an INSERT gave its row: sqlite3's ``lastrowid`` and sqlite-utils' ``last_rowid`` are
    typed optional, but every INSERT that returns has set it."""
    if rowid is None:
        raise StoreError("an insert gave its row no id")
    return rowid


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
