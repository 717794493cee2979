"""Ed25519 keys and signatures: strict acceptance, and interop with independent implementations."""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess
from pathlib import Path

import nacl.signing
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.ed25519 import key_weakness, signature_weakness
from argent_marketplace.package.errors import IntegrityError, OutputError, SigningKeyError
from argent_marketplace.package.signing import (
    decode_public_key,
    fingerprint,
    load_private_key,
    public_key_b64,
    sign_bytes,
    verify_signature,
    write_private_key,
)

L = 2**252 + 27742317777372353535851937790883648493

# RFC 8032 section 7.1, TEST 2 (one-byte message).
RFC_SECRET = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
RFC_PUBLIC = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
RFC_MESSAGE = bytes.fromhex("72")
RFC_SIGNATURE = bytes.fromhex(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
)

# The eight small-order points (libsodium's blocklist, canonical encodings).
SMALL_ORDER = [
    bytes(32),
    b"\x01" + bytes(31),
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    bytes.fromhex("0000000000000000000000000000000000000000000000000000000000000080"),
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_rfc8032_vector_verifies() -> None:
    key = Ed25519PrivateKey.from_private_bytes(RFC_SECRET)
    assert public_key_b64(key) == _b64(RFC_PUBLIC)
    assert base64.b64decode(sign_bytes(RFC_MESSAGE, key)) == RFC_SIGNATURE
    verify_signature(RFC_MESSAGE, _b64(RFC_SIGNATURE).encode() + b"\n", _b64(RFC_PUBLIC))


def test_signature_with_s_plus_l_is_refused() -> None:
    """Malleability: S and S+L verify in lax implementations; we accept only S < L."""
    s = int.from_bytes(RFC_SIGNATURE[32:], "little") + L
    assert s < 2**256
    mauled = RFC_SIGNATURE[:32] + s.to_bytes(32, "little")
    assert signature_weakness(mauled) is not None
    with pytest.raises(IntegrityError) as info:
        verify_signature(RFC_MESSAGE, _b64(mauled).encode(), _b64(RFC_PUBLIC))
    assert info.value.code == "malformed-signature"


@pytest.mark.parametrize("point", SMALL_ORDER)
def test_small_order_keys_are_refused(point: bytes) -> None:
    assert key_weakness(point) is not None
    with pytest.raises(SigningKeyError):
        decode_public_key(_b64(point))


def test_non_canonical_key_encoding_is_refused() -> None:
    # y = p + 1 (encodes 1 again, non-canonically)
    p = 2**255 - 19
    assert key_weakness((p + 1).to_bytes(32, "little")) is not None


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_wrong_length_keys_and_signatures(length: int) -> None:
    with pytest.raises(SigningKeyError):
        decode_public_key(_b64(b"\x11" * length))
    with pytest.raises(IntegrityError) as info:
        verify_signature(b"x", _b64(b"\x11" * length).encode(), _b64(RFC_PUBLIC))
    assert info.value.code == "malformed-signature"


def test_random_keys_are_accepted() -> None:
    for _ in range(20):
        assert key_weakness(base64.b64decode(public_key_b64(Ed25519PrivateKey.generate()))) is None


def test_signature_over_other_bytes_is_bad() -> None:
    key = Ed25519PrivateKey.generate()
    sig = sign_bytes(b"SHA256SUMS content", key)
    with pytest.raises(IntegrityError) as info:
        verify_signature(b"SHA256SUMS content!", sig, public_key_b64(key))
    assert info.value.code == "bad-signature"


def test_signature_file_format() -> None:
    key = Ed25519PrivateKey.generate()
    sig = sign_bytes(b"data", key)
    assert sig.endswith(b"\n") and len(base64.b64decode(sig)) == 64
    verify_signature(b"data", sig, public_key_b64(key))
    for variant in (sig.rstrip(b"\n"), sig + b"\n", b"!!" + sig, sig.replace(b"\n", b"\r\n")):
        with pytest.raises(IntegrityError) as info:
            verify_signature(b"data", variant, public_key_b64(key))
        assert info.value.code == "malformed-signature"


def _flip_unused_bits(b64: bytes) -> bytes:
    """The same bytes in another spelling: the low bits before '==' are ignored by decoders."""
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    text = b64.rstrip(b"\n")
    pad = len(text) - len(text.rstrip(b"="))
    last = len(text) - pad - 1
    flipped = alphabet[alphabet.index(text[last]) ^ 1 : alphabet.index(text[last]) ^ 1 + 1]
    return text[:last] + flipped + text[last + 1 :] + b64[len(text) :]


def test_non_canonical_signature_base64_is_refused() -> None:
    """M3c: one signature has one SIGNATURE file; a second spelling would go unnoticed."""
    key = Ed25519PrivateKey.generate()
    sig = sign_bytes(b"data", key)
    other = _flip_unused_bits(sig)
    assert other != sig and base64.b64decode(other) == base64.b64decode(sig)
    with pytest.raises(IntegrityError) as info:
        verify_signature(b"data", other, public_key_b64(key))
    assert info.value.code == "malformed-signature"
    assert "canonical" in info.value.message


@pytest.mark.parametrize("variant", ["trailing-newline", "leading-space", "unused-bits"])
def test_public_key_must_be_its_canonical_44_characters(variant: str) -> None:
    """L1: no whitespace around author.publicKey and no second spelling of one key."""
    text = public_key_b64(Ed25519PrivateKey.generate())
    changed = {
        "trailing-newline": text + "\n",
        "leading-space": " " + text,
        "unused-bits": _flip_unused_bits(text.encode()).decode(),
    }[variant]
    assert changed != text
    with pytest.raises(SigningKeyError) as info:
        decode_public_key(changed)
    assert info.value.code == "invalid-public-key"


# --- key files ----------------------------------------------------------------------------


def test_key_file_is_pkcs8_0600_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    key = Ed25519PrivateKey.generate()
    write_private_key(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_key_b64(load_private_key(path)) == public_key_b64(key)
    before = path.read_bytes()
    with pytest.raises(SigningKeyError) as info:
        write_private_key(Ed25519PrivateKey.generate(), path)
    assert info.value.code == "key-exists"
    assert path.read_bytes() == before


def test_openssh_keys_load(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "id_ed25519"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    assert public_key_b64(load_private_key(path)) == public_key_b64(key)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a key", "invalid-key"),
        (None, "key-unreadable"),
    ],
)
def test_bad_key_files(tmp_path: Path, content: bytes | None, code: str) -> None:
    path = tmp_path / "k.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SigningKeyError) as info:
        load_private_key(path)
    assert info.value.code == code


def test_key_path_that_is_a_folder_or_fifo_is_unreadable(tmp_path: Path) -> None:
    """L2: a folder or a FIFO given as --key is our error (exit 3), and a FIFO never blocks."""
    folder = tmp_path / "adir"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (folder, fifo):
        with pytest.raises(SigningKeyError) as info:
            load_private_key(path)
        assert info.value.code == "key-unreadable"
        assert info.value.exit_code == 3


# Made with 'ssh-keygen -t ed25519 -N testpass' (cryptography needs bcrypt to write one).
ENCRYPTED_OPENSSH_KEY = b"""-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABDAUyL7pc
3BqTj5+f8biNoGAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIK67y1TENRgA4U88
C9mu6WxAXGeg4ujKmJbAhnfIOamiAAAAkE7FYoQ3jr62ICEU39ilJG5FUHKyr9oyb48RpE
W1r/+45XvPCWARuMhG7nDe1MOg5DFOPi09vYHulupi4H9rhy76oSgCmm/y4EWkxX1MNvIM
6Vpd6lvN4N0f3VeBSOT7P1LTYCEIEz8RrvrEDKSNVxiaz7bgcuDRzczWPACt5aXeWTreLF
MpmQMsmrfIoMI5Kw==
-----END OPENSSH PRIVATE KEY-----
"""


def test_encrypted_openssh_key_hint_names_ssh_keygen(tmp_path: Path) -> None:
    path = tmp_path / "id_ed25519"
    path.write_bytes(ENCRYPTED_OPENSSH_KEY)
    with pytest.raises(SigningKeyError) as info:
        load_private_key(path)
    assert info.value.code == "key-encrypted"
    assert info.value.hint == f'remove the passphrase: ssh-keygen -p -N "" -f {path}'


@pytest.mark.parametrize("where", ["parent-is-a-file", "in-proc", "is-a-folder"])
def test_key_write_failures_are_local_io(tmp_path: Path, where: str) -> None:
    """L2: a key that cannot be written is an OutputError (exit 6), never a raw OSError."""
    (tmp_path / "file").write_bytes(b"x")
    (tmp_path / "folder").mkdir()
    path = {
        "parent-is-a-file": tmp_path / "file" / "k.pem",
        "in-proc": Path("/proc/argent-test/k.pem"),
        "is-a-folder": tmp_path / "folder",
    }[where]
    with pytest.raises(OutputError) as info:
        write_private_key(Ed25519PrivateKey.generate(), path)
    assert info.value.exit_code == 6
    assert str(path) in info.value.message


def test_encrypted_and_non_ed25519_keys(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    enc = tmp_path / "enc.pem"
    enc.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pw"),
        )
    )
    with pytest.raises(SigningKeyError) as info:
        load_private_key(enc)
    assert info.value.code == "key-encrypted"
    other = tmp_path / "ec.pem"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(SigningKeyError) as info:
        load_private_key(other)
    assert "not Ed25519" in info.value.message


def test_fingerprint_is_stable() -> None:
    assert fingerprint(_b64(RFC_PUBLIC)) == fingerprint(RFC_PUBLIC)
    assert fingerprint(_b64(RFC_PUBLIC)).startswith("SHA256:")


# --- interop: PyNaCl (libsodium) and openssl over a real package's SHA256SUMS --------------


def _member(package: Path, name: str) -> bytes:
    import tarfile

    with tarfile.open(package, "r:gz") as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()


def test_our_signature_verifies_with_pynacl(signed_package: Path) -> None:
    sums = _member(signed_package, "SHA256SUMS")
    sig = base64.b64decode(_member(signed_package, "SIGNATURE"))
    manifest = _member(signed_package, "argent.plugin.json")
    import json

    pub = base64.b64decode(json.loads(manifest)["author"]["publicKey"])
    nacl.signing.VerifyKey(pub).verify(sums, sig)  # raises BadSignatureError on failure


def test_pynacl_signature_verifies_with_ours() -> None:
    nacl_key = nacl.signing.SigningKey.generate()
    data = b"0" * 64 + b"  README.md\n"
    sig = base64.b64encode(nacl_key.sign(data).signature) + b"\n"
    verify_signature(data, sig, _b64(bytes(nacl_key.verify_key)))


openssl = shutil.which("openssl")


@pytest.mark.skipif(openssl is None, reason="openssl command not installed")
def test_openssl_interop_both_ways(tmp_path: Path, signed_package: Path, key_file: Path) -> None:
    assert openssl is not None
    sums = tmp_path / "SHA256SUMS"
    sums.write_bytes(_member(signed_package, "SHA256SUMS"))
    sig = tmp_path / "sig.bin"
    sig.write_bytes(base64.b64decode(_member(signed_package, "SIGNATURE")))
    pub = tmp_path / "pub.pem"
    subprocess.run([openssl, "pkey", "-in", key_file, "-pubout", "-out", pub], check=True)
    # ours -> openssl
    subprocess.run(
        [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin",
         "-in", sums, "-sigfile", sig],
        check=True, capture_output=True,
    )  # fmt: skip
    # openssl -> ours
    theirs = tmp_path / "theirs.bin"
    subprocess.run(
        [openssl, "pkeyutl", "-sign", "-inkey", key_file, "-rawin", "-in", sums, "-out", theirs],
        check=True,
    )
    key = load_private_key(key_file)
    signature_file = base64.b64encode(theirs.read_bytes()) + b"\n"
    verify_signature(sums.read_bytes(), signature_file, public_key_b64(key))
