"""Test data for orders: people, cases, convictions and determinations written through the
store, then decided with the real review service, so orders see exactly what a clerk left."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import pytest

from clerkapp.review.service import decide
from clerkapp.store.base import now_iso


class _Rows:
    """`db[table].insert({...}).last_pk` and `.update(id, {...})` in plain SQL, on either
    engine (the test data goes in through the store's own connection)."""

    def __init__(self, store) -> None:
        self.store = store

    def __getitem__(self, table: str) -> _Rows:
        self.table = table
        return self

    def insert(self, values: dict) -> _Rows:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.store.conn.execute(
            f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", tuple(values.values()))
        self.last_pk = int(cur.lastrowid)
        return self

    def update(self, row_id: int, values: dict) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        self.store.conn.execute(f"UPDATE {self.table} SET {sets} WHERE id = ?",
                                (*values.values(), row_id))


@dataclass
class Casebook:
    """Makes convictions one at a time; remembers ids by case number."""

    store: object
    import_id: int = 0
    run_id: int = 0
    people: dict[str, int] = field(default_factory=dict)
    by_case: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        db = _Rows(self.store)
        self.import_id = db["imports"].insert({
            "file_name": "test.csv", "sha256": "x", "size": 0, "preset": "generic",
            "started_at": now_iso(),
        }).last_pk
        self.run_id = db["eval_runs"].insert({
            "rule_set_version": "test", "policy_name": "statute", "policy_hash": "h",
            "policy_text": "", "as_of": "2026-01-01", "started_at": now_iso(),
        }).last_pk

    def conviction(self, case_number: str, name: str, *, outcome: str = "dismiss_and_seal",
                   remedy: str = "redesignate", authority: str = "HS 11361.8(e)",
                   section: str = "HS 11357(a)", level: str = "M", dob: str = "1970-02-03",
                   cii: str = "A12345678", aliases: tuple[str, ...] = (),
                   conviction_date: str = "1991-06-07", extra_numbers: tuple[str, ...] = (),
                   count: str = "1", county: str = "ALAMEDA", court: str = "",
                   offense_date: str | None = None, disposition: str = "") -> int:
        db = _Rows(self.store)
        pid = self.people.get(name)
        if pid is None:
            pid = db["people"].insert({
                "subject_key": f"name:{name}|{dob}", "name": name, "dob": dob, "cii": cii,
                "aliases": json.dumps(list(aliases)),
            }).last_pk
            self.people[name] = pid
        case_id = db["cases"].insert({
            "person_id": pid, "import_id": self.import_id,
            "case_numbers": json.dumps([case_number, *extra_numbers]), "county": county,
        }).last_pk
        number = section.split()[1].split("(")[0]
        subs = ",".join(p.strip(")") for p in section.split()[1].split("(")[1:])
        cid = db["convictions"].insert({
            "person_id": pid, "case_id": case_id, "import_id": self.import_id,
            "case_number": case_number, "county": county, "code_section": section,
            "section_code": section.split()[0], "section_number": number, "level": level,
            "section_subs": subs, "court": court or None, "offense_date": offense_date,
            "disposition": disposition or None,
            "conviction_date": conviction_date, "count_key": count, "outcome": outcome,
            "remedy": remedy,
        }).last_pk
        did = db["determinations"].insert({
            "run_id": self.run_id, "conviction_id": cid, "outcome": outcome, "remedy": remedy,
            "reasons": "[]", "authority": authority,
        }).last_pk
        db["convictions"].update(cid, {"determination_id": did})
        self.by_case.setdefault(case_number, []).append(cid)
        return cid

    def decide(self, case_number: str, status: str, **kwargs) -> None:
        note = kwargs.pop("note", None) or ("test reason" if status != "approved" or
                                             kwargs.get("outcome") else None)
        decide(self.store, self.by_case[case_number], status, clerk="Clerk Test", note=note,
               **kwargs)


def set_profile(store, **overrides) -> None:
    values = {
        "court.county": "Alameda", "court.judge": "Hon. Ada Q. Testjudge",
        "court.address": "1225 Fallon Street, Oakland, CA 94612", "court.department": "12",
        **overrides,
    }
    with store.atomic():
        for key, value in values.items():
            store.set_setting(key, value)


def sign_all(store, on: str | None = None, judge: str = "Hon. Ada Q. Testjudge") -> None:
    """Record every printed order not yet signed as signed (today by default): the DOJ
    update and the confirmation of relief report only orders the judge signed."""
    day = on or date.today().isoformat()
    unsigned = [int(r[0]) for r in store.conn.execute(
        "SELECT id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_signatures s"
        " WHERE s.order_id = o.id) ORDER BY id")]
    for order_id in unsigned:
        store.record_signature(order_id, day, judge, recorded_by="Clerk Test")


# what a module of dialog tests marks: Qt warnings fail it, but the offscreen platform's
QT_MARKS = [pytest.mark.qt_log_level_fail("WARNING"),
            pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def qsettings(tmp_path):
    """The desk's remembered settings, in a file of the test's own."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def answering(choice: str | None, asked: list[str]):
    """A stand-in for `prompts.ask_go_on`: notes the question in `asked`, gives `choice`."""
    def ask(_parent, _title, text, *_buttons):
        asked.append(text)
        return choice
    return ask


@pytest.fixture
def court_profile():
    return set_profile


@pytest.fixture
def casebook(store) -> Casebook:
    return Casebook(store)


@pytest.fixture
def court_store(store, casebook):
    """A store with a court profile and a mix of decisions:

    - CASE-A1 (two counts, dismiss) approved;  CASE-B2 engine dismiss, approved as an override
      to misdemeanor;  CASE-C3 denied;  CASE-D4 pending;  CASE-E5 approved "not eligible";
      CASE-F6 approved dismiss under PC 1385;  CASE-G7 approved infraction, sentence running.
    """
    set_profile(store)
    casebook.conviction("CASE-A1", "ALPHA,ANNA MARIE", aliases=("ALPHA,ANN",),
                        extra_numbers=("OLD-99-1",))
    casebook.conviction("CASE-A1", "ALPHA,ANNA MARIE", section="HS 11360(a)", level="F", count="2")
    casebook.conviction("CASE-B2", "BRAVO,BEN", section="HS 11359", level="F", dob="1980-05-06",
                        cii="B22222222")
    casebook.conviction("CASE-C3", "CHARLIE,CARL", cii="C33333333")
    casebook.conviction("CASE-D4", "DELTA,DANA", cii="D44444444")
    casebook.conviction("CASE-E5", "ECHO,ERIN", outcome="not_eligible", cii="E55555555")
    casebook.conviction("CASE-F6", "FOXTROT,FRED", authority="PC 1385; HS 11361.9",
                        cii="F66666666")
    casebook.conviction("CASE-G7", "GOLF,GINA", outcome="redesignate_infraction",
                        remedy="resentence", section="HS 11358", level="F", cii="G77777777")
    casebook.decide("CASE-A1", "approved")
    casebook.decide("CASE-B2", "approved", outcome="redesignate_misdemeanor", note="plants shown")
    casebook.decide("CASE-C3", "denied", note="not our case")
    casebook.decide("CASE-E5", "approved")
    casebook.decide("CASE-F6", "approved")
    casebook.decide("CASE-G7", "approved")
    return store
