/* The visible text of a stretch of HTML and its map back to the source, compiled.
 *
 * visible.py's reference_visible_text is the loop and its documentation, and _TOKEN the tokens it
 * reads; this is the same loop, token for token, on the string's code points instead of through
 * _TOKEN.finditer (issue 17: the loop was the largest single cost of the HTML scanner at a post
 * per kB). tests/test_scan_visible_compiled.py holds the two to the same VisibleText, and
 * benchmarks/scan_compare.py to the same records. What the patterns do, read off them:
 * - _TOKEN sees nothing past the stretch's end (finditer's endpos): a lookahead there succeeds,
 *   a literal fails. Only the test for a cut "<!" or "<?" (str.startswith) looks past it.
 * - text and spaced both take the whole run up to "<", "&" or the end: text when the run holds
 *   no tab, line break or form feed, else spaced (text's possessive run fails its lookahead).
 *   The run is the piece either way, its line breaks and tabs spaces outside <pre>.
 * - a tag's name stops at 41 characters, but any more name characters are read as attributes
 *   and no name the loop knows is longer than 10: here the whole run is the name. A shorter name
 *   never lets a failed tag match either (its attributes would read the same characters).
 * - a raw-text element's end, </name\s*>, is matched ignoring case as re does: "ſ" (U+017F)
 *   is an "s", "İ" and "ı" (U+0130, U+0131) are an "i"; \s is Py_UNICODE_ISSPACE.
 * Character references are decoded by visible.py's own _unescape (html.unescape, cached).
 */
#include "_visible_text.h"

/* The VisibleText's fields from the pieces: a new tuple, or NULL with an exception set. */
static PyObject *
visible_fields(PyObject *source, const Pieces *pieces)
{
    PyObject *fields = PyTuple_New(5);
    if (fields == NULL) {
        return NULL;
    }
    PyObject *text = joined_text(source, pieces);
    if (text == NULL) {
        Py_DECREF(fields);
        return NULL;
    }
    PyTuple_SET_ITEM(fields, 0, text);
    for (Py_ssize_t field = 1; field < 5; field++) {
        PyObject *list = PyList_New(pieces->count);
        if (list == NULL) {
            Py_DECREF(fields);
            return NULL;
        }
        PyTuple_SET_ITEM(fields, field, list);
    }
    Py_ssize_t text_start = 0;
    for (Py_ssize_t i = 0; i < pieces->count; i++) {
        const Piece *piece = &pieces->items[i];
        PyObject *numbers[3] = {
            PyLong_FromSsize_t(text_start),
            PyLong_FromSsize_t(piece->source_start),
            PyLong_FromSsize_t(piece->source_end),
        };
        for (int k = 0; k < 3; k++) {
            if (numbers[k] == NULL) {
                Py_XDECREF(numbers[0]);
                Py_XDECREF(numbers[1]);
                Py_XDECREF(numbers[2]);
                Py_DECREF(fields);
                return NULL;
            }
        }
        for (int k = 0; k < 3; k++) {
            PyList_SET_ITEM(PyTuple_GET_ITEM(fields, k + 1), i, numbers[k]);
        }
        PyObject *literal = is_literal(piece) ? Py_True : Py_False;
        PyList_SET_ITEM(PyTuple_GET_ITEM(fields, 4), i, Py_NewRef(literal));
        text_start += piece_length(piece);
    }
    return fields;
}

static PyObject *
visible_parts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "visible_parts(source: str, start: int, end: int)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    Py_ssize_t end = PyLong_AsSsize_t(args[2]);
    if ((start == -1 || end == -1) && PyErr_Occurred()) {
        return NULL;
    }
    if (load_visible_unescape() < 0) {
        return NULL;
    }
    /* as finditer's pos and endpos: each held to the source */
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[0]);
    start = start < 0 ? 0 : (start > length ? length : start);
    end = end < 0 ? 0 : (end > length ? length : end);
    Stretch text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), length, end};
    Pieces pieces = {NULL, 0, 0, 0, 0};
    PyObject *fields = NULL;
    if (read_pieces(args[0], &text, start, &pieces) == 0) {
        fields = visible_fields(args[0], &pieces);
    }
    clear_pieces(&pieces);
    return fields;
}

static PyMethodDef methods[] = {
    {"visible_parts", (PyCFunction)(void (*)(void))visible_parts, METH_FASTCALL,
     "visible_parts(source, start, end) -> (text, text_starts, source_starts, source_ends, "
     "literal): the fields of the VisibleText of source[start:end] "
     "(archiver.scan.visible.reference_visible_text, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._visible",
    "The visible text of a stretch of HTML, compiled (archiver/scan/visible.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__visible(void)
{
    return PyModule_Create(&module);
}
