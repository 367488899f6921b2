"""The compiled reading of <a> elements (archiver/scan/_anchors.c) is html.py's, anchor for anchor.

Every other scanner test runs the compiled one (``html._anchors``); these hold it to
``reference_anchors`` on stretches built from what its patterns tell apart: "<a" and "<A" before
spaces, ">", word characters and others; attributes with "href" in any case, after word
characters or not, quoted, bare, empty or unclosed, and other attributes like it; texts with
tags, cut tags, entities and closing tags with spaces, in either case; links with spaces around
them and punctuation and brackets after them; runs at their length limits; and every stretch,
slack and start.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _anchors, html
from archiver.scan.html import reference_anchors

OPENERS = ["<a", "<A", "<a", "<ab", "<a_", "<aé", "<a1", "<abbr"]
ATTRIBUTES = [
    ' href="https://x.com/a/status/1"', " HREF='https://t.co/AbC'", " href=https://b.c/d?e=f&amp;g",
    ' Href = "x"', " href=", ' href="unclosed', " xhref=y", " data-href=z", " _href=q", " href",
    ' title="t"', " href=''", ' href=" https://a.b/c). "', " href=https://a.b/(c)", " href=&#104;",
    ' href="https://a.b/c…”’»"', "\u3000href=\u3000u", " href=a'b", ' class="x" href="y"', "/",
    ' href="https://a.b/((c))"', " hreF=h\"", " é=1",
]  # fmt: skip
AFTER_OPENER = [" ", "\n", ">", "/", ""]
TEXTS = [
    "@handle", "May 1, 2020", "pic.twitter.com/AbC", "<b>bold</b>", "<br/>", "<", ">", "a < b",
    "&amp;", "&mdash;", "&bogus", "x", "", "<img src='y'>", "é😀", "\n",
]  # fmt: skip
CLOSERS = ["</a>", "</A>", "</a >", "</a\n>", "</a", "</ab>", "</ a>", "</a\x85>", "</b>", ""]
OTHERS = ["x", " ", "(", ")", "<p>", "</p>", "<", ">", "&amp;", "é", "😀", "\n"]


@st.composite
def anchors(draw):
    opener = draw(st.sampled_from(OPENERS))
    attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3)))
    after = draw(st.sampled_from(AFTER_OPENER))
    text = "".join(draw(st.lists(st.sampled_from(TEXTS), max_size=3)))
    return f"{opener}{after}{attributes}>{text}{draw(st.sampled_from(CLOSERS))}"


FRAGMENTS = st.one_of(
    anchors(), st.sampled_from(OTHERS), st.text(alphabet="<>/aA hrf=\"'&;x.)(é", max_size=6)
)
STRETCHES = st.lists(FRAGMENTS, max_size=12).map("".join)


def assert_same(source, start, end, slack=0):
    compiled = html._anchors(source, start, end, slack=slack)
    assert compiled == reference_anchors(source, start, end, slack=slack)


def test_the_install_built_the_compiled_reading():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert html._anchors is not reference_anchors
    assert html.anchors is _anchors.anchors


@settings(max_examples=800)
@given(STRETCHES, st.data())
def test_every_stretch_gives_both_the_same_anchors(source, data):
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    slack = data.draw(st.sampled_from([0, 0, 1, 5, 64]))
    assert_same(source, start, end, slack)
    assert_same(source, 0, len(source))


@settings(max_examples=300)
@given(st.text(alphabet="<>/aA hrefHREF=\"'&;x).\u3000_", max_size=50), st.data())
def test_any_markup_characters_give_both_the_same_anchors(source, data):
    start = data.draw(st.integers(0, len(source)))
    assert_same(source, start, len(source), data.draw(st.integers(0, 5)))


@pytest.mark.parametrize(
    "source",
    [
        "<a" + " " * 3994 + "href=x>t</a>",  # attributes of 4,000 characters, and one more
        "<a" + " " * 3995 + "href=x>t</a>",
        "<a href=x>" + "t" * 2000 + "</a>",  # a text of 2,000 characters, and one more
        "<a href=x>" + "t" * 2001 + "</a>",
        "<a href=x><" + "b" * 1998 + ">t</a>",  # a tag as long as the text may be, and longer
        "<a href=x><" + "b" * 1999 + "></a>",
        "<a href=https://a.b/" + "c" * 2100 + ".>t</a>",  # a link cut at 2,000 characters
        "<a href=https://a.b/" + "c" * 1980 + "...).>t</a>",
        '<a href="https://a.b/(c)).">t</a>',
        '<a href="https://a.b/c)">t</a><a href=" \t&#32;https://a.b/d?!\xa0">u</a>',
        "<a href=x>a</a><a href=y>b</a><a href=z>c</a>",
        "<a href=x>a<a href=y>b</a>",  # an anchor inside another's text
        "<a>no link</a><a href=y>b</a>",
        "<a href=x>a</a",
        "<a href=x>",
        "<a href=x",
        "<a",
        "<a\u3000href=x>t</a\u3000>",
        "<a_ href=x>t</a><aé href=y>u</a><a- href=z>v</a>",
        "ahref=x<a xhref=y href=z>t</a>",
        "<a href=&quot;q&quot;>&lt;b&gt;</a>",
        "😀<a href=é>😀</a>😀",
    ],
)
def test_the_patterns_limits_give_both_the_same_anchors(source):
    for start in (0, 1, 2, len(source) // 2):
        for end in (len(source), len(source) - 1, len(source) - 4, start + 2, start):
            for slack in (0, 1, 4, 64):
                assert_same(source, start, max(start, end), slack)


@pytest.mark.parametrize(
    ("start", "end", "slack"), [(-5, 100, 0), (0, 100, 0), (3, 1, 0), (0, 5, -2), (-9, -2, 3)]
)
def test_stretches_beyond_the_source_are_held_to_it_as_finditer_holds_them(start, end, slack):
    assert_same("x<a href=y>z</a><A HREF=w>v</A>", start, end, slack)
    assert_same("<a href=y>z</a><A HREF=w>v</A>", start, end, slack)  # one at the source's start


def test_each_anchor_is_read_in_both():
    source = 'x <a href=" https://t.co/AbC, ">pic.<b>twitter</b>.com/AbC &amp; more</a> y'
    found = html._anchors(source, 0, len(source))
    assert found == reference_anchors(source, 0, len(source))
    assert found == [(2, "https://t.co/AbC", "pic.twitter.com/AbC & more", len(source) - 2)]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 1, 0), TypeError),
        (("text", 0, 1), TypeError),
        (("text", "0", 1, 0), TypeError),
        (("text", 0, 1.0, 0), TypeError),
        (("text", 0, 2**70, 0), OverflowError),
    ],
)
def test_the_compiled_reading_refuses_arguments_of_other_types(arguments, error):
    with pytest.raises(error):
        _anchors.anchors(*arguments)
