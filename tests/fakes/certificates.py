"""A self-signed certificate for 127.0.0.1, made at test time, so the fake can serve HTTPS.

Why HTTPS: azure-core's bearer-token policy refuses plain-http URLs (feasibility §5), and the
alternatives (a replacement auth policy, or `enforce_https=False` on every call) would make the backend
build its clients differently under test. Over HTTPS the SDK clients keep their default
ARMChallengeAuthenticationPolicy; only `base_url`, the credential and `connection_verify` (this CA file)
differ from production. The certificate is its own CA (basicConstraints CA:TRUE), valid one day, EC P-256
(generated in about a millisecond), made once per process.
"""

from __future__ import annotations

import atexit
import functools
import ipaddress
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True, slots=True)
class Certificate:
    """The PEM files of one self-signed server certificate."""

    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        """A server-side TLS context presenting this certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def _build(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """A one-day self-signed CA certificate for 127.0.0.1 and localhost."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


@functools.cache
def self_signed_certificate() -> Certificate:
    """This process's certificate, written once to a private temporary directory removed at exit."""
    key = ec.generate_private_key(ec.SECP256R1())
    folder = Path(tempfile.mkdtemp(prefix="azure-arm-fake-"))
    atexit.register(shutil.rmtree, folder, True)
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(_build(key).public_bytes(serialization.Encoding.PEM))
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file.write_bytes(key_bytes)
    key_file.chmod(0o600)
    return Certificate(cert_file, key_file)
