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
 * bare_url_embeds makes plain.py's records of what find_bare_urls finds without the BareUrl
 * between (plain.reference_bare_url_embeds; tests/test_scan_bare_urls_compiled.py),
 * calling plain.clean_status_url back only for a URL with a query.
 * str.split's whitespace is CPython's Py_UNICODE_ISSPACE, which reads "\r" and "\x85" as
 * spaces and only "\n" ends a line, as str.rfind and str.find do in the rule.
 * Both take a fourth argument, blank_markers: when true, they read the text as the rule reads
 * plain.reference_quote_markers_blanked(text), where a URL alone on a Markdown-quoted line stands
 * alone, without that copy of the text made: a quote marker's ">" is one more space
 * (_quote_markers.h), found the same from any start, as the view is the whole text's. Only the
 * walk back from a literal to its line's start meets one: a marker holds no "\n", "/", ":" or
 * letter for the search of a literal or a line's end, and opens its line, before any literal.
 */
#include "_code_points.h"
#include "_embeds.h"
#include "_quote_markers.h"

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

/* Whether text[i] is a space, a quote marker's ">" too when blank_markers */
static inline int
is_space(const Text *text, Py_ssize_t i, int blank_markers)
{
    return blank_markers ? is_space_in_view(text, i) : Py_UNICODE_ISSPACE(at(text, i));
}

/* Whether text[literal]'s line holds nothing but its token before it, the line starting after a
 * "\n" less than MAX_LINE back or at start; *token_start is where the token starts. */
static int
alone_from_line_start(const Text *text, Py_ssize_t literal, Py_ssize_t start, int blank_markers,
                      Py_ssize_t *token_start)
{
    Py_ssize_t lowest = literal - MAX_LINE > start ? literal - MAX_LINE : start;
    Py_ssize_t i = literal;
    while (i > lowest && !is_space(text, i - 1, blank_markers)) {
        i--;
    }
    *token_start = i;
    while (i > lowest && at(text, i - 1) != '\n' && is_space(text, i - 1, blank_markers)) {
        i--;
    }
    if (i > lowest) {
        return at(text, i - 1) == '\n'; /* else another token */
    }
    return lowest == start; /* no "\n" in reach: the line started too far back */
}

/* Whether text[literal]'s line, ending at line_end, holds nothing but its token after it;
 * *token_end is where the token ends. No quote marker lies after a literal: one opens its line. */
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

/* What a lone token that names a post becomes: a new record of the token text[token_start:
 * token_end] (its wrappers left out), its URL with a scheme and the post parse_post_url read
 * from it; or NULL with an exception set. */
typedef PyObject *(*RecordOf)(Py_ssize_t token_start, Py_ssize_t token_end, PyObject *url,
                              PyObject *post);

/* bare_urls.BareUrl(start, end, url, post) */
static PyObject *
bare_url_of(Py_ssize_t token_start, Py_ssize_t token_end, PyObject *url, PyObject *post)
{
    PyObject *record = NULL;
    PyObject *record_args[] = {PyLong_FromSsize_t(token_start), PyLong_FromSsize_t(token_end),
                               url, post};
    if (record_args[0] != NULL && record_args[1] != NULL) {
        record = PyObject_Vectorcall(bare_url, record_args, 4, NULL);
    }
    Py_XDECREF(record_args[0]);
    Py_XDECREF(record_args[1]);
    return record;
}

/* bare_urls._bare_url for the lone token text[token_start:token_end]: appends record_of's
 * record to found when it names a post; 0, or -1 with an exception set. */
static int
append_bare_url(PyObject *object, const Text *text, Py_ssize_t token_start, Py_ssize_t token_end,
                RecordOf record_of, PyObject *found)
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
        PyObject *record = record_of(token_start, token_end, url, post);
        if (record != NULL) {
            result = PyList_Append(found, record);
            Py_DECREF(record);
        }
    }
    Py_XDECREF(post);
    Py_DECREF(url);
    return result;
}

/* reference_find_bare_urls(text, start=start, end=end)'s loop, each URL found made a record by
 * record_of, text read as its reference_quote_markers_blanked when a fourth argument is true: a
 * new list, or NULL with an exception set. */
static PyObject *
bare_urls_in(PyObject *const *args, Py_ssize_t nargs, const char *name, RecordOf record_of)
{
    if (nargs < 3 || nargs > 4 || !PyUnicode_Check(args[0])) {
        PyErr_Format(PyExc_TypeError,
                     "%s(text: str, start: int, end: int, blank_markers: bool = False)", name);
        return NULL;
    }
    int blank_markers = nargs == 4 ? PyObject_IsTrue(args[3]) : 0;
    if (blank_markers == -1) {
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
        PyErr_Format(PyExc_ValueError, "%s needs 0 <= start <= end <= len(text)", name);
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
        if (fits && alone_from_line_start(&text, literal, start, blank_markers, &token_start) &&
            alone_to_line_end(&text, literal, line_end, &token_end) &&
            append_bare_url(object, &text, token_start, token_end, record_of, found) < 0) {
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

/* bare_urls.reference_find_bare_urls(text, start=start, end=end) */
static PyObject *
find_bare_urls(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    return bare_urls_in(args, nargs, "find_bare_urls", bare_url_of);
}

/* What plain.bare_url_embed builds with or calls back, from archiver.scan.plain at the first
 * call of bare_url_embeds (plain.py imports this module before it is done); the names of
 * PostRef's fields; the text of a record that shows none. */
static PyObject *status_url_form, *clean_status_url, *platform_name, *post_id_name, *handle_name,
    *no_text;

static int
fetch_embed_helpers(void)
{
    if (no_text != NULL) {
        return 0;
    }
    PyObject *plain = PyImport_ImportModule("archiver.scan.plain");
    if (plain == NULL) {
        return -1;
    }
    PyObject *embed = PyObject_GetAttrString(plain, "Embed");
    PyObject *forms = PyObject_GetAttrString(plain, "EmbedForm");
    PyObject *clean = PyObject_GetAttrString(plain, "clean_status_url");
    Py_DECREF(plain);
    PyObject *values[] = {forms ? PyObject_GetAttrString(forms, "STATUS_URL") : NULL, clean,
                          PyUnicode_InternFromString("platform"),
                          PyUnicode_InternFromString("post_id"),
                          PyUnicode_InternFromString("handle"), PyUnicode_New(0, 0)};
    enum { VALUES = sizeof values / sizeof *values };
    int ok = embed != NULL && keep_embed_type(embed) == 0;
    for (int i = 0; i < VALUES; i++) {
        ok = ok && values[i] != NULL;
    }
    Py_XDECREF(embed);
    Py_XDECREF(forms);
    if (!ok) {
        for (int i = 0; i < VALUES; i++) {
            Py_XDECREF(values[i]);
        }
        return -1;
    }
    status_url_form = values[0];
    clean_status_url = values[1];
    platform_name = values[2];
    post_id_name = values[3];
    handle_name = values[4];
    no_text = values[5];
    return 0;
}

/* plain.bare_url_embed(BareUrl(start, end, url, post)): the URL is its token, without a space
 * for str.strip to take, so links.clean_status_url gives it back whole unless it has a query */
static PyObject *
status_url_embed(Py_ssize_t token_start, Py_ssize_t token_end, PyObject *url, PyObject *post)
{
    PyObject *embed = NULL;
    Py_ssize_t question = PyUnicode_FindChar(url, '?', 0, PyUnicode_GET_LENGTH(url), 1);
    PyObject *status_url = question == -2  ? NULL
                           : question == -1 ? Py_NewRef(url)
                                            : PyObject_CallOneArg(clean_status_url, url);
    PyObject *platform = PyObject_GetAttr(post, platform_name);
    PyObject *post_id = PyObject_GetAttr(post, post_id_name);
    PyObject *handle = PyObject_GetAttr(post, handle_name);
    PyObject *start = PyLong_FromSsize_t(token_start);
    PyObject *end = PyLong_FromSsize_t(token_end);
    PyObject *no_links = PyTuple_New(0);
    if (status_url != NULL && platform != NULL && post_id != NULL && handle != NULL &&
        start != NULL && end != NULL && no_links != NULL) {
        PyObject *fields[EMBED_FIELDS] = {
            platform, status_url_form, no_text, start, end, handle, Py_None, Py_None, Py_None,
            no_links, no_links, post_id, status_url, Py_None,
        };
        embed = new_embed(fields);
    }
    Py_XDECREF(status_url);
    Py_XDECREF(platform);
    Py_XDECREF(post_id);
    Py_XDECREF(handle);
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(no_links);
    return embed;
}

/* plain.reference_bare_url_embeds(text, start=start, end=end) */
static PyObject *
bare_url_embeds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (fetch_embed_helpers() < 0) {
        return NULL;
    }
    return bare_urls_in(args, nargs, "bare_url_embeds", status_url_embed);
}

static PyMethodDef methods[] = {
    {"find_bare_urls", (PyCFunction)(void (*)(void))find_bare_urls, METH_FASTCALL,
     "find_bare_urls(text, start, end, blank_markers=False) -> [BareUrl]: every post URL that "
     "stands alone on its line in text[start:end], its Markdown quote markers spaces with "
     "blank_markers (archiver.scan.bare_urls.reference_find_bare_urls of text, or of "
     "archiver.scan.plain.reference_quote_markers_blanked(text), compiled)."},
    {"bare_url_embeds", (PyCFunction)(void (*)(void))bare_url_embeds, METH_FASTCALL,
     "bare_url_embeds(text, start, end, blank_markers=False) -> [Embed]: the record of each post "
     "URL that stands alone on its line in text[start:end], its Markdown quote markers spaces "
     "with blank_markers (archiver.scan.plain.reference_bare_url_embeds of text, or of "
     "reference_quote_markers_blanked(text), compiled)."},
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
