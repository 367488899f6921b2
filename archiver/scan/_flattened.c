/* html.py's flattened attributions, compiled: a candidate's text for the cheap test, the
 * record of an attribution found in a page's visible text, and the glue around them: a page's
 * candidates outside its markup embeds and code, grouped into clusters, each read through a
 * window of visible text (its bare URLs and attributions and their records).
 *
 * html.py's reference_plain_text_at and reference_attribution_in_source are the rules and their
 * documentation. plain_text_at drops _TAGS' tags, decodes with html.unescape (called only for a
 * text holding "&") and collapses whitespace as str.split does (Py_UNICODE_ISSPACE), on the
 * string's code points instead of through re.sub, html.unescape, str.split and str.join.
 * attribution_in_source maps the attribution's spans back to the source (VisibleText.source_start
 * and source_end, bisections of its piece lists), tidies the post's text (html._tidy), finds its
 * status URL (the last anchor around the date that links to a post) and its links
 * (html._post_links), and builds the Embed plain.attribution_embed makes through its slots
 * (_embeds.h). It reads the visible text, its map and the anchors (_anchor_reading.h, which
 * _anchors.c shares) in place, calling back into Python only for the checks of a link
 * (links.is_post_link, urls.parse_post_url), the links written out in the post
 * (links.other_links, when it holds "://" or "t.co/", as that function first checks), a status
 * URL cleaned (links.clean_status_url) and the picture links (links.pic_links). Issue 17: in
 * Python the records and the cheap test took about a seventh of the HTML scan at a post per kB.
 * tests/test_scan_flattened_compiled.py holds the two to the same answers, and
 * benchmarks/scan_compare.py to the same records.
 * flattened_embeds, clusters and window_embeds are html.reference_flattened_embeds,
 * reference_clusters and reference_window_embeds: the same loops on C arrays of offsets. A
 * window's visible text is read with _visible.c's own code (_visible_text.h) into C arrays (Seen),
 * not through visible_parts' lists of ints; its bare URLs (_bare_urls.c) and attributions
 * (_attributions.c) are found through their modules, and the cheap test calls
 * text.has_attribution_tail (compiled in _attributions.c), urls.parse_post_url and html.unescape.
 * Issue 17: in Python that glue took about a quarter of the HTML scan at a post per kB.
 * tests/test_scan_window_compiled.py holds them to the same records.
 */
#include "_anchor_reading.h"
#include "_code_points.h"
#include "_embeds.h"
#include "_html_unescape.h"
#include "_visible_text.h"

#define AFTER_DATE 64 /* html._AFTER_DATE: room for the "</a>" that closes a date link */

/* Attribution's fields (text.py) */
enum { A_START, A_DASH, A_END, A_ANCHOR, A_HANDLE, A_DISPLAY_NAME, A_DATE, A_DATE_TEXT, A_URL,
       ATTRIBUTION_FIELDS };

/* What the record calls back or builds with, fetched at the first call */
enum { IS_POST_LINK, OTHER_LINKS, PIC_LINKS, CLEAN_STATUS_URL, PARSE_POST_URL,
       ATTRIBUTION, BLUESKY, TWITTER, TEXT_ATTRIBUTION, STATUS_URL_FORM,
       FIND_BARE_URLS, FIND_ATTRIBUTIONS, HAS_ATTRIBUTION_TAIL, HELPERS };
static const char *const HELPER_NAMES[HELPERS][2] = {
    {"archiver.scan.links", "is_post_link"},
    {"archiver.scan.links", "other_links"},
    {"archiver.scan.links", "pic_links"},
    {"archiver.scan.links", "clean_status_url"},
    {"archiver.urls", "parse_post_url"},
    {"archiver.scan.text", "Attribution"},
    {"archiver.models", "Platform.BLUESKY"},
    {"archiver.models", "Platform.TWITTER"},
    {"archiver.models", "EmbedForm.TEXT_ATTRIBUTION"},
    {"archiver.models", "EmbedForm.STATUS_URL"},
    {"archiver.scan._bare_urls", "find_bare_urls"},
    {"archiver.scan._attributions", "find_attributions"},
    {"archiver.scan.text", "has_attribution_tail"},
};
static PyObject *helpers[HELPERS];
/* The attributes read: a VisibleText's (in its fields' order), a PostRef's, an Embed's span and
 * a PageCandidates' lists (prefilter.py), interned */
enum { N_TEXT, N_TEXT_STARTS, N_SOURCE_STARTS, N_SOURCE_ENDS, N_LITERAL, N_PLATFORM, N_POST_ID,
       N_HANDLE, N_START, N_END, N_CODE, N_ANCHORS, N_URLS, NAMES };
static const char *const NAME_STRINGS[NAMES] = {
    "text", "text_starts", "source_starts", "source_ends", "literal", "platform", "post_id",
    "handle", "start", "end", "code", "anchors", "urls"};
static PyObject *names[NAMES];

/* helpers[i]: the name, or the dotted attribute of a name, in its module (a new reference) */
static PyObject *
fetch_helper(int i)
{
    PyObject *module = PyImport_ImportModule(HELPER_NAMES[i][0]);
    if (module == NULL) {
        return NULL;
    }
    const char *name = HELPER_NAMES[i][1], *dot = strchr(name, '.');
    PyObject *found;
    if (dot == NULL) {
        found = PyObject_GetAttrString(module, name);
    }
    else {
        PyObject *outer_name = PyUnicode_FromStringAndSize(name, dot - name);
        PyObject *outer = outer_name ? PyObject_GetAttr(module, outer_name) : NULL;
        found = outer ? PyObject_GetAttrString(outer, dot + 1) : NULL;
        Py_XDECREF(outer_name);
        Py_XDECREF(outer);
    }
    Py_DECREF(module);
    return found;
}

static int
fetch_helpers(void)
{
    if (embed_type != NULL) {
        return 0;
    }
    for (int n = 0; n < NAMES; n++) {
        if (names[n] == NULL && (names[n] = PyUnicode_InternFromString(NAME_STRINGS[n])) == NULL) {
            return -1;
        }
    }
    PyObject *fetched[HELPERS];
    int i;
    for (i = 0; i < HELPERS; i++) {
        if ((fetched[i] = fetch_helper(i)) == NULL) {
            break;
        }
    }
    PyObject *models = i == HELPERS ? PyImport_ImportModule("archiver.models") : NULL;
    PyObject *type = models ? PyObject_GetAttrString(models, "Embed") : NULL;
    int loaded = type != NULL && keep_embed_type(type) == 0;
    Py_XDECREF(models);
    Py_XDECREF(type);
    if (!loaded) {
        while (--i >= 0) {
            Py_DECREF(fetched[i]);
        }
        return -1;
    }
    memcpy(helpers, fetched, sizeof helpers);
    return 0;
}

#define FAILED(value) ((value) == -1 && PyErr_Occurred())

/* A visible text and its map back to the source (visible.py's VisibleText) in C arrays: piece i
 * starts at text_starts[i] and covers source[source_starts[i]:source_ends[i]], char for char
 * when literal[i] */
typedef struct {
    PyObject *text;
    Py_ssize_t pieces;
    Py_ssize_t *text_starts, *source_starts, *source_ends; /* one block, freed with text_starts */
    char *literal;
} Seen;

/* The arrays of ``map`` for map->pieces pieces: 0, or -1 with an exception set */
static int
allocate_seen(Seen *map)
{
    size_t pieces = (size_t)map->pieces;
    if (pieces > PY_SSIZE_T_MAX / (3 * sizeof(Py_ssize_t) + 1)) {
        PyErr_NoMemory();
        return -1;
    }
    char *block = PyMem_Malloc(pieces * (3 * sizeof(Py_ssize_t) + 1) + 1);
    if (block == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    map->text_starts = (Py_ssize_t *)block;
    map->source_starts = map->text_starts + pieces;
    map->source_ends = map->source_starts + pieces;
    map->literal = (char *)(map->source_ends + pieces);
    return 0;
}

static void
release_seen(Seen *map)
{
    Py_XDECREF(map->text);
    PyMem_Free(map->text_starts);
}

/* Reads the VisibleText ``seen`` into ``map`` (its text a new reference): 0, or -1 with an
 * exception set */
static int
read_seen(PyObject *seen, Seen *map)
{
    PyObject *fields[5]; /* text, text_starts, source_starts, source_ends, literal */
    int i = 0;
    for (; i < 5; i++) {
        if ((fields[i] = PyObject_GetAttr(seen, names[N_TEXT + i])) == NULL) {
            break;
        }
    }
    int ok = i == 5 && PyUnicode_Check(fields[0]);
    for (int j = 1; ok && j < 5; j++) {
        ok = PyList_Check(fields[j]) && PyList_GET_SIZE(fields[j]) == PyList_GET_SIZE(fields[1]);
    }
    if (i == 5 && !ok) {
        PyErr_SetString(PyExc_TypeError, "a VisibleText expected");
    }
    *map = (Seen){NULL, ok ? PyList_GET_SIZE(fields[1]) : 0, NULL, NULL, NULL, NULL};
    ok = ok && allocate_seen(map) == 0;
    Py_ssize_t *numbers[] = {map->text_starts, map->source_starts, map->source_ends};
    for (Py_ssize_t piece = 0; ok && piece < map->pieces; piece++) {
        for (int j = 0; ok && j < 3; j++) {
            numbers[j][piece] = PyLong_AsSsize_t(PyList_GET_ITEM(fields[j + 1], piece));
            ok = !FAILED(numbers[j][piece]);
        }
        int literal = ok ? PyObject_IsTrue(PyList_GET_ITEM(fields[4], piece)) : -1;
        map->literal[piece] = (char)literal;
        ok = literal >= 0;
    }
    if (ok) {
        map->text = Py_NewRef(fields[0]);
    }
    else {
        PyMem_Free(map->text_starts);
        map->text_starts = NULL;
    }
    while (--i >= 0) {
        Py_DECREF(fields[i]);
    }
    return ok ? 0 : -1;
}

/* Reads the visible text of source[start:end] into ``map`` with _visible_text.h, as
 * _visible.c's visible_parts reads it (``start`` and ``end`` held to the source as it holds
 * them): 0, or -1 with an exception set */
static int
see(PyObject *source, Py_ssize_t start, Py_ssize_t end, Seen *map)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(source);
    start = start < 0 ? 0 : (start > length ? length : start);
    end = end < 0 ? 0 : (end > length ? length : end);
    Stretch stretch = {PyUnicode_KIND(source), PyUnicode_DATA(source), length, end};
    Pieces pieces = {NULL, 0, 0, 0, 0};
    *map = (Seen){NULL, 0, NULL, NULL, NULL, NULL};
    int failed = load_visible_unescape() < 0 || read_pieces(source, &stretch, start, &pieces) < 0;
    if (!failed) {
        map->pieces = pieces.count;
        failed = allocate_seen(map) < 0 || (map->text = joined_text(source, &pieces)) == NULL;
    }
    Py_ssize_t text_start = 0;
    for (Py_ssize_t i = 0; !failed && i < pieces.count; i++) {
        const Piece *piece = &pieces.items[i];
        map->text_starts[i] = text_start;
        map->source_starts[i] = piece->source_start;
        map->source_ends[i] = piece->source_end;
        map->literal[i] = is_literal(piece);
        text_start += piece_length(piece);
    }
    clear_pieces(&pieces);
    if (failed) {
        release_seen(map);
        return -1;
    }
    return 0;
}

/* base + index - from, or -1 with OverflowError set where a Py_ssize_t cannot hold it (Python's
 * ints can) */
static Py_ssize_t
shifted(Py_ssize_t base, Py_ssize_t index, Py_ssize_t from)
{
    Py_ssize_t offset, total;
    if (__builtin_sub_overflow(index, from, &offset) ||
        __builtin_add_overflow(base, offset, &total)) {
        PyErr_SetString(PyExc_OverflowError, "an offset too large for a Py_ssize_t");
        return -1;
    }
    return total;
}

/* bisect.bisect_right(numbers[:count], value) */
static Py_ssize_t
bisect_right(const Py_ssize_t *numbers, Py_ssize_t count, Py_ssize_t value)
{
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (value < numbers[middle]) {
            high = middle;
        }
        else {
            low = middle + 1;
        }
    }
    return low;
}

/* The piece holding text[index], -1 before the first */
static Py_ssize_t
piece_of(const Seen *map, Py_ssize_t index)
{
    return bisect_right(map->text_starts, map->pieces, index) - 1;
}

/* Where text[index], in the piece, maps to: source_starts[piece] plus index's offset in a
 * literal piece, else ``whole`` (source_starts or source_ends) of the piece. -1 with an
 * exception set. */
static Py_ssize_t
mapped(const Seen *map, Py_ssize_t piece, const Py_ssize_t *whole, Py_ssize_t index)
{
    if (!map->literal[piece]) {
        return whole[piece];
    }
    return shifted(map->source_starts[piece], index, map->text_starts[piece]);
}

/* VisibleText.source_start(index): -1 with an exception set */
static Py_ssize_t
source_start(const Seen *map, Py_ssize_t index)
{
    Py_ssize_t piece = piece_of(map, index);
    if (piece == -1) {
        return map->pieces > 0 ? map->source_starts[0] : 0;
    }
    return mapped(map, piece, map->source_starts, index);
}

/* VisibleText.source_end(index): -1 with an exception set */
static Py_ssize_t
source_end(const Seen *map, Py_ssize_t index)
{
    if (index <= 0) {
        return source_start(map, 0);
    }
    Py_ssize_t piece = piece_of(map, index - 1);
    if (piece == -1) { /* no pieces: literal[-1] of an empty list */
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return -1;
    }
    return mapped(map, piece, map->source_ends, index);
}

/* Whether the ASCII literal is in text */
static int
contains_literal(const Text *text, const char *literal)
{
    Py_ssize_t pos = 0;
    while ((pos = find_code_point(text, (unsigned char)literal[0], pos, text->length)) != -1) {
        if (starts_with(text, pos, text->length, literal)) {
            return 1;
        }
        pos++;
    }
    return 0;
}

static inline int
is_space_or_tab(Py_UCS4 c)
{
    return c == ' ' || c == '\t';
}

/* html._tidy(text[from:to]) written into ``out`` (room for to - from code points, which it never
 * outgrows): each line stripped, its runs of two or more spaces and tabs made one space, the
 * lines joined with "\n" and the empty lines at either end dropped. Its length. */
static Py_ssize_t
copy_tidy(const Text *text, Py_ssize_t from, Py_ssize_t to, Py_UCS4 *out)
{
    Py_ssize_t length = 0, newlines = 0; /* newlines held back until a word follows them */
    for (Py_ssize_t line = from; line <= to; line++) {
        Py_ssize_t line_end = find_code_point(text, '\n', line, to);
        line_end = line_end == -1 ? to : line_end;
        Py_ssize_t first = line, last = line_end;
        while (first < last && Py_UNICODE_ISSPACE(at(text, first))) {
            first++;
        }
        while (last > first && Py_UNICODE_ISSPACE(at(text, last - 1))) {
            last--;
        }
        if (first < last) {
            for (; newlines > 0; newlines--) {
                out[length++] = '\n';
            }
        }
        int after_space = 0; /* the last character written was a space or tab of the line */
        for (Py_ssize_t i = first; i < last; i++) {
            Py_UCS4 c = at(text, i);
            if (is_space_or_tab(c)) {
                if (after_space) { /* a run: its first character is written as " " */
                    out[length - 1] = ' ';
                    continue;
                }
                after_space = 1;
            }
            else {
                after_space = 0;
            }
            out[length++] = c;
        }
        newlines = length > 0 ? newlines + 1 : 0;
        line = line_end;
    }
    return length;
}

/* html._tidy(text[from:to]) for 0 <= from <= to <= len(text): a new str, or NULL with an
 * exception set */
static PyObject *
tidy(PyObject *text_object, Py_ssize_t from, Py_ssize_t to)
{
    Text text = {PyUnicode_KIND(text_object), PyUnicode_DATA(text_object),
                 PyUnicode_GET_LENGTH(text_object)};
    Py_UCS4 *out = PyMem_New(Py_UCS4, to - from + 1);
    if (out == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *post = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out,
                                               copy_tidy(&text, from, to, out));
    PyMem_Free(out);
    return post;
}

/* An anchor with an href: the <a> element and its href's value's span in the source */
typedef struct {
    Anchor anchor;
    Py_ssize_t value_start, value_end;
} LinkedAnchor;

/* The anchors with an href that open in source[start:end] (and close within ``slack`` after it),
 * html._anchors' own, into ``*found`` (a new array, PyMem): their number, or -1 with an exception
 * set */
static Py_ssize_t
read_anchors(PyObject *source, Py_ssize_t start, Py_ssize_t end, Py_ssize_t slack,
             LinkedAnchor **found)
{
    Py_ssize_t count = 0, room = 8;
    *found = PyMem_New(LinkedAnchor, room);
    AnchorReading reading;
    start_anchors(&reading, source, start, end, slack);
    for (;;) {
        if (*found == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        LinkedAnchor *next = &(*found)[count];
        if (!next_anchor(&reading, &next->anchor, &next->value_start, &next->value_end)) {
            return count;
        }
        if (++count == room) {
            LinkedAnchor *kept = *found;
            room *= 2; /* anchors each take characters: never past PY_SSIZE_T_MAX / sizeof */
            if ((*found = PyMem_Realloc(kept, room * sizeof *kept)) == NULL) {
                PyMem_Free(kept);
            }
        }
    }
}

/* The status URL of the attribution: the href of the last anchor from its "(@" to its date's end
 * (and the date link's "</a>" after it) that links to a post, and that post in ``*post``; the
 * attribution's own status URL (None, or its Markdown link) and its post (None) if none does.
 * New references, or NULL with an exception set. */
static PyObject *
status_url_of(PyObject *source, PyObject *found, Py_ssize_t anchor, Py_ssize_t end,
              PyObject **post)
{
    LinkedAnchor *around;
    Py_ssize_t count = read_anchors(source, anchor, end, AFTER_DATE, &around);
    if (count < 0) {
        return NULL;
    }
    PyObject *url = NULL;
    *post = NULL;
    for (Py_ssize_t i = count - 1; i >= 0 && url == NULL; i--) {
        PyObject *href = anchor_href(source, around[i].value_start, around[i].value_end);
        *post = href ? PyObject_CallOneArg(helpers[PARSE_POST_URL], href) : NULL;
        if (*post == NULL) {
            Py_XDECREF(href);
            break;
        }
        if (*post != Py_None) {
            url = href;
        }
        else {
            Py_CLEAR(*post);
            Py_DECREF(href);
        }
    }
    PyMem_Free(around);
    if (url != NULL || PyErr_Occurred()) {
        return url;
    }
    url = PyTuple_GET_ITEM(found, A_URL);
    int has_url = PyObject_IsTrue(url);
    if (has_url < 0) {
        return NULL;
    }
    *post = has_url ? PyObject_CallOneArg(helpers[PARSE_POST_URL], url) : Py_NewRef(Py_None);
    return *post == NULL ? NULL : Py_NewRef(url);
}

/* Appends (position, link) to ``placed``: 0, or -1 with an exception set */
static int
place(PyObject *placed, Py_ssize_t position, PyObject *link)
{
    PyObject *pair = Py_BuildValue("(nO)", position, link);
    int appended = pair == NULL ? -1 : PyList_Append(placed, pair);
    Py_XDECREF(pair);
    return appended;
}

/* Where a link written in ``post`` (the text from ``found_start``) sits in the source: where its
 * first occurrence maps to, or ``dash`` when the post does not hold it. -1 with an exception
 * set. */
static Py_ssize_t
written_link_position(const Seen *map, PyObject *post, PyObject *link, Py_ssize_t found_start,
                      Py_ssize_t dash)
{
    if (!PyUnicode_Check(link)) {
        PyErr_SetString(PyExc_TypeError, "other_links() must give strs");
        return -1;
    }
    Py_ssize_t index = PyUnicode_Find(post, link, 0, PyUnicode_GET_LENGTH(post), 1);
    if (index < 0) {
        return index == -1 ? dash : -1;
    }
    Py_ssize_t in_text = shifted(found_start, index, 0);
    return FAILED(in_text) ? -1 : source_start(map, in_text);
}

/* Whether ``position`` is outside the span of each of the ``count`` anchors */
static int
outside_anchors(const LinkedAnchor *anchors, Py_ssize_t count, Py_ssize_t position)
{
    for (Py_ssize_t i = 0; i < count; i++) {
        if (anchors[i].anchor.start <= position && position < anchors[i].anchor.end) {
            return 0;
        }
    }
    return 1;
}

/* Appends (position, href) to ``placed`` when the anchor carries a link (links.is_post_link of
 * its href and text): 0, or -1 with an exception set */
static int
place_anchor(PyObject *placed, PyObject *source, const Text *text, const LinkedAnchor *anchor)
{
    PyObject *call[2] = {anchor_href(source, anchor->value_start, anchor->value_end), NULL};
    call[1] = call[0] ? anchor_visible_text(source, text, &anchor->anchor) : NULL;
    PyObject *carries = call[1] ? PyObject_Vectorcall(helpers[IS_POST_LINK], call, 2, NULL) : NULL;
    int is_link = carries == NULL ? -1 : PyObject_IsTrue(carries);
    int placed_it = is_link <= 0 ? is_link : place(placed, anchor->anchor.start, call[0]);
    Py_XDECREF(carries);
    Py_XDECREF(call[0]);
    Py_XDECREF(call[1]);
    return placed_it;
}

/* html._post_links: each of the post's anchors that carries a link, and each link written out
 * in its text outside the anchors, at their places in the source; sorted, each once. A new
 * tuple, or NULL with an exception set. ``post`` is text[found.start:found.dash]. */
static PyObject *
post_links(PyObject *source, const Seen *map, PyObject *post, Py_ssize_t found_start,
           Py_ssize_t start, Py_ssize_t dash)
{
    PyObject *placed = PyList_New(0), *written = NULL, *links = NULL;
    LinkedAnchor *inside = NULL;
    Py_ssize_t count = placed ? read_anchors(source, start, dash, 0, &inside) : -1;
    if (count < 0) {
        goto done;
    }
    Text source_text = {PyUnicode_KIND(source), PyUnicode_DATA(source),
                        PyUnicode_GET_LENGTH(source)};
    for (Py_ssize_t i = 0; i < count; i++) {
        if (place_anchor(placed, source, &source_text, &inside[i]) < 0) {
            goto done;
        }
    }
    Text text = {PyUnicode_KIND(post), PyUnicode_DATA(post), PyUnicode_GET_LENGTH(post)};
    if (contains_literal(&text, "://") || contains_literal(&text, "t.co/")) {
        written = PyObject_CallOneArg(helpers[OTHER_LINKS], post);
        PyObject *iterator = written == NULL ? NULL : PyObject_GetIter(written);
        if (iterator == NULL) {
            goto done;
        }
        PyObject *link;
        while ((link = PyIter_Next(iterator)) != NULL) {
            Py_ssize_t position = written_link_position(map, post, link, found_start, dash);
            int kept = FAILED(position) ? -1 : outside_anchors(inside, count, position);
            if (kept == 1) {
                kept = place(placed, position, link);
            }
            Py_DECREF(link);
            if (kept < 0) {
                break;
            }
        }
        Py_DECREF(iterator);
        if (PyErr_Occurred()) {
            goto done;
        }
    }
    if (PyList_Sort(placed) < 0) {
        goto done;
    }
    PyObject *unique = PyList_New(0); /* dict.fromkeys of the links, in order */
    for (Py_ssize_t i = 0; unique != NULL && i < PyList_GET_SIZE(placed); i++) {
        PyObject *link = PyTuple_GET_ITEM(PyList_GET_ITEM(placed, i), 1);
        int seen = PySequence_Contains(unique, link);
        if (seen < 0 || (!seen && PyList_Append(unique, link) < 0)) {
            Py_CLEAR(unique);
        }
    }
    if (unique != NULL) {
        links = PyList_AsTuple(unique);
        Py_DECREF(unique);
    }
done:
    Py_XDECREF(placed);
    Py_XDECREF(written);
    PyMem_Free(inside);
    return links;
}

/* The Embed of the attribution: plain.attribution_embed(located, post_text, links=links), where
 * ``located`` is ``found`` with its spans in the source and ``url`` its status URL, ``post`` the
 * post that URL names (None if none). A new reference, or NULL with an exception set. */
static PyObject *
record(PyObject *found, Py_ssize_t start, Py_ssize_t end, PyObject *post_text, PyObject *links,
       PyObject *url, PyObject *post)
{
    PyObject *handle = PyTuple_GET_ITEM(found, A_HANDLE), *platform = NULL, *status_id = NULL,
             *status_url = NULL, *pics = NULL, *start_object = NULL, *end_object = NULL,
             *result = NULL;
    if (post != Py_None) {
        platform = PyObject_GetAttr(post, names[N_PLATFORM]);
        status_id = PyObject_GetAttr(post, names[N_POST_ID]);
        status_url = PyObject_CallOneArg(helpers[CLEAN_STATUS_URL], url);
    }
    else {
        Py_ssize_t dot = PyUnicode_FindChar(handle, '.', 0, PyUnicode_GET_LENGTH(handle), 1);
        platform = dot == -2 ? NULL : Py_NewRef(dot >= 0 ? helpers[BLUESKY] : helpers[TWITTER]);
        status_id = Py_NewRef(Py_None);
        status_url = Py_NewRef(Py_None);
    }
    pics = PyObject_CallOneArg(helpers[PIC_LINKS], post_text);
    start_object = PyLong_FromSsize_t(start);
    end_object = PyLong_FromSsize_t(end);
    if (platform != NULL && status_id != NULL && status_url != NULL && pics != NULL &&
        start_object != NULL && end_object != NULL) {
        PyObject *fields[EMBED_FIELDS] = {
            platform,
            helpers[TEXT_ATTRIBUTION],
            post_text,
            start_object,
            end_object,
            handle,
            PyTuple_GET_ITEM(found, A_DISPLAY_NAME),
            PyTuple_GET_ITEM(found, A_DATE),
            PyTuple_GET_ITEM(found, A_DATE_TEXT),
            pics,
            links,
            status_id,
            status_url,
            Py_None,
        };
        result = new_embed(fields);
    }
    Py_XDECREF(platform);
    Py_XDECREF(status_id);
    Py_XDECREF(status_url);
    Py_XDECREF(pics);
    Py_XDECREF(start_object);
    Py_XDECREF(end_object);
    return result;
}

/* Whether ``found`` is an Attribution (text.py) whose handle is a str: 1, or 0 with TypeError
 * set */
static int
is_attribution(PyObject *found)
{
    if (Py_TYPE(found) != (PyTypeObject *)helpers[ATTRIBUTION] ||
        PyTuple_GET_SIZE(found) != ATTRIBUTION_FIELDS ||
        !PyUnicode_Check(PyTuple_GET_ITEM(found, A_HANDLE))) {
        PyErr_SetString(PyExc_TypeError, "an Attribution expected");
        return 0;
    }
    return 1;
}

/* The record of the Attribution ``found`` in the visible text ``map`` reads, its spans in the
 * source: a new Embed, or NULL with an exception set */
static PyObject *
located_record(PyObject *source, const Seen *map, PyObject *found)
{
    Py_ssize_t in_text[4]; /* start, dash, end, anchor in the visible text */
    for (int i = 0; i < 4; i++) {
        in_text[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(found, i));
        if (FAILED(in_text[i])) {
            return NULL;
        }
    }
    PyObject *post_text = NULL, *post = NULL, *url = NULL, *in_post = NULL, *links = NULL,
             *result = NULL;
    Py_ssize_t start = source_start(map, in_text[A_START]);
    Py_ssize_t dash = FAILED(start) ? -1 : source_start(map, in_text[A_DASH]);
    Py_ssize_t anchor = FAILED(dash) ? -1 : source_start(map, in_text[A_ANCHOR]);
    Py_ssize_t end = FAILED(anchor) ? -1 : source_end(map, in_text[A_END]);
    if (FAILED(end)) {
        return NULL;
    }
    /* the post: seen.text[found.start:found.dash], as Python slices it */
    Py_ssize_t from = in_text[A_START], to = in_text[A_DASH];
    PySlice_AdjustIndices(PyUnicode_GET_LENGTH(map->text), &from, &to, 1);
    to = to < from ? from : to;
    if ((post_text = tidy(map->text, from, to)) != NULL &&
        (url = status_url_of(source, found, anchor, end, &post)) != NULL &&
        (in_post = PyUnicode_Substring(map->text, from, to)) != NULL &&
        (links = post_links(source, map, in_post, in_text[A_START], start, dash)) != NULL) {
        result = record(found, start, end, post_text, links, url, post);
    }
    Py_XDECREF(post_text);
    Py_XDECREF(post);
    Py_XDECREF(url);
    Py_XDECREF(in_post);
    Py_XDECREF(links);
    return result;
}

/* html.reference_attribution_in_source(source, seen, found) */
static PyObject *
attribution_in_source(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError,
                        "attribution_in_source(source: str, seen: VisibleText, found: Attribution)");
        return NULL;
    }
    Seen map;
    if (fetch_helpers() == -1 || load_unescape() < 0 || !is_attribution(args[2]) ||
        read_seen(args[1], &map) < 0) {
        return NULL;
    }
    PyObject *result = located_record(args[0], &map, args[2]);
    release_seen(&map);
    return result;
}

/* A window of a page's visible text: what html.reference_window_embeds reads around a cluster
 * of candidates. */
#define FORWARD 800   /* html.FORWARD: the source after the last candidate */
#define URL_SLACK 256 /* html._URL_SLACK: how far past it a bare URL may start */

/* VisibleText.chars_until(position): how many characters of the text map to at or before
 * ``position``; -1 with an exception set */
static Py_ssize_t
chars_until(const Seen *map, Py_ssize_t position)
{
    Py_ssize_t piece = bisect_right(map->source_starts, map->pieces, position) - 1;
    if (piece < 0) {
        return 0;
    }
    Py_ssize_t start = map->text_starts[piece];
    Py_ssize_t following = piece + 1 < map->pieces ? map->text_starts[piece + 1]
                                                   : PyUnicode_GET_LENGTH(map->text);
    Py_ssize_t size = following - start;
    if (map->literal[piece]) {
        Py_ssize_t reached = shifted(1, position, map->source_starts[piece]); /* position - source + 1 */
        if (FAILED(reached)) {
            return -1;
        }
        size = reached < size ? reached : size;
    }
    return start + size;
}

/* plain.bare_url_embed of a BareUrl (start, end, url, post) found in the visible text, its span
 * ``start``..``end`` in the source and its URL unescaped: a new Embed, or NULL with an
 * exception set */
static PyObject *
bare_url_record(PyObject *bare, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *url = PyTuple_GET_ITEM(bare, 2), *post = PyTuple_GET_ITEM(bare, 3);
    if (!PyUnicode_Check(url)) {
        PyErr_SetString(PyExc_TypeError, "a BareUrl's url must be a str");
        return NULL;
    }
    /* html.unescape returns a text without "&" as it is */
    int escaped = PyUnicode_FindChar(url, '&', 0, PyUnicode_GET_LENGTH(url), 1) >= 0;
    url = escaped ? PyObject_CallOneArg(unescape_function, url) : Py_NewRef(url);
    PyObject *status_url = url ? PyObject_CallOneArg(helpers[CLEAN_STATUS_URL], url) : NULL;
    PyObject *platform = status_url ? PyObject_GetAttr(post, names[N_PLATFORM]) : NULL;
    PyObject *handle = platform ? PyObject_GetAttr(post, names[N_HANDLE]) : NULL;
    PyObject *status_id = handle ? PyObject_GetAttr(post, names[N_POST_ID]) : NULL;
    PyObject *start_object = status_id ? PyLong_FromSsize_t(start) : NULL;
    PyObject *end_object = start_object ? PyLong_FromSsize_t(end) : NULL;
    PyObject *no_text = end_object ? PyUnicode_New(0, 0) : NULL;
    PyObject *no_links = no_text ? PyTuple_New(0) : NULL;
    PyObject *result = NULL;
    if (no_links != NULL) {
        PyObject *fields[EMBED_FIELDS] = {
            platform, helpers[STATUS_URL_FORM], no_text, start_object, end_object, handle,
            Py_None, Py_None, Py_None, no_links, no_links, status_id, status_url, Py_None,
        };
        result = new_embed(fields);
    }
    Py_XDECREF(url);
    Py_XDECREF(status_url);
    Py_XDECREF(platform);
    Py_XDECREF(handle);
    Py_XDECREF(status_id);
    Py_XDECREF(start_object);
    Py_XDECREF(end_object);
    Py_XDECREF(no_text);
    Py_XDECREF(no_links);
    return result;
}

/* The bare URLs of the window that start in the source from ``first`` to ``last``, their records
 * appended to ``embeds``; every bare URL's end in the text into ``barriers`` (a new tuple). 0,
 * or -1 with an exception set. */
static int
bare_url_records(const Seen *map, Py_ssize_t first, Py_ssize_t last, PyObject *embeds,
                 PyObject **barriers)
{
    PyObject *call[3] = {map->text, PyLong_FromSsize_t(0),
                         PyLong_FromSsize_t(PyUnicode_GET_LENGTH(map->text))};
    PyObject *bare = NULL;
    if (call[1] != NULL && call[2] != NULL) {
        bare = PyObject_Vectorcall(helpers[FIND_BARE_URLS], call, 3, NULL);
    }
    Py_XDECREF(call[1]);
    Py_XDECREF(call[2]);
    if (bare == NULL) {
        return -1;
    }
    Py_ssize_t count = PyList_Check(bare) ? PyList_GET_SIZE(bare) : -1;
    *barriers = count >= 0 ? PyTuple_New(count) : NULL;
    if (*barriers == NULL) {
        if (count < 0) {
            PyErr_SetString(PyExc_TypeError, "find_bare_urls() must return a list");
        }
        Py_DECREF(bare);
        return -1;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < count && !failed; i++) {
        PyObject *found = PyList_GET_ITEM(bare, i);
        if (!PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 4) {
            PyErr_SetString(PyExc_TypeError, "a BareUrl (start, end, url, post) expected");
            failed = 1;
            break;
        }
        PyTuple_SET_ITEM(*barriers, i, Py_NewRef(PyTuple_GET_ITEM(found, 1)));
        Py_ssize_t in_text = PyLong_AsSsize_t(PyTuple_GET_ITEM(found, 0));
        Py_ssize_t start = FAILED(in_text) ? -1 : source_start(map, in_text);
        if (FAILED(start)) {
            failed = 1;
        }
        else if (first <= start && start <= last) {
            Py_ssize_t end_in_text = PyLong_AsSsize_t(PyTuple_GET_ITEM(found, 1));
            Py_ssize_t end = FAILED(end_in_text) ? -1 : source_end(map, end_in_text);
            PyObject *embed = FAILED(end) ? NULL : bare_url_record(found, start, end);
            failed = embed == NULL || PyList_Append(embeds, embed) < 0;
            Py_XDECREF(embed);
        }
    }
    Py_DECREF(bare);
    if (failed) {
        Py_CLEAR(*barriers);
        return -1;
    }
    return 0;
}

/* The window's attributions whose "(@" sits in the source from ``first`` to ``last``, their
 * records appended to ``embeds``: those before ``barriers`` read no post text over them. 0, or
 * -1 with an exception set. */
static int
attribution_records(PyObject *source, const Seen *map, Py_ssize_t first, Py_ssize_t last,
                    PyObject *barriers, PyObject *embeds)
{
    Py_ssize_t anchors_before = chars_until(map, last);
    if (FAILED(anchors_before)) {
        return -1;
    }
    PyObject *call[5] = {map->text, PyLong_FromSsize_t(0),
                         PyLong_FromSsize_t(PyUnicode_GET_LENGTH(map->text)), barriers,
                         PyLong_FromSsize_t(anchors_before - 1)};
    PyObject *found = NULL;
    if (call[1] != NULL && call[2] != NULL && call[4] != NULL) {
        found = PyObject_Vectorcall(helpers[FIND_ATTRIBUTIONS], call, 5, NULL);
    }
    Py_XDECREF(call[1]);
    Py_XDECREF(call[2]);
    Py_XDECREF(call[4]);
    if (found == NULL) {
        return -1;
    }
    int failed = !PyList_Check(found);
    if (failed) {
        PyErr_SetString(PyExc_TypeError, "find_attributions() must return a list");
    }
    for (Py_ssize_t i = 0; !failed && i < PyList_GET_SIZE(found); i++) {
        PyObject *attribution = PyList_GET_ITEM(found, i);
        if (!is_attribution(attribution)) {
            failed = 1;
            break;
        }
        Py_ssize_t in_text = PyLong_AsSsize_t(PyTuple_GET_ITEM(attribution, A_ANCHOR));
        Py_ssize_t anchor = FAILED(in_text) ? -1 : source_start(map, in_text);
        if (FAILED(anchor)) {
            failed = 1;
        }
        else if (first <= anchor && anchor <= last) {
            PyObject *embed = located_record(source, map, attribution);
            failed = embed == NULL || PyList_Append(embeds, embed) < 0;
            Py_XDECREF(embed);
        }
    }
    Py_DECREF(found);
    return failed ? -1 : 0;
}

/* The records of the window of the cluster whose candidates run from ``first`` to ``last``,
 * read from ``window_start``, appended to ``embeds``: 0, or -1 with an exception set */
static int
window_records(PyObject *source, Py_ssize_t window_start, Py_ssize_t first, Py_ssize_t last,
               PyObject *embeds)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(source), url_last = shifted(last, URL_SLACK, 0);
    if (FAILED(url_last)) {
        return -1;
    }
    Seen map;
    if (see(source, window_start, last >= length - FORWARD ? length : last + FORWARD, &map) < 0) {
        return -1;
    }
    PyObject *barriers = NULL;
    int failed = bare_url_records(&map, first, url_last, embeds, &barriers) < 0 ||
                 attribution_records(source, &map, first, last, barriers, embeds) < 0;
    Py_XDECREF(barriers);
    release_seen(&map);
    return failed ? -1 : 0;
}

/* html.reference_window_embeds(source, window_start, cluster) */
static PyObject *
window_embeds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyList_Check(args[2]) ||
        PyList_GET_SIZE(args[2]) == 0) {
        PyErr_SetString(PyExc_TypeError,
                        "window_embeds(source: str, window_start: int, cluster: list[int])");
        return NULL;
    }
    if (fetch_helpers() == -1 || load_unescape() < 0) {
        return NULL;
    }
    PyObject *cluster = args[2];
    Py_ssize_t window_start = PyLong_AsSsize_t(args[1]);
    Py_ssize_t first = FAILED(window_start) ? -1 : PyLong_AsSsize_t(PyList_GET_ITEM(cluster, 0));
    Py_ssize_t last = FAILED(first) ? -1
                      : PyLong_AsSsize_t(PyList_GET_ITEM(cluster, PyList_GET_SIZE(cluster) - 1));
    PyObject *embeds = FAILED(last) ? NULL : PyList_New(0);
    if (embeds != NULL && window_records(args[0], window_start, first, last, embeds) < 0) {
        Py_CLEAR(embeds);
    }
    return embeds;
}

/* A candidate's plain text: the CHECK source characters from ``pos`` with _TAGS' tags dropped,
 * then html.unescape, then whitespace collapsed. */
#define CHECK 600 /* html._CHECK; _TAGS' run of at most 4,000 characters never reaches past it */

/* In a loop over data[i] to ``length``: past the tag (a "<", run of characters without "<" or
 * ">", ">") the "<" at data[i] opens, if it opens one */
#define SKIP_TAG(data, i, length)                                                                  \
    if ((data)[i] == '<') {                                                                        \
        Py_ssize_t j = (i) + 1;                                                                    \
        while (j < (length) && (data)[j] != '<' && (data)[j] != '>') {                             \
            j++;                                                                                   \
        }                                                                                          \
        if (j < (length) && (data)[j] == '>') {                                                    \
            (i) = j;                                                                               \
            continue;                                                                              \
        }                                                                                          \
    }

/* ``text`` with each tag dropped, into ``out`` (as many code points as ``text``): its length. A
 * loop for each kind, so that no character is read through a switch on it. */
#define WITHOUT_TAGS(type)                                                                         \
    {                                                                                              \
        const type *data = text->data;                                                             \
        for (Py_ssize_t i = 0; i < text->length; i++) {                                            \
            SKIP_TAG(data, i, text->length)                                                        \
            out[length++] = data[i];                                                               \
        }                                                                                          \
        break;                                                                                     \
    }

static Py_ssize_t
copy_without_tags(const Text *text, Py_UCS4 *out)
{
    Py_ssize_t length = 0;
    EACH_KIND(text->kind, WITHOUT_TAGS)
    return length;
}
#undef WITHOUT_TAGS

/* The characters below 64 that may be "<", "&" or a space (each one up to " "): the others, and
 * those from 64 to 127, are none of them */
#define MAY_MARK ((1ULL << '<') | (1ULL << '&') | ((1ULL << (' ' + 1)) - 1))

/* The same with its whitespace collapsed (" ".join(kept.split())) in the one pass, for a ``text``
 * whose characters kept hold no "&" (html.unescape leaves such a text as it is): its length, or
 * -1 at the first "&" kept */
#define COLLAPSED_WITHOUT_TAGS(type)                                                               \
    {                                                                                              \
        const type *data = text->data;                                                             \
        for (Py_ssize_t i = 0; i < text->length; i++) {                                            \
            Py_UCS4 c = data[i];                                                                   \
            if (c < 64 ? (MAY_MARK >> c) & 1 : c >= 128) {                                         \
                SKIP_TAG(data, i, text->length)                                                    \
                if (c == '&') {                                                                    \
                    return -1;                                                                     \
                }                                                                                  \
                if (Py_UNICODE_ISSPACE(c)) {                                                       \
                    space = length > 0;                                                            \
                    continue;                                                                      \
                }                                                                                  \
            }                                                                                      \
            if (space) {                                                                           \
                out[length++] = ' ';                                                               \
                space = 0;                                                                         \
            }                                                                                      \
            out[length++] = c;                                                                     \
        }                                                                                          \
        break;                                                                                     \
    }

static Py_ssize_t
copy_collapsed_without_tags(const Text *text, Py_UCS4 *out)
{
    Py_ssize_t length = 0;
    int space = 0; /* a run of spaces since the last word kept */
    EACH_KIND(text->kind, COLLAPSED_WITHOUT_TAGS)
    return length;
}
#undef COLLAPSED_WITHOUT_TAGS
#undef MAY_MARK
#undef SKIP_TAG

/* " ".join(text.split()) of a str: a new str, or NULL with an exception set */
static PyObject *
collapsed(PyObject *text)
{
    Py_UCS4 *chars = PyUnicode_AsUCS4Copy(text);
    if (chars == NULL) {
        return NULL;
    }
    Py_ssize_t length = collapse_spaces(chars, PyUnicode_GET_LENGTH(text));
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, length);
    PyMem_Free(chars);
    return result;
}

/* html.reference_plain_text_at(source, pos): a new str, or NULL with an exception set */
static PyObject *
plain_text(PyObject *source, Py_ssize_t from)
{
    if (load_unescape() < 0) {
        return NULL;
    }
    /* source[pos : pos + CHECK], as Python slices it */
    Py_ssize_t to = from > PY_SSIZE_T_MAX - CHECK ? PY_SSIZE_T_MAX : from + CHECK;
    PySlice_AdjustIndices(PyUnicode_GET_LENGTH(source), &from, &to, 1);
    to = to < from ? from : to;
    Py_UCS4 buffer[CHECK];
    Text slice = {PyUnicode_KIND(source),
                  (const char *)PyUnicode_DATA(source) + from * PyUnicode_KIND(source),
                  to - from};
    Py_ssize_t kept = copy_collapsed_without_tags(&slice, buffer);
    if (kept >= 0) {
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer, kept);
    }
    kept = copy_without_tags(&slice, buffer); /* it holds "&": unescaped, then collapsed */
    PyObject *escaped = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer, kept);
    PyObject *decoded = escaped ? PyObject_CallOneArg(unescape_function, escaped) : NULL;
    Py_XDECREF(escaped);
    if (decoded == NULL || !PyUnicode_Check(decoded)) {
        if (decoded != NULL) {
            PyErr_SetString(PyExc_TypeError, "html.unescape must return a str");
        }
        Py_XDECREF(decoded);
        return NULL;
    }
    PyObject *result = collapsed(decoded);
    Py_DECREF(decoded);
    return result;
}

static PyObject *
plain_text_at(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "plain_text_at(source: str, pos: int)");
        return NULL;
    }
    Py_ssize_t from = PyLong_AsSsize_t(args[1]);
    return FAILED(from) ? NULL : plain_text(args[0], from);
}

/* Candidates grouped into clusters, each read through one window: html.reference_clusters. */
#define BACK 2000    /* html.BACK: the source a window reaches back before an attribution */
#define URL_BACK 400 /* html.URL_BACK: before a bare URL */
#define URL_TOKEN 2048 /* html._URL_TOKEN: at most this many characters */

/* Whether html._URL_TOKEN's characters (not \s, "<", ">", '"' or "'") hold c */
static inline int
is_url_character(Py_UCS4 c)
{
    return c != '<' && c != '>' && c != '"' && c != '\'' && !Py_UNICODE_ISSPACE(c);
}

/* html._looks_like_an_embed(source, pos), where ``index`` is the character source[pos] reads:
 * 1, 0, or -1 with an exception set */
static int
looks_like_an_embed(PyObject *source, Py_ssize_t pos, Py_ssize_t index)
{
    PyObject *call[2], *answer;
    if (PyUnicode_READ_CHAR(source, index) == '(') {
        call[0] = plain_text(source, pos);
        if (call[0] == NULL) {
            return -1;
        }
        call[1] = PyLong_FromLong(0);
        answer = call[1] ? PyObject_Vectorcall(helpers[HAS_ATTRIBUTION_TAIL], call, 2, NULL)
                         : NULL;
        Py_DECREF(call[0]);
        Py_XDECREF(call[1]);
        int tail = answer == NULL ? -1 : PyObject_IsTrue(answer);
        Py_XDECREF(answer);
        return tail;
    }
    /* _URL_TOKEN.match(source, pos): re reads a negative pos as 0 */
    Text text = {PyUnicode_KIND(source), PyUnicode_DATA(source), PyUnicode_GET_LENGTH(source)};
    Py_ssize_t from = pos < 0 ? 0 : pos, to = from;
    while (to < text.length && to - from < URL_TOKEN && is_url_character(at(&text, to))) {
        to++;
    }
    if (to == from) {
        return 0;
    }
    PyObject *token = PyUnicode_Substring(source, from, to);
    /* html.unescape returns a text without "&" as it is */
    int escaped = token != NULL && find_code_point(&text, '&', from, to) != -1;
    PyObject *url = escaped ? PyObject_CallOneArg(unescape_function, token) : Py_XNewRef(token);
    answer = url ? PyObject_CallOneArg(helpers[PARSE_POST_URL], url) : NULL;
    Py_XDECREF(token);
    Py_XDECREF(url);
    if (answer == NULL) {
        return -1;
    }
    Py_DECREF(answer);
    return answer != Py_None;
}

/* html._last_barrier: the last of the ``count`` sorted ``ends`` at or before ``pos``
 * (bisect_right), 0 if none */
static Py_ssize_t
last_barrier(const Py_ssize_t *ends, Py_ssize_t count, Py_ssize_t pos)
{
    Py_ssize_t index = bisect_right(ends, count, pos);
    return index == 0 ? 0 : ends[index - 1];
}

/* A cluster: its window's start, and its candidates members[first..last] (indices) */
typedef struct {
    Py_ssize_t window_start, first, last;
} Cluster;

/* html.reference_clusters on ``count`` candidates and the ``barriers`` sorted ends of the
 * blocked ranges: the clusters into ``clusters`` and the candidates they keep, in order, into
 * ``members`` (room for ``count`` each; a candidate neither joined nor opening a cluster is left
 * out, even when a later one joins the cluster before it), their number; -1 with an exception
 * set */
static Py_ssize_t
group(PyObject *source, const Py_ssize_t *candidates, Py_ssize_t count, const Py_ssize_t *ends,
      Py_ssize_t barriers, Cluster *clusters, Py_ssize_t *members)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(source), found = 0, kept = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t pos = candidates[i], index = pos < 0 ? pos + length : pos; /* source[pos] */
        if (index < 0 || index >= length) {
            PyErr_SetString(PyExc_IndexError, "string index out of range");
            return -1;
        }
        Py_ssize_t reach = PyUnicode_READ_CHAR(source, index) == '(' ? BACK : URL_BACK;
        Py_ssize_t barrier = last_barrier(ends, barriers, pos);
        Py_ssize_t last_member = found > 0 ? members[kept - 1] : 0;
        if (found > 0 && pos - last_member < reach && last_member >= barrier) {
            clusters[found - 1].last = kept;
            members[kept++] = pos;
            continue;
        }
        int embed = looks_like_an_embed(source, pos, index);
        if (embed < 0) {
            return -1;
        }
        if (!embed) {
            continue;
        }
        Py_ssize_t window_start = pos - reach > barrier ? pos - reach : barrier;
        if (window_start != barrier) {
            Py_ssize_t tag = PyUnicode_FindChar(source, '<', window_start, pos, 1);
            window_start = tag >= 0 ? tag : window_start;
        }
        clusters[found++] = (Cluster){window_start, kept, kept};
        members[kept++] = pos;
    }
    return found;
}

/* The ints of a list into a new array (PyMem), its length in ``count``: NULL with an exception
 * set when an item is not an int a Py_ssize_t holds. ``extra`` more items of room. */
static Py_ssize_t *
positions_of(PyObject *list, Py_ssize_t extra, Py_ssize_t *count)
{
    *count = PyList_GET_SIZE(list);
    Py_ssize_t *positions = PyMem_New(Py_ssize_t, *count + extra + 1);
    if (positions == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < *count; i++) {
        positions[i] = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (FAILED(positions[i])) {
            PyMem_Free(positions);
            return NULL;
        }
    }
    return positions;
}

/* The ends of a list of (start, end) ranges into a new array (PyMem), as positions_of */
static Py_ssize_t *
ends_of(PyObject *ranges, Py_ssize_t *count)
{
    *count = PyList_GET_SIZE(ranges);
    Py_ssize_t *ends = PyMem_New(Py_ssize_t, *count + 1);
    if (ends == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < *count; i++) {
        PyObject *range = PyList_GET_ITEM(ranges, i);
        if (!PyTuple_Check(range) || PyTuple_GET_SIZE(range) != 2) {
            PyErr_SetString(PyExc_TypeError, "a blocked range (start, end) expected");
            PyMem_Free(ends);
            return NULL;
        }
        ends[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(range, 1));
        if (FAILED(ends[i])) {
            PyMem_Free(ends);
            return NULL;
        }
    }
    return ends;
}

/* html.reference_clusters(source, candidates, blocked) */
static PyObject *
clusters(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) ||
        !PyList_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError,
                        "clusters(source: str, candidates: list[int], blocked: list[tuple])");
        return NULL;
    }
    if (fetch_helpers() == -1 || load_unescape() < 0) {
        return NULL;
    }
    Py_ssize_t count, barriers, grouped = -1;
    Py_ssize_t *ends = ends_of(args[2], &barriers);
    Py_ssize_t *candidates = ends ? positions_of(args[1], 0, &count) : NULL;
    Cluster *found = candidates ? PyMem_New(Cluster, count + 1) : NULL;
    Py_ssize_t *members = found ? PyMem_New(Py_ssize_t, count + 1) : NULL;
    if (candidates != NULL && members == NULL) {
        PyErr_NoMemory();
    }
    else if (members != NULL) {
        grouped = group(args[0], candidates, count, ends, barriers, found, members);
    }
    PyObject *result = grouped < 0 ? NULL : PyList_New(grouped);
    for (Py_ssize_t i = 0; result != NULL && i < grouped; i++) {
        PyObject *kept = PyList_New(found[i].last - found[i].first + 1);
        for (Py_ssize_t k = found[i].first; kept != NULL && k <= found[i].last; k++) {
            PyObject *member = PyLong_FromSsize_t(members[k]);
            if (member == NULL) {
                Py_CLEAR(kept);
                break;
            }
            PyList_SET_ITEM(kept, k - found[i].first, member);
        }
        PyObject *cluster = kept ? Py_BuildValue("(nN)", found[i].window_start, kept) : NULL;
        if (cluster == NULL) {
            Py_CLEAR(result);
            break;
        }
        PyList_SET_ITEM(result, i, cluster);
    }
    PyMem_Free(ends);
    PyMem_Free(candidates);
    PyMem_Free(found);
    PyMem_Free(members);
    return result;
}

/* A page's flattened embeds: html.reference_flattened_embeds. */

/* A blocked range of the source: a markup embed's span, or a script or style element */
typedef struct {
    Py_ssize_t start, end;
} Range;

static int
compare_ranges(const void *a, const void *b)
{
    const Range *one = a, *other = b;
    if (one->start != other->start) {
        return one->start < other->start ? -1 : 1;
    }
    return one->end < other->end ? -1 : one->end > other->end;
}

static int
compare_positions(const void *a, const void *b)
{
    Py_ssize_t one = *(const Py_ssize_t *)a, other = *(const Py_ssize_t *)b;
    return one < other ? -1 : one > other;
}

/* The (start, end) of each markup embed and each code range into ``ranges`` (room for both): 0,
 * or -1 with an exception set */
static int
read_ranges(PyObject *markup, PyObject *code, Range *ranges)
{
    Py_ssize_t embeds = PyList_GET_SIZE(markup);
    for (Py_ssize_t i = 0; i < embeds + PyList_GET_SIZE(code); i++) {
        PyObject *start, *end;
        if (i < embeds) {
            start = PyObject_GetAttr(PyList_GET_ITEM(markup, i), names[N_START]);
            end = start ? PyObject_GetAttr(PyList_GET_ITEM(markup, i), names[N_END]) : NULL;
        }
        else {
            PyObject *range = PyList_GET_ITEM(code, i - embeds);
            if (!PyTuple_Check(range) || PyTuple_GET_SIZE(range) != 2) {
                PyErr_SetString(PyExc_TypeError, "a code range (start, end) expected");
                return -1;
            }
            start = Py_NewRef(PyTuple_GET_ITEM(range, 0));
            end = Py_NewRef(PyTuple_GET_ITEM(range, 1));
        }
        ranges[i].start = start ? PyLong_AsSsize_t(start) : -1;
        ranges[i].end = end ? PyLong_AsSsize_t(end) : -1;
        Py_XDECREF(start);
        Py_XDECREF(end);
        if (FAILED(ranges[i].start) || FAILED(ranges[i].end)) {
            return -1;
        }
    }
    return 0;
}

/* html._merged on ``count`` ranges, in place: the number of merged ranges */
static Py_ssize_t
merged(Range *ranges, Py_ssize_t count)
{
    qsort(ranges, count, sizeof *ranges, compare_ranges);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (kept > 0 && ranges[i].start <= ranges[kept - 1].end) {
            Py_ssize_t end = ranges[i].end;
            ranges[kept - 1].end = end > ranges[kept - 1].end ? end : ranges[kept - 1].end;
        }
        else {
            ranges[kept++] = ranges[i];
        }
    }
    return kept;
}

/* html._inside: whether ``pos`` is in the last of the sorted ``ranges`` that is at or before
 * (pos, 1 << 62) */
static int
inside(const Range *ranges, Py_ssize_t count, Py_ssize_t pos)
{
    const Py_ssize_t far = (Py_ssize_t)1 << 62;
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (pos < ranges[middle].start || (pos == ranges[middle].start && far < ranges[middle].end)) {
            high = middle;
        }
        else {
            low = middle + 1;
        }
    }
    return low > 0 && pos < ranges[low - 1].end;
}

/* The page's candidates (its anchors, then its URLs) outside the ``count`` ranges, sorted, into
 * ``candidates``: their number, or -1 with an exception set */
static Py_ssize_t
open_candidates(PyObject *anchors, PyObject *urls, const Range *ranges, Py_ssize_t count,
                Py_ssize_t *candidates)
{
    Py_ssize_t kept = 0, from_anchors = PyList_GET_SIZE(anchors);
    for (Py_ssize_t i = 0; i < from_anchors + PyList_GET_SIZE(urls); i++) {
        PyObject *item = i < from_anchors ? PyList_GET_ITEM(anchors, i)
                                          : PyList_GET_ITEM(urls, i - from_anchors);
        Py_ssize_t pos = PyLong_AsSsize_t(item);
        if (FAILED(pos)) {
            return -1;
        }
        if (!inside(ranges, count, pos)) {
            candidates[kept++] = pos;
        }
    }
    qsort(candidates, kept, sizeof *candidates, compare_positions);
    return kept;
}

/* The list attribute ``name`` of the PageCandidates ``found``: a new reference, or NULL with an
 * exception set */
static PyObject *
list_of(PyObject *found, int name)
{
    PyObject *list = PyObject_GetAttr(found, names[name]);
    if (list != NULL && !PyList_Check(list)) {
        PyErr_Format(PyExc_TypeError, "a PageCandidates' %U must be a list", names[name]);
        Py_CLEAR(list);
    }
    return list;
}

/* The records of each window of ``candidates``: 0, or -1 with an exception set */
static int
windows_records(PyObject *source, const Py_ssize_t *candidates, Py_ssize_t count,
                const Range *ranges, Py_ssize_t blocked, PyObject *embeds)
{
    Py_ssize_t *ends = PyMem_New(Py_ssize_t, blocked + 1);
    Cluster *found = PyMem_New(Cluster, count + 1);
    Py_ssize_t *members = PyMem_New(Py_ssize_t, count + 1);
    Py_ssize_t grouped = -1;
    if (ends == NULL || found == NULL || members == NULL) {
        PyErr_NoMemory();
    }
    else {
        for (Py_ssize_t i = 0; i < blocked; i++) {
            ends[i] = ranges[i].end;
        }
        grouped = group(source, candidates, count, ends, blocked, found, members);
    }
    int failed = grouped < 0;
    for (Py_ssize_t i = 0; !failed && i < grouped; i++) {
        failed = window_records(source, found[i].window_start, members[found[i].first],
                                members[found[i].last], embeds) < 0;
    }
    PyMem_Free(ends);
    PyMem_Free(found);
    PyMem_Free(members);
    return failed ? -1 : 0;
}

/* html.reference_flattened_embeds(source, found, markup) */
static PyObject *
flattened_embeds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyList_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError,
                        "flattened_embeds(source: str, found: PageCandidates, markup: list[Embed])");
        return NULL;
    }
    if (fetch_helpers() == -1 || load_unescape() < 0) {
        return NULL;
    }
    PyObject *code = list_of(args[1], N_CODE), *anchors = NULL, *urls = NULL, *embeds = NULL;
    Range *ranges = NULL;
    Py_ssize_t *candidates = NULL;
    if (code == NULL || (anchors = list_of(args[1], N_ANCHORS)) == NULL ||
        (urls = list_of(args[1], N_URLS)) == NULL) {
        goto done;
    }
    ranges = PyMem_New(Range, PyList_GET_SIZE(args[2]) + PyList_GET_SIZE(code) + 1);
    candidates = PyMem_New(Py_ssize_t, PyList_GET_SIZE(anchors) + PyList_GET_SIZE(urls) + 1);
    if (ranges == NULL || candidates == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (read_ranges(args[2], code, ranges) < 0) {
        goto done;
    }
    Py_ssize_t blocked = merged(ranges, PyList_GET_SIZE(args[2]) + PyList_GET_SIZE(code));
    Py_ssize_t count = open_candidates(anchors, urls, ranges, blocked, candidates);
    if (count >= 0 && (embeds = PyList_New(0)) != NULL &&
        windows_records(args[0], candidates, count, ranges, blocked, embeds) < 0) {
        Py_CLEAR(embeds);
    }
done:
    Py_XDECREF(code);
    Py_XDECREF(anchors);
    Py_XDECREF(urls);
    PyMem_Free(ranges);
    PyMem_Free(candidates);
    return embeds;
}

static PyMethodDef methods[] = {
    {"plain_text_at", (PyCFunction)(void (*)(void))plain_text_at, METH_FASTCALL,
     "plain_text_at(source, pos) -> str: the 600 source characters from pos without tags, "
     "unescaped, whitespace collapsed (archiver.scan.html.reference_plain_text_at, compiled)."},
    {"attribution_in_source", (PyCFunction)(void (*)(void))attribution_in_source, METH_FASTCALL,
     "attribution_in_source(source, seen, found) -> Embed: the record of a flattened attribution "
     "found in seen.text, its spans in source (archiver.scan.html."
     "reference_attribution_in_source, compiled)."},
    {"clusters", (PyCFunction)(void (*)(void))clusters, METH_FASTCALL,
     "clusters(source, candidates, blocked) -> list[(window_start, [candidate, ...])]: the "
     "candidates grouped so that one window serves each group (archiver.scan.html."
     "reference_clusters, compiled)."},
    {"flattened_embeds", (PyCFunction)(void (*)(void))flattened_embeds, METH_FASTCALL,
     "flattened_embeds(source, found, markup) -> list[Embed]: the flattened attributions and "
     "bare URLs of a page outside its markup embeds and code (archiver.scan.html."
     "reference_flattened_embeds, compiled)."},
    {"window_embeds", (PyCFunction)(void (*)(void))window_embeds, METH_FASTCALL,
     "window_embeds(source, window_start, cluster) -> list[Embed]: the bare URLs and flattened "
     "attributions of a cluster's window of visible text (archiver.scan.html."
     "reference_window_embeds, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._flattened",
    "The record of a flattened attribution in a page, compiled (archiver/scan/html.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__flattened(void)
{
    return PyModule_Create(&module);
}
