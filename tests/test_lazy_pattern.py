"""The patterns of the scanner's Python rules are compiled only when a rule reads them: never by
a scan whose compiled twins answer, and then they read as ``re.compile`` would."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.lazy_pattern import LazyPattern
from archiver.scan.dates import DATE_PATTERN

ROOT = Path(__file__).resolve().parent.parent
SCAN_AND_ASK = """
import sys
from archiver.cli import main
from archiver.lazy_pattern import LazyPattern
sys.argv = ["archiver", "scan", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
lazy = {}
for name, module in list(sys.modules.items()):
    if name.startswith("archiver"):
        for key, value in vars(module).items():
            for each in value.values() if isinstance(value, dict) else [value]:
                if isinstance(each, LazyPattern):
                    lazy[f"{name}.{key}"] = each._compiled is not None
print(len(lazy), sorted(key for key, compiled in lazy.items() if compiled), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "article", ["examples/zelensky-stays-in-kyiv.txt", "examples/kyiv-desk-bluesky.html"]
)
def test_a_scan_through_the_compiled_twins_compiles_none_of_them(article):
    done = subprocess.run(
        [sys.executable, "-c", SCAN_AND_ASK, article],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert '"handle"' in done.stdout  # it scanned, and found posts
    count, compiled = done.stderr.split(maxsplit=1)
    assert int(count) >= 35  # the date, the attribution's tail, the URLs' rules, the gaps', ...
    assert compiled.strip() == "[]"


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


WORDS = ["a", "b", "ab", " ", "\n", "é", "1"]


@given(
    st.lists(st.sampled_from(WORDS)).map("".join), st.sampled_from(["a+", "(b)", "a|b", "^a", "$"])
)
def test_what_it_replaces_and_finds_is_what_re_gives(text, pattern):
    lazy, eager = LazyPattern(pattern, re.MULTILINE), re.compile(pattern, re.MULTILINE)
    assert lazy.sub("-", text) == eager.sub("-", text)
    assert lazy.sub(lambda found: found.group().upper(), text) == eager.sub(
        lambda found: found.group().upper(), text
    )
    assert lazy.subn("-", text) == eager.subn("-", text)
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.findall(text, 1, 5) == eager.findall(text, 1, 5)
    fullmatch = lazy.fullmatch(text)
    assert (fullmatch and fullmatch.span()) == ((found := eager.fullmatch(text)) and found.span())
