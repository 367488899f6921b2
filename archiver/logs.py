"""The library's loggers: one per module, each a child of the "archiver" logger.

The library logs; whoever runs it decides where logs go. Without a handler of its own, Python
prints warnings bare on stderr, and the command line, which reports every failure itself with
`archiver:` before it, printed each one twice: so "archiver" has a NullHandler. It is added here,
by the first module that logs, not by ``import archiver``: scanning an article logs nothing, and
importing ``logging`` was a twentieth of the command's start (docs/benchmarks.md).
"""

from __future__ import annotations

import logging

logging.getLogger("archiver").addHandler(logging.NullHandler())


def logger(name: str) -> logging.Logger:
    """The logger of the module ``name`` (its ``__name__``, under "archiver")."""
    return logging.getLogger(name)
