"""How the HTTP client behaves: timeouts, limits and rates, retries, caps, reroute, and the
User-Agent it sends; read from the defaults, the caller and the environment."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from archiver import __version__
from archiver.errors import InputError
from archiver.fetch.rates import EVERY_HOST, env_rates
from archiver.fetch.reroute import check_reroute_base

MB = 1024 * 1024


def default_user_agent() -> str:
    """``archiver/VERSION (social-post archiver; +HOMEPAGE)``; the homepage if packaging has one."""
    homepage = ""
    try:
        for entry in importlib.metadata.metadata("archiver").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("homepage", "source", "repository"):
                homepage = f"; +{url.strip()}"
                break
    except importlib.metadata.PackageNotFoundError:
        pass
    return f"archiver/{__version__} (social-post archiver{homepage})"


_AT_LEAST_ONE = (
    "per_host_concurrency",
    "max_connections",
    "shard_connections",
    "max_body_bytes",
    "max_media_bytes",
)
_NOT_NEGATIVE = ("retries", "max_redirects", "backoff_base", "backoff_cap", "retry_after_cap")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """How the client behaves. Sizes in bytes, times in seconds, rates in requests per second."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    write_timeout: float = 30.0
    pool_timeout: float = 60.0
    deadline: float | None = 120.0  # one attempt of get(), whole; stops servers that trickle
    user_agent: str = field(default_factory=default_user_agent)
    per_host_concurrency: int = 8
    per_host_rate: float | None = 8.0
    # The Wayback Machine's CDX API allows 30 requests/min; its operators ask for 80% of that
    # (edgi-govdata-archiving/wayback src/wayback/_client.py, docs/endpoints.md §4.6).
    host_rates: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"web.archive.org": 0.4})
    )
    max_connections: int = 64
    shard_connections: int = 4  # connections per httpx client (see transport.py)
    retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    retry_after_cap: float = 120.0  # a longer Retry-After is not waited for: the answer is kept
    max_body_bytes: int = 10 * MB
    max_media_bytes: int = 200 * MB
    max_redirects: int = 10
    reroute: str | None = None  # http://127.0.0.1:PORT of a replay server
    dns_ttl: float = 60.0

    def __post_init__(self) -> None:
        for name in _AT_LEAST_ONE:
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in _NOT_NEGATIVE:
            if getattr(self, name) < 0:
                raise InputError(f"{name} must not be negative, not {getattr(self, name)}")
        if self.per_host_rate is not None and self.per_host_rate <= 0:
            raise InputError(f"per_host_rate must be positive or None, not {self.per_host_rate}")
        if self.reroute is not None:
            object.__setattr__(self, "reroute", check_reroute_base(self.reroute))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **changes: object) -> ClientConfig:
        """The defaults with ``changes`` applied, then ``ARCHIVER_REROUTE`` and the per-host
        rates of ``ARCHIVER_RATES`` (archiver/fetch/rates.py) from the environment."""
        environ = os.environ if environ is None else environ
        reroute = environ.get("ARCHIVER_REROUTE") or None
        config = cls(**{"reroute": reroute, **changes})  # type: ignore[arg-type]
        return config.with_rates(env_rates(environ))

    def with_rates(self, rates: Mapping[str, float]) -> ClientConfig:
        """This config with ``rates`` (requests/s by host; ``*``: every other host) on top."""
        if not rates:
            return self
        named = {host: rate for host, rate in rates.items() if host != EVERY_HOST}
        return replace(
            self,
            per_host_rate=rates.get(EVERY_HOST, self.per_host_rate),
            host_rates=MappingProxyType({**self.host_rates, **named}),
        )
