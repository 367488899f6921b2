"""One writer at a time: an advisory lock file beside the archive database."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from archiver.errors import InputError, LockHeld


def lock_path_for(db_path: Path) -> Path:
    """The lock file of an archive: ``archive.db`` -> ``archive.db.lock``."""
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def run_lock(
    db_path: Path,
    *,
    wait_seconds: float = 0.0,
    poll_seconds: float = 0.2,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[None]:
    """Hold the archive's write lock for the block, waiting up to ``wait_seconds`` for it.

    Raises LockHeld when another process still holds it after the wait. The lock is an
    flock on a separate file, so the kernel releases it when a holder dies (even by SIGKILL).
    """
    path = lock_path_for(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise InputError(f"cannot open the lock file {str(path)!r}: {exc}") from exc
    try:
        deadline = clock() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                    raise LockHeld(
                        f"another archiver run holds the lock on {db_path}"
                        + (f" (pid {holder})" if holder else "")
                    ) from None
                sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
