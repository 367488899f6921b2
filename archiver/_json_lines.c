/* `archiver scan`'s JSON Lines, compiled: an article's embeds, and a crawl's rows.
 *
 * archiver/cli/output.py's json_lines is the rule: a line of json.JSONEncoder(ensure_ascii=False)
 * .encode a value, the lines joined by "\n", then every C1 control written \u00XX. This writes
 * the same text into one string as it reads the values (at a post per kB the encoder, the join
 * and the C1 pass were about a third of `archiver scan`'s CPU, and over a crawl of small articles
 * the largest cost after the scan). tests/test_json_lines_compiled.py holds the two to the same
 * text.
 *
 * embed_lines writes reference_embed_lines, json_lines of each embed's to_dict(), reading the
 * embeds' slots. The keys and their order are not written here: output.py reads them from
 * Embed.to_dict once and passes them, each with whether to_dict writes its field (a tuple of str)
 * as a list. row_lines writes reference_row_lines, json_lines of flat dicts (a crawl's rows,
 * archiver/crawl/rows.py), each of which must have exactly the keys given, in their order. Both
 * read the values into one array and share their sizing and writing. A value this does not write
 * as json would (anything but str, int, None, and a list of str: a tuple where to_dict lists, a
 * list in a row) raises TypeError, and output.py asks the reference.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_ESCAPE 6 /* \u00XX */
#define MAX_DIGITS 24 /* a long long's 19 digits and sign */

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

/* An int as int.__repr__ writes it (json's way), when it fits a long long: its length, written
 * to digits; 0 when it does not fit; -1 with an exception set. */
static int
long_long_digits(PyObject *number, char *digits)
{
    int overflow;
    long long value = PyLong_AsLongLongAndOverflow(number, &overflow);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    return overflow ? 0 : snprintf(digits, MAX_DIGITS, "%lld", value);
}

/* The lines are written in two passes over the same values: the first checks each and sizes
 * the text (its length, and its widest code point, which sets the str's kind), the second
 * writes it into one str of that size. */
typedef struct {
    Py_ssize_t length;
    Py_UCS4 max_char;
} Size;

typedef struct {
    PyObject *text;
    int kind;
    void *data;
    Py_ssize_t position;
} Output;

/* A str written as it is: its length and widest code point. */
static void
size_str(Size *size, PyObject *string)
{
    Py_UCS4 max_char = PyUnicode_MAX_CHAR_VALUE(string);
    size->length += PyUnicode_GET_LENGTH(string);
    size->max_char = max_char > size->max_char ? max_char : size->max_char;
}

/* The index of the first code point in string[start:length] that is not plain, or length: a
 * loop for each kind. */
static inline Py_ssize_t
next_escape(int kind, const void *data, Py_ssize_t start, Py_ssize_t length)
{
    Py_ssize_t i = start;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *code_points = data;
        while (i < length && is_plain(code_points[i])) {
            i++;
        }
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *code_points = data;
        while (i < length && is_plain(code_points[i])) {
            i++;
        }
    }
    else {
        const Py_UCS4 *code_points = data;
        while (i < length && is_plain(code_points[i])) {
            i++;
        }
    }
    return i;
}

/* string as a JSON string, quotes included. The escapes are ASCII, so the widest code point is
 * that of the plain ones: the kind's own bound for ASCII and past one byte, where a canonical
 * str needs it, and counted in one byte, where C1 controls may be the only code points past
 * ASCII. */
static void
size_string(Size *size, PyObject *string)
{
    int kind = PyUnicode_KIND(string);
    const void *data = PyUnicode_DATA(string);
    Py_ssize_t length = PyUnicode_GET_LENGTH(string), escaped = 0;
    Py_UCS4 max_char = PyUnicode_MAX_CHAR_VALUE(string);
    char escape[MAX_ESCAPE];
    if (max_char == 0xFF) {
        max_char = 0x7F;
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            max_char = c >= 0xA0 && c > max_char ? c : max_char;
        }
    }
    for (Py_ssize_t i = next_escape(kind, data, 0, length); i < length;
         i = next_escape(kind, data, i + 1, length)) {
        escaped += escape_code_point(PyUnicode_READ(kind, data, i), escape) - 1;
    }
    size->length += length + escaped + 2;
    size->max_char = max_char > size->max_char ? max_char : size->max_char;
}

/* The keys of a line in order (borrowed), each with what its value follows in the line (new)
 * and the type of a value written as a JSON list (NULL: none is), and which function reads
 * them, for its errors. */
typedef struct {
    const char *function;
    Py_ssize_t fields;
    PyObject **keys;
    PyTypeObject **list_types;
    PyObject **prefixes;
} Shape;

static int
refuse(const Shape *shape, Py_ssize_t field, PyObject *value, const char *expected)
{
    PyErr_Format(PyExc_TypeError, "%s: field %R is %.100s, not %s", shape->function,
                 shape->keys[field], Py_TYPE(value)->tp_name, expected);
    return -1;
}

/* A field's value as json writes it: a list of str where it is of the field's list type, else a
 * str, an int (not a bool) or None. Its size added: 0, or -1 with an exception set (TypeError for
 * any other value). */
static int
size_value(Size *size, const Shape *shape, Py_ssize_t field, PyObject *value)
{
    if (Py_IS_TYPE(value, shape->list_types[field])) {
        Py_ssize_t items = PySequence_Fast_GET_SIZE(value);
        PyObject **item = PySequence_Fast_ITEMS(value);
        for (Py_ssize_t i = 0; i < items; i++) {
            if (!PyUnicode_Check(item[i])) {
                return refuse(shape, field, item[i], "str in a list");
            }
            size_string(size, item[i]);
        }
        size->length += 2 + (items > 0 ? 2 * (items - 1) : 0); /* [] and ", " */
        return 0;
    }
    if (value == Py_None) {
        size->length += 4;
        return 0;
    }
    if (PyUnicode_Check(value)) {
        size_string(size, value);
        return 0;
    }
    if (!PyLong_Check(value) || PyBool_Check(value)) {
        return refuse(shape, field, value, "str, int or None");
    }
    char digits[MAX_DIGITS];
    int length = long_long_digits(value, digits);
    if (length < 0) {
        return -1;
    }
    if (length > 0) {
        size->length += length;
        return 0;
    }
    PyObject *repr = PyLong_Type.tp_repr(value);
    if (repr == NULL) {
        return -1;
    }
    size->length += PyUnicode_GET_LENGTH(repr);
    Py_DECREF(repr);
    return 0;
}

static void
write_ascii(Output *out, const char *ascii, Py_ssize_t length)
{
    for (Py_ssize_t i = 0; i < length; i++) {
        PyUnicode_WRITE(out->kind, out->data, out->position + i, (Py_UCS1)ascii[i]);
    }
    out->position += length;
}

static void
write_str(Output *out, PyObject *string, Py_ssize_t start, Py_ssize_t end)
{
    _PyUnicode_FastCopyCharacters(out->text, out->position, string, start, end - start);
    out->position += end - start;
}

/* string as a JSON string, quotes included: runs of plain code points copied as they are. */
static void
write_string(Output *out, PyObject *string)
{
    int kind = PyUnicode_KIND(string);
    const void *data = PyUnicode_DATA(string);
    Py_ssize_t length = PyUnicode_GET_LENGTH(string), run = 0;
    write_ascii(out, "\"", 1);
    for (Py_ssize_t i = next_escape(kind, data, 0, length); i < length;
         i = next_escape(kind, data, run, length)) {
        char escape[MAX_ESCAPE];
        write_str(out, string, run, i);
        write_ascii(out, escape, escape_code_point(PyUnicode_READ(kind, data, i), escape));
        run = i + 1;
    }
    write_str(out, string, run, length);
    write_ascii(out, "\"", 1);
}

/* A value size_value took: 0, or -1 with an exception set. */
static int
write_value(Output *out, const Shape *shape, Py_ssize_t field, PyObject *value)
{
    if (Py_IS_TYPE(value, shape->list_types[field])) {
        PyObject **item = PySequence_Fast_ITEMS(value);
        write_ascii(out, "[", 1);
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(value); i++) {
            if (i > 0) {
                write_ascii(out, ", ", 2);
            }
            write_string(out, item[i]);
        }
        write_ascii(out, "]", 1);
    }
    else if (value == Py_None) {
        write_ascii(out, "null", 4);
    }
    else if (PyUnicode_Check(value)) {
        write_string(out, value);
    }
    else {
        char digits[MAX_DIGITS];
        int length = long_long_digits(value, digits);
        if (length > 0) {
            write_ascii(out, digits, length);
            return 0;
        }
        PyObject *repr = length == 0 ? PyLong_Type.tp_repr(value) : NULL;
        if (repr == NULL) {
            return -1;
        }
        write_str(out, repr, 0, PyUnicode_GET_LENGTH(repr));
        Py_DECREF(repr);
    }
    return 0;
}

/* What each field's value follows in a line: '{' or ", ", its key as a JSON string, ": ". A new
 * str, or NULL with an exception set. */
static PyObject *
key_prefix(PyObject *key, int first)
{
    Size size = {first ? 3 : 4, 0};
    size_string(&size, key);
    PyObject *prefix = PyUnicode_New(size.length, size.max_char);
    if (prefix == NULL) {
        return NULL;
    }
    Output out = {prefix, PyUnicode_KIND(prefix), PyUnicode_DATA(prefix), 0};
    write_ascii(&out, first ? "{" : ", ", first ? 1 : 2);
    write_string(&out, key);
    write_ascii(&out, ": ", 2);
    return prefix;
}

static void
free_shape(Shape *shape)
{
    if (shape->prefixes != NULL) {
        for (Py_ssize_t i = 0; i < shape->fields; i++) {
            Py_XDECREF(shape->prefixes[i]);
        }
    }
    PyMem_Free(shape->keys);
    PyMem_Free(shape->list_types);
    PyMem_Free(shape->prefixes);
}

/* Room for fields keys: 0, or -1 with an exception set; free_shape either way. */
static int
new_shape(Shape *shape, const char *function, Py_ssize_t fields)
{
    shape->function = function;
    shape->fields = fields;
    shape->keys = PyMem_New(PyObject *, fields + 1);
    shape->list_types = PyMem_New(PyTypeObject *, fields + 1);
    shape->prefixes = PyMem_Calloc(fields + 1, sizeof(PyObject *));
    if (shape->keys == NULL || shape->list_types == NULL || shape->prefixes == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* The field-th key, a str, and its list type: 0, or -1 with an exception set. */
static int
set_field(Shape *shape, Py_ssize_t field, PyObject *key, PyTypeObject *list_type)
{
    shape->keys[field] = key;
    shape->list_types[field] = list_type;
    shape->prefixes[field] = key_prefix(key, field == 0);
    return shape->prefixes[field] == NULL ? -1 : 0;
}

/* embed_lines' shape, ((key, listed), ...): a listed field's value is a tuple, which to_dict
 * lists. 0, or -1 with an exception set; free_shape either way. */
static int
read_embed_shape(Shape *shape, PyObject *pairs)
{
    if (new_shape(shape, "embed_lines", PyTuple_GET_SIZE(pairs)) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < shape->fields; i++) {
        PyObject *pair = PyTuple_GET_ITEM(pairs, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(pair, 0)) ||
            !PyBool_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_SetString(PyExc_TypeError, "embed_lines: shape must hold (key, listed) pairs");
            return -1;
        }
        PyTypeObject *list_type = PyTuple_GET_ITEM(pair, 1) == Py_True ? &PyTuple_Type : NULL;
        if (set_field(shape, i, PyTuple_GET_ITEM(pair, 0), list_type) < 0) {
            return -1;
        }
    }
    return 0;
}

/* row_lines' keys, (key, ...): any field's value may be a list. 0, or -1 with an exception set;
 * free_shape either way. */
static int
read_row_shape(Shape *shape, PyObject *keys)
{
    if (new_shape(shape, "row_lines", PyTuple_GET_SIZE(keys)) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < shape->fields; i++) {
        PyObject *key = PyTuple_GET_ITEM(keys, i);
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "row_lines: keys must be str");
            return -1;
        }
        if (set_field(shape, i, key, &PyList_Type) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Each embed's fields read into values (new references, fields an embed): 0, or -1 with an
 * exception set. */
static int
read_embeds(PyObject *embeds, const Shape *shape, PyObject **values)
{
    for (Py_ssize_t e = 0; e < PyTuple_GET_SIZE(embeds); e++) {
        PyObject *embed = PyTuple_GET_ITEM(embeds, e);
        for (Py_ssize_t i = 0; i < shape->fields; i++) {
            PyObject *value = PyObject_GetAttr(embed, shape->keys[i]);
            values[e * shape->fields + i] = value;
            if (value == NULL) {
                return -1;
            }
            if (shape->list_types[i] != NULL && !Py_IS_TYPE(value, shape->list_types[i])) {
                return refuse(shape, i, value, "a tuple of str");
            }
        }
    }
    return 0;
}

/* Each row's values read into values (new references, fields a row), its keys checked to be the
 * shape's in their order (json writes a dict's in its order): 0, or -1 with an exception set. */
static int
read_rows(PyObject *rows, const Shape *shape, PyObject **values)
{
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(rows); r++) {
        PyObject *row = PyList_GET_ITEM(rows, r), *key, *value;
        if (!PyDict_CheckExact(row)) {
            PyErr_Format(PyExc_TypeError, "row_lines: row %zd is %.100s, not a dict", r,
                         Py_TYPE(row)->tp_name);
            return -1;
        }
        if (PyDict_GET_SIZE(row) != shape->fields) {
            PyErr_Format(PyExc_TypeError, "row_lines: row %zd has %zd keys, not %zd", r,
                         PyDict_GET_SIZE(row), shape->fields);
            return -1;
        }
        Py_ssize_t position = 0;
        for (Py_ssize_t i = 0; PyDict_Next(row, &position, &key, &value); i++) {
            PyObject *expected = shape->keys[i];
            if (key != expected && (!PyUnicode_Check(key) || PyUnicode_Compare(key, expected))) {
                PyErr_Format(PyExc_TypeError, "row_lines: row %zd's key %zd is %R, not %R", r,
                             i, key, expected);
                return -1;
            }
            values[r * shape->fields + i] = Py_NewRef(value);
        }
    }
    return 0;
}

/* The lines of count items whose values (fields an item) are read: a new str, or NULL with an
 * exception set. */
static PyObject *
lines_of(Py_ssize_t count, const Shape *shape, PyObject *const *values)
{
    Py_ssize_t fields = shape->fields;
    Size size = {count > 0 ? count - 1 : 0, 0}; /* the "\n"s */
    for (Py_ssize_t i = 0; i < fields; i++) {
        Size prefix = {0, 0};
        size_str(&prefix, shape->prefixes[i]);
        size.length += prefix.length * count;
        size.max_char = count > 0 && prefix.max_char > size.max_char ? prefix.max_char
                                                                       : size.max_char;
    }
    size.length += (fields > 0 ? 1 : 2) * count; /* "}", or "{}" */
    for (Py_ssize_t e = 0; e < count; e++) {
        for (Py_ssize_t i = 0; i < fields; i++) {
            if (size_value(&size, shape, i, values[e * fields + i]) < 0) {
                return NULL;
            }
        }
    }
    PyObject *text = PyUnicode_New(size.length, size.max_char);
    if (text == NULL) {
        return NULL;
    }
    Output out = {text, PyUnicode_KIND(text), PyUnicode_DATA(text), 0};
    for (Py_ssize_t e = 0; e < count; e++) {
        if (e > 0) {
            write_ascii(&out, "\n", 1);
        }
        if (fields == 0) {
            write_ascii(&out, "{}", 2);
            continue;
        }
        for (Py_ssize_t i = 0; i < fields; i++) {
            write_str(&out, shape->prefixes[i], 0, PyUnicode_GET_LENGTH(shape->prefixes[i]));
            if (write_value(&out, shape, i, values[e * fields + i]) < 0) {
                Py_DECREF(text);
                return NULL;
            }
        }
        write_ascii(&out, "}", 1);
    }
    return text;
}

/* Reads each of items' values (count of them, fields each) into values: 0, or -1 with an
 * exception set. */
typedef int (*ValueReader)(PyObject *items, const Shape *shape, PyObject **values);

/* The lines of items, their values read by read: a new str, or NULL with an exception set. Frees
 * shape. */
static PyObject *
read_lines(PyObject *items, Py_ssize_t count, Shape *shape, ValueReader read)
{
    PyObject *result = NULL, **values = NULL;
    Py_ssize_t slots = 0;
    if (shape->fields == 0 || count < PY_SSIZE_T_MAX / shape->fields) {
        slots = count * shape->fields;
        values = PyMem_Calloc(slots + 1, sizeof(PyObject *));
    }
    if (values == NULL) {
        PyErr_NoMemory();
    }
    else if (read(items, shape, values) == 0) {
        result = lines_of(count, shape, values);
    }
    for (Py_ssize_t i = 0; values != NULL && i < slots; i++) {
        Py_XDECREF(values[i]);
    }
    PyMem_Free(values);
    free_shape(shape);
    return result;
}

/* embed_lines(embeds, shape) */
static PyObject *
embed_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "embed_lines(embeds, shape) takes two tuples");
        return NULL;
    }
    Shape shape = {0};
    if (read_embed_shape(&shape, args[1]) < 0) {
        free_shape(&shape);
        return NULL;
    }
    return read_lines(args[0], PyTuple_GET_SIZE(args[0]), &shape, read_embeds);
}

/* row_lines(rows, keys) */
static PyObject *
row_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyList_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "row_lines(rows, keys) takes a list and a tuple");
        return NULL;
    }
    Shape shape = {0};
    if (read_row_shape(&shape, args[1]) < 0) {
        free_shape(&shape);
        return NULL;
    }
    return read_lines(args[0], PyList_GET_SIZE(args[0]), &shape, read_rows);
}

static PyMethodDef methods[] = {
    {"embed_lines", (PyCFunction)(void (*)(void))embed_lines, METH_FASTCALL,
     "embed_lines(embeds, shape) -> str: the JSON Lines of the embeds (a tuple), shape giving "
     "to_dict's keys in order, each with whether it lists its field "
     "(archiver.cli.output.reference_embed_lines, compiled); TypeError for a value it does not "
     "write."},
    {"row_lines", (PyCFunction)(void (*)(void))row_lines, METH_FASTCALL,
     "row_lines(rows, keys) -> str: the JSON Lines of the rows (a list of dicts, each with "
     "exactly the keys, a tuple of str, in that order) "
     "(archiver.cli.output.reference_row_lines, compiled); TypeError for a row or value it does "
     "not write."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver._json_lines",
    "`archiver scan`'s JSON Lines for an article's embeds and a crawl's rows, compiled "
    "(archiver/cli/output.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__json_lines(void)
{
    return PyModule_Create(&module);
}
