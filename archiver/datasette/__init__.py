"""Exploring an archive in Datasette: packaged metadata, a small plugin, and a server.

>>> serve("archive.db", port=8001)  # doctest: +SKIP

The functions load on first use: Datasette imports the plugin module of this package while it
starts, so importing Datasette here, first, would be circular.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_metadata", "make_datasette", "metadata_path", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from archiver.datasette import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
