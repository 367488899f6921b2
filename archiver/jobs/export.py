"""`archiver export`: the archive as WARC or WACZ, for tools that do not trust its operator.

The order of what is written (docs/export.md):

1. a ``warcinfo`` record: the software, the archive's identity, the export's time and arguments;
2. each stored version of each article: its redirect hops, then a ``response`` (fetched over
   HTTP) or a ``resource`` (a file, standard input), then a ``metadata`` record with its embeds;
3. each snapshot (witness answers and resolution hops): its redirect hops, a ``response`` (or a
   ``revisit`` when the same bytes were written already), a ``metadata`` record with the post,
   witness, outcome and the embeds that quote the post;
4. each media download, the same way;
5. each run's manifest (the hashes of what the run added, chained to the run before) as a
   ``resource`` under ``urn:sha256:<its hash>``, and each RFC 3161 reply that time-stamps it as
   a ``resource`` of type ``application/timestamp-reply``, each with a ``metadata`` record that
   says which run, which TSA and when, so ``openssl ts -verify`` can check them without archiver.

Every payload is the stored bytes as they are; a blob that no longer hashes to its key is
written all the same and reported, so the export loses nothing and hides nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from archiver import __version__
from archiver.errors import InputError, StoreError
from archiver.evidence.wacz import PagesFile, package_wacz
from archiver.evidence.warc import HttpAnswer, Payload, WarcRecords, Written, payload_digest
from archiver.jobs.export_format import ExportFormat as ExportFormat
from archiver.store import Archive, ExportRows, archive_identity

Progress = Callable[[str, int], None]


@dataclass
class ExportSummary:
    """What an export wrote: records by type, payload bytes, pages, and the problems found."""

    out: Path
    format: ExportFormat
    records: Counter[str] = field(default_factory=Counter)
    payload_bytes: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def export(
    archive: Archive,
    *,
    out: Path,
    format: ExportFormat = ExportFormat.WACZ,
    articles: Sequence[str] = (),
    since: str | None = None,
    command_line: Sequence[str] = (),
    progress: Progress | None = None,
) -> ExportSummary:
    """Write the archive (or the ``articles`` given, by URL or path) to ``out`` as WARC or WACZ.

    ``since`` (a date or an ISO 8601 time, UTC) keeps what was fetched at or after it. ``out``
    appears whole or not at all. Raises InputError for an unknown article or a bad date.
    """
    rows = ExportRows(archive.db, article_ids=_article_ids(archive, articles), since=_since(since))
    summary = ExportSummary(out=out, format=format)
    created = archive.now()
    with closing(rows), _replacing(out) as (target, work):
        warc_path = target if format is ExportFormat.WARC else work / "data.warc.gz"
        pages_path = work / "pages.jsonl"
        with warc_path.open("wb") as warc, PagesFile(pages_path) as pages:
            writer = _Exporter(rows, warc, pages, summary, progress or _no_progress)
            writer.warcinfo(created, command_line, articles, since)
            writer.articles()
            writer.snapshots()
            writer.media()
            writer.post_pages()
            writer.run_evidence(archive.manifests(), archive.timestamps(), since=rows.since)
        summary.pages = pages.count
        if format is ExportFormat.WACZ:
            package_wacz(
                warc_path,
                pages_path,
                target,
                created=created,
                title=f"archiver export of {out.name}",
                software=f"archiver {__version__}",
            )
    return summary


def _no_progress(stage: str, advance: int) -> None:
    return None


class _Exporter:
    def __init__(
        self,
        rows: ExportRows,
        warc: IO[bytes],
        pages: PagesFile,
        summary: ExportSummary,
        progress: Progress,
    ) -> None:
        self.rows = rows
        self.pages = pages
        self.summary = summary
        self.progress = progress
        self.identity = archive_identity(rows.db)
        self.records = WarcRecords(warc, namespace=f"archiver:{self.identity}")
        self._quoted_by: tuple[str, list[dict[str, Any]]] | None = None

    def warcinfo(
        self, created: str, command_line: Sequence[str], articles: Sequence[str], since: str | None
    ) -> None:
        fields = {
            "software": f"archiver {__version__}",
            "format": "WARC File Format 1.1",
            "isPartOf": f"archiver:{self.identity}",
            "description": (
                "Social posts embedded in articles, with the articles that quote them. Records"
                " marked WARC-Archiver-Via: replay came from recordings, not from the platform."
            ),
            "archiver-export-time": created,
            "archiver-export-arguments": " ".join(command_line),
            "archiver-export-articles": " ".join(articles) or "all",
            "archiver-export-since": since or "",
        }
        self._count(self.records.warcinfo("warcinfo", date=created, fields=fields))

    def articles(self) -> None:
        for version in self.rows.article_versions():
            date = version["fetched_at"] or version["first_seen"]
            uri = article_uri(version["url"], version["sha256"])
            self._hops(f"article:{version['id']}", version["redirect_chain"], date)
            with self._blob(version["sha256"]) as payload:
                status = version["status"] or (version["provenance"] or {}).get("http_status")
                if status is not None and uri.startswith(("http://", "https://")):
                    answer = HttpAnswer(int(status), version["headers"], version["content_type"])
                    written = self.records.response(
                        f"article:{version['id']}",
                        uri=uri,
                        date=date,
                        answer=answer,
                        payload=payload,
                        replay=bool(version["replay"]),
                    )
                else:
                    written = self.records.resource(
                        f"article:{version['id']}",
                        uri=uri,
                        date=date,
                        content_type=version["content_type"] or "application/octet-stream",
                        payload=payload,
                    )
            self._payload(written, version["sha256"], version["bytes"])
            about = {
                "about": "article",
                "archive": self.identity,
                "article_id": version["article_id"],
                "version_id": version["id"],
                **{
                    k: version[k]
                    for k in (
                        "url",
                        "final_url",
                        "title",
                        "kind",
                        "encoding",
                        "sha256",
                        "bytes",
                        "provenance",
                        "first_seen",
                        "last_seen",
                        "run_id",
                    )
                },
                "replay": bool(version["replay"]),
                "embeds": self.rows.embeds_of_version(version["id"]),
            }
            self._metadata(f"article:{version['id']}", uri, date, written, about)
            self.pages.add({"url": uri, "ts": date, "title": version["title"] or version["url"]})

    def snapshots(self) -> None:
        for snap in self.rows.snapshots():
            name = f"snapshot:{snap['id']}"
            uri = snap["final_url"] or snap["url"]
            self._hops(name, snap["redirect_chain"], snap["fetched_at"])
            written: Written | None = None
            if snap["body_sha256"] is not None and snap["status"] is not None:
                answer = HttpAnswer(snap["status"], snap["headers"], snap["content_type"])
                written = self._answer(name, uri, snap, answer, snap["body_sha256"])
            post_key = snap["post_key"]
            about = {
                "about": "snapshot",
                "archive": self.identity,
                "snapshot_id": snap["id"],
                "post": post_key,
                "witness": snap["source"],
                "outcome": snap["outcome"],
                "reason": snap["reason"],
                "embed_id": snap["embed_id"],
                "quoted_by": self._embeds_quoting(post_key),
                "requested_url": snap["url"],
                "redirect_chain": snap["redirect_chain"],
                "status": snap["status"],
                "sha256": snap["body_sha256"],
                "error": snap["error"],
                "truncated": bool(snap["truncated"]),
                "parsed": snap["parsed"],
                "replay": bool(snap["replay"]),
                "run_id": snap["run_id"],
                "tool_version": snap["tool_version"],
            }
            self._metadata(name, uri, snap["fetched_at"], written, about)

    def media(self) -> None:
        for item in self.rows.media():
            name = f"media:{item['id']}"
            uri = item["final_url"] or item["url"]
            self._hops(name, item["redirect_chain"], item["fetched_at"])
            written: Written | None = None
            if item["sha256"] is not None and item["status"] is not None:
                answer = HttpAnswer(item["status"], None, item["content_type"])
                written = self._answer(name, uri, item, answer, item["sha256"])
            about = {
                "about": "media",
                "archive": self.identity,
                "media_id": item["id"],
                "post": item["post_key"],
                "snapshot_id": item["snapshot_id"],
                **{k: item[k] for k in ("kind", "url", "stream_url", "alt", "width", "height")},
                "status": item["status"],
                "sha256": item["sha256"],
                "error": item["error"],
                "truncated": bool(item["truncated"]),
                "replay": bool(item["replay"]),
            }
            self._metadata(name, uri, item["fetched_at"], written, about)

    def post_pages(self) -> None:
        """A page for each post that a live witness answer shows (articles have theirs)."""
        for post in self.rows.posts():
            if post["snapshot_url"] is None:
                continue
            who = f"@{post['handle']}: " if post["handle"] else ""
            self.pages.add(
                {
                    "url": post["snapshot_url"],
                    "ts": post["snapshot_fetched_at"],
                    "title": f"{who}{(post['text'] or post['key'])[:200]}",
                    "post": post["key"],
                    "post_url": post["url"],
                }
            )

    def _embeds_quoting(self, post_key: str | None) -> list[dict[str, Any]]:
        """The embeds that quote a post; remembered for the post's next snapshots, which follow."""
        if post_key is None:
            return []
        if self._quoted_by is None or self._quoted_by[0] != post_key:
            self._quoted_by = (post_key, self.rows.embeds_of_post(post_key))
        return self._quoted_by[1]

    def run_evidence(
        self, manifests: list[dict[str, Any]], stamps: list[dict[str, Any]], *, since: str
    ) -> None:
        """The run manifests and their time-stamps, as resources other tools can check."""
        for manifest in manifests:
            if manifest["created_at"] < since:
                continue
            name = f"manifest:{manifest['run_id']}"
            uri = f"urn:sha256:{manifest['sha256']}"
            date = manifest["created_at"]
            with self._blob(manifest["sha256"]) as payload:
                written = self.records.resource(
                    name, uri=uri, date=date, content_type="application/json", payload=payload
                )
            self._payload(written, manifest["sha256"], payload.length)
            about = {
                "about": "run manifest",
                "archive": self.identity,
                **{
                    k: manifest[k]
                    for k in ("run_id", "sha256", "previous_sha256", "merkle_root", "created_at")
                },
            }
            self._metadata(name, uri, date, written, about)
        for stamp in stamps:
            if stamp["time"] is not None and stamp["time"] < since:
                continue
            name = f"timestamp:{stamp['id']}"
            about = {
                "about": "time-stamp",
                "archive": self.identity,
                "run_id": stamp["run_id"],
                "manifest": f"urn:sha256:{stamp['manifest_sha256']}",
                **{k: stamp[k] for k in ("tsa_url", "time", "status", "reason")},
            }
            stamped: Written | None = None
            uri = f"urn:sha256:{stamp['reply_sha256'] or stamp['manifest_sha256']}"
            if stamp["reply_sha256"]:
                with self._blob(stamp["reply_sha256"]) as payload:
                    stamped = self.records.resource(
                        name,
                        uri=uri,
                        date=stamp["time"] or stamp["requested_at"],
                        content_type="application/timestamp-reply",
                        payload=payload,
                    )
                self._payload(stamped, stamp["reply_sha256"], payload.length)
            self._metadata(name, uri, stamp["time"] or stamp["requested_at"], stamped, about)

    def _answer(
        self, name: str, uri: str, row: dict[str, Any], answer: HttpAnswer, sha256: str
    ) -> Written:
        """A response with the stored bytes, or a revisit when they were written already."""
        earlier = self.rows.payload_written(sha256) if row["bytes"] else None
        if earlier is not None:
            written = self.records.revisit(
                name,
                uri=uri,
                date=row["fetched_at"],
                answer=answer,
                payload_sha256=sha256,
                length=row["bytes"],
                refers_to=earlier,
                replay=bool(row["replay"]),
            )
            self._count(written)
            return written
        with self._blob(sha256) as payload:
            written = self.records.response(
                name,
                uri=uri,
                date=row["fetched_at"],
                answer=answer,
                payload=payload,
                replay=bool(row["replay"]),
                truncated=bool(row["truncated"]),
            )
        self._payload(written, sha256, row["bytes"])
        self.rows.remember_payload(sha256, (written.id, uri, row["fetched_at"]))
        return written

    def _hops(self, name: str, chain: list[dict[str, Any]] | None, date: str) -> None:
        """Each redirect before the final answer, as the response it was: status and Location."""
        for n, hop in enumerate((chain or [])[:-1]):
            if hop.get("status") is None:
                continue
            headers = [("Location", hop["location"])] if hop.get("location") else []
            written = self.records.response(
                f"{name}:hop:{n}",
                uri=hop["url"],
                date=date,
                answer=HttpAnswer(int(hop["status"]), headers),
                payload=Payload.of(b""),
                replay=hop.get("via") == "replay",
            )
            self._count(written)

    def _metadata(
        self, name: str, uri: str, date: str, described: Written | None, about: dict[str, Any]
    ) -> None:
        written = self.records.metadata(
            f"{name}:metadata",
            uri=uri,
            date=date,
            refers_to=described.id if described else None,
            about=about,
        )
        self._count(written)

    def _payload(self, written: Written, sha256: str, size: int | None) -> None:
        self._count(written)
        self.summary.payload_bytes += size or 0
        if written.payload_digest not in (None, payload_digest(sha256)):
            self.summary.problems.append(
                f"blob {sha256}: its bytes hash to {written.payload_digest} (exported as they are)"
            )

    def _count(self, written: Written) -> None:
        self.summary.records[written.kind] += 1
        self.progress("records", 1)

    @contextmanager
    def _blob(self, sha256: str) -> Iterator[Payload]:
        try:
            handle = self.rows.open_blob(sha256)
        except StoreError as exc:
            self.summary.problems.append(str(exc))
            yield Payload.of(b"")
            return
        with handle:
            yield Payload(handle, len(handle), sha256)


def article_uri(url: str, sha256: str) -> str:
    """The URI an article is exported under: its URL, ``file:`` for a path, ``urn:sha256:`` else."""
    if url.startswith(("http://", "https://")):
        return url
    path = Path(url)
    if path.is_absolute():
        return path.as_uri()
    return f"urn:sha256:{sha256}"


def _article_ids(archive: Archive, articles: Sequence[str]) -> list[int] | None:
    if not articles:
        return None
    ids = []
    for article in articles:
        row = archive.find_article(article)
        if row is None:
            raise InputError(f"no archived article {article!r}")
        ids.append(row["id"])
    return ids


def _since(text: str | None) -> str | None:
    """``text`` as the archive's UTC ISO 8601 form, so it compares with stored times."""
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--since {text!r} is not a date (YYYY-MM-DD) or ISO 8601 time") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    utc = when.astimezone(dt.UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@contextmanager
def _replacing(out: Path) -> Iterator[tuple[Path, Path]]:
    """A temporary file beside ``out`` and a work folder; ``out`` replaced only on success."""
    if out.is_dir():
        raise InputError(f"{out} is a directory; give the file to write")
    if not out.parent.is_dir():
        raise InputError(f"no directory {out.parent} to write {out.name} in")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".archiver-export-") as work:
        target = Path(work) / "out"
        yield target, Path(work)
        os.replace(target, out)
