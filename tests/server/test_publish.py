"""POST /api/v1/publish: the pipeline's answers, and nothing stored on any refusal."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import event

from argent_marketplace.package.limits import Limits
from argent_marketplace.package.signing import generate_private_key, public_key_b64
from argent_marketplace.publish.errors import PublishError, VersionExists
from argent_marketplace.publish.pipeline import publish_package
from tests.server.conftest import Market


def _nothing_stored(market: Market) -> None:
    assert market.row_count("versions") == 0
    assert market.row_count("packages") == 0
    assert market.row_count("pending_blobs") == 0
    assert market.blob_count() == 0


def _rewrite(archive: Path, name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(archive, "r:gz") as src, tarfile.open(fileobj=buf, mode="w") as dst:
        for member in src.getmembers():
            f = src.extractfile(member)
            assert f is not None
            content = data if member.name == name else f.read()
            member.size = len(content)
            dst.addfile(member, io.BytesIO(content))
    return gzip.compress(buf.getvalue())


def test_publish_then_idempotent_retry(market: Market) -> None:
    token = market.register()
    archive = market.package(token)
    first = market.publish(token, archive)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "published" and body["name"] == "aos-airtable"
    assert body["version"] == "1.0.0" and body["findings"] == []
    assert len(body["sha256"]) == 64
    again = market.publish(token, archive)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert market.row_count("versions") == 1 and market.row_count("pending_blobs") == 0


def test_manifest_field_must_match(market: Market) -> None:
    token = market.register()
    archive = market.package(token)
    with tarfile.open(archive) as tar:
        member = tar.extractfile("argent.plugin.json")
        assert member is not None
        manifest = member.read().decode()
    assert market.publish(token, archive, manifest=manifest).status_code == 201
    other = json.loads(manifest) | {"version": "9.9.9"}
    archive2 = market.package(token, version="1.0.1")
    refused = market.publish(token, archive2, manifest=json.dumps(other))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "manifest-mismatch"


def test_schema_errors_name_fields(market: Market) -> None:
    token = market.register()
    archive = market.package(token)
    doc = json.loads(_member(archive, "argent.plugin.json"))
    doc.update(version="one", pricing="gratis")
    bad = _rewrite(archive, "argent.plugin.json", json.dumps(doc).encode())
    response = market.publish(token, bad)
    assert response.status_code == 400
    error = response.json()["error"]
    fields = [p["details"]["field"] for p in error["details"]["problems"]]
    assert fields[:2] == ["version", "pricing"]
    assert error["message"].startswith("version: ")
    _nothing_stored(market)


def _member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"not a package", 400, "unsupported-format"),
        (gzip.compress(b"x" * 10), 400, "truncated-archive"),
    ],
)
def test_garbage_is_refused(market: Market, payload: bytes, status: int, code: str) -> None:
    token = market.register()
    response = market.publish(token, payload)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    _nothing_stored(market)


def test_tampered_file_is_422(market: Market) -> None:
    token = market.register()
    archive = market.package(token)
    response = market.publish(token, _rewrite(archive, "README.md", b"# pwned\n"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "checksum-mismatch"
    _nothing_stored(market)


def test_key_must_be_registered_to_the_author(market: Market) -> None:
    token = market.register()
    stranger = generate_private_key()
    response = market.publish(token, market.package(token, key=stranger))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown-signing-key"
    # a key registered to someone else is just as unknown to this author
    other = market.register("Mallory Other")
    response = market.publish(token, market.package(token, key=market.key_of(other)))
    assert response.status_code == 403
    _nothing_stored(market)


def test_revoked_key_is_refused(market: Market) -> None:
    token = market.register()
    key = market.key_of(token)
    fingerprint = market.client.get(
        "/api/v1/authors/me", headers={"Authorization": f"Bearer {token}"}
    ).json()["keys"][0]["id"]
    new = generate_private_key()
    headers = {"Authorization": f"Bearer {token}"}
    market.client.post(
        "/api/v1/authors/me/keys", headers=headers, json={"public_key": public_key_b64(new)}
    )
    market.client.delete(f"/api/v1/authors/me/keys/{fingerprint}", headers=headers)
    refused = market.publish(token, market.package(token, key=key))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "revoked-key"
    assert market.publish(token, market.package(token, key=new)).status_code == 201


def test_auth_is_required(market: Market) -> None:
    token = market.register()
    archive = market.package(token)
    assert market.publish(None, archive).status_code == 401
    assert market.publish("amp_forged", archive).status_code == 401
    admin = market.admin_token()
    assert market.publish(admin, archive).status_code == 403
    _nothing_stored(market)


def test_name_belongs_to_first_publisher(market: Market) -> None:
    alice = market.register("Alice")
    bob = market.register("Bob")
    assert market.publish(alice, market.package(alice)).status_code == 201
    stolen = market.publish(bob, market.package(bob, version="2.0.0"))
    assert stolen.status_code == 403 and stolen.json()["error"]["code"] == "name-taken"
    assert market.row_count("versions") == 1


def test_versions_are_immutable(market: Market) -> None:
    token = market.register()
    assert market.publish(token, market.package(token)).status_code == 201
    changed = market.package(token, changelog="different bytes, same version")
    response = market.publish(token, changed)
    assert response.status_code == 409 and response.json()["error"]["code"] == "version-exists"
    assert market.row_count("versions") == 1 and market.blob_count() in (0, 1)


def test_minimal_scan_sets_pending_review(market: Market) -> None:
    token = market.register()
    code = b"import socket\n\ndef run(src):\n    return eval(src)\n"
    archive = market.package(token, permissions=[], files={"agent-harness/evil.py": code})
    response = market.publish(token, archive)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending_review"
    rules = sorted(f["rule"] for f in body["findings"])
    assert rules == ["dynamic-code", "undeclared-capability", "undeclared-capability"]
    assert all(f["file"].startswith("agent-harness/") and f["line"] > 0 for f in body["findings"])
    # stored, but not visible in the catalog
    assert market.client.get("/api/v1/catalog").json()["total"] == 0


def test_upload_over_the_cap_is_413(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from argent_marketplace.server.app import create_app
    from argent_marketplace.server.settings import Settings

    app = create_app(Settings(data_dir=tmp_path / "d", limits=Limits(max_compressed_bytes=1000)))
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/publish",
            headers={"Authorization": "Bearer x"},
            files={"package": ("p", b"x" * 5_000_000)},
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "package-too-large"


def test_concurrent_publishes_of_one_version(market: Market) -> None:
    """Two different archives for the same name@version race: exactly one wins."""
    token = market.register()
    author_id = market.authors[token][0]
    archives = [market.package(token, changelog=f"variant {i}") for i in range(2)]
    ctx = market.services.publish_context()
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def run(archive: Path) -> None:
        barrier.wait()
        try:
            outcomes.append(publish_package(ctx, author_id, archive))
        except PublishError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in archives]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(outcomes) == 2 and len(errors) == 1
    assert isinstance(errors[0], VersionExists)
    assert market.row_count("versions") == 1 and market.row_count("pending_blobs") == 0
    assert market.blob_count() == 1  # the loser's blob is gone


def test_a_blob_store_that_refuses_the_write_leaves_nothing(sqlite_market: Market) -> None:
    """SECURITY-CASES H1 the other way round: the store fails before the commit.

    A real failure, not a stand-in: the blob folder's first level is a file, so the
    store cannot create the blob's folder. The author gets a 503 that says so.
    """
    market = sqlite_market
    token = market.register()
    archive = market.package(token).read_bytes()
    shards = market.workdir / "data" / "blobs" / "sha256"
    sha = hashlib.sha256(archive).hexdigest()
    shards.mkdir(parents=True, exist_ok=True)
    (shards / sha[:2]).write_bytes(b"in the way")
    refused = market.publish(token, archive)
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["code"] == "storage-error"
    assert f"cannot write blob sha256/{sha[:2]}" in refused.json()["error"]["message"]
    assert market.row_count("versions") == market.row_count("packages") == 0
    assert market.row_count("pending_blobs") == 0
    (shards / sha[:2]).unlink()
    assert market.blob_count() == 0
    assert market.publish(token, archive).status_code == 201  # the retry goes through


def test_a_cleanup_that_fails_too_is_left_to_gc(sqlite_market: Market) -> None:
    """The write fails and so does the cleanup: the author still gets the write's error,
    and the pending row stays for 'admin gc', which finishes once the store is fixed.

    A real failure: a folder sits where the blob goes, which neither replace() nor
    unlink() can remove.
    """
    from datetime import timedelta

    from argent_marketplace.publish.store import collect_garbage
    from argent_marketplace.storage.interfaces import blob_key

    market = sqlite_market
    token = market.register()
    archive = market.package(token).read_bytes()
    sha = hashlib.sha256(archive).hexdigest()
    blocker = market.workdir / "data" / "blobs" / blob_key(sha)
    blocker.mkdir(parents=True)
    refused = market.publish(token, archive)
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["message"].startswith(f"cannot write blob {blob_key(sha)}")
    assert market.row_count("versions") == market.row_count("packages") == 0
    assert market.row_count("pending_blobs") == 1  # the cleanup could not finish
    blocker.rmdir()
    services = market.services
    now = market.clock.now + timedelta(hours=2)
    assert collect_garbage(services.engine, services.storage, now=now, older_than=timedelta(0))
    assert market.row_count("pending_blobs") == 0 and market.blob_count() == 0
    assert market.publish(token, archive).status_code == 201


def test_failure_between_blob_and_commit_leaves_nothing(market: Market) -> None:
    """Fault injection: the database refuses the version insert after the blob is written."""
    token = market.register()
    engine = market.services.engine

    def fail_on_version_insert(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO VERSIONS"):
            raise RuntimeError("injected failure")

    from fastapi.testclient import TestClient

    archive = market.package(token).read_bytes()
    client = TestClient(market.client.app, raise_server_exceptions=False)
    event.listen(engine, "before_cursor_execute", fail_on_version_insert)
    try:
        response = client.post(
            "/api/v1/publish",
            headers={"Authorization": f"Bearer {token}"},
            files={"package": ("p.argent-pkg", archive)},
        )
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_version_insert)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal-error"
    _nothing_stored(market)
    # the same upload then succeeds
    assert market.publish(token, market.package(token)).status_code == 201
