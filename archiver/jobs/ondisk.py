"""Has an archived article changed since it was archived (its file on disk, or the copy given on
standard input), and which quotes with it?

`archiver verify PATH` proves the archived copy; a file edited since is another article, and the
reader of the report must be told. The bytes are scanned again and their embeds set beside the
archived ones, in order, by platform and handle.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from archiver import scan
from archiver.errors import InputError
from archiver.sources.files import read_article_file
from archiver.textmatch import normalise_text


@dataclass(frozen=True, slots=True)
class QuoteChange:
    """An embed whose quote on disk differs from the archived one (``now`` None: it is gone)."""

    ordinal: int | None  # the archived embed's ordinal; None for an embed new on disk
    handle: str | None
    archived: str | None
    now: str | None


@dataclass(frozen=True, slots=True)
class DiskChange:
    """``source`` (a file, or standard input) no longer has the archived bytes; ``quotes`` says
    what differs."""

    source: str
    archived_sha256: str
    sha256: str
    quotes: tuple[QuoteChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `archiver verify`'s ``changed_since_archived``."""
        return asdict(self)


def changed_on_disk(article: dict[str, Any], embeds: list[dict[str, Any]]) -> DiskChange | None:
    """How the file an article was archived from differs now, or None when it does not.

    ``article`` has the archived ``url`` and ``sha256``; ``embeds`` the archived embeds' ``ordinal``,
    ``platform``, ``handle`` and ``text``. An article from a URL, standard input, or a file no
    longer there has nothing on disk to compare: None.
    """
    path = Path(article["url"])
    if "://" in article["url"] or not path.is_absolute() or not path.is_file():
        return None
    try:
        current = read_article_file(path)
    except InputError:
        return None
    return changed_content(
        article,
        embeds,
        current.content,
        source=str(path),
        content_type=current.content_type,
        filename=path.name,
    )


def changed_content(
    article: dict[str, Any],
    embeds: list[dict[str, Any]],
    content: bytes,
    *,
    source: str,
    content_type: str | None = None,
    filename: str | None = None,
) -> DiskChange | None:
    """How ``content`` differs from the archived article (see changed_on_disk), or None."""
    sha256 = hashlib.sha256(content).hexdigest()
    if sha256 == article["sha256"]:
        return None
    found = scan.scan_bytes(content, content_type=content_type, filename=filename)
    now = [(e.platform, e.handle, e.text) for e in found.embeds]
    return DiskChange(source, article["sha256"], sha256, tuple(_quote_changes(embeds, now)))


def _quote_changes(
    archived: list[dict[str, Any]], now: list[tuple[str, str | None, str]]
) -> list[QuoteChange]:
    """Archived embeds paired with those on disk by platform and handle, in order."""
    who_before = [(e["platform"], (e["handle"] or "").casefold()) for e in archived]
    who_now = [(platform, (handle or "").casefold()) for platform, handle, _ in now]
    changes = []
    matcher = difflib.SequenceMatcher(a=who_before, b=who_now, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old, (_, _, text) in zip(archived[i1:i2], now[j1:j2], strict=True):
                if normalise_text(old["text"]) != normalise_text(text):
                    changes.append(QuoteChange(old["ordinal"], old["handle"], old["text"], text))
            continue
        changes.extend(
            QuoteChange(e["ordinal"], e["handle"], e["text"], None) for e in archived[i1:i2]
        )
        changes.extend(QuoteChange(None, handle, None, text) for _, handle, text in now[j1:j2])
    return changes
