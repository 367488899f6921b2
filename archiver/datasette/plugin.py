"""The Datasette plugin: post text with clickable links, short hashes, media shown as images.

Registered as the ``archiver`` entry point of the ``datasette`` group, so any Datasette in the
same environment loads it. It changes only databases written by archiver (those whose
``_sqlite_migrations`` hold the ``archiver`` set), and renders nothing stored as raw HTML.

``/-/archiver/media/<sha256>`` serves a blob that is a PNG, JPEG, GIF or WebP image by its bytes,
with the type the bytes prove, ``nosniff`` and a sandboxing Content-Security-Policy; anything
else is refused, so stored HTML or SVG never runs in the page's origin.

A page that is not there (404) or not allowed (4xx) answers its status with Datasette's error
page, quietly: Datasette's own handler prints every error's traceback with its local variables,
and a 404 outside an ``except`` block made that printing fail, so the answer was a 500.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Generator
from typing import Any

from datasette import hookimpl
from datasette.database import Database
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

from archiver.datasette import cells
from archiver.datasette.images import DEFAULT_MAX_IMAGE_BYTES, SIGNATURE_BYTES, image_type
from archiver.store import blob_content_on, blob_head_on, is_archive_on, post_detail_on

PLUGIN = "archiver"
MEDIA_ROUTE = "-/archiver/media/"
TEXT_COLUMNS = frozenset({"text", "quoted_text", "archived_text"})
HASH_COLUMNS = frozenset({"sha256", "body_sha256"})
REPLAY_TITLE = "served from recordings by archiver's replay server, not by the platform"

# Sent with every answer of the media route: the bytes are an image and nothing else.
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_CACHE_FOREVER = "public, max-age=31536000, immutable"  # a blob never changes under its hash

# A row page lists one record: shown as label and value, one field a line, instead of one wide row
# that hides the post's text off to the right. Static code: it only moves what Datasette rendered.
RECORD_SCRIPT = """
for (const table of document.querySelectorAll("body.row table.rows-and-columns")) {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.dataset.column);
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => { cell.dataset.archiverColumn = names[i]; });
  }
  table.classList.add("archiver-record");
}
const style = document.createElement("style");
style.textContent = `
table.archiver-record, table.archiver-record tbody, table.archiver-record tr { display: block; }
table.archiver-record thead { display: none; }
table.archiver-record td {
  display: block; position: relative; max-width: 50em; padding-left: 12em;
  border: none; border-bottom: 1px solid #eee;
}
table.archiver-record td::before {
  content: attr(data-archiver-column); position: absolute; left: 0.5em; width: 11em;
  margin: 0; font-weight: bold; overflow-wrap: anywhere;
}
`;
document.head.append(style);
"""

_archives: weakref.WeakKeyDictionary[Database, bool] = weakref.WeakKeyDictionary()
MAX_REMEMBERED_SIGNATURES = 100_000  # about 20 MB at most
_signatures: dict[tuple[str, str], tuple[bytes | None, int | None]] = {}


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    if isinstance(value, dict):  # a foreign key Datasette expanded: {"value": ..., "label": ...}
        value = value.get("value")
    elif column == "post_key" and isinstance(value, str) and value:
        return _post_link(value, database, datasette)  # a view or query: Datasette links none
    if column == "replay" and value in (0, 1) and not isinstance(value, str):
        return _replay_cell(int(value), database, datasette)
    if isinstance(value, bytes):
        if table == "blobs" and column == "content":
            return _blob_cell(row, value, database, datasette)
        return None
    if not isinstance(value, str) or not value:
        return None
    if column in TEXT_COLUMNS:
        return _text_cell(value, database, datasette)
    if column in HASH_COLUMNS and cells.is_sha256(value):
        return _hash_cell(value, table, database, datasette)
    return None


@hookimpl
def extra_body_script(template: str, database: str | None, datasette: Any) -> Any:
    row_page = template == "row.html" or template.startswith("row-")  # row-archive-posts.html
    if not row_page or database is None:
        return None

    async def script() -> str | None:
        return RECORD_SCRIPT if await _is_archive(datasette.get_database(database)) else None

    return script()


@hookimpl(hookwrapper=True)
def handle_exception(
    datasette: Any, request: Any, exception: Exception
) -> Generator[None, Any, None]:  # pluggy sends the hook's outcome into the wrapper
    outcome = yield
    status = _client_error_status(exception)
    if status is None:
        return  # a server error: Datasette reports it as it does
    for response in outcome.get_result():
        if inspect.iscoroutine(response):
            response.close()  # never run: it would print the traceback
    outcome.force_result([_error_page(datasette, request, exception, status)])


def _client_error_status(exception: Exception) -> int | None:
    if isinstance(exception, Base400 | DatasetteError) and 400 <= exception.status < 500:
        return exception.status
    return None


async def _error_page(datasette: Any, request: Any, exception: Exception, status: int) -> Response:
    message = getattr(exception, "message", None) or (exception.args[0] if exception.args else "")
    info = {"ok": False, "error": str(message), "status": status, "title": None}
    if request.path.endswith(".json"):
        return Response.json(info, status=status)
    page = await datasette.render_template([f"{status}.html", "error.html"], info, request=request)
    return Response.html(page, status=status)


@hookimpl
def extra_template_vars(
    view_name: str, database: str | None, table: str | None, request: Any, datasette: Any
) -> Any:
    """The post page's card (templates/row-archive-posts.html): the post as people know it."""
    if view_name != "row" or table != "posts" or database is None or request is None:
        return None

    async def post_card() -> dict[str, Any]:
        db = datasette.get_database(database)
        if not await _is_archive(db):
            return {}
        key = tilde_decode(request.url_vars["pks"])
        detail = await db.execute_fn(lambda conn: post_detail_on(conn, key))
        if detail is None:
            return {}
        # Only what the media route serves is shown: an image by its bytes, under the size limit.
        showable = set()
        for item in detail["media"]:
            if item["sha256"] and _showable(*await _blob_signature(db, item["sha256"]), datasette):
                showable.add(item["sha256"])
        return {"archiver_post": _card(detail, showable, datasette)}

    return post_card()


def _card(post: dict[str, Any], showable: set[str], datasette: Any) -> dict[str, Any]:
    """What the post page shows, every piece of stored text left for the template to escape,
    but the text's links, made by cells.text_with_links from escaped text."""
    images = [m for m in post["media"] if m["sha256"] in showable]

    def src(item: dict[str, Any]) -> str:
        return datasette.urls.path(f"{MEDIA_ROUTE}{item['sha256']}")

    avatars = [m for m in images if m["kind"] == "profile_image"]
    pictures = [m for m in images if m["kind"] != "profile_image"]
    titles = {article["id"]: article["title"] for article in post["articles"]}
    return {
        "key": post["key"],
        "url": post["url"],
        "handle": post["handle"],
        "name": post["author_name"],
        "text": cells.text_with_links(post["text"] or ""),
        "plain_text": post["text"],
        "created_at": post["created_at"] or post["created_at_from_id"],
        "state": post["state"],
        "state_reason": post["state_reason"],
        "last_seen_live": post["last_seen_live"],
        "first_seen_gone": post["first_seen_gone"],
        "avatar": src(avatars[0]) if avatars else None,
        "pictures": [src(m) for m in pictures],
        "videos": [m for m in post["media"] if m["kind"] in ("video", "animated_gif")],
        "snapshots": post["snapshots"],
        "quotes": [
            {
                "article": titles.get(e["article_id"]) or e["article"],
                "article_id": e["article_id"],
                "quoted": e["text"],
                "current": e["current"],
            }
            for e in post["embeds"]
        ],
    }


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^/{MEDIA_ROUTE}(?P<sha256>[0-9a-f]{{64}})$", media)]


async def media(datasette: Any, request: Any) -> Response:
    """A blob that is an image, by its SHA-256, from the first archive the reader may see."""
    sha256 = request.url_vars["sha256"]
    for name, db in datasette.databases.items():
        if not await _is_archive(db) or not await _may_read_blobs(datasette, request, name):
            continue
        found = await db.execute_fn(lambda conn: blob_head_on(conn, sha256, SIGNATURE_BYTES))
        if found is None:
            continue
        head, size = found
        content_type = image_type(head) if isinstance(head, bytes) else None
        if content_type is None:
            return _refusal("not an image this archive serves (PNG, JPEG, GIF, WebP)", 415)
        if size > _max_image_bytes(datasette):
            return _refusal(f"an image of {size} bytes, over the limit for showing one", 403)
        content = await db.execute_fn(lambda conn: blob_content_on(conn, sha256))
        return Response(
            content,
            content_type=content_type,
            headers={**MEDIA_HEADERS, "Cache-Control": _CACHE_FOREVER},
        )
    return _refusal("no such blob", 404)


async def _may_read_blobs(datasette: Any, request: Any, database: str) -> bool:
    # The same permissions as the blobs table's own pages, so a private archive stays private.
    visible, _ = await datasette.check_visibility(
        request.actor,
        permissions=[
            ("view-table", (database, "blobs")),
            ("view-database", database),
            "view-instance",
        ],
    )
    return bool(visible)


def _refusal(reason: str, status: int) -> Response:
    return Response.text(reason + "\n", status=status, headers=dict(MEDIA_HEADERS))


async def _text_cell(value: str, database: str, datasette: Any) -> Markup | None:
    if not await _is_archive(datasette.get_database(database)):
        return None
    return cells.text_with_links(value)


async def _replay_cell(value: int, database: str, datasette: Any) -> Markup | None:
    # A recording served by the replay server is never to be taken for the platform's answer.
    if not await _is_archive(datasette.get_database(database)):
        return None
    if value:
        return Markup('<strong title="{}">replay</strong>').format(REPLAY_TITLE)
    return Markup("no")


async def _post_link(post_key: str, database: str, datasette: Any) -> Markup | None:
    if not await _is_archive(datasette.get_database(database)):
        return None
    href = datasette.urls.row(database, "posts", tilde_encode(post_key))
    return Markup('<a href="{}">{}</a>').format(href, post_key)


async def _hash_cell(
    sha256: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    db = datasette.get_database(database)
    if not await _is_archive(db):
        return None
    short = cells.short_hash(sha256, href=datasette.urls.row(database, "blobs", sha256))
    if table != "media":
        return short
    if not _showable(*await _blob_signature(db, sha256), datasette):
        return short
    return Markup("{}{}").format(_image(sha256, datasette), short)


async def _blob_cell(row: Any, content: bytes, database: str, datasette: Any) -> Markup | None:
    if not _showable(content, len(content), datasette):
        return None
    if not await _is_archive(datasette.get_database(database)):
        return None
    return _image(row["sha256"], datasette)


async def _blob_signature(db: Database, sha256: str) -> tuple[bytes | None, int | None]:
    """The first bytes and the size of a blob; remembered, since a blob never changes."""
    key = (str(db.path or db.name), sha256)
    if key in _signatures:
        return _signatures[key]
    found = await db.execute_fn(lambda conn: blob_head_on(conn, sha256, SIGNATURE_BYTES))
    if found is None:
        return None, None
    if len(_signatures) >= MAX_REMEMBERED_SIGNATURES:
        _signatures.clear()
    _signatures[key] = found
    return found


def _showable(head: object, size: object, datasette: Any) -> bool:
    return (
        isinstance(head, bytes)
        and isinstance(size, int)
        and image_type(head[:SIGNATURE_BYTES]) is not None
        and size <= _max_image_bytes(datasette)
    )


def _image(sha256: str, datasette: Any) -> Markup:
    src = datasette.urls.path(MEDIA_ROUTE + sha256)
    return cells.image(src, alt=f"image {sha256[: cells.SHORT_HASH_LENGTH]}", href=src)


def _max_image_bytes(datasette: Any) -> int:
    configured = (datasette.plugin_config(PLUGIN) or {}).get("max_image_bytes")
    return configured if isinstance(configured, int) else DEFAULT_MAX_IMAGE_BYTES


async def _is_archive(db: Database) -> bool:
    """True for a database archiver wrote; remembered per database, since schemas stay put."""
    known = _archives.get(db)
    if known is None:
        known = await db.execute_fn(is_archive_on)
        _archives[db] = known
    return known
