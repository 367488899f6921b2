"""A WARC file packaged as WACZ 1.1.1, the zip that pywb and ReplayWeb.page open as it is.

Layout (docs/export.md): ``archive/data.warc.gz``, ``indexes/index.cdx`` (CDXJ, sorted, built
by cdxj-indexer from the WARC itself), ``pages/pages.jsonl``, ``datapackage.json`` listing every
file with its sha256 and size, and ``datapackage-digest.json`` holding the hash of that list.
Every entry is stored uncompressed (the WARC is gzipped per record already, and readers seek into
it by offset) and dated by the export, so the same WARC packs into the same zip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from cdxj_indexer import CDXJIndexer

WACZ_VERSION = "1.1.1"
WARC_PATH = "archive/data.warc.gz"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
_CHUNK = 1 << 20


class PagesFile:
    """``pages.jsonl`` written a page at a time: the header line, then one line per page."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._file: IO[str] | None = None

    def __enter__(self) -> PagesFile:
        self._file = self.path.open("w", encoding="utf-8")
        self._file.write(json.dumps(PAGES_HEADER) + "\n")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._file is not None:
            self._file.close()

    def add(self, page: Mapping[str, Any]) -> None:
        """One page: at least ``url``, ``ts`` (ISO 8601) and ``title``."""
        assert self._file is not None, "PagesFile is used as a context manager"
        self._file.write(json.dumps(page, ensure_ascii=False, sort_keys=True) + "\n")
        self.count += 1


def package_wacz(
    warc: Path, pages: Path, out: Path, *, created: str, title: str, software: str
) -> None:
    """Write ``out``: the WACZ of ``warc`` with its index and the ``pages`` list."""
    with tempfile.TemporaryDirectory(dir=out.parent) as work:
        index = Path(work) / "index.cdx"
        CDXJIndexer(str(index), [str(warc)], sort=True, filename=Path(WARC_PATH).name).process_all()
        files = {WARC_PATH: warc, INDEX_PATH: index, PAGES_PATH: pages}
        datapackage = _json_bytes(
            {
                "profile": "data-package",
                "wacz_version": WACZ_VERSION,
                "title": title,
                "created": created,
                "software": software,
                "resources": [
                    {"name": Path(path).name, "path": path, **_hash_and_size(file)}
                    for path, file in files.items()
                ],
            }
        )
        digest = _json_bytes(
            {
                "path": "datapackage.json",
                "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest(),
            }
        )
        stamp = _zip_time(created)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as wacz:
            for path, file in files.items():
                with file.open("rb") as source, wacz.open(_entry(path, stamp), "w") as target:
                    while chunk := source.read(_CHUNK):
                        target.write(chunk)
            wacz.writestr(_entry("datapackage.json", stamp), datapackage)
            wacz.writestr(_entry("datapackage-digest.json", stamp), digest)


def _hash_and_size(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"hash": f"sha256:{digest.hexdigest()}", "bytes": size}


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def _entry(path: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=stamp)
    info.compress_type = zipfile.ZIP_STORED
    return info
