/* The <a> elements of a stretch of HTML, their links and their text, read on the string's code
 * points: shared by _anchors.c (html.py's anchors, for Python) and _flattened.c (a flattened
 * attribution's status URL and links, read in place).
 *
 * html.py's reference_anchors is the rule and its documentation; this is the same reading on the
 * string's code points instead of through _ANCHOR.finditer, _HREF, _TAGS and links.trim_link
 * (issue 17: each flattened attribution in a page reads its anchors twice, for its status URL
 * and for its post's links). tests/test_scan_anchors_compiled.py holds the two to the same
 * anchors, and benchmarks/scan_compare.py to the same records. What the patterns do, read off
 * them:
 * - _ANCHOR sees nothing past the stretch's end plus the slack (finditer's endpos). Its "a" is
 *   an ASCII letter in either case (re folds no other character to it); \b after it needs a
 *   character that is not a word character (Py_UNICODE_ISALNUM or "_") or the endpos. Its
 *   attributes are a run of at most 4,000 characters without "<" or ">", closed by ">"; its text
 *   the shortest run, of at most 2,000 characters, before "</a\s*>". A "<" where no anchor
 *   matches is passed over; the search resumes after each match.
 * - _HREF is searched in the attributes alone (their start is a boundary): "href" in any ASCII
 *   case after a non-word character, \s*=\s*, and a value quoted (closed) or bare; where that
 *   fails, the search goes on at the next character.
 * - _TAGS drops each "<", run of at most 4,000 characters without "<" or ">", ">" from the text
 *   (whose 2,000 characters never reach that limit).
 * - html.unescape (called for a string holding "&") decodes the link and the text; the link is
 *   then stripped (str.strip's Py_UNICODE_ISSPACE) and trimmed as links.trim_link trims it.
 */
#ifndef ARCHIVER_SCAN_ANCHOR_READING_H
#define ARCHIVER_SCAN_ANCHOR_READING_H

#include "_code_points.h"
#include "_html_unescape.h"

#define MAX_ATTRIBUTES 4000
#define MAX_TEXT 2000
#define MAX_TAG 4000 /* html._TAGS' run */
#define MAX_LINK 2000 /* links._MAX_LINK */

/* links._TRAILING_PUNCTUATION */
static const Py_UCS4 TRAILING_PUNCTUATION[] = {
    '.', ',', ';', ':', '!', '?', 0x2026, '\'', '"', ')', ']', '}', 0xBB, 0x201D, 0x2019, 0,
};

static inline int
is_word(Py_UCS4 c)
{
    return Py_UNICODE_ISALNUM(c) || c == '_';
}

static inline int
is_a(Py_UCS4 c)
{
    return c == 'a' || c == 'A';
}

/* Where the run of characters other than "<" and ">" from pos, of at most longest of them,
 * closes with ">" before end: that ">"'s index, else -1. */
static Py_ssize_t
closing_bracket(const Text *text, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t longest)
{
    Py_ssize_t i = pos;
    while (i < end && i - pos < longest && at(text, i) != '<' && at(text, i) != '>') {
        i++;
    }
    return i < end && at(text, i) == '>' ? i : -1;
}

typedef struct {
    Py_ssize_t start, attributes_end, text_end, end; /* the attributes from start + 2 */
} Anchor;

/* _ANCHOR.match at text[pos], within end: 0 with anchor read, else -1. */
static int
anchor_at(const Text *text, Py_ssize_t pos, Py_ssize_t end, Anchor *anchor)
{
    if (pos + 1 >= end || at(text, pos) != '<' || !is_a(at(text, pos + 1)) ||
        (pos + 2 < end && is_word(at(text, pos + 2)))) {
        return -1;
    }
    Py_ssize_t close = closing_bracket(text, pos + 2, end, MAX_ATTRIBUTES);
    if (close < 0) {
        return -1;
    }
    /* the "</a" that closes it starts at most MAX_TEXT characters after the ">" */
    Py_ssize_t limit = end - (close + 1) > MAX_TEXT + 1 ? close + 1 + MAX_TEXT + 1 : end;
    for (Py_ssize_t i = find_code_point(text, '<', close + 1, limit); i != -1;
         i = find_code_point(text, '<', i + 1, limit)) {
        if (!starts_with(text, i, end, "</") || i + 2 >= end || !is_a(at(text, i + 2))) {
            continue;
        }
        Py_ssize_t j = i + 3;
        while (j < end && Py_UNICODE_ISSPACE(at(text, j))) {
            j++;
        }
        if (j < end && at(text, j) == '>') {
            *anchor = (Anchor){pos, close, i, j + 1};
            return 0;
        }
    }
    return -1;
}

/* _HREF.search in text[start:end]: 0 with the value's span read, else -1. */
static int
href_value(const Text *text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t *value_start,
           Py_ssize_t *value_end)
{
    for (Py_ssize_t pos = start; pos + 4 <= end; pos++) {
        int is_href = (pos == start || !is_word(at(text, pos - 1)));
        for (int k = 0; is_href && k < 4; k++) {
            Py_UCS4 c = at(text, pos + k);
            is_href = c < 0x80 && (c | 0x20) == (Py_UCS4) "href"[k];
        }
        if (!is_href) {
            continue;
        }
        Py_ssize_t i = pos + 4;
        while (i < end && Py_UNICODE_ISSPACE(at(text, i))) {
            i++;
        }
        if (i >= end || at(text, i) != '=') {
            continue;
        }
        for (i++; i < end && Py_UNICODE_ISSPACE(at(text, i)); i++) {
        }
        if (i >= end) {
            continue;
        }
        Py_UCS4 quote = at(text, i);
        if (quote == '"' || quote == '\'') {
            Py_ssize_t close = i + 1;
            while (close < end && at(text, close) != quote) {
                close++;
            }
            if (close < end) {
                *value_start = i + 1;
                *value_end = close;
                return 0;
            }
            continue;
        }
        Py_ssize_t bare = i;
        while (bare < end && !Py_UNICODE_ISSPACE(at(text, bare)) && at(text, bare) != '"' &&
               at(text, bare) != '\'' && at(text, bare) != '>') {
            bare++;
        }
        if (bare > i) {
            *value_start = i;
            *value_end = bare;
            return 0;
        }
    }
    return -1;
}

/* value as html.unescape gives it: value itself, a new reference, when it holds no "&". */
static PyObject *
unescaped(PyObject *value)
{
    if (value == NULL) {
        return NULL;
    }
    Py_ssize_t ampersand = PyUnicode_FindChar(value, '&', 0, PyUnicode_GET_LENGTH(value), 1);
    if (ampersand == -1) {
        return value;
    }
    PyObject *decoded = ampersand == -2 ? NULL : PyObject_CallOneArg(unescape_function, value);
    Py_DECREF(value);
    return decoded;
}

/* The anchor's text: text[start:end] without its tags (_TAGS.sub), unescaped. */
static PyObject *
anchor_text(PyObject *source, const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *kept = PyList_New(0);
    Py_ssize_t piece = start;
    for (Py_ssize_t i = start; kept != NULL && i < end; i++) {
        Py_ssize_t close = at(text, i) == '<' ? closing_bracket(text, i + 1, end, MAX_TAG) : -1;
        if (close < 0) {
            continue;
        }
        PyObject *before = PyUnicode_Substring(source, piece, i);
        if (before == NULL || PyList_Append(kept, before) < 0) {
            Py_CLEAR(kept);
        }
        Py_XDECREF(before);
        piece = close + 1;
        i = close;
    }
    PyObject *joined = NULL;
    if (kept != NULL && PyList_GET_SIZE(kept) == 0) {
        joined = PyUnicode_Substring(source, start, end);
    }
    else if (kept != NULL) {
        PyObject *rest = PyUnicode_Substring(source, piece, end);
        PyObject *empty = PyUnicode_New(0, 0);
        if (rest != NULL && empty != NULL && PyList_Append(kept, rest) == 0) {
            joined = PyUnicode_Join(empty, kept);
        }
        Py_XDECREF(rest);
        Py_XDECREF(empty);
    }
    Py_XDECREF(kept);
    return unescaped(joined);
}

/* links.trim_link(link.strip()). */
static PyObject *
trimmed_link(PyObject *link)
{
    if (link == NULL) {
        return NULL;
    }
    Text view = {PyUnicode_KIND(link), PyUnicode_DATA(link), PyUnicode_GET_LENGTH(link)};
    Py_ssize_t start = 0, end = view.length;
    while (start < end && Py_UNICODE_ISSPACE(at(&view, start))) {
        start++;
    }
    while (end > start && Py_UNICODE_ISSPACE(at(&view, end - 1))) {
        end--;
    }
    if (end - start > MAX_LINK) {
        end = start + MAX_LINK;
    }
    Py_ssize_t opening = 0, closing = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        opening += at(&view, i) == '(';
        closing += at(&view, i) == ')';
    }
    while (end > start && is_one_of(at(&view, end - 1), TRAILING_PUNCTUATION)) {
        if (at(&view, end - 1) == ')') {
            if (opening >= closing) {
                break;
            }
            closing--;
        }
        end--;
    }
    PyObject *trimmed = PyUnicode_Substring(link, start, end);
    Py_DECREF(link);
    return trimmed;
}


/* A reading of the <a> elements that open in source[start:end] (and close within its slack), as
 * reference_anchors' finditer reads them */
typedef struct {
    Text text;
    Py_ssize_t pos, endpos, end;
} AnchorReading;

static void
start_anchors(AnchorReading *reading, PyObject *source, Py_ssize_t start, Py_ssize_t end,
              Py_ssize_t slack)
{
    /* as finditer's pos and endpos: each held to the source */
    Py_ssize_t length = PyUnicode_GET_LENGTH(source);
    Py_ssize_t endpos = end > length - slack ? length : end + slack;
    *reading = (AnchorReading){{PyUnicode_KIND(source), PyUnicode_DATA(source), length},
                               start < 0 ? 0 : start, endpos < 0 ? 0 : endpos, end};
}

/* The next anchor that has an href: 1 with ``anchor`` and its href's value's span read, 0 when
 * none is left */
static int
next_anchor(AnchorReading *reading, Anchor *anchor, Py_ssize_t *value_start, Py_ssize_t *value_end)
{
    while (reading->pos < reading->endpos) {
        Py_ssize_t pos = find_code_point(&reading->text, '<', reading->pos, reading->endpos);
        if (pos == -1) {
            break;
        }
        if (anchor_at(&reading->text, pos, reading->endpos, anchor) < 0) {
            reading->pos = pos + 1;
            continue;
        }
        if (anchor->start >= reading->end) {
            break;
        }
        reading->pos = anchor->end;
        if (href_value(&reading->text, anchor->start + 2, anchor->attributes_end, value_start,
                       value_end) == 0) {
            return 1;
        }
    }
    reading->pos = reading->endpos;
    return 0;
}

/* The href of an anchor whose value is source[value_start:value_end]: a new str, or NULL with an
 * exception set */
static PyObject *
anchor_href(PyObject *source, Py_ssize_t value_start, Py_ssize_t value_end)
{
    return trimmed_link(unescaped(PyUnicode_Substring(source, value_start, value_end)));
}

/* The text of an anchor read from ``text`` (source's): a new str, or NULL with an exception set */
static PyObject *
anchor_visible_text(PyObject *source, const Text *text, const Anchor *anchor)
{
    return anchor_text(source, text, anchor->attributes_end + 1, anchor->text_end);
}

#endif
