"""Finding the post behind an attribution line that carries no link: text, name, @handle, date.

The Wayback Machine lists the status URLs captured for an account (docs/endpoints.md §4.4, §4.6);
the ids minted around the date are the candidates; each candidate's syndication answer is
compared with the article's text, and the one that says the same thing is the post.
"""

from __future__ import annotations

import datetime as dt

from archiver.errors import HTTPStatusError, PayloadError
from archiver.fetch.getter import Getter, get_witness
from archiver.fetch.twitter.endpoints import syndication_url, wayback_status_search_url
from archiver.logs import logger
from archiver.models import Exchange, Platform, PostState, Resolution
from archiver.textmatch import normalise_text, quoted_within, text_similarity
from archiver.urls import parse_post_url, twitter_status_url
from archiver.witnesses.payload import body_problem, decode_json
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.snowflake import snowflake_ms, snowflake_range
from archiver.witnesses.twitter.syndication import SOURCE, parse_syndication

log = logger(__name__)

HOW = "wayback_cdx+text_match"
HOW_QUOTED = "wayback_cdx+quote_match"  # the article quotes part of the post (textmatch.MIN_QUOTED)
# difflib's ratio is 2*matches/total characters of the normalised texts. 0.9 forgives what
# copying does to a post (a dropped emoji, a fixed typo, a link shown differently) but not a
# different post by the same account on the same story, which shares words, not sentences
# (the decoys in the tests and demo recordings score between 0.15 and 0.75).
MATCH_THRESHOLD = 0.9
MIN_TEXT = 12  # normalised characters; fewer (a bare link, an emoji) could match anything
CDX_ROWS = 5000  # per query; the Wayback CDX caps a query at 150000
CDX_CAP = 8 * 1024 * 1024  # bytes
_DAY_MS = 86_400_000
_MOST_QUERIES = 3


async def find_by_text(
    client: Getter,
    *,
    handle: str,
    date: str,
    text: str,
    max_candidates: int = 30,
) -> Resolution | None:
    """The post of ``@handle`` made around ``date`` (YYYY-MM-DD) whose text matches ``text``.

    Candidates are ids the Wayback Machine captured for the account whose snowflake time falls
    within the date plus or minus one day (the widget's zone is unknown: docs/endpoints.md §6.3),
    the date itself first; at most ``max_candidates`` are fetched from syndication. The best
    match at or above MATCH_THRESHOLD wins. Returns None when nothing matches, and without
    asking anything when the text is too short to match on (MIN_TEXT). When no candidate
    matches whole, an article that quotes only part of a post finds it: the one candidate whose
    text holds the quote (``quoted_within``); two such candidates find nothing. The resolution's
    exchanges are the CDX answers and every syndication answer consulted. Raises FetchError
    subclasses when the Wayback Machine cannot be asked or answers unusably, with its exchange.

    Example::

        await find_by_text(client, handle="BNONews", date="2022-02-26",
                           text='Ukrainian President Zelenskiy turns down U.S. request ...')
    """
    day = dt.date.fromisoformat(date)
    queries = wayback_queries(handle, day)
    wanted = normalise_text(text)
    if len(wanted) < MIN_TEXT:
        log.info("too little text to find a post of @%s by: %r", handle, text[:80])
        return None
    noon = _ms(day) + _DAY_MS // 2
    low, high = id_window(day)
    exchanges: list[Exchange] = []
    captured: set[str] = set()
    for url in queries:
        exchange = await client.get(url, max_bytes=CDX_CAP)
        exchanges.append(exchange)
        captured |= captured_ids(exchange)
    in_window = [i for i in captured if low <= int(i) <= high]
    candidates = sorted(in_window, key=lambda i: (abs((snowflake_ms(i) or 0) - noon), i))
    log.info("%d captured ids of @%s, %d around %s", len(captured), handle, len(in_window), date)

    best: tuple[float, str, str] | None = None
    holding_the_quote: list[tuple[str, str]] = []
    for post_id in candidates[:max_candidates]:
        witness = await get_witness(
            client, syndication_url(post_id), source=SOURCE, parse=parse_syndication
        )
        exchanges.append(witness.exchange)
        post = witness.post
        if witness.state is not PostState.LIVE or post is None or post.text is None:
            continue
        if (post.handle or "").casefold() != handle.casefold():
            continue
        candidate = normalise_text(post.text)
        score = text_similarity(wanted, candidate)
        log.debug("candidate %s scores %.3f", post_id, score)
        if score < MATCH_THRESHOLD and quoted_within(wanted, candidate):
            holding_the_quote.append((post_id, post.handle or handle))
        if score >= MATCH_THRESHOLD and (best is None or score > best[0]):
            best = (score, post_id, post.handle or handle)
            if score == 1.0:
                break
    how = HOW
    if best is not None:
        _, post_id, author = best
    elif len(holding_the_quote) == 1:
        [(post_id, author)], how = holding_the_quote, HOW_QUOTED
    else:
        if holding_the_quote:
            log.info("%d posts of @%s hold the quote: none chosen", len(holding_the_quote), handle)
        return None
    return Resolution(
        platform=Platform.TWITTER,
        post_id=post_id,
        status_url=twitter_status_url(post_id, author),
        how=how,
        exchanges=exchanges,
    )


def id_window(day: dt.date) -> tuple[int, int]:
    """The ids minted from the start of the day before ``day`` to the end of the day after (UTC)."""
    return snowflake_range(_ms(day) - _DAY_MS, _ms(day) + 2 * _DAY_MS - 1)


def wayback_queries(handle: str, day: dt.date) -> list[str]:
    """The CDX queries that list the captured posts of ``handle`` in the window around ``day``."""
    if not is_handle(handle):
        raise ValueError(f"not an X handle: {handle!r}")
    since = (day - dt.timedelta(days=1)).strftime("%Y%m%d")
    return [
        wayback_status_search_url(handle, id_prefix=prefix, since=since, limit=CDX_ROWS)
        for prefix in id_prefixes(*id_window(day), most=_MOST_QUERIES)
    ]


def captured_ids(exchange: Exchange) -> set[str]:
    """The status ids in a CDX answer (``output=json&fl=original``: a header row, then rows).

    Raises HTTPStatusError for a status other than 200 and PayloadError for a body that is not
    that shape; both carry the exchange.
    """
    if exchange.status != 200:
        raise HTTPStatusError(
            f"the Wayback CDX answered HTTP {exchange.status}",
            status=exchange.status or 0,
            url=exchange.url,
            exchange=exchange,
        )
    data, problem = decode_json(exchange.body)
    problem = body_problem(exchange) or problem
    if problem is None and not (
        isinstance(data, list) and all(isinstance(row, list) and row for row in data)
    ):
        problem = "the CDX answer is not a list of rows"
    if problem:
        raise PayloadError(problem, url=exchange.url, exchange=exchange)
    ids = set()
    for row in data[1:]:
        ref = parse_post_url(row[0]) if isinstance(row[0], str) else None
        if ref is not None and ref.platform == Platform.TWITTER:
            ids.add(ref.post_id)
    return ids


def id_prefixes(low: int, high: int, *, most: int) -> list[str]:
    """The longest decimal prefixes, at most ``most`` of them, that cover every id in [low, high].

    >>> id_prefixes(1496998374405046272, 1498085538001846271, most=3)
    ['1496', '1497', '1498']
    """
    pieces = []  # ranges whose ids have the same number of digits
    while len(str(low)) < len(str(high)):
        edge = 10 ** len(str(low))
        pieces.append((low, edge - 1))
        low = edge
    pieces.append((low, high))
    for dropped in range(len(str(high)) + 1):
        scale = 10**dropped
        if sum(end // scale - start // scale + 1 for start, end in pieces) <= most:
            return sorted(
                {
                    str(v) if v else ""
                    for start, end in pieces
                    for v in range(start // scale, end // scale + 1)
                }
            )
    return [""]


def _ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)
