"""What the benchmarks that run the portal against a database of their own share: the database dropped
and made again, migrated, and a free loopback port for the servers they start."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit, urlunsplit


def recreate_database(url: str) -> None:
    """Drop the database ``url`` names and make it again, empty (through the server's ``postgres``)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrated(url: str) -> None:
    """The database ``url`` made again and migrated, with Django set up on it (``DATABASE_URL`` already
    names it)."""
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
