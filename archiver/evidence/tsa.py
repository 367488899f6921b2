"""RFC 3161 time-stamps, offline: the query a run sends, and the checks made on a reply.

A run sends each time-stamping authority (TSA) the sha256 of its manifest
(archiver/evidence/manifest.py) with a nonce and certReq true; the TSA signs that hash with the
time. Nothing here touches the network: the run posts the query (archiver/jobs/timestamping.py) and the
stored reply is judged here, by `archiver verify` and `archiver db check`, with ``rfc3161-client``
(request building, CMS signature, the signer's critical timeStamping EKU, the chain to a root).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from archiver.evidence import der

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
ENV_TSA = "ARCHIVER_TSA"
_SHA256_OID = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")
# The digests a signer may use, by the body of their OBJECT IDENTIFIER's encoding.
_DIGESTS: dict[bytes, hashes.HashAlgorithm] = {
    der.read(der.oid(dotted))[1]: digest
    for dotted, digest in (
        ("2.16.840.1.101.3.4.2.1", hashes.SHA256()),
        ("2.16.840.1.101.3.4.2.2", hashes.SHA384()),
        ("2.16.840.1.101.3.4.2.3", hashes.SHA512()),
    )
}
_MESSAGE_DIGEST = der.read(der.oid("1.2.840.113549.1.9.4"))[1]
# What rfc3161-client's chain check says when no trusted root is the signer's issuer.
_NO_ISSUER = "unable to get local issuer certificate"


TrustRoots = list[x509.Certificate]  # what `verify_reply` checks a signer's chain against


class TimestampError(ValueError):
    """A reply that is not a granted time-stamp over the hash asked for; the message says why."""


@dataclass(frozen=True, slots=True)
class TimestampQuery:
    """A TimeStampReq (DER) over ``sha256``, and the nonce its reply must carry."""

    der: bytes
    sha256: str
    nonce: int | None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a stored reply proves: ``time`` (UTC ISO) when it could be read at all."""

    verified: bool
    time: str | None
    reason: str | None


def tsa_urls(given: Iterable[str] | None, environ: Mapping[str, str]) -> tuple[str, ...]:
    """The TSAs of a run: those given (``--tsa``), else ``$ARCHIVER_TSA`` split on spaces."""
    urls = [u.strip() for u in (given or ()) if u.strip()]
    if not urls:
        urls = environ.get(ENV_TSA, "").split()
    if bad := [u for u in urls if not u.lower().startswith(("http://", "https://"))]:
        raise ValueError(f"a TSA is an http:// or https:// URL, not {bad[0]!r}")
    return tuple(dict.fromkeys(urls))


def build_query(data: bytes) -> TimestampQuery:
    """The query for ``data`` (a manifest's bytes): sha256, a random nonce, certReq true."""
    request = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    return TimestampQuery(request.as_bytes(), hashlib.sha256(data).hexdigest(), request.nonce)


def _decode(der: bytes) -> TimeStampResponse:
    try:
        reply = decode_timestamp_response(der)
    except ValueError as exc:
        raise TimestampError(f"not a time-stamp reply ({len(der)} bytes): {exc}") from exc
    if reply.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        said = "; ".join(reply.status_string) or "no reason given"
        raise TimestampError(f"the TSA did not grant a time-stamp (status {reply.status}: {said})")
    return reply


def read_reply(der: bytes, *, sha256: str, nonce: int | None = None) -> str:
    """The time (UTC ISO) of a granted reply over ``sha256`` with ``nonce``; else TimestampError.

    Checks what needs no trust root: it parses, was granted, signs this hash with sha256, and
    carries the nonce sent. The signature and the chain are `verify_reply`'s.
    """
    reply = _decode(der)
    try:
        info = reply.tst_info
        imprint = info.message_imprint
    except ValueError as exc:
        raise TimestampError(f"the reply holds no readable token: {exc}") from exc
    if imprint.hash_algorithm != _SHA256_OID:
        raise TimestampError(f"the token hashes with {imprint.hash_algorithm.dotted_string}")
    if imprint.message.hex() != sha256:
        raise TimestampError(f"the token is over {imprint.message.hex()}, not {sha256}")
    if nonce is not None and info.nonce != nonce:
        raise TimestampError(f"the token's nonce {info.nonce} is not the one sent, {nonce}")
    return _iso(info.gen_time)


def verify_reply(der: bytes, *, sha256: str, roots: TrustRoots) -> Verdict:
    """A stored reply checked in full: over ``sha256``, signed, timeStamping EKU, from a root.

    Never raises for a bad reply: the verdict's ``reason`` says what failed.
    """
    try:
        time = read_reply(der, sha256=sha256)
    except TimestampError as exc:
        return Verdict(False, None, str(exc))
    if not roots:
        return Verdict(False, time, "untrusted: no trust roots to check the signer's chain against")
    try:
        VerifierBuilder(roots=list(roots)).build().verify(
            decode_timestamp_response(der), bytes.fromhex(sha256)
        )
    except (VerificationError, ValueError) as exc:
        return Verdict(False, time, _why(exc))
    return Verdict(True, time, None)


def signature_problem(der_reply: bytes) -> str | None:
    """Why a reply's token is not signed by the certificate it names, or None when it is.

    No trust root is involved: the CMS signature over the signed attributes is checked with the
    public key of the signer certificate the token carries, the messageDigest attribute against
    the token's content, and that certificate's critical timeStamping EKU. This is
    what `archiver db check` can still say about a token no trusted root vouches for.
    """
    try:
        reply = _decode(der_reply)
        signers = list(reply.signed_data.signer_infos)
        certificates = [x509.load_der_x509_certificate(c) for c in reply.signed_data.certificates]
        _, content_info, _ = der.read(reply.time_stamp_token())
        signed_data = der.elements(der.read(der.elements(content_info)[1][1])[1])
        encapsulated = der.elements(signed_data[2][1])
        content = der.read(encapsulated[1][1])[1]
        [(_, signer_info)] = der.elements(signed_data[-1][1])
        fields = der.elements(signer_info)
    except (TimestampError, ValueError, IndexError) as exc:
        return f"the token's signed data is unreadable: {exc}"
    if len(signers) != 1:
        return f"the token has {len(signers)} signers, not one"
    leaf = next(
        (
            c
            for c in certificates
            if c.issuer == signers[0].issuer and c.serial_number == signers[0].serial_number
        ),
        None,
    )
    if leaf is None:
        return "the token does not carry its signer's certificate"
    attributes = next((value for tag, value in fields if tag == der.CONTEXT_0), None)
    digest = _DIGESTS.get(der.elements(fields[2][1])[0][1])
    if attributes is None or digest is None:
        return "the token's signer uses no signed attributes or an unknown digest"
    try:
        found = [
            der.elements(values)
            for _, attribute in der.elements(attributes)
            for (_, name), (_, values) in [der.elements(attribute)]
            if name == _MESSAGE_DIGEST
        ]
    except ValueError as exc:
        return f"the token's signed attributes are unreadable: {exc}"
    expected = hashlib.new(digest.name, content).digest()
    if found != [[(der.OCTET_STRING, expected)]]:
        return "the token's messageDigest does not match its content"
    signature = next(value for tag, value in reversed(fields) if tag == der.OCTET_STRING)
    try:
        _verify_signature(leaf, signature, der.tlv(der.SET, attributes), digest)
    except InvalidSignature:
        return "its signature does not verify with its signer's certificate"
    except (TypeError, ValueError) as exc:
        return f"its signature cannot be checked: {exc}"
    try:
        usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return "its signer's certificate has no extended key usage"
    if not usage.critical or ExtendedKeyUsageOID.TIME_STAMPING not in usage.value:
        return "its signer's certificate is not for time-stamping alone (critical EKU)"
    return None


def _verify_signature(
    certificate: x509.Certificate, signature: bytes, data: bytes, digest: hashes.HashAlgorithm
) -> None:
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(digest))
    elif isinstance(key, rsa.RSAPublicKey):
        try:
            key.verify(signature, data, padding.PKCS1v15(), digest)
        except InvalidSignature:
            pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=padding.PSS.AUTO)
            key.verify(signature, data, pss, digest)
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        key.verify(signature, data)
    else:
        raise TypeError(f"a {type(key).__name__} key")


def untrusted_only(verdict: Verdict) -> bool:
    """True when a verdict failed only because no trust root vouches for the signer."""
    return not verdict.verified and (verdict.reason or "").startswith("untrusted:")


def _why(exc: Exception) -> str:
    message = str(exc)
    if _NO_ISSUER in message:
        return "untrusted: the signer's certificate does not chain to a trusted root"
    return f"invalid: {message}"


def load_roots(path: Path | None = None) -> TrustRoots:
    """The trust roots: the PEM file at ``path``, else the certifi bundle."""
    data = path.read_bytes() if path is not None else Path(certifi.where()).read_bytes()
    try:
        with warnings.catch_warnings():
            # certifi holds a root with a serial number X.509 forbids; it is still a root
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise ValueError(f"{path or 'certifi'}: no PEM certificates: {exc}") from exc


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
