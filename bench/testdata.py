"""Fill a store fast with made-up evaluated convictions, for tests and benchmarks only.

Real data comes through the import service and the evaluation; this writes the same tables
directly with `executemany`, so a million-row queue is ready in seconds. Names are obviously
fake (syllables), dates and sections plausible, the outcome mix close to a real county's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from clerkapp.store.base import StoreBase, dumps, now_iso

_LAST = ("ZOR", "BLI", "QUA", "FEN", "MOR", "TAV", "KEL", "DRU", "VAN", "PIX", "LOM", "SEB")
_FIRST = ("ALPHA", "BRAVO", "CEDAR", "DELTA", "ECHO", "FJORD", "GAMMA", "HAZEL", "IOTA", "JUNO")
COUNTIES = ("LOS ANGELES", "LOS ANGELES", "LOS ANGELES", "ORANGE", "SAN DIEGO", "FRESNO", "KERN")
SECTIONS = (
    ("HS 11357(a)", "11357", "a", "M"), ("HS 11357(b)", "11357", "b", "I"),
    ("HS 11357(c)", "11357", "c", "M"), ("HS 11358", "11358", "", "F"),
    ("HS 11359", "11359", "", "F"), ("HS 11360(a)", "11360", "a", "F"),
    ("PC 459", "459", "", "F"), ("VC 23152(a)", "23152", "a", "M"),
)
# outcome, weight, reason text, citation
OUTCOMES = (
    ("dismiss_and_seal", 40, "Possession under the new limits is no longer a crime", "HS 11361.8(e)"),
    ("redesignate_misdemeanor", 25, "Felony cultivation is a misdemeanor today", "HS 11361.8(e)"),
    ("redesignate_infraction", 5, "Now an infraction for a minor", "HS 11361.8(e)"),
    ("not_eligible", 8, "Prior super strike conviction", "HS 11359(c)(1)"),
    ("needs_review", 12, "Offense text and comment name different subsections", "HS 11361.8(f)"),
    ("not_applicable", 10, "Not a cannabis conviction", ""),
)
HEADERS = ["CASE", "NAME", "DOB", "CHARGE", "LEVEL", "DISP_DATE", "COUNTY", "SSN"]


@dataclass(frozen=True)
class Filled:
    import_id: int
    run_id: int
    people: int
    convictions: int


def fill_queue(
    store: StoreBase,
    convictions: int,
    *,
    per_person: int = 4,
    seed: int = 1,
    details: bool = True,
    prosecutor_share: float = 0.1,
) -> Filled:
    """Insert `convictions` evaluated convictions (plus people, one import and one run).

    `details=False` leaves out source rows and determinations (the queue needs neither), for
    the million-row tests. Safe to call on a store that already holds data.
    """
    rnd = random.Random(seed)
    conn = store.conn
    weights = [w for _, w, _, _ in OUTCOMES]
    with store.atomic():  # type: ignore[attr-defined]
        import_id, run_id = _import_and_run(
            conn, f"synthetic-{seed}.csv", f"synthetic{seed}{rnd.random()}", convictions)

        def next_id(table: str) -> int:
            return conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

        person_id, conviction_id = next_id("people"), next_id("convictions")
        row_id, det_id = next_id("source_rows"), next_id("determinations")
        n_people = (convictions + per_person - 1) // per_person
        people, convs, rows, dets = [], [], [], []
        made = 0
        for _ in range(n_people):
            last = "".join(rnd.choice(_LAST) for _ in range(3))
            name = f"{last},{rnd.choice(_FIRST)}"
            dob = f"{rnd.randint(1940, 2002)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            people.append((person_id, f"test:{person_id}", name, dob))
            for _ in range(min(per_person, convictions - made)):
                section, number, subs, level = rnd.choice(SECTIONS)
                outcome, _, reason, citation = rnd.choices(OUTCOMES, weights)[0]
                if number not in ("11357", "11358", "11359", "11360"):
                    outcome, reason, citation = "not_applicable", "Not a cannabis conviction", ""
                year = rnd.randint(1975, 2016)
                conv_date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                county = rnd.choice(COUNTIES)
                case = f"{county[:2]}{year % 100:02d}CR{conviction_id:07d}"
                prosecutor = None
                if rnd.random() < prosecutor_share:
                    prosecutor = rnd.choice(("dismiss_and_seal", "not_eligible", outcome))
                source_ids = "[]"
                if details:
                    values = [case, name, dob, section, level, conv_date, county, "000-00-0000"]
                    rows.append((row_id, import_id, made + 2, person_id, dumps(values)))
                    source_ids = f"[{row_id}]"
                    row_id += 1
                    kind = "info" if outcome == "needs_review" else "decisive"
                    dets.append((det_id, run_id, conviction_id, outcome, dumps(
                        [{"code": outcome, "text": reason, "citation": citation, "kind": kind}]
                    ), citation))
                convs.append((
                    conviction_id, person_id, import_id, source_ids, case, county, section,
                    "HS" if number.startswith("113") else "PC", number, subs, level,
                    "CONVICTED", conv_date, section, prosecutor,
                    det_id if details else None, outcome, reason,
                ))
                det_id += 1
                conviction_id += 1
                made += 1
            person_id += 1
            if len(convs) >= 50_000:
                _flush(conn, people, convs, rows, dets)
        _flush(conn, people, convs, rows, dets)
        for table in ("people", "source_rows", "convictions", "determinations"):
            store.ids_taken(table)
    return Filled(int(import_id), int(run_id), n_people, made)


def _import_and_run(conn, file_name: str, sha256: str, convictions: int) -> tuple[int, int]:
    """The import and the evaluation run that synthetic convictions point at."""
    import_id = conn.execute(
        "INSERT INTO imports (file_name, sha256, size, preset, headers, started_at,"
        " finished_at, row_count, conviction_count) VALUES (?, ?, 0, 'generic', ?, ?, ?, ?, ?)",
        (file_name, sha256, dumps(HEADERS), now_iso(), now_iso(), convictions, convictions),
    ).lastrowid
    run_id = conn.execute(
        "INSERT INTO eval_runs (rule_set_version, policy_name, policy_hash, policy_text,"
        " as_of, started_at, finished_at) VALUES ('test', 'statute', 'test', '', ?, ?, ?)",
        ("2026-01-01", now_iso(), now_iso()),
    ).lastrowid
    return import_id, run_id


def _flush(conn, people: list, convs: list, rows: list, dets: list) -> None:
    conn.executemany("INSERT INTO people (id, subject_key, name, dob) VALUES (?, ?, ?, ?)", people)
    conn.executemany(
        'INSERT INTO source_rows (id, import_id, row_number, person_id, "values")'
        " VALUES (?, ?, ?, ?, ?)", rows,
    )
    conn.executemany(
        "INSERT INTO convictions (id, person_id, import_id, source_row_ids, case_number, county,"
        " code_section, section_code, section_number, section_subs, level, disposition,"
        " conviction_date, raw_offense, prosecutor_outcome, determination_id, outcome,"
        " reason_summary) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", convs,
    )
    conn.executemany(
        "INSERT INTO determinations (id, run_id, conviction_id, outcome, reasons, authority)"
        " VALUES (?, ?, ?, ?, ?, ?)", dets,
    )
    for items in (people, convs, rows, dets):
        items.clear()


_SYLLABLES = "".join(_LAST)


def fill_queue_fast(store: StoreBase, convictions: int, *, per_person: int = 4) -> Filled:
    """Like `fill_queue(details=False)` but generated inside the database (a recursive CTE), so a
    million convictions take seconds; values cycle through fixed patterns instead of a RNG."""
    conn = store.conn
    n_people = (convictions + per_person - 1) // per_person
    with store.atomic():  # type: ignore[attr-defined]
        import_id, run_id = _import_and_run(
            conn, "synthetic-fast.csv", f"fast{now_iso()}{convictions}", convictions)
        p0 = conn.execute("SELECT coalesce(max(id), 0) FROM people").fetchone()[0]
        c0 = conn.execute("SELECT coalesce(max(id), 0) FROM convictions").fetchone()[0]
        syl = "substr(:syl, 1 + 3 * ({}), 3)"
        conn.execute(
            "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < :last)"
            " INSERT INTO people (id, subject_key, name, dob)"
            " SELECT :p0 + i + 1, 'fast:' || (:p0 + i + 1), "
            + " || ".join(syl.format(e) for e in ("i * 7 % 12", "i * 11 % 12", "i / 144 % 12"))
            + " || ',' || substr('ALPHABRAVOCEDARDELTA', 1 + 5 * (i % 4), 5),"
            f" {_digits('1940 + i * 13 % 60', 4)} || '-' || {_digits('1 + i % 12', 2)} || '-' ||"
            f" {_digits('1 + i * 7 % 28', 2)} FROM k",
            {"last": n_people - 1, "p0": p0, "syl": _SYLLABLES},
        )
        conn.execute(
            "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < :last)"
            " INSERT INTO convictions (id, person_id, import_id, case_number, county,"
            " code_section, section_code, section_number, level, disposition, conviction_date,"
            " outcome, reason_summary, prosecutor_outcome)"
            " SELECT :c0 + i + 1, :p0 + i / :per + 1, :imp,"
            f" 'FS' || {_digits('i % 41', 2)} || 'CR' || {_digits(':c0 + i', 8)},"
            " CASE i * 7 % 5 WHEN 0 THEN 'ORANGE' WHEN 1 THEN 'KERN' ELSE 'LOS ANGELES' END,"
            " 'HS ' || (11357 + i % 4), 'HS', 11357 + i % 4,"
            " CASE i % 3 WHEN 0 THEN 'F' ELSE 'M' END, 'CONVICTED',"
            f" {_digits('1975 + i * 31 % 41', 4)} || '-' || {_digits('1 + i % 12', 2)} || '-' ||"
            f" {_digits('1 + i * 7 % 28', 2)},"
            " CASE i * 13 % 10 WHEN 0 THEN 'not_eligible' WHEN 1 THEN 'needs_review'"
            "  WHEN 2 THEN 'not_applicable' WHEN 3 THEN 'redesignate_misdemeanor'"
            "  ELSE 'dismiss_and_seal' END, 'Synthetic reason',"
            " CASE WHEN i % 10 = 0 THEN 'dismiss_and_seal' END FROM k",
            {"last": convictions - 1, "c0": c0, "p0": p0, "per": per_person, "imp": import_id},
        )
        for table in ("people", "convictions"):
            store.ids_taken(table)
    return Filled(int(import_id), int(run_id), n_people, convictions)


def _digits(number: str, width: int) -> str:
    """SQL: the integer `number` (below 10**width) zero-padded to `width` digits, in a form
    SQLite and PostgreSQL both run (neither's printf/to_char is the other's)."""
    return f"substr(CAST({10 ** width} + {number} AS TEXT), 2)"
