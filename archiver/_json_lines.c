/* `archiver scan`'s JSON Lines for an article's embeds, compiled.
 *
 * archiver/cli/output.py's reference_embed_lines is the rule: json_lines of each embed's
 * to_dict(), that is a line of json.JSONEncoder(ensure_ascii=False).encode an embed, the lines
 * joined by "\n", then every C1 control written \u00XX. This writes the same text into one
 * string as it reads the embeds' slots (at a post per kB the encoder, the join and the C1 pass
 * were about a third of `archiver scan`'s CPU). tests/test_json_lines_compiled.py holds the two
 * to the same text.
 *
 * The keys and their order are not written here: output.py reads them from Embed.to_dict once
 * and passes them, each with whether to_dict writes its field (a tuple of str) as a list. A
 * value this does not write as json would (anything but str, int, None, and a tuple of str
 * where to_dict lists) raises TypeError, and output.py's embed_lines asks the reference.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_ESCAPE 6 /* \u00XX */

/* Whether json (ensure_ascii=False) and the C1 pass leave c as it is. */
static inline int
is_plain(Py_UCS4 c)
{
    return c >= 0xA0 || (c >= 0x20 && c < 0x80 && c != '"' && c != '\\');
}

/* The escape of a code point that is not plain, as json's encode_basestring writes it, and C1
 * controls as output.py's _json_escape: its length, written to escape. */
static int
escape_code_point(Py_UCS4 c, char *escape)
{
    static const char hex_digits[] = "0123456789abcdef";
    char short_form = 0;
    switch (c) {
    case '"': short_form = '"'; break;
    case '\\': short_form = '\\'; break;
    case '\n': short_form = 'n'; break;
    case '\r': short_form = 'r'; break;
    case '\t': short_form = 't'; break;
    case '\b': short_form = 'b'; break;
    case '\f': short_form = 'f'; break;
    default: break;
    }
    escape[0] = '\\';
    if (short_form) {
        escape[1] = short_form;
        return 2;
    }
    escape[1] = 'u';
    escape[2] = '0';
    escape[3] = '0';
    escape[4] = hex_digits[(c >> 4) & 0xF];
    escape[5] = hex_digits[c & 0xF];
    return MAX_ESCAPE;
}

/* string as a JSON string, quotes included: 0, or -1 with an exception set. Runs of plain code
 * points are copied as they are, in whatever kind the string has. */
static int
write_string(_PyUnicodeWriter *writer, PyObject *string)
{
    int kind = PyUnicode_KIND(string);
    const void *data = PyUnicode_DATA(string);
    Py_ssize_t length = PyUnicode_GET_LENGTH(string), run = 0;
    if (_PyUnicodeWriter_WriteChar(writer, '"') < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_plain(c)) {
            continue;
        }
        char escape[MAX_ESCAPE];
        int escape_length = escape_code_point(c, escape);
        if ((i > run && _PyUnicodeWriter_WriteSubstring(writer, string, run, i) < 0) ||
            _PyUnicodeWriter_WriteASCIIString(writer, escape, escape_length) < 0) {
            return -1;
        }
        run = i + 1;
    }
    if (length > run && _PyUnicodeWriter_WriteSubstring(writer, string, run, length) < 0) {
        return -1;
    }
    return _PyUnicodeWriter_WriteChar(writer, '"');
}

/* An int as int.__repr__ writes it (json's way): 0, or -1 with an exception set. */
static int
write_int(_PyUnicodeWriter *writer, PyObject *number)
{
    int overflow;
    long long value = PyLong_AsLongLongAndOverflow(number, &overflow);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow) {
        PyObject *digits = PyLong_Type.tp_repr(number);
        if (digits == NULL) {
            return -1;
        }
        int written = _PyUnicodeWriter_WriteStr(writer, digits);
        Py_DECREF(digits);
        return written;
    }
    char digits[24]; /* a long long's 19 digits and sign */
    int length = snprintf(digits, sizeof digits, "%lld", value);
    return _PyUnicodeWriter_WriteASCIIString(writer, digits, length);
}

static int
refuse(PyObject *key, PyObject *value, const char *expected)
{
    PyErr_Format(PyExc_TypeError, "embed_lines: field %R is %.100s, not %s", key,
                 Py_TYPE(value)->tp_name, expected);
    return -1;
}

/* A field's value as json writes to_dict's: a tuple of str as a list where listed, else a str,
 * an int (not a bool) or None. 0, or -1 with an exception set (TypeError for any other value). */
static int
write_value(_PyUnicodeWriter *writer, PyObject *key, PyObject *value, int listed)
{
    if (listed) {
        if (!PyTuple_CheckExact(value)) {
            return refuse(key, value, "a tuple of str");
        }
        Py_ssize_t size = PyTuple_GET_SIZE(value);
        for (Py_ssize_t i = 0; i < size; i++) {
            PyObject *item = PyTuple_GET_ITEM(value, i);
            if (!PyUnicode_Check(item)) {
                return refuse(key, item, "str in a tuple");
            }
        }
        if (_PyUnicodeWriter_WriteChar(writer, '[') < 0) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < size; i++) {
            if ((i > 0 && _PyUnicodeWriter_WriteASCIIString(writer, ", ", 2) < 0) ||
                write_string(writer, PyTuple_GET_ITEM(value, i)) < 0) {
                return -1;
            }
        }
        return _PyUnicodeWriter_WriteChar(writer, ']');
    }
    if (value == Py_None) {
        return _PyUnicodeWriter_WriteASCIIString(writer, "null", 4);
    }
    if (PyUnicode_Check(value)) {
        return write_string(writer, value);
    }
    if (PyLong_Check(value) && !PyBool_Check(value)) {
        return write_int(writer, value);
    }
    return refuse(key, value, "str, int or None");
}

/* What each field's value follows in a line: '{' or ", ", its key, ": ". A new str, or NULL with
 * an exception set. */
static PyObject *
key_prefix(PyObject *key, int first)
{
    _PyUnicodeWriter writer;
    _PyUnicodeWriter_Init(&writer);
    if (_PyUnicodeWriter_WriteASCIIString(&writer, first ? "{" : ", ", first ? 1 : 2) < 0 ||
        write_string(&writer, key) < 0 || _PyUnicodeWriter_WriteASCIIString(&writer, ": ", 2) < 0) {
        _PyUnicodeWriter_Dealloc(&writer);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&writer);
}

/* Checks shape, ((key, listed), ...), and fills keys (borrowed), listed and prefixes (new):
 * 0, or -1 with an exception set and no prefix kept. */
static int
read_shape(PyObject *shape, Py_ssize_t fields, PyObject **keys, int *listed, PyObject **prefixes)
{
    for (Py_ssize_t i = 0; i < fields; i++) {
        PyObject *field = PyTuple_GET_ITEM(shape, i);
        if (!PyTuple_Check(field) || PyTuple_GET_SIZE(field) != 2 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(field, 0)) ||
            !PyBool_Check(PyTuple_GET_ITEM(field, 1))) {
            PyErr_SetString(PyExc_TypeError, "embed_lines: shape must hold (key, listed) pairs");
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i < fields; i++) {
        PyObject *field = PyTuple_GET_ITEM(shape, i);
        keys[i] = PyTuple_GET_ITEM(field, 0);
        listed[i] = PyTuple_GET_ITEM(field, 1) == Py_True;
        prefixes[i] = key_prefix(keys[i], i == 0);
        if (prefixes[i] == NULL) {
            for (Py_ssize_t done = 0; done < i; done++) {
                Py_DECREF(prefixes[done]);
            }
            return -1;
        }
    }
    return 0;
}

/* One embed's line: 0, or -1 with an exception set. */
static int
write_line(_PyUnicodeWriter *writer, PyObject *embed, Py_ssize_t fields, PyObject *const *keys,
           const int *listed, PyObject *const *prefixes)
{
    if (fields == 0) {
        return _PyUnicodeWriter_WriteASCIIString(writer, "{}", 2);
    }
    for (Py_ssize_t i = 0; i < fields; i++) {
        if (_PyUnicodeWriter_WriteStr(writer, prefixes[i]) < 0) {
            return -1;
        }
        PyObject *value = PyObject_GetAttr(embed, keys[i]);
        if (value == NULL) {
            return -1;
        }
        int written = write_value(writer, keys[i], value, listed[i]);
        Py_DECREF(value);
        if (written < 0) {
            return -1;
        }
    }
    return _PyUnicodeWriter_WriteChar(writer, '}');
}

/* embed_lines(embeds, shape) */
static PyObject *
embed_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "embed_lines(embeds, shape) takes two tuples");
        return NULL;
    }
    PyObject *embeds = args[0], *shape = args[1];
    Py_ssize_t fields = PyTuple_GET_SIZE(shape);
    PyObject **keys = PyMem_New(PyObject *, fields + 1);
    PyObject **prefixes = PyMem_New(PyObject *, fields + 1);
    int *listed = PyMem_New(int, fields + 1);
    if (keys == NULL || prefixes == NULL || listed == NULL) {
        PyMem_Free(keys);
        PyMem_Free(prefixes);
        PyMem_Free(listed);
        return PyErr_NoMemory();
    }
    PyObject *result = NULL;
    if (read_shape(shape, fields, keys, listed, prefixes) == 0) {
        _PyUnicodeWriter writer;
        _PyUnicodeWriter_Init(&writer);
        writer.overallocate = 1;
        int failed = 0;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(embeds) && !failed; i++) {
            failed = (i > 0 && _PyUnicodeWriter_WriteChar(&writer, '\n') < 0) ||
                     write_line(&writer, PyTuple_GET_ITEM(embeds, i), fields, keys, listed,
                                prefixes) < 0;
        }
        if (failed) {
            _PyUnicodeWriter_Dealloc(&writer);
        }
        else {
            result = _PyUnicodeWriter_Finish(&writer);
        }
        for (Py_ssize_t i = 0; i < fields; i++) {
            Py_DECREF(prefixes[i]);
        }
    }
    PyMem_Free(keys);
    PyMem_Free(prefixes);
    PyMem_Free(listed);
    return result;
}

static PyMethodDef methods[] = {
    {"embed_lines", (PyCFunction)(void (*)(void))embed_lines, METH_FASTCALL,
     "embed_lines(embeds, shape) -> str: the JSON Lines of the embeds (a tuple), shape giving "
     "to_dict's keys in order, each with whether it lists its field "
     "(archiver.cli.output.reference_embed_lines, compiled); TypeError for a value it does not "
     "write."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver._json_lines",
    "`archiver scan`'s JSON Lines for an article's embeds, compiled (archiver/cli/output.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__json_lines(void)
{
    return PyModule_Create(&module);
}
