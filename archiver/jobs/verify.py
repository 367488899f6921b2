"""Is this article still verifiable? For each embed, what the archive can prove, and how well.

An embed is verifiable when it resolved to a post and the archive holds at least one snapshot
that a witness took while the post was live and whose bytes still hash to the sha256 recorded
when they were stored. A post gone today stays verifiable from such a snapshot: that is what the
archive is for. For each embed the report also gives the post's state and vanish window, every
witness snapshot with its hash re-checked, and how closely the article's quote matches the
archived text (archiver/textmatch.py).

A Bluesky post also gets a ``proof``: its record as the author's repository signed it, checked
offline against the DID document kept with it (archiver/evidence/atproto.py). The proof stands
beside ``verifiable`` and does not change it: a post whose PDS was down is still archived.

Each snapshot also lists the RFC 3161 time-stamps of the run manifest that covers its row
(archiver/evidence/manifest.py), each verified offline: the token over that manifest's hash,
signed by a certificate for time-stamping that chains to a trust root. A time-stamp vouches for
the snapshot only while the manifest's bytes and the snapshot's row still hash as they did. An
embed is ``time_proven`` when a verified time-stamp covers an intact live snapshot of its post.

A snapshot of a third party's copy (the Wayback Machine's capture) proves the post as the capture
shows it: it counts like any other live snapshot, and the report says whose copy it is and when
it was captured. Nothing is written and nothing is fetched.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from archiver.errors import InputError, StoreError
from archiver.evidence.atproto import DID_SOURCE, RECORD_SOURCE, Proof, verify_post_proof
from archiver.evidence.manifest import ManifestError, read_manifest
from archiver.evidence.tsa import (
    TrustRoots,
    load_roots,
    signature_problem,
    untrusted_only,
    verify_reply,
)
from archiver.models import THIRD_PARTY_SOURCES, Platform, PostState, post_key
from archiver.store import Archive
from archiver.textmatch import similarity
from archiver.witnesses.platforms import FETCHABLE
from archiver.witnesses.wayback import captured_at


@dataclass(frozen=True, slots=True)
class TimestampCheck:
    """A time-stamp of the manifest covering a snapshot, verified offline; ``reason`` if not."""

    tsa: str
    time: str | None
    verified: bool
    reason: str | None


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
    timestamps: tuple[TimestampCheck, ...] = ()
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
    proof: dict[str, Any] | None = None  # Bluesky posts: evidence.atproto.Proof.to_dict()
    time_proven: bool = False  # a verified time-stamp covers an intact live snapshot
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


def verify_article(
    archive: Archive, article: str | int, *, tsa_roots: TrustRoots | None = None
) -> ArticleVerification:
    """Check every embed of the article's current version against the archive.

    ``article`` is a URL or a path as archived, or an article id; InputError when the archive
    has no such article. Time-stamps are checked against ``tsa_roots``, else certifi's roots.

    >>> verify_article(archive, "examples/zelensky-stays-in-kyiv.txt").verifiable  # doctest: +SKIP
    True
    """
    found = archive.find_article(article)
    if found is None:
        raise InputError(f"no archived article {article!r}")
    hashes = _Hashes(archive)
    stamps = _Timestamps(archive, hashes, load_roots() if tsa_roots is None else tsa_roots)
    embeds = tuple(
        _verify_embed(archive, embed, hashes, stamps)
        for embed in archive.article_embeds(found["id"])
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


class _Timestamps:
    """The time-stamps vouching for a snapshot, each manifest and token checked once."""

    def __init__(self, archive: Archive, hashes: _Hashes, roots: TrustRoots) -> None:
        self.archive = archive
        self.hashes = hashes
        self.roots = roots
        self.listed: dict[int, dict[int, str] | str] = {}  # run: {row id: hash}, or what is wrong
        self.tokens: dict[int, TimestampCheck] = {}

    def of_snapshot(self, snapshot_id: int) -> tuple[TimestampCheck, ...]:
        manifest = self.archive.covering_manifest("snapshots", snapshot_id)
        if manifest is None:
            return ()
        stamps = [
            self._token(stamp, manifest["sha256"])
            for stamp in self.archive.timestamps(run_id=manifest["run_id"])
            if stamp["status"] == "granted"
        ]
        broken = self._broken(manifest, snapshot_id)
        if broken is None:
            return tuple(stamps)
        return tuple(TimestampCheck(s.tsa, s.time, False, broken) for s in stamps)

    def _broken(self, manifest: dict[str, Any], snapshot_id: int) -> str | None:
        """Why the manifest no longer vouches for this snapshot's row, or None."""
        listed = self._listed(manifest)
        if isinstance(listed, str):
            return listed
        if listed.get(snapshot_id) != self.archive.covered_row_hash("snapshots", snapshot_id):
            return f"the snapshot's row changed since run {manifest['run_id']}'s manifest"
        return None

    def _listed(self, manifest: dict[str, Any]) -> dict[int, str] | str:
        run_id = manifest["run_id"]
        if run_id not in self.listed:
            if not self.hashes.ok(manifest["sha256"]):
                self.listed[run_id] = f"run {run_id}'s manifest is missing or damaged"
            else:
                try:
                    document = read_manifest(self.archive.get_blob(manifest["sha256"]))
                    rows = document["tables"]["snapshots"]["rows"]
                    self.listed[run_id] = {int(i): h for i, h in rows}
                except ManifestError as exc:
                    self.listed[run_id] = f"run {run_id}'s manifest is unreadable: {exc}"
        return self.listed[run_id]

    def _token(self, stamp: dict[str, Any], sha256: str) -> TimestampCheck:
        if stamp["id"] not in self.tokens:
            try:
                reply = self.archive.get_blob(stamp["reply_sha256"])
            except StoreError as exc:
                check = TimestampCheck(stamp["tsa_url"], stamp["time"], False, str(exc))
            else:
                verdict = verify_reply(reply, sha256=sha256, roots=self.roots)
                reason = verdict.reason
                if untrusted_only(verdict) and (forged := signature_problem(reply)):
                    reason = f"invalid: {forged}"  # worse than untrusted: say so
                check = TimestampCheck(stamp["tsa_url"], verdict.time, verdict.verified, reason)
            self.tokens[stamp["id"]] = check
        return self.tokens[stamp["id"]]


def _verify_embed(
    archive: Archive, embed: dict[str, Any], hashes: _Hashes, stamps: _Timestamps
) -> EmbedVerification:
    post = embed["post"]
    history = archive.snapshot_history(post["key"]) if post else []
    snapshots = tuple(
        SnapshotCheck(
            source=row["source"],
            fetched_at=row["fetched_at"],
            sha256=row["sha256"],
            hash_ok=hashes.ok(row["sha256"]),
            status=row["status"],
            outcome=row["outcome"],
            replay=row["replay"],
            timestamps=stamps.of_snapshot(row["id"]),
            third_party=row["source"] in THIRD_PARTY_SOURCES,
            captured_at=captured_at(row["url"]) if row["source"] in THIRD_PARTY_SOURCES else None,
        )
        for row in history
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
        proof=_bluesky_proof(archive, post, history).to_dict()
        if post and post["platform"] == Platform.BLUESKY
        else None,
        time_proven=any(
            s.outcome == PostState.LIVE
            and s.hash_ok is not False
            and any(t.verified for t in s.timestamps)
            for s in snapshots
        ),
        only_third_party=bool(live) and all(s.third_party for s in live),
    )


def _bluesky_proof(archive: Archive, post: dict[str, Any], history: list[dict[str, Any]]) -> Proof:
    """The proof of a Bluesky post from its archived getRecord CARs, newest first: the first that
    verifies, else the newest one's failure. Each CAR is checked with the DID document fetched
    in the same run (else the latest one before it): the key that signed then."""
    actor, _, rkey = post["id"].rpartition("/")
    answered = [row for row in history if row["status"] == 200 and row["sha256"]]
    records = [row for row in answered if row["source"] == RECORD_SOURCE]
    documents = [row for row in answered if row["source"] == DID_SOURCE]
    did, text = actor, post["text"]
    if not actor.startswith("did:") and records:
        # A post named by handle: the repository was asked with the DID the AppView gave (its
        # request says which), and the AppView's account of the post, text included, is stored
        # as that DID's post.
        did = parse_qs(urlsplit(records[-1]["url"]).query).get("did", [actor])[0]
        twin = archive.post_detail(post_key(Platform.BLUESKY, f"{did}/{rkey}"))
        text = twin["text"] if twin else None
    if not did.startswith("did:"):
        return Proof(False, did, None, "no DID is known for the post's author")
    if not records:
        return Proof(False, did, None, "no signed record of the post is archived")
    proofs = []
    for record in reversed(records):
        document = next(
            (
                d
                for d in reversed(documents)
                if d["run_id"] is not None and d["run_id"] == record["run_id"]
            ),
            None,
        ) or next((d for d in reversed(documents) if d["fetched_at"] <= record["fetched_at"]), None)
        if document is None:
            proofs.append(Proof(False, did, None, "no DID document of the author is archived"))
            continue
        try:
            car, did_document = (
                archive.get_blob(record["sha256"]),
                archive.get_blob(document["sha256"]),
            )
        except StoreError as exc:
            proofs.append(Proof(False, did, None, f"the archive is damaged: {exc}"))
            continue
        proof = verify_post_proof(car, did_document, did=did, rkey=rkey, text=text)
        if proof.verified:
            return proof
        proofs.append(proof)
    return proofs[0]


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
