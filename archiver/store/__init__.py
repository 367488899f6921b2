"""The archive database (archive.db): the only code in archiver that speaks SQL.

>>> with open_archive(resolve_db_path(None)) as archive:  # doctest: +SKIP
...     saved = archive.save_article(article, scan)
"""

from archiver.store.archive import Archive, open_archive
from archiver.store.connection import is_writable, needs_immutable, resolve_db_path
from archiver.store.datasette_rows import (
    blob_content_on,
    blob_head_on,
    is_archive_on,
    post_detail_on,
)
from archiver.store.export_rows import ExportRows, archive_identity
from archiver.store.media import StreamedBody
from archiver.store.records import EmbedRow, SavedArticle

__all__ = [
    "Archive",
    "EmbedRow",
    "ExportRows",
    "SavedArticle",
    "StreamedBody",
    "archive_identity",
    "blob_content_on",
    "blob_head_on",
    "is_archive_on",
    "is_writable",
    "needs_immutable",
    "open_archive",
    "post_detail_on",
    "resolve_db_path",
]
