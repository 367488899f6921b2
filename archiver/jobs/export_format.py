"""The formats `archiver export` writes: a module of its own, so the command line can name it in
its options without loading the exporter and what it needs (archiver/cli/export.py)."""

from __future__ import annotations

import enum


class ExportFormat(enum.StrEnum):
    WACZ = "wacz"
    WARC = "warc"
