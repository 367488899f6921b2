"""A replay server in a child process, driven over HTTP through the control API."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from archiver.errors import InputError
from archiver.replay._control import CONTROL_PREFIX, ReplayControl


class ReplayProcess(ReplayControl):
    """A ReplayServer in a child process (``python -c``), driven through the control API."""

    def __init__(self, recordings: Path | None, *, port: int, latency_ms: float) -> None:
        self._argv = [str(recordings or ""), str(port), str(latency_ms)]
        self._process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> ReplayProcess:
        code = (
            "import sys; from archiver.replay._server import serve_child; serve_child(sys.argv[1:])"
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", code, *self._argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().decode("utf-8", "replace").strip()
        kind, _, value = line.partition(" ")
        if kind != "url":
            self.__exit__()
            raise InputError(value or "the replay process did not start")
        self.url = value
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is None:
            return
        with contextlib.suppress(OSError):
            self._process.communicate(timeout=10)  # closing stdin tells the child to stop
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def _call(self, method: str, name: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            f"{self.url}{CONTROL_PREFIX}{name}", data=data, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            # the server refused the payload: raised as the in-process server raises it
            raise ValueError(_error_of(exc)) from exc


def _error_of(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read())["error"])
    except (ValueError, KeyError, TypeError):
        return f"the replay server answered {exc.code}"
