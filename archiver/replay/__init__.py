"""The replay server: recorded HTTP answers served on 127.0.0.1 in the reroute layout.

A client with ``ARCHIVER_REROUTE=http://127.0.0.1:PORT`` asks for ``https://HOST/PATH?QUERY`` as
``GET /HOST/PATH?QUERY``; the server answers with the recorded response for that method, host,
path and query, or 404 when nothing was recorded. That layout is the whole contract a server must
keep for archiver to run through it; the rest is this server's own:

- ``_recordings.py``: the ``*.json`` recordings, their format, loading and validation;
- ``_faults.py``: the fault rules injected into matching requests;
- ``_state.py``: recordings, rules and counters behind one lock, and the plan of each answer;
- ``_control.py``: the control API under ``/__replay__/`` and ``ReplayControl``, its methods,
  shared by the in-process ``ReplayServer`` and the subprocess ``ReplayProcess``;
- ``_http.py``: HTTP/1.1 on asyncio streams; ``_server.py``, ``_process.py``: where it runs.

A host may instead be answered by a responder (``ReplayServer.respond``), a function of the
request's method, path, headers and body: an answer that depends on what was sent, such as an
RFC 3161 time-stamp over the hash a client posts (archiver/evidence/demo_tsa.py). Fault rules
still apply.
"""

from archiver.replay._control import CONTROL_PREFIX, ReplayControl
from archiver.replay._faults import FaultRule
from archiver.replay._process import ReplayProcess
from archiver.replay._recordings import RecordedResponse, Recordings
from archiver.replay._server import ReplayServer
from archiver.replay._state import ReplayState, Responder

__all__ = [
    "CONTROL_PREFIX",
    "FaultRule",
    "RecordedResponse",
    "Recordings",
    "ReplayControl",
    "ReplayProcess",
    "ReplayServer",
    "ReplayState",
    "Responder",
]
