"""The control API, under ``/__replay__/``, and the one Python interface to it.

Endpoints (JSON in, JSON out; a bad request is answered 400 ``{"error": ...}``):

- ``GET stats``: ``{"requests", "urls": {original URL: count}, "unmatched", "faults_fired",
  "recent": [{"method", "url", "user_agent"}, ...]}`` (the last 100 requests);
- ``POST reset``: zero the counters;
- ``POST exchanges``: a recording document, or one exchange (``_recordings.py``), added or
  replacing what was recorded for the same request;
- ``POST faults``: a fault rule or a list of rules (``_faults.py``); ``GET faults``: the rules as
  given, each with how often it ``fired``; ``DELETE faults``: remove them all, and answer at
  once the requests their delays still hold;
- ``GET dns?host=H``: the recorded addresses of H (``[]`` when none). A server without a DNS
  table may answer 404: the client then takes every name for public (``archiver/fetch/reroute.py``).

``ReplayControl`` is that API as methods, written once over a transport-specific ``_call``: the
in-process server calls ``control`` directly, the subprocess wrapper sends HTTP.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any
from urllib.parse import parse_qsl

from archiver.replay._state import ReplayState

CONTROL_PREFIX = "/__replay__/"


def control(state: ReplayState, method: str, name: str, payload: Any, query: str = "") -> Any:
    """Carry out one control request on ``state``; None when there is no such endpoint.

    Raises ValueError or InputError for a payload the endpoint refuses.
    """
    match method, name:
        case "GET", "stats":
            return state.stats()
        case "POST", "reset":
            state.reset()
            return {"reset": True}
        case "POST", "exchanges":
            return {"added": state.add(payload)}
        case "POST", "faults":
            return {"rules": state.inject(payload)}
        case "GET", "faults":
            return state.faults()
        case "DELETE", "faults":
            state.clear_faults()
            return {"rules": 0}
        case "GET", "dns":
            return state.recordings.dns(dict(parse_qsl(query)).get("host", ""))
    return None


class ReplayControl(ABC):
    """Drive a running replay server: recordings, faults and counters while it serves."""

    url: str

    @abstractmethod
    def _call(self, method: str, name: str, payload: Any = None) -> Any:
        """Send one control request; its JSON answer. ValueError when the server refuses it."""

    def add(self, *exchanges: dict[str, Any], dns: dict[str, list[str]] | None = None) -> None:
        """Add or replace recorded exchanges (and DNS answers) while serving."""
        self._call("POST", "exchanges", {"exchanges": list(exchanges), "dns": dns or {}})

    def inject(self, rule: dict[str, Any] | list[dict[str, Any]]) -> None:
        """Add a fault rule, or a list of them (see ``_faults.py``)."""
        self._call("POST", "faults", rule)

    def clear_faults(self) -> None:
        """Remove every fault rule; a request held by a rule's delay is answered at once."""
        self._call("DELETE", "faults")

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules as given, each with ``fired``: how many requests it answered."""
        answer: list[dict[str, Any]] = self._call("GET", "faults")
        return answer

    def stats(self) -> dict[str, Any]:
        """Requests seen: ``{"requests", "urls": {url: count}, "unmatched", "faults_fired",
        "recent": [{"method", "url", "user_agent"}, ...]}`` (the last 100)."""
        answer: dict[str, Any] = self._call("GET", "stats")
        return answer

    def reset(self) -> None:
        """Zero the counters."""
        self._call("POST", "reset")
