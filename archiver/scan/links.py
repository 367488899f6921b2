"""Links inside a post: picture links apart, the other links in order; status URLs cleaned."""

from __future__ import annotations

from archiver.lazy_pattern import LazyPattern
from archiver.urls import reference_normalise_pic_link, reference_shortlink_code

_PIC = LazyPattern(r"pic\.(?:twitter|x)\.com/(?P<code>[A-Za-z0-9]{1,32})")
_LINK = LazyPattern(r"""(?:https?://|\bt\.co/)[^\s<>"'\u00ab\u00bb\u201c\u201d]{1,2000}""")
_TRAILING_PUNCTUATION = ".,;:!?…'\")]}»”’"
_MAX_LINK = 2000

# Query keys that only say where a click came from; dropped from status URLs.
# ref_src: Twitter's embed snippet; s, t: X's share menu; utm_*, igsh(id): Instagram; refer: TikTok.
_TRACKING_KEYS = frozenset(
    {"ref_src", "ref_url", "s", "t", "igsh", "igshid", "refer", "embed_source"}
)


def reference_pic_links(text: str) -> tuple[str, ...]:
    """``pic.twitter.com/CODE`` for each picture link in ``text``, in order, without duplicates.

    The rule in Python: ``pic_links`` is the same compiled (_attributions.c, where a record's
    picture links are read without coming back to Python) wherever the install could build it,
    this one elsewhere.
    """
    if "pic." not in text:
        return ()
    codes = _PIC.findall(text)
    if len(codes) == 1:
        return (f"pic.twitter.com/{codes[0]}",)
    return tuple(dict.fromkeys([f"pic.twitter.com/{code}" for code in codes]))


try:
    from archiver.scan._attributions import pic_links
except ImportError:  # installed without a C compiler: the same rule, in Python
    pic_links = reference_pic_links


def reference_other_links(text: str) -> tuple[str, ...]:
    """The links in ``text`` that are not picture links (t.co links, URLs), in order, once each.

    The rule in Python: ``other_links`` is the same compiled (_links.c) wherever the install
    could build it, this one elsewhere.
    """
    if "://" not in text and "t.co/" not in text:
        return ()
    found: dict[str, None] = {}
    for match in _LINK.finditer(text):
        link = trim_link(match.group())
        if link and not link.endswith("://") and reference_normalise_pic_link(link) is None:
            found[link] = None
    return tuple(found)


try:
    from archiver.scan._links import other_links
except ImportError:  # installed without a C compiler: the same rule, in Python
    other_links = reference_other_links


def trim_link(link: str) -> str:
    """A link as found in prose, without the punctuation that ends the sentence around it."""
    link = link[:_MAX_LINK]
    while link and link[-1] in _TRAILING_PUNCTUATION:
        if link[-1] == ")" and link.count("(") >= link.count(")"):
            break
        link = link[:-1]
    return link


def reference_is_post_link(href: str, text: str) -> bool:
    """Whether an ``<a>`` in a post is a link it carries (not a hashtag, mention or picture).

    The rule in Python: ``is_post_link`` is the same compiled (archiver/_urls.c) wherever the
    install could build it, this one elsewhere.
    """
    text = text.strip()
    if not href or text.startswith(("#", "@", "$", "＃")):
        return False
    if reference_normalise_pic_link(text) or reference_normalise_pic_link(href):
        return False
    return (
        href.lower().startswith(("http://", "https://"))
        or reference_shortlink_code(href) is not None
    )


def reference_clean_status_url(url: str) -> str:
    """A post URL as the markup gives it, without click-tracking query keys.

    The rest of the URL is kept byte for byte (nothing is re-encoded); the query ends where the
    fragment starts, so a "?" inside the fragment is the fragment's. The rule in Python:
    ``clean_status_url`` is the same compiled (archiver/_urls.c) wherever the install could
    build it, this one elsewhere.

    >>> reference_clean_status_url("https://twitter.com/a/status/1?ref_src=twsrc%5Etfw")
    'https://twitter.com/a/status/1'
    """
    url = url.strip()
    before_fragment, hash_mark, fragment = url.partition("#")
    base, question, query = before_fragment.partition("?")
    if not question:
        return url
    kept = [
        pair
        for pair in query.split("&")
        if pair and not _is_tracking(pair.split("=", 1)[0].lower())
    ]
    return base + ("?" + "&".join(kept) if kept else "") + hash_mark + fragment


def _is_tracking(key: str) -> bool:
    return key in _TRACKING_KEYS or key.startswith("utm_")


try:
    from archiver._urls import clean_status_url, is_post_link
except ImportError:  # installed without a C compiler: the same rules, in Python
    clean_status_url = reference_clean_status_url
    is_post_link = reference_is_post_link
