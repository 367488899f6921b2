"""The compiled loop over a page's embed elements (archiver/scan/_elements.c) is markup.py's.

Every other scanner test runs the compiled ``markup.find_markup_embeds``; these hold it to
``reference_find_markup_embeds``, the whole list of ``Embed`` records, on pages built from
pieces: every element kind (the platforms' blockquotes, iframes, rendered widgets, AMP's
elements, blockquotes of no platform), a platform's class over another platform's markup,
class values with several platforms' classes in either order, odd whitespace (U+00A0, U+2003,
tabs, and U+200B, which is none) and entities, tag names in any case, nested, overlapping and
unclosed embeds, elements at the page's start and end; on the generated corpus; and on the
dispatch's limits one by one. Iframes, whose post the loop reads itself in their common shapes,
are built with odd ids, srcs and queries (every way parse_qs and urlsplit read one) and held to
the rule at its limits. The compiled loop calls the rules as markup.py binds them, which a child
process checks by binding one of its own before the first call.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.models import Platform
from archiver.scan import _elements, markup, prefilter
from archiver.scan.markup import reference_find_markup_embeds
from benchmarks.scan_corpus import corpus

ROOT = Path(__file__).resolve().parent.parent
TWEET = "https://twitter.com/janeroe/status/1497?ref_src=twsrc%5Etfw"
BLUESKY_URI = "at://did:plc:abc/app.bsky.feed.post/3kx"
# What goes inside each platform's blockquote, its attributes first (docs/endpoints.md §5)
BODIES = {
    "twitter": (
        ' data-tweet-id="1497"',
        '<p lang="en" dir="ltr">Sirens in Kyiv <a href="https://t.co/AbC">pic.twitter.com/AbC</a>'
        f'</p>&mdash; Jane Roe (@janeroe) <a href="{TWEET}">February 24, 2022</a>',
    ),
    "bluesky": (
        f' data-bluesky-uri="{BLUESKY_URI}"',
        '<p lang="en">Snow on the river.</p>&mdash; Jane (<a href="https://bsky.app/profile/'
        'did:plc:abc">@jane.bsky.social</a>) <a href="https://bsky.app/profile/did:plc:abc/post/'
        '3kx?ref_src=embed">May 1, 2022 at 10:00</a>',
    ),
    "mastodon": (
        ' data-embed-url="https://mastodon.social/@Gargron/113733316536640183/embed"',
        '<a href="https://mastodon.social/@Gargron/113733316536640183" target="_blank"><div>Post '
        "by @Gargron@mastodon.social</div><div>View on Mastodon</div></a>",
    ),
    "instagram": (
        ' data-instgrm-permalink="https://www.instagram.com/p/C1a2b3c4d5E/?utm_source=ig_embed"',
        '<div><p><a href="https://www.instagram.com/p/C1a2b3c4d5E/">A post shared by NASA (@nasa)'
        '</a> on <time datetime="2024-01-02T10:00:00+00:00">Jan 2, 2024</time></p></div>',
    ),
    "threads": (
        ' data-text-post-permalink="https://www.threads.net/@zuck/post/C8Y2nF5Rw1a"',
        '<a href="https://www.threads.net/@zuck/post/C8Y2nF5Rw1a"><div>Post by @zuck</div></a>',
    ),
    "tiktok": (
        ' cite="https://www.tiktok.com/@scout2015/video/6718335390845095173"',
        '<section><a title="@scout2015" href="https://www.tiktok.com/@scout2015?refer=embed">'
        '@scout2015</a> Scramble up ur name &amp; guess 😍 <a href="https://www.tiktok.com/music/'
        'sound-1?refer=embed">♬ original sound</a></section>',
    ),
    "none": ("", "a quote of no platform's, <p>Jane (@jane)</p>"),
    "broken": (' data-tweet-id="x"', "<p>no post at all</p>"),
}
CLASSES = [*markup._CLASS_PLATFORMS, "twitter-tweet-rendered", "Twitter-tweet", "tweet", ""]
SEPARATORS = [" ", "  ", "\t", "\n", "\xa0", "\u2003", "\u3000", "\x85", "\x1c", "\u200b"]
SEPARATORS += ["&nbsp;", "&#9;", "&#x2003;", "&amp;", "&emsp;", "&#8203;"]
BLOCKQUOTE_NAMES = ["blockquote", "BLOCKQUOTE", "BlockQuote"]
CLOSERS = ["</blockquote>", "</BLOCKQUOTE >", "</blockquote\n>", ""]
OTHER_ELEMENTS = [
    '<iframe src="https://platform.twitter.com/embed/Tweet.html?id=1497"></iframe>',
    '<iframe data-tweet-id="1497" src="x"></iframe>',
    '<iframe src="https://embed.bsky.app/embed/did:plc:abc/app.bsky.feed.post/3kx"></iframe>',
    '<IFRAME src="https://www.instagram.com/p/C1a2b3c4d5E/embed/captioned/"></IFRAME>',
    '<iframe class="mastodon-embed" src="https://mastodon.social/@jane/1099/embed"></iframe>',
    '<iframe class="twitter-tweet" src="https://example.org/"></iframe>',
    '<twitter-widget data-tweet-id="1497"></twitter-widget>',
    '<div class="twitter-tweet-rendered"><iframe data-tweet-id="42"></iframe></div>',
    '<amp-twitter data-tweetid="1497" width="375"></amp-twitter>',
    '<amp-twitter data-tweetid="1497"><blockquote placeholder>x</blockquote></amp-twitter>',
    '<amp-instagram data-shortcode="C1a2b3c4d5E"></amp-instagram>',
    '<amp-instagram data-shortcode=" "></amp-instagram>',
    '<div class="twitter-tweet">not a blockquote</div>',
]
TEXTS = ["Some prose. ", "\n", " <p>", "</p> ", "&amp;", "é", "😀", "<", ">", "</blockquote>"]


@st.composite
def class_values(draw) -> str:
    words = draw(st.lists(st.sampled_from(CLASSES), max_size=4))
    separators = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words) + 1))
    value = separators[0]
    for word, separator in zip(words, separators[1:], strict=False):
        value += word + separator
    return value


@st.composite
def blockquotes(draw, inside: st.SearchStrategy[str]) -> str:
    name = draw(st.sampled_from(BLOCKQUOTE_NAMES))
    attributes, body = BODIES[draw(st.sampled_from(list(BODIES)))]
    quote = draw(st.sampled_from(['"', "'"]))
    classes = f" class={quote}{draw(class_values())}{quote}"
    if draw(st.booleans()):  # a second class attribute: the first stays
        classes += f' CLASS="{draw(class_values())}"'
    inner = draw(inside)
    before = draw(st.booleans())
    body = inner + body if before else body + inner
    return f"<{name}{classes}{attributes}>{body}{draw(st.sampled_from(CLOSERS))}"


ELEMENTS = st.recursive(
    st.sampled_from(OTHER_ELEMENTS) | st.sampled_from(TEXTS),
    lambda inside: blockquotes(inside),
    max_leaves=4,
)
PAGES = st.lists(ELEMENTS | st.sampled_from(TEXTS), max_size=6).map("".join)


def tag_starts(source: str) -> list[int]:
    return [i for i, c in enumerate(source) if c == "<"]


def assert_same(source, starts):
    compiled = markup.find_markup_embeds(source, starts)
    assert compiled == reference_find_markup_embeds(source, starts)
    return compiled


def printed_by_child(script, page):
    """The lines ``script`` prints, run in a child process with ``page`` as its argument."""
    done = subprocess.run(
        [sys.executable, "-c", script, page], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_install_built_the_compiled_loop():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert markup.find_markup_embeds is _elements.markup_embeds


@settings(max_examples=600)
@given(PAGES)
def test_built_pages_give_both_the_same_embeds(source):
    assert_same(source, tag_starts(source))
    assert_same(source, prefilter.find_candidates(source).elements)


@settings(max_examples=150)
@given(PAGES)
def test_every_start_of_a_built_page_gives_both_the_same_embeds(source):
    assert_same(source, list(range(len(source) + 1)))


def test_every_page_of_the_generated_corpus_gives_both_the_same_embeds():
    found = 0
    for document in corpus("html", 1_000_000, density="sample"):
        source = document.decode()
        found += len(assert_same(source, prefilter.find_candidates(source).elements))
    assert found > 500


def quote_of(classes: str, platform: str = "twitter", name: str = "blockquote") -> str:
    attributes, body = BODIES[platform]
    return f'<{name} class="{classes}"{attributes}>{body}</{name}>'


def platforms_of(source: str, starts: list[int] | None = None) -> list[str]:
    return [
        e.platform for e in assert_same(source, tag_starts(source) if starts is None else starts)
    ]


@pytest.mark.parametrize(
    ("classes", "platform", "expected"),
    [
        ("twitter-tweet", "twitter", [Platform.TWITTER]),
        ("tiktok-embed twitter-tweet", "twitter", [Platform.TWITTER]),  # the dict's order decides
        ("twitter-tweet tiktok-embed", "twitter", [Platform.TWITTER]),
        ("tiktok-embed twitter-tweet", "tiktok", []),  # read as X's snippet, which it is not
        ("text-post-media mastodon-embed", "mastodon", [Platform.MASTODON]),
        ("mastodon-embed text-post-media", "threads", []),
        ("instagram-media tiktok-embed", "tiktok", []),
        ("tiktok-embed text-post-media", "tiktok", [Platform.TIKTOK]),
        ("bluesky-embed twitter-video", "bluesky", [Platform.TWITTER]),  # X's reading of it
        ("twitter-video", "twitter", [Platform.TWITTER]),
        ("\xa0twitter-tweet\u2003", "twitter", [Platform.TWITTER]),
        ("x\ttwitter-tweet\ny", "twitter", [Platform.TWITTER]),
        ("\x1ctwitter-tweet\x85", "twitter", [Platform.TWITTER]),
        ("twitter-tweet\u200b", "twitter", []),  # U+200B is no whitespace to str.split
        ("&#x2003;bluesky-embed&nbsp;", "bluesky", [Platform.BLUESKY]),
        ("bluesky-embed&amp;", "bluesky", []),
        ("twitter-tweetx", "twitter", []),
        ("xtwitter-tweet", "twitter", []),
        ("twitter-twee", "twitter", []),
        ("Twitter-tweet", "twitter", []),  # a word differs from a class at its first letter
        ("twitter-tweeT", "twitter", []),  # or at its last
        ("", "twitter", []),
        ("   ", "twitter", []),
        ("instagram-media", "instagram", [Platform.INSTAGRAM]),
        ("text-post-media", "threads", [Platform.THREADS]),
        ("tiktok-embed", "tiktok", [Platform.TIKTOK]),
        ("mastodon-embed", "mastodon", [Platform.MASTODON]),
        ("mastodon-embed", "none", []),
    ],
)
def test_a_blockquote_s_platform_is_its_first_class_in_the_dict_s_order(
    classes, platform, expected
):
    assert platforms_of(quote_of(classes, platform)) == expected


@pytest.mark.parametrize("name", ["BLOCKQUOTE", "BlockQuote", "blockquotE"])
def test_tag_names_in_any_case_are_blockquotes(name):
    assert platforms_of(quote_of("twitter-tweet", name=name)) == [Platform.TWITTER]


def test_a_blockquote_without_its_class_attribute_is_no_embed():
    attributes, body = BODIES["twitter"]
    assert platforms_of(f"<blockquote{attributes}>{body}</blockquote>") == []
    assert platforms_of(f"<blockquote klass=twitter-tweet{attributes}>{body}</blockquote>") == []


def test_a_bare_class_value_and_the_first_of_two_class_attributes_decide():
    attributes, body = BODIES["tiktok"]
    page = f"<blockquote class=tiktok-embed CLASS=twitter-tweet{attributes}>{body}</blockquote>"
    assert platforms_of(page) == [Platform.TIKTOK]


def test_an_embed_inside_an_embed_is_skipped_and_one_just_after_it_is_not():
    iframe = OTHER_ELEMENTS[0]
    outer = quote_of("twitter-tweet").replace("</blockquote>", iframe + "</blockquote>")
    page = outer + iframe + quote_of("tiktok-embed", "tiktok")
    embeds = assert_same(page, tag_starts(page))
    assert [(e.platform, e.form, e.start) for e in embeds] == [
        (Platform.TWITTER, "html_blockquote", 0),
        (Platform.TWITTER, "iframe", len(outer)),
        (Platform.TIKTOK, "html_blockquote", len(outer + iframe)),
    ]


def test_a_blockquote_ends_where_the_next_opens_so_one_inside_it_is_read():
    inner = quote_of("bluesky-embed", "bluesky")
    page = quote_of("twitter-tweet").replace("</blockquote>", inner + "</blockquote>")
    assert platforms_of(page) == [Platform.TWITTER, Platform.BLUESKY]


def test_an_element_inside_one_that_is_no_embed_is_read():
    for classes, platform in [("no-platform", "none"), ("bluesky-embed", "broken")]:
        page = quote_of(classes, platform).replace("</blockquote>", OTHER_ELEMENTS[6] + "x")
        assert platforms_of(page) == [Platform.TWITTER]


def test_a_blockquote_left_open_at_the_page_s_end_is_read_to_its_last_character():
    page = '<blockquote class="twitter-tweet"><p>Sirens</p>&mdash; Jane Roe (@janeroe) May 1, 2022'
    embeds = assert_same(page, [0])
    assert [(e.end, e.handle, e.date_text) for e in embeds] == [
        (len(page), "janeroe", "May 1, 2022")
    ]


def test_an_unclosed_blockquote_ends_where_the_next_opens_and_both_are_read():
    first = quote_of("twitter-tweet").removesuffix("</blockquote>")
    page = first + quote_of("mastodon-embed", "mastodon")
    embeds = assert_same(page, tag_starts(page))
    assert [(e.platform, e.start, e.end) for e in embeds] == [
        (Platform.TWITTER, 0, len(first)),
        (Platform.MASTODON, len(first), len(page)),
    ]


@pytest.mark.parametrize(
    "page",
    [
        quote_of("twitter-tweet"),  # the page is the element
        "<blockquote",
        "<blockquote class='twitter-tweet'",
        "<blockquote class='twitter-tweet'>",
        "prose " + OTHER_ELEMENTS[10],
        OTHER_ELEMENTS[9],  # a placeholder blockquote inside AMP's element
        "",
    ],
)
def test_elements_at_the_page_s_start_and_end(page):
    assert_same(page, list(range(len(page) + 1)))


CLASS_OF = {platform: name for name, platform in markup._CLASS_PLATFORMS.items()}


@pytest.mark.parametrize("platform", ["twitter", "bluesky", "mastodon", "instagram", "tiktok"])
@pytest.mark.parametrize("before", ["", "prose ", "é ", "字 ", "😀 "])
@pytest.mark.parametrize("inside", ["", " 😀", " <b>", " <p>字"])
def test_a_blockquote_is_read_in_place_in_a_page_of_any_kind(platform, before, inside):
    # _snippet.c and _linked.c read the markup where it lies in the page (one, two or four bytes
    # a character), and hand what is outside their shape (<b>, an unclosed <p>) to lxml.
    attributes, body = BODIES[platform]
    quote = f'<blockquote class="{CLASS_OF[platform]}"{attributes}>{body}{inside}</blockquote>'
    page = before + quote + " " + before
    assert len(assert_same(page, tag_starts(page))) == 1


LXML_READINGS = """
import sys
from archiver.scan import markup
calls = []
for name in ("reference_read_snippet", "reference_read_linked"):
    reader = getattr(markup, name)
    setattr(markup, name, lambda text, reader=reader: calls.append(text) or reader(text))
page = sys.argv[1]
print(len(markup.find_markup_embeds(page, [i for i, c in enumerate(page) if c == "<"])))
print(calls)
"""


@pytest.mark.parametrize("before", ["", "é ", "字 ", "😀 "])
def test_only_markup_outside_the_plain_shape_goes_to_lxml_when_read_in_place(before):
    # In a child process, lxml's readers recorded: the blockquotes in the plain shape are read
    # in place whatever the page's kind; those outside it go to lxml whole, once.
    plain = [quote_of("twitter-tweet"), quote_of("mastodon-embed", "mastodon")]
    outside = [
        quote_of("twitter-tweet").replace("</p>", "<b>b</b></p>"),
        quote_of("mastodon-embed", "mastodon").replace("<div>", "<div><b>b</b>", 1),
    ]
    page = before + " ".join(plain + outside) + " " + before
    assert printed_by_child(LXML_READINGS, page) == ["4", repr(outside)]


def test_starts_out_of_order_and_repeated_give_both_the_same_embeds():
    page = quote_of("twitter-tweet") + OTHER_ELEMENTS[0] + quote_of("mastodon-embed", "mastodon")
    starts = tag_starts(page)
    assert platforms_of(page, starts[::-1]) == [Platform.MASTODON]  # it covers all before it
    assert len(platforms_of(page, starts + starts)) == 3
    assert platforms_of(page, []) == []


BOUND_BEFORE_THE_FIRST_CALL = """
import sys
from archiver.scan import markup, prefilter
calls = []
markup.read_snippet = lambda markup: calls.append(("read_snippet", markup)) or None
markup._widget_blockquote = lambda *arguments: calls.append(("_widget_blockquote",)) or "widget"
markup._tiktok_blockquote = lambda element, quote: calls.append((element, quote[0])) or "tiktok"
markup._embed = lambda source, element: calls.append(element) or None
page = sys.argv[1]
print(markup.find_markup_embeds(page, prefilter.find_candidates(page).elements))
print(calls)
"""
X_OPEN = '<blockquote class="twitter-tweet"><p>a</p>&mdash; Jane (@jane) '


def test_the_compiled_loop_calls_the_rules_as_markup_binds_them():
    # Bound before the first call, in a child process: a snippet lxml could not read is no
    # record (the iframe inside it is read), TikTok's record is the one bound here.
    tiktok = quote_of("tiktok-embed", "tiktok")
    page = X_OPEN + "<iframe src=x></iframe>" + tiktok
    embeds, calls = printed_by_child(BOUND_BEFORE_THE_FIRST_CALL, page)
    assert embeds == "['tiktok']"
    iframe, blockquote = len(X_OPEN), page.index("<blockquote", 1)
    tiktok_element = markup._elements(page, [blockquote])[0]
    assert calls == repr(
        [
            ("read_snippet", page[:blockquote]),
            markup._Element(iframe, iframe + 23, "iframe", {"src": "x"}),
            (tiktok_element, markup.read_linked(tiktok)[0]),
        ]
    )


# Iframes: the compiled loop reads X's post off data-tweet-id and off a Tweet.html src whose
# query parse_qs reads raw; every other iframe goes to markup._embed (docs/endpoints.md §6.1).
TWEET_HTML = "https://platform.twitter.com/embed/Tweet.html?"
TWEET_IDS = ["1497", " 1497 ", "\u20031\u3000", "\u200b1", "1" * 20, "1" * 21, "12a", "", " "]
TWEET_IDS += ["١٢٣", "²", "0", "1 2", "&#49;", "1&amp;"]
SRC_STARTS = [
    TWEET_HTML, "http://platform.twitter.com/embed/Tweet.html?", "//platform.x.com/embed/Tweet.html?",
    "HTTPS://PLATFORM.X.COM/EMBED/TWEET.HTML?", "https://Platform.Twitter.com/embed/tweet.html?",
    "httpſ://platform.twitter.com/embed/Tweet.html?", "https://platform.twitter.com/embed/Tweet.html",
    "https://platform..com/embed/Tweet.html?", "https://platform.twiter.com/embed/Tweet.html?",
    "https://platform.twitter.com/embed/Tweet.htmlx?", " https://platform.x.com/embed/Tweet.html?",
    "ftp://platform.x.com/embed/Tweet.html?", "https:platform.x.com/embed/Tweet.html?",
    "https://platform.x.com/embed/Tweet.html?#", "https://embed.bsky.app/embed/did:plc:abc/app.bsky.feed.post/",
    "https://www.instagram.com/p/C1a2b3c4d5E/embed/?", "https://mastodon.social/@jane/1099/embed?", "",
]  # fmt: skip
QUERY_FIELDS = [
    "id=1497", "id=", "id", "ID=1", "", "id=x", "id=1" + "9" * 19, "id=1" + "9" * 20, "id=١٢",
    "%69d=1", "id=1%32", "id=%31", "id=+1", "i+d=1", "id+=1", "id=1;x=2", ";id=1", "x;id=1",
    "#id=1", "id=1#x", "x=1", "id=1\t2", "id=1\n", "\rid=1", "=", "==1", "id==1", "id=1=2",
    "é=1", "id=1é", "dnt=false", "lang=en", "id=1&amp;", "id=&#49;", "id=&amp;",
]  # fmt: skip


@st.composite
def iframes(draw) -> str:
    attributes = []
    if draw(st.booleans()):
        attributes.append(f'data-tweet-id="{draw(st.sampled_from(TWEET_IDS))}"')
    fields = draw(st.lists(st.sampled_from(QUERY_FIELDS), max_size=4))
    src = draw(st.sampled_from(SRC_STARTS)) + draw(st.sampled_from(["&", "&amp;"])).join(fields)
    key = draw(st.sampled_from(["src", "data-src", "SRC"]))
    quote = draw(st.sampled_from(['"', "'"]))
    attributes.append(f"{key}={quote}{src.replace(quote, '')}{quote}")
    if draw(st.booleans()):  # an empty src gives way to data-src; a second src is ignored
        attributes.append(f'{draw(st.sampled_from(["src", "data-src"]))}=""')
    if draw(st.booleans()):
        attributes.append('class="mastodon-embed"')
    order = draw(st.permutations(attributes))
    return f"<{draw(st.sampled_from(['iframe', 'IFRAME']))} {' '.join(order)}></iframe>"


@settings(max_examples=1500)
@given(st.lists(iframes() | st.sampled_from(TEXTS), min_size=1, max_size=4).map("".join))
def test_built_iframes_give_both_the_same_embeds(source):
    assert_same(source, tag_starts(source))


def iframe_post(attributes: str) -> tuple[str, str | None] | None:
    """The form and status id of the one iframe with these attributes; None for no embed."""
    page = f"<iframe {attributes}></iframe>"
    embeds = assert_same(page, [0])
    assert len(embeds) <= 1
    if not embeds:
        return None
    (embed,) = embeds
    assert (embed.start, embed.end, embed.text) == (0, len(page), "")
    return embed.form, embed.status_id


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('data-tweet-id="1497"', ("rendered_iframe", "1497")),
        ('data-tweet-id=" 1497\u3000"', ("rendered_iframe", "1497")),
        ('data-tweet-id="\u200b1497"', None),  # U+200B is no whitespace to str.strip
        (f'data-tweet-id="{"1" * 20}"', ("rendered_iframe", "1" * 20)),
        (f'data-tweet-id="{"1" * 21}"', None),
        ('data-tweet-id=""', None),
        ('data-tweet-id="١٢٣"', None),  # digits, but not ASCII ones
        ('data-tweet-id="x" src="https://platform.x.com/embed/Tweet.html?id=5"', ("iframe", "5")),
        ('data-tweet-id="5" src="https://platform.x.com/embed/Tweet.html?id=6"', ("rendered_iframe", "5")),
        (f'src="{TWEET_HTML}id=1497"', ("iframe", "1497")),
        (f'src="{TWEET_HTML}dnt=false&amp;id=1497&amp;lang=en"', ("iframe", "1497")),
        (f'src="{TWEET_HTML}id=&amp;id=7"', ("iframe", "7")),  # an empty value is left out
        (f'src="{TWEET_HTML}id&amp;id=7"', ("iframe", "7")),  # so is a field without "="
        (f'src="{TWEET_HTML}id=x&amp;id=7"', None),  # the first id decides
        (f'src="{TWEET_HTML}id=7=8"', None),
        (f'src="{TWEET_HTML}ID=7"', None),
        (f'src="{TWEET_HTML}xid=7"', None),
        (f'src="{TWEET_HTML}idx=7"', None),
        (f'src="{TWEET_HTML}ids=7&amp;id=8"', ("iframe", "8")),
        (f'src="{TWEET_HTML}id=7#x"', ("iframe", "7")),
        (f'src="{TWEET_HTML}#id=7"', None),
        (f'src="{TWEET_HTML}"', None),
        (f'src="{TWEET_HTML}id={"9" * 20}"', ("iframe", "9" * 20)),
        (f'src="{TWEET_HTML}id={"9" * 21}"', None),
        (f'src="{TWEET_HTML}id=%37"', ("iframe", "7")),  # left to parse_qs, which decodes it
        (f'src="{TWEET_HTML}%69d=7"', ("iframe", "7")),
        (f'src="{TWEET_HTML}id=+7"', None),  # "+" is a space to parse_qs
        (f'src="{TWEET_HTML}id=7;x"', None),
        (f'src="{TWEET_HTML}x;id=7"', None),
        (f'src="{TWEET_HTML}id=7&#9;"', ("iframe", "7")),  # urlsplit drops the tab
        (f'src="{TWEET_HTML}i&#10;d=7"', ("iframe", "7")),
        ('src="https://platform.twitter.com/embed/Tweet.html#?id=7"', None),
        ('src="HTTP://PLATFORM.TWITTER.COM/EMBED/TWEET.HTML?id=7"', ("iframe", "7")),
        ('src="httpſ://platform.twitter.com/embed/Tweet.html?id=7"', ("iframe", "7")),
        ('src="https://platform..com/embed/Tweet.html?id=7"', None),
        ('src="https://platform.twitter.com/embed/Tweet.htm?id=7"', None),
        ('src="//platform.x.com/embed/Tweet.html?id=7"', ("iframe", "7")),
        ('src=" //platform.x.com/embed/Tweet.html?id=7"', None),
        ('src="" data-src="//platform.x.com/embed/Tweet.html?id=7"', ("iframe", "7")),
        ('data-src="//platform.x.com/embed/Tweet.html?id=7"', ("iframe", "7")),
        ('src="x" data-src="//platform.x.com/embed/Tweet.html?id=7"', None),
        ('class="mastodon-embed" src="https://mastodon.social/@jane/1099/embed"', ("iframe", "mastodon.social/1099")),
        ('class="mastodon-embed" src="//platform.x.com/embed/Tweet.html?id=x"', None),
        ("", None),
    ],
)  # fmt: skip
def test_an_iframe_s_post_at_the_rule_s_limits(attributes, expected):
    assert iframe_post(attributes) == expected


EMBED_BOUND_BEFORE_THE_FIRST_CALL = """
import sys
from archiver.scan import markup
calls = []
markup._embed = lambda source, element: calls.append(element.attributes) or None
page = sys.argv[1]
embeds = markup.find_markup_embeds(page, [i for i, c in enumerate(page) if c == "<"])
print([(str(e.form), e.status_id) for e in embeds])
print(calls)
"""


PARSE_POST_URL_BOUND_BEFORE_THE_FIRST_CALL = """
import sys
from archiver.models import Platform
from archiver.scan import markup
from archiver.urls import PostRef
calls = []
markup.parse_post_url = lambda url: calls.append(url) or PostRef(Platform.TWITTER, "9", "bound")
page = sys.argv[1]
embeds = markup.find_markup_embeds(page, [i for i, c in enumerate(page) if c == "<"])
print([(e.status_id, e.handle) for e in embeds])
print(calls)
"""


def test_the_widget_reads_posts_through_the_bound_parse_post_url():
    # _widget.c reads a URL's post without a PostRef only where markup.parse_post_url is
    # _urls.c's own; bound to another before the first call, in a child process, that one is
    # what names the post.
    status = "https://twitter.com/jane/status/123?s=20"
    page = (
        '<blockquote class="twitter-tweet"><p>a</p>&mdash; Jane (@jane) '
        f'<a href="{status}">May 1, 2024</a></blockquote>'
    )
    assert [(e.status_id, e.handle) for e in markup.find_markup_embeds(page, [0])] == [
        ("123", "jane")
    ]
    embeds, calls = printed_by_child(PARSE_POST_URL_BOUND_BEFORE_THE_FIRST_CALL, page)
    assert embeds == "[('9', 'jane')]"
    assert calls == repr([status, status.removesuffix("?s=20")])


CLEAN_STATUS_URL_BOUND_BEFORE_THE_FIRST_CALL = """
import sys
from archiver.scan import markup
markup.clean_status_url = lambda url: "https://x.com/bound/status/77"
page = sys.argv[1]
embeds = markup.find_markup_embeds(page, [0])
print([(e.status_id, e.handle, e.status_url) for e in embeds])
"""


def test_the_widget_reads_the_post_of_the_bound_clean_status_url():
    # The status link's post is kept, not parsed again from its cleaned URL, only where
    # clean_status_url is _urls.c's own; bound to another, the post is the one its URL names.
    page = (
        '<blockquote class="twitter-tweet"><p>a</p>&mdash; Jane (@jane) '
        '<a href="https://twitter.com/jane/status/123?s=20">May 1, 2024</a></blockquote>'
    )
    assert printed_by_child(CLEAN_STATUS_URL_BOUND_BEFORE_THE_FIRST_CALL, page) == [
        repr([("77", "jane", "https://x.com/bound/status/77")])
    ]


READ_LINKED_BOUND_BEFORE_THE_FIRST_CALL = """
import sys
from archiver.scan import markup
calls = []
markup.read_linked = lambda markup: calls.append(markup) or None
page = sys.argv[1]
print(markup.find_markup_embeds(page, [i for i, c in enumerate(page) if c == "<"]), calls)
"""


def test_the_compiled_loop_reads_linked_markup_through_the_bound_read_linked():
    # _linked.c's reading in place stands in for read_linked only where markup.py binds it to
    # _linked.c's own; bound to another before the first call, in a child process, that one
    # is called with the blockquote's markup.
    quote = quote_of("mastodon-embed", "mastodon")
    page = "prose é " + quote
    assert len(markup.find_markup_embeds(page, tag_starts(page))) == 1
    assert printed_by_child(READ_LINKED_BOUND_BEFORE_THE_FIRST_CALL, page) == [f"[] {[quote]!r}"]


def test_the_compiled_loop_reads_the_common_iframes_and_leaves_the_rest_to_embed():
    # Bound before the first call, in a child process: what reaches _embed is what the loop
    # does not read itself.
    iframes = [
        '<iframe data-tweet-id="1497"></iframe>',
        f'<iframe src="{TWEET_HTML}id=5"></iframe>',
        f'<iframe src="{TWEET_HTML}id=x"></iframe>',
        f'<iframe src="" data-src="{TWEET_HTML}id=6"></iframe>',
        f'<iframe src="{TWEET_HTML}id=%35"></iframe>',
        f'<iframe src="{TWEET_HTML}id=+5"></iframe>',
        f'<iframe src="{TWEET_HTML}x;id=5"></iframe>',
        '<iframe src="https://embed.bsky.app/embed/did:plc:abc/app.bsky.feed.post/3kx"></iframe>',
        '<iframe data-tweet-id="x"></iframe>',
    ]
    embeds, calls = printed_by_child(EMBED_BOUND_BEFORE_THE_FIRST_CALL, "".join(iframes))
    assert embeds == repr([("rendered_iframe", "1497"), ("iframe", "5"), ("iframe", "6")])
    assert calls == repr(
        [
            {"src": f"{TWEET_HTML}id=%35"},
            {"src": f"{TWEET_HTML}id=+5"},
            {"src": f"{TWEET_HTML}x;id=5"},
            {"src": "https://embed.bsky.app/embed/did:plc:abc/app.bsky.feed.post/3kx"},
            {"data-tweet-id": "x"},
        ]
    )
