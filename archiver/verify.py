"""Is this article still verifiable? For each embed, what the archive can prove, and how well.

An embed is verifiable when it resolved to a post and the archive holds at least one snapshot
that a witness took while the post was live and whose bytes still hash to the sha256 recorded
when they were stored. A post gone today stays verifiable from such a snapshot: that is what the
archive is for. For each embed the report also gives the post's state and vanish window, every
witness snapshot with its hash re-checked, and how closely the article's quote matches the
archived text (archiver/textmatch.py).

A snapshot of a third party's copy (the Wayback Machine's capture, issue 13) proves the post as
the capture shows it: it counts like any other live snapshot, and the report says whose copy it
is and when it was captured.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from archiver.errors import InputError, StoreError
from archiver.fetch.platforms import FETCHABLE
from archiver.fetch.wayback_parse import captured_at
from archiver.models import THIRD_PARTY_SOURCES, PostState
from archiver.store import Archive
from archiver.textmatch import similarity


@dataclass(frozen=True, slots=True)
class SnapshotCheck:
    """One witness snapshot of a post, its body re-hashed (``hash_ok`` None: it had no body)."""

    source: str
    fetched_at: str
    sha256: str | None
    hash_ok: bool | None
    status: int | None
    outcome: str
    replay: bool
    third_party: bool = False  # a third party's copy (the Wayback Machine's), not the platform's
    captured_at: str | None = None  # when the third party captured it


@dataclass(frozen=True, slots=True)
class PostStatus:
    """Where a post stands now: its state since when, and its vanish window."""

    key: str
    url: str | None
    state: str
    state_since: str | None
    last_seen_live: str | None
    first_seen_gone: str | None


@dataclass(frozen=True, slots=True)
class EmbedVerification:
    """What the archive can prove about one embed; ``reason`` says why not when it cannot."""

    ordinal: int
    platform: str
    handle: str | None
    text: str
    start: int
    end: int
    post: PostStatus | None
    snapshots: tuple[SnapshotCheck, ...]
    similarity: float | None  # the article's quote against the archived text, normalised
    edited: bool | None  # None when there is no archived text nor edit history to compare
    verifiable: bool
    reason: str | None
    only_third_party: bool = False  # every live snapshot is a third party's copy


@dataclass(frozen=True, slots=True)
class ArticleVerification:
    """The verdict on an article: ``verifiable`` when every embed is."""

    article: dict[str, Any]
    embeds: tuple[EmbedVerification, ...]

    @property
    def verifiable(self) -> bool:
        return all(embed.verifiable for embed in self.embeds)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `archiver verify`."""
        return {
            "article": self.article,
            "verifiable": self.verifiable,
            "embeds": [asdict(embed) for embed in self.embeds],
        }


def verify_article(archive: Archive, article: str | int) -> ArticleVerification:
    """Check every embed of the article's current version against the archive.

    ``article`` is a URL or a path as archived, or an article id; InputError when the archive
    has no such article.

    >>> verify_article(archive, "examples/zelensky-stays-in-kyiv.txt").verifiable  # doctest: +SKIP
    True
    """
    found = archive.find_article(article)
    if found is None:
        raise InputError(f"no archived article {article!r}")
    hashes = _Hashes(archive)
    embeds = tuple(
        _verify_embed(archive, embed, hashes) for embed in archive.article_embeds(found["id"])
    )
    summary = {
        "id": found["id"],
        "url": found["url"],
        "final_url": found["final_url"],
        "title": found["title"],
        "last_scanned": found["last_scanned"],
        "sha256": found["sha256"],
        "hash_ok": hashes.ok(found["sha256"]),
    }
    return ArticleVerification(summary, embeds)


class _Hashes:
    """Re-hashes stored blobs, each once per verification."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.checked: dict[str, bool] = {}

    def ok(self, sha256: str | None) -> bool | None:
        if sha256 is None:
            return None
        if sha256 not in self.checked:
            try:
                data = self.archive.get_blob(sha256)
            except StoreError:
                self.checked[sha256] = False
            else:
                self.checked[sha256] = hashlib.sha256(data).hexdigest() == sha256
        return self.checked[sha256]


def _verify_embed(archive: Archive, embed: dict[str, Any], hashes: _Hashes) -> EmbedVerification:
    post = embed["post"]
    snapshots = tuple(
        SnapshotCheck(
            source=row["source"],
            fetched_at=row["fetched_at"],
            sha256=row["sha256"],
            hash_ok=hashes.ok(row["sha256"]),
            status=row["status"],
            outcome=row["outcome"],
            replay=row["replay"],
            third_party=row["source"] in THIRD_PARTY_SOURCES,
            captured_at=captured_at(row["url"]) if row["source"] in THIRD_PARTY_SOURCES else None,
        )
        for row in (archive.snapshot_history(post["key"]) if post else [])
        if row["outcome"] is not None  # witnesses only: resolution hops and failures have none
    )
    archived_text = post["text"] if post else None
    score = similarity(embed["text"], archived_text) if archived_text is not None else None
    versions = len(post["edit_ids"] or []) if post else 0
    edited = True if versions > 1 else (None if score is None else score < 1.0)
    reason = _why_not(archive, embed, snapshots)
    live = [s for s in snapshots if s.outcome == PostState.LIVE]
    return EmbedVerification(
        ordinal=embed["ordinal"],
        platform=embed["platform"],
        handle=embed["handle"],
        text=embed["text"],
        start=embed["start"],
        end=embed["end"],
        post=PostStatus(
            key=post["key"],
            url=post["url"],
            state=post["state"],
            state_since=post["state_since"],
            last_seen_live=post["last_seen_live"],
            first_seen_gone=post["first_seen_gone"],
        )
        if post
        else None,
        snapshots=snapshots,
        similarity=score,
        edited=edited,
        verifiable=reason is None,
        reason=reason,
        only_third_party=bool(live) and all(s.third_party for s in live),
    )


def _why_not(
    archive: Archive, embed: dict[str, Any], snapshots: tuple[SnapshotCheck, ...]
) -> str | None:
    """Why the archive cannot prove this embed, or None when it can."""
    platform = embed["platform"]
    if platform not in FETCHABLE:
        # Reference §5: their keyless embed endpoints give markup, not the post's content.
        return (
            f"{platform} posts cannot be archived: no keyless endpoint gives their content, "
            "so the archive holds only what the article shows"
        )
    if embed["post"] is None:
        failures = archive.failures_of(embed_id=embed["id"])
        if failures:
            return f"not resolved to a post: {failures[-1]['reason']}"
        return "not resolved to a post yet"
    answered = [s for s in snapshots if s.outcome != PostState.UNKNOWN]
    if not answered:
        failures = archive.failures_of(post_key=embed["post"]["key"])
        if failures:
            return f"no witness has answered for the post: {failures[-1]['reason']}"
        return "no witness has been asked about the post yet"
    live = [s for s in answered if s.outcome == PostState.LIVE]
    if not live:
        said = ", ".join(sorted({s.outcome for s in answered}))
        return f"no witness ever saw the post live (they said: {said})"
    if not any(s.hash_ok for s in live):
        return (
            "the bytes of every snapshot of the post live no longer match their sha256: "
            "the archive is damaged (see archiver db check)"
        )
    return None
