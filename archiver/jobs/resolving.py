"""The resolve stage of an archive run: which post each embed shows, each question asked once.

An embed's post is in its markup or status URL, behind the t.co hop of its pic.twitter.com link,
or, for an attribution line with no link, among the Wayback Machine's captures of the account
matched on the quoted text. Embeds that ask the same question (the same pic link, or the same
words of the same account on the same day, in several articles) are asked once per run: while
one is being answered, the others wait behind it and then adopt its answer; an embed equal to
one resolved in an earlier run needs no request at all. Each resolved embed is passed on
(``then``) with its post, to be captured.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from archiver.errors import FetchError
from archiver.fetch import resolve_shortlink
from archiver.fetch.twitter import find_by_text
from archiver.jobs.concurrency import Stage, StageContext
from archiver.models import Platform, Resolution
from archiver.store import EmbedRow
from archiver.urls import parse_post_url, twitter_status_url

Question = tuple[str, ...]


class ResolveStage:
    """Resolves the embeds put into it and calls ``then(embed_id)`` for each one resolved."""

    def __init__(self, run: StageContext, *, then: Callable[[int], Awaitable[None]]) -> None:
        self.client, self.record, self.progress = run.client, run.record, run.progress
        self.then = then
        self._stage = Stage(run.group, self._answer, workers=run.workers)
        # The embeds of each question being asked or queued, in arrival order.
        self._asking: dict[Question, deque[EmbedRow]] = {}

    async def put(self, embed: EmbedRow) -> None:
        """Queue an embed; behind the embed that asks the same question, if one is queued."""
        question = _question(embed)
        waiting = self._asking.get(question)
        if waiting is not None:
            waiting.append(embed)
            return
        self._asking[question] = deque([embed])
        await self._stage.put(question)

    async def close(self) -> None:
        """Take no more embeds; return once every queued one is done."""
        await self._stage.close()

    async def _answer(self, question: Question) -> None:
        embeds = self._asking[question]
        while embeds:
            embed = embeds.popleft()
            if self.record.archive.adopt_resolution(embed.id):
                self.record.count("embeds_resolved")
                self.progress("embeds", 1)
                await self.then(embed.id)
            elif await self._resolve_and_save(embed):
                await self.then(embed.id)
        del self._asking[question]

    async def _resolve_and_save(self, embed: EmbedRow) -> bool:
        self.progress("embeds", 1)
        try:
            resolution = await self._resolve(embed)
        except FetchError as exc:
            self.record.fail(
                "resolve", _embed_label(embed), str(exc), embed_id=embed.id, evidence=exc
            )
            return False
        if resolution is None:
            self.record.fail(
                "resolve",
                _embed_label(embed),
                "no link to the post, and no archived post of the account matched its text",
                embed_id=embed.id,
            )
            return False
        self.record.archive.save_resolution(embed.id, resolution, run_id=self.record.run_id)
        self.record.count("embeds_resolved")
        return True

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


def _question(embed: EmbedRow) -> Question:
    """What resolving the embed asks the network; equal questions are asked once per run."""
    if embed.status_id:
        return ("id", str(embed.id))  # answered by the markup itself: nothing to share
    if embed.pic_links:
        return ("pic", embed.pic_links[0])
    words = " ".join(embed.text.split()).casefold()
    return ("words", embed.platform, (embed.handle or "").casefold(), embed.date or "", words)


def _embed_label(embed: EmbedRow) -> str:
    who = f"@{embed.handle}" if embed.handle else embed.platform
    return f"embed {embed.id} ({who}, {embed.date or 'undated'})"
