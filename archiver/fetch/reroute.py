"""ARCHIVER_REROUTE: a request for ``https://HOST/PATH?QUERY`` goes to ``BASE/HOST/PATH?QUERY``.

That layout is the contract a reroute server keeps. A DNS table (``GET BASE/__replay__/dns?host=H``
answering a JSON list of addresses) is an extra of archiver's own replay server (archiver/replay/):
used when there, never required.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from urllib.parse import quote, urlsplit

import httpx

from archiver.errors import InputError
from archiver.logs import logger

log = logger(__name__)

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_reroute_base(base: str) -> str:
    """The reroute base without a trailing slash; InputError unless it is http://loopback:PORT."""
    try:
        parts = urlsplit(base.strip())
        port = parts.port
    except ValueError as exc:
        raise InputError(f"ARCHIVER_REROUTE is not a URL: {base!r}") from exc
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK_HOSTS or port is None:
        raise InputError(f"ARCHIVER_REROUTE must be http://127.0.0.1:PORT, not {base!r}")
    if parts.path.strip("/") or parts.query:
        raise InputError(f"ARCHIVER_REROUTE takes no path or query: {base!r}")
    return f"http://{parts.netloc}"


def rerouted(url: str, base: str) -> str:
    """Where a request for ``url`` goes through the replay server at ``base``.

    The path is the one a request for ``url`` would send: its dot segments removed (RFC 3986
    §5.2.4) at the root of HOST, so ``/../`` can never climb over HOST to another host's answers.

    >>> rerouted("https://t.co/abc?x=1", "http://127.0.0.1:8080")
    'http://127.0.0.1:8080/t.co/abc?x=1'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return f"{base}/{host}{httpx.URL(url).raw_path.decode('ascii')}"


class ReplayDns:
    """A resolver over the reroute server's DNS table: no real lookups under reroute.

    A server that has no table (``/__replay__/dns`` answers 404, or below 500 and not JSON)
    serves names that all count as public, and is not asked again: any server in the layout
    works. Literal addresses never get here: the address guard refuses private ones first. A
    5xx or a table of the wrong shape is an OSError, for the guard to report.
    """

    def __init__(
        self, base: str, get: Callable[[str], AbstractAsyncContextManager[httpx.Response]]
    ) -> None:
        self._base = base
        self._get = get
        self._has_table = True  # until the server shows it has none

    async def __call__(self, host: str, port: int) -> list[str]:
        """The addresses the table gives ``host`` ([] without a table)."""
        if not self._has_table:
            return []
        try:
            async with self._get(f"{self._base}/__replay__/dns?host={quote(host)}") as response:
                body = await response.aread()
        except httpx.HTTPError as exc:
            raise OSError(f"replay DNS lookup failed: {exc}") from exc
        try:
            answer, is_json = json.loads(body), True
        except ValueError:
            answer, is_json = None, False
        if response.status_code == 404 or (not is_json and response.status_code < 500):
            log.info("the reroute server has no DNS table: every name counts as public")
            self._has_table = False
            return []
        if response.status_code != 200 or not (
            isinstance(answer, list) and all(isinstance(a, str) for a in answer)
        ):
            raise OSError(f"replay DNS answered {response.status_code}: {body[:200]!r}")
        return answer
