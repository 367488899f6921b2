"""The little of DER that time-stamp tokens need: read elements, write a few kinds."""

from __future__ import annotations

SEQUENCE, SET, OCTET_STRING, INTEGER, OBJECT_ID, CONTEXT_0 = 0x30, 0x31, 0x04, 0x02, 0x06, 0xA0


def tlv(tag: int, value: bytes) -> bytes:
    """One element: its tag, its length (short or long form), its value."""
    size = len(value)
    if size < 0x80:
        return bytes([tag, size]) + value
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + value


def sequence(*items: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(items))


def set_of(*items: bytes) -> bytes:
    """A SET OF, its elements sorted by their encodings as DER requires."""
    return tlv(SET, b"".join(sorted(items)))


def integer(value: int) -> bytes:
    return tlv(INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def octets(value: bytes) -> bytes:
    return tlv(OCTET_STRING, value)


def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER from its dotted form."""
    first, second, *rest = (int(part) for part in dotted.split("."))
    body = bytearray([first * 40 + second])
    for arc in rest:
        chunk = [arc & 0x7F]
        while arc := arc >> 7:
            chunk.append(0x80 | (arc & 0x7F))
        body += bytes(reversed(chunk))
    return tlv(OBJECT_ID, bytes(body))


def read(data: bytes, at: int = 0) -> tuple[int, bytes, int]:
    """``(tag, value, offset after it)`` of the element at ``at``; ValueError if malformed."""
    if at + 2 > len(data):
        raise ValueError("a DER element is cut short")
    tag, size = data[at], data[at + 1]
    at += 2
    if size & 0x80:
        count = size & 0x7F
        if not 0 < count <= 4 or at + count > len(data):
            raise ValueError("a DER length is malformed")
        size = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + size > len(data):
        raise ValueError("a DER element runs past the end")
    return tag, data[at : at + size], at + size


def elements(data: bytes) -> list[tuple[int, bytes]]:
    """The ``(tag, value)`` of each element inside a constructed value."""
    found, at = [], 0
    while at < len(data):
        tag, value, at = read(data, at)
        found.append((tag, value))
    return found
