"""The replay server: recorded HTTP answers served on 127.0.0.1 in the reroute layout.

A client with ``ARCHIVER_REROUTE=http://127.0.0.1:PORT`` asks for ``https://HOST/PATH?QUERY`` as
``GET /HOST/PATH?QUERY``; the server answers with the recorded response for that method, host,
path and query (the query compared as a multiset of pairs), or 404 when nothing was recorded.

Recordings are ``*.json`` files, each ``{"exchanges": [...], "dns": {"host": ["addr", ...]}}``::

    {"request": {"method": "GET", "url": "https://t.co/abc"},
     "response": {"status": 301, "headers": [["location", "https://twitter.com/a/status/1"]],
                  "body": "text" | "body_base64": "..." | "body_file": "relative/path"},
     "note": "free text"}

Control API, under ``/__replay__/``: ``GET stats`` (counts per original URL, the unmatched,
the last requests with their User-Agent), ``POST reset``, ``POST exchanges`` (a recording
document, or one exchange), ``POST faults`` (a rule or a list of rules), ``GET faults`` (the
rules, each with how often it ``fired``), ``DELETE faults``, ``GET dns?host=H``. Fault rules:
``{"match": "<host or URL prefix>", "sequence": [429, 503, "ok"], "retry_after": 1,
"delay_ms": 200, "reset": true, "truncate": 100, "times": N, "rate": 0.1, "seed": 1}``;
``"location": URL`` gives an injected status (a 3xx) that Location, for redirect loops and
redirects to private addresses; ``"body_bytes": N`` answers with an N-byte body instead (the
recorded status and headers unless a status is injected), for oversized answers.

A host may instead be answered by a responder, a function of the request's method, path and
headers and body (``ReplayServer.respond``): an answer that depends on what was sent, such as an RFC 3161
time-stamp over the hash a client posts (archiver/evidence/demo_tsa.py). Fault rules still apply.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import http
import json
import logging
import random
import socket
import struct
import subprocess
import sys
import threading
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from archiver.errors import InputError

log = logging.getLogger(__name__)

CONTROL_PREFIX = "/__replay__/"
_MAX_HEAD_BYTES = 64 * 1024
_MAX_CONTROL_BODY = 64 * 1024 * 1024
_MAX_FAULT_BODY = 1024 * 1024 * 1024
_RECENT = 100  # requests kept in stats()["recent"]
_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})

_Key = tuple[str, str, str]  # method, host, path
_Query = tuple[tuple[str, str], ...]
# (method, path, request headers (lower-case names), request body) -> (status, headers, body)
Responder = Callable[[str, str, dict[str, str], bytes], tuple[int, list[tuple[str, str]], bytes]]


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
            not isinstance(body_bytes, int) or not 0 <= body_bytes <= _MAX_FAULT_BODY
        ):
            raise ValueError(f"'body_bytes' is a byte count up to {_MAX_FAULT_BODY}")
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


@dataclass(slots=True)
class _Plan:
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

    def plan(
        self,
        method: str,
        host: str,
        path: str,
        query: str,
        user_agent: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> _Plan:
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
            fault_headers = [("content-type", "application/json")]
            if rule.retry_after is not None:
                fault_headers.append(("retry-after", rule.retry_after))
            if rule.location is not None:
                fault_headers.append(("location", rule.location))
            body = json.dumps({"error": "injected fault", "status": status}).encode()
            if rule.body_bytes is not None:
                body = _padding(rule.body_bytes)
            return _Plan(status, fault_headers, body, delay_s=rule.delay_ms / 1000)
        if responder is not None:
            answer_status, answer_headers, answer_body = responder(
                method, path, dict(headers or {}), body
            )
            plan = _Plan(answer_status, list(answer_headers), answer_body)
        elif recorded is None:
            plan = _Plan(404, [("content-type", "application/json")])
            plan.body = json.dumps({"error": "no recording", "url": url}).encode()
        else:
            plan = _Plan(recorded.status, list(recorded.headers), body_source=recorded)
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


class _BadRequest(Exception):
    pass


class _Handler:
    """Serves HTTP/1.1 with keep-alive on asyncio streams."""

    def __init__(self, state: ReplayState, latency_s: float) -> None:
        self.state = state
        self.latency_s = latency_s

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass  # the server is stopping; ending quietly keeps asyncio from logging each task
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if exc.partial:
                await _send(writer, 400, [], b"incomplete request\n", keep_alive=False)
            return False
        try:
            method, target, version, headers = _parse_head(head)
            body = await _read_body(reader, headers)
        except _BadRequest as exc:
            await _send(writer, 400, [("content-type", "text/plain")], f"{exc}\n".encode(), False)
            return False
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" and (version == "HTTP/1.1" or connection == "keep-alive")
        path, _, query = target.partition("?")
        if path.startswith(CONTROL_PREFIX):
            status, payload = self._control(method, path[len(CONTROL_PREFIX) :], query, body)
            await _send(writer, status, [("content-type", "application/json")], payload, keep_alive)
            return keep_alive
        host, _, rest = path.lstrip("/").partition("/")
        if not host:
            await _send(writer, 400, [], b"expected /HOST/PATH\n", keep_alive)
            return keep_alive
        plan = self.state.plan(
            method, host.lower(), "/" + rest, query, headers.get("user-agent", ""), headers, body
        )
        delay = self.latency_s + plan.delay_s
        if delay:
            await asyncio.sleep(delay)
        if plan.reset:
            _reset(writer)
            return False
        payload = plan.body_source.read_body() if plan.body_source else plan.body
        if plan.truncate is not None:
            await _send(writer, plan.status, plan.headers, payload, False, send=plan.truncate)
            return False
        body = b"" if method == "HEAD" else payload
        await _send(writer, plan.status, plan.headers, body, keep_alive, length=len(payload))
        return keep_alive

    def _control(self, method: str, name: str, query: str, body: bytes) -> tuple[int, bytes]:
        try:
            result = self._control_result(method, name, query, body)
        except (ValueError, InputError) as exc:
            return 400, json.dumps({"error": str(exc)}).encode()
        if result is None:
            return 404, json.dumps({"error": f"no control endpoint {method} {name}"}).encode()
        return 200, json.dumps(result).encode()

    def _control_result(self, method: str, name: str, query: str, body: bytes) -> Any:
        state = self.state
        match method, name:
            case "GET", "stats":
                return state.stats()
            case "POST", "reset":
                state.reset()
                return {"reset": True}
            case "POST", "exchanges":
                return {"added": state.add(_json_body(body))}
            case "POST", "faults":
                return {"rules": state.inject(_json_body(body))}
            case "GET", "faults":
                return state.faults()
            case "DELETE", "faults":
                state.clear_faults()
                return {"rules": 0}
            case "GET", "dns":
                return state.recordings.dns(dict(parse_qsl(query)).get("host", ""))
        return None


def _padding(size: int) -> bytes:
    """An oversized body: JSON whitespace, so what is read of it parses as nothing at all."""
    return b" " * size


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the body is not JSON: {exc}") from exc


def _parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    try:
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ")
    except ValueError as exc:
        raise _BadRequest("malformed request line") from exc
    if not target.startswith("/") or not version.startswith("HTTP/1."):
        raise _BadRequest("expected origin-form target and HTTP/1.x")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadRequest("malformed header line")
            headers[name.strip().lower()] = value.strip()
    return method.upper(), target, version, headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "transfer-encoding" in headers:
        raise _BadRequest("chunked request bodies are not supported; send Content-Length")
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError as exc:
        raise _BadRequest("bad Content-Length") from exc
    if not 0 <= length <= _MAX_CONTROL_BODY:
        raise _BadRequest("request body too large")
    return await reader.readexactly(length) if length else b""


async def _send(
    writer: asyncio.StreamWriter,
    status: int,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    keep_alive: bool,
    *,
    length: int | None = None,
    send: int | None = None,
) -> None:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() not in _HOP_BY_HOP]
    lines.append(f"content-length: {len(body) if length is None else length}")
    lines.append("connection: keep-alive" if keep_alive else "connection: close")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    writer.write(body if send is None else body[:send])
    await writer.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), as a crashed or hostile server would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class ReplayServer:
    """The replay server on 127.0.0.1, run by a background thread.

    >>> with ReplayServer(Path("examples/replay"), latency_ms=50) as server:  # doctest: +SKIP
    ...     os.environ["ARCHIVER_REROUTE"] = server.url
    """

    def __init__(
        self, recordings: Path | None = None, *, port: int = 0, latency_ms: float = 0
    ) -> None:
        self.state = ReplayState(Recordings(recordings))
        self._port = port
        self._latency_s = latency_ms / 1000
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> ReplayServer:
        """Bind 127.0.0.1 and serve in a daemon thread; ``url`` is set when this returns."""
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(
                        _Handler(self.state, self._latency_s),
                        "127.0.0.1",
                        self._port,
                        limit=_MAX_HEAD_BYTES,
                        backlog=1024,
                    )
                )
            except OSError as exc:
                failure.append(exc)
                started.set()
                loop.close()
                return
            port = self._server.sockets[0].getsockname()[1]
            self.url = f"http://127.0.0.1:{port}"
            started.set()
            try:
                loop.run_until_complete(self._server.serve_forever())
            except asyncio.CancelledError:
                pass
            finally:
                loop.run_until_complete(_cancel_pending(loop))
                loop.close()

        self._thread = threading.Thread(target=run, name="archiver-replay", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise InputError(f"cannot listen on 127.0.0.1:{self._port}: {failure[0]}")
        log.info("replay server listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        loop, server, thread = self._loop, self._server, self._thread
        if not (loop and server and thread and thread.is_alive()):
            return

        def shut_down() -> None:
            # Runs in the loop's own thread: all_tasks() is not safe to call from another.
            server.close()
            for task in asyncio.all_tasks(loop):
                task.cancel()

        with contextlib.suppress(RuntimeError):  # the loop closed on its own meanwhile
            loop.call_soon_threadsafe(shut_down)
        thread.join(timeout=10)

    def wait(self) -> None:
        """Block until the server stops (the CLI serves until interrupted)."""
        if self._thread:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)

    def add(self, *exchanges: dict[str, Any], dns: dict[str, list[str]] | None = None) -> None:
        """Add or replace recorded exchanges (and DNS answers) while serving."""
        self.state.add({"exchanges": list(exchanges), "dns": dns or {}})

    def inject(self, rule: dict[str, Any]) -> None:
        """Add a fault rule (see the module docstring)."""
        self.state.inject(rule)

    def respond(self, host: str, responder: Responder) -> None:
        """Answer every request for ``host`` with ``responder`` instead of the recordings."""
        self.state.responders[host.lower()] = responder

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self.state.clear_faults()

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules as given, each with ``fired``: how many requests it answered."""
        return self.state.faults()

    def stats(self) -> dict[str, Any]:
        """Requests seen: ``{"requests", "urls": {url: count}, "unmatched", "faults_fired",
        "recent": [{"method", "url", "user_agent"}, ...]}`` (the last 100)."""
        return self.state.stats()

    def reset(self) -> None:
        """Zero the counters."""
        self.state.reset()

    @staticmethod
    def in_subprocess(
        recordings: Path | None = None, *, port: int = 0, latency_ms: float = 0
    ) -> ReplayProcess:
        """The same server in a child process, so it does not share the caller's GIL."""
        return ReplayProcess(recordings, port=port, latency_ms=latency_ms)


async def _cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class ReplayProcess:
    """A ReplayServer in a child process (``python -c``), driven through the control API."""

    def __init__(self, recordings: Path | None, *, port: int, latency_ms: float) -> None:
        self._argv = [str(recordings or ""), str(port), str(latency_ms)]
        self._process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> ReplayProcess:
        code = "import sys; from archiver.replay import _serve_child; _serve_child(sys.argv[1:])"
        self._process = subprocess.Popen(
            [sys.executable, "-c", code, *self._argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().decode("utf-8", "replace").strip()
        kind, _, value = line.partition(" ")
        if kind != "url":
            self.__exit__()
            raise InputError(value or "the replay process did not start")
        self.url = value
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is None:
            return
        with contextlib.suppress(OSError):
            self._process.communicate(timeout=10)  # closing stdin tells the child to stop
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def add(self, *exchanges: dict[str, Any], dns: dict[str, list[str]] | None = None) -> None:
        """Add or replace recorded exchanges (and DNS answers) while serving."""
        self._call("POST", "exchanges", {"exchanges": list(exchanges), "dns": dns or {}})

    def inject(self, rule: dict[str, Any]) -> None:
        """Add a fault rule."""
        self._call("POST", "faults", rule)

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._call("DELETE", "faults")

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules as given, each with how often it fired."""
        return self._call("GET", "faults")

    def stats(self) -> dict[str, Any]:
        """Requests seen, as ReplayServer.stats."""
        return self._call("GET", "stats")

    def reset(self) -> None:
        """Zero the counters."""
        self._call("POST", "reset")

    def _call(self, method: str, name: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            f"{self.url}{CONTROL_PREFIX}{name}", data=data, method=method
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def _serve_child(argv: list[str]) -> None:
    """The child side of ReplayProcess: serve until stdin closes, the URL on the first line."""
    recordings, port, latency_ms = argv
    try:
        server = ReplayServer(
            Path(recordings) if recordings else None, port=int(port), latency_ms=float(latency_ms)
        ).start()
    except InputError as exc:
        sys.stdout.write(f"error {exc}\n")
        return
    sys.stdout.write(f"url {server.url}\n")
    sys.stdout.flush()
    sys.stdin.read()
    server.stop()
