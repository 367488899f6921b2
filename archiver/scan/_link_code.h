/* The code of a picture link or a t.co link, read on a str's code points: shared by
 * archiver/_urls.c (urls.py's pic_link_code, normalise_pic_link and shortlink_code) and
 * _links.c (a post's other links leave its picture links out). The patterns, urls._PIC_LINK and
 * urls._SHORTLINK, with IGNORECASE and ASCII:
 *   ^(?:https?://)?(?:www\.)?pic\.(?:twitter|x)\.com/(?P<code>[A-Za-z0-9]{1,32})$
 *   ^(?:https?://)?t\.co/(?P<code>[A-Za-z0-9]{1,32})$
 * Each optional part, when it is there, is the only way the rest can match. */
#ifndef ARCHIVER_SCAN_LINK_CODE_H
#define ARCHIVER_SCAN_LINK_CODE_H

#include "_code_points.h"

#define MAX_LINK_CODE 32 /* the code's {1,32} */

/* Whether c is the pattern character wanted (an ASCII letter in lower case, or any other ASCII
 * character) under IGNORECASE and ASCII */
static inline int
ascii_folds_to(Py_UCS4 c, char wanted)
{
    return c < 128 && Py_TOLOWER((int)c) == wanted;
}

/* Whether the literal (in lower case) starts at text[*pos], ending by end, each character
 * compared by folds_to; *pos moved past it if so. */
static inline int
skip_literal(const Text *text, Py_ssize_t *pos, Py_ssize_t end, const char *literal,
             int (*folds_to)(Py_UCS4, char))
{
    Py_ssize_t i = 0;
    for (; literal[i]; i++) {
        if (*pos + i >= end || !folds_to(at(text, *pos + i), literal[i])) {
            return 0;
        }
    }
    *pos += i;
    return 1;
}

/* The same under IGNORECASE and ASCII */
static inline int
skip_ascii(const Text *text, Py_ssize_t *pos, Py_ssize_t end, const char *literal)
{
    return skip_literal(text, pos, end, literal, ascii_folds_to);
}

/* "https?://" at text[*pos] (re.ASCII), *pos moved past it if so */
static inline int
skip_http_scheme(const Text *text, Py_ssize_t *pos, Py_ssize_t end)
{
    return skip_ascii(text, pos, end, "https://") || skip_ascii(text, pos, end, "http://");
}

/* Where the code of the link text[start:end] starts (picture set: _PIC_LINK, else _SHORTLINK), or
 * -1 when the whole of it is not such a link. */
static inline Py_ssize_t
link_code_start(const Text *text, Py_ssize_t start, Py_ssize_t end, int picture)
{
    Py_ssize_t pos = start;
    skip_http_scheme(text, &pos, end);
    if (picture) {
        skip_ascii(text, &pos, end, "www.");
        if (!skip_ascii(text, &pos, end, "pic.") ||
            !(skip_ascii(text, &pos, end, "twitter.com/") || skip_ascii(text, &pos, end, "x.com/"))) {
            return -1;
        }
    }
    else if (!skip_ascii(text, &pos, end, "t.co/")) {
        return -1;
    }
    if (pos == end || end - pos > MAX_LINK_CODE) {
        return -1;
    }
    for (Py_ssize_t code = pos; code < end; code++) {
        if (!is_ascii_alnum(at(text, code))) {
            return -1;
        }
    }
    return pos;
}

#endif
