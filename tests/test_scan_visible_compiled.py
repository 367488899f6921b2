"""The compiled visible text (archiver/scan/_visible.c) is the tokenizer in Python's, field for field.

Every other scanner test runs the compiled one (``visible.visible_text``); these hold it to
``reference_visible_text`` on documents built from what the tokenizer tells apart: tags of every
kind the loop knows, in any case, with quoted attributes, closed, self-closed or not at all;
comments, declarations and character references whole and cut; lone "<" and "&"; text with tabs,
line breaks, wide and astral characters; each read through windows that cut anywhere.
"""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _visible, visible
from archiver.scan.visible import reference_visible_text, visible_text

RAW_TEXT = sorted(visible._RAW_TEXT)
# The known names, others, and names a letter short of or past a known one or of a first letter
# no known name has.
NAMES = [
    *RAW_TEXT, *sorted(visible._BLOCK), "a", "span", "em", "h7", "brr", "pref", "scripts", "my-tag:x",
    "x1", "p" * 41, "s" * 45, "t", "tabl", "tables", "thx", "d", "dialogs", "h", "h10", "sv", "z",
    "q", "blockquotes", "figcaptio",
]  # fmt: skip
ATTRIBUTES = [
    ' href="a>b"', " title='it\"s'", ' alt="it\'s > 2"', " data-x=1", " checked", ' a="<"',
    " b='x", ' c="', " d='>'", '\n\tclass="a b"', "/", " =", " src=x/",
]  # fmt: skip
CASES = [str.lower, str.upper, str.title, str.swapcase]
# Characters re folds to a letter of a raw-text name, and some it does not.
FOLDS = {"s": ["ſ", "S"], "i": ["İ", "ı", "I"], "t": ["T", "ţ"], "k": ["K"], "e": ["é"]}
END_SPACES = ["", "", " ", "\n", "\t ", "\x85", "\u3000", "\x0b", "\u200b"]
REFERENCES = [
    "&amp;", "&amp", "&AMP;", "&mdash;", "&bogus;", "&zzz", "&a;", "&ab", "&#8217;", "&#x2019;",
    "&#X2019", "&#xd;", "&#12345678;", "&#1234567;", "&#x110000;", "&#x10FFFFF;", "&#0;", "&#1;",
    "&#11;", "&#x0d;", "&#10;", "&#9;", "&#12;", "&#13", "&#32;", "&#x20", "&#160;", "&NewLine;",
    "&Tab;", "&nbsp;", "&nbsp", "&#;", "&#x;", "&#xg;", "&" + "z" * 33, "&amp" + "x" * 30,
    "&" + "q" * 31 + ";", "&ampx", "&notin;", "&notit;", "&#128;", "&#x80;", "&#xFFFF;", "&&amp;",
]  # fmt: skip
OTHERS = [
    "<!--", "-->", "<!-- x -->", "<!-->", "<!--->", "<!-- a < b > c -->", "<!", "<?", "<?xml?>",
    "<!DOCTYPE html>", "<!x", "<? a > b ?>", "<", "&", "< ", "<<", "&&", "</", "</ p>", "<3",
    "<a", "</br>", "<br/>", "<BR>", "</pre>", "<pre>", "<PRE >",
]  # fmt: skip
TEXTS = [
    "text", "a b", " ", "  ", "\t", "\n", "\r\n", "\r", "\f", "\x0b", "\x85", "\xa0", "\u3000",
    "\u2028", "é", "😀", "🇺🇦", "ſ", "K", "字", ">", '"', "'", "=", "/", "-", "!", "?", "#", ";",
    "x\ny", " \t\n ", "(@a) May 1, 2022",
]  # fmt: skip


@st.composite
def tags(draw):
    """A start or end tag: any name in any case, attributes, and how it ends (or does not)."""
    name = draw(st.sampled_from(CASES))(draw(st.sampled_from(NAMES)))
    attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3)))
    close = draw(st.sampled_from(["", "", "/"]))
    ending = draw(st.sampled_from([">", ">", ">", "/>", " />", "", " ", "<"]))
    return f"<{close}{name}{attributes}{ending}"


ANY_RAW_TEXT = st.sampled_from(RAW_TEXT)


@st.composite
def raw_text_ends(draw, name=ANY_RAW_TEXT):
    """The end of a raw-text element as re finds it or nearly: a letter in another case or a
    character that folds (or not) to it, spaces before the ">", or no ">"."""
    name = draw(st.sampled_from(CASES))(draw(name))
    if draw(st.booleans()):
        index = draw(st.integers(0, len(name) - 1))
        letter = name[index].lower()
        replacement = draw(st.sampled_from(FOLDS.get(letter, [letter.upper()])))
        name = name[:index] + replacement + name[index + 1 :]
    ending = draw(st.sampled_from(END_SPACES)) + draw(st.sampled_from([">", ">", ">", "", "/>"]))
    return f"</{name}{ending}"


@st.composite
def raw_text_elements(draw):
    """A raw-text element: its start tag, what re would take for markup in it, and its end."""
    name = draw(st.sampled_from(RAW_TEXT))
    attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2)))
    inside = draw(
        st.lists(st.sampled_from(["x", " ", "<b>", "<", "</", f"</{name}", "-->"]), max_size=3)
    )
    end = draw(raw_text_ends(st.just(name)))
    return f"<{draw(st.sampled_from(CASES))(name)}{attributes}>{''.join(inside)}{end}"


FRAGMENTS = st.one_of(
    tags(),
    raw_text_ends(),
    raw_text_elements(),
    st.sampled_from(REFERENCES),
    st.sampled_from(OTHERS),
    st.sampled_from(TEXTS),
    st.text(alphabet="ab <>&/!?-#;xX\"'=\t\n\r\fé😀", max_size=8),
)
DOCUMENTS = st.lists(FRAGMENTS, max_size=40).map("".join)


def assert_same(source, start=0, end=None):
    assert visible_text(source, start, end) == reference_visible_text(source, start, end)


def test_the_install_built_the_compiled_loop():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert visible.visible_text is not reference_visible_text
    assert visible.visible_parts is _visible.visible_parts


@settings(max_examples=700)
@given(DOCUMENTS, st.data())
def test_every_window_of_a_document_gives_both_the_same_visible_text(source, data):
    assert_same(source)
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    assert_same(source, start, end)
    assert_same(source, start)


@settings(max_examples=300)
@given(st.text(alphabet="<>/!?-&#;xXaApPrRbBsSc1 \t\n\"'=é😀ſİ", max_size=60), st.data())
def test_any_markup_characters_give_both_the_same_visible_text(source, data):
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    assert_same(source, start, end)


@pytest.mark.parametrize(
    ("start", "end"), [(-5, None), (-5, 3), (0, 100), (3, 1), (-9, -2), (50, 60), (0, 0), (4, 4)]
)
def test_windows_beyond_the_source_are_held_to_it_as_finditer_holds_them(start, end):
    assert_same("a<p>b &amp; <!-- c --> d", start, end)


def test_every_character_re_folds_to_a_raw_text_name_s_letter_ends_it_in_both():
    everything = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    for letter in sorted(set("".join(RAW_TEXT))):
        folding = re.compile(letter, re.IGNORECASE).findall(everything)
        assert len(folding) >= 2  # the letter in either case at least
        for name in RAW_TEXT:
            for index in (i for i, c in enumerate(name) if c == letter):
                for character in folding:
                    end = f"</{name[:index]}{character}{name[index + 1 :]}>"
                    assert_same(f"<{name}>hidden{end}seen")


@pytest.mark.parametrize("name", RAW_TEXT)
@pytest.mark.parametrize("character", ["K", "ß", "ﬅ", "ǰ", "\u0307", "ς"])
def test_characters_re_does_not_fold_to_a_letter_do_not_end_raw_text(name, character):
    for index in range(len(name)):
        assert_same(f"<{name}>hidden</{name[:index]}{character}{name[index + 1 :]}>seen")


@pytest.mark.parametrize(
    "source",
    [
        "<p>&#1;<p>x",  # a reference to a dropped character: nothing visible, yet no boundary
        "<p> &#32; <div>x",  # spaces only: still at the boundary
        "<pre>\ta\r\n</pre>\tb</pre></pre>\tc<pre>\td",  # more ends than starts
        "a<br>b</br><br/>c<BR>",
        "<" + "p" * 41 + ">x<" + "b" * 50 + ">y",
        "&#12345678;&#x10FFFFF;&" + "z" * 40 + "&amp" + "x" * 40,
        "<script/>a<script src='x'/>b</script>c<script>d</script >e",
        "<script></script>x<style></STYLE>y<title></title\n>z<svg>",
        "x<!",
        "x<?",
        "<!--",
        "a" * 1000 + "😀" + "<p>" * 100 + "&mdash;" * 100,
    ],
)
def test_the_tokenizer_s_edges_give_both_the_same_visible_text(source):
    for start in range(len(source) + 1):
        assert_same(source, start)
        assert_same(source, 0, start)


@pytest.mark.parametrize("name", NAMES)
def test_every_name_between_texts_gives_both_the_same_visible_text(name):
    # what each name makes (a break, a line, raw text, nothing) shows between two words
    for spelled in (case(name) for case in CASES):
        assert_same(f"a<{spelled}>b</{spelled}>c<{spelled}/>d")


@pytest.mark.parametrize("outside", ["", "é", "字", "😀"])
@pytest.mark.parametrize("inside", ["ab", "aé", "a字", "a😀"])
@pytest.mark.parametrize("reference", ["", "&eacute;", "&#x5b57;", "&#x1F600;"])
def test_texts_of_each_kind_read_from_sources_of_each_kind_are_alike(outside, inside, reference):
    # the source's widest character where the text does not hold it, in a tag or a comment; the
    # text's own from the source or from a reference (a str of either kind compares unequal)
    source = f"<p title='{outside}'>{inside} {reference}x\n\t{inside}</p><!--{outside}-->"
    for start in (0, 1, source.index(">") + 1):
        assert_same(source, start)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 1), TypeError),
        (("text", 0), TypeError),
        (("text", "1", 2), TypeError),
        (("text", 0, 2.0), TypeError),
        (("text", 0, sys.maxsize * 2), OverflowError),
    ],
)
def test_the_compiled_loop_refuses_arguments_of_other_types(arguments, error):
    with pytest.raises(error):
        _visible.visible_parts(*arguments)
