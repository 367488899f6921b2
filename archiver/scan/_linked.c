/* Mastodon's, Instagram's, Threads' and TikTok's blockquotes read in C, where their markup has
 * the plain shape the platforms' embed code writes (docs/endpoints.md §5), else left to lxml.
 *
 * markup.py's reference_read_linked is the rule: the LinkedQuote of what lxml (libxml2's HTML
 * parser) builds of the markup, read by _linked_blockquote and _tiktok_blockquote.
 * read_plain_linked reads the same off the markup's code points, and answers None for any markup
 * outside the shape below, which markup.py then reads through lxml (issue 17: lxml's parse of
 * these blockquotes was an eighth of the HTML scanner's time at a post per kB).
 * tests/test_scan_linked_compiled.py holds the two to the same reading. The shape:
 * - the markup is one <blockquote ...> and its </blockquote>, nothing after; inside it only text,
 *   <br> (<br/>, <br />) and the elements of ELEMENT_NAMES, tag names in any case, each closed by
 *   its own end tag (exactly </name>) before its parent is, or, an <svg>, <g> or <path>, by "/>";
 *   at most MAX_DEPTH deep.
 * - no <a> or <section> inside an <a>, and inside a <p> only <a>, <span>, <time> and <br>:
 *   libxml2 closes an open <a> at the next <a>, and a <p> at a <p> or a <div>.
 * - attributes, text and references as _plain_markup.h reads them; an attribute may be its name
 *   alone (Instagram's data-instgrm-captioned), and a "&" before a space, tab or line feed is
 *   itself (TikTok's embed code writes one in a caption).
 * read_linked is the rule whole: this reading, else markup.reference_read_linked's, so that
 * markup.py binds read_linked to it with no Python between (issue 17).
 */
#include "_plain_markup.h"
#include "_markup_in_place.h"

#define MAX_DEPTH 48
#define MUSIC_NOTES 0x266C /* "♬", which starts a TikTok sound link's label */

typedef enum { ANCHOR, PARAGRAPH, DIV, SPAN, SECTION, TIME, SVG, GROUP, PATH, ELEMENTS } Element;

static const char *const ELEMENT_NAMES[ELEMENTS] = {
    "a", "p", "div", "span", "section", "time", "svg", "g", "path",
};

/* What is open while the quote is read, and what it has given. */
typedef struct {
    PyObject *hrefs; /* each <a>'s href (None without one), a list */
    Element open[MAX_DEPTH];
    int depth;
    int open_paragraphs;
    int in_anchor;
    Py_ssize_t anchor_start;      /* the open <a>'s string() from here in the reader's chars */
    Py_ssize_t anchor_kept_start; /* and from here in kept */
    Py_UCS4 *kept; /* the quote's string() less the strings of the <a> dropped from the caption */
    Py_ssize_t kept_length;
    int time_seen;
    int time_depth; /* where the first <time> is in open while it is open, else -1 */
    Py_ssize_t time_start, time_end;
    PyObject *datetime; /* the first <time>'s, or NULL */
    int section_seen;
    int section_depth; /* where the first <section> is in open while it is open, else -1 */
    Py_ssize_t section_start, section_end; /* in kept */
} Quote;

/* The element called text[start:end], or ELEMENTS for none of them. */
static Element
element_named(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    Element element = ANCHOR;
    while (element < ELEMENTS && !is_name(text, start, end, ELEMENT_NAMES[element])) {
        element++;
    }
    return element;
}

/* Whether _tiktok_blockquote drops an <a> with this string(): its label, the string less its
 * leading whitespace, starts with "@" or "♬". */
static int
is_dropped_label(const Py_UCS4 *string, Py_ssize_t length)
{
    Py_ssize_t i = 0;
    while (i < length && Py_UNICODE_ISSPACE(string[i])) {
        i++;
    }
    return i < length && (string[i] == '@' || string[i] == MUSIC_NOTES);
}

/* The characters read into the reader's chars from start on, kept. */
static inline void
keep_from(const Reader *reader, Quote *quote, Py_ssize_t start)
{
    memcpy(quote->kept + quote->kept_length, reader->chars + start,
           (size_t)(reader->length - start) * sizeof(Py_UCS4));
    quote->kept_length += reader->length - start;
}

static int
open_element(Reader *reader, Quote *quote, Element element, PyObject *wanted)
{
    if (quote->depth == MAX_DEPTH) {
        Py_XDECREF(wanted);
        return OUTSIDE;
    }
    if (element == ANCHOR) {
        int appended = PyList_Append(quote->hrefs, wanted ? wanted : Py_None);
        Py_XDECREF(wanted);
        if (appended < 0) {
            return FAILED;
        }
        quote->in_anchor = 1;
        quote->anchor_start = reader->length;
        quote->anchor_kept_start = quote->kept_length;
    }
    else if (element == TIME && !quote->time_seen) {
        quote->time_seen = 1;
        quote->time_depth = quote->depth;
        quote->time_start = reader->length;
        quote->datetime = wanted;
    }
    else if (element == SECTION && !quote->section_seen) {
        quote->section_seen = 1;
        quote->section_depth = quote->depth;
        quote->section_start = quote->kept_length;
    }
    quote->open_paragraphs += element == PARAGRAPH;
    quote->open[quote->depth++] = element;
    return READ;
}

static void
close_element(const Reader *reader, Quote *quote)
{
    Element element = quote->open[--quote->depth];
    if (element == ANCHOR) {
        quote->in_anchor = 0;
        if (is_dropped_label(reader->chars + quote->anchor_start,
                             reader->length - quote->anchor_start)) {
            quote->kept_length = quote->anchor_kept_start;
        }
    }
    quote->open_paragraphs -= element == PARAGRAPH;
    if (quote->time_depth == quote->depth) {
        quote->time_depth = -1;
        quote->time_end = reader->length;
    }
    if (quote->section_depth == quote->depth) {
        quote->section_depth = -1;
        quote->section_end = quote->kept_length;
    }
}

/* The end tag at the reader's position, past "</": READ at </blockquote> with *done set. */
static int
read_end_tag(Reader *reader, Quote *quote, int *done)
{
    const Text *text = &reader->text;
    Py_ssize_t name_start = reader->pos;
    while (reader->pos < text->length && is_ascii_letter(at(text, reader->pos))) {
        reader->pos++;
    }
    Py_ssize_t name_end = reader->pos;
    if (reader->pos >= text->length || at(text, reader->pos) != '>') {
        return OUTSIDE;
    }
    reader->pos++;
    if (is_name(text, name_start, name_end, "blockquote")) {
        *done = 1;
        return quote->depth == 0 ? READ : OUTSIDE;
    }
    Element element = element_named(text, name_start, name_end);
    if (quote->depth == 0 || quote->open[quote->depth - 1] != element) {
        return OUTSIDE; /* not the end of the element open last */
    }
    close_element(reader, quote);
    return READ;
}

/* The start tag at the reader's position, past "<". */
static int
read_start_tag(Reader *reader, Quote *quote)
{
    const Text *text = &reader->text;
    Py_ssize_t name_start = reader->pos;
    while (reader->pos < text->length && (is_ascii_letter(at(text, reader->pos)) ||
                                          is_ascii_digit(at(text, reader->pos)))) {
        reader->pos++;
    }
    Py_ssize_t name_end = reader->pos;
    PyObject *wanted = NULL;
    int self_closing, read;
    if (is_name(text, name_start, name_end, "br")) {
        read = read_attributes(reader, NULL, &wanted, &self_closing);
        if (read == READ) {
            reader->chars[reader->length++] = LINE_BREAK;
            keep_from(reader, quote, reader->length - 1);
        }
        return read;
    }
    Element element = element_named(text, name_start, name_end);
    if (element == ELEMENTS || (quote->in_anchor && (element == ANCHOR || element == SECTION)) ||
        (quote->open_paragraphs > 0 && element != ANCHOR && element != SPAN && element != TIME)) {
        return OUTSIDE;
    }
    const char *wanted_name = element == ANCHOR                       ? "href"
                              : element == TIME && !quote->time_seen ? "datetime"
                                                                      : NULL;
    read = read_attributes(reader, wanted_name, &wanted, &self_closing);
    if (read != READ) {
        Py_XDECREF(wanted);
        return read;
    }
    if (self_closing) {
        Py_XDECREF(wanted);
        return element == SVG || element == GROUP || element == PATH ? READ : OUTSIDE;
    }
    return open_element(reader, quote, element, wanted);
}

/* The quote's content, the reader past its start tag: READ when it ends at </blockquote> with
 * the markup. */
static int
read_content(Reader *reader, Quote *quote)
{
    const Text *text = &reader->text;
    int done = 0;
    while (!done) {
        Py_ssize_t run_start = reader->length;
        read_plain_run(reader, '<', reader->chars, &reader->length);
        keep_from(reader, quote, run_start);
        if (reader->pos >= text->length) {
            return OUTSIDE; /* no </blockquote> */
        }
        if (at(text, reader->pos) != '<') {
            if (read_character(reader, reader->chars, &reader->length) != READ) {
                return OUTSIDE;
            }
            keep_from(reader, quote, reader->length - 1);
            continue;
        }
        reader->pos++;
        int read;
        if (reader->pos < text->length && at(text, reader->pos) == '/') {
            reader->pos++;
            read = read_end_tag(reader, quote, &done);
        }
        else {
            read = read_start_tag(reader, quote);
        }
        if (read != READ) {
            return read;
        }
    }
    return reader->pos == text->length ? READ : OUTSIDE;
}

/* (hrefs, string, time, caption) of the quote read whole: time is (datetime, its string()) of
 * the first <time>, or None; caption is the first <section>'s string(), else the quote's, less
 * the dropped <a>'s. */
static PyObject *
linked_quote(const Reader *reader, const Quote *quote)
{
    PyObject *string = string_from(reader, 0);
    PyObject *time = NULL, *caption = NULL, *result = NULL;
    if (string == NULL) {
        return NULL;
    }
    if (quote->time_seen) {
        PyObject *time_string = PyUnicode_FromKindAndData(
            PyUnicode_4BYTE_KIND, reader->chars + quote->time_start,
            quote->time_end - quote->time_start);
        if (time_string != NULL) {
            time = PyTuple_Pack(2, quote->datetime ? quote->datetime : Py_None, time_string);
            Py_DECREF(time_string);
        }
    }
    else {
        time = Py_NewRef(Py_None);
    }
    Py_ssize_t start = quote->section_seen ? quote->section_start : 0;
    Py_ssize_t end = quote->section_seen ? quote->section_end : quote->kept_length;
    caption = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, quote->kept + start, end - start);
    if (time != NULL && caption != NULL) {
        result = PyTuple_Pack(4, quote->hrefs, string, time, caption);
    }
    Py_DECREF(string);
    Py_XDECREF(time);
    Py_XDECREF(caption);
    return result;
}

/* read_plain_linked of the markup text */
static PyObject *
plain_linked(Text text)
{
    Py_ssize_t length = text.length;
    Reader reader = {text, 0, NULL, 0, NULL, 1, 1};
    /* each character, reference and <br> of the markup gives at most one character of each */
    Py_UCS4 *buffer = PyMem_New(Py_UCS4, (size_t)length * 3 + 1);
    if (buffer == NULL) {
        return PyErr_NoMemory();
    }
    reader.chars = buffer;
    reader.value = buffer + length;
    Quote quote = {.hrefs = PyList_New(0), .kept = buffer + 2 * length, .time_depth = -1,
                   .section_depth = -1};
    PyObject *result = NULL;
    int read = FAILED;
    if (quote.hrefs != NULL) {
        read = read_quote_start(&reader);
        if (read == READ) {
            read = read_content(&reader, &quote);
        }
    }
    if (read == READ) {
        result = linked_quote(&reader, &quote);
    }
    else if (read == OUTSIDE) {
        result = Py_NewRef(Py_None);
    }
    Py_XDECREF(quote.hrefs);
    Py_XDECREF(quote.datetime);
    PyMem_Free(buffer);
    return result;
}

static PyObject *
read_plain_linked(PyObject *module, PyObject *markup)
{
    if (!PyUnicode_Check(markup)) {
        PyErr_SetString(PyExc_TypeError, "read_plain_linked(markup: str)");
        return NULL;
    }
    return plain_linked((Text){PyUnicode_KIND(markup), PyUnicode_DATA(markup),
                               PyUnicode_GET_LENGTH(markup)});
}

/* markup.reference_read_linked, fetched at the first markup outside the plain shape */
static PyObject *reference_read_linked;

static PyObject *
read_linked(PyObject *module, PyObject *markup)
{
    return read_or_refer(module, markup, read_plain_linked, &reference_read_linked,
                         "reference_read_linked");
}

/* read_linked(page[start:end]), the plain shape read in place (_markup_in_place.h); markup
 * outside it is cut out and handed to lxml */
static PyObject *
read_linked_in_place(PyObject *page, Py_ssize_t start, Py_ssize_t end)
{
    return read_in_place_or_refer(page, start, end, plain_linked, &reference_read_linked,
                                  "reference_read_linked");
}

static PyMethodDef methods[] = {
    {"read_plain_linked", read_plain_linked, METH_O,
     "read_plain_linked(markup) -> (hrefs, string, time, caption) or None: the LinkedQuote of a "
     "Mastodon, Instagram, Threads or TikTok blockquote's markup in the plain shape "
     "(archiver.scan.markup.reference_read_linked, compiled), None for any other markup."},
    {"read_linked", read_linked, METH_O,
     "read_linked(markup) -> (hrefs, string, time, caption) or None: read_plain_linked's "
     "LinkedQuote, else archiver.scan.markup.reference_read_linked's (lxml's)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._linked",
    "Mastodon's, Instagram's, Threads' and TikTok's blockquotes read without lxml, compiled "
    "(archiver/scan/markup.py).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__linked(void)
{
    PyObject *linked = PyModule_Create(&module);
    if (linked != NULL &&
        add_reader_in_place(linked, read_linked_in_place, LINKED_IN_PLACE_CAPSULE) == -1) {
        Py_CLEAR(linked);
    }
    return linked;
}
