/* The links of a post that are not picture links, compiled.
 *
 * links.py's reference_other_links is the rule and its documentation; this is the same rule on
 * the string's code points instead of through re and str calls (issue 17: at a post per kB a
 * post's links were a twentieth of the text scanner's time, most of it in the calls each link
 * makes). tests/test_scan_links_compiled.py holds the two to the same answers, and
 * benchmarks/scan_compare.py to the same records. The patterns it reads as loops, as re runs
 * them:
 * links._LINK, (?:https?://|\bt\.co/)[^\s<>"'\u00ab\u00bb\u201c\u201d]{1,2000}, searched from
 * the end of the last match: re's \s and \b read CPython's Py_UNICODE_ISSPACE and
 * Py_UNICODE_ISALNUM (or "_"), the \b looking at the character before the match, wherever the
 * search started.
 * urls._PIC_LINK, read by _link_code.h as urls.normalise_pic_link's twin reads it: a link holds
 * no space, so its strip() and the "$" before a final newline change nothing.
 */
#include "_link_code.h"

#define MAX_LINK 2000 /* links._MAX_LINK, and the longest run _LINK takes after its scheme */

/* links._TRAILING_PUNCTUATION */
static const Py_UCS4 TRAILING_PUNCTUATION[] = {
    '.', ',', ';', ':', '!', '?', 0x2026, '\'', '"', ')', ']', '}', 0xBB, 0x201D, 0x2019, 0};
/* what _LINK's run stops at besides \s */
static const Py_UCS4 LINK_ENDS[] = {'<', '>', '"', '\'', 0xAB, 0xBB, 0x201C, 0x201D, 0};

static inline int
is_word(Py_UCS4 c) /* re's \w in a str pattern */
{
    return Py_UNICODE_ISALNUM(c) || c == '_';
}

/* The length of _LINK's opening at text[pos] ("https://", "http://", or "t.co/" where a word
 * starts), or 0 for none. */
static Py_ssize_t
link_opening(const Text *text, Py_ssize_t pos)
{
    if (starts_with(text, pos, text->length, "https://")) {
        return 8;
    }
    if (starts_with(text, pos, text->length, "http://")) {
        return 7;
    }
    if (starts_with(text, pos, text->length, "t.co/") && (pos == 0 || !is_word(at(text, pos - 1)))) {
        return 5;
    }
    return 0;
}

/* links.trim_link(text[start:end]): the end of the link once the punctuation that ends the
 * sentence around it is left out. */
static Py_ssize_t
trimmed_end(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    if (end - start > MAX_LINK) {
        end = start + MAX_LINK;
    }
    Py_ssize_t opening = 0, closing = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = at(text, i);
        opening += c == '(';
        closing += c == ')';
    }
    while (end > start && is_one_of(at(text, end - 1), TRAILING_PUNCTUATION)) {
        if (at(text, end - 1) == ')') {
            if (opening >= closing) {
                break;
            }
            closing--;
        }
        end--;
    }
    return end;
}

/* links.reference_other_links(text) */
static PyObject *
other_links(PyObject *module, PyObject *object)
{
    if (!PyUnicode_Check(object)) {
        PyErr_SetString(PyExc_TypeError, "other_links(text: str)");
        return NULL;
    }
    Text text = {PyUnicode_KIND(object), PyUnicode_DATA(object), PyUnicode_GET_LENGTH(object)};
    PyObject *found = PyDict_New(); /* the links in order, each once */
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    while (pos < text.length) {
        Py_ssize_t opening = link_opening(&text, pos);
        Py_ssize_t run = pos + opening, end = run;
        while (opening && end < text.length && end - run < MAX_LINK &&
               !Py_UNICODE_ISSPACE(at(&text, end)) && !is_one_of(at(&text, end), LINK_ENDS)) {
            end++;
        }
        if (end == run) { /* no link starts here */
            pos++;
            continue;
        }
        Py_ssize_t link_end = trimmed_end(&text, pos, end);
        if (link_end > pos && !(link_end - pos >= 3 && at(&text, link_end - 3) == ':' &&
                                at(&text, link_end - 2) == '/' && at(&text, link_end - 1) == '/') &&
            link_code_start(&text, pos, link_end, 1) < 0) {
            PyObject *link = PyUnicode_Substring(object, pos, link_end);
            if (link == NULL || PyDict_SetItem(found, link, Py_None) < 0) {
                Py_XDECREF(link);
                Py_DECREF(found);
                return NULL;
            }
            Py_DECREF(link);
        }
        pos = end;
    }
    PyObject *links = PyDict_Size(found) ? PySequence_Tuple(found) : PyTuple_New(0);
    Py_DECREF(found);
    return links;
}

static PyMethodDef methods[] = {
    {"other_links", other_links, METH_O,
     "other_links(text) -> (link, ...): the links in text that are not picture links, in order, "
     "once each (archiver.scan.links.reference_other_links, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._links",
    "The links of a post that are not picture links, compiled (archiver/scan/links.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__links(void)
{
    return PyModule_Create(&module);
}
