"""The compiled loop over attributions (archiver/scan/_attributions.c) finds what the Python one does.

Every other scanner test runs the compiled one (``text.find_attributions``); these hold it to
``reference_find_attributions``, whole lists, on documents built from posts and prose,
attributions with every dash and none (the two spaces a removed dash leaves), names that hold
such a run, handles of X and of Bluesky (with dots), plain dates, dates that are Markdown links
to the post and brackets that are not, and barriers, starts, ends and ``anchors_before`` anywhere.
The loop reads the tail after the handle in C (its date with _dates.h): dates of each of DATE's
shapes and languages, with times, and the tail's bounds (spaces, labels, handles) at their limits.
The same reading answers ``text.has_attribution_tail``, held to ``reference_has_attribution_tail``
at every anchor, in strings of each kind.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _attributions, text
from archiver.scan.text import (
    Attribution,
    reference_find_attributions,
    reference_has_attribution_tail,
)

# what makes an attribution, then what spoils one or makes it a rarer one
DASHES = ["— ", "– ", "―", "‒ ", "&mdash; ", "&#x2013;", "-- ", "- ", "  "], ["--- ", "-", " ", ""]
NAMES = ["Jane Roe", "BNO News", "AP  BNO News", "字 😀", "\u200bName\u200f"], ["n" * 65, ""]
HANDLES = (
    ["janeroe", "jane_roe_tv", "jane.bsky.social", "a-b.example.org"],
    ["j" * 16, "x.", "@", "a" * 64 + ".b", ".".join("a" * 10), "a." + "b" * 64],
)
BETWEEN = (
    [" ", "", "\n", " · ", "  | ", "\xa0", " " * 40, "\t\n" + "\u202f" * 40, "·\xa0\t "],
    ["\n\n", " " * 41, "\n" + " " * 41, "·", "·    ", "||", "\n·\n"],
)
# dates in each of dates.DATE's shapes (tests/test_scan_dates_compiled.py reads them alone)
DATES = (
    [
        "May 1, 2020",
        "March 3, 2019",
        "[May 1, 2020](https://x.com/a/status/1)",
        "[May 1, 2020](https://bsky.app/profile/a/post/1)",
        "25 février 2022",
        "Sept. 5th, 2022",
        "17. August 2018",
        "26 de diciembre de 2022",
        "25 февраля 2022 г.",
        "1º de  março, 2021",
        "2019年7月20日",
        "2022년 2월 25일",
        "January 8, 2025 at 11:00 PM",
        "8 janvier 2025 à 23:00",
        "8. Januar 2025 um 23.00",
        "8 de enero de 2025 a las 11:00 p.m.",
        "25 Şubat 2022, 9:30",
        "١ May ٢٠٢٠",
        "２０２２年２月２５日",
    ],
    [
        "2019-03-03",
        "Feb 30, 2020",
        "[May 1, 2020](not a url)",
        "[May 1, 2020]",
        "someday",
        "May 1, 2005",
        "Smarch 1, 2020",
        "mmmmmmmmmmmmm 1, 2020",
        "1 de 2020",
        "2019年13月1日",
        "May 123, 2020",
    ],
)
PROSE = [
    "A post about things.",
    "Hello #tag",
    "@someone said so",
    "https://t.co/abc",
    "pic.twitter.com/xyz",
    "Last night, this was posted:",
    '"A quotation in quotes"',
    "next season!",
    "and the prose went on",
    "The replies were not kind",
    "night.Thanks",
    "x" * 90,
    "😀",
    "(@",
    ")",
    "(@janeroe)",
    "\n",
    "\n\n",
    "\n\n\n",
    " ",
    "  ",
    "— ",
]  # fmt: skip


# _ATTRIBUTION_TAIL at its limits, each with its date, read in C as re reads it
TAIL_LIMITS = [
    # the spaces after the handle and after a line break: 40 read, 41 not
    "(@a)" + " " * 40 + "May 1, 2020",
    "(@a)" + " " * 41 + "May 1, 2020",
    "(@a)\t" + "\xa0" * 39 + "\n" + "\u202f" * 40 + "May 1, 2020",
    "(@a)\n" + " " * 41 + "May 1, 2020",
    "(@a)\n\nMay 1, 2020",
    # "·" or "|" and one to three spaces, then a "[" or none
    "(@a) ·   May 1, 2020",
    "(@a) ·    May 1, 2020",
    "(@a) ·May 1, 2020",
    "(@a)|\xa0May 1, 2020",
    "(@a) || May 1, 2020",
    "(@a)\n| [May 1, 2020](https://x.com/a/status/1)",
    "(@a) [[May 1, 2020](https://x.com/a/status/1)",
    "(@a) [ May 1, 2020](https://x.com/a/status/1)",
    # handles of X: 15 characters, 16
    "(@" + "a" * 15 + ") May 1, 2020",
    "(@" + "a" * 16 + ") May 1, 2020",
    # handles of Bluesky: labels of 63 and 64 characters, 8 labels after the first and 9
    "(@" + "a" * 63 + ".b) May 1, 2020",
    "(@" + "a" * 64 + ".b) May 1, 2020",
    "(@a." + "b" * 63 + ") May 1, 2020",
    "(@a." + "b" * 64 + ") May 1, 2020",
    "(@" + ".".join("a" * 9) + ") May 1, 2020",
    "(@" + ".".join("a" * 10) + ") May 1, 2020",
    "(@a..b) May 1, 2020",
    "(@a.b.) May 1, 2020",
    "(@a-.b-) May 1, 2020",
    "(@-a.b) May 1, 2020",
    "(@a_b.c) May 1, 2020",
    # the date read as DATE reads it: a time, a letter after the year, a year too long
    "(@a) May 1, 2020 at 9:30 PM",
    "(@a) 25 февраля 2022 г. в 9:30",
    "(@a) May 1, 20201",
    "(@a) 2019年7月20日 9.30",
    "(@a) May 1, 2020 a las 9:30",
    "(@a) February 29, 2021",
]


def often(common, rare):
    """One of ``common`` (each alike) four times in five, else one of ``rare``."""
    return st.sampled_from(common * (4 * len(rare)) + rare * len(common))


@st.composite
def attributions(draw):
    parts = [draw(often(*choices)) for choices in (DASHES, NAMES, HANDLES, BETWEEN, DATES)]
    return "{}{} (@{}){}{}".format(*parts)


documents = st.lists(st.one_of(st.sampled_from(PROSE), attributions()), max_size=10).map("".join)


@st.composite
def calls(draw):
    """A document and find_attributions' keyword arguments: bounds, sorted barriers and an
    ``anchors_before`` anywhere in it (or just past it), often left out."""
    document = draw(documents)
    positions = st.integers(0, len(document))
    start = draw(often([0], [draw(positions)]))
    end = draw(often([None], [draw(st.integers(start, len(document)))]))
    barriers = tuple(sorted(draw(st.lists(positions, max_size=3))))
    anchors_before = draw(often([None], [draw(st.integers(0, len(document) + 1))]))
    return document, {
        "start": start,
        "end": end,
        "barriers": barriers,
        "anchors_before": anchors_before,
    }


def test_the_install_built_the_compiled_loop():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert text._find_attributions is _attributions.find_attributions
    assert text.find_attributions is not reference_find_attributions


@settings(max_examples=800, deadline=None)
@given(calls())
def test_the_compiled_loop_finds_what_the_python_one_does(call):
    document, keywords = call
    found = text.find_attributions(document, **keywords)
    assert found == reference_find_attributions(document, **keywords)
    assert all(type(attribution) is Attribution for attribution in found)


@pytest.mark.parametrize(
    "document",
    [
        "A post — Jane Roe (@janeroe) May 1, 2020",
        "A post — Jane Roe (@janeroe) [May 1, 2020](https://x.com/a/status/1) and more",
        "next season!  Jane Roe (@janeroe_tv) March 3, 2019The replies were not kind",
        'not a ride" - AP  BNO News (@BNONews) May 1, 2020',
        "Thanks!  J(@j) May 1, 2020",  # a dashless name of one character, at the anchor
        "A post — Jane (@jane.bsky.social) May 1, 2020\nA post — Joe (@joe) May 2, 2020",
        "— (@janeroe) May 1, 2020 (@janeroe) May 1, 2020",
        "A post — Jane (@jane) May 1, 2020(@joe) May 2, 2020",  # an anchor at a date's end
    ],
)
def test_the_compiled_loop_at_every_anchor_and_barrier(document):
    # each attribution of these found alike however the call cuts the document
    anchors = [i for i in range(len(document)) if document.startswith("(@", i)]
    for cut in [0, 1, *anchors, *(a + 1 for a in anchors), len(document)]:
        for keywords in (
            {"anchors_before": cut},
            {"barriers": (cut,)},
            {"start": cut},
            {"end": cut},
        ):
            found = text.find_attributions(document, **keywords)
            assert found == reference_find_attributions(document, **keywords)
    assert text.find_attributions(document)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 4, (), 4), TypeError),
        (("text", 0, 4, ()), TypeError),
        (("text", 0, 4, [], 4), TypeError),  # barriers are a tuple
        (("text", "0", 4, (), 4), TypeError),
        (("(@a) May 1, 2020", 0, 16, ("1",), 16), TypeError),
        (("(@a) May 1, 2020", -1, 16, (), 16), ValueError),  # as dash_and_name refuses it
    ],
)
def test_the_compiled_loop_refuses_what_the_python_one_cannot_take(arguments, error):
    with pytest.raises(error):
        _attributions.find_attributions(*arguments)


@pytest.mark.parametrize(
    "tail",
    [
        "(@a)",
        "(@_)",
        "(@a.b)",
        "(@a-b.c-d)",
        "(@.a)",
        "(@-a)",
        "(@a_b.c)",
        "(@a b)",
        "(@é)",
        "(@)",
        "((@a)",
        "(@a)(@b)",
        "(@" + "a" * 15 + ")",
        "(@" + "a" * 16 + ")",
    ],
)
def test_an_anchor_s_handle_read_before_re_gives_both_the_same(tail):
    # the compiled loop asks re only at a "(@" whose handle's characters reach a ")", the
    # document cut anywhere in it
    for document in (
        f"A post — Jane Roe {tail} May 1, 2020",
        f"A post — Jane {tail}\n· May 1, 2020 — Joe (@joe) May 2, 2020",
    ):
        for end in range(len(document) + 2):
            found = text.find_attributions(document, end=end)
            assert found == reference_find_attributions(document, end=end), end


@pytest.mark.parametrize("tail", TAIL_LIMITS)
def test_the_tail_read_in_c_gives_what_re_reads(tail):
    # the compiled loop reads _ATTRIBUTION_TAIL itself, its date too; the document cut anywhere
    document = f"A post — Jane Roe {tail} and more"
    for end in range(len(document) + 1):
        found = text.find_attributions(document, end=end)
        assert found == reference_find_attributions(document, end=end), end
    assert text.find_attributions(document) == reference_find_attributions(document)


# a character that makes the document a str of each kind: ASCII, Latin-1, BMP, beyond the BMP
KINDS = ["", "é", "字", "😀"]


def test_the_install_built_the_compiled_tail_test():
    assert text.has_attribution_tail is _attributions.has_attribution_tail


@settings(max_examples=500, deadline=None)
@given(documents, st.sampled_from(KINDS), st.data())
def test_the_compiled_tail_test_answers_as_the_python_one(document, kind, data):
    document = kind + document
    anchors = [i for i in range(len(document)) if document.startswith("(@", i)]
    anchor = data.draw(
        st.one_of(st.sampled_from(anchors or [0]), st.integers(-2, len(document) + 2))
    )
    answer = text.has_attribution_tail(document, anchor)
    assert answer is reference_has_attribution_tail(document, anchor)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("tail", TAIL_LIMITS)
def test_the_compiled_tail_test_at_the_tail_s_limits(tail, kind):
    # the tail alone, cut anywhere, and inside text of each kind, read at each "(@" and around
    for document in [tail[:end] for end in range(len(tail) + 1)] + [f"{kind}— J {tail}{kind}"]:
        for anchor in range(-1, len(document) + 2):
            answer = text.has_attribution_tail(document, anchor)
            assert answer is reference_has_attribution_tail(document, anchor), (document, anchor)
    assert text.has_attribution_tail(tail, 0) is reference_has_attribution_tail(tail, 0)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"(@a) May 1, 2020", 0), TypeError),
        (("(@a) May 1, 2020",), TypeError),
        (("(@a) May 1, 2020", "0"), TypeError),
        (("(@a) May 1, 2020", 0, 0), TypeError),
        (("(@a) May 1, 2020", 2**70), OverflowError),
    ],
)
def test_the_compiled_tail_test_refuses_what_the_python_one_cannot_take(arguments, error):
    with pytest.raises(error):
        _attributions.has_attribution_tail(*arguments)
