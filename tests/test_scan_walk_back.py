"""The compiled walk back (archiver/scan/_walk_back.c) answers as the rule in Python does.

Every other scanner test runs the compiled one (``post_text.post_start``); these hold it to
``reference_post_start`` line for line, on articles built from the lines the rule tells apart:
posts' own lines, lead-ins, short sentences, prose, quotations, hashtags, links, wide characters,
and breaks of every width between them.
"""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _walk_back, post_text
from archiver.scan.post_text import reference_post_start

OPENERS = [
    "",
    "",
    "",
    "@BNONews ",
    "🚨 ",
    "“",
    '"',
    "«",
    "「",
    "『",
    "#",
    "＃",
    "#1",
    "#12_",
    "#12a ",
    "字",
]
WORDS = [
    "a", "word", "reported", "longerwordsthanmost", "x" * 50, "https://t.co/AbCdEf123",
    "http://example.com/a/long/path/to/a/page", "pic.twitter.com/bgHyrsbVFs", "pic.x.com/abc",
    "t.co/x", "https://", "pic.", "字字", "\u1100", "\u10ff", "\u3000", '"', "“", "”", "«", "»", "#tag",
    "#1", "#_", "#2022war", "t.co/", ":", ".", "!",
]  # fmt: skip
ENDERS = [
    "",
    "",
    ".",
    "!",
    "?",
    "…",
    ".”",
    '."',
    ".”)",
    ".”))",
    ".)]",
    ":",
    "：",
    "”",
    '"',
    "»",
    "」",
]
SHORT_SENTENCE = "Last night, this was posted on Facebook."
BREAKS = ["\n", "\n\n", "\n\n\n", "\n\n\n\n", "\n \n", "\r\n\r\n", "\n\u00a0\n", " \n\n  "]
ATTRIBUTIONS = [
    " — Christopher Miller (@ChristopherJM) February 25, 2022",
    "\n— BNO News (@BNONews) February 24, 2022",
    "— Name (@handle) May 1, 2020",
]


@st.composite
def lines(draw):
    """A line of an article: an opening that may show a post, words and links, an ending."""
    words = draw(st.lists(st.sampled_from(WORDS), max_size=40))
    if draw(st.booleans()):  # a length near a lead-in's 100 or a post's 280
        pad = draw(st.sampled_from([SHORT_SENTENCE, "x" * 95, "y" * 275, "z" * 138]))
        words.insert(draw(st.integers(0, len(words))), pad)
    return draw(st.sampled_from(OPENERS)) + " ".join(words) + draw(st.sampled_from(ENDERS))


@st.composite
def articles(draw):
    """An article of lines and breaks ending in an attribution; its dash's position."""
    parts = []
    for _ in range(draw(st.integers(0, 9))):
        parts.append(draw(lines()))
        parts.append(draw(st.sampled_from(BREAKS)))
    parts.append(draw(lines()))
    article = "".join(parts)
    attribution = draw(st.sampled_from(ATTRIBUTIONS))
    dash = len(article) + attribution.index("—")
    article += attribution + draw(st.sampled_from(["", "\n", "\n\nMore prose follows."]))
    return article, dash


def test_the_install_built_the_compiled_walk_back():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert post_text.post_start is _walk_back.post_start


@settings(max_examples=600)
@given(articles(), st.integers(0, 100))
def test_the_compiled_walk_back_answers_as_the_rule_in_python(article_and_dash, floor_share):
    article, dash = article_and_dash
    floor = dash * floor_share // 100
    assert _walk_back.post_start(article, dash, floor) == reference_post_start(article, dash, floor)


@given(st.text(alphabet='ab #＃@.:!?…"“”«»「」 \n\u3000\u00a0\r—😀t/co', max_size=400), st.data())
def test_any_text_gives_both_the_same_start(text, data):
    dash = data.draw(st.integers(0, len(text)))
    floor = data.draw(st.integers(0, dash))
    assert _walk_back.post_start(text, dash, floor) == reference_post_start(text, dash, floor)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 5000 + "\nThe post — Name (@handle) May 1, 2020",  # a line longer than a post's
        "\n" * 500 + "The post — Name (@handle) May 1, 2020",  # blank lines beyond the post's
        "Lead-in:\n" + "x" * 4500 + " — Name (@handle) May 1, 2020",  # the dash's line cut
        "https://t.co/" + "x" * 2500 + "\n\nlink — Name (@handle) May 1, 2020",  # a long link
        "Ends with a wide space\u3000\n\n" + "字" * 139 + " — Name (@handle) May 1, 2020",
    ],
)
def test_long_lines_and_blank_stretches_give_both_the_same_start(text):
    dash = text.index("—")
    for floor in (0, 1, dash // 2, dash):
        assert _walk_back.post_start(text, dash, floor) == reference_post_start(text, dash, floor)


def sentence(length):
    """A short sentence (a lead-in) of ``length`` characters."""
    return ("Last night, this was posted on Facebook" + " and more" * 12)[: length - 1] + "."


WIDE = "\u10ff\u1100"  # the last character weighed as one, the first weighed as two


def post_weighing(weight, wide):
    """A post's line of ``weight`` as Twitter counts it, a link and one ``wide`` character in it."""
    return "https://t.co/AbCdEf123 " + wide + "p" * (weight - 25)


ABOVE = [sentence(99), sentence(100), sentence(101), "The ministry wrote:", "Prose " * 30]
BETWEEN = ["\n", "\n\n", "\n\n\n"] + ["\n" + " " * blank + "\n" for blank in (397, 398, 399)]
POSTS = [
    "A short post",
    *(post_weighing(weight, wide) for weight in (279, 280, 281) for wide in WIDE),
]


@pytest.mark.parametrize("above", ABOVE)
@pytest.mark.parametrize("between", BETWEEN)
@pytest.mark.parametrize("post", POSTS)
def test_lines_at_the_rule_s_limits_give_both_the_same_start(above, between, post):
    # a lead-in's 100 characters, a post's 280 (a link as 23, U+1100 the first wide character),
    # 400 characters of blank lines between two lines of one post
    for layout in ([above, between, post], [post, between, above, "\n", post], [above, between]):
        text = ("Prose " * 30 + "\n\n") * 2 + "".join(layout) + " — Name (@handle) May 1, 2020"
        dash = text.index("—")
        for floor in (0, 182):
            assert _walk_back.post_start(text, dash, floor) == reference_post_start(
                text, dash, floor
            )


@pytest.mark.parametrize("weight", [279, 280, 281])
@pytest.mark.parametrize("wide", WIDE)
@pytest.mark.parametrize("blank", ["\n", "\u3000\n", "\n\u3000"])  # U+3000 weighs 2 there too
def test_a_line_joining_the_post_at_its_limit_gives_both_the_same_start(weight, wide, blank):
    # the line above, the blank after it and the post up to the dash weigh ``weight``
    post = "p" * 100
    above = wide + "q" * (weight - len(post) - 1 - len(blank) - blank.count("\u3000"))
    text = "Prose " * 30 + "\n\n" + above + blank + post + " — Name (@handle) May 1, 2020"
    dash = text.index("—")
    assert _walk_back.post_start(text, dash, 0) == reference_post_start(text, dash, 0)


@pytest.mark.parametrize("weight", [279, 280, 281])
@pytest.mark.parametrize(
    "ending", ["word", "https://t.co/AbC", "t.co/", "pic.x.com/a", "\u10ff", "\u1100", "\u3000"]
)
@pytest.mark.parametrize("lines", [2, 3, 6])
@pytest.mark.parametrize("dash", [" — ", "\n— ", "\u3000 — "])
def test_a_post_weighed_a_line_at_a_time_at_its_limit_gives_both_the_same_start(
    weight, ending, lines, dash
):
    # the walk weighs each line once, as it joins the post: lines that end with a link, a wide
    # character or a wide space, the whole ``weight`` as Twitter counts it up to the dash
    body = "".join("@a https://t.co/x " + "w" * 10 + " " + ending + "\n" for _ in range(lines))
    post = "@line " + body
    for pad in range(-3, 4):
        filler = "p" * max(0, weight - 230 + pad)
        text = (
            "Prose " * 30 + "\n\n" + filler + "\n" + post + "last" + dash + "Name (@a) May 1, 2020"
        )
        at = text.index("—")
        for floor in (0, 182, text.index("@line")):
            assert _walk_back.post_start(text, at, floor) == reference_post_start(text, at, floor)


def test_every_code_point_is_told_a_symbol_or_not_as_unicodedata_tells_it():
    # a lead-in's first character shows a post when it is an other symbol (So); the compiled walk
    # tells letters, common quotes and the emoji blocks itself
    for code in range(0x80, 0x110000):
        character = chr(code)
        if character.isspace():
            continue
        text = character + ":\n— Name"
        dash = text.index("—")
        symbol = unicodedata.category(character) == "So"
        assert _walk_back.post_start(text, dash, 0) == (0 if symbol else dash), hex(code)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 0), TypeError),
        (("text", 0), TypeError),
        (("text", "1", 0), TypeError),
        (("text", 2, 3), ValueError),  # the floor past the dash
        (("text", 5, 0), ValueError),  # the dash past the text
        (("text", 1, -1), ValueError),
    ],
)
def test_the_compiled_walk_back_refuses_arguments_out_of_range(arguments, error):
    with pytest.raises(error):
        _walk_back.post_start(*arguments)
