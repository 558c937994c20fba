"""Which engine a store target names: a path is a SQLite file, a `postgresql://` URL a shared
PostgreSQL store. Pure string work, so the CLI and the window can ask before opening."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
_PASSWORD = re.compile(r"^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@", re.IGNORECASE)


def is_postgres(target: str | Path) -> bool:
    """True for `postgresql://…` or `postgres://…` (a libpq connection URL)."""
    return isinstance(target, str) and bool(_URL.match(target))


def display_target(target: str | Path) -> str:
    """The target as it may be shown or logged: a URL's password replaced by `***`."""
    text = str(target)
    if is_postgres(text):
        text = _PASSWORD.sub(r"\1:***@", text)
        text = re.sub(r"([?&]password=)[^&]*", r"\1***", text, flags=re.IGNORECASE)
    return text


def without_password(url: str) -> str:
    """The URL as it may be remembered: no password in it."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = "&".join(p for p in parts.query.split("&")
                     if p and not p.lower().startswith("password="))
    return urlunsplit(parts._replace(netloc=netloc, query=query))
