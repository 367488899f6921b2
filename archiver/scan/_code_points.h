/* A str read code point by code point, and the arguments that bring it: what _walk_back.c,
 * _attributions.c and _bare_urls.c share. */
#ifndef ARCHIVER_SCAN_CODE_POINTS_H
#define ARCHIVER_SCAN_CODE_POINTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <wchar.h>

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
} Text;

static inline Py_UCS4
at(const Text *text, Py_ssize_t index)
{
    return PyUnicode_READ(text->kind, text->data, index);
}

/* " ".join(chars.split()) of ``length`` code points, in place: its length */
static inline Py_ssize_t
collapse_spaces(Py_UCS4 *chars, Py_ssize_t length)
{
    Py_ssize_t kept = 0;
    int space = 0; /* a run of spaces since the last word kept */
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = chars[i];
        if (Py_UNICODE_ISSPACE(c)) {
            space = kept > 0;
            continue;
        }
        if (space) {
            chars[kept++] = ' ';
            space = 0;
        }
        chars[kept++] = c;
    }
    return kept;
}

/* BODY(type) for the code unit of a str of ``kind``: one loop for each kind, so that no
 * character is read through a switch on it. Each BODY ends with a break or a return. */
#define EACH_KIND(kind, BODY)                                                                   \
    switch (kind) {                                                                             \
    case PyUnicode_1BYTE_KIND:                                                                  \
        BODY(Py_UCS1)                                                                           \
    case PyUnicode_2BYTE_KIND:                                                                  \
        BODY(Py_UCS2)                                                                           \
    default:                                                                                    \
        BODY(Py_UCS4)                                                                           \
    }

/* The first index of c in text[low:high], or -1 (str.find of one code point): memchr, and wmemchr
 * where a wchar_t is four bytes, as CPython's str.find reads them; a loop for two bytes. */
static inline Py_ssize_t
find_code_point(const Text *text, Py_UCS4 c, Py_ssize_t low, Py_ssize_t high)
{
    if (low >= high) {
        return -1;
    }
    if (text->kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *data = text->data, *found;
        found = c > 0xFF ? NULL : memchr(data + low, (int)c, (size_t)(high - low));
        return found == NULL ? -1 : found - data;
    }
    if (text->kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *data = text->data;
        for (Py_ssize_t i = low; i < high; i++) {
            if (data[i] == c) {
                return i;
            }
        }
        return -1;
    }
#if SIZEOF_WCHAR_T == 4
    const wchar_t *data = text->data;
    const wchar_t *found = wmemchr(data + low, (wchar_t)c, (size_t)(high - low));
    return found == NULL ? -1 : found - data;
#else
    const Py_UCS4 *data = text->data;
    for (Py_ssize_t i = low; i < high; i++) {
        if (data[i] == c) {
            return i;
        }
    }
    return -1;
#endif
}

static inline int
is_ascii_letter(Py_UCS4 c) /* [A-Za-z] */
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
is_ascii_digit(Py_UCS4 c) /* [0-9] */
{
    return c >= '0' && c <= '9';
}

static inline int
is_ascii_alnum(Py_UCS4 c) /* [A-Za-z0-9] */
{
    return is_ascii_letter(c) || is_ascii_digit(c);
}

/* Whether c is in set, a list ended by 0. */
static inline int
is_one_of(Py_UCS4 c, const Py_UCS4 *set)
{
    for (; *set; set++) {
        if (c == *set) {
            return 1;
        }
    }
    return 0;
}

/* Whether the ASCII literal starts at text[pos] and ends by end. */
static inline int
starts_with(const Text *text, Py_ssize_t pos, Py_ssize_t end, const char *literal)
{
    for (Py_ssize_t i = 0; literal[i]; i++) {
        if (pos + i >= end || at(text, pos + i) != (Py_UCS4)(unsigned char)literal[i]) {
            return 0;
        }
    }
    return 1;
}

/* The arguments the twins' functions start with, a str and two positions in it: 0 with them
 * read, or -1 with an exception set (usage, or range when not 0 <= floor <= pos <= len(text)). */
static inline int
read_arguments(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t expected, const char *usage,
               const char *range, Text *text, Py_ssize_t *pos, Py_ssize_t *floor)
{
    if (nargs != expected || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, usage);
        return -1;
    }
    *pos = PyLong_AsSsize_t(args[1]);
    *floor = PyLong_AsSsize_t(args[2]);
    if ((*pos == -1 || *floor == -1) && PyErr_Occurred()) {
        return -1;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[0]);
    if (*floor < 0 || *pos < *floor || *pos > length) {
        PyErr_SetString(PyExc_ValueError, range);
        return -1;
    }
    *text = (Text){PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), length};
    return 0;
}

#endif
