"""A demo time-stamping authority, for `make demo` only: demo TSA, not a trusted authority.

It answers RFC 3161 queries with tokens signed by a key made when it starts, under a root made
at the same time, so a demo run shows a time-stamped manifest that `archiver verify --tsa-roots`
(given that root) and `openssl ts -verify` both accept. Its time is the machine's clock and its
key is thrown away: it proves nothing to anyone else, and every name it carries says so.

The reply is DER built here: a CMS SignedData over the TSTInfo, with the
signing-certificate-v2 attribute OpenSSL requires, signed with ECDSA P-256 over SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from archiver.evidence import der
from archiver.evidence.demo_tsa_names import HOST as HOST
from archiver.evidence.demo_tsa_names import LABEL as LABEL
from archiver.evidence.demo_tsa_names import URL as URL
from archiver.evidence.tsa import QUERY_TYPE, REPLY_TYPE

_SHA256 = "2.16.840.1.101.3.4.2.1"
_ECDSA_SHA256 = "1.2.840.10045.4.3.2"
_SIGNED_DATA = "1.2.840.113549.1.7.2"
_TST_INFO = "1.2.840.113549.1.9.16.1.4"
_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
_DEMO_POLICY = "1.3.6.1.4.1.99999.3161.1"  # an arc no one assigned: a demo's own policy


@dataclass(frozen=True, slots=True)
class _Query:
    imprint: bytes  # the DER of the MessageImprint, copied as sent
    digest: bytes
    nonce: int | None
    cert_req: bool


def _parse_query(data: bytes) -> _Query:
    """The parts of a TimeStampReq a reply needs; ValueError unless it asks sha256."""
    tag, body, _ = der.read(data)
    if tag != 0x30:
        raise ValueError("not a TimeStampReq")
    parts = der.elements(body)
    imprint_tag, imprint = parts[1]
    algorithm, digest = der.elements(imprint)
    if imprint_tag != 0x30 or der.elements(algorithm[1])[0][1] != der.oid(_SHA256)[2:]:
        raise ValueError("the demo TSA signs sha256 imprints only")
    nonce = next((int.from_bytes(v, "big", signed=True) for t, v in parts[2:] if t == 0x02), None)
    cert_req = any(t == 0x01 and v != b"\x00" for t, v in parts[2:])
    return _Query(der.tlv(0x30, imprint), digest[1], nonce, cert_req)


# -- the authority -------------------------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, LABEL),
        ]
    )


class DemoTsa:
    """A demo TSA with a fresh key under a fresh root: ``reply(query)`` signs a query's hash.

    ``respond`` serves it from the replay server (``ReplayServer.respond(HOST, tsa.respond)``).
    """

    def __init__(self) -> None:
        now = dt.datetime.now(dt.UTC)
        root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = (
            x509.CertificateBuilder()
            .subject_name(_name(f"archiver {LABEL}: root"))
            .issuer_name(_name(f"archiver {LABEL}: root"))
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(signs_certificates=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
            )
            .sign(root_key, hashes.SHA256())
        )
        self._key = ec.generate_private_key(ec.SECP256R1())
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(f"archiver {LABEL}"))
            .issuer_name(self.root.subject)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signs_certificates=False), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
            .sign(root_key, hashes.SHA256())
        )
        self._serials = itertools.count(1)

    @property
    def root_pem(self) -> bytes:
        """The demo root, for ``--tsa-roots`` and ``openssl ts -verify -CAfile``."""
        return self.root.public_bytes(serialization.Encoding.PEM)

    @property
    def certificate_pem(self) -> bytes:
        """The demo TSA's certificate, for ``openssl ts -verify -untrusted``."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def reply(self, query: bytes, *, now: dt.datetime | None = None) -> bytes:
        """A granted TimeStampResp (DER) over the query's hash; a rejection for a bad query."""
        try:
            parsed = _parse_query(query)
        except (ValueError, IndexError):
            return der.sequence(der.sequence(der.integer(2)))  # PKIStatus 2: rejection
        when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        info = der.sequence(
            der.integer(1),
            der.oid(_DEMO_POLICY),
            parsed.imprint,
            der.integer(next(self._serials)),
            der.tlv(0x18, when.strftime("%Y%m%d%H%M%SZ").encode("ascii")),
            *([der.integer(parsed.nonce)] if parsed.nonce is not None else []),
        )
        return der.sequence(
            der.sequence(der.integer(0)), self._token(info, with_certificate=parsed.cert_req)
        )

    def _token(self, info: bytes, *, with_certificate: bool) -> bytes:
        certificate = self.certificate.public_bytes(serialization.Encoding.DER)
        sha256 = der.sequence(der.oid(_SHA256))
        attributes = [
            der.sequence(der.oid(_CONTENT_TYPE), der.set_of(der.oid(_TST_INFO))),
            der.sequence(
                der.oid(_MESSAGE_DIGEST), der.set_of(der.octets(hashlib.sha256(info).digest()))
            ),
            der.sequence(
                der.oid(_SIGNING_CERTIFICATE_V2),
                der.set_of(
                    der.sequence(
                        der.sequence(der.sequence(der.octets(hashlib.sha256(certificate).digest())))
                    )
                ),
            ),
        ]
        signed = der.set_of(*attributes)  # what is signed: the attributes as a SET
        signature = self._key.sign(signed, ec.ECDSA(hashes.SHA256()))
        signer = der.sequence(
            der.integer(1),
            der.sequence(
                self.certificate.issuer.public_bytes(), der.integer(self.certificate.serial_number)
            ),
            sha256,
            der.tlv(der.CONTEXT_0, der.read(signed)[1]),  # the same SET, tagged [0]
            der.sequence(der.oid(_ECDSA_SHA256)),
            der.octets(signature),
        )
        signed_data = der.sequence(
            der.integer(3),
            der.set_of(sha256),
            der.sequence(der.oid(_TST_INFO), der.tlv(0xA0, der.octets(info))),
            *([der.tlv(0xA0, certificate)] if with_certificate else []),
            der.set_of(signer),
        )
        return der.sequence(der.oid(_SIGNED_DATA), der.tlv(0xA0, signed_data))

    def respond(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """A replay-server responder: a POSTed query gets a reply, anything else a 400."""
        if method != "POST" or headers.get("content-type") != QUERY_TYPE:
            message = f"{LABEL}: POST an {QUERY_TYPE}\n".encode()
            return 400, [("content-type", "text/plain")], message
        return 200, [("content-type", REPLY_TYPE)], self.reply(body)


def _key_usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signs_certificates,
        content_commitment=not signs_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=signs_certificates,
        crl_sign=signs_certificates,
        encipher_only=False,
        decipher_only=False,
    )
