/* archiver.models.Embed records made in C: what _attributions.c, _bare_urls.c, _flattened.c and
 * _widget.c share.
 *
 * Embed is a frozen dataclass with __slots__ and no __post_init__: Embed(...) does no more than
 * set each slot, which its member descriptor's __set__ does without the frozen __setattr__ (the
 * call with keywords costs a few microseconds a record).
 */
#ifndef ARCHIVER_SCAN_EMBEDS_H
#define ARCHIVER_SCAN_EMBEDS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Embed's fields in models.py's order, and the member descriptor of each slot */
enum {
    E_PLATFORM, E_FORM, E_TEXT, E_START, E_END, E_HANDLE, E_DISPLAY_NAME, E_DATE, E_DATE_TEXT,
    E_PIC_LINKS, E_LINKS, E_STATUS_ID, E_STATUS_URL, E_LANG, EMBED_FIELDS
};
static const char *const EMBED_FIELD_NAMES[EMBED_FIELDS] = {
    "platform", "form", "text", "start", "end", "handle", "display_name", "date", "date_text",
    "pic_links", "links", "status_id", "status_url", "lang"};
static PyTypeObject *embed_type;
static PyObject *embed_slots[EMBED_FIELDS];

/* Keeps ``embed`` (archiver.models.Embed) and its slots' member descriptors for new_embed, at
 * the first call: 0, or -1 with TypeError set when it is not the dataclass new_embed can build. */
static int
keep_embed_type(PyObject *embed)
{
    if (embed_type != NULL) {
        return 0;
    }
    PyTypeObject *type = (PyTypeObject *)embed;
    if (!PyType_Check(embed) || type->tp_new != PyBaseObject_Type.tp_new ||
        PyObject_HasAttrString(embed, "__post_init__")) {
        PyErr_SetString(PyExc_TypeError,
                        "archiver.models.Embed must be a slots dataclass without __post_init__");
        return -1;
    }
    PyObject *slots[EMBED_FIELDS];
    for (int i = 0; i < EMBED_FIELDS; i++) {
        slots[i] = PyDict_GetItemString(type->tp_dict, EMBED_FIELD_NAMES[i]);
        if (slots[i] == NULL || !PyObject_TypeCheck(slots[i], &PyMemberDescr_Type)) {
            PyErr_Format(PyExc_TypeError, "archiver.models.Embed has no slot %s",
                         EMBED_FIELD_NAMES[i]);
            return -1;
        }
    }
    for (int i = 0; i < EMBED_FIELDS; i++) {
        embed_slots[i] = Py_NewRef(slots[i]);
    }
    embed_type = (PyTypeObject *)Py_NewRef(embed);
    return 0;
}

/* Embed(**fields), fields in models.py's order, after keep_embed_type: a new Embed, or NULL with
 * an exception set. */
static PyObject *
new_embed(PyObject *const *fields)
{
    PyObject *result = embed_type->tp_alloc(embed_type, 0);
    if (result == NULL) {
        return NULL;
    }
    for (int i = 0; i < EMBED_FIELDS; i++) {
        PyObject *slot = embed_slots[i];
        if (Py_TYPE(slot)->tp_descr_set(slot, result, fields[i]) == -1) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

#endif
