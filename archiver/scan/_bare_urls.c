/* Bare status URLs alone on their line, compiled.
 *
 * bare_urls.py's reference_find_bare_urls is the rule and its documentation; this is the same
 * rule on the string's code points instead of through re and str calls (issue 17: at a post per
 * kB it was a sixth of the text scanner's time, most of it on "://" inside sentences).
 * tests/test_scan_bare_urls_compiled.py holds the two to the same answers, and
 * benchmarks/scan_compare.py to the same records.
 * After a literal the search goes on from the next newline, whatever it found, so a line is read
 * once: back from its literal only until a second token shows, forward to its end with
 * PyUnicode_FindChar, the search str.find makes for one character.
 * Only a line that is one token is handed to archiver.urls.parse_post_url, in Python.
 * str.split's whitespace is CPython's Py_UNICODE_ISSPACE, which reads "\r" and "\x85" as
 * spaces and only "\n" ends a line, as str.rfind and str.find do in the rule.
 */
#include "_code_points.h"

#define MAX_LINE 2048 /* bare_urls._MAX_LINE */

/* archiver.urls.parse_post_url and bare_urls.BareUrl, fetched at the first call (bare_urls.py
 * imports this module before it is done), and the scheme a URL without one is given. */
static PyObject *parse_post_url, *bare_url, *https;

static int
fetch_helpers(void)
{
    if (https != NULL) {
        return 0;
    }
    PyObject *urls = PyImport_ImportModule("archiver.urls");
    PyObject *bare_urls = PyImport_ImportModule("archiver.scan.bare_urls");
    PyObject *parse = urls ? PyObject_GetAttrString(urls, "parse_post_url") : NULL;
    PyObject *record = bare_urls ? PyObject_GetAttrString(bare_urls, "BareUrl") : NULL;
    PyObject *scheme = PyUnicode_FromString("https://");
    Py_XDECREF(urls);
    Py_XDECREF(bare_urls);
    if (parse == NULL || record == NULL || scheme == NULL) {
        Py_XDECREF(parse);
        Py_XDECREF(record);
        Py_XDECREF(scheme);
        return -1;
    }
    parse_post_url = parse;
    bare_url = record;
    https = scheme;
    return 0;
}

/* Where the next literal is in text[pos:end]: the "/" of "/status", or the ":" before "//" (a
 * "//" is a literal only after a ":" from start on); -1 for none, -2 on error. */
static Py_ssize_t
next_literal(PyObject *object, const Text *text, Py_ssize_t pos, Py_ssize_t start,
             Py_ssize_t end)
{
    for (;;) {
        Py_ssize_t slash = PyUnicode_FindChar(object, '/', pos, end, 1);
        if (slash < 0) {
            return slash;
        }
        if (slash + 1 < end && at(text, slash + 1) == '/') {
            if (slash > start && at(text, slash - 1) == ':') {
                return slash - 1;
            }
        }
        else if (starts_with(text, slash + 1, end, "status")) {
            return slash;
        }
        pos = slash + 1;
    }
}

/* Whether text[literal]'s line holds nothing but its token before it, the line starting after a
 * "\n" less than MAX_LINE back or at start; *token_start is where the token starts. */
static int
alone_from_line_start(const Text *text, Py_ssize_t literal, Py_ssize_t start,
                      Py_ssize_t *token_start)
{
    Py_ssize_t lowest = literal - MAX_LINE > start ? literal - MAX_LINE : start;
    Py_ssize_t i = literal;
    while (i > lowest && !Py_UNICODE_ISSPACE(at(text, i - 1))) {
        i--;
    }
    *token_start = i;
    while (i > lowest && at(text, i - 1) != '\n' && Py_UNICODE_ISSPACE(at(text, i - 1))) {
        i--;
    }
    if (i > lowest) {
        return at(text, i - 1) == '\n'; /* else another token */
    }
    return lowest == start; /* no "\n" in reach: the line started too far back */
}

/* Whether text[literal]'s line, ending at line_end, holds nothing but its token after it;
 * *token_end is where the token ends. */
static int
alone_to_line_end(const Text *text, Py_ssize_t literal, Py_ssize_t line_end,
                  Py_ssize_t *token_end)
{
    Py_ssize_t i = literal;
    while (i < line_end && !Py_UNICODE_ISSPACE(at(text, i))) {
        i++;
    }
    *token_end = i;
    while (i < line_end && Py_UNICODE_ISSPACE(at(text, i))) {
        i++;
    }
    return i == line_end;
}

static inline int
is_wrapper(Py_UCS4 c) /* bare_urls._WRAPPERS */
{
    return c == '<' || c == '>';
}

/* bare_urls._bare_url for the lone token text[token_start:token_end]: appends its BareUrl to
 * found when it names a post; 0, or -1 with an exception set. */
static int
append_bare_url(PyObject *object, const Text *text, Py_ssize_t token_start, Py_ssize_t token_end,
                PyObject *found)
{
    /* the token holds its literal, two characters at least */
    if (is_wrapper(at(text, token_start)) && is_wrapper(at(text, token_end - 1))) {
        token_start++;
        token_end--;
    }
    int has_scheme = 0;
    for (Py_ssize_t i = token_start; i < token_end && !has_scheme; i++) {
        has_scheme = at(text, i) == ':' && starts_with(text, i, token_end, "://");
    }
    PyObject *url = PyUnicode_Substring(object, token_start, token_end);
    if (url != NULL && !has_scheme) {
        Py_SETREF(url, PyUnicode_Concat(https, url));
    }
    if (url == NULL) {
        return -1;
    }
    int result = -1;
    PyObject *post = PyObject_CallOneArg(parse_post_url, url);
    if (post == Py_None) {
        result = 0;
    }
    else if (post != NULL) {
        PyObject *record_args[] = {PyLong_FromSsize_t(token_start),
                                   PyLong_FromSsize_t(token_end), url, post};
        if (record_args[0] != NULL && record_args[1] != NULL) {
            PyObject *record = PyObject_Vectorcall(bare_url, record_args, 4, NULL);
            if (record != NULL) {
                result = PyList_Append(found, record);
                Py_DECREF(record);
            }
        }
        Py_XDECREF(record_args[0]);
        Py_XDECREF(record_args[1]);
    }
    Py_XDECREF(post);
    Py_DECREF(url);
    return result;
}

/* bare_urls.reference_find_bare_urls(text, start=start, end=end) */
static PyObject *
find_bare_urls(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "find_bare_urls(text: str, start: int, end: int)");
        return NULL;
    }
    PyObject *object = args[0];
    Text text = {PyUnicode_KIND(object), PyUnicode_DATA(object), PyUnicode_GET_LENGTH(object)};
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    Py_ssize_t end = PyLong_AsSsize_t(args[2]);
    if ((start == -1 || end == -1) && PyErr_Occurred()) {
        return NULL;
    }
    if (start < 0 || end < start || end > text.length) {
        PyErr_SetString(PyExc_ValueError, "find_bare_urls needs 0 <= start <= end <= len(text)");
        return NULL;
    }
    if (fetch_helpers() < 0) {
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t pos = start;
    for (;;) {
        Py_ssize_t literal = next_literal(object, &text, pos, start, end);
        if (literal == -1) {
            break;
        }
        if (literal == -2) {
            goto error;
        }
        Py_ssize_t newline = PyUnicode_FindChar(object, '\n', literal, end, 1);
        if (newline == -2) {
            goto error;
        }
        /* the rule's str.find reads MAX_LINE characters for the line's "\n"; without one, the
         * line ends at end, MAX_LINE on at most */
        Py_ssize_t line_end = newline == -1 ? end : newline;
        int fits = newline == -1 ? end - literal <= MAX_LINE : newline - literal < MAX_LINE;
        Py_ssize_t token_start, token_end;
        if (fits && alone_from_line_start(&text, literal, start, &token_start) &&
            alone_to_line_end(&text, literal, line_end, &token_end) &&
            append_bare_url(object, &text, token_start, token_end, found) < 0) {
            goto error;
        }
        if (newline == -1) {
            break;
        }
        pos = newline;
    }
    return found;
error:
    Py_DECREF(found);
    return NULL;
}

static PyMethodDef methods[] = {
    {"find_bare_urls", (PyCFunction)(void (*)(void))find_bare_urls, METH_FASTCALL,
     "find_bare_urls(text, start, end) -> [BareUrl]: every post URL that stands alone on its "
     "line in text[start:end] (archiver.scan.bare_urls.reference_find_bare_urls, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._bare_urls",
    "Bare status URLs alone on their line, compiled (archiver/scan/bare_urls.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__bare_urls(void)
{
    return PyModule_Create(&module);
}
