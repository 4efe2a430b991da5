"""The target config: credentials by reference or Google's default chain, plaintext only to a local endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from monaco.backends.gcp_monitoring.clients import make_clients
from monaco.backends.gcp_monitoring.config import GcpConfig
from monaco.spec.types import SecretRef


def _key_file(path: Path, email: str) -> Path:
    """A service-account key file with a fresh RSA key (never used to sign anything here)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    info = {
        "type": "service_account",
        "project_id": "monaco-test",
        "private_key_id": "0" * 40,
        "private_key": pem.decode(),
        "client_email": email,
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def test_a_service_account_key_referenced_as_a_file_is_what_the_clients_use(tmp_path: Path) -> None:
    """`credentials: {file: key.json}` (relative to the target file) builds every client with that account."""
    _key_file(tmp_path / "key.json", "monaco@monaco-test.iam.gserviceaccount.com")
    config = GcpConfig(project="monaco-test", credentials=SecretRef(file="key.json"))
    clients = make_clients(config, tmp_path)
    try:
        for client in (clients.policies, clients.channels, clients.services):
            assert client.transport._credentials.service_account_email == "monaco@monaco-test.iam.gserviceaccount.com"
    finally:
        clients.close()


def test_without_credentials_the_default_chain_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No `credentials`: GOOGLE_APPLICATION_CREDENTIALS (the first link of the default chain) is read."""
    key = _key_file(tmp_path / "adc.json", "adc@monaco-test.iam.gserviceaccount.com")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    clients = make_clients(GcpConfig(project="monaco-test"), tmp_path)
    try:
        assert (
            clients.policies.transport._credentials.service_account_email == "adc@monaco-test.iam.gserviceaccount.com"
        )
    finally:
        clients.close()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"plaintext": True}, "plaintext needs an endpoint on 127.0.0.1"),
        ({"plaintext": True, "endpoint": "monitoring.googleapis.com:443"}, "plaintext needs an endpoint"),
        ({"endpoint": "https://monitoring.googleapis.com"}, "endpoint is host:port"),
        ({"project": "Bad_Project"}, "String should match pattern"),
    ],
)
def test_config_values_a_user_could_get_wrong_are_refused(fields: dict[str, object], message: str) -> None:
    """Credentials never go in clear to a remote host; endpoints are host:port; project ids are GCP's shape."""
    with pytest.raises(ValidationError, match=message):
        GcpConfig.model_validate({"project": "monaco-test", **fields})
