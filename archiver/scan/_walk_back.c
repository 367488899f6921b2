/* The walk back from a flattened attribution's dash to where its post starts, compiled.
 *
 * post_text.py's reference_post_start is the rule and its documentation; this is the same rule,
 * line for line, on the string's code points instead of through re and str calls (issue 17:
 * the walk back was half of the scanner's time at a post per kB, docs/benchmarks.md).
 * tests/test_scan_walk_back.py holds the two to the same answers, and benchmarks/scan_compare.py
 * to the same records. Character classes are CPython's own, so they match re's and str's:
 * re's \s is Py_UNICODE_ISSPACE, \d Py_UNICODE_ISDECIMAL, \w Py_UNICODE_ISALNUM or "_".
 * The paragraph break (gaps.py) stays in Python: the walk asks for it at most once per post.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_POST_WEIGHT 280
#define MAX_LINE 4000
#define MAX_BLANK 400
#define LEAD_IN_MAX 100
#define LINK_WEIGHT 23
#define MAX_LINK_TAIL 2000
#define FIRST_WIDE 0x1100

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
} Text;

typedef struct {
    Py_ssize_t start, first, end, newlines;
} Line;

static PyObject *typical_gap_function;      /* archiver.scan.gaps.typical_gap */
static PyObject *typical_gap_at_most_function;
static PyObject *category_function;          /* unicodedata.category */

static inline Py_UCS4
at(const Text *text, Py_ssize_t index)
{
    return PyUnicode_READ(text->kind, text->data, index);
}

static inline int
is_word(Py_UCS4 c)
{
    return Py_UNICODE_ISALNUM(c) || c == '_';
}

static inline int
is_letter(Py_UCS4 c) /* re's [^\W\d_] */
{
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c) && c != '_';
}

static int
starts_with(const Text *text, Py_ssize_t pos, Py_ssize_t end, const char *literal)
{
    Py_ssize_t i = 0;
    for (; literal[i]; i++) {
        if (pos + i >= end || at(text, pos + i) != (Py_UCS4)(unsigned char)literal[i]) {
            return 0;
        }
    }
    return 1;
}

static Py_ssize_t
rfind_newline(const Text *text, Py_ssize_t low, Py_ssize_t high)
{
    if (high > text->length) {
        high = text->length;
    }
    for (Py_ssize_t i = high - 1; i >= low; i--) {
        if (at(text, i) == '\n') {
            return i;
        }
    }
    return -1;
}

static Py_ssize_t
first_visible(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t stop = end < text->length ? end : text->length;
    for (Py_ssize_t i = start; i < stop; i++) {
        if (!Py_UNICODE_ISSPACE(at(text, i))) {
            return i;
        }
    }
    return end;
}

static Py_ssize_t
line_start_before(const Text *text, Py_ssize_t pos, Py_ssize_t floor)
{
    Py_ssize_t lowest = pos - MAX_LINE > floor ? pos - MAX_LINE : floor;
    Py_ssize_t newline = rfind_newline(text, lowest, pos);
    if (newline != -1) {
        return newline + 1;
    }
    if (lowest == floor) {
        return floor;
    }
    for (Py_ssize_t i = lowest; i < pos && i < text->length; i++) {
        if (at(text, i) == ' ') {
            return i + 1;
        }
    }
    return lowest;
}

/* post_text._previous_line: 1 and *line filled, or 0 for None. */
static int
previous_line(const Text *text, Py_ssize_t line_start, Py_ssize_t floor, Line *line)
{
    Py_ssize_t lowest = line_start - MAX_BLANK > floor ? line_start - MAX_BLANK : floor;
    Py_ssize_t pos = line_start, newlines = 0, start;
    while (pos > lowest && Py_UNICODE_ISSPACE(at(text, pos - 1))) {
        pos--;
    }
    for (Py_ssize_t i = pos; i < line_start; i++) {
        newlines += at(text, i) == '\n';
    }
    if (pos == lowest || newlines == 0) {
        return 0;
    }
    start = rfind_newline(text, pos - MAX_LINE > floor ? pos - MAX_LINE : floor, pos);
    if (start == -1) {
        if (pos - MAX_LINE > floor) {
            return 0;
        }
        start = floor;
    }
    else {
        start += 1;
    }
    line->start = start;
    line->first = first_visible(text, start, pos);
    line->end = pos;
    line->newlines = newlines;
    return 1;
}

static int
ends_a_lead_in(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    if (end <= first) {
        return 0;
    }
    Py_UCS4 last = at(text, end - 1);
    return last == ':' || last == 0xFF1A; /* ":" and the full-width "：" */
}

static int
has_hashtag(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    for (Py_ssize_t i = first; i + 1 < end; i++) {
        Py_UCS4 c = at(text, i);
        if (c != '#' && c != 0xFF03) {
            continue;
        }
        Py_UCS4 next = at(text, i + 1);
        if (is_letter(next)) {
            return 1;
        }
        if (Py_UNICODE_ISDECIMAL(next)) {
            Py_ssize_t j = i + 1;
            while (j < end && Py_UNICODE_ISDECIMAL(at(text, j))) {
                j++;
            }
            if (j < end && is_word(at(text, j))) {
                return 1;
            }
        }
    }
    return 0;
}

/* post_text._shows_a_post: 1, 0, or -1 with an exception set. */
static int
shows_a_post(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    if (end <= first) {
        return 0;
    }
    Py_UCS4 c = at(text, first);
    if (c == '@') {
        return 1;
    }
    if (c >= 0x80) { /* no ASCII character is a symbol of category So */
        PyObject *category = PyObject_CallFunction(category_function, "C", (int)c);
        if (category == NULL) {
            return -1;
        }
        int symbol = PyUnicode_CompareWithASCIIString(category, "So") == 0;
        Py_DECREF(category);
        if (symbol) {
            return 1;
        }
    }
    for (Py_ssize_t i = first; i + 5 <= end; i++) {
        if (at(text, i) == 't' && starts_with(text, i, end, "t.co/")) {
            return 1;
        }
    }
    return has_hashtag(text, first, end);
}

static int
is_one_of(Py_UCS4 c, const Py_UCS4 *set)
{
    for (; *set; set++) {
        if (c == *set) {
            return 1;
        }
    }
    return 0;
}

static const Py_UCS4 OPENING_QUOTES[] = {'"', 0x201C, 0x201E, 0xAB, 0xBB, 0x300C, 0x300E, 0};
static const Py_UCS4 CLOSING_QUOTES[] = {'"', 0x201D, 0x201C, 0xBB, 0xAB, 0x300D, 0x300F, 0};
static const Py_UCS4 QUOTE_MARKS[] = {
    '"', 0x201C, 0x201D, 0x201E, 0xAB, 0xBB, 0x300C, 0x300D, 0x300E, 0x300F, 0};
static const Py_UCS4 SENTENCE_ENDS[] = {'.', '!', '?', 0x2026, 0};
static const Py_UCS4 AFTER_SENTENCE_END[] = {'"', '\'', 0x201D, 0x2019, 0xBB, ')', ']', 0};

static int
is_quotation(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    if (end - first <= 2 || !is_one_of(at(text, first), OPENING_QUOTES)) {
        return 0;
    }
    Py_ssize_t last = end - 1;
    while (last >= first && is_one_of(at(text, last), SENTENCE_ENDS)) {
        last--;
    }
    if (last >= first && !is_one_of(at(text, last), CLOSING_QUOTES)) {
        return 0;
    }
    Py_ssize_t marks = 0;
    for (Py_ssize_t i = first; i < end; i++) {
        marks += is_one_of(at(text, i), QUOTE_MARKS);
    }
    return marks == 2;
}

static int
is_short_sentence(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    if (end - first > LEAD_IN_MAX) {
        return 0;
    }
    /* [.!?…] then at most two closing marks, at the line's end */
    for (Py_ssize_t closers = 0; closers <= 2 && end - 1 - closers >= first; closers++) {
        if (closers > 0 && !is_one_of(at(text, end - closers), AFTER_SENTENCE_END)) {
            return 0;
        }
        if (is_one_of(at(text, end - 1 - closers), SENTENCE_ENDS)) {
            return 1;
        }
    }
    return 0;
}

/* How much less than their length the links in text[first:end] weigh (post_text._saved_by_links). */
static Py_ssize_t
saved_by_links(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    static const char *const prefixes[] = {
        "https://", "http://", "t.co/", "pic.twitter.com/", "pic.x.com/", NULL};
    Py_ssize_t saved = 0, covered = first;
    for (Py_ssize_t i = first; i < end; i++) {
        Py_UCS4 c = at(text, i);
        if (i < covered || (c != 'h' && c != 't' && c != 'p')) {
            continue;
        }
        for (const char *const *prefix = prefixes; *prefix; prefix++) {
            if (!starts_with(text, i, end, *prefix)) {
                continue;
            }
            Py_ssize_t tail_start = i + (Py_ssize_t)strlen(*prefix), tail_end = tail_start;
            while (tail_end < end && tail_end - tail_start < MAX_LINK_TAIL &&
                   !Py_UNICODE_ISSPACE(at(text, tail_end))) {
                tail_end++;
            }
            if (tail_end > tail_start) {
                saved += tail_end - i - LINK_WEIGHT;
                covered = tail_end;
            }
            break;
        }
    }
    return saved;
}

/* post_text.too_long_for_a_post on text[first:end]. */
static int
too_long_for_a_post(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    while (first < end && Py_UNICODE_ISSPACE(at(text, first))) {
        first++;
    }
    while (end > first && Py_UNICODE_ISSPACE(at(text, end - 1))) {
        end--;
    }
    Py_ssize_t weight = end - first - saved_by_links(text, first, end);
    if (weight > MAX_POST_WEIGHT) {
        return 1;
    }
    for (Py_ssize_t i = first; i < end; i++) {
        weight += at(text, i) >= FIRST_WIDE;
    }
    return weight > MAX_POST_WEIGHT;
}

static Py_ssize_t
call_typical_gap(PyObject *string, Py_ssize_t dash, Py_ssize_t floor)
{
    PyObject *gap = PyObject_CallFunction(typical_gap_function, "Onn", string, dash, floor);
    if (gap == NULL) {
        return -1;
    }
    Py_ssize_t value = PyLong_AsSsize_t(gap);
    Py_DECREF(gap);
    return value;
}

static int
call_typical_gap_at_most(PyObject *string, Py_ssize_t dash, Py_ssize_t floor, Py_ssize_t newlines)
{
    PyObject *answer = PyObject_CallFunction(
        typical_gap_at_most_function, "Onnn", string, dash, floor, newlines);
    if (answer == NULL) {
        return -1;
    }
    int truth = PyObject_IsTrue(answer);
    Py_DECREF(answer);
    return truth;
}

/* post_text._introduced_post: where the quoted paragraphs start, -1 for None, -2 on error. */
static Py_ssize_t
introduced_post(const Text *text, Py_ssize_t line_start, Py_ssize_t first, Py_ssize_t dash,
                Py_ssize_t floor, Py_ssize_t paragraph_gap)
{
    Line previous;
    while (previous_line(text, line_start, floor, &previous)) {
        if (previous.newlines > paragraph_gap) {
            return -1;
        }
        if (ends_a_lead_in(text, previous.first, previous.end)) {
            int post_like = shows_a_post(text, previous.first, previous.end);
            if (post_like < 0) {
                return -2;
            }
            if (!post_like) {
                return first;
            }
        }
        line_start = previous.start;
        first = previous.first;
        if (too_long_for_a_post(text, first, dash)) {
            return -1;
        }
    }
    return -1;
}

/* post_text.reference_post_start; -1 with an exception set on error. */
static Py_ssize_t
walk_back(PyObject *string, const Text *text, Py_ssize_t dash, Py_ssize_t floor)
{
    Py_ssize_t line_start = line_start_before(text, dash, floor);
    Py_ssize_t first = first_visible(text, line_start, dash);
    Line previous;
    int post_like;
    if (first == dash) {
        if (!previous_line(text, line_start, floor, &previous)) {
            return dash;
        }
        line_start = previous.start;
        first = previous.first;
        if (ends_a_lead_in(text, first, previous.end)) {
            if ((post_like = shows_a_post(text, first, previous.end)) < 0) {
                return -1;
            }
            if (!post_like) {
                return dash;
            }
        }
    }
    Py_ssize_t paragraph_gap = 0, widest_joined = 0;
    while (previous_line(text, line_start, floor, &previous)) {
        Py_ssize_t gap = previous.newlines;
        if ((post_like = shows_a_post(text, previous.first, previous.end)) < 0) {
            return -1;
        }
        post_like = post_like || is_quotation(text, previous.first, previous.end);
        if (!post_like && ends_a_lead_in(text, previous.first, previous.end)) {
            break;
        }
        int is_short = !post_like && is_short_sentence(text, previous.first, previous.end);
        if (!is_short && too_long_for_a_post(text, previous.first, dash)) {
            break;
        }
        if (!post_like) {
            if (is_short && widest_joined < gap) {
                int at_most = call_typical_gap_at_most(string, dash, floor, gap);
                if (at_most < 0) {
                    return -1;
                }
                if (at_most) {
                    break;
                }
            }
            if (paragraph_gap == 0 && (paragraph_gap = call_typical_gap(string, dash, floor)) < 0) {
                return -1;
            }
            if (gap == paragraph_gap) {
                if (!is_short || (widest_joined >= paragraph_gap &&
                                  !too_long_for_a_post(text, previous.first, dash))) {
                    Py_ssize_t introduced = introduced_post(
                        text, previous.start, previous.first, dash, floor, paragraph_gap);
                    if (introduced == -2) {
                        return -1;
                    }
                    first = introduced == -1 ? first : introduced;
                }
                break;
            }
            if (is_short && (gap > paragraph_gap || too_long_for_a_post(text, previous.first, dash))) {
                break;
            }
        }
        line_start = previous.start;
        first = previous.first;
        widest_joined = gap > widest_joined ? gap : widest_joined;
    }
    return first;
}

static int
load_helpers(void)
{
    if (typical_gap_function != NULL) {
        return 0;
    }
    PyObject *gaps = PyImport_ImportModule("archiver.scan.gaps");
    PyObject *unicodedata = PyImport_ImportModule("unicodedata");
    if (gaps != NULL && unicodedata != NULL) {
        typical_gap_function = PyObject_GetAttrString(gaps, "typical_gap");
        typical_gap_at_most_function = PyObject_GetAttrString(gaps, "typical_gap_at_most");
        category_function = PyObject_GetAttrString(unicodedata, "category");
    }
    Py_XDECREF(gaps);
    Py_XDECREF(unicodedata);
    if (typical_gap_function == NULL || typical_gap_at_most_function == NULL ||
        category_function == NULL) {
        Py_CLEAR(typical_gap_function);
        Py_CLEAR(typical_gap_at_most_function);
        Py_CLEAR(category_function);
        return -1;
    }
    return 0;
}

static PyObject *
post_start(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "post_start(text: str, dash: int, floor: int)");
        return NULL;
    }
    Py_ssize_t dash = PyLong_AsSsize_t(args[1]);
    Py_ssize_t floor = PyLong_AsSsize_t(args[2]);
    if ((dash == -1 || floor == -1) && PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[0]);
    if (floor < 0 || dash < floor || dash > length) {
        PyErr_SetString(PyExc_ValueError, "post_start needs 0 <= floor <= dash <= len(text)");
        return NULL;
    }
    if (load_helpers() < 0) {
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), length};
    Py_ssize_t start = walk_back(args[0], &text, dash, floor);
    return start < 0 ? NULL : PyLong_FromSsize_t(start);
}

static PyMethodDef methods[] = {
    {"post_start", (PyCFunction)(void (*)(void))post_start, METH_FASTCALL,
     "post_start(text, dash, floor) -> int: where the post whose attribution dash is at "
     "text[dash] starts (archiver.scan.post_text.reference_post_start, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._walk_back",
    "The walk back from an attribution's dash, compiled (archiver/scan/post_text.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__walk_back(void)
{
    return PyModule_Create(&module);
}
