"""Article bytes -> text: BOM, declared, HTTP charset, UTF-8, Windows-1252, else UTF-8 replaced."""

from __future__ import annotations

import codecs
import functools
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
_ANY_BOM = tuple(bom for bom, _codec in _BOMS)  # one startswith for the common case: none
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
# Codecs that read ASCII as ASCII yet are no page encoding: escapes, UTF-7 (which browsers
# refuse, per the WHATWG Encoding Standard), and a codec that always fails.
_NEVER_DECLARED = frozenset({"unicode-escape", "raw-unicode-escape", "utf-7", "undefined"})
REPLACED = "utf-8 (replaced)"
REPLACED_REASON = "bytes that could not be decoded were replaced by U+FFFD; posts may be missed"
# Undeclared bytes that are not UTF-8 are most often a Windows editor's Windows-1252 (the WHATWG
# Encoding Standard's fallback for undeclared pages in Western locales); the name says it was a guess.
GUESSED_1252 = "windows-1252 (guessed)"


def decode(data: bytes, *, content_type: str | None = None) -> tuple[str, str]:
    """Decode article bytes; return the text and the name of the encoding used.

    Never raises. Undeclared bytes that are not UTF-8 are read as Windows-1252 when they can be
    (``"windows-1252 (guessed)"``); bytes that nothing reads cleanly, or that claim UTF-8 and are
    not, are read as UTF-8 with U+FFFD for each bad sequence (``"utf-8 (replaced)"``).

    >>> decode(b"caf\\xc3\\xa9")
    ('café', 'utf-8')
    """
    if data.startswith(_ANY_BOM):
        for bom, bom_codec in _BOMS:
            if data.startswith(bom):
                return data[len(bom) :].decode(bom_codec, errors="replace"), bom_codec
    declared_utf8 = False
    # Without a content type or markup nothing declares an encoding: most plain-text articles.
    markup = data.find(b"<", 0, PRESCAN_BYTES) != -1
    if content_type or markup:
        for label in (_declared_label(data) if markup else None, _header_label(content_type)):
            name = _python_codec(label)
            if name is None:
                continue
            if name == "utf-8":
                declared_utf8 = True
                break  # a declared UTF-8 is tried below, with the honest fallback
            try:
                return data.decode(name, errors="replace"), _display_name(name)
            except (UnicodeError, LookupError):
                continue  # a codec that rejects the "replace" handler
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not declared_utf8:
        try:
            return data.decode("cp1252"), GUESSED_1252
        except UnicodeDecodeError:
            pass  # a byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    return data.decode("utf-8", errors="replace"), REPLACED


def _declared_label(data: bytes) -> str | None:
    """The label an XML declaration or a <meta> gives in the prescan's bytes, or None."""
    match = _XML_DECLARATION.search(data, 0, PRESCAN_BYTES) or _META_CHARSET.search(
        data, 0, PRESCAN_BYTES
    )
    return match["label"].decode("ascii") if match else None


def _header_label(content_type: str | None) -> str | None:
    if not content_type or "charset" not in content_type.lower():
        return None  # most types name none: "text/plain", "text/html"
    match = _HEADER_CHARSET.search(content_type)
    return match["label"] if match else None


def _python_codec(label: str | None) -> str | None:
    """The Python codec for a declared label, or None when it cannot be the page's encoding."""
    if not label:
        return None
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    name = info.name
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32", "utf_16", "utf_32", "utf-8", "utf_8")):
        # A declaration read in an ASCII prescan cannot be UTF-16/32; a UTF-8 one is tried later.
        return "utf-8"
    if not getattr(info, "_is_text_encoding", True) or name in _NEVER_DECLARED:
        return None
    return name if _reads_ascii_as_ascii(name) else None


@functools.lru_cache(maxsize=64)
def _reads_ascii_as_ascii(codec: str) -> bool:
    """Whether the codec decodes ASCII as ASCII, as the declaration just read in ASCII requires
    (this rules out EBCDIC and the like)."""
    probe = b'<meta charset="x"> ascii'
    try:
        return probe.decode(codec) == probe.decode("ascii")
    except (UnicodeError, LookupError, ValueError, TypeError):
        return False


def _display_name(codec: str) -> str:
    """Python's codec name, or the web's for the Windows code pages (cp1251 -> windows-1251)."""
    return f"windows-{codec[2:]}" if codec.startswith("cp125") else codec
