"""The compiled picture links (archiver/scan/_attributions.c) are the ones the Python rule finds.

Every other scanner test runs the compiled one (``links.pic_links``, and the records built in C);
these hold it to ``reference_pic_links`` on texts built from picture links of both hosts, codes
of every length around the 32 the rule reads, near misses of the host ("pic.", "pic.twitter.co/",
other cases), codes that run into non-ASCII letters and digits, and the same code twice.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.models import EmbedForm
from archiver.scan import _attributions, links, scan_text
from archiver.scan.links import reference_pic_links

PIECES = [
    "pic.twitter.com/",
    "pic.x.com/",
    "pic.",
    "pic.twitter.co/",
    "pic.Twitter.com/",
    "pic.x.com",
    "PIC.x.com/",
    "ppic.x.com/",
    "p",
    "/",
    " ",
    "\n",
    "é",
    "Ł",  # U+0141: its low byte is "A"
    "٣",  # a digit to str.isalnum, not to the rule's [A-Za-z0-9]
    "Ａ",
    "🇺🇦",
    "_",
    "-",
]
ASCII_CODE = st.text(alphabet="abcXYZ0189", min_size=0, max_size=40)
PIECE = st.sampled_from(PIECES) | ASCII_CODE


def test_the_scanner_uses_the_compiled_links():
    assert links.pic_links is _attributions.pic_links


@settings(max_examples=600)
@given(st.lists(PIECE, max_size=30))
def test_any_text_gives_the_same_links(pieces):
    text = "".join(pieces)
    assert _attributions.pic_links(text) == reference_pic_links(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ()),
        ("no picture here", ()),
        ("pic.twitter.com/", ()),
        ("pic.twitter.com/a", ("pic.twitter.com/a",)),
        ("pic.x.com/Ab9", ("pic.twitter.com/Ab9",)),
        ("pic.x.com/Ab9 pic.twitter.com/Ab9", ("pic.twitter.com/Ab9",)),
        (
            "pic.twitter.com/b pic.twitter.com/a pic.x.com/b",
            ("pic.twitter.com/b", "pic.twitter.com/a"),
        ),
        ("pic.twitter.com/" + "a" * 31, ("pic.twitter.com/" + "a" * 31,)),
        ("pic.twitter.com/" + "a" * 32, ("pic.twitter.com/" + "a" * 32,)),
        ("pic.twitter.com/" + "a" * 33, ("pic.twitter.com/" + "a" * 32,)),
        # a code ends at 32 characters, and the search goes on from there
        (
            "pic.twitter.com/" + "a" * 32 + "pic.x.com/b",
            ("pic.twitter.com/" + "a" * 32, "pic.twitter.com/b"),
        ),
        ("pic.twitter.com/" + "a" * 31 + "pic.x.com/b", ("pic.twitter.com/" + "a" * 31 + "p",)),
        ("pic.twitter.com/abcé", ("pic.twitter.com/abc",)),
        ("pic.twitter.com/abcŁ", ("pic.twitter.com/abc",)),
        ("pic.twitter.com/٣", ()),
        ("ppic.x.com/a", ("pic.twitter.com/a",)),
        ("pic.pic.x.com/a", ("pic.twitter.com/a",)),
        ("pic.twitter.co/a pic.x.co/a", ()),
        ("🇺🇦pic.x.com/Z", ("pic.twitter.com/Z",)),
    ],
)
def test_the_rules_limits(text, expected):
    assert reference_pic_links(text) == expected
    assert _attributions.pic_links(text) == expected


def test_a_records_picture_links_are_read_in_c():
    article = (
        "Tanks in the street pic.x.com/Tk1 pic.twitter.com/Tk1 — Jane Roe (@janeroe) May 1, 2022"
    )
    (embed,) = scan_text(article).embeds
    assert embed.form == EmbedForm.TEXT_ATTRIBUTION
    assert embed.pic_links == ("pic.twitter.com/Tk1",)


def test_a_text_that_is_not_a_str_is_refused():
    with pytest.raises(TypeError):
        _attributions.pic_links(b"pic.x.com/a")  # type: ignore[arg-type]
