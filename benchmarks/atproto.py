"""CPU cost of proving a Bluesky post offline, per post, on one core.

`archiver verify` checks each Bluesky post's getRecord CAR against its DID document
(archiver/evidence/atproto.py): every block hashed, the commit's signature checked, the tree
walked to the record. The repository here holds 1,000 posts (100 with --quick), signed by a
key made for the run with the tests' repository writer (tests/atproto_repo.py). Baseline,
measured in the same run: sha256 of the same CAR bytes, the least any check of them costs; the
ratio says how many such hashes one proof costs (mostly the ECDSA verification).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from archiver.evidence.atproto import verify_post_proof
from benchmarks.report import Report
from benchmarks.twitter_parse import rate

# The tests' repository writer, imported from tests/ itself: pywb installs a package named `tests`
# that would shadow `tests.atproto_repo`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from atproto_repo import Repo, Signer, did_document, post_record

SECTION = "atproto"
DID = "did:plc:benchmarkdesk7uvwxyz2345"


def run(report: Report) -> None:
    seconds = 0.15 if report.quick else 1.5
    posts = 100 if report.quick else 1000
    records = {f"3lbq{n:06d}a2c": post_record(f"Post {n} from the scene.") for n in range(posts)}
    rkey = next(iter(records))
    text = records[rkey]["text"]
    for curve in ("secp256k1", "P-256"):
        repo = Repo(DID, Signer.new(curve), records)
        car, document = repo.car(rkey), did_document(DID, repo.signer)
        assert verify_post_proof(car, document, did=DID, rkey=rkey, text=text).verified
        proofs = rate(
            lambda c=car, d=document: verify_post_proof(c, d, did=DID, rkey=rkey, text=text),
            seconds=seconds,
        )
        hashed = rate(lambda c=car: hashlib.sha256(c).digest(), seconds=seconds)
        report.add(
            SECTION,
            f"proof verified per post ({curve}, {len(car):,}-byte CAR, {posts:,}-post repository)",
            1e6 / proofs,
            "µs/post",
            baseline=("sha256 of the same CAR (µs)", 1e6 / hashed),
        )
