/* The visible text of a stretch of HTML read into pieces, each with its span in the source, and
 * the text they make: what _visible.c and _flattened.c share (_visible.c's comment tells the
 * rule). */
#ifndef ARCHIVER_SCAN_VISIBLE_TEXT_H
#define ARCHIVER_SCAN_VISIBLE_TEXT_H

#include "_code_points.h"

#define MAX_DIGITS 7      /* &#[0-9]{1,7} */
#define MAX_HEX_DIGITS 6  /* &#[xX][0-9A-Fa-f]{1,6} */
#define MAX_ENTITY 32     /* &[A-Za-z][A-Za-z0-9]{1,31} */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length; /* the whole source */
    Py_ssize_t end;    /* the stretch's end: no token reads past it */
} Stretch;

/* How a piece's text is made: the source as it is, the source with its line breaks and tabs
 * as spaces, a decoded reference (spaces likewise), "\n" or "\n\n". */
enum { COPY, SPACED, DECODED, NEWLINE, PARAGRAPH };

typedef struct {
    Py_ssize_t source_start, source_end;
    PyObject *decoded; /* DECODED: the reference's text, owned */
    int how;
} Piece;

typedef struct {
    Piece *items;
    Py_ssize_t count, capacity;
    Py_ssize_t length; /* of the text */
    Py_UCS4 max_char;  /* at least the text's largest character, for its kind */
} Pieces;

static PyObject *visible_unescape; /* archiver.scan.visible._unescape */

static inline Py_UCS4
stretch_at(const Stretch *text, Py_ssize_t index)
{
    return PyUnicode_READ(text->kind, text->data, index);
}

static inline int
is_hex_digit(Py_UCS4 c)
{
    return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline int
is_name_char(Py_UCS4 c)
{
    return is_ascii_letter(c) || is_ascii_digit(c) || c == ':' || c == '-';
}

static inline int
is_line_space(Py_UCS4 c) /* what _spaces turns into a space */
{
    return c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
add_piece(Pieces *pieces, int how, Py_ssize_t source_start, Py_ssize_t source_end, PyObject *decoded,
    Py_ssize_t length)
{
    if (pieces->count == pieces->capacity) {
        Py_ssize_t capacity = pieces->capacity ? 2 * pieces->capacity : 64;
        Piece *items = PyMem_Realloc(pieces->items, (size_t)capacity * sizeof(Piece));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        pieces->items = items;
        pieces->capacity = capacity;
    }
    Piece *piece = &pieces->items[pieces->count++];
    piece->how = how;
    piece->source_start = source_start;
    piece->source_end = source_end;
    piece->decoded = decoded;
    pieces->length += length;
    return 0;
}

static void
clear_pieces(Pieces *pieces)
{
    for (Py_ssize_t i = 0; i < pieces->count; i++) {
        Py_XDECREF(pieces->items[i].decoded);
    }
    PyMem_Free(pieces->items);
}

/* The code points below 64 a tag's attributes stop at: ">", "<" and the quotes; one bit each */
#define ATTRIBUTE_MARKS ((1ULL << '>') | (1ULL << '<') | (1ULL << '"') | (1ULL << '\''))

/* Where a tag whose attributes start at text[p] ends, after its ">"; -1 when a "<" comes first
 * or the stretch ends, or a quoted value, which no "<" is inside, is not closed. A loop for
 * each kind, so that no character is read through a switch on it. */
#define ATTRIBUTES_END(type)                                                                    \
    {                                                                                           \
        const type *data = text->data;                                                          \
        for (; p < text->end; p++) {                                                            \
            type c = data[p];                                                                   \
            if (c >= 64 || !((ATTRIBUTE_MARKS >> c) & 1)) {                                     \
                continue;                                                                       \
            }                                                                                   \
            if (c == '>') {                                                                     \
                return p + 1;                                                                   \
            }                                                                                   \
            if (c == '<') {                                                                     \
                return -1;                                                                      \
            }                                                                                   \
            Py_ssize_t q = p + 1; /* a quoted value */                                          \
            while (q < text->end && data[q] != c && data[q] != '<') {                           \
                q++;                                                                            \
            }                                                                                   \
            if (q == text->end || data[q] == '<') {                                             \
                return -1;                                                                      \
            }                                                                                   \
            p = q;                                                                              \
        }                                                                                       \
        return -1;                                                                              \
    }

static Py_ssize_t
attributes_end(const Stretch *text, Py_ssize_t p)
{
    EACH_KIND(text->kind, ATTRIBUTES_END)
}
#undef ATTRIBUTES_END
#undef ATTRIBUTE_MARKS

/* Where the tag at text[pos] == "<" ends, or -1 when none does (the "<" is then a comment's,
 * a declaration's or a lone one). *close and the name's span are filled. */
static Py_ssize_t
tag_end(const Stretch *text, Py_ssize_t pos, int *close, Py_ssize_t *name_start,
        Py_ssize_t *name_length)
{
    Py_ssize_t p = pos + 1;
    *close = p < text->end && stretch_at(text, p) == '/';
    p += *close;
    if (p >= text->end || !is_ascii_letter(stretch_at(text, p))) {
        return -1;
    }
    *name_start = p++;
    while (p < text->end && is_name_char(stretch_at(text, p))) {
        p++;
    }
    *name_length = p - *name_start;
    return attributes_end(text, p);
}

/* Where the character reference at text[pos] == "&" ends, or -1 when the "&" is a lone one. */
static Py_ssize_t
reference_end(const Stretch *text, Py_ssize_t pos)
{
    Py_ssize_t p = pos + 1, digits = 0;
    if (p < text->end && stretch_at(text, p) == '#') {
        while (p + 1 + digits < text->end && digits < MAX_DIGITS &&
               is_ascii_digit(stretch_at(text, p + 1 + digits))) {
            digits++;
        }
        if (digits == 0 && p + 1 < text->end && (stretch_at(text, p + 1) == 'x' || stretch_at(text, p + 1) == 'X')) {
            p++;
            while (p + 1 + digits < text->end && digits < MAX_HEX_DIGITS &&
                   is_hex_digit(stretch_at(text, p + 1 + digits))) {
                digits++;
            }
        }
        if (digits == 0) {
            return -1;
        }
        p += 1 + digits;
    }
    else if (p < text->end && is_ascii_letter(stretch_at(text, p))) {
        while (p + 1 + digits < text->end && digits < MAX_ENTITY - 1 &&
               (is_ascii_letter(stretch_at(text, p + 1 + digits)) || is_ascii_digit(stretch_at(text, p + 1 + digits)))) {
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        p += 1 + digits;
    }
    else {
        return -1;
    }
    return p < text->end && stretch_at(text, p) == ';' ? p + 1 : p;
}

/* The first "-->" at or after text[from], or -1. */
static Py_ssize_t
find_comment_end(const Stretch *text, Py_ssize_t from)
{
    for (Py_ssize_t i = from; i + 3 <= text->end; i++) {
        if (stretch_at(text, i) == '-' && stretch_at(text, i + 1) == '-' && stretch_at(text, i + 2) == '>') {
            return i;
        }
    }
    return -1;
}

/* Whether c is the ASCII lower-case letter, ignoring case as re.IGNORECASE does on a str
 * pattern: upper and lower case, and the letters Unicode folds to an ASCII one that occur in
 * the raw-text names (tests/test_scan_visible_compiled.py checks every code point). */
static inline int
same_letter(Py_UCS4 c, char letter)
{
    if (c == (Py_UCS4)letter || c == (Py_UCS4)(letter - 'a' + 'A')) {
        return 1;
    }
    return (letter == 's' && c == 0x17F) || (letter == 'i' && (c == 0x130 || c == 0x131));
}

/* _RAW_TEXT_END[name].search(source, from, end): the end of the first </name\s*> at or after
 * text[from], or -1. */
static Py_ssize_t
raw_text_end(const Stretch *text, const char *name, Py_ssize_t from)
{
    Py_ssize_t length = (Py_ssize_t)strlen(name);
    for (Py_ssize_t i = from; i + 3 + length <= text->end; i++) {
        if (stretch_at(text, i) != '<' || stretch_at(text, i + 1) != '/') {
            continue;
        }
        Py_ssize_t p = i + 2, k = 0;
        while (k < length && same_letter(stretch_at(text, p + k), name[k])) {
            k++;
        }
        if (k < length) {
            continue;
        }
        p += length;
        while (p < text->end && Py_UNICODE_ISSPACE(stretch_at(text, p))) {
            p++;
        }
        if (p < text->end && stretch_at(text, p) == '>') {
            return p + 1;
        }
    }
    return -1;
}

/* What the loop does with a tag, by its name in lower case. */
enum { INLINE, BLOCK, BR, PRE, RAW_TEXT };

typedef struct {
    const char *name;
    int what;
} Known;

/* _BLOCK and _RAW_TEXT, by their first letter: a list for each, ended by a NULL name. */
static const Known KNOWN_A[] = {
    {"address", BLOCK}, {"article", BLOCK}, {"aside", BLOCK}, {"audio", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_B[] = {
    {"blockquote", BLOCK}, {"body", BLOCK}, {"br", BR}, {NULL, INLINE}};
static const Known KNOWN_D[] = {
    {"dd", BLOCK}, {"details", BLOCK}, {"dialog", BLOCK}, {"div", BLOCK}, {"dl", BLOCK},
    {"dt", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_F[] = {
    {"fieldset", BLOCK}, {"figcaption", BLOCK}, {"figure", BLOCK}, {"footer", BLOCK},
    {"form", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_H[] = {
    {"h1", BLOCK}, {"h2", BLOCK}, {"h3", BLOCK}, {"h4", BLOCK}, {"h5", BLOCK}, {"h6", BLOCK},
    {"header", BLOCK}, {"hgroup", BLOCK}, {"hr", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_I[] = {{"iframe", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_L[] = {{"li", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_M[] = {{"main", BLOCK}, {"math", RAW_TEXT}, {NULL, INLINE}};
static const Known KNOWN_N[] = {{"nav", BLOCK}, {"noscript", RAW_TEXT}, {NULL, INLINE}};
static const Known KNOWN_O[] = {{"ol", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_P[] = {{"p", BLOCK}, {"pre", PRE}, {NULL, INLINE}};
static const Known KNOWN_S[] = {
    {"script", RAW_TEXT}, {"section", BLOCK}, {"style", RAW_TEXT}, {"summary", BLOCK},
    {"svg", RAW_TEXT}, {NULL, INLINE}};
static const Known KNOWN_T[] = {
    {"table", BLOCK}, {"tbody", BLOCK}, {"td", BLOCK}, {"template", RAW_TEXT},
    {"textarea", RAW_TEXT}, {"tfoot", BLOCK}, {"th", BLOCK}, {"thead", BLOCK},
    {"title", RAW_TEXT}, {"tr", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_U[] = {{"ul", BLOCK}, {NULL, INLINE}};
static const Known KNOWN_V[] = {{"video", BLOCK}, {NULL, INLINE}};
static const Known NONE_KNOWN[] = {{NULL, INLINE}};
static const Known *const KNOWN[26] = {
    KNOWN_A, KNOWN_B, NONE_KNOWN, KNOWN_D, NONE_KNOWN, KNOWN_F, NONE_KNOWN, KNOWN_H, KNOWN_I,
    NONE_KNOWN, NONE_KNOWN, KNOWN_L, KNOWN_M, KNOWN_N, KNOWN_O, KNOWN_P, NONE_KNOWN, NONE_KNOWN,
    KNOWN_S, KNOWN_T, KNOWN_U, KNOWN_V, NONE_KNOWN, NONE_KNOWN, NONE_KNOWN, NONE_KNOWN,
};
#define LONGEST_KNOWN 10 /* "blockquote", "figcaption" */

/* What the loop does with the tag of the lower-case name (what is not listed is INLINE): the
 * names of its first letter compared in place, without a call to strcmp a name. */
static int
what_tag(const char *name)
{
    if (name[0] < 'a' || name[0] > 'z') {
        return INLINE;
    }
    for (const Known *known = KNOWN[name[0] - 'a']; known->name != NULL; known++) {
        Py_ssize_t i = 1;
        while (name[i] != '\0' && name[i] == known->name[i]) {
            i++;
        }
        if (name[i] == known->name[i]) {
            return known->what;
        }
    }
    return INLINE;
}

/* _unescape(text[start:end]): a new reference, or NULL with an exception set. */
static PyObject *
decoded_reference(PyObject *source, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *reference = PyUnicode_Substring(source, start, end);
    if (reference == NULL) {
        return NULL;
    }
    PyObject *decoded = PyObject_CallOneArg(visible_unescape, reference);
    Py_DECREF(reference);
    if (decoded != NULL && !PyUnicode_Check(decoded)) {
        PyErr_SetString(PyExc_TypeError, "_unescape returned something other than a str");
        Py_CLEAR(decoded);
    }
    return decoded;
}

/* Whether every character of text[start:end], a run never empty, is a space (str.isspace). */
static int
all_spaces(const Stretch *text, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = start; i < end; i++) {
        if (!Py_UNICODE_ISSPACE(stretch_at(text, i))) {
            return 0;
        }
    }
    return 1;
}

/* The code points below 64 a run of text stops at or notes: "<", "&", and the line breaks and
 * tabs _spaces turns into spaces; one bit each */
#define RUN_MARKS                                                                               \
    ((1ULL << '<') | (1ULL << '&') | (1ULL << '\t') | (1ULL << '\n') | (1ULL << '\r') |        \
     (1ULL << '\f'))

/* The end of the run of text or spaces at text[pos]: the first "<" or "&" at or after pos, else
 * the stretch's end. *spaced when the run holds a line break or tab, *max_char its largest
 * character. A loop for each kind, so that no character is read through a switch on it; a
 * character from "@" on is none of the marks. */
#define TEXT_RUN(type)                                                                          \
    {                                                                                           \
        const type *data = text->data;                                                          \
        for (; q < text->end; q++) {                                                            \
            type c = data[q];                                                                   \
            if (c < 64 && (RUN_MARKS >> c) & 1) {                                               \
                if (c == '<' || c == '&') {                                                     \
                    break;                                                                      \
                }                                                                               \
                line_space = 1;                                                                 \
            }                                                                                   \
            largest = c > largest ? c : largest;                                                \
        }                                                                                       \
        break;                                                                                  \
    }

static Py_ssize_t
text_run_end(const Stretch *text, Py_ssize_t pos, int *spaced, Py_UCS4 *max_char)
{
    Py_ssize_t q = pos;
    int line_space = 0;
    Py_UCS4 largest = 0;
    EACH_KIND(text->kind, TEXT_RUN)
    *spaced = line_space;
    *max_char = largest;
    return q;
}
#undef TEXT_RUN
#undef RUN_MARKS

/* reference_visible_text's loop: the pieces of source[start:end]; -1 with an exception set. */
static int
read_pieces(PyObject *source, const Stretch *text, Py_ssize_t start, Pieces *pieces)
{
    int at_boundary = 1;           /* nothing visible since the last block boundary */
    Py_ssize_t preformatted = 0;   /* inside how many <pre> */
    Py_ssize_t pos = start;
    while (pos < text->end) {
        Py_UCS4 c = stretch_at(text, pos);
        if (c != '<' && c != '&') { /* text or spaced */
            int spaced = 0;
            Py_UCS4 max_char = 0;
            Py_ssize_t q = text_run_end(text, pos, &spaced, &max_char);
            at_boundary = at_boundary && all_spaces(text, pos, q);
            if (add_piece(pieces, spaced && preformatted <= 0 ? SPACED : COPY, pos, q, NULL, q - pos) < 0) {
                return -1;
            }
            pieces->max_char = max_char > pieces->max_char ? max_char : pieces->max_char;
            pos = q;
            continue;
        }
        if (c == '&') {
            Py_ssize_t end = reference_end(text, pos);
            if (end < 0) { /* lone */
                at_boundary = 0;
                if (add_piece(pieces, COPY, pos, pos + 1, NULL, 1) < 0) {
                    return -1;
                }
                pos++;
                continue;
            }
            PyObject *decoded = decoded_reference(source, pos, end);
            if (decoded == NULL) {
                return -1;
            }
            Py_ssize_t length = PyUnicode_GET_LENGTH(decoded);
            int literal = length == end - pos;
            for (Py_ssize_t i = 0; literal && i < length; i++) {
                literal = PyUnicode_READ_CHAR(decoded, i) == stretch_at(text, pos + i);
            }
            if (literal) {
                Py_DECREF(decoded);
                at_boundary = 0; /* "&" is no space */
                if (add_piece(pieces, COPY, pos, end, NULL, end - pos) < 0) {
                    return -1;
                }
                pos = end;
                continue;
            }
            int all_spaces = length > 0;
            for (Py_ssize_t i = 0; all_spaces && i < length; i++) {
                all_spaces = Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(decoded, i));
            }
            at_boundary = at_boundary && all_spaces;
            if (length == 0) { /* a reference to a character HTML drops */
                Py_DECREF(decoded);
                pos = end;
                continue;
            }
            Py_UCS4 max_char = PyUnicode_MAX_CHAR_VALUE(decoded);
            pieces->max_char = max_char > pieces->max_char ? max_char : pieces->max_char;
            if (add_piece(pieces, DECODED, pos, end, decoded, length) < 0) {
                Py_DECREF(decoded);
                return -1;
            }
            pos = end;
            continue;
        }
        int close;
        Py_ssize_t name_start, name_length;
        Py_ssize_t end = tag_end(text, pos, &close, &name_start, &name_length);
        if (end >= 0) {
            char name[LONGEST_KNOWN + 1]; /* in lower case */
            int what = INLINE;
            if (name_length <= LONGEST_KNOWN) {
                for (Py_ssize_t i = 0; i < name_length; i++) {
                    Py_UCS4 letter = stretch_at(text, name_start + i);
                    name[i] = (char)(letter >= 'A' && letter <= 'Z' ? letter - 'A' + 'a' : letter);
                }
                name[name_length] = '\0';
                what = what_tag(name);
            }
            if (what == RAW_TEXT) {
                if (!close && stretch_at(text, end - 2) != '/') {
                    Py_ssize_t closing = raw_text_end(text, name, end);
                    end = closing < 0 ? text->end : closing;
                }
                pos = end;
                continue;
            }
            if (what == INLINE) {
                pos = end; /* an inline tag leaves nothing */
                continue;
            }
            if (what == PRE) {
                preformatted += close ? -1 : 1;
            }
            if (what == BR) {
                if (add_piece(pieces, NEWLINE, pos, end, NULL, 1) < 0) {
                    return -1;
                }
            }
            else if (!at_boundary) {
                at_boundary = 1;
                if (add_piece(pieces, PARAGRAPH, pos, end, NULL, 2) < 0) {
                    return -1;
                }
            } /* else a run of boundaries is one break */
            pos = end;
            continue;
        }
        if (pos + 4 <= text->end && stretch_at(text, pos + 1) == '!' && stretch_at(text, pos + 2) == '-' &&
            stretch_at(text, pos + 3) == '-') {
            Py_ssize_t comment_end = find_comment_end(text, pos + 4);
            pos = comment_end < 0 ? text->end : comment_end + 3;
            continue;
        }
        if (pos + 1 < text->end && (stretch_at(text, pos + 1) == '!' || stretch_at(text, pos + 1) == '?')) {
            Py_ssize_t q = pos + 2; /* a declaration */
            while (q < text->end && stretch_at(text, q) != '>') {
                q++;
            }
            pos = q < text->end ? q + 1 : q;
            continue;
        }
        if (pos + 1 < text->length && (stretch_at(text, pos + 1) == '!' || stretch_at(text, pos + 1) == '?')) {
            break; /* a comment or declaration that the end of the stretch cuts */
        }
        at_boundary = 0; /* a lone "<" */
        if (add_piece(pieces, COPY, pos, pos + 1, NULL, 1) < 0) {
            return -1;
        }
        pos++;
    }
    return 0;
}

/* source_data[start:start + length], of source_kind, written into data from ``at``, of kind:
 * each character as the other kind holds it (the text's kind holds its largest), a loop for
 * each pair of kinds. */
#define COPY_AS(from_type, to_type)                                                             \
    for (Py_ssize_t k = 0; k < length; k++) {                                                   \
        ((to_type *)data)[at + k] = (to_type)((const from_type *)source_data)[start + k];       \
    }

static void
copy_code_points(int kind, void *data, Py_ssize_t at, int source_kind, const void *source_data,
                 Py_ssize_t start, Py_ssize_t length)
{
    if (kind == source_kind) {
        memcpy((char *)data + at * kind, (const char *)source_data + start * kind,
               (size_t)(length * kind));
    }
    else if (source_kind == PyUnicode_1BYTE_KIND && kind == PyUnicode_2BYTE_KIND) {
        COPY_AS(Py_UCS1, Py_UCS2)
    }
    else if (source_kind == PyUnicode_1BYTE_KIND) {
        COPY_AS(Py_UCS1, Py_UCS4)
    }
    else if (source_kind == PyUnicode_2BYTE_KIND && kind == PyUnicode_1BYTE_KIND) {
        COPY_AS(Py_UCS2, Py_UCS1)
    }
    else if (source_kind == PyUnicode_2BYTE_KIND) {
        COPY_AS(Py_UCS2, Py_UCS4)
    }
    else if (kind == PyUnicode_1BYTE_KIND) {
        COPY_AS(Py_UCS4, Py_UCS1)
    }
    else {
        COPY_AS(Py_UCS4, Py_UCS2)
    }
}
#undef COPY_AS

/* The text the pieces make, the text of each in the order read, in the kind of its largest
 * character. Characters are copied here: PyUnicode_CopyCharacters (CPython 3.11) refuses Latin-1
 * characters into an ASCII string by the source's first characters, not by those it copies. */
static PyObject *
joined_text(PyObject *source, const Pieces *pieces)
{
    PyObject *joined = PyUnicode_New(pieces->length, pieces->max_char);
    if (joined == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(joined), source_kind = PyUnicode_KIND(source);
    void *data = PyUnicode_DATA(joined);
    const void *source_data = PyUnicode_DATA(source);
    Py_ssize_t at_text = 0;
    for (Py_ssize_t i = 0; i < pieces->count; i++) {
        const Piece *piece = &pieces->items[i];
        Py_ssize_t start = piece->source_start, length = piece->source_end - start;
        switch (piece->how) {
        case NEWLINE:
            PyUnicode_WRITE(kind, data, at_text++, '\n');
            break;
        case PARAGRAPH:
            PyUnicode_WRITE(kind, data, at_text++, '\n');
            PyUnicode_WRITE(kind, data, at_text++, '\n');
            break;
        case COPY:
            copy_code_points(kind, data, at_text, source_kind, source_data, start, length);
            at_text += length;
            break;
        case SPACED:
            for (Py_ssize_t k = start; k < start + length; k++) {
                Py_UCS4 c = PyUnicode_READ(source_kind, source_data, k);
                PyUnicode_WRITE(kind, data, at_text++, is_line_space(c) ? ' ' : c);
            }
            break;
        default: /* DECODED */
            for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(piece->decoded); k++) {
                Py_UCS4 c = PyUnicode_READ_CHAR(piece->decoded, k);
                PyUnicode_WRITE(kind, data, at_text++, is_line_space(c) ? ' ' : c);
            }
        }
    }
    return joined;
}

/* Whether the piece's text is its source's span, a character for each (COPY, SPACED) */
static inline int
is_literal(const Piece *piece)
{
    return piece->how == COPY || piece->how == SPACED;
}

/* How many characters of the text the piece makes */
static inline Py_ssize_t
piece_length(const Piece *piece)
{
    switch (piece->how) {
    case NEWLINE:
        return 1;
    case PARAGRAPH:
        return 2;
    case DECODED:
        return PyUnicode_GET_LENGTH(piece->decoded);
    default:
        return piece->source_end - piece->source_start;
    }
}

/* visible_unescape fetched: 0, or -1 with an exception set */
static int
load_visible_unescape(void)
{
    if (visible_unescape != NULL) {
        return 0;
    }
    PyObject *visible = PyImport_ImportModule("archiver.scan.visible");
    if (visible == NULL) {
        return -1;
    }
    visible_unescape = PyObject_GetAttrString(visible, "_unescape");
    Py_DECREF(visible);
    return visible_unescape == NULL ? -1 : 0;
}

#endif
