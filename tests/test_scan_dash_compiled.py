"""The compiled dash and name (archiver/scan/_attributions.c) answer as the rule in Python does.

Every other scanner test runs the compiled one (``text._dash_and_name``); these hold it to
``reference_dash_and_name`` on texts built from what the rule tells apart: the four dashes and
their six entities, ``--`` and longer runs, hyphens before the four spaces and before others,
names of every length around 64 and the characters stripped from them, the post's links, line
breaks, and anchors and floors anywhere, the 100-character window's edges among them.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _attributions, text
from archiver.scan.text import NAME_STRIP, reference_dash_and_name

ENTITIES = ["&mdash;", "&ndash;", "&#8212;", "&#8211;", "&#x2014;", "&#x2013;"]
PIECES = [
    "Name", "Jane Roe", "字", "😀", "(@handle)", "@handle", "(@", " ", " ", " ", "x",
    "—", "–", "―", "‒", *ENTITIES, "&", "&amp;", "&mdash", "&#x201", "--", "---", "----",
    "-", "- ", "-\t", "-\xa0", "-\u202f", "-\u2009", "-x", " -", "--\xa0",
    "t.co/", "t.co", "pic.twitter.com/", "pic.x.com/", "pic.", "pic.twitter.com", "pic.x.com",
    "\n", "\n\n", *NAME_STRIP,
]  # fmt: skip
LONG_NAMES = ["n" * length for length in (40, 62, 63, 64, 65, 66)]


texts = st.lists(st.sampled_from(PIECES + LONG_NAMES), max_size=40).map("".join)


@st.composite
def texts_anchors_and_floors(draw):
    """A text, an anchor anywhere in it, and a floor anywhere before the anchor: often at 0, at
    the anchor, or near the window's edge 100 characters back."""
    text_ = draw(texts)
    anchor = draw(st.integers(0, len(text_)))
    back = draw(st.one_of(st.integers(0, anchor), st.integers(95, 105), st.just(anchor)))
    return text_, anchor, max(0, anchor - back)


def test_the_install_built_the_compiled_dash_and_name():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert text._dash_and_name is _attributions.dash_and_name


@settings(max_examples=1000)
@given(texts_anchors_and_floors())
def test_the_compiled_dash_and_name_answer_as_the_rule_in_python(text_anchor_and_floor):
    text_, anchor, floor = text_anchor_and_floor
    assert _attributions.dash_and_name(text_, anchor, floor) == reference_dash_and_name(
        text_, anchor, floor
    )


@settings(max_examples=400)
@given(texts, st.one_of(st.integers(0, 200), st.integers(95, 105)))
def test_the_compiled_dash_and_name_answer_as_the_rule_in_python_before_an_attribution(text_, back):
    # the anchor where the scanner puts it, at the "(@" after the text; the floor ``back`` before
    anchor = len(text_)
    text_ += "(@handle) May 1, 2020"
    floor = max(0, anchor - back)
    assert _attributions.dash_and_name(text_, anchor, floor) == reference_dash_and_name(
        text_, anchor, floor
    )


def answers(text_, anchor=None, floor=0):
    """The compiled one's answer, once it is the same as the rule in Python's."""
    anchor = text_.index("(@") if anchor is None else anchor
    compiled = _attributions.dash_and_name(text_, anchor, floor)
    assert compiled == reference_dash_and_name(text_, anchor, floor)
    return compiled


@pytest.mark.parametrize(
    "dash", ["—", "–", "―", "‒", *ENTITIES, "--", "- ", "-\t", "-\xa0", "-\u202f", "-\u2009"]
)
def test_each_dash(dash):
    # a hyphen is a dash before one of four spaces only; U+2009 is not one
    assert (answers(f"A post {dash}Name (@handle)") is None) == (dash == "-\u2009")
    answers(f"A post {dash} Name {dash}(@handle)")  # the rightmost gives no name


@pytest.mark.parametrize("dash", ["—", "&mdash;", "&#x2013;", "--", "- "])
@pytest.mark.parametrize("length", [63, 64, 65])
@pytest.mark.parametrize("around", ["", " ", "\u200b\ufeff", "\u2069 \t"])
def test_names_at_the_length_limit(dash, length, around):
    found = answers(f"A post {dash}{around}{'n' * length}{around} (@handle) May 1, 2020")
    assert (found is not None) == (length <= 64)


@pytest.mark.parametrize("back", [98, 99, 100, 101, 102])
@pytest.mark.parametrize("dash", ["—", "&ndash;", "&#8212;", "--", "- "])
@pytest.mark.parametrize("floor", [0, 5, 6, 7])
def test_a_dash_at_the_window_s_edge(back, dash, floor):
    # the dash at text[6], ``back`` characters before the anchor; spaces and "Name" between them
    text_ = "Prose " + dash + " " * (back - len(dash) - 4) + "Name(@handle) May 1, 2020"
    found = answers(text_, floor=floor)
    assert (found is not None) == (back <= 100 and floor <= 6)


@pytest.mark.parametrize("dash_at", [0, 1, 2])
@pytest.mark.parametrize("floor", [0, 1, 2, 3])
def test_a_dash_at_the_floor(dash_at, floor):
    for dash in ["—", "&mdash;", "--", "- ", "-- ", "--- "]:
        answers(" " * dash_at + dash + " Name (@handle)", floor=floor)


@pytest.mark.parametrize(
    "between",
    ["", " ", "x", "  "],
)
@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("—", "&mdash;"),
        ("&mdash;", "—"),
        ("&ndash;", "&#8212;"),
        ("&#x2014;", "&#8211;"),
        ("&#8211;", "&#x2013;"),
        ("–", "―"),
        ("‒", "&#x2014;"),
        ("&mdash", "—"),
        ("—", "--"),
        ("--", "—"),
        ("--", "- "),
        ("- ", "--"),
    ],
)
def test_two_dashes_close_together(left, right, between):
    answers(f"A post {left}{between}{right} Name (@handle)")
    answers(f"A post {left}{between}{right} t.co/x Name (@handle)")  # the right one gives no name
    answers(f"A post {left}{between}{right}" + "n" * 65 + "(@handle)")


@pytest.mark.parametrize(
    "text_",
    [
        "\n— Name (@handle)",
        "—\nName (@handle)",
        "— x\n\n— Name (@handle)",
        "A post — Name\n(@handle)",
        "A post - Name -(@handle)",  # the hyphen before the anchor is followed by no space
        "A post - Name -\u2009(@handle)",
        "A post --Name --(@handle)",
        "A post --Name -- (@handle)",
        "x--- Name (@handle)",
        "x---- Name (@handle)",
        "a--b---c Name (@handle)",
        "a --- b -- c (@handle)",
        "— pic.twitter.com/x Name (@handle)",
        "— pic.x.com/x Name (@handle)",
        "— pic.twitter.com Name (@handle)",
        "— pic.example Name (@handle)",
        "— t.co/x Name (@handle)",
        "— t.co Name (@handle)",
        "-- t.co/ - Name (@handle)",
        "&#x2014; pic.x.com/ -- Name (@handle)",
        "A post &amp; more — (@handle)",
        "A post — \u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e(@handle)",
        "字— 字 (@handle)",
        "😀 — 😀 (@handle)",
    ],
)
def test_lines_links_and_hyphens(text_):
    anchor = text_.find("(@")
    anchors = [len(text_)] if anchor == -1 else [anchor, anchor - 1, anchor + 1]
    for anchor in anchors:
        for floor in range(0, min(anchor, 4) + 1):
            answers(text_, anchor, floor)


@pytest.mark.parametrize("stripped", list(NAME_STRIP))
def test_each_stripped_character(stripped):
    found = answers(f"A post —{stripped}Name{stripped}(@handle)")
    assert found is not None and found[2] == "Name"
    answers(f"A post —{stripped * 70}Name{stripped * 70}(@handle)")


def test_the_hyphen_lookbehind_reads_before_the_floor():
    # re's (?<!-) reads the text before the match's start: the hyphen after a hyphen is no dash
    text_ = "x-- Name (@handle)"
    assert answers(text_, floor=2) is None
    assert answers("x - Name (@handle)", floor=2) == (2, 3, "Name")


def test_the_double_hyphen_s_neighbours_are_read_past_the_anchor():
    # a "--" just before the anchor with a hyphen at the anchor is part of a longer run
    text_ = "A post -- Name ---(@handle)"
    assert answers(text_, text_.index("---") + 2) == (7, 9, "Name --")


def test_the_hyphen_lookahead_stops_at_the_anchor():
    text_ = "a - b -  (@handle)"
    anchor = text_.index("-", 3) + 1  # the space after the second hyphen is at the anchor
    assert answers(text_, anchor) == (2, 3, "b -")


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 0), TypeError),
        (("text", 0), TypeError),
        (("text", 0, 0, 0), TypeError),
        (("text", "1", 0), TypeError),
        (("text", 1, "0"), TypeError),
        (("text", 2, 3), ValueError),  # the floor past the anchor
        (("text", 5, 0), ValueError),  # the anchor past the text
        (("text", 1, -1), ValueError),
    ],
)
def test_the_compiled_dash_and_name_refuse_arguments_out_of_range(arguments, error):
    with pytest.raises(error):
        _attributions.dash_and_name(*arguments)
