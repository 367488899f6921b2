"""What the soak and crash tests share: the client they run with, the faults, and the questions
they ask of an archive afterwards."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.corpus import Corpus

MB = 1024 * 1024
HOSTS = (
    "t.co",
    "cdn.syndication.twimg.com",
    "publish.twitter.com",
    "pbs.twimg.com",
    "video.twimg.com",
)
PRIVATE_HOST = "intranet.example"  # the replay's DNS answers a private address for it
READ_TIMEOUT = 0.5


def client_config(reroute: str) -> dict[str, Any]:
    """The soak's ClientConfig: a short read timeout, quick backoff, no pacing, small caps."""
    return {
        "reroute": reroute,
        "read_timeout": READ_TIMEOUT,
        "connect_timeout": 5.0,
        "retries": 3,
        "backoff_base": 0.05,
        "backoff_cap": 0.5,
        "per_host_rate": None,
        "host_rates": {},
        "max_body_bytes": 1 * MB,
        "max_media_bytes": 1 * MB,
    }


def loop_url(host: str, leg: str) -> str:
    return f"https://{host}/LoopTrap{leg}"


def traps() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The recordings the redirect faults lead into: a two-URL loop on every host, and a DNS
    answer that puts a host on a private network."""
    exchanges = []
    for host in HOSTS:
        for leg, other in (("A", "B"), ("B", "A")):
            exchanges.append(
                {
                    "request": {"url": loop_url(host, leg)},
                    "response": {"status": 302, "headers": [["location", loop_url(host, other)]]},
                }
            )
    return exchanges, {PRIVATE_HOST: ["10.20.30.40"]}


def fault_kinds(host: str) -> dict[str, dict[str, Any]]:
    """Every kind of fault the soak injects into requests for ``host``."""
    return {
        "429 with Retry-After": {"sequence": [429], "retry_after": 1},
        "500": {"sequence": [500]},
        "503": {"sequence": [503]},
        "timeout": {"delay_ms": READ_TIMEOUT * 3000},
        "connection reset": {"reset": True},
        "truncated body": {"truncate": 7},
        # t.co's own answer is a redirect, whose body is not read: a 200 page stands in there
        "oversized body": {"body_bytes": 5 * MB} | ({"sequence": [200]} if host == "t.co" else {}),
        "redirect loop": {"sequence": [302], "location": loop_url(host, "A")},
        "redirect to a private address": {"sequence": [302], "location": "http://10.1.2.3/admin"},
        "redirect to a host on a private network": {
            "sequence": [302],
            "location": f"https://{PRIVATE_HOST}/x",
        },
    }


def fault_rules(rate: float, *, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """``(kind, rule)`` for every host and kind, so that ``rate`` of all requests are faulted."""
    kinds = len(fault_kinds("t.co"))
    each = 1 - (1 - rate) ** (1 / kinds)  # the rules are tried in turn, each at this rate
    rules = []
    for host in HOSTS:
        for kind, fault in fault_kinds(host).items():
            rule = {"match": host, "rate": each, "seed": seed + len(rules)} | fault
            rules.append((kind, rule))
    return rules


def db_check(db_path: Path) -> subprocess.CompletedProcess[str]:
    """`archiver db check` on the archive, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "archiver", "db", "check", "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def rows(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def embed_outcomes(db_path: Path) -> Counter[str]:
    """Every embed, classed: archived, or failed at a stage with a recorded reason, or neither."""
    outcomes: Counter[str] = Counter()
    for post_key, answered, resolve_failed, fetch_failed in rows(
        db_path,
        "SELECT e.post_key,"
        " EXISTS (SELECT 1 FROM checks c WHERE c.post_key = e.post_key"
        "   AND c.outcome != 'unknown' AND c.snapshot_id IS NOT NULL),"
        " EXISTS (SELECT 1 FROM failures f WHERE f.embed_id = e.id AND f.stage = 'resolve'"
        "   AND f.reason != ''),"
        " EXISTS (SELECT 1 FROM failures f WHERE f.post_key = e.post_key AND f.stage = 'fetch'"
        "   AND f.reason != '')"
        " FROM embeds e",
    ):
        if post_key is not None and answered:
            outcomes["archived"] += 1
        elif post_key is None and resolve_failed:
            outcomes["failed to resolve"] += 1
        elif post_key is not None and fetch_failed:
            outcomes["post not answered"] += 1
        else:
            outcomes["neither archived nor failed"] += 1
    return outcomes


def is_complete(db_path: Path, corpus: Corpus) -> dict[str, int]:
    """What a finished archive of ``corpus`` holds: everything, with nothing left pending."""
    [(articles, embeds, unresolved, unanswered, awaiting_media, live, gone)] = rows(
        db_path,
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM embeds),"
        " (SELECT count(*) FROM embeds WHERE post_key IS NULL),"
        " (SELECT count(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM checks c"
        "   WHERE c.post_key = p.key AND c.outcome != 'unknown' AND c.snapshot_id IS NOT NULL)),"
        " (SELECT count(*) FROM posts WHERE media_snapshot_id IS NOT NULL),"
        " (SELECT count(*) FROM posts WHERE state = 'live'),"
        " (SELECT count(*) FROM posts WHERE state NOT IN ('live', 'unknown'))",
    )
    return {
        "articles": articles,
        "embeds": embeds,
        "unresolved embeds": unresolved,
        "posts no witness answered": unanswered,
        "posts awaiting media": awaiting_media,
        "live posts": live,
        "posts gone": gone,
    }


def complete(corpus: Corpus) -> dict[str, int]:
    """``is_complete`` of a finished archive of ``corpus``."""
    # A deleted post whose syndication answer failed is known from oEmbed's 404 alone: not_found.
    deleted = sum(1 for post in corpus.posts if post.tombstone)
    return {
        "articles": corpus.articles,
        "embeds": corpus.embeds,
        "unresolved embeds": 0,
        "posts no witness answered": 0,
        "posts awaiting media": 0,
        "live posts": len(corpus.posts) - deleted,
        "posts gone": deleted,
    }
