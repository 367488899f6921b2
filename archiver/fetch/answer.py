"""What one hop receives: the answer so far, its body read under a cap or streamed into a sink,
and how it becomes (part of) the exchange a caller gets."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

import httpx

from archiver.errors import HTTPStatusError, PayloadError
from archiver.models import Exchange

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class Answer:
    """What one hop's last attempt received so far; kept as evidence when it fails."""

    __slots__ = ("body", "headers", "status", "truncated")

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: list[tuple[str, str]] = []
        self.body = bytearray()
        self.truncated = False

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


class Sink:
    """Media bytes on their way to the caller's file: hashed and counted as they pass."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.hash = hashlib.sha256()
        self.size = 0

    def restart(self) -> None:
        self.file.seek(0)
        self.file.truncate()
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.hash.update(chunk)
        self.size += len(chunk)


class TooLarge(Exception):
    pass


async def read_into(
    response: httpx.Response, answer: Answer, cap: int, *, raise_over: bool
) -> None:
    async for chunk in response.aiter_bytes():
        room = cap - len(answer.body)
        if len(chunk) > room:
            answer.body += chunk[:room]
            answer.truncated = True
            if raise_over:
                raise TooLarge(f"the body passed the cap of {cap:,} bytes")
            return
        answer.body += chunk


async def stream_into(response: httpx.Response, sink: Sink, cap: int, answer: Answer) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        answer.truncated = True
        raise TooLarge(f"the declared size {int(declared):,} passes the cap of {cap:,} bytes")
    sink.restart()
    async for chunk in response.aiter_bytes():
        if sink.size + len(chunk) > cap:
            sink.write(chunk[: cap - sink.size])
            answer.truncated = True
            raise TooLarge(f"the body passed the cap of {cap:,} bytes")
        sink.write(chunk)


def check_download(exchange: Exchange, content_types: tuple[str, ...] | None) -> None:
    status = exchange.status or 0
    if not 200 <= status < 300:
        raise HTTPStatusError(f"the media answered {status}", status=status)
    if content_types is not None and not _type_accepted(exchange.content_type, content_types):
        raise PayloadError(
            f"content type {exchange.content_type or 'none'!r} is not one of {content_types}"
        )


def accepts(answer: Answer, content_types: tuple[str, ...] | None) -> bool:
    content_type = (answer.header("content-type") or "").split(";")[0].strip().lower()
    return content_types is None or _type_accepted(content_type, content_types)


def _type_accepted(content_type: str | None, content_types: tuple[str, ...]) -> bool:
    content_type = content_type or ""
    return any(
        content_type == wanted or (wanted.endswith("/") and content_type.startswith(wanted))
        for wanted in content_types
    )


def record(exchange: Exchange, answer: Answer | Exchange) -> None:
    exchange.status = answer.status
    exchange.headers = list(answer.headers)
    exchange.body = bytes(answer.body)
    exchange.truncated = answer.truncated


def partial(answer: Answer, attempts: int) -> Exchange:
    """The evidence of a failed hop, merged into the request's exchange by _fetch."""
    partial = Exchange(url="", final_url="", status=answer.status, attempts=attempts)
    record(partial, answer)
    partial.truncated = answer.truncated or answer.status is not None
    return partial


def is_html(answer: Answer) -> bool:
    content_type = (answer.header("content-type") or "").split(";")[0].strip().lower()
    return content_type in _HTML_TYPES or not content_type
