"""The compiled paragraph break (archiver/scan/_walk_back.c) answers as the rule in Python does.

The compiled walk back counts the break itself; these hold its ``typical_gap`` and
``typical_gap_at_most`` to gaps.py's references on texts built from what the rule tells apart:
lines longer and shorter than a lead-in's 100 characters, runs of newlines and of the other five
blank characters between them, other spaces that are not blank to it, and windows (2,000
characters before ``around``, 500 after, not before ``floor``) whose edges cut all of them.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _walk_back, gaps
from archiver.scan.gaps import reference_typical_gap, reference_typical_gap_at_most

FILLERS = ["x", "字", "😀", " ", "\u3000", "\x0b", "ab cd "]  # spaces a run does not hold too
LINES = [
    (filler * length)[:length]
    for filler in FILLERS
    for length in (1, 2, 30, 99, 100, 101, 102, 103, 200, 600)
]  # near a lead-in's limit of 100, and either side of it
RUNS = [
    *("\n" * newlines for newlines in range(1, 7)),
    *(blank + "\n\n" + blank for blank in " \t\r\xa0\u202f"),  # each blank character of a run
    "\n \n", "\r\n\r\n", "\n\xa0\n\u202f\n", "\n\t", " \n\n  ", "\n \t\n\n\r\n", "\n\n\u3000\n",
    "\n" + " " * 101 + "\n",  # spaces are a line's characters too: this run is beside prose
    "\n" + "\xa0" * 100 + "\n\n",
]  # fmt: skip


@st.composite
def texts(draw):
    """Lines and runs in turn, each end of the text a line or a run."""
    pairs = draw(st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(RUNS)), max_size=30))
    text = "".join(line + run for line, run in pairs)
    return draw(st.sampled_from(["", *RUNS])) + text + draw(st.sampled_from(["", *LINES]))


@st.composite
def texts_and_windows(draw):
    """A text, ``around`` and ``floor``: anywhere, or where a window's edge meets a newline."""
    text = draw(texts())
    newlines = [at for at, character in enumerate(text) if character == "\n"] or [0]
    edge = draw(st.sampled_from(newlines)) + draw(st.integers(-2, 2))
    around = draw(
        st.sampled_from([0, len(text), len(text) - 500, len(text) - 501, edge + 2000, edge - 500])
        | st.integers(0, len(text))
    )
    around = min(max(around, 0), len(text))
    floor = draw(
        st.sampled_from([0, around, around - 2000, around - 2001, around - 1999, edge])
        | st.integers(0, around)
    )
    return text, around, min(max(floor, 0), around)


def test_gaps_py_gives_the_compiled_ones():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert gaps.typical_gap is _walk_back.typical_gap
    assert gaps.typical_gap_at_most is _walk_back.typical_gap_at_most


@settings(max_examples=300)
@given(texts_and_windows())
def test_the_compiled_typical_gap_answers_as_the_rule_in_python(text_and_window):
    text, around, floor = text_and_window
    assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(text, around, floor)


@settings(max_examples=200)
@given(texts_and_windows(), st.integers(-1, 6))
def test_the_compiled_typical_gap_at_most_answers_as_the_rule_in_python(text_and_window, newlines):
    text, around, floor = text_and_window
    assert _walk_back.typical_gap_at_most(
        text, around, floor, newlines
    ) is reference_typical_gap_at_most(text, around, floor, newlines)


def same_answers_everywhere(text, floors=(0,)):
    """Both give the same answers at every ``around`` of ``text``, from each floor below it."""
    for around in range(len(text) + 1):
        for floor in {min(floor, around) for floor in floors}:
            assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(
                text, around, floor
            ), (around, floor)


@pytest.mark.parametrize("length", [100, 101, 102])
@pytest.mark.parametrize("run", ["\n", "\n\n", "\n \t\n", "\n\n  ", "  \n\n\n"])
@pytest.mark.parametrize(
    "layout", ["before", "after", "both", "alone", "first", "last", "after twice", "spaces"]
)
def test_a_line_at_a_lead_in_s_limit_beside_a_run_gives_both_the_same_gap(length, run, layout):
    # a line of 101 characters is prose, one of 100 a lead-in, at the text's ends too; "after
    # twice": runs beside prose only after them; "spaces": a line of spaces only
    line = ("x" if layout != "spaces" else " ") * length
    short = "Short line."
    text = {
        "before": short + run + line + run + short + "\n" + short,
        "after": short + "\n" + short + run + line + run + short,
        "both": line + run + short + "\n\n" + short + run + line,
        "alone": line + run + line,
        "first": line + run + short + "\n" + short + "\n" + short,
        "last": short + "\n" + short + "\n" + short + run + line,
        "after twice": short + "\n" + short + run + line + "\n" + short + run + line,
        "spaces": short + "\n\n" + line + run + short + "\n" + short,
    }[layout]
    same_answers_everywhere(text, floors=(0, 1, len(short), len(short) + 2))


@pytest.mark.parametrize("end", ["\n", "\n\n", "\n \n ", "\n\n\n\n"])
@pytest.mark.parametrize("line", ["x" * 150, "Short line."])
def test_a_run_ending_the_text_gives_both_the_same_gap(end, line):
    # the newline that ends a file is no break; nor the text's last run of blank lines
    text = line + "\n\n" + line + "\n" + line + end
    same_answers_everywhere(text)
    same_answers_everywhere(text[: -len(end)] + "\n\n\n" + line + end)


@pytest.mark.parametrize("own", [101, 150, 4000])
@pytest.mark.parametrize("run", ["\n", "\n\n", "\n\n\n"])
def test_the_attribution_s_own_line_as_the_only_long_one_gives_both_the_same_gap(own, run):
    # runs beside the attribution's own line do not count for its length alone
    short = "Short line."
    attribution = "p" * own + " — Name (@handle) May 1, 2020"
    for text in (
        short + "\n" + short + run + attribution + run + short + "\n\n" + short,
        short + run + attribution,
        attribution + run + short,
        short + run + attribution + run + "y" * 101,
    ):
        dash = text.index("—")
        for around in {0, dash - own + 1, dash, dash + 5, len(text) - len(short), len(text)}:
            for floor in {0, min(around, len(short) + 1), around}:
                assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(
                    text, around, floor
                ), (text, around, floor)


@pytest.mark.parametrize("inside", [0, 1, 50, 100, 101, 102, 150])
@pytest.mark.parametrize("after", [100, 101, 150])
@pytest.mark.parametrize("run", ["\n", "\n\n", "\n \n"])
@pytest.mark.parametrize("end", ["\n\nShort line.", ""])
def test_a_long_line_after_the_attribution_s_own_cut_by_the_window_gives_both_the_same_gap(
    inside, after, run, end
):
    # a run after the attribution's own line counts when a long line follows it, read to the
    # text's end, not the window's: ``inside`` of its characters fall inside the window
    own = "p" * 600 + " — Name (@handle) May 1, 2020"
    text = "Short line.\n\n" + own + run + "y" * after + end
    around = min(text.index("y") + inside - 500, len(text))
    for floor in (0, around):
        assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(
            text, around, floor
        )


@pytest.mark.parametrize("offset", [-3, -2, -1, 0, 1, 2, 3, 100, 101])
@pytest.mark.parametrize("side", ["low", "high"])
@pytest.mark.parametrize("run", ["\n\n", "\n \n\n", "\n\n\n\n"])
@pytest.mark.parametrize("before", ["x" * 150, "Short line."])
@pytest.mark.parametrize("others", ["prose", "short lines"])
def test_a_run_cut_by_the_window_s_edge_gives_both_the_same_gap(offset, side, run, before, others):
    # the window's runs start at around - 2000 (re's lookbehind still reads before it) and end at
    # around + 500 (its lookahead reads no further); a run and the lines beside it cut there, the
    # only run beside prose among short lines
    if others == "prose":
        lines = ("Prose of an article, longer than a lead-in is. " * 3 + "\n\n") * 30
    else:
        lines = "Short line.\n" * 300
    text = lines + before + run + "y" * 150 + "\n" + lines
    start = text.index(run, len(lines))
    for at in (start, start + len(run)):
        around = at + offset + (2000 if side == "low" else -500)
        for floor in (0, around - 2000 - offset):
            assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(
                text, around, floor
            )
            for newlines in (1, 2, 3):
                assert _walk_back.typical_gap_at_most(
                    text, around, floor, newlines
                ) is reference_typical_gap_at_most(text, around, floor, newlines)


@pytest.mark.parametrize("length", [99, 100, 101, 102])
@pytest.mark.parametrize("run", ["\n", "\n\n", "\n \n\n"])
def test_a_line_at_a_lead_in_s_limit_across_the_window_s_start_gives_both_the_same_gap(length, run):
    # the compiled count keeps the newline before each, from before the window's start on:
    # windows starting at every position of a line of ``length`` characters and of the runs
    # beside it
    line = "x" * length
    text = "Short line.\n" * 150 + line + run + line + run + "Short line.\n\n" * 200
    start = text.index(line) - 2
    for around in range(start + 2000, start + 2000 + 2 * (length + len(run)) + 4):
        for floor in (0, around - 2000 + 1):
            assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(
                text, around, floor
            ), (around, floor)


@pytest.mark.parametrize("newlines", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("held", [0, 1])  # a run holding newlines, then one more
@pytest.mark.parametrize("blank", ["", " ", "\t\xa0\u202f\r", "\u3000"])
def test_a_run_holding_n_or_n_plus_one_newlines_gives_both_the_same_answer(newlines, held, blank):
    # typical_gap_at_most(N): no stretch of blank lines holds N + 1; U+3000 breaks a stretch
    prose = "Prose of an article, longer than a lead-in is. " * 3
    run = (blank + "\n") * (newlines + held)
    text = prose + "\n\n" + prose + run + prose + "\n\n" + prose
    for around in (0, len(prose), text.index(run), len(text) // 2, len(text)):
        for floor in (0, around):
            for asked in (newlines - 1, newlines, newlines + 1):
                assert _walk_back.typical_gap_at_most(
                    text, around, floor, asked
                ) is reference_typical_gap_at_most(text, around, floor, asked)
            assert _walk_back.typical_gap(text, around, floor) == reference_typical_gap(
                text, around, floor
            )


@pytest.mark.parametrize("newlines", [True, 2**63, -(2**63), 10**30])
def test_any_number_of_newlines_gives_both_the_same_answer(newlines):
    text = "Short line.\n\nShort line.\n"
    assert _walk_back.typical_gap_at_most(text, 5, 0, newlines) is reference_typical_gap_at_most(
        text, 5, 0, newlines
    )


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 0), TypeError),
        (("text", 0), TypeError),
        (("text", "1", 0), TypeError),
        (("text", 2, 3), ValueError),  # the floor past around
        (("text", 5, 0), ValueError),  # around past the text
        (("text", 1, -1), ValueError),
    ],
)
def test_the_compiled_gaps_refuse_arguments_out_of_range(arguments, error):
    with pytest.raises(error):
        _walk_back.typical_gap(*arguments)
    with pytest.raises(error):
        _walk_back.typical_gap_at_most(*arguments, 1)
    with pytest.raises(TypeError):
        _walk_back.typical_gap_at_most("text", 1, 0, "1")
