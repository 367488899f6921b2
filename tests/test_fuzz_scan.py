"""Fuzzing the scanner: arbitrary bytes, and markup that almost is an embed.

Invariants, not just "no crash": ``scan_bytes`` never raises; every span lies in the document
and the embeds come in document order; platform, form and date are values the contracts allow;
and in a text article, nothing reported (handle, status id, pic link, quoted text) is absent from
the document. ``make test`` runs the default number of examples; ``make fuzz`` thousands
(the ``fuzz`` profile in tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from archiver.models import EmbedForm, Platform, ScanResult
from archiver.scan import scan_bytes
from archiver.urls import parse_post_url

PIC_LINK = re.compile(r"pic\.twitter\.com/[A-Za-z0-9]{1,32}")
HANDLE = re.compile(r"[A-Za-z0-9_.-]{1,253}")


def check(result: ScanResult) -> None:
    """The scanner's contract, for any input."""
    assert result.kind in ("html", "text")
    assert isinstance(result.document, str) and isinstance(result.encoding, str)
    previous = 0
    for embed in result.embeds:
        assert 0 <= embed.start <= embed.end <= len(result.document)
        assert embed.start >= previous
        previous = embed.start
        assert embed.platform in set(Platform)
        assert embed.form in set(EmbedForm)
        assert isinstance(embed.text, str)
        if embed.date is not None:
            dt.date.fromisoformat(embed.date)  # a real calendar date
            assert embed.date_text
        assert all(PIC_LINK.fullmatch(link) for link in embed.pic_links)
        if embed.handle is not None:
            assert HANDLE.fullmatch(embed.handle), embed.handle
        if embed.status_id is not None:
            assert embed.status_id.isascii() and embed.status_id.isdigit()
        if embed.status_url is not None:
            ref = parse_post_url(embed.status_url)
            assert ref is not None and ref.platform == embed.platform
        if result.kind == "text":
            shown = result.document[embed.start : embed.end]
            for value in (embed.handle, embed.status_id, embed.date_text):
                assert value is None or value.casefold() in result.document.casefold()
            for link in embed.pic_links:
                assert link.rpartition("/")[2] in shown
            assert " ".join(embed.text.split())[:40] in " ".join(result.document.split())


CONTENT_TYPES = st.sampled_from(
    [
        None,
        "text/html",
        "text/plain",
        "text/html; charset=windows-1252",
        "text/plain; charset=utf-16",
    ]
)
FILENAMES = st.sampled_from([None, "a.txt", "a.html", "a.md"])


@given(data=st.binary(max_size=4096), content_type=CONTENT_TYPES, filename=FILENAMES)
def test_arbitrary_bytes(data, content_type, filename):
    check(scan_bytes(data, content_type=content_type, filename=filename))


HANDLES = st.sampled_from(
    ["ann", "Ann_B", "a" * 15, "a" * 16, "", "a b", "ann)", "desk.bsky.social", "@"]
)
NAMES = st.sampled_from(["Ann", "Ann B (Kyiv)", "", "   ", "𝐉𝐚𝐧𝐞 🇺🇦", "A — B", "محمد", "(@x)"])
DASHES = st.sampled_from(
    ["—", "–", "―", "‒", "-", "--", "−", "~", "", "&mdash;", "\u2014\u2014", "—\n"]
)
DATES = st.sampled_from(
    [
        "May 1, 2022", "February 30, 2022", "Feb 29, 2023", "Feb 29, 2024", "May 32, 2022",
        "31 février 2022", "2022年13月1日", "2019年7月20日", "1. Mai 2022", "May 1 2022",
        "2022-02-25", "0 May 2022", "May 1, 0000", "May 1, 99999", "", "yesterday",
        "January 8, 2025 at 11:00 PM", "25 февраля 2022 г.",
    ]
)  # fmt: skip
CODES = st.text("ABCDEFabcdef0123456789", min_size=0, max_size=40)
IDS = st.one_of(st.integers(0, 2**64).map(str), st.sampled_from(["", "abc", "1e5", "٣٤٥"]))
SPACES = st.sampled_from([" ", "", "\n", "\n\n", "\t", "\xa0", " \u200b"])
WORDS = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@st.composite
def attribution_line(draw):
    """``TEXT pic.twitter.com/CODE — Name (@handle) Date`` with any part bent out of shape."""
    pic = f" pic.twitter.com/{draw(CODES)}" if draw(st.booleans()) else ""
    return (
        f"{draw(WORDS)}{pic}{draw(SPACES)}{draw(DASHES)}{draw(SPACES)}{draw(NAMES)} "
        f"(@{draw(HANDLES)}){draw(SPACES)}{draw(DATES)}"
    )


@st.composite
def blockquote(draw):
    """The X snippet with broken attributes, near-miss status URLs and odd dates."""
    klass = draw(
        st.sampled_from(
            ['"twitter-tweet"', '"twitter-tweet tw-align-center"', "twitter-tweet", '"TWITTER-TWEET"',
             '"twitter-tweet', "'twitter-tweet'", '"twitter-tweetx"', '""', '"twitter-tweet" class="x"']
        )
    )  # fmt: skip
    host = draw(st.sampled_from(["twitter.com", "x.com", "mobile.twitter.com", "twitter.co", ""]))
    path = draw(st.sampled_from(["{h}/status/{i}", "{h}/statuses/{i}", "i/web/status/{i}",
                                 "{h}/status/", "{h}/status/{i}/photo/1", "{h}/{i}"]))  # fmt: skip
    url = f"https://{host}/" + path.format(h=draw(HANDLES), i=draw(IDS))
    quote = draw(st.sampled_from(['"', "'", ""]))
    data_lang = draw(st.sampled_from(["en", '"en', '"en"', ""]))
    return (
        f"<blockquote class={klass} data-lang={data_lang}>"
        f"<p lang={quote}{draw(st.sampled_from(['en', 'uk', '']))}{quote}>{draw(WORDS)}"
        f"{draw(st.sampled_from(['', '<br>', '<a href=x>', '</p>', '<p>']))}</p>"
        f"{draw(DASHES)} {draw(NAMES)} (@{draw(HANDLES)}) "
        f"<a href={quote}{url}{quote}>{draw(DATES)}</a>"
        f"{draw(st.sampled_from(['</blockquote>', '', '</blockquote></blockquote>']))}"
    )


PROSE = st.sampled_from(
    ["The mayor said the city holds.", "See here:", "Last night, this was posted.", "", "#Kyiv"]
)


@given(lines=st.lists(st.one_of(attribution_line(), PROSE), min_size=1, max_size=6))
def test_attribution_lines_that_almost_are(lines):
    document = "\n\n".join(lines)
    check(scan_bytes(document.encode("utf-8"), content_type="text/plain"))


@given(
    parts=st.lists(
        st.one_of(blockquote(), attribution_line().map("<p>{}</p>".format), PROSE), max_size=5
    ),
    wrap=st.booleans(),
)
def test_blockquotes_that_almost_are(parts, wrap):
    body = "\n".join(parts)
    document = f"<html><body><article>{body}</article></body></html>" if wrap else body
    check(scan_bytes(document.encode("utf-8"), content_type="text/html"))
