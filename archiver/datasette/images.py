"""Which stored bytes may be shown as an image: the bytes decide, by their signature.

A server can send HTML or an SVG (which can hold script) as ``image/png``; the content type stored
beside a blob is what the server claimed, so it is not trusted. Only the raster formats below are
ever served, always with the type their bytes prove.
"""

from __future__ import annotations

DEFAULT_MAX_IMAGE_BYTES = 5_000_000
SIGNATURE_BYTES = 12  # enough for the longest check below (WebP: RIFF, size, WEBP)


def image_type(head: bytes) -> str | None:
    """The content type of an image starting with ``head``, or None if it is not one we serve."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
