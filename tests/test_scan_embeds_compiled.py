"""The compiled records of attributions (archiver/scan/_attributions.c) are the Python ones.

Every other scanner test runs the compiled ``plain.attribution_embeds`` and
``plain._attribution_embed``; these hold them to ``reference_attribution_embeds`` and
``attribution_embed``, whole ``Embed`` lists, on documents built from posts that carry
picture links, t.co and https links, Unicode spaces around them, attributions with handles of X
and of Bluesky, dates that are Markdown links to X, Bluesky and Mastodon posts with tracking
queries, and bare status URLs, with and without Markdown quotes.
"""

import pytest
from embed_records import records
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _attributions, plain
from archiver.scan.plain import attribution_embed, reference_attribution_embeds, text_embeds
from archiver.scan.text import Attribution, find_attributions

SPACES = [" ", "", "\n", "\u3000", "\x1c", "\x85", "\xa0", "\t", "\u200b"]
POSTS = [
    "A post about things.",
    "Look pic.twitter.com/AbC123",
    "two pic.x.com/xyz pic.twitter.com/xyz",
    "pic.x.com/Q1",
    "pic.",
    "read https://example.org/a?b=1).",
    "t.co/abc and https://t.co/def",
    "see t.co/abc",
    "http:// nothing",
    "://",
    "pic.twitter.com/a https://t.co/b",
    "字 😀 #tag @someone",
    "> greentext",
    "",
]
NAMES = ["Jane Roe", "BNO News", "字 😀"]
HANDLES = ["janeroe", "jane_roe_tv", "jane.bsky.social", "a-b.example.org"]
STATUS_URLS = [
    "https://x.com/jane/status/123?s=20&t=abc",
    "https://twitter.com/jane/status/1?utm_source=a&ok=1#frag",
    "https://bsky.app/profile/jane.bsky.social/post/3kabc?ref_src=twsrc",
    "https://mastodon.social/@jane/109876543210?refer=x",
    "https://example.org/not/a/post",
]
DATES = ["May 1, 2020", "March 3, 2019", *(f"[May 1, 2020]({url})" for url in STATUS_URLS)]
PROSE = ["\n", "\n\n", "Some prose.\n\n", "> ", "\n> ", "Last night, this was posted:\n"]
BARE = [f"\n{url}\n" for url in STATUS_URLS[:4]]


@st.composite
def attributions(draw):
    space = st.sampled_from(SPACES)
    post = draw(space) + draw(st.sampled_from(POSTS)) + draw(space)
    dash = draw(st.sampled_from(["— ", "- ", "  "]))
    parts = (post, dash, *(draw(st.sampled_from(c)) for c in (NAMES, HANDLES, DATES)))
    return "{}{}{} (@{}) {}".format(*parts)


documents = st.lists(
    st.one_of(attributions(), st.sampled_from(PROSE), st.sampled_from(BARE)), max_size=8
).map("".join)


def test_the_install_built_the_compiled_records():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert plain.attribution_embeds is _attributions.attribution_embeds
    assert plain._attribution_embed is _attributions.attribution_embed


@settings(max_examples=600, deadline=None)
@given(documents)
def test_the_compiled_records_are_the_python_ones(document):
    found = find_attributions(document)
    compiled = plain.attribution_embeds(document, found)
    reference = reference_attribution_embeds(document, found)
    assert compiled == reference
    assert records(compiled) == records(reference)


@settings(max_examples=300, deadline=None)
@given(documents, st.lists(st.sampled_from(POSTS + SPACES), max_size=3).map("".join))
def test_the_compiled_record_of_any_post_text_is_the_python_one(document, post):
    for found in find_attributions(document):
        compiled = _attributions.attribution_embed(found, post)
        assert records([compiled]) == records([attribution_embed(found, post)])


@settings(max_examples=300, deadline=None)
@given(documents)
def test_documents_scan_alike_with_either(document):
    compiled = text_embeds(document)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain, "attribution_embeds", reference_attribution_embeds)
        patch.setattr(plain, "_attribution_embed", attribution_embed)
        reference = text_embeds(document)
    assert records(compiled) == records(reference)


@pytest.mark.parametrize(
    "found",
    [
        Attribution(0, 6, 30, 8, "jane", "Jane", "2020-05-01", "May 1, 2020", None),
        Attribution(3, 3, 30, 8, "jane.bsky.social", "Jane", "2020-05-01", "May 1, 2020", None),
        Attribution(50, 90, 99, 92, "jane", "Jane", "2020-05-01", "May 1, 2020", None),
    ],
)
def test_bounds_past_the_post_are_cut_as_a_slice_cuts_them(found):
    document = " \u3000A post pic.x.com/a — Jane (@jane) May 1, 2020"
    compiled = plain.attribution_embeds(document, [found])
    assert records(compiled) == records(reference_attribution_embeds(document, [found]))


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"bytes", []), TypeError),
        (("text",), TypeError),
        (("text", ()), TypeError),  # a list
        (("text", [("not", "an", "attribution")]), TypeError),
        (("text", [Attribution("0", 1, 2, 3, "a", "b", "c", "d", None)]), TypeError),
        (("text", [Attribution(0, 1, 2, 3, 4, "b", "c", "d", None)]), TypeError),
        (("text", [Attribution(0, 10**30, 2, 3, "a", "b", "c", "d", None)]), OverflowError),
    ],
)
def test_the_compiled_records_refuse_what_is_not_an_attribution(arguments, error):
    with pytest.raises(error):
        _attributions.attribution_embeds(*arguments)


@pytest.mark.parametrize(
    "arguments",
    [
        (),
        (Attribution(0, 1, 2, 3, "a", "b", "c", "d", None), b"post"),
        (("not", "an", "attribution"), "post"),
        (Attribution(0, 1, 2, 3, 4, "b", "c", "d", None), "post"),
    ],
)
def test_the_compiled_record_refuses_what_is_not_an_attribution(arguments):
    with pytest.raises(TypeError):
        _attributions.attribution_embed(*arguments)
