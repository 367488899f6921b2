/* Which post a URL names, compiled.
 *
 * archiver/urls.py's reference_parse_post_url, reference_pic_link_code,
 * reference_normalise_pic_link and reference_shortlink_code, and archiver/scan/links.py's
 * reference_clean_status_url and reference_is_post_link are the rules and their documentation;
 * these are the same rules on the string's code points instead of through re and str calls
 * (issue 17: at a post per kB the HTML scanner made some 16,000 of these calls per 8 MB, a tenth
 * of its time). tests/test_urls_compiled.py holds each to its reference, and
 * benchmarks/scan_compare.py to the same records. This module lives beside urls.py, not in
 * archiver/scan/, as urls.py binds its names to it and the scan package imports urls.py.
 *
 * Each pattern of urls.py is read as a loop, as re runs it. Every repeat in them stops at a
 * character the pattern needs next and cannot take itself (a handle at "/", a host at "/", an id
 * at "/", "?" or "#"), so a shorter run never lets the rest match and each run is taken whole;
 * each alternation's ways start with different characters, or are tried in the pattern's order.
 * The patterns with re.ASCII fold ASCII letters only. The Bluesky ones are IGNORECASE without
 * ASCII: re matches a letter there when the character's simple lower case is it, or is a letter
 * re reads as its equal, which for the letters of these patterns and the rkey's class makes
 * U+0130 and U+0131 an "i", U+212A KELVIN SIGN a "k" and U+017F LONG S an "s"
 * (tests/test_urls_compiled.py checks every code point). \s is Py_UNICODE_ISSPACE, as is
 * str.strip's whitespace, so after strip() no "\n" is left for "$" to stop before.
 * A Bluesky actor holding "%" is handed to urllib.parse.unquote, in Python.
 * str.lower() in links.py: of the characters outside ASCII only U+0130 ("i" and U+0307) and
 * U+212A ("k") lower to an ASCII letter, and no tracking key nor "http" holds a "k" or an "i"
 * followed by U+0307, so a key or scheme is compared ASCII letter by letter.
 * A PostRef is made through its slots' member descriptors, as scan/_embeds.h makes an Embed.
 */
#include "scan/_link_code.h"
#include "scan/_post_fields.h"

#define MAX_STATUS_ID 20     /* urls._TWITTER_STATUS's and _MASTODON's \d{1,20} */
#define MAX_TWITTER_HANDLE 50 /* urls._TWITTER_STATUS's handle's {1,50} */

/* What parse_post_url builds with, fetched at the first call */
enum { TWITTER, BLUESKY, MASTODON, INSTAGRAM, TIKTOK, THREADS, PLATFORMS };
static const char *const PLATFORM_NAMES[PLATFORMS] = {
    "TWITTER", "BLUESKY", "MASTODON", "INSTAGRAM", "TIKTOK", "THREADS"};
static PyObject *platforms[PLATFORMS]; /* archiver.models.Platform's members */
static PyObject *twitter_hosts;        /* urls.TWITTER_HOSTS */
static PyObject *unquote;              /* urllib.parse.unquote */

/* PostRef's fields in urls.py's order, and the member descriptor of each slot */
enum { R_PLATFORM, R_POST_ID, R_HANDLE, POST_REF_FIELDS };
static const char *const POST_REF_FIELD_NAMES[POST_REF_FIELDS] = {"platform", "post_id", "handle"};
static PyTypeObject *post_ref_type;
static PyObject *post_ref_slots[POST_REF_FIELDS];

static PyObject *pic_link_prefix; /* "pic.twitter.com/", what normalise_pic_link puts first */

/* Keeps ``post_ref`` (urls.PostRef) and its slots' member descriptors: 0, or -1 with TypeError
 * set when it is not a slots dataclass new_post_ref can build. */
static int
keep_post_ref_type(PyObject *post_ref)
{
    PyTypeObject *type = (PyTypeObject *)post_ref;
    if (!PyType_Check(post_ref) || type->tp_new != PyBaseObject_Type.tp_new ||
        PyObject_HasAttrString(post_ref, "__post_init__")) {
        PyErr_SetString(PyExc_TypeError,
                        "archiver.urls.PostRef must be a slots dataclass without __post_init__");
        return -1;
    }
    PyObject *slots[POST_REF_FIELDS];
    for (int i = 0; i < POST_REF_FIELDS; i++) {
        slots[i] = PyDict_GetItemString(type->tp_dict, POST_REF_FIELD_NAMES[i]);
        if (slots[i] == NULL || !PyObject_TypeCheck(slots[i], &PyMemberDescr_Type)) {
            PyErr_Format(PyExc_TypeError, "archiver.urls.PostRef has no slot %s",
                         POST_REF_FIELD_NAMES[i]);
            return -1;
        }
    }
    for (int i = 0; i < POST_REF_FIELDS; i++) {
        post_ref_slots[i] = Py_NewRef(slots[i]);
    }
    post_ref_type = (PyTypeObject *)Py_NewRef(post_ref);
    return 0;
}

static int
fetch_helpers(void)
{
    if (unquote != NULL) {
        return 0;
    }
    PyObject *urls = PyImport_ImportModule("archiver.urls");
    PyObject *models = urls == NULL ? NULL : PyImport_ImportModule("archiver.models");
    PyObject *parse = models == NULL ? NULL : PyImport_ImportModule("urllib.parse");
    PyObject *post_ref = NULL, *platform = NULL, *hosts = NULL, *unquote_function = NULL;
    PyObject *members[PLATFORMS] = {NULL};
    int ok = 0;
    if (parse == NULL || (post_ref = PyObject_GetAttrString(urls, "PostRef")) == NULL ||
        (hosts = PyObject_GetAttrString(urls, "TWITTER_HOSTS")) == NULL ||
        (platform = PyObject_GetAttrString(models, "Platform")) == NULL ||
        (unquote_function = PyObject_GetAttrString(parse, "unquote")) == NULL) {
        goto done;
    }
    for (int i = 0; i < PLATFORMS; i++) {
        if ((members[i] = PyObject_GetAttrString(platform, PLATFORM_NAMES[i])) == NULL) {
            goto done;
        }
    }
    if (post_ref_type == NULL && keep_post_ref_type(post_ref) == -1) {
        goto done;
    }
    for (int i = 0; i < PLATFORMS; i++) {
        platforms[i] = Py_NewRef(members[i]);
    }
    twitter_hosts = Py_NewRef(hosts);
    unquote = Py_NewRef(unquote_function);
    ok = 1;
done:
    for (int i = 0; i < PLATFORMS; i++) {
        Py_XDECREF(members[i]);
    }
    Py_XDECREF(unquote_function);
    Py_XDECREF(platform);
    Py_XDECREF(hosts);
    Py_XDECREF(post_ref);
    Py_XDECREF(parse);
    Py_XDECREF(models);
    Py_XDECREF(urls);
    return ok ? 0 : -1;
}

/* PostRef(platform, post_id, handle), the arguments borrowed: a new PostRef, or NULL with an
 * exception set. */
static PyObject *
new_post_ref(PyObject *platform, PyObject *post_id, PyObject *handle)
{
    PyObject *fields[POST_REF_FIELDS] = {platform, post_id, handle};
    PyObject *result = post_ref_type->tp_alloc(post_ref_type, 0);
    if (result == NULL) {
        return NULL;
    }
    for (int i = 0; i < POST_REF_FIELDS; i++) {
        PyObject *slot = post_ref_slots[i];
        if (Py_TYPE(slot)->tp_descr_set(slot, result, fields[i]) == -1) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

/* A stretch of a str: text[start:end] */
typedef struct {
    Py_ssize_t start, end;
} Span;

/* The span str.strip() keeps of text */
static Span
stripped(const Text *text)
{
    Span span = {0, text->length};
    while (span.start < span.end && Py_UNICODE_ISSPACE(at(text, span.start))) {
        span.start++;
    }
    while (span.end > span.start && Py_UNICODE_ISSPACE(at(text, span.end - 1))) {
        span.end--;
    }
    return span;
}

static inline int
is_twitter_handle_char(Py_UCS4 c) /* [A-Za-z0-9_] */
{
    return is_ascii_alnum(c) || c == '_';
}

static inline int
is_handle_char(Py_UCS4 c) /* [A-Za-z0-9_.]: Instagram's, TikTok's, Threads', Mastodon's */
{
    return is_ascii_alnum(c) || c == '_' || c == '.';
}

static inline int
is_code_char(Py_UCS4 c) /* [A-Za-z0-9_-]: Instagram's and Threads' codes */
{
    return is_ascii_alnum(c) || c == '_' || c == '-';
}

static inline int
is_host_char(Py_UCS4 c) /* _MASTODON's [a-z0-9.-], IGNORECASE */
{
    return is_ascii_alnum(c) || c == '.' || c == '-';
}

static inline int
is_actor_char(Py_UCS4 c) /* the Bluesky actor's [^/?#\s] */
{
    return c != '/' && c != '?' && c != '#' && !Py_UNICODE_ISSPACE(c);
}

static inline int
is_rkey_char(Py_UCS4 c) /* the Bluesky rkey's [A-Za-z0-9._~:-], IGNORECASE without ASCII */
{
    return is_ascii_alnum(c) || c == '.' || c == '_' || c == '~' || c == ':' || c == '-' ||
           c == 0x130 || c == 0x131 || c == 0x17F || c == 0x212A;
}

/* The end of the run of characters that satisfy is_member from text[pos] on, before end */
static inline Py_ssize_t
run_end(const Text *text, Py_ssize_t pos, Py_ssize_t end, int (*is_member)(Py_UCS4))
{
    while (pos < end && is_member(at(text, pos))) {
        pos++;
    }
    return pos;
}

/* Whether c is the pattern character wanted under IGNORECASE without ASCII, for the letters of
 * the Bluesky patterns */
static inline int
unicode_folds_to(Py_UCS4 c, char wanted)
{
    return ascii_folds_to(c, wanted) || (wanted == 'i' && (c == 0x130 || c == 0x131)) ||
           (wanted == 'k' && c == 0x212A) || (wanted == 's' && c == 0x17F);
}

/* skip_ascii (_link_code.h) under IGNORECASE without ASCII */
static inline int
skip_unicode(const Text *text, Py_ssize_t *pos, Py_ssize_t end, const char *literal)
{
    return skip_literal(text, pos, end, literal, unicode_folds_to);
}

/* The end of a status id at text[pos] (1 to 20 ASCII digits, then "/", "?", "#" or the end), or
 * -1 when there is none: _TWITTER_STATUS's and _MASTODON's (?P<id>\d{1,20})(?:[/?#]|$). */
static Py_ssize_t
status_id_end(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t id_end = run_end(text, pos, end, is_ascii_digit);
    if (id_end == pos || id_end - pos > MAX_STATUS_ID) {
        return -1;
    }
    if (id_end < end) {
        Py_UCS4 c = at(text, id_end);
        if (c != '/' && c != '?' && c != '#') {
            return -1;
        }
    }
    return id_end;
}

/* What a pattern found: the post's id (or code, or rkey), its handle (an empty span for none;
 * Bluesky's actor) and Mastodon's host */
typedef struct {
    Span id, handle, host;
} Found;

/* The handles parse_post_url reads as none */
static const char *const NO_HANDLES[] = {"i", "intent", "home", "search", "hashtag", NULL};

/* urls._TWITTER_STATUS.match(text[span]). The ways after the host are tried in the pattern's
 * order: i/web, i, a handle, each followed by /status/ or /statuses/; then statuses/. */
static int
match_twitter(const Text *text, Span span, Found *found)
{
    Py_ssize_t pos = span.start, end = span.end;
    if (!skip_ascii(text, &pos, end, "https:")) {
        skip_ascii(text, &pos, end, "http:");
    }
    if (!skip_ascii(text, &pos, end, "//")) {
        return 0;
    }
    if (!skip_ascii(text, &pos, end, "www.") && !skip_ascii(text, &pos, end, "mobile.")) {
        skip_ascii(text, &pos, end, "m.");
    }
    if (!skip_ascii(text, &pos, end, "twitter.com/") && !skip_ascii(text, &pos, end, "x.com/")) {
        return 0;
    }
    Py_ssize_t word_end = run_end(text, pos, end, is_twitter_handle_char);
    Py_ssize_t web = pos, i = pos;
    Py_ssize_t ways[3] = {
        skip_ascii(text, &web, end, "i/web") ? web : -1,
        skip_ascii(text, &i, end, "i") ? i : -1,
        word_end > pos && word_end - pos <= MAX_TWITTER_HANDLE ? word_end : -1,
    };
    for (int way = 0; way < 3; way++) {
        Py_ssize_t id = ways[way];
        if (id == -1 ||
            !(skip_ascii(text, &id, end, "/statuses/") || skip_ascii(text, &id, end, "/status/"))) {
            continue;
        }
        Py_ssize_t id_end = status_id_end(text, id, end);
        if (id_end != -1) {
            found->id = (Span){id, id_end};
            found->handle = (Span){pos, way == 2 ? word_end : pos};
            return 1;
        }
    }
    Py_ssize_t id = pos;
    Py_ssize_t id_end = skip_ascii(text, &id, end, "statuses/") ? status_id_end(text, id, end) : -1;
    if (id_end == -1) {
        return 0;
    }
    found->id = (Span){id, id_end};
    found->handle = (Span){pos, pos};
    return 1;
}

/* The actor and rkey of a Bluesky post at text[*pos], the literal between them given: 1 with
 * them in found, or 0. The rkey runs to the end of span when whole is set (_BLUESKY_AT's "$"). */
static int
match_actor_and_rkey(const Text *text, Py_ssize_t pos, Py_ssize_t end, const char *between,
                     int whole, Found *found)
{
    Py_ssize_t actor_end = run_end(text, pos, end, is_actor_char);
    Py_ssize_t rkey = actor_end;
    if (actor_end == pos || !skip_unicode(text, &rkey, end, between)) {
        return 0;
    }
    Py_ssize_t rkey_end = run_end(text, rkey, end, is_rkey_char);
    if (rkey_end == rkey || (whole && rkey_end != end)) {
        return 0;
    }
    found->handle = (Span){pos, actor_end};
    found->id = (Span){rkey, rkey_end};
    return 1;
}

/* urls._BLUESKY_WEB.match(text[span]) or urls._BLUESKY_AT.match(text[span]) */
static int
match_bluesky(const Text *text, Span span, Found *found)
{
    Py_ssize_t pos = span.start, end = span.end;
    if (skip_unicode(text, &pos, end, "at://")) {
        return match_actor_and_rkey(text, pos, end, "/app.bsky.feed.post/", 1, found);
    }
    if (!skip_unicode(text, &pos, end, "http")) {
        return 0;
    }
    skip_unicode(text, &pos, end, "s");
    if (!skip_unicode(text, &pos, end, "://")) {
        return 0;
    }
    skip_unicode(text, &pos, end, "www.");
    return skip_unicode(text, &pos, end, "bsky.app/profile/") &&
           match_actor_and_rkey(text, pos, end, "/post/", 0, found);
}

/* (?:p|reel|tv)/(?P<code>[A-Za-z0-9_-]+) at text[pos], the code put in found */
static int
match_instagram_code(const Text *text, Py_ssize_t pos, Py_ssize_t end, Found *found)
{
    if (!skip_ascii(text, &pos, end, "p/") && !skip_ascii(text, &pos, end, "reel/") &&
        !skip_ascii(text, &pos, end, "tv/")) {
        return 0;
    }
    Py_ssize_t code_end = run_end(text, pos, end, is_code_char);
    found->id = (Span){pos, code_end};
    return code_end > pos;
}

/* urls._INSTAGRAM.match(text[span]): with the optional user segment first, then without */
static int
match_instagram(const Text *text, Span span, Found *found)
{
    Py_ssize_t pos = span.start, end = span.end;
    if (!skip_http_scheme(text, &pos, end)) {
        return 0;
    }
    skip_ascii(text, &pos, end, "www.");
    if (!skip_ascii(text, &pos, end, "instagram.com/")) {
        return 0;
    }
    Py_ssize_t user_end = run_end(text, pos, end, is_handle_char);
    if (user_end > pos && user_end < end && at(text, user_end) == '/' &&
        match_instagram_code(text, user_end + 1, end, found)) {
        return 1;
    }
    return match_instagram_code(text, pos, end, found);
}

/* A handle at text[pos], the literal after it and a run of is_id characters: _TIKTOK's and
 * _THREADS' @(?P<handle>[A-Za-z0-9_.]+)/video/(?P<id>\d+) and .../post/(?P<code>...) */
static int
match_handle_and_id(const Text *text, Py_ssize_t pos, Py_ssize_t end, const char *between,
                    int (*is_id)(Py_UCS4), Found *found)
{
    Py_ssize_t handle_end = run_end(text, pos, end, is_handle_char);
    Py_ssize_t id = handle_end;
    if (handle_end == pos || !skip_ascii(text, &id, end, between)) {
        return 0;
    }
    Py_ssize_t id_end = run_end(text, id, end, is_id);
    found->handle = (Span){pos, handle_end};
    found->id = (Span){id, id_end};
    return id_end > id;
}

/* urls._TIKTOK.match(text[span]) */
static int
match_tiktok(const Text *text, Span span, Found *found)
{
    Py_ssize_t pos = span.start, end = span.end;
    if (!skip_http_scheme(text, &pos, end)) {
        return 0;
    }
    if (!skip_ascii(text, &pos, end, "www.")) {
        skip_ascii(text, &pos, end, "m.");
    }
    return skip_ascii(text, &pos, end, "tiktok.com/@") &&
           match_handle_and_id(text, pos, end, "/video/", is_ascii_digit, found);
}

/* urls._THREADS.match(text[span]) */
static int
match_threads(const Text *text, Span span, Found *found)
{
    Py_ssize_t pos = span.start, end = span.end;
    if (!skip_http_scheme(text, &pos, end)) {
        return 0;
    }
    skip_ascii(text, &pos, end, "www.");
    if (!skip_ascii(text, &pos, end, "threads.") ||
        !(skip_ascii(text, &pos, end, "net/@") || skip_ascii(text, &pos, end, "com/@"))) {
        return 0;
    }
    return match_handle_and_id(text, pos, end, "/post/", is_code_char, found);
}

/* Whether text[start:end] is a _MASTODON host, [a-z0-9.-]+\.[a-z]{2,}: what follows its last
 * "." is two letters or more, and something comes before that "." */
static int
is_mastodon_host(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t letters = end;
    while (letters > start && is_ascii_letter(at(text, letters - 1))) {
        letters--;
    }
    return end - letters >= 2 && letters - start >= 2 && at(text, letters - 1) == '.';
}

/* urls._MASTODON.match(text[span]) */
static int
match_mastodon(const Text *text, Span span, Found *found)
{
    Py_ssize_t pos = span.start, end = span.end;
    if (!skip_http_scheme(text, &pos, end)) {
        return 0;
    }
    Py_ssize_t host_end = run_end(text, pos, end, is_host_char);
    if (host_end == end || at(text, host_end) != '/' || !is_mastodon_host(text, pos, host_end)) {
        return 0;
    }
    found->host = (Span){pos, host_end};
    pos = host_end + 1;
    Py_ssize_t name_end;
    if (pos < end && at(text, pos) == '@') {
        name_end = run_end(text, pos + 1, end, is_handle_char);
        if (name_end == pos + 1) {
            return 0;
        }
        found->handle = (Span){pos + 1, name_end};
        if (name_end < end && at(text, name_end) == '@') {
            Py_ssize_t instance_end = run_end(text, name_end + 1, end, is_host_char);
            if (instance_end == name_end + 1) {
                return 0;
            }
            name_end = instance_end;
        }
    }
    else {
        if (!skip_ascii(text, &pos, end, "users/")) {
            return 0;
        }
        Py_ssize_t user_end = run_end(text, pos, end, is_handle_char);
        found->handle = (Span){pos, user_end};
        name_end = user_end;
        if (user_end == pos || !skip_ascii(text, &name_end, end, "/statuses")) {
            return 0;
        }
    }
    if (name_end == end || at(text, name_end) != '/') {
        return 0;
    }
    Py_ssize_t id_end = status_id_end(text, name_end + 1, end);
    found->id = (Span){name_end + 1, id_end};
    return id_end != -1;
}

/* Whether text[span] is one of NO_HANDLES, in any case */
static int
is_no_handle(const Text *text, Span span)
{
    for (const char *const *name = NO_HANDLES; *name; name++) {
        Py_ssize_t pos = span.start;
        if ((Py_ssize_t)strlen(*name) == span.end - span.start &&
            skip_ascii(text, &pos, span.end, *name)) {
            return 1;
        }
    }
    return 0;
}

/* Takes the new references post_id and handle (either NULL after an error) into *fields, with
 * platform: 0, or -1 with an exception set and *fields all NULL. */
static int
keep_fields(PostFields *fields, PyObject *platform, PyObject *post_id, PyObject *handle)
{
    if (post_id == NULL || handle == NULL) {
        Py_XDECREF(post_id);
        Py_XDECREF(handle);
        *fields = (PostFields){NULL, NULL, NULL};
        return -1;
    }
    *fields = (PostFields){Py_NewRef(platform), post_id, handle};
    return 0;
}

/* The fields of PostRef(platform, url[id], url[handle] or None) into *fields: 0, or -1 with an
 * exception set. */
static int
fields_of_spans(PyObject *url, int platform, Span id, Span handle, int has_handle,
                PostFields *fields)
{
    PyObject *post_id = PyUnicode_Substring(url, id.start, id.end);
    PyObject *name = post_id == NULL   ? NULL
                     : has_handle ? PyUnicode_Substring(url, handle.start, handle.end)
                                  : Py_NewRef(Py_None);
    return keep_fields(fields, platforms[platform], post_id, name);
}

/* Whether s starts with the ASCII literal */
static int
str_starts_with(PyObject *s, const char *literal)
{
    Text text = {PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)};
    return starts_with(&text, 0, text.length, literal);
}

/* parse_post_url's Bluesky post into *fields: the actor unquoted when it holds "%", the post id
 * "actor/rkey", the handle the actor unless it is a DID. 0, or -1 with an exception set. */
static int
bluesky_fields(PyObject *url, const Text *text, const Found *found, PostFields *fields)
{
    PyObject *actor = PyUnicode_Substring(url, found->handle.start, found->handle.end);
    if (actor != NULL &&
        find_code_point(text, '%', found->handle.start, found->handle.end) != -1) {
        Py_SETREF(actor, PyObject_CallOneArg(unquote, actor));
        if (actor != NULL && !PyUnicode_Check(actor)) {
            PyErr_SetString(PyExc_TypeError, "urllib.parse.unquote must give a str");
            Py_CLEAR(actor);
        }
    }
    if (actor == NULL) {
        *fields = (PostFields){NULL, NULL, NULL};
        return -1;
    }
    PyObject *rkey = PyUnicode_Substring(url, found->id.start, found->id.end);
    PyObject *post_id = rkey == NULL ? NULL : PyUnicode_FromFormat("%U/%U", actor, rkey);
    PyObject *handle = Py_NewRef(str_starts_with(actor, "did:") ? Py_None : actor);
    Py_XDECREF(rkey);
    Py_DECREF(actor);
    return keep_fields(fields, platforms[BLUESKY], post_id, handle);
}

/* text[span] in lower case (ASCII only): a new str, or NULL with an exception set */
static PyObject *
ascii_lower(const Text *text, Span span)
{
    Py_ssize_t length = span.end - span.start;
    PyObject *lower = PyUnicode_New(length, 127);
    if (lower == NULL) {
        return NULL;
    }
    Py_UCS1 *data = PyUnicode_1BYTE_DATA(lower);
    for (Py_ssize_t i = 0; i < length; i++) {
        data[i] = (Py_UCS1)Py_TOLOWER((int)at(text, span.start + i));
    }
    return lower;
}

/* parse_post_url's Mastodon post into *fields, or none (platform NULL) when its host is X's:
 * the host in lower case, the post id "host/id". 0, or -1 with an exception set. */
static int
mastodon_fields(PyObject *url, const Text *text, const Found *found, PostFields *fields)
{
    *fields = (PostFields){NULL, NULL, NULL};
    PyObject *host = ascii_lower(text, found->host);
    if (host == NULL) {
        return -1;
    }
    Text lower = {PyUnicode_1BYTE_KIND, PyUnicode_DATA(host), PyUnicode_GET_LENGTH(host)};
    Py_ssize_t bare = 0; /* host.removeprefix("www.").removeprefix("mobile.").removeprefix("m.") */
    skip_ascii(&lower, &bare, lower.length, "www.");
    skip_ascii(&lower, &bare, lower.length, "mobile.");
    skip_ascii(&lower, &bare, lower.length, "m.");
    PyObject *bare_host = PyUnicode_Substring(host, bare, lower.length);
    int is_twitter = bare_host == NULL ? -1 : PySequence_Contains(twitter_hosts, bare_host);
    Py_XDECREF(bare_host);
    int read = is_twitter == -1 ? -1 : 0;
    if (is_twitter == 0) {
        PyObject *id = PyUnicode_Substring(url, found->id.start, found->id.end);
        PyObject *post_id = id == NULL ? NULL : PyUnicode_FromFormat("%U/%U", host, id);
        PyObject *handle =
            post_id == NULL ? NULL
                            : PyUnicode_Substring(url, found->handle.start, found->handle.end);
        read = keep_fields(fields, platforms[MASTODON], post_id, handle);
        Py_XDECREF(id);
    }
    Py_DECREF(host);
    return read;
}

/* The fields of urls.reference_parse_post_url(url) into *fields, url a str (the capsule's
 * ParsePostFields, scan/_post_fields.h) */
static int
parse_post_fields(PyObject *url, PostFields *fields)
{
    *fields = (PostFields){NULL, NULL, NULL};
    if (fetch_helpers() == -1) {
        return -1;
    }
    Text text = {PyUnicode_KIND(url), PyUnicode_DATA(url), PyUnicode_GET_LENGTH(url)};
    Span span = stripped(&text);
    Found found;
    if (match_twitter(&text, span, &found)) {
        int has_handle = found.handle.end > found.handle.start && !is_no_handle(&text, found.handle);
        return fields_of_spans(url, TWITTER, found.id, found.handle, has_handle, fields);
    }
    if (match_bluesky(&text, span, &found)) {
        return bluesky_fields(url, &text, &found, fields);
    }
    if (match_instagram(&text, span, &found)) {
        return fields_of_spans(url, INSTAGRAM, found.id, found.id, 0, fields);
    }
    if (match_tiktok(&text, span, &found)) {
        return fields_of_spans(url, TIKTOK, found.id, found.handle, 1, fields);
    }
    if (match_threads(&text, span, &found)) {
        return fields_of_spans(url, THREADS, found.id, found.handle, 1, fields);
    }
    if (match_mastodon(&text, span, &found)) {
        return mastodon_fields(url, &text, &found, fields);
    }
    return 0;
}

/* urls.reference_parse_post_url(url): a PostRef, or None */
static PyObject *
parse_post_url(PyObject *module, PyObject *url)
{
    if (!PyUnicode_Check(url)) {
        PyErr_SetString(PyExc_TypeError, "parse_post_url(url: str)");
        return NULL;
    }
    PostFields fields;
    if (parse_post_fields(url, &fields) == -1) {
        return NULL;
    }
    if (fields.platform == NULL) {
        Py_RETURN_NONE;
    }
    PyObject *post = new_post_ref(fields.platform, fields.post_id, fields.handle);
    Py_DECREF(fields.platform);
    Py_DECREF(fields.post_id);
    Py_DECREF(fields.handle);
    return post;
}

/* The code of a picture link (picture set) or t.co link: a new str, or None */
static PyObject *
code_of(PyObject *link, int picture)
{
    if (!PyUnicode_Check(link)) {
        PyErr_SetString(PyExc_TypeError, "the link must be a str");
        return NULL;
    }
    Text text = {PyUnicode_KIND(link), PyUnicode_DATA(link), PyUnicode_GET_LENGTH(link)};
    Span link_span = stripped(&text);
    Py_ssize_t code = link_code_start(&text, link_span.start, link_span.end, picture);
    if (code < 0) {
        Py_RETURN_NONE;
    }
    return PyUnicode_Substring(link, code, link_span.end);
}

/* urls.reference_pic_link_code(link) */
static PyObject *
pic_link_code(PyObject *module, PyObject *link)
{
    return code_of(link, 1);
}

/* urls.reference_shortlink_code(link) */
static PyObject *
shortlink_code(PyObject *module, PyObject *link)
{
    return code_of(link, 0);
}

/* urls.reference_normalise_pic_link(link) */
static PyObject *
normalise_pic_link(PyObject *module, PyObject *link)
{
    if (pic_link_prefix == NULL &&
        (pic_link_prefix = PyUnicode_InternFromString("pic.twitter.com/")) == NULL) {
        return NULL;
    }
    PyObject *code = code_of(link, 1);
    if (code == NULL || code == Py_None) {
        return code;
    }
    Py_SETREF(code, PyUnicode_Concat(pic_link_prefix, code));
    return code;
}

/* links._TRACKING_KEYS */
static const char *const TRACKING_KEYS[] = {
    "ref_src", "ref_url", "s", "t", "igsh", "igshid", "refer", "embed_source", NULL};

/* links._is_tracking(text[key].lower()): the key is one of TRACKING_KEYS or starts with "utm_",
 * in any ASCII case (see the head of this file for the characters outside ASCII) */
static int
is_tracking(const Text *text, Span key)
{
    Py_ssize_t pos = key.start;
    if (skip_ascii(text, &pos, key.end, "utm_")) {
        return 1;
    }
    for (const char *const *name = TRACKING_KEYS; *name; name++) {
        pos = key.start;
        if ((Py_ssize_t)strlen(*name) == key.end - key.start &&
            skip_ascii(text, &pos, key.end, *name)) {
            return 1;
        }
    }
    return 0;
}

/* links.reference_clean_status_url(url): the stripped URL without its query's empty pairs and
 * tracking keys, and without its "?" when no pair is left */
static PyObject *
clean_status_url(PyObject *module, PyObject *url)
{
    if (!PyUnicode_Check(url)) {
        PyErr_SetString(PyExc_TypeError, "clean_status_url(url: str)");
        return NULL;
    }
    Text text = {PyUnicode_KIND(url), PyUnicode_DATA(url), PyUnicode_GET_LENGTH(url)};
    Span span = stripped(&text);
    Py_ssize_t hash_mark = find_code_point(&text, '#', span.start, span.end);
    Py_ssize_t query_end = hash_mark == -1 ? span.end : hash_mark; /* the fragment is not query */
    Py_ssize_t question = find_code_point(&text, '?', span.start, query_end);
    PyObject *kept = question == -1 ? NULL : PyList_New(0); /* the kept pairs */
    Py_ssize_t dropped = 0;
    for (Py_ssize_t pair = question + 1; kept != NULL && pair <= query_end;) {
        Py_ssize_t pair_end = find_code_point(&text, '&', pair, query_end);
        pair_end = pair_end == -1 ? query_end : pair_end;
        Py_ssize_t key_end = find_code_point(&text, '=', pair, pair_end);
        if (pair == pair_end || is_tracking(&text, (Span){pair, key_end == -1 ? pair_end : key_end})) {
            dropped++;
        }
        else {
            PyObject *kept_pair = PyUnicode_Substring(url, pair, pair_end);
            if (kept_pair == NULL || PyList_Append(kept, kept_pair) == -1) {
                Py_CLEAR(kept);
            }
            Py_XDECREF(kept_pair);
        }
        pair = pair_end + 1;
    }
    if (question == -1 || (kept != NULL && dropped == 0)) {
        Py_XDECREF(kept);
        return PyUnicode_Substring(url, span.start, span.end);
    }
    if (kept == NULL) {
        return NULL;
    }
    PyObject *pieces[4] = {NULL, NULL, NULL, NULL}; /* base, "?", the pairs, "#" and fragment */
    PyObject *cleaned = NULL;
    pieces[0] = PyUnicode_Substring(url, span.start, question);
    pieces[1] = PyUnicode_FromString(PyList_GET_SIZE(kept) ? "?" : "");
    PyObject *ampersand = PyUnicode_FromString("&");
    pieces[2] = ampersand == NULL ? NULL : PyUnicode_Join(ampersand, kept);
    pieces[3] = PyUnicode_Substring(url, query_end, span.end);
    Py_XDECREF(ampersand);
    PyObject *empty = PyUnicode_New(0, 0);
    if (pieces[0] && pieces[1] && pieces[2] && pieces[3] && empty) {
        PyObject *all = PyTuple_Pack(4, pieces[0], pieces[1], pieces[2], pieces[3]);
        cleaned = all == NULL ? NULL : PyUnicode_Join(empty, all);
        Py_XDECREF(all);
    }
    for (int i = 0; i < 4; i++) {
        Py_XDECREF(pieces[i]);
    }
    Py_XDECREF(empty);
    Py_DECREF(kept);
    return cleaned;
}

/* The characters links.reference_is_post_link reads as a hashtag, a mention or a cashtag at
 * the start of an anchor's text */
static const Py_UCS4 TAG_MARKS[] = {'#', '@', '$', 0xFF03, 0};

/* links.reference_is_post_link(href, text) */
static PyObject *
is_post_link(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "is_post_link(href: str, text: str)");
        return NULL;
    }
    Text href = {PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0])};
    Text text = {PyUnicode_KIND(args[1]), PyUnicode_DATA(args[1]), PyUnicode_GET_LENGTH(args[1])};
    Span text_span = stripped(&text), href_span = stripped(&href);
    if (href.length == 0 ||
        (text_span.start < text_span.end && is_one_of(at(&text, text_span.start), TAG_MARKS)) ||
        link_code_start(&text, text_span.start, text_span.end, 1) >= 0 ||
        link_code_start(&href, href_span.start, href_span.end, 1) >= 0) {
        Py_RETURN_FALSE;
    }
    Py_ssize_t pos = 0;
    if (skip_http_scheme(&href, &pos, href.length)) {
        Py_RETURN_TRUE;
    }
    return PyBool_FromLong(link_code_start(&href, href_span.start, href_span.end, 0) >= 0);
}

static PyMethodDef methods[] = {
    {"parse_post_url", parse_post_url, METH_O,
     "parse_post_url(url) -> PostRef or None: the post a URL points at "
     "(archiver.urls.reference_parse_post_url, compiled)."},
    {"pic_link_code", pic_link_code, METH_O,
     "pic_link_code(link) -> str or None: the code of a pic.twitter.com / pic.x.com link "
     "(archiver.urls.reference_pic_link_code, compiled)."},
    {"normalise_pic_link", normalise_pic_link, METH_O,
     "normalise_pic_link(link) -> str or None: the link as pic.twitter.com/CODE "
     "(archiver.urls.reference_normalise_pic_link, compiled)."},
    {"shortlink_code", shortlink_code, METH_O,
     "shortlink_code(link) -> str or None: the code of a t.co link "
     "(archiver.urls.reference_shortlink_code, compiled)."},
    {"clean_status_url", clean_status_url, METH_O,
     "clean_status_url(url) -> str: a post URL without click-tracking query keys "
     "(archiver.scan.links.reference_clean_status_url, compiled)."},
    {"is_post_link", (PyCFunction)(void (*)(void))is_post_link, METH_FASTCALL,
     "is_post_link(href, text) -> bool: whether an <a> in a post is a link it carries "
     "(archiver.scan.links.reference_is_post_link, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver._urls",
    "Which post a URL names, compiled (archiver/urls.py, archiver/scan/links.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__urls(void)
{
    PyObject *urls = PyModule_Create(&module);
    PyObject *capsule = urls == NULL ? NULL
                                     : PyCapsule_New((void *)(ParsePostFields)parse_post_fields,
                                                     POST_FIELDS_CAPSULE, NULL);
    if (capsule == NULL || PyModule_AddObject(urls, "parse_post_fields", capsule) == -1) {
        Py_XDECREF(capsule);
        Py_XDECREF(urls);
        return NULL;
    }
    return urls;
}
