"""Shapes that old text exports leave (issue 13): dashless attributions glued to the next sentence,
posts written as several short lines, posts quoted over several paragraphs. Every article here is
written for these tests; whole records are asserted, located in the document as
tests/test_scan_text.py does."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_scan_text import embeds, flattened

from archiver.scan import scan_text

PROSE_BEFORE = (
    "The club's captain announced on Sunday that she would retire at the end of the season, "
    "after twelve years and three titles with the team."
)
PROSE_AFTER = (
    "The club thanked her in a statement that praised her loyalty and leadership over more than "
    "a decade, and said her number would not be worn again."
)
FAREWELL = "Thank you all\nFor twelve years\nOf songs and rain\nSee you around"


def test_a_post_in_several_short_lines_is_taken_whole_and_not_the_prose_before_it():
    post = f"{FAREWELL}\npic.twitter.com/AbCdEf1234"
    doc = f"{PROSE_BEFORE}\n\n{post}\n— Maria Costa (@mariacosta10) May 12, 2019\n\n{PROSE_AFTER}\n"
    assert embeds(doc) == [
        flattened(doc, post, "Maria Costa", "mariacosta10", "2019-05-12", "May 12, 2019",
                  pics=["pic.twitter.com/AbCdEf1234"])
    ]  # fmt: skip


def test_short_lines_with_the_picture_link_on_the_last_line_and_the_dash_after_it():
    post = f"{FAREWELL} pic.twitter.com/AbCdEf1234"
    doc = f"{PROSE_BEFORE}\n\n{post} — Maria Costa (@mariacosta10) 12 mai 2019\n\n{PROSE_AFTER}\n"
    assert embeds(doc) == [
        flattened(doc, post, "Maria Costa", "mariacosta10", "2019-05-12", "12 mai 2019",
                  pics=["pic.twitter.com/AbCdEf1234"])
    ]  # fmt: skip


MINISTRY_POST = (
    "Schools in the region will stay closed until March 14.\n\n"
    "“Every child will be taught online from Monday.”\n\n"
    "Details follow tomorrow."
)


def test_a_post_quoted_over_several_paragraphs_runs_up_to_its_lead_in():
    doc = (
        "Parents had waited all week for a decision.\n\n"
        "The ministry announced the closure late on Friday, in a post on its account:\n\n"
        f"{MINISTRY_POST} — Ministry of Health (@health_min) March 4, 2022\n\n"
        "Parents' groups criticised the decision.\n"
    )
    assert embeds(doc) == [
        flattened(doc, MINISTRY_POST, "Ministry of Health", "health_min", "2022-03-04",
                  "March 4, 2022")
    ]  # fmt: skip


def test_a_quotation_paragraph_joins_the_post_but_not_prose_around_a_quote():
    # No lead-in says where the post starts: the quotation is the post's, the prose is not.
    doc = (
        "“We will rebuild,” the mayor told reporters on Friday.\n\n"
        "Schools in the region will stay closed until March 14.\n\n"
        "“Every child will be taught online from Monday.”\n\n"
        "Details follow tomorrow. — Ministry of Health (@health_min) March 4, 2022\n"
    )
    post = "“Every child will be taught online from Monday.”\n\nDetails follow tomorrow."
    assert embeds(doc) == [
        flattened(doc, post, "Ministry of Health", "health_min", "2022-03-04", "March 4, 2022")
    ]


def test_prose_around_a_quote_stays_the_articles():
    doc = (
        "Some prose before.\n\n“We will rebuild,” the mayor told reporters on Friday.\n\n"
        "We stay. — City of Kyiv (@Kyiv) March 4, 2022\n"
    )
    assert embeds(doc) == [
        flattened(doc, "We stay.", "City of Kyiv", "Kyiv", "2022-03-04", "March 4, 2022")
    ]


def test_stacked_lead_ins_stay_the_articles():
    doc = (
        "See here:\n\nLast night, this was posted on Facebook.\n\n"
        "We stay. — City of Kyiv (@Kyiv) March 4, 2022\n"
    )
    assert embeds(doc) == [
        flattened(doc, "We stay.", "City of Kyiv", "Kyiv", "2022-03-04", "March 4, 2022")
    ]


@pytest.mark.parametrize(
    "first_date, first_iso, second_date, second_iso",
    [
        ("March 3, 2019", "2019-03-03", "Mar 4, 2019", "2019-03-04"),
        ("3 mars 2019", "2019-03-03", "4 mars 2019", "2019-03-04"),
        ("3. März 2019", "2019-03-03", "4. März 2019", "2019-03-04"),
        ("3 de marzo de 2019", "2019-03-03", "4 de marzo de 2019", "2019-03-04"),
        ("3 marzo 2019", "2019-03-03", "4 marzo 2019", "2019-03-04"),
        ("3 maart 2019", "2019-03-03", "4 maart 2019", "2019-03-04"),
        ("3 Mart 2019", "2019-03-03", "4 Mart 2019", "2019-03-04"),
        ("3 марта 2019 г.", "2019-03-03", "4 марта 2019 г.", "2019-03-04"),
        ("3 березня 2019 р.", "2019-03-03", "4 березня 2019 р.", "2019-03-04"),
        ("3 marca 2019", "2019-03-03", "4 marca 2019", "2019-03-04"),
        ("2019年3月3日", "2019-03-03", "2019年3月4日", "2019-03-04"),
        ("2019년 3월 3일", "2019-03-03", "2019년 3월 4일", "2019-03-04"),
    ],
)
def test_dashless_attributions_glued_to_the_next_sentence(
    first_date, first_iso, second_date, second_iso
):
    # Each post is bounded by the article's prose: glued before it ("night.Thanks"), glued after
    # the previous date and ending at its first sentence ("2019The replies were not kind.").
    first = "Thanks for everything, see you all next season!"
    second = "Worst finale in years. #NoMore"
    third = "Still the best show on TV 📺"
    doc = (
        "Fans said goodbye to the show on Sunday night."
        f"{first}  Jane Roe (@janeroe_tv) {first_date}The replies were not kind. "
        f"{second}  Sam Poe (@sam_poe) {second_date}Others were kinder.{third}  "
        f"Lee Park (@leepark) {second_date}\n\nThe network has not commented.\n"
    )
    assert embeds(doc) == [
        flattened(doc, first, "Jane Roe", "janeroe_tv", first_iso, first_date),
        flattened(doc, second, "Sam Poe", "sam_poe", second_iso, second_date),
        flattened(doc, third, "Lee Park", "leepark", second_iso, second_date),
    ]


def test_a_dashless_attribution_in_japanese_prose():
    first, second = "ありがとう、また来シーズン！", "最悪の最終回。"
    doc = (
        f"{first}  山田花子 (@hanako_y) 2019年3月3日返信は厳しかった。{second}  "
        "佐藤一郎 (@ichiro_s) 2019年3月4日\n"
    )
    assert embeds(doc) == [
        flattened(doc, first, "山田花子", "hanako_y", "2019-03-03", "2019年3月3日"),
        flattened(doc, second, "佐藤一郎", "ichiro_s", "2019-03-04", "2019年3月4日"),
    ]


def test_a_dashless_attribution_with_a_picture_link_ending_its_own_paragraph():
    post = "Last game at home. Thank you! pic.twitter.com/QwErTy1234"
    doc = f"{PROSE_BEFORE}\n\n{post}  Maria Costa (@mariacosta10) May 12, 2019\n\n{PROSE_AFTER}\n"
    assert embeds(doc) == [
        flattened(doc, post, "Maria Costa", "mariacosta10", "2019-05-12", "May 12, 2019",
                  pics=["pic.twitter.com/QwErTy1234"])
    ]  # fmt: skip


def test_a_dash_in_the_prose_before_does_not_swallow_a_dashless_attribution():
    doc = (
        "The finale — watched by millions — split the fans. Worst finale in years.  "
        "Sam Poe (@sam_poe) March 4, 2019The network has not commented.\n"
    )
    assert embeds(doc) == [
        flattened(doc, "The finale — watched by millions — split the fans. Worst finale in years.",
                  "Sam Poe", "sam_poe", "2019-03-04", "March 4, 2019")
    ]  # fmt: skip


def test_a_hyphen_in_the_post_before_the_removed_dash_stays_in_the_post():
    post = 'Zelenskiy turns down U.S. request: "I need ammunition, not a ride" - AP'
    doc = f"Gaining respect.\n\n{post}  BNO News (@BNONews) February 26, 2022\n"
    assert embeds(doc) == [
        flattened(doc, post, "BNO News", "BNONews", "2022-02-26", "February 26, 2022")
    ]


def test_two_spaces_inside_a_display_name_after_a_dash_stay_in_the_name():
    doc = "We stay. — Jane  Roe (@janeroe_tv) March 3, 2019\n"
    assert embeds(doc) == [
        flattened(doc, "We stay.", "Jane  Roe", "janeroe_tv", "2019-03-03", "March 3, 2019")
    ]


@pytest.mark.parametrize(
    "doc",
    [
        # prose that cites a handle and a date, written with two spaces after its sentences
        "The show ended.  Our critic Jane Roe (@janeroe_tv) March 3, 2019 was not impressed.\n",
        "It ended.  Jane Roe (@janeroe_tv) 3 mars 2019 a écrit une critique.\n",
        # bylines and lists of handles, with and without dates
        "Reporting by  Jane Roe (@janeroe_tv) March 3, 2019\n",
        "Contributors:  Jane Roe (@janeroe_tv) March 3, 2019\n",
        "Follow us:  Jane Roe (@janeroe_tv)  Sam Poe (@sam_poe)  Lee Park (@leepark)\n",
        "Jane Roe (@janeroe_tv), Sam Poe (@sam_poe) and Lee Park (@leepark), March 3, 2019.\n",
        # quoted e-mail addresses, written out to fool harvesters or not
        "Write to  Jane Roe (jane@example.com) March 3, 2019 or  desk (@example.com).\n",
        "Tips:  newsdesk (@news.example.com) March 3, 2019\n",
        "“Send it to jane(@)example.com,” she said.  Jane Roe (@janeroe_tv) wrote back.\n",
        # a single space gives no name boundary to read
        "We stay. Jane Roe (@janeroe_tv) March 3, 2019\n",
    ],
)
def test_what_must_not_be_read_as_a_dashless_attribution(doc):
    assert embeds(doc) == []


# Hypothesis: the shapes above, with any words, names, handles and dates in every language.
DATES = [
    ("March 3, 2019", "2019-03-03"), ("3 mars 2019", "2019-03-03"), ("17. August 2018", "2018-08-17"),
    ("26 de diciembre de 2022", "2022-12-26"), ("13 maggio 2017", "2017-05-13"),
    ("26 de dezembro de 2022", "2022-12-26"), ("25 februari 2022", "2022-02-25"),
    ("25 Şubat 2022", "2022-02-25"), ("25 февраля 2022 г.", "2022-02-25"),
    ("25 лютого 2022 р.", "2022-02-25"), ("3 marca 2019", "2019-03-03"),
    ("2019年7月20日", "2019-07-20"), ("2019년 7월 20일", "2019-07-20"),
]  # fmt: skip
LOWER_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüøß", min_size=1, max_size=10)
# A sentence's first word has two letters or more: "A." after a point reads as an initial.
SENTENCE = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    LOWER_WORDS.filter(lambda word: len(word.capitalize()) > 1),
    st.lists(LOWER_WORDS, max_size=8),
    st.sampled_from([".", "!", "?", "…"]),
)
POST_TEXT = st.builds(
    lambda sentences, tag: " ".join(sentences) + tag,
    st.lists(SENTENCE, min_size=1, max_size=3),
    st.sampled_from(["", " #Finale", " pic.twitter.com/AbC123xyZ", " 📺"]),
)
NAMES = st.sampled_from(["Jane Roe", "Sam Poe", "Élise Martin", "山田花子", "Kyiv Independent 🇺🇦"])
HANDLES = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)


@given(
    posts=st.lists(
        st.tuples(POST_TEXT, NAMES, HANDLES, st.sampled_from(DATES), SENTENCE),
        min_size=1,
        max_size=4,
    )
)
def test_any_paragraph_of_dashless_posts_glued_to_prose(posts):
    # "Prose.POST  Name (@handle) DateProse. POST  Name (@handle) DateProse." on one line.
    doc = "Fans said goodbye to the show on Sunday night."
    expected = []
    for post, name, handle, (date_text, iso), prose in posts:
        start = len(doc) + (1 if expected else 0)
        doc += (" " if expected else "") + f"{post}  {name} (@{handle}) {date_text}"
        pics = ["pic.twitter.com/AbC123xyZ"] if "pic.twitter" in post else []
        record = flattened(doc, post, name, handle, iso, date_text, pics=pics)
        expected.append(dataclasses.replace(record, start=start, end=len(doc)))
        doc += prose
    assert embeds(doc + "\n") == expected


@given(
    lines=st.lists(
        st.lists(LOWER_WORDS, min_size=1, max_size=5).map(" ".join), min_size=2, max_size=6
    ),
    date=st.sampled_from(DATES),
    own_line=st.booleans(),
)
def test_any_post_of_short_lines_between_prose_paragraphs_is_taken_whole(lines, date, own_line):
    post = "\n".join(line.capitalize() for line in lines) + "\npic.twitter.com/AbCdEf1234"
    dash = "\n— " if own_line else " — "
    doc = f"{PROSE_BEFORE}\n\n{post}{dash}Maria Costa (@mariacosta10) {date[0]}\n\n{PROSE_AFTER}\n"
    assert embeds(doc) == [
        flattened(doc, post, "Maria Costa", "mariacosta10", date[1], date[0],
                  pics=["pic.twitter.com/AbCdEf1234"])
    ]  # fmt: skip


def test_the_shapes_in_html():
    # A page that kept its paragraphs but lost its dashes, and a post of short lines in <br>s.
    page = (
        f"<html><body><p>{PROSE_BEFORE}</p>"
        "<p>Thanks for everything, see you all next season!  Jane Roe (@janeroe_tv) March 3, "
        "2019The replies were not kind. Worst finale in years. #NoMore  Sam Poe (@sam_poe) "
        f"4 mars 2019Others were kinder.</p><p>{PROSE_AFTER}</p>"
        "<blockquote><p>Thank you all<br>For twelve years<br>Of songs and rain<br>See you around"
        "<br>pic.twitter.com/AbCdEf1234</p>— Maria Costa (@mariacosta10) May 12, 2019</blockquote>"
        f"<p>{PROSE_AFTER}</p></body></html>"
    )
    found = [
        (e.text, e.handle, e.display_name, e.date, e.pic_links)
        for e in scan_text(page, kind="html").embeds
    ]
    assert found == [
        ("Thanks for everything, see you all next season!", "janeroe_tv", "Jane Roe",
         "2019-03-03", ()),
        ("Worst finale in years. #NoMore", "sam_poe", "Sam Poe", "2019-03-04", ()),
        (f"{FAREWELL}\npic.twitter.com/AbCdEf1234", "mariacosta10", "Maria Costa", "2019-05-12",
         ("pic.twitter.com/AbCdEf1234",)),
    ]  # fmt: skip


@given(
    prose=SENTENCE,
    name=NAMES,
    handle=HANDLES,
    date=st.sampled_from(DATES),
    spaces=st.sampled_from(["  ", "   ", "\xa0 "]),
    then=st.lists(LOWER_WORDS, min_size=1, max_size=5).map(" ".join),
)
def test_prose_that_names_a_handle_and_a_date_then_goes_on_is_never_a_post(
    prose, name, handle, date, spaces, then
):
    # "… Sentence.  Name (@handle) Date was not impressed." however the sentence before ends.
    doc = f"{prose}{spaces}{name} (@{handle}) {date[0]} {then}.\n"
    assert embeds(doc) == []


def test_a_long_glued_paragraph_gives_the_post_its_last_sentences_within_a_posts_length():
    prose = "The season ran long and the critics were tired of it by March. " * 8
    post = "Worst finale in years. #NoMore"
    doc = f"{prose}{post}  Sam Poe (@sam_poe) March 4, 2019\n"
    [found] = embeds(doc)
    assert found.text.endswith(post) and len(found.text) <= 280
    assert found.text.startswith("The season ran long") and found.start > 0


def test_twenty_thousand_dashless_attributions_glued_on_one_line():
    # One 1.6 MB line; each post's sentences are walked once (about a second on the build machine).
    block = "Prose ends here. " + "Aa. " * 60 + "Bb.  Jane Roe (@janeroe_tv) May 1, 2022"
    found = embeds(block * 20_000)
    assert len(found) == 20_000
    assert {e.handle for e in found} == {"janeroe_tv"}
