"""Look archived posts up by key, URL, handle or words of their text (what `archiver lookup` runs)."""

from __future__ import annotations

from typing import Any

from archiver.store import Archive


def lookup(archive: Archive, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Return up to `limit` archived posts matching `query`, newest snapshot first, as JSON-ready rows.

    Example::

        with open_archive("archive.db") as archive:
            [row["post_key"] for row in lookup(archive, "@ChristopherJM")]
    """
    return archive.lookup(query, limit=limit)
