/* The walk back from a flattened attribution's dash to where its post starts, compiled.
 *
 * post_text.py's reference_post_start is the rule and its documentation; this is the same rule,
 * line for line, on the string's code points instead of through re and str calls (issue 17:
 * the walk back was half of the scanner's time at a post per kB, docs/benchmarks.md).
 * tests/test_scan_walk_back.py holds the two to the same answers, and benchmarks/scan_compare.py
 * to the same records. Character classes are CPython's own, so they match re's and str's:
 * re's \s is Py_UNICODE_ISSPACE, \d Py_UNICODE_ISDECIMAL, \w Py_UNICODE_ISALNUM or "_".
 * The paragraph break it compares lines with is gaps.py's reference_typical_gap and
 * reference_typical_gap_at_most, compiled here too (at a post per kB, their calls back into
 * Python were 15% of the text scanner's time): their patterns read as re reads them, lookbehinds
 * from the string's start and lookaheads up to the window's end.
 * tests/test_scan_gaps_compiled.py holds them to the same answers.
 */
#include "_code_points.h"

#define MAX_POST_WEIGHT 280
#define MAX_LINE 4000
#define MAX_BLANK 400
#define LEAD_IN_MAX 100
#define LINK_WEIGHT 23
#define MAX_LINK_TAIL 2000
#define FIRST_WIDE 0x1100
#define GAP_CONTEXT 2000
#define MAX_HOLDING 4 /* gaps._HOLDING_MORE's patterns: more than 1 to 4 newlines */

typedef struct {
    Py_ssize_t start, first, end, newlines;
} Line;

static PyObject *category_function; /* unicodedata.category */

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

/* Whether a hashtag starts with the "#" at text[mark], mark + 1 < end. */
static int
hashtag_after(const Text *text, Py_ssize_t mark, Py_ssize_t end)
{
    Py_UCS4 next = at(text, mark + 1);
    if (is_letter(next)) {
        return 1;
    }
    if (Py_UNICODE_ISDECIMAL(next)) {
        Py_ssize_t j = mark + 1;
        while (j < end && Py_UNICODE_ISDECIMAL(at(text, j))) {
            j++;
        }
        if (j < end && is_word(at(text, j))) {
            return 1;
        }
    }
    return 0;
}

/* post_text._HASHTAG searched in text[first:end]: whether a "#" or "＃" starts a hashtag. */
static int
has_hashtag(const Text *text, Py_ssize_t first, Py_ssize_t end)
{
    static const Py_UCS4 MARKS[] = {'#', 0xFF03, 0};
    for (const Py_UCS4 *mark = MARKS; *mark; mark++) {
        for (Py_ssize_t i = first; (i = find_code_point(text, *mark, i, end - 1)) != -1; i++) {
            if (hashtag_after(text, i, end)) {
                return 1;
            }
        }
    }
    return 0;
}

/* Whether unicodedata.category(c) is "So" (an other symbol) for a c past ASCII: 1 or 0 where the
 * answer is plain, -1 where unicodedata is asked. Letters (str.isalpha: the categories L*), the
 * dashes and quotes of U+2010-2027, « » 「 」 『 』, and the emoji of U+1F300-1F64F (less the
 * skin tones U+1F3FB-1F3FF, Sk) and U+1F900-1F9FF are plain; tests/test_scan_walk_back.py holds
 * every code point to unicodedata's answer. */
static int
plain_symbol(Py_UCS4 c)
{
    static const Py_UCS4 QUOTES[] = {0xAB, 0xBB, 0x300C, 0x300D, 0x300E, 0x300F, 0};
    if (Py_UNICODE_ISALPHA(c) || (c >= 0x2010 && c <= 0x2027) || is_one_of(c, QUOTES)) {
        return 0;
    }
    if ((c >= 0x1F300 && c <= 0x1F64F && !(c >= 0x1F3FB && c <= 0x1F3FF)) ||
        (c >= 0x1F900 && c <= 0x1F9FF)) {
        return 1;
    }
    return -1;
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
        int symbol = plain_symbol(c);
        if (symbol == -1) {
            PyObject *category = PyObject_CallFunction(category_function, "C", (int)c);
            if (category == NULL) {
                return -1;
            }
            symbol = PyUnicode_CompareWithASCIIString(category, "So") == 0;
            Py_DECREF(category);
        }
        if (symbol) {
            return 1;
        }
    }
    for (Py_ssize_t slash = first + 4; (slash = find_code_point(text, '/', slash, end)) != -1;
         slash++) {
        if (starts_with(text, slash - 4, end, "t.co/")) {
            return 1;
        }
    }
    return has_hashtag(text, first, end);
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

/* Where the link that starts at text[i] ends, reading no further than end, or -1 for none: one of
 * post_text._URL_WEIGHT's prefixes and 1 to MAX_LINK_TAIL characters that are not spaces. */
static Py_ssize_t
link_end(const Text *text, Py_ssize_t i, Py_ssize_t end)
{
    static const char *const prefixes[] = {
        "https://", "http://", "t.co/", "pic.twitter.com/", "pic.x.com/", NULL};
    for (const char *const *prefix = prefixes; *prefix; prefix++) {
        if (!starts_with(text, i, end, *prefix)) {
            continue;
        }
        Py_ssize_t tail_start = i + (Py_ssize_t)strlen(*prefix), tail_end = tail_start;
        while (tail_end < end && tail_end - tail_start < MAX_LINK_TAIL &&
               !Py_UNICODE_ISSPACE(at(text, tail_end))) {
            tail_end++;
        }
        return tail_end > tail_start ? tail_end : -1;
    }
    return -1;
}

/* What text[first:end] weighs as Twitter counts it (post_text.too_long_for_a_post: a link as 23,
 * a wide character as 2), read from first on and no further once it weighs more than enough. */
static Py_ssize_t
weigh(const Text *text, Py_ssize_t first, Py_ssize_t end, Py_ssize_t enough)
{
    Py_ssize_t weight = 0;
    for (Py_ssize_t i = first; i < end && weight <= enough;) {
        Py_UCS4 c = at(text, i), next = i + 1 < end ? at(text, i + 1) : 0;
        /* the first two characters of a link: "ht", "t.", "pi" */
        int link_like = (c == 'h' && next == 't') || (c == 't' && next == '.') ||
                        (c == 'p' && next == 'i');
        Py_ssize_t link = link_like ? link_end(text, i, end) : -1;
        if (link == -1) {
            weight += 1 + (c >= FIRST_WIDE);
            i++;
            continue;
        }
        for (weight += LINK_WEIGHT; i < link; i++) {
            weight += at(text, i) >= FIRST_WIDE;
        }
    }
    return weight;
}

/* A post weighed as the walk back grows it a line at a time: the text from each line's first
 * character to the dash is weighed once. A link ends at a space and a line before the others
 * ends with one, so a line's weight adds to that of the lines after it. */
typedef struct {
    Py_ssize_t end;    /* the post's end: the dash, the spaces before it left out */
    Py_ssize_t from;   /* where the part weighed starts */
    Py_ssize_t weight; /* of text[from:end], or more than MAX_POST_WEIGHT once it is known to be */
} Post;

static Post
post_before(const Text *text, Py_ssize_t dash, Py_ssize_t floor)
{
    while (dash > floor && Py_UNICODE_ISSPACE(at(text, dash - 1))) {
        dash--;
    }
    return (Post){dash, dash, 0};
}

/* post_text.too_long_for_a_post on text[first:post->end]. */
static int
too_long_for_a_post(const Text *text, Post *post, Py_ssize_t first)
{
    while (first < post->end && Py_UNICODE_ISSPACE(at(text, first))) {
        first++;
    }
    if (first > post->from ||
        (first < post->from && post->from < post->end &&
         !Py_UNICODE_ISSPACE(at(text, post->from - 1)))) {
        *post = (Post){post->end, post->end, 0}; /* not a line before those weighed */
    }
    if (first < post->from) {
        post->weight += weigh(text, first, post->from, MAX_POST_WEIGHT - post->weight);
        post->from = first;
    }
    return post->weight > MAX_POST_WEIGHT;
}

/* gaps.py's runs of blank lines: [\n \t\r\xa0\u202f], and the same without "\n". */
static inline int
is_blank_in_line(Py_UCS4 c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x202F;
}

static inline int
is_blank(Py_UCS4 c)
{
    return c == '\n' || is_blank_in_line(c);
}

/* gaps._window, its end within the text (re and str.find read no further). */
static void
gap_window(const Text *text, Py_ssize_t around, Py_ssize_t floor, Py_ssize_t *low, Py_ssize_t *high)
{
    *low = around - GAP_CONTEXT > floor ? around - GAP_CONTEXT : floor;
    *high = around + GAP_CONTEXT / 4 < text->length ? around + GAP_CONTEXT / 4 : text->length;
}

static Py_ssize_t
count_newlines(const Text *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t newlines = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        newlines += at(text, i) == '\n';
    }
    return newlines;
}

/* Where the blank characters from text[start] end, reading no further than high. */
static Py_ssize_t
blank_run_end(const Text *text, Py_ssize_t start, Py_ssize_t high)
{
    while (start < high && is_blank(at(text, start))) {
        start++;
    }
    return start;
}

/* gaps._PROSE_LINE before the newline at text[newline], the newline before it at text[previous]
 * (-1 for none): a line longer than a lead-in ends there (the lookbehind of _BESIDE_PROSE, which
 * reads from the string's start, not the window's). */
static int
prose_line_before(Py_ssize_t newline, Py_ssize_t previous)
{
    return newline > LEAD_IN_MAX && previous < newline - LEAD_IN_MAX - 1;
}

/* gaps._PROSE_LINE at text[pos], the text read as ending at end. */
static int
prose_line_after(const Text *text, Py_ssize_t pos, Py_ssize_t end)
{
    return end - pos > LEAD_IN_MAX && find_code_point(text, '\n', pos, pos + LEAD_IN_MAX + 1) == -1;
}

/* Where the second branch of _BESIDE_PROSE ends when the run of blank characters after its
 * newline is text[start:end], the window ending at high: re backtracks from end to the last
 * position before gaps._PROSE_LINE; -1 for none. */
static Py_ssize_t
end_before_prose(const Text *text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t high)
{
    /* the first "\n" from end on, high, or far enough */
    Py_ssize_t reach = end + LEAD_IN_MAX + 1 < high ? end + LEAD_IN_MAX + 1 : high;
    Py_ssize_t newline = find_code_point(text, '\n', end, reach);
    newline = newline == -1 ? reach : newline;
    for (Py_ssize_t pos = end; pos >= start; pos--) {
        if (pos < end && at(text, pos) == '\n') {
            newline = pos;
        }
        if (newline - pos > LEAD_IN_MAX) {
            return pos;
        }
    }
    return -1;
}

/* How many runs of each number of newlines a window holds, up to the widest seen. */
typedef struct {
    Py_ssize_t runs[GAP_CONTEXT + GAP_CONTEXT / 4 + 1];
    Py_ssize_t widest;
} GapCounts;

static void
count_gap(GapCounts *counts, Py_ssize_t gap)
{
    for (; counts->widest < gap; counts->widest++) {
        counts->runs[counts->widest + 1] = 0;
    }
    counts->runs[gap]++;
}

/* The widest of the most common gaps, 1 without any. */
static Py_ssize_t
most_common_gap(const GapCounts *counts)
{
    Py_ssize_t gap = 1, most = 0;
    for (Py_ssize_t newlines = 1; newlines <= counts->widest; newlines++) {
        if (counts->runs[newlines] > 0 && counts->runs[newlines] >= most) {
            most = counts->runs[newlines];
            gap = newlines;
        }
    }
    return gap;
}

/* gaps.reference_typical_gap. */
static Py_ssize_t
typical_gap(const Text *text, Py_ssize_t around, Py_ssize_t floor)
{
    Py_ssize_t low, high;
    gap_window(text, around, floor, &low, &high);
    Py_ssize_t own_newline = rfind_newline(text, low, around);
    Py_ssize_t own_start = own_newline == -1 ? low : own_newline + 1;
    Py_ssize_t own_end = find_code_point(text, '\n', around, high);
    GapCounts counts;
    counts.widest = 0;
    /* _BESIDE_PROSE.finditer(text, low, high); a run's newlines share its end, and the second
     * branch's answer: it is read once a run (hopeless: the end of a run it found nothing in).
     * previous: the newline before start, as far back as _PROSE_LINE reads. */
    Py_ssize_t run_end = low, hopeless = -1;
    Py_ssize_t previous = rfind_newline(text, low > LEAD_IN_MAX ? low - LEAD_IN_MAX - 1 : 0, low);
    for (Py_ssize_t start = low; (start = find_code_point(text, '\n', start, high)) != -1;
         start++) {
        if (start >= run_end) {
            run_end = blank_run_end(text, start + 1, high);
        }
        int prose_before = prose_line_before(start, previous);
        Py_ssize_t end = -1;
        if (prose_before) {
            end = run_end;
        }
        else if (run_end != hopeless) {
            end = end_before_prose(text, start + 1, run_end, high);
            hopeless = end == -1 ? run_end : hopeless;
        }
        previous = start;
        if (end == -1) {
            continue;
        }
        if (end != text->length && !(end == own_start && !prose_before) &&
            !(start == own_end && !prose_line_after(text, end, text->length))) {
            count_gap(&counts, count_newlines(text, start, end));
        }
        previous = rfind_newline(text, start, end);
        start = end - 1;
    }
    if (counts.widest == 0) { /* _BLANK_RUN.finditer(text, low, high) */
        for (Py_ssize_t start = low; (start = find_code_point(text, '\n', start, high)) != -1;
             start++) {
            Py_ssize_t end = blank_run_end(text, start + 1, high);
            if (end != text->length) { /* the newline that ends a file separates no paragraphs */
                count_gap(&counts, count_newlines(text, start, end));
            }
            start = end - 1;
        }
    }
    return most_common_gap(&counts);
}

/* gaps.reference_typical_gap_at_most: no _HOLDING_MORE[newlines] in the window. */
static int
typical_gap_at_most(const Text *text, Py_ssize_t around, Py_ssize_t floor, long long newlines)
{
    if (newlines < 1 || newlines > MAX_HOLDING) {
        return 0; /* an unusual break */
    }
    Py_ssize_t low, high;
    gap_window(text, around, floor, &low, &high);
    for (Py_ssize_t start = low; (start = find_code_point(text, '\n', start, high)) != -1;
         start++) {
        Py_ssize_t pos = start + 1, held = 0;
        for (; held < newlines; held++, pos++) {
            while (pos < high && is_blank_in_line(at(text, pos))) {
                pos++;
            }
            if (pos == high || at(text, pos) != '\n') {
                break;
            }
        }
        if (held == newlines) {
            return 0;
        }
    }
    return 1;
}

/* post_text._introduced_post: where the quoted paragraphs start, -1 for None, -2 on error. */
static Py_ssize_t
introduced_post(const Text *text, Py_ssize_t line_start, Py_ssize_t first, Post *post,
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
        if (too_long_for_a_post(text, post, first)) {
            return -1;
        }
    }
    return -1;
}

/* post_text.reference_post_start; -1 with an exception set on error. */
static Py_ssize_t
walk_back(const Text *text, Py_ssize_t dash, Py_ssize_t floor)
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
    Post post = post_before(text, dash, floor);
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
        if (!is_short && too_long_for_a_post(text, &post, previous.first)) {
            break;
        }
        if (!post_like) {
            if (is_short && widest_joined < gap && typical_gap_at_most(text, dash, floor, gap)) {
                break;
            }
            paragraph_gap = paragraph_gap ? paragraph_gap : typical_gap(text, dash, floor);
            if (gap == paragraph_gap) {
                if (!is_short || (widest_joined >= paragraph_gap &&
                                  !too_long_for_a_post(text, &post, previous.first))) {
                    Py_ssize_t introduced = introduced_post(
                        text, previous.start, previous.first, &post, floor, paragraph_gap);
                    if (introduced == -2) {
                        return -1;
                    }
                    first = introduced == -1 ? first : introduced;
                }
                break;
            }
            if (is_short && (gap > paragraph_gap || too_long_for_a_post(text, &post, previous.first))) {
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
    if (category_function != NULL) {
        return 0;
    }
    PyObject *unicodedata = PyImport_ImportModule("unicodedata");
    if (unicodedata == NULL) {
        return -1;
    }
    category_function = PyObject_GetAttrString(unicodedata, "category");
    Py_DECREF(unicodedata);
    return category_function == NULL ? -1 : 0;
}

static PyObject *
post_start(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Text text;
    Py_ssize_t dash, floor;
    if (read_arguments(args, nargs, 3, "post_start(text: str, dash: int, floor: int)",
                       "post_start needs 0 <= floor <= dash <= len(text)", &text, &dash,
                       &floor) < 0 ||
        load_helpers() < 0) {
        return NULL;
    }
    Py_ssize_t start = walk_back(&text, dash, floor);
    return start < 0 ? NULL : PyLong_FromSsize_t(start);
}

static PyObject *
typical_gap_method(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Text text;
    Py_ssize_t around, floor;
    if (read_arguments(args, nargs, 3, "typical_gap(text: str, around: int, floor: int)",
                       "typical_gap needs 0 <= floor <= around <= len(text)", &text, &around,
                       &floor) < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(typical_gap(&text, around, floor));
}

static PyObject *
typical_gap_at_most_method(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Text text;
    Py_ssize_t around, floor;
    if (read_arguments(args, nargs, 4,
                       "typical_gap_at_most(text: str, around: int, floor: int, newlines: int)",
                       "typical_gap_at_most needs 0 <= floor <= around <= len(text)", &text,
                       &around, &floor) < 0) {
        return NULL;
    }
    int overflow; /* a number of newlines beyond a long long is as unusual as 5 */
    long long newlines = PyLong_AsLongLongAndOverflow(args[3], &overflow);
    if (newlines == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyBool_FromLong(!overflow && typical_gap_at_most(&text, around, floor, newlines));
}

static PyMethodDef methods[] = {
    {"post_start", (PyCFunction)(void (*)(void))post_start, METH_FASTCALL,
     "post_start(text, dash, floor) -> int: where the post whose attribution dash is at "
     "text[dash] starts (archiver.scan.post_text.reference_post_start, compiled)."},
    {"typical_gap", (PyCFunction)(void (*)(void))typical_gap_method, METH_FASTCALL,
     "typical_gap(text, around, floor) -> int: the most common run of newlines near around "
     "(archiver.scan.gaps.reference_typical_gap, compiled)."},
    {"typical_gap_at_most", (PyCFunction)(void (*)(void))typical_gap_at_most_method, METH_FASTCALL,
     "typical_gap_at_most(text, around, floor, newlines) -> bool: whether typical_gap is "
     "certainly at most newlines (archiver.scan.gaps.reference_typical_gap_at_most, compiled)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "archiver.scan._walk_back",
    "The walk back from an attribution's dash and the paragraph break it compares lines with, "
    "compiled (archiver/scan/post_text.py, archiver/scan/gaps.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__walk_back(void)
{
    return PyModule_Create(&module);
}
