/* The Markdown quote markers of plain.py, read where they lie: what _attributions.c and
 * _bare_urls.c share.
 *
 * plain._QUOTE_MARKER, ^[ \t]{0,3}>[ \t]? in MULTILINE mode, is read as a loop: re's ^ matches at
 * the text's start and after each "\n" only. plain.reference_quote_markers_blanked, the rule,
 * turns each marker into spaces in a copy of the text (its view); the twins read the text itself
 * instead, a marker's ">" a space (is_space_in_view), and never make the copy.
 */
#ifndef ARCHIVER_SCAN_QUOTE_MARKERS_H
#define ARCHIVER_SCAN_QUOTE_MARKERS_H

#include "_code_points.h"

#define MAX_QUOTE_INDENT 3 /* [ \t]{0,3} */

static inline int
is_indent(Py_UCS4 c)
{
    return c == ' ' || c == '\t';
}

/* Whether the ">" at text[gt] opens a quote marker: up to three spaces or tabs before it, back to
 * the line's start (the text's start, or a "\n"). */
static inline int
is_marker(const Text *text, Py_ssize_t gt)
{
    Py_ssize_t line = gt;
    while (line > 0 && gt - line < MAX_QUOTE_INDENT && is_indent(at(text, line - 1))) {
        line--;
    }
    return line == 0 || at(text, line - 1) == '\n';
}

/* Whether text[i] is a space in reference_quote_markers_blanked(text): a space as str.strip,
 * str.split and re's \s read one (Py_UNICODE_ISSPACE), or a quote marker's ">". The spaces and
 * tabs the view also turns into spaces are spaces to Py_UNICODE_ISSPACE already, and no reader
 * copies one (they open a line, before its first word), so this is all that differs between the
 * view and the text for a reader that asks it. */
static inline int
is_space_in_view(const Text *text, Py_ssize_t i)
{
    Py_UCS4 c = at(text, i);
    return Py_UNICODE_ISSPACE(c) || (c == '>' && is_marker(text, i));
}

#endif
