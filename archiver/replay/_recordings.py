"""Recordings: the ``*.json`` files the replay server answers from, loaded and validated.

Each file is ``{"exchanges": [...], "dns": {"host": ["addr", ...]}}``; an exchange is::

    {"request": {"method": "GET", "url": "https://t.co/abc"},
     "response": {"status": 301, "headers": [["location", "https://twitter.com/a/status/1"]],
                  "body": "text" | "body_base64": "..." | "body_file": "relative/path"},
     "note": "free text"}

A request matches an exchange by method, host (with its port unless 80 or 443), path and query,
the query compared as a multiset of pairs. ``body_file`` is read from inside the recordings
directory and nowhere else. ``dns`` gives the addresses a host resolves to under reroute (see
``archiver/fetch/guard.py``); a host it does not name resolves to no address, which is public.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from archiver.errors import InputError

_Key = tuple[str, str, str]  # method, host, path
_Query = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    """One recorded answer: the body is bytes, or a file inside the recordings directory."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    body_path: Path | None = None

    def read_body(self) -> bytes:
        return self.body_path.read_bytes() if self.body_path else self.body


class Recordings:
    """The table of recorded exchanges and DNS answers, keyed the way requests are matched."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root.resolve() if root else None
        self._table: dict[_Key, dict[_Query, RecordedResponse]] = {}
        self._dns: dict[str, list[str]] = {}
        if self.root is not None:
            if not self.root.is_dir():
                raise InputError(f"recordings directory not found: {root}")
            for path in sorted(self.root.rglob("*.json")):
                try:
                    document = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InputError(f"{path}: not a readable JSON recording: {exc}") from exc
                self.add_document(document, source=str(path))

    def add_document(self, document: Any, *, source: str = "recording") -> int:
        """Add ``{"exchanges": [...], "dns": {...}}`` or one exchange; returns how many."""
        if isinstance(document, dict) and "request" in document:
            document = {"exchanges": [document]}
        if not isinstance(document, dict):
            raise InputError(f"{source}: a recording is a JSON object with 'exchanges'")
        exchanges = document.get("exchanges", [])
        dns = document.get("dns", {})
        if not isinstance(exchanges, list) or not isinstance(dns, dict):
            raise InputError(f"{source}: 'exchanges' must be a list and 'dns' an object")
        for host, addresses in dns.items():
            if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
                raise InputError(f"{source}: dns[{host!r}] must be a list of addresses")
            self._dns[host.lower()] = list(addresses)
        for index, exchange in enumerate(exchanges):
            self._add_exchange(exchange, source=f"{source}: exchange {index}")
        return len(exchanges)

    def match(self, method: str, host: str, path: str, query: str) -> RecordedResponse | None:
        """The recorded response for a request, or None."""
        by_query = self._table.get((method.upper(), host.lower(), unquote(path)))
        return by_query.get(_query_key(query)) if by_query else None

    def dns(self, host: str) -> list[str]:
        """The recorded addresses of a host ([] when none were recorded)."""
        return list(self._dns.get(host.lower(), []))

    def _add_exchange(self, exchange: Any, *, source: str) -> None:
        if not isinstance(exchange, dict):
            raise InputError(f"{source}: an exchange is an object with 'request' and 'response'")
        request, response = exchange.get("request"), exchange.get("response")
        if not isinstance(request, dict) or not isinstance(response, dict):
            raise InputError(f"{source}: 'request' and 'response' must be objects")
        method = request.get("method", "GET")
        url = request.get("url")
        if not isinstance(method, str) or not isinstance(url, str):
            raise InputError(f"{source}: request needs a string 'url' (and 'method')")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{source}: request url must be absolute http(s): {url!r}")
        key = (method.upper(), _host_key(parts.hostname, parts.port), unquote(parts.path or "/"))
        self._table.setdefault(key, {})[_query_key(parts.query)] = self._response(
            response, source=source
        )

    def _response(self, response: dict[str, Any], *, source: str) -> RecordedResponse:
        status = response.get("status")
        if not isinstance(status, int) or not 100 <= status <= 599:
            raise InputError(f"{source}: response status must be an integer 100-599")
        raw_headers = response.get("headers", [])
        if not isinstance(raw_headers, list) or not all(
            isinstance(h, list | tuple) and len(h) == 2 and all(isinstance(x, str) for x in h)
            for h in raw_headers
        ):
            raise InputError(f"{source}: headers must be a list of [name, value] strings")
        headers = tuple((name, value) for name, value in raw_headers if "\r" not in name + value)
        bodies = [k for k in ("body", "body_base64", "body_file") if k in response]
        if len(bodies) > 1:
            raise InputError(f"{source}: give one of body, body_base64, body_file")
        if not bodies:
            return RecordedResponse(status, headers)
        kind, value = bodies[0], response[bodies[0]]
        if not isinstance(value, str):
            raise InputError(f"{source}: {kind} must be a string")
        if kind == "body":
            return RecordedResponse(status, headers, value.encode("utf-8"))
        if kind == "body_base64":
            try:
                return RecordedResponse(status, headers, base64.b64decode(value, validate=True))
            except binascii.Error as exc:
                raise InputError(f"{source}: body_base64 is not base64: {exc}") from exc
        return RecordedResponse(status, headers, body_path=self._confined(value, source=source))

    def _confined(self, relative: str, *, source: str) -> Path:
        """A body_file path, refused unless it stays inside the recordings directory."""
        if self.root is None:
            raise InputError(f"{source}: body_file needs a recordings directory")
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or "\\" in relative or ":" in relative:
            raise InputError(f"{source}: body_file must be a relative path inside the recordings")
        path = (self.root / pure).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise InputError(f"{source}: body_file not found inside the recordings: {relative!r}")
        return path


def _host_key(hostname: str, port: int | None) -> str:
    host = f"[{hostname.lower()}]" if ":" in hostname else hostname.lower()
    return f"{host}:{port}" if port not in (None, 80, 443) else host


def _query_key(query: str) -> _Query:
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))
