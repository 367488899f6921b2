/* The pre-filter's searches over a whole HTML page, compiled.
 *
 * prefilter.py's reference_find_candidates is the rule and its documentation; this is the same
 * three searches in one pass over the string's code points instead of three re passes (issue 17:
 * they were a tenth of the HTML scanner's time at a post per kB). tests/test_scan_prefilter_compiled.py
 * holds the two to the same candidates, and benchmarks/scan_compare.py to the same records.
 * What the patterns do, read off them:
 * - _OPENER's names are spelled with explicit classes ([bB]…) or in lower case only: no case
 *   folding; its lookahead needs one more character, which re's \s reads as Py_UNICODE_ISSPACE.
 * - a script or style ends after its first _CLOSER (</script\s*>, the same classes), else at the
 *   page's end; the search for the next opener resumes there, for an element right after its
 *   name.
 * - _ANCHOR and _TEXT_NODE_URL run over each stretch between code (finditer's endpos: a match
 *   must end by the stretch's end). Neither match can hold the first character of another, so
 *   every position where one matches is found.
 * - each search reaches its next character with memchr (in two-byte strings for the byte of
 *   the character, each hit checked; wmemchr in four-byte strings): the "(" and the ">" of the
 *   last two are found apart and taken in order, as the merged search would meet them.
 * - _TEXT_NODE_URL's run of spaces holds no "h": it matches when the whole run, 200 characters
 *   at most, is followed by "http://" or "https://".
 */
#include "_code_points.h"

#define MAX_URL_INDENT 200

static const char *const ELEMENT_NAMES[] = {"blockquote", "iframe", NULL}; /* any case */
static const char *const LOWER_CASE_NAMES[] = {"twitter-widget", "amp-twitter", "amp-instagram",
                                               NULL};
static const char *const CODE_NAMES[] = {"script", "style", NULL}; /* any case */
/* The first letters of all these names, a bit each from "a" (set when the module loads): a "<"
 * followed by another letter opens none of them. */
static uint32_t first_letters;

static void
note_first_letters(const char *const *names)
{
    for (; *names; names++) {
        first_letters |= (uint32_t)1 << ((*names)[0] - 'a');
    }
}

static inline Py_UCS4
ascii_lower(Py_UCS4 c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* The first index of c in text[pos:end], else end: memchr or wmemchr, as this runs over the
 * whole page (find_code_point's loop for two-byte strings reads every character). */
static Py_ssize_t
find_or_end(const Text *text, Py_UCS4 c, Py_ssize_t pos, Py_ssize_t end)
{
    if (text->kind == PyUnicode_2BYTE_KIND && c <= 0xFF && pos < end) {
        /* memchr for the byte c is, as str.find searches two-byte strings: each byte found,
         * the low or the high of a code point, is checked as part of it */
        const Py_UCS2 *data = text->data;
        const char *from = (const char *)(data + pos), *stop = (const char *)(data + end);
        const char *hit;
        while ((hit = memchr(from, (int)c, (size_t)(stop - from))) != NULL) {
            Py_ssize_t index = (hit - (const char *)data) / 2;
            if (data[index] == c) {
                return index;
            }
            from = hit + 1;
        }
        return end;
    }
    Py_ssize_t found = find_code_point(text, c, pos, end);
    return found == -1 ? end : found;
}

/* Whether the lower-case ASCII name starts at text[pos], its letters in either case. */
static int
starts_with_any_case(const Text *text, Py_ssize_t pos, const char *name)
{
    for (Py_ssize_t i = 0; name[i]; i++) {
        if (pos + i >= text->length ||
            ascii_lower(at(text, pos + i)) != (Py_UCS4)(unsigned char)name[i]) {
            return 0;
        }
    }
    return 1;
}

/* Whether name starts at text[pos] (its letters in either case when any_case) followed by \s,
 * ">" or "/": the lookahead after each of _OPENER's names. */
static int
name_at(const Text *text, Py_ssize_t pos, const char *name, int any_case)
{
    int found = any_case ? starts_with_any_case(text, pos, name)
                         : starts_with(text, pos, text->length, name);
    Py_ssize_t length = found ? (Py_ssize_t)strlen(name) : 0;
    if (!found || pos + length >= text->length) {
        return 0;
    }
    Py_UCS4 next = at(text, pos + length);
    return Py_UNICODE_ISSPACE(next) || next == '>' || next == '/';
}

/* The first of names (ended by NULL) at text[pos], as name_at reads them; NULL when none is.
 * ``first`` is text[pos]: a name that does not start with it is passed over without a call. */
static const char *
first_name_at(const Text *text, Py_ssize_t pos, const char *const *names, int any_case,
              Py_UCS4 first)
{
    first = any_case ? ascii_lower(first) : first;
    for (; *names; names++) {
        if (first == (Py_UCS4)(unsigned char)(*names)[0] && name_at(text, pos, *names, any_case)) {
            return *names;
        }
    }
    return NULL;
}

/* Where the first "</name\s*>" at or after pos ends, or the text's length. */
static Py_ssize_t
code_end(const Text *text, Py_ssize_t pos, const char *name)
{
    for (Py_ssize_t i = find_or_end(text, '<', pos, text->length); i + 1 < text->length;
         i = find_or_end(text, '<', i + 1, text->length)) {
        if (at(text, i + 1) != '/' ||
            !starts_with_any_case(text, i + 2, name)) {
            continue;
        }
        Py_ssize_t j = i + 2 + (Py_ssize_t)strlen(name);
        while (j < text->length && Py_UNICODE_ISSPACE(at(text, j))) {
            j++;
        }
        if (j < text->length && at(text, j) == '>') {
            return j + 1;
        }
    }
    return text->length;
}

static int
append_position(PyObject *list, Py_ssize_t pos)
{
    PyObject *number = PyLong_FromSsize_t(pos);
    if (number == NULL) {
        return -1;
    }
    int result = PyList_Append(list, number);
    Py_DECREF(number);
    return result;
}

static int
append_range(PyObject *list, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *range = Py_BuildValue("(nn)", start, end);
    if (range == NULL) {
        return -1;
    }
    int result = PyList_Append(list, range);
    Py_DECREF(range);
    return result;
}

/* Whether _ANCHOR matches at text[pos] ("("), within end. */
static int
is_anchor(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    if (pos + 1 >= end) {
        return 0;
    }
    Py_UCS4 next = at(text, pos + 1);
    if (next == '@') {
        return 1;
    }
    if (next != '<' || pos + 3 >= end || ascii_lower(at(text, pos + 2)) != 'a') {
        return 0;
    }
    Py_UCS4 after = at(text, pos + 3);
    return Py_UNICODE_ISSPACE(after) || after == '>';
}

/* Where _TEXT_NODE_URL's URL starts when it matches at text[pos] (">"), within end; else -1. */
static Py_ssize_t
text_node_url(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t url = pos + 1;
    while (url < end && url - pos - 1 <= MAX_URL_INDENT) {
        Py_UCS4 c = at(text, url);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0xA0) {
            break;
        }
        url++;
    }
    if (url - pos - 1 > MAX_URL_INDENT) {
        return -1;
    }
    if (starts_with(text, url, end, "http://") || starts_with(text, url, end, "https://")) {
        return url;
    }
    return -1;
}

/* The anchors and the text nodes' URLs in text[start:end]: the "(" and the ">" in it, each
 * found with find_or_end and taken in the order they come. */
static int
find_in_stretch(const Text *text, Py_ssize_t start, Py_ssize_t end, PyObject *anchors,
                PyObject *urls)
{
    Py_ssize_t paren = find_or_end(text, '(', start, end);
    Py_ssize_t close = find_or_end(text, '>', start, end);
    while (paren < end || close < end) {
        if (paren < close) {
            if (is_anchor(text, paren, end) && append_position(anchors, paren) < 0) {
                return -1;
            }
            paren = find_or_end(text, '(', paren + 1, end);
        }
        else {
            Py_ssize_t url = text_node_url(text, close, end);
            if (url >= 0 && append_position(urls, url) < 0) {
                return -1;
            }
            close = find_or_end(text, '>', close + 1, end);
        }
    }
    return 0;
}

/* _OPENER's loop, and the other two searches in each stretch between code. */
static int
find_all(const Text *text, PyObject *elements, PyObject *code, PyObject *anchors, PyObject *urls)
{
    Py_ssize_t pos = 0, stretch = 0;
    while ((pos = find_or_end(text, '<', pos, text->length)) < text->length) {
        Py_UCS4 first = pos + 1 < text->length ? at(text, pos + 1) : 0;
        if (!is_ascii_letter(first) || !((first_letters >> (ascii_lower(first) - 'a')) & 1)) {
            pos++; /* every name starts with one of the letters: not "</", "<!" nor a lone "<" */
            continue;
        }
        const char *name = first_name_at(text, pos + 1, ELEMENT_NAMES, 1, first);
        if (name == NULL) {
            name = first_name_at(text, pos + 1, LOWER_CASE_NAMES, 0, first);
        }
        if (name != NULL) {
            if (append_position(elements, pos) < 0) {
                return -1;
            }
            pos += 1 + (Py_ssize_t)strlen(name);
            continue;
        }
        name = first_name_at(text, pos + 1, CODE_NAMES, 1, first);
        if (name == NULL) {
            pos++;
            continue;
        }
        Py_ssize_t end = code_end(text, pos + 1 + (Py_ssize_t)strlen(name), name);
        if (append_range(code, pos, end) < 0 ||
            find_in_stretch(text, stretch, pos, anchors, urls) < 0) {
            return -1;
        }
        pos = stretch = end;
    }
    return find_in_stretch(text, stretch, text->length, anchors, urls);
}

static PyObject *
candidates(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 1 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "candidates(source: str)");
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    PyObject *elements = PyList_New(0), *code = PyList_New(0);
    PyObject *anchors = PyList_New(0), *urls = PyList_New(0);
    PyObject *found = NULL;
    if (elements != NULL && code != NULL && anchors != NULL && urls != NULL &&
        find_all(&text, elements, code, anchors, urls) == 0) {
        found = PyTuple_Pack(4, elements, code, anchors, urls);
    }
    Py_XDECREF(elements);
    Py_XDECREF(code);
    Py_XDECREF(anchors);
    Py_XDECREF(urls);
    return found;
}

static PyMethodDef methods[] = {
    {"candidates", (PyCFunction)(void (*)(void))candidates, METH_FASTCALL,
     "candidates(source) -> (elements, code, anchors, urls): the fields of the PageCandidates "
     "of source (archiver.scan.prefilter.reference_find_candidates, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._prefilter",
    "The pre-filter's searches over an HTML page, compiled (archiver/scan/prefilter.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__prefilter(void)
{
    note_first_letters(ELEMENT_NAMES);
    note_first_letters(LOWER_CASE_NAMES);
    note_first_letters(CODE_NAMES);
    return PyModule_Create(&module);
}
