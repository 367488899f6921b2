"""The article URLs a run fetches, listed lazily: given URLs, then feed entries, then sitemap pages.

Each sitemap is read only when the pages listed before it have been taken, so a sitemap index
of many children starts its first articles after one request, not after all of them, and the
listing holds one document at a time. Every URL is listed once, in the order first seen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

from archiver.errors import FetchError, InputError
from archiver.fetch import HttpClient
from archiver.jobs.record import RunRecord
from archiver.sources.feeds import feed_entries, sitemap_locations

MAX_SITEMAP_DEPTH = 3  # an index of indexes of indexes, and no deeper


async def listed_urls(
    client: HttpClient,
    record: RunRecord,
    *,
    urls: Iterable[str] = (),
    feeds: Iterable[str] = (),
    sitemaps: Iterable[str] = (),
) -> AsyncIterator[str]:
    """Yield each article URL of ``urls``, the ``feeds``' entries and the ``sitemaps``' pages
    once; a feed or sitemap that cannot be read is a failure of the run, the rest go on."""
    seen: set[str] = set()

    def first_time(url: str) -> bool:
        if url in seen:
            return False
        seen.add(url)
        return True

    for url in urls:
        if first_time(url):
            yield url
    for feed_url in feeds:
        for url in await _feed_urls(client, record, feed_url):
            if first_time(url):
                yield url
    for sitemap_url in sitemaps:
        async for url in _sitemap_pages(client, record, sitemap_url, depth=0):
            if first_time(url):
                yield url


async def _feed_urls(client: HttpClient, record: RunRecord, feed_url: str) -> list[str]:
    body = await _get_document(client, record, feed_url, stage="feed")
    if body is None:
        return []
    try:
        return [entry.url for entry in feed_entries(body, feed_url=feed_url)]
    except InputError as exc:
        record.fail("feed", feed_url, str(exc))
        return []


async def _sitemap_pages(
    client: HttpClient, record: RunRecord, sitemap_url: str, *, depth: int
) -> AsyncIterator[str]:
    body = await _get_document(client, record, sitemap_url, stage="sitemap")
    if body is None:
        return
    try:
        pages, children = sitemap_locations(body, sitemap_url=sitemap_url)
    except InputError as exc:
        record.fail("sitemap", sitemap_url, str(exc))
        return
    for page in pages:
        yield page
    if depth < MAX_SITEMAP_DEPTH:
        for child in children:
            async for page in _sitemap_pages(client, record, child, depth=depth + 1):
                yield page


async def _get_document(
    client: HttpClient, record: RunRecord, url: str, *, stage: str
) -> bytes | None:
    try:
        exchange = await client.get(url)
    except FetchError as exc:
        record.fail(stage, url, str(exc), evidence=exc)
        return None
    if exchange.status != 200:
        record.fail(stage, url, f"HTTP {exchange.status}")
        return None
    return exchange.body
