from typing import Any

from archiver.models import Embed

def embed_lines_utf8(
    embeds: tuple[Embed, ...], shape: tuple[tuple[str, bool], ...], /
) -> bytes: ...
def row_lines_utf8(rows: list[dict[str, Any]], keys: tuple[str, ...], /) -> bytes: ...
