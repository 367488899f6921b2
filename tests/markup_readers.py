"""What the tests of the compiled blockquote readers (_snippet.c, _linked.c) share."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from archiver.scan.markup import _elements


def same_reading(
    source: str,
    compiled: Callable[[str], Any],
    reference: Callable[[str], Any],
    record: Callable[[str, Any], object],
    bound: Callable[[str], Any],
) -> bool:
    """Whether the compiled reader took the markup; when it did, its reading is lxml's (the
    reference's), and so is the record made of it. Either way the reader markup.py binds
    (``bound``) reads it as the reference does: the compiled reading, else lxml's."""
    reading = compiled(source)
    assert outcome(bound, source) == outcome(reference, source)
    if reading is None:
        return False
    expected = reference(source)
    assert expected is not None
    assert reading == expected
    assert record(source, reading) == record(source, expected)
    return True


def outcome(reader: Callable[[str], Any], source: str) -> object:
    """What the reader gives of the markup, or the type and message of what it raises (lxml
    refuses some markup the reference hands it)."""
    try:
        return reader(source)
    except ValueError as error:
        return type(error), str(error)


def blockquotes_of(text: str, classes: Collection[str]) -> list[str]:
    """The markup of each blockquote of one of ``classes`` in the text, as markup.py cuts it."""
    starts = [m.start() for m in re.finditer(r"<blockquote\b", text, re.IGNORECASE)]
    return [
        text[e.start : e.end]
        for e in _elements(text, starts)
        if set(classes) & set(e.attributes.get("class", "").split())
    ]
