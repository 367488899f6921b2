"""Reading what a platform answered: JSON decoding that never raises, and typed field access.

A parser turns an exchange into a witness and must never fail on what a server sent: the
exchange is evidence and gets stored whatever it holds. ``decode_json`` says why a body does
not decode; ``Fields`` reads a JSON object with types checked, raising ``Malformed`` for a
field relied on and noting, then skipping, an optional field that is not what it should be.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from archiver.models import Exchange

T = TypeVar("T")

MAX_STRING = 100_000  # characters; far above any post text, far below a hostile blob
# The shapes every parser accepts for a post's date (RFC 3339, with an offset or Z) and its
# language (a BCP 47 tag); a field of another shape is noted and skipped.
DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)")
LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_TYPE_NAMES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}


class Malformed(Exception):
    """A payload lacks a field the parser relies on, or has it in the wrong type."""


def body_problem(exchange: Exchange) -> str | None:
    """Why a 2xx body cannot be trusted whole (cut at the cap, or the request failed), or None."""
    if exchange.truncated:
        return f"body truncated at {len(exchange.body)} bytes"
    if exchange.error:
        return f"request failed: {exchange.error}"
    return None


def decode_json(body: bytes) -> tuple[Any, str | None]:
    """The decoded JSON value and None, or None and the reason it does not decode."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"body is not UTF-8 ({exc.reason} at byte {exc.start})"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"body is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    except RecursionError:
        return None, "body is not usable JSON (nested too deeply)"


def describe(value: object) -> str:
    """The JSON type name of a value, for messages."""
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


@dataclass
class Fields:
    """Typed reads from one JSON object; ``where`` names it in messages (``user``, ``parent``)."""

    data: dict[str, Any]
    where: str
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, value: object, where: str, notes: list[str] | None = None) -> Fields:
        """Wrap ``value``, which must be a JSON object."""
        if not isinstance(value, dict):
            raise Malformed(f"{where or 'the answer'} is {describe(value)}, not an object")
        return cls(value, where, notes if notes is not None else [])

    def required(self, key: str, kind: type[T]) -> T:
        """The value at ``key``; Malformed when it is missing or not of ``kind``."""
        if key not in self.data:
            raise Malformed(f"{self.path(key)} is missing")
        problem = _type_problem(self.data[key], kind)
        if problem:
            raise Malformed(f"{self.path(key)} {problem}")
        return cast(T, self.data[key])  # _type_problem checked it is a `kind`

    def optional(self, key: str, kind: type[T]) -> T | None:
        """The value at ``key``, or None when missing or null; a wrong type is noted and skipped."""
        value = self.data.get(key)
        if value is None:
            return None
        problem = _type_problem(value, kind)
        if problem:
            self.notes.append(f"{self.path(key)} {problem}")
            return None
        return cast(T, value)  # _type_problem checked it is a `kind`

    def required_child(self, key: str) -> Fields:
        """The object at ``key``, sharing these notes; Malformed when missing or not an object."""
        return Fields(self.required(key, dict), self.path(key), self.notes)

    def matching(self, key: str, pattern: re.Pattern[str]) -> str | None:
        """The string at ``key`` when ``pattern`` matches all of it; otherwise noted and None."""
        value = self.optional(key, str)
        if value is not None and not pattern.fullmatch(value):
            self.notes.append(f"{self.path(key)} is not in the expected form")
            return None
        return value

    def child(self, key: str) -> Fields | None:
        """The object at ``key``, sharing these notes; None when absent or not an object."""
        value = self.optional(key, dict)
        return None if value is None else Fields(value, self.path(key), self.notes)

    def note(self, message: str) -> None:
        """Record something skipped, for the witness's reason."""
        self.notes.append(message)

    def path(self, key: str) -> str:
        """The dotted name of ``key`` in this object, for messages."""
        return f"{self.where}.{key}" if self.where else key


def _type_problem(value: object, kind: type) -> str | None:
    # bool is a subclass of int in Python, but never a count in JSON.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        return f"is {describe(value)}, not {_TYPE_NAMES.get(kind, kind.__name__)}"
    if isinstance(value, str) and len(value) > MAX_STRING:
        return f"is {len(value)} characters long (more than {MAX_STRING})"
    return None
