"""HTTP/1.1 for the replay server, on asyncio streams: requests in the reroute layout and
control requests, each answered as the state plans (``_state.py``).

A request for ``https://HOST/PATH?QUERY`` arrives as ``GET /HOST/PATH?QUERY``; a path under
``/__replay__/`` is a control request (``_control.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import socket
import struct
from collections.abc import Iterable
from typing import Any

from archiver.errors import InputError
from archiver.replay._control import CONTROL_PREFIX, control
from archiver.replay._state import ReplayState

MAX_HEAD_BYTES = 64 * 1024
_MAX_CONTROL_BODY = 64 * 1024 * 1024
_DELAY_SLICE = 0.05  # how soon a held delay notices that the rules were cleared
_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


class _BadRequest(Exception):
    pass


class Handler:
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
        clears = self.state.clears
        plan = self.state.plan(
            method, host.lower(), "/" + rest, query, headers.get("user-agent", ""), headers, body
        )
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        if plan.delay_s:
            await self._injected_delay(plan.delay_s, since_clears=clears)
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

    async def _injected_delay(self, seconds: float, *, since_clears: int) -> None:
        """Wait out a fault rule's delay, or until the rules are cleared (``DELETE faults``)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self.state.clears == since_clears and (left := deadline - loop.time()) > 0:
            await asyncio.sleep(min(left, _DELAY_SLICE))

    def _control(self, method: str, name: str, query: str, body: bytes) -> tuple[int, bytes]:
        try:
            result = control(self.state, method, name, _json_body(body) if body else None, query)
        except (ValueError, InputError) as exc:
            return 400, json.dumps({"error": str(exc)}).encode()
        if result is None:
            return 404, json.dumps({"error": f"no control endpoint {method} {name}"}).encode()
        return 200, json.dumps(result).encode()


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
