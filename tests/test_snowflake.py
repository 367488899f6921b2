"""Creation times read from X post ids alone."""

import pytest

from archiver.witnesses.twitter.snowflake import (
    FIRST_SNOWFLAKE,
    snowflake_ms,
    snowflake_range,
    snowflake_time,
)


# docs/endpoints.md §1.6: the saved samples' ids against their syndication created_at (seconds).
@pytest.mark.parametrize(
    "post_id, created_at",
    [
        ("1703436713362870723", "2023-09-17T15:52:15.446Z"),
        ("1641086480675225601", "2023-03-29T14:34:41.562Z"),
        ("1641895049427550208", "2023-03-31T20:07:39.375Z"),
        ("705219971425574912", "2016-03-03T02:35:18.198Z"),
        (str(FIRST_SNOWFLAKE), "2010-11-04T01:43:01.738Z"),
    ],
)
def test_time_from_id(post_id, created_at):
    assert snowflake_time(post_id) == created_at


def test_the_photo_sample_agrees_with_its_reported_time():
    # syndication_photo_tweet.json reports created_at 2023-03-29T14:34:41.000Z (seconds only)
    assert snowflake_time("1641086480675225601")[:19] == "2023-03-29T14:34:41"


@pytest.mark.parametrize("post_id", ["20", str(FIRST_SNOWFLAKE - 1), "", "abc", "-5", "9" * 20])
def test_ids_that_carry_no_time(post_id):
    assert snowflake_time(post_id) is None
    assert snowflake_ms(post_id) is None


def test_range_is_the_inverse_of_the_time():
    start_ms, end_ms = 1645747200000, 1645833599999  # all of 2022-02-25 UTC
    low, high = snowflake_range(start_ms, end_ms)
    assert snowflake_ms(str(low)) == start_ms
    assert snowflake_ms(str(high)) == end_ms
    assert snowflake_ms(str(low - 1)) == start_ms - 1
    assert snowflake_ms(str(high + 1)) == end_ms + 1
    assert snowflake_time(str(low)) == "2022-02-25T00:00:00.000Z"
    assert snowflake_time(str(high)) == "2022-02-25T23:59:59.999Z"


def test_range_of_one_millisecond_and_of_the_epoch():
    assert snowflake_range(1288834974657, 1288834974657) == (0, 2**22 - 1)
    assert snowflake_range(0, 1288834974657) == (0, 2**22 - 1)
    with pytest.raises(ValueError):
        snowflake_range(2, 1)
