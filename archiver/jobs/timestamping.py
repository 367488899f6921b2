"""Time-stamping run manifests at RFC 3161 authorities (TSAs), through the one HTTP client.

After a run is sealed, each configured TSA is sent the sha256 of every manifest it has not
granted a time-stamp for yet, the new run's first (newest first, at most ``MAX_PER_TSA`` a run).
A reply is kept only when it is a granted token over that hash with the nonce sent
(archiver/evidence/tsa.py); anything else (no answer, an HTTP error, garbage) is appended as a
failed attempt and a failure of the run, that TSA is asked nothing more this run, and its
manifests are asked for again next run. Plain
http:// TSAs are allowed, as many real ones are: the token proves itself by its signature.
"""

from __future__ import annotations

from archiver.errors import FetchError, StoreError
from archiver.evidence.tsa import QUERY_TYPE, TimestampError, build_query, read_reply
from archiver.fetch import HttpClient
from archiver.jobs.record import RunRecord

MAX_PER_TSA = 20  # manifests asked of one TSA per run: a long outage is caught up over runs
MAX_REPLY_BYTES = 256 * 1024  # a token with its certificates is a few KB
STAGE = "timestamp"


async def stamp_manifests(client: HttpClient, record: RunRecord, tsas: tuple[str, ...]) -> None:
    """Ask every TSA in ``tsas`` to time-stamp the manifests it has not, recording each outcome."""
    archive = record.archive
    failures = len(record.summary.failures)
    for url in tsas:
        for manifest in archive.manifests_to_stamp(url, limit=MAX_PER_TSA):
            if not await _stamp(client, record, url, manifest["run_id"], manifest["sha256"]):
                break  # a TSA that fails once is asked again next run, not 20 times now
    if len(record.summary.failures) != failures:
        archive.count_run_errors(record.run_id, len(record.summary.failures))


async def _stamp(client: HttpClient, record: RunRecord, url: str, run_id: int, sha256: str) -> bool:
    """Ask ``url`` to time-stamp one manifest; True when it granted a good token."""
    archive = record.archive
    evidence: FetchError | None = None
    try:
        query = build_query(archive.get_blob(sha256))
        exchange = await client.post(
            url, query.der, content_type=QUERY_TYPE, max_bytes=MAX_REPLY_BYTES
        )
        if exchange.status != 200:
            raise TimestampError(f"the TSA answered HTTP {exchange.status}")
        time = read_reply(exchange.body, sha256=sha256, nonce=query.nonce)
    except FetchError as exc:
        reason, evidence = str(exc), exc
    except (TimestampError, StoreError) as exc:
        reason = str(exc)
    else:
        archive.add_timestamp(
            run_id=run_id, tsa_url=url, attempted_by=record.run_id, reply=exchange.body, time=time
        )
        record.count("timestamps")
        return True
    archive.add_timestamp(run_id=run_id, tsa_url=url, attempted_by=record.run_id, reason=reason)
    record.fail(STAGE, url, f"time-stamp of run {run_id}'s manifest: {reason}", evidence=evidence)
    return False
