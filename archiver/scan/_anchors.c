/* The <a> elements of a stretch of HTML, their links and their text, compiled: html.py's anchors,
 * read by _anchor_reading.h (which _flattened.c shares; the rule and how it is read are told
 * there).
 */
#include "_anchor_reading.h"

/* The (start, href, text, end) of an anchor whose href's value is source[value_start:value_end] */
static PyObject *
anchor_fields(PyObject *source, const Text *text, const Anchor *anchor, Py_ssize_t value_start,
              Py_ssize_t value_end)
{
    PyObject *href = anchor_href(source, value_start, value_end);
    PyObject *visible = anchor_visible_text(source, text, anchor);
    PyObject *fields = NULL;
    if (href != NULL && visible != NULL) {
        fields = Py_BuildValue("(nOOn)", anchor->start, href, visible, anchor->end);
    }
    Py_XDECREF(href);
    Py_XDECREF(visible);
    return fields;
}

static PyObject *
anchors(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "anchors(source: str, start: int, end: int, slack: int)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    Py_ssize_t end = PyLong_AsSsize_t(args[2]);
    Py_ssize_t slack = PyLong_AsSsize_t(args[3]);
    if ((start == -1 || end == -1 || slack == -1) && PyErr_Occurred()) {
        return NULL;
    }
    if (load_unescape() < 0) {
        return NULL;
    }
    AnchorReading reading;
    start_anchors(&reading, args[0], start, end, slack);
    PyObject *found = PyList_New(0);
    Anchor anchor;
    Py_ssize_t value_start, value_end;
    while (found != NULL && next_anchor(&reading, &anchor, &value_start, &value_end)) {
        PyObject *fields = anchor_fields(args[0], &reading.text, &anchor, value_start, value_end);
        if (fields == NULL || PyList_Append(found, fields) < 0) {
            Py_CLEAR(found);
        }
        Py_XDECREF(fields);
    }
    return found;
}

static PyMethodDef methods[] = {
    {"anchors", (PyCFunction)(void (*)(void))anchors, METH_FASTCALL,
     "anchors(source, start, end, slack) -> [(offset, href, text, end)]: each <a> that opens in "
     "source[start:end] (archiver.scan.html.reference_anchors, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._anchors",
    "The <a> elements of a stretch of HTML, compiled (archiver/scan/html.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__anchors(void)
{
    return PyModule_Create(&module);
}
