"""Per-host request rates as people give them: ``HOST=N`` on the command line (``--rate``,
repeatable) and in ``ARCHIVER_RATES`` ("host=N host=N"); docs/rates.md says why the defaults are
what they are. ``*=N`` sets the rate of every host not named."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from archiver.errors import InputError

ENV = "ARCHIVER_RATES"
EVERY_HOST = "*"
# a DNS name or IPv4 literal, as the limiter keys hosts (lower case, no port)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}\Z){_LABEL}(?:\.{_LABEL})*")


def parse_rate(text: str) -> tuple[str, float]:
    """One ``HOST=N`` (N requests per second, N > 0) as ``(host, N)``; InputError otherwise.

    >>> parse_rate("pbs.twimg.com=50")
    ('pbs.twimg.com', 50.0)
    """
    host, sep, number = text.strip().partition("=")
    host = host.strip().lower().rstrip(".")
    try:
        rate = float(number)
    except ValueError:
        rate = math.nan
    if not sep or not (host == EVERY_HOST or _HOST.fullmatch(host)):
        raise InputError(f"not HOST=N: {text!r} (e.g. pbs.twimg.com=8, or *=8 for every host)")
    if not (math.isfinite(rate) and rate > 0):
        raise InputError(f"a rate is a positive number of requests per second, not {number!r}")
    return host, rate


def parse_rates(texts: Iterable[str]) -> dict[str, float]:
    """Several ``HOST=N``, a later one for the same host winning."""
    return dict(parse_rate(text) for text in texts)


def env_rates(environ: Mapping[str, str]) -> dict[str, float]:
    """The rates of ``ARCHIVER_RATES``: ``HOST=N`` separated by spaces or commas."""
    given = environ.get(ENV, "").strip()
    return parse_rates(re.split(r"[\s,]+", given)) if given else {}
