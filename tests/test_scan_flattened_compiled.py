"""The compiled record of a flattened attribution in a page (archiver/scan/_flattened.c) is
html.py's, record for record.

Every other scanner test runs the compiled one (``html._attribution_in_source``); these hold it to
``reference_attribution_in_source`` on pages built from what the record reads: posts whose
visible text has runs of spaces and tabs, line breaks, blank lines and Unicode spaces to tidy,
entities where a span starts or ends, anchors that carry links, hashtags, mentions and picture
links, links written out in the text (inside an anchor or not, twice), dates linked to a post, to
another page or not at all, further anchors in the slack after the date, and handles of X and of
Bluesky; each read through windows that start anywhere. Then the limits: the slack's last
character, ties between links at one place, visible texts without pieces, and spans outside the
text.
"""

import pytest
from embed_records import record
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _flattened, html
from archiver.scan.html import reference_attribution_in_source, reference_plain_text_at
from archiver.scan.text import Attribution, find_attributions
from archiver.scan.visible import VisibleText, visible_text

SPACES = [" ", "  ", " \t ", "\t", "\n", "\n\n", "<br>", "<br><br>", "\u3000", "\x85", "&nbsp;", ""]
WORDS = ["Breaking:", "news", "字", "😀", "é", "&amp;", "&mdash;", "a\u2028b", "x\ry", "(1)"]
LINKS = [
    '<a href="https://t.co/AbC">https://t.co/AbC</a>',
    '<a href="https://t.co/AbC">pic.twitter.com/AbC</a>',
    '<a href="https://example.org/a?b=1&amp;c=2">example.org/a…</a>',
    '<a href="https://twitter.com/hashtag/Kyiv">#Kyiv</a>',
    '<a href="https://twitter.com/jane">@jane</a>',
    '<a href="mailto:x@y.z">mail</a>',
    "<a>no link</a>",
    "https://example.org/written",
    "t.co/Written1",
    "pic.x.com/Pic2",
    "https://t.co/AbC",
]
NAMES = ["Jane Roe", "BNO &amp; News", "字 😀"]
HANDLES = [
    "janeroe", "jane.bsky.social", '<a href="https://twitter.com/janeroe">janeroe</a>',
]  # fmt: skip
STATUS_URLS = [
    "https://twitter.com/jane/status/123?ref_src=twsrc%5Etfw",
    "https://x.com/jane/status/9?s=20&amp;t=x",
    "https://bsky.app/profile/jane.bsky.social/post/3kabc",
    "https://example.org/not/a/post",
]
DATE_TEXTS = ["May 1, 2020", "March 3, 2019&nbsp;", "1 May 2020"]
AFTER = [
    "", "</p>", " <a href='https://x.com/a/status/77'>x</a>", "<p>next</p>",
    " " * 40 + "<a href='https://x.com/b/status/78'>y</a>",
    "<a href='https://twitter.com/c/status/79'>" + "z" * 60 + "</a>",
]  # fmt: skip


@st.composite
def dates(draw):
    date = draw(st.sampled_from(DATE_TEXTS))
    link = draw(st.sampled_from([None, *STATUS_URLS]))
    if link is None:
        return date
    if draw(st.booleans()):
        return f"[{date}]({link})"  # a Markdown link left in the page's text
    return f'<a href="{link}">{date}</a>'


@st.composite
def attributions(draw):
    parts = st.one_of(st.sampled_from(SPACES), st.sampled_from(WORDS), st.sampled_from(LINKS))
    post = "".join(draw(st.lists(parts, max_size=8)))
    dash = draw(st.sampled_from(["&mdash; ", "— ", "-- ", "- "]))
    name, handle = draw(st.sampled_from(NAMES)), draw(st.sampled_from(HANDLES))
    return f"<p>{post}</p>{dash}{name} (@{handle}) {draw(dates())}{draw(st.sampled_from(AFTER))}"


PAGES = st.lists(
    st.one_of(attributions(), st.sampled_from(["<p>Some prose.</p>", "<div>", "\n", "x"])),
    min_size=1,
    max_size=4,
).map("".join)


def assert_same(source, seen, found):
    compiled = html._attribution_in_source(source, seen, found)
    assert record(compiled) == record(reference_attribution_in_source(source, seen, found))
    return compiled


def records_of(source, window_start=0):
    seen = visible_text(source, window_start, len(source))
    return [assert_same(source, seen, found) for found in find_attributions(seen.text)]


def test_the_install_built_the_compiled_record():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert html._attribution_in_source is _flattened.attribution_in_source
    assert html._plain_text_at is _flattened.plain_text_at


@settings(max_examples=500, deadline=None)
@given(PAGES, st.data())
def test_every_page_gives_both_the_same_records(source, data):
    records_of(source)
    records_of(source, data.draw(st.integers(0, len(source))))


def test_the_pages_hold_what_the_record_reads():
    # What the strategy draws reaches the record's branches: a status URL from an anchor, from a
    # Markdown link, none; links from anchors and written out; a post tidied over lines.
    source = (
        "<p>One  \t two<br><br> <br>three &amp; "
        '<a href="https://t.co/AbC">https://t.co/AbC</a> https://example.org/written</p>'
        '&mdash; Jane Roe (@janeroe) <a href="https://x.com/jane/status/9?s=20">May 1, 2020</a>'
        "<p>Four</p>— BNO (@jane.bsky.social) [May 1, 2020](https://example.org/not/a/post)"
    )
    first, second = records_of(source)
    assert first.text == "One two\n\n\nthree & https://t.co/AbC https://example.org/written"
    assert first.links == ("https://t.co/AbC", "https://example.org/written")
    assert (first.status_id, first.status_url) == ("9", "https://x.com/jane/status/9")
    assert source[first.start : first.end].endswith("May 1, 2020")
    assert (second.platform, second.status_url, second.text) == ("bluesky", None, "Four")


@pytest.mark.parametrize(
    "post",
    [
        "a  b", "a\t\tb", "a \tb", "a\tb", "a \t", "\t a", " \n a \n\n b \n ", "a\u3000\u3000b",
        "\x85a\x85", "a\u2028\u2028b", "a\rb", " ", "", "a" + " " * 50 + "\tb", "字  😀\t\té",
    ],
)  # fmt: skip
def test_the_posts_text_is_tidied_alike(post):
    seen = VisibleText(f"{post} — Jo (@jo) May 1, 2020", [0], [0], [0], [True])
    (found,) = find_attributions(seen.text)
    assert_same(seen.text, seen, found._replace(start=0))


@pytest.mark.parametrize("gap", [0, 1, 59, 60, 61, 100])
def test_a_date_link_closed_within_the_slack_alike(gap):
    # html._AFTER_DATE: the anchor around the date counts when its "</a>" ends within 64
    # characters after the date.
    source = f'<p>Post</p>— Jo (@jo) <a href="https://x.com/jo/status/5">May 1, 2020{" " * gap}</a>'
    (embed,) = records_of(source)
    assert (embed.status_id == "5") == (gap + len("</a>") <= 64)


def test_links_at_one_place_are_ordered_by_their_text_alike():
    # Two written links mapped to one source offset (an entity the text expands) sort by link.
    source = "<p>&#x68;ttps://b.org/x https://a.org/y</p>— Jo (@jo) May 1, 2020"
    seen = visible_text(source)
    (found,) = find_attributions(seen.text)
    assert assert_same(source, seen, found).links == ("https://b.org/x", "https://a.org/y")
    tied = Attribution(0, 2, 3, 1, "jo", "Jo", "2020-05-01", "May 1, 2020", None)
    text = "https://b.org/x https://a.org/y t.co/AbC"
    together = VisibleText(text, [0], [7], [8], [False])
    assert assert_same("<p>" * 3, together, tied._replace(dash=len(text))).links == (
        "https://a.org/y",
        "https://b.org/x",
        "t.co/AbC",
    )


@pytest.mark.parametrize("between", ["", " ", "x"])
def test_a_link_written_just_after_an_anchor_is_its_own_alike(between):
    # An anchor's span ends where the next character starts: a link written there is not in it.
    source = f'<p>See <a href="https://t.co/AbC">it</a>{between}https://a.org/y</p>— Jo (@jo) May 1'
    (embed,) = records_of(source + ", 2020")
    assert embed.links == ("https://t.co/AbC", "https://a.org/y")


@pytest.mark.parametrize("count", [7, 8, 9, 17])
def test_a_post_of_many_anchors_keeps_each_alike(count):
    # The compiled record reads a post's anchors into an array that grows past eight.
    links = [f"https://t.co/Ab{i}" for i in range(count)]
    anchors = " ".join(
        f"<a href='{link}'>w{i}</a> <a href='#n{i}'>#{i}</a>" for i, link in enumerate(links)
    )
    (embed,) = records_of(f"<p>See {anchors}</p>— Jo (@jo) May 1, 2020")
    assert embed.links == tuple(links)


@pytest.mark.parametrize("handle", ["jo", ".jo", "jo.", "j.o", "字.jo"])
def test_a_handle_with_a_dot_anywhere_is_bluesky_alike(handle):
    seen = VisibleText(f"Post — Jo (@{handle}) May 1, 2020", [0], [0], [40], [True])
    (found,) = find_attributions(seen.text.replace(handle, "jo"))
    embed = assert_same(seen.text, seen, found._replace(handle=handle))
    assert embed.platform == ("bluesky" if "." in handle else "twitter")


@pytest.mark.parametrize(
    ("start", "dash", "end", "anchor"),
    [(0, 4, 9, 6), (-3, 4, 9, 6), (2, 1, 9, 6), (0, 99, 99, 99), (-99, -1, -1, -99), (0, 0, 0, 0)],
)
def test_spans_outside_the_text_are_read_as_python_reads_them(start, dash, end, anchor):
    found = Attribution(start, dash, end, anchor, "jo", "Jo", "2020-05-01", "May 1", None)
    seen = VisibleText(
        "ab\ncd&x (@jo) May 1", [0, 5, 6], [10, 20, 24], [15, 24, 40], [True, False, True]
    )
    assert_same("s" * 50, seen, found)
    one_piece = VisibleText("ab\ncd&x (@jo) May 1", [0], [10], [30], [True])
    assert_same("s" * 50, one_piece, found)


def test_a_visible_text_without_pieces_fails_alike():
    found = Attribution(0, 0, 1, 0, "jo", "Jo", "2020-05-01", "May 1", None)
    empty = VisibleText("", [], [], [], [])
    with pytest.raises(IndexError):
        reference_attribution_in_source("", empty, found)
    with pytest.raises(IndexError):
        html._attribution_in_source("", empty, found)
    assert_same("", empty, found._replace(end=0))


@pytest.mark.parametrize(
    "arguments",
    [
        (b"source", VisibleText("", [], [], [], []), None),
        ("source", VisibleText("", [], [], [], []), (0, 0, 0, 0, "jo", "Jo", "d", "d", None)),
        (
            "source",
            VisibleText("", [0], [], [], []),
            Attribution(0, 0, 0, 0, "jo", "", "", "", None),
        ),
        ("source", VisibleText("", [], [], [], []), Attribution(0, 0, 0, 0, 1, "", "", "", None)),
        (
            "source",
            VisibleText("ab", [0], ["0"], [2], [True]),
            Attribution(0, 0, 0, 0, "jo", "", "", "", None),
        ),
        ("source", VisibleText("", [], [], [], [])),
    ],
)
def test_the_compiled_record_refuses_arguments_of_other_types(arguments):
    with pytest.raises(TypeError):
        _flattened.attribution_in_source(*arguments)


def test_an_offset_beyond_a_py_ssize_t_is_refused_alike():
    # The source offsets a Py_ssize_t cannot hold: the anchors' reading refuses them in Python,
    # the compiled record before it would wrap around.
    seen = VisibleText("Post — Jo (@jo) May 1, 2020", [0], [2**63 - 2], [2**63 - 1], [True])
    (found,) = find_attributions(seen.text)
    for attribution_in_source in (reference_attribution_in_source, html._attribution_in_source):
        with pytest.raises(OverflowError):
            attribution_in_source("", seen, found)


PLAIN_PIECES = [
    "<b>", "</a>", "<", ">", "<<b>", "<a href='x'>", "&amp;", "&nbsp;", "&#32;", "&Tab;", "&lt;b&gt;",
    "&", "&amp", " ", "  ", "\n", "\t", "\xa0", "\u3000", "\x85", "(@jo)", "May 1, 2020", "é", "😀",
    "\x1c", "\x1f", "\x0b", "\x0c", "\r", "\x00", "\x08", "!", "?", "@", "\x7f", "\u2028", "<i&j>",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_PIECES), max_size=40).map("".join), st.data())
def test_every_candidate_gives_both_the_same_plain_text(source, data):
    pos = data.draw(st.integers(0, len(source)))
    assert html._plain_text_at(source, pos) == reference_plain_text_at(source, pos)


@pytest.mark.parametrize(
    "source",
    [
        "(@jo) <b>May</b> 1, 2020",
        "(" + "x" * 590 + "<b>" + "y" * 20,  # a tag whole within the 600 characters, and cut
        "(" + "x" * 597 + "<b>" + "y" * 20,
        "(" + "x" * 596 + "<b>" + "y" * 20,
        "(" + "x" * 594 + "&amp;" + "y",  # a reference whole, and cut at the 600th character
        "(" + "x" * 595 + "&amp;" + "y",
        "(" + " " * 598 + "x" + "y" * 5,
        "(@jo)&nbsp;&#32;May&Tab;1,\u3000\u30002020\x85",
        "a<b<c>d<<e>>f<",
        "(@jo)\x1c\x1d\x1e\x1f x\x00\x08\x0e!\x7f\x80\x85\u2029<i&j>&amp;",  # spaces and not
        "<>" * 10,
        "<p>" * 400,
        "",
    ],
)
def test_the_plain_texts_limits_alike(source):
    for pos in (0, 1, 5, len(source), len(source) + 3, -1, -600, -700):
        assert html._plain_text_at(source, pos) == reference_plain_text_at(source, pos)


@pytest.mark.parametrize("arguments", [(b"(@jo)", 0), ("(@jo)",), ("(@jo)", "0"), ("(@jo)", 2**70)])
def test_the_compiled_plain_text_refuses_arguments_of_other_types(arguments):
    with pytest.raises((TypeError, OverflowError)):
        _flattened.plain_text_at(*arguments)
