"""Exploring an archive in Datasette: packaged metadata, a small plugin, and a server.

>>> serve("archive.db", port=8001)  # doctest: +SKIP
"""

from archiver.datasette.app import load_metadata, make_datasette, metadata_path, serve

__all__ = ["load_metadata", "make_datasette", "metadata_path", "serve"]
