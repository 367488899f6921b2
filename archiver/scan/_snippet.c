/* X's and Bluesky's widget blockquote read in C, where its markup has the plain shape the widget
 * code writes (docs/endpoints.md §5), else left to lxml.
 *
 * markup.py's reference_read_snippet is the rule: the Snippet of what lxml (libxml2's HTML
 * parser) builds of the markup. read_plain_snippet reads the same Snippet off the markup's code
 * points, and answers None for any markup outside the shape below, which markup.py then reads
 * through lxml (issue 17: lxml's reading of the snippets was half the HTML scanner's time at a
 * post per kB). tests/test_scan_snippet_compiled.py holds the two to the same Snippet. The shape:
 * - the markup is one <blockquote ...> and its </blockquote>, nothing after; inside it only text,
 *   <p>, <a> and <br> (<br/>, <br />), tag names in any case, end tags exactly </p>, </a>,
 *   </blockquote>. No <a> inside an <a>, no <p> inside an <a>, no end tag without its start tag;
 *   a <p> is closed by the next <p> or by </blockquote> as libxml2 closes it, an <a> never is.
 * - attributes, text and references as _plain_markup.h reads them, an attribute never without
 *   its value.
 * read_snippet is the rule whole: this reading, else markup.reference_read_snippet's, so that
 * markup.py binds read_snippet to it with no Python between (issue 17).
 */
#include "_plain_markup.h"
#include "_markup_in_place.h"

/* What is open while the quote is read, and what it has given. */
typedef struct {
    PyObject *paragraphs; /* list of (string, lang, anchors) */
    PyObject *anchors;    /* list of (href, string), every anchor of the quote */
    int in_paragraph;
    Py_ssize_t paragraph_start;
    PyObject *lang;              /* the open <p>'s, or NULL */
    PyObject *paragraph_anchors; /* the open <p>'s, a list */
    int in_anchor;
    Py_ssize_t anchor_start;
    PyObject *href; /* the open <a>'s, or NULL */
} Open;

static void
clear_open(Open *open)
{
    Py_XDECREF(open->paragraphs);
    Py_XDECREF(open->anchors);
    Py_XDECREF(open->lang);
    Py_XDECREF(open->paragraph_anchors);
    Py_XDECREF(open->href);
}

static int
open_paragraph(Open *open, const Reader *reader, PyObject *lang)
{
    open->paragraph_anchors = PyList_New(0);
    if (open->paragraph_anchors == NULL) {
        Py_XDECREF(lang);
        return FAILED;
    }
    open->in_paragraph = 1;
    open->paragraph_start = reader->length;
    open->lang = lang;
    return READ;
}

static int
close_paragraph(Open *open, const Reader *reader)
{
    PyObject *string = string_from(reader, open->paragraph_start);
    if (string == NULL) {
        return FAILED;
    }
    PyObject *paragraph = PyTuple_Pack(3, string, open->lang ? open->lang : Py_None,
                                       open->paragraph_anchors);
    Py_DECREF(string);
    if (paragraph == NULL) {
        return FAILED;
    }
    Py_CLEAR(open->lang);
    Py_CLEAR(open->paragraph_anchors);
    open->in_paragraph = 0;
    int appended = PyList_Append(open->paragraphs, paragraph);
    Py_DECREF(paragraph);
    return appended < 0 ? FAILED : READ;
}

static int
close_anchor(Open *open, const Reader *reader)
{
    PyObject *string = string_from(reader, open->anchor_start);
    if (string == NULL) {
        return FAILED;
    }
    PyObject *anchor = PyTuple_Pack(2, open->href ? open->href : Py_None, string);
    Py_DECREF(string);
    if (anchor == NULL) {
        return FAILED;
    }
    Py_CLEAR(open->href);
    open->in_anchor = 0;
    int appended = PyList_Append(open->anchors, anchor);
    if (appended == 0 && open->in_paragraph) {
        appended = PyList_Append(open->paragraph_anchors, anchor);
    }
    Py_DECREF(anchor);
    return appended < 0 ? FAILED : READ;
}

/* The end tag at the reader's position, past "</": READ at </blockquote> with *done set. */
static int
read_end_tag(Reader *reader, Open *open, int *done)
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
    if (is_name(text, name_start, name_end, "a")) {
        return open->in_anchor ? close_anchor(open, reader) : OUTSIDE;
    }
    if (open->in_anchor) {
        return OUTSIDE; /* an <a> left open */
    }
    if (is_name(text, name_start, name_end, "p")) {
        return open->in_paragraph ? close_paragraph(open, reader) : OUTSIDE;
    }
    if (is_name(text, name_start, name_end, "blockquote")) {
        *done = 1;
        return open->in_paragraph ? close_paragraph(open, reader) : READ;
    }
    return OUTSIDE;
}

/* The start tag at the reader's position, past "<". */
static int
read_start_tag(Reader *reader, Open *open)
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
        }
        return read;
    }
    int paragraph = is_name(text, name_start, name_end, "p");
    if ((!paragraph && !is_name(text, name_start, name_end, "a")) || open->in_anchor) {
        return OUTSIDE; /* another element, or one inside an <a> */
    }
    read = read_attributes(reader, paragraph ? "lang" : "href", &wanted, &self_closing);
    if (read != READ || self_closing) {
        Py_XDECREF(wanted);
        return read == FAILED ? FAILED : OUTSIDE;
    }
    if (!paragraph) {
        open->in_anchor = 1;
        open->anchor_start = reader->length;
        open->href = wanted;
        return READ;
    }
    if (open->in_paragraph && close_paragraph(open, reader) == FAILED) {
        Py_XDECREF(wanted);
        return FAILED;
    }
    return open_paragraph(open, reader, wanted);
}

/* The quote's content, the reader past its start tag: READ when it ends at </blockquote> with
 * the markup. */
static int
read_content(Reader *reader, Open *open)
{
    const Text *text = &reader->text;
    int done = 0;
    while (!done) {
        read_plain_run(reader, '<', reader->chars, &reader->length);
        if (reader->pos >= text->length) {
            return OUTSIDE; /* no </blockquote> */
        }
        if (at(text, reader->pos) != '<') {
            if (read_character(reader, reader->chars, &reader->length) != READ) {
                return OUTSIDE;
            }
            continue;
        }
        reader->pos++;
        int read;
        if (reader->pos < text->length && at(text, reader->pos) == '/') {
            reader->pos++;
            read = read_end_tag(reader, open, &done);
        }
        else {
            read = read_start_tag(reader, open);
        }
        if (read != READ) {
            return read;
        }
    }
    return reader->pos == text->length ? READ : OUTSIDE;
}

/* read_plain_snippet of the markup text */
static PyObject *
plain_snippet(Text text)
{
    Py_ssize_t length = text.length;
    Reader reader = {text, 0, NULL, 0, NULL, 0, 0};
    /* each character, reference and <br> of the markup gives at most one character */
    reader.chars = PyMem_New(Py_UCS4, (size_t)length * 2 + 1);
    if (reader.chars == NULL) {
        return PyErr_NoMemory();
    }
    reader.value = reader.chars + length;
    Open open = {PyList_New(0), PyList_New(0), 0, 0, NULL, NULL, 0, 0, NULL};
    PyObject *snippet = NULL;
    int read = FAILED;
    if (open.paragraphs != NULL && open.anchors != NULL) {
        read = read_quote_start(&reader);
        if (read == READ) {
            read = read_content(&reader, &open);
        }
    }
    if (read == READ) {
        PyObject *string = string_from(&reader, 0);
        if (string != NULL) {
            snippet = PyTuple_Pack(3, open.paragraphs, open.anchors, string);
            Py_DECREF(string);
        }
    }
    else if (read == OUTSIDE) {
        snippet = Py_NewRef(Py_None);
    }
    clear_open(&open);
    PyMem_Free(reader.chars);
    return snippet;
}

static PyObject *
read_plain_snippet(PyObject *module, PyObject *markup)
{
    if (!PyUnicode_Check(markup)) {
        PyErr_SetString(PyExc_TypeError, "read_plain_snippet(markup: str)");
        return NULL;
    }
    return plain_snippet((Text){PyUnicode_KIND(markup), PyUnicode_DATA(markup),
                                PyUnicode_GET_LENGTH(markup)});
}

/* markup.reference_read_snippet, fetched at the first markup outside the plain shape */
static PyObject *reference_read_snippet;

static PyObject *
read_snippet(PyObject *module, PyObject *markup)
{
    return read_or_refer(module, markup, read_plain_snippet, &reference_read_snippet,
                         "reference_read_snippet");
}

/* read_snippet(page[start:end]), the plain shape read in place (_markup_in_place.h); markup
 * outside it is cut out and handed to lxml */
static PyObject *
read_snippet_in_place(PyObject *page, Py_ssize_t start, Py_ssize_t end)
{
    return read_in_place_or_refer(page, start, end, plain_snippet, &reference_read_snippet,
                                  "reference_read_snippet");
}

static PyMethodDef methods[] = {
    {"read_plain_snippet", read_plain_snippet, METH_O,
     "read_plain_snippet(markup) -> (paragraphs, anchors, string) or None: the Snippet of a widget "
     "blockquote's markup in the plain shape (archiver.scan.markup.reference_read_snippet, "
     "compiled), None for any other markup."},
    {"read_snippet", read_snippet, METH_O,
     "read_snippet(markup) -> (paragraphs, anchors, string) or None: read_plain_snippet's "
     "Snippet, else archiver.scan.markup.reference_read_snippet's (lxml's)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._snippet",
    "A widget blockquote's snippet read without lxml, compiled (archiver/scan/markup.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__snippet(void)
{
    PyObject *snippet = PyModule_Create(&module);
    if (snippet != NULL &&
        add_reader_in_place(snippet, read_snippet_in_place, SNIPPET_IN_PLACE_CAPSULE) == -1) {
        Py_CLEAR(snippet);
    }
    return snippet;
}
