/* A widget date read in C: dates.DATE matched at one position, and dates.date_iso of the match.
 * _dates.c (match_date, search_date) and _attributions.c (an attribution's tail) share it.
 *
 * dates.py's DATE_PATTERN, date_iso and _calendar_date are the rule and its documentation
 * (tests/test_scan_dates_compiled.py holds this reader to the same answers). The pattern read
 * as re runs it, one function per alternative, in the pattern's order:
 * each run of digits, letters or spaces is taken greedily up to its bound, and what follows it
 * is never a character of the run, so that giving some back never lets a match go on; where an
 * optional "de" or time word may still fail after it matched, the rest is tried without it,
 * as re backtracks. re's classes on a str: \d is Py_UNICODE_ISDECIMAL, \w
 * Py_UNICODE_ISALNUM or "_"; int() reads each decimal digit as Py_UNICODE_TODECIMAL does.
 * The month names and the years come from dates.py (MONTH_NUMBERS, FIRST_YEAR, LAST_YEAR) at
 * the first call, so that they are written in one place.
 */
#ifndef ARCHIVER_SCAN_DATES_H
#define ARCHIVER_SCAN_DATES_H

#include "_code_points.h"

#define MONTH_LETTERS_LEAST 3 /* dates._MONTH, [^\W\d_]{3,12} */
#define MONTH_LETTERS_MOST 12
#define DATE_SPACES_MOST 3 /* dates._S{1,3} */

/* A match of dates.DATE: where it ends (after its time, if any), and what date_iso reads. */
typedef struct {
    Py_ssize_t end;
    Py_ssize_t month_start, month_end; /* the month's name without its dot; -1 if in digits */
    long year, month, day;             /* month only when written in digits */
} DateFields;

static inline int
is_date_space(Py_UCS4 c) /* dates._S, [ \t\xa0\u202f] */
{
    return c == ' ' || c == '\t' || c == 0xA0 || c == 0x202F;
}

static inline int
is_month_letter(Py_UCS4 c) /* [^\W\d_]: \w without its "_", which is no alphanumeric */
{
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* _S{least,most} at text[pos], the text ending at end: the position after it, or -1. */
static Py_ssize_t
date_spaces(const Text *text, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t least, Py_ssize_t most)
{
    Py_ssize_t count = 0;
    while (pos + count < end && count <= most && is_date_space(at(text, pos + count))) {
        count++;
    }
    return count >= least && count <= most ? pos + count : -1;
}

/* \d{least,most} at text[pos], greedy: the position after it and its value in *value (when not
 * NULL), or -1. */
static Py_ssize_t
decimal_number(const Text *text, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t least,
               Py_ssize_t most, long *value)
{
    Py_ssize_t count = 0;
    long number = 0;
    while (pos + count < end && count < most && Py_UNICODE_ISDECIMAL(at(text, pos + count))) {
        number = number * 10 + Py_UNICODE_TODECIMAL(at(text, pos + count));
        count++;
    }
    if (count < least) {
        return -1;
    }
    if (value != NULL) {
        *value = number;
    }
    return pos + count;
}

static inline int
code_point_at(const Text *text, Py_ssize_t pos, Py_ssize_t end, Py_UCS4 c)
{
    return pos < end && at(text, pos) == c;
}

/* Whether the code points of word (ended by 0) start at text[pos], before end. */
static int
word_at(const Text *text, Py_ssize_t pos, Py_ssize_t end, const Py_UCS4 *word)
{
    for (; *word; word++, pos++) {
        if (!code_point_at(text, pos, end, *word)) {
            return 0;
        }
    }
    return 1;
}

/* dates._MONTH, [^\W\d_]{3,12}\.?, its letters' span in *fields: the position after it, or -1 */
static Py_ssize_t
month_name(const Text *text, Py_ssize_t pos, Py_ssize_t end, DateFields *fields)
{
    Py_ssize_t letters_end = pos;
    while (letters_end < end && letters_end - pos < MONTH_LETTERS_MOST &&
           is_month_letter(at(text, letters_end))) {
        letters_end++;
    }
    if (letters_end - pos < MONTH_LETTERS_LEAST) {
        return -1;
    }
    fields->month_start = pos;
    fields->month_end = letters_end;
    return code_point_at(text, letters_end, end, '.') ? letters_end + 1 : letters_end;
}

/* (?:de_S{1,3}) at text[pos]: the position after it, or -1 */
static Py_ssize_t
de_word(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    return starts_with(text, pos, end, "de") ? date_spaces(text, pos + 2, end, 1, DATE_SPACES_MOST)
                                             : -1;
}

/* The first alternative, "February 25, 2022":
 * (?P<m1>_MONTH)_S{1,3}(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?_S{1,3}(?P<y1>\d{4}) */
static Py_ssize_t
month_day_year(const Text *text, Py_ssize_t pos, Py_ssize_t end, DateFields *fields)
{
    static const char *const ORDINALS[] = {"st", "nd", "rd", "th", NULL};
    if ((pos = month_name(text, pos, end, fields)) == -1 ||
        (pos = date_spaces(text, pos, end, 1, DATE_SPACES_MOST)) == -1 ||
        (pos = decimal_number(text, pos, end, 1, 2, &fields->day)) == -1) {
        return -1;
    }
    for (const char *const *ordinal = ORDINALS; *ordinal; ordinal++) {
        if (starts_with(text, pos, end, *ordinal)) {
            pos += 2;
            break;
        }
    }
    pos += code_point_at(text, pos, end, ',');
    if ((pos = date_spaces(text, pos, end, 1, DATE_SPACES_MOST)) == -1) {
        return -1;
    }
    return decimal_number(text, pos, end, 4, 4, &fields->year);
}

/* The second alternative's end: (?P<y2>\d{4})(?:_S?[гр]\.)? */
static Py_ssize_t
year_and_abbreviation(const Text *text, Py_ssize_t pos, Py_ssize_t end, DateFields *fields)
{
    if ((pos = decimal_number(text, pos, end, 4, 4, &fields->year)) == -1) {
        return -1;
    }
    Py_ssize_t letter = date_spaces(text, pos, end, 0, 1);
    if (letter != -1 && (code_point_at(text, letter, end, 0x433) || /* г */
                         code_point_at(text, letter, end, 0x440)) && /* р */
        code_point_at(text, letter + 1, end, '.')) {
        return letter + 2;
    }
    return pos;
}

/* The second alternative from its month on: (?P<m2>_MONTH),?_S{1,3}(?:de_S{1,3})? and the year */
static Py_ssize_t
month_and_year(const Text *text, Py_ssize_t pos, Py_ssize_t end, DateFields *fields)
{
    if ((pos = month_name(text, pos, end, fields)) == -1) {
        return -1;
    }
    pos += code_point_at(text, pos, end, ',');
    if ((pos = date_spaces(text, pos, end, 1, DATE_SPACES_MOST)) == -1) {
        return -1;
    }
    Py_ssize_t after_de = de_word(text, pos, end), found = -1;
    if (after_de != -1) {
        found = year_and_abbreviation(text, after_de, end, fields);
    }
    return found != -1 ? found : year_and_abbreviation(text, pos, end, fields);
}

/* The second alternative, "25 février 2022", "26 de diciembre de 2022":
 * (?P<d2>\d{1,2})(?:\.|er|º)?_S{1,3}(?:de_S{1,3})? and the month and year */
static Py_ssize_t
day_month_year(const Text *text, Py_ssize_t pos, Py_ssize_t end, DateFields *fields)
{
    if ((pos = decimal_number(text, pos, end, 1, 2, &fields->day)) == -1) {
        return -1;
    }
    if (code_point_at(text, pos, end, '.') || code_point_at(text, pos, end, 0xBA)) { /* º */
        pos++;
    }
    else if (starts_with(text, pos, end, "er")) {
        pos += 2;
    }
    if ((pos = date_spaces(text, pos, end, 1, DATE_SPACES_MOST)) == -1) {
        return -1;
    }
    Py_ssize_t after_de = de_word(text, pos, end), found = -1;
    if (after_de != -1) {
        found = month_and_year(text, after_de, end, fields);
    }
    return found != -1 ? found : month_and_year(text, pos, end, fields);
}

/* The third and fourth alternatives, "2019年7月20日" and "2022년 2월 25일", marks their three
 * signs: (?P<y>\d{4})年_S?(?P<mo>\d{1,2})月_S?(?P<d>\d{1,2})日 */
static Py_ssize_t
year_month_day(const Text *text, Py_ssize_t pos, Py_ssize_t end, const Py_UCS4 marks[3],
               DateFields *fields)
{
    fields->month_start = -1;
    long *numbers[] = {&fields->year, &fields->month, &fields->day};
    for (int i = 0; i < 3; i++) {
        if (i > 0 && (pos = date_spaces(text, pos, end, 0, 1)) == -1) {
            return -1;
        }
        pos = decimal_number(text, pos, end, i == 0 ? 4 : 1, i == 0 ? 4 : 2, numbers[i]);
        if (pos == -1 || !code_point_at(text, pos, end, marks[i])) {
            return -1;
        }
        pos++;
    }
    return pos;
}

/* A clock time: \d{1,2}[:.]\d{2}(?:_S?[AaPp]\.?[Mm]\.?)? */
static Py_ssize_t
clock_time(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    if ((pos = decimal_number(text, pos, end, 1, 2, NULL)) == -1 ||
        !(code_point_at(text, pos, end, ':') || code_point_at(text, pos, end, '.')) ||
        (pos = decimal_number(text, pos + 1, end, 2, 2, NULL)) == -1) {
        return -1;
    }
    Py_ssize_t meridiem = date_spaces(text, pos, end, 0, 1);
    if (meridiem == -1 ||
        !(code_point_at(text, meridiem, end, 'A') || code_point_at(text, meridiem, end, 'a') ||
          code_point_at(text, meridiem, end, 'P') || code_point_at(text, meridiem, end, 'p'))) {
        return pos;
    }
    meridiem++;
    meridiem += code_point_at(text, meridiem, end, '.');
    if (!(code_point_at(text, meridiem, end, 'M') || code_point_at(text, meridiem, end, 'm'))) {
        return pos;
    }
    meridiem++;
    return meridiem + code_point_at(text, meridiem, end, '.');
}

/* The time after a date: (?:,?_S{1,3}(?:_TIME_WORDS_S{1,3})?clock)?, its end or -1.
 * _TIME_WORDS' "a[ ]las" has one plain space, the only space it takes. */
static Py_ssize_t
time_of_day(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    static const Py_UCS4 TIME_WORDS[][6] = {
        {'a', 't'}, {'u', 'm'}, {0xE0}, {'a', ' ', 'l', 'a', 's'}, {'a', 'l', 'l', 'e'},
        {0xE0, 's'}, {'o', 'm'}, {'s', 'a', 'a', 't'}, {0x432}, {0x43E}, /* à, в, о */
    };
    pos += code_point_at(text, pos, end, ',');
    if ((pos = date_spaces(text, pos, end, 1, DATE_SPACES_MOST)) == -1) {
        return -1;
    }
    for (size_t i = 0; i < sizeof TIME_WORDS / sizeof *TIME_WORDS; i++) {
        if (word_at(text, pos, end, TIME_WORDS[i])) {
            Py_ssize_t word_end = pos;
            while (TIME_WORDS[i][word_end - pos]) {
                word_end++;
            }
            Py_ssize_t clock = date_spaces(text, word_end, end, 1, DATE_SPACES_MOST);
            if (clock != -1 && (clock = clock_time(text, clock, end)) != -1) {
                return clock;
            }
        }
    }
    return clock_time(text, pos, end);
}

/* dates.DATE.match(text, pos, end) for 0 <= pos and end <= len(text): 1 with *fields filled, or 0 */
static int
match_date_at(const Text *text, Py_ssize_t pos, Py_ssize_t end, DateFields *fields)
{
    static const Py_UCS4 CHINESE[3] = {0x5E74, 0x6708, 0x65E5}; /* 年 月 日 */
    static const Py_UCS4 KOREAN[3] = {0xB144, 0xC6D4, 0xC77C};  /* 년 월 일 */
    Py_ssize_t date_end = month_day_year(text, pos, end, fields);
    if (date_end == -1) {
        date_end = day_month_year(text, pos, end, fields);
    }
    if (date_end == -1) {
        date_end = year_month_day(text, pos, end, CHINESE, fields);
    }
    if (date_end == -1) {
        date_end = year_month_day(text, pos, end, KOREAN, fields);
    }
    if (date_end == -1) {
        return 0;
    }
    Py_ssize_t time_end = time_of_day(text, date_end, end);
    fields->end = time_end == -1 ? date_end : time_end;
    return 1;
}

/* What the date's reading takes from dates.py, at the first call. */
static PyObject *month_numbers; /* MONTH_NUMBERS */
static long first_year, last_year;
static PyObject *s_lower;

static int
fetch_date_rules(void)
{
    if (month_numbers != NULL) {
        return 0;
    }
    if (s_lower == NULL && (s_lower = PyUnicode_InternFromString("lower")) == NULL) {
        return -1;
    }
    PyObject *dates = PyImport_ImportModule("archiver.scan.dates");
    if (dates == NULL) {
        return -1;
    }
    PyObject *numbers = PyObject_GetAttrString(dates, "MONTH_NUMBERS");
    PyObject *first = PyObject_GetAttrString(dates, "FIRST_YEAR");
    PyObject *last = PyObject_GetAttrString(dates, "LAST_YEAR");
    Py_DECREF(dates);
    int ok = numbers != NULL && first != NULL && last != NULL;
    if (ok && !PyDict_Check(numbers)) {
        PyErr_SetString(PyExc_TypeError, "archiver.scan.dates.MONTH_NUMBERS must be a dict");
        ok = 0;
    }
    if (ok) {
        first_year = PyLong_AsLong(first);
        last_year = PyLong_AsLong(last);
        ok = !PyErr_Occurred();
    }
    if (ok && (first_year < 0 || last_year > 9999)) {
        PyErr_SetString(PyExc_ValueError,
                        "archiver.scan.dates.FIRST_YEAR and LAST_YEAR must have four digits");
        ok = 0;
    }
    Py_XDECREF(first);
    Py_XDECREF(last);
    if (!ok) {
        Py_XDECREF(numbers);
        return -1;
    }
    month_numbers = numbers;
    return 0;
}

/* MONTH_NUMBERS.get(text[start:end].lower()): 1 with *month, 0 for None, -1 with an exception */
static int
month_number(PyObject *text_object, Py_ssize_t start, Py_ssize_t end, long *month)
{
    PyObject *name = PyUnicode_Substring(text_object, start, end);
    if (name == NULL) {
        return -1;
    }
    PyObject *lower = PyObject_CallMethodNoArgs(name, s_lower);
    Py_DECREF(name);
    if (lower == NULL) {
        return -1;
    }
    PyObject *number = PyDict_GetItemWithError(month_numbers, lower); /* borrowed */
    Py_DECREF(lower);
    if (number == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    *month = PyLong_AsLong(number);
    return *month == -1 && PyErr_Occurred() ? -1 : 1;
}

static int
days_in_month(long year, long month)
{
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return month == 2 && leap ? 29 : DAYS[month - 1];
}

/* dates.date_iso of the match in *fields, read in text_object (fetch_date_rules called): a new
 * "YYYY-MM-DD", None, or NULL with an exception set. */
static PyObject *
date_iso_of(PyObject *text_object, const DateFields *fields)
{
    long month = fields->month;
    if (fields->month_start != -1) {
        int found = month_number(text_object, fields->month_start, fields->month_end, &month);
        if (found != 1) {
            return found == 0 ? Py_NewRef(Py_None) : NULL;
        }
    }
    /* _calendar_date: the years of posts, and a day that dt.date takes */
    if (fields->year < first_year || fields->year > last_year || month < 1 || month > 12 ||
        fields->day < 1 || fields->day > days_in_month(fields->year, month)) {
        Py_RETURN_NONE;
    }
    /* four digits of year (fetch_date_rules checked the years of posts): written in place */
    long year = fields->year;
    char iso[10] = {(char)('0' + year / 1000),     (char)('0' + year / 100 % 10),
                    (char)('0' + year / 10 % 10),  (char)('0' + year % 10),
                    '-',                           (char)('0' + month / 10),
                    (char)('0' + month % 10),      '-',
                    (char)('0' + fields->day / 10), (char)('0' + fields->day % 10)};
    return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, iso, sizeof iso);
}

#endif
