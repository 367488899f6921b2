"""ARCHIVER_REROUTE: a request for ``https://HOST/PATH?QUERY`` goes to ``BASE/HOST/PATH?QUERY``."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from archiver.errors import InputError

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
