"""The soak: a generated corpus archived through a replay server that faults 10% of requests.

Then: every embed is archived or recorded as failed with its reason; a second run, faults off,
asks again for exactly what failed (and what that uncovers) and nothing else; the archive checks
clean; and the archiving process's peak RSS stays bounded. ``make test`` runs the short size;
``make soak`` the full one (10,000 articles, 30,000 embeds), and prints the figures.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from soak_samples import (
    client_config,
    complete,
    db_check,
    embed_outcomes,
    fault_rules,
    is_complete,
    rows,
    traps,
)

from archiver.fetch.twitter.endpoints import wayback_capture_queries
from archiver.fetch.wayback import CDX_ROWS
from archiver.replay import ReplayServer
from benchmarks.archive_process import ArchiveProcessResult, run_archive
from benchmarks.corpus import Corpus, corpus, post_urls, shortlink
from benchmarks.made_up import MadePost
from benchmarks.report import CACHE

FAULT_RATE = 0.10
SIZES = {
    # articles, embeds, posts, the peak RSS allowed the archiving process (MiB)
    "short": (300, 900, 200, 200),
    "full": (10_000, 30_000, 6_000, 400),
}


@pytest.mark.parametrize("size", ["short", pytest.param("full", marks=pytest.mark.slow)])
def test_a_run_under_faults_records_every_failure_and_the_next_run_retries_exactly_those(
    tmp_path, size
):
    articles, embeds, posts, rss_limit_mib = SIZES[size]
    made = corpus(articles=articles, embeds=embeds, posts=posts)
    db_path = tmp_path / "archive.db"
    with ReplayServer.in_subprocess(made.recordings_dir) as replay:
        exchanges, dns = traps()
        replay.add(*exchanges, dns=dns)
        kinds = fault_rules(FAULT_RATE, seed=7)
        for _, rule in kinds:
            replay.inject(rule)
        config = client_config(replay.url)

        first = run_archive(db_path, [made.articles_dir], config)
        assert first.returncode in (0, 1), first.stderr[-3000:]
        faults = Counter()
        for (kind, _), rule in zip(kinds, replay.faults(), strict=True):
            faults[kind] += rule["fired"]
        first_requests = replay.stats()["requests"]

        # 1. Every embed is archived, or failed with its reason recorded.
        outcomes = embed_outcomes(db_path)
        assert outcomes["neither archived nor failed"] == 0
        assert outcomes.total() == made.embeds
        # 2. What the failures name is exactly what the archive holds as pending.
        pending = pending_work(db_path, made)
        assert pending == failed_work(db_path, made, first.summary["run_id"])
        expected = expected_requests(db_path, made, pending)

        replay.clear_faults()
        replay.reset()
        second = run_archive(db_path, [made.articles_dir], config)
        assert (second.returncode, second.summary["failures"]) == (0, {}), second.stderr[-3000:]
        asked = Counter(replay.stats()["urls"])

    # 3. The second run asked for what had failed, and for what resolving it uncovered: once each.
    assert asked == expected
    assert is_complete(db_path, made) == complete(made)
    check = db_check(db_path)
    assert (check.returncode, check.stdout.strip()) == (0, f"{db_path}: no problems found")
    assert first.peak_rss_kib < rss_limit_mib * 1024
    report(size, made, first, second, faults, first_requests, outcomes, db_path)


def pending_work(db_path: Path, made: Corpus) -> dict[str, set[str]]:
    """What the archive holds as unfinished: embeds with no post, posts with no answer, media."""
    return {
        "resolve": {
            code
            for (links,) in rows(db_path, "SELECT pic_links FROM embeds WHERE post_key IS NULL")
            for code in [json.loads(links)[0].rpartition("/")[2]]
        },
        "fetch": {
            key
            for (key,) in rows(
                db_path,
                "SELECT p.key FROM posts p WHERE EXISTS (SELECT 1 FROM embeds e"
                " WHERE e.post_key = p.key) AND NOT EXISTS (SELECT 1 FROM checks c"
                " WHERE c.post_key = p.key AND c.outcome != 'unknown'"
                " AND c.snapshot_id IS NOT NULL)",
            )
        },
        "media": {
            f"{key} {url}"
            for (key,) in rows(db_path, "SELECT key FROM posts WHERE media_snapshot_id IS NOT NULL")
            for url in post_urls(by_key(made)[key])[2:]
            if not rows(
                db_path,
                "SELECT 1 FROM media WHERE post_key = ? AND url = ? AND sha256 IS NOT NULL",
                (key, url),
            )
        },
    }


def failed_work(db_path: Path, made: Corpus, run_id: int) -> dict[str, set[str]]:
    """What the run's failure rows name, in the same terms as ``pending_work``."""
    failures = rows(
        db_path,
        "SELECT f.stage, e.pic_links, f.post_key, f.url, f.reason FROM failures f"
        " LEFT JOIN embeds e ON e.id = f.embed_id WHERE f.run_id = ?",
        (run_id,),
    )
    assert all(reason for *_, reason in failures)
    assert {stage for stage, *_ in failures} <= {"resolve", "fetch", "media"}
    return {
        "resolve": {
            json.loads(links)[0].rpartition("/")[2]
            for stage, links, *_ in failures
            if stage == "resolve"
        },
        "fetch": {key for stage, _, key, *_ in failures if stage == "fetch"},
        "media": {f"{key} {url}" for stage, _, key, url, _ in failures if stage == "media"},
    }


def expected_requests(db_path: Path, made: Corpus, pending: dict[str, set[str]]) -> Counter[str]:
    """The requests a second run should make, from the archive after the first: each failed
    shortlink again (unless an embed of the same link alone resolved it), the witnesses and media
    of each post that had no answer or is reached only now, and the media still missing (each
    media URL once, and none already stored)."""
    resolved = {
        code
        for (code,) in rows(
            db_path,
            "SELECT l.code FROM pic_links l JOIN embeds e ON e.id = l.embed_id"
            " WHERE e.post_key IS NOT NULL AND e.status_id IS NULL",
        )
    }
    expected: Counter[str] = Counter(f"https://t.co/{c}" for c in pending["resolve"] - resolved)
    by_code = {post.pic_code: post for post in made.posts if post.pic_code}
    reached = {key for (key,) in rows(db_path, "SELECT DISTINCT post_key FROM embeds")}
    reached |= {f"twitter:{by_code[code].post_id}" for code in pending["resolve"]}
    answered = {
        key
        for (key,) in rows(
            db_path,
            "SELECT DISTINCT post_key FROM checks WHERE outcome != 'unknown'"
            " AND snapshot_id IS NOT NULL",
        )
    }
    # A gone post never seen live is looked for in the Wayback (issue 13), unless it already was.
    looked_for = {
        key
        for (key,) in rows(
            db_path,
            "SELECT DISTINCT post_key FROM snapshots WHERE source = 'wayback_cdx'"
            " AND status < 500 AND status != 429",
        )
    }
    posts = by_key(made)
    for key in reached - answered - {None}:
        expected.update(post_urls(posts[key]))
        if posts[key].tombstone and key not in looked_for:
            post = posts[key]
            expected.update(wayback_capture_queries(post.post_id, post.handle, limit=CDX_ROWS))
    expected.update(item.partition(" ")[2] for item in pending["media"])
    # A media URL already stored is linked to the post, not downloaded again, and one that is
    # not is downloaded once, however many posts show it (archiver/jobs/media.py).
    stored = {
        url
        for (url,) in rows(
            db_path, "SELECT DISTINCT url FROM media WHERE sha256 IS NOT NULL AND status = 200"
        )
    }
    for url in list(expected):
        if url.startswith(("https://pbs.twimg.com/", "https://video.twimg.com/")):
            if url in stored:
                del expected[url]
            else:
                expected[url] = 1
    return expected


def by_key(made: Corpus) -> dict[str, MadePost]:
    return {f"twitter:{post.post_id}": post for post in made.posts}


def report(
    size: str,
    made: Corpus,
    first: ArchiveProcessResult,
    second: ArchiveProcessResult,
    faults: Counter[str],
    first_requests: int,
    outcomes: Counter[str],
    db_path: Path,
) -> None:
    """The soak's figures, printed (``make soak`` shows them) and kept in benchmarks/.cache/."""
    [(retried, extra_attempts)] = rows(
        db_path,
        "SELECT count(*), coalesce(sum(attempts - 1), 0) FROM snapshots"
        " WHERE run_id = 1 AND attempts > 1",
    )
    by_stage = rows(
        db_path, "SELECT stage, count(*) FROM failures WHERE run_id = 1 GROUP BY stage ORDER BY 1"
    )
    shortlinks = sum(1 for post in made.posts if shortlink(post))
    lines = [
        f"## soak ({size}): {made.articles:,} articles, {made.embeds:,} embeds, "
        f"{len(made.posts):,} posts ({shortlinks:,} behind pic links)",
        "",
        f"- first run: {first_requests:,} requests, {faults.total():,} faulted "
        f"({faults.total() / first_requests:.1%}): "
        + ", ".join(f"{kind} {n:,}" for kind, n in faults.most_common()),
        "- embeds: " + ", ".join(f"{kind} {n:,}" for kind, n in outcomes.most_common()),
        "- failures recorded by stage: " + ", ".join(f"{s} {n:,}" for s, n in by_stage),
        f"- retries: {retried:,} snapshots took more than one attempt "
        f"({extra_attempts:,} extra attempts)",
        f"- first run: {first.seconds:.1f} s, peak RSS {first.peak_rss_kib / 1024:.0f} MiB; "
        f"second run (faults off): {second.seconds:.1f} s, peak RSS "
        f"{second.peak_rss_kib / 1024:.0f} MiB, counts {json.dumps(second.summary['counts'])}",
    ]
    text = "\n".join(lines)
    CACHE.mkdir(exist_ok=True)
    (CACHE / f"soak-{size}.md").write_text(text + "\n", encoding="utf-8")
    print("\n" + text)
