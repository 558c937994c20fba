"""Trying a shared PostgreSQL store before opening it: can this desk reach the server, log in,
find the database, and is it a clerkapp store this clerkapp can open? Each failure is one
plain sentence a clerk can act on or read to court IT (File ▸ Connect to a shared store…).

Also the URL work the window needs: building one from host, port, database and user, and
carrying a password typed for this session only (never written to settings or shown:
`engine.display_target` masks it)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# imported here, on the thread that imports this module: a first import of psycopg inside a
# worker thread while Qt runs trips PySide's import hook
import psycopg
from psycopg.conninfo import conninfo_to_dict

from clerkapp.store.engine import display_target, without_password
from clerkapp.store.migrations import MIGRATIONS

DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5

# What went wrong, by kind: the window asks for a password on "password" only.
OK, EMPTY, UNREACHABLE, PASSWORD, LOGIN, NO_DATABASE, NOT_CLERKAPP, NEWER, FAILED = (
    "ok", "empty", "unreachable", "password", "login", "no_database", "not_clerkapp", "newer",
    "failed")


@dataclass(frozen=True)
class Endpoint:
    """Where a shared store is: what the Connect dialog asks for."""

    host: str
    port: int
    database: str
    user: str

    def url(self) -> str:
        """postgresql://USER@HOST:PORT/DB; a host that is a folder (a Unix socket) goes in
        `?host=`."""
        user = quote(self.user, safe="")
        database = quote(self.database, safe="")
        if self.host.startswith("/"):
            port = "" if self.port == DEFAULT_PORT else f"&port={self.port}"
            return f"postgresql://{user}@/{database}?host={quote(self.host, safe='/')}{port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        return f"postgresql://{user}@{host}{port}/{database}"


def endpoint_of(url: str) -> Endpoint:
    """The parts of a store URL (to fill the dialog with the store last connected to)."""
    try:
        parts = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed remembered URL: start from the defaults
        parts = {}
    port = str(parts.get("port") or DEFAULT_PORT)
    return Endpoint(host=str(parts.get("host") or "localhost"),
                    port=int(port) if port.isdigit() else DEFAULT_PORT,
                    database=str(parts.get("dbname") or "clerkapp"),
                    user=str(parts.get("user") or ""))


def with_password(url: str, password: str) -> str:
    """The URL carrying `password` (percent-encoded), for this session's connections only."""
    parts = urlsplit(without_password(url))
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def user_of(url: str) -> str:
    userinfo = urlsplit(url).netloc.rpartition("@")[0]
    return unquote(userinfo.split(":", 1)[0])


@dataclass(frozen=True)
class Probe:
    kind: str
    message: str
    schema_version: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind in (OK, EMPTY)


def _where(url: str) -> str:
    endpoint = endpoint_of(url)
    return f"{endpoint.host}:{endpoint.port}" if not endpoint.host.startswith("/") \
        else endpoint.host


def explain_connect_error(url: str, error: str) -> Probe:
    """A libpq connection error as one sentence for the clerk (the server's own words kept at
    the end for court IT)."""
    endpoint = endpoint_of(url)
    text = " ".join(error.split())
    lower = text.lower()
    detail = error.rsplit("failed: ", 1)[-1].strip().splitlines()[0] if error.strip() else ""
    if "no password supplied" in lower:
        return Probe(PASSWORD, f"the server asks for a password for {endpoint.user}")
    if "password authentication failed" in lower:
        return Probe(PASSWORD, f"the server refused the password for {endpoint.user}: type it"
                               " again, or ask court IT to reset it")
    if "does not exist" in lower and "database" in lower:
        return Probe(NO_DATABASE, f"the server at {_where(url)} has no database"
                                  f" {endpoint.database}: check the name with court IT")
    if "does not exist" in lower and "role" in lower:
        return Probe(LOGIN, f"the server has no login {endpoint.user}: ask court IT to create"
                            " yours (docs/shared-store.md)")
    if "pg_hba.conf" in lower:
        return Probe(LOGIN, f"the server does not let this computer log in as {endpoint.user}"
                            f" to {endpoint.database}: ask court IT ({detail})")
    if any(words in lower for words in ("could not translate host name", "connection refused",
                                        "timeout expired", "no route to host",
                                        "network is unreachable", "no such file or directory",
                                        "could not connect", "is the server running")):
        return Probe(UNREACHABLE, f"cannot reach the database server at {_where(url)}: check"
                                  " the host name and port, that the server is running and"
                                  f" that the network lets this computer in ({detail})")
    return Probe(FAILED, f"cannot connect to {display_target(url)}: {detail}")


def probe(url: str, *, timeout_s: int = CONNECT_TIMEOUT_S) -> Probe:
    """Connect once, read only, and say whether the store at `url` can be opened."""
    try:
        conn = psycopg.connect(url, connect_timeout=timeout_s, autocommit=True)
    except psycopg.Error as exc:
        return explain_connect_error(url, str(exc))
    endpoint = endpoint_of(url)
    with conn:
        has_schema = conn.execute(
            "SELECT to_regclass('clerkapp_schema') IS NOT NULL").fetchone()[0]
        if not has_schema:
            tables = conn.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            ).fetchone()[0]
            if tables:
                return Probe(NOT_CLERKAPP, f"the database {endpoint.database} holds {tables}"
                                           " other table(s) but no clerkapp store: choose the"
                                           " database court IT made for clerkapp")
            return Probe(EMPTY, f"connected: {endpoint.database} is empty; clerkapp will set up"
                                " its store there when it opens it")
        version = conn.execute("SELECT max(version) FROM clerkapp_schema").fetchone()[0] or 0
    if version > len(MIGRATIONS):
        from clerkapp.errors import StoreTooNew

        return Probe(NEWER, str(StoreTooNew(version, len(MIGRATIONS))), version)
    return Probe(OK, f"connected: a clerkapp store (schema {version}) as {endpoint.user}",
                 version)
