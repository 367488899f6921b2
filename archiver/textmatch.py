"""How closely two copies of a post's text agree, once what copying changes is set aside.

Articles quote posts through widgets, copy-paste and editors: links are shown shortened or
dropped, quotes and dashes turn typographic, spaces and case change. ``normalise_text`` undoes
that; ``text_similarity`` compares what is left. Standard library only.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# Characters of the differing middles compared at most: difflib grows worse than quadratically
# on repetitive text (two unlike 1,000-character texts: 0.7 s on the build machine; 500: 0.08 s).
MAX_COMPARED = 500

# Links as written (http, pic.twitter.com, t.co) and as widgets display them without a scheme,
# cut with an ellipsis ("github.com/reactwg/react-…"): a copy keeps one form or the other.
_LINK = re.compile(
    r"(?:https?://|\bpic\.(?:twitter|x)\.com/|\bt\.co/|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/)\S*",
    re.IGNORECASE,
)
_PLAIN = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛‹›′", "'"),
        **dict.fromkeys("“”„‟«»″", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def normalise_text(text: str) -> str:
    """Text reduced to what survives copying: NFKC, no links, plain quotes and dashes, casefolded,
    whitespace runs made one space.

    >>> normalise_text("“We are  here.” — pic.twitter.com/bgHyrsbVFs")
    '"we are here." -'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _LINK.sub(" ", text).translate(_PLAIN).casefold()
    return " ".join(text.split())


def text_similarity(a: str, b: str) -> float:
    """How alike two normalised texts are, from 0 to 1: twice the matched characters over all.

    The common start and end match as they are; difflib matches what differs between them
    (no junk heuristics), its first MAX_COMPARED characters, so a one-word edit of a long post
    costs little and a hostile text cannot cost much.

    >>> text_similarity("i need ammunition", "i need ammunition")
    1.0
    """
    if a == b:
        return 1.0
    start = _common_start(a, b)
    a_rest, b_rest = a[start:], b[start:]
    end = _common_start(a_rest[::-1], b_rest[::-1])
    a_middle = a_rest[: len(a_rest) - end][:MAX_COMPARED]
    b_middle = b_rest[: len(b_rest) - end][:MAX_COMPARED]
    matcher = difflib.SequenceMatcher(None, a_middle, b_middle, autojunk=False)
    matched = start + end + sum(block.size for block in matcher.get_matching_blocks())
    return 2 * matched / (len(a) + len(b))


def _common_start(a: str, b: str) -> int:
    """The length of the longest common prefix, by bisection over slice comparisons."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


# An article may quote only part of a post (a sentence of it, or pieces joined by an ellipsis).
# Such a quote identifies the post when it is found inside the post's normalised text, in order,
# and is long enough not to be a stock phrase: 40 characters is seven or eight words, past the
# phrases an account repeats ("thank you all for your support" is 30), and the search that uses
# it (find_by_text) has already narrowed the candidates to one account and three days.
MIN_QUOTED = 40
_ELLIPSIS = re.compile(r"\[?(?:…|\.\.\.)\]?")
_QUOTE_EDGES = " \"'-.,;:"


def quoted_within(quoted: str, post: str) -> bool:
    """Whether normalised ``quoted`` is part of normalised ``post``: its pieces between
    ellipses found in ``post`` in order, MIN_QUOTED characters or more in all.

    >>> quoted_within("will stay closed", "schools will stay closed until march 14.")
    False
    >>> quoted_within("schools in the region will stay closed […] until march 14",
    ...               "all schools in the region will stay closed from monday until march 14.")
    True
    """
    pieces = [piece.strip(_QUOTE_EDGES) for piece in _ELLIPSIS.split(quoted)]
    pieces = [piece for piece in pieces if piece]
    if sum(len(piece) for piece in pieces) < MIN_QUOTED:
        return False
    position = 0
    for piece in pieces:
        found = post.find(piece, position)
        if found == -1:
            return False
        position = found + len(piece)
    return True


def similarity(quoted: str, archived: str) -> float:
    """``text_similarity`` of two raw texts, each normalised first."""
    return text_similarity(normalise_text(quoted), normalise_text(archived))


def word_difference(quoted: str, archived: str, *, context: int = 3) -> str:
    """Where the quote and the archived text differ, word by word, as people read a diff:
    ``[-post's words-] {+quote's words+}``, with ``context`` words around each change. Links
    are left out, as ``similarity`` leaves them out.

    >>> word_difference("I am in awe of this woman.", "I am in awe of this man.")
    '… awe of this [-man.-] {+woman.+}'
    """
    post, quote = _words(archived), _words(quoted)
    matcher = difflib.SequenceMatcher(None, post, quote, autojunk=False)
    groups = list(matcher.get_grouped_opcodes(context))
    if not groups or matcher.ratio() == 1.0:
        return ""
    parts = []
    for group in groups:
        words = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                words.extend(post[i1:i2])
                continue
            if i2 > i1:
                words.append(f"[-{' '.join(post[i1:i2])}-]")
            if j2 > j1:
                words.append(f"{{+{' '.join(quote[j1:j2])}+}}")
        parts.append(" ".join(words))
    lead = "… " if groups[0][0][1] > 0 else ""
    tail = " …" if groups[-1][-1][2] < len(post) else ""
    return lead + " … ".join(parts) + tail


def _words(text: str) -> list[str]:
    return [word for word in text.split() if not _LINK.match(word)][:MAX_COMPARED]
