"""Ed25519 author keys: make, load, sign ``SHA256SUMS``, verify ``SIGNATURE``.

Formats (the spec's "Author key" definition):

* private key: PKCS#8 PEM on the author's machine only (OpenSSH keys also load);
* public key: base64 of the 32 raw bytes, as written in ``author.publicKey``;
* ``SIGNATURE``: base64 of the 64-byte Ed25519 signature of the exact bytes of
  ``SHA256SUMS``, followed by one newline.

Both base64 forms are canonical: exactly what :func:`base64.b64encode` writes.
Decoders ignore the unused low bits of the last character, so without this rule
one key or signature would have several spellings, and a signed package could be
changed (in ``SIGNATURE``) without any verifier noticing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from argent_marketplace.package.ed25519 import key_weakness, signature_weakness
from argent_marketplace.package.errors import IntegrityError, OutputError, SigningKeyError

__all__ = [
    "decode_public_key",
    "fingerprint",
    "generate_private_key",
    "key_file_is_exposed",
    "load_private_key",
    "private_key_pem",
    "public_key_b64",
    "sign_bytes",
    "verify_signature",
    "write_private_key",
]

_MAX_KEY_FILE_BYTES = 64 * 1024  # PEM and OpenSSH Ed25519 keys are a few hundred bytes


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 key from the OS random source."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, unencrypted: the file's 0600 mode is what protects it."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415 - see load_private_key

    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_failed(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write the key to {path}: {exc.strerror or exc}",
        hint="choose a writable --out path (its folder is created when missing)",
        details={"path": str(path)},
    )


def write_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Create ``path`` with mode 0600 and the key; never overwrite an existing file.

    A half-written key file is removed: it would fail later, far from the cause.

    Raises:
        SigningKeyError: ``key-exists`` when the file is already there.
        OutputError: The folder or file cannot be created or written (exit 6).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:  # FileExistsError included: the parent is a file
        raise _write_failed(path, exc) from exc
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError as exc:
        if path.is_dir() and not path.is_symlink():
            raise OutputError(
                f"{path} is a folder",
                hint="give --out the path of the key file to create",
                details={"path": str(path)},
            ) from exc
        raise SigningKeyError(
            f"{path} already exists; refusing to overwrite a key",
            code="key-exists",
            hint="choose another --out path, or move the old key away first",
        ) from exc
    except OSError as exc:
        raise _write_failed(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(private_key_pem(key))
        path.chmod(0o600)  # the umask may have narrowed it further; never wider
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise _write_failed(path, exc) from exc


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from PKCS#8 PEM (or OpenSSH) without a passphrase.

    Raises:
        SigningKeyError: The file is missing, unreadable, not Ed25519, or encrypted.
    """
    # Imported here: only the author's key files need it, and it costs ~10 ms at
    # start-up (its OpenSSH support imports the ciphers), which verify and install skip.
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    data = _read_key_file(path)
    openssh = b"OPENSSH PRIVATE KEY" in data
    try:
        if openssh:
            key: object = serialization.load_ssh_private_key(data, password=None)
        else:
            key = serialization.load_pem_private_key(data, password=None)
    except TypeError as exc:
        raise SigningKeyError(
            f"{path} is encrypted with a passphrase",
            code="key-encrypted",
            hint=f'remove the passphrase: ssh-keygen -p -N "" -f {path}'
            if openssh
            else f"decrypt it first: openssl pkey -in {path} -out PLAIN.pem",
        ) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError(
            f"{path} is not a PEM private key",
            code="invalid-key",
            hint="create one with 'argent marketplace keygen'",
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            f"{path} holds a {type(key).__name__.removesuffix('PrivateKey')} key, not Ed25519",
            code="invalid-key",
            hint="create an Ed25519 key with 'argent marketplace keygen'",
        )
    return key


def _unreadable(path: Path, why: str) -> SigningKeyError:
    return SigningKeyError(
        f"cannot read key file {path}: {why}",
        code="key-unreadable",
        hint="pass the file written by 'argent marketplace keygen'",
    )


def _read_key_file(path: Path) -> bytes:
    """The key file's bytes: a regular file, read with a bound, never a FIFO that blocks."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _unreadable(path, "not a regular file")
        data = os.read(fd, _MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > _MAX_KEY_FILE_BYTES:
        raise _unreadable(path, f"over {_MAX_KEY_FILE_BYTES} bytes, too large for a key")
    return data


def key_file_is_exposed(path: Path) -> bool:
    """Whether group or others can read the key file (worth a warning, like ssh)."""
    try:
        return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The manifest form of a public key: base64 of its 32 raw bytes."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = pub.public_bytes_raw()
    return base64.b64encode(raw).decode("ascii")


def decode_public_key(text: str, *, field: str = "author.publicKey") -> bytes:
    """The 32 raw bytes of a base64 public key, checked by the strict rules.

    The text must be exactly the 44 characters ``keygen`` prints: no surrounding
    whitespace and canonical base64, so one key has one spelling everywhere.

    Raises:
        SigningKeyError: Not canonical base64, not 32 bytes, or a weak point.
    """
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningKeyError(
            f"{field}: not base64 of 32 bytes",
            code="invalid-public-key",
            hint="paste the value printed by 'argent marketplace keygen'",
            details={"field": field},
        ) from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise SigningKeyError(
            f"{field}: not canonical base64 (unused bits set, or whitespace around it)",
            code="invalid-public-key",
            hint="paste the value printed by 'argent marketplace keygen' exactly",
            details={"field": field},
        )
    weakness = key_weakness(raw)
    if weakness is not None:
        message = (
            f"{field}: not base64 of 32 bytes" if len(raw) != 32 else f"{field}: the key {weakness}"
        )
        raise SigningKeyError(
            message,
            code="invalid-public-key",
            hint="generate a new key with 'argent marketplace keygen'",
            details={"field": field},
        )
    return raw


def fingerprint(public_key: str | bytes) -> str:
    """``SHA256:<base64>`` of the raw key: short, stable, familiar from OpenSSH."""
    raw = decode_public_key(public_key) if isinstance(public_key, str) else public_key
    digest = hashlib.sha256(raw).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def sign_bytes(data: bytes, key: Ed25519PrivateKey) -> bytes:
    """The content of a ``SIGNATURE`` file for ``data``."""
    return base64.b64encode(key.sign(data)) + b"\n"


def _malformed_signature(why: str) -> IntegrityError:
    return IntegrityError(
        f"SIGNATURE {why}",
        code="malformed-signature",
        hint="re-sign the package with 'argent marketplace sign'",
    )


def _decode_signature_file(signature_file: bytes) -> bytes:
    """The 64 signature bytes of a ``SIGNATURE`` file in its one canonical form."""
    try:
        sig = base64.b64decode(signature_file.removesuffix(b"\n"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _malformed_signature("is not base64") from exc
    weakness = signature_weakness(sig)
    if weakness is not None:
        raise _malformed_signature(weakness)
    if signature_file != base64.b64encode(sig) + b"\n":
        raise _malformed_signature(
            "is not in canonical form (base64 with unused bits clear, then one newline)"
        )
    return sig


def verify_signature(data: bytes, signature_file: bytes, public_key: str) -> None:
    """Check a ``SIGNATURE`` file over ``data``; return nothing on success.

    Raises:
        IntegrityError: ``malformed-signature`` or ``bad-signature``.
        SigningKeyError: The public key itself is unusable.
    """
    raw_key = decode_public_key(public_key)
    sig = _decode_signature_file(signature_file)
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(sig, data)
    except InvalidSignature as exc:
        raise IntegrityError(
            "SIGNATURE does not verify over SHA256SUMS with author.publicKey",
            code="bad-signature",
            hint="the package was altered or signed with another key; re-sign it with the "
            "key whose public half is in argent.plugin.json",
        ) from exc
