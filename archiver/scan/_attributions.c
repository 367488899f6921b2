/* A flattened attribution read in C: the loop over the "(@" anchors, the dash that opens an
 * attribution and the display name after it, and the records plain.py makes of them.
 *
 * text.py's reference_find_attributions and reference_dash_and_name are the rules and their
 * documentation (tests/test_scan_attributions_compiled.py holds the loop to the same answers).
 * The dash and the name are the same rule on
 * the string's code points instead of through re and str calls (issue 17: the tail, the dash and
 * the name were a sixth of the text scanner's time at a post per kB, docs/benchmarks.md). The
 * patterns it reads as loops, as re runs them:
 * _STRONG_DASH, (?s:.*)[—–―‒] matched from the line's start: the rightmost of the four dashes.
 * _HYPHEN, (?s:.*)(?<!-)(?P<dash>-)(?=[ \t\xa0\u202f]) matched from the line's start to the
 * anchor: the rightmost hyphen not after a hyphen and before one of the four spaces. re's
 * lookbehind reads the string before the match's start, its lookahead nothing from its end on.
 * _POST_LINK, pic\.(?:twitter|x)\.com/|t\.co/: one of its three literals in the name.
 * tests/test_scan_dash_compiled.py holds the two to the same answers, and
 * benchmarks/scan_compare.py to the same records.
 * The loop reaches each "(@" with memchr (wmemchr in wide strings) and reads _ATTRIBUTION_TAIL
 * there in C, its date with _dates.h (dates.DATE and date_iso): re's search read the text a code
 * point at a time, and re's match object and date_iso were a third of the loop (issue 17). Only a
 * date in brackets, a Markdown link to the post, is read on in Python (_MARKDOWN_LINK_TAIL).
 * has_attribution_tail is the same reading of the tail at one anchor (html.py's cheap test,
 * called from _flattened.c without a Python frame).
 * attribution_embed and attribution_embeds build plain.py's Embed records, calling back into
 * Python only for a post's links and a status URL (plain.attribution_embed and
 * plain.reference_attribution_embeds; tests/test_scan_embeds_compiled.py holds them to the same
 * records). quoted_embeds does the same for a text with a Markdown quote, and has_quote_marker
 * tells such a text (plain.reference_quoted_embeds and plain.reference_has_quote_marker;
 * tests/test_scan_quoted_compiled.py). The rule reads a quoted post in the text's
 * reference_quote_markers_blanked, a copy of the whole text, four bytes a character where one
 * character needs them; these read the text itself, a marker's ">" a space where it lies
 * (_quote_markers.h), and the copy is never made.
 */
#include "_dates.h"
#include "_embeds.h"
#include "_quote_markers.h"

#define NAME_WINDOW 100
#define MAX_NAME 64

/* text.py's NAME_STRIP */
static const Py_UCS4 NAME_STRIP[] = {
    ' ',    '\t',   0xA0,   0x202F, 0x200B, 0x200E, 0x200F, 0x202A, 0x202B,
    0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0};
static const Py_UCS4 STRONG_DASHES[] = {0x2014, 0x2013, 0x2015, 0x2012, 0}; /* — – ― ‒ */
static const Py_UCS4 HYPHEN_SPACES[] = {' ', '\t', 0xA0, 0x202F, 0};
/* text.py's _DASH_ENTITIES, in its order */
static const char *const DASH_ENTITIES[] = {
    "&mdash;", "&ndash;", "&#8212;", "&#8211;", "&#x2014;", "&#x2013;", NULL};

/* str.rfind(literal, low, high), for low <= high <= len(text) */
static Py_ssize_t
rfind_literal(const Text *text, const char *literal, Py_ssize_t low, Py_ssize_t high)
{
    for (Py_ssize_t i = high - (Py_ssize_t)strlen(literal); i >= low; i--) {
        if (starts_with(text, i, high, literal)) {
            return i;
        }
    }
    return -1;
}

static int
contains(const Text *text, Py_ssize_t start, Py_ssize_t end, const char *literal)
{
    return rfind_literal(text, literal, start, end) != -1;
}

/* text._strongest_dash: 1 and *dash, *dash_end filled, or 0 for None. */
static int
strongest_dash(const Text *text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t *dash,
               Py_ssize_t *dash_end)
{
    Py_ssize_t position = end - 1, length = 1;
    while (position >= start && !is_one_of(at(text, position), STRONG_DASHES)) {
        position--;
    }
    if (position < start) {
        position = -1;
    }
    /* an entity replaces the dash only further right, as text.py's does; no two entities
     * start at one position */
    if (find_code_point(text, '&', start, end) != -1) {
        for (const char *const *entity = DASH_ENTITIES; *entity; entity++) {
            Py_ssize_t found = rfind_literal(text, *entity, start, end);
            if (found > position) {
                position = found;
                length = (Py_ssize_t)strlen(*entity);
            }
        }
    }
    if (position == -1) {
        return 0;
    }
    *dash = position;
    *dash_end = position + length;
    return 1;
}

/* text._weaker_dashes' "--": its start, or -1. */
static Py_ssize_t
double_hyphen(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t found = rfind_literal(text, "--", start, end);
    /* text[found + 2] and text[found - 1], read as the slices read them: past the anchor and
     * before the line's start too */
    while (found != -1 && ((found + 2 < text->length && at(text, found + 2) == '-') ||
                           (found >= 1 && at(text, found - 1) == '-'))) {
        found = rfind_literal(text, "--", start, found);
    }
    return found;
}

/* text._HYPHEN matched in text[start:end]: the hyphen's position, or -1. */
static Py_ssize_t
lone_hyphen(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = end - 2; i >= start; i--) {
        if (at(text, i) == '-' && (i == 0 || at(text, i - 1) != '-') &&
            is_one_of(at(text, i + 1), HYPHEN_SPACES)) {
            return i;
        }
    }
    return -1;
}

/* text[from:to].strip(NAME_STRIP) as *name_start, *name_end */
static void
strip_name(const Text *text, Py_ssize_t from, Py_ssize_t to, Py_ssize_t *name_start,
           Py_ssize_t *name_end)
{
    while (from < to && is_one_of(at(text, from), NAME_STRIP)) {
        from++;
    }
    while (to > from && is_one_of(at(text, to - 1), NAME_STRIP)) {
        to--;
    }
    *name_start = from;
    *name_end = to;
}

/* text[dash_end:anchor].strip(NAME_STRIP) as *name_start, *name_end, and whether
 * text._plausible_name takes it. */
static int
plausible_name(const Text *text, Py_ssize_t dash_end, Py_ssize_t anchor, Py_ssize_t *name_start,
               Py_ssize_t *name_end)
{
    strip_name(text, dash_end, anchor, name_start, name_end);
    Py_ssize_t first = *name_start, end = *name_end;
    if (end - first < 1 || end - first > MAX_NAME || contains(text, first, end, "t.co/")) {
        return 0;
    }
    return !contains(text, first, end, "pic.twitter.com/") &&
           !contains(text, first, end, "pic.x.com/");
}

/* reference_dash_and_name for 0 <= floor <= anchor <= len(text): 1 and the four offsets
 * filled, or 0 for None. */
static int
find_dash_and_name(const Text *text, Py_ssize_t anchor, Py_ssize_t floor, Py_ssize_t *dash,
                   Py_ssize_t *dash_end, Py_ssize_t *name_start, Py_ssize_t *name_end)
{
    Py_ssize_t window_start = anchor - NAME_WINDOW > floor ? anchor - NAME_WINDOW : floor;
    Py_ssize_t line_start = window_start;
    for (Py_ssize_t i = anchor - 1; i >= window_start; i--) {
        if (at(text, i) == '\n') {
            line_start = i + 1;
            break;
        }
    }
    int found = strongest_dash(text, line_start, anchor, dash, dash_end) &&
                plausible_name(text, *dash_end, anchor, name_start, name_end);
    if (!found && (*dash = double_hyphen(text, line_start, anchor)) != -1) {
        *dash_end = *dash + 2;
        found = plausible_name(text, *dash_end, anchor, name_start, name_end);
    }
    if (!found && (*dash = lone_hyphen(text, line_start, anchor)) != -1) {
        *dash_end = *dash + 1;
        found = plausible_name(text, *dash_end, anchor, name_start, name_end);
    }
    return found;
}

static PyObject *
dash_and_name(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Text text;
    Py_ssize_t anchor, floor;
    if (read_arguments(args, nargs, 3, "dash_and_name(text: str, anchor: int, floor: int)",
                       "dash_and_name needs 0 <= floor <= anchor <= len(text)", &text, &anchor,
                       &floor) < 0) {
        return NULL;
    }
    Py_ssize_t dash, dash_end, name_start, name_end;
    if (!find_dash_and_name(&text, anchor, floor, &dash, &dash_end, &name_start, &name_end)) {
        Py_RETURN_NONE;
    }
    PyObject *name = PyUnicode_Substring(args[0], name_start, name_end);
    return name == NULL ? NULL : Py_BuildValue("nnN", dash, dash_end, name);
}

/* text.py's _SPLIT_NAME, \S[ \t\xa0\u202f]{2,}\S, searched in text[start:end]: whether it
 * matches. re's \S on a str is a character str.isspace() refuses. */
static int
split_name(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t i = start;
    while (i < end) {
        if (Py_UNICODE_ISSPACE(at(text, i))) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < end && is_one_of(at(text, j), HYPHEN_SPACES)) { /* the same four spaces */
            j++;
        }
        if (j - i > 2 && j < end && !Py_UNICODE_ISSPACE(at(text, j))) {
            return 1;
        }
        i = j; /* no match starts on a space */
    }
    return 0;
}

/* What find_attributions calls back in Python, from archiver.scan.text at the first call (the
 * module is loaded by then: only it calls find_attributions). */
enum {
    LINK_MATCH,       /* _MARKDOWN_LINK_TAIL.match */
    DASHLESS_GAP,     /* _dashless_gap */
    GLUED_POST_START, /* glued_post_start */
    POST_START,       /* post_start: compiled in _walk_back.c where the install built it */
    ATTRIBUTION,      /* Attribution */
    HELPERS
};
static const char *const HELPER_NAMES[HELPERS][2] = {
    {"_MARKDOWN_LINK_TAIL", "match"}, {"_dashless_gap", NULL}, {"glued_post_start", NULL},
    {"post_start", NULL},             {"Attribution", NULL},
};
static PyObject *helpers[HELPERS];
#define ATTRIBUTION_FIELDS 9
/* the names of the link match's method and group */
static PyObject *s_end, *s_url;

static int
fetch_helpers(void)
{
    if (helpers[ATTRIBUTION] != NULL) {
        return 0;
    }
    if (fetch_date_rules() == -1) {
        return -1;
    }
    PyObject **names[] = {&s_end, &s_url};
    const char *const spellings[] = {"end", "url"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (*names[i] == NULL && (*names[i] = PyUnicode_InternFromString(spellings[i])) == NULL) {
            return -1;
        }
    }
    PyObject *text_module = PyImport_ImportModule("archiver.scan.text");
    if (text_module == NULL) {
        return -1;
    }
    PyObject *fetched[HELPERS];
    int i;
    for (i = 0; i < HELPERS; i++) {
        fetched[i] = PyObject_GetAttrString(text_module, HELPER_NAMES[i][0]);
        if (fetched[i] != NULL && HELPER_NAMES[i][1] != NULL) {
            PyObject *method = PyObject_GetAttrString(fetched[i], HELPER_NAMES[i][1]);
            Py_SETREF(fetched[i], method);
        }
        if (fetched[i] == NULL) {
            break;
        }
    }
    Py_DECREF(text_module);
    if (i == HELPERS && !(PyType_Check(fetched[ATTRIBUTION]) &&
                          PyType_IsSubtype((PyTypeObject *)fetched[ATTRIBUTION], &PyTuple_Type))) {
        PyErr_SetString(PyExc_TypeError, "archiver.scan.text.Attribution must be a subclass of tuple");
        i--;
        Py_DECREF(fetched[i]);
    }
    if (i < HELPERS) {
        while (--i >= 0) {
            Py_DECREF(fetched[i]);
        }
        return -1;
    }
    memcpy(helpers, fetched, sizeof helpers);
    return 0;
}

/* text._ATTRIBUTION_TAIL read in C: "(@", the handle, ")", the spaces, an optional line break,
 * "·" or "|", an optional "[" and the date (_dates.h). Each run is taken greedily up to its bound
 * and what follows it is never one of its characters, so that re's backtracking finds no other
 * match: a handle is one of X or of Bluesky, never both (a Bluesky handle has a dot, an X one
 * none), and a date never starts with what the tail may leave out. */
#define MAX_X_HANDLE 15    /* [A-Za-z0-9_]{1,15} */
#define MAX_LABEL 63       /* a Bluesky handle's labels, [A-Za-z0-9-]{1,63} */
#define MAX_MORE_LABELS 8  /* (?:\.label){1,8} */
#define MAX_TAIL_SPACES 40 /* [ \t\xa0\u202f]{0,40}, before and after the line break */
#define MAX_MARK_SPACES 3  /* [·|][ \t\xa0\u202f]{1,3} */

typedef struct {
    Py_ssize_t handle_end; /* the handle is text[anchor + 2:handle_end] */
    int bracket;           /* a "[" before the date: a Markdown link to the post */
    Py_ssize_t date_start;
    DateFields date; /* its end is the tail's */
} Tail;

static inline int
is_label_character(Py_UCS4 c) /* [A-Za-z0-9-] */
{
    return is_ascii_alnum(c) || c == '-';
}

/* The end of the run of [A-Za-z0-9-] at text[pos], read up to one past MAX_LABEL */
static Py_ssize_t
label_end(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t i = pos;
    while (i < end && i - pos <= MAX_LABEL && is_label_character(at(text, i))) {
        i++;
    }
    return i;
}

/* The tail's handle at text[pos], and the ")" after it: where the ")" is, or -1.
 * [A-Za-z0-9_]{1,15}(?=\))|[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){1,8} */
static Py_ssize_t
handle_end(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t i = pos;
    while (i < end && i - pos <= MAX_X_HANDLE &&
           (is_ascii_alnum(at(text, i)) || at(text, i) == '_')) {
        i++;
    }
    if (i > pos && i - pos <= MAX_X_HANDLE && code_point_at(text, i, end, ')')) {
        return i;
    }
    if (pos >= end || !is_ascii_alnum(at(text, pos)) ||
        (i = label_end(text, pos, end)) - pos > MAX_LABEL) {
        return -1;
    }
    int labels = 0;
    while (labels < MAX_MORE_LABELS && code_point_at(text, i, end, '.')) {
        Py_ssize_t label = i + 1;
        i = label_end(text, label, end);
        if (i == label || i - label > MAX_LABEL) {
            return -1;
        }
        labels++;
    }
    return labels > 0 && code_point_at(text, i, end, ')') ? i : -1;
}

/* _ATTRIBUTION_TAIL.match(text, anchor, end) for 0 <= anchor and end <= len(text): 1 with *tail
 * filled, or 0 */
static int
read_tail(const Text *text, Py_ssize_t anchor, Py_ssize_t end, Tail *tail)
{
    if (!starts_with(text, anchor, end, "(@") ||
        (tail->handle_end = handle_end(text, anchor + 2, end)) == -1) {
        return 0;
    }
    Py_ssize_t pos = date_spaces(text, tail->handle_end + 1, end, 0, MAX_TAIL_SPACES);
    if (pos != -1 && code_point_at(text, pos, end, '\n')) {
        pos = date_spaces(text, pos + 1, end, 0, MAX_TAIL_SPACES);
    }
    if (pos != -1 && (code_point_at(text, pos, end, 0xB7) || code_point_at(text, pos, end, '|'))) {
        pos = date_spaces(text, pos + 1, end, 1, MAX_MARK_SPACES); /* "·" or "|" */
    }
    if (pos == -1) {
        return 0;
    }
    tail->bracket = code_point_at(text, pos, end, '[');
    tail->date_start = pos + tail->bracket;
    return match_date_at(text, tail->date_start, end, &tail->date);
}

/* The first "(@" in text[pos:end] at most at last_anchor that opens an attribution's tail, its
 * tail read into *tail; or -1. _ATTRIBUTION_TAIL.search's answer. */
static Py_ssize_t
next_anchor(const Text *text, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t last_anchor, Tail *tail)
{
    pos = pos < 0 ? 0 : pos; /* as re reads pos and endpos */
    end = end > text->length ? text->length : end;
    Py_ssize_t anchors_end = last_anchor < end ? last_anchor + 1 : end;
    while ((pos = find_code_point(text, '(', pos, anchors_end)) != -1) {
        /* most of a text's "(" open no "(@": passed over here, without reading a tail */
        if (pos + 1 < end && at(text, pos + 1) == '@' && read_tail(text, pos, end, tail)) {
            return pos;
        }
        pos++;
    }
    return -1;
}

/* text.reference_has_attribution_tail: whether _ATTRIBUTION_TAIL matches at text[anchor] and
 * its date is one (date_iso) */
static PyObject *
has_attribution_tail(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "has_attribution_tail(text: str, anchor: int)");
        return NULL;
    }
    Py_ssize_t anchor = PyLong_AsSsize_t(args[1]);
    if ((anchor == -1 && PyErr_Occurred()) || fetch_date_rules() == -1) {
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    Tail tail;
    /* re reads a negative pos as 0, and one past the end as the end */
    anchor = anchor < 0 ? 0 : anchor > text.length ? text.length : anchor;
    if (!read_tail(&text, anchor, text.length, &tail)) {
        Py_RETURN_FALSE;
    }
    PyObject *iso = date_iso_of(args[0], &tail.date);
    if (iso == NULL) {
        return NULL;
    }
    int found = iso != Py_None;
    Py_DECREF(iso);
    return PyBool_FromLong(found);
}

static Py_ssize_t
ssize_from(PyObject *number)
{
    Py_ssize_t value = PyLong_AsSsize_t(number);
    Py_DECREF(number);
    return value;
}

/* text._attribution_at for the tail whose "(@" is at ``anchor``: a new Attribution and its end
 * in *date_end, None, or NULL with an exception set. */
static PyObject *
attribution_at(PyObject *text_object, const Text *text, const Tail *tail, Py_ssize_t anchor,
               PyObject *end, Py_ssize_t floor, Py_ssize_t *date_end)
{
    PyObject *date = NULL, *iso = NULL, *status_url = NULL, *dashless = NULL, *name = NULL;
    PyObject *dash = NULL, *post_start = NULL, *handle = NULL, *result = NULL;
    if ((iso = date_iso_of(text_object, &tail->date)) == NULL) {
        goto done;
    }
    if (iso == Py_None) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if ((date = PyUnicode_Substring(text_object, tail->date_start, tail->date.end)) == NULL) {
        goto done;
    }
    *date_end = tail->date.end;
    if (tail->bracket) {
        PyObject *date_end_object = PyLong_FromSsize_t(*date_end);
        if (date_end_object == NULL) {
            goto done;
        }
        PyObject *args[] = {text_object, date_end_object, end};
        PyObject *link = PyObject_Vectorcall(helpers[LINK_MATCH], args, 3, NULL);
        Py_DECREF(date_end_object);
        if (link == NULL) {
            goto done;
        }
        if (link == Py_None) {
            Py_DECREF(link);
            result = Py_NewRef(Py_None);
            goto done;
        }
        status_url = PyObject_GetItem(link, s_url);
        *date_end = ssize_from(PyObject_CallMethodNoArgs(link, s_end));
        Py_DECREF(link);
        if (status_url == NULL || (*date_end == -1 && PyErr_Occurred())) {
            goto done;
        }
    }
    if (floor < 0) { /* as dash_and_name refuses it */
        PyErr_SetString(PyExc_ValueError,
                        "dash_and_name needs 0 <= floor <= anchor <= len(text)");
        goto done;
    }
    Py_ssize_t dash_at, dash_end, name_start, name_end;
    int found = find_dash_and_name(text, anchor, floor, &dash_at, &dash_end, &name_start,
                                   &name_end);
    if (!found || split_name(text, dash_end, anchor)) {
        PyObject *args[] = {text_object, PyLong_FromSsize_t(anchor), PyLong_FromSsize_t(floor),
                            PyLong_FromSsize_t(tail->date.end)};
        if (args[1] != NULL && args[2] != NULL && args[3] != NULL) {
            dashless = PyObject_Vectorcall(helpers[DASHLESS_GAP], args, 4, NULL);
        }
        Py_XDECREF(args[1]);
        Py_XDECREF(args[2]);
        Py_XDECREF(args[3]);
        if (dashless == NULL) {
            goto done;
        }
        if (dashless != Py_None) {
            /* (gap start, gap end): the gap stands for the dash, the name is after it */
            PyObject *gap_end_object;
            if (!PyTuple_Check(dashless) || PyTuple_GET_SIZE(dashless) != 2) {
                PyErr_SetString(PyExc_TypeError, "_dashless_gap gives (start, end) or None");
                goto done;
            }
            dash = Py_NewRef(PyTuple_GET_ITEM(dashless, 0));
            gap_end_object = PyTuple_GET_ITEM(dashless, 1);
            Py_ssize_t gap_end = PyLong_AsSsize_t(gap_end_object);
            if (gap_end == -1 && PyErr_Occurred()) {
                goto done;
            }
            if (gap_end < 0 || gap_end > anchor) {
                PyErr_SetString(PyExc_ValueError, "_dashless_gap's gap ends past the anchor");
                goto done;
            }
            strip_name(text, gap_end, anchor, &name_start, &name_end);
            found = 1;
            post_start = helpers[GLUED_POST_START];
        }
    }
    if (!found) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (dash == NULL) {
        if ((dash = PyLong_FromSsize_t(dash_at)) == NULL) {
            goto done;
        }
        post_start = helpers[POST_START];
    }
    PyObject *floor_object = PyLong_FromSsize_t(floor);
    if (floor_object == NULL) {
        goto done;
    }
    PyObject *args[] = {text_object, dash, floor_object};
    PyObject *start = PyObject_Vectorcall(post_start, args, 3, NULL);
    Py_DECREF(floor_object);
    if (start == NULL) {
        goto done;
    }
    if ((handle = PyUnicode_Substring(text_object, anchor + 2, tail->handle_end)) == NULL ||
        (name = PyUnicode_Substring(text_object, name_start, name_end)) == NULL) {
        Py_DECREF(start);
        goto done;
    }
    /* start, dash, end, anchor, handle, display_name, date, date_text, status_url */
    PyObject *fields[ATTRIBUTION_FIELDS] = {start,
                          dash,
                          PyLong_FromSsize_t(*date_end),
                          PyLong_FromSsize_t(anchor),
                          handle,
                          name,
                          iso,
                          date,
                          status_url == NULL ? Py_None : status_url};
    /* tuple.__new__(Attribution, fields): what the NamedTuple's own __new__ returns, without
     * its frame */
    PyTypeObject *attribution = (PyTypeObject *)helpers[ATTRIBUTION];
    if (fields[2] != NULL && fields[3] != NULL &&
        (result = attribution->tp_alloc(attribution, ATTRIBUTION_FIELDS)) != NULL) {
        for (int i = 0; i < ATTRIBUTION_FIELDS; i++) {
            PyTuple_SET_ITEM(result, i, Py_NewRef(fields[i]));
        }
    }
    Py_DECREF(start);
    Py_XDECREF(fields[2]);
    Py_XDECREF(fields[3]);
done:
    Py_XDECREF(date);
    Py_XDECREF(iso);
    Py_XDECREF(status_url);
    Py_XDECREF(dashless);
    Py_XDECREF(dash);
    Py_XDECREF(handle);
    Py_XDECREF(name);
    return result;
}

static PyObject *
find_attributions(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError,
                        "find_attributions(text: str, start: int, end: int, barriers: tuple, "
                        "last_anchor: int)");
        return NULL;
    }
    PyObject *text_object = args[0], *barriers = args[3];
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    Py_ssize_t end = PyLong_AsSsize_t(args[2]);
    Py_ssize_t last_anchor = PyLong_AsSsize_t(args[4]);
    if ((start == -1 || end == -1 || last_anchor == -1) && PyErr_Occurred()) {
        return NULL;
    }
    if (fetch_helpers() == -1) {
        return NULL;
    }
    Text text = {PyUnicode_KIND(text_object), PyUnicode_DATA(text_object),
                 PyUnicode_GET_LENGTH(text_object)};
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t floor = start, next_barrier = 0, pos = start;
    Py_ssize_t anchor;
    Tail tail;
    while ((anchor = next_anchor(&text, pos, end, last_anchor, &tail)) != -1) {
        pos = anchor + 1;
        for (; next_barrier < PyTuple_GET_SIZE(barriers); next_barrier++) {
            Py_ssize_t barrier = PyLong_AsSsize_t(PyTuple_GET_ITEM(barriers, next_barrier));
            if (barrier == -1 && PyErr_Occurred()) {
                goto error;
            }
            if (barrier > anchor) {
                break;
            }
            floor = barrier > floor ? barrier : floor;
        }
        Py_ssize_t date_end = tail.date.end;
        PyObject *attribution =
            attribution_at(text_object, &text, &tail, anchor, args[2], floor, &date_end);
        if (attribution == NULL) {
            goto error;
        }
        if (attribution != Py_None) {
            if (PyList_Append(found, attribution) == -1) {
                Py_DECREF(attribution);
                goto error;
            }
            floor = date_end;
            pos = date_end + 1;
        }
        Py_DECREF(attribution);
    }
    return found;
error:
    Py_DECREF(found);
    return NULL;
}

/* What attribution_embeds calls back in Python or builds with, from archiver.scan.plain at the
 * first call (only it calls attribution_embeds). */
enum {
    EMBED,              /* Embed */
    PLATFORM,           /* Platform */
    EMBED_FORM,         /* EmbedForm */
    OTHER_LINKS,        /* other_links */
    ATTRIBUTION_EMBED,  /* attribution_embed: the record of a post with a status URL */
    PLAIN_HELPERS
};
static const char *const PLAIN_HELPER_NAMES[PLAIN_HELPERS] = {
    "Embed", "Platform", "EmbedForm", "other_links", "attribution_embed"};
static PyObject *plain_helpers[PLAIN_HELPERS];
static PyObject *bluesky, *twitter, *text_attribution;

static int
fetch_plain_helpers(void)
{
    if (text_attribution != NULL) {
        return 0;
    }
    PyObject *plain = PyImport_ImportModule("archiver.scan.plain");
    if (plain == NULL) {
        return -1;
    }
    PyObject *fetched[PLAIN_HELPERS], *values[3] = {NULL, NULL, NULL};
    int i, ok = 0;
    for (i = 0; i < PLAIN_HELPERS; i++) {
        if ((fetched[i] = PyObject_GetAttrString(plain, PLAIN_HELPER_NAMES[i])) == NULL) {
            break;
        }
    }
    Py_DECREF(plain);
    if (i < PLAIN_HELPERS) {
        goto done;
    }
    if (keep_embed_type(fetched[EMBED]) == -1) {
        goto done;
    }
    values[0] = PyObject_GetAttrString(fetched[PLATFORM], "BLUESKY");
    values[1] = PyObject_GetAttrString(fetched[PLATFORM], "TWITTER");
    values[2] = PyObject_GetAttrString(fetched[EMBED_FORM], "TEXT_ATTRIBUTION");
    ok = values[0] != NULL && values[1] != NULL && values[2] != NULL;
done:
    if (!ok) {
        while (--i >= 0) {
            Py_DECREF(fetched[i]);
        }
        for (int k = 0; k < 3; k++) {
            Py_XDECREF(values[k]);
        }
        return -1;
    }
    memcpy(plain_helpers, fetched, sizeof plain_helpers);
    bluesky = values[0];
    twitter = values[1];
    text_attribution = values[2];
    return 0;
}

/* links.reference_pic_links: "pic.twitter.com/CODE" for each "pic.twitter.com/" or "pic.x.com/"
 * followed by 1-32 ASCII letters or digits (the longest), in order, each once; a new tuple, or
 * NULL with an exception set. */
static PyObject *
picture_links(PyObject *post)
{
    enum { MAX_CODE = 32 };
    Text text = {PyUnicode_KIND(post), PyUnicode_DATA(post), PyUnicode_GET_LENGTH(post)};
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    while ((pos = find_code_point(&text, 'p', pos, text.length)) != -1) {
        Py_ssize_t code = -1;
        if (starts_with(&text, pos, text.length, "pic.twitter.com/")) {
            code = pos + 16;
        }
        else if (starts_with(&text, pos, text.length, "pic.x.com/")) {
            code = pos + 10;
        }
        Py_ssize_t end = code;
        while (code != -1 && end < text.length && end - code < MAX_CODE &&
               at(&text, end) < 128 && Py_ISALNUM(at(&text, end))) {
            end++;
        }
        if (code == -1 || end == code) {
            pos++;
            continue;
        }
        PyObject *link = NULL, *code_text = PyUnicode_Substring(post, code, end);
        if (code_text != NULL) {
            link = PyUnicode_FromFormat("pic.twitter.com/%U", code_text);
            Py_DECREF(code_text);
        }
        int seen = link == NULL ? -1 : PySequence_Contains(found, link);
        if (seen == -1 || (!seen && PyList_Append(found, link) == -1)) {
            Py_XDECREF(link);
            Py_DECREF(found);
            return NULL;
        }
        Py_DECREF(link);
        pos = end;
    }
    PyObject *links = PyList_AsTuple(found);
    Py_DECREF(found);
    return links;
}

static PyObject *
pic_links(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "pic_links(text: str)");
        return NULL;
    }
    return picture_links(text);
}

/* The links in ``post`` that ``call`` (other_links) gives, called only when the post
 * holds one of the literals it looks for first; () otherwise. A new reference. */
static PyObject *
post_links(PyObject *post, PyObject *call, const char *literal, const char *other_literal)
{
    Text text = {PyUnicode_KIND(post), PyUnicode_DATA(post), PyUnicode_GET_LENGTH(post)};
    if (contains(&text, 0, text.length, literal) ||
        (other_literal != NULL && contains(&text, 0, text.length, other_literal))) {
        return PyObject_CallOneArg(call, post);
    }
    return PyTuple_New(0);
}

/* Whether ``found`` is an Attribution whose handle is a str; 0 with TypeError set if not. */
static int
is_attribution(PyObject *found)
{
    if (Py_TYPE(found) != (PyTypeObject *)helpers[ATTRIBUTION] ||
        PyTuple_GET_SIZE(found) != ATTRIBUTION_FIELDS ||
        !PyUnicode_Check(PyTuple_GET_ITEM(found, 4))) {
        PyErr_SetString(PyExc_TypeError, "an Attribution expected");
        return 0;
    }
    return 1;
}

/* attributions[i] in the records' loops: a new reference to it (its fields are read after the
 * call backs), its start and dash read; NULL with an exception set when a call back shortened
 * the list, the item is no Attribution, or a position is no int. */
static PyObject *
attribution_item(PyObject *attributions, Py_ssize_t i, const char *caller, Py_ssize_t *start,
                 Py_ssize_t *dash)
{
    if (i >= PyList_GET_SIZE(attributions)) {
        PyErr_Format(PyExc_RuntimeError, "%s: the list changed size", caller);
        return NULL;
    }
    PyObject *found = PyList_GET_ITEM(attributions, i);
    if (!is_attribution(found)) {
        return NULL;
    }
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(found, 0));
    *dash = PyLong_AsSsize_t(PyTuple_GET_ITEM(found, 1));
    if ((*start == -1 || *dash == -1) && PyErr_Occurred()) {
        return NULL;
    }
    return Py_NewRef(found);
}

/* plain.attribution_embed(found, post) for an Attribution ``found`` and a str ``post``: a new
 * Embed, or NULL with an exception set. */
static PyObject *
embed_of(PyObject *found, PyObject *post)
{
    if (PyTuple_GET_ITEM(found, 8) != Py_None) { /* a status URL: parsed in Python */
        PyObject *call_args[] = {found, post};
        return PyObject_Vectorcall(plain_helpers[ATTRIBUTION_EMBED], call_args, 2, NULL);
    }
    PyObject *embed = NULL, *handle = PyTuple_GET_ITEM(found, 4);
    Py_ssize_t dot = PyUnicode_FindChar(handle, '.', 0, PyUnicode_GET_LENGTH(handle), 1);
    PyObject *pics = picture_links(post);
    PyObject *links = post_links(post, plain_helpers[OTHER_LINKS], "://", "t.co/");
    if (dot != -2 && pics != NULL && links != NULL) {
        PyObject *fields[EMBED_FIELDS] = {
            dot >= 0 ? bluesky : twitter,
            text_attribution,
            post,
            PyTuple_GET_ITEM(found, 0),
            PyTuple_GET_ITEM(found, 2),
            handle,
            PyTuple_GET_ITEM(found, 5),
            PyTuple_GET_ITEM(found, 6),
            PyTuple_GET_ITEM(found, 7),
            pics,
            links,
            Py_None,
            Py_None,
            Py_None,
        };
        embed = new_embed(fields);
    }
    Py_XDECREF(pics);
    Py_XDECREF(links);
    return embed;
}

/* Moves *from and *to inward past the whitespace str.strip() removes from text[*from:*to]. */
static void
strip_bounds(const Text *text, Py_ssize_t *from, Py_ssize_t *to)
{
    while (*from < *to && Py_UNICODE_ISSPACE(at(text, *from))) {
        (*from)++;
    }
    while (*to > *from && Py_UNICODE_ISSPACE(at(text, *to - 1))) {
        (*to)--;
    }
}

/* text[from:to].strip() for 0 <= from, to <= len(text): a new str, or NULL with an exception
 * set */
static PyObject *
stripped(PyObject *text_object, const Text *text, Py_ssize_t from, Py_ssize_t to)
{
    strip_bounds(text, &from, &to);
    return PyUnicode_Substring(text_object, from, to);
}

/* plain.attribution_embed(found, post_text), its links found in the post */
static PyObject *
attribution_embed(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "attribution_embed(found: Attribution, post_text: str)");
        return NULL;
    }
    if (fetch_helpers() == -1 || fetch_plain_helpers() == -1 || !is_attribution(args[0])) {
        return NULL;
    }
    return embed_of(args[0], args[1]);
}

/* plain.attribution_embed(found, text[found.start:found.dash].strip()) for each attribution:
 * the records of a document without a Markdown quote. */
static PyObject *
attribution_embeds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "attribution_embeds(text: str, attributions: list)");
        return NULL;
    }
    if (fetch_helpers() == -1 || fetch_plain_helpers() == -1) {
        return NULL;
    }
    PyObject *text_object = args[0], *attributions = args[1];
    Text text = {PyUnicode_KIND(text_object), PyUnicode_DATA(text_object),
                 PyUnicode_GET_LENGTH(text_object)};
    Py_ssize_t count = PyList_GET_SIZE(attributions);
    PyObject *embeds = PyList_New(count);
    if (embeds == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t start, dash;
        PyObject *embed = NULL, *post = NULL;
        PyObject *found = attribution_item(attributions, i, "attribution_embeds", &start, &dash);
        if (found == NULL) {
            goto error;
        }
        /* text[start:dash].strip(), its bounds clamped to the text */
        start = start < 0 ? 0 : start > text.length ? text.length : start;
        dash = dash < start ? start : dash > text.length ? text.length : dash;
        if ((post = stripped(text_object, &text, start, dash)) != NULL) {
            embed = embed_of(found, post);
            Py_DECREF(post);
        }
        Py_DECREF(found);
        if (embed == NULL) {
            goto error;
        }
        PyList_SET_ITEM(embeds, i, embed);
    }
    return embeds;
error:
    Py_DECREF(embeds);
    return NULL;
}

/* The Markdown quotes of plain.py, read in the text itself (_quote_markers.h):
 * reference_quote_markers_blanked and reference_quoted_embeds are the rules
 * (tests/test_scan_quoted_compiled.py holds these to the same answers). */

/* _QUOTE_MARKER.match(text, pos) for 0 <= pos <= len(text): whether a quote marker opens the
 * line at pos (re's ^ matches there only at a line's start). */
static int
quote_marker_at(const Text *text, Py_ssize_t pos)
{
    if (pos > 0 && at(text, pos - 1) != '\n') {
        return 0;
    }
    Py_ssize_t gt = pos;
    while (gt < text->length && gt - pos < MAX_QUOTE_INDENT && is_indent(at(text, gt))) {
        gt++;
    }
    return gt < text->length && at(text, gt) == '>';
}

/* plain.reference_has_quote_marker: whether a quote marker opens a line of text, that is whether
 * reference_quote_markers_blanked(text) is not text; the text is read, not copied */
static PyObject *
has_quote_marker(PyObject *module, PyObject *text_object)
{
    if (!PyUnicode_Check(text_object)) {
        PyErr_SetString(PyExc_TypeError, "has_quote_marker(text: str)");
        return NULL;
    }
    Text text = {PyUnicode_KIND(text_object), PyUnicode_DATA(text_object),
                 PyUnicode_GET_LENGTH(text_object)};
    for (Py_ssize_t gt = 0;; gt++) {
        /* PyUnicode_FindChar: built with find_code_point here (gcc 12, -O2), this module's
         * find_attributions took 1.5 times as long over the same texts */
        gt = PyUnicode_FindChar(text_object, '>', gt, text.length, 1);
        if (gt < 0) { /* none, or -2 with an exception set */
            return gt == -1 ? Py_NewRef(Py_False) : NULL;
        }
        if (is_marker(&text, gt)) {
            Py_RETURN_TRUE;
        }
    }
}

/* plain._quote_start: where the quote holding the line at ``line`` starts, its first quoted
 * line, not before floor. The search for the line before stops at floor: a line starting
 * before it is not taken, and quote_marker_at refuses floor when it is no line's start. */
static Py_ssize_t
quote_start(const Text *text, Py_ssize_t line, Py_ssize_t floor)
{
    while (line > floor) {
        Py_ssize_t previous = line - 1;
        while (previous > floor && at(text, previous - 1) != '\n') {
            previous--;
        }
        if (!quote_marker_at(text, previous)) {
            break;
        }
        line = previous;
    }
    return line;
}

/* Each line of the view of text[from:to] stripped, joined by newlines, written into ``out`` when
 * it is not NULL: its length, its largest character in *max_char. A quote marker opens its line,
 * so after a line's first word there is none: a stripped line holds no character the view
 * changes (_quote_markers.h), and is copied from the text. */
static Py_ssize_t
copy_stripped_lines(const Text *text, Py_ssize_t from, Py_ssize_t to, PyObject *out,
                    Py_UCS4 *max_char)
{
    Py_ssize_t length = 0;
    *max_char = 0;
    for (Py_ssize_t line = from; line <= to; line++) { /* line: after the newline ending one */
        Py_ssize_t line_end = line;
        while (line_end < to && at(text, line_end) != '\n') {
            line_end++;
        }
        Py_ssize_t first = line, last = line_end;
        while (first < last && is_space_in_view(text, first)) {
            first++;
        }
        while (last > first && Py_UNICODE_ISSPACE(at(text, last - 1))) {
            last--;
        }
        if (line > from) {
            if (out != NULL) {
                PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), length, '\n');
            }
            length++;
            *max_char = *max_char > '\n' ? *max_char : '\n';
        }
        for (Py_ssize_t i = first; i < last; i++) {
            Py_UCS4 c = at(text, i);
            if (out != NULL) {
                PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), length, c);
            }
            length++;
            *max_char = *max_char > c ? *max_char : c;
        }
        line = line_end;
    }
    return length;
}

/* "\n".join(line.strip() for line in view[from:to].split("\n")).strip() for
 * 0 <= from <= to <= len(text), view reference_quote_markers_blanked(text) and from its first
 * word, or to: a new str, or NULL with an exception set */
static PyObject *
stripped_lines(PyObject *text_object, const Text *text, Py_ssize_t from, Py_ssize_t to)
{
    while (to > from && is_space_in_view(text, to - 1)) { /* the lines after the last word */
        to--;
    }
    Py_ssize_t newline = PyUnicode_FindChar(text_object, '\n', from, to, 1);
    if (newline < 0) { /* one line, or -2 with an exception set */
        return newline == -1 ? PyUnicode_Substring(text_object, from, to) : NULL;
    }
    Py_UCS4 max_char;
    Py_ssize_t length = copy_stripped_lines(text, from, to, NULL, &max_char);
    PyObject *post = PyUnicode_New(length, max_char);
    if (post != NULL) {
        copy_stripped_lines(text, from, to, post, &max_char);
    }
    return post;
}

/* bisect.bisect_right(ends, x) over a list of ints: -1 with an exception set when an item is
 * not one */
static Py_ssize_t
bisect_right(PyObject *ends, Py_ssize_t x)
{
    Py_ssize_t low = 0, high = PyList_GET_SIZE(ends);
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        Py_ssize_t end = PyLong_AsSsize_t(PyList_GET_ITEM(ends, middle));
        if (end == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (x < end) {
            high = middle;
        }
        else {
            low = middle + 1;
        }
    }
    return low;
}

/* found._replace(start=start) for an Attribution found: a new reference */
static PyObject *
with_start(PyObject *found, Py_ssize_t start)
{
    PyObject *start_object = PyLong_FromSsize_t(start);
    if (start_object == NULL) {
        return NULL;
    }
    PyTypeObject *attribution = Py_TYPE(found);
    PyObject *result = attribution->tp_alloc(attribution, ATTRIBUTION_FIELDS);
    if (result == NULL) {
        Py_DECREF(start_object);
        return NULL;
    }
    PyTuple_SET_ITEM(result, 0, start_object);
    for (int i = 1; i < ATTRIBUTION_FIELDS; i++) {
        PyTuple_SET_ITEM(result, i, Py_NewRef(PyTuple_GET_ITEM(found, i)));
    }
    return result;
}

/* plain._quoted_or_plain(text, view, found, ends, floor=floor) for an Attribution found with
 * 0 <= start <= len(text) and 0 <= dash <= len(text), 0 <= floor <= len(text), view
 * reference_quote_markers_blanked(text) read in the text: a new Embed, or NULL with an exception
 * set */
static PyObject *
quoted_or_plain(PyObject *text_object, const Text *text, PyObject *found, PyObject *ends,
                Py_ssize_t start, Py_ssize_t dash, Py_ssize_t floor)
{
    Py_ssize_t earlier = bisect_right(ends, start);
    if (earlier == -1) {
        return NULL;
    }
    if (earlier > 0) {
        Py_ssize_t end = PyLong_AsSsize_t(PyList_GET_ITEM(ends, earlier - 1));
        if (end == -1 && PyErr_Occurred()) {
            return NULL;
        }
        floor = end > floor ? end : floor;
    }
    Py_ssize_t dash_line = dash - 1;
    while (dash_line >= floor && at(text, dash_line) != '\n') {
        dash_line--;
    }
    dash_line = dash_line < floor ? floor : dash_line + 1;
    PyObject *post, *embed;
    if (!quote_marker_at(text, dash_line)) { /* the post is the text up to its dash */
        if ((post = stripped(text_object, text, start, dash)) == NULL) {
            return NULL;
        }
        embed = embed_of(found, post);
        Py_DECREF(post);
        return embed;
    }
    Py_ssize_t quote = quote_start(text, dash_line, floor);
    Py_ssize_t first_word = quote < start ? quote : start;
    while (first_word < dash && is_space_in_view(text, first_word)) {
        first_word++;
    }
    if (first_word >= dash) { /* the dash when the quote shows no text */
        first_word = dash;
    }
    if ((post = stripped_lines(text_object, text, first_word, dash)) == NULL) {
        return NULL;
    }
    PyObject *quoted = first_word == start ? Py_NewRef(found) : with_start(found, first_word);
    embed = quoted == NULL ? NULL : embed_of(quoted, post);
    Py_XDECREF(quoted);
    Py_DECREF(post);
    return embed;
}

/* plain._quoted_or_plain for each attribution: the records of a document with a Markdown quote,
 * reference_quoted_embeds(text, reference_quote_markers_blanked(text), attributions, ends, floor)
 * without the view made: a quoted post's lines are read around their markers */
static PyObject *
quoted_embeds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) ||
        !PyList_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError,
                        "quoted_embeds(text: str, attributions: list, ends: list, floor: int)");
        return NULL;
    }
    PyObject *attributions = args[1], *ends = args[2];
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    Py_ssize_t floor = PyLong_AsSsize_t(args[3]);
    if (floor == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (floor < 0 || floor > text.length) {
        PyErr_SetString(PyExc_ValueError, "quoted_embeds needs 0 <= floor <= len(text)");
        return NULL;
    }
    if (fetch_helpers() == -1 || fetch_plain_helpers() == -1) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(attributions);
    PyObject *embeds = PyList_New(count);
    if (embeds == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t start, dash;
        PyObject *embed = NULL;
        PyObject *found = attribution_item(attributions, i, "quoted_embeds", &start, &dash);
        if (found == NULL) {
            goto error;
        }
        if (start < 0 || start > text.length || dash < 0 || dash > text.length) {
            PyErr_SetString(PyExc_ValueError,
                            "quoted_embeds needs an attribution's start and dash in the text");
        }
        else {
            embed = quoted_or_plain(args[0], &text, found, ends, start, dash, floor);
        }
        Py_DECREF(found);
        if (embed == NULL) {
            goto error;
        }
        PyList_SET_ITEM(embeds, i, embed);
    }
    return embeds;
error:
    Py_DECREF(embeds);
    return NULL;
}

static PyMethodDef methods[] = {
    {"dash_and_name", (PyCFunction)(void (*)(void))dash_and_name, METH_FASTCALL,
     "dash_and_name(text, anchor, floor) -> (dash start, dash end, display name) or None: the "
     "dash before the attribution whose \"(@\" is at text[anchor] "
     "(archiver.scan.text.reference_dash_and_name, compiled)."},
    {"find_attributions", (PyCFunction)(void (*)(void))find_attributions, METH_FASTCALL,
     "find_attributions(text, start, end, barriers, last_anchor) -> [Attribution]: every "
     "flattened attribution in text[start:end] whose \"(@\" is at most at last_anchor "
     "(archiver.scan.text.reference_find_attributions, compiled)."},
    {"has_attribution_tail", (PyCFunction)(void (*)(void))has_attribution_tail, METH_FASTCALL,
     "has_attribution_tail(text, anchor) -> bool: whether \"(@handle) Date\" starts at "
     "text[anchor] (archiver.scan.text.reference_has_attribution_tail, compiled)."},
    {"attribution_embed", (PyCFunction)(void (*)(void))attribution_embed, METH_FASTCALL,
     "attribution_embed(found, post_text) -> Embed: the record of an attribution whose post text "
     "is post_text (archiver.scan.plain.attribution_embed, compiled)."},
    {"attribution_embeds", (PyCFunction)(void (*)(void))attribution_embeds, METH_FASTCALL,
     "attribution_embeds(text, attributions) -> [Embed]: the record of each attribution in a "
     "text without a Markdown quote, its post the text up to its dash "
     "(archiver.scan.plain.reference_attribution_embeds, compiled)."},
    {"pic_links", (PyCFunction)pic_links, METH_O,
     "pic_links(text) -> (str, ...): pic.twitter.com/CODE for each picture link in text, in "
     "order, each once (archiver.scan.links.reference_pic_links, compiled)."},
    {"has_quote_marker", (PyCFunction)has_quote_marker, METH_O,
     "has_quote_marker(text) -> bool: whether a Markdown quote marker opens a line of text "
     "(archiver.scan.plain.reference_has_quote_marker, compiled)."},
    {"quoted_embeds", (PyCFunction)(void (*)(void))quoted_embeds, METH_FASTCALL,
     "quoted_embeds(text, attributions, ends, floor) -> [Embed]: the record of each "
     "attribution in a text with a Markdown quote, ends the sorted ends of its embeds, its quote "
     "markers read as spaces where they lie (archiver.scan.plain.reference_quoted_embeds of text "
     "and its reference_quote_markers_blanked, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._attributions",
    "An attribution's dash and display name, compiled (archiver/scan/text.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__attributions(void)
{
    return PyModule_Create(&module);
}
