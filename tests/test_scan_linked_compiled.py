"""The compiled reader of Mastodon's, Instagram's, Threads' and TikTok's blockquotes
(archiver/scan/_linked.c) reads what lxml reads, or leaves the markup to lxml.

Every other scanner test runs ``markup.read_linked``, which takes the compiled reading whenever
it gives one; these hold that reading, and the record made of it, to ``reference_read_linked``'s
(lxml's) on the embed codes as the platforms write them, on the generated corpus, on markup
built from the embed codes' pieces and hostile ones (nesting, comments, CDATA, unclosed tags,
references, characters XML forbids, attributes holding ">"), and on the shape's limits one by
one. They also hold the reader to accepting the embed codes, so the scanner really reads them
in C.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markup_readers import blockquotes_of, same_reading

from archiver.models import Platform
from archiver.scan import _linked, markup
from archiver.scan._linked import read_plain_linked
from archiver.scan.markup import (
    _elements,
    _linked_blockquote,
    _tiktok_blockquote,
    reference_read_linked,
)
from benchmarks.scan_corpus import corpus

CLASSES = {
    "mastodon-embed": Platform.MASTODON,
    "instagram-media": Platform.INSTAGRAM,
    "text-post-media": Platform.THREADS,
    "tiktok-embed": Platform.TIKTOK,
}
SVG_PATH = "M63 45.3v-20c0-4.1-1-7.3-3.2-9.7Z"
# The embed codes, as each platform's embed dialog gives them (docs/endpoints.md §5), their
# styles and SVG paths shortened.
MASTODON = (
    '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/@Gargron/'
    '113733316536640183/embed" style="background: #FCF8FF; border-radius: 8px; max-width: 540px;">'
    ' <a href="https://mastodon.social/@Gargron/113733316536640183" target="_blank" style="color: '
    "#1C1A25; font-family: system-ui, 'Segoe UI', sans-serif; padding: 24px;\"> <svg "
    'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="32" '
    f'height="32" viewBox="0 0 79 75"><path d="{SVG_PATH}" fill="currentColor"/></svg> <div '
    'style="color: #787588; margin-top: 16px;">Post by @Gargron@mastodon.social</div> <div '
    'style="font-weight: 500;">View on Mastodon</div> </a> </blockquote>'
)
INSTAGRAM = (
    '<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink='
    '"https://www.instagram.com/p/C1a2b3c4d5E/?utm_source=ig_embed&amp;utm_campaign=loading" '
    'data-instgrm-version="14" style=" background:#FFF; border:0; width:calc(100% - 2px);"><div '
    'style="padding:16px;"> <a href="https://www.instagram.com/p/C1a2b3c4d5E/?utm_source=ig_embed'
    '&amp;utm_campaign=loading" style=" background:#FFFFFF; line-height:0;" target="_blank"> <div '
    'style=" display: flex; flex-direction: row;"> <div style="background-color: #F4F4F4; '
    'border-radius: 50%;"></div> <div style="display: flex;"> <div style=" height: 14px;"></div> '
    '<div style=" width: 60px;"></div></div></div><div style="padding: 19% 0;"></div> <div '
    'style="display:block; height:50px;"><svg width="50px" height="50px" viewBox="0 0 60 60" '
    'version="1.1" xmlns="https://www.w3.org/2000/svg"><g stroke="none" fill-rule="evenodd"><g '
    f'transform="translate(-511.000000, -20.000000)" fill="#000000"><g><path d="{SVG_PATH}">'
    '</path></g></g></g></svg></div><div style="padding-top: 8px;"> <div style=" color:#3897f0; '
    'font-weight:550;">View this post on Instagram</div></div><div style="padding: 12.5% 0;">'
    '</div></a><p style=" color:#c9c8cd; margin-top:8px;"><a href="https://www.instagram.com/p/'
    'C1a2b3c4d5E/?utm_source=ig_embed&amp;utm_campaign=loading" style=" color:#c9c8cd;" '
    'target="_blank">A post shared by NASA (@nasa)</a></p></div></blockquote>'
)
INSTAGRAM_CAPTIONED_WITH_DATE = (
    '<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink='
    '"https://www.instagram.com/p/B_aBcDeFgHi/" data-instgrm-version="12" style=" background:#FFF;">'
    '<div style="padding:16px;"> <a href="https://www.instagram.com/p/B_aBcDeFgHi/" '
    'style=" background:#FFFFFF;" target="_blank"> <div style="padding: 19% 0;"></div></a> '
    '<p style=" margin:8px 0 0 0; padding:0 4px;"> <a href="https://www.instagram.com/p/'
    'B_aBcDeFgHi/" style=" color:#000;" target="_blank">Launch day 🚀 &#x1F680; &ldquo;Go&rdquo;'
    '</a></p> <p style=" color:#c9c8cd;">A post shared by <a href="https://www.instagram.com/nasa/"'
    ' style=" color:#c9c8cd;" target="_blank"> NASA</a> (@nasa) on <time style=" font-family:'
    'Arial,sans-serif;" datetime="2020-05-30T19:22:45+00:00">May 30, 2020 at 12:22pm PDT</time>'
    "</p></div></blockquote>"
)
THREADS = (
    '<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@zuck/'
    'post/C8Y2nF5Rw1a" data-text-post-version="0" id="ig-tp-C8Y2nF5Rw1a" style=" background:#FFF;'
    ' border-radius: 16px; max-width:540px;"> <a href="https://www.threads.net/@zuck/post/'
    'C8Y2nF5Rw1a" style=" background:#FFFFFF; line-height:0;" target="_blank"> <div style=" '
    'padding: 40px; display: flex;"> <div style=" display:block; height:32px;"> <svg '
    'aria-label="Threads" height="32px" role="img" viewBox="0 0 192 192" width="32px" '
    f'xmlns="http://www.w3.org/2000/svg"> <path d="{SVG_PATH}" /></svg></div> <div style=" '
    'font-size: 15px; color: #999999;"> Post by @zuck</div> <div style=" font-size: 15px; '
    'font-weight: 600; "> View on Threads</div></div></a></blockquote>'
)
TIKTOK = (
    '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/'
    '6718335390845095173" data-video-id="6718335390845095173" style="max-width: 605px;min-width: '
    '325px;" > <section> <a target="_blank" title="@scout2015" href="https://www.tiktok.com/'
    '@scout2015?refer=embed">@scout2015</a> Scramble up ur name & I’ll try to guess it😍❤️ <a '
    'title="foryoupage" target="_blank" href="https://www.tiktok.com/tag/foryoupage?refer=embed">'
    '#foryoupage</a> <a title="petsoftiktok" target="_blank" href="https://www.tiktok.com/tag/'
    'petsoftiktok?refer=embed">#petsoftiktok</a> <a target="_blank" title="♬ original sound - '
    'tiff" href="https://www.tiktok.com/music/original-sound-6689804660171082501?refer=embed">♬ '
    "original sound - tiff</a> </section> </blockquote>"
)
# test_scan_html.py's examples: the embed codes with their styles dropped.
SHORT = [
    '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/@Gargron/'
    '113733316536640183/embed" style="background: #FCF8FF;"><a href="https://mastodon.social/'
    '@Gargron/113733316536640183" target="_blank"><div>Post by @Gargron@mastodon.social</div><div>'
    "View on Mastodon</div></a></blockquote>",
    '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/'
    'C1a2b3c4d5E/?utm_source=ig_embed&amp;utm_campaign=loading" data-instgrm-version="14"><div><a '
    'href="https://www.instagram.com/p/C1a2b3c4d5E/?utm_source=ig_embed">View this post on '
    'Instagram</a><p><a href="https://www.instagram.com/p/C1a2b3c4d5E/">A post shared by NASA '
    '(@nasa)</a> on <time datetime="2024-01-02T10:00:00+00:00">Jan 2, 2024 at 2:00am PST</time>'
    "</p></div></blockquote>",
    '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/'
    '6718335390845095173" data-video-id="6718335390845095173"><section><a target="_blank" '
    'title="@scout2015" href="https://www.tiktok.com/@scout2015?refer=embed">@scout2015</a> '
    'Scramble up ur name &amp; I’ll try to guess it😍❤️ <a title="foryoupage" href="https://'
    'www.tiktok.com/tag/foryoupage?refer=embed">#foryoupage</a> <a title="♬ original sound - '
    'Scout" href="https://www.tiktok.com/music/original-sound-6689804660171082501?refer=embed">♬ '
    "original sound - Scout</a></section></blockquote>",
    '<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@zuck/'
    'post/C8Y2nF5Rw1a" data-text-post-version="0" id="ig-tp-C8Y2nF5Rw1a"><a href="https://'
    'www.threads.net/@zuck/post/C8Y2nF5Rw1a" target="_blank"><div>Post by @zuck</div><div>View on '
    "Threads</div></a></blockquote>",
]
EMBED_CODES = [MASTODON, INSTAGRAM, INSTAGRAM_CAPTIONED_WITH_DATE, THREADS, TIKTOK, *SHORT]


def record(source: str, quote: markup.LinkedQuote) -> object:
    (element,) = _elements(source, [0])
    platform = next(
        (p for c, p in CLASSES.items() if c in element.attributes.get("class", "")),
        Platform.MASTODON,
    )
    if platform == Platform.TIKTOK:
        return _tiktok_blockquote(element, quote)
    return _linked_blockquote(element, quote, platform)


def assert_same_as_lxml(source: str) -> bool:
    """Whether the compiled reader took the markup; when it did, its reading is lxml's."""
    return same_reading(
        source, read_plain_linked, reference_read_linked, record, markup.read_linked
    )


def linked_blockquotes(text: str) -> list[str]:
    """The markup of each of these platforms' blockquotes in the text, as markup.py cuts it."""
    return blockquotes_of(text, CLASSES.keys())


def test_the_install_built_the_compiled_reader():
    # The package falls back to lxml alone without a C compiler; this suite's installs have one.
    assert markup.read_linked is _linked.read_linked


@pytest.mark.parametrize(
    "source",
    [TIKTOK + " ", TIKTOK.replace("</section>", "<ul><li>x</ul></section>")],
)
def test_markup_outside_the_plain_shape_is_read_by_lxml_through_the_bound_reader(source):
    assert read_plain_linked(source) is None
    assert markup.read_linked(source) == reference_read_linked(source) is not None


def test_markup_lxml_cannot_parse_is_no_quote_through_the_bound_reader():
    assert markup.read_linked("") is reference_read_linked("") is None


def test_the_bound_reader_refuses_what_is_not_a_str():
    with pytest.raises(TypeError):
        markup.read_linked(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("source", EMBED_CODES)
def test_every_embed_code_is_read_in_c_as_lxml_reads_it(source):
    assert assert_same_as_lxml(source)
    assert record(source, read_plain_linked(source)) is not None


def test_the_embed_codes_in_a_page_are_cut_whole_and_read_in_c():
    page = "<p>Before.</p>\n" + "\n<script async src='embed.js'></script>\n".join(EMBED_CODES)
    quotes = linked_blockquotes(page)
    assert quotes == EMBED_CODES
    assert all(read_plain_linked(quote) is not None for quote in quotes)


def test_what_the_reader_reads_of_an_instagram_post_with_its_date():
    hrefs, string, time, caption = read_plain_linked(INSTAGRAM_CAPTIONED_WITH_DATE)
    post = "https://www.instagram.com/p/B_aBcDeFgHi/"
    assert hrefs == [post, post, "https://www.instagram.com/nasa/"]
    assert time == ("2020-05-30T19:22:45+00:00", "May 30, 2020 at 12:22pm PDT")
    assert "Launch day 🚀 🚀 \u201cGo\u201d" in string
    assert string.endswith("A post shared by  NASA (@nasa) on May 30, 2020 at 12:22pm PDT")
    assert caption == string  # no <section>, no "@" or "♬" label


def test_what_the_reader_reads_of_a_tiktok_post():
    hrefs, string, time, caption = read_plain_linked(TIKTOK)
    assert len(hrefs) == 4 and time is None
    assert string.startswith("  @scout2015 Scramble up ur name & I’ll")
    assert caption == "  Scramble up ur name & I’ll try to guess it😍❤️ #foryoupage #petsoftiktok  "


def test_the_compiled_reader_takes_every_such_blockquote_of_the_generated_corpus():
    quotes = [
        q
        for page in corpus("html", 400_000, density="sample")
        for q in linked_blockquotes(page.decode())
    ]
    taken = [q for q in quotes if assert_same_as_lxml(q)]
    assert len(quotes) > 50
    assert len(taken) == len(quotes)


START = '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@a/video/1">'


def wrapped(inside: str) -> str:
    return f"{START}<section>{inside}</section></blockquote>"


# (a piece of a TikTok caption, whether the compiled reader takes it): the shape's limits.
LIMITS = [
    ("x", True), ("", True), ("<br>", True), ("<br/>", True), ("<BR />", True), ("</br>", False),
    ("<a href='u'>@h</a> cap", True), ("<a href='u'> \n@h</a> cap", True),
    ("<a href='u'>\u2028@h</a> cap", True), ("<a>x@h</a>", True), ("<a>♬ s</a>", True),
    ("<a>\u3000♬ s</a>", True), ("<a>\x85@h</a>", False), ("<a>#t</a>", True), ("<a></a>", True),
    ("<a><br>@h</a>x", True), ("<a><span>@h</span></a>y", True), ("<a>&#64;h</a>z", True),
    ("<a>@h</a><a>@i</a>t", True), ("<a>a</a><a>@i</a>t<a>♬</a>u", True),
    ("<a href>x</a>", True), ("<a href=''>x</a>", True), ("<a href hidden>x</a>", True),
    ("<a hidden href='u'>x</a>", True), ("<a href='u' href='v'>x</a>", True),
    ("<a HREF='u'>x</a>", True), ("<A href='u'>x</A>", True), ("<a href='a>b'>x</a>", True),
    ('<a title="x > y" href="u">x</a>', True), ("<a href='u'/>x", False), ("<a><a>x</a></a>", False),
    ("<a>x</a></a>", False), ("<a>x", False), ("<a><section>x</section></a>", False),
    ("<a><div>x</div></a>", True), ("<a><p>x</p></a>", True), ("<p><a>x</a></p>", True),
    ("<p><span>x</span><time>y</time></p>", True), ("<p><div>x</div></p>", False),
    ("<p><p>x</p></p>", False), ("<p><a><p>x</p></a></p>", False), ("<p><svg></svg></p>", False),
    ("<p><section>x</section></p>", False), ("<p>x", False), ("<div><p>x</div></p>", False),
    ("<div>x</span>", False), ("<span><div>x</div></span>", True), ("<span><p>x</p></span>", True),
    ("<section>x</section>", True), ("<svg><path d='M1'/></svg>", True), ("<path/>", True),
    ("<svg/>", True), ("<g/>", True), ("<svg><g><path d='M1' /></g></svg>", True),
    ("<div/>", False), ("<span/>", False), ("<time/>", False), ("<section/>", False),
    ("<p/>", False), ("<svg><path></svg>", False), ("<svg><title>x</title></svg>", False),
    ("<time datetime='2024-01-02'>Jan</time>", True), ("<time>Jan</time><time datetime=x>y</time>", True),
    ("<time datetime>x</time>", True), ("<time><time datetime=d>x</time>y</time>", True),
    ("<a><time datetime=d>x</time></a>", True), ("<time><a>@x</a>y</time>", True),
    ("<b>x</b>", False), ("<em>x</em>", False), ("<blockquote>x</blockquote>", False),
    ("<!-- c -->", False), ("<![CDATA[x]]>", False), ("<script>x</script>", False), ("<?x?>", False),
    ("< a>", False), ("<a\x0c>x</a>", False), ("</section><section>", True),
    ("& x", True), ("&\tx", True), ("&\nx", True), ("&", False), ("&x", False), ("&amp", False),
    ("&amp;", True), ("&#64;", True), ("&#x1F680;", True), ("&#0;", False), ("&#xD800;", False),
    ("<a title='a & b'>x</a>", True), ("<a title=a&b>x</a>", False), ("\r", False), ("\x00", False),
    ("\x0b", False), ("\ufffe", False), ("\ud800", False), ("\x7f", False), ("😀", True),
    ("<div data-x='\r'>x</div>", False), ("<div style=\"a:'b'\">x</div>", True),
    ("<div x=`y`>z</div>", False), ("<div 1=x>z</div>", False), ('<div x="y"z="w">v</div>', False),
]  # fmt: skip


@pytest.mark.parametrize(("inside", "taken"), LIMITS)
def test_the_shape_at_its_limits(inside, taken):
    assert assert_same_as_lxml(wrapped(inside)) is taken


# A character of each str kind (ASCII, Latin-1, BMP, non-BMP): the reader reads the text and the
# quoted values in runs, one loop for each kind, which these put around each limit.
KINDS = ["a", "\xe9", "\u5b57", "\U0001f600"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("inside", "taken"), LIMITS)
def test_the_shape_at_its_limits_in_each_kind(inside, taken, kind):
    assert assert_same_as_lxml(wrapped(f"{kind}{inside}{kind}")) is taken


# (a piece of a quoted value, whether the compiled reader takes it)
VALUE_LIMITS = [
    ("", True), ("x", True), ("&amp;", True), ("&amp", False), ("& x", True), ("&", False),
    ("'", True), ("<", True), (">", True), ("\t", True), ("\r", False), ("\x7f", False),
    ("\xa0", True), ("\ud800", False), ("\ufffe", False), ("\U0010fffd", True),
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("inside", "taken"), VALUE_LIMITS)
def test_a_quoted_value_at_its_limits_in_each_kind(inside, taken, kind):
    value = f"{kind}{inside}{kind}"
    assert assert_same_as_lxml(wrapped(f'<a title="{value}">@h</a>x')) is taken
    assert assert_same_as_lxml(wrapped(f'<a href="{inside}">{kind}</a>')) is taken


def nested(depth: int) -> str:
    return f"{START}{'<div>' * depth}x{'</div>' * depth}</blockquote>"


@pytest.mark.parametrize(
    ("source", "taken"),
    [
        (MASTODON, True),
        (MASTODON + " ", False),
        (MASTODON[:-1], False),
        (MASTODON.replace("</blockquote>", "</blockquote >"), False),
        (MASTODON.replace("</blockquote>", "</BLOCKQUOTE>"), True),
        (MASTODON.replace("</a>", ""), False),
        (MASTODON.replace("</div>", "", 1), False),
        (" " + MASTODON, False),
        (MASTODON.replace("<blockquote ", "<blockquote/ "), False),
        (TIKTOK.replace("<blockquote ", "<blockquote hidden "), True),
        (TIKTOK.replace(" >", "/>", 1), False),
        (TIKTOK.replace("</section>", "</section></section>"), False),
        (TIKTOK.replace("<section>", "<section><section>"), False),
        (TIKTOK.replace("<section>", "<section><section>").replace("</section>", "</section>" * 2), True),
        (TIKTOK.replace("<section>", "<div>x</div><section>"), True),
        (TIKTOK.replace("</section>", "</section><section><a>@y</a>z</section>"), True),
        (TIKTOK.replace("<section>", "<section><a>@y</a></section><section>"), True),
        (TIKTOK.replace("<section>", "").replace("</section>", ""), True),
        (nested(47), True),
        (nested(48), True),
        (nested(49), False),
        ("", False),
        ("<", False),
        ("<blockquote", False),
        ("<blockquote>", False),
        ("<blockquote></blockquote>", True),
        ("<blockquote hidden></blockquote>", True),
        ("<blockquotes></blockquote>", False),
        ("<blockquote><blockquote></blockquote></blockquote>", False),
        ("<blockquote><a>x</blockquote>", False),
        ("<blockquote><p>x</blockquote>", False),
        ("<blockquote>x</p></blockquote>", False),
        ("<blockquote>x</time></blockquote>", False),
        ("<blockquote>x</unknown></blockquote>", False),
        ("<blockquote>x</blockquote><p>", False),
        ("<blockquote><a href='x", False),
        ("<blockquote><a href=x", False),
        ("<blockquote><a href", False),
        ("<blockquote><a", False),
        ("<blockquote><time datetime", False),
        ("<blockquote>x&", False),
        ("<blockquote>x& ", False),
        ("<blockquote>x</", False),
        ("<blockquote>x</a", False),
    ],
)  # fmt: skip
def test_the_whole_quote_at_its_limits(source, taken):
    assert assert_same_as_lxml(source) is taken


WORDS = ["Post by", "@jane", "♬ sound", " @x", "(@nasa)", "A post shared by", "字", "😀", "🇺🇦"]
SPACES = [" ", "  ", "\n", "\t", "\r", "\r\n", "\f", "\xa0", "\u2028", "\u3000", "\x85", "\x0b"]
REFERENCES = [
    "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&mdash;", "&rsquo;", "&amp", "&AMP;", "&notin;",
    "&not", "&T;", "&", "& ", "&#", "&#;", "&#x;", "&#64;", "&#x266C;", "&#9836;", "&copy",
]  # fmt: skip
HOSTILE = [
    "<", ">", "</", "<!-- c -->", "<!--", "<![CDATA[x]]>", "<script>x</script>", "<b>", "</b>",
    "<p/>", "</p>", "<p>", "</a>", "<br>", "</br>", "<blockquote>", "</blockquote>", "<p",
    "< p>", "<img src=x>", "<?php ?>", "<!DOCTYPE html>", "<div/>", "<iframe src=x></iframe>",
    "\x00", "\x01", "\x1f", "\ud800", "\ufffe", "\uffff", "\x7f", "\x80",
]  # fmt: skip
HREFS = [
    "https://mastodon.social/@jane/1234", "https://www.instagram.com/p/AbC/", "",
    "https://www.tiktok.com/@jane/video/99", "https://www.threads.net/@jane/post/Xy",
    "https://www.tiktok.com/@jane?refer=embed", "a&amp;b", "a>b", "a<b", "a\nb",
]  # fmt: skip
ELEMENTS = ["a", "p", "div", "span", "section", "time", "svg", "g", "path", "b", "em", "li"]


def attribute_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HREFS), st.text(max_size=6)).flatmap(
        lambda value: st.sampled_from([f'"{value}"', f"'{value}'", value, f" = '{value}'"])
    )


@st.composite
def start_tags(draw, name: str) -> str:
    attributes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["", " ", "\n", "\t"]),
                st.sampled_from(["href", "HREF", "datetime", "title", "style", "x:y", "1", ""]),
                st.sampled_from(["=", "=", "", " = "]),
                attribute_values(),
            ),
            max_size=3,
        )
    )
    ending = draw(st.sampled_from([">", ">", "/>", " >", " />"]))
    tag_name = draw(st.sampled_from([name, name.upper()]))
    return (
        f"<{tag_name}"
        + "".join(f"{s or ' '}{n}" + (f"{e}{v}" if e else "") for s, n, e, v in attributes)
        + ending
    )


@st.composite
def texts(draw) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(WORDS),
                st.sampled_from(SPACES),
                st.sampled_from(REFERENCES),
                st.characters(),
                st.text(max_size=4),
                st.sampled_from(["<br>", "<br/>", "<br />"]),
            ),
            max_size=6,
        )
    )
    return "".join(pieces)


def elements(depth: int) -> st.SearchStrategy[str]:
    inside = texts() if depth == 0 else st.one_of(texts(), elements(depth - 1))

    @st.composite
    def element(draw) -> str:
        name = draw(st.sampled_from(ELEMENTS))
        content = "".join(draw(st.lists(inside, max_size=3)))
        end = draw(st.sampled_from([f"</{name}>", f"</{name}>", f"</{name.upper()}>", "", "</a>"]))
        return draw(start_tags(name)) + content + end

    return element()


@st.composite
def quotes(draw) -> str:
    start = draw(
        st.sampled_from(
            [
                START,
                '<blockquote class="mastodon-embed" data-embed-url="https://m.example/@a/1/embed">',
                '<blockquote class="instagram-media" data-instgrm-captioned '
                'data-instgrm-permalink="https://www.instagram.com/p/AbC/">',
                "<BLOCKQUOTE CLASS=text-post-media data-text-post-permalink=x>",
                "<blockquote class='tiktok-embed' title='a > b'>",
            ]
        )
    )
    body = draw(
        st.lists(
            st.one_of(elements(2), texts(), st.sampled_from(HOSTILE)),
            max_size=5,
        )
    )
    end = draw(
        st.sampled_from(["</blockquote>", "</blockquote>", "</BlockQuote>", "", "</blockquote> "])
    )
    return start + "".join(body) + end


@settings(max_examples=800, deadline=None)
@given(quotes())
def test_built_quotes_read_as_lxml_reads_them_or_are_left_to_it(source):
    assert_same_as_lxml(source)


def embed_code_pieces(source: str) -> list[str]:
    """The embed code cut into its tags and the text between them."""
    return re.findall(r"<[^<>]*>|[^<]+", source)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(EMBED_CODES).flatmap(
        lambda source: st.tuples(
            st.just(embed_code_pieces(source)),
            st.lists(
                st.tuples(
                    st.integers(0, 200),
                    st.sampled_from(["drop", "repeat", "insert"]),
                    st.one_of(st.sampled_from(HOSTILE), texts()),
                ),
                min_size=1,
                max_size=3,
            ),
        )
    )
)
def test_embed_codes_mutated_read_as_lxml_reads_them_or_are_left_to_it(case):
    pieces, edits = case
    pieces = list(pieces)
    for at, edit, piece in edits:
        at %= len(pieces)
        if edit == "drop" and at > 0:
            del pieces[at]
        elif edit == "repeat":
            pieces.insert(at, pieces[at])
        else:
            pieces.insert(at, piece)
    assert_same_as_lxml("".join(pieces))


PLAIN_SPACES = [" ", "  ", "\n", "\t", "\xa0", "\u2028", "\u3000"]
PLAIN_REFERENCES = ["&amp;", "&lt;", "&quot;", "&mdash;", "&#64;", "&#x266C;", "&#x1F680;", "& "]


def plain_characters() -> st.SearchStrategy[str]:
    """Characters the reader keeps as they are."""
    return st.characters(
        blacklist_categories=["Cs", "Cc"], blacklist_characters="<&\ufffe\uffff\x7f"
    ).filter(lambda c: not (0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE))


def plain_texts() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(PLAIN_SPACES),
        st.sampled_from(PLAIN_REFERENCES),
        plain_characters(),
        st.sampled_from(["<br>", "<br/>", "<BR />"]),
    )
    return st.lists(piece, max_size=5).map("".join)


@st.composite
def plain_start_tags(draw, name: str, self_closing: bool) -> str:
    value = st.one_of(st.sampled_from(HREFS[:6]), plain_texts()).filter(
        lambda v: "<" not in v and '"' not in v and "\r" not in v
    )
    attributes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["href", "HREF", "datetime", "title", "style", "x:y"]),
                st.one_of(value.map(lambda v: f'="{v}"'), st.just("")),
            ),
            max_size=3,
        )
    )
    tag_name = draw(st.sampled_from([name, name.upper()]))
    text = f"<{tag_name}" + "".join(f" {n}{v}" for n, v in attributes)
    return text + (draw(st.sampled_from(["/>", " />"])) if self_closing else ">")


@st.composite
def plain_elements(draw, depth: int, in_anchor: bool, in_paragraph: bool) -> str:
    """An element in the shape the compiled reader takes, where it is opened."""
    names = ["a", "span", "time"] if in_paragraph else ELEMENTS[:9]
    if in_anchor:
        names = [n for n in names if n not in ("a", "section")]
    name = draw(st.sampled_from(names))
    if name in ("svg", "g", "path") and draw(st.booleans()):
        return draw(plain_start_tags(name, self_closing=True))
    inside_anchor, inside_paragraph = in_anchor or name == "a", in_paragraph or name == "p"
    children = st.one_of(
        plain_texts(),
        *([plain_elements(depth - 1, inside_anchor, inside_paragraph)] if depth else []),
    )
    content = "".join(draw(st.lists(children, max_size=3)))
    end = draw(st.sampled_from([name, name.upper()]))
    return draw(plain_start_tags(name, self_closing=False)) + content + f"</{end}>"


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(
        [START, "<blockquote class=mastodon-embed data-x>", "<blockquote class=instagram-media>"]
    ),
    st.lists(st.one_of(plain_texts(), plain_elements(3, False, False)), max_size=4),
)
def test_quotes_in_the_plain_shape_are_read_in_c_as_lxml_reads_them(start, body):
    assert assert_same_as_lxml(start + "".join(body) + "</blockquote>")
