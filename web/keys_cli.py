"""``fahras-web keys add|list|revoke``: manage the API key file (web/keys.py).

A subcommand group of ``fahras-web`` (web/cli.py). ``add`` prints the new key once, on
stdout, and stores only its SHA-256; ``list`` shows ids, kinds, labels and dates, never a
key or a digest; ``revoke`` marks a key revoked, and a running app refuses it from its next
request. Exit codes: 0 done, 1 error (a broken key file, an unknown id), 2 usage error.
"""

from __future__ import annotations

import sys

import click

from web.keys import KINDS, KeyFileError, KeyRing

__all__ = ["keys"]

key_file_option = click.option(
    "--key-file", envvar="FAHRAS_KEY_FILE", required=True,
    type=click.Path(dir_okay=False), help="The key file (env FAHRAS_KEY_FILE).")


def _fail(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@click.group()
def keys() -> None:
    """Manage the API keys (admin: writes and /admin; search: a private archive)."""


@keys.command("add")
@key_file_option
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What the key may do.")
@click.option("--label", default="", help="Who or what uses it (shown by `keys list`).")
def add(key_file: str, kind: str, label: str) -> None:
    """Create a key; it is printed once and cannot be shown again."""
    try:
        secret, record = KeyRing(key_file).add(kind, label)
    except (KeyFileError, OSError) as exc:
        _fail(exc)
    click.echo(f"added {record.kind} key {record.id}; keep it now, it is not shown again:",
               err=True)
    click.echo(secret)


@keys.command("list")
@key_file_option
def list_keys(key_file: str) -> None:
    """Show the keys: id, kind, state, created, label."""
    try:
        found = KeyRing(key_file).keys()
    except (KeyFileError, OSError) as exc:
        _fail(exc)
    for key in found:
        state = "active" if key.active else f"revoked {key.revoked_at}"
        click.echo(f"{key.id}  {key.kind:<6}  {state:<28}  {key.created_at}  {key.label}")
    if not found:
        click.echo(f"no keys in {key_file}", err=True)


@keys.command("revoke")
@key_file_option
@click.argument("key_id")
def revoke(key_file: str, key_id: str) -> None:
    """Revoke the key KEY_ID (it stays listed, revoked)."""
    try:
        record = KeyRing(key_file).revoke(key_id)
    except (KeyFileError, OSError) as exc:
        _fail(exc)
    click.echo(f"revoked {record.kind} key {record.id} at {record.revoked_at}")
