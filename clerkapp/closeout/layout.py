"""Update-file layouts: the columns of a DOJ disposition update or a case-system update, as a
TOML data file in `forms/`, so a court matches what its DOJ interface or case-management
import asks for without a code change.

A layout is checked whole when it loads: an unknown key, column field or relief code is
refused with the file, the key and the value named. SSN, driver-licence (CDL) and FBI numbers
are written only when a column names them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path
from typing import Any

from clerkapp.domain.closeout import RELIEF_LABELS, Relief
from clerkapp.errors import BadInput
from clerkapp.paths import FORMS_DIR

DEFAULT_LAYOUTS = {"doj": "doj-update", "cms": "cms-update"}
KINDS = tuple(DEFAULT_LAYOUTS)

# field -> what it holds (docs/closing.md lists the same)
FIELDS: dict[str, str] = {
    "cii": "the person's CII number",
    "name": "the person's name as the record gives it (LAST,FIRST MIDDLE)",
    "dob": "date of birth",
    "court_name": "court name (court profile)",
    "court_code": "court code / ORI (court profile)",
    "county": "the conviction's county",
    "case_number": "the case number",
    "case_numbers": "every number the case lists, joined '; '",
    "count": "the count's number in its case, as the order prints it",
    "count_key": "the count as the record gives it (a DOJ CNT_ORDER, a court's count)",
    "original_section": "the section convicted under",
    "original_level": "the level convicted at (F, M, I)",
    "conviction_date": "conviction date",
    "relief": "the relief, as the layout's [relief] code",
    "relief_text": "the relief in words",
    "disposition": "the new disposition, as the layout's [disposition] text",
    "sealed": "the sealing flag, as the layout's [sealed] yes/no",
    "resulting_section": "the offense the count becomes, as the order names it (empty once"
                         " dismissed)",
    "resulting_level": "the level after the relief (M, I; empty once dismissed)",
    "order_date": "the order date (signed, else printed)",
    "order_number": "the order number",
    "judicial_officer": "the judge who signed (else the court profile's judge)",
    "action": "what the row does, as the layout's [action] code: report, correction (of an"
              " earlier report) or withdrawal (of a relief reported before)",
    "previous_order_number": "the order an earlier file reported, which this row corrects or"
                             " withdraws (empty for a first report)",
    "previous_relief": "the relief an earlier file reported, as the layout's [relief] code",
    "ssn": "social security number (from the source record; only when named)",
    "cdl": "driver-licence number (from the source record; only when named)",
    "fbi": "FBI number (from the source record; only when named)",
}
SENSITIVE = frozenset({"ssn", "cdl", "fbi"})
_TOP_KEYS = {"layout", "columns", "relief", "disposition", "sealed", "action"}
# what a row does (docs/closing.md, "Corrections"), and the default code of each
ACTIONS = {"report": "REPORT", "correction": "CORRECTION", "withdrawal": "WITHDRAWAL"}
# the relief / disposition key of a withdrawal row: optional, required once one is written
WITHDRAWN = "withdrawn"
_LAYOUT_KEYS = {"name", "version", "kind", "title", "sheet", "date_format"}
_COLUMN_KEYS = {"name", "field"}
_SEALED_KEYS = {"yes", "no"}


@dataclass(frozen=True)
class Column:
    name: str
    field: str


@dataclass(frozen=True)
class UpdateLayout:
    """A loaded, checked layout."""

    path: Path
    name: str
    version: str
    kind: str
    title: str
    sheet: str
    date_format: str
    columns: tuple[Column, ...]
    relief_codes: Mapping[str, str]
    dispositions: Mapping[str, str]
    sealed: Mapping[str, str]
    actions: Mapping[str, str] = dataclass_field(default_factory=lambda: dict(ACTIONS))

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns}

    def date(self, iso: str) -> str:
        """An ISO date as the layout writes dates; partial or odd dates are left as they are."""
        if not iso or self.date_format == "%Y-%m-%d":
            return iso
        try:
            return date.fromisoformat(iso).strftime(self.date_format)
        except ValueError:
            return iso

    def cells(self, values: Mapping[str, str]) -> list[str]:
        return [values.get(c.field, "") for c in self.columns]


def layout_path(name_or_file: str | Path) -> Path:
    """A bare name is a file in forms/ (`doj-update`); anything else a path."""
    text = str(name_or_file)
    if "/" not in text and "\\" not in text and not text.endswith(".toml"):
        return FORMS_DIR / f"{text}.toml"
    return Path(text)


def load_layout(name_or_file: str | Path, kind: str) -> UpdateLayout:
    """Load and check a layout; refuses one of another kind than the update asked for."""
    path = layout_path(name_or_file)
    shown = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput("no such update layout", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read the layout: {exc}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"not valid TOML: {exc}", file=shown) from None
    check = _Checker(shown)
    check.keys("", data, _TOP_KEYS)
    head = check.table("layout", data.get("layout"))
    check.keys("layout.", head, _LAYOUT_KEYS)
    layout_kind = check.text("layout.kind", head.get("kind", kind))
    if layout_kind not in KINDS:
        check.fail("layout.kind", layout_kind, f"use one of {', '.join(KINDS)}")
    if layout_kind != kind:
        check.fail("layout.kind", layout_kind, f"this is not a {kind} update layout")
    date_format = check.text("layout.date_format", head.get("date_format", "%Y-%m-%d"))
    if "%" not in date_format:
        check.fail("layout.date_format", date_format, "a strftime format such as %Y%m%d")
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        check.fail("columns", raw_columns, "list the columns as [[columns]] tables")
    columns: list[Column] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_columns):
        key = f"columns[{i + 1}]"
        table = check.table(key, raw)
        check.keys(f"{key}.", table, _COLUMN_KEYS)
        name = check.text(f"{key}.name", table.get("name"))
        field = check.text(f"{key}.field", table.get("field"))
        if field not in FIELDS:
            check.fail(f"{key}.field", field, f"unknown column field; use one of {', '.join(FIELDS)}")
        if name.upper() in seen:
            check.fail(f"{key}.name", name, "a column of that name comes earlier")
        seen.add(name.upper())
        columns.append(Column(name, field))
    fields = {c.field for c in columns}
    relief = check.relief_table("relief", data.get("relief"), needed="relief" in fields)
    dispositions = check.relief_table("disposition", data.get("disposition"),
                                      needed="disposition" in fields)
    sealed = check.table("sealed", data.get("sealed", {"yes": "Y", "no": "N"}))
    check.keys("sealed.", sealed, _SEALED_KEYS)
    actions = check.table("action", data.get("action", {}))
    check.keys("action.", actions, set(ACTIONS))
    return UpdateLayout(
        path=path, name=check.text("layout.name", head.get("name", path.stem)),
        version=str(head.get("version", "1")), kind=layout_kind,
        title=check.text("layout.title", head.get("title", path.stem)),
        sheet=check.text("layout.sheet", head.get("sheet", "Update"))[:31],
        date_format=date_format, columns=tuple(columns), relief_codes=relief,
        dispositions=dispositions,
        sealed={k: check.text(f"sealed.{k}", sealed.get(k, "")) for k in _SEALED_KEYS},
        actions={k: check.text(f"action.{k}", actions.get(k, v)) for k, v in ACTIONS.items()},
    )


class _Checker:
    """Raises BadInput naming the layout file, the key and the value."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, value: Any, why: str) -> None:
        raise BadInput(f"key {key}: {value!r}: {why}", file=self.file)

    def keys(self, prefix: str, table: Mapping[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"{prefix}{key}", key, f"unknown key; use one of {', '.join(sorted(allowed))}")

    def table(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, value, "a table is expected here")
        return value

    def text(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, value, "a non-empty text is expected here")
        return value

    def relief_table(self, key: str, value: Any, *, needed: bool) -> dict[str, str]:
        """One text per relief (`Relief`); every relief must have one when a column uses it."""
        if value is None and not needed:
            return {}
        table = self.table(key, value)
        known = [r.value for r in Relief]
        for code, text in table.items():
            if code not in known and code != WITHDRAWN:
                self.fail(f"{key}.{code}", code,
                          f"unknown relief; use {', '.join(known)} (or {WITHDRAWN})")
            self.text(f"{key}.{code}", text)
        for code in known:
            if code not in table:
                self.fail(f"{key}.{code}", None,
                          f"missing: every relief needs one ({RELIEF_LABELS[Relief(code)]})")
        return dict(table)

