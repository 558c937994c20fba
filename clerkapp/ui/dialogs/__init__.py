"""The workspace's dialogs: import with column mapping, audit view, evaluation, settings.

Small helpers the dialogs share live here; each dialog is its own module.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime


def local_time(at_iso: str) -> str:
    """A stored UTC timestamp as the clerk's local time, to the second."""
    try:
        return datetime.fromisoformat(at_iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return at_iso


def local_midnight_utc(year: int, month: int, day: int) -> str:
    """The UTC ISO timestamp of local midnight starting a day: audit date filters use it."""
    local = datetime(year, month, day).astimezone()
    return local.astimezone(UTC).replace(microsecond=0).isoformat()


def details_text(details_json: str) -> str:
    """An audit entry's JSON details as 'key: value; key: value' for a table cell."""
    try:
        data = json.loads(details_json or "{}")
    except ValueError:
        return details_json
    if not isinstance(data, dict):
        return str(data)
    parts = []
    for key, value in data.items():
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)
