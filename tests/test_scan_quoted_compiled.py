"""The compiled Markdown quotes of plain text (archiver/scan/_attributions.c) are the Python ones.

Every other scanner test runs the compiled ``plain.has_quote_marker`` and ``plain.quoted_embeds``,
which read a quoted text's markers as spaces where they lie; these hold them to
``reference_has_quote_marker`` and to ``reference_quoted_embeds`` of the text and its
``reference_quote_markers_blanked`` (the copy the compiled scan no longer makes), and
``text_embeds`` to the references composed as it composed them with that copy, on documents built
line by line from what the rule tells apart: quote markers with none to four spaces or tabs before
the ">" and none, one or two after it, ">" that opens no marker (">>", after a "\r", greentext in a
post whose attribution is not quoted), attributions quoted or not, on their own line or after
their post, posts over several quoted lines with blank ones between, bare status URLs quoted or
not (whose ends are floors), CRLF and other line breaks, non-ASCII and empty posts; scanned from
anywhere, with ends of earlier embeds anywhere.
"""

from operator import attrgetter

import pytest
from embed_records import records
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _attributions, plain
from archiver.scan.plain import (
    reference_attribution_embeds,
    reference_bare_url_embeds,
    reference_has_quote_marker,
    reference_quote_markers_blanked,
    reference_quoted_embeds,
    text_embeds,
)
from archiver.scan.text import Attribution, find_attributions, reference_find_attributions

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
    ">\t ",
    "\r> ",
    "x>",
]
BREAKS = ["\n", "\n", "\r\n", "\n\n", "\n \n", "\u2028", "\x85", "\r"]
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
BARE = [
    "https://x.com/jane/status/705219971425574912",
    "https://bsky.app/profile/a.b/post/3k",
    "<x.com/jane/status/1>\t",
    "twitter.com/a/status/2 >",
    "> https://x.com/a/status/3",
]


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
    """A document, attributions, ends and floor as ``text_embeds`` gives them to
    ``quoted_embeds``, from a start anywhere, with ends of earlier embeds anywhere at times."""
    document = draw(documents().filter(lambda text: ">" in text))
    start = draw(st.sampled_from([0, draw(st.integers(0, len(document)))]))
    found = find_attributions(document, start=start)
    ends = [attribution.end for attribution in found]
    ends += draw(st.lists(st.integers(0, len(document)), max_size=3))
    return document, found, sorted(ends), start


def with_the_view(document, found, ends, floor):
    """The same call to ``reference_quoted_embeds``, which takes the view the C reads in place."""
    return document, reference_quote_markers_blanked(document), found, ends, floor


def scanned_with_the_references(text, start=0, end=None):
    """``text_embeds`` as the references compose it: bare URLs found in the text's view (the
    text itself when no quote marker opens a line), a quoted post read in the view."""
    view = reference_quote_markers_blanked(text)
    bare = reference_bare_url_embeds(view, start=start, end=end)
    barriers = tuple(found.end for found in bare)
    found = reference_find_attributions(text, start=start, end=end, barriers=barriers)
    if view is text:
        embeds = reference_attribution_embeds(text, found)
    else:
        ends = sorted([url.end for url in bare] + [attribution.end for attribution in found])
        embeds = reference_quoted_embeds(text, view, found, ends, start)
    return sorted(embeds + bare, key=attrgetter("start"))


def test_the_install_built_the_compiled_quotes():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert plain.has_quote_marker is _attributions.has_quote_marker
    assert plain.quoted_embeds is _attributions.quoted_embeds


@settings(max_examples=800, deadline=None)
@given(documents())
def test_the_compiled_check_for_a_marker_is_the_python_one(document):
    compiled = _attributions.has_quote_marker(document)
    assert compiled is (reference_quote_markers_blanked(document) is not document)
    assert compiled is reference_has_quote_marker(document)


@settings(max_examples=800, deadline=None)
@given(quoted_calls())
def test_the_compiled_quoted_records_are_the_python_ones(call):
    compiled = _attributions.quoted_embeds(*call)
    reference = reference_quoted_embeds(*with_the_view(*call))
    assert compiled == reference
    assert records(compiled) == records(reference)


@settings(max_examples=500, deadline=None)
@given(documents(), st.integers(0, 40), st.sampled_from([None, 0, 1, 3]))
def test_documents_scan_alike_with_either(document, start, cut):
    start = min(start, len(document))
    end = None if cut is None else max(start, len(document) - cut)
    compiled = text_embeds(document, start=start, end=end)
    assert records(compiled) == records(scanned_with_the_references(document, start, end))


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
def test_the_check_at_the_markers_limits(document):
    view = reference_quote_markers_blanked(document)
    assert _attributions.has_quote_marker(document) is (view is not document)
    assert reference_has_quote_marker(document) is (view is not document)


@pytest.mark.parametrize("marker", ["> ", ">", "\t\t\t>\t", "   >", "    > ", "\r> ", ">> "])
@pytest.mark.parametrize("at", ["", "x\n", "x\r\n", "x\u2028", "x\x85"])
def test_text_at_the_markers_limits_scans_as_the_references_scan_it(marker, at):
    # a marker at the text's start, after each "\n" only: a quoted post, and a URL alone on its
    # quoted line, read in the view whichever line and start they are on
    document = (
        f"{at}{marker}Kyiv is holding.\n{marker}\n{at}{marker}{BARE[0]}\n"
        f"{at}{marker}a pic.twitter.com/AbC1{TAIL}\n{marker}{BARE[1]}"
    )
    for start in range(len(document) + 1):
        compiled = text_embeds(document, start=start)
        assert records(compiled) == records(scanned_with_the_references(document, start))


def test_quoted_lines_read_without_their_markers():
    document = f"x\n> {BARE[0]}\n> Kyiv\n>\tis holding.{TAIL}\n>> {BARE[0]}"
    found = text_embeds(document)
    assert [(embed.form, embed.start, embed.text) for embed in found] == [
        ("status_url", 4, ""),
        ("text_attribution", 51, "Kyiv\nis holding."),
    ]
    assert records(found) == records(scanned_with_the_references(document))


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
    found = find_attributions(document, start=start)
    ends = sorted(attribution.end for attribution in found)
    for floor in range(start, len(document) + 1):
        call = (document, found, ends, floor)
        assert records(_attributions.quoted_embeds(*call)) == records(
            reference_quoted_embeds(*with_the_view(*call))
        )


def test_the_floor_cuts_a_quote_where_an_earlier_embed_ends():
    document = "> a\n> b\n> c" + TAIL
    found = find_attributions(document)
    for end in range(len(document)):
        call = (document, found, [end], 0)
        compiled = _attributions.quoted_embeds(*call)
        assert records(compiled) == records(reference_quoted_embeds(*with_the_view(*call)))
    assert [embed.text for embed in _attributions.quoted_embeds(document, found, [4], 0)] == [
        "b\nc"
    ]


ATTRIBUTION = Attribution(2, 10, 30, 12, "jane", "Jane", "2020-05-01", "May 1, 2020", None)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"> x",), TypeError),
        (("> x", [], [], 0, 1), TypeError),
        (("> x", "  x", [], [], 0), TypeError),  # the view is no longer an argument
        ((b"> x", [], [], 0), TypeError),
        (("> x", (), [], 0), TypeError),
        (("> x", [], (), 0), TypeError),
        (("> x", [("not", "an", "attribution")], [], 0), TypeError),
        (("> x" * 12, [ATTRIBUTION], ["0"], 0), TypeError),
        (("> x", [], [], "0"), TypeError),
        (("> x", [], [], -1), ValueError),
        (("> x", [], [], 4), ValueError),
        (("> x", [ATTRIBUTION], [], 0), ValueError),  # its dash past the text
        (("> x", [ATTRIBUTION._replace(start=0, dash=4)], [], 0), ValueError),
        (("> x", [ATTRIBUTION._replace(start=4, dash=3)], [], 0), ValueError),
        (("> x" * 12, [ATTRIBUTION._replace(start=-1)], [], 0), ValueError),
        (("> x" * 12, [ATTRIBUTION._replace(dash=10**30)], [], 0), OverflowError),
    ],
)
def test_the_compiled_quotes_refuse_what_the_scanner_never_gives(arguments, error):
    compiled = (
        _attributions.has_quote_marker if len(arguments) == 1 else _attributions.quoted_embeds
    )
    with pytest.raises(error):
        compiled(*arguments)
