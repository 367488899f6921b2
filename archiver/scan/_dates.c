/* Widget dates read in C: dates.py's match_date and search_date, on _dates.h's reader.
 *
 * dates.reference_match_date and dates.reference_search_date are the rules
 * (tests/test_scan_dates_compiled.py holds these to the same answers). search_date reads each
 * widget's date in HTML (markup._widget_blockquote), where re tried the pattern at each
 * position of the link's text.
 */
#include "_dates.h"

static PyObject *date_match_type; /* dates.DateMatch */

static int
fetch_date_match(void)
{
    if (date_match_type != NULL) {
        return 0;
    }
    if (fetch_date_rules() == -1) {
        return -1;
    }
    PyObject *dates = PyImport_ImportModule("archiver.scan.dates");
    if (dates == NULL) {
        return -1;
    }
    PyObject *type = PyObject_GetAttrString(dates, "DateMatch");
    Py_DECREF(dates);
    if (type == NULL) {
        return -1;
    }
    if (!PyType_Check(type) || !PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "archiver.scan.dates.DateMatch must subclass tuple");
        Py_DECREF(type);
        return -1;
    }
    date_match_type = type;
    return 0;
}

/* DateMatch(iso, start, end), taking iso's reference: a new one, or NULL with an exception */
static PyObject *
new_date_match(PyObject *iso, Py_ssize_t start, Py_ssize_t end)
{
    PyTypeObject *type = (PyTypeObject *)date_match_type;
    PyObject *fields[] = {iso, PyLong_FromSsize_t(start), PyLong_FromSsize_t(end)};
    PyObject *result = NULL;
    if (fields[1] != NULL && fields[2] != NULL && (result = type->tp_alloc(type, 3)) != NULL) {
        for (int i = 0; i < 3; i++) {
            PyTuple_SET_ITEM(result, i, fields[i]);
        }
        return result;
    }
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(fields[i]);
    }
    return NULL;
}

/* The DateMatch of the date that match_date_at read at pos, or None when no calendar has it. */
static PyObject *
date_match_of(PyObject *text_object, const DateFields *fields, Py_ssize_t pos)
{
    PyObject *iso = date_iso_of(text_object, fields);
    if (iso == NULL || iso == Py_None) {
        return iso;
    }
    return new_date_match(iso, pos, fields->end);
}

/* re's reading of a position argument: clamped to 0..length */
static Py_ssize_t
clamped(Py_ssize_t position, Py_ssize_t length)
{
    return position < 0 ? 0 : position > length ? length : position;
}

static PyObject *
match_date(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError,
                        "match_date(text: str, pos: int = 0, endpos: int | None = None)");
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    Py_ssize_t pos = 0, end = text.length;
    if (nargs > 1 && (pos = PyLong_AsSsize_t(args[1])) == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (nargs > 2 && args[2] != Py_None && (end = PyLong_AsSsize_t(args[2])) == -1 &&
        PyErr_Occurred()) {
        return NULL;
    }
    if (fetch_date_match() == -1) {
        return NULL;
    }
    pos = clamped(pos, text.length);
    end = clamped(end, text.length);
    DateFields fields;
    if (!match_date_at(&text, pos, end, &fields)) {
        Py_RETURN_NONE;
    }
    return date_match_of(args[0], &fields, pos);
}

/* dates.reference_search_date: DATE.finditer's matches, each tried from where the last one
 * ended, the first that a calendar has. */
static PyObject *
search_date(PyObject *module, PyObject *text_object)
{
    if (!PyUnicode_Check(text_object)) {
        PyErr_SetString(PyExc_TypeError, "search_date(text: str)");
        return NULL;
    }
    if (fetch_date_match() == -1) {
        return NULL;
    }
    Text text = {PyUnicode_KIND(text_object), PyUnicode_DATA(text_object),
                 PyUnicode_GET_LENGTH(text_object)};
    DateFields fields;
    Py_ssize_t pos = 0;
    while (pos < text.length) {
        /* a date starts with a letter or a digit, the first thing each alternative reads */
        if (!Py_UNICODE_ISALNUM(at(&text, pos)) ||
            !match_date_at(&text, pos, text.length, &fields)) {
            pos++;
            continue;
        }
        PyObject *found = date_match_of(text_object, &fields, pos);
        if (found != Py_None) {
            return found;
        }
        Py_DECREF(found);
        pos = fields.end;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"match_date", (PyCFunction)(void (*)(void))match_date, METH_FASTCALL,
     "match_date(text, pos=0, endpos=None) -> DateMatch or None: the widget date that starts "
     "exactly at text[pos] (archiver.scan.dates.reference_match_date, compiled)."},
    {"search_date", (PyCFunction)search_date, METH_O,
     "search_date(text) -> DateMatch or None: the first widget date anywhere in text "
     "(archiver.scan.dates.reference_search_date, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._dates",
    "Widget dates, compiled (archiver/scan/dates.py).", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__dates(void)
{
    return PyModule_Create(&module);
}
