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
