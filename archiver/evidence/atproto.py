"""Bluesky posts that prove themselves: a repository's signed commit, checked offline.

An author's repository answers ``com.atproto.sync.getRecord`` with a CAR file: the signed
commit (the CAR's root), the Merkle Search Tree nodes from the commit's ``data`` down to the
record, and the record. ``verify_post_proof`` checks, without any network:

1. the CAR is a CAR v1 whose every block hashes (sha2-256) to its CID (CIDv1, dag-cbor or raw);
2. the root is a version 3 commit (``did``, ``version``, ``data``, ``rev``, ``prev``, ``sig``)
   of the author's DID;
3. ``sig`` is a low-S ECDSA signature (64 bytes, r || s; P-256 or secp256k1) over the
   DAG-CBOR encoding of the commit without ``sig``, made with the ``#atproto`` key of the DID
   document kept with the CAR;
4. the tree leads from ``data`` to the key ``app.bsky.feed.post/RKEY`` and to the record;
5. the record is a post whose ``text`` is the text the archive holds.

Any failure gives a proof with ``verified`` False and the reason: every byte read is remote
data, so ``verify_post_proof`` never raises on it (the readers it uses raise ProofError).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import libipld
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

KIND = "atproto-commit"
POST_COLLECTION = "app.bsky.feed.post"
# The snapshot sources a proof is read from (fetch/atproto.py stores them).
DID_SOURCE = "atproto_did"
RECORD_SOURCE = "atproto_record"
DAG_CBOR = 0x71
RAW = 0x55
SHA2_256 = 0x12
# Multikey prefixes (multicodec varints) of the compressed public keys atproto signs with.
_CURVES: dict[bytes, tuple[str, ec.EllipticCurve]] = {
    bytes([0xE7, 0x01]): ("secp256k1", ec.SECP256K1()),
    bytes([0x80, 0x24]): ("P-256", ec.SECP256R1()),
}
# The group orders: a signature's s above half of it is the high-S twin, which atproto refuses
# so that each signature has one form.
_ORDERS = {
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}
_MAX_BLOCKS = 10_000  # a getRecord proof holds a commit, a tree path and a record
_MAX_TREE_DEPTH = 128  # far deeper than any tree of distinct keys gets


class ProofError(Exception):
    """Why a proof does not hold (the message is the reason given to the reader)."""


@dataclass(frozen=True, slots=True)
class Proof:
    """The verdict on one post's proof; ``commit`` is the commit's CID when the CAR had one."""

    verified: bool
    did: str
    commit: str | None
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``proof`` in `archiver verify`."""
        return {
            "kind": KIND,
            "verified": self.verified,
            "did": self.did,
            "commit": self.commit,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Car:
    """A CAR v1 file whose blocks were each checked against their CID."""

    roots: tuple[bytes, ...]
    blocks: dict[bytes, bytes]  # CID bytes -> block bytes


@dataclass(frozen=True, slots=True)
class DidDocument:
    """What atproto reads from a DID document: its PDS and its signing key (Multikey)."""

    pds: str | None
    signing_key: str | None


@dataclass(frozen=True, slots=True)
class RepoRecord:
    """A record found in a getRecord CAR, before the commit's signature is checked."""

    commit_cid: str
    commit: dict[str, Any]
    record_cid: str | None  # None when the tree proves the key absent
    record: dict[str, Any] | None


def cid_string(cid: bytes) -> str:
    """The base32 text form of a binary CID (``bafyrei...``)."""
    try:
        return str(libipld.encode_cid(cid))
    except ValueError:
        return "0x" + cid.hex()


def read_car(data: bytes) -> Car:
    """Parse a CAR v1 file and check every block against its CID; ProofError otherwise."""
    reader = _Reader(data)
    header_length = reader.varint()
    header = _decode(reader.take(header_length), "the CAR header")
    if not isinstance(header, dict) or header.get("version") != 1:
        raise ProofError("the CAR is malformed: its header is not a version 1 header")
    roots = header.get("roots")
    if not isinstance(roots, list) or not all(isinstance(root, bytes) for root in roots):
        raise ProofError("the CAR is malformed: its header has no list of root CIDs")
    blocks: dict[bytes, bytes] = {}
    while not reader.done():
        if len(blocks) >= _MAX_BLOCKS:
            raise ProofError(f"the CAR is malformed: more than {_MAX_BLOCKS} blocks")
        section = _Reader(reader.take(reader.varint()))
        cid_start = section.position
        codec, digest = section.cid()
        cid = section.data[cid_start : section.position]
        block = section.data[section.position :]
        if codec not in (DAG_CBOR, RAW):
            raise ProofError(f"block {cid_string(cid)} has codec {codec:#x}, not dag-cbor or raw")
        if hashlib.sha256(block).digest() != digest:
            raise ProofError(f"hash mismatch: block {cid_string(cid)} does not hash to its CID")
        blocks[cid] = block
    return Car(tuple(roots), blocks)


def read_did_document(data: bytes, did: str) -> DidDocument:
    """The PDS endpoint (service ``#atproto_pds``) and signing key (``#atproto``) of ``did``.

    ProofError when the bytes are not the JSON document of that DID. A missing service or key
    is None: the caller says which one it needed.
    """
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ProofError(f"the DID document is not JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise ProofError("the DID document is not a JSON object")
    if document.get("id") != did:
        raise ProofError(f"the DID document is for {str(document.get('id'))[:200]!r}, not {did}")
    pds = next(
        (
            service.get("serviceEndpoint")
            for service in _entries(document, "service")
            if _fragment(service, did) == "atproto_pds"
            and service.get("type") == "AtprotoPersonalDataServer"
        ),
        None,
    )
    key = next(
        (
            method.get("publicKeyMultibase")
            for method in _entries(document, "verificationMethod")
            if _fragment(method, did) == "atproto"
        ),
        None,
    )
    return DidDocument(
        pds=pds if isinstance(pds, str) else None,
        signing_key=key if isinstance(key, str) else None,
    )


def public_key(multikey: str) -> tuple[str, ec.EllipticCurvePublicKey]:
    """``(curve name, key)`` of a Multikey: base58btc ``z``, a curve prefix, a compressed point."""
    try:
        base, data = libipld.decode_multibase(multikey)
    except ValueError as exc:
        raise ProofError(f"the #atproto key is not multibase ({exc})") from exc
    if base != "z":
        raise ProofError(f"the #atproto key is multibase {base!r}, not base58btc 'z'")
    prefix, point = bytes(data[:2]), bytes(data[2:])
    if prefix not in _CURVES:
        raise ProofError(f"the #atproto key is of type {prefix.hex()}, not P-256 nor secp256k1")
    name, curve = _CURVES[prefix]
    if len(point) != 33 or point[0] not in (2, 3):
        raise ProofError(f"the #atproto key is not a compressed {name} point")
    try:
        return name, ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
    except ValueError as exc:
        raise ProofError(f"the #atproto key is not a {name} point") from exc


def check_signature(multikey: str, message: bytes, signature: bytes) -> None:
    """Check a compact (r || s) low-S ECDSA-SHA256 signature; ProofError with the reason."""
    name, key = public_key(multikey)
    if len(signature) != 64:
        raise ProofError(f"bad signature: {len(signature)} bytes, not a 64-byte r || s")
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if s > _ORDERS[name] // 2:
        raise ProofError("high-S signature: atproto accepts only the low-S form")
    try:
        key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ProofError(
            "bad signature: the commit does not verify with the DID document's #atproto key"
            " (signed by another key, or the key rotated)"
        ) from None


def read_repo_record(car: Car, did: str, rkey: str) -> RepoRecord:
    """The commit at the CAR's root and the post ``rkey`` reached through its tree.

    Checks the commit's form and DID and the tree path, not the signature (``verify_post_proof``
    does). ProofError when a block needed is missing or is not what it should be.
    """
    if len(car.roots) != 1:
        raise ProofError(f"the CAR has {len(car.roots)} roots, not one commit")
    root = car.roots[0]
    commit = _node(car, root, "the commit")
    missing = [
        name for name in ("did", "version", "data", "rev", "prev", "sig") if name not in commit
    ]
    if missing:
        raise ProofError(f"the root is not a commit: no {', '.join(missing)}")
    if type(commit["version"]) is not int or commit["version"] != 3:
        raise ProofError(f"the commit is version {commit['version']!r}, not 3")
    if commit["did"] != did:
        raise ProofError(f"the commit is of {str(commit['did'])[:200]!r}, not {did}")
    if not isinstance(commit["data"], bytes) or not isinstance(commit["sig"], bytes):
        raise ProofError("the commit's data is not a CID or its sig not bytes")
    key = f"{POST_COLLECTION}/{rkey}".encode()
    record_cid = _find(car, commit["data"], key)
    if record_cid is None:
        return RepoRecord(cid_string(root), commit, None, None)
    record = _node(car, record_cid, f"the record {key.decode()}")
    return RepoRecord(cid_string(root), commit, cid_string(record_cid), record)


def verify_post_proof(
    car_bytes: bytes, did_document: bytes, *, did: str, rkey: str, text: str | None
) -> Proof:
    """Check a getRecord CAR against the DID document and the archived text (see the module)."""
    commit_cid = None
    try:
        car = read_car(car_bytes)
        found = read_repo_record(car, did, rkey)
        commit_cid = found.commit_cid
        document = read_did_document(did_document, did)
        if document.signing_key is None:
            raise ProofError("key not in DID document: it has no #atproto verification method")
        commit = found.commit
        if _commit_encoding(commit) != car.blocks[car.roots[0]]:
            raise ProofError("the commit block is not canonical DAG-CBOR")
        unsigned = {name: value for name, value in commit.items() if name != "sig"}
        check_signature(document.signing_key, _encode(unsigned), commit["sig"])
        if found.record is None:
            raise ProofError(f"record not found: the signed tree has no {POST_COLLECTION}/{rkey}")
        if found.record.get("$type") != POST_COLLECTION:
            raise ProofError(
                f"the record is a {str(found.record.get('$type'))[:100]!r}, not a post"
            )
        signed_text = found.record.get("text")
        if text is None:
            raise ProofError("the archive holds no text of the post to compare")
        if signed_text != text:
            raise ProofError(
                f"text differs: the signed record says {str(signed_text)[:200]!r},"
                f" the archive holds {text[:200]!r}"
            )
    except ProofError as exc:
        return Proof(False, did, commit_cid, str(exc))
    return Proof(True, did, commit_cid, None)


def _find(car: Car, node_cid: bytes, key: bytes) -> bytes | None:
    """Walk the tree from ``node_cid`` to ``key``: the value's CID, or None when absent.

    A node is ``{"l": left subtree, "e": entries}``, each entry ``{"p": bytes shared with the
    previous key, "k": the rest of the key, "v": value, "t": subtree right of it}``; keys
    increase left to right, so the key lies in the subtree just left of the first bigger key.
    """
    for _ in range(_MAX_TREE_DEPTH):
        node = _node(car, node_cid, "MST node")
        entries = node.get("e")
        if not isinstance(entries, list):
            raise ProofError(f"MST node {cid_string(node_cid)} has no entry list")
        subtree = node.get("l")
        previous = b""
        for entry in entries:
            if not isinstance(entry, dict):
                raise ProofError(f"MST node {cid_string(node_cid)} has an entry that is no map")
            prefix, suffix = entry.get("p"), entry.get("k")
            if not isinstance(prefix, int) or not isinstance(suffix, bytes) or prefix < 0:
                raise ProofError(f"MST node {cid_string(node_cid)} has a malformed entry")
            current = previous[:prefix] + suffix
            if current == key:
                value = entry.get("v")
                if not isinstance(value, bytes):
                    raise ProofError(f"MST node {cid_string(node_cid)} has a value that is no CID")
                return value
            if current > key:
                break
            subtree, previous = entry.get("t"), current
        if subtree is None:
            return None
        if not isinstance(subtree, bytes):
            raise ProofError(f"MST node {cid_string(node_cid)} links a subtree that is no CID")
        node_cid = subtree
    raise ProofError(f"the tree is deeper than {_MAX_TREE_DEPTH} levels")


def _node(car: Car, cid: bytes, what: str) -> dict[str, Any]:
    block = car.blocks.get(cid)
    if block is None:
        raise ProofError(f"{what} {cid_string(cid)} is missing from the CAR")
    value = _decode(block, f"{what} {cid_string(cid)}")
    if not isinstance(value, dict):
        raise ProofError(f"{what} {cid_string(cid)} is not a map")
    return value


def _decode(block: bytes, what: str) -> Any:
    try:
        return libipld.decode_dag_cbor(block)
    except (ValueError, OverflowError, RecursionError) as exc:
        raise ProofError(f"{what} is not DAG-CBOR ({exc})") from exc


def _commit_encoding(commit: dict[str, Any]) -> bytes:
    """The commit's canonical DAG-CBOR, its ``sig`` written as bytes.

    libipld reads a CID as bytes and writes back as a link any bytes that parse as a CID, so
    ``_encode(commit)`` turns a signature that happens to (about one in 1,200) into a link.
    """
    keys = sorted(commit, key=lambda key: (len(key.encode()), key.encode()))
    pairs = [
        _encode(key)
        + (_cbor_head(2, len(commit[key])) + commit[key] if key == "sig" else _encode(commit[key]))
        for key in keys
    ]
    return _cbor_head(5, len(keys)) + b"".join(pairs)


def _cbor_head(major: int, value: int) -> bytes:
    """A CBOR item's head (major type, then the value or length) at its shortest, as DAG-CBOR
    requires."""
    if value < 24:
        return bytes([major << 5 | value])
    size = next(size for size in (1, 2, 4, 8) if value < 1 << (8 * size))
    return bytes([major << 5 | {1: 24, 2: 25, 4: 26, 8: 27}[size]]) + value.to_bytes(size, "big")


def _encode(value: Any) -> bytes:
    try:
        return bytes(libipld.encode_dag_cbor(value))
    except (ValueError, OverflowError, TypeError, RecursionError) as exc:
        raise ProofError(f"the commit does not encode as DAG-CBOR ({exc})") from exc


def _entries(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = document.get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _fragment(entry: dict[str, Any], did: str) -> str | None:
    """The fragment of an entry's id, written ``#name`` or ``DID#name`` (both are in use)."""
    ident = entry.get("id")
    if not isinstance(ident, str) or "#" not in ident:
        return None
    owner, _, fragment = ident.partition("#")
    return fragment if owner in ("", did) else None


class _Reader:
    """Bytes read front to back: unsigned varints, CIDs, slices; ProofError past the end."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def done(self) -> bool:
        return self.position >= len(self.data)

    def varint(self) -> int:
        value = shift = 0
        while True:
            if self.done() or shift > 56:
                raise ProofError("the CAR is malformed: a varint runs past its end or 64 bits")
            byte = self.data[self.position]
            self.position += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def take(self, length: int) -> bytes:
        if length > len(self.data) - self.position:
            raise ProofError("the CAR is malformed: a section runs past the end of the file")
        chunk = self.data[self.position : self.position + length]
        self.position += length
        return chunk

    def cid(self) -> tuple[int, bytes]:
        """``(codec, sha2-256 digest)`` of a CIDv1; ProofError for any other CID."""
        version = self.varint()
        codec = self.varint()
        hash_code = self.varint()
        length = self.varint()
        if version != 1 or hash_code != SHA2_256 or length != 32:
            raise ProofError("the CAR holds a CID that is not a CIDv1 with a sha2-256 hash")
        return codec, self.take(length)
