"""Shapes that old text exports leave (issue 13): dashless attributions glued to the next sentence,
posts written as several short lines, posts quoted over several paragraphs. Every article here is
written for these tests; whole records are asserted, located in the document as
tests/test_scan_text.py does."""

from test_scan_text import embeds, flattened

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
