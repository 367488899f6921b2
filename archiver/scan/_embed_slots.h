/* An archiver.models.Embed made by setting each of its slots through the slot's member
 * descriptor: what Embed(**fields) does for a frozen slots dataclass without __post_init__,
 * without the keyword call and the frozen __setattr__. */
#ifndef ARCHIVER_SCAN_EMBED_SLOTS_H
#define ARCHIVER_SCAN_EMBED_SLOTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Embed's fields in models.py's order */
enum {
    E_PLATFORM, E_FORM, E_TEXT, E_START, E_END, E_HANDLE, E_DISPLAY_NAME, E_DATE, E_DATE_TEXT,
    E_PIC_LINKS, E_LINKS, E_STATUS_ID, E_STATUS_URL, E_LANG, EMBED_FIELDS
};
static const char *const EMBED_FIELD_NAMES[EMBED_FIELDS] = {
    "platform", "form", "text", "start", "end", "handle", "display_name", "date", "date_text",
    "pic_links", "links", "status_id", "status_url", "lang"};

typedef struct {
    PyTypeObject *type;
    PyObject *slots[EMBED_FIELDS]; /* the member descriptor of each field */
} EmbedSlots;

/* Fills ``embed`` from the class ``type`` (new references): 0, or -1 with TypeError set when the
 * class is not a slots dataclass without __post_init__ that has each field as a slot. */
static int
load_embed_slots(PyObject *type, EmbedSlots *embed)
{
    if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_new != PyBaseObject_Type.tp_new ||
        PyObject_HasAttrString(type, "__post_init__")) {
        PyErr_SetString(PyExc_TypeError,
                        "archiver.models.Embed must be a slots dataclass without __post_init__");
        return -1;
    }
    PyObject *slots[EMBED_FIELDS];
    for (int i = 0; i < EMBED_FIELDS; i++) {
        slots[i] = PyDict_GetItemString(((PyTypeObject *)type)->tp_dict, EMBED_FIELD_NAMES[i]);
        if (slots[i] == NULL || !PyObject_TypeCheck(slots[i], &PyMemberDescr_Type)) {
            PyErr_Format(PyExc_TypeError, "archiver.models.Embed has no slot %s",
                         EMBED_FIELD_NAMES[i]);
            return -1;
        }
    }
    embed->type = (PyTypeObject *)Py_NewRef(type);
    for (int i = 0; i < EMBED_FIELDS; i++) {
        embed->slots[i] = Py_NewRef(slots[i]);
    }
    return 0;
}

/* Embed(**fields), fields in EMBED_FIELD_NAMES' order: a new Embed, or NULL with an exception
 * set. */
static PyObject *
new_embed(const EmbedSlots *embed, PyObject *const *fields)
{
    PyObject *result = embed->type->tp_alloc(embed->type, 0);
    if (result == NULL) {
        return NULL;
    }
    for (int i = 0; i < EMBED_FIELDS; i++) {
        PyObject *slot = embed->slots[i];
        if (Py_TYPE(slot)->tp_descr_set(slot, result, fields[i]) == -1) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

#endif
