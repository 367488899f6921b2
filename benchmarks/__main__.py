"""Run every benchmark section and print one markdown report (`make bench`).

`python -m benchmarks [--quick] [SECTION ...]` runs only the named sections; `--quick` shrinks
every size for a smoke run (the report's shape, not its figures).
"""

from __future__ import annotations

import importlib
import sys

from benchmarks.report import CACHE, Report

# Module names under benchmarks/, each with run(report).
SECTIONS: list[str] = [
    "scan",
    "store",
    "twitter_parse",
    "fetch",
    "recheck",
    "datasette",
    "cron",
    "export",
    "atproto",
    "evidence",
    "crawl",
    "stream",
]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [arg for arg in argv if arg != "--quick"] or SECTIONS
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        print(f"unknown sections {unknown}; known: {SECTIONS}", file=sys.stderr)
        return 2
    CACHE.mkdir(exist_ok=True)
    report = Report(quick=quick)
    for name in wanted:
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").run(report)
    markdown = report.markdown()
    (CACHE / ("report-quick.md" if quick else "report.md")).write_text(
        markdown + "\n", encoding="utf-8"
    )
    print()
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
