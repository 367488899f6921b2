/* `archiver scan`'s JSON Lines, compiled, in UTF-8: an article's embeds, and a crawl's rows.
 *
 * archiver/cli/output.py's json_lines is the rule: a line of json.JSONEncoder(ensure_ascii=False)
 * .encode a value, the lines joined by "\n", then every C1 control written \u00XX. This writes
 * that text encoded in UTF-8, what `archiver scan` prints, into one bytes object as it reads the
 * values (at a post per kB the encoder, the join and the C1 pass were about a third of `archiver
 * scan`'s CPU, and over a crawl of small articles the largest cost after the scan; a str of the
 * lines, encoded after, took 4 bytes a character wherever one line held an emoji, and a second
 * pass). tests/test_json_lines_compiled.py holds the two to the same bytes.
 *
 * embed_lines_utf8 writes reference_embed_lines, json_lines of each embed's to_dict(), reading
 * the embeds' slots. The keys and their order are not written here: output.py reads them from
 * Embed.to_dict once and passes them, each with whether to_dict writes its field (a tuple of str)
 * as a list. record_lines_utf8 writes reference_record_lines, the rows of one record of a crawl
 * (archiver/crawl/rows.py): each the record's columns, the embed's ordinal, then the embed's
 * fields, with no dict made for a row (making them cost as much as writing them), the record's
 * columns written in its first row and copied in the others. Both read the values into one array
 * and share their writing. A value this does not write as json would (anything but str, int,
 * None, and a tuple of str where to_dict lists) raises TypeError, and output.py asks the
 * reference. A lone surrogate, which UTF-8 cannot hold (a file name's bytes that are not UTF-8,
 * as Python reads them), is written \uXXXX, as output.py's pass writes C1 controls: JSON reads it
 * back as the same str.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_ESCAPE 6 /* \uXXXX */
#define MAX_DIGITS 24 /* a long long's 19 digits and sign */
/* A str's writing, inlined for each kind */
#define KIND_INLINE static inline __attribute__((always_inline))

/* Whether json (ensure_ascii=False) and output.py's pass over C1 controls and lone surrogates
 * leave c as it is. */
static inline int
is_plain(Py_UCS4 c)
{
    return (c >= 0xA0 && !Py_UNICODE_IS_SURROGATE(c)) ||
           (c >= 0x20 && c < 0x80 && c != '"' && c != '\\');
}

/* The escape of a code point that is not plain, as json's encode_basestring writes it, and C1
 * controls and lone surrogates as output.py's _json_escape: its length, written to escape. */
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
    escape[2] = hex_digits[(c >> 12) & 0xF];
    escape[3] = hex_digits[(c >> 8) & 0xF];
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
    if (overflow) {
        return 0;
    }
    /* The digits from the last, of the magnitude as an unsigned long long (-LLONG_MIN does not
     * fit a long long); not snprintf, which parses its format for every int. */
    char reversed[MAX_DIGITS];
    unsigned long long magnitude = (unsigned long long)value;
    if (value < 0) {
        magnitude = 0ULL - magnitude;
    }
    int count = 0;
    do {
        reversed[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    int length = 0;
    if (value < 0) {
        digits[length++] = '-';
    }
    while (count > 0) {
        digits[length++] = reversed[--count];
    }
    return length;
}

/* The lines are written in one pass, each value checked as it is written, into a bytes object
 * grown as it fills (never past twice what is written and the most the next value can take) and
 * cut to what was written at the end. */
typedef struct {
    PyObject *lines; /* NULL once a growth failed */
    char *bytes;
    Py_ssize_t position;
    Py_ssize_t capacity;
} Output;

/* The most room an output is given: far more than memory holds, and a bytes object's header
 * added to it still fits a Py_ssize_t. */
#define MAX_CAPACITY (PY_SSIZE_T_MAX / 2)

/* An output of room for capacity bytes: 0, or -1 with an exception set. */
static int
open_output(Output *out, Py_ssize_t capacity)
{
    out->lines = PyBytes_FromStringAndSize(NULL, capacity);
    out->bytes = out->lines == NULL ? NULL : PyBytes_AS_STRING(out->lines);
    out->position = 0;
    out->capacity = capacity;
    return out->lines == NULL ? -1 : 0;
}

/* The bytes written, the rest of the room cut off: new bytes, or NULL with an exception set. */
static PyObject *
close_output(Output *out)
{
    if (_PyBytes_Resize(&out->lines, out->position) < 0) {
        return NULL;
    }
    return out->lines;
}

/* Room for length more bytes: where there is not, the bytes grown to twice what is written and
 * length. 0, or -1 with an exception set. */
static int
reserve(Output *out, Py_ssize_t length)
{
    if (length <= out->capacity - out->position) {
        return 0;
    }
    if (length > MAX_CAPACITY - 2 * out->position) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t capacity = 2 * out->position + length;
    if (_PyBytes_Resize(&out->lines, capacity) < 0) {
        return -1;
    }
    out->bytes = PyBytes_AS_STRING(out->lines);
    out->capacity = capacity;
    return 0;
}

/* bytes written in the room reserved for them. */
static inline void
copy_bytes(Output *out, const char *bytes, Py_ssize_t length)
{
    memcpy(out->bytes + out->position, bytes, length);
    out->position += length;
}

/* bytes written, room made for them: 0, or -1 with an exception set. */
static inline int
write_bytes(Output *out, const char *bytes, Py_ssize_t length)
{
    if (reserve(out, length) < 0) {
        return -1;
    }
    copy_bytes(out, bytes, length);
    return 0;
}

/* The length in UTF-8 of a plain code point (no surrogate). */
static inline int
utf8_length(Py_UCS4 c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* What a code point becomes in the lines: its escape where it is not plain, else its UTF-8
 * bytes, a lead byte and 6 bits a continuation byte. Its length, written to bytes. */
static inline int
encode_code_point(Py_UCS4 c, char *bytes)
{
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0}; /* by length */
    if (!is_plain(c)) {
        return escape_code_point(c, bytes);
    }
    int length = utf8_length(c);
    if (length == 1) {
        bytes[0] = (char)c;
        return 1;
    }
    for (int i = length - 1; i > 0; i--) {
        bytes[i] = (char)(0x80 | (c & 0x3F));
        c >>= 6;
    }
    bytes[0] = (char)(lead[length] | c);
    return length;
}

/* The index of the first code point in an ASCII str's code_points[start:length] that is not
 * plain, or length. */
static inline Py_ssize_t
next_escape(const Py_UCS1 *code_points, Py_ssize_t start, Py_ssize_t length)
{
    Py_ssize_t i = start;
    while (i < length && is_plain(code_points[i])) {
        i++;
    }
    return i;
}

/* string's code points, read as kind, each as encode_code_point writes it, in reserved room. */
KIND_INLINE void
copy_code_points(Output *out, PyObject *string, int kind)
{
    const void *data = PyUnicode_DATA(string);
    Py_ssize_t length = PyUnicode_GET_LENGTH(string);
    for (Py_ssize_t i = 0; i < length; i++) {
        out->position += encode_code_point(PyUnicode_READ(kind, data, i),
                                           out->bytes + out->position);
    }
}

/* The most bytes string takes as a JSON string, quotes included, its every code point escaped;
 * more than an output holds when that does not fit one. */
static Py_ssize_t
string_room(PyObject *string)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(string);
    return length > MAX_CAPACITY / MAX_ESCAPE ? MAX_CAPACITY + 1 : MAX_ESCAPE * length + 2;
}

/* string as a JSON string, quotes included, in the room for its every code point escaped: an
 * ASCII str's runs of plain code points copied as they are, any other str's code points encoded
 * one by one. 0, or -1 with an exception set. */
static int
write_string(Output *out, PyObject *string)
{
    if (reserve(out, string_room(string)) < 0) {
        return -1;
    }
    copy_bytes(out, "\"", 1);
    if (PyUnicode_IS_ASCII(string)) {
        const Py_UCS1 *code_points = PyUnicode_1BYTE_DATA(string);
        Py_ssize_t length = PyUnicode_GET_LENGTH(string), run = 0;
        for (Py_ssize_t i = next_escape(code_points, 0, length); i < length;
             i = next_escape(code_points, run, length)) {
            copy_bytes(out, (const char *)code_points + run, i - run);
            out->position += escape_code_point(code_points[i], out->bytes + out->position);
            run = i + 1;
        }
        copy_bytes(out, (const char *)code_points + run, length - run);
    }
    else if (PyUnicode_KIND(string) == PyUnicode_1BYTE_KIND) {
        copy_code_points(out, string, PyUnicode_1BYTE_KIND);
    }
    else if (PyUnicode_KIND(string) == PyUnicode_2BYTE_KIND) {
        copy_code_points(out, string, PyUnicode_2BYTE_KIND);
    }
    else {
        copy_code_points(out, string, PyUnicode_4BYTE_KIND);
    }
    copy_bytes(out, "\"", 1);
    return 0;
}

/* The keys of a line in order (borrowed), each with what its value follows in the line (new
 * bytes, once make_prefixes made them) and the type of a value written as a JSON list (NULL:
 * none is), and which function reads them, for its errors. */
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

/* An int as int.__repr__ writes it (json's way): 0, or -1 with an exception set. */
static int
write_int(Output *out, PyObject *number)
{
    char digits[MAX_DIGITS];
    int length = long_long_digits(number, digits);
    if (length != 0) {
        return length < 0 ? -1 : write_bytes(out, digits, length);
    }
    PyObject *repr = PyLong_Type.tp_repr(number);
    if (repr == NULL) {
        return -1;
    }
    int written = write_bytes(out, (const char *)PyUnicode_1BYTE_DATA(repr),
                              PyUnicode_GET_LENGTH(repr)); /* ASCII */
    Py_DECREF(repr);
    return written;
}

/* A field's value of its list type as a JSON list of str: 0, or -1 with an exception set
 * (TypeError for an item that is not a str). */
static int
write_list(Output *out, const Shape *shape, Py_ssize_t field, PyObject *value)
{
    PyObject **item = PySequence_Fast_ITEMS(value);
    if (write_bytes(out, "[", 1) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(value); i++) {
        if (!PyUnicode_Check(item[i])) {
            return refuse(shape, field, item[i], "str in a list");
        }
        if ((i > 0 && write_bytes(out, ", ", 2) < 0) || write_string(out, item[i]) < 0) {
            return -1;
        }
    }
    return write_bytes(out, "]", 1);
}

/* A field's value as json writes it: a list of str where it is of the field's list type, else a
 * str, an int (not a bool) or None. 0, or -1 with an exception set (TypeError for any other
 * value). */
static int
write_value(Output *out, const Shape *shape, Py_ssize_t field, PyObject *value)
{
    if (Py_IS_TYPE(value, shape->list_types[field])) {
        return write_list(out, shape, field, value);
    }
    if (value == Py_None) {
        return write_bytes(out, "null", 4);
    }
    if (PyUnicode_Check(value)) {
        return write_string(out, value);
    }
    if (!PyLong_Check(value) || PyBool_Check(value)) {
        return refuse(shape, field, value, "str, int or None");
    }
    return write_int(out, value);
}

/* What each field's value follows in a line: '{' or ", ", its key as a JSON string, ": ". New
 * bytes, or NULL with an exception set. */
static PyObject *
key_prefix(PyObject *key, int first)
{
    Output out;
    if (open_output(&out, 4 + string_room(key)) < 0) {
        return NULL;
    }
    if (write_bytes(&out, first ? "{" : ", ", first ? 1 : 2) < 0 || write_string(&out, key) < 0 ||
        write_bytes(&out, ": ", 2) < 0) {
        Py_XDECREF(out.lines);
        return NULL;
    }
    return close_output(&out);
}

/* The prefixes made so far, by key: a crawl writes the same keys for every record, and making
 * them afresh took 0.4 us of the 1.9 a record of one row did (docs/benchmarks.md). [0] holds the
 * later fields', [1] a line's first field's; each at most PREFIXES_KEPT keys, so that records of
 * ever new keys cannot grow them without bound. */
#define PREFIXES_KEPT 256
static PyObject *kept_prefixes[2];

/* key_prefix(key, first), kept for the next call when key is a str itself (a subclass may
 * compare equal to a key it does not spell): new bytes, or NULL with an exception set. */
static PyObject *
kept_key_prefix(PyObject *key, int first)
{
    PyObject **kept = &kept_prefixes[first != 0];
    if (!PyUnicode_CheckExact(key)) {
        return key_prefix(key, first);
    }
    if (*kept == NULL && (*kept = PyDict_New()) == NULL) {
        return NULL;
    }
    PyObject *prefix = PyDict_GetItemWithError(*kept, key);
    if (prefix != NULL || PyErr_Occurred()) {
        return Py_XNewRef(prefix);
    }
    prefix = key_prefix(key, first);
    if (prefix != NULL && PyDict_GET_SIZE(*kept) < PREFIXES_KEPT &&
        PyDict_SetItem(*kept, key, prefix) < 0) {
        Py_CLEAR(prefix);
    }
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

/* The field-th key, a str, and its list type. */
static void
set_field(Shape *shape, Py_ssize_t field, PyObject *key, PyTypeObject *list_type)
{
    shape->keys[field] = key;
    shape->list_types[field] = list_type;
}

/* Each key's prefix, made when there is a line to write: 0, or -1 with an exception set. */
static int
make_prefixes(Shape *shape)
{
    for (Py_ssize_t i = 0; i < shape->fields; i++) {
        shape->prefixes[i] = kept_key_prefix(shape->keys[i], i == 0);
        if (shape->prefixes[i] == NULL) {
            return -1;
        }
    }
    return 0;
}

/* The shape's fields from first on read from pairs, ((key, listed), ...): a listed field's value
 * is a tuple, which to_dict lists. 0, or -1 with TypeError set. */
static int
read_pairs(Shape *shape, Py_ssize_t first, PyObject *pairs)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(pairs); i++) {
        PyObject *pair = PyTuple_GET_ITEM(pairs, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(pair, 0)) ||
            !PyBool_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_Format(PyExc_TypeError, "%s: shape must hold (key, listed) pairs",
                         shape->function);
            return -1;
        }
        PyTypeObject *list_type = PyTuple_GET_ITEM(pair, 1) == Py_True ? &PyTuple_Type : NULL;
        set_field(shape, first + i, PyTuple_GET_ITEM(pair, 0), list_type);
    }
    return 0;
}

/* embed_lines_utf8's shape: the pairs'. 0, or -1 with an exception set; free_shape either way. */
static int
read_embed_shape(Shape *shape, PyObject *pairs)
{
    if (new_shape(shape, "embed_lines_utf8", PyTuple_GET_SIZE(pairs)) < 0) {
        return -1;
    }
    return read_pairs(shape, 0, pairs);
}

/* record_lines_utf8's shape: the record's keys (str, none listed), then the pairs' (the first the
 * ordinal's). 0, or -1 with an exception set; free_shape either way. */
static int
read_record_shape(Shape *shape, PyObject *record, PyObject *pairs)
{
    Py_ssize_t columns = PyDict_GET_SIZE(record), position = 0;
    if (new_shape(shape, "record_lines_utf8", columns + PyTuple_GET_SIZE(pairs)) < 0) {
        return -1;
    }
    PyObject *key, *value;
    for (Py_ssize_t i = 0; PyDict_Next(record, &position, &key, &value); i++) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "record_lines_utf8: the record's keys must be str");
            return -1;
        }
        set_field(shape, i, key, NULL);
    }
    return read_pairs(shape, columns, pairs);
}

/* An embed's fields from shape's field first on, read into values[first:] (new references):
 * 0, or -1 with an exception set. */
static int
read_embed_fields(PyObject *embed, const Shape *shape, Py_ssize_t first, PyObject **values)
{
    for (Py_ssize_t i = first; i < shape->fields; i++) {
        PyObject *value = PyObject_GetAttr(embed, shape->keys[i]);
        values[i] = value;
        if (value == NULL) {
            return -1;
        }
        if (shape->list_types[i] != NULL && !Py_IS_TYPE(value, shape->list_types[i])) {
            return refuse(shape, i, value, "a tuple of str");
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
        if (read_embed_fields(PyTuple_GET_ITEM(embeds, e), shape, 0, values + e * shape->fields)) {
            return -1;
        }
    }
    return 0;
}

/* The values of the rows of one record's embeds, items being (record, embeds): the record's
 * values (the first row's only: every row shares them), the embed's ordinal, then its fields (new
 * references, fields a row): 0, or -1 with an exception set. */
static int
read_record_rows(PyObject *items, const Shape *shape, PyObject **values)
{
    PyObject *record = PyTuple_GET_ITEM(items, 0), *embeds = PyTuple_GET_ITEM(items, 1), *key,
             *value;
    Py_ssize_t columns = PyDict_GET_SIZE(record), position = 0;
    if (PyTuple_GET_SIZE(embeds) == 0) {
        return 0; /* no row, and no room for the record's values */
    }
    for (Py_ssize_t i = 0; PyDict_Next(record, &position, &key, &value); i++) {
        values[i] = Py_NewRef(value);
    }
    for (Py_ssize_t e = 0; e < PyTuple_GET_SIZE(embeds); e++) {
        PyObject **row = values + e * shape->fields;
        row[columns] = PyLong_FromSsize_t(e);
        if (row[columns] == NULL ||
            read_embed_fields(PyTuple_GET_ITEM(embeds, e), shape, columns + 1, row) < 0) {
            return -1;
        }
    }
    return 0;
}

/* The bytes of count lines without their values, fewer than the lines take: the room first given
 * them. */
static Py_ssize_t
frame_size(Py_ssize_t count, const Shape *shape)
{
    Py_ssize_t size = count - 1; /* the "\n"s */
    for (Py_ssize_t i = 0; i < shape->fields; i++) {
        size += PyBytes_GET_SIZE(shape->prefixes[i]) * count;
    }
    return size + (shape->fields > 0 ? 1 : 2) * count; /* "}", or "{}" */
}

/* The fields from first to end of a line, of an item's values: 0, or -1 with an exception set. */
static int
write_fields(Output *out, const Shape *shape, PyObject *const *values, Py_ssize_t first,
             Py_ssize_t end)
{
    for (Py_ssize_t i = first; i < end; i++) {
        PyObject *prefix = shape->prefixes[i];
        if (write_bytes(out, PyBytes_AS_STRING(prefix), PyBytes_GET_SIZE(prefix)) < 0 ||
            write_value(out, shape, i, values[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

/* One line of an item's values, its first shared fields the same in every line: written in the
 * first line (which the lines start with), their bytes then counted in *head, and copied from
 * there in the others. 0, or -1 with an exception set. */
static int
write_line(Output *out, const Shape *shape, PyObject *const *values, Py_ssize_t shared,
           Py_ssize_t *head, int first)
{
    if (shape->fields == 0) {
        return write_bytes(out, "{}", 2);
    }
    if (first) {
        if (write_fields(out, shape, values, 0, shared) < 0) {
            return -1;
        }
        *head = out->position;
    }
    else if (reserve(out, *head) < 0) {
        return -1;
    }
    else {
        copy_bytes(out, out->bytes, *head); /* the room reserved lies past them */
    }
    if (write_fields(out, shape, values, shared, shape->fields) < 0) {
        return -1;
    }
    return write_bytes(out, "}", 1);
}

/* The lines of count items whose values (fields an item) are read, the first shared fields the
 * same in every line (a crawl's record is written once, not once a row): new bytes, or NULL with
 * an exception set, nothing written kept. */
static PyObject *
lines_of(Py_ssize_t count, Shape *shape, PyObject *const *values, Py_ssize_t shared)
{
    if (count == 0) {
        return PyBytes_FromStringAndSize(NULL, 0);
    }
    Output out;
    if (make_prefixes(shape) < 0 || open_output(&out, frame_size(count, shape)) < 0) {
        return NULL;
    }
    Py_ssize_t head = 0;
    for (Py_ssize_t e = 0; e < count; e++) {
        if ((e > 0 && write_bytes(&out, "\n", 1) < 0) ||
            write_line(&out, shape, values + e * shape->fields, shared, &head, e == 0) < 0) {
            Py_XDECREF(out.lines);
            return NULL;
        }
    }
    return close_output(&out);
}

/* Reads each of items' values (count of them, fields each) into values: 0, or -1 with an
 * exception set. */
typedef int (*ValueReader)(PyObject *items, const Shape *shape, PyObject **values);

/* The lines of items, their values read by read: new bytes, or NULL with an exception set. Frees
 * shape. */
static PyObject *
read_lines(PyObject *items, Py_ssize_t count, Shape *shape, ValueReader read, Py_ssize_t shared)
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
        result = lines_of(count, shape, values, shared);
    }
    for (Py_ssize_t i = 0; values != NULL && i < slots; i++) {
        Py_XDECREF(values[i]);
    }
    PyMem_Free(values);
    free_shape(shape);
    return result;
}

/* embed_lines_utf8(embeds, shape) */
static PyObject *
embed_lines_utf8(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "embed_lines_utf8(embeds, shape) takes two tuples");
        return NULL;
    }
    Shape shape = {0};
    if (read_embed_shape(&shape, args[1]) < 0) {
        free_shape(&shape);
        return NULL;
    }
    return read_lines(args[0], PyTuple_GET_SIZE(args[0]), &shape, read_embeds, 0);
}

/* record_lines_utf8(record, embeds, shape) */
static PyObject *
record_lines_utf8(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyDict_CheckExact(args[0]) || !PyTuple_Check(args[1]) ||
        !PyTuple_Check(args[2]) || PyTuple_GET_SIZE(args[2]) == 0) {
        PyErr_SetString(PyExc_TypeError, "record_lines_utf8(record, embeds, shape) takes a dict "
                                         "and two tuples, the shape not empty");
        return NULL;
    }
    /* A copy of the record, which the shape's keys are borrowed from: no embed's attribute,
     * read between two rows, can change it. */
    PyObject *record = PyDict_Copy(args[0]);
    PyObject *items = record == NULL ? NULL : PyTuple_Pack(2, record, args[1]);
    Py_XDECREF(record);
    if (items == NULL) {
        return NULL;
    }
    Shape shape = {0};
    PyObject *lines = NULL;
    if (read_record_shape(&shape, PyTuple_GET_ITEM(items, 0), args[2]) < 0) {
        free_shape(&shape);
    }
    else {
        lines = read_lines(items, PyTuple_GET_SIZE(args[1]), &shape, read_record_rows,
                           PyDict_GET_SIZE(PyTuple_GET_ITEM(items, 0)));
    }
    Py_DECREF(items);
    return lines;
}

static PyMethodDef methods[] = {
    {"embed_lines_utf8", (PyCFunction)(void (*)(void))embed_lines_utf8, METH_FASTCALL,
     "embed_lines_utf8(embeds, shape) -> bytes: the JSON Lines of the embeds (a tuple) in UTF-8, "
     "shape giving to_dict's keys in order, each with whether it lists its field "
     "(archiver.cli.output.reference_embed_lines, compiled and encoded); TypeError for a value "
     "it does not write."},
    {"record_lines_utf8", (PyCFunction)(void (*)(void))record_lines_utf8, METH_FASTCALL,
     "record_lines_utf8(record, embeds, shape) -> bytes: the JSON Lines in UTF-8 of the rows of "
     "one record's embeds (a tuple): each the record's items (a dict with str keys), then shape's "
     "first key with the embed's ordinal, then its fields as embed_lines_utf8 writes them for the "
     "rest of shape (archiver.cli.output.reference_record_lines, compiled and encoded); TypeError "
     "for a value it does not write."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver._json_lines",
    "`archiver scan`'s JSON Lines for an article's embeds and a crawl's rows, compiled, in UTF-8 "
    "(archiver/cli/output.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__json_lines(void)
{
    return PyModule_Create(&module);
}
