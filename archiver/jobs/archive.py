"""Compose scan -> resolve -> fetch -> store, one item at a time, one item's failure never stopping the run.

1. Open a run row (command, arguments, whether it goes through the replay).
2. Read the inputs: files, folders, standard input and WARC files from disk; article URLs, feed
   entries and sitemap pages through the HTTP client. An article URL already archived is not
   fetched again unless forced. The records that results of `archiver scan` list (`--embeds`)
   are read again from their WARC files (archiver/crawl/articles.py).
3. For each article: skip it before parsing when its bytes are unchanged; else scan it and store
   the article, its version and its embeds in one transaction.
4. Resolve each of its embeds that points at no post yet (archiver/jobs/resolving.py): the id in its
   markup or status URL, the hop chain of its pic.twitter.com link, or, for an attribution line
   with no link, the Wayback Machine's captures of the account matched on the quoted text.
5. Capture each post with no answer on record yet (archiver/jobs/capture.py): its witnesses, then
   the media of a live post (archiver/jobs/media.py). In steps 4 and 5, an item that failed before
   waits longer and longer between tries (archiver/jobs/backoff.py).
6. Close the run with its counts and its manifest; then, unless told not to fetch, have each
   TSA given time-stamp the manifests it has not yet (archiver/jobs/timestamping.py). Every failure
   is a row in `failures` with its reason.

Steps 3 to 5 stream: an item moves to the next stage as soon as it is stored, through bounded
queues (archiver/jobs/concurrency.py), so every host is asked while the others are, memory is bounded
by the queues, and a killed run leaves each item stored or not, for the next run to finish.
Embeds and posts that earlier runs left are fed in beside the new ones, their media after the
last capture.
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
from archiver.crawl.articles import listed_articles
from archiver.errors import ArchiverError, FetchError, InputError
from archiver.fetch import ClientConfig, HttpClient
from archiver.fetch.wayback import PLATFORMS as WAYBACK_PLATFORMS
from archiver.jobs.backoff import retry_due
from archiver.jobs.capture import DEFAULT_CONCURRENCY, CaptureStage
from archiver.jobs.concurrency import Stage, StageContext, streaming
from archiver.jobs.listing import listed_urls
from archiver.jobs.record import Failure as Failure
from archiver.jobs.record import Progress, RunRecord, RunSummary, no_progress
from archiver.jobs.resolving import ResolveStage
from archiver.jobs.timestamping import stamp_manifests
from archiver.models import ArticleInput
from archiver.sources.files import article_files, read_article_file, read_stdin
from archiver.sources.warc import is_warc, read_warc
from archiver.store import Archive, EmbedRow

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
        # Ids queued this run: an embed or post is asked once, however many ways it comes in.
        self._embeds_queued: set[int] = set()
        self._posts_queued: set[str] = set()

    async def go(self, command_line: list[str]) -> RunSummary:
        replay = self.config.reroute is not None
        with RunRecord.open(self.db, "archive", command_line, replay=replay) as record:
            self.record = record
            async with HttpClient(self.config, utc_clock=self.db.now) as client:
                self.client = client
                if self.request.fetch:
                    await streaming(self._stream)
                else:
                    async for article in self._articles():
                        self._store_article(article)
        if self.request.fetch and self.request.tsas:
            async with HttpClient(self.config, utc_clock=self.db.now) as client:
                await stamp_manifests(client, record, self.request.tsas)
        return record.summary

    async def _stream(self, group: asyncio.TaskGroup) -> None:
        """Steps 3 to 5 at once: each article's embeds are resolved while the next articles are
        read, each post captured as soon as its embed is resolved, its media downloaded as soon
        as it is captured. Each stage's queue is bounded, so a slow stage holds the ones before
        it back instead of letting the input pile up in memory."""
        run = StageContext(self.client, self.record, group, self.request.concurrency, self.progress)
        self.capture = CaptureStage(run)
        self.resolver = ResolveStage(run, then=self._post_of)
        # What earlier runs left unresolved, not captured or not asked of the Wayback, read
        # before this run adds to it and asked beside this run's articles.
        leftovers = group.create_task(
            self._leftovers(
                self.db.embeds_to_resolve(),
                self.db.posts_to_fetch(force=False),
                self.db.posts_awaiting_wayback(WAYBACK_PLATFORMS),
            )
        )
        async for article in self._articles():
            article_id = self._store_article(article)
            if article_id is not None:
                await self._resolve(self.db.embeds_to_resolve(article_id=article_id))
            await asyncio.sleep(0)  # scanning holds the loop: let the answers waiting be read
        await leftovers
        await self.resolver.close()
        await self.capture.close()

    async def _leftovers(
        self,
        embeds: list[EmbedRow],
        posts: list[tuple[str, str | None]],
        gone: list[tuple[str, str | None]],
    ) -> None:
        await self._resolve(embeds)
        for post in self._due(posts, stage="fetch", key=_post_key):
            await self._capture(post)
        for post in gone:
            await self.capture.ask_wayback(post)

    async def _resolve(self, embeds: list[EmbedRow]) -> None:
        for embed in self._due(embeds, stage="resolve", key=_embed_id):
            if embed.id not in self._embeds_queued:
                self._embeds_queued.add(embed.id)
                await self.resolver.put(embed)

    async def _post_of(self, embed_id: int) -> None:
        """Capture the post an embed was just resolved to, unless it is answered for already."""
        post = self.db.post_to_fetch(embed_id)
        if post is not None and self._due([post], stage="fetch", key=_post_key):
            await self._capture(post)

    async def _capture(self, post: tuple[str, str | None]) -> None:
        if post[0] not in self._posts_queued:
            self._posts_queued.add(post[0])
            await self.capture.put(post)

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
                urls.append(spec)  # fetched after the local inputs, with the listed pages
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
        listed = listed_urls(
            self.client,
            self.record,
            urls=urls,
            feeds=self.request.feeds,
            sitemaps=self.request.sitemaps,
        )
        async for article in self._fetch_articles(listed):
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

    async def _fetch_articles(self, urls: AsyncIterator[str]) -> AsyncIterator[ArticleInput]:
        # A few workers fetch; each article is stored as soon as it arrives. At most a queue's
        # worth of URLs and of fetched bodies wait in memory, however long the sitemap, and the
        # listing reads its next document only when the workers have room.
        workers = self.request.concurrency
        fetched: asyncio.Queue[ArticleInput | None] = asyncio.Queue(workers)

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

        async def fetch_listed(group: asyncio.TaskGroup) -> None:
            stage = Stage(group, fetch, workers=workers)
            async for url in urls:
                if not self.request.force and self.db.has_article(url):
                    self.record.count("articles_known")
                else:
                    await stage.put(url)
            await stage.close()

        async def fetch_all() -> None:
            try:
                await streaming(fetch_listed)
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

    def _store_article(self, article: ArticleInput) -> int | None:
        """Scan and store an article; its id, or None when it was not read (unchanged)."""
        self.record.count("articles_seen")
        self.progress("articles", 1)
        sha256 = hashlib.sha256(article.content).hexdigest()
        if not self.request.force and self.db.article_is_unchanged(article.source, sha256):
            self.record.count("articles_unchanged")
            return None
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
            return None
        self.record.count(f"articles_{saved.status}")
        self.record.count("embeds_found", len(result.embeds))
        return saved.article_id


def _safely(read: Callable[[Path], ArticleInput], path: Path) -> ArticleInput | InputError:
    try:
        return read(path)
    except InputError as exc:
        return exc


def _embed_id(embed: EmbedRow) -> int:
    return embed.id


def _post_key(post: tuple[str, str | None]) -> str:
    return post[0]
