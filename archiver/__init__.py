"""archiver: keep the social posts that articles embed checkable after the posts are gone.

The library a program uses; the command line is a thin layer over the same calls::

    import archiver

    found = archiver.scan_bytes(open("article.html", "rb").read())
    with archiver.open_archive("archive.db") as archive:
        summary = archiver.archive(archive, archiver.ArchiveRequest(inputs=("article.html",)),
                                   command_line=["archive", "article.html"])
        report = archiver.verify_article(archive, "article.html")
        archiver.export(archive, out=Path("evidence.wacz"))

Names are loaded when first used, so ``import archiver`` stays cheap and a read-only program
(verify, lookup) never loads the HTTP client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "scan_bytes": "archiver.scan",
    "scan_text": "archiver.scan",
    "ScanResult": "archiver.models",
    "Embed": "archiver.models",
    "open_archive": "archiver.store",
    "resolve_db_path": "archiver.store",
    "Archive": "archiver.store",
    "archive": "archiver.jobs.archive",
    "ArchiveRequest": "archiver.jobs.archive",
    "RunSummary": "archiver.jobs.record",
    "verify_article": "archiver.jobs.verify",
    "recheck": "archiver.jobs.recheck",
    "lookup": "archiver.jobs.lookup",
    "ArticleVerification": "archiver.jobs.verify",
    "EmbedVerification": "archiver.jobs.verify",
    "export": "archiver.jobs.export",
    "ExportFormat": "archiver.jobs.export",
    "ExportSummary": "archiver.jobs.export",
    "ArchiverError": "archiver.errors",
    "InputError": "archiver.errors",
}

__all__ = [
    "Archive",
    "ArchiveRequest",
    "ArchiverError",
    "ArticleVerification",
    "Embed",
    "EmbedVerification",
    "ExportFormat",
    "ExportSummary",
    "InputError",
    "RunSummary",
    "ScanResult",
    "__version__",
    "archive",
    "export",
    "lookup",
    "open_archive",
    "recheck",
    "resolve_db_path",
    "scan_bytes",
    "scan_text",
    "verify_article",
]

if TYPE_CHECKING:
    from archiver.errors import ArchiverError, InputError
    from archiver.jobs.archive import ArchiveRequest, archive
    from archiver.jobs.export import ExportFormat, ExportSummary, export
    from archiver.jobs.lookup import lookup
    from archiver.jobs.recheck import recheck
    from archiver.jobs.record import RunSummary
    from archiver.jobs.verify import ArticleVerification, EmbedVerification, verify_article
    from archiver.models import Embed, ScanResult
    from archiver.scan import scan_bytes, scan_text
    from archiver.store import Archive, open_archive, resolve_db_path


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'archiver' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
