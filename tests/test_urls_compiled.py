"""The compiled URL rules (archiver/_urls.c) are the Python ones.

Every other test runs the compiled ones (``urls.parse_post_url``, ``pic_link_code``,
``normalise_pic_link``, ``shortlink_code``, ``links.clean_status_url`` and ``is_post_link``, which
the scanner, the fetchers and the store call); these hold each to its ``reference_*`` on URLs
built from pieces: schemes in any case or none, "//" alone, hosts with www./mobile./m. and
look-alikes of their letters, handles and ids at their length limits, i/web and statuses, every
platform's path, trailing "/", "?" or "#", queries of tracking keys in any case, utm_ keys, empty
pairs, fragments, and whitespace around.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver import _urls, urls
from archiver.scan import bare_urls, html, links, markup, plain
from archiver.scan.links import _TRACKING_KEYS, reference_clean_status_url, reference_is_post_link
from archiver.urls import (
    reference_normalise_pic_link,
    reference_parse_post_url,
    reference_pic_link_code,
    reference_shortlink_code,
)

# Characters re's IGNORECASE without re.ASCII reads as an ASCII letter (the Bluesky patterns),
# and others that only look like one
LOOK_ALIKES = {
    "k": ["\u212a", "\uff4b"],
    "s": ["\u017f", "\u0455"],
    "i": ["\u0130", "\u0131"],
    "t": ["\u0422", "\u0442"],
    "c": ["\u0441"],
    "p": ["\u0440"],
    "o": ["\u043e"],
}
SPACES = [" ", "\n", "\t", "\r\n", "\xa0", "\u3000", "\x85", "\u2028", "\x1c"]


def often(common, rare):
    """One of ``common`` (each alike) four times in five, else one of ``rare``."""
    return st.sampled_from(common * (4 * len(rare)) + rare * len(common))


def variants(word: str) -> list[str]:
    """``word`` in upper case, capitalised, and with each of its letters a look-alike in turn."""
    swapped = [
        word[:i] + look_alike + word[i + 1 :]
        for i, letter in enumerate(word)
        for look_alike in LOOK_ALIKES.get(letter.lower(), [])
    ]
    return [word.upper(), word.capitalize(), *swapped]


def spelled(*words: str):
    """One of the words, as it is four times in five, else one of its variants."""
    return st.one_of(*(often([word], variants(word)) for word in words))


schemes = often(["https://"], ["http://", "HTTPS://", "//", "", "ftp://", "https:/", "https:"])
host_prefixes = often(["", "www."], ["mobile.", "m.", "WWW.", "M.", "mobile.m.", "www.m."])
name_text = st.text(alphabet="aZ09_.-~:%@é\u212a ?", min_size=1, max_size=6)
names = st.one_of(
    often(
        ["jack", "a.b", "a_b", "did:plc:abc", "alice.bsky.social"],
        ["i", "I", "intent", "Home", "SEARCH", "hashtag", "u", "did%3Aplc%3Ax", "a%40b", "%zz"],
    ),
    st.integers(48, 52).map(lambda n: "h" * n),
    name_text,
)
ids = st.one_of(
    st.integers(18, 22).map(lambda n: ("12345678901234567890" * 2)[:n]),
    often(["1", "3kabc", "AbC-_"], ["0", "\u0663", "12a", "abc.def~:-", "\u212aey", ""]),
)
trails = often([""], ["/", "?", "#", "/photo/1", "x", ".", "%20", "/?#"])
around = st.lists(st.sampled_from(SPACES), max_size=2).map("".join) | st.just("")


query_keys = st.one_of(
    spelled(*sorted(_TRACKING_KEYS)),
    st.sampled_from(["utm_source", "UTM_", "utm", "utm-x", "keep", "s2", "", "\u0130gsh"]),
)
query_pairs = st.tuples(query_keys, st.sampled_from(["", "=", "=1", "=a=b", "=%5E"])).map("".join)


@st.composite
def queries(draw):
    """Nothing, or a query and fragment: tracking keys in any case, utm_ keys, empty pairs."""
    if draw(st.booleans()):
        return ""
    query = "&".join(draw(st.lists(query_pairs, max_size=4)))
    fragment = draw(st.sampled_from(["", "", "#", "#top", "#a?b&s=1"]))
    return draw(often(["?"], ["", "??", "?&&"])) + query + fragment


SHAPES = [
    "{s}{p}twitter.com/{n}/status/{i}",
    "{s}{p}x.com/{n}/statuses/{i}",
    "{s}{p}x.com/i/web/status/{i}",
    "{s}{p}x.com/statuses/{i}",
    "{s}{p}bsky.app/profile/{n}/post/{i}",
    "at://{n}/app.bsky.feed.post/{i}",
    "{s}{p}instagram.com/{n}/p/{i}",
    "{s}{p}instagram.com/reel/{i}",
    "{s}{p}instagram.com/tv/{i}",
    "{s}{p}tiktok.com/@{n}/video/{i}",
    "{s}{p}threads.net/@{n}/post/{i}",
    "{s}{p}mastodon.social/@{n}/{i}",
    "{s}{p}mastodon.social/@{n}@{n}/{i}",
    "{s}{p}x.com/@{n}/{i}",
    "{s}{p}m.social/users/{n}/statuses/{i}",
    "{s}{p}pic.twitter.com/{i}",
    "{s}{p}pic.x.com/{i}",
    "{s}t.co/{i}",
]


@st.composite
def post_url_like(draw):
    """A URL in one of the shapes the patterns read, or with one of its literals spelled
    otherwise: in another case, or a letter swapped for a look-alike."""
    shape = draw(st.sampled_from(SHAPES))
    literals = re.split(r"(\{.\}|/)", shape)
    if draw(st.integers(0, 2)) == 0:
        index = draw(st.sampled_from([i for i, part in enumerate(literals) if part[:1] != "{"]))
        literals[index] = draw(st.sampled_from(variants(literals[index]) or [""]))
    url = "".join(literals).format(
        s=draw(schemes), p=draw(host_prefixes), n=draw(names), i=draw(ids)
    )
    return draw(around) + url + draw(trails) + draw(queries()) + draw(around)


url_pieces = st.one_of(
    st.sampled_from(
        ["status", "statuses", "i/web", "post", "video", "p", "profile", "users", "@", "/", "//"]
    ),
    names,
    ids,
)


@st.composite
def url_like(draw):
    """Pieces of post URLs in any order."""
    parts = draw(st.lists(url_pieces, max_size=6))
    return draw(schemes) + draw(host_prefixes) + "/".join(parts) + draw(queries())


any_url = st.one_of(post_url_like(), post_url_like(), url_like(), st.text(max_size=40))


def test_the_install_built_the_compiled_url_rules():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert urls.parse_post_url is _urls.parse_post_url
    assert urls.pic_link_code is _urls.pic_link_code
    assert urls.normalise_pic_link is _urls.normalise_pic_link
    assert urls.shortlink_code is _urls.shortlink_code
    assert links.clean_status_url is _urls.clean_status_url
    assert links.is_post_link is _urls.is_post_link


def test_the_scanner_calls_the_compiled_url_rules():
    # markup.py, html.py, plain.py and bare_urls.py take the names when they import, and the C
    # twins fetch them from these modules at their first call
    assert markup.parse_post_url is _urls.parse_post_url
    assert markup.clean_status_url is _urls.clean_status_url
    assert markup.is_post_link is _urls.is_post_link
    assert markup.normalise_pic_link is _urls.normalise_pic_link
    assert html.parse_post_url is _urls.parse_post_url
    assert html.is_post_link is _urls.is_post_link
    assert plain.parse_post_url is _urls.parse_post_url
    assert plain.clean_status_url is _urls.clean_status_url
    assert bare_urls.parse_post_url is _urls.parse_post_url


def same_post(url: str) -> None:
    found, expected = _urls.parse_post_url(url), reference_parse_post_url(url)
    assert found == expected
    if found is not None:  # the same field types too: a Platform member, str ids and handles
        assert type(found) is type(expected)
        assert type(found.platform) is type(expected.platform)


@settings(max_examples=2500, deadline=None)
@given(any_url)
def test_the_compiled_parse_post_url_is_the_python_one(url):
    same_post(url)


@settings(max_examples=1000, deadline=None)
@given(any_url)
def test_the_compiled_link_codes_are_the_python_ones(url):
    assert _urls.pic_link_code(url) == reference_pic_link_code(url)
    assert _urls.normalise_pic_link(url) == reference_normalise_pic_link(url)
    assert _urls.shortlink_code(url) == reference_shortlink_code(url)


@settings(max_examples=1500, deadline=None)
@given(any_url)
def test_the_compiled_clean_status_url_is_the_python_one(url):
    assert _urls.clean_status_url(url) == reference_clean_status_url(url)


def same_post_cleaned(url: str) -> None:
    # What _widget.c relies on to parse a status link once: a URL that names a post names the
    # same one after clean_status_url (no pattern reads past the query's "?" but to end there).
    href = url.strip()
    found = reference_parse_post_url(href)
    if found is not None:
        assert reference_parse_post_url(reference_clean_status_url(href)) == found
        assert _urls.parse_post_url(_urls.clean_status_url(href)) == found


@settings(max_examples=2500, deadline=None)
@given(any_url)
def test_a_post_url_names_the_same_post_cleaned(url):
    same_post_cleaned(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/a/status/1?s=20",
        "https://x.com/a/status/1?",
        "https://x.com/a/status/1?&keep#top",
        "https://x.com/a/status/1/?utm_source=x#a?s=1",
        "https://x.com/a/status/1 ?s=20",
        "https://x.com/@a/1?s=20",
        "https://mastodon.social/@a/1?utm_source=x",
        "https://mastodon.social/@a/1 ?utm_source=x",
        "https://m.social/users/a/statuses/1?s=1&t=2",
        "https://bsky.app/profile/a/post/3k?ref_src=embed",
        "https://bsky.app/profile/a/post/3k ?ref_src=embed",
        "https://bsky.app/profile/a%3F/post/3k?s=1",
        "at://a/app.bsky.feed.post/3k?s=1",
        "at://a/app.bsky.feed.post/3k",
        "https://instagram.com/p/AbC?igsh=1",
        "https://instagram.com/p/AbC ?igsh=1",
        "https://tiktok.com/@a/video/1?is_from_webapp=1&s=1",
        "https://threads.net/@a/post/AbC?igshid=1",
    ],
)
def test_a_post_url_names_the_same_post_cleaned_at_the_limits(url):
    same_post_cleaned(url)


anchor_texts = st.one_of(
    any_url,
    st.sampled_from(["#tag", "@jack", "$TSLA", "＃tag", " #x", "", " ", "pic.x.com/AbC", "\u212a"]),
)


@settings(max_examples=1500, deadline=None)
@given(any_url, anchor_texts)
def test_the_compiled_is_post_link_is_the_python_one(href, text):
    assert _urls.is_post_link(href, text) is reference_is_post_link(href, text)


def test_every_character_reads_as_the_python_rule_in_each_pattern_letter():
    # One character in each place a letter, a class or a separator is read, for every code
    # point up to U+3000 and the look-alikes beyond: re's Unicode case folding on the Bluesky
    # patterns, re.ASCII's on the others, \s on the Bluesky actor.
    templates = [
        "https://bsky.app/profile/{c}/post/{c}",
        "https://bsky.app/profile/a/post/a{c}",
        "https://bsky.app/profile/a{c}b/post/a",
        "at://a/app.bsky.feed.post/b{c}",
        "http{c}://bsky.app/profile/a/post/b",
        "https://www.bs{c}y.app/profile/a/post/b",
        "https://bsky.app/prof{c}le/a/post/b",
        "https://bsky.app/profile/a/po{c}t/b",
        "at://a/app.bsky.feed.po{c}t/b",
        "https://twi{c}ter.com/a/status/1",
        "https://x.com/a{c}/status/1",
        "https://x.com/a/status/1{c}",
        "https://instagram.com/p/a{c}",
        "https://tiktok.com/@a{c}/video/1",
        "https://threads.net/@a/post/a{c}",
        "https://a.b{c}/@a/1",
        "https://a{c}.bc/users/a/statuses/1",
    ]
    characters = [chr(c) for c in range(0x3000)] + ["\u212a", "\uff4b", "\U0001d400"]
    for template in templates:
        for c in characters:
            same_post(template.format(c=c))
    for c in characters:
        assert _urls.pic_link_code(f"pic.x.com/a{c}") == reference_pic_link_code(f"pic.x.com/a{c}")
        for key in (f"{c}", f"utm{c}", f"{c}gsh", f"ref_sr{c}"):
            url = f"https://x.com/a/status/1?{key}=1&b"
            assert _urls.clean_status_url(url) == reference_clean_status_url(url)
        for href, text in ((f"{c}ttps://a", "a"), ("https://a", f"{c}a")):
            assert _urls.is_post_link(href, text) is reference_is_post_link(href, text)


TWENTY = "12345678901234567890"


@pytest.mark.parametrize(
    "url",
    [
        f"https://twitter.com/jack/status/{TWENTY}",
        f"https://twitter.com/jack/status/{TWENTY}1",
        f"https://twitter.com/{'h' * 50}/status/1",
        f"https://twitter.com/{'h' * 51}/status/1",
        "//x.com/i/web/status/1",
        "HTTP://MOBILE.X.COM/I/WEB/STATUSES/1#a",
        "https://m.twitter.com/statuses/1/",
        "https://x.com/statuses/1x",
        "https://x.com/Intent/status/1?s=20",
        "https://x.com/hashtagx/status/1",
        "https://x.com/HashTag/status/1",
        "https://x.com/Home/status/1",
        "https:x.com/a/status/1",
        "https://www.x.com/a/status/",
        "https://x.com/a/status/1 2",
        f"https://mastodon.social/@a/{TWENTY}",
        f"https://mastodon.social/@a/{TWENTY}0",
        "https://Mobile.Twitter.com/@a/1",
        "https://www.mobile.m.x.com/@a/1",
        "https://m.www.x.com/@a/1",
        "https://a.b/@a/1",
        "https://.bc/@a/1",
        "https://a.b1c/@a/1",
        "https://a.bc/@a@/1",
        "https://a.bc/@a@b.c?/1",
        "https://A.BC/users/a/statuses/1?x",
        "https://a.bc/users//statuses/1",
        "https://instagram.com/p/p/x",
        "https://instagram.com/a./reel/x",
        "https://instagram.com/a/b/p/x",
        "https://instagram.com/p/",
        "https://instagram.com/tv/AbC",
        "https://instagram.com/a/TV/AbC?x",
        "https://instagram.com/tw/AbC",
        "https://instagram.com//p/AbC",
        "https://tiktok.com/@a/video/",
        "https://threads.com/@a/post/-",
        "https://bsky.app/profile/did:plc:a/post/3k",
        "https://bsky.app/profile/DID:plc:a/post/3k",
        "https://bsky.app/profile/didier.bsky.social/post/3k",
        "https://bsky.app/profile/did%3Aplc%3Aa/post/3k",
        "https://bsky.app/profile/a%2/post/3k",
        "httpſ://b\u212asy.app/prof\u0131le/a/po\u017ft/3k",
        "at://a/app.bsky.feed.post/3k ",
        "at://a/app.bsky.feed.post/3k/",
        "at://a/app.bsky.feed.post/3k\n",
        " \u3000https://x.com/a/status/1\x85",
    ],
)
def test_the_compiled_parse_post_url_at_the_limits(url):
    same_post(url)


# X's status URLs at the pattern's limits: hosts, the i/web, i and handle ways, statuses/,
# the id's length and what may follow it, case and Unicode look-alikes
X_STATUS_URLS = [
    "https://twitter.com/jane/status/1", "//x.com/i/web/status/1", "https://x.com/statuses/1",
    "https://x.com/i/status/1", "https://x.com/statuses/status/1", "https://x.com/i/web/status/1",
    "https://x.com/I/statuses/12345678901234567890?s=1", "https://m.x.com/Intent/status/1#a",
    "https://x.com/" + "j" * 50 + "/status/1/", "https://x.com/" + "j" * 51 + "/status/1",
    "https://x.com/jane/status/123456789012345678901", "https://x.com/jane/status/",
    "https://x.com/jane/status/1x", "https://x.com/i/webx/status/1", "https://x.com/i/web/1",
    "https://x.com//status/1", "https://x.com/jane/statuses/1", "https://x.com/jane/statusesx/1",
    "https://x.com/j-ane/status/1", "https://x.com/jane/status/1?", "http:/x.com/jane/status/1",
    "https:x.com/jane/status/1", " \u3000https://x.com/a/status/1\x85", "https://x.com/a/status/1\n",
    "https://mobile.twitter.com/a/status/1", "https://www.x.com/a/status/1",
    "https://www.mobile.x.com/a/status/1", "https://bsky.app/profile/jane/post/3",
    "https://x.com/hashtag/status/1", "https://x.com/search/status/1", "https://x.com/home/status/1",
    "https://x.com/ſ/status/1", "https://x.com/\u212a/status/1", "https://x.com/a/ſtatus/1",
    "", " ", "https://x.com/", "https://x.com/a/status/١",
]  # fmt: skip


@pytest.mark.parametrize("url", X_STATUS_URLS)
def test_the_compiled_parse_post_url_reads_x_status_urls_at_their_limits(url):
    same_post(url)


@pytest.mark.parametrize(
    "link",
    [
        "pic.twitter.com/" + "a" * 32,
        "pic.twitter.com/" + "a" * 33,
        "https://www.pic.x.com/a",
        "HTTP://PIC.X.COM/A",
        "https//pic.x.com/a",
        "pic.x.com/",
        "pic.x.com/a\n",
        "t.co/" + "a" * 32,
        "t.co/" + "a" * 33,
        "http://t.co/a_",
        "www.t.co/a",
    ],
)
def test_the_compiled_link_codes_at_the_limits(link):
    assert _urls.pic_link_code(link) == reference_pic_link_code(link)
    assert _urls.normalise_pic_link(link) == reference_normalise_pic_link(link)
    assert _urls.shortlink_code(link) == reference_shortlink_code(link)


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        ("https://x.com/a/status/1?ref_src=twsrc%5Etfw", "https://x.com/a/status/1"),
        ("https://x.com/a/status/1?S=20&T=x&keep=1#m", "https://x.com/a/status/1?keep=1#m"),
        ("https://x.com/a/status/1?&&keep&", "https://x.com/a/status/1?keep"),
        ("https://x.com/a/status/1?#", "https://x.com/a/status/1#"),
        ("https://x.com/a/status/1?UTM_x=1&utm=2", "https://x.com/a/status/1?utm=2"),
        (
            "https://x.com/a/status/1?igshid=1&IGSH=2&refer=3&embed_source=4",
            "https://x.com/a/status/1",
        ),
        ("https://x.com/a/status/1?ref_url=a#b?s=1", "https://x.com/a/status/1#b?s=1"),
        (" https://x.com/a/status/1?keep=1 ", "https://x.com/a/status/1?keep=1"),
        (
            "https://x.com/a/status/1?\u0130gsh=1&\u212a=2",
            "https://x.com/a/status/1?\u0130gsh=1&\u212a=2",
        ),
        ("https://x.com/a#b?s=1", "https://x.com/a#b?s=1"),
        ("no query", "no query"),
        ("\u3000", ""),
    ],
)
def test_the_compiled_clean_status_url_at_the_limits(url, cleaned):
    assert reference_clean_status_url(url) == cleaned
    assert _urls.clean_status_url(url) == cleaned


@pytest.mark.parametrize(
    ("href", "text", "carried"),
    [
        ("https://a.b", "a.b", True),
        ("HTTP://a.b", "a.b", True),
        (" https://a.b", "a.b", False),
        ("", "a.b", False),
        ("https://a.b", " #a", False),
        ("https://a.b", "＃a", False),
        ("https://a.b", "$A", False),
        ("https://a.b", "pic.x.com/AbC", False),
        ("https://pic.x.com/AbC", "a", False),
        ("t.co/AbC", "a", True),
        (" t.co/AbC ", "a", True),
        ("t.co/AbC_", "a", False),
        ("ftp://a.b", "a", False),
    ],
)
def test_the_compiled_is_post_link_at_the_limits(href, text, carried):
    assert reference_is_post_link(href, text) is carried
    assert _urls.is_post_link(href, text) is carried


def test_the_compiled_rules_take_only_strings():
    for rule in (_urls.parse_post_url, _urls.pic_link_code, _urls.clean_status_url):
        with pytest.raises(TypeError):
            rule(None)
    with pytest.raises(TypeError):
        _urls.is_post_link("https://a.b")
