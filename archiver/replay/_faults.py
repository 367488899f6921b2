"""Fault rules: statuses, delays, resets and odd bodies injected into matching requests.

A rule, as posted to ``POST /__replay__/faults`` (a rule or a list of rules)::

    {"match": "<host or URL prefix>", "sequence": [429, 503, "ok"], "retry_after": 1,
     "delay_ms": 200, "reset": true, "truncate": 100, "times": N, "rate": 0.1, "seed": 1}

A rule applies to requests for its host, or to URLs starting with it when it holds a ``/``.
``sequence`` is played in order, once unless ``times`` or ``rate`` (a probability, drawn from a
generator seeded with ``seed``) says otherwise; ``"ok"`` answers normally. ``retry_after``
adds that header to an injected status, ``delay_ms`` waits first (until the rules are
cleared, at most), ``reset`` drops the
connection with a TCP RST, ``truncate`` promises the whole length and sends that many bytes.
``"location": URL`` gives an injected status (a 3xx) that Location, for redirect loops and
redirects to private addresses; ``"body_bytes": N`` answers with an N-byte body instead (the
recorded status and headers unless a status is injected), for oversized answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

MAX_FAULT_BODY = 1024 * 1024 * 1024


@dataclass(slots=True)
class FaultRule:
    """A fault to inject into matching requests (see the module docstring for the fields)."""

    match: str
    sequence: list[int | str] = field(default_factory=list)
    retry_after: str | None = None
    delay_ms: float = 0.0
    reset: bool = False
    truncate: int | None = None
    times: int | None = None
    rate: float | None = None
    location: str | None = None
    body_bytes: int | None = None
    rng: random.Random = field(default_factory=random.Random)
    fired: int = 0
    given: dict[str, Any] = field(default_factory=dict)  # the rule as posted, for GET faults

    @classmethod
    def from_dict(cls, rule: Any) -> FaultRule:
        """Validate a rule as sent to ``POST /__replay__/faults``."""
        if (
            not isinstance(rule, dict)
            or not isinstance(rule.get("match"), str)
            or not rule["match"]
        ):
            raise ValueError("a fault rule is an object with a non-empty 'match'")
        unknown = set(rule) - {
            "match", "sequence", "retry_after", "delay_ms", "reset", "truncate", "times", "rate",
            "seed", "location", "body_bytes",
        }  # fmt: skip
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        sequence = rule.get("sequence", [])
        if not isinstance(sequence, list) or not all(
            s == "ok" or (isinstance(s, int) and 100 <= s <= 599) for s in sequence
        ):
            raise ValueError("'sequence' is a list of statuses and \"ok\"")
        retry_after = rule.get("retry_after")
        times, rate, truncate = rule.get("times"), rule.get("rate"), rule.get("truncate")
        if times is not None and (not isinstance(times, int) or times < 1):
            raise ValueError("'times' is a positive integer")
        if rate is not None and (not isinstance(rate, int | float) or not 0 < rate <= 1):
            raise ValueError("'rate' is a probability in (0, 1]")
        if truncate is not None and (not isinstance(truncate, int) or truncate < 0):
            raise ValueError("'truncate' is a byte count")
        location, body_bytes = rule.get("location"), rule.get("body_bytes")
        if location is not None and (
            not isinstance(location, str) or "\r" in location or "\n" in location
        ):
            raise ValueError("'location' is a URL on one line")
        if body_bytes is not None and (
            not isinstance(body_bytes, int) or not 0 <= body_bytes <= MAX_FAULT_BODY
        ):
            raise ValueError(f"'body_bytes' is a byte count up to {MAX_FAULT_BODY}")
        return cls(
            match=rule["match"],
            sequence=list(sequence),
            retry_after=None if retry_after is None else str(retry_after),
            delay_ms=float(rule.get("delay_ms", 0)),
            reset=bool(rule.get("reset", False)),
            truncate=truncate,
            # A sequence plays once, unless it is drawn at random (a soak test's steady faults).
            times=times if times is not None or rate is not None else (len(sequence) or None),
            rate=rate,
            location=location,
            body_bytes=body_bytes,
            rng=random.Random(rule.get("seed")),
            given=dict(rule),
        )

    def applies_to(self, host: str, url: str) -> bool:
        if self.times is not None and self.fired >= self.times:
            return False
        if "/" in self.match:
            if not url.startswith(self.match):
                return False
        elif host != self.match.lower():
            return False
        return self.rate is None or self.rng.random() < self.rate

    def next_status(self) -> int | None:
        """The injected status for this firing, or None to answer normally."""
        step = self.sequence[self.fired % len(self.sequence)] if self.sequence else "ok"
        self.fired += 1
        return None if step == "ok" else int(step)
