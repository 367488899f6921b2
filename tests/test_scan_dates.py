"""Widget dates in many languages -> YYYY-MM-DD."""

import pytest

from archiver.scan.dates import DateMatch, match_date, search_date


@pytest.mark.parametrize(
    "text, iso",
    [
        ("February 25, 2022", "2022-02-25"),
        ("Feb 25, 2022", "2022-02-25"),
        ("Sept. 5, 2022", "2022-09-05"),
        ("25 February 2022", "2022-02-25"),
        ("January 8, 2025 at 11:00 PM", "2025-01-08"),
        ("17. August 2018", "2018-08-17"),
        ("21. Januar 2020", "2020-01-21"),
        ("3. März 2016", "2016-03-03"),
        ("25 février 2022", "2022-02-25"),
        ("1er mars 2022", "2022-03-01"),
        ("15 août 2021", "2021-08-15"),
        ("26 de diciembre de 2022", "2022-12-26"),
        ("8 de enero de 2025 a las 23:00", "2025-01-08"),
        ("13 maggio 2017", "2017-05-13"),
        ("26 de dezembro de 2022", "2022-12-26"),
        ("7 de março de 2021", "2021-03-07"),
        ("25 februari 2022", "2022-02-25"),
        ("3 maart 2016", "2016-03-03"),
        ("25 Şubat 2022", "2022-02-25"),
        ("19 Mayıs 2019", "2019-05-19"),
        ("31 ARALIK 2020", "2020-12-31"),
        ("25 февраля 2022 г.", "2022-02-25"),
        ("28 сентября 2018", "2018-09-28"),
        ("1 Май 2020", "2020-05-01"),
        ("25 лютого 2022 р.", "2022-02-25"),
        ("24 серпня 2021", "2021-08-24"),
        ("1 листопад 2020", "2020-11-01"),
        ("25 lutego 2022", "2022-02-25"),
        ("2019年7月20日", "2019-07-20"),
        ("2022년 2월 25일", "2022-02-25"),
        ("25\u00a0février\u00a02022", "2022-02-25"),
    ],
)
def test_a_widget_date_in_its_language(text, iso):
    assert match_date(text) == DateMatch(iso, 0, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "February 30, 2022",  # no such day
        "Smarch 3, 2022",  # no such month
        "May 1, 1999",  # before posts existed
        "25 years 2022",
        "2022-02-25",  # not how a widget writes it
        "",
    ],
)
def test_what_is_not_a_widget_date(text):
    assert match_date(text) is None


@pytest.mark.parametrize("time", [" alas 9:30", " a  las 9:30", " a\xa0las 9:30", " a las9:30"])
def test_a_time_after_a_las_needs_its_one_plain_space(time):
    # _TIME_WORDS' "a[ ]las": the time is the date's only after "a las" as Spanish writes it
    assert match_date(f"May 1, 2020{time}") == DateMatch("2020-05-01", 0, 11)


def test_a_date_is_read_where_it_starts_and_only_there():
    text = "(@ann) May 1, 2022 and more"
    assert match_date(text, 7) == DateMatch("2022-05-01", 7, 18)
    assert match_date(text, 6) is None


def test_searching_a_link_text():
    assert search_date("Posted on 13 maggio 2017") == DateMatch("2017-05-13", 10, 24)
    assert search_date("no date here") is None
