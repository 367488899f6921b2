"""Text matching: what copying a post into an article changes is set aside, edits are not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.textmatch import (
    MIN_QUOTED,
    normalise_text,
    quoted_within,
    similarity,
    text_similarity,
)


@pytest.mark.parametrize(
    "quoted, archived",
    [
        # the widget's pic link and shortened display link against the expanded post text
        (
            "I wrote a short post about it: github.com/reactwg/react-n… pic.twitter.com/N8kZ9M3eN4",
            "I wrote a short post about it: "
            "https://github.com/reactwg/react-native-new-architecture/discussions/110",
        ),
        ("“We are here” — Zelensky", '"we are here" - zelensky'),
        ("«Nous sommes là» – dit-il", '"nous sommes là" - dit-il'),
        ("Kyiv’s  government\n\nquarter", "kyiv's government quarter"),
        ("ＦＵＬＬＷＩＤＴＨ ﬁne", "fullwidth fine"),
        ("see https://t.co/AbC123", "see"),
    ],
)
def test_what_copying_changes_is_set_aside(quoted, archived):
    assert normalise_text(quoted) == normalise_text(archived)
    assert similarity(quoted, archived) == 1.0


def test_a_changed_word_lowers_the_similarity_a_little_and_another_post_a_lot():
    post = "I’m in awe of this man. How can we not support him and his people"
    assert (
        similarity("I’m in awe of this man. How can we not support him and his people", post) == 1.0
    )
    edited = similarity("I’m in awe of this woman. How can we not support him and his people", post)
    other = similarity("Ukrainian President Zelenskiy turns down U.S. request to evacuate", post)
    assert 0.9 < edited < 1.0
    assert other < 0.5


def test_similarity_is_bounded_and_empty_texts_agree():
    assert text_similarity("", "") == 1.0
    assert text_similarity("abc", "") == 0.0
    assert similarity("pic.twitter.com/abc", "") == 1.0  # nothing but a link on either side


def test_a_huge_repetitive_text_costs_little_and_an_edit_in_it_still_counts():
    huge = "word " * 20_000
    assert similarity(huge, huge) == 1.0
    edited = similarity(huge, huge.replace("word", "ward", 1))
    assert 0.9999 < edited < 1.0
    assert similarity(huge, "nothing alike " * 10_000) < 0.5


WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüé0123456789,;!?", min_size=1, max_size=12),
    min_size=1,
    max_size=60,
)


@given(words=WORDS, data=st.data())
def test_every_long_enough_run_of_a_posts_words_is_quoted_within_it(words, data):
    """A quote is a run of the post's words; it counts when MIN_QUOTED long or more."""
    post = " ".join(words)
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first + 1, len(words)))
    quoted = normalise_text(" ".join(words[first:last]))
    found = quoted_within(quoted, normalise_text(post))
    assert found == (len(quoted.strip(",;")) >= MIN_QUOTED)
