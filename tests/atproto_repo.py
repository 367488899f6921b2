"""Signed atproto repositories made by the tests, with keys of their own, for the proof tests.

Written here from the formats (a canonical DAG-CBOR encoder, CIDv1 sha2-256, the Merkle Search
Tree, the signed version 3 commit, CAR v1), independently of archiver/evidence/atproto.py, so
that no repository a test checks was made by the code it checks. The tree writer is checked
against the interop fixtures' root CIDs (tests/fixtures/atproto/).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

DAG_CBOR = 0x71
ORDERS = {
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}
CURVES = {"secp256k1": ec.SECP256K1, "P-256": ec.SECP256R1}
MULTICODEC = {"secp256k1": bytes([0xE7, 0x01]), "P-256": bytes([0x80, 0x24])}
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass(frozen=True)
class Link:
    """A CID as DAG-CBOR tag 42 carries it."""

    cid: bytes

    @property
    def text(self) -> str:
        return "b" + base64.b32encode(self.cid).decode().lower().rstrip("=")


def cid_of(block: bytes, codec: int = DAG_CBOR) -> Link:
    return Link(bytes([0x01, codec, 0x12, 0x20]) + hashlib.sha256(block).digest())


def parse_cid(text: str) -> Link:
    assert text.startswith("b")
    body = text[1:].upper()
    return Link(base64.b32decode(body + "=" * (-len(body) % 8)))


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise ValueError(value)


def dag_cbor(value: Any) -> bytes:
    """Canonical DAG-CBOR: shortest heads, map keys by length then bytes, CIDs as tag 42."""
    if value is None:
        return b"\xf6"
    if value is True or value is False:
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return _head(3, len(data)) + data
    if isinstance(value, Link):
        return b"\xd8\x2a" + dag_cbor(b"\x00" + value.cid)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(dag_cbor(item) for item in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(dag_cbor(k) + dag_cbor(value[k]) for k in keys)
    raise TypeError(type(value))


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = B58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def key_height(key: bytes) -> int:
    """The tree layer of a key: leading zero bits of its sha256, counted two at a time."""
    digest = hashlib.sha256(key).digest()
    zeros = 0
    for byte in digest:
        if byte == 0:
            zeros += 8
            continue
        zeros += 8 - byte.bit_length()
        break
    return zeros // 2


@dataclass
class Node:
    """One tree node as written: its block, CID and children (for picking a proof's path)."""

    block: bytes
    cid: Link
    children: list[Node] = field(default_factory=list)
    keys: list[bytes] = field(default_factory=list)


def build_tree(items: dict[bytes, Link]) -> Node:
    """The Merkle Search Tree of ``items`` (key -> value CID)."""
    keys = sorted(items)
    top = max((key_height(k) for k in keys), default=0)
    return _layer(keys, items, top)


def _layer(keys: list[bytes], items: dict[bytes, Link], layer: int) -> Node:
    children: list[Node] = []

    def subtree(run: list[bytes]) -> Link | None:
        if not run or layer == 0:
            return None
        child = _layer(run, items, layer - 1)
        children.append(child)
        return child.cid

    entries, run, left, previous = [], [], None, b""
    here = [k for k in keys if key_height(k) == layer]
    for key in keys:
        if key_height(key) < layer:
            run.append(key)
            continue
        link = subtree(run)
        if entries:
            entries[-1]["t"] = link
        else:
            left = link
        run = []
        prefix = 0
        while prefix < min(len(key), len(previous)) and key[prefix] == previous[prefix]:
            prefix += 1
        entries.append({"p": prefix, "k": key[prefix:], "v": items[key], "t": None})
        previous = key
    link = subtree(run)
    if entries:
        entries[-1]["t"] = link
    else:
        left = link
    block = dag_cbor({"l": left, "e": entries})
    return Node(block, cid_of(block), children, here)


def path_to(node: Node, key: bytes) -> list[Node]:
    """The nodes from ``node`` down to the one holding ``key``."""
    if key in node.keys:
        return [node]
    child = next(child for child in node.children if _holds(child, key))
    return [node, *path_to(child, key)]


def every_node(node: Node) -> list[Node]:
    return [node, *(n for child in node.children for n in every_node(child))]


def _holds(node: Node, key: bytes) -> bool:
    return key in node.keys or any(_holds(child, key) for child in node.children)


@dataclass
class Signer:
    """A signing key of the test's own, on one of the two curves atproto uses."""

    curve: str
    private: ec.EllipticCurvePrivateKey

    @classmethod
    def new(cls, curve: str = "secp256k1") -> Signer:
        return cls(curve, ec.generate_private_key(CURVES[curve]()))

    @property
    def multikey(self) -> str:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        point = self.private.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        return "z" + base58btc(MULTICODEC[self.curve] + point)

    def sign(self, message: bytes, *, high_s: bool = False) -> bytes:
        # RFC 6979 signatures: the same repository gives the same bytes every time.
        algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
        r, s = decode_dss_signature(self.private.sign(message, algorithm))
        order = ORDERS[self.curve]
        s = min(s, order - s)
        if high_s:
            s = order - s
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def did_document(
    did: str, signer: Signer, pds: str = "https://pds.example.com", handle: str = "desk.example.com"
) -> bytes:
    """A DID document as plc.directory serves one."""
    document = {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
            "https://w3id.org/security/suites/secp256k1-2019/v1",
        ],
        "id": did,
        "alsoKnownAs": [f"at://{handle}"],
        "verificationMethod": [
            {
                "id": f"{did}#atproto",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": signer.multikey,
            }
        ],
        "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}
        ],
    }
    return json.dumps(document, indent=2).encode()


@dataclass
class Repo:
    """A repository of posts (rkey -> record), signed by ``signer``, and its getRecord CARs."""

    did: str
    signer: Signer
    records: dict[str, dict[str, Any]]
    rev: str = "3lbqx4w2kd22c"

    def blocks_for(
        self,
        rkey: str,
        *,
        sign_with: Signer | None = None,
        high_s: bool = False,
        record_bytes: bytes | None = None,
        drop_node: int | None = None,
    ) -> tuple[Link, list[tuple[Link, bytes]]]:
        """``(commit CID, blocks)`` of the proof of ``rkey``; the keyword arguments spoil it."""
        record_blocks = {key: dag_cbor(record) for key, record in self.records.items()}
        items = {
            f"app.bsky.feed.post/{key}".encode(): cid_of(block)
            for key, block in record_blocks.items()
        }
        tree = build_tree(items)
        unsigned = {"did": self.did, "version": 3, "data": tree.cid, "rev": self.rev, "prev": None}
        signature = (sign_with or self.signer).sign(dag_cbor(unsigned), high_s=high_s)
        commit = dag_cbor({**unsigned, "sig": signature})
        if rkey not in record_blocks:  # a proof of absence: here, simply the whole tree
            nodes = every_node(tree)
            return cid_of(commit), [(cid_of(commit), commit), *((n.cid, n.block) for n in nodes)]
        path = path_to(tree, f"app.bsky.feed.post/{rkey}".encode())
        if drop_node is not None:
            del path[drop_node]
        record = record_blocks[rkey]
        blocks = [(cid_of(commit), commit), *((node.cid, node.block) for node in path)]
        # A changed record keeps the CID of the record it replaces: that is what a tampered
        # CAR looks like.
        blocks.append((cid_of(record), record if record_bytes is None else record_bytes))
        return cid_of(commit), blocks

    def car(self, rkey: str, **spoil: Any) -> bytes:
        """The CAR v1 a PDS gives for ``getRecord`` of the post ``rkey``."""
        root, blocks = self.blocks_for(rkey, **spoil)
        return car_file(root, blocks)


def car_file(root: Link, blocks: list[tuple[Link, bytes]]) -> bytes:
    header = dag_cbor({"version": 1, "roots": [root]})
    body = b"".join(varint(len(cid.cid) + len(data)) + cid.cid + data for cid, data in blocks)
    return varint(len(header)) + header + body


def post_record(text: str, created_at: str = "2024-11-26T08:14:03.512Z") -> dict[str, Any]:
    return {"$type": "app.bsky.feed.post", "text": text, "createdAt": created_at, "langs": ["en"]}
