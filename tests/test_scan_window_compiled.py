"""The compiled flattened embeds of a page, clusters of its candidates and reading of a
cluster's window (archiver/scan/_flattened.c, ``flattened_embeds``, ``clusters`` and
``window_embeds``) are html.py's, record for record.

Every other scanner test runs the compiled ones (``html._flattened_embeds``, ``html._clusters``,
``html._window_embeds``); these hold them to ``reference_flattened_embeds``,
``reference_clusters`` and ``reference_window_embeds`` on pages built from what a window reads: flattened attributions and
bare post URLs (with entities in them, in wrappers, twice on a page), markup embeds and
``<script>`` elements that block what is near or inside them, and runs of prose that put the
candidates at their reach limits (html.BACK, URL_BACK, FORWARD, _URL_SLACK). Each page is read
through the windows the scanner makes of it and through candidates, blocked ranges, windows
and clusters drawn anywhere, in strs of each kind.
Then the limits, one character either side of each.
"""

import pytest
from embed_records import record
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _flattened, html, prefilter
from archiver.scan.html import (
    BACK,
    FORWARD,
    URL_BACK,
    reference_clusters,
    reference_flattened_embeds,
    reference_window_embeds,
)
from archiver.scan.markup import find_markup_embeds
from archiver.scan.prefilter import PageCandidates

PROSE = ["<p>Some prose.</p>", "<div>", "\n", "x", " ", "<br>", "&amp;", "字", "😀"]
PADDING = [1, 250, 254, 255, 256, 257, 399, 400, 401, 799, 800, 801, 1999, 2000, 2001]
BARE_URLS = [
    "https://twitter.com/jane/status/123",
    "https://x.com/jane/status/9?s=20&amp;t=x",
    "https://x.com/jo/status/7?s=1&amp;amp;t=2",
    "https&#58;//x.com/jo/status/7",
    "https://x.com/jo/status/7'",
    "x.com/jo/status/77",
    "&lt;https://twitter.com/jo/status/78&gt;",
    "https://bsky.app/profile/jane.bsky.social/post/3kabc",
    "https://mastodon.social/@jane/110000000000000001",
    "https://example.org/not/a/post",
    "https://x.com/jo/status/7&#55;",
]
BLOCKED = [
    '<blockquote class="twitter-tweet"><p>Quoted</p>&mdash; Jo (@jo) '
    '<a href="https://twitter.com/jo/status/5">May 1, 2020</a></blockquote>',
    "<script>var a = '(@jo) May 1, 2020 https://x.com/jo/status/6';</script>",
    "<style>p { content: '(@jo) May 1, 2020' }</style>",
]
ATTRIBUTIONS = [
    "<p>Post text</p>&mdash; Jane Roe (@janeroe) May 1, 2020",
    "<p>Post &amp; <a href='https://t.co/AbC'>pic.twitter.com/AbC</a></p>— Jo (@jo) "
    "<a href='https://x.com/jo/status/7?s=20'>March 3, 2019</a>",
    "<p>Post</p>— BNO (@jane.bsky.social) [1 May 2020](https://example.org/not/a/post)",
    "— Jo (@jo) May 1, 2020",
    "Jo (@jo) May 1, 2020",
    "— Jo (@jo) May 1, 202&#48;",  # ends in a reference: its end maps to the reference's
]


@st.composite
def bare_urls(draw):
    url = draw(st.sampled_from(BARE_URLS))
    before, after = draw(st.sampled_from([("<p>", "</p>"), ("\n", "\n"), ("<br>", " "), ("", "")]))
    return before + url + after


PAGES = st.lists(
    st.one_of(
        st.sampled_from(ATTRIBUTIONS),
        bare_urls(),
        st.sampled_from(BLOCKED),
        st.sampled_from(PROSE),
        st.sampled_from(PADDING).map(lambda size: "y" * size),
    ),
    min_size=1,
    max_size=8,
).map("".join)


def assert_same(source, window_start, cluster):
    compiled = html._window_embeds(source, window_start, cluster)
    reference = reference_window_embeds(source, window_start, cluster)
    assert list(map(record, compiled)) == list(map(record, reference))
    return compiled


def assert_same_page(source, found, markup):
    compiled = html._flattened_embeds(source, found, markup)
    reference = reference_flattened_embeds(source, found, markup)
    assert list(map(record, compiled)) == list(map(record, reference))
    return compiled


def windows(source):
    """The windows and clusters ``html_embeds`` reads the page through."""
    found = prefilter.find_candidates(source)
    markup = find_markup_embeds(source, found.elements)
    blocked = html._merged([(embed.start, embed.end) for embed in markup] + found.code)
    positions = sorted(found.anchors + found.urls)
    candidates = [pos for pos in positions if not html._inside(blocked, pos)]
    return assert_same_clusters(source, candidates, blocked)


def assert_same_clusters(source, candidates, blocked):
    compiled = html._clusters(source, candidates, blocked)
    assert compiled == reference_clusters(source, candidates, blocked)
    return compiled


def embeds_of(source):
    return [
        embed
        for window_start, cluster in windows(source)
        for embed in assert_same(source, window_start, cluster)
    ]


def test_the_install_built_the_compiled_window():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert html._window_embeds is _flattened.window_embeds
    assert html._clusters is _flattened.clusters
    assert html._flattened_embeds is _flattened.flattened_embeds


@settings(max_examples=400, deadline=None)
@given(PAGES)
def test_every_window_of_a_page_gives_both_the_same_records(source):
    embeds_of(source)


@settings(max_examples=400, deadline=None)
@given(PAGES)
def test_every_page_gives_both_the_same_flattened_embeds(source):
    found = prefilter.find_candidates(source)
    assert_same_page(source, found, find_markup_embeds(source, found.elements))


@settings(max_examples=400, deadline=None)
@given(PAGES, st.data())
def test_any_candidates_code_and_markup_give_both_the_same_flattened_embeds(source, data):
    found = prefilter.find_candidates(source)
    markup = find_markup_embeds(source, found.elements)
    positions = st.integers(0, len(source) - 1) if source else st.nothing()
    ranges = st.tuples(st.integers(0, len(source)), st.integers(0, len(source)))
    drawn = PageCandidates(
        code=data.draw(st.lists(ranges, max_size=3)),
        anchors=data.draw(st.lists(positions, max_size=4)),
        urls=data.draw(st.lists(positions, max_size=4)),
    )
    assert_same_page(source, drawn, data.draw(st.sampled_from([markup, []])))


# a character that makes the page a str of each kind: ASCII, Latin-1, BMP, beyond the BMP
KINDS = ["", "é", "字", "😀"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KINDS), PAGES, st.data())
def test_windows_of_pages_of_each_kind_from_anywhere_give_both_the_same_records(kind, page, data):
    # the compiled window reads its visible text itself (_visible_text.h): from any start, over
    # any cluster, in a str of each kind
    source = kind + page + kind
    window_start = data.draw(st.integers(-2, len(source) + 2))
    cluster = sorted(data.draw(st.lists(st.integers(-1, len(source) + 1), min_size=1, max_size=3)))
    assert_same(source, window_start, cluster)


@pytest.mark.parametrize(("edge", "shift"), [("start", -1), ("start", 0), ("end", 0), ("end", 1)])
def test_a_candidate_at_a_blocked_ranges_edge_alike(edge, shift):
    # A candidate from a blocked range's start to just before its end is inside it.
    source = "<p>x</p><p>https://x.com/jo/status/7</p>"
    url = source.index("https")
    code = (url - shift, url + 5) if edge == "start" else (url - 5, url + shift)
    found = PageCandidates(code=[code], urls=[url])
    inside = code[0] <= url < code[1]
    assert bool(assert_same_page(source, found, [])) == (not inside)


@pytest.mark.parametrize("shift", [0, 1])
def test_a_blocked_range_within_a_longer_one_is_merged_into_it_alike(shift):
    # The ranges are merged before a candidate is looked up among them: one that a short
    # range ends before is still inside the longer range around both.
    source = "<p>x</p><p>https://x.com/jo/status/7</p>"
    url = source.index("https")
    found = PageCandidates(code=[(url - 5, url - 3), (0, url + shift)], urls=[url])
    assert bool(assert_same_page(source, found, [])) == (shift == 0)


@pytest.mark.parametrize(
    "arguments",
    [
        (b"source", PageCandidates(), []),
        ("source", PageCandidates(), ()),
        ("source", None, []),
        ("source", PageCandidates(code=((0, 1),)), []),
        ("source", PageCandidates(code=[(0,)]), []),
        ("source", PageCandidates(anchors=["0"]), []),
        ("source", PageCandidates(), [None]),
        ("source", PageCandidates()),
    ],
)
def test_the_compiled_flattened_embeds_refuse_arguments_of_other_types(arguments):
    with pytest.raises((TypeError, AttributeError)):
        _flattened.flattened_embeds(*arguments)


@settings(max_examples=400, deadline=None)
@given(PAGES, st.data())
def test_any_window_and_cluster_gives_both_the_same_records(source, data):
    positions = st.integers(0, len(source) + 3)
    cluster = sorted(data.draw(st.lists(positions, min_size=1, max_size=4)))
    assert_same(source, data.draw(positions), cluster)


@settings(max_examples=400, deadline=None)
@given(PAGES, st.data())
def test_any_candidates_and_blocked_ranges_give_both_the_same_clusters(source, data):
    positions = st.integers(-len(source), len(source) - 1) if source else st.nothing()
    candidates = sorted(data.draw(st.lists(positions, max_size=6)))
    edges = sorted(data.draw(st.lists(st.integers(0, len(source)), max_size=6)))
    blocked = html._merged(list(zip(edges[::2], edges[1::2], strict=False)))
    assert_same_clusters(source, candidates, blocked)


def test_the_pages_hold_what_a_window_reads():
    # What the strategy draws reaches the window's branches: both kinds of records, an entity
    # in a bare URL, several windows on a page and a markup embed between them.
    source = (
        ATTRIBUTIONS[1] + "y" * 2001 + "<p>https://x.com/jane/status/9?s=20&amp;t=x</p>"
        + BLOCKED[0] + ATTRIBUTIONS[0]
    )  # fmt: skip
    assert len(windows(source)) == 3
    first, second, third = embeds_of(source)
    assert (first.form, first.status_url) == ("text_attribution", "https://x.com/jo/status/7")
    assert (second.form, second.status_url) == ("status_url", "https://x.com/jane/status/9")
    assert source[second.start : second.end] == "https://x.com/jane/status/9?s=20&amp;t=x"
    assert (third.form, third.handle) == ("text_attribution", "janeroe")


@pytest.mark.parametrize("url_start", [255, 256, 257])
def test_a_bare_url_just_within_the_slack_alike(url_start):
    # html._URL_SLACK: a bare URL counts when it starts at most 256 characters past the last
    # candidate.
    source = "<br>" + " " * (url_start - len("<br>")) + "https://x.com/jo/status/7<br>"
    forms = [embed.form for embed in assert_same(source, 0, [0])]
    assert ("status_url" in forms) == (url_start <= 256)


@pytest.mark.parametrize("date_end", [FORWARD - 1, FORWARD, FORWARD + 1])
def test_a_date_at_the_windows_forward_reach_alike(date_end):
    # html.FORWARD: the window ends 800 characters after its last candidate, cutting a date.
    head, tail = "<p>Post</p>— Jo (@jo) <span title='", "'>May 1, 2020</span>"
    anchor = head.index("(@")
    title = date_end - (len(head) - anchor) - len(tail) + len("</span>")
    source = head + "z" * title + tail
    assert source.index("</span>") - anchor == date_end
    dates = [embed.date_text for embed in assert_same(source, 0, [anchor])]
    assert (dates == ["May 1, 2020"]) == (date_end <= FORWARD)


@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_an_attribution_after_the_last_candidate_is_the_next_windows(shift):
    # Only an attribution whose "(@" sits at or before the last candidate is the window's.
    source = "<p>Post</p>— Jo (@jo) May 1, 2020"
    anchor = source.index("(@")
    found = assert_same(source, 0, [0, anchor + shift])
    assert bool(found) == (shift >= 0)


@pytest.mark.parametrize(
    ("kind", "reach"), [("— Jo (@jo) May 1, 2020", BACK), ("https://x.com/jo/status/7", URL_BACK)]
)
@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_a_candidate_joins_the_cluster_within_its_reach_alike(kind, reach, shift):
    # A candidate closer than its reach (BACK before an attribution, URL_BACK before a URL) to
    # the one before joins its cluster; one further opens its own, its window a tag after
    # the reach.
    offset = kind.index("(@") if "(@" in kind else 0
    source = kind + "<b>" + "y" * (reach + shift - len(kind) - len("<b>")) + kind
    first, second = offset, offset + reach + shift
    found = assert_same_clusters(source, [first, second], [])
    assert [cluster for _start, cluster in found] == (
        [[first, second]] if shift < 0 else [[first], [second]]
    )


@pytest.mark.parametrize(
    ("url", "looks"),
    [
        ("https://x.com/jo/status/7'", True),
        ('https://x.com/jo/status/7"', True),
        ("'https://x.com/jo/status/7", False),
        ("https&#58;//x.com/jo/status/7", True),
        ("https&#58//x.com/jo/status/7", True),
        ("https&amp;#58;//x.com/jo/status/7", False),
    ],
)
def test_a_url_candidate_is_read_up_to_a_quote_and_unescaped_alike(url, looks):
    assert bool(assert_same_clusters(url, [0], [])) == looks


def test_a_bare_urls_status_url_is_unescaped_alike():
    # The visible text decodes "&amp;amp;" once; the record's URL is decoded again.
    source = "<p>https://x.com/jo/status/7?s=1&amp;amp;t=2</p>"
    (embed,) = assert_same(source, 0, [3])
    assert embed.status_url == "https://x.com/jo/status/7"


def test_a_cluster_reaches_on_from_its_last_candidate_alike():
    # Each candidate is measured from the cluster's last one, not its first: three attributions
    # 1,500 characters apart are one cluster.
    attribution = "<p>Post</p>— Jo (@jo) May 1, 2020"
    source = (attribution + "y" * (1500 - len(attribution))) * 3
    anchors = [pos for pos in range(len(source)) if source.startswith("(@", pos)]
    assert [cluster for _start, cluster in assert_same_clusters(source, anchors, [])] == [anchors]


def test_a_candidate_passed_over_between_two_of_a_cluster_is_left_out_alike():
    # A URL out of the cluster's reach that names no post opens no cluster, and the attribution
    # after it, within reach of the cluster's last one, joins that cluster: the cluster holds
    # the two attributions, not the URL between them (Hypothesis found the compiled one keeping
    # it).
    attribution = "<p>Post text</p>&mdash; Jane Roe (@janeroe) May 1, 2020"
    source = attribution + "y" * 399 + "<p>https://example.org/not/a/post</p>" + attribution
    first, second = (pos for pos in range(len(source)) if source.startswith("(@", pos))
    url = source.index("https://")
    assert url - first > URL_BACK
    found = assert_same_clusters(source, [first, url, second], [])
    assert [cluster for _start, cluster in found] == [[first, second]]
    assert_same(source, *found[0])


@pytest.mark.parametrize("barrier_shift", [-1, 0, 1])
def test_a_blocked_range_between_two_candidates_splits_them_alike(barrier_shift):
    # A candidate joins the cluster before only when no blocked range ends after its last one.
    source = "<p>a (@jo) May 1, 2020</p><p>b (@jo) May 2, 2020</p>"
    first, second = (pos for pos in range(len(source)) if source.startswith("(@", pos))
    found = assert_same_clusters(source, [first, second], [(0, first + barrier_shift)])
    assert len(found) == (2 if barrier_shift > 0 else 1)


@pytest.mark.parametrize("size", [2047, 2048, 2049])
def test_a_url_token_at_its_longest_alike(size):
    # html._URL_TOKEN reads at most 2048 characters: a longer URL loses its post's last digit.
    tail = ".social/@jane/1"
    host = ".".join(["a" * 60] * 40)[: size - len("https://") - len(tail)]
    url = "https://" + host.removesuffix(".") + "b" * host.endswith(".") + tail
    assert len(url) == size
    assert bool(assert_same_clusters(url + "<", [0], [])) == (size <= 2048)


@pytest.mark.parametrize(
    "arguments",
    [
        (b"source", [0], []),
        ("source", (0,), []),
        ("source", [0], ()),
        ("source", ["0"], []),
        ("source", [6], []),
        ("source", [0], [(0,)]),
        ("source", [0], [(0, "1")]),
        ("source", [0]),
    ],
)
def test_the_compiled_clusters_refuse_arguments_of_other_types(arguments):
    with pytest.raises((TypeError, IndexError)):
        _flattened.clusters(*arguments)


@pytest.mark.parametrize("start", [0, 3, 10, 40, 100])
@pytest.mark.parametrize(
    "source",
    [
        "",
        "<p>x</p>",
        "&amp;" * 3 + "https://x.com/jo/status/7",
        "<script>(@jo) May 1, 2020</script>— Jo (@jo) May 1, 2020",
        "https://x.com/jo/status/7\n" * 3 + "Post — Jo (@jo) May 1, 2020",
        "y" * URL_BACK + "\nhttps://x.com/jo/status/7",
    ],
)
def test_windows_at_the_pages_edges_alike(source, start):
    for cluster in ([0], [len(source)], [start, len(source) + 5], [-3], [0, 10**6]):
        assert_same(source, start, cluster)


@pytest.mark.parametrize(
    "arguments",
    [
        (b"source", 0, [0]),
        ("source", 0, []),
        ("source", 0, (0,)),
        ("source", 0, ["0"]),
        ("source", "0", [0]),
        ("source", 0, [2**63 - 1]),
        ("source", 0),
    ],
)
def test_the_compiled_window_refuses_arguments_of_other_types(arguments):
    with pytest.raises((TypeError, OverflowError)):
        _flattened.window_embeds(*arguments)
