"""CPU cost of reading X answers on one core: tokens, and both witnesses of a post.

The parsers run in the fetcher's process, so they bound what it can keep up with. The fetch
target (issue 4) is 90% of 128 in flight / 50 ms = 2,304 posts/s, each needing one token and
two parsed witnesses. Baselines, measured in the same run: the C routines underneath
(``repr`` of the same doubles, ``json.loads`` of the same bodies).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from archiver.fetch.twitter import oembed_url, syndication_url
from archiver.fetch.twitter.token import syndication_token
from archiver.models import Exchange
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.syndication import parse_syndication
from benchmarks.report import Report

PAYLOADS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "payloads"
SECTION = "twitter_parse"
FETCH_TARGET = 0.9 * 128 / 0.050  # posts/s


def rate(work: Callable[[], object], *, seconds: float) -> float:
    """Calls per second of ``work``: the best of three runs of ``seconds`` / 3 each."""
    best = 0.0
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            for _ in range(50):
                work()
            calls += 50
        best = max(best, calls / elapsed)
    return best


def exchange(url: str, name: str) -> Exchange:
    return Exchange(url=url, final_url=url, status=200, body=(PAYLOADS / name).read_bytes())


def run(report: Report) -> None:
    seconds = 0.15 if report.quick else 1.5
    rng = random.Random(7)
    ids = [str(rng.randrange(29700859247, 2**63)) for _ in range(1024)]
    doubles = [float(int(i)) / 1e15 * 3.141592653589793 for i in ids]
    turn = iter(range(10**12))
    tokens = rate(lambda: syndication_token(ids[next(turn) % 1024]), seconds=seconds)
    reprs = rate(lambda: repr(doubles[next(turn) % 1024]), seconds=seconds)
    target = f"≥ {FETCH_TARGET:,.0f}/s"
    report.add(
        SECTION,
        "syndication tokens",
        tokens,
        "tokens/s",
        baseline=("repr(float)", reprs),
        target=target,
        met=tokens >= FETCH_TARGET,
    )

    syndication = exchange(syndication_url("1641086480675225601"), "syndication_photo_tweet.json")
    oembed = exchange(oembed_url("705219971425574912", "sengineland"), "oembed_twitter_tweet.json")
    for name, parse, answer in (
        ("parse_syndication (photo sample)", parse_syndication, syndication),
        ("parse_oembed (sample)", parse_oembed, oembed),
    ):
        parsed = rate(lambda p=parse, a=answer: p(a), seconds=seconds)
        decoded = rate(lambda a=answer: json.loads(a.body), seconds=seconds)
        report.add(SECTION, name, parsed, "witnesses/s", baseline=("json.loads", decoded))

    posts = rate(lambda: (parse_syndication(syndication), parse_oembed(oembed)), seconds=seconds)
    report.add(
        SECTION,
        "both witnesses of a post",
        posts,
        "posts/s",
        baseline=("fetch target", FETCH_TARGET),
        target=target,
        met=posts >= FETCH_TARGET,
    )
