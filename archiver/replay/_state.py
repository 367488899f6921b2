"""The replay server's state: recordings, fault rules, responders and counters, behind one lock.

``plan`` decides the answer to one request under the lock (the server carries it out outside
it); the other methods are the operations of the control API (``_control.py``).
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archiver.replay._faults import FaultRule
from archiver.replay._recordings import RecordedResponse, Recordings

_RECENT = 100  # requests kept in stats()["recent"]

# (method, path, request headers (lower-case names), request body) -> (status, headers, body)
Responder = Callable[[str, str, dict[str, str], bytes], tuple[int, list[tuple[str, str]], bytes]]


@dataclass(slots=True)
class Plan:
    """What to send for one request, decided under the lock, carried out outside it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    body_source: RecordedResponse | None = None
    delay_s: float = 0.0
    reset: bool = False
    truncate: int | None = None


class ReplayState:
    """Recordings, fault rules and counters, shared by the server thread and its owner."""

    def __init__(self, recordings: Recordings) -> None:
        self.recordings = recordings
        self.rules: list[FaultRule] = []
        self.responders: dict[str, Responder] = {}
        self._lock = threading.Lock()
        self._requests = 0
        self._urls: Counter[str] = Counter()
        self._unmatched: list[str] = []
        self._faults_fired = 0
        self._recent: deque[dict[str, str]] = deque(maxlen=_RECENT)
        self.clears = 0  # how often the rules were cleared: a delay held since then ends

    def plan(
        self,
        method: str,
        host: str,
        path: str,
        query: str,
        user_agent: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> Plan:
        url = f"https://{host}{path}" + (f"?{query}" if query else "")
        with self._lock:
            self._requests += 1
            self._urls[url] += 1
            self._recent.append({"method": method, "url": url, "user_agent": user_agent})
            rule = next((r for r in self.rules if r.applies_to(host, url)), None)
            status = rule.next_status() if rule else None
            if rule:
                self._faults_fired += 1
            responder = self.responders.get(host)
            recorded = self.recordings.match(method, host, path, query)
            if recorded is None and status is None and responder is None:
                self._unmatched.append(f"{method} {url}")
        if status is not None and rule is not None:
            injected = [("content-type", "application/json")]
            if rule.retry_after is not None:
                injected.append(("retry-after", rule.retry_after))
            if rule.location is not None:
                injected.append(("location", rule.location))
            fault_body = json.dumps({"error": "injected fault", "status": status}).encode()
            if rule.body_bytes is not None:
                fault_body = _padding(rule.body_bytes)
            return Plan(status, injected, fault_body, delay_s=rule.delay_ms / 1000)
        if responder is not None:
            answer_status, answer_headers, answer_body = responder(
                method, path, dict(headers or {}), body
            )
            plan = Plan(answer_status, list(answer_headers), answer_body)
        elif recorded is None:
            plan = Plan(404, [("content-type", "application/json")])
            plan.body = json.dumps({"error": "no recording", "url": url}).encode()
        else:
            plan = Plan(recorded.status, list(recorded.headers), body_source=recorded)
        if rule:
            plan.delay_s, plan.reset, plan.truncate = (
                rule.delay_ms / 1000,
                rule.reset,
                rule.truncate,
            )
            if rule.body_bytes is not None:
                plan.body, plan.body_source = _padding(rule.body_bytes), None
        return plan

    def add(self, document: Any) -> int:
        with self._lock:
            return self.recordings.add_document(document, source="POST exchanges")

    def inject(self, rules: Any) -> int:
        parsed = [FaultRule.from_dict(r) for r in (rules if isinstance(rules, list) else [rules])]
        with self._lock:
            self.rules.extend(parsed)
            return len(self.rules)

    def clear_faults(self) -> None:
        with self._lock:
            self.rules.clear()
            self.clears += 1

    def faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{**rule.given, "fired": rule.fired} for rule in self.rules]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self._requests,
                "urls": dict(self._urls),
                "unmatched": list(self._unmatched),
                "faults_fired": self._faults_fired,
                "recent": list(self._recent),
            }

    def reset(self) -> None:
        with self._lock:
            self._requests, self._faults_fired = 0, 0
            self._urls.clear()
            self._unmatched.clear()
            self._recent.clear()


def _padding(size: int) -> bytes:
    """An oversized body: JSON whitespace, so what is read of it parses as nothing at all."""
    return b" " * size
