"""API keys: the key file, its hashed keys, and checking a presented key.

Used by web/auth.py (which reads ``Authorization: Bearer …`` on each request) and by
``fahras-web keys add|list|revoke`` (web/keys_cli.py). Nothing here knows Flask.

The key file is JSON, written atomically with mode 0600::

    {"version": 1, "keys": [{"id": "3f9a2c1b", "kind": "admin", "label": "newsroom CMS",
      "sha256": "<64 hex digits>", "created_at": "…", "revoked_at": null}]}

Only the SHA-256 of each key is stored. A plain (fast) hash is the right tool here, not a
password hash (bcrypt, scrypt, argon2): every key is 32 random bytes from :mod:`secrets`,
so there is nothing to guess and no dictionary to slow down, and a slow hash would only make
every request pay for it. :mod:`hashlib`, :mod:`hmac` and :mod:`secrets` are the standard
library's well-kept tools for exactly this; the presented key's digest is compared with
every stored digest by :func:`hmac.compare_digest` (constant time, and the loop never stops
early), so neither the comparison nor the position of a match shows in the time taken.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["KINDS", "ApiKey", "KeyFileError", "KeyRing", "hash_key", "new_key"]

#: admin: writes and the admin page (and searching); search: searching a private archive.
KINDS = ("admin", "search")
_FORMAT_VERSION = 1
_KEY_PREFIX = "fahras_"


class KeyFileError(ValueError):
    """The key file cannot be read or holds something that is not a key list."""


@dataclass(frozen=True)
class ApiKey:
    """One stored key: never the key itself, only its digest."""

    id: str
    kind: str
    sha256: str
    label: str = ""
    created_at: str = ""
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, kind: str) -> bool:
        """An admin key may do what a search key may."""
        return self.active and (self.kind == kind or self.kind == "admin")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A new secret key: the prefix (so a leaked key is easy to recognise) + 256 random bits."""
    return _KEY_PREFIX + secrets.token_urlsafe(32)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _parse(text: str, path: Path) -> tuple[ApiKey, ...]:
    try:
        data = json.loads(text)
        rows = data["keys"]
        keys = tuple(ApiKey(**row) for row in rows)
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"{path} is not a Fahras key file ({exc})") from None
    for key in keys:
        if key.kind not in KINDS or len(key.sha256) != 64:
            raise KeyFileError(f"{path}: key {key.id!r} has a bad kind or digest")
    return keys


class KeyRing:
    """The keys of one key file, re-read when the file changes (a revoked key stops working
    at the next request, without a restart). Safe to share between threads."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._keys: tuple[ApiKey, ...] = ()

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def keys(self) -> tuple[ApiKey, ...]:
        """Every key in the file (revoked ones too); an absent file holds none."""
        stamp = self._file_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._keys = () if stamp is None else _parse(
                    self.path.read_text(encoding="utf-8"), self.path)
                self._stamp = stamp
            return self._keys

    def has_search_keys(self) -> bool:
        """True when searching needs a key (a private archive)."""
        return any(key.kind == "search" and key.active for key in self.keys())

    def authenticate(self, presented: str) -> ApiKey | None:
        """The active key ``presented`` is, or None; constant time over all stored keys."""
        digest = hash_key(presented)
        found = None
        for key in self.keys():
            if hmac.compare_digest(digest, key.sha256) and key.active:
                found = key
        return found

    # ------------------------------------------------------------ managing the file

    def add(self, kind: str, label: str = "") -> tuple[str, ApiKey]:
        """A new key of ``kind``: ``(the secret, shown once; its stored record)``."""
        if kind not in KINDS:
            raise KeyFileError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        secret = new_key()
        taken = {key.id for key in self.keys()}
        key_id = secrets.token_hex(4)
        while key_id in taken:
            key_id = secrets.token_hex(4)
        record = ApiKey(key_id, kind, hash_key(secret), label, _now())
        self._write(self.keys() + (record,))
        return secret, record

    def revoke(self, key_id: str) -> ApiKey:
        """Mark key ``key_id`` revoked (kept in the file, so its id is never reused)."""
        keys = list(self.keys())
        for i, key in enumerate(keys):
            if key.id == key_id:
                if key.active:
                    keys[i] = replace(key, revoked_at=_now())
                    self._write(tuple(keys))
                return keys[i]
        raise KeyFileError(f"no key with id {key_id!r} in {self.path}")

    def _write(self, keys: tuple[ApiKey, ...]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": _FORMAT_VERSION, "keys": [asdict(key) for key in keys]}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
