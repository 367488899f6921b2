"""Article bytes -> text: BOM, declared, HTTP charset, UTF-8, else UTF-8 with replacements."""

from __future__ import annotations

import codecs
import re

# Where a charset declaration may sit: the HTML spec's prescan reads the first 1024 bytes;
# pages with long <head> comments push it further, so read a little more.
PRESCAN_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*(?P<label>[A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml\b[^>]{0,200}?encoding\s*=\s*["'](?P<label>[A-Za-z0-9._:-]{1,40})["']""",
    re.IGNORECASE,
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*(?P<label>[A-Za-z0-9._:-]{1,40})""", re.I)

# Labels that browsers read as windows-1252 (WHATWG Encoding Standard), whatever they say.
_WINDOWS_1252_ALIASES = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})
REPLACED = "utf-8 (replaced)"


def decode(data: bytes, *, content_type: str | None = None) -> tuple[str, str]:
    """Decode article bytes; return the text and the name of the encoding used.

    Never raises: bytes that no declared or guessed encoding reads cleanly are read as
    UTF-8 with U+FFFD for each bad sequence, and the encoding is reported as
    ``"utf-8 (replaced)"``.

    >>> decode(b"caf\\xc3\\xa9")
    ('café', 'utf-8')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    for label in (_declared_label(data[:PRESCAN_BYTES]), _header_label(content_type)):
        name = _python_codec(label)
        if name is None:
            continue
        if name == "utf-8":
            break  # a declared UTF-8 is tried below, with the honest fallback
        return data.decode(name, errors="replace"), _display_name(name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), REPLACED


def _declared_label(head: bytes) -> str | None:
    if b"<" not in head:
        return None
    match = _XML_DECLARATION.search(head) or _META_CHARSET.search(head)
    return match["label"].decode("ascii") if match else None


def _header_label(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match["label"] if match else None


def _python_codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        # A declaration that could be read in an ASCII-compatible prescan cannot be UTF-16/32.
        return "utf-8"
    return "utf-8" if name in ("utf-8", "utf_8") else name


def _display_name(codec: str) -> str:
    return "windows-1252" if codec == "cp1252" else codec
