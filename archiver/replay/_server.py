"""The replay server on 127.0.0.1, in a background thread of this process (``ReplayServer``)
or of a child process (``ReplayServer.in_subprocess``, serving through ``serve_child``)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from pathlib import Path
from typing import Any

from archiver.errors import InputError
from archiver.logs import logger
from archiver.replay._control import ReplayControl, control
from archiver.replay._http import MAX_HEAD_BYTES, Handler
from archiver.replay._process import ReplayProcess
from archiver.replay._recordings import Recordings
from archiver.replay._state import ReplayState, Responder

log = logger(__name__)


class ReplayServer(ReplayControl):
    """The replay server on 127.0.0.1, run by a background thread.

    >>> with ReplayServer(Path("examples/replay"), latency_ms=50) as server:  # doctest: +SKIP
    ...     os.environ["ARCHIVER_REROUTE"] = server.url
    """

    def __init__(
        self, recordings: Path | None = None, *, port: int = 0, latency_ms: float = 0
    ) -> None:
        self.state = ReplayState(Recordings(recordings))
        self._port = port
        self._latency_s = latency_ms / 1000
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> ReplayServer:
        """Bind 127.0.0.1 and serve in a daemon thread; ``url`` is set when this returns."""
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(
                        Handler(self.state, self._latency_s),
                        "127.0.0.1",
                        self._port,
                        limit=MAX_HEAD_BYTES,
                        backlog=1024,
                    )
                )
            except OSError as exc:
                failure.append(exc)
                started.set()
                loop.close()
                return
            port = self._server.sockets[0].getsockname()[1]
            self.url = f"http://127.0.0.1:{port}"
            started.set()
            try:
                loop.run_until_complete(self._server.serve_forever())
            except asyncio.CancelledError:
                pass
            finally:
                loop.run_until_complete(_cancel_pending(loop))
                loop.close()

        self._thread = threading.Thread(target=run, name="archiver-replay", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise InputError(f"cannot listen on 127.0.0.1:{self._port}: {failure[0]}")
        log.info("replay server listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        loop, server, thread = self._loop, self._server, self._thread
        if not (loop and server and thread and thread.is_alive()):
            return

        def shut_down() -> None:
            # Runs in the loop's own thread: all_tasks() is not safe to call from another.
            server.close()
            for task in asyncio.all_tasks(loop):
                task.cancel()

        with contextlib.suppress(RuntimeError):  # the loop closed on its own meanwhile
            loop.call_soon_threadsafe(shut_down)
        thread.join(timeout=10)

    def wait(self) -> None:
        """Block until the server stops (the CLI serves until interrupted)."""
        if self._thread:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)

    def respond(self, host: str, responder: Responder) -> None:
        """Answer every request for ``host`` with ``responder`` instead of the recordings."""
        self.state.responders[host.lower()] = responder

    def _call(self, method: str, name: str, payload: Any = None) -> Any:
        return control(self.state, method, name, payload)

    @staticmethod
    def in_subprocess(
        recordings: Path | None = None, *, port: int = 0, latency_ms: float = 0
    ) -> ReplayProcess:
        """The same server in a child process, so it does not share the caller's GIL."""
        return ReplayProcess(recordings, port=port, latency_ms=latency_ms)


async def _cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def serve_child(argv: list[str]) -> None:
    """The child side of ReplayProcess: serve until stdin closes, the URL on the first line."""
    recordings, port, latency_ms = argv
    try:
        server = ReplayServer(
            Path(recordings) if recordings else None, port=int(port), latency_ms=float(latency_ms)
        ).start()
    except InputError as exc:
        sys.stdout.write(f"error {exc}\n")
        return
    sys.stdout.write(f"url {server.url}\n")
    sys.stdout.flush()
    sys.stdin.read()
    server.stop()
