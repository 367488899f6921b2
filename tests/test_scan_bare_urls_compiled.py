"""The compiled search for bare status URLs (archiver/scan/_bare_urls.c) finds what the Python one does.

Every other scanner test runs the compiled one (``bare_urls.find_bare_urls``); these hold it to
``reference_find_bare_urls``, whole lists, on documents built from post URLs of each platform
with and without their scheme, links that name no post, "//" and "/status" where no URL is,
``<url>`` wrappers whole and half, every kind of space and line end (CRLF, "\\x85", U+2028),
non-ASCII prose, lines that reach 2,048 characters from the literal, either way, or just do not,
and starts and ends anywhere. The records made of them (``plain.bare_url_embeds``, compiled in
the same module) are held to ``plain.reference_bare_url_embeds`` the same way. With
``blank_markers``, both read the text as it is with its Markdown quote markers turned to spaces,
without making that copy: they are held to the references run on
``plain.reference_quote_markers_blanked(text)``, on the same lines after quote markers and what
comes close to one (four spaces in, after a "\r", ">>", "> >"), from starts and to ends anywhere.
"""

import pytest
from embed_records import records
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _bare_urls, bare_urls, plain
from archiver.scan.bare_urls import _MAX_LINE, BareUrl, reference_find_bare_urls
from archiver.scan.plain import reference_bare_url_embeds, reference_quote_markers_blanked

URLS = [
    "https://twitter.com/jane/status/1497275055223312384",
    "https://x.com/jane/status/123?s=20&t=abc",
    "http://mobile.twitter.com/i/web/status/1",
    "https://bsky.app/profile/jane.bsky.social/post/3kabc",
    "at://did:plc:abc/app.bsky.feed.post/3kabc",
    "https://mastodon.social/@jane/109876543210",
    "https://www.instagram.com/p/AbC_1/",
    "twitter.com/jane/status/1497275055223312384",  # no scheme: given https://
    "x.com/i/status/2",
    "www.x.com/jane/statuses/3",
    "bsky.app/profile/jane/post/3k",  # no scheme, no "/status": not a literal
    "bsky.app/profile/statue.bsky.social/post/3k",  # "/statu" is not one either
    "bsky.app/profile/jane/post/3k//status",  # "//" not after ":", then "/status"
    "bsky.app/profile/jane/post/3k/status:/",  # ":/" is no scheme
    "mastodon.social/users/jane/statuses/1",
    "//twitter.com/jane/status/4",
]
NOT_POSTS = [
    "https://example.org/a//b",
    "https://x.com/jane/status/",
    "https://t.co/abc",
    "example.org/status",
    "/status",
    "://",
    "x://",
    "a//b",
    ":/status",
    "//",
    "/statu",
]
SPACES = [" ", "  ", "\t", "\xa0", "\u3000", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\r"]
LINE_ENDS = ["\n", "\r\n", "\n\n", "\n \n", "\u2029\n"]
PROSE = ["See", "the post:", "字 😀", "word:", "<", ">", "\u200b", "(", ")", "x"]


def often(common, rare):
    """One of ``common`` (each alike) four times in five, else one of ``rare``."""
    return st.sampled_from(common * (4 * len(rare)) + rare * len(common))


@st.composite
def tokens(draw):
    """A URL, a post's or not, whole or in wrappers."""
    url = draw(often(URLS, NOT_POSTS))
    opening, closing = draw(often([("", "")], [("<", ">"), (">", "<"), ("<", ""), ("", ">")]))
    return opening + url + closing


@st.composite
def lines(draw):
    """A line: a token alone or among prose, spaces around either."""
    space = often([" ", ""], SPACES)
    words = draw(st.lists(st.one_of(tokens(), st.sampled_from(PROSE)), min_size=1, max_size=3))
    return "".join(draw(space) + word for word in words) + draw(space)


@st.composite
def long_lines(draw):
    """A token in a line that reaches about _MAX_LINE characters from its literal, before or
    after it (padded with spaces, or with a word that makes it no longer a lone token)."""
    token = draw(tokens())
    literal = min(
        (i for i in (token.find("://"), token.find("/status")) if i >= 0), default=len(token)
    )
    before = draw(st.integers(_MAX_LINE - 2, _MAX_LINE + 1)) - literal
    after = draw(st.integers(_MAX_LINE - 2, _MAX_LINE + 1)) - (len(token) - literal)
    before, after = draw(often([(before, 0), (0, after)], [(before, after)]))
    padding = draw(often([" "], ["x", "\r"]))
    return padding * max(before, 0) + token + padding * max(after, 0)


documents = st.lists(st.one_of(lines(), long_lines(), st.sampled_from(LINE_ENDS)), max_size=8).map(
    "".join
)


@st.composite
def calls(draw):
    """A document and the bounds to search it within, often left out."""
    document = draw(documents)
    start = draw(often([0], [draw(st.integers(0, len(document)))]))
    end = draw(often([None], [draw(st.integers(start, len(document)))]))
    return document, {"start": start, "end": end}


def test_the_install_built_the_compiled_search():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert bare_urls._find_bare_urls is _bare_urls.find_bare_urls
    assert bare_urls.find_bare_urls is not reference_find_bare_urls


@settings(max_examples=1000, deadline=None)
@given(calls())
def test_the_compiled_search_finds_what_the_python_one_does(call):
    document, keywords = call
    found = bare_urls.find_bare_urls(document, **keywords)
    assert found == reference_find_bare_urls(document, **keywords)
    assert all(type(bare) is BareUrl for bare in found)


TWEET = "https://twitter.com/jane/status/1497275055223312384"


@pytest.mark.parametrize(
    "document",
    [
        f"Read this:\n\n{TWEET}\n\nThe end.",
        f"{TWEET}\r\n<x.com/jane/status/1>\n  >{TWEET}<  \n",
        f"See {TWEET} and\n{TWEET}",
        f"//{TWEET}\n:{TWEET}\nx.com/a/status/1/status/2",
        f"字 😀\n{TWEET}\x85\n\u3000twitter.com/jane/status/9\u3000",
        f"a//b\n://\n/status\n{TWEET}",
        f"{TWEET} {TWEET}\n{TWEET}",
        "bsky.app/profile/jane/post/3k/status://\nbsky.app/profile/jane/post/3k//status",
        "bsky.app/profile/statue.bsky.social/post/3k\nmastodon.social/users/jane/statuses/1",
    ],
)
def test_the_compiled_search_cut_anywhere(document):
    # each URL found alike however the bounds cut the document in or around its literals
    literals = [i for i in range(len(document)) if document.startswith(("://", "/status"), i)]
    cuts = {0, len(document), *(cut for i in literals for cut in range(i - 1, i + 9))}
    for cut in sorted(cut for cut in cuts if 0 <= cut <= len(document)):
        for keywords in ({"start": cut}, {"end": cut}, {"start": cut, "end": cut}):
            found = bare_urls.find_bare_urls(document, **keywords)
            assert found == reference_find_bare_urls(document, **keywords)
    assert bare_urls.find_bare_urls(document)


@pytest.mark.parametrize("shift", range(-2, 3))
@pytest.mark.parametrize("padding", [" ", "\t", "x"])
@pytest.mark.parametrize("where", ["before", "after", "before, bounded", "after, bounded"])
def test_a_line_at_the_limit_either_side_of_the_literal(shift, padding, where):
    # _MAX_LINE counts from the literal (the ":" of "://") back to the line's start and on to its
    # end; by a newline, or by the search's own start and end
    literal = TWEET.index("://")
    if where.startswith("before"):
        line = padding * (_MAX_LINE + shift - literal) + TWEET
    else:
        line = TWEET + padding * (_MAX_LINE + shift - len(TWEET) + literal)
    document = f"prose\n{line}\nprose" if where.endswith("bounded") else f"{line}\nprose\n{TWEET}"
    keywords = {"start": 6, "end": 6 + len(line)} if where.endswith("bounded") else {}
    found = bare_urls.find_bare_urls(document, **keywords)
    assert found == reference_find_bare_urls(document, **keywords)


def test_lines_at_the_limit_are_found_and_past_it_not():
    # what the limit cases above compare, as the rule gives it: the newline before a line is
    # looked for _MAX_LINE characters back from the literal, the search's start stands for one
    literal = TWEET.index("://")
    widest = " " * (_MAX_LINE - literal) + TWEET
    narrower = widest[1:]
    document = f"{widest}\n{widest}\n{narrower}\n"
    found = bare_urls.find_bare_urls(document)
    assert [bare.start for bare in found] == [
        len(widest) - len(TWEET),
        len(document) - 1 - len(TWEET),
    ]
    assert found == reference_find_bare_urls(document)


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, None), (-40, 5), (0, 10**6), (30, 10), (2, 70)],
)
def test_bounds_outside_the_text_are_read_as_the_reference_reads_them(start, end):
    document = f"x:\n{TWEET}\n//{TWEET}"
    found = bare_urls.find_bare_urls(document, start=start, end=end)
    assert found == reference_find_bare_urls(document, start=start, end=end)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 5), TypeError),
        (("text", 0), TypeError),
        (("text", "0", 4), TypeError),
        (("text", 0, 10**30), OverflowError),
        (("text", -1, 4), ValueError),
        (("text", 3, 2), ValueError),
        (("text", 0, 5), ValueError),
    ],
)
def test_the_compiled_search_refuses_what_the_python_one_cannot_take(arguments, error):
    with pytest.raises(error):
        _bare_urls.find_bare_urls(*arguments)


def test_the_install_built_the_compiled_records():
    assert plain._bare_url_embeds is _bare_urls.bare_url_embeds
    assert plain.bare_url_embeds is not reference_bare_url_embeds


@settings(max_examples=1000, deadline=None)
@given(calls())
def test_the_compiled_records_are_the_python_ones(call):
    document, keywords = call
    compiled = plain.bare_url_embeds(document, **keywords)
    assert records(compiled) == records(reference_bare_url_embeds(document, **keywords))


@pytest.mark.parametrize("url", URLS + NOT_POSTS)
@pytest.mark.parametrize("wrappers", [("", ""), ("<", ">"), ("\u3000", "\r")])
def test_the_compiled_record_of_each_url(url, wrappers):
    document = f"x\n{wrappers[0]}{url}{wrappers[1]}\ny"
    compiled = plain.bare_url_embeds(document)
    assert records(compiled) == records(reference_bare_url_embeds(document))
    if url == TWEET:
        assert compiled[0].status_url == TWEET


@pytest.mark.parametrize(
    ("url", "status_url"),
    [
        ("https://x.com/jane/status/123?s=20&t=abc", "https://x.com/jane/status/123"),
        ("x.com/jane/status/123?lang=fr&s=20#m", "https://x.com/jane/status/123?lang=fr#m"),
        ("https://x.com/jane/status/123?", "https://x.com/jane/status/123"),
        ("https://x.com/jane/status/123?utm_source=a&ref_src=b", "https://x.com/jane/status/123"),
        ("<twitter.com/jane/status/9>", "https://twitter.com/jane/status/9"),
    ],
)
def test_a_status_url_loses_its_tracking_keys_alone(url, status_url):
    # the query is cleaned in Python (links.clean_status_url); a URL without one is kept whole
    document = f"Read:\n{url}\n"
    (compiled,) = plain.bare_url_embeds(document)
    assert records([compiled]) == records(reference_bare_url_embeds(document))
    assert (compiled.status_url, compiled.status_id, compiled.form) == (
        status_url,
        status_url.rsplit("/", 1)[1].split("?")[0].split("#")[0],
        "status_url",
    )
    start = 6 + url.startswith("<")
    assert (compiled.start, compiled.end) == (start, start + len(url.strip("<>")))


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, None), (-40, 5), (0, 10**6), (30, 10), (2, 70), (3, None), (0, 40)],
)
def test_records_within_any_bounds_are_the_python_ones(start, end):
    document = f"x:\n{TWEET}\n//{TWEET}\n{TWEET}?s=20"
    compiled = plain.bare_url_embeds(document, start=start, end=end)
    assert records(compiled) == records(reference_bare_url_embeds(document, start=start, end=end))


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", 0, 5), TypeError),
        (("text", 0), TypeError),
        (("text", -1, 4), ValueError),
        (("text", 3, 2), ValueError),
        (("text", 0, 5), ValueError),
    ],
)
def test_the_compiled_records_refuse_what_the_python_ones_cannot_take(arguments, error):
    with pytest.raises(error):
        _bare_urls.bare_url_embeds(*arguments)


QUOTE_MARKERS = [">", "> ", ">\t", ">  ", "  >", "\t\t\t>\t", "    >", ">>", "> > ", "\r> ", "x>"]


@st.composite
def quoted_calls(draw):
    """A document of lines after quote markers and what comes close to one, and the bounds to
    search it within, often left out."""
    parts = draw(
        st.lists(
            st.tuples(often([""], QUOTE_MARKERS), st.one_of(lines(), long_lines())), max_size=8
        )
    )
    document = "".join(marker + line + draw(st.sampled_from(LINE_ENDS)) for marker, line in parts)
    start = draw(often([0], [draw(st.integers(0, len(document)))]))
    end = draw(often([len(document)], [draw(st.integers(start, len(document)))]))
    return document, start, end


@settings(max_examples=1000, deadline=None)
@given(quoted_calls())
def test_the_compiled_search_reads_quote_markers_as_spaces(call):
    document, start, end = call
    view = reference_quote_markers_blanked(document)
    found = _bare_urls.find_bare_urls(document, start, end, True)
    assert found == reference_find_bare_urls(view, start=start, end=end)
    compiled = plain.bare_url_embeds(document, start=start, end=end, blank_markers=True)
    assert records(compiled) == records(reference_bare_url_embeds(view, start=start, end=end))


@pytest.mark.parametrize(
    "document",
    [
        f"> {TWEET}",  # a marker at the text's start
        f"x\n>{TWEET}\r\n>\t{TWEET}\t\n",
        f"x\n   >\t {TWEET}\n    > {TWEET}",  # three spaces in, then four: no marker
        f"\t\t\t>{TWEET}\n \t \t>{TWEET}",
        f"x\r> {TWEET}\n\x85> {TWEET}\n\u2028> {TWEET}\n> {TWEET}",  # only "\n" starts a line
        f">> {TWEET}\n> > {TWEET}\n>>{TWEET}>\n> <{TWEET}>",  # a second ">" is no marker
        f"x> {TWEET}\n{TWEET} >\n> {TWEET} >\n> {TWEET}",
        f">\n> {TWEET}\n>\n> x.com/jane/status/1",
    ],
)
def test_the_quoted_search_cut_anywhere(document):
    # a line that starts before the search's start, or is cut inside its marker
    view = reference_quote_markers_blanked(document)
    assert view != document
    for start in range(len(document) + 1):
        for end in range(start, len(document) + 1):
            found = _bare_urls.find_bare_urls(document, start, end, True)
            assert found == reference_find_bare_urls(view, start=start, end=end)
    assert _bare_urls.find_bare_urls(document, 0, len(document), True)


@pytest.mark.parametrize("shift", range(-2, 3))
@pytest.mark.parametrize("marker", [">", "> ", "   >\t"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_quoted_line_at_the_limit_either_side_of_the_literal(shift, marker, where):
    # the marker counts in the line's length, as the spaces it becomes do in the view
    literal = TWEET.index("://")
    if where == "before":
        line = marker + " " * (_MAX_LINE + shift - literal - len(marker)) + TWEET
    else:
        line = marker + TWEET + " " * (_MAX_LINE + shift - len(TWEET) + literal)
    document = f"{line}\nprose\n{line}"
    view = reference_quote_markers_blanked(document)
    for start, end in [(0, len(document)), (0, len(line)), (len(line) + 7, len(document))]:
        found = _bare_urls.find_bare_urls(document, start, end, True)
        assert found == reference_find_bare_urls(view, start=start, end=end)


def test_a_url_alone_on_a_quoted_line_is_found_with_blank_markers_only():
    document = f"Read:\n> {TWEET}\n>>{TWEET}"
    (record,) = plain.bare_url_embeds(document, blank_markers=True)
    assert (record.start, record.end, record.status_url) == (8, 8 + len(TWEET), TWEET)
    assert plain.bare_url_embeds(document) == []
    assert plain.bare_url_embeds(document, start=7, blank_markers=True) == [record]
    assert plain.bare_url_embeds(document, start=9, blank_markers=True) == []


@pytest.mark.parametrize(("start", "end"), [(-1, None), (0, 10**6), (30, 10)])
def test_bounds_outside_a_quoted_text_are_read_as_the_reference_reads_them(start, end):
    document = f"x:\n> {TWEET}\n>> {TWEET}"
    compiled = plain.bare_url_embeds(document, start=start, end=end, blank_markers=True)
    view = reference_quote_markers_blanked(document)
    assert records(compiled) == records(reference_bare_url_embeds(view, start=start, end=end))


class Untrue:
    def __bool__(self):
        raise ZeroDivisionError


@pytest.mark.parametrize(
    ("arguments", "error"),
    [(("text", 0, 4, True, 1), TypeError), (("text", 0, 4, Untrue()), ZeroDivisionError)],
)
def test_a_fourth_argument_is_the_only_one_more(arguments, error):
    for compiled in (_bare_urls.find_bare_urls, _bare_urls.bare_url_embeds):
        with pytest.raises(error):
            compiled(*arguments)
