/* html.unescape, looked up at the first call and kept: what _anchors.c and _elements.c share
 * (Python's own table of character references, never a copy of it). */
#ifndef ARCHIVER_SCAN_HTML_UNESCAPE_H
#define ARCHIVER_SCAN_HTML_UNESCAPE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *unescape_function; /* html.unescape */

/* 0 with unescape_function set, or -1 with an exception set. */
static int
load_unescape(void)
{
    if (unescape_function != NULL) {
        return 0;
    }
    PyObject *html = PyImport_ImportModule("html");
    if (html == NULL) {
        return -1;
    }
    unescape_function = PyObject_GetAttrString(html, "unescape");
    Py_DECREF(html);
    return unescape_function == NULL ? -1 : 0;
}

#endif
