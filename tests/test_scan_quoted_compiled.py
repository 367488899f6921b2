"""The compiled Markdown quotes of plain text (archiver/scan/_attributions.c) are the Python ones.

Every other scanner test runs the compiled ``plain.quote_markers_blanked`` and
``plain.quoted_embeds``; these hold them to ``reference_quote_markers_blanked`` and
``reference_quoted_embeds`` on documents built line by line from what the rule tells apart: quote
markers with none to four spaces or tabs before the ">" and none, one or two after it, ">" that
opens no marker (">>", greentext in a post whose attribution is not quoted), attributions quoted
or not, on their own line or after their post, posts over several quoted lines with blank ones
between, bare status URLs quoted or not (whose ends are floors), CRLF and other line breaks,
non-ASCII and empty posts; scanned from anywhere, with ends of earlier embeds anywhere.
"""

import pytest
from embed_records import records
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _attributions, plain
from archiver.scan.plain import (
    reference_quote_markers_blanked,
    reference_quoted_embeds,
    text_embeds,
)
from archiver.scan.text import Attribution, find_attributions

MARKERS = [
    "",
    "",
    ">",
    "> ",
    ">\t",
    ">  ",
    " >",
    "  > ",
    "\t\t\t>",
    "   > ",
    "    > ",
    ">>",
    "> > ",
]
BREAKS = ["\n", "\n", "\r\n", "\n\n", "\n \n", "\u2028", "\x85"]
POSTS = [
    "Kyiv is holding.",
    "字 😀 #tag pic.twitter.com/AbC1",
    "read https://t.co/abc",
    "> be me",
    "a > b",
    "",
    " ",
    "\u3000",
    "\t",
]
TAILS = [
    "— Jane Roe (@janeroe) May 1, 2020",
    "- Jane (@jane.bsky.social) March 3, 2019",
    "— 字 (@jane) [May 1, 2020](https://x.com/jane/status/123?s=20)",
    "  Jane Roe (@janeroe) May 1, 2020",
]
BARE = ["https://x.com/jane/status/705219971425574912", "https://bsky.app/profile/a.b/post/3k"]


@st.composite
def lines(draw):
    """One line's text: a post's words, an attribution after them or alone, or a bare URL."""
    post = draw(st.sampled_from(POSTS))
    return draw(
        st.sampled_from([post, f"{post} {draw(st.sampled_from(TAILS))}", *TAILS, *BARE, post])
    )


@st.composite
def documents(draw):
    parts = draw(st.lists(st.tuples(st.sampled_from(MARKERS), lines()), max_size=10))
    return "".join(marker + line + draw(st.sampled_from(BREAKS)) for marker, line in parts)


@st.composite
def quoted_calls(draw):
    """A document, its view, attributions, ends and floor as ``text_embeds`` gives them to
    ``quoted_embeds``, from a start anywhere, with ends of earlier embeds anywhere at times."""
    document = draw(documents().filter(lambda text: ">" in text))
    start = draw(st.sampled_from([0, draw(st.integers(0, len(document)))]))
    view = reference_quote_markers_blanked(document)
    found = find_attributions(document, start=start)
    ends = [attribution.end for attribution in found]
    ends += draw(st.lists(st.integers(0, len(document)), max_size=3))
    return document, view, found, sorted(ends), start


def test_the_install_built_the_compiled_quotes():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert plain.quote_markers_blanked is _attributions.quote_markers_blanked
    assert plain.quoted_embeds is _attributions.quoted_embeds


@settings(max_examples=800, deadline=None)
@given(documents())
def test_the_compiled_view_is_the_python_one(document):
    compiled = _attributions.quote_markers_blanked(document)
    reference = reference_quote_markers_blanked(document)
    assert compiled == reference
    assert (compiled is document) == (reference is document)


@settings(max_examples=800, deadline=None)
@given(quoted_calls())
def test_the_compiled_quoted_records_are_the_python_ones(call):
    compiled = _attributions.quoted_embeds(*call)
    reference = reference_quoted_embeds(*call)
    assert compiled == reference
    assert records(compiled) == records(reference)


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(0, 40))
def test_documents_scan_alike_with_either(document, start):
    compiled = text_embeds(document, start=min(start, len(document)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain, "quote_markers_blanked", reference_quote_markers_blanked)
        patch.setattr(plain, "quoted_embeds", reference_quoted_embeds)
        reference = text_embeds(document, start=min(start, len(document)))
    assert records(compiled) == records(reference)


@pytest.mark.parametrize(
    "document",
    [
        ">",
        "> ",
        ">\t\t",
        "   >x",
        "    >x",  # four spaces in: no marker
        "\t \t>x\n \t \t>x",
        "x>\n>",
        ">>\n>>> x",
        "a\n>",
        "\n\n>\n",
        "x\r\n> y",
        "字\n > 😀",
        "no marker at all",
        "",
    ],
)
def test_the_view_at_the_markers_limits(document):
    compiled = _attributions.quote_markers_blanked(document)
    assert compiled == reference_quote_markers_blanked(document)
    assert len(compiled) == len(document)


TAIL = " — Jane Roe (@janeroe) May 1, 2020"


@pytest.mark.parametrize(
    ("document", "start"),
    [
        ("> Kyiv is holding." + TAIL, 0),  # quoted at the text's start
        ("x\n> Kyiv is holding." + TAIL, 2),  # the start is the quoted line's
        ("x\n> Kyiv is holding." + TAIL, 3),  # the start is inside the marker: not a line's
        ("> > Kyiv is holding." + TAIL, 0),  # from floor 1 on, a marker but not a line's start
        ("> a\n> b\n>\n> c\n>" + TAIL, 0),  # a quote over lines, a blank one, the dash alone
        ("> a\n   > b\n    > c" + TAIL, 0),  # the last line four spaces in: not quoted
        ("    > a" + TAIL, 0),
        ("> a\nb\n> c" + TAIL, 0),  # the quote starts after the unquoted line
        ("> be me\n> archive posts\n" + TAIL[1:], 0),  # greentext: the dash line not quoted
        ("> \u3000\n>" + TAIL, 0),  # a quote that shows no text
        (">" + TAIL, 0),
        ("> x\r\n> y\u2028z\x85" + TAIL, 0),
        ("> 字\n> 😀 pic.twitter.com/a" + TAIL, 0),
        ("> first" + TAIL + "\n> second" + TAIL, 0),  # the first one's end floors the second
        ("> first" + TAIL + "> second" + TAIL, 0),
        ("> https://x.com/a/status/1\n> second" + TAIL, 0),  # a bare URL's end floors it
        ("> a\n> " + TAIL[1:] + " [May 1, 2020](https://x.com/janeroe/status/1)", 0),
    ],
)
def test_the_quoted_records_at_the_rules_limits(document, start):
    view = reference_quote_markers_blanked(document)
    found = find_attributions(document, start=start)
    ends = sorted(attribution.end for attribution in found)
    for floor in range(start, len(document) + 1):
        call = (document, view, found, ends, floor)
        assert records(_attributions.quoted_embeds(*call)) == records(
            reference_quoted_embeds(*call)
        )


def test_the_floor_cuts_a_quote_where_an_earlier_embed_ends():
    document = "> a\n> b\n> c" + TAIL
    found = find_attributions(document)
    view = reference_quote_markers_blanked(document)
    for end in range(len(document)):
        call = (document, view, found, [end], 0)
        compiled = _attributions.quoted_embeds(*call)
        assert records(compiled) == records(reference_quoted_embeds(*call))
    assert [embed.text for embed in _attributions.quoted_embeds(document, view, found, [4], 0)] == [
        "b\nc"
    ]


ATTRIBUTION = Attribution(2, 10, 30, 12, "jane", "Jane", "2020-05-01", "May 1, 2020", None)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"> x",), TypeError),
        ((("> x", "> x", [], [], 0, 1)), TypeError),
        (("> x", b"> x", [], [], 0), TypeError),
        (("> x", "> x", (), [], 0), TypeError),
        (("> x", "> x", [], (), 0), TypeError),
        (("> x", "> x", [("not", "an", "attribution")], [], 0), TypeError),
        (("> x" * 12, "> x" * 12, [ATTRIBUTION], ["0"], 0), TypeError),
        (("> x", "  x", [], [], -1), ValueError),
        (("> x", "  x", [], [], 4), ValueError),
        (("> x", "  xx", [], [], 0), ValueError),
        (("> x", "  x", [ATTRIBUTION], [], 0), ValueError),  # its dash past the text
        (("> x", "  x", [ATTRIBUTION._replace(start=0, dash=4)], [], 0), ValueError),
        (("> x", "  x", [ATTRIBUTION._replace(start=4, dash=3)], [], 0), ValueError),
        (("> x", "  ", [], [], 0), ValueError),
        (("> x" * 12, "> x" * 12, [ATTRIBUTION._replace(start=-1)], [], 0), ValueError),
        (("> x" * 12, "> x" * 12, [ATTRIBUTION._replace(dash=10**30)], [], 0), OverflowError),
    ],
)
def test_the_compiled_quotes_refuse_what_the_scanner_never_gives(arguments, error):
    compiled = (
        _attributions.quote_markers_blanked if len(arguments) == 1 else _attributions.quoted_embeds
    )
    with pytest.raises(error):
        compiled(*arguments)
