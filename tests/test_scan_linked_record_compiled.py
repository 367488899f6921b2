"""The compiled records of Mastodon's, Instagram's, Threads' and TikTok's blockquotes
(archiver/scan/_widget.c) are the Python ones.

Every other scanner test runs the compiled ``markup._linked_blockquote`` and
``markup._tiktok_blockquote``; these hold them to ``reference_linked_blockquote`` and
``reference_tiktok_blockquote``, the whole ``Embed`` (or None), on ``LinkedQuote`` tuples and
element attributes built from the real shapes: ``data-embed-url`` with and without ``/embed``,
``/embed/`` with a query or a fragment, Instagram's and Threads' permalinks, TikTok's ``cite``,
hrefs of other platforms first, no post and several, ``<time>`` with odd ``datetime`` values,
attribution lines with and without handles, dashes and names holding NAME_STRIP's characters,
captions with runs of whitespace and ``<br>``s; on every such blockquote of the generated
corpus; and on the rules' limits one by one.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.models import Platform
from archiver.scan import _widget, markup
from archiver.scan.markup import (
    _Element,
    reference_linked_blockquote,
    reference_tiktok_blockquote,
)
from archiver.scan.text import NAME_STRIP
from benchmarks.scan_corpus import corpus

MASTODON_POST = "https://mastodon.social/@Gargron/113733316536640183"
INSTAGRAM_POST = "https://www.instagram.com/p/C1a2b3c4d5E/"
THREADS_POST = "https://www.threads.net/@zuck/post/C8Y2abc"
TIKTOK_POST = "https://www.tiktok.com/@scout2015/video/6718335390845095173"
POSTS = [
    MASTODON_POST, "https://mastodon.social/users/Gargron/statuses/113733316536640183",
    "https://m.example/@jane@other.example/1?x=1#y", INSTAGRAM_POST,
    "https://instagram.com/jane/reel/Cx_-1/?utm_source=ig_embed&amp;utm_campaign=loading",
    THREADS_POST, "https://threads.com/@a.b/post/Q?xmt=1&utm_source=x", TIKTOK_POST,
    "https://m.tiktok.com/@a/video/1?lang=en&is_from_webapp=1",
    "https://twitter.com/jane/status/1497?ref_src=twsrc%5Etfw", "https://x.com/i/web/status/1",
    "https://bsky.app/profile/jane.bsky.social/post/3ky", "https://www.tiktok.com/@bnonews",
    "https://mastodon.social/@jane", "https://example.org/a?utm_source=x", "#", "", " ",
]  # fmt: skip
# What follows a post's URL in data-embed-url: markup._EMBED_SUFFIX's matches and near misses
SUFFIXES = [
    "", "/embed", "/embed/", "/embed?x=1", "/embed/?x=1#y", "/embed#top", "/embed/#", "/embed?",
    "/embed\n", "/embed/\n", "/embed?a\n", "/embed?a\nb", "/embed\n\n", "/embed?\n\n", "/embedx",
    "/embed/x", "/embed//", "/Embed", "/embed/embed", "/embed?a/embed", "/embed\r", "/embed?\r\n",
    "/embed?a\u2028b", "/emb", "/embe", "/embex?a", "/embe!", "embed", " /embed", "/embed ",
]  # fmt: skip
DATETIMES = [
    None, "", "2024-12-29T14:03:00Z", " 2024-12-29", "\u3000\n2024-12-29 ", "2024-1-29",
    "2024-12-2", "2024-12-29x", "12024-12-29", "２０２４-12-29", "2024/12/29", "2024-12-٢٩",
    "2024\u201012-29", "0000-00-00", "9999-99-99", "x2024-12-29",
]  # fmt: skip
TIME_STRINGS = ["", " ", "Dec 29, 2024", "  Dec\n29,\u2028 2024 ", "\u3000", "字 😀"]
NAMES = ["Jane Roe", "字 😀", "\u200eJane\u200f", " \t\xa0\u202f", "", "a — b", "Jane (Roe)"]
HANDLES = ["janeroe", "jane.bsky.social", "a-b_c", "x" * 253, "x" * 254, "jane roe", "", "é"]
DASHES = ["—", "–", "―", "‒", "-", "--", "~", "— ", " - ", ""]
SPACES = [" ", "  ", "\n", "\t", "\r", "\r\n", "\f", "\x0b", "\xa0", "\u2028", "\u2029"]
SPACES += ["\u3000", "\x85", "\x1c", "\u200b", " \u2028 ", "\u2028\u2028", "\t\u2028\n"]
WORDS = ["Post by @Gargron@mastodon.social", "View on Mastodon", "字", "😀", "#Kyiv", "♬ sound"]
LINKED = [Platform.MASTODON, Platform.INSTAGRAM, Platform.THREADS]
ATTRIBUTE_NAMES = ["data-embed-url", "data-instgrm-permalink", "data-text-post-permalink", "cite"]


def assert_same(element, quote, platform):
    compiled = _widget.linked_blockquote(element, quote, platform)
    assert compiled == reference_linked_blockquote(element, quote, platform)
    return compiled


def assert_same_tiktok(element, quote):
    compiled = _widget.tiktok_blockquote(element, quote)
    assert compiled == reference_tiktok_blockquote(element, quote)
    return compiled


def test_the_install_built_the_compiled_records():
    assert markup._linked_blockquote is _widget.linked_blockquote
    assert markup._tiktok_blockquote is _widget.tiktok_blockquote


def texts() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(WORDS), st.sampled_from(SPACES), st.sampled_from(DASHES), st.characters()
    )
    return st.lists(piece, max_size=8).map("".join)


@st.composite
def attribution_lines(draw) -> str:
    dash, name = draw(st.sampled_from(DASHES)), draw(st.sampled_from(NAMES))
    opening = draw(st.sampled_from(["(@", "( @", "(\u3000@", "(", "@", ""]))
    closing = draw(st.sampled_from([")", " )", "", "))"]))
    return f"{dash}{name} {opening}{draw(st.sampled_from(HANDLES))}{closing}"


@st.composite
def quotes(draw) -> markup.LinkedQuote:
    hrefs = draw(st.lists(st.one_of(st.none(), st.sampled_from(POSTS)), max_size=4))
    lines = draw(st.lists(st.one_of(attribution_lines(), texts()), max_size=3))
    string = draw(st.sampled_from(["\n", "\r\n", "\x85", "\u2028", " "])).join(lines)
    time = draw(
        st.one_of(
            st.none(),
            st.tuples(
                st.sampled_from(DATETIMES), st.one_of(st.sampled_from(TIME_STRINGS), texts())
            ),
        )
    )
    return hrefs, string, time, draw(texts())


@st.composite
def elements(draw) -> _Element:
    attributes = {}
    for name in draw(st.sets(st.sampled_from(ATTRIBUTE_NAMES))):
        url = draw(st.sampled_from(POSTS))
        attributes[name] = (
            url + draw(st.sampled_from(SUFFIXES)) if name == ATTRIBUTE_NAMES[0] else url
        )
    return _Element(draw(st.integers(0, 10**6)), 10**6 + 5, "blockquote", attributes)


@settings(max_examples=1000, deadline=None)
@given(elements(), quotes(), st.sampled_from([*LINKED, Platform.TIKTOK, Platform.TWITTER]))
def test_quotes_of_the_real_shapes_give_the_same_records(element, quote, platform):
    assert_same(element, quote, platform)


@settings(max_examples=500, deadline=None)
@given(elements(), quotes())
def test_tiktok_quotes_of_the_real_shapes_give_the_same_records(element, quote):
    assert_same_tiktok(element, quote)


def test_every_such_blockquote_of_the_generated_corpus_gives_the_same_record():
    classes = {
        "mastodon-embed": Platform.MASTODON,
        "instagram-media": Platform.INSTAGRAM,
        "text-post-media": Platform.THREADS,
        "tiktok-embed": Platform.TIKTOK,
    }
    records = {platform: 0 for platform in classes.values()}
    for density in ("sample", "dense", "realistic"):
        for page in corpus("html", 300_000, density=density):
            text = page.decode()
            starts = [m.start() for m in re.finditer("<blockquote", text)]
            for element in markup._elements(text, starts):
                kinds = set(element.attributes.get("class", "").split()) & classes.keys()
                quote = markup.read_linked(text[element.start : element.end])
                if not kinds or quote is None:
                    continue
                platform = classes[kinds.pop()]
                if platform == Platform.TIKTOK:
                    record = assert_same_tiktok(element, quote)
                else:
                    record = assert_same(element, quote, platform)
                records[platform] += record is not None
    assert all(count > 10 for platform, count in records.items() if platform != Platform.THREADS)


def quote_of(hrefs=(), string="", time=None, caption=""):
    return list(hrefs), string, time, caption


@pytest.mark.parametrize("post", POSTS)
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_embed_url_and_its_suffix(post, suffix):
    element = _Element(0, 9, "blockquote", {"data-embed-url": post + suffix})
    for platform in LINKED:
        assert_same(element, quote_of(), platform)
        assert_same(element, quote_of(hrefs=[INSTAGRAM_POST, THREADS_POST]), platform)


@pytest.mark.parametrize("name", ATTRIBUTE_NAMES[1:])
@pytest.mark.parametrize("post", POSTS)
def test_the_permalinks_and_the_cite(name, post):
    element = _Element(0, 9, "blockquote", {name: post})
    for platform in LINKED:
        assert_same(element, quote_of(hrefs=[None, MASTODON_POST]), platform)
    assert_same_tiktok(element, quote_of(hrefs=["", TIKTOK_POST, None]))
    assert_same_tiktok(element, quote_of(hrefs=[None]))


def test_the_candidates_are_tried_in_their_order():
    element = _Element(0, 9, "blockquote", {
        "data-embed-url": "https://a.social/@a/1/embed", "data-instgrm-permalink": INSTAGRAM_POST,
        "data-text-post-permalink": THREADS_POST, "cite": TIKTOK_POST,
    })  # fmt: skip
    quote = quote_of(hrefs=["https://b.social/@b/2", "https://www.instagram.com/p/Other/"])
    assert assert_same(element, quote, Platform.MASTODON).status_id == "a.social/1"
    assert assert_same(element, quote, Platform.INSTAGRAM).status_id == "C1a2b3c4d5E"
    assert assert_same(element, quote, Platform.THREADS).status_id == "C8Y2abc"
    tiktok = quote_of(hrefs=["https://www.tiktok.com/@b/video/2"])
    assert assert_same_tiktok(element, tiktok).status_id == "6718335390845095173"
    no_attributes = _Element(0, 9, "blockquote", {})
    assert assert_same(no_attributes, quote, Platform.MASTODON).status_id == "b.social/2"
    assert assert_same(no_attributes, quote, Platform.INSTAGRAM).status_id == "Other"
    assert assert_same_tiktok(no_attributes, tiktok).status_id == "2"


@pytest.mark.parametrize("datetime", DATETIMES)
@pytest.mark.parametrize("string", TIME_STRINGS)
def test_every_time(datetime, string):
    element = _Element(0, 9, "blockquote", {"data-embed-url": MASTODON_POST})
    for platform in LINKED:
        assert_same(element, quote_of(time=(datetime, string)), platform)


# attribution lines (the quote's string) at the rules' limits, one by one
ATTRIBUTIONS = [
    *(f"— {n} (@jane)" for n in NAMES), *(f"{d}Jane (@jane)" for d in DASHES),
    *(f"— Jane (@{h})" for h in HANDLES),
    *(f"{NAME_STRIP[:i]}— {NAME_STRIP[i:]}Jane{NAME_STRIP} (@jane)" for i in range(17)),
    "", " \n ", "Post by @Gargron@mastodon.social", "— Jane (@jane) (@other)", "(@jane",
    "— A (@a)\n— B (@b)\nplain", "— A (@a)\r\n— B ( @b)\r\n", "— A (@a)\x85— B (@b)\x1d",
    "— Jane ((@jane))", "— Jane (@@jane)", "— Jane (@ja(@ne)",
]  # fmt: skip
HANDLED_POSTS = [MASTODON_POST, POSTS[1], INSTAGRAM_POST, THREADS_POST]


@pytest.mark.parametrize("string", ATTRIBUTIONS)
@pytest.mark.parametrize("post", HANDLED_POSTS)
def test_the_attribution_at_its_limits(string, post):
    element = _Element(0, 9, "blockquote", {"data-embed-url": post})
    for platform in LINKED:
        assert_same(element, quote_of(string=string), platform)


CAPTIONS = [
    *(f"a{s}b" for s in SPACES), *(f"{s}a{s}" for s in SPACES), *(f"{d}a" for d in DASHES),
    "", "   ", "\u2028", "a \u2028 \u2028 b", "a\u2028 b", "a \u2028b", "\x0ba", "a\x0b\x0bb",
]  # fmt: skip


@pytest.mark.parametrize("caption", CAPTIONS)
def test_the_tiktok_caption_at_its_limits(caption):
    element = _Element(0, 9, "blockquote", {"cite": TIKTOK_POST})
    assert_same_tiktok(element, quote_of(caption=caption))


def test_the_record_of_a_mastodon_blockquote():
    element = _Element(3, 90, "blockquote", {"data-embed-url": MASTODON_POST + "/embed?x#y"})
    quote = quote_of(
        hrefs=[MASTODON_POST],
        string="Sirens\n— Jane Roe (@janeroe)",
        time=("2024-12-29T14:03:00Z", " Dec\n29,  2024 "),
    )
    embed = _widget.linked_blockquote(element, quote, Platform.MASTODON)
    assert embed is not None
    assert (embed.handle, embed.display_name) == ("Gargron", "Jane Roe")
    assert (embed.date, embed.date_text) == ("2024-12-29", "Dec 29, 2024")
    assert (embed.status_id, embed.status_url) == (
        "mastodon.social/113733316536640183",
        MASTODON_POST,
    )
    assert (embed.start, embed.end, embed.form, embed.text) == (3, 90, "html_blockquote", "")


def test_the_record_of_an_instagram_blockquote_takes_the_attributions_handle():
    url = INSTAGRAM_POST + "?utm_source=ig_embed"
    element = _Element(0, 9, "blockquote", {"data-instgrm-permalink": url})
    quote = quote_of(string="A post shared by — Jane (@jane_roe)")
    embed = _widget.linked_blockquote(element, quote, Platform.INSTAGRAM)
    assert embed is not None
    assert (embed.handle, embed.display_name, embed.status_url) == (
        "jane_roe",
        "Jane",
        INSTAGRAM_POST,
    )


def test_the_record_of_a_tiktok_blockquote():
    element = _Element(0, 9, "blockquote", {"cite": TIKTOK_POST + "?lang=en"})
    embed = _widget.tiktok_blockquote(element, quote_of(caption="  Nous \u2028 restons\t\tici "))
    assert embed is not None
    assert (embed.text, embed.handle, embed.status_url) == (
        "Nous\nrestons ici",
        "scout2015",
        TIKTOK_POST + "?lang=en",
    )


def test_a_blockquote_naming_no_post_of_its_platform_gives_none():
    element = _Element(0, 9, "blockquote", {"data-embed-url": TIKTOK_POST, "cite": MASTODON_POST})
    quote = quote_of(hrefs=[None, "", THREADS_POST], string="— Jane (@jane)")
    assert _widget.linked_blockquote(element, quote, Platform.MASTODON) is None
    assert _widget.tiktok_blockquote(element, quote) is None


@pytest.mark.parametrize(
    "quote",
    [
        None, ([], "", None), ([], "", None, "", ""), ((), "", None, ""), ([1], "", None, ""),
        ([], None, None, ""), ([], "", None, None), ([], "", ("2024-01-01",), ""),
        ([], "", (1, ""), ""), ([], "", (None, None), ""), ([], "", [None, ""], ""),
    ],
)  # fmt: skip
def test_a_malformed_quote_is_refused(quote):
    element = _Element(0, 9, "blockquote", {"data-embed-url": MASTODON_POST})
    with pytest.raises(TypeError):
        _widget.linked_blockquote(element, quote, Platform.MASTODON)
    with pytest.raises(TypeError):
        _widget.tiktok_blockquote(element, quote)
