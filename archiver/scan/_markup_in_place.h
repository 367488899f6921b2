/* A blockquote's markup read where it lies in the page, as _snippet.c and _linked.c hand their
 * readers to _elements.c.
 *
 * _snippet.c's read_snippet and _linked.c's read_linked take the blockquote's markup as a str,
 * which markup_embeds cut out of the page for each one (a copy of a kB or two). Each module also
 * puts in a capsule its reader of page[start:end] in place: the same answer, the markup cut out
 * only where it has not the plain shape and goes to lxml. _elements.c calls it only where markup.py
 * binds read_snippet (read_linked) to that module's own (docs/development.md, "The compiled
 * twins": a test or a user may bind another).
 */
#ifndef ARCHIVER_MARKUP_IN_PLACE_H
#define ARCHIVER_MARKUP_IN_PLACE_H

#include "_code_points.h"

#define SNIPPET_IN_PLACE_CAPSULE "archiver.scan._snippet.read_snippet_in_place"
#define LINKED_IN_PLACE_CAPSULE "archiver.scan._linked.read_linked_in_place"

/* reader(page, start, end): what the module's reader gives for page[start:end], a str and
 * 0 <= start <= end <= len(page): a new reference, or NULL with an exception set. */
typedef PyObject *(*ReadInPlace)(PyObject *page, Py_ssize_t start, Py_ssize_t end);

/* page[start:end] as a Text, read in place */
static inline Text
text_in_place(PyObject *page, Py_ssize_t start, Py_ssize_t end)
{
    int kind = PyUnicode_KIND(page);
    return (Text){kind, (const char *)PyUnicode_DATA(page) + start * kind, end - start};
}

/* The module with its reader in a capsule named capsule_name: 0, or -1 with an exception set. */
static inline int
add_reader_in_place(PyObject *module, ReadInPlace reader, const char *capsule_name)
{
    const char *attribute = strrchr(capsule_name, '.') + 1;
    PyObject *capsule = PyCapsule_New((void *)reader, capsule_name, NULL);
    if (capsule == NULL || PyModule_AddObject(module, attribute, capsule) == -1) {
        Py_XDECREF(capsule);
        return -1;
    }
    return 0;
}

#endif
