/* Markup in a plain shape read code point by code point, as libxml2's HTML parser (lxml) reads
 * it, or found outside that shape: what _snippet.c and _linked.c share. Each reads one blockquote
 * whose elements it knows; these read its characters, references and start tags:
 * - a start tag's attributes each after a space, tab or line break: a name [A-Za-z][A-Za-z0-9_:.-]*
 *   (libxml2 lowers its case; the first of two alike counts), "=", and a value in double or
 *   single quotes or unquoted (no space, quote, "<", ">", "=", "`" or "&" in it); where the
 *   reader allows it (bare_attributes), a name alone, which libxml2 gives the value "".
 * - text and values hold no character libxml2 or markup._parse changes: none of the controls
 *   (but tab and line feed, and no carriage return: libxml2 makes line breaks of them), U+007F to
 *   U+009F, surrogates, noncharacters. A "&" opens a reference ending in ";": a named one of
 *   NAMED_REFERENCES or a decimal or hexadecimal one whose character is such a character;
 *   where the reader allows it (bare_ampersands), a "&" before a space, tab or line feed is
 *   itself.
 * A <br> is markup._LINE_BREAK in the text, as markup._parse puts one before each <br>'s tail.
 */
#ifndef ARCHIVER_SCAN_PLAIN_MARKUP_H
#define ARCHIVER_SCAN_PLAIN_MARKUP_H

#include "_code_points.h"
#include "_markup_in_place.h"

#define LINE_BREAK 0x2028 /* markup._LINE_BREAK */
#define MAX_DECIMAL_DIGITS 7
#define MAX_HEX_DIGITS 6

/* What reading a piece of the markup found: an error (an exception is set), markup outside the
 * shape, or the piece read. */
enum { FAILED = -1, OUTSIDE = 0, READ = 1 };

typedef struct {
    const char *name; /* with its ";" */
    Py_UCS4 character;
} NamedReference;

/* Named references libxml2 decodes, each to one character (the test checks each against lxml). */
static const NamedReference NAMED_REFERENCES[] = {
    {"amp;", '&'},       {"lt;", '<'},        {"gt;", '>'},        {"quot;", '"'},
    {"apos;", '\''},     {"nbsp;", 0xA0},     {"mdash;", 0x2014},  {"ndash;", 0x2013},
    {"hellip;", 0x2026}, {"lsquo;", 0x2018},  {"rsquo;", 0x2019},  {"ldquo;", 0x201C},
    {"rdquo;", 0x201D},  {"laquo;", 0xAB},    {"raquo;", 0xBB},    {"middot;", 0xB7},
    {"bull;", 0x2022},   {"copy;", 0xA9},     {"reg;", 0xAE},      {"trade;", 0x2122},
    {"euro;", 0x20AC},   {"pound;", 0xA3},    {"times;", 0xD7},    {NULL, 0},
};

typedef struct {
    Text text;
    Py_ssize_t pos;
    Py_UCS4 *chars; /* the quote's string() so far: its text, LINE_BREAK for each <br> */
    Py_ssize_t length;
    Py_UCS4 *value; /* an attribute's value being read */
    int bare_attributes; /* whether an attribute may be its name alone */
    int bare_ampersands; /* whether a "&" before a space, tab or line feed is one */
} Reader;

/* Whether the character, in the text or from a reference, is one libxml2 and markup._parse keep
 * as it is. */
static inline int
is_plain(Py_UCS4 c)
{
    if (c < 0xA0) {
        return c == '\t' || c == '\n' || (c >= 0x20 && c < 0x7F);
    }
    if (c >= 0xD800 && c <= 0xDFFF) { /* surrogates */
        return 0;
    }
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) { /* noncharacters */
        return 0;
    }
    return c <= 0x10FFFF;
}

static inline int
is_tag_space(Py_UCS4 c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* The digit's value in base 16 when hex, else 10, or -1 when it is none. */
static inline int
digit_value(Py_UCS4 c, int hex)
{
    if (is_ascii_digit(c)) {
        return (int)(c - '0');
    }
    if (!hex) {
        return -1;
    }
    if (c >= 'a' && c <= 'f') {
        return (int)(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return (int)(c - 'A' + 10);
    }
    return -1;
}

static inline int
is_attribute_name_char(Py_UCS4 c)
{
    return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == ':' || c == '.' || c == '-';
}

static inline int
is_unquoted_value_char(Py_UCS4 c)
{
    return !is_tag_space(c) && c != '"' && c != '\'' && c != '<' && c != '>' && c != '=' &&
           c != '`' && c != '&';
}

/* Whether text[start:end] is the ASCII lower-case name, in any case. */
static int
is_name(const Text *text, Py_ssize_t start, Py_ssize_t end, const char *name)
{
    Py_ssize_t length = (Py_ssize_t)strlen(name);
    if (end - start != length) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = at(text, start + i);
        if (c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if (c != (Py_UCS4)(unsigned char)name[i]) {
            return 0;
        }
    }
    return 1;
}

/* The reference at text[pos] == "&": READ with *decoded and *end filled, or OUTSIDE. */
static int
read_reference(const Text *text, Py_ssize_t pos, Py_UCS4 *decoded, Py_ssize_t *end)
{
    Py_ssize_t p = pos + 1;
    if (p < text->length && at(text, p) == '#') {
        p++;
        int hex = p < text->length && (at(text, p) == 'x' || at(text, p) == 'X');
        p += hex;
        Py_ssize_t digits_start = p;
        Py_UCS4 value = 0;
        for (; p < text->length && p - digits_start < (hex ? MAX_HEX_DIGITS : MAX_DECIMAL_DIGITS);
             p++) {
            int digit = digit_value(at(text, p), hex);
            if (digit < 0) {
                break;
            }
            value = value * (hex ? 16 : 10) + (Py_UCS4)digit;
        }
        if (p == digits_start || p >= text->length || at(text, p) != ';' || !is_plain(value)) {
            return OUTSIDE;
        }
        *decoded = value;
        *end = p + 1;
        return READ;
    }
    for (const NamedReference *named = NAMED_REFERENCES; named->name; named++) {
        if (starts_with(text, p, text->length, named->name)) {
            *decoded = named->character;
            *end = p + (Py_ssize_t)strlen(named->name);
            return READ;
        }
    }
    return OUTSIDE;
}

/* The character at the reader's position, read into out[*count] and the position moved past
 * it: a plain character or a reference (READ), or neither (OUTSIDE). */
static int
read_character(Reader *reader, Py_UCS4 *out, Py_ssize_t *count)
{
    Py_UCS4 c = at(&reader->text, reader->pos);
    if (c == '&' && reader->bare_ampersands && reader->pos + 1 < reader->text.length &&
        is_tag_space(at(&reader->text, reader->pos + 1))) {
        reader->pos++;
    }
    else if (c == '&') {
        Py_ssize_t end;
        if (read_reference(&reader->text, reader->pos, &c, &end) != READ) {
            return OUTSIDE;
        }
        reader->pos = end;
    }
    else if (is_plain(c)) {
        reader->pos++;
    }
    else {
        return OUTSIDE;
    }
    out[(*count)++] = c;
    return READ;
}

/* The run of characters at the reader's position that read_character reads as themselves, up to
 * stop, a "&" or a character it does not take: copied into out[*count:] and the reader moved
 * past them. One loop for each kind, so that no character is read through a switch on it. */
#define PLAIN_RUN(type)                                                                         \
    {                                                                                           \
        const type *data = reader->text.data;                                                   \
        for (; pos < end && data[pos] != stop && data[pos] != '&' && is_plain(data[pos]); pos++) { \
            out[length++] = data[pos];                                                          \
        }                                                                                       \
        break;                                                                                  \
    }

static inline void
read_plain_run(Reader *reader, Py_UCS4 stop, Py_UCS4 *out, Py_ssize_t *count)
{
    Py_ssize_t pos = reader->pos, end = reader->text.length, length = *count;
    EACH_KIND(reader->text.kind, PLAIN_RUN)
    reader->pos = pos;
    *count = length;
}
#undef PLAIN_RUN

/* The value of the attribute whose "=" the reader has passed, read and, when *wanted is NULL, kept
 * in it as a new str. */
static int
read_value(Reader *reader, int keep, PyObject **wanted)
{
    const Text *text = &reader->text;
    while (reader->pos < text->length && is_tag_space(at(text, reader->pos))) {
        reader->pos++;
    }
    if (reader->pos >= text->length) {
        return OUTSIDE;
    }
    Py_UCS4 quote = at(text, reader->pos);
    int quoted = quote == '"' || quote == '\'';
    reader->pos += quoted;
    Py_ssize_t length = 0;
    while (reader->pos < text->length) {
        if (quoted) {
            read_plain_run(reader, quote, reader->value, &length);
            if (reader->pos >= text->length) {
                break;
            }
        }
        Py_UCS4 c = at(text, reader->pos);
        if (quoted ? c == quote : !is_unquoted_value_char(c)) {
            break;
        }
        if (read_character(reader, reader->value, &length) != READ) {
            return OUTSIDE;
        }
    }
    if (reader->pos >= text->length || (!quoted && length == 0)) {
        return OUTSIDE;
    }
    reader->pos += quoted;
    if (keep && *wanted == NULL) {
        *wanted = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, reader->value, length);
        if (*wanted == NULL) {
            return FAILED;
        }
    }
    return READ;
}

/* A start tag's attributes and its end, the reader past the tag's name: READ with the reader
 * past the ">", *self_closing set for "/>", and *wanted (NULL on entry) the value of the
 * attribute called wanted_name when there is one (a new str). */
static int
read_attributes(Reader *reader, const char *wanted_name, PyObject **wanted, int *self_closing)
{
    const Text *text = &reader->text;
    *self_closing = 0;
    while (reader->pos < text->length) {
        Py_UCS4 c = at(text, reader->pos);
        if (c == '>') {
            reader->pos++;
            return READ;
        }
        if (c == '/') {
            if (reader->pos + 1 >= text->length || at(text, reader->pos + 1) != '>') {
                return OUTSIDE;
            }
            *self_closing = 1;
            reader->pos += 2;
            return READ;
        }
        if (!is_tag_space(c)) {
            return OUTSIDE; /* an attribute not after a space */
        }
        while (reader->pos < text->length && is_tag_space(at(text, reader->pos))) {
            reader->pos++;
        }
        if (reader->pos >= text->length) {
            return OUTSIDE;
        }
        c = at(text, reader->pos);
        if (c == '>' || c == '/') {
            continue;
        }
        if (!is_ascii_letter(c)) {
            return OUTSIDE;
        }
        Py_ssize_t name_start = reader->pos;
        while (reader->pos < text->length && is_attribute_name_char(at(text, reader->pos))) {
            reader->pos++;
        }
        Py_ssize_t name_end = reader->pos;
        while (reader->pos < text->length && is_tag_space(at(text, reader->pos))) {
            reader->pos++;
        }
        if (reader->pos >= text->length) {
            return OUTSIDE;
        }
        int keep = wanted_name != NULL && is_name(text, name_start, name_end, wanted_name);
        if (at(text, reader->pos) != '=') {
            if (!reader->bare_attributes) {
                return OUTSIDE; /* an attribute without a value */
            }
            if (keep && *wanted == NULL && (*wanted = PyUnicode_New(0, 0)) == NULL) {
                return FAILED;
            }
            reader->pos = name_end; /* what follows the name alone is read as after a value */
            continue;
        }
        reader->pos++;
        int read = read_value(reader, keep, wanted);
        if (read != READ) {
            return read;
        }
    }
    return OUTSIDE;
}

/* A new str of the quote's string() from chars[start:]. */
static PyObject *
string_from(const Reader *reader, Py_ssize_t start)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, reader->chars + start,
                                     reader->length - start);
}

/* The quote's start tag, its attributes read over. */
static int
read_quote_start(Reader *reader)
{
    const Text *text = &reader->text;
    if (!starts_with(text, 0, text->length, "<")) {
        return OUTSIDE;
    }
    Py_ssize_t name_end = 1;
    while (name_end < text->length && is_ascii_letter(at(text, name_end))) {
        name_end++;
    }
    if (!is_name(text, 1, name_end, "blockquote")) {
        return OUTSIDE;
    }
    reader->pos = name_end;
    PyObject *none = NULL;
    int self_closing;
    int read = read_attributes(reader, NULL, &none, &self_closing);
    return read == READ && self_closing ? OUTSIDE : read;
}

/* lxml's reading of markup outside the shape: archiver.scan.markup's reference reader called
 * reference_name, fetched into *reference at the first such markup. A new reference, or NULL
 * with an exception set. */
static PyObject *
refer(PyObject *markup, PyObject **reference, const char *reference_name)
{
    if (*reference == NULL) {
        PyObject *markup_module = PyImport_ImportModule("archiver.scan.markup");
        if (markup_module == NULL) {
            return NULL;
        }
        *reference = PyObject_GetAttrString(markup_module, reference_name);
        Py_DECREF(markup_module);
        if (*reference == NULL) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(*reference, markup);
}

/* plain(module, markup), or where it answers None (markup outside the shape), refer's reading.
 * What markup.py binds as read_snippet and read_linked: a new reference, or NULL with an
 * exception set. */
static PyObject *
read_or_refer(PyObject *module, PyObject *markup, PyObject *(*plain)(PyObject *, PyObject *),
              PyObject **reference, const char *reference_name)
{
    PyObject *read = plain(module, markup);
    if (read != Py_None) {
        return read;
    }
    Py_DECREF(read);
    return refer(markup, reference, reference_name);
}

/* plain(page[start:end]) read in place, or where it answers None, refer's reading of the markup
 * cut out: what a module hands _elements.c as its reader in place (_markup_in_place.h). */
static PyObject *
read_in_place_or_refer(PyObject *page, Py_ssize_t start, Py_ssize_t end,
                       PyObject *(*plain)(Text), PyObject **reference,
                       const char *reference_name)
{
    PyObject *read = plain(text_in_place(page, start, end));
    if (read != Py_None) {
        return read;
    }
    Py_DECREF(read);
    PyObject *markup = PyUnicode_Substring(page, start, end);
    read = markup == NULL ? NULL : refer(markup, reference, reference_name);
    Py_XDECREF(markup);
    return read;
}

#endif
