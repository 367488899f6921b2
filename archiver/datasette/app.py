"""Datasette on an archive: the packaged metadata applied to it, and a server for `archiver serve`."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.utils import parse_metadata

from archiver.errors import InputError
from archiver.logs import logger
from archiver.store import is_writable, needs_immutable, open_archive

log = logger(__name__)

METADATA_PATH = Path(__file__).resolve().with_name("metadata.yaml")
# The post page (row-archive-posts.html). Given to Datasette here: it finds a plugin's own
# templates only beside a package, and the plugin is a module.
TEMPLATES = Path(__file__).resolve().with_name("templates")
# The database name the packaged metadata is written for: Datasette names a database after its
# file, so `datasette archive.db -m metadata.yaml` finds it as it is.
PACKAGED_DATABASE = "archive"
# Measured by `python -m benchmarks datasette` on 100,000 posts: suggesting facets tries every
# column and took 1.6 s of a 1.7 s posts page; the canned queries take up to 0.35 s there, so
# Datasette's 1 s limit would stop them on an archive ten times larger.
SETTINGS = {"suggest_facets": False, "sql_time_limit_ms": 5_000}


def metadata_path() -> Path:
    """Where the packaged metadata.yaml is, for ``datasette archive.db -m PATH``."""
    return METADATA_PATH


def load_metadata(database: str = PACKAGED_DATABASE) -> dict[str, Any]:
    """The packaged metadata, with the archive's tables and queries under ``database``."""
    metadata = parse_metadata(METADATA_PATH.read_text(encoding="utf-8"))
    metadata["databases"] = {database: metadata["databases"][PACKAGED_DATABASE]}
    return metadata


def make_datasette(db_path: str | Path) -> Datasette:
    """A Datasette on the archive at ``db_path`` as the database ``archive``, with the packaged
    metadata and plugin.

    The archive is opened normally, not immutable, because a cron run may write while people
    read (WAL lets both); pending migrations are applied first, so the views exist. An archive
    this user cannot write is only read, immutable when its folder cannot hold a WAL reader's
    files. A missing file, or one that is not an archive, raises InputError. Facets are not
    suggested and a query may run 5 s (``SETTINGS``), so large archives stay quick to browse.

    >>> response = await make_datasette("archive.db").client.get("/archive/posts.json")  # doctest: +SKIP
    """
    path = Path(db_path)
    readonly = path.exists() and not is_writable(path)
    open_archive(path, create=False, readonly=readonly).close()
    immutable = readonly and needs_immutable(path)
    datasette = Datasette(
        [] if immutable else [str(path)],
        immutables=[str(path)] if immutable else [],
        metadata=load_metadata(),
        settings=SETTINGS,
        template_dir=str(TEMPLATES),
    )
    # Mounted as "archive" whatever the file is called, so every archive has the URLs the README
    # and the packaged metadata give (/archive/posts); Datasette would name it after the file.
    (name,) = [name for name, db in datasette.databases.items() if db.path == str(path)]
    database = datasette.databases[name]
    datasette.remove_database(name)
    datasette.add_database(database, name=PACKAGED_DATABASE)
    return datasette


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the archive with Datasette until interrupted (Ctrl-C or SIGTERM).

    ``ready`` is called with the URL once the port is bound (``port=0`` picks a free one).
    A port that cannot be bound raises InputError.
    """
    datasette = make_datasette(db_path)
    listener = _listen(host, port)
    bound_host, bound_port = listener.getsockname()[:2]
    url = f"http://{_url_host(bound_host)}:{bound_port}/"
    log.info("serving %s at %s", db_path, url)
    if ready is not None:
        ready(url)
    # log_config=None leaves logging to the caller: the library prints nothing of its own.
    config = uvicorn.Config(datasette.app(), lifespan="on", log_config=None, access_log=False)
    with listener:
        uvicorn.Server(config).run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    # Bound here rather than by uvicorn, which exits the process when it cannot bind.
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
