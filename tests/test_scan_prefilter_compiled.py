"""The compiled pre-filter (archiver/scan/_prefilter.c) finds what the Python one does.

Every other scanner test runs the compiled one (``prefilter.find_candidates``); these hold it to
``reference_find_candidates`` on pages built from what its searches tell apart: the openers of
embed elements, scripts and styles in any case, each followed or not by what may follow a name;
closing tags of code with spaces, other cases and characters that only look like their letters;
"(@" and "(<a" anchors; text nodes indented by runs of spaces up to and past 200 before "http://",
"https://" and near misses; wide and astral characters; pages of each kind of str, their
candidates far apart; and pages cut anywhere.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _prefilter, prefilter
from archiver.scan.prefilter import reference_find_candidates

NAMES = [
    "blockquote", "BlockQuote", "IFRAME", "iframe", "twitter-widget", "Twitter-Widget",
    "amp-twitter", "AMP-TWITTER", "amp-instagram", "amp-Instagram", "script", "SCRIPT", "Style",
    "style", "blockquot", "iframes", "scrip", "amp-", "twitter-widgets", "ſcript", "ſtyle",
    "İframe", "p", "a", "b",
]  # fmt: skip
AFTER_NAME = [" ", ">", "/", "\n", "\t", "\x0b", "\x85", "\u3000", "\u200b", "x", "-", "", "<"]
CLOSERS = [
    "</script>", "</SCRIPT >", "</Script\n>", "</script", "</scrip>", "</ſcript>", "</style>",
    "</STYLE\u3000>", "</stylé>", "< /script>", "</script\x85>", "</style", "</ style>",
]  # fmt: skip
URL_TEXT = ["http://", "https://", "http:/", "https:", "HTTP://", "ftp://", "http://x", "httpx"]
SPACES = [" ", "\t", "\r", "\n", "\xa0", "\u3000", "\x0b"]
OTHERS = [
    "(@", "(<a ", "(<A>", "(<a\n", "(<ab", "(<a", "(", "@", "(@@", "((@", "(<", "<", ">", "x",
    "😀", "é", "字", "<p>", "</p>", "<a href='x'>", "(<a href=y>@h</a>)",
]  # fmt: skip


@st.composite
def openers(draw):
    return f"<{draw(st.sampled_from(NAMES))}{draw(st.sampled_from(AFTER_NAME))}"


@st.composite
def text_nodes(draw):
    indent = "".join(draw(st.lists(st.sampled_from(SPACES), max_size=4)))
    return f">{indent}{draw(st.sampled_from(URL_TEXT))}"


FRAGMENTS = st.one_of(
    openers(),
    text_nodes(),
    st.sampled_from(CLOSERS),
    st.sampled_from(OTHERS),
    st.text(alphabet="(@<>/aAsSiI hpt:\n\xa0é😀", max_size=6),
)
PAGES = st.lists(FRAGMENTS, max_size=40).map("".join)


def assert_same(source):
    assert prefilter.find_candidates(source) == reference_find_candidates(source)


def test_the_install_built_the_compiled_searches():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert prefilter.find_candidates is not reference_find_candidates
    assert prefilter.candidates is _prefilter.candidates


@settings(max_examples=1000)
@given(PAGES)
def test_every_page_gives_both_the_same_candidates(source):
    assert_same(source)


@settings(max_examples=300)
@given(st.text(alphabet="(@<>/aAsScCrRiIpPtT hs:\t\n\xa0😀", max_size=50))
def test_any_markup_characters_give_both_the_same_candidates(source):
    assert_same(source)


# a character that makes the page a str of each kind: ASCII, Latin-1, BMP, beyond the BMP; and
# in two-byte strings, characters a byte of which is that of "<", "(" or ">" (the search reads
# bytes)
KINDS = ["", "é", "字", "😀", "\u2028", "\u283c", "\u3c3e", "\u013c", "\u3e00"]


@settings(max_examples=500)
@given(st.sampled_from(KINDS), st.lists(st.tuples(FRAGMENTS, st.integers(0, 70)), max_size=12))
def test_pages_of_each_kind_with_long_stretches_give_both_the_same_candidates(kind, parts):
    # the searches skip runs of other characters (memchr, wmemchr): candidates any distance apart
    assert_same(kind + "".join(fragment + "x" * gap for fragment, gap in parts))


@settings(max_examples=300)
@given(st.text(alphabet="(<>@ahpt/:\u2028\u283c\u3c3e\u013c\u3e28\u2800字", max_size=50))
def test_two_byte_pages_whose_characters_hold_a_searched_byte_give_both_the_same_candidates(
    source,
):
    assert_same(source)


@pytest.mark.parametrize(
    "source",
    [
        ">" + " " * 200 + "http://x",  # the longest indent a URL may have
        ">" + " " * 201 + "http://x",
        ">" + "\xa0" * 199 + "\t" + "https://x",
        "<script>(@a >https://x <blockquote></script>(@b<iframe>",
        "<style>(@a</style >(@b<script>(@c",  # a script left open runs to the end
        "<script>a</script\n\n>(@b",
        "<script><</script>(@b",  # a closer right after another "<"
        "<style>a<<</style>>https://x",
        "<blockquote class=x><script>(@a</script>(<a href=y>@b</a>)</blockquote>",
        "x(@<script>",
        "x(<a><script>",
        ">http://<style>",
        "<twitter-widget><TWITTER-WIDGET>",
        "<amp-twitter/><amp-instagram\t>",
        "<blockquote",
        "<script",
        "<script>",
        "(",
        "(<a",
        ">",
        ">https:/",
        "😀(@a😀>https://b😀<iframe>",
    ],
)
def test_the_searches_edges_give_both_the_same_candidates(source):
    for end in range(len(source) + 1):
        assert_same(source[:end])
        assert_same(source[end:])


@pytest.mark.parametrize(
    "source",
    [
        "(@a",
        "(<a>x",
        ">https://a",
        "<blockquote>",
        "<script>x</script>",
        "<style>x</style>",
        "<iframe src=x>",
        "<twitter-widget>",
    ],
)
def test_each_search_finds_its_candidate_in_both(source):
    found = prefilter.find_candidates(source)
    assert found == reference_find_candidates(source)
    assert found.elements or found.code or found.anchors or found.urls


@pytest.mark.parametrize("arguments", [(b"bytes",), (), ("a", "b"), (None,)])
def test_the_compiled_searches_refuse_arguments_of_other_types(arguments):
    with pytest.raises(TypeError):
        _prefilter.candidates(*arguments)
