"""Article URLs listed by RSS/Atom feeds (feedparser) and XML sitemaps."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin
from xml.etree import ElementTree

import feedparser

from archiver.errors import InputError


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: str | None = None


def feed_entries(content: bytes, *, feed_url: str) -> list[FeedEntry]:
    """The entries of an RSS or Atom document, in feed order, with absolute URLs.

    Raises InputError when the document is not a feed at all.
    """
    parsed = feedparser.parse(content, response_headers={"content-location": feed_url})
    if parsed.bozo and not parsed.entries:
        raise InputError(f"{feed_url}: not a readable feed ({parsed.get('bozo_exception')})")
    entries = []
    seen = set()
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        url = urljoin(feed_url, link)
        if url in seen or not url.startswith(("http://", "https://")):
            continue
        seen.add(url)
        entries.append(FeedEntry(url, entry.get("title"), entry.get("published")))
    return entries


_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(content: bytes, *, sitemap_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index.

    Raises InputError when the document is not XML.
    """
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise InputError(f"{sitemap_url}: not a readable sitemap ({exc})") from exc
    locations = [
        urljoin(sitemap_url, (loc.text or "").strip())
        for loc in root.iter()
        if loc.tag in (f"{_SITEMAP_NS}loc", "loc") and (loc.text or "").strip()
    ]
    locations = [u for u in dict.fromkeys(locations) if u.startswith(("http://", "https://"))]
    if root.tag in (f"{_SITEMAP_NS}sitemapindex", "sitemapindex"):
        return [], locations
    return locations, []
