"""Audit and import-error exports: real xlsx files, read back with openpyxl."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from clerkapp.domain.records import ParsedBatch, RowError
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.reports.audit_export import AUDIT_COLUMNS, export_audit
from clerkapp.reports.errors_export import ERROR_COLUMNS, export_import_errors
from clerkapp.store.reports import AuditFilter


def _fill_audit(store):
    with store.atomic():
        store.audit("alice", "approve", entity="conviction", entity_id=1, case_number="CR-100",
                    details={"note": "ok"})
        store.audit("bob", "deny", entity="conviction", entity_id=2, case_number="CR-200")
        store.audit("alice", "import", details={"file": "=cmd|' /C calc'!A0"})
        store.audit("bob", "approve", entity="conviction", entity_id=3, case_number="xcr-1007")


def _read(path):
    wb = load_workbook(path, read_only=True)
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    wb.close()
    return rows


# the entries name two clerks; on a shared store every entry names the login that wrote it
# (tests/store_targets/test_roles.py), so two clerks there are two logins
TWO_NAMES = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


@TWO_NAMES
def test_audit_export_all_newest_first(store, tmp_path):
    _fill_audit(store)
    out = tmp_path / "audit.xlsx"
    assert export_audit(store, out) == 4
    rows = _read(out)
    assert tuple(rows[0]) == AUDIT_COLUMNS
    assert [r[0] for r in rows[1:]] == [4, 3, 2, 1]
    assert rows[1][2:5] == ["bob", "approve", "xcr-1007"]
    # a details cell that starts like a formula stays text
    assert rows[2][7].startswith('{"file":"=cmd')
    assert not (tmp_path / "audit.xlsx.part").exists()


@TWO_NAMES
def test_audit_export_filtered(store, tmp_path):
    _fill_audit(store)
    out = tmp_path / "audit.xlsx"
    assert export_audit(store, out, audit_filter=AuditFilter(actor="alice")) == 2
    assert [r[2] for r in _read(out)[1:]] == ["alice", "alice"]
    assert export_audit(store, out, audit_filter=AuditFilter(case_number="cr-1")) == 2
    assert {r[4] for r in _read(out)[1:]} == {"CR-100", "xcr-1007"}
    # the LIKE wildcards in a search are literal
    assert export_audit(store, out, audit_filter=AuditFilter(case_number="%")) == 0


def test_audit_export_date_range(store, tmp_path):
    _fill_audit(store)
    at = store.audit_page(limit=1)[0].at
    assert store.audit_count(AuditFilter(since=at)) >= 1
    assert store.audit_count(AuditFilter(until="2000-01-01T00:00:00+00:00")) == 0
    assert store.audit_count(AuditFilter(since="2000-01-01T00:00:00+00:00")) == 4


def test_audit_paging_is_keyset(store):
    with store.atomic():
        for i in range(25):
            store.audit("clerk", "approve", case_number=f"C{i}")
    first = store.audit_page(limit=10)
    second = store.audit_page(before_id=first[-1].id, limit=10)
    assert [e.id for e in first] == list(range(25, 15, -1))
    assert [e.id for e in second] == list(range(15, 5, -1))
    assert len(list(store.iter_audit(batch=7))) == 25


def test_audit_export_cancel_leaves_no_file(store, tmp_path):
    with store.atomic():
        for i in range(4500):
            store.audit("clerk", "approve", case_number=f"C{i}")
    token = CancelToken()
    token.cancel()
    out = tmp_path / "audit.xlsx"
    with pytest.raises(Cancelled):
        export_audit(store, out, cancel=token)
    assert not out.exists()
    assert not (tmp_path / "audit.xlsx.part").exists()


def test_import_errors_export(store, tmp_path):
    with store.atomic():
        writer = store.begin_import(
            file_name="prosecutor.xlsx", file_path=str(tmp_path / "prosecutor.xlsx"),
            sha256="0" * 64, size=10, preset="generic", headers=["Case", "Code"],
            mapping={}, sheet=None, operator="alice", forced=False,
        )
        batch = ParsedBatch(
            rows=[(2, ["A1", "11357"]), (3, ["A2", "+bad"])],
            errors=[RowError(3, "Code", "+bad", "not a code section")],
        )
        store.write_batch(writer, batch)
        store.finish_import(writer)
    out = tmp_path / "errors.xlsx"
    assert export_import_errors(store, [writer.import_id], out) == 1
    rows = _read(out)
    assert tuple(rows[0]) == ERROR_COLUMNS
    assert rows[1] == ["prosecutor.xlsx", 3, "Code", "+bad", "not a code section"]
