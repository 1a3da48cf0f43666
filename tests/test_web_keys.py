"""API keys (web/keys.py, web/auth.py, web/keys_cli.py): the key file, every key case on
the routes, the constant-time compare, and the key kept out of logs and answers."""

from __future__ import annotations

import hmac
import json
import logging
import os
import stat

import pytest
from click.testing import CliRunner

from web import close_searcher, create_app
from web.cli import main as web_main
from web.keys import KeyFileError, KeyRing, hash_key


@pytest.fixture
def key_file(tmp_path):
    return tmp_path / "keys.json"


@pytest.fixture
def ring(key_file):
    return KeyRing(key_file)


def make_app(web_index, key_file, **config):
    return create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(web_index),
                       "FAHRAS_KEY_FILE": str(key_file), **config})


@pytest.fixture
def keyed(web_index, key_file, ring):
    """(client, admin key, app) of an app with a key file holding one admin key."""
    admin, _ = ring.add("admin", "desk")
    app = make_app(web_index, key_file)
    yield app.test_client(), admin, app
    close_searcher(app)


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_the_file_stores_digests_only_with_private_permissions(ring, key_file):
    secret, record = ring.add("admin", "newsroom CMS")
    text = key_file.read_text(encoding="utf-8")
    assert secret not in text and record.sha256 == hash_key(secret) and record.sha256 in text
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert secret.startswith("fahras_") and len(secret) > 40
    assert ring.authenticate(secret) == record
    assert ring.authenticate(secret + "x") is None


def test_a_bad_kind_or_a_broken_file_is_a_clear_error(ring, key_file):
    with pytest.raises(KeyFileError, match="kind must be"):
        ring.add("root")
    key_file.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(KeyFileError, match="not a Fahras key file"):
        KeyRing(key_file).keys()


def test_authenticate_compares_every_key_with_compare_digest(ring, monkeypatch):
    """Timing-safe: the digest is compared with hmac.compare_digest against every stored
    key, the matching one first, so the loop never stops at a match."""
    first, _ = ring.add("admin")
    for _ in range(3):
        ring.add("search")
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert ring.authenticate(first).kind == "admin"
    assert len(calls) == 4 and all(a == hash_key(first) for a, _ in calls)
    calls.clear()
    assert ring.authenticate("fahras_wrong") is None
    assert len(calls) == 4


def test_without_a_key_file_the_app_is_read_only_as_before(web_client):
    assert web_client.get("/api/search?q=الحكومة").status_code == 200
    assert web_client.put("/api/articles/a01", json={"title": "x"}).status_code == 405
    assert web_client.post("/api/articles", data=b"{}").status_code == 404
    assert web_client.delete("/api/articles/a01").status_code == 405
    assert web_client.get("/admin").status_code == 404


def test_no_key_is_401_with_a_bearer_challenge(keyed):
    client, _, _ = keyed
    for response in (client.delete("/api/articles/nothing"), client.get("/admin")):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = client.delete("/api/articles/nothing").get_json()
    assert body["ok"] is False and body["error"]["code"] == "unauthorized"


def test_only_the_bearer_scheme_is_accepted(keyed):
    client, admin, _ = keyed
    for header in (f"Basic {admin}", f"Token {admin}", admin, "Bearer "):
        response = client.get("/admin", headers={"Authorization": header})
        assert response.status_code == 401, header
    assert client.get("/admin", headers=bearer(admin)).status_code == 200


def test_a_key_in_the_url_is_refused(keyed):
    client, admin, _ = keyed
    for name in ("key", "api_key", "access_token"):
        response = client.get(f"/admin?{name}={admin}", headers=bearer(admin))
        assert response.status_code == 400
        assert admin not in response.get_data(as_text=True)


def test_a_search_key_cannot_write_or_see_the_admin_page(keyed, ring):
    client, _, _ = keyed
    search_key, _ = ring.add("search", "reader app")
    assert client.get("/admin", headers=bearer(search_key)).status_code == 403
    response = client.delete("/api/articles/a01", headers=bearer(search_key))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_an_unknown_or_revoked_key_is_401_from_the_next_request(keyed, ring):
    client, admin, _ = keyed
    assert client.get("/admin", headers=bearer("fahras_made_up")).status_code == 401
    assert client.get("/admin", headers=bearer(admin)).status_code == 200
    (record,) = ring.keys()
    ring.revoke(record.id)
    assert client.get("/admin", headers=bearer(admin)).status_code == 401  # no restart


def test_search_keys_make_the_archive_private(keyed, ring):
    client, admin, _ = keyed
    assert client.get("/api/search?q=الحكومة").status_code == 200  # no search key yet
    reader, _ = ring.add("search")
    for path in ("/api/search?q=الحكومة", "/api/suggest?q=الح", "/api/articles/a01",
                 "/?q=الحكومة", "/articles/a01"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=bearer(reader)).status_code == 200, path
        assert client.get(path, headers=bearer(admin)).status_code == 200, path
    for path in ("/healthz", "/api/openapi.json", "/metrics", "/static/fahras.css"):
        assert client.get(path).status_code == 200, path


def test_the_key_never_reaches_the_logs(keyed, ring, caplog):
    client, admin, app = keyed
    reader, _ = ring.add("search")
    caplog.set_level(logging.DEBUG)
    app.logger.setLevel(logging.DEBUG)
    for key in (admin, reader, "fahras_not_a_key"):
        client.get("/admin", headers=bearer(key))
        client.put("/api/articles/a01", data="not json", headers=bearer(key))
        client.get("/api/search?q=x", headers=bearer(key))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(str(record.args) for record in caplog.records)
    for key in (admin, reader, "fahras_not_a_key"):
        assert key not in logged


def test_keys_cli_add_list_revoke(key_file):
    runner = CliRunner()
    added = runner.invoke(web_main, ["keys", "add", "--kind", "admin", "--label", "CMS",
                                     "--key-file", str(key_file)])
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip().splitlines()[-1]
    assert KeyRing(key_file).authenticate(secret) is not None
    listed = runner.invoke(web_main, ["keys", "list", "--key-file", str(key_file)])
    (record,) = KeyRing(key_file).keys()
    assert record.id in listed.output and "CMS" in listed.output and "active" in listed.output
    assert secret not in listed.output and record.sha256 not in listed.output
    revoked = runner.invoke(web_main, ["keys", "revoke", record.id, "--key-file",
                                       str(key_file)])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert KeyRing(key_file).authenticate(secret) is None
    unknown = runner.invoke(web_main, ["keys", "revoke", "nope", "--key-file", str(key_file)])
    assert unknown.exit_code == 1 and "no key with id" in unknown.output
    data = json.loads(key_file.read_text(encoding="utf-8"))
    assert data["keys"][0]["revoked_at"]


def test_a_broken_key_file_stops_the_app_at_start(web_index, key_file):
    key_file.write_text("{", encoding="utf-8")
    with pytest.raises(KeyFileError):
        make_app(web_index, key_file)
