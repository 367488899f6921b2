"""A time-stamping authority of the tests' own: a root CA and a TSA certificate made here, replies
made by `openssl ts -reply`, served by the replay server (ReplayServer.respond).

Nothing in it comes from archiver: the certificates come from ``cryptography`` and the tokens
from OpenSSL, so the project's verification is judged against an implementation it did not write.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TSA_HOST = "tsa.example.org"
TSA_URL = f"http://{TSA_HOST}/tsr"
REPLY_TYPE = "application/timestamp-reply"

_CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.pem
certs = {dir}/tsa.pem
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


class TestTsa:
    """A root, a TSA certificate it issued (critical timeStamping EKU), and OpenSSL's replies.

    ``reply(query)`` answers a DER TimeStampReq; ``respond`` is the same as a replay responder.
    """

    __test__ = False  # not a test class, for pytest

    def __init__(self, directory: Path, *, name: str = "Test", rsa_key: bool = False) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.dir = directory
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{name} Root CA"))
            .issuer_name(_name(f"{name} Root CA"))
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
            )
            .sign(root_key, hashes.SHA256())
        )
        tsa_key = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if rsa_key
            else ec.generate_private_key(ec.SECP256R1())
        )
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{name} TSA"))
            .issuer_name(self.root.subject)
            .public_key(tsa_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=False), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
            .sign(root_key, hashes.SHA256())
        )
        self.root_pem = directory / "root.pem"
        self.tsa_pem = directory / "tsa.pem"
        self.root_pem.write_bytes(_pem(self.root))
        self.tsa_pem.write_bytes(_pem(self.certificate))
        (directory / "tsa.key").write_bytes(
            tsa_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        (directory / "serial").write_text("01\n")
        self.config = directory / "ts.cnf"
        self.config.write_text(_CONFIG.format(dir=directory))
        self.queries: list[bytes] = []
        self.content_types: list[str | None] = []

    def reply(self, query: bytes) -> bytes:
        """OpenSSL's TimeStampResp (DER) to a TimeStampReq (DER)."""
        self.queries.append(query)
        request, response = self.dir / "query.tsq", self.dir / "reply.tsr"
        request.write_bytes(query)
        subprocess.run(
            ["openssl", "ts", "-reply", "-config", str(self.config), "-queryfile", str(request),
             "-out", str(response)],
            check=True, capture_output=True,
        )  # fmt: skip
        return response.read_bytes()

    def respond(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list, bytes]:
        """A replay responder: a query POSTed as application/timestamp-query gets its reply."""
        self.content_types.append(headers.get("content-type"))
        if method != "POST":
            return 405, [], b""
        return 200, [("content-type", REPLY_TYPE)], self.reply(body)


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def openssl_verify(
    reply: Path, tsa: TestTsa, *, digest: str | None = None, data: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`openssl ts -verify` of a reply over a digest (hex) or a file, as a third party runs it."""
    what = ["-digest", digest] if digest is not None else ["-data", str(data)]
    return subprocess.run(
        ["openssl", "ts", "-verify", *what, "-in", str(reply), "-CAfile", str(tsa.root_pem),
         "-untrusted", str(tsa.tsa_pem)],
        capture_output=True, text=True,
    )  # fmt: skip
