"""The record of a run as it goes: its counts, its failures, the posts whose state changed.

Every command that writes to the archive (archive, recheck) opens one ``RunRecord``: a row in
``runs`` when it starts, one row in ``failures`` per failure as it happens, and the counts and
the run's manifest (archiver/evidence/manifest.py) when it ends, even when it ends by an
exception. Time-stamping that manifest needs the network; the run does it after
(archiver/jobs/timestamping.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from archiver.errors import FetchError
from archiver.logs import logger
from archiver.models import Exchange
from archiver.store import Archive

log = logger(__name__)

Progress = Callable[[str, int], None]  # (stage, how many more done)


def no_progress(stage: str, advance: int) -> None:
    """A Progress that shows nothing."""
    return None


@dataclass(frozen=True, slots=True)
class Failure:
    stage: str
    item: str
    reason: str


@dataclass(frozen=True, slots=True)
class StateChange:
    """A post whose state moved during the run, e.g. from ``live`` to ``deleted``."""

    post_key: str
    before: str
    after: str


@dataclass
class RunSummary:
    """What a run did, for the CLI's summary line and exit code."""

    run_id: int
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)  # done, but not quite as asked
    changes: list[StateChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class RunRecord:
    """Counts and failures of one run; each failure is a row in the archive as soon as it happens."""

    def __init__(self, archive: Archive, run_id: int) -> None:
        self.archive = archive
        self.summary = RunSummary(run_id)

    @classmethod
    @contextmanager
    def open(
        cls, archive: Archive, command: str, command_line: list[str], *, replay: bool
    ) -> Iterator[RunRecord]:
        """Record a run of ``command`` for the block: its row, then its counts at the end."""
        record = cls(archive, archive.start_run(command, command_line, replay=replay))
        try:
            yield record
        finally:
            summary = record.summary
            archive.finish_run(
                summary.run_id, counts=dict(summary.counts), error_count=len(summary.failures)
            )
            archive.seal_run(summary.run_id)

    @property
    def run_id(self) -> int:
        return self.summary.run_id

    def count(self, name: str, n: int = 1) -> None:
        self.summary.counts[name] += n

    def warn(self, stage: str, item: str, reason: str) -> None:
        """Record something done imperfectly (not a failure): in the summary and the run's counts."""
        self.summary.warnings.append(Failure(stage, item, reason))
        self.count("warnings")

    def fail(
        self,
        stage: str,
        item: str,
        reason: str,
        *,
        evidence: FetchError | None = None,
        article_id: int | None = None,
        embed_id: int | None = None,
        post_key: str | None = None,
    ) -> None:
        """Log and record one failure, with the exchange the error left behind if any.

        ``article_id``, ``embed_id`` or ``post_key`` names what failed.
        """
        log.warning("%s failed for %s: %s", stage, item, reason)
        self.summary.failures.append(Failure(stage, item, reason))
        exchange = evidence.exchange if evidence is not None else None
        url = evidence.url if evidence is not None else None
        if url is None and item.startswith(("http://", "https://")):
            url = item
        self.archive.record_failure(
            run_id=self.run_id,
            stage=stage,
            reason=reason,
            url=url,
            exchange=exchange if isinstance(exchange, Exchange) else None,
            article_id=article_id,
            embed_id=embed_id,
            post_key=post_key,
        )
