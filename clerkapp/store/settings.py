"""Settings that belong to the court (court profile, policy, as-of date), kept in the store.

Each setting is declared once, as data, with its default and label; the GUI builds its form
from these declarations and the CLI reads the same values.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clerkapp.domain.counties import COUNTIES, check_county, listed_county
from clerkapp.domain.dates import check_iso_day
from clerkapp.domain.file_names import check_file_name_style
from clerkapp.domain.order_numbers import DEFAULT_PATTERN, check_pattern
from clerkapp.store.base import StoreBase, dumps


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    label: str
    group: str
    check: Callable[[Any], None] | None = None  # raises ValueError saying why a value is bad
    choices: tuple[str, ...] = ()  # the values the form offers (a list to pick from)
    normalize: Callable[[Any], Any] | None = None  # the spelling kept, once checked


SETTINGS: tuple[Setting, ...] = (
    Setting("court.name", "Superior Court of California", "Court name", "Court profile"),
    Setting("court.county", "", "County", "Court profile", check=check_county,
            choices=COUNTIES, normalize=listed_county),
    Setting("court.address", "", "Court address", "Court profile"),
    Setting("court.department", "", "Department", "Court profile"),
    Setting("court.judge", "", "Judge", "Court profile"),
    Setting("court.clerk", "", "Clerk of the court", "Court profile"),
    Setting("court.prosecutor", "", "Prosecuting agency (for a prosecutor's list)", "Court profile"),
    Setting("court.code", "", "Court code for DOJ reports (ORI)", "Court profile"),
    Setting("closeout.doj_days", 30, "Days to report an order to the DOJ (PC 13151)",
            "Court profile"),
    Setting("court.clerk_phone", "", "Clerk's office phone", "Court profile"),
    Setting("court.website", "", "Court website", "Court profile"),
    # whom a relieved person may ask for free legal help: printed on every notice
    Setting("defender.office", "", "Public defender's office", "Court profile"),
    Setting("defender.address", "", "Public defender's address", "Court profile"),
    Setting("defender.phone", "", "Public defender's phone", "Court profile"),
    Setting("court.seal_image", "", "Seal or logo image (optional)", "Court profile"),
    Setting("orders.number_pattern", DEFAULT_PATTERN, "Order number pattern", "Court profile",
            check=check_pattern),
    Setting("orders.file_names", "case", "Per-case order file names: case (the case number)"
            " or case-name (with the person's name)", "Court profile",
            check=check_file_name_style),
    Setting("evaluation.policy", "statute", "Policy", "Evaluation"),
    Setting("evaluation.as_of", "", "As-of date (empty: today)", "Evaluation",
            check=check_iso_day),
    Setting("review.clerk_name", "", "Clerk name on decisions (empty: your login name)", "Review"),
)
_BY_KEY = {s.key: s for s in SETTINGS}


class SettingsStore(StoreBase):
    def get_setting(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return json.loads(row[0])
        declared = _BY_KEY.get(key)
        return declared.default if declared else None

    def set_setting(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, dumps(value)),
        )

    def clerk_name(self) -> str:
        """Who is acting, for decisions, imports, runs and orders: on a shared PostgreSQL store
        the database login (a name typed anywhere is not asked); else the clerk name setting,
        else the login name."""
        if self.login:
            return self.login
        name = str(self.get_setting("review.clerk_name") or "").strip()
        if name:
            return name
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name (some services): still say something
            return "unknown clerk"

    def settings_group(self, group: str) -> dict[str, Any]:
        return {s.key: self.get_setting(s.key) for s in SETTINGS if s.group == group}
