"""The command line: a thin layer that parses options, calls the library and prints."""

from __future__ import annotations

import gc

from archiver.cli import (  # noqa: F401  (each registers its commands)
    archive,
    db,
    export,
    lookup,
    recheck,
    replay,
    scan,
    serve,
    verify,
)
from archiver.cli.app import app


def main() -> None:
    """Entry point of the `archiver` console script."""
    # What the imports made lives as long as the process: no collection need walk it again
    # (3-4% of scanning a large article went to the collector walking it; docs/benchmarks.md).
    gc.freeze()
    app()


__all__ = ["app", "main"]
