"""The demo TSA's names (archiver/evidence/demo_tsa.py): a module of its own, so `archiver replay
--help` can say them without loading the cryptography that the demo TSA signs with."""

from __future__ import annotations

LABEL = "demo TSA, not a trusted authority"
HOST = "demo-tsa.not-a-trusted-authority.invalid"
URL = f"http://{HOST}/"
