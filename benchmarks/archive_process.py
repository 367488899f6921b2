"""An archive run in a child process, with the client settings a soak or benchmark needs.

``python -m benchmarks.archive_process --db PATH --config JSON [--force] INPUT...`` archives as
``archiver archive`` does (under the archive's run lock) with ``ClientConfig(**JSON)``: a short
read timeout, no per-host pacing, the replay server's address. It prints the run's summary and
its own peak RSS as one JSON line and exits 0, or 1 when some item failed.

The peak RSS is the child's ``VmHWM`` (Linux), the high-water mark of its own address space since
exec. ``os.wait4``'s ``ru_maxrss`` is not: Linux carries the parent's peak over fork and exec, so
a child started from a pytest worker that had grown to 360 MiB reported 360 MiB for a 60 MiB run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO


@dataclass(frozen=True)
class ArchiveProcessResult:
    """How a child archive run ended, what it said, and what it cost."""

    returncode: int
    summary: dict[str, Any]  # {"run_id", "counts", "failures": {stage: n}, "peak_rss_kib"}
    seconds: float
    stderr: str

    @property
    def peak_rss_kib(self) -> int:
        """The child's own peak RSS; KeyError when it was killed before saying it."""
        return self.summary["peak_rss_kib"]


def archive_command(
    db: Path, inputs: list[Path], config: Mapping[str, Any], *, force: bool = False
) -> list[str]:
    """The argv of a child archive run."""
    return [
        sys.executable,
        "-m",
        "benchmarks.archive_process",
        "--db",
        str(db),
        "--config",
        json.dumps(dict(config)),
        *(["--force"] if force else []),
        *(str(path) for path in inputs),
    ]


def start_archive(
    db: Path,
    inputs: list[Path],
    config: Mapping[str, Any],
    *,
    force: bool = False,
    stdout: BinaryIO | int = subprocess.DEVNULL,
    stderr: BinaryIO | int = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """Start a child archive run (from the repository root, so ``benchmarks`` imports)."""
    return subprocess.Popen(
        archive_command(db, inputs, config, force=force),
        cwd=Path(__file__).resolve().parent.parent,
        stdout=stdout,
        stderr=stderr,
    )


def run_archive(
    db: Path, inputs: list[Path], config: Mapping[str, Any], *, force: bool = False
) -> ArchiveProcessResult:
    """Run a child archive to its end; its summary, duration and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = start_archive(db, inputs, config, force=force, stdout=out, stderr=err)
        child.wait()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        lines = out.read().decode("utf-8", "replace").splitlines()
        stderr = err.read().decode("utf-8", "replace")
    summary = json.loads(lines[-1]) if lines and child.returncode in (0, 1) else {}
    return ArchiveProcessResult(child.returncode, summary, seconds, stderr)


def own_peak_rss_kib() -> int:
    """This process's peak RSS since exec, in KiB (``VmHWM``; ``ru_maxrss`` where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


def main(argv: list[str]) -> int:
    from archiver.fetch import ClientConfig
    from archiver.jobs import archive as archive_job
    from archiver.jobs.lock import run_lock
    from archiver.store import open_archive

    parser = argparse.ArgumentParser(prog="python -m benchmarks.archive_process")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--config", default="{}", help="ClientConfig fields as a JSON object")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args(argv)
    config = ClientConfig(**json.loads(args.config))
    with run_lock(args.db, wait_seconds=600), open_archive(args.db) as archive:
        summary = archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=tuple(args.inputs), force=args.force),
            command_line=["archive", *args.inputs],
            config=config,
        )
    failures = Counter(failure.stage for failure in summary.failures)
    said = {
        "run_id": summary.run_id,
        "counts": summary.counts,
        "failures": dict(failures),
        "peak_rss_kib": own_peak_rss_kib(),
    }
    print(json.dumps(said))
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
