"""The command line: a thin layer that parses options, calls the library and prints.

Each command lives in a module of its own that registers it on ``root.app``. The console script
imports only the module of the command it runs; ``archiver.cli.app`` is the whole application,
every command registered (docs/benchmarks.md: the other modules, imported and built, were a
seventh of `archiver scan`'s start).
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# The module (in archiver/cli/) that registers each command; tests/test_cli_startup.py holds
# this to the commands the modules register.
COMMAND_MODULES = {
    "archive": "archive",
    "db": "db",
    "export": "export",
    "lookup": "lookup",
    "recheck": "recheck",
    "replay": "replay",
    "scan": "scan",
    "serve": "serve",
    "show": "lookup",
    "verify": "verify",
}


def application(command: str | None = None) -> typer.Typer:
    """The typer application with ``command`` registered, or every command when ``command`` is
    None or names none (`--help`, `--version`, a mistyped name)."""
    if command in COMMAND_MODULES:
        modules = [COMMAND_MODULES[command]]
    else:
        modules = sorted(set(COMMAND_MODULES.values()))  # the order `--help` has always listed
    for module in modules:
        importlib.import_module(f"archiver.cli.{module}")
    from archiver.cli.root import app

    return app


def main() -> None:
    """Entry point of the `archiver` console script."""
    app = application(sys.argv[1] if len(sys.argv) > 1 else None)
    # What the imports made lives as long as the process: no collection need walk it again
    # (3-4% of scanning a large article went to the collector walking it; docs/benchmarks.md).
    gc.freeze()
    app()


def __getattr__(name: str) -> typer.Typer:
    """``archiver.cli.app``: the application with every command, for tests and other callers."""
    if name == "app":
        return application()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COMMAND_MODULES", "app", "application", "main"]
