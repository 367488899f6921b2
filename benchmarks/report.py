"""One markdown report for every benchmark: figure, baseline, ratio, target."""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

# Generated data and the last report; ARCHIVER_BENCH_CACHE moves it (the tests' smoke runs do).
CACHE = Path(os.environ.get("ARCHIVER_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")


@dataclass
class Row:
    section: str
    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline_value: float | None = None
    target: str | None = None
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_value in (None, 0):
            return None
        return self.value / self.baseline_value


@dataclass
class Report:
    """The rows of one benchmark run. ``quick``: sections shrink their sizes for a smoke run."""

    rows: list[Row] = field(default_factory=list)
    quick: bool = False

    def add(
        self,
        section: str,
        name: str,
        value: float,
        unit: str,
        *,
        baseline: tuple[str, float] | None = None,
        target: str | None = None,
        met: bool | None = None,
    ) -> Row:
        row = Row(section, name, value, unit, *(baseline or (None, None)), target, met)
        self.rows.append(row)
        print(f"  {section}: {name} = {value:,.4g} {unit}", flush=True)
        return row

    def markdown(self) -> str:
        quick = (
            " A --quick run: sizes shrunk, figures only show that it runs." if self.quick else ""
        )
        lines = [
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}.{quick}",
            "",
            "| section | benchmark | figure | baseline (same run) | ratio | target | met |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            baseline = f"{r.baseline_name}: {_fmt(r.baseline_value)}" if r.baseline_name else ""
            ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
            met = {True: "yes", False: "**no**", None: ""}[r.met]
            lines.append(
                f"| {r.section} | {r.name} | {_fmt(r.value)} {r.unit} | {baseline} | {ratio} "
                f"| {r.target or ''} | {met} |"
            )
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"
