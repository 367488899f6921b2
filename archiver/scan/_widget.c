/* X's and Bluesky's widget blockquote: the record markup.py makes of its Snippet, built in C;
 * and Mastodon's, Instagram's, Threads' and TikTok's blockquote's (see below).
 *
 * markup.py's reference_widget_blockquote is the rule and its documentation; widget_blockquote
 * gives the same Embed, or None, for the same element, Snippet and platform (issue 17: the
 * record's string rules and its Embed(**fields) were a third of the HTML scanner's time at a
 * post per kB). tests/test_scan_widget_compiled.py holds the two to the same records. The string
 * rules local to markup.py are read here off the code points:
 * - _collapsed_text: each run of [ \t\n\r\f] one space (_SPACES), each markup._LINE_BREAK a
 *   "\n", the spaces beside a "\n" dropped (_AROUND_NEWLINES; no two spaces are adjacent by
 *   then), and str.strip(), whose whitespace is Py_UNICODE_ISSPACE.
 * - _inline: " ".join(string.split()), str.split's whitespace being Py_UNICODE_ISSPACE too.
 * - _attribution_line: str.splitlines' breaks are Py_UNICODE_ISLINEBREAK ("\r\n" read as two
 *   breaks leaves an empty line between them, dropped as blank anyway); a line holds a handle
 *   when it holds "(@" or "( @" (what "(@" in line.replace("( @", "(@") comes to).
 * - _name_and_handle: no match of _HANDLE_IN_TEXT holds a "(", so its last match is at the
 *   rightmost "(" where it matches; re's \s on a str is Py_UNICODE_ISSPACE, and a handle
 *   matches only as a whole run of its characters (a shorter one leaves a handle character
 *   where \s*\) must follow).
 * - _unique: each truthy item once, in order.
 * The rules with a home of their own are called back in Python: clean_status_url,
 * twitter_status_url, search_date, dash_before (with NAME_STRIP: its dash is that of
 * text._dash_and_name with floor 0, called as text.py binds it, compiled in _attributions.c
 * wherever the install could build it), normalise_pic_link,
 * is_post_link, post_key and urls.parse_post_url (compiled in archiver/_urls.c wherever the
 * install could build it; two to four calls a widget, the post kept as its PostRef's fields),
 * fetched at the first call. Where markup.py's parse_post_url is _urls.c's own, its fields are
 * read through the capsule of _post_fields.h, without a PostRef; where clean_status_url is
 * _urls.c's own too, the status link's post is the post (status_link_names_the_post).
 * The Embed is made through its slots, as _attributions.c makes its own (_embeds.h).
 *
 * The records of Mastodon's, Instagram's, Threads' and TikTok's blockquotes are made here too,
 * of the LinkedQuote _linked.c (or lxml) reads: linked_blockquote and tiktok_blockquote give
 * what markup.py's reference_linked_blockquote and reference_tiktok_blockquote give
 * (tests/test_scan_linked_record_compiled.py), with the string rules above and these:
 * - _EMBED_SUFFIX.sub: its match ends at "$", so it matches once at most (embed_suffix_end).
 * - _iso_date: re's [0-9] is ASCII digits only.
 * - _first_post: each candidate through parse_post_url above, in the reference's order.
 */
#include "_code_points.h"
#include "_embeds.h"
#include "_post_fields.h"

#define LINE_BREAK 0x2028 /* markup._LINE_BREAK */
#define MAX_HANDLE 253    /* markup._HANDLE_IN_TEXT's {1,253} */
#define MAX_POST_ID 20    /* markup._POST_ID's {1,20} */

/* What widget_blockquote calls back or builds with, from archiver.scan.markup (post_key from
 * archiver.models, _dash_and_name from archiver.scan.text) at the first call */
enum {
    EMBED,
    EMBED_FORM,
    PLATFORM,
    PARSE_POST_URL,
    CLEAN_STATUS_URL,
    TWITTER_STATUS_URL,
    SEARCH_DATE,
    DASH_AND_NAME, /* from archiver.scan.text */
    NAME_STRIP,
    NORMALISE_PIC_LINK,
    IS_POST_LINK,
    POST_KEY, /* from archiver.models */
    HELPERS
};
static const char *const HELPER_NAMES[HELPERS] = {
    "Embed",        "EmbedForm",          "Platform",           "parse_post_url",
    "clean_status_url", "twitter_status_url", "search_date",    "_dash_and_name",
    "NAME_STRIP",   "normalise_pic_link", "is_post_link",       "post_key"};
static PyObject *helpers[HELPERS];

/* Attribute names and values read on every call, made once */
enum {
    N_ATTRIBUTES, N_START, N_END, N_PLATFORM, N_POST_ID, N_HANDLE, N_KEY, N_ISO, N_TWEET_ID,
    N_BLUESKY_URI, N_EMBED_URL, N_INSTAGRAM_PERMALINK, N_THREADS_PERMALINK, N_CITE,
    N_PARAGRAPH_BREAK, N_EMPTY, NAMES
};
static const char *const NAME_TEXTS[NAMES] = {
    "attributes", "start", "end", "platform", "post_id", "handle", "key", "iso",
    "data-tweet-id", "data-bluesky-uri", "data-embed-url", "data-instgrm-permalink",
    "data-text-post-permalink", "cite", "\n\n", ""};
static PyObject *names[NAMES];
static PyObject *twitter, *bluesky, *tiktok, *html_blockquote;
static ParsePostFields parse_post_fields; /* _urls.c's, when markup.parse_post_url is its own */
/* Whether the status link's post is kept as the post, not parsed again from clean_status_url's
 * URL: where both rules are _urls.c's, which give the same post for both URLs (no pattern of
 * urls.py reads past the query's "?" but to end there; tests/test_urls_compiled.py checks it) */
static int status_link_names_the_post;

/* Finds _urls.c's parse_post_fields when ``bound`` (markup's parse_post_url) is _urls.c's
 * parse_post_url, and leaves it NULL otherwise (another rule bound, or _urls.c not built); sets
 * status_link_names_the_post when ``clean`` (markup's clean_status_url) is _urls.c's too: 0, or
 * -1 with an exception set. */
static int
find_parse_post_fields(PyObject *bound, PyObject *clean)
{
    PyObject *urls = PyImport_ImportModule("archiver._urls");
    if (urls == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_ImportError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    PyObject *compiled = PyObject_GetAttrString(urls, "parse_post_url");
    PyObject *compiled_clean =
        compiled == NULL ? NULL : PyObject_GetAttrString(urls, "clean_status_url");
    Py_DECREF(urls);
    if (compiled_clean == NULL) {
        Py_XDECREF(compiled);
        return -1;
    }
    if (compiled == bound) {
        parse_post_fields = (ParsePostFields)PyCapsule_Import(POST_FIELDS_CAPSULE, 0);
        status_link_names_the_post = parse_post_fields != NULL && compiled_clean == clean;
    }
    Py_DECREF(compiled);
    Py_DECREF(compiled_clean);
    return PyErr_Occurred() ? -1 : 0;
}

static int
fetch_helpers(void)
{
    if (html_blockquote != NULL) {
        return 0;
    }
    PyObject *markup = PyImport_ImportModule("archiver.scan.markup");
    PyObject *models = markup == NULL ? NULL : PyImport_ImportModule("archiver.models");
    PyObject *text = models == NULL ? NULL : PyImport_ImportModule("archiver.scan.text");
    if (text == NULL) {
        Py_XDECREF(markup);
        Py_XDECREF(models);
        return -1;
    }
    PyObject *fetched[HELPERS], *values[4] = {NULL, NULL, NULL, NULL};
    int i, j, ok = 0;
    for (i = 0; i < HELPERS; i++) {
        PyObject *home = i == POST_KEY ? models : i == DASH_AND_NAME ? text : markup;
        if ((fetched[i] = PyObject_GetAttrString(home, HELPER_NAMES[i])) == NULL) {
            break;
        }
    }
    Py_DECREF(markup);
    Py_DECREF(models);
    Py_DECREF(text);
    if (i < HELPERS) {
        goto done;
    }
    if (!PyUnicode_Check(fetched[NAME_STRIP])) {
        PyErr_SetString(PyExc_TypeError, "archiver.scan.markup.NAME_STRIP must be a str");
        goto done;
    }
    if (keep_embed_type(fetched[EMBED]) == -1) {
        goto done;
    }
    for (j = 0; j < NAMES; j++) {
        if (names[j] == NULL && (names[j] = PyUnicode_InternFromString(NAME_TEXTS[j])) == NULL) {
            goto done;
        }
    }
    values[0] = PyObject_GetAttrString(fetched[PLATFORM], "TWITTER");
    values[1] = PyObject_GetAttrString(fetched[PLATFORM], "BLUESKY");
    values[2] = PyObject_GetAttrString(fetched[PLATFORM], "TIKTOK");
    values[3] = PyObject_GetAttrString(fetched[EMBED_FORM], "HTML_BLOCKQUOTE");
    ok = values[0] != NULL && values[1] != NULL && values[2] != NULL && values[3] != NULL &&
         find_parse_post_fields(fetched[PARSE_POST_URL], fetched[CLEAN_STATUS_URL]) == 0;
done:
    if (!ok) {
        while (--i >= 0) {
            Py_DECREF(fetched[i]);
        }
        for (int k = 0; k < 4; k++) {
            Py_XDECREF(values[k]);
        }
        return -1;
    }
    memcpy(helpers, fetched, sizeof helpers);
    twitter = values[0];
    bluesky = values[1];
    tiktok = values[2];
    html_blockquote = values[3];
    return 0;
}

static inline Text
text_of(PyObject *string)
{
    return (Text){PyUnicode_KIND(string), PyUnicode_DATA(string), PyUnicode_GET_LENGTH(string)};
}

/* A new str of chars[start:end]. */
static PyObject *
string_of(const Py_UCS4 *chars, Py_ssize_t start, Py_ssize_t end)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars + start, end - start);
}

/* _SPACES' characters */
static inline int
is_collapsed_space(Py_UCS4 c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* markup._DASHES */
static inline int
is_dash(Py_UCS4 c)
{
    return c == 0x2014 || c == 0x2013 || c == 0x2015 || c == 0x2012 || c == '-';
}

/* markup._collapsed_text(string): a new str, or NULL with an exception set. */
static PyObject *
collapsed_text(PyObject *string)
{
    Text text = text_of(string);
    Py_UCS4 *chars = PyMem_New(Py_UCS4, (size_t)text.length + 1);
    if (chars == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t length = 0;
    int newline = 0;
    for (Py_ssize_t i = 0; i < text.length;) {
        Py_UCS4 c = at(&text, i++);
        if (is_collapsed_space(c)) {
            while (i < text.length && is_collapsed_space(at(&text, i))) {
                i++;
            }
            c = ' ';
        }
        else if (c == LINE_BREAK) {
            c = '\n';
            newline = 1;
        }
        chars[length++] = c;
    }
    if (newline) { /* a space's neighbours are no spaces, and are kept */
        Py_ssize_t kept = 0;
        for (Py_ssize_t i = 0; i < length; i++) {
            if (chars[i] == ' ' && ((kept > 0 && chars[kept - 1] == '\n') ||
                                    (i + 1 < length && chars[i + 1] == '\n'))) {
                continue;
            }
            chars[kept++] = chars[i];
        }
        length = kept;
    }
    Py_ssize_t start = 0;
    while (start < length && Py_UNICODE_ISSPACE(chars[start])) {
        start++;
    }
    while (length > start && Py_UNICODE_ISSPACE(chars[length - 1])) {
        length--;
    }
    PyObject *collapsed = string_of(chars, start, length);
    PyMem_Free(chars);
    return collapsed;
}

/* markup._inline(string): a new str, or NULL with an exception set. */
static PyObject *
inline_text(PyObject *string)
{
    Text text = text_of(string);
    Py_UCS4 *chars = PyMem_New(Py_UCS4, (size_t)text.length + 1);
    if (chars == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < text.length; i++) {
        chars[i] = at(&text, i);
    }
    PyObject *inline_string = string_of(chars, 0, collapse_spaces(chars, text.length));
    PyMem_Free(chars);
    return inline_string;
}

/* string.strip(): a new str, or NULL with an exception set. */
static PyObject *
stripped(PyObject *string)
{
    Text text = text_of(string);
    Py_ssize_t start = 0, end = text.length;
    while (start < end && Py_UNICODE_ISSPACE(at(&text, start))) {
        start++;
    }
    while (end > start && Py_UNICODE_ISSPACE(at(&text, end - 1))) {
        end--;
    }
    return PyUnicode_Substring(string, start, end);
}

/* Whether c is one of str.splitlines' breaks: Py_UNICODE_ISLINEBREAK, which below U+0085 are
 * "\n", "\v", "\f", "\r" and U+001C to U+001E. */
static inline int
is_line_break(Py_UCS4 c)
{
    return c < 0x85 ? (c >= '\n' && c <= '\r') || (c >= 0x1C && c <= 0x1E)
                    : Py_UNICODE_ISLINEBREAK(c);
}

/* The index of the first line break in text[pos:], else the text's length. One loop for each
 * kind, so that no character is read through a switch on it. */
#define LINE_END(type)                                                                          \
    {                                                                                           \
        const type *data = text->data;                                                          \
        while (pos < text->length && !is_line_break(data[pos])) {                               \
            pos++;                                                                              \
        }                                                                                       \
        break;                                                                                  \
    }

static Py_ssize_t
line_end(const Text *text, Py_ssize_t pos)
{
    EACH_KIND(text->kind, LINE_END)
    return pos;
}
#undef LINE_END

/* Whether text[start:end] holds "(@" or "( @" */
static int
holds_handle_mark(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t open = find_code_point(text, '(', start, end); open >= 0;
         open = find_code_point(text, '(', open + 1, end)) {
        if (starts_with(text, open + 1, end, "@") || starts_with(text, open + 1, end, " @")) {
            return 1;
        }
    }
    return 0;
}

/* markup._attribution_line(quote): a new str, or NULL with an exception set. */
static PyObject *
attribution_line(PyObject *quote)
{
    Text text = text_of(quote);
    Py_ssize_t last_start = 0, last_end = 0, handle_start = -1, handle_end = 0;
    for (Py_ssize_t line_start = 0; line_start <= text.length;) {
        Py_ssize_t i = line_end(&text, line_start);
        Py_ssize_t first = line_start;
        while (first < i && Py_UNICODE_ISSPACE(at(&text, first))) {
            first++;
        }
        if (first < i) { /* not blank */
            last_start = line_start;
            last_end = i;
            if (holds_handle_mark(&text, first, i)) {
                handle_start = line_start;
                handle_end = i;
            }
        }
        line_start = i + 1;
    }
    if (handle_start != -1) {
        return PyUnicode_Substring(quote, handle_start, handle_end);
    }
    return PyUnicode_Substring(quote, last_start, last_end);
}

/* _HANDLE_IN_TEXT's handle characters */
static inline int
is_handle_char(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
}

/* Whether _HANDLE_IN_TEXT matches at line[open] == "(", the handle's span in *start, *end. */
static int
handle_at(const Text *line, Py_ssize_t open, Py_ssize_t *start, Py_ssize_t *end)
{
    Py_ssize_t pos = open + 1;
    while (pos < line->length && Py_UNICODE_ISSPACE(at(line, pos))) {
        pos++;
    }
    if (pos >= line->length || at(line, pos) != '@') {
        return 0;
    }
    *start = ++pos;
    while (pos < line->length && is_handle_char(at(line, pos))) {
        pos++;
    }
    *end = pos;
    if (pos == *start || pos - *start > MAX_HANDLE) {
        return 0;
    }
    while (pos < line->length && Py_UNICODE_ISSPACE(at(line, pos))) {
        pos++;
    }
    return pos < line->length && at(line, pos) == ')';
}

/* Whether c is one of NAME_STRIP's characters */
static int
is_name_strip(Py_UCS4 c)
{
    Text strip = text_of(helpers[NAME_STRIP]);
    for (Py_ssize_t i = 0; i < strip.length; i++) {
        if (at(&strip, i) == c) {
            return 1;
        }
    }
    return 0;
}

/* markup._name_and_handle(line): 0 with *name and *handle new references (NULL for None), or
 * -1 with an exception set. */
static int
name_and_handle(PyObject *line, PyObject **name, PyObject **handle)
{
    Text text = text_of(line);
    Py_ssize_t open = text.length, start = 0, end = 0;
    while (--open >= 0 && !(at(&text, open) == '(' && handle_at(&text, open, &start, &end))) {
    }
    if (open < 0) {
        return 0;
    }
    PyObject *anchor = PyLong_FromSsize_t(open);
    PyObject *floor = anchor == NULL ? NULL : PyLong_FromLong(0);
    if (floor == NULL) {
        Py_XDECREF(anchor);
        return -1;
    }
    PyObject *call_args[] = {line, anchor, floor}; /* dash_before(line, anchor), its floor 0 */
    PyObject *dash = PyObject_Vectorcall(helpers[DASH_AND_NAME], call_args, 3, NULL);
    Py_DECREF(anchor);
    Py_DECREF(floor);
    if (dash == NULL) {
        return -1;
    }
    Py_ssize_t name_start = open, name_end = open;
    if (dash != Py_None) { /* line[dash[1]:open].strip(NAME_STRIP) */
        if (!PyTuple_Check(dash) || PyTuple_GET_SIZE(dash) != 3) {
            PyErr_SetString(PyExc_TypeError,
                            "_dash_and_name must give (start, end, name) or None");
            Py_DECREF(dash);
            return -1;
        }
        Py_ssize_t dash_end = PyLong_AsSsize_t(PyTuple_GET_ITEM(dash, 1));
        if (dash_end == -1 && PyErr_Occurred()) {
            Py_DECREF(dash);
            return -1;
        }
        name_start = dash_end < 0 ? 0 : dash_end > open ? open : dash_end;
        while (name_start < name_end && is_name_strip(at(&text, name_start))) {
            name_start++;
        }
        while (name_end > name_start && is_name_strip(at(&text, name_end - 1))) {
            name_end--;
        }
    }
    Py_DECREF(dash);
    if (name_start < name_end &&
        (*name = PyUnicode_Substring(line, name_start, name_end)) == NULL) {
        return -1;
    }
    *handle = PyUnicode_Substring(line, start, end);
    if (*handle == NULL) {
        Py_CLEAR(*name);
        return -1;
    }
    return 0;
}

/* markup._is_post_id(value): 1 to 20 ASCII digits */
static int
is_post_id(PyObject *value)
{
    Text text = text_of(value);
    if (text.length < 1 || text.length > MAX_POST_ID) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < text.length; i++) {
        Py_UCS4 c = at(&text, i);
        if (c < '0' || c > '9') {
            return 0;
        }
    }
    return 1;
}

/* Item i of a list, a tuple of ``size``: a new reference, or NULL with TypeError set. */
static PyObject *
tuple_in(PyObject *list, Py_ssize_t i, Py_ssize_t size, const char *what)
{
    PyObject *item = i < PyList_GET_SIZE(list) ? PyList_GET_ITEM(list, i) : NULL;
    if (item == NULL || !PyTuple_Check(item) || PyTuple_GET_SIZE(item) != size) {
        PyErr_Format(PyExc_TypeError, "a Snippet's %s must be a list of %zd-tuples", what, size);
        return NULL;
    }
    return Py_NewRef(item);
}

/* Whether an Anchor (href, string) holds a str or None and a str */
static int
is_anchor(PyObject *anchor)
{
    PyObject *href = PyTuple_GET_ITEM(anchor, 0);
    if ((href != Py_None && !PyUnicode_Check(href)) ||
        !PyUnicode_Check(PyTuple_GET_ITEM(anchor, 1))) {
        PyErr_SetString(PyExc_TypeError, "an Anchor must be (str | None, str)");
        return 0;
    }
    return 1;
}

/* item appended to the list unless it is falsy or in it already: 0, or -1 with an exception set */
static int
append_unique(PyObject *list, PyObject *item)
{
    int truthy = PyObject_IsTrue(item);
    int seen = truthy == 1 ? PySequence_Contains(list, item) : 0;
    if (truthy == -1 || seen == -1) {
        return -1;
    }
    return truthy && !seen ? PyList_Append(list, item) : 0;
}

/* A PostRef's fields (_post_fields.h) */
typedef PostFields Post;

static void
clear_post(Post *post)
{
    Py_CLEAR(post->platform);
    Py_CLEAR(post->post_id);
    Py_CLEAR(post->handle);
}

/* A PostRef's fields read into *post: 0, or -1 with an exception set. */
static int
read_post_ref(PyObject *found, Post *post)
{
    post->platform = PyObject_GetAttr(found, names[N_PLATFORM]);
    post->post_id = post->platform == NULL ? NULL : PyObject_GetAttr(found, names[N_POST_ID]);
    post->handle = post->post_id == NULL ? NULL : PyObject_GetAttr(found, names[N_HANDLE]);
    if (post->handle == NULL) {
        return -1;
    }
    if (!PyUnicode_Check(post->post_id)) {
        PyErr_SetString(PyExc_TypeError, "a PostRef's post_id must be a str");
        return -1;
    }
    return 0;
}

/* urls.parse_post_url(url): 0 with *post filled (its platform NULL for None), or -1 with an
 * exception set. */
static int
parse_post_url(PyObject *url, Post *post)
{
    if (parse_post_fields != NULL && PyUnicode_Check(url)) { /* else the call's TypeError */
        return parse_post_fields(url, post);
    }
    PyObject *found = PyObject_CallOneArg(helpers[PARSE_POST_URL], url);
    int read = found == NULL ? -1 : found == Py_None ? 0 : read_post_ref(found, post);
    Py_XDECREF(found);
    if (read == -1) {
        clear_post(post);
    }
    return read;
}

/* post.key, or None without a post: a new reference, or NULL with an exception set */
static PyObject *
key_of(const Post *post)
{
    if (post->platform == NULL) {
        return Py_NewRef(Py_None);
    }
    PyObject *call_args[] = {post->platform, post->post_id};
    return PyObject_Vectorcall(helpers[POST_KEY], call_args, 2, NULL);
}

/* What widget_blockquote reads before it makes the record: new references, NULL where the
 * reference has None (and where nothing was read yet) */
typedef struct {
    PyObject *texts;      /* the kept paragraphs' non-empty texts */
    PyObject *lang;       /* the first kept paragraph's */
    PyObject *post_links; /* (href or "", _inline(string)) of each kept paragraph's anchors */
    PyObject *status_url;
    PyObject *date_text;
    Post post;
    PyObject *attribution;
    PyObject *name;
    PyObject *handle;
} Widget;

static void
clear_widget(Widget *widget)
{
    Py_XDECREF(widget->texts);
    Py_XDECREF(widget->lang);
    Py_XDECREF(widget->post_links);
    Py_XDECREF(widget->status_url);
    Py_XDECREF(widget->date_text);
    clear_post(&widget->post);
    Py_XDECREF(widget->attribution);
    Py_XDECREF(widget->name);
    Py_XDECREF(widget->handle);
}

/* The post links of a kept paragraph's anchors: 0, or -1 with an exception set. */
static int
read_post_links(Widget *widget, PyObject *links)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(links); i++) {
        PyObject *anchor = tuple_in(links, i, 2, "paragraph's anchors");
        if (anchor == NULL || !is_anchor(anchor)) {
            Py_XDECREF(anchor);
            return -1;
        }
        PyObject *href = PyTuple_GET_ITEM(anchor, 0);
        PyObject *string = inline_text(PyTuple_GET_ITEM(anchor, 1));
        PyObject *link = string == NULL ? NULL
                                        : PyTuple_Pack(2, href == Py_None ? names[N_EMPTY] : href,
                                                       string);
        Py_XDECREF(string);
        Py_DECREF(anchor);
        if (link == NULL || PyList_Append(widget->post_links, link) == -1) {
            Py_XDECREF(link);
            return -1;
        }
        Py_DECREF(link);
    }
    return 0;
}

/* The paragraphs that are no attribution line: their texts, the first's lang, their links. */
static int
read_paragraphs(Widget *widget, PyObject *paragraphs)
{
    int kept_any = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(paragraphs); i++) {
        PyObject *paragraph = tuple_in(paragraphs, i, 3, "paragraphs");
        if (paragraph == NULL) {
            return -1;
        }
        PyObject *string = PyTuple_GET_ITEM(paragraph, 0), *lang = PyTuple_GET_ITEM(paragraph, 1);
        PyObject *links = PyTuple_GET_ITEM(paragraph, 2), *text = NULL;
        int read = -1;
        if (!PyUnicode_Check(string) || (lang != Py_None && !PyUnicode_Check(lang)) ||
            !PyList_Check(links)) {
            PyErr_SetString(PyExc_TypeError, "a Paragraph must be (str, str | None, list)");
        }
        else if ((text = collapsed_text(string)) != NULL) {
            /* a text that starts with one of markup._DASHES is the attribution, not kept */
            read = PyUnicode_GET_LENGTH(text) > 0 && is_dash(PyUnicode_READ_CHAR(text, 0)) ? 0 : 1;
        }
        if (read == 1 && !kept_any) {
            kept_any = 1;
            int truthy = PyObject_IsTrue(lang);
            widget->lang = truthy ? Py_NewRef(lang) : NULL;
            read = truthy == -1 ? -1 : read;
        }
        if (read == 1 && PyUnicode_GET_LENGTH(text) > 0) {
            read = PyList_Append(widget->texts, text) == -1 ? -1 : read;
        }
        if (read == 1) {
            read = read_post_links(widget, links) == -1 ? -1 : read;
        }
        Py_XDECREF(text);
        Py_DECREF(paragraph);
        if (read == -1) {
            return -1;
        }
    }
    return 0;
}

/* The status link found: its href cleaned as the status URL, its inline string (when not
 * empty) as the date's text. */
static int
take_status_link(Widget *widget, PyObject *href, PyObject *string)
{
    widget->status_url = PyObject_CallOneArg(helpers[CLEAN_STATUS_URL], href);
    if (widget->status_url == NULL) {
        return -1;
    }
    PyObject *date_text = inline_text(string);
    if (date_text == NULL) {
        return -1;
    }
    if (PyUnicode_GET_LENGTH(date_text) > 0) {
        widget->date_text = date_text;
    }
    else {
        Py_DECREF(date_text);
    }
    return 0;
}

/* The status link: the last anchor whose href names a post of the platform. */
static int
read_status_link(Widget *widget, PyObject *anchors, PyObject *platform)
{
    for (Py_ssize_t i = PyList_GET_SIZE(anchors) - 1; i >= 0; i--) {
        PyObject *anchor = tuple_in(anchors, i, 2, "anchors");
        if (anchor == NULL || !is_anchor(anchor)) {
            Py_XDECREF(anchor);
            return -1;
        }
        PyObject *href = PyTuple_GET_ITEM(anchor, 0);
        Post found = {NULL, NULL, NULL};
        href = href == Py_None ? Py_NewRef(names[N_EMPTY]) : stripped(href);
        int taken = href == NULL || parse_post_url(href, &found) == -1 ? -1
                    : found.platform == NULL
                        ? 0
                        : PyObject_RichCompareBool(found.platform, platform, Py_EQ);
        if (taken == 1) {
            taken = take_status_link(widget, href, PyTuple_GET_ITEM(anchor, 1)) == -1 ? -1 : 1;
        }
        if (taken == 1 && status_link_names_the_post) {
            widget->post = found;
            found = (Post){NULL, NULL, NULL};
        }
        clear_post(&found);
        Py_XDECREF(href);
        Py_DECREF(anchor);
        if (taken != 0) {
            return taken == -1 ? -1 : 0;
        }
    }
    return 0;
}

/* attributes.get(key, "").strip(): a new str, or NULL with an exception set. */
static PyObject *
attribute(PyObject *attributes, PyObject *key, int strip)
{
    PyObject *value = PyDict_GetItemWithError(attributes, key);
    if (value == NULL) {
        return PyErr_Occurred() ? NULL : Py_NewRef(names[N_EMPTY]);
    }
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "an element's attributes must be str");
        return NULL;
    }
    return strip ? stripped(value) : Py_NewRef(value);
}

/* The post X's data-tweet-id names, and its status URL, when no status link named one. */
static int
read_tweet_id(Widget *widget, PyObject *attributes, PyObject *platform)
{
    PyObject *tweet_id = attribute(attributes, names[N_TWEET_ID], 1);
    if (tweet_id == NULL) {
        return -1;
    }
    if (!is_post_id(tweet_id)) {
        Py_DECREF(tweet_id);
        return 0;
    }
    Py_XSETREF(widget->status_url, PyObject_CallOneArg(helpers[TWITTER_STATUS_URL], tweet_id));
    widget->post = (Post){Py_NewRef(platform), tweet_id, Py_NewRef(Py_None)};
    return widget->status_url == NULL ? -1 : 0;
}

/* The post Bluesky's data-bluesky-uri names, which wins, and a status URL made of it when there
 * is none. Another platform's URL there names no post and is ignored. */
static int
read_bluesky_uri(Widget *widget, PyObject *attributes)
{
    PyObject *uri = attribute(attributes, names[N_BLUESKY_URI], 0);
    Post uri_post = {NULL, NULL, NULL};
    int read = uri == NULL                     ? -1
               : PyUnicode_GET_LENGTH(uri) == 0 ? 0
                                                : parse_post_url(uri, &uri_post);
    Py_XDECREF(uri);
    int is_bluesky = uri_post.platform == NULL
                         ? 0
                         : PyObject_RichCompareBool(uri_post.platform, bluesky, Py_EQ);
    if (is_bluesky != 1) {
        clear_post(&uri_post);
        return is_bluesky == -1 ? -1 : read;
    }
    clear_post(&widget->post);
    widget->post = uri_post;
    PyObject *post_id = uri_post.post_id;
    /* did, rkey = post_id.split("/", 1) */
    Py_ssize_t length = PyUnicode_GET_LENGTH(post_id);
    Py_ssize_t slash = PyUnicode_FindChar(post_id, '/', 0, length, 1);
    if (slash == -1) {
        PyErr_SetString(PyExc_ValueError, "not enough values to unpack (expected 2, got 1)");
    }
    int truthy = slash < 0 || widget->status_url == NULL ? 0 : PyObject_IsTrue(widget->status_url);
    if (slash >= 0 && truthy == 0) {
        PyObject *did = PyUnicode_Substring(post_id, 0, slash);
        PyObject *rkey = PyUnicode_Substring(post_id, slash + 1, length);
        if (did != NULL && rkey != NULL) {
            Py_XSETREF(widget->status_url,
                       PyUnicode_FromFormat("https://bsky.app/profile/%U/post/%U", did, rkey));
        }
        Py_XDECREF(did);
        Py_XDECREF(rkey);
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* The post: the status link's, else (X) data-tweet-id's; on Bluesky data-bluesky-uri's. */
static int
read_post(Widget *widget, PyObject *attributes, PyObject *platform)
{
    int truthy = widget->status_url == NULL || widget->post.platform != NULL
                     ? 0 /* no status link, or its post kept (status_link_names_the_post) */
                     : PyObject_IsTrue(widget->status_url);
    if (truthy == -1 || (truthy && parse_post_url(widget->status_url, &widget->post) == -1)) {
        return -1;
    }
    int is_twitter = PyObject_RichCompareBool(platform, twitter, Py_EQ);
    if (is_twitter == -1 ||
        (widget->post.platform == NULL && is_twitter &&
         read_tweet_id(widget, attributes, platform) == -1)) {
        return -1;
    }
    int is_bluesky = PyObject_RichCompareBool(platform, bluesky, Py_EQ);
    return is_bluesky == 1 ? read_bluesky_uri(widget, attributes) : is_bluesky;
}

/* The picture links and the other post links of the kept paragraphs, each once, as new tuples. */
static int
read_links(const Widget *widget, PyObject **pic_links, PyObject **links)
{
    PyObject *pics = PyList_New(0), *others = PyList_New(0), *own_post = NULL;
    int ok = pics != NULL && others != NULL;
    for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(widget->post_links); i++) {
        PyObject *link = PyList_GET_ITEM(widget->post_links, i);
        PyObject *href = PyTuple_GET_ITEM(link, 0), *string = PyTuple_GET_ITEM(link, 1);
        PyObject *pic = PyObject_CallOneArg(helpers[NORMALISE_PIC_LINK], string);
        int truthy = pic == NULL ? -1 : PyObject_IsTrue(pic);
        if (truthy == 0) {
            Py_SETREF(pic, PyObject_CallOneArg(helpers[NORMALISE_PIC_LINK], href));
        }
        ok = truthy != -1 && pic != NULL && append_unique(pics, pic) == 0;
        Py_XDECREF(pic);
    }
    for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(widget->post_links); i++) {
        PyObject *link = PyList_GET_ITEM(widget->post_links, i);
        PyObject *href = PyTuple_GET_ITEM(link, 0), *string = PyTuple_GET_ITEM(link, 1);
        PyObject *call_args[] = {href, string};
        PyObject *is_link = PyObject_Vectorcall(helpers[IS_POST_LINK], call_args, 2, NULL);
        int truthy = is_link == NULL ? -1 : PyObject_IsTrue(is_link);
        Py_XDECREF(is_link);
        if (truthy != 1) {
            ok = truthy == 0;
            continue;
        }
        /* _post_key(href) != own_post */
        PyObject *url = stripped(href), *key = NULL;
        Post post = {NULL, NULL, NULL};
        if (url != NULL && parse_post_url(url, &post) == 0) {
            key = key_of(&post);
        }
        if (key != NULL && own_post == NULL) {
            own_post = key_of(&widget->post);
        }
        int other = key == NULL || own_post == NULL
                        ? -1
                        : PyObject_RichCompareBool(key, own_post, Py_NE);
        ok = other != -1 && (other == 0 || append_unique(others, url) == 0);
        Py_XDECREF(url);
        clear_post(&post);
        Py_XDECREF(key);
    }
    Py_XDECREF(own_post);
    *pic_links = ok ? PyList_AsTuple(pics) : NULL;
    *links = ok ? PyList_AsTuple(others) : NULL;
    Py_XDECREF(pics);
    Py_XDECREF(others);
    if (*pic_links == NULL || *links == NULL) {
        Py_CLEAR(*pic_links);
        Py_CLEAR(*links);
        return -1;
    }
    return 0;
}

/* The record of a widget whose post or handle is known. */
static PyObject *
widget_embed(Widget *widget, PyObject *element, PyObject *platform)
{
    PyObject *embed = NULL, *date = NULL, *iso = Py_NewRef(Py_None);
    PyObject *pic_links = NULL, *links = NULL;
    PyObject *text = NULL, *start = NULL, *end = NULL;
    const Post *post = &widget->post;
    PyObject *date_of = widget->date_text ? widget->date_text : widget->attribution;
    date = PyObject_CallOneArg(helpers[SEARCH_DATE], date_of);
    if (date == NULL) {
        goto done;
    }
    if (date != Py_None) {
        Py_SETREF(iso, PyObject_GetAttr(date, names[N_ISO]));
        if (iso == NULL) {
            goto done;
        }
        if (widget->date_text == NULL) { /* attribution[date.start : date.end] */
            PyObject *from = PyObject_GetAttr(date, names[N_START]);
            PyObject *to = from == NULL ? NULL : PyObject_GetAttr(date, names[N_END]);
            Py_ssize_t low = from == NULL ? -1 : PyLong_AsSsize_t(from);
            Py_ssize_t high = to == NULL ? -1 : PyLong_AsSsize_t(to);
            Py_XDECREF(from);
            Py_XDECREF(to);
            if (PyErr_Occurred()) {
                goto done;
            }
            if ((widget->date_text = PySequence_GetSlice(widget->attribution, low, high)) ==
                NULL) {
                goto done;
            }
        }
    }
    if (read_links(widget, &pic_links, &links) == -1) {
        goto done;
    }
    if ((text = PyUnicode_Join(names[N_PARAGRAPH_BREAK], widget->texts)) == NULL ||
        (start = PyObject_GetAttr(element, names[N_START])) == NULL ||
        (end = PyObject_GetAttr(element, names[N_END])) == NULL) {
        goto done;
    }

    PyObject *fields[EMBED_FIELDS] = {
        platform,
        html_blockquote,
        text,
        start,
        end,
        widget->handle ? widget->handle : post->platform ? post->handle : Py_None,
        widget->name ? widget->name : Py_None,
        iso,
        widget->date_text ? widget->date_text : Py_None,
        pic_links,
        links,
        post->platform ? post->post_id : Py_None,
        widget->status_url ? widget->status_url : Py_None,
        widget->lang ? widget->lang : Py_None,
    };
    embed = new_embed(fields);
done:
    Py_XDECREF(date);
    Py_XDECREF(iso);
    Py_XDECREF(pic_links);
    Py_XDECREF(links);
    Py_XDECREF(text);
    Py_XDECREF(start);
    Py_XDECREF(end);
    return embed;
}

/* element.attributes, a dict: a new reference, or NULL with an exception set. */
static PyObject *
attributes_of(PyObject *element)
{
    PyObject *attributes = PyObject_GetAttr(element, names[N_ATTRIBUTES]);
    if (attributes != NULL && !PyDict_Check(attributes)) {
        PyErr_SetString(PyExc_TypeError, "an element's attributes must be a dict");
        Py_CLEAR(attributes);
    }
    return attributes;
}

static PyObject *
widget_blockquote(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyTuple_Check(args[1]) || PyTuple_GET_SIZE(args[1]) != 3 ||
        !PyList_Check(PyTuple_GET_ITEM(args[1], 0)) ||
        !PyList_Check(PyTuple_GET_ITEM(args[1], 1)) ||
        !PyUnicode_Check(PyTuple_GET_ITEM(args[1], 2))) {
        PyErr_SetString(PyExc_TypeError,
                        "widget_blockquote(element, snippet: (list, list, str), platform)");
        return NULL;
    }
    if (fetch_helpers() == -1) {
        return NULL;
    }
    PyObject *element = args[0], *snippet = args[1], *platform = args[2];
    PyObject *attributes = attributes_of(element);
    if (attributes == NULL) {
        return NULL;
    }
    PyObject *embed = NULL;
    Widget widget = {PyList_New(0), NULL, PyList_New(0), NULL, NULL, {NULL, NULL, NULL}, NULL,
                     NULL, NULL};
    if (widget.texts == NULL || widget.post_links == NULL ||
        read_paragraphs(&widget, PyTuple_GET_ITEM(snippet, 0)) == -1 ||
        read_status_link(&widget, PyTuple_GET_ITEM(snippet, 1), platform) == -1 ||
        read_post(&widget, attributes, platform) == -1 ||
        (widget.attribution = attribution_line(PyTuple_GET_ITEM(snippet, 2))) == NULL ||
        name_and_handle(widget.attribution, &widget.name, &widget.handle) == -1) {
        goto done;
    }
    if (widget.post.platform == NULL && widget.handle == NULL) {
        embed = Py_NewRef(Py_None);
        goto done;
    }
    embed = widget_embed(&widget, element, platform);
done:
    clear_widget(&widget);
    Py_DECREF(attributes);
    return embed;
}

/* Mastodon's, Instagram's, Threads' and TikTok's blockquotes, whose post an attribute or a link
 * names (markup.reference_linked_blockquote, markup.reference_tiktok_blockquote) */

/* The end of markup._EMBED_SUFFIX's match at url[start], or -1 when it does not match there:
 * "/embed", an optional "/", then the end ("$": the end of the url or a "\n" that ends it), or
 * "?" or "#" and the rest up to that end, which "." reads only when it holds no "\n". */
static Py_ssize_t
embed_suffix_end(const Text *url, Py_ssize_t start)
{
    if (!starts_with(url, start, url->length, "/embed")) {
        return -1;
    }
    Py_ssize_t pos = start + 6;
    if (pos < url->length && at(url, pos) == '/') {
        pos++;
    }
    Py_ssize_t end = url->length;
    if (end > pos && at(url, end - 1) == '\n') {
        end--;
    }
    if (pos == end) {
        return end;
    }
    if (at(url, pos) != '?' && at(url, pos) != '#') {
        return -1;
    }
    return find_code_point(url, '\n', pos + 1, end) == -1 ? end : -1;
}

/* markup._EMBED_SUFFIX.sub("", url): a new str, or NULL with an exception set. A match ends at
 * the url's end, so there is one at most: the leftmost. */
static PyObject *
without_embed_suffix(PyObject *url)
{
    Text text = text_of(url);
    Py_ssize_t start = find_code_point(&text, '/', 0, text.length), end = -1;
    while (start != -1 && (end = embed_suffix_end(&text, start)) == -1) {
        start = find_code_point(&text, '/', start + 1, text.length);
    }
    if (start == -1) {
        return Py_NewRef(url);
    }
    PyObject *head = PyUnicode_Substring(url, 0, start);
    if (head == NULL || end == text.length) {
        return head;
    }
    PyObject *tail = PyUnicode_Substring(url, end, text.length);
    PyObject *joined = tail == NULL ? NULL : PyUnicode_Concat(head, tail);
    Py_DECREF(head);
    Py_XDECREF(tail);
    return joined;
}

/* markup._iso_date(datetime): "YYYY-MM-DD" when the stripped datetime starts so (ASCII digits),
 * else None; a new reference, or NULL with an exception set. The ten characters matched are no
 * whitespace, so only the leading whitespace is skipped. */
static PyObject *
iso_date(PyObject *datetime)
{
    static const char SHAPE[] = "dddd-dd-dd";
    Text text = text_of(datetime);
    Py_ssize_t start = 0;
    while (start < text.length && Py_UNICODE_ISSPACE(at(&text, start))) {
        start++;
    }
    if (text.length - start < (Py_ssize_t)strlen(SHAPE)) {
        return Py_NewRef(Py_None);
    }
    for (Py_ssize_t i = 0; SHAPE[i]; i++) {
        Py_UCS4 c = at(&text, start + i);
        if (SHAPE[i] == 'd' ? !is_ascii_digit(c) : c != (Py_UCS4)SHAPE[i]) {
            return Py_NewRef(Py_None);
        }
    }
    return PyUnicode_Substring(datetime, start, start + (Py_ssize_t)strlen(SHAPE));
}

/* Whether quote is a LinkedQuote: (list of str | None, str, (str | None, str) | None, str);
 * TypeError set when it is not. */
static int
is_linked_quote(PyObject *quote)
{
    int ok = PyTuple_Check(quote) && PyTuple_GET_SIZE(quote) == 4 &&
             PyList_Check(PyTuple_GET_ITEM(quote, 0)) &&
             PyUnicode_Check(PyTuple_GET_ITEM(quote, 1)) &&
             PyUnicode_Check(PyTuple_GET_ITEM(quote, 3));
    PyObject *time = ok ? PyTuple_GET_ITEM(quote, 2) : NULL;
    if (ok && time != Py_None) {
        ok = PyTuple_Check(time) && PyTuple_GET_SIZE(time) == 2 &&
             (PyTuple_GET_ITEM(time, 0) == Py_None || PyUnicode_Check(PyTuple_GET_ITEM(time, 0))) &&
             PyUnicode_Check(PyTuple_GET_ITEM(time, 1));
    }
    PyObject *hrefs = ok ? PyTuple_GET_ITEM(quote, 0) : NULL;
    for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(hrefs); i++) {
        PyObject *href = PyList_GET_ITEM(hrefs, i);
        ok = href == Py_None || PyUnicode_Check(href);
    }
    if (!ok) {
        PyErr_SetString(PyExc_TypeError,
                        "a LinkedQuote must be (list[str | None], str, (str | None, str) | None, "
                        "str)");
    }
    return ok;
}

/* markup._first_post: the first candidate that names a post of the platform, the attributes'
 * urls (count of them) before the hrefs (None read as ""). 1 with *url a new reference and *post
 * filled, 0 when none names one, or -1 with an exception set. */
static int
first_post(PyObject *const *urls, int count, PyObject *hrefs, PyObject *platform, PyObject **url,
           Post *post)
{
    PyObject *listed = PyList_AsTuple(hrefs); /* as the call found them */
    if (listed == NULL) {
        return -1;
    }
    int found = 0;
    for (Py_ssize_t i = 0; found == 0 && i < count + PyTuple_GET_SIZE(listed); i++) {
        PyObject *candidate = i < count ? urls[i] : PyTuple_GET_ITEM(listed, i - count);
        if (candidate == Py_None || PyUnicode_GET_LENGTH(candidate) == 0) {
            continue;
        }
        found = parse_post_url(candidate, post) == -1 ? -1
                : post->platform == NULL
                    ? 0
                    : PyObject_RichCompareBool(post->platform, platform, Py_EQ);
        if (found == 1) {
            *url = Py_NewRef(candidate);
        }
        else {
            clear_post(post);
        }
    }
    Py_DECREF(listed);
    return found;
}

/* The record of the post the url names in such a blockquote: fields' text, handle,
 * display_name, date and date_text set by the caller, the rest here. A new Embed, or NULL with
 * an exception set. */
static PyObject *
linked_embed(PyObject *element, PyObject *platform, PyObject *url, const Post *post,
             PyObject **fields)
{
    PyObject *start = PyObject_GetAttr(element, names[N_START]);
    PyObject *end = start == NULL ? NULL : PyObject_GetAttr(element, names[N_END]);
    PyObject *status_url = end == NULL ? NULL : PyObject_CallOneArg(helpers[CLEAN_STATUS_URL], url);
    PyObject *no_links = status_url == NULL ? NULL : PyTuple_New(0);
    PyObject *embed = NULL;
    if (no_links != NULL) {
        fields[E_PLATFORM] = platform;
        fields[E_FORM] = html_blockquote;
        fields[E_START] = start;
        fields[E_END] = end;
        fields[E_PIC_LINKS] = no_links;
        fields[E_LINKS] = no_links;
        fields[E_STATUS_ID] = post->post_id;
        fields[E_STATUS_URL] = status_url;
        fields[E_LANG] = Py_None;
        embed = new_embed(fields);
    }
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(status_url);
    Py_XDECREF(no_links);
    return embed;
}

/* The date of a LinkedQuote's Time, or of None: *date and *date_text new references (None for
 * none), 0, or -1 with an exception set. */
static int
read_time(PyObject *time, PyObject **date, PyObject **date_text)
{
    if (time == Py_None) {
        *date = Py_NewRef(Py_None);
        *date_text = Py_NewRef(Py_None);
        return 0;
    }
    PyObject *datetime = PyTuple_GET_ITEM(time, 0);
    *date = datetime == Py_None ? Py_NewRef(Py_None) : iso_date(datetime);
    *date_text = *date == NULL ? NULL : inline_text(PyTuple_GET_ITEM(time, 1));
    if (*date_text == NULL) {
        Py_CLEAR(*date);
        return -1;
    }
    if (PyUnicode_GET_LENGTH(*date_text) == 0) {
        Py_SETREF(*date_text, Py_NewRef(Py_None));
    }
    return 0;
}

/* The record of Mastodon's, Instagram's or Threads' blockquote: the handle the post's URL names,
 * else the attribution line's. */
static PyObject *
linked_record(PyObject *element, PyObject *quote, PyObject *platform, PyObject *url,
              const Post *post)
{
    PyObject *attribution = attribution_line(PyTuple_GET_ITEM(quote, 1));
    PyObject *name = NULL, *handle = NULL, *date = NULL, *date_text = NULL, *embed = NULL;
    if (attribution == NULL || name_and_handle(attribution, &name, &handle) == -1 ||
        read_time(PyTuple_GET_ITEM(quote, 2), &date, &date_text) == -1) {
        goto done;
    }
    int named = PyObject_IsTrue(post->handle);
    if (named == -1) {
        goto done;
    }
    PyObject *fields[EMBED_FIELDS];
    fields[E_TEXT] = names[N_EMPTY];
    fields[E_HANDLE] = named ? post->handle : handle ? handle : Py_None;
    fields[E_DISPLAY_NAME] = name ? name : Py_None;
    fields[E_DATE] = date;
    fields[E_DATE_TEXT] = date_text;
    embed = linked_embed(element, platform, url, post, fields);
done:
    Py_XDECREF(attribution);
    Py_XDECREF(name);
    Py_XDECREF(handle);
    Py_XDECREF(date);
    Py_XDECREF(date_text);
    return embed;
}

static PyObject *
linked_blockquote(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "linked_blockquote(element, quote, platform)");
        return NULL;
    }
    if (!is_linked_quote(args[1]) || fetch_helpers() == -1) {
        return NULL;
    }
    PyObject *element = args[0], *quote = args[1], *platform = args[2];
    PyObject *attributes = attributes_of(element);
    if (attributes == NULL) {
        return NULL;
    }
    PyObject *embed_url = attribute(attributes, names[N_EMBED_URL], 0);
    PyObject *urls[3] = {embed_url == NULL ? NULL : without_embed_suffix(embed_url), NULL, NULL};
    Py_XDECREF(embed_url);
    if (urls[0] != NULL) {
        urls[1] = attribute(attributes, names[N_INSTAGRAM_PERMALINK], 0);
    }
    if (urls[1] != NULL) {
        urls[2] = attribute(attributes, names[N_THREADS_PERMALINK], 0);
    }
    Py_DECREF(attributes);
    PyObject *url = NULL, *embed = NULL;
    Post post = {NULL, NULL, NULL};
    int found = urls[2] == NULL ? -1
                                : first_post(urls, 3, PyTuple_GET_ITEM(quote, 0), platform, &url,
                                             &post);
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(urls[i]);
    }
    if (found == 1) {
        embed = linked_record(element, quote, platform, url, &post);
    }
    else if (found == 0) {
        embed = Py_NewRef(Py_None);
    }
    Py_XDECREF(url);
    clear_post(&post);
    return embed;
}

static PyObject *
tiktok_blockquote(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "tiktok_blockquote(element, quote)");
        return NULL;
    }
    if (!is_linked_quote(args[1]) || fetch_helpers() == -1) {
        return NULL;
    }
    PyObject *element = args[0], *quote = args[1];
    PyObject *attributes = attributes_of(element);
    if (attributes == NULL) {
        return NULL;
    }
    PyObject *cite = attribute(attributes, names[N_CITE], 0);
    Py_DECREF(attributes);
    PyObject *url = NULL, *text = NULL, *embed = NULL;
    Post post = {NULL, NULL, NULL};
    int found = cite == NULL ? -1
                             : first_post(&cite, 1, PyTuple_GET_ITEM(quote, 0), tiktok, &url,
                                          &post);
    Py_XDECREF(cite);
    if (found == 0) {
        embed = Py_NewRef(Py_None);
    }
    else if (found == 1 && (text = collapsed_text(PyTuple_GET_ITEM(quote, 3))) != NULL) {
        PyObject *fields[EMBED_FIELDS];
        fields[E_TEXT] = text;
        fields[E_HANDLE] = post.handle;
        fields[E_DISPLAY_NAME] = Py_None;
        fields[E_DATE] = Py_None;
        fields[E_DATE_TEXT] = Py_None;
        embed = linked_embed(element, tiktok, url, &post, fields);
    }
    Py_XDECREF(text);
    Py_XDECREF(url);
    clear_post(&post);
    return embed;
}

static PyMethodDef methods[] = {
    {"widget_blockquote", (PyCFunction)(void (*)(void))widget_blockquote, METH_FASTCALL,
     "widget_blockquote(element, snippet, platform) -> Embed or None: the record of X's or "
     "Bluesky's widget blockquote, the element its snippet was read from "
     "(archiver.scan.markup.reference_widget_blockquote, compiled)."},
    {"linked_blockquote", (PyCFunction)(void (*)(void))linked_blockquote, METH_FASTCALL,
     "linked_blockquote(element, quote, platform) -> Embed or None: the record of Mastodon's, "
     "Instagram's or Threads' blockquote, the element its LinkedQuote was read from "
     "(archiver.scan.markup.reference_linked_blockquote, compiled)."},
    {"tiktok_blockquote", (PyCFunction)(void (*)(void))tiktok_blockquote, METH_FASTCALL,
     "tiktok_blockquote(element, quote) -> Embed or None: the record of TikTok's blockquote, "
     "the element its LinkedQuote was read from "
     "(archiver.scan.markup.reference_tiktok_blockquote, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._widget",
    "The records of the widget and linked blockquotes, compiled (archiver/scan/markup.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__widget(void)
{
    return PyModule_Create(&module);
}
