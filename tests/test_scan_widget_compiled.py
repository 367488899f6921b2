"""The compiled record of a widget blockquote (archiver/scan/_widget.c) is the Python one.

Every other scanner test runs the compiled ``markup._widget_blockquote``; these hold it to
``reference_widget_blockquote``, the whole ``Embed`` (or None), on snippets
built from the widget's pieces: several paragraphs, ``<br>``s and runs of every kind of
whitespace, paragraphs that start with a dash, anchors of every kind (hashtags, mentions,
cashtags, picture links, t.co links, links to the post itself and to other posts), no, several
and foreign status links, ``data-tweet-id`` and ``data-bluesky-uri``, attribution lines with and
without handles and dashes, dates of several languages, names holding NAME_STRIP's characters;
on the same pieces as markup read both ways (C and lxml); on every widget blockquote of the
generated corpus; and on the rules' limits one by one. The dash is the dash rule's as text.py
binds it, which a child process checks by binding one of its own before the first call. Which post a URL names is
``urls.parse_post_url``'s (held to its rule in test_urls_compiled.py).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.models import Platform
from archiver.scan import _widget, markup
from archiver.scan.markup import _Element, reference_read_snippet, reference_widget_blockquote
from archiver.scan.text import NAME_STRIP
from archiver.urls import parse_post_url
from benchmarks.scan_corpus import corpus

ROOT = Path(__file__).resolve().parent.parent
ELEMENT = _Element(10, 400, "blockquote", {"class": "twitter-tweet"})
SELF = "https://twitter.com/janeroe/status/1497?ref_src=twsrc%5Etfw"
BLUESKY_SELF = "https://bsky.app/profile/did:plc:abc/post/3kx"
WORDS = ["Sirens", "in", "Kyiv", "字", "😀", "🇺🇦", "é", "&", "May 1, 2022", "(@jane)", "( @x )"]
SPACES = [" ", "  ", "\n", "\t", "\r", "\r\n", "\f", "\x0b", "\xa0", "\u2028", "\u2029"]
SPACES += ["\u3000", "\x85", "\x1c", "\u200b", " \u2028 ", "\u2028\u2028", "\t\u2028\n"]
DASHES = ["—", "–", "―", "‒", "-", "--", "~", "— ", " - "]
HREFS = [
    None, "", " ", "https://t.co/AbC123", "http://t.co/x", " t.co/AbC ", "HTTPS://T.CO/Q",
    "https://pic.twitter.com/AbC", "pic.x.com/Q1", "https://twitter.com/hashtag/tag?src=hash",
    "https://twitter.com/jane", SELF, f" {SELF} ", "https://x.com/other/status/42?s=20",
    "https://twitter.com/i/web/status/99", "https://mobile.twitter.com/janeroe/status/1497",
    BLUESKY_SELF, "https://bsky.app/profile/jane.bsky.social/post/3ky?ref_src=x",
    "https://bsky.app/profile/did:plc:abc", "at://did:plc:abc/app.bsky.feed.post/3kx",
    "https://mastodon.social/@jane/109876543210", "https://example.org/a?utm_source=x",
    "mailto:jane@example.org", "javascript:void(0)", "https://x.com/a/status/12345678901234567890",
]  # fmt: skip
ANCHOR_STRINGS = [
    "pic.twitter.com/AbC123", "pic.x.com/Q1", "#tag", " #tag", "@jane", "$TSLA", "＃タグ",
    "https://example.org", " example.org/a ", "t.co/x", "May 1, 2022", "25 février 2022", "",
    " \n ", "\u2028", "Jane Roe", "字 😀", "@jane.bsky.social", "January 8, 2025 at 11:00 PM",
]  # fmt: skip
NAMES = ["Jane Roe", "BNO News", "字 😀", "\u200eJane\u200f", "\u202a Jane \u202c", "\ufeffJ"]
NAMES += [" \t\xa0\u202f", "", "A" * 70, "Jane pic.twitter.com/x", "a — b", "Jane (Roe)"]
HANDLES = ["janeroe", "jane.bsky.social", "a-b_c", "x" * 253, "x" * 254, "jane roe", "", "é"]
OPENINGS = ["(@", "( @", "(\u3000@", "(@ ", "(", "@", "(\n@"]
CLOSINGS = [")", " )", "\xa0)", "", " ", "))"]
DATES = [
    "May 1, 2022", "January 8, 2025 at 11:00 PM", "25 février 2022", "17. August 2018",
    "26 de diciembre de 2022", "2019年7月20日", "2022년 2월 25일", "25 февраля 2022 г.",
    "February 30, 2022", "May 1, 1999", "", "13:00 · May 1, 2022",
]  # fmt: skip
TWEET_IDS = ["1497", " 1497 ", "1" * 20, "1" * 21, "12a", "", "١٢٣", "²", "0"]
BLUESKY_URIS = [
    "at://did:plc:abc/app.bsky.feed.post/3kx", "at://jane.bsky.social/app.bsky.feed.post/3kz",
    "https://bsky.app/profile/jane.bsky.social/post/3ky", "https://mastodon.social/@jane/1",
    "https://twitter.com/a/status/1", "nonsense", "", " at://did:plc:abc/app.bsky.feed.post/3",
    " https://x.com/i/web/status/1497 ", "https://www.instagram.com/p/C1a2b3c4d5E/",
    "https://www.tiktok.com/@scout/video/6718", "https://www.threads.net/@zuck/post/C8Y2",
    "at://a%2Fb/app.bsky.feed.post/3kx", "https://bsky.app/profile/%2F/post/3kx",
]  # fmt: skip


def assert_same(element, snippet, platform):
    compiled = _widget.widget_blockquote(element, snippet, platform)
    assert compiled == reference_widget_blockquote(element, snippet, platform)
    return compiled


def test_the_install_built_the_compiled_record():
    assert markup._widget_blockquote is _widget.widget_blockquote


def texts() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(WORDS), st.sampled_from(SPACES), st.sampled_from(DASHES), st.characters()
    )
    return st.lists(piece, max_size=8).map("".join)


@st.composite
def attribution_lines(draw) -> str:
    dash = draw(st.sampled_from(["&mdash; ", *DASHES, "", "\u2014\u2028"]))
    name, handle = draw(st.sampled_from(NAMES)), draw(st.sampled_from(HANDLES))
    opening, closing = draw(st.sampled_from(OPENINGS)), draw(st.sampled_from(CLOSINGS))
    date = draw(st.sampled_from(DATES))
    return f"{dash}{name} {opening}{handle}{closing} {date}"


anchor_pairs = st.tuples(
    st.sampled_from(HREFS), st.one_of(st.sampled_from(ANCHOR_STRINGS), texts())
)


@st.composite
def snippets(draw) -> markup.Snippet:
    paragraphs = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.sampled_from(["", "", *DASHES, *SPACES]))
        anchors = draw(st.lists(anchor_pairs, max_size=3))
        string = start + draw(texts()) + "".join(f"{s} {draw(texts())}" for _, s in anchors)
        lang = draw(st.sampled_from([None, "", "en", "fr", "und"]))
        paragraphs.append((string, lang, anchors))
    attribution = draw(attribution_lines())
    trailing = draw(st.lists(anchor_pairs, max_size=3))
    anchors = [a for *_, links in paragraphs for a in links] + trailing
    quote = "".join(p[0] for p in paragraphs) + draw(st.sampled_from(["", "\n", "\u2028"]))
    quote += attribution + draw(st.sampled_from(["", "\n", " \r\n ", "\x85tail", "\n(@x)"]))
    return paragraphs, anchors, quote


@st.composite
def elements(draw) -> _Element:
    attributes = {"class": draw(st.sampled_from(["twitter-tweet", "bluesky-embed"]))}
    if draw(st.booleans()):
        attributes["data-tweet-id"] = draw(st.sampled_from(TWEET_IDS))
    if draw(st.booleans()):
        attributes["data-bluesky-uri"] = draw(st.sampled_from(BLUESKY_URIS))
    return _Element(draw(st.integers(0, 10**6)), 10**6 + 5, "blockquote", attributes)


platforms = st.sampled_from([Platform.TWITTER, Platform.BLUESKY])


@settings(max_examples=1500, deadline=None)
@given(elements(), snippets(), platforms)
def test_snippets_of_the_widgets_pieces_give_the_same_records(element, snippet, platform):
    assert_same(element, snippet, platform)


@st.composite
def markups(draw) -> str:
    """A widget blockquote's markup of the same pieces (hrefs escaped, texts kept to the plain)."""
    plain = st.lists(st.sampled_from([*WORDS[:7], *SPACES, *DASHES, "<br>", "&amp;"]), max_size=6)
    inside = ""
    for _ in range(draw(st.integers(0, 3))):
        inside += f"<p lang={draw(st.sampled_from(['en', 'fr', '']))!r}>{''.join(draw(plain))}"
        for href, string in draw(st.lists(anchor_pairs, max_size=2)):
            href_attribute = "" if href is None else f' href="{_escaped(href)}"'
            inside += f"<a{href_attribute}>{_escaped(string)}</a> {''.join(draw(plain))}"
        inside += draw(st.sampled_from(["</p>", ""]))
    attribution = _escaped(draw(attribution_lines()))
    status = draw(st.sampled_from(HREFS[3:]))
    date = _escaped(draw(st.sampled_from(DATES)))
    return f'<blockquote class="twitter-tweet">{inside}{attribution} <a href="{_escaped(status)}">{date}</a></blockquote>'


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@settings(max_examples=400, deadline=None)
@given(markups(), elements(), platforms)
def test_markup_read_in_c_and_by_lxml_gives_the_same_records(source, element, platform):
    for snippet in (markup.read_snippet(source), reference_read_snippet(source)):
        if snippet is not None:
            assert_same(element, snippet, platform)


def test_every_widget_blockquote_of_the_generated_corpus_gives_the_same_record():
    records = []
    for density in ("sample", "dense", "realistic"):
        for page in corpus("html", 300_000, density=density):
            text = page.decode()
            starts = [m.start() for m in re.finditer("<blockquote", text)]
            for element in markup._elements(text, starts):
                platform = {"twitter-tweet": Platform.TWITTER, "bluesky-embed": Platform.BLUESKY}
                kind = platform.get(element.attributes.get("class", ""))
                snippet = markup.read_snippet(text[element.start : element.end])
                if kind is not None and snippet is not None:
                    records.append(assert_same(element, snippet, kind))
    assert len(records) > 100 and all(records)


def snippet_of(paragraph: str, attribution: str, anchors=(), status=(SELF, "May 1, 2022")):
    links = list(anchors)
    return [(paragraph, "en", links)], [*links, status], f"{paragraph}\n{attribution}"


# A character of each str kind (ASCII, Latin-1, BMP, non-BMP), and the characters around
# str.splitlines' breaks
KINDS = ["a", "\xe9", "\u5b57", "\U0001f600"]
BREAK_CANDIDATES = [*range(0x21), 0x7F, 0x84, 0x85, 0x86, 0xA0, 0x2027, 0x2028, 0x2029, 0x202A]

# (paragraph's string, attribution line): the string rules at their limits, one by one
LIMITS = [
    *((f"a{s}b", "— Jane Roe (@janeroe) May 1, 2022") for s in SPACES),
    *((f"{s}a{s}", "— Jane (@jane) May 1, 2022") for s in SPACES),
    *((f"{d}a", "— Jane (@jane) May 1, 2022") for d in DASHES),
    *((f" \u2028 {d}a", "— Jane (@jane) May 1, 2022") for d in DASHES),
    ("\x0ba", "— Jane (@jane)"), ("a\x0b\x0bb", "— Jane (@jane)"), ("\x1c-a", "— Jane (@jane)"),
    ("a \u2028 \u2028 b", "x"), ("a\u2028 b", "x"), ("a \u2028b", "x"), ("\u2028", "x"),
    ("", ""), ("   ", " \n "), ("a", "(@jane)"), ("a", "(@jane"), ("a", "@jane)"),
    *(("a", f"— Jane {o}jane{c} May 1, 2022") for o in OPENINGS for c in CLOSINGS),
    *(("a", f"— Jane (@{h}) May 1, 2022") for h in HANDLES),
    *(("a", f"— {n} (@jane) May 1, 2022") for n in NAMES),
    *(("a", f"{d}Jane (@jane) May 1, 2022") for d in DASHES),
    *(("a", f"{NAME_STRIP[:i]}— {NAME_STRIP[i:]}Jane{NAME_STRIP} (@jane)") for i in range(17)),
    ("a", "— Jane (@jane) (@other) May 1"), ("a", "— Jane (@jane) ( @other)"),
    ("a", "— A (@a)\n— B (@b)\nplain"), ("a", "— A (@a)\r\n— B ( @b)\r\n"),
    ("a", "— A (@a)\x85— B (@b)\x1d"), ("a", "x\u2029y"), ("a", "(@" + "x" * 300 + ")"),
    ("a", "— Jane ((@jane)) May 1"), ("a", "— Jane (@@jane)"), ("a", "— Jane (@ja(@ne)"),
    ("a", "— Jane (@"), ("a", "— Jane ( "), ("a", "— Jane ("), ("a", "(\n@jane)"),
    ("a", "— Jane ((@jane))\nplain"), ("a", "— Jane (( @jane))\nplain"), ("a", "— J (x(@j)\nplain"),
    # each character splitlines may break at, beside a character of each str kind
    *(("a", f"— A (@a){kind}{chr(c)}— B{kind}") for kind in KINDS for c in BREAK_CANDIDATES),
    *(("a", f"— B (@b){kind}{chr(c)}May 1, 2022") for kind in KINDS for c in BREAK_CANDIDATES),
]  # fmt: skip


@pytest.mark.parametrize(("paragraph", "attribution"), LIMITS)
@pytest.mark.parametrize("platform", [Platform.TWITTER, Platform.BLUESKY])
def test_the_string_rules_at_their_limits(paragraph, attribution, platform):
    assert_same(ELEMENT, snippet_of(paragraph, attribution), platform)
    no_status = snippet_of(paragraph, attribution, status=(None, "May 1, 2022"))
    assert_same(ELEMENT, no_status, platform)


@pytest.mark.parametrize("href", HREFS)
@pytest.mark.parametrize("string", ANCHOR_STRINGS)
def test_every_kind_of_anchor_in_a_post(href, string):
    snippet = snippet_of("a", "— Jane (@janeroe) May 1, 2022", anchors=[(href, string)])
    for platform in (Platform.TWITTER, Platform.BLUESKY):
        assert_same(ELEMENT, snippet, platform)


@pytest.mark.parametrize("href", HREFS)
@pytest.mark.parametrize("date", [*DATES, " \n ", "\u2028May 1, 2022 "])
def test_every_status_link_and_date(href, date):
    for attribution in ("— Jane (@janeroe) May 2, 2022", "— Jane", "", "— Jane (@j) 1 mai 2022"):
        snippet = snippet_of("a", attribution, status=(href, date))
        for platform in (Platform.TWITTER, Platform.BLUESKY):
            assert_same(ELEMENT, snippet, platform)


@pytest.mark.parametrize("tweet_id", [*TWEET_IDS, None])
@pytest.mark.parametrize("uri", [*BLUESKY_URIS, None])
def test_the_posts_the_attributes_name(tweet_id, uri):
    attributes = {"class": "x"}
    if tweet_id is not None:
        attributes["data-tweet-id"] = tweet_id
    if uri is not None:
        attributes["data-bluesky-uri"] = uri
    element = _Element(0, 9, "blockquote", attributes)
    for status in [(None, "May 1, 2022"), (SELF, ""), (BLUESKY_SELF, "x"), ("https://a.b/", "")]:
        for attribution in ("— Jane (@jane) May 1, 2022", "— Jane", ""):
            snippet = snippet_of("a", attribution, status=status)
            for platform in (Platform.TWITTER, Platform.BLUESKY, Platform.MASTODON):
                assert_same(element, snippet, platform)


FOREIGN_URIS = [
    u for u in BLUESKY_URIS if (post := parse_post_url(u)) and post.platform != Platform.BLUESKY
]


@pytest.mark.parametrize("uri", FOREIGN_URIS)
def test_a_uri_naming_another_platforms_post_is_ignored(uri):
    element = _Element(0, 9, "blockquote", {"class": "bluesky-embed", "data-bluesky-uri": uri})
    without_uri = _Element(0, 9, "blockquote", {"class": "bluesky-embed"})
    for status in [(None, "May 1, 2022"), (BLUESKY_SELF, "x"), (SELF, "")]:
        snippet = snippet_of("a", "— Jane (@jane) May 1, 2022", status=status)
        embed = _widget.widget_blockquote(element, snippet, Platform.BLUESKY)
        assert embed == _widget.widget_blockquote(without_uri, snippet, Platform.BLUESKY)
        assert embed == reference_widget_blockquote(element, snippet, Platform.BLUESKY)


def test_the_record_of_a_widget():
    snippet = snippet_of(
        "Sirens\u2028 in  Kyiv",
        "\u2014 Jane Roe (@janeroe) May 1, 2022",
        anchors=[
            ("https://t.co/AbC", "pic.twitter.com/AbC"),
            ("https://t.co/zz", " example.org/a "),
            (SELF, "self"),
        ],
    )
    embed = _widget.widget_blockquote(ELEMENT, snippet, Platform.TWITTER)
    assert embed is not None
    assert (embed.text, embed.handle) == ("Sirens\nin Kyiv", "janeroe")
    assert embed.display_name == "Jane Roe"
    assert (embed.date, embed.date_text, embed.lang) == ("2022-05-01", "May 1, 2022", "en")
    assert (embed.pic_links, embed.links) == (("pic.twitter.com/AbC",), ("https://t.co/zz",))
    assert (embed.status_id, embed.status_url) == ("1497", SELF.split("?")[0])
    assert (embed.start, embed.end, embed.form) == (10, 400, "html_blockquote")


def test_a_widget_without_a_post_or_a_handle_gives_none():
    snippet = snippet_of("a", "— Jane May 1, 2022", status=("https://example.org", "x"))
    assert _widget.widget_blockquote(ELEMENT, snippet, Platform.TWITTER) is None


@pytest.mark.parametrize(
    "snippet",
    [
        None,
        ([], [], None),
        ([], []),
        ([("a", None)], [], ""),
        ([(1, None, [])], [], ""),
        ([("a", 1, [])], [], ""),
        ([("a", None, [(None,)])], [], ""),
        ([], [(1, "a")], ""),
        ([], [("a", None)], ""),
        ((), [], ""),
    ],
)
def test_a_malformed_snippet_is_refused(snippet):
    with pytest.raises(TypeError):
        _widget.widget_blockquote(ELEMENT, snippet, Platform.TWITTER)


DASH_RULE_BOUND_BEFORE_THE_FIRST_CALL = """
from archiver.models import Platform
from archiver.scan import _widget, markup, text
from archiver.scan.markup import _Element
calls = []
def dash_and_name(line, anchor, floor):
    calls.append((line, anchor, floor))
    return text.reference_dash_and_name(line, anchor, floor)
text._dash_and_name = dash_and_name
snippet = ([("a", "en", [])], [], "a\\n\\u2014 Jane -- Roe (@jane) May 1, 2022")
element = _Element(0, 9, "blockquote", {"class": "twitter-tweet"})
embed = _widget.widget_blockquote(element, snippet, Platform.TWITTER)
print(repr((embed.display_name, embed.handle)), calls)
"""


def test_the_dash_is_that_of_the_dash_rule_as_text_binds_it():
    # Bound before the first call, in a child process: a build without _attributions.c's twin
    # reads the dash through the reference, with the floor dash_before gives it.
    done = subprocess.run(
        [sys.executable, "-c", DASH_RULE_BOUND_BEFORE_THE_FIRST_CALL],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    line = "\u2014 Jane -- Roe (@jane) May 1, 2022"
    calls = [(line, line.index("(@"), 0)]
    assert done.stdout.strip() == f"{('Jane -- Roe', 'jane')!r} {calls!r}"


MALFORMED_DASH_BOUND_BEFORE_THE_FIRST_CALL = """
import sys
from archiver.models import Platform
from archiver.scan import _widget, text
from archiver.scan.markup import _Element
text._dash_and_name = lambda line, anchor, floor: eval(sys.argv[1])
snippet = ([("a", "en", [])], [], "\u2014 Jane (@jane) May 1, 2022")
element = _Element(0, 9, "blockquote", {"class": "twitter-tweet"})
_widget.widget_blockquote(element, snippet, Platform.TWITTER)
"""


@pytest.mark.parametrize("found", ["(0, 2)", "(0, 2, 'x', 3)", "[0, 2, 'x']", "(0, '2', 'x')"])
def test_a_dash_rule_giving_what_is_no_dash_is_refused(found):
    done = subprocess.run(
        [sys.executable, "-c", MALFORMED_DASH_BOUND_BEFORE_THE_FIRST_CALL, found],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "TypeError" in done.stderr.splitlines()[-1]
