"""The compiled links of a post (archiver/scan/_links.c) are the Python ones.

Every other scanner test runs the compiled one (``links.other_links``, which the records of
attributions and of HTML posts call); these hold it to ``reference_other_links`` on texts built
from the pieces of links: each opening in either case, picture links with and without a scheme
or "www.", codes of up to 33 characters, the punctuation trimmed after a link, parentheses that
balance or not, the characters that end a link (every kind of space among them), words glued
before "t.co/", and runs that reach 2,000 characters after the opening, or just do not.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _links, links
from archiver.scan.links import _MAX_LINK, _TRAILING_PUNCTUATION, reference_other_links

OPENINGS = ["https://", "http://", "t.co/", "HTTPS://", "http:/", "t.co", "://", "s://"]
PICTURES = [
    "pic.twitter.com/",
    "pic.x.com/",
    "PIC.Twitter.COM/",
    "www.pic.x.com/",
    "https://pic.twitter.com/",
    "http://www.pic.x.com/",
    "pic.y.com/",
    "pic.twitter.co/",
]
PATHS = ["a", "AbC12", "b/c", "?q=1&s=2", "#x", "é", "字", "😀", "-", "%20", "::", "//"]
PUNCTUATION = [*_TRAILING_PUNCTUATION, "(", ")", "()", "))"]
ENDS = [" ", "\n", "\t", "\xa0", "\u3000", "\x85", "\u2028", "<", ">", '"', "'", "«", "»", "“"]
GLUED = ["a", "é", "_", "1", "ǅ", "-", "(", "/", "😀"]


def often(common, rare):
    """One of ``common`` (each alike) four times in five, else one of ``rare``."""
    return st.sampled_from(common * (4 * len(rare)) + rare * len(common))


@st.composite
def link_like(draw):
    """An opening or a picture link's start, a path, and punctuation after it."""
    opening = draw(st.sampled_from(OPENINGS + PICTURES))
    path = draw(st.lists(st.sampled_from(PATHS), max_size=4).map("".join))
    if draw(st.booleans()):
        path += "A" * draw(st.integers(30, 34))
    tail = draw(st.lists(st.sampled_from(PUNCTUATION), max_size=3).map("".join))
    return opening + path + tail


texts = st.lists(
    st.one_of(link_like(), st.sampled_from(ENDS + GLUED + PUNCTUATION + ["word"])), max_size=10
).map("".join)


def test_the_install_built_the_compiled_links():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert links.other_links is _links.other_links
    assert links.other_links is not reference_other_links


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_the_compiled_links_are_the_python_ones(text):
    assert links.other_links(text) == reference_other_links(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "See https://a.b/c, then (https://a.b/d) and https://a.b/c.",
            ("https://a.b/c", "https://a.b/d"),
        ),
        (
            "https://en.wikipedia.org/wiki/Kyiv_(city))).",
            ("https://en.wikipedia.org/wiki/Kyiv_(city)",),
        ),
        ("via t.co/AbC and at.co/x, _t.co/y, ét.co/z, -t.co/w", ("t.co/AbC", "t.co/w")),
        ("pic.twitter.com/AbC https://PIC.X.com/d t.co/e", ("t.co/e",)),
        ("www.pic.x.com/" + "a" * 33 + " http://x.y/", ("http://x.y/",)),
        (
            "https://pic.twitter.com/a?b http:// https://a.b/c:// x://y",
            ("https://pic.twitter.com/a?b",),
        ),
        (
            "https://a.b/«c» “https://a.b/d” <https://a.b/e>",
            ("https://a.b/", "https://a.b/d", "https://a.b/e"),
        ),
        ("http://https://x.y/z", ("http://https://x.y/z",)),
        ("no link: t.co https:/ pic.twitter.com/", ()),
    ],
)
def test_links_as_the_rule_reads_them(text, found):
    assert links.other_links(text) == found
    assert reference_other_links(text) == found


@pytest.mark.parametrize("opening", ["https://", "http://", "t.co/"])
@pytest.mark.parametrize("shift", range(-2, 3))
@pytest.mark.parametrize("tail", ["", ".", ")", "://", " https://a.b/c"])
def test_a_run_at_the_limit(opening, shift, tail):
    # _LINK takes at most 2,000 characters after its opening; trim_link keeps at most 2,000 of
    # the whole match, then drops the punctuation that ends it
    for filler in ("a", "(", ".", ")"):
        text = opening + filler * (_MAX_LINK + shift - len(opening)) + tail
        assert links.other_links(text) == reference_other_links(text)
        text = opening + filler * (_MAX_LINK + shift) + tail
        assert links.other_links(text) == reference_other_links(text)


@pytest.mark.parametrize("opening", ["https://", "http://", "t.co/"])
@pytest.mark.parametrize("filler", range(_MAX_LINK - 12, _MAX_LINK + 3))
def test_a_link_glued_where_the_run_or_the_trim_stops(opening, filler):
    # the search goes on where _LINK's run stopped (2,000 characters after the opening), not
    # where trim_link cut the link (2,000 characters after its start): a link glued there is
    # found only when the run stopped before it
    text = opening + "a" * filler + "http://x.y/z"
    assert links.other_links(text) == reference_other_links(text)


@pytest.mark.parametrize("length", [0, 1, 31, 32, 33])
@pytest.mark.parametrize("picture", PICTURES)
def test_a_picture_link_at_the_code_limit(length, picture):
    text = f"{picture}{'Ab1' * 11}"[: len(picture) + length]
    for wrapped in (text, f"https://{text}", f"({text}).", f"t.co/x {text}"):
        assert links.other_links(wrapped) == reference_other_links(wrapped)


@pytest.mark.parametrize("argument", [b"https://a.b/c", None, 3])
def test_the_compiled_links_refuse_what_is_not_text(argument):
    with pytest.raises(TypeError):
        _links.other_links(argument)
