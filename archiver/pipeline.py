"""Compose scan -> resolve -> fetch -> store, one item at a time, one item's failure never stopping the run.

1. Open a run row (command, arguments, whether it goes through the replay).
2. Read the inputs: files, folders, standard input and WARC files from disk; article URLs, feed
   entries and sitemap pages through the HTTP client. An article URL already archived is not
   fetched again unless forced. The records that results of `archiver scan` list (`--embeds`)
   are read again from their WARC files (archiver/crawl/articles.py).
3. For each article: skip it before parsing when its bytes are unchanged; else scan it and store
   the article, its version and its embeds in one transaction.
4. Resolve every embed that points at no post yet: the id in its markup or status URL, the hop
   chain of its pic.twitter.com link, or, for an attribution line with no link, the Wayback
   Machine's captures of the account matched on the quoted text.
5. Capture every post with no answer on record yet (archiver/capture.py): its witnesses, then
   the media of a live post. In steps 4 and 5, an item that failed before waits longer and
   longer between tries (archiver/backoff.py).
6. Close the run with its counts and its manifest; then, unless told not to fetch, have each
   TSA given time-stamp the manifests it has not yet (archiver/timestamping.py). Every failure
   is a row in `failures` with its reason.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from archiver import scan
from archiver.backoff import retry_due
from archiver.capture import DEFAULT_CONCURRENCY, capture_posts
from archiver.concurrency import for_each
from archiver.crawl.articles import listed_articles
from archiver.errors import ArchiverError, FetchError, InputError
from archiver.fetch import ClientConfig, HttpClient, resolve_shortlink
from archiver.fetch.twitter import find_by_text
from archiver.models import ArticleInput, Platform, Resolution
from archiver.run import Failure as Failure
from archiver.run import Progress, RunRecord, RunSummary, no_progress
from archiver.sources.feeds import feed_entries, sitemap_locations
from archiver.sources.files import article_files, read_article_file, read_stdin
from archiver.sources.warc import is_warc, read_warc
from archiver.store import Archive, EmbedRow
from archiver.timestamping import stamp_manifests
from archiver.urls import parse_post_url, twitter_status_url

MAX_SITEMAP_DEPTH = 3
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ArchiveRequest:
    """What to archive and how."""

    inputs: tuple[str, ...] = ()  # files, folders, WARC files, article URLs, "-"
    embeds: tuple[str, ...] = ()  # results of `archiver scan` (JSONL or Parquet): their records
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    fetch: bool = True  # False: scan and store only, no network
    force: bool = False  # re-read unchanged articles and known URLs
    concurrency: int = DEFAULT_CONCURRENCY
    tsas: tuple[str, ...] = ()  # RFC 3161 time-stamping authorities for the run's manifest
    stdin_url: str | None = None  # where standard input's article came from, when known


def check_inputs(request: ArchiveRequest) -> None:
    """Raise InputError for a local input that is not there: a usage error, found before any
    archive or run is made for it."""
    for spec in request.inputs:
        if spec == "-" or spec.startswith(("http://", "https://")):
            continue
        try:
            there = Path(spec).exists()
        except (OSError, ValueError):  # a name no file can have (a NUL in it)
            there = False
        if not there:
            raise InputError(f"{spec}: no such file or folder")


def archive(
    archive_db: Archive,
    request: ArchiveRequest,
    *,
    command_line: list[str],
    config: ClientConfig | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Run the whole job over ``request``'s inputs into ``archive_db``; see the module docstring."""
    config = config or ClientConfig.from_env()
    return asyncio.run(
        _Run(archive_db, request, config, stdin, progress or no_progress).go(command_line)
    )


class _Run:
    def __init__(
        self,
        archive_db: Archive,
        request: ArchiveRequest,
        config: ClientConfig,
        stdin: BinaryIO | None,
        progress: Progress,
    ) -> None:
        self.db = archive_db
        self.request = request
        self.config = config
        self.stdin = stdin
        self.progress = progress

    async def go(self, command_line: list[str]) -> RunSummary:
        replay = self.config.reroute is not None
        with RunRecord.open(self.db, "archive", command_line, replay=replay) as record:
            self.record = record
            async with HttpClient(self.config, utc_clock=self.db.now) as client:
                self.client = client
                async for article in self._articles():
                    self._store_article(article)
                if self.request.fetch:
                    await self._resolve_embeds()
                    await capture_posts(
                        client,
                        record,
                        self._due(
                            self.db.posts_to_fetch(force=False), stage="fetch", key=_post_key
                        ),
                        concurrency=self.request.concurrency,
                        progress=self.progress,
                    )
        if self.request.fetch and self.request.tsas:
            async with HttpClient(self.config, utc_clock=self.db.now) as client:
                await stamp_manifests(client, record, self.request.tsas)
        return record.summary

    def _due(self, items: list[T], *, stage: str, key: Callable[[T], int | str]) -> list[T]:
        """The items whose earlier failures at ``stage`` (if any) allow a retry now; see backoff."""
        if self.request.force or not items:
            return items
        # embed ids (int) at "resolve", post keys (str) at every other stage
        keys: list[Any] = [key(item) for item in items]
        if stage == "resolve":
            history = self.db.failure_history(stage=stage, embed_ids=keys)
        else:
            history = self.db.failure_history(stage=stage, post_keys=keys)
        now = self.db.now()
        due = [
            item
            for item, k in zip(items, keys, strict=True)
            if k not in history or retry_due(*history[k], now)
        ]
        if len(due) < len(items):
            self.record.count(f"{stage}_deferred", len(items) - len(due))
        return due

    # -- step 2: inputs --------------------------------------------------------------------

    async def _articles(self) -> AsyncIterator[ArticleInput]:
        urls: list[str] = []
        for spec in self.request.inputs:
            if spec.startswith(("http://", "https://")):
                urls.append(spec)
                continue
            for item in self._local_articles(spec):
                if isinstance(item, InputError):
                    self.record.fail("read", spec, str(item))
                else:
                    yield item
        for listing in self.request.embeds:
            async for item in listed_articles(Path(listing), self.client):
                if isinstance(item, InputError):
                    self.record.fail("read", listing, str(item))
                else:
                    yield item
        for feed_url in self.request.feeds:
            urls.extend(await self._feed_urls(feed_url))
        for sitemap_url in self.request.sitemaps:
            urls.extend(await self._sitemap_urls(sitemap_url, depth=0))
        async for article in self._fetch_articles(list(dict.fromkeys(urls))):
            yield article

    def _local_articles(self, spec: str) -> Iterator[ArticleInput | InputError]:
        if spec == "-":
            try:
                if self.stdin is None:
                    raise InputError("no standard input")
                article = read_stdin(self.stdin, url=self.request.stdin_url)
            except InputError as exc:
                yield exc
                return
            yield article
            return
        path = Path(spec)
        skipped: Counter[str] = Counter()
        try:
            if path.is_dir():
                files: Iterable[Path] = article_files(path, skipped=skipped)
            elif path.exists():
                files = [path]
            else:
                yield InputError(f"{spec}: no such file or folder")
                return
            for file in files:
                if is_warc(file):
                    yield from read_warc(file)
                else:
                    yield _safely(read_article_file, file)
        except InputError as exc:
            yield exc
        # Counted by extension, so the summary says what a folder walk passed over and why.
        for suffix, n in skipped.items():
            self.record.count("files_skipped", n)
            self.record.count(f"files_skipped:{suffix or 'no extension'}", n)

    async def _feed_urls(self, feed_url: str) -> list[str]:
        body = await self._get_document(feed_url, stage="feed")
        if body is None:
            return []
        try:
            return [entry.url for entry in feed_entries(body, feed_url=feed_url)]
        except InputError as exc:
            self.record.fail("feed", feed_url, str(exc))
            return []

    async def _sitemap_urls(self, sitemap_url: str, *, depth: int) -> list[str]:
        body = await self._get_document(sitemap_url, stage="sitemap")
        if body is None:
            return []
        try:
            pages, children = sitemap_locations(body, sitemap_url=sitemap_url)
        except InputError as exc:
            self.record.fail("sitemap", sitemap_url, str(exc))
            return []
        if depth < MAX_SITEMAP_DEPTH:
            for child in children:
                pages.extend(await self._sitemap_urls(child, depth=depth + 1))
        return pages

    async def _get_document(self, url: str, *, stage: str) -> bytes | None:
        try:
            exchange = await self.client.get(url)
        except FetchError as exc:
            self.record.fail(stage, url, str(exc), evidence=exc)
            return None
        if exchange.status != 200:
            self.record.fail(stage, url, f"HTTP {exchange.status}")
            return None
        return exchange.body

    async def _fetch_articles(self, urls: list[str]) -> AsyncIterator[ArticleInput]:
        todo = []
        for url in urls:
            if not self.request.force and self.db.has_article(url):
                self.record.count("articles_known")
            else:
                todo.append(url)
        # A few workers fetch; each article is stored as soon as it arrives, and at most a
        # queue's worth of fetched bodies wait in memory, however long the sitemap.
        fetched: asyncio.Queue[ArticleInput | None] = asyncio.Queue(self.request.concurrency)

        async def fetch(url: str) -> None:
            try:
                exchange = await self.client.get(url)
            except FetchError as exc:
                self.record.fail("article", url, str(exc), evidence=exc)
                return
            if exchange.status != 200:
                self.record.fail("article", url, f"HTTP {exchange.status}")
                return
            await fetched.put(
                ArticleInput(
                    source=url,
                    content=exchange.body,
                    content_type=exchange.header("content-type"),
                    final_url=exchange.final_url,
                    exchange=exchange,
                )
            )

        async def fetch_all() -> None:
            try:
                await for_each(todo, fetch, workers=self.request.concurrency)
            finally:
                await fetched.put(None)

        fetching = asyncio.create_task(fetch_all())
        try:
            while (article := await fetched.get()) is not None:
                yield article
            await fetching  # a worker's unexpected error is raised here
        finally:
            fetching.cancel()

    # -- step 3: scan and store --------------------------------------------------------------

    def _store_article(self, article: ArticleInput) -> None:
        self.record.count("articles_seen")
        self.progress("articles", 1)
        sha256 = hashlib.sha256(article.content).hexdigest()
        if not self.request.force and self.db.article_is_unchanged(article.source, sha256):
            self.record.count("articles_unchanged")
            return
        result = scan.scan_bytes(
            article.content,
            content_type=article.content_type,
            filename=None if article.source.startswith(("http", "-")) else article.source,
        )
        if result.encoding == scan.REPLACED:
            self.record.warn("decode", article.source, scan.REPLACED_REASON)
        try:
            saved = self.db.save_article(article, result, run_id=self.record.run_id)
        except ArchiverError as exc:
            self.record.fail("store", article.source, str(exc))
            return
        self.record.count(f"articles_{saved.status}")
        self.record.count("embeds_found", len(result.embeds))

    # -- step 4: resolve -----------------------------------------------------------------------

    async def _resolve_embeds(self) -> None:
        # Embeds that ask the same question (the same pic link, or the same words of the same
        # account on the same day, in several articles) are asked once: the first resolves, the
        # others adopt its answer. An embed equal to one resolved in an earlier run needs no request.
        groups: dict[tuple[str, ...], list[EmbedRow]] = {}
        for embed in self._due(self.db.embeds_to_resolve(), stage="resolve", key=_embed_id):
            groups.setdefault(_question(embed), []).append(embed)

        async def resolve_group(embeds: list[EmbedRow]) -> None:
            for embed in embeds:
                if self.db.adopt_resolution(embed.id):
                    self.record.count("embeds_resolved")
                    self.progress("embeds", 1)
                    continue
                await self._resolve_and_save(embed)

        await for_each(groups.values(), resolve_group, workers=self.request.concurrency)

    async def _resolve_and_save(self, embed: EmbedRow) -> None:
        self.progress("embeds", 1)
        try:
            resolution = await self._resolve(embed)
        except FetchError as exc:
            self.record.fail(
                "resolve", _embed_label(embed), str(exc), embed_id=embed.id, evidence=exc
            )
            return
        if resolution is None:
            self.record.fail(
                "resolve",
                _embed_label(embed),
                "no link to the post, and no archived post of the account matched its text",
                embed_id=embed.id,
            )
            return
        self.db.save_resolution(embed.id, resolution, run_id=self.record.run_id)
        self.record.count("embeds_resolved")

    async def _resolve(self, embed: EmbedRow) -> Resolution | None:
        if embed.status_id:
            ref = parse_post_url(embed.status_url or "")
            url = embed.status_url or twitter_status_url(embed.status_id, embed.handle)
            how = "status_url" if embed.form == "status_url" else "markup"
            platform = ref.platform if ref else embed.platform
            return Resolution(platform, embed.status_id, url, how)
        if embed.platform != Platform.TWITTER:
            return None
        if embed.pic_links:
            return (await resolve_shortlink(self.client, embed.pic_links[0])).resolution()
        if embed.handle and embed.date and embed.text:
            return await find_by_text(
                self.client, handle=embed.handle, date=embed.date, text=embed.text
            )
        return None


def _safely(read: Callable[[Path], ArticleInput], path: Path) -> ArticleInput | InputError:
    try:
        return read(path)
    except InputError as exc:
        return exc


def _question(embed: EmbedRow) -> tuple[str, ...]:
    """What resolving the embed asks the network; equal questions are asked once per run."""
    if embed.status_id:
        return ("id", str(embed.id))  # answered by the markup itself: nothing to share
    if embed.pic_links:
        return ("pic", embed.pic_links[0])
    words = " ".join(embed.text.split()).casefold()
    return ("words", embed.platform, (embed.handle or "").casefold(), embed.date or "", words)


def _embed_id(embed: EmbedRow) -> int:
    return embed.id


def _post_key(post: tuple[str, str | None]) -> str:
    return post[0]


def _embed_label(embed: EmbedRow) -> str:
    who = f"@{embed.handle}" if embed.handle else embed.platform
    return f"embed {embed.id} ({who}, {embed.date or 'undated'})"
