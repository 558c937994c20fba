"""Histories written through the Store's own import writer (no DOJ file needed)."""

from __future__ import annotations

from clerkapp.domain.records import (
    ConvictionRecord,
    ParsedBatch,
    PersonEvent,
    PersonRecord,
    Section,
)


def sec(code: str, number: str, *subs: str, attempted: bool = False) -> Section:
    return Section(code, number, tuple(subs), attempted=attempted)


def add_history(store, people: list[PersonRecord], convictions: list[ConvictionRecord],
                events: list[PersonEvent] = (), name: str = "test.csv") -> int:
    rows = sorted({n for c in convictions for n in c.source_rows} | {e.source_row for e in events})
    with store.atomic():
        w = store.begin_import(file_name=name, file_path=name, sha256=name, size=1,
                               preset="doj", headers=["x"], mapping={}, sheet=None,
                               operator="test", forced=False)
        store.write_batch(w, ParsedBatch(rows=[(n, [str(n)]) for n in rows], people=people,
                                         convictions=convictions, events=list(events)))
        store.finish_import(w)
    return w.import_id


def conviction(key: str, row: int, section: Section | None, level: str | None = "F", *,
               convicted: str = "2005-09-01", offense: str | None = "2005-06-15",
               county: str = "SACRAMENTO", cycle: str | None = None, case: str | None = None,
               **kw) -> ConvictionRecord:
    return ConvictionRecord(
        person_key=key, source_rows=[row], cycle_key=cycle or f"c{row}",
        case_numbers=[case or f"CASE{row}"], county=county, section=section, level=level,
        conviction_date=convicted, offense_date=offense,
        offense_date_source="arrest date" if offense else None,
        raw_offense=section.text if section else None, **kw,
    )


def sample(store) -> None:
    """Three people: one eligible felony, one with a super strike, one out of county."""
    people = [PersonRecord("doj:1", dob="1980-06-15"), PersonRecord("doj:2", dob="1970-01-01"),
              PersonRecord("doj:3", dob="1975-01-01")]
    convictions = [
        conviction("doj:1", 1, sec("HS", "11359"), sentence_end="2006-09-01"),
        conviction("doj:1", 2, sec("PC", "459"), "M"),
        conviction("doj:2", 3, sec("HS", "11360", "a"), convicted="2000-01-01",
                   offense="1999-12-01"),
        conviction("doj:2", 4, sec("PC", "187", "a"), convicted="1995-01-01", offense="1994-06-01"),
        conviction("doj:3", 5, sec("HS", "11357", "b"), "M", county="YOLO"),
    ]
    add_history(store, people, convictions)
