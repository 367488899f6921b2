"""The exception tree. Library code raises these; the CLI turns them into messages and exit codes.

ArchiverError
├── InputError                 an article or argument cannot be read (missing, unreadable, too large)
├── FetchError                 a remote answer could not be had or used
│   ├── BlockedRequest         the hop policy refused a URL (private address, host not allowed)
│   ├── TooManyRedirects
│   ├── ResponseTooLarge       the body passed the size cap; what was read is kept
│   ├── HTTPStatusError        a status the caller cannot use (after retries)
│   ├── TransportError         timeouts, resets, DNS failures (after retries)
│   └── PayloadError           a body that does not parse or lacks the fields relied on
├── StoreError                 the archive database refused or failed an operation
│   └── IntegrityProblem       db check found a difference
└── LockHeld                   another run holds the archive's lock
"""

from __future__ import annotations


class ArchiverError(Exception):
    """Base of every error archiver raises on purpose."""


class InputError(ArchiverError):
    """An input (file, folder, URL, feed, WARC) cannot be read."""


class FetchError(ArchiverError):
    """A remote request failed in a way the caller should record.

    ``url`` is the original (not rerouted) URL; ``exchange`` is the recorded
    exchange when one exists, so a failure still leaves its evidence behind.
    """

    def __init__(self, message: str, *, url: str | None = None, exchange: object = None) -> None:
        super().__init__(message)
        self.url = url
        self.exchange = exchange


class BlockedRequest(FetchError):
    """The hop policy refused a URL: private/loopback address, or a host the hop may not lead to."""


class TooManyRedirects(FetchError):
    """A redirect chain ran past its limit or looped."""


class ResponseTooLarge(FetchError):
    """A body passed the configured cap."""


class HTTPStatusError(FetchError):
    """The server answered with a status that could not be used, after retries."""

    def __init__(
        self, message: str, *, status: int, url: str | None = None, exchange: object = None
    ) -> None:
        super().__init__(message, url=url, exchange=exchange)
        self.status = status


class TransportError(FetchError):
    """The request did not complete: timeout, reset, refused connection, name resolution."""


class PayloadError(FetchError):
    """A body that does not parse, or parses without the fields the parser relies on."""


class StoreError(ArchiverError):
    """The archive database failed or refused an operation."""


class IntegrityProblem(StoreError):
    """``db check`` found rows, keys or blobs that do not agree."""


class LockHeld(ArchiverError):
    """Another archiver run holds the archive's write lock."""
