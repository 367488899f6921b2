"""The largest patterns of the scanner's Python rules are compiled only when a rule reads them:
never by a scan whose compiled twins answer, and then they read as ``re.compile`` would."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.scan.dates import DATE_PATTERN
from archiver.scan.lazy_pattern import LazyPattern

ROOT = Path(__file__).resolve().parent.parent
SCAN_AND_ASK = """
import sys
from archiver.cli import main
from archiver.scan import dates, text
sys.argv = ["archiver", "scan", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(dates.DATE._compiled is None, text._ATTRIBUTION_TAIL._compiled is None, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "article", ["examples/zelensky-stays-in-kyiv.txt", "examples/kyiv-desk-bluesky.html"]
)
def test_a_scan_through_the_compiled_twins_compiles_neither(article):
    done = subprocess.run(
        [sys.executable, "-c", SCAN_AND_ASK, article],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert '"handle"' in done.stdout  # it scanned, and found posts
    assert done.stderr.split() == ["True", "True"]


DATES = ["February 25, 2022", "25 février 2022", "2019年7月20日", "x 17. August 2018 y", "May 1"]


@given(
    st.lists(st.sampled_from([*DATES, " ", "\n", "at 11:00 PM", "é", "2022"])).map("".join),
    st.integers(-3, 60),
    st.integers(-3, 60),
)
def test_it_reads_as_the_compiled_pattern_does(text, pos, endpos):
    lazy, eager = LazyPattern(DATE_PATTERN, re.VERBOSE), re.compile(DATE_PATTERN, re.VERBOSE)

    def spans(found):
        return None if found is None else (found.span(), found.groupdict())

    assert spans(lazy.match(text, pos, endpos)) == spans(eager.match(text, pos, endpos))
    assert spans(lazy.search(text, pos, endpos)) == spans(eager.search(text, pos, endpos))
    assert [spans(m) for m in lazy.finditer(text, pos, endpos)] == [
        spans(m) for m in eager.finditer(text, pos, endpos)
    ]
    assert spans(lazy.match(text)) == spans(eager.match(text))
    assert [spans(m) for m in lazy.finditer(text)] == [spans(m) for m in eager.finditer(text)]
    assert lazy.compiled is lazy.compiled
