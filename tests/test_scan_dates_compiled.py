"""The compiled date reader (archiver/scan/_dates.h, _dates.c) reads what dates.DATE does.

Every other scanner test runs the compiled one (``dates.match_date``, ``dates.search_date``, and
the attribution tail in _attributions.c); these hold it to ``reference_match_date`` and
``reference_search_date``, on strings built from the pattern's own pieces: month names of every
language and in every case, letter runs around the month's bounds, ordinals, "de", dots and
commas, the signs of Chinese and Korean dates, Unicode digits, runs of spaces of each kind
around their bounds, times with and without their words and AM/PM forms. Each is read at every
position and with every end.
"""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.scan import _dates, dates
from archiver.scan.dates import MONTH_NUMBERS, reference_match_date, reference_search_date

MONTHS = sorted(MONTH_NUMBERS)
SPACES = [" ", "\t", "\xa0", "\u202f"]
# the same digits in other scripts: Arabic-Indic, Devanagari, full-width
DIGIT_SCRIPTS = [str.maketrans("0123456789", "".join(chr(zero + i) for i in range(10)))
                 for zero in (0x660, 0x966, 0xFF10)]  # fmt: skip
TIME_WORDS = ["at", "um", "à", "a las", "alas", "a  las", "a\tlas", "a la", "alle", "às", "om",
              "saat", "в", "о", "a", "à s"]  # fmt: skip
MERIDIEMS = ["PM", "pm", "AM", "a.m.", "P.M", "p.m", "Pm.", "a.", "x", "P"]
# days and years in the calendar and the years of posts, and a few out of them
YEARS = ["2022", "2006", "2099", "2024"], ["2005", "2100", "1999", "20222", "202"]
DAYS = ["1", "9", "25", "29", "30", "05"], ["31", "0", "00", "32", "123"]
NOISE = ["x", "_", "²", "-", ".", ",", "Σ", "İ", "\n", "(", "Ab", "de", "ab.", "º", "st"]


def often(common, rare):
    """One of ``common`` nine times in ten, else one of ``rare``."""
    return st.sampled_from(common * (9 * len(rare)) + rare * len(common))


def sometimes(draw, strategy, otherwise=""):
    """What ``strategy`` draws one time in four, else ``otherwise``."""
    return draw(strategy) if draw(st.integers(0, 3)) == 0 else otherwise


@st.composite
def spaces(draw, least=1, most=3):
    """A run of the pattern's spaces, often within its bounds, sometimes one past them."""
    count = draw(often(list(range(least, most + 1)), [most + 1, least - 1]))
    return "".join(draw(st.sampled_from(SPACES)) for _ in range(max(count, 0)))


@st.composite
def digits(draw, choices):
    """A number of ``choices``, often in ASCII digits, else in another script's."""
    number = draw(often(*choices))
    script = draw(often([None], DIGIT_SCRIPTS))
    return number if script is None else number.translate(script)


@st.composite
def month(draw):
    name = draw(st.sampled_from(MONTHS))
    name = draw(st.sampled_from([name, name.title(), name.upper()]))
    # letter runs around the bounds: 2 and 3 letters, 12 and 13
    name = draw(often([name], ["ab", "abc", "m" * 12, "m" * 13, name + "s", "Smarch"]))
    return name + draw(often(["", "."], [".."]))


@st.composite
def time_word(draw):
    return draw(st.sampled_from(TIME_WORDS)) + draw(spaces())


@st.composite
def meridiem(draw):
    return draw(spaces(0, 1)) + draw(st.sampled_from(MERIDIEMS))


@st.composite
def time_of_day(draw):
    clock = draw(digits((["1", "11", "23", "7"], ["123"]))) + draw(often([":", "."], [",", ""]))
    clock += draw(digits((["00", "30"], ["5", "059"]))) + sometimes(draw, meridiem())
    return draw(often(["", ","], [",,"])) + draw(spaces()) + sometimes(draw, time_word()) + clock


@st.composite
def widget_date(draw):
    """A string shaped like one of DATE's alternatives, its pieces sometimes spoiled."""
    shape = draw(st.sampled_from(["month day", "day month", "year month day"]))
    day = draw(digits(DAYS))
    year = draw(digits(YEARS))
    if shape == "month day":
        ordinal = draw(often(["", "st", "nd", "rd", "th"], ["s", "er"]))
        text = draw(month()) + draw(spaces()) + day + ordinal + draw(often(["", ","], [".", ",,"]))
        text += draw(spaces()) + year
    elif shape == "day month":
        text = day + draw(often(["", ".", "er", "º"], ["e", "ª"])) + draw(spaces())
        de = often(["de"], ["De", "del"]).flatmap(lambda de: spaces().map(de.__add__))
        text += sometimes(draw, de) + draw(month()) + draw(often(["", ","], [",,"]))
        text += draw(spaces()) + sometimes(draw, de) + year
        letter = often(["г.", "р."], ["г", "г..", "д."])  # the Russian or Ukrainian year's
        text += sometimes(draw, spaces(0, 1).flatmap(lambda s: letter.map(s.__add__)))
    else:
        signs = draw(often(["年月日", "년월일"], ["年월日", "年月月"]))
        parts = [year, draw(digits((["7", "12", "02"], ["13", "0", "123"]))), day]
        text = "".join(
            p + s + draw(often([""], [*SPACES, "  "])) for p, s in zip(parts, signs, strict=True)
        )
    return text + sometimes(draw, time_of_day())


pieces = st.one_of(
    widget_date(),
    month(),
    st.sampled_from(NOISE + SPACES + TIME_WORDS + ["年", "月", "日", "년", "월", "일"]),
    digits((DAYS[0] + YEARS[0], DAYS[1] + YEARS[1])),
)
texts = st.lists(pieces, max_size=4).map("".join)


def assert_read_alike(text):
    for pos in range(len(text) + 1):
        assert dates.match_date(text, pos) == reference_match_date(text, pos), pos
    assert dates.search_date(text) == reference_search_date(text)


def test_the_install_built_the_compiled_reader():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert dates.match_date is _dates.match_date
    assert dates.search_date is _dates.search_date


@settings(max_examples=800, deadline=None)
@given(texts)
def test_the_compiled_reader_reads_what_the_regex_does(text):
    assert_read_alike(text)


@settings(max_examples=300, deadline=None)
@given(widget_date(), st.data())
def test_the_compiled_reader_reads_a_date_cut_anywhere(text, data):
    endpos = data.draw(st.integers(-1, len(text) + 1))
    pos = data.draw(st.integers(-1, len(text) + 1))
    assert dates.match_date(text, pos, endpos) == reference_match_date(text, pos, endpos)
    for end in range(len(text) + 1):
        assert dates.match_date(text, 0, end) == reference_match_date(text, 0, end), end


@pytest.mark.parametrize(
    "text",
    [
        # the month's letters: 3 and 12 read, 2 and 13 not
        "Mar 1, 2020", "Ma 1, 2020", "Septembermmm 1, 2020", "Septembermmmm 1, 2020",
        "1 abc 2020", "1 mmmmmmmmmmmm 2020", "1 mmmmmmmmmmmmm 2020",
        # spaces: 1 and 3 read, 4 not; S? one at most
        "May\xa0\u202f\t1,\t\t 2020", "May    1, 2020", "May 1,    2020", "1    May 2020",
        "2019年 7月\t20日", "2019年  7月20日", "2019 年7月20日",
        # "de", taken where a month follows it, given back where one does not
        "1 de mayo de 2020", "1 de  mayo de   2020", "1 de    mayo de 2020", "1 de 2020",
        "1 dec 2020", "1 de dec de 2020", "1 de mayo de", "1 de mayo dé 2020", "1 demayo 2020",
        # days and years: one or two digits, four
        "May 123, 2020", "May 01, 2020", "May 1, 20201", "May 1, 202", "1 May 20201",
        "123 May 2020", "20191年7月20日", "2019年123月20日", "2019年7月20", "2019년 13월 1일",
        # ordinals, their dots and commas
        "May 1st, 2020", "May 1th 2020", "May 1s 2020", "May 1,, 2020", "1er mai 2020",
        "1º de mayo de 2020", "1. Mai 2020", "1.. Mai 2020", "Sept.. 5, 2020", "1 mai., 2020",
        # the Russian and Ukrainian year's letter
        "1 мая 2020 г.", "1 мая 2020г.", "1 мая 2020  г.", "1 травня 2020 р.", "1 мая 2020 г",
        # the calendar and the years of posts
        "February 29, 2020", "February 29, 2021", "February 29, 2100", "May 1, 2005",
        "May 1, 2006", "May 31, 2099", "June 31, 2020", "May 0, 2020", "2020年0月1日",
        # Unicode digits, letters and cases
        "May ١, ٢٠٢٠", "２０２０年５月１日", "१ मई 2020", "1 MAYIS 2020", "1 mayıs 2020",
        "1 Mayis 2020", "1 ŞUBAT 2020", "1 İyun 2020", "May ², 2020", "1 PAŹDZIERNIKA 2020",
        # times: words, hours, AM/PM
        "May 1, 2020 at 9:30 PM", "May 1, 2020, 9.30", "May 1, 2020 a las 9:30",
        "May 1, 2020 alas 9:30", "May 1, 2020 a  las 9:30", "May 1, 2020 a\xa0las 9:30",
        "May 1, 2020 a las", "May 1, 2020 a la 9:30", "8 de enero de 2025, a las   11:00 p.m.",
        "May 1, 2020 às 9:30", "May 1, 2020 à 9:30", "May 1, 2020 à",
        "May 1, 2020 at    9:30", "May 1, 2020    9:30", "May 1, 2020 at 123:30",
        "May 1, 2020 9:3", "May 1, 2020 9:300", "May 1, 2020 9:30  PM", "May 1, 2020 9:30 p.m.",
        "May 1, 2020 9:30 P.x", "May 1, 2020 9:30pm.", "1 мая 2020 г. в 9:30", "1 мая 2020 о 9:30",
        "2019年7月20日 9:30", "May 1, 2020 saat 9:30", "May 1, 2020 atx 9:30",
        # search: a date after one that no calendar has, and dates that overlap
        "May 32, 2020 and June 1, 2020", "Posted 13 maggio 2017", "February 30, 2022June 1, 2020",
        "1 1 May 2020", "x2019年7月20日", "", "no date here",
        # search: a run past a bound that a match would swallow, and a date starting inside it
        "xpaździernika 1, 2020", "ab_May 1, 2020", "12May 1, 2020", "May 1, 202 May 2020",
        "2019年123月20日 12.05 May 2020", "May 1, 2020 at9:30", "1 мая 2020 г. в9:30",
    ],
)  # fmt: skip
def test_the_compiled_reader_at_the_pattern_s_limits(text):
    assert_read_alike(text)
    for end in range(len(text) + 1):
        assert dates.match_date(text, 0, end) == reference_match_date(text, 0, end), end


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"May 1, 2020",), TypeError),
        (("May 1, 2020", "0"), TypeError),
        (("May 1, 2020", 0, "11"), TypeError),
        ((), TypeError),
    ],
)
def test_the_compiled_reader_refuses_what_the_python_one_cannot_take(arguments, error):
    with pytest.raises(error):
        _dates.match_date(*arguments)
    with pytest.raises(TypeError):
        _dates.search_date(b"May 1, 2020")


def test_the_compiled_reader_refuses_years_of_posts_past_four_digits():
    # It writes "YYYY" in place, so it reads the years of posts once, at its first date, and
    # refuses bounds past four digits; a child process, so that its first date is this one.
    child = (
        "from archiver.scan import dates\n"
        "dates.LAST_YEAR = 10000\n"
        "try:\n"
        "    dates.match_date('May 1, 2020')\n"
        "except ValueError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "FIRST_YEAR and LAST_YEAR must have four digits" in done.stdout
