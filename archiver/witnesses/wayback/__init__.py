"""Reading the Wayback Machine's copies of a post: CDX listings (cdx.py) and raw captures
(capture.py, which hands each shape to api_json.py or html.py). Pure functions.

Nothing here asks anything over HTTP (the asking is in archiver/fetch/wayback.py), so a read-only
command can read a stored capture again. A capture is a third party's copy: it shows the post as
it was when the Internet Archive captured it, never as it is now.

What the tools that recover deleted posts from the Wayback learned (docs/endpoints.md), and how each
lesson is applied here:

- a reply's page shows its parent first, even inside the permalink container, and a schema.org
  page lists the whole thread: the post is always the one whose id is the requested id, never
  the first one on the page;
- ``og:description`` is curly-quoted before 2023 and double-escaped after; a reply's adds the
  leading @mentions; ``<title>`` is translated and cut (never read for the text), and the
  legacy ``title`` attribute of the time is Pacific time (``data-time-ms`` is read instead);
- JSON captures have statuscode ``-`` in the CDX; since 2023 they are API v2 (``data``,
  ``includes.users``, ``note_tweet``), before that v1.1 objects; the author is the user whose
  id is the post's ``author_id``, not the first user listed;
- a capture filed under one handle can be another account's post: the handle is read from the
  content, never from the captured URL;
- a 302 capture points at another post; a capture read without ``id_`` has rewritten URLs;
  logged-out captures from 2020 on are often a JavaScript shell with no post at all.

A bsky.app post page carries its post in a ``<noscript>`` summary (author handle, DID, text,
indexedAt): the post is the one whose author is the actor asked for and whose record key the
page's URL names.
"""

from archiver.witnesses.wayback.capture import SOURCE, parse_wayback
from archiver.witnesses.wayback.cdx import (
    CDX_SOURCE,
    Capture,
    Listing,
    capture_of,
    captured_at,
    id_in_url,
    read_listing,
)

__all__ = [
    "CDX_SOURCE",
    "SOURCE",
    "Capture",
    "Listing",
    "capture_of",
    "captured_at",
    "id_in_url",
    "parse_wayback",
    "read_listing",
]
