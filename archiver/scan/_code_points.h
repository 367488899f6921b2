/* A str read code point by code point: what _walk_back.c and _attributions.c share. */
#ifndef ARCHIVER_SCAN_CODE_POINTS_H
#define ARCHIVER_SCAN_CODE_POINTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

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

#endif
