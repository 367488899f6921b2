/* The dash that opens a flattened attribution and the display name after it, compiled.
 *
 * text.py's reference_dash_and_name is the rule and its documentation; this is the same rule on
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
 */
#include "_code_points.h"

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
    if (contains(text, start, end, "&")) {
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

/* text[dash_end:anchor].strip(NAME_STRIP) as *name_start, *name_end, and whether
 * text._plausible_name takes it. */
static int
plausible_name(const Text *text, Py_ssize_t dash_end, Py_ssize_t anchor, Py_ssize_t *name_start,
               Py_ssize_t *name_end)
{
    Py_ssize_t first = dash_end, end = anchor;
    while (first < end && is_one_of(at(text, first), NAME_STRIP)) {
        first++;
    }
    while (end > first && is_one_of(at(text, end - 1), NAME_STRIP)) {
        end--;
    }
    *name_start = first;
    *name_end = end;
    if (end - first < 1 || end - first > MAX_NAME || contains(text, first, end, "t.co/")) {
        return 0;
    }
    return !contains(text, first, end, "pic.twitter.com/") &&
           !contains(text, first, end, "pic.x.com/");
}

static PyObject *
dash_and_name(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "dash_and_name(text: str, anchor: int, floor: int)");
        return NULL;
    }
    Py_ssize_t anchor = PyLong_AsSsize_t(args[1]);
    Py_ssize_t floor = PyLong_AsSsize_t(args[2]);
    if ((anchor == -1 || floor == -1) && PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[0]);
    if (floor < 0 || anchor < floor || anchor > length) {
        PyErr_SetString(PyExc_ValueError,
                        "dash_and_name needs 0 <= floor <= anchor <= len(text)");
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), length};
    Py_ssize_t window_start = anchor - NAME_WINDOW > floor ? anchor - NAME_WINDOW : floor;
    Py_ssize_t line_start = window_start;
    for (Py_ssize_t i = anchor - 1; i >= window_start; i--) {
        if (at(&text, i) == '\n') {
            line_start = i + 1;
            break;
        }
    }
    Py_ssize_t dash, dash_end, name_start, name_end;
    int found = strongest_dash(&text, line_start, anchor, &dash, &dash_end) &&
                plausible_name(&text, dash_end, anchor, &name_start, &name_end);
    if (!found && (dash = double_hyphen(&text, line_start, anchor)) != -1) {
        dash_end = dash + 2;
        found = plausible_name(&text, dash_end, anchor, &name_start, &name_end);
    }
    if (!found && (dash = lone_hyphen(&text, line_start, anchor)) != -1) {
        dash_end = dash + 1;
        found = plausible_name(&text, dash_end, anchor, &name_start, &name_end);
    }
    if (!found) {
        Py_RETURN_NONE;
    }
    PyObject *name = PyUnicode_Substring(args[0], name_start, name_end);
    return name == NULL ? NULL : Py_BuildValue("nnN", dash, dash_end, name);
}

static PyMethodDef methods[] = {
    {"dash_and_name", (PyCFunction)(void (*)(void))dash_and_name, METH_FASTCALL,
     "dash_and_name(text, anchor, floor) -> (dash start, dash end, display name) or None: the "
     "dash before the attribution whose \"(@\" is at text[anchor] "
     "(archiver.scan.text.reference_dash_and_name, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._dash_and_name",
    "An attribution's dash and display name, compiled (archiver/scan/text.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__dash_and_name(void)
{
    return PyModule_Create(&module);
}
