"""What platform modules ask of the HTTP client, and how a failed request still leaves a witness."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from archiver.errors import FetchError
from archiver.logs import logger
from archiver.models import Exchange, PostState, Witness

log = logger(__name__)

JSON_CAP = 4 * 1024 * 1024  # bytes; a syndication answer is a few kilobytes


class Getter(Protocol):
    """The one method of ``archiver.fetch.client.HttpClient`` that the platform modules use."""

    async def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        redirects: Any = None,
        max_bytes: int | None = None,
    ) -> Exchange: ...


async def get_witness(
    client: Getter,
    url: str,
    *,
    source: str,
    parse: Callable[[Exchange], Witness],
    headers: dict[str, str] | None = None,
    redirects: Any = None,
) -> Witness:
    """Ask for ``url`` and parse the answer; a FetchError becomes an UNKNOWN witness holding it.

    ``redirects`` is the client's redirect policy (its default when None).
    """
    try:
        exchange = await client.get(url, headers=headers, redirects=redirects, max_bytes=JSON_CAP)
    except FetchError as exc:
        log.info("%s request for %s failed: %s", source, url, exc)
        return failed_witness(source, url, exc)
    return parse(exchange)


def failed_witness(source: str, url: str, error: FetchError) -> Witness:
    """An UNKNOWN witness for a request that raised, keeping whatever exchange it left behind."""
    reason = f"{type(error).__name__}: {error}"
    exchange = error.exchange if isinstance(error.exchange, Exchange) else None
    if exchange is None:
        exchange = Exchange(url=url, final_url=error.url or url, status=None, fetched_at=_now())
    if exchange.error is None:
        exchange = dataclasses.replace(exchange, error=reason)
    return Witness(source=source, exchange=exchange, state=PostState.UNKNOWN, reason=reason)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
