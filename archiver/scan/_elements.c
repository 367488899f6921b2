/* The embed elements' start tags, attributes and ends in an HTML page, compiled.
 *
 * markup.py's reference_elements is the rule and its documentation (with _attributes and
 * _element_end); this is the same reading on the string's code points instead of through
 * _START_TAG, _ATTRIBUTE and _tag_of (issue 17: a tenth of the HTML scanner's time at a post per
 * kB). tests/test_scan_elements_compiled.py holds the two to the same elements, and
 * benchmarks/scan_compare.py to the same records. What the patterns do, read off them:
 * - _START_TAG sees nothing past _MAX_START_TAG characters from the "<". Its name stops at 41
 *   characters and any more name characters are read as attributes; a shorter name never lets a
 *   failed tag match (its attributes would read the same characters). Its attributes are runs
 *   without "<", ">" or a quote, and quoted values of at most 4,096 characters, each taken
 *   whole (possessive): the tag matches when they stop at a ">", which a "/" before it leaves
 *   self-closing.
 * - _ATTRIBUTE is searched in the attributes alone: a key is a run without \s, a quote, "<",
 *   ">", "/" or "="; its value, after \s*=\s*, a quoted run (closed, or the key has none) or a
 *   bare one. \s is Py_UNICODE_ISSPACE, as re reads it. Keys are lower-cased as str.lower does
 *   (called for a key that is not ASCII); values unescaped by html.unescape (called for a value
 *   holding "&"). The first of two equal keys stays.
 * - _tag_of(name) ignores case as re.IGNORECASE does: an ASCII letter matches either case, and
 *   "K" (U+212A) is a "k", "ſ" (U+017F) an "s", "İ" and "ı" (U+0130, U+0131) an "i"
 *   (tests/test_scan_elements_compiled.py checks every code point); its lookahead sees nothing
 *   past MAX_ELEMENT characters from the start tag's end.
 * markup_embeds is reference_find_markup_embeds with its loop and _embed's dispatch compiled,
 * on the elements as read here (issue 17: the Python glue cost microseconds an element): a
 * blockquote's platform is that of the first of _CLASS_PLATFORMS' classes, in the dict's order,
 * among the class value's str.split() words (split at Py_UNICODE_ISSPACE, as str.split does).
 * An iframe's record is _iframe's, read here where it is X's post by data-tweet-id or by the id
 * of a Tweet.html src whose query parse_qs reads raw (tweet_iframe_id), made through _embeds.h
 * with twitter_status_url as markup.py binds it; every other iframe goes to _embed.
 * The snippet readers and record builders it calls, and _embed for every other element, are
 * markup.py's bindings, fetched at the first call; each is given an _Element whose slots are set
 * as _embeds.h sets an Embed's. tests/test_scan_markup_compiled.py holds it to the same records.
 * Where read_snippet and read_linked are _snippet.c's and _linked.c's own, a blockquote is read
 * in place through their capsules (_markup_in_place.h), not cut out of the page first.
 */
#include "_code_points.h"
#include "_embeds.h"
#include "_html_unescape.h"
#include "_markup_in_place.h"

#define MAX_START_TAG 8192
#define MAX_NAME 41
#define MAX_QUOTED 4096
#define MAX_ELEMENT 65536
#define MAX_POST_ID 20 /* markup._POST_ID's {1,20} */
/* The readings of an element, inlined in read_element's for each kind */
#define READ_INLINE static inline __attribute__((always_inline))

static inline int
is_name_char(Py_UCS4 c)
{
    return is_ascii_letter(c) || (c >= '0' && c <= '9') || c == ':' || c == '-';
}

static inline Py_UCS4
ascii_lower(Py_UCS4 c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Whether c matches the name character n (lower case) under re.IGNORECASE. */
static inline int
same_name_char(Py_UCS4 c, Py_UCS4 n)
{
    if (ascii_lower(c) == n && (c < 0x80)) {
        return 1;
    }
    return (n == 'k' && c == 0x212A) || (n == 's' && c == 0x17F) ||
           (n == 'i' && (c == 0x130 || c == 0x131));
}

typedef struct {
    Py_ssize_t name_end;  /* the name is text[start + 1:name_end] */
    Py_ssize_t end;       /* after the ">" */
} StartTag;

/* _START_TAG.match(text, start, min(len, start + MAX_START_TAG)): 0 with tag read, else -1. */
READ_INLINE int
start_tag(const Text *text, Py_ssize_t start, StartTag *tag)
{
    Py_ssize_t limit = text->length < start + MAX_START_TAG ? text->length : start + MAX_START_TAG;
    Py_ssize_t pos = start + 1;
    if (pos >= limit || at(text, start) != '<' || !is_ascii_letter(at(text, pos))) {
        return -1;
    }
    for (pos++; pos < limit && pos - start - 1 < MAX_NAME && is_name_char(at(text, pos)); pos++) {
    }
    tag->name_end = pos;
    while (pos < limit) {
        Py_UCS4 c = at(text, pos);
        if (c == '<') {
            return -1;
        }
        if (c == '>') {
            tag->end = pos + 1;
            return 0;
        }
        if (c == '"' || c == '\'') { /* its value, then the closing quote */
            Py_ssize_t bound = limit < pos + 2 + MAX_QUOTED ? limit : pos + 2 + MAX_QUOTED;
            pos = find_code_point(text, c, pos + 1, bound);
            if (pos < 0) {
                return -1;
            }
        }
        pos++;
    }
    return -1;
}

/* text[start:end] in lower case, as str.lower makes it: a new str, never one CPython shares. */
READ_INLINE PyObject *
lower_case(PyObject *source, const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = start; i < end; i++) {
        if (at(text, i) >= 0x80) {
            PyObject *key = PyUnicode_Substring(source, start, end);
            PyObject *lowered = key == NULL ? NULL : PyObject_CallMethod(key, "lower", NULL);
            Py_XDECREF(key);
            return lowered;
        }
    }
    PyObject *lowered = PyUnicode_New(end - start, 0x7F);
    if (lowered != NULL) {
        Py_UCS1 *letters = PyUnicode_1BYTE_DATA(lowered);
        for (Py_ssize_t i = start; i < end; i++) {
            letters[i - start] = (Py_UCS1)ascii_lower(at(text, i));
        }
    }
    return lowered;
}

/* text[start:end] as html.unescape gives it. */
READ_INLINE PyObject *
unescaped(PyObject *source, const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *value = PyUnicode_Substring(source, start, end);
    for (Py_ssize_t i = start; value != NULL && i < end; i++) {
        if (at(text, i) == '&') {
            PyObject *decoded = PyObject_CallOneArg(unescape_function, value);
            Py_DECREF(value);
            return decoded;
        }
    }
    return value;
}

static inline int
is_key_char(Py_UCS4 c)
{
    return !Py_UNICODE_ISSPACE(c) && c != '"' && c != '\'' && c != '<' && c != '>' && c != '/' &&
           c != '=';
}

/* Where _ATTRIBUTE's value after the key ending at pos lies, within end: 0 with it read (*found
 * the match's end), -1 when the key has none. */
READ_INLINE int
attribute_value(const Text *text, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t *value_start,
                Py_ssize_t *value_end, Py_ssize_t *found)
{
    while (pos < end && Py_UNICODE_ISSPACE(at(text, pos))) {
        pos++;
    }
    if (pos >= end || at(text, pos) != '=') {
        return -1;
    }
    for (pos++; pos < end && Py_UNICODE_ISSPACE(at(text, pos)); pos++) {
    }
    if (pos >= end) {
        return -1;
    }
    Py_UCS4 c = at(text, pos);
    if (c == '"' || c == '\'') {
        Py_ssize_t close = find_code_point(text, c, pos + 1, end);
        if (close < 0) {
            return -1;
        }
        *value_start = pos + 1;
        *value_end = close;
        *found = close + 1;
        return 0;
    }
    Py_ssize_t bare = pos;
    while (bare < end) {
        Py_UCS4 b = at(text, bare);
        if (Py_UNICODE_ISSPACE(b) || b == '"' || b == '\'' || b == '>') {
            break;
        }
        bare++;
    }
    if (bare == pos) {
        return -1;
    }
    *value_start = pos;
    *value_end = bare;
    *found = bare;
    return 0;
}

/* _attributes(source[start:end]): the dict of the attributes' keys and values. */
READ_INLINE PyObject *
attributes(PyObject *source, const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *found = PyDict_New();
    Py_ssize_t pos = start;
    while (found != NULL && pos < end) {
        if (!is_key_char(at(text, pos))) {
            pos++;
            continue;
        }
        Py_ssize_t key_end = pos + 1;
        while (key_end < end && is_key_char(at(text, key_end))) {
            key_end++;
        }
        Py_ssize_t value_start = key_end, value_end = key_end, after = key_end;
        attribute_value(text, key_end, end, &value_start, &value_end, &after);
        PyObject *key = lower_case(source, text, pos, key_end);
        int known = key == NULL ? -1 : PyDict_Contains(found, key);
        PyObject *value = known == 0 ? unescaped(source, text, value_start, value_end) : NULL;
        if (known < 0 || (known == 0 && (value == NULL || PyDict_SetItem(found, key, value) < 0))) {
            Py_CLEAR(found);
        }
        Py_XDECREF(key);
        Py_XDECREF(value);
        pos = after;
    }
    return found;
}

/* _element_end: after the element's closing tag, else where the next one like it opens, else
 * after MAX_ELEMENT characters. */
READ_INLINE Py_ssize_t
element_end(const Text *text, Py_ssize_t name_start, Py_ssize_t name_end, Py_ssize_t after)
{
    Py_ssize_t limit = text->length < after + MAX_ELEMENT ? text->length : after + MAX_ELEMENT;
    Py_ssize_t length = name_end - name_start;
    for (Py_ssize_t i = find_code_point(text, '<', after, limit); i >= 0;
         i = find_code_point(text, '<', i + 1, limit)) {
        Py_ssize_t p = i + 1;
        int closing = p < limit && at(text, p) == '/';
        p += closing;
        Py_ssize_t k = 0;
        while (k < length && p + k < limit &&
               same_name_char(at(text, p + k), ascii_lower(at(text, name_start + k)))) {
            k++;
        }
        if (k < length || p + k >= limit) {
            continue;
        }
        Py_UCS4 next = at(text, p + k);
        if (!Py_UNICODE_ISSPACE(next) && next != '>' && next != '/') {
            continue;
        }
        if (!closing) {
            return i;
        }
        Py_ssize_t close = find_code_point(text, '>', p + k, limit);
        return close < 0 ? limit : close + 1;
    }
    return limit;
}

/* An element read: its span, its name in lower case and its attributes (new references) */
typedef struct {
    Py_ssize_t start, end;
    PyObject *name, *attributes;
} Element;

/* The element opening at start: 1 with it read, 0 when no start tag does, or -1 with an
 * exception set. */
READ_INLINE int
read_element_of_kind(PyObject *source, const Text *text, Py_ssize_t start, Element *element)
{
    StartTag tag;
    if (start_tag(text, start, &tag) < 0) {
        return 0;
    }
    int self_closing = at(text, tag.end - 2) == '/';
    element->start = start;
    element->end = self_closing ? tag.end : element_end(text, start + 1, tag.name_end, tag.end);
    element->name = lower_case(source, text, start + 1, tag.name_end);
    element->attributes = attributes(source, text, tag.name_end, tag.end - 1);
    if (element->name == NULL || element->attributes == NULL) {
        Py_CLEAR(element->name);
        Py_CLEAR(element->attributes);
        return -1;
    }
    return 1;
}

/* read_element_of_kind compiled for each kind, the readings above inlined in it: no character is
 * read through a switch on the kind. */
static int
read_element(PyObject *source, const Text *text, Py_ssize_t start, Element *element)
{
    switch (text->kind) {
    case PyUnicode_1BYTE_KIND: {
        const Text ucs1 = {PyUnicode_1BYTE_KIND, text->data, text->length};
        return read_element_of_kind(source, &ucs1, start, element);
    }
    case PyUnicode_2BYTE_KIND: {
        const Text ucs2 = {PyUnicode_2BYTE_KIND, text->data, text->length};
        return read_element_of_kind(source, &ucs2, start, element);
    }
    default: {
        const Text ucs4 = {PyUnicode_4BYTE_KIND, text->data, text->length};
        return read_element_of_kind(source, &ucs4, start, element);
    }
    }
}

static void
clear_element(Element *element)
{
    Py_CLEAR(element->name);
    Py_CLEAR(element->attributes);
}

/* The (start, end, name, attributes) of the element opening at start; Py_None when no start
 * tag does. */
static PyObject *
element_at(PyObject *source, const Text *text, Py_ssize_t start)
{
    Element element;
    int read = read_element(source, text, start, &element);
    if (read <= 0) {
        return read == 0 ? Py_NewRef(Py_None) : NULL;
    }
    PyObject *fields = Py_BuildValue("(nnOO)", element.start, element.end, element.name,
                                     element.attributes);
    clear_element(&element);
    return fields;
}

/* The start at starts[i]: 0 with it read, or -1 with an exception set (ValueError when it lies
 * outside the source). */
static int
start_in(PyObject *starts, Py_ssize_t i, const Text *text, Py_ssize_t *start)
{
    *start = PyLong_AsSsize_t(PyList_GET_ITEM(starts, i));
    if (*start >= 0 && *start <= text->length) {
        return 0;
    }
    if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "a start outside the source");
    }
    return -1;
}

static PyObject *
elements(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "elements(source: str, starts: list[int])");
        return NULL;
    }
    if (load_unescape() < 0) {
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    PyObject *found = PyList_New(0);
    for (Py_ssize_t i = 0; found != NULL && i < PyList_GET_SIZE(args[1]); i++) {
        Py_ssize_t start;
        PyObject *element = NULL;
        if (start_in(args[1], i, &text, &start) == 0) {
            element = element_at(args[0], &text, start);
        }
        if (element == NULL || (element != Py_None && PyList_Append(found, element) < 0)) {
            Py_CLEAR(found);
        }
        Py_XDECREF(element);
    }
    return found;
}

/* What markup_embeds calls, fetched from archiver.scan.markup at the first call: the module's
 * bindings, so that each rule runs as markup.py binds it (compiled, or its reference) */
enum {
    ELEMENT,           /* _Element */
    EMBED,             /* _embed, for every element but a blockquote with a platform's class */
    READ_SNIPPET,      /* read_snippet */
    WIDGET_BLOCKQUOTE, /* _widget_blockquote */
    READ_LINKED,       /* read_linked */
    LINKED_BLOCKQUOTE, /* _linked_blockquote */
    TIKTOK_BLOCKQUOTE, /* _tiktok_blockquote */
    EMBED_TYPE,        /* Embed, the records of the iframes read here */
    TWITTER_STATUS_URL, /* twitter_status_url */
    RULES
};
static const char *const RULE_NAMES[RULES] = {
    "_Element",           "_embed",  "read_snippet",      "_widget_blockquote", "read_linked",
    "_linked_blockquote", "_tiktok_blockquote", "Embed", "twitter_status_url"};
static PyObject *rules[RULES];

/* _snippet.c's and _linked.c's readers in place (_markup_in_place.h), where markup.py binds
 * read_snippet and read_linked to their own; NULL otherwise */
static ReadInPlace snippet_in_place, linked_in_place;

/* *reader set to the reader in place of module_name when bound is that module's own reader
 * called name, else NULL (another rule bound, or the module not built): 0, or -1 with an
 * exception set. */
static int
find_reader_in_place(PyObject *bound, const char *module_name, const char *name,
                     const char *capsule_name, ReadInPlace *reader)
{
    *reader = NULL;
    PyObject *module = PyImport_ImportModule(module_name);
    if (module == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_ImportError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    PyObject *own = PyObject_GetAttrString(module, name);
    Py_DECREF(module);
    if (own == NULL) {
        return -1;
    }
    if (own == bound) {
        *reader = (ReadInPlace)PyCapsule_Import(capsule_name, 0);
    }
    Py_DECREF(own);
    return PyErr_Occurred() ? -1 : 0;
}

/* The Platform members the dispatch tells apart */
enum { TWITTER, BLUESKY, TIKTOK, PLATFORMS };
static const char *const PLATFORM_NAMES[PLATFORMS] = {"TWITTER", "BLUESKY", "TIKTOK"};
static PyObject *platforms[PLATFORMS];

/* The EmbedForm members of the iframes read here */
enum { RENDERED_IFRAME, IFRAME, FORMS };
static const char *const FORM_NAMES[FORMS] = {"RENDERED_IFRAME", "IFRAME"};
static PyObject *forms[FORMS];

/* _Element's fields in markup.py's order, and the member descriptor of each slot */
enum { F_START, F_END, F_NAME, F_ATTRIBUTES, ELEMENT_FIELDS };
static const char *const ELEMENT_FIELD_NAMES[ELEMENT_FIELDS] = {"start", "end", "name",
                                                                "attributes"};
static PyObject *element_slots[ELEMENT_FIELDS];

/* Attribute keys and values read here, made once */
enum { K_CLASS, K_TWEET_ID, K_SRC, K_DATA_SRC, K_EMPTY, KEYS };
static const char *const KEY_TEXTS[KEYS] = {"class", "data-tweet-id", "src", "data-src", ""};
static PyObject *keys[KEYS];
static PyObject *class_platforms; /* tuple(_CLASS_PLATFORMS.items()), in the dict's order */

/* tuple(markup._CLASS_PLATFORMS.items()), its classes str: a new tuple, or NULL with an
 * exception set. */
static PyObject *
class_platform_pairs(PyObject *markup)
{
    PyObject *by_class = PyObject_GetAttrString(markup, "_CLASS_PLATFORMS");
    if (by_class == NULL) {
        return NULL;
    }
    PyObject *items = NULL;
    if (!PyDict_Check(by_class)) {
        PyErr_SetString(PyExc_TypeError, "archiver.scan.markup._CLASS_PLATFORMS must be a dict");
    }
    else {
        items = PyDict_Items(by_class);
    }
    Py_DECREF(by_class);
    PyObject *pairs = items == NULL ? NULL : PyList_AsTuple(items);
    Py_XDECREF(items);
    for (Py_ssize_t k = 0; pairs != NULL && k < PyTuple_GET_SIZE(pairs); k++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(PyTuple_GET_ITEM(pairs, k), 0))) {
            PyErr_SetString(PyExc_TypeError,
                            "archiver.scan.markup._CLASS_PLATFORMS' classes must be str");
            Py_CLEAR(pairs);
        }
    }
    return pairs;
}

/* Keeps the member descriptors of rules[ELEMENT]'s slots: 0, or -1 with TypeError set when it is
 * not a slots dataclass without __post_init__, whose _Element(...) does no more than set each
 * slot (as _embeds.h's keep_embed_type finds Embed). */
static int
keep_element_slots(void)
{
    PyObject *element = rules[ELEMENT];
    if (!PyType_Check(element) || ((PyTypeObject *)element)->tp_new != PyBaseObject_Type.tp_new ||
        PyObject_HasAttrString(element, "__post_init__")) {
        PyErr_SetString(PyExc_TypeError,
                        "archiver.scan.markup._Element must be a slots dataclass without "
                        "__post_init__");
        return -1;
    }
    for (int i = 0; i < ELEMENT_FIELDS; i++) {
        PyObject *slot = PyDict_GetItemString(((PyTypeObject *)element)->tp_dict,
                                              ELEMENT_FIELD_NAMES[i]);
        if (slot == NULL || !PyObject_TypeCheck(slot, &PyMemberDescr_Type)) {
            PyErr_Format(PyExc_TypeError, "archiver.scan.markup._Element has no slot %s",
                         ELEMENT_FIELD_NAMES[i]);
            return -1;
        }
        Py_XSETREF(element_slots[i], Py_NewRef(slot));
    }
    return 0;
}

/* Each of members[i] = getattr(markup.enum_name, names[i]): 0, or -1 with an exception set. */
static int
fetch_members(PyObject *markup, const char *enum_name, const char *const *names, int count,
              PyObject **members)
{
    PyObject *type = PyObject_GetAttrString(markup, enum_name);
    int ok = type != NULL;
    for (int i = 0; ok && i < count; i++) {
        Py_XSETREF(members[i], PyObject_GetAttrString(type, names[i]));
        ok = members[i] != NULL;
    }
    Py_XDECREF(type);
    return ok ? 0 : -1;
}

/* 0 with rules, platforms, forms, keys and class_platforms set, or -1 with an exception set
 * (the next call fetches them again). */
static int
fetch_rules(void)
{
    if (class_platforms != NULL) {
        return 0;
    }
    PyObject *markup = PyImport_ImportModule("archiver.scan.markup");
    int ok = markup != NULL;
    for (int i = 0; ok && i < RULES; i++) {
        Py_XSETREF(rules[i], PyObject_GetAttrString(markup, RULE_NAMES[i]));
        ok = rules[i] != NULL;
    }
    ok = ok && keep_element_slots() == 0 && keep_embed_type(rules[EMBED_TYPE]) == 0;
    ok = ok && find_reader_in_place(rules[READ_SNIPPET], "archiver.scan._snippet", "read_snippet",
                                    SNIPPET_IN_PLACE_CAPSULE, &snippet_in_place) == 0;
    ok = ok && find_reader_in_place(rules[READ_LINKED], "archiver.scan._linked", "read_linked",
                                    LINKED_IN_PLACE_CAPSULE, &linked_in_place) == 0;
    ok = ok && fetch_members(markup, "Platform", PLATFORM_NAMES, PLATFORMS, platforms) == 0;
    ok = ok && fetch_members(markup, "EmbedForm", FORM_NAMES, FORMS, forms) == 0;
    for (int i = 0; ok && i < KEYS; i++) {
        if (keys[i] == NULL) {
            ok = (keys[i] = PyUnicode_InternFromString(KEY_TEXTS[i])) != NULL;
        }
    }
    class_platforms = ok ? class_platform_pairs(markup) : NULL;
    Py_XDECREF(markup);
    return class_platforms == NULL ? -1 : 0;
}

/* Whether text[start:end] is the str word. */
static int
is_word(const Text *text, Py_ssize_t start, Py_ssize_t end, PyObject *word)
{
    if (PyUnicode_GET_LENGTH(word) != end - start) {
        return 0;
    }
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    for (Py_ssize_t i = start; i < end; i++) {
        if (at(text, i) != PyUnicode_READ(kind, data, i - start)) {
            return 0;
        }
    }
    return 1;
}

/* _embed's platform of a blockquote: that of the first of _CLASS_PLATFORMS' classes among
 * classes.split()'s words (a borrowed reference), or NULL when none is. */
static PyObject *
class_platform(PyObject *classes)
{
    Text text = {PyUnicode_KIND(classes), PyUnicode_DATA(classes), PyUnicode_GET_LENGTH(classes)};
    Py_ssize_t pairs = PyTuple_GET_SIZE(class_platforms), first = pairs;
    for (Py_ssize_t pos = 0; pos < text.length && first > 0;) {
        if (Py_UNICODE_ISSPACE(at(&text, pos))) {
            pos++;
            continue;
        }
        Py_ssize_t word_end = pos + 1;
        while (word_end < text.length && !Py_UNICODE_ISSPACE(at(&text, word_end))) {
            word_end++;
        }
        for (Py_ssize_t k = 0; k < first; k++) {
            PyObject *pair = PyTuple_GET_ITEM(class_platforms, k);
            if (is_word(&text, pos, word_end, PyTuple_GET_ITEM(pair, 0))) {
                first = k;
            }
        }
        pos = word_end;
    }
    return first < pairs ? PyTuple_GET_ITEM(PyTuple_GET_ITEM(class_platforms, first), 1) : NULL;
}

/* The platform _embed reads off an element (a borrowed reference): NULL when it is no
 * blockquote with a platform's class, or with an exception set. */
static PyObject *
blockquote_platform(const Element *element)
{
    if (PyUnicode_CompareWithASCIIString(element->name, "blockquote") != 0) {
        return NULL;
    }
    PyObject *classes = PyDict_GetItemWithError(element->attributes, keys[K_CLASS]);
    if (classes != NULL && !PyUnicode_Check(classes)) {
        PyErr_SetString(PyExc_TypeError, "an element's class must be a str");
        return NULL;
    }
    return classes == NULL ? NULL : class_platform(classes);
}

/* _embed's record of a blockquote of platform's: read its markup, then make the record, as
 * _embed does; a new reference to an Embed or None, or NULL with an exception set. */
static PyObject *
blockquote_embed(PyObject *source, const Element *element, PyObject *found, PyObject *platform)
{
    int widget = PyObject_RichCompareBool(platform, platforms[TWITTER], Py_EQ);
    if (widget == 0) {
        widget = PyObject_RichCompareBool(platform, platforms[BLUESKY], Py_EQ);
    }
    int tiktok = widget == 0 ? PyObject_RichCompareBool(platform, platforms[TIKTOK], Py_EQ) : 0;
    if (widget < 0 || tiktok < 0) {
        return NULL;
    }
    ReadInPlace in_place = widget ? snippet_in_place : linked_in_place;
    PyObject *read;
    if (in_place != NULL) {
        read = in_place(source, element->start, element->end);
    }
    else {
        PyObject *markup = PyUnicode_Substring(source, element->start, element->end);
        if (markup == NULL) {
            return NULL;
        }
        read = PyObject_CallOneArg(rules[widget ? READ_SNIPPET : READ_LINKED], markup);
        Py_DECREF(markup);
    }
    if (read == NULL || read == Py_None) {
        return read;
    }
    PyObject *arguments[3] = {found, read, platform};
    PyObject *embed;
    if (widget) {
        embed = PyObject_Vectorcall(rules[WIDGET_BLOCKQUOTE], arguments, 3, NULL);
    }
    else if (tiktok) {
        embed = PyObject_Vectorcall(rules[TIKTOK_BLOCKQUOTE], arguments, 2, NULL);
    }
    else {
        embed = PyObject_Vectorcall(rules[LINKED_BLOCKQUOTE], arguments, 3, NULL);
    }
    Py_DECREF(read);
    return embed;
}

/* _Element(start, end, name, attributes) of the element read, its slots set as its __init__
 * sets them: a new reference, or NULL with an exception set. */
static PyObject *
new_element(const Element *element)
{
    PyTypeObject *type = (PyTypeObject *)rules[ELEMENT];
    PyObject *fields[ELEMENT_FIELDS] = {PyLong_FromSsize_t(element->start),
                                        PyLong_FromSsize_t(element->end), element->name,
                                        element->attributes};
    PyObject *made = NULL;
    if (fields[F_START] != NULL && fields[F_END] != NULL) {
        made = type->tp_alloc(type, 0);
    }
    for (int i = 0; made != NULL && i < ELEMENT_FIELDS; i++) {
        PyObject *slot = element_slots[i];
        if (Py_TYPE(slot)->tp_descr_set(slot, made, fields[i]) == -1) {
            Py_CLEAR(made);
        }
    }
    Py_XDECREF(fields[F_START]);
    Py_XDECREF(fields[F_END]);
    return made;
}

/* The str value of the attribute key (a borrowed reference), or NULL when the element has none
 * (an exception set when it is no str). */
static PyObject *
attribute(const Element *element, PyObject *key)
{
    PyObject *value = PyDict_GetItemWithError(element->attributes, key);
    if (value != NULL && !PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "an element's attribute values must be str");
        return NULL;
    }
    return value;
}

/* Whether text[start:end] is a post id: markup._is_post_id, _POST_ID's [0-9]{1,20} whole. */
static int
is_post_id(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    if (end - start < 1 || end - start > MAX_POST_ID) {
        return 0;
    }
    for (Py_ssize_t i = start; i < end; i++) {
        if (!is_ascii_digit(at(text, i))) {
            return 0;
        }
    }
    return 1;
}

/* Whether the lower-case ASCII literal starts at text[pos], the text's ASCII letters in either
 * case (re.IGNORECASE also folds a few other letters, which are left to the rule in Python). */
static int
starts_with_any_case(const Text *text, Py_ssize_t pos, const char *literal)
{
    for (Py_ssize_t i = 0; literal[i]; i++) {
        if (pos + i >= text->length ||
            ascii_lower(at(text, pos + i)) != (Py_UCS4)(unsigned char)literal[i]) {
            return 0;
        }
    }
    return 1;
}

/* What an iframe's src tells of the post, as read here */
enum { NO_POST, POST, LEFT_TO_PYTHON };

/* Where markup._TWEET_IFRAME's match of src ends, or -1 where it may not match. */
static Py_ssize_t
tweet_iframe_end(const Text *src)
{
    Py_ssize_t pos = starts_with_any_case(src, 0, "https:")  ? 6
                     : starts_with_any_case(src, 0, "http:") ? 5
                                                             : 0;
    if (!starts_with_any_case(src, pos, "//platform.")) {
        return -1;
    }
    pos += 11;
    Py_ssize_t host = starts_with_any_case(src, pos, "twitter") ? 7
                      : starts_with_any_case(src, pos, "x")     ? 1
                                                                : 0;
    pos += host;
    if (host == 0 || !starts_with_any_case(src, pos, ".com/embed/tweet.html?")) {
        return -1;
    }
    return pos + 22;
}

/* The first "id" of parse_qs(urlsplit(src).query) in a Tweet.html src: POST with its span,
 * NO_POST when it has none, or LEFT_TO_PYTHON for a src this does not read. The query is what
 * follows the "?" that _TWEET_IFRAME's match ends with, up to a "#"; read as parse_qs reads it
 * only without "%" or "+" (which unquote and parse_qs decode), ";", or the tab and line breaks
 * urlsplit drops: then its fields are the runs between "&"s, each a name, "=" and a value,
 * those without "=" or with an empty value left out. */
static int
tweet_iframe_id(const Text *src, Py_ssize_t *id_start, Py_ssize_t *id_end)
{
    Py_ssize_t query = tweet_iframe_end(src);
    if (query < 0) {
        return LEFT_TO_PYTHON;
    }
    Py_ssize_t query_end = find_code_point(src, '#', query, src->length);
    query_end = query_end < 0 ? src->length : query_end;
    for (Py_ssize_t i = query; i < query_end; i++) {
        Py_UCS4 c = at(src, i);
        if (c == '%' || c == '+' || c == ';' || c == '\t' || c == '\r' || c == '\n') {
            return LEFT_TO_PYTHON;
        }
    }
    for (Py_ssize_t field = query; field < query_end;) {
        Py_ssize_t field_end = find_code_point(src, '&', field, query_end);
        field_end = field_end < 0 ? query_end : field_end;
        Py_ssize_t equals = find_code_point(src, '=', field, field_end);
        if (equals - field == 2 && starts_with(src, field, equals, "id") && equals + 1 < field_end) {
            *id_start = equals + 1;
            *id_end = field_end;
            return is_post_id(src, *id_start, *id_end) ? POST : NO_POST;
        }
        field = field_end + 1;
    }
    return NO_POST;
}

/* _tweet_by_id's record: Embed(platform=TWITTER, form, start, end, text="", status_id,
 * status_url=twitter_status_url(status_id)), a new reference, or NULL with an exception set. */
static PyObject *
tweet_by_id(const Element *element, PyObject *form, PyObject *status_id)
{
    PyObject *status_url = PyObject_CallOneArg(rules[TWITTER_STATUS_URL], status_id);
    PyObject *start = PyLong_FromSsize_t(element->start);
    PyObject *end = PyLong_FromSsize_t(element->end);
    PyObject *empty = PyTuple_New(0);
    PyObject *embed = NULL;
    if (status_url != NULL && start != NULL && end != NULL && empty != NULL) {
        PyObject *fields[EMBED_FIELDS] = {
            platforms[TWITTER], form, keys[K_EMPTY], start, end, Py_None, Py_None, Py_None,
            Py_None, empty, empty, status_id, status_url, Py_None};
        embed = new_embed(fields);
    }
    Py_XDECREF(status_url);
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(empty);
    return embed;
}

/* markup._iframe's record where it is read here: an iframe's data-tweet-id, or its Tweet.html
 * src (_TWEET_IFRAME) with a query tweet_iframe_id reads. A new reference to an Embed or None,
 * NULL with an exception set, or Py_NotImplemented (a new reference) for the rule in Python. */
static PyObject *
iframe_embed(const Element *element)
{
    PyObject *tweet_id = attribute(element, keys[K_TWEET_ID]);
    if (tweet_id != NULL) { /* attributes.get("data-tweet-id", "").strip() */
        Text id = {PyUnicode_KIND(tweet_id), PyUnicode_DATA(tweet_id),
                   PyUnicode_GET_LENGTH(tweet_id)};
        Py_ssize_t start = 0, end = id.length;
        while (start < end && Py_UNICODE_ISSPACE(at(&id, start))) {
            start++;
        }
        while (end > start && Py_UNICODE_ISSPACE(at(&id, end - 1))) {
            end--;
        }
        if (is_post_id(&id, start, end)) {
            PyObject *stripped = PyUnicode_Substring(tweet_id, start, end);
            PyObject *embed =
                stripped == NULL ? NULL : tweet_by_id(element, forms[RENDERED_IFRAME], stripped);
            Py_XDECREF(stripped);
            return embed;
        }
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    PyObject *src = attribute(element, keys[K_SRC]); /* src or data-src */
    if (src == NULL || PyUnicode_GET_LENGTH(src) == 0) {
        src = PyErr_Occurred() ? NULL : attribute(element, keys[K_DATA_SRC]);
    }
    if (src == NULL) {
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
    }
    Text text = {PyUnicode_KIND(src), PyUnicode_DATA(src), PyUnicode_GET_LENGTH(src)};
    Py_ssize_t id_start = 0, id_end = 0;
    int read = tweet_iframe_id(&text, &id_start, &id_end);
    if (read != POST) {
        return Py_NewRef(read == NO_POST ? Py_None : Py_NotImplemented);
    }
    PyObject *status_id = PyUnicode_Substring(src, id_start, id_end);
    PyObject *embed = status_id == NULL ? NULL : tweet_by_id(element, forms[IFRAME], status_id);
    Py_XDECREF(status_id);
    return embed;
}

/* _embed(source, element): a new reference to an Embed or None, or NULL with an exception
 * set. */
static PyObject *
embed_of(PyObject *source, const Element *element)
{
    if (PyUnicode_CompareWithASCIIString(element->name, "iframe") == 0) {
        PyObject *embed = iframe_embed(element);
        if (embed != Py_NotImplemented) {
            return embed;
        }
        Py_DECREF(embed);
    }
    PyObject *platform = blockquote_platform(element);
    if (platform == NULL && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *found = new_element(element);
    if (found == NULL) {
        return NULL;
    }
    PyObject *embed;
    if (platform != NULL) {
        embed = blockquote_embed(source, element, found, platform);
    }
    else {
        PyObject *arguments[2] = {source, found};
        embed = PyObject_Vectorcall(rules[EMBED], arguments, 2, NULL);
    }
    Py_DECREF(found);
    return embed;
}

/* markup.reference_find_markup_embeds, its loop and _embed's dispatch compiled. */
static PyObject *
markup_embeds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "markup_embeds(source: str, starts: list[int])");
        return NULL;
    }
    if (load_unescape() < 0 || fetch_rules() < 0) {
        return NULL;
    }
    Text text = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    PyObject *embeds = PyList_New(0);
    Py_ssize_t covered_until = 0;
    for (Py_ssize_t i = 0; embeds != NULL && i < PyList_GET_SIZE(args[1]); i++) {
        Py_ssize_t start;
        Element element;
        int read = start_in(args[1], i, &text, &start);
        if (read == 0 && start >= covered_until) { /* else the last embed found covers it */
            read = read_element(args[0], &text, start, &element);
        }
        if (read < 0) {
            Py_CLEAR(embeds);
        }
        if (read <= 0) {
            continue;
        }
        PyObject *embed = embed_of(args[0], &element);
        if (embed == NULL || (embed != Py_None && PyList_Append(embeds, embed) < 0)) {
            Py_CLEAR(embeds);
        }
        else if (embed != Py_None) {
            covered_until = element.end;
        }
        Py_XDECREF(embed);
        clear_element(&element);
    }
    return embeds;
}

static PyMethodDef methods[] = {
    {"elements", (PyCFunction)(void (*)(void))elements, METH_FASTCALL,
     "elements(source, starts) -> [(start, end, name, attributes)]: the fields of the elements "
     "opening at starts (archiver.scan.markup.reference_elements, compiled)."},
    {"markup_embeds", (PyCFunction)(void (*)(void))markup_embeds, METH_FASTCALL,
     "markup_embeds(source, starts) -> [Embed]: the embeds among the elements opening at starts "
     "(archiver.scan.markup.reference_find_markup_embeds, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._elements",
    "The embed elements' start tags, attributes and ends, compiled (archiver/scan/markup.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__elements(void)
{
    return PyModule_Create(&module);
}
