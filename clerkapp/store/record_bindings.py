"""The records that close a conviction's file, checked against their audit entries both ways:
the judge's signatures (an order counts as the court's once signed, so a forged signature
would put an unsigned order in the DOJ update), the update files (a count recorded as
reported is never reported again; a deleted record reports it twice), import withdrawals
(their convictions leave the queue and the orders) and corrections (a name or case number
printed on orders); and the orders and decisions the audit log records but the store no
longer holds (a deleted order prints its convictions again; a deleted decision is lost).

Every entry used is checked against its own hash (the chain check verifies only what is new
since its anchor). SQL reads here, one pass over the audit log; `clerkapp.integrity` decides
what the findings stop.
"""

from __future__ import annotations

import json
from collections import defaultdict

from clerkapp.store.audit import _COLUMNS, entry_matches
from clerkapp.store.base import StoreBase
from clerkapp.store.integrity import Mismatch

UPDATE_KINDS = ("doj", "cms")
_CLOSING_ACTIONS = ("order.signed", "closeout.update_voided", "import.withdrawn",
                    "conviction.corrected", "notice.printed")


def _details(entry: tuple) -> dict:
    try:
        found = json.loads(entry[7] or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _unbound(entry: tuple | None, missing: str) -> str:
    """What is wrong with a record's audit entry before its fields are compared: `missing`
    when there is none, or that it was edited (its own hash); "" when it stands."""
    if entry is None:
        return missing
    if not entry_matches(entry):
        return f"its audit entry #{entry[0]} was edited"
    return ""


class RecordBindingStore(StoreBase):
    def record_mismatches(self, *, reviews: bool = False, limit: int = 50) -> list[Mismatch]:
        """Signatures, update files, withdrawals and corrections that disagree with the audit
        log, and orders the log records that the store no longer holds; with `reviews`, also
        decisions the log records that the store no longer holds (a whole pass over the log's
        decisions: `clerkapp verify`)."""
        entries = self._binding_entries()
        found: list[Mismatch] = []
        for check in (self._signature_mismatches, self._update_file_mismatches,
                      self._withdrawal_mismatches, self._correction_mismatches,
                      self._notice_mismatches, self._deleted_orders):
            found += check(entries)
            if len(found) >= limit:
                return found[:limit]
        if reviews:
            found += self._deleted_reviews(limit)
        return found[:limit]

    # -- reading ------------------------------------------------------------------------------

    def _binding_entries(self) -> dict[str, list[tuple]]:
        """The entries of the actions bound here, by action family, in id order."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        where = ("action IN ({}) OR action LIKE 'closeout.%' OR action LIKE 'order.printed.%'"
                 .format(", ".join(f"'{a}'" for a in _CLOSING_ACTIONS)))
        by_action: dict[str, list[tuple]] = defaultdict(list)
        for row in cursor.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE {where} ORDER BY id"):
            action = str(row[3])
            if action.startswith("order.printed."):
                action = "order.printed"
            elif action.startswith("closeout.") and action != "closeout.update_voided":
                action = "closeout.file"
            by_action[action].append(tuple(row))
        return by_action

    def _bound_rows(self, sql: str) -> list[tuple]:
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return [tuple(r) for r in cursor.execute(sql)]

    def _bound_order_numbers(self) -> dict[int, str]:
        return {int(i): str(n or f"#{i}") for i, n in
                self._bound_rows("SELECT id, order_number FROM orders")}

    # -- the judge's signatures ---------------------------------------------------------------

    def _signature_mismatches(self, entries: dict[str, list[tuple]]) -> list[Mismatch]:
        numbers = self._bound_order_numbers()
        rows: dict[int, list[tuple]] = defaultdict(list)
        for sid, order_id, signed_on, judge, by in self._bound_rows(
                "SELECT id, order_id, signed_on, judge, recorded_by FROM order_signatures"
                " ORDER BY id"):
            rows[int(order_id)].append((sid, signed_on, judge, by))
        audited: dict[int, list[tuple]] = defaultdict(list)
        for entry in entries.get("order.signed", []):
            audited[int(entry[5] or 0)].append(entry)
        found: list[Mismatch] = []
        for order_id in sorted(set(rows) | set(audited)):
            number = numbers.get(order_id, f"#{order_id}")
            mine, theirs = rows[order_id], audited[order_id]
            for n, row in enumerate(mine):
                sid, signed_on, judge, by = row
                if n >= len(theirs):
                    found.append(Mismatch("order_signatures", sid, "", (
                        f"order {number} recorded as signed on {signed_on}, but no audit entry"
                        " records that signing")))
                    continue
                entry = theirs[n]
                details = _details(entry)
                what = ""
                if not entry_matches(entry):
                    what = f"its audit entry #{entry[0]} was edited"
                elif details.get("signed_on") != signed_on:
                    what = (f"order {number} signed on {signed_on} here, on"
                            f" {details.get('signed_on')} in audit entry #{entry[0]}")
                elif (details.get("judge") or "") != (judge or "") or entry[2] != by:
                    what = (f"order {number}: the judge or the clerk differs from audit entry"
                            f" #{entry[0]}")
                if what:
                    found.append(Mismatch("order_signatures", sid, "", what))
            for entry in theirs[len(mine):]:
                found.append(Mismatch("orders", order_id, "", (
                    f"order {number}: audit entry #{entry[0]} records its signing on"
                    f" {_details(entry).get('signed_on')}, which the store no longer holds")))
        return found

    # -- update files -------------------------------------------------------------------------

    def _update_file_mismatches(self, entries: dict[str, list[tuple]]) -> list[Mismatch]:
        rows = self._bound_rows(
            "SELECT uf.id, uf.kind, uf.sha256, uf.row_count, uf.created_by, uf.voided_at,"
            " (SELECT count(*) FROM update_items ui WHERE ui.file_id = uf.id)"
            " FROM update_files uf ORDER BY uf.id")
        written: dict[int, tuple] = {}
        for entry in entries.get("closeout.file", []):
            if entry[4] == "update_file":
                written.setdefault(int(entry[5] or 0), entry)
        voided = {int(e[5] or 0) for e in entries.get("closeout.update_voided", [])
                  if entry_matches(e)}
        found: list[Mismatch] = []
        held = set()
        for file_id, kind, sha256, count, by, voided_at, items in rows:
            held.add(int(file_id))
            entry = written.get(int(file_id))
            name = f"{kind} update file {file_id}" if kind in UPDATE_KINDS else (
                f"{kind} report {file_id}")
            what = _unbound(entry, f"{name} is recorded, but no audit entry records it being"
                                   " written")
            if entry is not None and not what:
                details = _details(entry)
                if entry[3] != f"closeout.{kind}_update" and kind in UPDATE_KINDS:
                    what = f"{name}: audit entry #{entry[0]} records another kind of file"
                elif details.get("sha256") != sha256:
                    what = f"{name}: its sha256 differs from the one audited"
                elif details.get("rows") != count or (kind in UPDATE_KINDS and items != count):
                    what = (f"{name} reports {items} count(s); audit entry #{entry[0]} says"
                            f" {details.get('rows')}")
                elif entry[2] != by:
                    what = f"{name}: written by {by!r} here, by {entry[2]!r} in its audit entry"
                elif bool(voided_at) != (int(file_id) in voided):
                    what = (f"{name} is marked voided, but no audit entry records the voiding"
                            if voided_at else
                            f"{name}: its voiding is audited, but the mark was taken off")
            if what:
                found.append(Mismatch("update_files", int(file_id), "", what))
        for file_id, entry in sorted(written.items()):
            if file_id not in held:
                found.append(Mismatch("update_files", file_id, "", (
                    f"audit entry #{entry[0]} records update file {file_id} ({entry[3]},"
                    f" {_details(entry).get('rows')} count(s)), which the store no longer"
                    " holds: its counts would be reported again")))
        return found

    # -- withdrawals and corrections ----------------------------------------------------------

    def _withdrawal_mismatches(self, entries: dict[str, list[tuple]]) -> list[Mismatch]:
        audited = {int(e[5] or 0): e for e in entries.get("import.withdrawn", [])}
        found: list[Mismatch] = []
        for import_id, name, withdrawn_at, status in self._bound_rows(
                "SELECT id, file_name, withdrawn_at, status FROM imports ORDER BY id"):
            out = bool(withdrawn_at) or status == "withdrawn"
            entry = audited.get(int(import_id))
            what = ""
            if out and entry is None:
                what = "marked withdrawn, but no audit entry records the withdrawal"
            elif entry is not None and not entry_matches(entry):
                what = f"its audit entry #{entry[0]} was edited"
            elif entry is not None and not out:
                what = (f"withdrawn in audit entry #{entry[0]}, but the store no longer marks it"
                        " withdrawn")
            if what:
                found.append(Mismatch("imports", int(import_id), "", f"import {name}: {what}"))
        return found

    def _correction_mismatches(self, entries: dict[str, list[tuple]]) -> list[Mismatch]:
        audited: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        for entry in entries.get("conviction.corrected", []):
            audited[(int(entry[5] or 0), str(_details(entry).get("field")))].append(entry)
        rows: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        for cid, conviction_id, field, value, clerk in self._bound_rows(
                "SELECT id, conviction_id, field, value, clerk FROM corrections ORDER BY id"):
            rows[(int(conviction_id), str(field))].append((cid, value, clerk))
        found: list[Mismatch] = []
        for key in sorted(set(rows) | set(audited)):
            conviction_id, field = key
            mine, theirs = rows[key], audited[key]
            for n, (cid, value, clerk) in enumerate(mine):
                entry = theirs[n] if n < len(theirs) else None
                what = ""
                if entry is None:
                    what = (f"a correction of conviction {conviction_id}'s {field}, but no audit"
                            " entry records it")
                elif not entry_matches(entry):
                    what = f"its audit entry #{entry[0]} was edited"
                elif entry[2] != clerk:
                    what = f"entered by {clerk!r} here, by {entry[2]!r} in audit entry #{entry[0]}"
                elif field == "case_number" and (entry[6] or "") != value:
                    what = f"the case number entered differs from audit entry #{entry[0]}"
                if what:
                    case = value if field == "case_number" else ""
                    found.append(Mismatch("corrections", int(cid), case, what))
            for entry in theirs[len(mine):]:
                found.append(Mismatch("convictions", conviction_id, entry[6] or "", (
                    f"audit entry #{entry[0]} records a correction of conviction"
                    f" {conviction_id}'s {field}, which the store no longer holds")))
        return found

    # -- notices ------------------------------------------------------------------------------

    def _notice_mismatches(self, entries: dict[str, list[tuple]]) -> list[Mismatch]:
        audited: dict[int, tuple] = {}
        for entry in entries.get("notice.printed", []):
            notice = _details(entry).get("notice")
            if isinstance(notice, int):
                audited.setdefault(notice, entry)
        items: dict[int, set[int]] = defaultdict(set)
        for notice_id, conviction_id in self._bound_rows(
                "SELECT notice_id, conviction_id FROM notice_items"):
            items[int(notice_id)].add(int(conviction_id))
        found: list[Mismatch] = []
        held = set()
        for notice_id, person_id, language, sha256, by in self._bound_rows(
                "SELECT id, person_id, language, sha256, created_by FROM notices ORDER BY id"):
            held.add(int(notice_id))
            entry = audited.get(int(notice_id))
            what = _unbound(entry, f"notice {notice_id} is recorded, but no audit entry"
                                   " records it printed")
            if entry is not None and not what:
                details = _details(entry)
                if (int(entry[5] or 0), details.get("language"), details.get("sha256"),
                        entry[2]) != (int(person_id), language, sha256, by):
                    what = (f"notice {notice_id}: its person, language, file or clerk differs"
                            f" from audit entry #{entry[0]}")
                elif set(details.get("convictions") or []) != items[int(notice_id)]:
                    what = (f"notice {notice_id} covers {len(items[int(notice_id)])}"
                            f" conviction(s); audit entry #{entry[0]} says"
                            f" {len(details.get('convictions') or [])}")
            if what:
                found.append(Mismatch("notices", int(notice_id), "", what))
        for notice_id, entry in sorted(audited.items()):
            if notice_id not in held:
                found.append(Mismatch("notices", notice_id, "", (
                    f"audit entry #{entry[0]} records notice {notice_id} printed, which the"
                    " store no longer holds: its convictions would be noticed again")))
        return found

    # -- records the log holds and the store lost ---------------------------------------------

    def _deleted_orders(self, entries: dict[str, list[tuple]]) -> list[Mismatch]:
        held = set(self._bound_order_numbers())
        found: list[Mismatch] = []
        for entry in entries.get("order.printed", []):
            order_id = int(entry[5] or 0)
            if order_id not in held:
                number = _details(entry).get("order_number") or f"#{order_id}"
                found.append(Mismatch("orders", order_id, "", (
                    f"audit entry #{entry[0]} records order {number} printed, which the store"
                    " no longer holds: its convictions would be printed again")))
        return found

    def _deleted_reviews(self, limit: int) -> list[Mismatch]:
        """Decisions the log records that the store no longer holds: an anti-join in SQL
        (a large log holds one entry per decision; the chain check verified them)."""
        found: list[Mismatch] = []
        for entry_id, action, case, review_id in self._bound_rows(
                "SELECT a.id, a.action, coalesce(a.case_number, ''), a.rid FROM (SELECT id,"
                " action, case_number, CAST(json_extract(details, '$.review_id') AS INTEGER)"
                " AS rid, json_extract(details, '$.status') AS status FROM audit_log"
                " WHERE action LIKE 'review.%' AND action != 'review.undone') a"
                " WHERE a.rid IS NOT NULL AND a.action = 'review.' || a.status"
                " AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.id = a.rid)"
                f" ORDER BY a.id LIMIT {int(limit)}"):
            found.append(Mismatch("reviews", int(review_id), case, (
                f"audit entry #{entry_id} records decision {review_id} ({action}), which the"
                " store no longer holds")))
        return found
