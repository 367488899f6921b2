"""Dates as embed widgets write them, in many languages -> ``YYYY-MM-DD``.

The widget writes the date in its own language (``data-lang``), not the post's:
``February 25, 2022``, ``25 février 2022``, ``17. August 2018``, ``26 de diciembre de 2022``,
``25 февраля 2022 г.``, ``2019年7月20日``; Bluesky adds a time (``January 8, 2025 at 11:00 PM``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

from archiver.lazy_pattern import LazyPattern

# Month names and abbreviations, lower-case, by month number. Russian, Ukrainian and Polish
# widgets write the genitive ("25 февраля"); the nominative is listed too for hand-written dates.
_MONTHS: dict[int, str] = {  # month number -> its names, space-separated
    1: (
        "january jan "  # en
        "januar jänner "  # de
        "janvier janv "  # fr
        "enero ene "  # es
        "gennaio gen "  # it
        "janeiro "  # pt
        "januari "  # nl
        "ocak "  # tr
        "января январь янв "  # ru
        "січня січень січ "  # uk
        "stycznia styczeń sty"  # pl
    ),
    2: (
        "february feb febr "
        "februar feber "
        "février fevrier févr fevr "
        "febrero "
        "febbraio "
        "fevereiro fev "
        "februari "
        "şubat subat "
        "февраля февраль фев февр "
        "лютого лютий лют "
        "lutego luty lut"
    ),
    3: (
        "march mar "
        "märz maerz mär mrz "
        "mars "
        "marzo "
        "março marco "
        "maart mrt "
        "mart "
        "марта март мар "
        "березня березень бер "
        "marca marzec"
    ),
    4: (
        "april apr "
        "avril avr "
        "abril abr "
        "aprile "
        "nisan "
        "апреля апрель апр "
        "квітня квітень квіт кві "
        "kwietnia kwiecień kwi"
    ),
    5: ("may mai mayo maggio mag maio mei mayıs mayis мая май травня травень трав тра maja maj"),
    6: (
        "june jun "
        "juni "
        "juin "
        "junio "
        "giugno giu "
        "junho "
        "haziran "
        "июня июнь июн "
        "червня червень черв чер "
        "czerwca czerwiec cze"
    ),
    7: (
        "july jul "
        "juli "
        "juillet juil "
        "julio "
        "luglio lug "
        "julho "
        "temmuz "
        "июля июль июл "
        "липня липень лип "
        "lipca lipiec lip"
    ),
    8: (
        "august aug "
        "août aout "
        "agosto ago "
        "augustus "
        "ağustos agustos "
        "августа август авг "
        "серпня серпень серп сер "
        "sierpnia sierpień sie"
    ),
    9: (
        "september sep sept "
        "septembre "
        "septiembre setiembre "
        "settembre set "
        "setembro "
        "eylül eylul "
        "сентября сентябрь сен сент "
        "вересня вересень вер "
        "września wrzesień wrz"
    ),
    10: (
        "october oct "
        "oktober okt "
        "octobre "
        "octubre "
        "ottobre ott "
        "outubro out "
        "ekim "
        "октября октябрь окт "
        "жовтня жовтень жовт жов "
        "października październik paź"
    ),
    11: (
        "november nov "
        "novembre "
        "noviembre "
        "novembro "
        "kasım kasim "
        "ноября ноябрь ноя нояб "
        "листопада листопад лист лис "
        "listopada listopad lis"
    ),
    12: (
        "december dec "
        "dezember dez "
        "décembre decembre déc "
        "diciembre dic "
        "dicembre "
        "dezembro "
        "aralık aralik "
        "декабря декабрь дек "
        "грудня грудень груд гру "
        "grudnia grudzień gru"
    ),
}
MONTH_NUMBERS: dict[str, int] = {
    name: number for number, names in _MONTHS.items() for name in names.split()
}

# Posts exist from 2006 (the first tweet) on; a year outside this range is not a post date.
FIRST_YEAR, LAST_YEAR = 2006, 2099

_S = r"[ \t\xa0\u202f]"  # spaces, including the no-break spaces some locales put in dates
_MONTH = r"[^\W\d_]{3,12}\.?"
# "a[ ]las": DATE is compiled with re.VERBOSE, which drops a bare space ("a las" would read "alas").
_TIME_WORDS = r"(?:at|um|à|a[ ]las|alle|às|om|saat|в|о)"
# The pattern's source, so that a longer pattern can end with it (text.py's attribution tail).
DATE_PATTERN = rf"""
    (?:
        (?P<m1>{_MONTH}){_S}{{1,3}}(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?{_S}{{1,3}}(?P<y1>\d{{4}})
      | (?P<d2>\d{{1,2}})(?:\.|er|º)?{_S}{{1,3}}(?:de{_S}{{1,3}})?(?P<m2>{_MONTH}),?{_S}{{1,3}}
        (?:de{_S}{{1,3}})?(?P<y2>\d{{4}})(?:{_S}?[гр]\.)?
      | (?P<y3>\d{{4}})年{_S}?(?P<mo3>\d{{1,2}})月{_S}?(?P<d3>\d{{1,2}})日
      | (?P<y4>\d{{4}})년{_S}?(?P<mo4>\d{{1,2}})월{_S}?(?P<d4>\d{{1,2}})일
    )
    (?:,?{_S}{{1,3}}(?:{_TIME_WORDS}{_S}{{1,3}})?\d{{1,2}}[:.]\d{{2}}(?:{_S}?[AaPp]\.?[Mm]\.?)?)?
    """
DATE = LazyPattern(DATE_PATTERN, re.VERBOSE)  # read in C where _dates.c is built
_DATE_GROUPS = ("m1", "d1", "y1", "d2", "m2", "y2", "y3", "mo3", "d3", "y4", "mo4", "d4")


class DateMatch(NamedTuple):
    iso: str  # YYYY-MM-DD
    start: int
    end: int


def reference_match_date(text: str, pos: int = 0, endpos: int | None = None) -> DateMatch | None:
    """The widget date that starts exactly at ``text[pos]``, or None.

    >>> reference_match_date("25 février 2022")
    DateMatch(iso='2022-02-25', start=0, end=15)

    The rule in Python: ``match_date`` is the same rule compiled (_dates.c) wherever the
    install could build it, this one elsewhere.
    """
    match = DATE.match(text, pos, len(text) if endpos is None else endpos)
    if match is None:
        return None
    iso = date_iso(match)
    return DateMatch(iso, match.start(), match.end()) if iso else None


def reference_search_date(text: str) -> DateMatch | None:
    """The first widget date anywhere in ``text`` (a short string, such as a link's text).

    The rule in Python: ``search_date`` is the same rule compiled (_dates.c) wherever the
    install could build it, this one elsewhere.
    """
    for match in DATE.finditer(text):
        if iso := date_iso(match):
            return DateMatch(iso, match.start(), match.end())
    return None


def date_iso(match: re.Match[str]) -> str | None:
    """``YYYY-MM-DD`` of a match of a pattern holding DATE_PATTERN; None if no calendar has it."""
    m1, d1, y1, d2, m2, y2, y3, mo3, d3, y4, mo4, d4 = match.group(*_DATE_GROUPS)
    if m1 or m2:
        month = MONTH_NUMBERS.get((m1 or m2).rstrip(".").lower())
        return _calendar_date(y1 or y2, month, d1 or d2) if month else None
    return _calendar_date(y3 or y4, int(mo3 or mo4), d3 or d4)


@functools.lru_cache(maxsize=4096)
def cached_date_iso(date_text: str) -> str | None:
    """``date_iso`` of a date that a pattern holding DATE_PATTERN matched as ``date_text``.

    The same date strings recur, so their answers are kept. DATE alone reads ``date_text`` the
    way the longer pattern did: the first way that matches wins, and no lookaround reads past it.
    """
    match = DATE.match(date_text)
    return None if match is None else date_iso(match)


@functools.lru_cache(maxsize=4096)
def _calendar_date(year: str, month: int, day: str) -> str | None:
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return None
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


try:
    from archiver.scan._dates import match_date, search_date
except ImportError:  # installed without a C compiler: the same rules, in Python
    match_date = reference_match_date
    search_date = reference_search_date
