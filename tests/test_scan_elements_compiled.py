"""The compiled reading of embed elements (archiver/scan/_elements.c) is markup.py's, element for element.

Every other scanner test runs the compiled one (``markup._elements``); these hold it to
``reference_elements`` on pages built from what the start tag, attribute and element end patterns
tell apart: names up to and past 41 characters; attributes quoted, bare, empty, unclosed, with
"<", ">", "&", other quotes and spaces of every kind inside, keys in any case and not ASCII,
repeated keys; self-closing tags; closing tags and nested openers in any case, with the letters
re folds to an ASCII one; quoted values and elements past their length limits; and every start.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _elements, markup
from archiver.scan.markup import reference_elements

NAMES = [
    "blockquote", "BLOCKQUOTE", "iframe", "IFrame", "twitter-widget", "amp-twitter", "a", "x1",
    "my:tag", "b" * 41, "c" * 45, "1a", "-", "",
]  # fmt: skip
ATTRIBUTES = [
    ' class="twitter-tweet"', " CLASS='a b'", " data-x=1", " checked", ' a="<>"', " b='it\"s'",
    ' c="', " d='", ' e = "x" ', " f=", " =g", ' h="&amp;&lt;&bogus;"', " i=&quot;x", " j=a/b",
    " src=x/", "/", " k=\"\"", " l=''", ' Class="again"', ' ÄÖ="umlaut"', " \u3000m=n",
    "\tn\n=\x0bo", " p=q>r", ' İd="x"', " s=t&u", ' x"y"', " z='a'b",
]  # fmt: skip
ENDINGS = [">", ">", "/>", " />", "", " ", "<", '"']
CLOSERS = ["</{}>", "</{} >", "</{}", "<{}>", "<{} x>", "</{}\n>", "</{}x>", "<{}/>", "</ {}>"]
FOLDS = {"k": ["K", "K"], "s": ["S", "ſ"], "i": ["I", "İ", "ı"], "e": ["E", "é"], "a": ["A"]}
TEXTS = ["x", " ", "\n", "<p>", "</p>", ">", "<", "&amp;", "é", "😀", '"', "'", "=", "/"]


def fold(name, draw):
    """``name`` with one letter in another case, or a character re folds (or not) to it."""
    if not name or not draw(st.booleans()):
        return name
    index = draw(st.integers(0, len(name) - 1))
    letter = name[index].lower()
    replacement = draw(st.sampled_from(FOLDS.get(letter, [letter.upper()])))
    return name[:index] + replacement + name[index + 1 :]


@st.composite
def elements(draw):
    name = draw(st.sampled_from(NAMES))
    attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=4)))
    inside = "".join(draw(st.lists(st.sampled_from(TEXTS), max_size=4)))
    closer = draw(st.sampled_from(CLOSERS)).format(fold(name.lower(), draw))
    return f"<{name}{attributes}{draw(st.sampled_from(ENDINGS))}{inside}{closer}"


FRAGMENTS = st.one_of(
    elements(),
    st.sampled_from(TEXTS),
    st.text(alphabet="<>/ab =\"'&;xé😀\n", max_size=6),
)
PAGES = st.lists(FRAGMENTS, max_size=12).map("".join)


def assert_same(source, starts):
    assert markup._elements(source, starts) == reference_elements(source, starts)


def every_start(source):
    return list(range(len(source) + 1))


def test_the_install_built_the_compiled_reading():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert markup._elements is not reference_elements
    assert markup.elements is _elements.elements


@settings(max_examples=800)
@given(PAGES)
def test_every_start_of_a_page_gives_both_the_same_elements(source):
    assert_same(source, every_start(source))


@settings(max_examples=300)
@given(st.text(alphabet="<>/aAbB1:- =\"'&;\t\nſK", max_size=40))
def test_any_markup_characters_give_both_the_same_elements(source):
    assert_same(source, every_start(source))


LIMITS = [
    "<" + "a" * 41 + ' x="y">',  # the longest name
    "<" + "a" * 42 + ' x="y">',  # one more name character: read as an attribute
    '<p x="' + "v" * 4096 + '">',  # the longest quoted value
    '<p x="' + "v" * 4097 + '">',
    "<p x='" + "v" * 4096 + "'>",
    "<p x='" + "v" * 4097 + "'>",
    "<p " + "x" * 8188 + ">",  # a start tag of 8,192 characters, and one more
    "<p " + "x" * 8189 + ">",
    "<p>" + "x" * 65536 + "</p>",  # an element that ends at its length limit, and past it
    "<p>" + "x" * 65530 + "</p>",
    "<p>" + "x" * 65529 + "</p >",
    "<p>" + "x" * 65533 + "</p",
    "<p>" + "x" * 65532 + "<p x",
    "<blockquote>a<blockquote>b</blockquote></blockquote>",
    "<blockquote>a</BLOCKQUOTE\n>",
    "<blockquote>a</blockquote",
    "<iframe src=x />a</iframe>",
    '<p a="1" A="2" a=3>',
    "<p a=&amp; b='&lt;' c=\"&#x41;\" d=&notanentity>",
    '<p "a"=b c"d"=e>',
    "<p =a b= c=>",
    "<p\u3000a=b\x85c=d\u200be=f>",
    '<p ÄÖ="1" ǅ=2 İ=3>',  # keys lowered as str.lower lowers them
    "<p a='x\"y' b=\"x'y\">",
    "<p/>",
    "<p/ >",
    "<a>",
    "<",
    "<>",
    "<1>",
    "",
]


@pytest.mark.parametrize("source", LIMITS)
def test_the_patterns_limits_give_both_the_same_elements(source):
    assert_same(source, every_start(source) if len(source) < 100 else [0])


# A character of each str kind (ASCII, Latin-1, BMP, non-BMP): the compiled reading finds quotes,
# "<" and ">" with a search for each kind (memchr where it can).
KINDS = ["a", "\xe9", "\u5b57", "\U0001f600"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("source", LIMITS)
def test_the_patterns_limits_give_both_the_same_elements_in_each_kind(source, kind):
    for page in (source + kind, kind + source.replace("x", kind)):
        assert_same(page, every_start(page) if len(page) < 100 else [0, 1])


def test_every_character_re_folds_to_a_name_s_letter_ends_the_element_in_both():
    everything = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    for letter in "abcdefghijklmnopqrstuvwxyz":
        folding = re.compile(letter, re.IGNORECASE).findall(everything)
        assert len(folding) >= 2  # the letter in either case at least
        for character in folding:
            for source in (f"<x{letter}>a</x{character}>b", f"<x{letter}>a<x{character}>b"):
                assert_same(source, [0])
                assert markup._elements(source, [0])[0].end < len(source)


@pytest.mark.parametrize("character", ["ß", "ﬅ", "\u0307", "ς", "٣", "０", "：", "‐"])
def test_characters_re_does_not_fold_to_a_name_s_character_do_not_end_the_element(character):
    for name in ("s", "t", "h3", "a0", "a:b", "a-b"):
        for index in range(len(name)):
            source = f"<{name}>a</{name[:index]}{character}{name[index + 1 :]}>b"
            assert_same(source, [0])
            assert markup._elements(source, [0])[0].end == len(source)


def test_each_element_is_read_in_both():
    source = '<blockquote class="twitter-tweet" data-x=&amp;>a</blockquote><iframe src=y/>'
    found = markup._elements(source, [0, source.index("<iframe")])
    assert found == reference_elements(source, [0, source.index("<iframe")])
    assert [(e.name, e.attributes) for e in found] == [
        ("blockquote", {"class": "twitter-tweet", "data-x": "&"}),
        ("iframe", {"src": "y/"}),
    ]


@pytest.mark.parametrize("function", ["elements", "markup_embeds"])
@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", [0]), TypeError),
        (("text",), TypeError),
        (("text", (0,)), TypeError),
        (("text", ["0"]), TypeError),
        (("text", [-1]), ValueError),
        (("text", [5]), ValueError),
        (("text", [2**70]), OverflowError),
    ],
)
def test_the_compiled_reading_and_loop_refuse_arguments_of_other_types(function, arguments, error):
    # markup_embeds reads its arguments as elements does
    with pytest.raises(error):
        getattr(_elements, function)(*arguments)
