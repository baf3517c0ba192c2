"""`quipu receipts verify` and `quipu receipts public-key` on real files."""

import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError

from quipu.cooperation.receipts.keys import public_key_pem


def _receipts(*args) -> str:
    out = StringIO()
    call_command("receipts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def receipt_file(issue, tmp_path):
    def write(document=None):
        path = tmp_path / "receipt.json"
        path.write_text(json.dumps(document or issue().document), encoding="utf-8")
        return path

    return write


def test_verify_exits_0_and_prints_valid_for_a_genuine_receipt(receipt_file):
    assert _receipts("verify", str(receipt_file())).splitlines()[0] == "valid"


def test_verify_exits_1_with_the_reason_for_a_changed_receipt(issue, receipt_file):
    document = issue().document
    document["parties"] = ["CO", "AR"]
    with pytest.raises(CommandError, match=r"invalid \(signature\)") as failure:
        _receipts("verify", str(receipt_file(document)))
    assert failure.value.returncode == 1


def test_verify_exits_1_for_a_file_that_is_not_json(region, tmp_path):
    path = tmp_path / "receipt.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        _receipts("verify", str(path))


def test_the_printed_public_key_verifies_a_receipt_offline(receipt_file, tmp_path):
    path = receipt_file()
    printed = _receipts("public-key")
    pem = printed[printed.index("-----BEGIN") :]
    key_path = tmp_path / "platform.pem"
    key_path.write_text(pem, encoding="ascii")
    output = _receipts("verify", str(path), "--public-key", str(key_path))
    assert output.startswith("valid\n")


def test_offline_verification_with_another_public_key_names_the_unknown_key(receipt_file, tmp_path):
    path = receipt_file()
    other = Ed25519PrivateKey.generate().public_key()
    key_path = tmp_path / "other.pem"
    key_path.write_text(public_key_pem(other), encoding="ascii")
    with pytest.raises(CommandError, match=r"invalid \(unknown_key\)"):
        _receipts("verify", str(path), "--public-key", str(key_path))


def test_the_cli_exit_codes_on_real_files(receipt_file, tmp_path):
    """The installed command, run as operators run it: 0 when valid, 1 when not."""
    import os
    import subprocess
    import sys

    good = receipt_file()
    key_path = tmp_path / "platform.pem"
    key_path.write_text(_receipts("public-key").split("\n", 1)[1], encoding="ascii")
    bad = tmp_path / "bad.json"
    document = json.loads(good.read_text())
    document["event"] = "request.refused"
    bad.write_text(json.dumps(document), encoding="utf-8")
    command = [sys.executable, "-m", "django", "receipts", "verify"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quipu.config.settings"}
    ok = subprocess.run(
        [*command, str(good), "--public-key", str(key_path)], env=env, capture_output=True
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(b"valid\n")
    refused = subprocess.run(
        [*command, str(bad), "--public-key", str(key_path)], env=env, capture_output=True
    )
    assert refused.returncode == 1
    assert b"invalid (signature)" in refused.stderr


def test_after_a_rotation_all_public_keys_verify_old_and_new_receipts_offline(
    issue, tmp_path, monkeypatch
):
    from quipu.cooperation.receipts.keys import private_key_pem

    old = issue().document
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY", private_key_pem(Ed25519PrivateKey.generate()))
    new = issue().document
    key_path = tmp_path / "all.pem"
    key_path.write_text(_receipts("public-key", "--all"), encoding="ascii")
    for name, document in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        assert _receipts("verify", str(path), "--public-key", str(key_path)).startswith("valid")
    current_only = tmp_path / "current.pem"
    current_only.write_text(_receipts("public-key"), encoding="ascii")
    path = tmp_path / "old.json"
    with pytest.raises(CommandError, match=r"invalid \(unknown_key\)"):
        _receipts("verify", str(path), "--public-key", str(current_only))


def test_a_receipt_saved_with_a_byte_order_mark_still_verifies(issue, tmp_path):
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(issue().document), encoding="utf-8-sig")
    assert _receipts("verify", str(path)).startswith("valid")


def test_a_public_key_file_without_a_key_is_refused(receipt_file, tmp_path):
    key_path = tmp_path / "empty.pem"
    key_path.write_text("nothing here", encoding="ascii")
    with pytest.raises(CommandError):
        _receipts("verify", str(receipt_file()), "--public-key", str(key_path))
