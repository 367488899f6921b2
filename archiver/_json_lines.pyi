from typing import Any

from archiver.models import Embed

def embed_lines_utf8(
    embeds: tuple[Embed, ...], shape: tuple[tuple[str, bool], ...], /
) -> bytes: ...
def record_lines_utf8(
    record: dict[str, Any],
    embeds: tuple[Embed, ...],
    shape: tuple[tuple[str, bool], ...],
    /,
) -> bytes: ...
