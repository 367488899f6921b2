"""The remote internet, for tests: recorded answers looked up by URL, every request kept.

It is the only thing the tests fake. It stands where ``archiver.fetch.client.HttpClient``
stands and answers like the replay server: matched by method, host, path and query (in any
order), 404 for anything not recorded. ``from_recordings`` reads the replay format of
examples/replay/.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from archiver.errors import FetchError, ResponseTooLarge
from archiver.models import Exchange

FETCHED_AT = "2026-03-01T12:00:00.000Z"


def request_key(url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    parts = urlsplit(url)
    query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (parts.hostname or "").lower(), parts.path, query


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Request:
    url: str
    headers: dict[str, str] | None
    max_bytes: int | None


class FakeInternet:
    def __init__(self) -> None:
        self.answers: dict[tuple, Answer | FetchError] = {}
        self.requests: list[Request] = []

    def add(self, url: str, body: bytes | str | object = b"", *, status: int = 200,
            headers: list[tuple[str, str]] | None = None) -> None:  # fmt: skip
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes):
            body = json.dumps(body).encode()
        headers = headers if headers is not None else [("content-type", "application/json")]
        self.answers[request_key(url)] = Answer(status, body, headers)

    def fail(self, url: str, error: FetchError) -> None:
        self.answers[request_key(url)] = error

    @classmethod
    def from_recordings(cls, directory: Path) -> FakeInternet:
        internet = cls()
        for path in sorted(directory.glob("*.json")):
            for exchange in json.loads(path.read_text(encoding="utf-8"))["exchanges"]:
                response = exchange["response"]
                if "body_file" in response:
                    body = (directory / response["body_file"]).read_bytes()
                elif "body_base64" in response:
                    body = base64.b64decode(response["body_base64"])
                else:
                    body = response.get("body", "").encode("utf-8")
                headers = [tuple(pair) for pair in response.get("headers", [])]
                internet.add(exchange["request"]["url"], body, status=response["status"],
                             headers=headers)  # fmt: skip
        return internet

    @property
    def urls(self) -> list[str]:
        return [r.url for r in self.requests]

    async def get(self, url: str, *, headers: dict[str, str] | None = None, redirects=None,
                  max_bytes: int | None = None) -> Exchange:  # fmt: skip
        self.requests.append(Request(url, headers, max_bytes))
        answer = self.answers.get(
            request_key(url), Answer(404, b"", [("content-type", "text/plain")])
        )
        if isinstance(answer, FetchError):
            raise answer
        exchange = Exchange(
            url=url,
            final_url=url,
            status=answer.status,
            headers=list(answer.headers),
            body=answer.body,
            fetched_at=FETCHED_AT,
        )
        if max_bytes is not None and len(answer.body) > max_bytes:
            exchange.body, exchange.truncated = answer.body[:max_bytes], True
            raise ResponseTooLarge(f"body passed {max_bytes} bytes", url=url, exchange=exchange)
        return exchange
