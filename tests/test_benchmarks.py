"""`python -m benchmarks --quick SECTION`: every section runs and reports in the one table's shape.

Smoke runs with shrunk sizes: the figures are not looked at, only that each row has its figure,
a baseline measured in the same run and their ratio.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
HEADER = "| section | benchmark | figure | baseline (same run) | ratio | target | met |"


def quick_report(section, cache):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", section],
        cwd=ROOT,
        env={**os.environ, "ARCHIVER_BENCH_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout[done.stdout.index(HEADER) :].splitlines()
    assert (cache / "report-quick.md").read_text(encoding="utf-8").endswith("\n".join(table) + "\n")
    return done.stdout, table


@pytest.mark.parametrize("section", SECTIONS)
def test_every_row_has_a_figure_and_a_baseline_from_the_same_run(section, tmp_path):
    stdout, table = quick_report(section, tmp_path)
    assert "A --quick run" in stdout
    assert table[:2] == [HEADER, "|---|---|---|---|---|---|---|"]
    rows = [line.split(" | ") for line in table[2:]]
    assert rows
    for cells in rows:
        assert len(cells) == 7, cells
        name, figure, baseline, ratio, target, met = cells[1:]
        assert cells[0] == f"| {section}"
        assert name and figure.split()[0][0].isdigit(), cells
        label, _, value = baseline.rpartition(": ")
        assert label and value[0].isdigit(), cells
        assert ratio.endswith("×"), cells
        assert met.removesuffix(" |") in ("", "yes", "**no**"), cells
        assert bool(target) == (met.removesuffix(" |") != ""), cells


def test_an_unknown_section_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "nonsense"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVER_BENCH_CACHE": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown sections ['nonsense']" in done.stderr
